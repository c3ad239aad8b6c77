//! Integrators against closed-form solutions.

use skyshield_physics::integrate::{Dopri5, Event, Stop, System, Tolerances};

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
            terminal: true,
        },
        Event {
            g: &apogee,
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
            terminal: true,
        },
        Event {
            g: &apogee,
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

/// A push growing with time: x'' = t², so x = t⁴/12 and v = t³/3 from rest at 0.
struct Push;
impl System<2> for Push {
    fn derivative(&self, t: f64, y: &[f64; 2]) -> [f64; 2] {
        [y[1], t * t]
    }
}

/// A fifth-order method is exact on a solution of the fourth degree in time, and its dense
/// output, of the fourth order, inside every step: the stages are taken at their own times.
#[test]
fn a_system_that_depends_on_time_is_integrated_at_each_stages_time() {
    let tol = Tolerances {
        initial_step_s: 0.3,
        max_step_s: 1.7,
        ..Tolerances::default()
    };
    let mut worst: f64 = 0.0;
    let mut steps = 0;
    let out = Dopri5::new(tol).integrate(&Push, 0.0, [0.0, 0.0], 10.0, &[], |step, _| {
        steps += 1;
        for k in 0..=4 {
            let t = step.t0_s + (step.t1_s - step.t0_s) * k as f64 / 4.0;
            worst = worst.max((step.at(t)[0] - t.powi(4) / 12.0).abs());
        }
    });
    assert_eq!(out.stop, Stop::EndTime);
    assert!((out.y[0] - 1e4 / 12.0).abs() < 1e-9, "x = {}", out.y[0]);
    assert!((out.y[1] - 1e3 / 3.0).abs() < 1e-9, "v = {}", out.y[1]);
    assert!(worst < 1e-9, "worst dense-output error {worst}");
    // No error to control: the steps grow five times a step up to the largest.
    assert!(steps <= 9, "{steps} steps");
}

/// Bisecting a step of a few seconds down to the event tolerance of 1e-7 s takes some 25
/// evaluations of an event's function: the Illinois method takes at most half as many.
const HALF_OF_BISECTION: usize = 12;

/// The height itself as an event's function.
fn height(h: f64) -> f64 {
    h
}

/// A function of the height far steeper above zero than below (its exponential in 20 m): a chord
/// across the step meets zero near its late end, and without the Illinois method's halving of
/// the early end's value the late end would creep towards the crossing.
fn steep(h: f64) -> f64 {
    (h / 20.0).exp() - 1.0
}

/// The Illinois method homes on a crossing in a few evaluations of the event's function (8 in
/// steps of up to 3 s, 6 in steps of up to 0.7 s, 12 for a function far steeper on one side).
#[test]
fn an_event_is_located_in_a_few_evaluations_of_its_function() {
    let steps_and_functions = [(3.0, height as fn(f64) -> f64), (0.7, height), (3.0, steep)];
    for (max_step_s, g) in steps_and_functions {
        let calls = std::cell::Cell::new(0);
        let impact = |_t: f64, y: &[f64; 2]| {
            calls.set(calls.get() + 1);
            g(y[0])
        };
        let events = [Event {
            g: &impact,
            terminal: true,
        }];
        let tol = Tolerances {
            max_step_s,
            ..Tolerances::default()
        };
        let out = Dopri5::new(tol).integrate(&Throw, 0.0, [1e-9, V0], 100.0, &events, |_, _| {});
        assert_eq!(out.stop, Stop::Event(0));
        assert!(
            (out.t_s - 2.0 * V0 / G).abs() < 1e-7,
            "impact at {} s",
            out.t_s
        );
        // One evaluation at the start and one at the end of each step; the rest locate.
        let locating = calls.get() - 1 - out.steps;
        assert!(
            locating <= HALF_OF_BISECTION,
            "{locating} evaluations to locate the impact in steps of up to {max_step_s} s"
        );
    }
}

/// x = cos t falls through zero at π/2 and 5π/2 and rises through it at 3π/2: an event on x
/// fires at the falls, one on −x at the rise.
#[test]
fn an_event_fires_where_its_function_falls_through_zero() {
    let x = |_t: f64, y: &[f64; 2]| y[0];
    let minus_x = |_t: f64, y: &[f64; 2]| -y[0];
    let events = [
        Event {
            g: &x,
            terminal: false,
        },
        Event {
            g: &minus_x,
            terminal: false,
        },
    ];
    let mut fired = Vec::new();
    let tol = Tolerances {
        rtol: 1e-10,
        atol: 1e-12,
        initial_step_s: 0.1,
        max_step_s: 0.5,
    };
    let out = Dopri5::new(tol).integrate(&Oscillator, 0.0, [1.0, 0.0], 10.0, &events, |_, ev| {
        fired.extend_from_slice(ev);
    });
    assert_eq!(out.stop, Stop::EndTime);
    let pi = std::f64::consts::PI;
    let expected = [(0, pi / 2.0), (1, 1.5 * pi), (0, 2.5 * pi)];
    assert_eq!(fired.len(), expected.len(), "{fired:?}");
    for (&(i, t), &(j, exact)) in fired.iter().zip(&expected) {
        assert!(i == j && (t - exact).abs() < 1e-7, "{fired:?}");
    }
}

/// y' = t·y: y = exp(t²/2) from 1 at 0.
struct Growth;
impl System<1> for Growth {
    fn derivative(&self, t: f64, y: &[f64; 1]) -> [f64; 1] {
        [t * y[0]]
    }
}

/// The tolerances [`Growth`] is integrated to.
const GROWTH_TOLERANCES: Tolerances = Tolerances {
    rtol: 1e-10,
    atol: 1e-12,
    initial_step_s: 0.1,
    max_step_s: 1.0,
};

/// Of the fifth order at every stage's time: 125 steps to 3 s at a relative tolerance of
/// 1e-10, where a stage taken at the wrong time drops the order and the step control makes up
/// for it with 421 steps or more.
#[test]
fn a_rate_that_grows_with_time_and_state_is_followed_to_its_tolerance_in_few_steps() {
    let out = Dopri5::new(GROWTH_TOLERANCES).integrate(&Growth, 0.0, [1.0], 3.0, &[], |_, _| {});
    let exact = 4.5f64.exp();
    assert!(
        (out.y[0] - exact).abs() < 1e-8 * exact,
        "y(3) = {}",
        out.y[0]
    );
    assert!(out.steps <= 200, "{} steps", out.steps);
}

struct Blowup;
impl System<1> for Blowup {
    fn derivative(&self, _t: f64, y: &[f64; 1]) -> [f64; 1] {
        [y[0] * y[0]]
    }
}

/// y' = y² from 1 at 0: y = 1/(1 − t) goes to infinity at 1, and the steps shrink until the
/// time cannot resolve them, there (the numerical solution a tenth of a microsecond later).
#[test]
fn a_solution_that_blows_up_stops_with_a_step_too_small_short_of_it() {
    let tol = Tolerances {
        initial_step_s: 0.1,
        ..Tolerances::default()
    };
    let out = Dopri5::new(tol).integrate(&Blowup, 0.0, [1.0], 2.0, &[], |_, _| {});
    assert_eq!(out.stop, Stop::StepTooSmall, "{out:?}");
    assert!((out.t_s - 1.0).abs() < 1e-6 && out.y[0] > 1e12, "{out:?}");
}

/// Three copies of [`Growth`].
struct Copies;
impl System<3> for Copies {
    fn derivative(&self, t: f64, y: &[f64; 3]) -> [f64; 3] {
        y.map(|y| t * y)
    }
}

/// A step's error is the root mean square of its components' errors, each against its own
/// tolerance: three copies of one equation take the steps of the equation alone.
#[test]
fn the_error_of_a_step_is_the_root_mean_square_of_its_components() {
    let one = Dopri5::new(GROWTH_TOLERANCES).integrate(&Growth, 0.0, [1.0], 3.0, &[], |_, _| {});
    let three =
        Dopri5::new(GROWTH_TOLERANCES).integrate(&Copies, 0.0, [1.0; 3], 3.0, &[], |_, _| {});
    assert_eq!(three.steps, one.steps, "{three:?} against {one:?}");
    for y in three.y {
        assert!(
            (y - one.y[0]).abs() <= 1e-14 * one.y[0],
            "{y} against {}",
            one.y[0]
        );
    }
}
