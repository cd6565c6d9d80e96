## Staffing: the calculator and a queue's observed week on the Time objectives page
staffing-title = Dotación
staffing-intro = Cuántos agentes necesita un objetivo como el 80 % de las llamadas atendidas en 20 segundos (Erlang C), cuántos pone eso en el turno una vez cubierta la merma, y cuánto cuestan. Dé sus propias cifras (la calculadora) o indique una cola para dotar su semana a partir de sus llamadas.
staffing-service-level = Nivel de servicio (%/s)
staffing-shrinkage = Merma
staffing-max-occupancy = Ocupación máxima
staffing-cost-per-hour = Coste por hora de agente
staffing-aht-field = Tiempo de gestión (AHT)
staffing-calculator = La calculadora: cifras que usted da
staffing-arrivals = Llamadas
staffing-per = por
staffing-agents-field = Agentes (opcional)
staffing-hours-per-week = Horas por semana
staffing-observed = Las llamadas observadas de una cola
staffing-queue = Cola (where)
staffing-queue-from = Primer día
staffing-queue-to = Último día
staffing-timezone = Zona horaria
staffing-submit = Calcular la dotación
staffing-form-help = Llamadas y tiempo de gestión para la calculadora; una cola para su semana observada (su tiempo de gestión se mide si no se da).
staffing-error = Sin respuesta: { $detail }
staffing-json = Lo mismo en JSON (API)
staffing-definitions = Erlang C supone que las llamadas llegan al azar, que todos esperan hasta ser atendidos y que cada media hora es estable (docs/staffing.md).
staffing-curve-table = La curva como tabla
staffing-targets = Lo que cuestan unos puntos
staffing-half-hours-table = Las { $count } medias horas de la semana como tabla
staffing-half-hour = { $day ->
    [monday] lun
    [tuesday] mar
    [wednesday] mié
    [thursday] jue
    [friday] vie
    [saturday] sáb
   *[sunday] dom
} { $time }

## The answer
staffing-traffic = Tráfico ofrecido
staffing-erlangs = { $value } erlangs
staffing-agents-needed = Agentes necesarios
staffing-agents-most = Agentes necesarios (la media hora de más carga)
staffing-bound-by = Fijado por
staffing-bound-service-level = el nivel de servicio
staffing-bound-occupancy = la ocupación máxima
staffing-agents-asked = Agentes consultados
staffing-rota = Agentes en el turno (merma { $shrinkage })
staffing-predicted-level = Nivel de servicio previsto
staffing-level = Nivel de servicio
staffing-level-within = { $level } atendidas en { $within }
staffing-asa = Velocidad media de respuesta
staffing-occupancy = Ocupación
staffing-wait = Llamadas que esperan
staffing-cost-hour = Coste por hora
staffing-cost-week = Coste por semana ({ $hours } h)
staffing-not-reachable-short = ninguno: inalcanzable con esta ocupación
staffing-not-reachable = Inalcanzable con esta ocupación: { $agents } agentes no pueden con { $traffic } erlangs de tráfico, así que la cola crece sin fin; se necesitan al menos { $steady } agentes para un estado estable.
staffing-misses = { $agents } agentes no alcanzan el objetivo { $objective }; necesita { $needed }.
staffing-occupancy-sets = La ocupación máxima del { $max } fija los agentes necesarios: el nivel de servicio solo necesita { $level_agents }.
staffing-abandonment-caveat = Erlang C supone que todos esperan hasta ser atendidos; donde la gente cuelga, pide más agentes de los necesarios.
staffing-abandonment-high = Se abandonó el { $rate } de las llamadas ofrecidas: Erlang C supone que todos esperan hasta ser atendidos, así que donde la gente cuelga sobrestima los agentes necesarios.
staffing-period = Periodo
staffing-period-value = del { $from } al { $to } ({ $weeks } semanas), { $zone }
staffing-calls = Llamadas en el periodo
staffing-aht = Tiempo de gestión
staffing-aht-given = { $aht } (dado)
staffing-aht-observed = { $aht } (la media de { $calls } llamadas atendidas)
staffing-week-calls = Llamadas por semana
staffing-agent-hours = Horas de agente por semana
staffing-agent-hours-value = { $hours } ({ $rota } en el turno)
staffing-open-hours = Horas abiertas por semana
staffing-observed-level = Nivel de servicio observado
staffing-abandoned = Abandonadas
staffing-cost-week-observed = Coste por semana
staffing-cost-open-hour = Coste por hora abierta
staffing-half-hour-column = Media hora
staffing-calls-column = Llamadas
staffing-agents-column = Agentes
staffing-rota-column = En el turno
staffing-rota-hours = Horas de turno
staffing-objective = Objetivo
staffing-objective-asked = { $objective } (pedido)
staffing-chosen-mark = ← elegido
staffing-misses-mark = no alcanza el objetivo

## The curve
staffing-curve-title = Nivel de servicio y coste por hora según el número de agentes
staffing-curve-busiest-title = Nivel de servicio y coste por hora según el número de agentes, { $half_hour } (la media hora de más carga)
staffing-curve-desc = De { $first } a { $last } agentes el nivel de servicio sube de { $low } a { $high }; el objetivo es { $target }. La tabla de abajo tiene todas las cifras.
staffing-curve-chosen-desc = La dotación elegida, { $agents } agentes, da { $level }.
staffing-curve-agents-axis = Agentes atendiendo llamadas
staffing-curve-chosen = { $agents } agentes
staffing-curve-point = { $agents } agentes: nivel de servicio { $level }, ASA { $asa }, ocupación { $occupancy }
staffing-curve-cost-point = { $agents } agentes: { $cost } por hora
staffing-curve-level-legend = nivel de servicio (eje izquierdo)
staffing-curve-cost-legend = coste por hora (eje derecho)
staffing-curve-objective-legend = objetivo { $target }
