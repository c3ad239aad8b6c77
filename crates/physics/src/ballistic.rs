//! Rocket-powered threats in flight: ballistic missiles, quasi-ballistic missiles and rockets,
//! and the targeting solver that brings a full-physics trajectory onto an aim point.
//!
//! # The model
//! A missile is a single-stage equivalent: launch mass, propellant mass, burn time and specific
//! impulse give a constant thrust `T = ṁ·Isp·g0` and a linearly falling mass. It is flown in the
//! Earth-fixed frame of an [`EarthModel`] under gravity, the rotating-frame terms and drag
//! `½ρv²·Cd(M)·A` in the 1976 atmosphere, with a drag coefficient that depends on the Mach
//! number ([`BODY_DRAG`], [`RV_DRAG`]).
//!
//! Guided missiles ([`Guidance::PitchProgram`]) rise vertically for [`VERTICAL_RISE_S`] (less for
//! a short burn, see [`BoostedMissile::vertical_rise_s`]), then follow a pitch program: their
//! flight-path angle (in the launch site's east-north-up frame) is steered, at an angle of attack
//! of at most [`MAX_PITCH_AOA_DEG`], along a program that goes linearly in time from the vertical
//! to a commanded burnout angle at thrust cut-off. Range is controlled by the
//! thrust cut-off time (thrust termination), the trajectory's shape by the commanded angle. After cut-off a separating reentry vehicle flies on alone with its own mass and
//! area; otherwise the spent body does.
//!
//! Unguided rockets ([`Guidance::Unguided`]) leave their launch rail at [`RAIL_EXIT_SPEED_M_S`]
//! at a quadrant elevation and azimuth and thrust along their air-relative velocity for the whole
//! burn (a gravity turn); range is controlled by the elevation.
//!
//! [`Ballistic::Impulsive`] is the textbook case: a burnout state (speed, flight-path angle) at the
//! launch point at height zero, with no boost phase.
//!
//! # Shapes
//! For a given aim, [`TrajectoryShape::MinEnergy`] is the trajectory with the least burnout
//! energy (shortest burn, or lowest burnout speed); [`TrajectoryShape::Lofted`] and
//! [`TrajectoryShape::Depressed`] reach the same aim point with an apogee above or below it (by
//! default 1.5 and 0.6 times the minimum-energy apogee). A quasi-ballistic missile
//! ([`BoostedMissile::max_apogee_m`]) flies a depressed trajectory under its apogee ceiling
//! whenever its minimum-energy apogee would be above it.
//!
//! The solver iterates on full-physics flights: the cut-off time (or rocket elevation) by
//! Brent's method on the range, the launch azimuth by a fixed-point correction of the cross-range
//! miss that the Earth's rotation causes, and the pitch-over attitude by Brent minimisation (minimum
//! energy) or bisection on the apogee (lofted, depressed).

use crate::atmosphere::us1976;
use crate::earth::{EnuFrame, Geodetic};
use crate::earth_model::EarthModel;
use crate::flight::{Burnout, Flight, FlightError, Sample, TrajectoryShape};
use crate::frame::{Ecef, Enu, Vector};
use crate::integrate::{Crossing, DenseStep, Dopri5, Event, Outcome, Stop, System, Tolerances};
use crate::numeric;

/// Standard gravity, m/s², for specific impulse (CGPM 1901; ISO 80000-3).
pub const STANDARD_GRAVITY_M_S2: f64 = 9.806_65;

/// Duration of the vertical rise of a guided missile before pitch-over, s. Notional: a few
/// seconds of vertical flight to clear the launcher is usual for liquid MRBMs (G. P. Sutton,
/// O. Biblarz, *Rocket Propulsion Elements*, 9th ed., ch. 4, flight trajectories).
pub const VERTICAL_RISE_S: f64 = 6.0;

/// Largest angle of attack of the pitch program, degrees. Notional guidance program of
/// skyshield.
pub const MAX_PITCH_AOA_DEG: f64 = 20.0;

/// Gain of the pitch program: angle of attack per radian of flight-path angle error. Notional.
pub const PITCH_GAIN: f64 = 3.0;

/// Speed at which an unguided rocket leaves its rail, m/s. Notional: tens of m/s for
/// artillery rockets (e.g. the 122 mm Grad family).
pub const RAIL_EXIT_SPEED_M_S: f64 = 40.0;

