## 下钻
drill-title = 数字背后的交互记录
drill-back = 返回 KPI
drill-summary = { $kpi }：样本中的前 { $n } 条交互记录，按时间从新到旧排列。
drill-truncated = 此处仅显示前 { $n } 条；CSV 中包含全部记录。
