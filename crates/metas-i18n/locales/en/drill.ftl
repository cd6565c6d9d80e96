## Drill-down
drill-title = Interactions behind the number
drill-back = Back to the KPI
drill-summary = { $kpi }: the first { $n } interactions in its sample, newest first.
drill-truncated = Only the first { $n } are shown here; the CSV has them all.
