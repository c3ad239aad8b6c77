//! The targeting solver: the controls that bring a full-physics flight of a rocket-powered
//! vehicle ([`crate::ballistic`]) onto an aim point with a chosen shape.
//!
//! # Shapes
//! For a given aim, [`TrajectoryShape::MinEnergy`] is the trajectory with the least burnout
//! energy (shortest burn, or lowest burnout speed); [`TrajectoryShape::Lofted`] and
//! [`TrajectoryShape::Depressed`] reach the same aim point with an apogee above or below it (by
//! default [`LOFTED_APOGEE_RATIO`] and [`DEPRESSED_APOGEE_RATIO`] times the minimum-energy
//! apogee). A quasi-ballistic missile ([`BoostedMissile::max_apogee_m`]) flies a depressed
//! trajectory under its apogee ceiling whenever its minimum-energy apogee would be above it.
//!
//! The solver iterates on full-physics flights: the cut-off time (or rocket elevation) by
//! Brent's method on the range, the launch azimuth by a fixed-point correction of the cross-range
//! miss that the Earth's rotation causes, and the pitch-over attitude by Brent minimisation (minimum
//! energy) or bisection on the apogee (lofted, depressed).

use crate::ballistic::{Ballistic, BoostedMissile, Controls, Flyer, Guidance, Shot};
use crate::earth::Geodetic;
use crate::earth_model::EarthModel;
use crate::numeric;
use crate::trajectory::{Burnout, Flight, FlightError, TrajectoryShape};

/// Default lofted apogee relative to the minimum-energy apogee.
pub const LOFTED_APOGEE_RATIO: f64 = 1.5;
/// Default depressed apogee relative to the minimum-energy apogee.
pub const DEPRESSED_APOGEE_RATIO: f64 = 0.6;

/// Miss distance below which the solver stops refining, m.
const MISS_TOLERANCE_M: f64 = 0.05;
/// Largest miss of an accepted solution, m.
const MISS_ACCEPT_M: f64 = 1.0;
/// Largest range error accepted in the search, whose looser integration makes the range a
/// slightly noisy function of the controls, m.
const SEARCH_ACCEPT_M: f64 = 100.0;

fn wrap_rad(a: f64) -> f64 {
    let two_pi = std::f64::consts::TAU;
    a - two_pi * ((a + std::f64::consts::PI) / two_pi).floor()
}

/// The targeting problem of one launch point and one aim point.
struct Targeting<'a> {
    flyer: Flyer<'a>,
    /// The same flyer with the looser tolerance of the search.
    search: Flyer<'a>,
    aim: Geodetic,
    range_m: f64,
    azimuth_rad: f64,
}

