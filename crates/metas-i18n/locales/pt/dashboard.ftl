## Painel
dashboard-heading = Últimos { $days } dias
dashboard-period = Período
dashboard-days = { $days } dias
dashboard-all = Todos
dashboard-segment = Segmento
dashboard-window = De { $from } a { $to },
dashboard-compared = em comparação com os { $days } dias anteriores.
dashboard-change = { $change } em relação ao período anterior
