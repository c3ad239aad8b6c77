//! The targeting solver: the controls that bring a full-physics flight of a rocket-powered
//! vehicle ([`crate::ballistic`]) onto an aim point with a chosen shape.
//!
//! # Range control
//! A guided missile sets its range with the thrust cut-off time and its trajectory's shape with
//! the commanded burnout attitude; an impulsive vehicle alike with its burnout speed and
//! flight-path angle. An unguided rocket burns to completion and sets its range with its
//! quadrant elevation alone: each range short of the longest is reached on two paths, a low one
//! and a high one.
//!
//! A quasi-ballistic missile (one with an apogee ceiling) flies its nominal trajectory
//! ([`TrajectoryShape::MinEnergy`]) on a full burn of its solid motor: the burnout angle sets the
//! range, on the flat side of the longest flight and no steeper than the angle whose apogee
//! reaches the ceiling, so that the ceiling caps the climb; the commanded angle may go below the
//! horizontal (to [`LOWEST_FULL_BURN_COMMAND_DEG`]) for the shorter ranges. A range beyond the
//! reach of that angle is flown at it, and the pull-up glide of the missile's terminal steering
//! ([`crate::aerodynamics`]) extends the flight to the aim, or the aim is refused as out of
//! reach. At a range so short that even the flattest full burn overshoots it (or rises above the
//! ceiling), the missile terminates its thrust like a ballistic one. Every search flies the
//! ballistic reference, without the terminal steering; the final flight steers onto the aim,
//! and is refused when it misses it.
//!
//! # Shapes
//! With thrust termination, [`TrajectoryShape::MinEnergy`] is the trajectory with the least
//! burnout energy (shortest burn, or lowest burnout speed); [`TrajectoryShape::Lofted`] and
//! [`TrajectoryShape::Depressed`] reach the same aim point with an apogee above or below it (by
//! default [`LOFTED_APOGEE_RATIO`] and [`DEPRESSED_APOGEE_RATIO`] times the minimum-energy
//! apogee). A missile with an apogee ceiling ([`crate::ballistic::BoostedMissile::max_apogee_m`])
//! that terminates its thrust and whose minimum-energy trajectory would rise above the ceiling
//! flies the least-energy trajectory under it instead (aiming 50 m below it, so that the flown
//! apogee stays under), and its default depressed apogee is at most that; its lofted and
//! depressed trajectories are flown with thrust termination. With the shape alone
//! controlling the range (rockets), minimum energy and depressed are the low path, lofted the high
//! one.
//!
//! A shape that the vehicle cannot fly to an aim point is refused with the limit it meets
//! ([`FlightError`]): the longest or the shortest flight of the model from the launch point, the
//! apogee ceiling, or the lowest or highest apogee of the trajectories to that range.
//!
//! # Method
//! Every search iterates on full-physics flights and brackets before it refines: a control is
//! scanned for the first cell where the range passes the aim's distance before Brent's method
//! finds the root, and the longest flight over the shape is scanned for its best cell before
//! Brent's minimiser refines it. The minimum-energy trajectory is the longest flight of the
//! least energy that reaches the aim (Brent's method on the energy, the longest flight over the
//! shape at each, located only as finely as its length needs). The launch azimuth is corrected by
//! a fixed-point iteration on the cross-range miss that the Earth's rotation causes, which stops
//! once a step no longer halves the miss; each of its steps searches the root of its control
//! outwards from the root of the step before, in growing steps. Searches fly with a looser
//! integration tolerance; the final trajectory is flown with the tight one.

use crate::ballistic::{Ballistic, Controls, Flyer, Guidance, Shot};
use crate::earth::Geodetic;
use crate::earth_model::EarthModel;
use crate::numeric;
use crate::trajectory::{Burnout, Flight, FlightError, TrajectoryShape};

/// Default lofted apogee relative to the minimum-energy apogee.
pub const LOFTED_APOGEE_RATIO: f64 = 1.5;
/// Default depressed apogee relative to the minimum-energy apogee.
pub const DEPRESSED_APOGEE_RATIO: f64 = 0.6;

