## Detalhamento
drill-title = Interações por trás do número
drill-back = Voltar ao KPI
drill-summary = { $kpi }: as primeiras { $n } interações da amostra, das mais recentes para as mais antigas.
drill-truncated = Somente as primeiras { $n } aparecem aqui; o CSV traz todas.
