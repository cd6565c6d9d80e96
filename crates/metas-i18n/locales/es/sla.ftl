## Objetivos de tiempo (SLA): la página, sus secciones, el editor de políticas
# El enlace de la navegación a la página.
nav-sla = Objetivos de tiempo
sla-title = Objetivos de tiempo
sla-intro = Cuánto tardó cada etapa de una solicitud frente a su objetivo: el cumplimiento por etapa y por mes, las etapas incumplidas, las que están en riesgo ahora y las políticas que fijan los objetivos.
sla-sections = En esta página
sla-as-of = A fecha de (UTC)
sla-as-of-now = A { $instant } UTC.
sla-no-policy = Todavía no hay ningún objetivo de tiempo definido, así que no hay nada que juzgar. Una política indica qué interacciones cubre y un objetivo para cada etapa.
sla-no-policy-editor = Parta del ejemplo de abajo: póngale nombre, ajuste los objetivos y guarde.
sla-no-policy-ask = Pida a un responsable o a un administrador que defina una.

## Cumplimiento
sla-attainment = Cumplimiento por etapa
sla-attainment-intro = Etapas cumplidas sobre etapas exigibles (cumplidas o incumplidas), de las interacciones creadas en el periodo; las etapas pendientes, en pausa, no aplicables y no medibles no se cuentan.
sla-stage = Etapa
sla-over-time = Cumplimiento por mes
sla-chart-stages-title = Cumplimiento del SLA por etapa, ordenado por valor
sla-chart-months-title = Cumplimiento del SLA por etapa, por mes
sla-open-explorer = Abrir en el explorador de KPI
sla-monthly-table = Las cifras por mes en una tabla

## Incumplimientos y etapas en riesgo
sla-breaches = Incumplimientos
sla-breaches-intro = Etapas terminadas tarde, o aún abiertas después de su vencimiento, las más recientes primero.
sla-no-breaches = Ninguna etapa está incumplida.
sla-at-risk = En riesgo ahora
sla-at-risk-intro = Etapas abiertas que han pasado su umbral de aviso sin estar aún incumplidas, las de menos tiempo restante primero.
sla-no-at-risk = Ninguna etapa abierta está en riesgo.
sla-shown-first = Se muestran las { $shown } primeras; el CSV las tiene todas.
sla-breaches-csv = Descargar los incumplimientos (CSV)
sla-external-id = Interacción
sla-policy = Política
sla-policy-version = { $name } v{ $version }
sla-started = Inicio (UTC)
sla-took = Duración
sla-target = Objetivo
sla-due = Vencimiento (UTC)
sla-left = Tiempo restante
sla-still-open = aún abierta
sla-took-of = { $took } de { $target }
sla-that-day = ese día
sla-that-day-title = Las interacciones con esta etapa creadas ese día, con todas sus métricas

## Políticas
sla-policies = Políticas vigentes
sla-policies-intro = Las políticas se prueban en su orden; la primera cuyas condiciones cumple una interacción fija sus objetivos. Guardar una política crea una versión nueva y vuelve a juzgar todas las interacciones.
sla-order = Orden
sla-name = Nombre
sla-where = Condiciones
sla-calendar = Calendario
sla-targets = Objetivos
sla-every-interaction = todas las interacciones
sla-calendar-time = tiempo de calendario (24/7)
sla-pause-on = En pausa mientras: { $statuses }
sla-warning = En riesgo desde el { $share } del objetivo
sla-versions = Versiones
sla-version-line = Versión { $version }, guardada el { $when } UTC por { $who }
sla-version-retired = retirada el { $when } UTC
sla-version-in-force = vigente
sla-edit = Editar
sla-policy-toml = Política (TOML)
sla-save = Guardar como versión nueva
sla-delete = Retirar esta política
sla-new-policy = Una política nueva
sla-saved = Política { $name } guardada como versión { $version }; { $stages } etapas de { $interactions } interacciones juzgadas.
sla-deleted = Política { $name } retirada; { $stages } etapas de { $interactions } interacciones juzgadas de nuevo.
sla-policy-error = No se guardó: { $detail }

## Qué significan las etapas y los estados
sla-definitions = Qué significan las etapas y los estados
sla-states = Estados
sla-stage-acknowledge = Acuse de recibo
sla-stage-acknowledge-desc = De la creación a la primera respuesta de un agente.
sla-stage-next-response = Siguiente respuesta
sla-stage-next-response-desc = De cada mensaje del cliente tras una respuesta del agente a la siguiente respuesta del agente.
sla-stage-problem-defined = Problema definido
sla-stage-problem-defined-desc = De la creación a la primera asignación, o a la primera entrada en el estado que nombra la política.
sla-stage-first-resolution = Primera resolución
sla-stage-first-resolution-desc = De la creación a la primera resolución.
sla-stage-resolution = Resolución
sla-stage-resolution-desc = De la creación a la resolución final.
sla-stage-confirmation = Confirmación
sla-stage-confirmation-desc = De la resolución a la confirmación del cliente.
sla-stage-completion = Cierre
sla-stage-completion-desc = De la creación al cierre.
sla-stage-queue-wait = Espera en cola
sla-stage-queue-wait-desc = De la entrada en la cola a la respuesta (llamadas).
sla-stage-live-person = Atención por una persona
sla-stage-live-person-desc = Del inicio de un contacto automatizado a llegar a una persona.
sla-state-met = cumplida
sla-state-met-desc = Terminada dentro del objetivo.
sla-state-breached = incumplida
sla-state-breached-desc = Terminada tarde, o aún abierta pasado el objetivo.
sla-state-pending = pendiente
sla-state-pending-desc = Aún abierta y dentro del objetivo.
sla-state-paused = en pausa
sla-state-paused-desc = Dentro del objetivo, con el reloj detenido por un estado de pausa.
sla-state-not-applicable = no aplicable
sla-state-not-applicable-desc = La etapa no afecta a esta interacción, o esta terminó dentro del objetivo sin necesitarla.
sla-state-not-measurable = no medible
sla-state-not-measurable-desc = El origen no tiene datos para esta etapa; nunca se cuenta como cumplida ni como incumplida.
