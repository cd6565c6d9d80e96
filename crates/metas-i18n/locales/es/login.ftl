## Inicio de sesión
login-title = Iniciar sesión
login-login = Usuario
login-password = Contraseña
login-submit = Iniciar sesión
login-failed = El usuario y la contraseña no coinciden.
