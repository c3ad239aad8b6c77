//! Small statistics shared by the analyses.

/// The arithmetic mean (NaN when empty).
pub(crate) fn mean(xs: &[f64]) -> f64 {
    xs.iter().sum::<f64>() / xs.len() as f64
}

/// The variance with `ddof` degrees of freedom removed from the count (0: population, 1:
/// sample).
pub(crate) fn variance(xs: &[f64], ddof: usize) -> f64 {
    let m = mean(xs);
    xs.iter().map(|x| (x - m) * (x - m)).sum::<f64>() / (xs.len() - ddof) as f64
}

/// The `q`-quantile of `xs` by linear interpolation between order statistics (Hyndman & Fan
/// 1996, definition 7, as numpy's default); `xs` need not be sorted.
pub(crate) fn quantile(xs: &[f64], q: f64) -> f64 {
    let mut sorted = xs.to_vec();
    sorted.sort_by(f64::total_cmp);
    quantile_sorted(&sorted, q)
}

/// [`quantile`] of values already sorted in increasing order.
pub(crate) fn quantile_sorted(sorted: &[f64], q: f64) -> f64 {
    let h = (sorted.len() - 1) as f64 * q;
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(sorted.len() - 1);
    sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
}

/// The standard normal quantile of `p` in (0, 1) (Acklam's rational approximation, relative
/// error below 1.2e-9; P. J. Acklam, "An algorithm for computing the inverse normal cumulative
/// distribution function", 2003).
pub(crate) fn normal_quantile(p: f64) -> f64 {
    const A: [f64; 6] = [
        -3.969_683_028_665_376e1,
        2.209_460_984_245_205e2,
        -2.759_285_104_469_687e2,
        1.383_577_518_672_69e2,
        -3.066_479_806_614_716e1,
        2.506_628_277_459_239,
    ];
    const B: [f64; 5] = [
        -5.447_609_879_822_406e1,
        1.615_858_368_580_409e2,
        -1.556_989_798_598_866e2,
        6.680_131_188_771_972e1,
        -1.328_068_155_288_572e1,
    ];
    const C: [f64; 6] = [
        -7.784_894_002_430_293e-3,
        -3.223_964_580_411_365e-1,
        -2.400_758_277_161_838,
        -2.549_732_539_343_734,
        4.374_664_141_464_968,
        2.938_163_982_698_783,
    ];
    const D: [f64; 4] = [
        7.784_695_709_041_462e-3,
        3.224_671_290_700_398e-1,
        2.445_134_137_142_996,
        3.754_408_661_907_416,
    ];
    let tail = |q: f64| {
        (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    };
    if p < 0.02425 {
        tail((-2.0 * p.ln()).sqrt())
    } else if p > 1.0 - 0.02425 {
        -tail((-2.0 * (1.0 - p).ln()).sqrt())
    } else {
        let q = p - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantile_interpolates_like_numpy() {
        // numpy.quantile([1, 2, 3, 4], 0.25) == 1.75
        assert_eq!(quantile(&[4.0, 1.0, 3.0, 2.0], 0.25), 1.75);
        assert_eq!(quantile(&[4.0, 1.0, 3.0, 2.0], 1.0), 4.0);
    }

    #[test]
    fn normal_quantile_matches_tables() {
        // Abramowitz & Stegun table 26.5: z(0.975) = 1.959963985, z(0.95) = 1.644853627.
        assert!((normal_quantile(0.975) - 1.959_963_985).abs() < 1e-8);
        assert!((normal_quantile(0.05) + 1.644_853_627).abs() < 1e-8);
        assert!((normal_quantile(0.001) + 3.090_232_306).abs() < 1e-8);
    }

    #[test]
    fn normal_quantile_holds_in_both_tails_and_between() {
        // Values of Phi^-1 (the inverse of the standard normal CDF) to ten digits, in the lower
        // tail (p < 0.02425), the central region and the upper tail (p > 0.97575) of Acklam's
        // approximation.
        for (p, z) in [
            (0.001, -3.090_232_306),
            (0.02, -2.053_748_911),
            (0.75, 0.674_489_750),
            (0.98, 2.053_748_911),
            (0.99, 2.326_347_874),
            (0.999, 3.090_232_306),
        ] {
            assert!(
                (normal_quantile(p) - z).abs() < 1e-8,
                "z({p}) = {}",
                normal_quantile(p)
            );
        }
    }

    #[test]
    fn variance_removes_the_degrees_of_freedom_asked() {
        // Of 1, 2, 3, 4: squared deviations from 2.5 sum to 5.
        assert_eq!(variance(&[1.0, 2.0, 3.0, 4.0], 0), 1.25);
        assert_eq!(variance(&[1.0, 2.0, 3.0, 4.0], 1), 5.0 / 3.0);
    }
}
