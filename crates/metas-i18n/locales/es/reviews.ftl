## Revisiones
reviews-none = No hay revisiones pendientes.
reviews-overdue = Vencidas
reviews-was-due = vencía el { $date } (hace { $days } días)
reviews-due = Pendientes
reviews-due-on = vence el { $date }
