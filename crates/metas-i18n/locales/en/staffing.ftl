## Staffing: the calculator and a queue's observed week on the Time objectives page
staffing-title = Staffing
staffing-intro = How many agents an objective such as 80 % of calls answered within 20 seconds needs (Erlang C), how many that puts on the rota once shrinkage is covered, and what they cost. Give your own figures (the calculator) or name a queue to staff its week from its calls.
staffing-service-level = Service level (%/s)
staffing-shrinkage = Shrinkage
staffing-max-occupancy = Maximum occupancy
staffing-cost-per-hour = Cost per agent-hour
staffing-aht-field = Handle time (AHT)
staffing-calculator = The calculator: figures you give
staffing-arrivals = Calls
staffing-per = per
staffing-agents-field = Agents (optional)
staffing-hours-per-week = Hours per week
staffing-observed = A queue's observed calls
staffing-queue = Queue (where)
staffing-queue-from = First day
staffing-queue-to = Last day
staffing-timezone = Time zone
staffing-submit = Work out the staffing
staffing-form-help = Calls and handle time for the calculator; a queue for its observed week (its handle time is measured unless given).
staffing-error = Not answered: { $detail }
staffing-json = The same as JSON (API)
staffing-definitions = Erlang C assumes calls arrive at random, every caller waits until answered, and each half-hour is steady (docs/staffing.md).
staffing-curve-table = The curve as a table
staffing-targets = What a few points cost
staffing-half-hours-table = The week's { $count } half-hours as a table
staffing-half-hour = { $day ->
    [monday] Mon
    [tuesday] Tue
    [wednesday] Wed
    [thursday] Thu
    [friday] Fri
    [saturday] Sat
   *[sunday] Sun
} { $time }

## The answer
staffing-traffic = Offered traffic
staffing-erlangs = { $value } Erlangs
staffing-agents-needed = Agents needed
staffing-agents-most = Agents needed (the busiest half-hour)
staffing-bound-by = Set by
staffing-bound-service-level = the service level
staffing-bound-occupancy = the maximum occupancy
staffing-agents-asked = Agents asked about
staffing-rota = Agents on the rota (shrinkage { $shrinkage })
staffing-predicted-level = Predicted service level
staffing-level = Service level
staffing-level-within = { $level } answered within { $within }
staffing-asa = Average speed of answer
staffing-occupancy = Occupancy
staffing-wait = Calls that wait
staffing-cost-hour = Cost per hour
staffing-cost-week = Cost per week ({ $hours } h)
staffing-not-reachable-short = none: not reachable at this occupancy
staffing-not-reachable = Not reachable at this occupancy: { $agents } agents cannot keep up with { $traffic } Erlangs of traffic, so the queue grows without end; at least { $steady } agents are needed for a steady state.
staffing-misses = { $agents } agents miss the objective { $objective }; it needs { $needed }.
staffing-occupancy-sets = The maximum occupancy of { $max } sets the agents needed: the service level alone needs { $level_agents }.
staffing-abandonment-caveat = Erlang C assumes every caller waits until answered; where callers hang up, it asks for more agents than are needed.
staffing-abandonment-high = { $rate } of the calls offered were abandoned: Erlang C assumes every caller waits until answered, so where callers hang up it overstates the agents needed.
staffing-period = Period
staffing-period-value = { $from } to { $to } ({ $weeks } weeks), { $zone }
staffing-calls = Calls in the period
staffing-aht = Handle time
staffing-aht-given = { $aht } (given)
staffing-aht-observed = { $aht } (the mean of { $calls } answered calls)
staffing-week-calls = Calls in a week
staffing-agent-hours = Agent-hours a week
staffing-agent-hours-value = { $hours } ({ $rota } on the rota)
staffing-open-hours = Open hours a week
staffing-observed-level = Observed service level
staffing-abandoned = Abandoned
staffing-cost-week-observed = Cost per week
staffing-cost-open-hour = Cost per open hour
staffing-half-hour-column = Half-hour
staffing-calls-column = Calls
staffing-agents-column = Agents
staffing-rota-column = On the rota
staffing-rota-hours = Rota hours
staffing-objective = Objective
staffing-objective-asked = { $objective } (asked)
staffing-chosen-mark = ← chosen
staffing-misses-mark = misses the objective

## The curve
staffing-curve-title = Service level and cost per hour against the number of agents
staffing-curve-busiest-title = Service level and cost per hour against the number of agents, { $half_hour } (the busiest half-hour)
staffing-curve-desc = From { $first } to { $last } agents the service level rises from { $low } to { $high }; the objective is { $target }. The table below has every figure.
staffing-curve-chosen-desc = The staffing chosen, { $agents } agents, gives { $level }.
staffing-curve-agents-axis = Agents taking calls
staffing-curve-chosen = { $agents } agents
staffing-curve-point = { $agents } agents: service level { $level }, ASA { $asa }, occupancy { $occupancy }
staffing-curve-cost-point = { $agents } agents: { $cost } per hour
staffing-curve-level-legend = service level (left axis)
staffing-curve-cost-legend = cost per hour (right axis)
staffing-curve-objective-legend = objective { $target }