/// Miss distance below which the solver stops refining, m: a hundredth of the threats'
/// smallest CEPs (tens of metres), a tenth of the accepted miss.
const MISS_TOLERANCE_M: f64 = 0.5;
/// Miss distance below which the azimuth iteration of the search's loose flights stops, m: its
/// azimuth is the start of the tight flights' iteration.
const AZIMUTH_SEARCH_TOLERANCE_M: f64 = 1.0;
/// Largest miss of an accepted solution, m: the range is a function of the controls with
/// metre-sized steps where the integrator's step sequence changes (at the switches of a
/// quasi-ballistic missile's manoeuvres).
const MISS_ACCEPT_M: f64 = 5.0;
/// Largest range error accepted in the search, whose looser integration makes the range a
/// slightly noisy function of the controls, m.
const SEARCH_ACCEPT_M: f64 = 100.0;
/// How far under an apogee ceiling the solver aims when the ceiling caps a shape, m: the search
/// integrates more loosely than the final flight, whose apogee differs from the search's by
/// metres, and the flight must stay under the ceiling.
const CEILING_MARGIN_M: f64 = 50.0;
/// Lowest burnout angle the pitch program of a missile with an apogee ceiling is commanded to,
/// degrees. The program then pitches over through the horizontal, so that a full burn flies
/// shorter ranges on a flatter, lower path; the angle the missile reaches at burnout stays well
/// above the command, since the program's angle of attack is bounded
/// ([`crate::ballistic::MAX_PITCH_AOA_DEG`]). Notional.
pub const LOWEST_FULL_BURN_COMMAND_DEG: f64 = -30.0;
/// First step from a guess at a control's root, as a fraction of the control's interval: a
/// guess from the search is some metres of range from the root of the tight flights, a
/// thousandth or less of the interval.
const GUESS_STEP: f64 = 1e-4;
/// Largest number of growing steps from a guess before the whole interval is scanned.
const GUESS_STEPS: usize = 5;
/// Cells of the scan that brackets the root of a control, and of the scan over the shape for
/// the longest flight.
const ROOT_CELLS: usize = 8;
const SHAPE_CELLS: usize = 16;
/// Half-width of the shape bracket around the previous longest-flight shape, rad.
const SHAPE_WINDOW_RAD: f64 = 0.1;
/// Largest overshoot handed to Brent's methods, m (a flight that does not land overshoots
/// infinitely).
const OVERSHOOT_CAP_M: f64 = 1e9;

fn wrap_rad(a: f64) -> f64 {
    let two_pi = std::f64::consts::TAU;
    a - two_pi * ((a + std::f64::consts::PI) / two_pi).floor()
}

/// A bracket `(a, b, f(a), f(b))` with `f(a) < 0 <= f(b)` of a rise of `f` through zero near
/// `guess` in `[lo, hi]`: from the guess, steps towards the rise (up while `f` is negative,
/// down while it is not) of [`GUESS_STEP`] of the interval, growing fourfold, at most
/// [`GUESS_STEPS`] of them (some 3 % of the interval). `None` when they find none.
fn rise_near(
    f: &mut impl FnMut(f64) -> f64,
    guess: f64,
    lo: f64,
    hi: f64,
) -> Option<(f64, f64, f64, f64)> {
    let mut x = guess.clamp(lo, hi);
    let mut fx = f(x);
    let up = fx < 0.0;
    let mut step = GUESS_STEP * (hi - lo);
    for _ in 0..GUESS_STEPS {
        let next = if up {
            (x + step).min(hi)
        } else {
            (x - step).max(lo)
        };
        if next == x {
            return None;
        }
        let f_next = f(next);
        if up && f_next >= 0.0 {
            return Some((x, next, fx, f_next));
        }
        if !up && f_next < 0.0 {
            return Some((next, x, f_next, fx));
        }
        (x, fx) = (next, f_next);
        step *= 4.0;
    }
    None
}

/// The targeting problem of one launch point and one aim point.
struct Targeting<'a> {
    flyer: Flyer<'a>,
    /// The same flyer with the looser tolerance of the search.
    search: Flyer<'a>,
    aim: Geodetic,
    range_m: f64,
    azimuth_rad: f64,
    /// Bounds of the shape control, rad.
    shape: (f64, f64),
    /// Bounds of the energy control (cut-off time, s, or burnout speed, m/s).
    energy: (f64, f64),
    /// Tolerance of the shape of a longest flight, rad.
    x_tol_shape: f64,
    /// Tolerance of the shape of a longest flight whose length alone matters, rad (the range
    /// is flat about its longest flight: an error δ in the shape shortens it by about
    /// `½·R''·δ²`).
    x_tol_reach: f64,
}

