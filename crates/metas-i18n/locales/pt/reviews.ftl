## Revisões
reviews-none = Nenhuma revisão pendente.
reviews-overdue = Atrasadas
reviews-was-due = vencia em { $date } (há { $days } dias)
reviews-due = Pendentes
reviews-due-on = vence em { $date }
