# metas — français. Chaque message de ce fichier existe aussi en en, es, pt et
# zh-CN (les tests comparent les identifiants). Les arguments arrivent déjà
# formatés pour la langue (nombres, dates).

## Navigation
nav-dashboard = Tableau de bord
nav-explorer = Explorateur de KPI
nav-goals = Objectifs
nav-reviews = Revues
nav-import = Import
nav-settings = Paramètres
nav-language = Langue
nav-change = Changer
nav-logout = Se déconnecter
nav-who = { $login } ({ $role })
nav-who-scoped = { $login } ({ $role } : { $scope })
role-admin = administrateur
role-manager = manager
role-lead = chef d’équipe
role-agent = conseiller
scope-team = équipe { $name }
scope-agent = conseiller { $name }
nav-coaching = Coaching
