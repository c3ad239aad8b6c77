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
}
