//! Statistics behind every number: confidence intervals and quantiles.
//! Pure functions; the store supplies counts, sums and sorted samples.

/// The normal quantile for a two-sided interval at `confidence` (e.g. 0.95 → 1.96).
pub fn z_for(confidence: f64) -> f64 {
    normal_quantile(1.0 - (1.0 - confidence) / 2.0)
}

/// Inverse of the standard normal CDF (Acklam's rational approximation,
/// relative error below 1.2e-9).
pub fn normal_quantile(p: f64) -> f64 {
    assert!(p > 0.0 && p < 1.0, "probability must be in (0, 1)");
    const A: [f64; 6] = [
        -3.969683028665376e1,
        2.209460984245205e2,
        -2.759285104469687e2,
        1.38357751867269e2,
        -3.066479806614716e1,
        2.506628277459239,
    ];
    const B: [f64; 5] = [
        -5.447609879822406e1,
        1.615858368580409e2,
        -1.556989798598866e2,
        6.680131188771972e1,
        -1.328068155288572e1,
    ];
    const C: [f64; 6] = [
        -7.784894002430293e-3,
        -3.223964580411365e-1,
        -2.400758277161838,
        -2.549732539343734,
        4.374664141464968,
        2.938163982698783,
    ];
    const D: [f64; 4] = [
        7.784695709041462e-3,
        3.224671290700398e-1,
        2.445134137142996,
        3.754408661907416,
    ];
    let low = 0.02425;
    if p < low {
        let q = (-2.0 * p.ln()).sqrt();
        (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    } else if p <= 1.0 - low {
        let q = p - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    } else {
        -normal_quantile(1.0 - p)
    }
}

/// Student's t quantile with `df` degrees of freedom (Cornish–Fisher
/// expansion around the normal quantile; exact enough for df ≥ 3, and the
/// small-df cases use the closed forms).
pub fn t_quantile(p: f64, df: f64) -> f64 {
    if df <= 1.0 {
        return (std::f64::consts::PI * (p - 0.5)).tan();
    }
    if (df - 2.0).abs() < f64::EPSILON {
        let a = 4.0 * p * (1.0 - p);
        return 2.0 * (p - 0.5) * (2.0 / a).sqrt();
    }
    let z = normal_quantile(p);
    let z2 = z * z;
    let g1 = (z2 + 1.0) * z / 4.0;
    let g2 = ((5.0 * z2 + 16.0) * z2 + 3.0) * z / 96.0;
    let g3 = (((3.0 * z2 + 19.0) * z2 + 17.0) * z2 - 15.0) * z / 384.0;
    let g4 = ((((79.0 * z2 + 776.0) * z2 + 1482.0) * z2 - 1920.0) * z2 - 945.0) * z / 92160.0;
    z + g1 / df + g2 / df.powi(2) + g3 / df.powi(3) + g4 / df.powi(4)
}

/// A value with its interval.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Interval {
    pub low: f64,
    pub high: f64,
}