impl Targeting<'_> {
    /// Signed range error of a shot, m: positive when it falls beyond the aim's distance.
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

    /// Bracket of the range-control variable: cut-off time or burnout speed.
    fn energy_bracket(&self) -> (f64, f64) {
        match self.flyer.vehicle {
            Ballistic::Boosted(m) => (m.vertical_rise_s() + 0.05 * m.burn_time_s, m.burn_time_s),
            // From a standstill to just under the circular speed at the surface.
            Ballistic::Impulsive => (100.0, 7_800.0),
        }
    }

    /// Solves the range-control variable for shape control `shape_rad` (guided and impulsive
    /// vehicles): the smallest energy that reaches the aim's distance, if any.
    fn energy_for(
        &self,
        flyer: &Flyer<'_>,
        azimuth_rad: f64,
        shape_rad: f64,
    ) -> Option<(Controls, Shot)> {
        let (lo, hi) = self.energy_bracket();
        let controls = |energy| Controls {
            azimuth_rad,
            shape_rad,
            energy,
        };
        let f = |e: f64| self.overshoot(&flyer.fly(controls(e), None));
        let (f_lo, f_hi) = (f(lo), f(hi));
        if !(f_lo <= 0.0 && f_hi >= 0.0) {
            return None;
        }
        let f_hi = f_hi.min(1e9);
        let (e, _) = numeric::brent_root(
            |e| f(e).min(1e9),
            lo,
            hi,
            f_lo,
            f_hi,
            1e-10,
            MISS_TOLERANCE_M * 0.2,
        );
        let c = controls(e);
        let shot = flyer.fly(c, None);
        // A bracket around a jump (a flight that stops landing) is no root.
        let accept_m = if flyer.search {
            SEARCH_ACCEPT_M
        } else {
            MISS_ACCEPT_M
        };
        (self.overshoot(&shot).abs() <= accept_m).then_some((c, shot))
    }

    /// Solves the elevation of an unguided rocket in `[lo, hi]` (one branch of the range curve).
    fn elevation_for(&self, azimuth_rad: f64, lo: f64, hi: f64) -> Option<(Controls, Shot)> {
        let controls = |shape_rad| Controls {
            azimuth_rad,
            shape_rad,
            energy: 0.0,
        };
        let f = |s: f64| self.overshoot(&self.flyer.fly(controls(s), None));
        let (f_lo, f_hi) = (f(lo), f(hi));
        if (f_lo > 0.0) == (f_hi > 0.0) {
            return None;
        }
        let (s, _) = numeric::brent_root(f, lo, hi, f_lo, f_hi, 1e-12, MISS_TOLERANCE_M * 0.2);
        let c = controls(s);
        Some((c, self.flyer.fly(c, None)))
    }

    /// Repeats `solve_at(azimuth)` while correcting the azimuth for the cross-range miss.
    fn with_azimuth(
        &self,
        solve_at: impl Fn(f64) -> Option<(Controls, Shot)>,
    ) -> Option<(Controls, Shot)> {
        let mut azimuth = self.azimuth_rad;
        let mut best: Option<(Controls, Shot, f64)> = None;
        for _ in 0..10 {
            let (c, shot) = solve_at(azimuth)?;
            let miss = self
                .flyer
                .earth
                .surface_path(&self.aim, &shot.impact)
                .distance_m;
            let done = miss < MISS_TOLERANCE_M;
            let flown = self
                .flyer
                .earth
                .surface_path(&self.flyer.launch, &shot.impact);
            azimuth += wrap_rad(self.azimuth_rad - flown.azimuth1_deg.to_radians());
            if best.as_ref().is_none_or(|b| miss < b.2) {
                best = Some((c, shot, miss));
            }
            if done {
                break;
            }
        }
        // A solution that still misses is no solution.
        best.filter(|b| b.2 < MISS_ACCEPT_M).map(|(c, s, _)| (c, s))
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
    let targeting = Targeting {
        flyer: Flyer::new(vehicle, earth, *launch, aim.height_m(), false),
        search: Flyer::new(vehicle, earth, *launch, aim.height_m(), true),
        aim: *aim,
        range_m: path.distance_m,
        azimuth_rad: path.azimuth1_deg.to_radians(),
    };
    let no_solution = |reason: String| FlightError::NoSolution {
        shape: shape.name(),
        range_km,
        reason,
    };
    let (controls, _) = match vehicle {
        Ballistic::Boosted(m) if m.guidance == Guidance::Unguided => {
            solve_rocket(&targeting, shape).map_err(no_solution)?
        }
        Ballistic::Boosted(BoostedMissile { max_apogee_m, .. }) => {
            solve_guided(&targeting, shape, *max_apogee_m).map_err(no_solution)?
        }
        Ballistic::Impulsive => solve_guided(&targeting, shape, None).map_err(no_solution)?,
    };
    let mut samples = Vec::new();
    let shot = targeting.flyer.fly(controls, Some(&mut samples));
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
        miss_m: earth.surface_path(aim, &shot.impact).distance_m,
        max_speed_m_s: shot.max_speed_m_s,
        reentry_speed_m_s: shot.reentry_speed_m_s,
        impact_speed_m_s: shot.impact_speed_m_s,
        launch_azimuth_deg: controls.azimuth_rad.to_degrees().rem_euclid(360.0),
        samples,
    })
}

/// Bounds of the shape control, degrees: the attitude elevation at the end of the pitch-over of
/// a guided missile, the burnout flight-path angle of an impulsive vehicle.
fn shape_bounds_deg(vehicle: Ballistic<'_>) -> (f64, f64) {
    match vehicle {
        Ballistic::Boosted(_) => (5.0, 89.9),
        Ballistic::Impulsive => (3.0, 87.0),
    }
}

