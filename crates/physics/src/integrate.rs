//! Numerical integration of ordinary differential equations `dy/dt = f(t, y)`.
//!
//! [`Dopri5`]: the adaptive Dormand-Prince 5(4) pair with the step-size control and the
//! fourth-order dense output of Hairer, Nørsett & Wanner, *Solving Ordinary Differential
//! Equations I* (2nd ed., Springer 1993), §II.4-II.6 (the `DOPRI5` code). The dense output lets
//! events (impact, apogee, altitude crossings) be located inside a step by root finding on the
//! interpolant, to a time tolerance far below a millisecond.
//!
//! States are fixed-size arrays, so a step allocates nothing.

/// A system of first-order ODEs with an `N`-dimensional state.
pub trait System<const N: usize> {
    /// The derivative `dy/dt` at time `t_s` and state `y`.
    fn derivative(&self, t_s: f64, y: &[f64; N]) -> [f64; N];
}

fn axpy<const N: usize>(y: &[f64; N], h: f64, terms: &[(f64, &[f64; N])]) -> [f64; N] {
    let mut out = *y;
    for (coef, k) in terms {
        let c = h * coef;
        for i in 0..N {
            out[i] += c * k[i];
        }
    }
    out
}

/// Tolerances and limits of an adaptive integration.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Tolerances {
    /// Relative tolerance of the local error per step.
    pub rtol: f64,
    /// Absolute tolerance of the local error per step, in the state's units.
    pub atol: f64,
    /// The first step tried, in seconds.
    pub initial_step_s: f64,
    /// The largest step allowed, in seconds.
    pub max_step_s: f64,
}

impl Default for Tolerances {
    fn default() -> Self {
        Self {
            rtol: 1e-10,
            atol: 1e-6,
            initial_step_s: 0.1,
            max_step_s: 30.0,
        }
    }
}

/// One accepted step, with its dense output: the state anywhere in `[t0_s, t1_s]`.
#[derive(Debug, Clone)]
pub struct DenseStep<const N: usize> {
    /// Start of the step.
    pub t0_s: f64,
    /// End of the step; earlier than the end of the computed step when a terminal event cut it.
    pub t1_s: f64,
    /// State at `t0_s`.
    pub y0: [f64; N],
    h_s: f64,
    dy: [f64; N],
    r: [[f64; N]; 3],
}

impl<const N: usize> DenseStep<N> {
    /// The interpolated state at `t_s` in `[t0_s, t1_s]` (fourth order, continuous across steps).
    pub fn at(&self, t_s: f64) -> [f64; N] {
        let theta = (t_s - self.t0_s) / self.h_s;
        let theta1 = 1.0 - theta;
        let mut out = [0.0; N];
        for (i, o) in out.iter_mut().enumerate() {
            *o = self.y0[i]
                + theta
                    * (self.dy[i]
                        + theta1 * (self.r[0][i] + theta * (self.r[1][i] + theta1 * self.r[2][i])));
        }
        out
    }
}

/// Finds the time in `step` where `g` crosses zero, given its values at both ends (opposite
/// signs, or zero at the end), by the Illinois variant of regula falsi on the dense output.
fn locate<const N: usize>(
    step: &DenseStep<N>,
    g: &dyn Fn(f64, &[f64; N]) -> f64,
    g0: f64,
    g1: f64,
) -> f64 {
    let (mut a, mut b, mut ga, mut gb) = (step.t0_s, step.t1_s, g0, g1);
    if gb == 0.0 {
        return b;
    }
    let mut side = 0;
    for _ in 0..200 {
        if (b - a).abs() <= EVENT_TIME_TOLERANCE_S {
            break;
        }
        let c = (a * gb - b * ga) / (gb - ga);
        let c = if c > a && c < b { c } else { 0.5 * (a + b) };
        let gc = g(c, &step.at(c));
        if gc == 0.0 {
            return c;
        }
        if (gc < 0.0) == (gb < 0.0) {
            b = c;
            gb = gc;
            if side == -1 {
                ga *= 0.5;
            }
            side = -1;
        } else {
            a = c;
            ga = gc;
            if side == 1 {
                gb *= 0.5;
            }
            side = 1;
        }
    }
    // The later end keeps the crossing's sign convention: the event has happened by then.
    b
}

/// Largest number of events of one integration.
pub const MAX_EVENTS: usize = 8;

/// Time tolerance to which events are located, in seconds.
pub const EVENT_TIME_TOLERANCE_S: f64 = 1e-7;