/// Wilson score interval for `successes` out of `n` (rates).
pub fn wilson(successes: f64, n: f64, confidence: f64) -> Option<Interval> {
    if n <= 0.0 {
        return None;
    }
    let z = z_for(confidence);
    let p = successes / n;
    let z2 = z * z;
    let denom = 1.0 + z2 / n;
    let centre = (p + z2 / (2.0 * n)) / denom;
    let half = z * ((p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt()) / denom;
    Some(Interval {
        low: (centre - half).max(0.0),
        high: (centre + half).min(1.0),
    })
}

/// t interval for a mean, from the count, the sum and the sum of squares.
pub fn mean_interval(n: f64, sum: f64, sum_sq: f64, confidence: f64) -> Option<Interval> {
    if n < 2.0 {
        return None;
    }
    let mean = sum / n;
    let var = ((sum_sq - n * mean * mean) / (n - 1.0)).max(0.0);
    let half = t_quantile(1.0 - (1.0 - confidence) / 2.0, n - 1.0) * (var / n).sqrt();
    Some(Interval {
        low: mean - half,
        high: mean + half,
    })
}

/// Distribution-free interval for the `p` quantile: the order statistics
/// whose ranks are n·p ∓ z·√(n·p·(1−p)) (normal approximation to the
/// binomial), 1-based and clamped to 1..=n. The store computes the same ranks
/// in SQL (`metas_store::kpi`), and a store test holds the two together.
pub fn quantile_rank_interval(n: u64, p: f64, confidence: f64) -> Option<(u64, u64)> {
    if n < 3 {
        return None;
    }
    let z = z_for(confidence);
    let nf = n as f64;
    let half = z * (nf * p * (1.0 - p)).sqrt();
    let lo = ((nf * p - half).floor() as i64).max(1) as u64;
    let hi = ((nf * p + half).ceil() as i64 + 1).min(n as i64) as u64;
    Some((lo, hi))
}

/// Distribution-free interval for a median: the order statistics whose ranks
/// are n/2 ∓ z·√n/2 (normal approximation to the binomial), 1-based and
/// clamped. Returns the ranks; the caller reads the sorted values.
pub fn median_rank_interval(n: u64, confidence: f64) -> Option<(u64, u64)> {
    if n < 3 {
        return None;
    }
    let z = z_for(confidence);
    let nf = n as f64;
    let half = z * nf.sqrt() / 2.0;
    let lo = ((nf / 2.0 - half).floor() as i64).max(1) as u64;
    let hi = ((nf / 2.0 + half).ceil() as i64 + 1).min(n as i64) as u64;
    Some((lo, hi))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol
    }

    #[test]
    fn quantiles_match_tables() {
        assert!(close(z_for(0.95), 1.959964, 1e-6));
        assert!(close(normal_quantile(0.001), -3.090232, 1e-6));
        // Student's t, two-sided 95 %: df 1, 2, 5, 10, 30.
        for (df, want) in [
            (1.0, 12.7062),
            (2.0, 4.3027),
            (5.0, 2.5706),
            (10.0, 2.2281),
            (30.0, 2.0423),
        ] {
            let got = t_quantile(0.975, df);
            assert!(close(got, want, 2e-3 * want), "df {df}: {got} vs {want}");
        }
    }

    #[test]
    fn wilson_known_values() {
        // 81 of 100 at 95 %: (0.7222, 0.8749).
        let i = wilson(81.0, 100.0, 0.95).unwrap();
        assert!(
            close(i.low, 0.7222, 1e-4) && close(i.high, 0.8749, 1e-4),
            "{i:?}"
        );
        // All successes still has a lower bound below 1.
        let i = wilson(10.0, 10.0, 0.95).unwrap();
        assert!(i.high == 1.0 && close(i.low, 0.7225, 1e-4), "{i:?}");
        assert!(wilson(0.0, 0.0, 0.95).is_none());
    }

    #[test]
    fn mean_interval_known_values() {
        // Sample 2, 4, 4, 4, 5, 5, 7, 9: mean 5, s = 2.138, t(7) = 2.3646 → ±1.7875.
        let xs = [2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0];
        let (n, sum, sq) = (
            8.0,
            xs.iter().sum::<f64>(),
            xs.iter().map(|x| x * x).sum::<f64>(),
        );
        let i = mean_interval(n, sum, sq, 0.95).unwrap();
        assert!(
            close(i.low, 3.2125, 2e-3) && close(i.high, 6.7875, 2e-3),
            "{i:?}"
        );
        assert!(mean_interval(1.0, 3.0, 9.0, 0.95).is_none());
    }

    #[test]
    fn median_ranks() {
        // n = 100 at 95 %: ranks 40 and 61 (the usual table value).
        assert_eq!(median_rank_interval(100, 0.95), Some((40, 61)));
        assert_eq!(median_rank_interval(2, 0.95), None);
        for n in [3, 10, 57, 100, 1001] {
            assert_eq!(
                quantile_rank_interval(n, 0.5, 0.95),
                median_rank_interval(n, 0.95)
            );
        }
    }
}