/// A solution of the search: controls and the flight they give.
type Solution = (Controls, Shot);

impl Targeting<'_> {
    fn controls(azimuth_rad: f64, shape_rad: f64, energy: f64) -> Controls {
        Controls {
            azimuth_rad,
            shape_rad,
            energy,
        }
    }

    /// Signed range error of a shot, m: positive when it falls beyond the aim's distance,
    /// infinite when it does not land.
    fn overshoot(&self, shot: &Shot) -> f64 {
        if !shot.landed {
            return f64::INFINITY;
        }
        self.flyer
            .earth
            .surface_path(&self.flyer.launch, &shot.impact)
            .distance_m
            - self.range_m
    }

    /// Range error to which a root of the controls is refined with `flyer`, m.
    fn refine_m(flyer: &Flyer<'_>) -> f64 {
        0.2 * if flyer.search {
            AZIMUTH_SEARCH_TOLERANCE_M
        } else {
            MISS_TOLERANCE_M
        }
    }

    fn accept_m(flyer: &Flyer<'_>) -> f64 {
        if flyer.search {
            SEARCH_ACCEPT_M
        } else {
            MISS_ACCEPT_M
        }
    }

    /// The least energy at shape `shape_rad` whose flight reaches the aim's distance, near
    /// `guess` when given: `None` when no energy reaches it.
    fn energy_at(
        &self,
        flyer: &Flyer<'_>,
        azimuth_rad: f64,
        shape_rad: f64,
        guess: Option<f64>,
    ) -> Option<Solution> {
        let c = |e| Self::controls(azimuth_rad, shape_rad, e);
        self.reaching(flyer, c, self.energy, guess)
    }

    /// The least value in `(lo, hi)` of the one control that `c` varies whose flight reaches
    /// the aim's distance, near `guess` when given: `None` when none reaches it.
    fn reaching(
        &self,
        flyer: &Flyer<'_>,
        c: impl Fn(f64) -> Controls,
        (lo, hi): (f64, f64),
        guess: Option<f64>,
    ) -> Option<Solution> {
        // Every flight flown, so that the root's own is not flown again.
        let mut flown: Vec<(f64, Shot)> = Vec::new();
        let mut f = |x: f64| {
            let shot = flyer.fly(c(x), None);
            let over = self.overshoot(&shot).min(OVERSHOOT_CAP_M);
            flown.push((x, shot));
            over
        };
        let f_tol = Self::refine_m(flyer);
        let (x, _) = match guess.and_then(|g| rise_near(&mut f, g, lo, hi)) {
            Some((a, b, fa, fb)) => numeric::brent_root(&mut f, a, b, fa, fb, 1e-10, f_tol),
            None => {
                if f(hi) < 0.0 {
                    return None;
                }
                numeric::first_rise(&mut f, lo, hi, ROOT_CELLS, 1e-10, f_tol)?
            }
        };
        let shot = match flown.iter().rposition(|(xk, _)| *xk == x) {
            Some(k) => flown.swap_remove(k).1,
            None => flyer.fly(c(x), None),
        };
        // A bracket around a jump (a flight that stops landing) is no root.
        (self.overshoot(&shot).abs() <= Self::accept_m(flyer)).then_some((c(x), shot))
    }

    /// The shape of the longest flight at energy `energy`, searched near `near` when given and
    /// located to `x_tol`, and its overshoot (negative: short of the aim).
    fn farthest(&self, azimuth_rad: f64, energy: f64, near: Option<f64>, x_tol: f64) -> (f64, f64) {
        let (lo, hi) = self.shape;
        let reach = |s: f64| {
            let shot = self
                .search
                .fly(Self::controls(azimuth_rad, s, energy), None);
            // A flight that does not land is no candidate.
            if shot.landed {
                self.overshoot(&shot)
            } else {
                f64::NEG_INFINITY
            }
        };
        if let Some(s0) = near {
            let (a, b) = (
                (s0 - SHAPE_WINDOW_RAD).max(lo),
                (s0 + SHAPE_WINDOW_RAD).min(hi),
            );
            let (s, neg) = numeric::brent_min(|s| -reach(s), a, b, x_tol);
            // A maximum inside the window, away from its edges, is the maximum.
            let margin = 10.0 * x_tol;
            if (s - a > margin || a == lo) && (b - s > margin || b == hi) {
                return (s, -neg);
            }
        }
        numeric::scanned_max(reach, lo, hi, SHAPE_CELLS, x_tol)
    }

    /// Repeats `solve_at(flyer, azimuth, previous)` while correcting the azimuth for the
    /// cross-range miss, `previous` the controls of the step before (none at the first):
    /// first with the loose flights of the search, then, from the solution they found, with the
    /// tight ones, which then need a step or two.
    fn with_azimuth(
        &self,
        solve_at: impl Fn(&Flyer<'_>, f64, Option<Controls>) -> Option<Solution>,
    ) -> Option<Solution> {
        let searched = self
            .azimuth_steps(&self.search, self.azimuth_rad, None, &solve_at)
            .map(|(c, _, _)| c);
        let start = searched.map_or(self.azimuth_rad, |c| c.azimuth_rad);
        // A solution that still misses is no solution.
        self.azimuth_steps(&self.flyer, start, searched, &solve_at)
            .filter(|b| b.2 < MISS_ACCEPT_M)
            .map(|(c, s, _)| (c, s))
    }

    /// The azimuth iteration from `start` with `flyer`, after a solution with controls
    /// `previous` when given: the best solution and its miss, m.
    fn azimuth_steps(
        &self,
        flyer: &Flyer<'_>,
        start: f64,
        mut previous: Option<Controls>,
        solve_at: &impl Fn(&Flyer<'_>, f64, Option<Controls>) -> Option<Solution>,
    ) -> Option<(Controls, Shot, f64)> {
        let tolerance_m = if flyer.search {
            AZIMUTH_SEARCH_TOLERANCE_M
        } else {
            MISS_TOLERANCE_M
        };
        let mut azimuth = start;
        let mut best: Option<(Controls, Shot, f64)> = None;
        for _ in 0..10 {
            // A step that finds no solution ends the iteration; the best so far may do.
            let Some((c, shot)) = solve_at(flyer, azimuth, previous) else {
                break;
            };
            previous = Some(c);
            let miss = self
                .flyer
                .earth
                .surface_path(&self.aim, &shot.impact)
                .distance_m;
            let flown = self
                .flyer
                .earth
                .surface_path(&self.flyer.launch, &shot.impact);
            azimuth += wrap_rad(self.azimuth_rad - flown.azimuth1_deg.to_radians());
            // The iteration shrinks the miss a hundredfold a step; a step that does not halve
            // it meets the noise of the range in the controls, where it stops.
            let stalled = best.as_ref().is_some_and(|b| miss > 0.5 * b.2);
            if best.as_ref().is_none_or(|b| miss < b.2) {
                best = Some((c, shot, miss));
            }
            if miss < tolerance_m || stalled {
                break;
            }
        }
        best
    }
}

/// Flies `vehicle` from `launch` onto `aim` over `earth` with the trajectory `shape`.
///
/// The aim's height is the height of the impact. Returns the flight with samples every second.
pub fn solve(
    vehicle: Ballistic<'_>,
    earth: &EarthModel,
    launch: &Geodetic,
    aim: &Geodetic,
    shape: TrajectoryShape,
) -> Result<Flight, FlightError> {
    let path = earth.surface_path(launch, aim);
    let range_km = path.distance_m / 1e3;
    if let Ballistic::Boosted(m) = vehicle {
        if path.distance_m > m.max_range_m {
            return Err(FlightError::BeyondMaxRange {
                range_km,
                max_km: m.max_range_m / 1e3,
            });
        }
        if path.distance_m < m.min_range_m {
            return Err(FlightError::BelowMinRange {
                range_km,
                min_km: m.min_range_m / 1e3,
            });
        }
    }
    let (shape_bounds_deg, energy, x_tol_shape, x_tol_reach): ((f64, f64), (f64, f64), f64, f64) =
        match vehicle {
            Ballistic::Boosted(m) if m.guidance == Guidance::Unguided => {
                ((1.0, 89.0), (0.0, 0.0), 1e-7, 1e-7)
            }
            Ballistic::Boosted(m) => (
                (
                    if m.max_apogee_m.is_some() {
                        LOWEST_FULL_BURN_COMMAND_DEG
                    } else {
                        5.0
                    },
                    89.9,
                ),
                (m.vertical_rise_s() + 0.05 * m.burn_time_s, m.burn_time_s),
                1e-4,
                // Some metres of a range of hundreds of kilometres.
                1e-3,
            ),
            // From a standstill to just under the circular speed at the surface; the textbook
            // comparison wants the minimum-energy apogee to metres.
            Ballistic::Impulsive => ((3.0, 87.0), (100.0, 7_800.0), 1e-7, 1e-7),
        };
    let targeting = Targeting {
        flyer: Flyer::new(vehicle, earth, *launch, aim.height_m(), false),
        search: Flyer::new(vehicle, earth, *launch, aim.height_m(), true),
        aim: *aim,
        range_m: path.distance_m,
        azimuth_rad: path.azimuth1_deg.to_radians(),
        shape: (
            shape_bounds_deg.0.to_radians(),
            shape_bounds_deg.1.to_radians(),
        ),
        energy,
        x_tol_shape,
        x_tol_reach,
    };
    let ceiling_m = match vehicle {
        Ballistic::Boosted(m) => m.max_apogee_m,
        Ballistic::Impulsive => None,
    };
    let (controls, _) = if energy.0 == energy.1 {
        solve_by_shape(&targeting, shape, range_km)?
    } else {
        solve_by_energy(&targeting, shape, range_km, ceiling_m)?
    };
    // The search flies the ballistic reference; the flight itself steers onto the aim.
    let steered = Flyer::new(vehicle, earth, *launch, aim.height_m(), false).steering(aim);
    let mut samples = Vec::new();
    let shot = steered.fly(controls, Some(&mut samples));
    let miss_m = earth.surface_path(aim, &shot.impact).distance_m;
    if miss_m > MISS_ACCEPT_M {
        let flown_m = earth.surface_path(launch, &shot.impact).distance_m;
        return Err(if shot.landed && flown_m < path.distance_m {
            FlightError::OutOfReach {
                range_km,
                reach_km: flown_m / 1e3,
            }
        } else {
            FlightError::NoSolution {
                shape: shape.name(),
                range_km,
                reason: format!("the terminal steering missed the aim by {miss_m:.0} m"),
            }
        });
    }
    Ok(Flight {
        flight_time_s: shot.flight_time_s,
        apogee_m: shot.apogee_m,
        range_m: earth.surface_path(launch, &shot.impact).distance_m,
        burnout: Some(match vehicle {
            Ballistic::Impulsive => Burnout {
                time_s: 0.0,
                speed_m_s: controls.energy,
                angle_deg: controls.shape_rad.to_degrees(),
            },
            Ballistic::Boosted(_) => Burnout {
                time_s: shot.burnout_time_s,
                speed_m_s: shot.burnout_speed_m_s,
                angle_deg: shot.burnout_angle_deg,
            },
        }),
        impact: shot.impact,
        miss_m,
        max_speed_m_s: shot.max_speed_m_s,
        reentry_speed_m_s: shot.reentry_speed_m_s,
        impact_speed_m_s: shot.impact_speed_m_s,
        launch_azimuth_deg: controls.azimuth_rad.to_degrees().rem_euclid(360.0),
        samples,
    })
}

fn no_convergence(shape: TrajectoryShape, range_km: f64) -> FlightError {
    FlightError::NoSolution {
        shape: shape.name(),
        range_km,
        reason: "the azimuth correction did not converge".to_string(),
    }
}

/// Range set by the energy, shape by the attitude: guided missiles with thrust termination and
/// impulsive vehicles.
fn solve_by_energy(
    t: &Targeting<'_>,
    shape: TrajectoryShape,
    range_km: f64,
    ceiling_m: Option<f64>,
) -> Result<Solution, FlightError> {
    let (e_lo, e_hi) = t.energy;
    let az = t.azimuth_rad;
    // The longest flight at full energy: beyond it nothing reaches.
    let (s_far, over_far) = t.farthest(az, e_hi, None, t.x_tol_shape);
    if over_far < 0.0 {
        return Err(FlightError::OutOfReach {
            range_km,
            reach_km: range_km + over_far / 1e3,
        });
    }
    if let (TrajectoryShape::MinEnergy, Some(ceiling)) = (shape, ceiling_m)
        && let Some(solution) = full_burn(t, s_far, ceiling - CEILING_MARGIN_M)
    {
        return Ok(solution);
    }
    let (_, over_near) = t.farthest(az, e_lo, Some(s_far), t.x_tol_reach);
    if over_near >= 0.0 {
        return Err(FlightError::TooClose {
            shape: shape.name(),
            range_km,
            shortest_km: range_km + over_near / 1e3,
        });
    }
    // Minimum energy: the least energy whose longest flight reaches the aim; the longest flight
    // grows with the energy.
    let mut near = s_far;
    let (e_me, _) = numeric::brent_root(
        |e| {
            let (s, over) = t.farthest(az, e, Some(near), t.x_tol_reach);
            near = s;
            over.min(OVERSHOOT_CAP_M)
        },
        e_lo,
        e_hi,
        over_near,
        over_far,
        1e-9 * (e_hi - e_lo),
        // The energy found is a guess for the final search at the tight tolerance.
        SEARCH_ACCEPT_M * 0.1,
    );
    let (s_me, _) = t.farthest(az, e_me, Some(near), t.x_tol_shape);
    let (_, me_shot) = t
        .energy_at(&t.search, az, s_me, Some(e_me))
        .ok_or_else(|| no_convergence(shape, range_km))?;
    let apogee_me = me_shot.apogee_m;
    let aim_under = ceiling_m.map(|c| c - CEILING_MARGIN_M);
    let capped = aim_under.filter(|&c| apogee_me > c);
    let target = match shape {
        TrajectoryShape::MinEnergy => capped,
        TrajectoryShape::Lofted { apogee_m } => {
            Some(apogee_m.unwrap_or(LOFTED_APOGEE_RATIO * apogee_me))
        }
        TrajectoryShape::Depressed { apogee_m } => Some(apogee_m.unwrap_or_else(|| {
            let depressed = DEPRESSED_APOGEE_RATIO * apogee_me;
            aim_under.map_or(depressed, |c| depressed.min(c))
        })),
    };
    let Some(apogee) = target else {
        return t
            .with_azimuth(|flyer, az, previous| {
                t.energy_at(flyer, az, s_me, Some(previous.map_or(e_me, |c| c.energy)))
            })
            .ok_or_else(|| no_convergence(shape, range_km));
    };
    if let Some(ceiling) = ceiling_m
        && apogee > ceiling * (1.0 + 1e-9)
    {
        return Err(FlightError::AboveCeiling {
            shape: shape.name(),
            range_km,
            apogee_km: apogee / 1e3,
            ceiling_km: ceiling / 1e3,
        });
    }
    let s = shape_for_apogee(t, shape, range_km, (s_me, e_me, apogee_me), apogee)?;
    t.with_azimuth(|flyer, az, previous| {
        t.energy_at(flyer, az, s.0, Some(previous.map_or(s.1, |c| c.energy)))
    })
    .ok_or_else(|| no_convergence(shape, range_km))
}

/// The nominal flight of a missile with an apogee ceiling (a quasi-ballistic missile): its solid
/// motor burns to depletion and the burnout angle sets the range, on the flat side of the
/// longest flight (`s_far`) and no steeper than the angle whose apogee is `aim_under`. A range
/// beyond the ballistic reach of that angle is flown at it, and the terminal steering's pull-up
/// extends the flight to the aim (the final flight is checked). `None` when the full burn cannot
/// fly this range under the ceiling (even the flattest burnout overshoots, or rises above it) or
/// its search with the azimuth correction finds no flight onto the aim; the missile then
/// terminates its thrust.
fn full_burn(t: &Targeting<'_>, s_far: f64, aim_under: f64) -> Option<Solution> {
    let (s_lo, e) = (t.shape.0, t.energy.1);
    let az = t.azimuth_rad;
    let c = |az: f64| move |s: f64| Targeting::controls(az, s, e);
    let apogee_over = |s: f64| t.search.fly(c(az)(s), None).apogee_m - aim_under;
    let (low, high) = (apogee_over(s_lo), apogee_over(s_far));
    if low >= 0.0 {
        return None;
    }
    let s_top = if high > 0.0 {
        numeric::brent_root(apogee_over, s_lo, s_far, low, high, 1e-9, 1.0).0
    } else {
        s_far
    };
    let top = t.search.fly(c(az)(s_top), None);
    if t.overshoot(&top) < 0.0 {
        return Some((c(az)(s_top), top));
    }
    let (guess, _) = t.reaching(&t.search, c(az), (s_lo, s_top), None)?;
    t.with_azimuth(|flyer, az, previous| {
        let near = previous.map_or(guess.shape_rad, |c| c.shape_rad);
        t.reaching(flyer, c(az), (s_lo, s_top), Some(near))
    })
}

/// The shape (and its energy) on the side of the minimum-energy shape `me` whose trajectory to
/// the aim has apogee `apogee`: the apogee grows with the shape, and the energy towards the
/// feasible edge.
fn shape_for_apogee(
    t: &Targeting<'_>,
    shape: TrajectoryShape,
    range_km: f64,
    (s_me, e_me, apogee_me): (f64, f64, f64),
    apogee: f64,
) -> Result<(f64, f64), FlightError> {
    let az = t.azimuth_rad;
    let bound = if apogee >= apogee_me {
        t.shape.1
    } else {
        t.shape.0
    };
    // Signed distance of an apogee past the wanted one, in the direction away from the minimum.
    let past = |a: f64| {
        if apogee >= apogee_me {
            a - apogee
        } else {
            apogee - a
        }
    };
    let limit = |a: f64| FlightError::ApogeeOutOfReach {
        shape: shape.name(),
        range_km,
        apogee_km: apogee / 1e3,
        limit_km: a / 1e3,
        lowest: apogee < apogee_me,
    };
    const CELLS: usize = 12;
    let grid = |k: usize| s_me + (bound - s_me) * k as f64 / CELLS as f64;
    let mut last = (s_me, e_me, apogee_me);
    for k in 1..=CELLS {
        let s = grid(k);
        match t.energy_at(&t.search, az, s, Some(last.1)) {
            Some((c, shot)) if past(shot.apogee_m) < 0.0 => last = (s, c.energy, shot.apogee_m),
            Some((c, shot)) => {
                return Ok(apogee_root(t, last, (s, c.energy, shot.apogee_m), apogee));
            }
            None => {
                // The feasible edge lies in this cell: bisect for it.
                let (mut ok, mut bad) = (last, s);
                for _ in 0..40 {
                    let mid = 0.5 * (ok.0 + bad);
                    match t.energy_at(&t.search, az, mid, Some(ok.1)) {
                        Some((c, shot)) if past(shot.apogee_m) < 0.0 => {
                            ok = (mid, c.energy, shot.apogee_m)
                        }
                        Some((c, shot)) => {
                            return Ok(apogee_root(t, ok, (mid, c.energy, shot.apogee_m), apogee));
                        }
                        None => bad = mid,
                    }
                    if (bad - ok.0).abs() < 1e-6 {
                        break;
                    }
                }
                return Err(limit(ok.2));
            }
        }
    }
    Err(limit(last.2))
}

/// Brent's method on the apogee between two feasible shapes that bracket it.
fn apogee_root(
    t: &Targeting<'_>,
    a: (f64, f64, f64),
    b: (f64, f64, f64),
    apogee: f64,
) -> (f64, f64) {
    let mut energy = a.1;
    let (s, _) = numeric::brent_root(
        |s| match t.energy_at(&t.search, t.azimuth_rad, s, Some(energy)) {
            Some((c, shot)) => {
                energy = c.energy;
                shot.apogee_m - apogee
            }
            // Between two feasible shapes every shape is feasible; should the search miss one,
            // it counts as the far end.
            None => b.2 - apogee,
        },
        a.0,
        b.0,
        a.2 - apogee,
        b.2 - apogee,
        1e-9,
        1.0,
    );
    (s, energy)
}

/// Range set by the elevation alone: unguided rockets. The low path for minimum energy and
/// depressed, the high one for lofted.
fn solve_by_shape(
    t: &Targeting<'_>,
    shape: TrajectoryShape,
    range_km: f64,
) -> Result<Solution, FlightError> {
    if let TrajectoryShape::Lofted { apogee_m: Some(_) }
    | TrajectoryShape::Depressed { apogee_m: Some(_) } = shape
    {
        return Err(FlightError::ApogeeNotControlled);
    }
    let energy = t.energy.0;
    let (s_far, over_far) = t.farthest(t.azimuth_rad, energy, None, t.x_tol_shape);
    if over_far < 0.0 {
        return Err(FlightError::OutOfReach {
            range_km,
            reach_km: range_km + over_far / 1e3,
        });
    }
    let high = matches!(shape, TrajectoryShape::Lofted { .. });
    let (lo, hi) = if high {
        (s_far, t.shape.1)
    } else {
        (t.shape.0, s_far)
    };
    let solve_at = |flyer: &Flyer<'_>, az: f64| {
        let c = |s| Targeting::controls(az, s, energy);
        let f = |s: f64| t.overshoot(&flyer.fly(c(s), None)).min(OVERSHOOT_CAP_M);
        let (f_lo, f_hi) = (f(lo), f(hi));
        if (f_lo >= 0.0) == (f_hi >= 0.0) {
            return Err((f_lo, f_hi));
        }
        let (s, _) = numeric::brent_root(f, lo, hi, f_lo, f_hi, 1e-12, MISS_TOLERANCE_M * 0.2);
        let shot = flyer.fly(c(s), None);
        Ok((c(s), shot))
    };
    // The shortest flight of the branch is at its far end from the longest one.
    if let Err((f_lo, f_hi)) = solve_at(&t.search, t.azimuth_rad) {
        let shortest = if high { f_hi } else { f_lo };
        return Err(FlightError::TooClose {
            shape: shape.name(),
            range_km,
            shortest_km: range_km + shortest / 1e3,
        });
    }
    t.with_azimuth(|flyer, az, _| solve_at(flyer, az).ok())
        .ok_or_else(|| no_convergence(shape, range_km))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::f64::consts::{PI, TAU};

    #[test]
    fn an_angle_wraps_to_the_same_direction_from_minus_pi_to_pi() {
        for a in [0.0, 1.0, -1.0, 3.0, -3.2, PI, 4.0, -7.0, 20.0, TAU - 1e-3] {
            let w = wrap_rad(a);
            assert!((-PI..PI).contains(&w), "{a} wraps to {w}");
            let turns = (a - w) / TAU;
            assert!((turns - turns.round()).abs() < 1e-12, "{a} wraps to {w}");
        }
    }

    #[test]
    fn a_rise_is_bracketed_from_a_guess_near_it_and_not_from_one_far_off() {
        let mut f = |x: f64| x - 0.3;
        let near = |got: f64, expected: f64| (got - expected).abs() < 1e-12;
        // Below the root: steps up, of 1e-4 then 4e-4 of the interval.
        let (a, b, fa, fb) = rise_near(&mut f, 0.2997, 0.0, 1.0).unwrap();
        assert!(near(a, 0.2998) && near(b, 0.3002), "({a}, {b})");
        assert!(fa == a - 0.3 && fb == b - 0.3);
        // Above it: steps down.
        let (a, b, _, _) = rise_near(&mut f, 0.30015, 0.0, 1.0).unwrap();
        assert!(near(a, 0.29965) && near(b, 0.30005), "({a}, {b})");
        // At the root, or a step down onto it: the root is not below zero, so the bracket
        // ends there.
        assert_eq!(rise_near(&mut f, 0.3, 0.0, 1.0).map(|r| r.1), Some(0.3));
        let (a, b, _, _) = rise_near(&mut f, 0.3001, 0.0, 1.0).unwrap();
        assert!(near(a, 0.2996) && b == 0.3, "({a}, {b})");
        // Five steps reach some 3 % of the interval, and no further.
        assert!(rise_near(&mut f, 0.25, 0.0, 1.0).is_none());
        assert!(rise_near(&mut f, 0.35, 0.0, 1.0).is_none());
        // A guess outside the interval starts at its end; an end met stops the steps.
        let (a, b, _, _) = rise_near(&mut f, -1.0, 0.29995, 1.0).unwrap();
        assert!(
            near(a, 0.29995) && near(b, 0.29995 + 1e-4 * 0.70005),
            "({a}, {b})"
        );
        assert!(rise_near(&mut f, 2.0, 0.0, 0.29).is_none());
    }
}
