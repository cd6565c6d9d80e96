## Detalle
drill-title = Interacciones detrás de la cifra
drill-back = Volver al KPI
drill-summary = { $kpi }: las primeras { $n } interacciones de su muestra, de la más reciente a la más antigua.
drill-truncated = Aquí solo se muestran las primeras { $n }; el CSV las incluye todas.
