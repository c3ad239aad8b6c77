//! The debris of a threat destroyed in flight: a ballistic fall with drag from the state of the
//! kill to the ground.
//!
//! # The model
//! Debris leaves the kill with the threat's position and Earth-relative velocity and flies
//! unpowered and unsteered under the forces of [`crate::ballistic`]'s coast: the gravity and
//! rotating-frame terms of the [`EarthModel`] and the drag of [`crate::aerodynamics`] in the US
//! Standard Atmosphere 1976, integrated by the same [`Dopri5`] integrator, until it descends
//! through the model's surface (height zero). A fragment is described by its ballistic
//! coefficient `β = m / (C_D·A)` alone: its drag deceleration is `½ρv²/β`, with a drag
//! coefficient that does not vary with Mach number (a tumbling fragment presents every face in
//! turn; the spread of `β` between fragments, orders of magnitude, dwarfs the change of its
//! drag coefficient with speed).
//!
//! Without air ([`EarthModel::atmosphere`] off) the fall is the vacuum fall from the same state.

use crate::aerodynamics::Airframe;
use crate::ballistic::{Coast, join, split};
use crate::earth::{EnuFrame, Geodetic};
use crate::earth_model::EarthModel;
use crate::frame::{Enu, Vector};
use crate::integrate::{Dopri5, Event, Stop, Tolerances};

/// Ballistic coefficient `m / (C_D·A)` of the debris that civil warning is for, kg/m².
/// Notional: no public figure gives the fragments of an intercepted missile. A compact, heavy
/// piece tumbling at a drag coefficient of about 1, such as a warhead section (about 480 kg
/// presenting about 1 m²) or a solid steel chunk of 10 cm (7,850 kg/m³ × 0.1 m ≈ 800 kg/m²),
/// has a ballistic coefficient of several hundred kg/m². It lies between the spent body of an
/// Iskander-class missile killed without breakup (900 kg over 0.66 m² at a drag coefficient
/// of 0.2-0.4: 3,400-6,800 kg/m², an upper bound that falls furthest from the kill) and light
/// fragments (tens of kg/m², which the air stops sooner, so that they fall closer to the
/// vertical under the kill).
pub const DEBRIS_BALLISTIC_COEFFICIENT_KG_M2: f64 = 500.0;

/// Longest fall considered, s: far beyond the fall of any fragment from a sub-orbital state.
const MAX_FALL_S: f64 = 7_200.0;

/// Drag coefficient against Mach number of a fragment described by its ballistic coefficient:
/// 1 at every speed, with the fragment's area taken as 1 m² and its mass as `β` (see the module
/// documentation).
const UNIT_DRAG: &[(f64, f64)] = &[(0.0, 1.0)];

/// Where and when debris reaches the ground.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Fall {
    /// The point on the model's surface (height zero) where the debris lands.
    pub ground: Geodetic,
    /// Time from the kill to the landing, s.
    pub time_s: f64,
}

/// Why no fall was found.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum DebrisError {
    #[error(
        "debris from {height_km:.1} km at {speed_m_s:.0} m/s is still aloft after {limit_s:.0} s: the state is not one of a fall"
    )]
    Aloft {
        height_km: f64,
        speed_m_s: f64,
        limit_s: f64,
    },
    #[error("a ballistic coefficient of {0} kg/m² is not a positive number")]
    BallisticCoefficient(f64),
}

/// The fall of debris of ballistic coefficient `ballistic_coefficient_kg_m2` that leaves
/// `from` (in the surface coordinates of `earth`) with the Earth-relative `velocity` given in
/// the east-north-up frame at `from`. Debris at or below the surface lands where it is, at once.
pub fn fall(
    earth: &EarthModel,
    from: &Geodetic,
    velocity: Vector<Enu>,
    ballistic_coefficient_kg_m2: f64,
) -> Result<Fall, DebrisError> {
    if !(ballistic_coefficient_kg_m2 > 0.0 && ballistic_coefficient_kg_m2.is_finite()) {
        return Err(DebrisError::BallisticCoefficient(
            ballistic_coefficient_kg_m2,
        ));
    }
    if from.height_m() <= 0.0 {
        return Ok(Fall {
            ground: from.with_height_m(0.0),
            time_s: 0.0,
        });
    }
    let coast = Coast {
        earth,
        mass_kg: ballistic_coefficient_kg_m2,
        airframe: Airframe {
            area_m2: 1.0,
            drag: UNIT_DRAG,
            lift_m_s2: 0.0,
            aim: None,
        },
    };
    let r0 = earth.to_ecef(from);
    let v0 = EnuFrame::at(*from).vector_to_ecef(velocity);
    let height = |_t: f64, y: &[f64; 6]| earth.height_m(split(y).0);
    let events = [Event {
        g: &height,
        terminal: true,
    }];
    // Loose enough to be cheap (a scenario prepares thousands of falls): it moves the fall
    // point by some ten metres, a hundredth of the scatter of debris about it.
    let integrator = Dopri5::new(Tolerances {
        rtol: 1e-6,
        atol: 0.1,
        initial_step_s: 1.0,
        max_step_s: 30.0,
    });
    let out = integrator.integrate(&coast, 0.0, join(r0, v0), MAX_FALL_S, &events, |_, _| {});
    if out.stop != Stop::Event(0) {
        return Err(DebrisError::Aloft {
            height_km: from.height_m() / 1e3,
            speed_m_s: velocity.norm(),
            limit_s: MAX_FALL_S,
        });
    }
    Ok(Fall {
        ground: earth.to_geodetic(split(&out.y).0).with_height_m(0.0),
        time_s: out.t_s,
    })
}
