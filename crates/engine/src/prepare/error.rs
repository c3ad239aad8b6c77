//! Why a scenario could not be prepared.

use skyshield_physics::debris::DebrisError;
use skyshield_physics::flight::FlightError;
use skyshield_scenario::threat_model::ModelError;

/// Why a scenario could not be prepared.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PrepareError {
    /// More defended assets than the battle manager tracks.
    #[error("{count} defended assets: at most {max} are supported")]
    TooManyAssets { count: usize, max: usize },
    /// A threat type cannot be flown.
    #[error("raid group `{group}`: {source}")]
    Model {
        group: String,
        #[source]
        source: ModelError,
    },
    /// No trajectory reaches the aim from a launch site.
    #[error("raid group `{group}`, launch site {site_lat:.3},{site_lon:.3}: {source}")]
    Flight {
        group: String,
        site_lat: f64,
        site_lon: f64,
        #[source]
        source: FlightError,
    },
    /// The debris of a kill on a trajectory does not fall.
    #[error("raid group `{group}`, debris of a kill {time_s:.0} s after launch: {source}")]
    Debris {
        group: String,
        time_s: f64,
        #[source]
        source: DebrisError,
    },
    /// A parameter set does not fit the scenario.
    #[error(transparent)]
    ParameterSet(#[from] ParameterSetError),
}

/// Why a [`crate::ParameterSet`] does not fit a scenario.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum ParameterSetError {
    /// The set has a number of values other than the space's number of parameters.
    #[error("a parameter set of {found} values for a space of {expected} parameters")]
    Length {
        /// Values in the set.
        found: usize,
        /// Parameters in the space.
        expected: usize,
    },
    /// A value lies outside its parameter's range.
    #[error("parameter `{name}`: {value} is outside its range [{low}, {high}]")]
    OutOfRange {
        /// The parameter.
        name: String,
        /// The value given.
        value: f64,
        /// Its range's low bound.
        low: f64,
        /// Its range's high bound.
        high: f64,
    },
    /// The scenario has a ranged parameter that the space does not know (the space was made
    /// from another scenario).
    #[error("parameter `{name}` of the scenario is not in the parameter space")]
    Unknown {
        /// The parameter.
        name: String,
    },
}
