## 通用词汇
action-show = 显示
action-save = 保存
definition = 定义
figure-n = n { $n }
figure-interval = 95% 区间 { $interval }
dim-channel = 渠道
dim-team = 团队
dim-agent = 坐席
