## 复盘
reviews-none = 暂无待复盘的目标。
reviews-overdue = 已逾期
reviews-was-due = 应于 { $date } 复盘（已过 { $days } 天）
reviews-due = 待复盘
reviews-due-on = 应于 { $date } 复盘
