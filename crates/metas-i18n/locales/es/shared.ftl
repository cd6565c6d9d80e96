## Palabras comunes
action-show = Mostrar
action-save = Guardar
definition = Definición
figure-n = n { $n }
figure-interval = intervalo del 95 % { $interval }
dim-channel = Canal
dim-team = Equipo
dim-agent = Agente
