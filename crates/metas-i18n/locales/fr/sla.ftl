## Objectifs de délai (SLA) : la page, ses sections, l’éditeur de politiques
# Le lien de la navigation vers la page.
nav-sla = Objectifs de délai
sla-title = Objectifs de délai
sla-intro = Le temps pris par chaque étape d’une demande, comparé à sa cible : le respect par étape et par mois, les étapes en dépassement, celles à risque maintenant, et les politiques qui fixent les cibles.
sla-sections = Sur cette page
sla-as-of = À la date du (UTC)
sla-as-of-now = Au { $instant } UTC.
sla-no-policy = Aucun objectif de délai n’est encore défini : il n’y a rien à juger. Une politique dit quelles interactions elle couvre et fixe une cible par étape.
sla-no-policy-editor = Partez de l’exemple ci-dessous : nommez-le, ajustez les cibles, enregistrez.
sla-no-policy-ask = Demandez à un manager ou à un administrateur d’en définir une.

## Respect
sla-attainment = Respect par étape
sla-attainment-intro = Étapes respectées parmi les étapes échues (respectées ou en dépassement), pour les interactions créées dans la période ; les étapes en cours, en pause, non applicables ou non mesurables ne sont pas comptées.
sla-stage = Étape
sla-over-time = Respect par mois
sla-chart-stages-title = Respect des SLA par étape, trié par valeur
sla-chart-months-title = Respect des SLA par étape, par mois
sla-open-explorer = Ouvrir dans l’explorateur de KPI
sla-monthly-table = Les chiffres par mois sous forme de tableau

## Dépassements et étapes à risque
sla-breaches = Dépassements
sla-breaches-intro = Étapes terminées en retard, ou encore ouvertes après leur échéance, les plus récentes d’abord.
sla-no-breaches = Aucune étape n’est en dépassement.
sla-at-risk = À risque maintenant
sla-at-risk-intro = Étapes ouvertes qui ont passé leur seuil d’alerte sans être encore en dépassement, le moins de temps restant d’abord.
sla-no-at-risk = Aucune étape ouverte n’est à risque.
sla-shown-first = Les { $shown } premières sont affichées ; le CSV les contient toutes.
sla-breaches-csv = Télécharger les dépassements (CSV)
sla-external-id = Interaction
sla-policy = Politique
sla-policy-version = { $name } v{ $version }
sla-started = Début (UTC)
sla-took = Durée
sla-target = Cible
sla-due = Échéance (UTC)
sla-left = Temps restant
sla-still-open = encore ouverte
sla-took-of = { $took } sur { $target }
sla-that-day = ce jour-là
sla-that-day-title = Les interactions avec cette étape créées ce jour-là, avec tous leurs indicateurs

## Politiques
sla-policies = Politiques en vigueur
sla-policies-intro = Les politiques sont essayées dans leur ordre ; la première dont une interaction remplit les conditions fixe ses cibles. Enregistrer une politique crée une nouvelle version et juge à nouveau toutes les interactions.
sla-order = Ordre
sla-name = Nom
sla-where = Conditions
sla-calendar = Calendrier
sla-targets = Cibles
sla-every-interaction = toutes les interactions
sla-calendar-time = temps calendaire (24 h/24, 7 j/7)
sla-pause-on = En pause pendant : { $statuses }
sla-warning = À risque dès { $share } de la cible
sla-versions = Versions
sla-version-line = Version { $version }, enregistrée le { $when } UTC par { $who }
sla-version-retired = retirée le { $when } UTC
sla-version-in-force = en vigueur
sla-edit = Modifier
sla-policy-toml = Politique (TOML)
sla-save = Enregistrer une nouvelle version
sla-delete = Retirer cette politique
sla-new-policy = Une nouvelle politique
sla-saved = Politique { $name } enregistrée en version { $version } ; { $stages } étapes de { $interactions } interactions jugées.
sla-deleted = Politique { $name } retirée ; { $stages } étapes de { $interactions } interactions jugées à nouveau.
sla-policy-error = Non enregistrée : { $detail }

## Ce que signifient les étapes et les états
sla-definitions = Ce que signifient les étapes et les états
sla-states = États
sla-stage-acknowledge = Prise en compte
sla-stage-acknowledge-desc = De la création à la première réponse d’un conseiller.
sla-stage-next-response = Réponse suivante
sla-stage-next-response-desc = De chaque message du client après une réponse du conseiller à la réponse suivante du conseiller.
sla-stage-problem-defined = Problème qualifié
sla-stage-problem-defined-desc = De la création à la première affectation, ou à la première entrée dans le statut que nomme la politique.
sla-stage-first-resolution = Première résolution
sla-stage-first-resolution-desc = De la création à la première résolution.
sla-stage-resolution = Résolution
sla-stage-resolution-desc = De la création à la résolution finale.
sla-stage-confirmation = Confirmation
sla-stage-confirmation-desc = De la résolution à la confirmation du client.
sla-stage-completion = Clôture
sla-stage-completion-desc = De la création à la clôture.
sla-stage-queue-wait = Attente en file
sla-stage-queue-wait-desc = De l’entrée en file à la prise d’appel (téléphone).
sla-stage-live-person = Accès à une personne
sla-stage-live-person-desc = Du début d’un contact automatisé à l’arrivée auprès d’une personne.
sla-state-met = respectée
sla-state-met-desc = Terminée dans la cible.
sla-state-breached = en dépassement
sla-state-breached-desc = Terminée en retard, ou encore ouverte au-delà de la cible.
sla-state-pending = en cours
sla-state-pending-desc = Encore ouverte et dans la cible.
sla-state-paused = en pause
sla-state-paused-desc = Dans la cible, son horloge arrêtée par un statut de pause.
sla-state-not-applicable = non applicable
sla-state-not-applicable-desc = L’étape ne concerne pas cette interaction, ou celle-ci s’est terminée dans la cible sans en avoir besoin.
sla-state-not-measurable = non mesurable
sla-state-not-measurable-desc = La source ne contient aucune donnée pour cette étape ; jamais comptée comme respectée ni manquée.
