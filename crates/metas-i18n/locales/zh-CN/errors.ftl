## 错误
error-title = 出错了
error-back = 返回仪表盘
error-unauthenticated = 请先登录。
error-invalid = 请求无效：{ $detail }
error-refused = 未执行：{ $detail }
error-not-found = 未找到：{ $detail }
error-forbidden = 您的角色无权执行此操作。
error-csrf = 表单已过期，或并非由本站提交；请刷新页面后重试。
error-too-many = 登录失败次数过多，请等待几分钟后再试。
error-internal = 服务器出错，已记录日志。
error-no-goal = 目标 { $id } 不存在。
error-bad-date = { $field }“{ $value }”不是有效日期（YYYY-MM-DD）。
