## Login
login-title = Log in
login-login = Login
login-password = Password
login-submit = Log in
login-failed = That login and password do not match.
