# metas — português (Brasil). Cada mensagem deste arquivo também existe em en,
# es, fr e zh-CN (os testes comparam os identificadores). Os argumentos chegam
# já formatados para o idioma (números, datas).

## Navegação
nav-dashboard = Painel
nav-explorer = Explorador de KPIs
nav-goals = Metas
nav-reviews = Revisões
nav-import = Importar
nav-settings = Configurações
nav-language = Idioma
nav-change = Alterar
nav-logout = Sair
nav-who = { $login } ({ $role })
nav-who-scoped = { $login } ({ $role }: { $scope })
role-admin = administrador
role-manager = gestor
role-lead = líder de equipe
role-agent = agente
scope-team = equipe { $name }
scope-agent = agente { $name }
nav-coaching = Coaching
