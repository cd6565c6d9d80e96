## Erreurs
error-title = Un problème est survenu
error-back = Retour au tableau de bord
error-unauthenticated = Veuillez d’abord vous connecter.
error-invalid = La requête n’est pas valide : { $detail }
error-refused = Opération non effectuée : { $detail }
error-not-found = Introuvable : { $detail }
error-forbidden = Votre rôle ne permet pas cette action.
error-csrf = Le formulaire a expiré ou n’a pas été envoyé depuis ce site ; rechargez la page et réessayez.
error-too-many = Trop d’échecs de connexion ; patientez quelques minutes.
error-internal = Une erreur s’est produite sur le serveur. Elle a été journalisée.
error-no-goal = L’objectif { $id } n’existe pas.
error-bad-date = { $field } « { $value } » n’est pas une date (YYYY-MM-DD).