/// Why an integration stopped.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Stop {
    /// The end time was reached.
    EndTime,
    /// The terminal event with this index fired.
    Event(usize),
    /// The step size fell below what the floating-point time can resolve.
    StepTooSmall,
}

/// The state at which an integration stopped.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Outcome<const N: usize> {
    pub t_s: f64,
    pub y: [f64; N],
    pub stop: Stop,
    /// Accepted steps taken.
    pub steps: usize,
}

/// An event: a scalar function of the state that fires where it falls through zero (positive
/// at the start of a step, zero or negative at its end), located inside the step. A rise is the
/// fall of the function with its sign turned.
pub struct Event<'a, const N: usize> {
    pub g: &'a dyn Fn(f64, &[f64; N]) -> f64,
    /// Stop the integration at this event.
    pub terminal: bool,
}

impl<const N: usize> std::fmt::Debug for Event<'_, N> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Event")
            .field("terminal", &self.terminal)
            .finish_non_exhaustive()
    }
}

// Dormand & Prince (1980) coefficients, as in Hairer, Nørsett & Wanner (1993), Table II.5.2.
const C2: f64 = 1.0 / 5.0;
const C3: f64 = 3.0 / 10.0;
const C4: f64 = 4.0 / 5.0;
const C5: f64 = 8.0 / 9.0;
const A21: f64 = 1.0 / 5.0;
const A31: f64 = 3.0 / 40.0;
const A32: f64 = 9.0 / 40.0;
const A41: f64 = 44.0 / 45.0;
const A42: f64 = -56.0 / 15.0;
const A43: f64 = 32.0 / 9.0;
const A51: f64 = 19372.0 / 6561.0;
const A52: f64 = -25360.0 / 2187.0;
const A53: f64 = 64448.0 / 6561.0;
const A54: f64 = -212.0 / 729.0;
const A61: f64 = 9017.0 / 3168.0;
const A62: f64 = -355.0 / 33.0;
const A63: f64 = 46732.0 / 5247.0;
const A64: f64 = 49.0 / 176.0;
const A65: f64 = -5103.0 / 18656.0;
const A71: f64 = 35.0 / 384.0;
const A73: f64 = 500.0 / 1113.0;
const A74: f64 = 125.0 / 192.0;
const A75: f64 = -2187.0 / 6784.0;
const A76: f64 = 11.0 / 84.0;
// Error estimate: fifth- minus fourth-order weights.
const E1: f64 = 71.0 / 57600.0;
const E3: f64 = -71.0 / 16695.0;
const E4: f64 = 71.0 / 1920.0;
const E5: f64 = -17253.0 / 339200.0;
const E6: f64 = 22.0 / 525.0;
const E7: f64 = -1.0 / 40.0;
// Dense output (Hairer's `CONTD5`, after Shampine 1986).
const D1: f64 = -12715105075.0 / 11282082432.0;
const D3: f64 = 87487479700.0 / 32700410799.0;
const D4: f64 = -10690763975.0 / 1880347072.0;
const D5: f64 = 701980252875.0 / 199316789632.0;
const D6: f64 = -1453857185.0 / 822651844.0;
const D7: f64 = 69997945.0 / 29380423.0;

/// The adaptive Dormand-Prince 5(4) integrator.
#[derive(Debug, Clone, Copy)]
pub struct Dopri5 {
    pub tol: Tolerances,
}

impl Dopri5 {
    pub fn new(tol: Tolerances) -> Self {
        Self { tol }
    }

