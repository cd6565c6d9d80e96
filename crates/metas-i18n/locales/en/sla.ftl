## Time objectives (SLA): the page, its sections, the policy editor
# The navigation's link to the page.
nav-sla = Time objectives
sla-title = Time objectives
sla-intro = How long each stage of a request took against its target: attainment by stage and by month, the stages breached, those at risk now, and the policies that set the targets.
sla-sections = On this page
sla-as-of = As of (UTC)
sla-as-of-now = As of { $instant } UTC.
sla-no-policy = No time objective is defined yet, so there is nothing to judge. A policy says which interactions it covers and a target for each stage.
sla-no-policy-editor = Start from the example below: name it, adjust the targets, save.
sla-no-policy-ask = Ask a manager or an administrator to define one.

## Attainment
sla-attainment = Attainment by stage
sla-attainment-intro = Stages met out of stages due (met or breached), for the interactions created in the period; pending, paused, not applicable and not measurable stages are not counted.
sla-stage = Stage
sla-over-time = Attainment by month
sla-chart-stages-title = SLA attainment by stage, sorted by value
sla-chart-months-title = SLA attainment by stage, by month
sla-open-explorer = Open in the KPI explorer
sla-monthly-table = The figures by month as a table

## Breaches and stages at risk
sla-breaches = Breaches
sla-breaches-intro = Stages done late, or still open past their due time, most recent first.
sla-no-breaches = No stage is breached.
sla-at-risk = At risk now
sla-at-risk-intro = Open stages past their warning share of the target and not yet breached, the least time left first.
sla-no-at-risk = No open stage is at risk.
sla-shown-first = The first { $shown } are shown; the CSV has them all.
sla-breaches-csv = Download the breaches (CSV)
sla-external-id = Interaction
sla-policy = Policy
sla-policy-version = { $name } v{ $version }
sla-started = Started (UTC)
sla-took = Took
sla-target = Target
sla-due = Due (UTC)
sla-left = Time left
sla-still-open = still open
sla-took-of = { $took } of { $target }
sla-that-day = that day
sla-that-day-title = The interactions with this stage created that day, with every metric

## Policies
sla-policies = Policies in force
sla-policies-intro = Policies are tried in their order; the first whose conditions an interaction meets sets its targets. Saving a policy makes a new version and judges every interaction again.
sla-order = Order
sla-name = Name
sla-where = Where
sla-calendar = Calendar
sla-targets = Targets
sla-every-interaction = every interaction
sla-calendar-time = calendar time (24/7)
sla-pause-on = Paused while: { $statuses }
sla-warning = At risk from { $share } of the target
sla-versions = Versions
sla-version-line = Version { $version }, saved { $when } UTC by { $who }
sla-version-retired = retired { $when } UTC
sla-version-in-force = in force
sla-edit = Edit
sla-policy-toml = Policy (TOML)
sla-save = Save as a new version
sla-delete = Retire this policy
sla-new-policy = A new policy
sla-saved = Policy { $name } saved as version { $version }; { $stages } stages of { $interactions } interactions judged.
sla-deleted = Policy { $name } retired; { $stages } stages of { $interactions } interactions judged again.
sla-policy-error = Not saved: { $detail }

## What the stages and states mean
sla-definitions = What the stages and states mean
sla-states = States
sla-stage-acknowledge = Acknowledge
sla-stage-acknowledge-desc = From creation to the first agent response.
sla-stage-next-response = Next response
sla-stage-next-response-desc = From each customer message after an agent reply to the agent's next reply.
sla-stage-problem-defined = Problem defined
sla-stage-problem-defined-desc = From creation to the first assignment, or to the first entry into the status the policy names.
sla-stage-first-resolution = First resolution
sla-stage-first-resolution-desc = From creation to the first resolution.
sla-stage-resolution = Resolution
sla-stage-resolution-desc = From creation to the final resolution.
sla-stage-confirmation = Confirmation
sla-stage-confirmation-desc = From the resolution to the customer's confirmation.
sla-stage-completion = Completion
sla-stage-completion-desc = From creation to closing.
sla-stage-queue-wait = Queue wait
sla-stage-queue-wait-desc = From entering the queue to being answered (phone calls).
sla-stage-live-person = Live person
sla-stage-live-person-desc = From the start of an automated contact to reaching a person.
sla-state-met = met
sla-state-met-desc = Done within the target.
sla-state-breached = breached
sla-state-breached-desc = Done late, or still open past the target.
sla-state-pending = pending
sla-state-pending-desc = Still open and within the target.
sla-state-paused = paused
sla-state-paused-desc = Within the target, its clock stopped by a pausing status.
sla-state-not-applicable = not applicable
sla-state-not-applicable-desc = The stage does not concern this interaction, or it ended within the target without needing it.
sla-state-not-measurable = not measurable
sla-state-not-measurable-desc = The source carries no data for this stage; never counted as met or missed.
