# metas — 简体中文。本文件中的每条消息在 en、es、fr 和 pt 中也都存在
# （测试会比较消息 ID）。参数传入时已按语言格式化（数字、日期）。

## 导航
nav-dashboard = 仪表盘
nav-explorer = KPI 浏览器
nav-goals = 目标
nav-reviews = 复盘
nav-import = 导入
nav-settings = 设置
nav-language = 语言
nav-change = 切换
nav-logout = 退出登录
nav-who = { $login }（{ $role }）
nav-who-scoped = { $login }（{ $role }：{ $scope }）
role-admin = 管理员
role-manager = 经理
role-lead = 组长
role-agent = 坐席
scope-team = 团队 { $name }
scope-agent = 坐席 { $name }
nav-coaching = 辅导
