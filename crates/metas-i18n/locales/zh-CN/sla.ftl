## 时效目标（SLA）：页面、各部分、策略编辑器
# 导航栏中指向本页的链接。
nav-sla = 时效目标
sla-title = 时效目标
sla-intro = 请求的每个环节相对目标用了多长时间：按环节和按月的达成率、已超时的环节、当前有风险的环节，以及设定目标的策略。
sla-sections = 本页内容
sla-as-of = 截至（UTC）
sla-as-of-now = 截至 { $instant } UTC。
sla-no-policy = 尚未定义任何时效目标，因此没有可评判的内容。策略说明它适用于哪些交互，并为每个环节设定目标。
sla-no-policy-editor = 从下面的示例开始：命名、调整目标、保存。
sla-no-policy-ask = 请经理或管理员定义一个。

## 达成率
sla-attainment = 按环节的达成率
sla-attainment-intro = 在期间内创建的交互中，已达标环节占应达标环节（已达标或已超时）的比例；进行中、已暂停、不适用和不可衡量的环节不计入。
sla-stage = 环节
sla-over-time = 按月的达成率
sla-chart-stages-title = 按环节的 SLA 达成率，按数值排序
sla-chart-months-title = 按环节、按月的 SLA 达成率
sla-open-explorer = 在 KPI 浏览器中打开
sla-monthly-table = 按月数据表

## 超时与有风险的环节
sla-breaches = 超时
sla-breaches-intro = 超时完成或超过截止时间仍未完成的环节，最新的在前。
sla-no-breaches = 没有超时的环节。
sla-at-risk = 当前有风险
sla-at-risk-intro = 已超过目标预警比例但尚未超时的未完成环节，剩余时间最少的在前。
sla-no-at-risk = 没有有风险的未完成环节。
sla-shown-first = 仅显示前 { $shown } 条；CSV 包含全部。
sla-breaches-csv = 下载超时列表（CSV）
sla-external-id = 交互
sla-policy = 策略
sla-policy-version = { $name } v{ $version }
sla-started = 开始（UTC）
sla-took = 用时
sla-target = 目标
sla-due = 截止（UTC）
sla-left = 剩余时间
sla-still-open = 仍未完成
sla-took-of = { $took } / { $target }
sla-that-day = 当天
sla-that-day-title = 当天创建的含此环节的交互及其全部指标

## 策略
sla-policies = 生效中的策略
sla-policies-intro = 策略按顺序尝试；交互满足条件的第一个策略为其设定目标。保存策略会生成新版本，并重新评判所有交互。
sla-order = 顺序
sla-name = 名称
sla-where = 条件
sla-calendar = 日历
sla-targets = 目标
sla-every-interaction = 所有交互
sla-calendar-time = 日历时间（24/7）
sla-pause-on = 以下状态时暂停：{ $statuses }
sla-warning = 达到目标的 { $share } 时即有风险
sla-versions = 版本
sla-version-line = 版本 { $version }，由 { $who } 于 { $when } UTC 保存
sla-version-retired = 于 { $when } UTC 停用
sla-version-in-force = 生效中
sla-edit = 编辑
sla-policy-toml = 策略（TOML）
sla-save = 保存为新版本
sla-delete = 停用此策略
sla-new-policy = 新策略
sla-saved = 策略 { $name } 已保存为版本 { $version }；已评判 { $interactions } 个交互的 { $stages } 个环节。
sla-deleted = 策略 { $name } 已停用；已重新评判 { $interactions } 个交互的 { $stages } 个环节。
sla-policy-error = 未保存：{ $detail }

## 环节与状态的含义
sla-definitions = 环节与状态的含义
sla-states = 状态
sla-stage-acknowledge = 首次响应
sla-stage-acknowledge-desc = 从创建到坐席的首次响应。
sla-stage-next-response = 后续响应
sla-stage-next-response-desc = 从坐席回复后客户的每条消息到坐席的下一次回复。
sla-stage-problem-defined = 问题确认
sla-stage-problem-defined-desc = 从创建到首次分配，或到首次进入策略指定的状态。
sla-stage-first-resolution = 首次解决
sla-stage-first-resolution-desc = 从创建到首次解决。
sla-stage-resolution = 解决
sla-stage-resolution-desc = 从创建到最终解决。
sla-stage-confirmation = 客户确认
sla-stage-confirmation-desc = 从解决到客户确认。
sla-stage-completion = 关闭
sla-stage-completion-desc = 从创建到关闭。
sla-stage-queue-wait = 排队等待
sla-stage-queue-wait-desc = 从进入队列到接听（电话）。
sla-stage-live-person = 转接人工
sla-stage-live-person-desc = 从自动化联系开始到接通人工。
sla-state-met = 已达标
sla-state-met-desc = 在目标内完成。
sla-state-breached = 已超时
sla-state-breached-desc = 超时完成，或超过目标仍未完成。
sla-state-pending = 进行中
sla-state-pending-desc = 仍未完成且在目标内。
sla-state-paused = 已暂停
sla-state-paused-desc = 在目标内，计时因暂停状态而停止。
sla-state-not-applicable = 不适用
sla-state-not-applicable-desc = 该环节与此交互无关，或交互在目标内结束而无需该环节。
sla-state-not-measurable = 不可衡量
sla-state-not-measurable-desc = 数据源没有该环节的数据；既不计为达标，也不计为未达标。