/// Flight-path angle below the horizontal that the pull-up of a quasi-ballistic missile holds,
/// degrees. Notional: a shallow glide in the upper atmosphere, as described for the Iskander-M
/// (open sources speak of a flat, aeroballistic flight of about 50 km apogee).
pub const GLIDE_ANGLE_DEG: f64 = 2.0;

/// Height below which the pull-up glide ends and the missile falls onto its aim, m. Notional.
pub const GLIDE_END_HEIGHT_M: f64 = 8_000.0;

/// Gain of the flight-path-angle hold of the pull-up, 1/s. Notional; a few seconds to settle.
pub const GLIDE_GAIN_PER_S: f64 = 0.5;

/// Largest normal-force coefficient of a missile body at high angle of attack (about 1-2 for
/// slender bodies, Fleeman 2006, ch. 2). Notional.
pub const NORMAL_FORCE_COEFFICIENT_MAX: f64 = 1.5;

/// Lift-to-drag ratio of the pull-up (the induced drag of lift). Notional, of the order of a
/// slender body at moderate angle of attack (Fleeman 2006, ch. 2).
pub const GLIDE_LIFT_TO_DRAG: f64 = 4.0;

/// Height of the reentry interface, m: the reentry speed is the speed when descending through it.
pub const REENTRY_INTERFACE_M: f64 = 100_000.0;

/// Drag coefficient against Mach number of a slender missile body with an ogive nose.
/// Notional curve of the shape shown for slender bodies in E. L. Fleeman, *Tactical Missile
/// Design*, 2nd ed. (AIAA 2006), ch. 2: subsonic about 0.2, a transonic peak near Mach 1.1, then
/// a slow fall with Mach number.
pub const BODY_DRAG: &[(f64, f64)] = &[
    (0.0, 0.20),
    (0.8, 0.22),
    (1.0, 0.35),
    (1.2, 0.42),
    (1.5, 0.40),
    (2.0, 0.35),
    (3.0, 0.28),
    (5.0, 0.22),
    (10.0, 0.20),
];

/// Drag coefficient against Mach number of a conical reentry vehicle. Notional curve for a
/// slender, slightly blunted cone (Fleeman 2006, ch. 2; hypersonic cone drag of about 0.1-0.2 as
/// in F. J. Regan, S. M. Anandakrishnan, *Dynamics of Atmospheric Re-Entry*, AIAA 1993).
pub const RV_DRAG: &[(f64, f64)] = &[
    (0.0, 0.30),
    (0.8, 0.32),
    (1.0, 0.45),
    (1.2, 0.48),
    (1.5, 0.42),
    (2.0, 0.35),
    (3.0, 0.26),
    (5.0, 0.18),
    (10.0, 0.15),
];

fn table(points: &[(f64, f64)], x: f64) -> f64 {
    let i = points.partition_point(|p| p.0 <= x);
    if i == 0 {
        return points[0].1;
    }
    if i == points.len() {
        return points[points.len() - 1].1;
    }
    let ((x0, y0), (x1, y1)) = (points[i - 1], points[i]);
    y0 + (y1 - y0) * (x - x0) / (x1 - x0)
}

/// How a rocket-powered vehicle is steered during its burn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Guidance {
    /// Vertical rise, pitch program, thrust termination: guided ballistic missiles.
    PitchProgram,
    /// Fired from a rail at a quadrant elevation; full burn along the velocity: rockets.
    Unguided,
}

/// A rocket-powered missile (single-stage equivalent). SI units.
#[derive(Debug, Clone, PartialEq)]
pub struct BoostedMissile {
    pub launch_mass_kg: f64,
    pub propellant_mass_kg: f64,
    pub burn_time_s: f64,
    pub isp_s: f64,
    pub diameter_m: f64,
    /// The reentry vehicle separates from the spent body after burnout.
    pub separating: bool,
    pub rv_mass_kg: f64,
    pub rv_diameter_m: f64,
    pub guidance: Guidance,
    /// The shortest range the type is fired at, m.
    pub min_range_m: f64,
    /// The longest range the type is credited with (its catalog figure), m.
    pub max_range_m: f64,
    /// Apogee ceiling of a quasi-ballistic missile, m.
    pub max_apogee_m: Option<f64>,
    /// Largest normal acceleration of the pull-up glide of a quasi-ballistic missile, in units
    /// of standard gravity; 0 for a purely ballistic descent.
    pub pull_up_g: f64,
}

