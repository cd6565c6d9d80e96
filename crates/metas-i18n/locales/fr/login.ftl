## Connexion
login-title = Connexion
login-login = Identifiant
login-password = Mot de passe
login-submit = Se connecter
login-failed = L’identifiant et le mot de passe ne correspondent pas.
