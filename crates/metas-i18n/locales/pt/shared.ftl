## Termos comuns
action-show = Mostrar
action-save = Salvar
definition = Definição
figure-n = n { $n }
figure-interval = intervalo de 95% { $interval }
dim-channel = Canal
dim-team = Equipe
dim-agent = Agente