/// Largest fraction of the burn taken by the vertical rise: a short-burn missile (an SRBM burns
/// for tens of seconds) turns over sooner. Notional.
const RISE_FRACTION: f64 = 0.04;

impl BoostedMissile {
    /// Duration of the vertical rise, s.
    pub fn vertical_rise_s(&self) -> f64 {
        VERTICAL_RISE_S.min(RISE_FRACTION * self.burn_time_s)
    }
}

/// What flies on a ballistic path.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Ballistic<'a> {
    Boosted(&'a BoostedMissile),
    /// A burnout state at the launch point, at height zero, with no boost: the textbook case.
    Impulsive,
}

/// Default lofted apogee relative to the minimum-energy apogee.
pub const LOFTED_APOGEE_RATIO: f64 = 1.5;
/// Default depressed apogee relative to the minimum-energy apogee.
pub const DEPRESSED_APOGEE_RATIO: f64 = 0.6;

/// The free variables of one flight.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Controls {
    azimuth_rad: f64,
    /// Final pitch angle (guided), quadrant elevation (rocket) or flight-path angle (impulsive).
    shape_rad: f64,
    /// Cut-off time (guided) or burnout speed (impulsive); unused for rockets.
    energy: f64,
}

/// Free flight after thrust end (or of an impulsive vehicle).
struct Coast<'a> {
    earth: &'a EarthModel,
    mass_kg: f64,
    area_m2: f64,
    drag: &'static [(f64, f64)],
    /// Largest aerodynamic normal acceleration of the pull-up glide, m/s² (0: none).
    lift_m_s2: f64,
}

/// Powered flight.
struct Boost<'a> {
    coast: Coast<'a>,
    missile: &'a BoostedMissile,
    frame: &'a EnuFrame,
    controls: Controls,
    thrust_n: f64,
    mass_flow_kg_s: f64,
}

/// Aerodynamic acceleration: drag, and for a quasi-ballistic missile the lift of its pull-up.
///
/// The pull-up: once past apogee and descending inside the atmosphere above
/// [`GLIDE_END_HEIGHT_M`], lift in the vertical plane steers the flight-path angle towards
/// [`GLIDE_ANGLE_DEG`], limited by the vehicle's normal-acceleration capability and by what the
/// dynamic pressure allows ([`NORMAL_FORCE_COEFFICIENT_MAX`]); the lift costs induced drag at
/// [`GLIDE_LIFT_TO_DRAG`]. Below the glide's end the missile falls without lift.
fn aero_acceleration(
    c: &Coast<'_>,
    r: Vector<Ecef>,
    v: Vector<Ecef>,
    mass_kg: f64,
) -> Vector<Ecef> {
    if !c.earth.atmosphere {
        return Vector::zero();
    }
    let position = c.earth.to_geodetic(r);
    let air = us1976(position.height_m());
    let speed = v.norm();
    if air.density_kg_m3 == 0.0 || speed == 0.0 {
        return Vector::zero();
    }
    let q_s = 0.5 * air.density_kg_m3 * speed * speed * c.area_m2;
    let cd = table(c.drag, speed / air.speed_of_sound_m_s);
    let along = v / speed;
    let mut a = along * (-q_s * cd / mass_kg);
    if c.lift_m_s2 > 0.0 && position.height_m() > GLIDE_END_HEIGHT_M {
        let up = up_vector(&position);
        let sin_gamma = along.dot(up);
        if sin_gamma < 0.0 {
            let gamma = sin_gamma.asin();
            let wanted = STANDARD_GRAVITY_M_S2 * gamma.cos()
                + speed * GLIDE_GAIN_PER_S * (-GLIDE_ANGLE_DEG.to_radians() - gamma);
            let available = c
                .lift_m_s2
                .min(q_s * NORMAL_FORCE_COEFFICIENT_MAX / mass_kg);
            let lift = wanted.clamp(0.0, available);
            let normal = (up - along * sin_gamma).unit();
            a += normal * lift - along * (lift / GLIDE_LIFT_TO_DRAG);
        }
    }
    a
}

