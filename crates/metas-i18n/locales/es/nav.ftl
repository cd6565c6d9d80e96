# metas — español. Cada mensaje de este archivo existe también en en, fr, pt
# y zh-CN (las pruebas comparan los identificadores). Los argumentos llegan ya
# formateados para el idioma (números, fechas).

## Navegación
nav-dashboard = Panel
nav-explorer = Explorador de KPI
nav-goals = Objetivos
nav-reviews = Revisiones
nav-import = Importar
nav-settings = Configuración
nav-language = Idioma
nav-change = Cambiar
nav-logout = Cerrar sesión
nav-who = { $login } ({ $role })
nav-who-scoped = { $login } ({ $role }: { $scope })
role-admin = administrador
role-manager = responsable
role-lead = jefe de equipo
role-agent = agente
scope-team = equipo { $name }
scope-agent = agente { $name }
nav-coaching = Coaching
