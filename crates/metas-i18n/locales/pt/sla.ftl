## Objetivos de tempo (SLA): a página, as suas seções, o editor de políticas
# O link da navegação para a página.
nav-sla = Objetivos de tempo
sla-title = Objetivos de tempo
sla-intro = Quanto tempo cada etapa de uma solicitação levou em relação à sua meta: o cumprimento por etapa e por mês, as etapas violadas, as que estão em risco agora e as políticas que definem as metas.
sla-sections = Nesta página
sla-as-of = Na data de (UTC)
sla-as-of-now = Em { $instant } UTC.
sla-no-policy = Ainda não há nenhum objetivo de tempo definido, então não há nada a julgar. Uma política diz quais interações cobre e uma meta para cada etapa.
sla-no-policy-editor = Comece pelo exemplo abaixo: dê um nome, ajuste as metas e salve.
sla-no-policy-ask = Peça a um gerente ou a um administrador que defina uma.

## Cumprimento
sla-attainment = Cumprimento por etapa
sla-attainment-intro = Etapas cumpridas entre as etapas devidas (cumpridas ou violadas), das interações criadas no período; etapas pendentes, pausadas, não aplicáveis e não mensuráveis não são contadas.
sla-stage = Etapa
sla-over-time = Cumprimento por mês
sla-chart-stages-title = Cumprimento do SLA por etapa, ordenado por valor
sla-chart-months-title = Cumprimento do SLA por etapa, por mês
sla-open-explorer = Abrir no explorador de KPI
sla-monthly-table = Os números por mês em uma tabela

## Violações e etapas em risco
sla-breaches = Violações
sla-breaches-intro = Etapas concluídas com atraso, ou ainda abertas após o prazo, as mais recentes primeiro.
sla-no-breaches = Nenhuma etapa está violada.
sla-at-risk = Em risco agora
sla-at-risk-intro = Etapas abertas que passaram do limite de alerta e ainda não foram violadas, as com menos tempo restante primeiro.
sla-no-at-risk = Nenhuma etapa aberta está em risco.
sla-shown-first = As { $shown } primeiras são mostradas; o CSV tem todas.
sla-breaches-csv = Baixar as violações (CSV)
sla-external-id = Interação
sla-policy = Política
sla-policy-version = { $name } v{ $version }
sla-started = Início (UTC)
sla-took = Duração
sla-target = Meta
sla-due = Prazo (UTC)
sla-left = Tempo restante
sla-still-open = ainda aberta
sla-took-of = { $took } de { $target }
sla-that-day = nesse dia
sla-that-day-title = As interações com esta etapa criadas nesse dia, com todas as métricas

## Políticas
sla-policies = Políticas em vigor
sla-policies-intro = As políticas são testadas na sua ordem; a primeira cujas condições uma interação atende define as suas metas. Salvar uma política cria uma nova versão e julga de novo todas as interações.
sla-order = Ordem
sla-name = Nome
sla-where = Condições
sla-calendar = Calendário
sla-targets = Metas
sla-every-interaction = todas as interações
sla-calendar-time = tempo de calendário (24/7)
sla-pause-on = Pausada enquanto: { $statuses }
sla-warning = Em risco a partir de { $share } da meta
sla-versions = Versões
sla-version-line = Versão { $version }, salva em { $when } UTC por { $who }
sla-version-retired = retirada em { $when } UTC
sla-version-in-force = em vigor
sla-edit = Editar
sla-policy-toml = Política (TOML)
sla-save = Salvar como nova versão
sla-delete = Retirar esta política
sla-new-policy = Uma nova política
sla-saved = Política { $name } salva como versão { $version }; { $stages } etapas de { $interactions } interações julgadas.
sla-deleted = Política { $name } retirada; { $stages } etapas de { $interactions } interações julgadas de novo.
sla-policy-error = Não salva: { $detail }

## O que significam as etapas e os estados
sla-definitions = O que significam as etapas e os estados
sla-states = Estados
sla-stage-acknowledge = Confirmação de recebimento
sla-stage-acknowledge-desc = Da criação à primeira resposta de um agente.
sla-stage-next-response = Próxima resposta
sla-stage-next-response-desc = De cada mensagem do cliente após uma resposta do agente até a próxima resposta do agente.
sla-stage-problem-defined = Problema definido
sla-stage-problem-defined-desc = Da criação à primeira atribuição, ou à primeira entrada no status que a política nomeia.
sla-stage-first-resolution = Primeira resolução
sla-stage-first-resolution-desc = Da criação à primeira resolução.
sla-stage-resolution = Resolução
sla-stage-resolution-desc = Da criação à resolução final.
sla-stage-confirmation = Confirmação
sla-stage-confirmation-desc = Da resolução à confirmação do cliente.
sla-stage-completion = Encerramento
sla-stage-completion-desc = Da criação ao encerramento.
sla-stage-queue-wait = Espera na fila
sla-stage-queue-wait-desc = Da entrada na fila ao atendimento (chamadas).
sla-stage-live-person = Atendimento humano
sla-stage-live-person-desc = Do início de um contato automatizado até chegar a uma pessoa.
sla-state-met = cumprida
sla-state-met-desc = Concluída dentro da meta.
sla-state-breached = violada
sla-state-breached-desc = Concluída com atraso, ou ainda aberta além da meta.
sla-state-pending = pendente
sla-state-pending-desc = Ainda aberta e dentro da meta.
sla-state-paused = pausada
sla-state-paused-desc = Dentro da meta, com o relógio parado por um status de pausa.
sla-state-not-applicable = não aplicável
sla-state-not-applicable-desc = A etapa não diz respeito a esta interação, ou ela terminou dentro da meta sem precisar dela.
sla-state-not-measurable = não mensurável
sla-state-not-measurable-desc = A origem não tem dados para esta etapa; nunca é contada como cumprida nem como violada.
