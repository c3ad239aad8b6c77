//! From a threat type to the physical model that flies it.
//!
//! A [`ResolvedType`] of a threat class becomes a [`Vehicle`] of `skyshield-physics`: its
//! catalog parameters in SI, each taken through a chooser (the nominal value, or a value drawn
//! from its range when parameter uncertainty is sampled).

use skyshield_physics::ballistic::{BoostedMissile, Guidance};
use skyshield_physics::cruise::AirBreather;
use skyshield_physics::flight::Vehicle;

use crate::catalog::{Class, ParameterError, ResolvedType};
use crate::uncertain::Uncertain;

/// Climb angle of a cruise missile after its booster burns out, degrees. Notional: a short,
/// steep climb from the launcher to low-level cruise.
pub const CRUISE_CLIMB_DEG: f64 = 10.0;
/// Dive angle of a cruise missile onto its aim, degrees. Notional terminal dive.
pub const CRUISE_DIVE_DEG: f64 = 20.0;
/// Climb angle of a one-way attack drone after launch, degrees. Notional: a slow,
/// propeller-driven climb after a rocket-assisted take-off.
pub const DRONE_CLIMB_DEG: f64 = 5.0;
/// Dive angle of a one-way attack drone onto its aim, degrees. Notional: the steep terminal dive
/// seen in videos of Shahed-136 strikes.
pub const DRONE_DIVE_DEG: f64 = 30.0;

/// Why a type cannot be flown.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum ModelError {
    /// A parameter is missing or of the wrong type.
    #[error(transparent)]
    Parameter(#[from] ParameterError),
    /// The type is not a threat.
    #[error("`{id}` is a {class} type, not a threat")]
    NotAThreat {
        /// The type id.
        id: String,
        /// Its class.
        class: &'static str,
    },
}

/// The flight model of threat type `t`, with every parameter taken through `pick`.
pub fn vehicle(t: &ResolvedType, pick: impl Fn(Uncertain) -> f64) -> Result<Vehicle, ModelError> {
    let num = |key: &str| -> Result<f64, ParameterError> { Ok(pick(t.number_si(key)?)) };
    Ok(match t.class {
        Class::Ballistic | Class::QuasiBallistic | Class::Rocket => {
            Vehicle::Boosted(BoostedMissile {
                launch_mass_kg: num("launch_mass_kg")?,
                propellant_mass_kg: num("propellant_mass_kg")?,
                burn_time_s: num("burn_time_s")?,
                isp_s: num("isp_s")?,
                diameter_m: num("diameter_m")?,
                separating: t.flag("separating")?,
                rv_mass_kg: num("rv_mass_kg")?,
                rv_diameter_m: num("rv_diameter_m")?,
                guidance: if t.class == Class::Rocket {
                    Guidance::Unguided
                } else {
                    Guidance::PitchProgram
                },
                min_range_m: num("min_range_km")?,
                max_range_m: num("max_range_km")?,
                max_apogee_m: if t.class == Class::QuasiBallistic {
                    Some(num("max_apogee_km")?)
                } else {
                    None
                },
                // The pull-up of a quasi-ballistic missile uses the manoeuvre capability that
                // the sources credit it with.
                pull_up_m_s2: if t.class == Class::QuasiBallistic {
                    num("terminal_manoeuvre_g")?
                } else {
                    0.0
                },
            })
        }
        Class::Cruise | Class::Drone => {
            let (climb, dive) = if t.class == Class::Cruise {
                (CRUISE_CLIMB_DEG, CRUISE_DIVE_DEG)
            } else {
                (DRONE_CLIMB_DEG, DRONE_DIVE_DEG)
            };
            Vehicle::AirBreathing(AirBreather {
                speed_m_s: num("speed_m_s")?,
                cruise_altitude_m: num("cruise_altitude_m")?,
                max_range_m: num("max_range_km")?,
                climb_angle_deg: climb,
                dive_angle_deg: dive,
            })
        }
        other => {
            return Err(ModelError::NotAThreat {
                id: t.id.clone(),
                class: other.name(),
            });
        }
    })
}
