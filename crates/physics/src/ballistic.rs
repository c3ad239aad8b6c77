//! Rocket-powered threats in flight: ballistic missiles, quasi-ballistic missiles and rockets,
//! flown with given controls from launch to impact.
//!
//! # The model
//! A missile is a single-stage equivalent: launch mass, propellant mass, burn time and specific
//! impulse give a constant thrust `T = ṁ·Isp·g0` and a linearly falling mass. It is flown in the
//! Earth-fixed frame of an [`EarthModel`] under gravity, the rotating-frame terms and the air's
//! forces of [`crate::aerodynamics`] in the 1976 atmosphere.
//!
//! Guided missiles ([`Guidance::PitchProgram`]) rise vertically for [`VERTICAL_RISE_S`] (less for
//! a short burn, see [`BoostedMissile::vertical_rise_s`]), then follow a pitch program: their
//! flight-path angle (in the launch site's east-north-up frame) is steered, at an angle of attack
//! of at most [`MAX_PITCH_AOA_DEG`], along a program that goes linearly in time from the vertical
//! to a commanded burnout angle at thrust cut-off. Range is controlled by the thrust cut-off time
//! (thrust termination), the trajectory's shape by the commanded angle. A quasi-ballistic
//! missile (one with an apogee ceiling, [`BoostedMissile::max_apogee_m`]) burns its solid motor
//! to depletion and sets its range with the commanded angle alone, down to a program that
//! pitches through the horizontal; it terminates its thrust only at a range too short for a
//! full burn under its ceiling (see [`crate::targeting`]). After cut-off a separating reentry vehicle flies on alone
//! with its own mass and area; otherwise the spent body does. A quasi-ballistic missile's body
//! then steers in the dense air of its descent: a pull-up into a glide and a dive onto its aim
//! ([`crate::aerodynamics`]).
//!
//! Unguided rockets ([`Guidance::Unguided`]) leave their launch rail at [`RAIL_EXIT_SPEED_M_S`]
//! at a quadrant elevation and azimuth and thrust along their air-relative velocity for the whole
//! burn (a gravity turn); range is controlled by the elevation.
//!
//! [`Ballistic::Impulsive`] is the textbook case: a burnout state (speed, flight-path angle) at the
//! launch point at height zero, with no boost phase.
//!
//! Which controls bring a flight onto an aim point is the work of [`crate::targeting`].

use crate::aerodynamics::{self, Airframe, BODY_DRAG, RV_DRAG};
use crate::earth::{EnuFrame, Geodetic};
use crate::earth_model::EarthModel;
use crate::frame::{Ecef, Enu, Vector};
use crate::integrate::{DenseStep, Dopri5, Event, Outcome, Stop, System, Tolerances};
use crate::trajectory::{REENTRY_INTERFACE_M, Sample};
use crate::units::STANDARD_GRAVITY_M_S2;

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
    /// Apogee ceiling of a quasi-ballistic missile, m: such a missile burns its motor to
    /// depletion wherever the ceiling allows.
    pub max_apogee_m: Option<f64>,
    /// Largest normal acceleration of the terminal steering (the pull-up and the dive) of a
    /// quasi-ballistic missile, m/s²; 0 for a purely ballistic descent.
    pub pull_up_m_s2: f64,
}

/// Largest fraction of the burn taken by the vertical rise: a short-burn missile (an SRBM burns
/// for tens of seconds) turns over sooner. Notional.
const RISE_FRACTION: f64 = 0.04;

impl BoostedMissile {
    /// Duration of the vertical rise, s.
    pub fn vertical_rise_s(&self) -> f64 {
        VERTICAL_RISE_S.min(RISE_FRACTION * self.burn_time_s)
    }

    /// What flies after a full burn: the separated reentry vehicle, or else the spent body.
    pub fn terminal_body(&self) -> TerminalBody {
        if self.separating {
            TerminalBody {
                mass_kg: self.rv_mass_kg,
                area_m2: circle_area(self.rv_diameter_m),
            }
        } else {
            TerminalBody {
                mass_kg: self.launch_mass_kg - self.propellant_mass_kg,
                area_m2: circle_area(self.diameter_m),
            }
        }
    }
}

/// The body that flies the terminal phase: its mass and reference area.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TerminalBody {
    pub mass_kg: f64,
    pub area_m2: f64,
}

/// What flies on a ballistic path.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Ballistic<'a> {
    Boosted(&'a BoostedMissile),
    /// A burnout state at the launch point, at height zero, with no boost: the textbook case.
    Impulsive,
}

/// The free variables of one flight.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Controls {
    pub(crate) azimuth_rad: f64,
    /// Final pitch angle (guided), quadrant elevation (rocket) or flight-path angle (impulsive).
    pub(crate) shape_rad: f64,
    /// Cut-off time (guided) or burnout speed (impulsive); unused for rockets.
    pub(crate) energy: f64,
}

/// Free flight after thrust end (or of an impulsive vehicle, or of debris).
pub(crate) struct Coast<'a> {
    pub(crate) earth: &'a EarthModel,
    pub(crate) mass_kg: f64,
    pub(crate) airframe: Airframe,
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

