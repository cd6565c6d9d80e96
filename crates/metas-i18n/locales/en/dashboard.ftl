## Dashboard
dashboard-heading = Last { $days } days
dashboard-period = Period
dashboard-days = { $days } days
dashboard-all = All
dashboard-segment = Segment
dashboard-window = From { $from } to { $to },
dashboard-compared = compared with the { $days } days before.
dashboard-change = { $change } against the previous period