/// The local vertical (ellipsoid normal, or radial on the sphere) at a position.
fn up_vector(p: &Geodetic) -> Vector<Ecef> {
    let (sl, cl) = p.lat_rad().sin_cos();
    let (so, co) = p.lon_rad().sin_cos();
    Vector::new(cl * co, cl * so, sl)
}

fn split(y: &[f64; 6]) -> (Vector<Ecef>, Vector<Ecef>) {
    (Vector::new(y[0], y[1], y[2]), Vector::new(y[3], y[4], y[5]))
}

fn join(a: Vector<Ecef>, b: Vector<Ecef>) -> [f64; 6] {
    [a.x, a.y, a.z, b.x, b.y, b.z]
}

impl System<6> for Coast<'_> {
    fn derivative(&self, _t: f64, y: &[f64; 6]) -> [f64; 6] {
        let (r, v) = split(y);
        let a = self.earth.acceleration(r, v) + aero_acceleration(self, r, v, self.mass_kg);
        join(v, a)
    }
}

impl Boost<'_> {
    fn thrust_direction(&self, t: f64, v: Vector<Ecef>) -> Vector<Ecef> {
        match self.missile.guidance {
            Guidance::Unguided => v.unit(),
            Guidance::PitchProgram => {
                let vertical = std::f64::consts::FRAC_PI_2;
                if t <= self.missile.vertical_rise_s() {
                    return self
                        .frame
                        .vector_to_ecef(direction_enu(self.controls.azimuth_rad, vertical));
                }
                // Flight-path angle in the launch frame, steered after a program that goes
                // linearly in time from the vertical to the commanded angle at thrust cut-off,
                // with a bounded angle of attack.
                let w = self.frame.vector_to_enu(v);
                let gamma = w.z.atan2(w.x.hypot(w.y));
                let rise_s = self.missile.vertical_rise_s();
                let f = ((t - rise_s) / (self.controls.energy - rise_s)).min(1.0);
                let program = vertical + f * (self.controls.shape_rad - vertical);
                let max_aoa = MAX_PITCH_AOA_DEG.to_radians();
                let alpha = (PITCH_GAIN * (gamma - program)).clamp(-max_aoa, max_aoa);
                self.frame
                    .vector_to_ecef(direction_enu(self.controls.azimuth_rad, gamma - alpha))
            }
        }
    }
}

fn direction_enu(azimuth_rad: f64, elevation_rad: f64) -> Vector<Enu> {
    let (se, ce) = elevation_rad.sin_cos();
    let (sa, ca) = azimuth_rad.sin_cos();
    Vector::new(ce * sa, ce * ca, se)
}

impl System<6> for Boost<'_> {
    fn derivative(&self, t: f64, y: &[f64; 6]) -> [f64; 6] {
        let (r, v) = split(y);
        let mass = self.missile.launch_mass_kg - self.mass_flow_kg_s * t;
        let thrust = self.thrust_direction(t, v) * (self.thrust_n / mass);
        let a = self.coast.earth.acceleration(r, v)
            + thrust
            + aero_acceleration(&self.coast, r, v, mass);
        join(v, a)
    }
}

/// The outcome of one flight with given controls.
struct Shot {
    impact: Geodetic,
    flight_time_s: f64,
    apogee_m: f64,
    burnout_time_s: f64,
    burnout_speed_m_s: f64,
    burnout_angle_deg: f64,
    max_speed_m_s: f64,
    reentry_speed_m_s: Option<f64>,
    impact_speed_m_s: f64,
    /// The flight ended on the ground (not at the time limit).
    landed: bool,
}

/// Longest flight considered, s (well beyond any sub-orbital flight of interest).
const MAX_FLIGHT_S: f64 = 7_200.0;

struct Flyer<'a> {
    vehicle: Ballistic<'a>,
    earth: &'a EarthModel,
    launch: Geodetic,
    frame: EnuFrame,
    target_height_m: f64,
    tol: Tolerances,
    /// Largest range error of a flight accepted as reaching the aim, m.
    accept_m: f64,
}

