## Login
login-title = Entrar
login-login = Usuário
login-password = Senha
login-submit = Entrar
login-failed = Usuário e senha não conferem.
