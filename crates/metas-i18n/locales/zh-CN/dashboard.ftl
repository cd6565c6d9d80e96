## 仪表盘
dashboard-heading = 最近 { $days } 天
dashboard-period = 时间段
dashboard-days = { $days } 天
dashboard-all = 全部
dashboard-segment = 细分
dashboard-window = { $from } 至 { $to }，
dashboard-compared = 与此前 { $days } 天相比。
dashboard-change = 较上一周期 { $change }