impl<'a> Flyer<'a> {
    /// A flyer; `search` loosens the integration tolerance for the iterations of the targeting
    /// search (the final trajectory is always flown with the tight one).
    fn new(
        vehicle: Ballistic<'a>,
        earth: &'a EarthModel,
        launch: Geodetic,
        target_height_m: f64,
        search: bool,
    ) -> Self {
        let launch = match vehicle {
            Ballistic::Impulsive => launch.with_height_m(0.0),
            Ballistic::Boosted(_) => launch,
        };
        let tol = match vehicle {
            Ballistic::Impulsive => Tolerances {
                rtol: 1e-12,
                atol: 1e-7,
                initial_step_s: 0.1,
                max_step_s: 10.0,
            },
            Ballistic::Boosted(_) if search => Tolerances {
                rtol: 1e-8,
                atol: 1e-3,
                initial_step_s: 0.05,
                max_step_s: 10.0,
            },
            Ballistic::Boosted(_) => Tolerances {
                rtol: 1e-10,
                atol: 1e-5,
                initial_step_s: 0.05,
                max_step_s: 10.0,
            },
        };
        Self {
            vehicle,
            earth,
            launch,
            frame: EnuFrame::at(launch),
            target_height_m,
            tol,
            accept_m: if search {
                SEARCH_ACCEPT_M
            } else {
                MISS_ACCEPT_M
            },
        }
    }

    fn up(&self, r: Vector<Ecef>) -> Vector<Ecef> {
        up_vector(&self.earth.to_geodetic(r))
    }

