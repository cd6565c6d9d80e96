## Staffing: the calculator and a queue's observed week on the Time objectives page
staffing-title = Dimensionamento
staffing-intro = Quantos agentes um objetivo como 80 % das chamadas atendidas em 20 segundos exige (Erlang C), quantos isso põe na escala depois de cobrir as ausências, e quanto custam. Dê os seus próprios números (a calculadora) ou indique uma fila para dimensionar a sua semana a partir das chamadas.
staffing-service-level = Nível de serviço (%/s)
staffing-shrinkage = Ausências (shrinkage)
staffing-max-occupancy = Ocupação máxima
staffing-cost-per-hour = Custo por hora de agente
staffing-aht-field = Tempo de atendimento (TMA)
staffing-calculator = A calculadora: números que você dá
staffing-arrivals = Chamadas
staffing-per = por
staffing-agents-field = Agentes (opcional)
staffing-hours-per-week = Horas por semana
staffing-observed = As chamadas observadas de uma fila
staffing-queue = Fila (where)
staffing-queue-from = Primeiro dia
staffing-queue-to = Último dia
staffing-timezone = Fuso horário
staffing-submit = Calcular o dimensionamento
staffing-form-help = Chamadas e tempo de atendimento para a calculadora; uma fila para a sua semana observada (o tempo de atendimento é medido se não for dado).
staffing-error = Sem resposta: { $detail }
staffing-json = O mesmo em JSON (API)
staffing-definitions = Erlang C supõe que as chamadas chegam ao acaso, que todos esperam até serem atendidos e que cada meia hora é estável (docs/staffing.md).
staffing-curve-table = A curva como tabela
staffing-targets = Quanto custam alguns pontos
staffing-half-hours-table = As { $count } meias horas da semana como tabela
staffing-half-hour = { $day ->
    [monday] seg
    [tuesday] ter
    [wednesday] qua
    [thursday] qui
    [friday] sex
    [saturday] sáb
   *[sunday] dom
} { $time }

## The answer
staffing-traffic = Tráfego oferecido
staffing-erlangs = { $value } erlangs
staffing-agents-needed = Agentes necessários
staffing-agents-most = Agentes necessários (a meia hora de maior carga)
staffing-bound-by = Definido por
staffing-bound-service-level = o nível de serviço
staffing-bound-occupancy = a ocupação máxima
staffing-agents-asked = Agentes consultados
staffing-rota = Agentes na escala (ausências { $shrinkage })
staffing-predicted-level = Nível de serviço previsto
staffing-level = Nível de serviço
staffing-level-within = { $level } atendidas em { $within }
staffing-asa = Velocidade média de atendimento
staffing-occupancy = Ocupação
staffing-wait = Chamadas que esperam
staffing-cost-hour = Custo por hora
staffing-cost-week = Custo por semana ({ $hours } h)
staffing-not-reachable-short = nenhum: inalcançável com esta ocupação
staffing-not-reachable = Inalcançável com esta ocupação: { $agents } agentes não dão conta de { $traffic } erlangs de tráfego, e a fila cresce sem fim; são precisos pelo menos { $steady } agentes para um estado estável.
staffing-misses = { $agents } agentes não atingem o objetivo { $objective }; são precisos { $needed }.
staffing-occupancy-sets = A ocupação máxima de { $max } define os agentes necessários: só o nível de serviço precisa de { $level_agents }.
staffing-abandonment-caveat = Erlang C supõe que todos esperam até serem atendidos; onde as pessoas desligam, pede mais agentes do que os necessários.
staffing-abandonment-high = { $rate } das chamadas oferecidas foram abandonadas: Erlang C supõe que todos esperam até serem atendidos, por isso onde as pessoas desligam sobrestima os agentes necessários.
staffing-period = Período
staffing-period-value = de { $from } a { $to } ({ $weeks } semanas), { $zone }
staffing-calls = Chamadas no período
staffing-aht = Tempo de atendimento
staffing-aht-given = { $aht } (dado)
staffing-aht-observed = { $aht } (a média de { $calls } chamadas atendidas)
staffing-week-calls = Chamadas por semana
staffing-agent-hours = Horas de agente por semana
staffing-agent-hours-value = { $hours } ({ $rota } na escala)
staffing-open-hours = Horas abertas por semana
staffing-observed-level = Nível de serviço observado
staffing-abandoned = Abandonadas
staffing-cost-week-observed = Custo por semana
staffing-cost-open-hour = Custo por hora aberta
staffing-half-hour-column = Meia hora
staffing-calls-column = Chamadas
staffing-agents-column = Agentes
staffing-rota-column = Na escala
staffing-rota-hours = Horas na escala
staffing-objective = Objetivo
staffing-objective-asked = { $objective } (pedido)
staffing-chosen-mark = ← escolhido
staffing-misses-mark = não atinge o objetivo

## The curve
staffing-curve-title = Nível de serviço e custo por hora segundo o número de agentes
staffing-curve-busiest-title = Nível de serviço e custo por hora segundo o número de agentes, { $half_hour } (a meia hora de maior carga)
staffing-curve-desc = De { $first } a { $last } agentes o nível de serviço sobe de { $low } para { $high }; o objetivo é { $target }. A tabela abaixo tem todos os números.
staffing-curve-chosen-desc = O dimensionamento escolhido, { $agents } agentes, dá { $level }.
staffing-curve-agents-axis = Agentes a atender chamadas
staffing-curve-chosen = { $agents } agentes
staffing-curve-point = { $agents } agentes: nível de serviço { $level }, ASA { $asa }, ocupação { $occupancy }
staffing-curve-cost-point = { $agents } agentes: { $cost } por hora
staffing-curve-level-legend = nível de serviço (eixo esquerdo)
staffing-curve-cost-legend = custo por hora (eixo direito)
staffing-curve-objective-legend = objetivo { $target }