fn solve_guided(
    t: &Targeting<'_>,
    shape: TrajectoryShape,
    ceiling_m: Option<f64>,
) -> Result<(Controls, Shot), String> {
    let (lo, hi) = shape_bounds_deg(t.flyer.vehicle);
    let (lo, hi) = (lo.to_radians(), hi.to_radians());
    // Minimum energy over the shape control, at the great-circle azimuth: a coarse scan finds the
    // feasible region (a flat pitch-over crashes a slow missile, a steep one falls short), then
    // Brent's minimiser refines inside the best cell. Infeasible shapes count as more than the
    // largest energy.
    let (_, e_hi) = t.energy_bracket();
    let energy = |s: f64| {
        t.energy_for(&t.search, t.azimuth_rad, s)
            .map_or(2.0 * e_hi, |(c, _)| c.energy)
    };
    const SCAN: usize = 16;
    let grid = |i: usize| lo + (hi - lo) * i as f64 / SCAN as f64;
    let best = (0..=SCAN)
        .map(|i| (i, energy(grid(i))))
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map_or(0, |(i, _)| i);
    let (shape_me, _) = numeric::brent_min(
        energy,
        grid(best.saturating_sub(1)),
        grid((best + 1).min(SCAN)),
        // The energy is flat at its minimum: a coarse shape costs nothing for a missile, while
        // the textbook comparison of the impulsive case wants its apogee to metres.
        match t.flyer.vehicle {
            Ballistic::Impulsive => 1e-7,
            Ballistic::Boosted(_) => 1e-4,
        },
    );
    let (_, me_shot) = t
        .energy_for(&t.search, t.azimuth_rad, shape_me)
        .ok_or_else(|| "the model cannot fly that far from this launch point".to_string())?;
    let apogee_me = me_shot.apogee_m;
    let target_apogee = match shape {
        TrajectoryShape::MinEnergy => match ceiling_m {
            Some(ceiling) if apogee_me > ceiling => Some(ceiling),
            _ => None,
        },
        TrajectoryShape::Lofted { apogee_m } => {
            Some(apogee_m.unwrap_or(LOFTED_APOGEE_RATIO * apogee_me))
        }
        TrajectoryShape::Depressed { apogee_m } => {
            Some(apogee_m.unwrap_or(DEPRESSED_APOGEE_RATIO * apogee_me))
        }
    };
    let Some(apogee) = target_apogee else {
        return t
            .with_azimuth(|az| t.energy_for(&t.flyer, az, shape_me))
            .ok_or_else(|| "no convergence".to_string());
    };
    if let Some(ceiling) = ceiling_m
        && apogee > ceiling * (1.0 + 1e-9)
    {
        return Err(format!(
            "an apogee of {:.0} km is above the type's ceiling of {:.0} km",
            apogee / 1e3,
            ceiling / 1e3
        ));
    }
    // Bisection on the shape control between the minimum-energy shape and the bound, keeping the
    // side that is feasible and short of the wanted apogee.
    let (mut near, mut far) = if apogee >= apogee_me {
        (shape_me, hi)
    } else {
        (shape_me, lo)
    };
    let short_of = |a: f64| {
        if apogee >= apogee_me {
            a < apogee
        } else {
            a > apogee
        }
    };
    let mut reached = None;
    for _ in 0..50 {
        let mid = 0.5 * (near + far);
        match t.energy_for(&t.search, t.azimuth_rad, mid) {
            Some((_, shot)) if short_of(shot.apogee_m) => near = mid,
            Some((_, shot)) => {
                far = mid;
                reached = Some(shot.apogee_m);
            }
            None => far = mid,
        }
        if (far - near).abs() < 1e-9 {
            break;
        }
    }
    if reached.is_none() {
        return Err(format!(
            "no trajectory to this range has an apogee of {:.1} km",
            apogee / 1e3
        ));
    }
    t.with_azimuth(|az| t.energy_for(&t.flyer, az, far))
        .ok_or_else(|| "no convergence".to_string())
}

fn solve_rocket(t: &Targeting<'_>, shape: TrajectoryShape) -> Result<(Controls, Shot), String> {
    let apogee_given = matches!(
        shape,
        TrajectoryShape::Lofted { apogee_m: Some(_) }
            | TrajectoryShape::Depressed { apogee_m: Some(_) }
    );
    if apogee_given {
        return Err(
            "an unguided rocket's apogee follows from its elevation; give the shape alone"
                .to_string(),
        );
    }
    let (lo, hi) = (1f64.to_radians(), 89f64.to_radians());
    let range_at = |s: f64| {
        let c = Controls {
            azimuth_rad: t.azimuth_rad,
            shape_rad: s,
            energy: 0.0,
        };
        -t.overshoot(&t.flyer.fly(c, None))
    };
    let (best, neg_overshoot) = numeric::brent_min(range_at, lo, hi, 1e-6);
    if neg_overshoot > 0.0 {
        return Err(format!(
            "the model's longest flight from this launch point is {:.1} km",
            (t.range_m - neg_overshoot) / 1e3
        ));
    }
    let (a, b) = match shape {
        TrajectoryShape::Lofted { .. } => (best, hi),
        TrajectoryShape::MinEnergy | TrajectoryShape::Depressed { .. } => (lo, best),
    };
    t.with_azimuth(|az| t.elevation_for(az, a, b))
        .ok_or_else(|| "no convergence".to_string())
}
