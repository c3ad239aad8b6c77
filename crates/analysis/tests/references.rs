//! The analyses against known answers: Sobol indices of the Ishigami function against their
//! closed form, Morris's ranking of a function with one dominant input, and rejection ABC
//! recovering the parameters a synthetic model's figures were generated with.

use skyshield_analysis::abc::{AbcOptions, abc_reject, predictive_check, prior_sample};
use skyshield_analysis::morris::{MorrisOptions, morris_analyse, morris_sample, rank};
use skyshield_analysis::sobol::{SobolOptions, sobol_analyse, sobol_sample};
use std::f64::consts::PI;

/// The Ishigami function (Ishigami & Homma 1990) with a = 7, b = 0.1 on `[-pi, pi]^3`, from
/// unit coordinates.
fn ishigami(u: &[f64]) -> f64 {
    let x: Vec<f64> = u.iter().map(|u| -PI + 2.0 * PI * u).collect();
    x[0].sin() + 7.0 * x[1].sin().powi(2) + 0.1 * x[2].powi(4) * x[0].sin()
}

/// Closed-form Sobol indices of the Ishigami function (Sobol' & Levitan 1999; Saltelli et al.,
/// "Global Sensitivity Analysis: The Primer", 2008, sec. 4.9): `(S1, ST)` per input.
fn ishigami_indices() -> [(f64, f64); 3] {
    let (a, b) = (7.0_f64, 0.1_f64);
    let v1 = 0.5 * (1.0 + b * PI.powi(4) / 5.0).powi(2);
    let v2 = a * a / 8.0;
    let v13 = b * b * PI.powi(8) * (1.0 / 18.0 - 1.0 / 50.0);
    let v = v1 + v2 + v13;
    [(v1 / v, (v1 + v13) / v), (v2 / v, v2 / v), (0.0, v13 / v)]
}

#[test]
fn sobol_indices_of_ishigami_match_the_closed_form() {
    let options = SobolOptions {
        base_samples: 1 << 13,
        resamples: 100,
        confidence: 0.95,
        seed: 7,
    };
    let points = sobol_sample(3, &options).unwrap();
    let y: Vec<f64> = points.iter().map(|u| ishigami(u)).collect();
    let indices = sobol_analyse(3, &y, &options).unwrap();
    for (i, (s1, st)) in ishigami_indices().into_iter().enumerate() {
        let got = indices[i];
        assert!(
            (got.first.value - s1).abs() < 0.02,
            "S1 of x{}: {} against {s1}",
            i + 1,
            got.first.value
        );
        assert!(
            (got.total.value - st).abs() < 0.02,
            "ST of x{}: {} against {st}",
            i + 1,
            got.total.value
        );
        assert!(got.first.ci[0] <= got.first.value && got.first.value <= got.first.ci[1]);
        assert!(got.total.ci[0] <= got.total.value && got.total.value <= got.total.ci[1]);
    }
}

#[test]
fn sobol_design_is_reproducible_by_seed() {
    let options = SobolOptions::default();
    let a = sobol_sample(4, &options).unwrap();
    assert_eq!(a, sobol_sample(4, &options).unwrap());
    let other = SobolOptions { seed: 2, ..options };
    assert_ne!(a, sobol_sample(4, &other).unwrap());
}

#[test]
fn morris_ranks_the_dominant_input_first() {
    // Input 3 of 6 dominates (slope 20 and a square), the others weigh 1 or less, one interacts.
    let model =
        |x: &[f64]| x[0] + 0.5 * x[1] + 20.0 * x[3] + 5.0 * x[3] * x[3] + x[4] * x[5] + 0.1 * x[2];
    let options = MorrisOptions {
        trajectories: 20,
        levels: 4,
        seed: 11,
    };
    let points = morris_sample(6, &options).unwrap();
    let y: Vec<f64> = points.iter().map(|x| model(x)).collect();
    let indices = morris_analyse(&points, &y, &options).unwrap();
    let order = rank(&indices);
    assert_eq!(order[0], 3, "{indices:?}");
    // The square makes input 3's effects vary; the linear inputs have none.
    assert!(indices[3].sigma > 0.1 && indices[1].sigma < 1e-9);
    assert!(indices[3].mu_star_conf > 0.0);
}

/// A synthetic model of three reported figures: the number of threats (the second parameter,
/// counted with an error of about one), the leakers among them (Poisson-like noise, mean
/// depending on both parameters) and the intercept rate (the first parameter).
fn synthetic(theta: &[f64], noise: &mut impl FnMut() -> f64) -> Vec<f64> {
    let (p, q) = (0.2 + 0.6 * theta[0], 10.0 + 40.0 * theta[1]);
    let leaked = q * (1.0 - p);
    vec![
        q + noise(),
        leaked + leaked.sqrt() * noise(),
        p + 0.02 * noise(),
    ]
}

#[test]
fn abc_recovers_known_parameters_inside_its_credible_interval() {
    let truth = [0.7, 0.3];
    // A fixed sequence of standard normal deviates (Box-Muller on a linear congruential
    // generator) for the noise of the simulations.
    let mut state: u64 = 42;
    let mut uniform = move || {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((state >> 11) as f64 + 0.5) / (1u64 << 53) as f64
    };
    let mut noise = move || (-2.0 * uniform().ln()).sqrt() * (2.0 * PI * uniform()).cos();
    let observed: Vec<[f64; 2]> = synthetic(&truth, &mut noise)
        .into_iter()
        .map(|v| [v, v])
        .collect();
    let options = AbcOptions {
        draws: 20_000,
        keep: 0.02,
        seed: 5,
    };
    let draws = prior_sample(2, &options).unwrap();
    let sims: Vec<Vec<f64>> = draws.iter().map(|t| synthetic(t, &mut noise)).collect();
    let post = abc_reject(&draws, &sims, &observed, &options).unwrap();
    for (i, t) in truth.iter().enumerate() {
        let p = post.parameters[i];
        assert!(
            p.p5 <= *t && *t <= p.p95,
            "parameter {i}: {t} outside {p:?}"
        );
        assert!(p.width_ratio < 0.6, "parameter {i} not constrained: {p:?}");
    }
    let resim: Vec<Vec<f64>> = post
        .kept
        .iter()
        .map(|&d| synthetic(&draws[d], &mut noise))
        .collect();
    let checks = predictive_check(&observed, &resim).unwrap();
    assert!(checks.iter().all(|c| c.inside), "{checks:?}");
}
