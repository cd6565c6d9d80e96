## Erros
error-title = Algo deu errado
error-back = Voltar ao painel
error-unauthenticated = Faça login primeiro.
error-invalid = A solicitação não é válida: { $detail }
error-refused = Não realizado: { $detail }
error-not-found = Não encontrado: { $detail }
error-forbidden = Seu perfil não permite esta ação.
error-csrf = O formulário está desatualizado ou não foi enviado por este site; recarregue a página e tente novamente.
error-too-many = Muitas tentativas de login malsucedidas; aguarde alguns minutos.
error-internal = Ocorreu um erro no servidor. Ele foi registrado.
error-no-goal = A meta { $id } não existe.
error-bad-date = { $field } “{ $value }” não é uma data (YYYY-MM-DD).
