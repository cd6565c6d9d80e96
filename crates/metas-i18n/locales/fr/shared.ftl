## Mots communs
action-show = Afficher
action-save = Enregistrer
definition = Définition
figure-n = n { $n }
figure-interval = intervalle à 95 % { $interval }
dim-channel = Canal
dim-team = Équipe
dim-agent = Conseiller
