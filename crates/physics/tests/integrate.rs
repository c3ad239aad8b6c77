//! Integrators against closed-form solutions.

use skyshield_physics::integrate::{Crossing, Dopri5, Event, Stop, System, Tolerances, rk4_step};

/// Harmonic oscillator x'' = -x: x = cos t, v = -sin t from (1, 0).
struct Oscillator;
impl System<2> for Oscillator {
    fn derivative(&self, _t: f64, y: &[f64; 2]) -> [f64; 2] {
        [y[1], -y[0]]
    }
}

/// A stone thrown straight up in uniform gravity: height v0 t - g t^2 / 2.
struct Throw;
const G: f64 = 9.80665;
const V0: f64 = 50.0;
impl System<2> for Throw {
    fn derivative(&self, _t: f64, y: &[f64; 2]) -> [f64; 2] {
        [y[1], -G]
    }
}

#[test]
fn rk4_is_fourth_order_on_the_oscillator() {
    let error_with = |n: usize| {
        let h = 10.0 / n as f64;
        let mut y = [1.0, 0.0];
        for k in 0..n {
            y = rk4_step(&Oscillator, k as f64 * h, &y, h);
        }
        (y[0] - 10f64.cos()).abs()
    };
    let (e1, e2) = (error_with(200), error_with(400));
    let order = (e1 / e2).log2();
    assert!((order - 4.0).abs() < 0.1, "observed order {order}");
    assert!(e2 < 5e-8, "error {e2}");
}

#[test]
fn dopri5_meets_its_tolerance_over_many_periods() {
    let tol = Tolerances {
        rtol: 1e-10,
        atol: 1e-12,
        initial_step_s: 0.01,
        max_step_s: 1.0,
    };
    let t_end = 20.0 * std::f64::consts::PI;
    let out = Dopri5::new(tol).integrate(&Oscillator, 0.0, [1.0, 0.0], t_end, &[], |_, _| {});
    assert_eq!(out.stop, Stop::EndTime);
    assert!((out.t_s - t_end).abs() < 1e-12);
    assert!((out.y[0] - 1.0).abs() < 1e-8, "x = {}", out.y[0]);
    assert!(out.y[1].abs() < 1e-8, "v = {}", out.y[1]);
}

#[test]
fn dense_output_is_accurate_inside_steps() {
    let tol = Tolerances {
        rtol: 1e-9,
        atol: 1e-12,
        initial_step_s: 0.1,
        max_step_s: 0.5,
    };
    let mut worst: f64 = 0.0;
    Dopri5::new(tol).integrate(&Oscillator, 0.0, [1.0, 0.0], 10.0, &[], |step, _| {
        for k in 0..=10 {
            let t = step.t0_s + (step.t1_s - step.t0_s) * k as f64 / 10.0;
            worst = worst.max((step.at(t)[0] - t.cos()).abs());
        }
    });
    assert!(worst < 1e-7, "worst dense-output error {worst}");
}

#[test]
fn impact_and_apogee_are_located_to_far_better_than_a_millisecond() {
    let impact = |_t: f64, y: &[f64; 2]| y[0];
    let apogee = |_t: f64, y: &[f64; 2]| y[1];
    let events = [
        Event {
            g: &impact,
            crossing: Crossing::Falling,
            terminal: true,
        },
        Event {
            g: &apogee,
            crossing: Crossing::Falling,
            terminal: false,
        },
    ];
    let mut apogee_t = None;
    let tol = Tolerances {
        max_step_s: 3.0,
        ..Tolerances::default()
    };
    // Start just above the ground so that the impact event sees a fall from positive height.
    let out = Dopri5::new(tol).integrate(&Throw, 0.0, [1e-9, V0], 100.0, &events, |_, ev| {
        for &(i, t) in ev {
            if i == 1 {
                apogee_t = Some(t);
            }
        }
    });
    assert_eq!(out.stop, Stop::Event(0));
    let exact_impact = 2.0 * V0 / G;
    assert!(
        (out.t_s - exact_impact).abs() < 1e-6,
        "impact at {} s",
        out.t_s
    );
    let t_apogee = apogee_t.expect("apogee found");
    assert!((t_apogee - V0 / G).abs() < 1e-6, "apogee at {t_apogee} s");
}

#[test]
fn no_event_fires_without_a_crossing() {
    let never = |_t: f64, _y: &[f64; 2]| 1.0;
    let events = [Event {
        g: &never,
        crossing: Crossing::Either,
        terminal: true,
    }];
    let out = Dopri5::new(Tolerances::default()).integrate(
        &Oscillator,
        0.0,
        [1.0, 0.0],
        5.0,
        &events,
        |_, ev| {
            assert!(ev.is_empty());
        },
    );
    assert_eq!(out.stop, Stop::EndTime);
}

/// Regression: an apogee event earlier in the same step hid the impact after it, and the
/// integration flew on underground.
#[test]
fn a_terminal_event_after_another_in_the_same_step_still_stops() {
    let impact = |_t: f64, y: &[f64; 2]| y[0];
    let apogee = |_t: f64, y: &[f64; 2]| y[1];
    let events = [
        Event {
            g: &impact,
            crossing: Crossing::Falling,
            terminal: true,
        },
        Event {
            g: &apogee,
            crossing: Crossing::Falling,
            terminal: false,
        },
    ];
    // Large steps: apogee (5.1 s) and impact (10.2 s) fall inside one step.
    let tol = Tolerances {
        rtol: 1e-6,
        atol: 1e-6,
        initial_step_s: 0.1,
        max_step_s: 100.0,
    };
    let mut seen = Vec::new();
    let out = Dopri5::new(tol).integrate(&Throw, 0.0, [1e-9, V0], 100.0, &events, |_, ev| {
        seen.extend_from_slice(ev);
    });
    assert_eq!(out.stop, Stop::Event(0));
    assert!(
        (out.t_s - 2.0 * V0 / G).abs() < 1e-6,
        "impact at {} s",
        out.t_s
    );
    assert_eq!(seen.iter().map(|e| e.0).collect::<Vec<_>>(), vec![1, 0]);
}
