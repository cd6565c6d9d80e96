# metas — English. Every message here exists in es, fr, pt and zh-CN too
# (the tests compare the ids). Arguments arrive already formatted for the
# locale (numbers, dates).

## Navigation
nav-dashboard = Dashboard
nav-explorer = KPI explorer
nav-goals = Goals
nav-reviews = Reviews
nav-import = Import
nav-settings = Settings
nav-language = Language
nav-change = Change
nav-logout = Log out
nav-who = { $login } ({ $role })
nav-who-scoped = { $login } ({ $role }: { $scope })
role-admin = administrator
role-manager = manager
role-lead = team lead
role-agent = agent
scope-team = team { $name }
scope-agent = agent { $name }
nav-coaching = Coaching
