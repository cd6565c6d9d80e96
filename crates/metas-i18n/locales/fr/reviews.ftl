## Revues
reviews-none = Aucune revue à faire.
reviews-overdue = En retard
reviews-was-due = prévue le { $date } (il y a { $days } jours)
reviews-due = À faire
reviews-due-on = prévue le { $date }