pub(crate) fn split(y: &[f64; 6]) -> (Vector<Ecef>, Vector<Ecef>) {
    (Vector::new(y[0], y[1], y[2]), Vector::new(y[3], y[4], y[5]))
}

pub(crate) fn join(a: Vector<Ecef>, b: Vector<Ecef>) -> [f64; 6] {
    [a.x, a.y, a.z, b.x, b.y, b.z]
}

impl System<6> for Coast<'_> {
    fn derivative(&self, _t: f64, y: &[f64; 6]) -> [f64; 6] {
        let (r, v) = split(y);
        let a = self.earth.acceleration(r, v)
            + aerodynamics::acceleration(self.earth, &self.airframe, r, v, self.mass_kg);
        join(v, a)
    }
}

impl<'a> Boost<'a> {
    /// The powered flight of `missile` from the origin of `frame` with controls `controls`: a
    /// constant thrust from a constant mass flow, and the drag of the whole body.
    fn new(
        earth: &'a EarthModel,
        missile: &'a BoostedMissile,
        frame: &'a EnuFrame,
        controls: Controls,
    ) -> Self {
        let mass_flow = missile.propellant_mass_kg / missile.burn_time_s;
        Self {
            coast: Coast {
                earth,
                mass_kg: missile.launch_mass_kg,
                airframe: Airframe {
                    area_m2: circle_area(missile.diameter_m),
                    drag: BODY_DRAG,
                    lift_m_s2: 0.0,
                    aim: None,
                },
            },
            missile,
            frame,
            controls,
            thrust_n: mass_flow * missile.isp_s * STANDARD_GRAVITY_M_S2,
            mass_flow_kg_s: mass_flow,
        }
    }

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
            + aerodynamics::acceleration(self.coast.earth, &self.coast.airframe, r, v, mass);
        join(v, a)
    }
}

/// The outcome of one flight with given controls.
pub(crate) struct Shot {
    pub(crate) impact: Geodetic,
    pub(crate) flight_time_s: f64,
    pub(crate) apogee_m: f64,
    pub(crate) burnout_time_s: f64,
    pub(crate) burnout_speed_m_s: f64,
    pub(crate) burnout_angle_deg: f64,
    pub(crate) max_speed_m_s: f64,
    pub(crate) reentry_speed_m_s: Option<f64>,
    pub(crate) impact_speed_m_s: f64,
    /// The flight ended on the ground (not at the time limit).
    pub(crate) landed: bool,
}

/// Longest flight considered, s (well beyond any sub-orbital flight of interest).
const MAX_FLIGHT_S: f64 = 7_200.0;

/// Flies one vehicle from one launch point with given controls.
pub(crate) struct Flyer<'a> {
    pub(crate) vehicle: Ballistic<'a>,
    pub(crate) earth: &'a EarthModel,
    pub(crate) launch: Geodetic,
    frame: EnuFrame,
    target_height_m: f64,
    tol: Tolerances,
    /// Flown with the looser tolerance of a search.
    pub(crate) search: bool,
    /// The aim point a quasi-ballistic missile's terminal steering homes on (none: a flight
    /// without it, the ballistic reference of the targeting search).
    steer_at: Option<Vector<Ecef>>,
}

