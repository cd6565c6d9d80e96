## Tableau de bord
dashboard-heading = { $days } derniers jours
dashboard-period = Période
dashboard-days = { $days } jours
dashboard-all = Tous
dashboard-segment = Segment
dashboard-window = Du { $from } au { $to },
dashboard-compared = par rapport aux { $days } jours précédents.
dashboard-change = { $change } par rapport à la période précédente
