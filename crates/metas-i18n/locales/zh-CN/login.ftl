## 登录
login-title = 登录
login-login = 用户名
login-password = 密码
login-submit = 登录
login-failed = 用户名与密码不匹配。
