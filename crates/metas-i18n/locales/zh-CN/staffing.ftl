## Staffing: the calculator and a queue's observed week on the Time objectives page
staffing-title = 人员配置
staffing-intro = 达到某个目标（例如 80 % 的来电在 20 秒内接听）需要多少名座席（Erlang C），扣除损耗后需要排班多少人，以及成本是多少。可以输入自己的数字（计算器），也可以指定一个队列，根据其来电为一周配置人员。
staffing-service-level = 服务水平（%/秒）
staffing-shrinkage = 损耗率
staffing-max-occupancy = 最高占用率
staffing-cost-per-hour = 每座席小时成本
staffing-aht-field = 平均处理时长（AHT）
staffing-calculator = 计算器：您给出的数字
staffing-arrivals = 来电数
staffing-per = 每
staffing-agents-field = 座席数（可选）
staffing-hours-per-week = 每周小时数
staffing-observed = 队列的实际来电
staffing-queue = 队列（where）
staffing-queue-from = 首日
staffing-queue-to = 末日
staffing-timezone = 时区
staffing-submit = 计算人员配置
staffing-form-help = 计算器需要来电数和处理时长；实际一周需要指定队列（未给出时测量其处理时长）。
staffing-error = 无法回答：{ $detail }
staffing-json = 同样内容的 JSON（API）
staffing-definitions = Erlang C 假设来电随机到达、每位来电者都等到接听、每个半小时处于稳定状态（docs/staffing.md）。
staffing-curve-table = 曲线数据表
staffing-targets = 几个百分点的成本
staffing-half-hours-table = 本周 { $count } 个半小时的数据表
staffing-half-hour = { $day ->
    [monday] 周一
    [tuesday] 周二
    [wednesday] 周三
    [thursday] 周四
    [friday] 周五
    [saturday] 周六
   *[sunday] 周日
} { $time }

## The answer
staffing-traffic = 话务量
staffing-erlangs = { $value } 爱尔兰
staffing-agents-needed = 所需座席
staffing-agents-most = 所需座席（最繁忙的半小时）
staffing-bound-by = 决定因素
staffing-bound-service-level = 服务水平
staffing-bound-occupancy = 最高占用率
staffing-agents-asked = 询问的座席数
staffing-rota = 排班座席（损耗率 { $shrinkage }）
staffing-predicted-level = 预测服务水平
staffing-level = 服务水平
staffing-level-within = { $within } 内接听 { $level }
staffing-asa = 平均应答速度
staffing-occupancy = 占用率
staffing-wait = 需要等待的来电
staffing-cost-hour = 每小时成本
staffing-cost-week = 每周成本（{ $hours } 小时）
staffing-not-reachable-short = 无：此占用率下无法达到
staffing-not-reachable = 此占用率下无法达到：{ $agents } 名座席无法应对 { $traffic } 爱尔兰的话务量，队列会无限增长；至少需要 { $steady } 名座席才能达到稳定状态。
staffing-misses = { $agents } 名座席达不到目标 { $objective }；需要 { $needed } 名。
staffing-occupancy-sets = 最高占用率 { $max } 决定了所需座席：仅服务水平只需 { $level_agents } 名。
staffing-abandonment-caveat = Erlang C 假设每位来电者都等到接听；在来电者挂断的情况下，它给出的座席数多于实际所需。
staffing-abandonment-high = { $rate } 的来电被放弃：Erlang C 假设每位来电者都等到接听，因此在来电者挂断时会高估所需座席。
staffing-period = 时间段
staffing-period-value = { $from } 至 { $to }（{ $weeks } 周），{ $zone }
staffing-calls = 期间来电
staffing-aht = 处理时长
staffing-aht-given = { $aht }（给定）
staffing-aht-observed = { $aht }（{ $calls } 个已接来电的平均值）
staffing-week-calls = 每周来电
staffing-agent-hours = 每周座席小时
staffing-agent-hours-value = { $hours }（排班 { $rota }）
staffing-open-hours = 每周营业小时
staffing-observed-level = 实际服务水平
staffing-abandoned = 放弃率
staffing-cost-week-observed = 每周成本
staffing-cost-open-hour = 每营业小时成本
staffing-half-hour-column = 半小时
staffing-calls-column = 来电
staffing-agents-column = 座席
staffing-rota-column = 排班
staffing-rota-hours = 排班小时
staffing-objective = 目标
staffing-objective-asked = { $objective }（所问）
staffing-chosen-mark = ← 已选
staffing-misses-mark = 未达目标

## The curve
staffing-curve-title = 服务水平和每小时成本随座席数的变化
staffing-curve-busiest-title = 服务水平和每小时成本随座席数的变化，{ $half_hour }（最繁忙的半小时）
staffing-curve-desc = 从 { $first } 到 { $last } 名座席，服务水平从 { $low } 升至 { $high }；目标为 { $target }。下表列出全部数字。
staffing-curve-chosen-desc = 所选配置为 { $agents } 名座席，服务水平 { $level }。
staffing-curve-agents-axis = 接听来电的座席
staffing-curve-chosen = { $agents } 名座席
staffing-curve-point = { $agents } 名座席：服务水平 { $level }，ASA { $asa }，占用率 { $occupancy }
staffing-curve-cost-point = { $agents } 名座席：每小时 { $cost }
staffing-curve-level-legend = 服务水平（左轴）
staffing-curve-cost-legend = 每小时成本（右轴）
staffing-curve-objective-legend = 目标 { $target }
