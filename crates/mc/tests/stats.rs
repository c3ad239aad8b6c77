//! Streaming statistics against values computed by hand.

use skyshield_mc::stats::{Histogram, Moments, Z95, wilson95};

#[test]
fn moments_give_the_hand_computed_mean_sample_sd_and_interval() {
    // 2, 4, 4, 4, 5, 5, 7, 9: mean 5, squared deviations 9+1+1+1+0+0+4+16 = 32, sample
    // variance 32/7, sd √(32/7) = 2.138..., 95 % half-width 1.96·sd/√8.
    let mut m = Moments::default();
    for x in [2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0] {
        m.add(x);
    }
    let sd = (32.0f64 / 7.0).sqrt();
    assert_eq!(m.n, 8);
    assert!((m.mean - 5.0).abs() < 1e-15);
    assert!((m.sd() - sd).abs() < 1e-14, "sd {}", m.sd());
    let half = 1.959_963_984_540_054 * sd / 8f64.sqrt();
    let ci = m.ci95();
    assert!((ci[0] - (5.0 - half)).abs() < 1e-14 && (ci[1] - (5.0 + half)).abs() < 1e-14);
    assert!((Z95 - 1.959_963_984_540_054).abs() < 1e-15);
}

#[test]
fn merged_moments_give_the_hand_computed_sd_of_the_union() {
    // {1, 2, 3} and {10, 20}: union mean 36/5 = 7.2, squared deviations
    // 38.44+27.04+17.64+7.84+163.84 = 254.8, sample variance 63.7.
    let (mut a, mut b) = (Moments::default(), Moments::default());
    [1.0, 2.0, 3.0].iter().for_each(|&x| a.add(x));
    [10.0, 20.0].iter().for_each(|&x| b.add(x));
    a.merge(&b);
    assert_eq!(a.n, 5);
    assert!((a.mean - 7.2).abs() < 1e-14);
    assert!((a.sd() - 63.7f64.sqrt()).abs() < 1e-13, "sd {}", a.sd());
    // Merging into an empty set, or an empty set in, changes nothing.
    let mut e = Moments::default();
    e.merge(&a);
    assert_eq!(e, a);
    let before = a;
    a.merge(&Moments::default());
    assert_eq!(a, before);
    // One observation: sd 0 and an interval of width 0.
    let mut one = Moments::default();
    one.add(3.0);
    assert_eq!(one.sd(), 0.0);
    assert_eq!(one.ci95(), [3.0, 3.0]);
}

#[test]
fn histogram_quantiles_are_the_smallest_value_covering_the_fraction() {
    // Ten observations: the 5 % quantile covers 1 of them (value 0), the median 5 (value 2),
    // 95 % covers 10 (value 9).
    let mut h = Histogram::default();
    for k in [3, 0, 7, 2, 1, 9, 2, 0, 7, 2] {
        h.add(k);
    }
    assert_eq!(h.total(), 10);
    assert_eq!(h.counts, [2, 1, 3, 1, 0, 0, 0, 2, 0, 1]);
    assert_eq!(h.quantile(0.05), 0);
    assert_eq!(h.quantile(0.15), 0);
    assert_eq!(h.quantile(0.21), 1);
    assert_eq!(h.quantile(0.5), 2);
    assert_eq!(h.quantile(0.69), 3);
    assert_eq!(h.quantile(0.71), 7);
    assert_eq!(h.quantile(0.95), 9);
    let mut other = Histogram::default();
    other.add(12);
    h.merge(&other);
    assert_eq!(h.total(), 11);
    assert_eq!(h.quantile(1.0), 12);
}

#[test]
fn the_wilson_interval_has_its_closed_form() {
    // 0 successes of 10: lower bound 0, upper z²/(n + z²) = 3.8415/13.8415 = 0.27753.
    let [lo, hi] = wilson95(0, 10);
    assert_eq!(lo, 0.0);
    let z2 = Z95 * Z95;
    assert!((hi - z2 / (10.0 + z2)).abs() < 1e-12, "{hi}");
    // Symmetric about ½ for n/2 successes.
    let [lo, hi] = wilson95(50, 100);
    assert!((lo + hi - 1.0).abs() < 1e-12);
    assert_eq!(wilson95(0, 0), [0.0, 1.0]);
}
