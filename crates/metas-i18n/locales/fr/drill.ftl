## Détail
drill-title = Les interactions derrière le chiffre
drill-back = Retour au KPI
drill-summary = { $kpi } : les { $n } premières interactions de son échantillon, de la plus récente à la plus ancienne.
drill-truncated = Seules les { $n } premières sont affichées ici ; le CSV les contient toutes.