    /// Flies with `controls`; `samples` receives the state every whole second when given.
    fn fly(&self, c: Controls, mut samples: Option<&mut Vec<Sample>>) -> Shot {
        let integrator = Dopri5::new(self.tol);
        let mut max_speed: f64 = 0.0;
        let mut record = |step: &DenseStep<6>, next_whole_s: &mut f64| {
            let (_, v) = split(&step.y0);
            max_speed = max_speed.max(v.norm());
            if let Some(out) = samples.as_deref_mut() {
                while *next_whole_s <= step.t1_s {
                    let y = step.at(*next_whole_s);
                    let (r, v) = split(&y);
                    let g = self.earth.to_geodetic(r);
                    out.push(Sample {
                        t_s: *next_whole_s,
                        lat_deg: g.lat_deg(),
                        lon_deg: g.lon_deg(),
                        alt_m: g.height_m(),
                        speed_m_s: v.norm(),
                    });
                    *next_whole_s += 1.0;
                }
            }
        };
        let mut next_whole_s = 0.0;
        let r0 = self.earth.to_ecef(&self.launch);
        let height = |_t: f64, y: &[f64; 6]| self.earth.height_m(split(y).0) - self.target_height_m;
        let ground = |_t: f64, y: &[f64; 6]| self.earth.height_m(split(y).0) + 1.0;
        // A boost that ends on the ground (a pitch-over too flat for the thrust) skips the coast.
        let (t_burnout, y_burnout, coast, crashed) = match self.vehicle {
            Ballistic::Impulsive => {
                let v = self
                    .frame
                    .vector_to_ecef(direction_enu(c.azimuth_rad, c.shape_rad))
                    * c.energy;
                let coast = Coast {
                    earth: self.earth,
                    mass_kg: 1.0,
                    area_m2: 0.0,
                    drag: RV_DRAG,
                    lift_m_s2: 0.0,
                };
                (0.0, join(r0, v), coast, false)
            }
            Ballistic::Boosted(m) => {
                let mass_flow = m.propellant_mass_kg / m.burn_time_s;
                let (t_cut, v0) = match m.guidance {
                    Guidance::Unguided => (
                        m.burn_time_s,
                        self.frame
                            .vector_to_ecef(direction_enu(c.azimuth_rad, c.shape_rad))
                            * RAIL_EXIT_SPEED_M_S,
                    ),
                    Guidance::PitchProgram => (c.energy, Vector::zero()),
                };
                let boost = Boost {
                    coast: Coast {
                        earth: self.earth,
                        mass_kg: m.launch_mass_kg,
                        area_m2: circle_area(m.diameter_m),
                        drag: BODY_DRAG,
                        lift_m_s2: 0.0,
                    },
                    missile: m,
                    frame: &self.frame,
                    controls: c,
                    thrust_n: mass_flow * m.isp_s * STANDARD_GRAVITY_M_S2,
                    mass_flow_kg_s: mass_flow,
                };
                // Integrate the boost piecewise so that no step straddles a kink of the program.
                let breaks = [m.vertical_rise_s(), t_cut];
                let crash = [Event {
                    g: &ground,
                    crossing: Crossing::Falling,
                    terminal: true,
                }];
                let (mut t, mut y) = (0.0, join(r0, v0));
                let mut crashed = false;
                for &b in breaks
                    .iter()
                    .filter(|&&b| b < t_cut)
                    .chain(std::iter::once(&t_cut))
                {
                    if b <= t {
                        continue;
                    }
                    let out = integrator
                        .integrate(&boost, t, y, b, &crash, |s, _| record(s, &mut next_whole_s));
                    (t, y) = (out.t_s, out.y);
                    if out.stop != Stop::EndTime {
                        crashed = true;
                        break;
                    }
                }
                let coast = if m.separating {
                    Coast {
                        earth: self.earth,
                        mass_kg: m.rv_mass_kg,
                        area_m2: circle_area(m.rv_diameter_m),
                        drag: RV_DRAG,
                        lift_m_s2: m.pull_up_g * STANDARD_GRAVITY_M_S2,
                    }
                } else {
                    Coast {
                        earth: self.earth,
                        mass_kg: m.launch_mass_kg - mass_flow * t,
                        area_m2: circle_area(m.diameter_m),
                        drag: BODY_DRAG,
                        lift_m_s2: m.pull_up_g * STANDARD_GRAVITY_M_S2,
                    }
                };
                (t, y, coast, crashed)
            }
        };
        let (rb, vb) = split(&y_burnout);
        let burnout_speed = vb.norm();
        let burnout_angle = if burnout_speed > 0.0 {
            (vb.dot(self.up(rb)) / burnout_speed)
                .clamp(-1.0, 1.0)
                .asin()
                .to_degrees()
        } else {
            90.0
        };
        let vertical_speed = |_t: f64, y: &[f64; 6]| {
            let (r, v) = split(y);
            v.dot(self.up(r))
        };
        let interface =
            |_t: f64, y: &[f64; 6]| self.earth.height_m(split(y).0) - REENTRY_INTERFACE_M;
        let events = [
            Event {
                g: &height,
                crossing: Crossing::Falling,
                terminal: true,
            },
            Event {
                g: &vertical_speed,
                crossing: Crossing::Falling,
                terminal: false,
            },
            Event {
                g: &interface,
                crossing: Crossing::Falling,
                terminal: false,
            },
        ];
        let mut apogee_m = self.earth.height_m(rb);
        let mut reentry_speed = None;
        let out = if crashed {
            Outcome {
                t_s: t_burnout,
                y: y_burnout,
                stop: Stop::Event(0),
                steps: 0,
            }
        } else {
            integrator.integrate(
                &coast,
                t_burnout,
                y_burnout,
                MAX_FLIGHT_S,
                &events,
                |s, ev| {
                    record(s, &mut next_whole_s);
                    for &(idx, te) in ev {
                        let (r, v) = split(&s.at(te));
                        match idx {
                            1 => apogee_m = apogee_m.max(self.earth.height_m(r)),
                            2 => reentry_speed = Some(v.norm()),
                            _ => {}
                        }
                    }
                },
            )
        };
        let (r_end, v_end) = split(&out.y);
        max_speed = max_speed.max(v_end.norm());
        let impact = self.earth.to_geodetic(r_end);
        if let Some(out_samples) = samples {
            out_samples.push(Sample {
                t_s: out.t_s,
                lat_deg: impact.lat_deg(),
                lon_deg: impact.lon_deg(),
                alt_m: impact.height_m(),
                speed_m_s: v_end.norm(),
            });
        }
        Shot {
            impact,
            flight_time_s: out.t_s,
            apogee_m,
            burnout_time_s: t_burnout,
            burnout_speed_m_s: burnout_speed,
            burnout_angle_deg: burnout_angle,
            max_speed_m_s: max_speed,
            reentry_speed_m_s: reentry_speed,
            impact_speed_m_s: v_end.norm(),
            landed: out.stop == Stop::Event(0),
        }
    }
}

fn circle_area(diameter_m: f64) -> f64 {
    std::f64::consts::PI * 0.25 * diameter_m * diameter_m
}

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

impl TrajectoryShape {
    fn name(&self) -> &'static str {
        match self {
            TrajectoryShape::MinEnergy => "minimum-energy",
            TrajectoryShape::Lofted { .. } => "lofted",
            TrajectoryShape::Depressed { .. } => "depressed",
        }
    }
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
        (self.overshoot(&shot).abs() <= flyer.accept_m).then_some((c, shot))
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
