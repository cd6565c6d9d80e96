## Reviews
reviews-none = No reviews due.
reviews-overdue = Overdue
reviews-was-due = was due { $date } ({ $days } days ago)
reviews-due = Due
reviews-due-on = due { $date }
