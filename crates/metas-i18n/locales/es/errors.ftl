## Errores
error-title = Algo no ha ido bien
error-back = Volver al panel
error-unauthenticated = Primero es necesario iniciar sesión.
error-invalid = La solicitud no es válida: { $detail }
error-refused = No se ha realizado: { $detail }
error-not-found = No encontrado: { $detail }
error-forbidden = Este rol no permite realizar esta acción.
error-csrf = El formulario ha caducado o no se envió desde este sitio; hay que recargar la página y volver a intentarlo.
error-too-many = Demasiados intentos fallidos de inicio de sesión; hay que esperar unos minutos.
error-internal = Se ha producido un error en el servidor. Ha quedado registrado.
error-no-goal = No existe el objetivo { $id }.
error-bad-date = { $field } «{ $value }» no es una fecha (YYYY-MM-DD).