impl<'a> Flyer<'a> {
    /// A flyer; `search` loosens the integration tolerance for the iterations of the targeting
    /// search (the final trajectory is always flown with the tight one).
    pub(crate) fn new(
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
                max_step_s: 60.0,
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
            search,
            steer_at: None,
        }
    }

    /// The same flyer with the terminal steering of a quasi-ballistic missile homing on `aim`.
    pub(crate) fn steering(self, aim: &Geodetic) -> Self {
        let steer_at = Some(self.earth.to_ecef(aim));
        Self { steer_at, ..self }
    }

    fn up(&self, r: Vector<Ecef>) -> Vector<Ecef> {
        self.earth.to_geodetic(r).up()
    }

    /// Flies with `controls`; `samples` receives the state every whole second when given.
    pub(crate) fn fly(&self, c: Controls, mut samples: Option<&mut Vec<Sample>>) -> Shot {
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
                    airframe: Airframe {
                        area_m2: 0.0,
                        drag: RV_DRAG,
                        lift_m_s2: 0.0,
                        aim: None,
                    },
                };
                (0.0, join(r0, v), coast, false)
            }
            Ballistic::Boosted(m) => {
                let (t_cut, v0) = match m.guidance {
                    Guidance::Unguided => (
                        m.burn_time_s,
                        self.frame
                            .vector_to_ecef(direction_enu(c.azimuth_rad, c.shape_rad))
                            * RAIL_EXIT_SPEED_M_S,
                    ),
                    Guidance::PitchProgram => (c.energy, Vector::zero()),
                };
                let boost = Boost::new(self.earth, m, &self.frame, c);
                // Integrate the boost piecewise so that no step straddles a kink of the program.
                let breaks = [m.vertical_rise_s(), t_cut];
                let crash = [Event {
                    g: &ground,
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
                        airframe: Airframe {
                            area_m2: circle_area(m.rv_diameter_m),
                            drag: RV_DRAG,
                            lift_m_s2: m.pull_up_m_s2,
                            aim: self.steer_at,
                        },
                    }
                } else {
                    Coast {
                        earth: self.earth,
                        mass_kg: m.launch_mass_kg - boost.mass_flow_kg_s * t,
                        airframe: Airframe {
                            area_m2: circle_area(m.diameter_m),
                            drag: BODY_DRAG,
                            lift_m_s2: m.pull_up_m_s2,
                            aim: self.steer_at,
                        },
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
                terminal: true,
            },
            Event {
                g: &vertical_speed,
                terminal: false,
            },
            Event {
                g: &interface,
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

#[cfg(test)]
mod tests {
    use super::*;

    fn missile() -> BoostedMissile {
        BoostedMissile {
            launch_mass_kg: 17_000.0,
            propellant_mass_kg: 13_000.0,
            burn_time_s: 100.0,
            isp_s: 250.0,
            diameter_m: 1.25,
            separating: false,
            rv_mass_kg: 1_200.0,
            rv_diameter_m: 0.8,
            guidance: Guidance::PitchProgram,
            min_range_m: 100e3,
            max_range_m: 2_000e3,
            max_apogee_m: None,
            pull_up_m_s2: 0.0,
        }
    }

    #[test]
    fn a_direction_points_along_its_azimuth_and_elevation() {
        for az_deg in [0.0_f64, 30.0, 135.0, 200.0, 300.0] {
            for el_deg in [-20.0_f64, 0.0, 45.0, 80.0] {
                let d = direction_enu(az_deg.to_radians(), el_deg.to_radians());
                assert!(
                    (d.norm() - 1.0).abs() < 1e-12,
                    "{az_deg}°, {el_deg}°: {d:?}"
                );
                assert!((d.z.asin().to_degrees() - el_deg).abs() < 1e-9);
                let az = d.x.atan2(d.y).to_degrees().rem_euclid(360.0);
                assert!((az - az_deg).abs() < 1e-9, "azimuth {az}°, not {az_deg}°");
            }
        }
    }

    #[test]
    fn the_pitch_program_goes_linearly_from_the_vertical_to_the_command_at_cut_off() {
        let m = missile();
        let earth = EarthModel::FULL;
        let frame = EnuFrame::at(Geodetic::from_degrees(30.0, 45.0, 0.0).unwrap());
        let (azimuth_rad, command_deg, cut_s) = (0.7, 30.0, 80.0);
        let controls = Controls {
            azimuth_rad,
            shape_rad: f64::to_radians(command_deg),
            energy: cut_s,
        };
        let boost = Boost::new(&earth, &m, &frame, controls);
        let along =
            |el_deg: f64| frame.vector_to_ecef(direction_enu(azimuth_rad, el_deg.to_radians()));
        let rise_s = m.vertical_rise_s();
        assert_eq!(rise_s, 4.0);
        // Straight up during the rise, whichever way the missile moves.
        for t in [0.0, 1.0, rise_s] {
            let thrust = boost.thrust_direction(t, along(60.0) * 30.0);
            assert!(
                (thrust - along(90.0)).norm() < 1e-12,
                "at {t} s: {thrust:?}"
            );
        }
        for part in [0.1, 0.25, 0.5, 0.8, 1.0, 1.5] {
            let t = rise_s + part * (cut_s - rise_s);
            let program = 90.0 + part.min(1.0) * (command_deg - 90.0);
            // On the program: thrust along the velocity.
            let thrust = boost.thrust_direction(t, along(program) * 500.0);
            assert!(
                (thrust - along(program)).norm() < 1e-9,
                "at {t} s: {thrust:?}"
            );
            // Two degrees above it: steered back at three times the error.
            let thrust = boost.thrust_direction(t, along(program + 2.0) * 500.0);
            assert!(
                (thrust - along(program - 4.0)).norm() < 1e-9,
                "at {t} s: {thrust:?}"
            );
            // Far below it: at the largest angle of attack.
            let thrust = boost.thrust_direction(t, along(program - 15.0) * 500.0);
            let steered = program - 15.0 + MAX_PITCH_AOA_DEG;
            assert!(
                (thrust - along(steered)).norm() < 1e-9,
                "at {t} s: {thrust:?}"
            );
        }
    }

    #[test]
    fn after_a_full_burn_the_reentry_vehicle_or_else_the_dry_body_flies() {
        let mut m = missile();
        let body = m.terminal_body();
        assert_eq!(body.mass_kg, 4_000.0);
        assert!((body.area_m2 - std::f64::consts::PI * 0.625 * 0.625).abs() < 1e-12);
        m.separating = true;
        let rv = m.terminal_body();
        assert_eq!(rv.mass_kg, 1_200.0);
        assert!((rv.area_m2 - std::f64::consts::PI * 0.4 * 0.4).abs() < 1e-12);
    }
}
