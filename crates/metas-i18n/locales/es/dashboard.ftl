## Panel
dashboard-heading = Últimos { $days } días
dashboard-period = Periodo
dashboard-days = { $days } días
dashboard-all = Todos
dashboard-segment = Segmento
dashboard-window = Del { $from } al { $to },
dashboard-compared = en comparación con los { $days } días anteriores.
dashboard-change = { $change } respecto al periodo anterior
