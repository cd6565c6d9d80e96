## Shared words
action-show = Show
action-save = Save
definition = Definition
figure-n = n { $n }
figure-interval = 95 % interval { $interval }
dim-channel = Channel
dim-team = Team
dim-agent = Agent
