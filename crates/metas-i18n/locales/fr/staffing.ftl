## Staffing: the calculator and a queue's observed week on the Time objectives page
staffing-title = Effectifs
staffing-intro = Combien d’agents demande un objectif tel que 80 % des appels répondus en 20 secondes (Erlang C), combien cela en met au planning une fois la réduction d’effectif couverte, et ce qu’ils coûtent. Donnez vos propres chiffres (le calculateur) ou nommez une file pour en doter la semaine d’après ses appels.
staffing-service-level = Niveau de service (%/s)
staffing-shrinkage = Réduction d’effectif
staffing-max-occupancy = Occupation maximale
staffing-cost-per-hour = Coût par heure d’agent
staffing-aht-field = Durée de traitement (DMT)
staffing-calculator = Le calculateur : vos chiffres
staffing-arrivals = Appels
staffing-per = par
staffing-agents-field = Agents (facultatif)
staffing-hours-per-week = Heures par semaine
staffing-observed = Les appels observés d’une file
staffing-queue = File (where)
staffing-queue-from = Premier jour
staffing-queue-to = Dernier jour
staffing-timezone = Fuseau horaire
staffing-submit = Calculer les effectifs
staffing-form-help = Appels et durée de traitement pour le calculateur ; une file pour sa semaine observée (sa durée de traitement est mesurée si elle n’est pas donnée).
staffing-error = Sans réponse : { $detail }
staffing-json = La même chose en JSON (API)
staffing-definitions = Erlang C suppose que les appels arrivent au hasard, que chacun attend d’être répondu et que chaque demi-heure est stable (docs/staffing.md).
staffing-curve-table = La courbe sous forme de tableau
staffing-targets = Ce que coûtent quelques points
staffing-half-hours-table = Les { $count } demi-heures de la semaine sous forme de tableau
staffing-half-hour = { $day ->
    [monday] lun.
    [tuesday] mar.
    [wednesday] mer.
    [thursday] jeu.
    [friday] ven.
    [saturday] sam.
   *[sunday] dim.
} { $time }

## The answer
staffing-traffic = Trafic offert
staffing-erlangs = { $value } erlangs
staffing-agents-needed = Agents nécessaires
staffing-agents-most = Agents nécessaires (la demi-heure la plus chargée)
staffing-bound-by = Fixé par
staffing-bound-service-level = le niveau de service
staffing-bound-occupancy = l’occupation maximale
staffing-agents-asked = Agents demandés
staffing-rota = Agents au planning (réduction { $shrinkage })
staffing-predicted-level = Niveau de service prévu
staffing-level = Niveau de service
staffing-level-within = { $level } répondus en { $within }
staffing-asa = Délai moyen de réponse
staffing-occupancy = Occupation
staffing-wait = Appels qui attendent
staffing-cost-hour = Coût par heure
staffing-cost-week = Coût par semaine ({ $hours } h)
staffing-not-reachable-short = aucun : inatteignable à cette occupation
staffing-not-reachable = Inatteignable à cette occupation : { $agents } agents ne suivent pas { $traffic } erlangs de trafic, la file croît sans fin ; il faut au moins { $steady } agents pour un régime stable.
staffing-misses = { $agents } agents manquent l’objectif { $objective } ; il en faut { $needed }.
staffing-occupancy-sets = L’occupation maximale de { $max } fixe les agents nécessaires : le niveau de service seul en demande { $level_agents }.
staffing-abandonment-caveat = Erlang C suppose que chacun attend d’être répondu ; là où l’on raccroche, il demande plus d’agents qu’il n’en faut.
staffing-abandonment-high = { $rate } des appels offerts ont été abandonnés : Erlang C suppose que chacun attend d’être répondu, il surestime donc les agents nécessaires là où l’on raccroche.
staffing-period = Période
staffing-period-value = du { $from } au { $to } ({ $weeks } semaines), { $zone }
staffing-calls = Appels sur la période
staffing-aht = Durée de traitement
staffing-aht-given = { $aht } (donnée)
staffing-aht-observed = { $aht } (la moyenne de { $calls } appels répondus)
staffing-week-calls = Appels par semaine
staffing-agent-hours = Heures d’agent par semaine
staffing-agent-hours-value = { $hours } ({ $rota } au planning)
staffing-open-hours = Heures d’ouverture par semaine
staffing-observed-level = Niveau de service observé
staffing-abandoned = Abandonnés
staffing-cost-week-observed = Coût par semaine
staffing-cost-open-hour = Coût par heure d’ouverture
staffing-half-hour-column = Demi-heure
staffing-calls-column = Appels
staffing-agents-column = Agents
staffing-rota-column = Au planning
staffing-rota-hours = Heures au planning
staffing-objective = Objectif
staffing-objective-asked = { $objective } (demandé)
staffing-chosen-mark = ← choisi
staffing-misses-mark = manque l’objectif

## The curve
staffing-curve-title = Niveau de service et coût horaire selon le nombre d’agents
staffing-curve-busiest-title = Niveau de service et coût horaire selon le nombre d’agents, { $half_hour } (la demi-heure la plus chargée)
staffing-curve-desc = De { $first } à { $last } agents, le niveau de service passe de { $low } à { $high } ; l’objectif est { $target }. Le tableau ci-dessous donne tous les chiffres.
staffing-curve-chosen-desc = Les effectifs choisis, { $agents } agents, donnent { $level }.
staffing-curve-agents-axis = Agents prenant des appels
staffing-curve-chosen = { $agents } agents
staffing-curve-point = { $agents } agents : niveau de service { $level }, DMR { $asa }, occupation { $occupancy }
staffing-curve-cost-point = { $agents } agents : { $cost } par heure
staffing-curve-level-legend = niveau de service (axe de gauche)
staffing-curve-cost-legend = coût par heure (axe de droite)
staffing-curve-objective-legend = objectif { $target }