    /// Integrates from `(t0_s, y0)` until `t_end_s` or a terminal event. `on_step` sees every
    /// accepted step (with dense output) and the events that fired inside it, as (index, time)
    /// in time order. A terminal event ends the integration at the event's time, with the state
    /// interpolated there; the last step passed to `on_step` is cut at that time, and its events
    /// end with the terminal one. At most [`MAX_EVENTS`] events.
    pub fn integrate<const N: usize, S: System<N>>(
        &self,
        sys: &S,
        t0_s: f64,
        y0: [f64; N],
        t_end_s: f64,
        events: &[Event<'_, N>],
        mut on_step: impl FnMut(&DenseStep<N>, &[(usize, f64)]),
    ) -> Outcome<N> {
        let tol = self.tol;
        let mut t = t0_s;
        let mut y = y0;
        let mut k1 = sys.derivative(t, &y);
        let mut h = tol.initial_step_s.min(t_end_s - t0_s).max(0.0);
        let mut steps = 0;
        let mut g_prev = [0.0; MAX_EVENTS];
        assert!(events.len() <= MAX_EVENTS, "at most {MAX_EVENTS} events");
        for (gp, ev) in g_prev.iter_mut().zip(events) {
            *gp = (ev.g)(t, &y);
        }
        if t_end_s <= t0_s {
            return Outcome {
                t_s: t,
                y,
                stop: Stop::EndTime,
                steps,
            };
        }
        loop {
            if t + h > t_end_s {
                h = t_end_s - t;
            }
            if h <= t.abs().max(1.0) * 4.0 * f64::EPSILON {
                // A step that fell short of the end by rounding has reached it.
                let stop = if t_end_s - t <= t.abs().max(1.0) * 4.0 * f64::EPSILON {
                    Stop::EndTime
                } else {
                    Stop::StepTooSmall
                };
                return Outcome {
                    t_s: t,
                    y,
                    stop,
                    steps,
                };
            }
            let k2 = sys.derivative(t + C2 * h, &axpy(&y, h, &[(A21, &k1)]));
            let k3 = sys.derivative(t + C3 * h, &axpy(&y, h, &[(A31, &k1), (A32, &k2)]));
            let k4 = sys.derivative(
                t + C4 * h,
                &axpy(&y, h, &[(A41, &k1), (A42, &k2), (A43, &k3)]),
            );
            let k5 = sys.derivative(
                t + C5 * h,
                &axpy(&y, h, &[(A51, &k1), (A52, &k2), (A53, &k3), (A54, &k4)]),
            );
            let k6 = sys.derivative(
                t + h,
                &axpy(
                    &y,
                    h,
                    &[(A61, &k1), (A62, &k2), (A63, &k3), (A64, &k4), (A65, &k5)],
                ),
            );
            let y_new = axpy(
                &y,
                h,
                &[(A71, &k1), (A73, &k3), (A74, &k4), (A75, &k5), (A76, &k6)],
            );
            let k7 = sys.derivative(t + h, &y_new);
            let mut err_sq = 0.0;
            for i in 0..N {
                let e = h
                    * (E1 * k1[i] + E3 * k3[i] + E4 * k4[i] + E5 * k5[i] + E6 * k6[i] + E7 * k7[i]);
                let scale = tol.atol + tol.rtol * y[i].abs().max(y_new[i].abs());
                err_sq += (e / scale) * (e / scale);
            }
            let err = (err_sq / N as f64).sqrt();
            if !err.is_finite() {
                h *= 0.2;
                continue;
            }
            let factor = (0.9 * err.powf(-0.2)).clamp(0.2, 5.0);
            if err > 1.0 {
                h *= factor.min(1.0);
                continue;
            }
            // Accepted: build the dense output.
            let mut r = [[0.0; N]; 3];
            let mut dy = [0.0; N];
            for i in 0..N {
                dy[i] = y_new[i] - y[i];
                let bspl = h * k1[i] - dy[i];
                r[0][i] = bspl;
                r[1][i] = dy[i] - h * k7[i] - bspl;
                r[2][i] = h
                    * (D1 * k1[i] + D3 * k3[i] + D4 * k4[i] + D5 * k5[i] + D6 * k6[i] + D7 * k7[i]);
            }
            let mut step = DenseStep {
                t0_s: t,
                t1_s: t + h,
                y0: y,
                h_s: h,
                dy,
                r,
            };
            steps += 1;
            // Events: every crossing inside this step, in time order, up to the first
            // terminal one.
            let mut fired = [(0usize, 0.0f64); MAX_EVENTS];
            let mut n = 0;
            for (idx, ev) in events.iter().enumerate() {
                let g_new = (ev.g)(step.t1_s, &y_new);
                if g_prev[idx] > 0.0 && g_new <= 0.0 {
                    fired[n] = (idx, locate(&step, ev.g, g_prev[idx], g_new));
                    n += 1;
                }
                g_prev[idx] = g_new;
            }
            let fired = &mut fired[..n];
            fired.sort_by(|a, b| a.1.total_cmp(&b.1));
            if let Some(k) = fired.iter().position(|&(idx, _)| events[idx].terminal) {
                let (idx, te) = fired[k];
                step.t1_s = te;
                on_step(&step, &fired[..=k]);
                return Outcome {
                    t_s: te,
                    y: step.at(te),
                    stop: Stop::Event(idx),
                    steps,
                };
            }
            on_step(&step, fired);
            t += h;
            y = y_new;
            k1 = k7;
            h = (h * factor).min(tol.max_step_s);
            if t >= t_end_s {
                return Outcome {
                    t_s: t,
                    y,
                    stop: Stop::EndTime,
                    steps,
                };
            }
        }
    }
}
