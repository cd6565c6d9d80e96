## Errors
error-title = Something is wrong
error-back = Back to the dashboard
error-unauthenticated = Log in first.
error-invalid = The request is not valid: { $detail }
error-refused = Not done: { $detail }
error-not-found = Not found: { $detail }
error-forbidden = Your role may not do this.
error-csrf = The form is out of date or was not sent by this site; reload the page and try again.
error-too-many = Too many failed logins; wait a few minutes.
error-internal = Something went wrong on the server. It has been logged.
error-no-goal = There is no goal { $id }.
error-bad-date = { $field } “{ $value }” is not a date (YYYY-MM-DD).
