//! The flight of every rocket-powered threat type of the catalog, flown with its nominal
//! figures, beside the published figures its catalog entry names (`flight_figures`).
//!
//! Each type flies its minimum-energy trajectory from western Iran (34.3° N, 47.1° E) due west
//! over the full Earth model: once at its longest range (a metre short of it), and once at the
//! range of each published figure. A comparison, not a test: the published figures are often
//! claims, and a computed figure outside one is reported, not tuned away. The tests of
//! `skyshield-scenario` assert the figures that the model must meet (the Iskander-M's speeds,
//! apogee and flight time).

use skyshield_physics::earth::Geodetic;
use skyshield_physics::earth_model::EarthModel;
use skyshield_physics::flight::{Flight, TrajectoryShape, fly};
use skyshield_scenario::threat_model::vehicle;
use skyshield_scenario::{CatalogEntry, FlightFigure, FlightQuantity, catalog};

use crate::ValidationError;

/// Height through which the speed of the terminal phase is read, m.
pub const TERMINAL_HEIGHT_M: f64 = 20e3;

/// One type's flight at one range.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeFlight {
    /// Catalog id.
    pub id: String,
    /// Ground range flown, km.
    pub range_km: f64,
    pub apogee_km: f64,
    pub flight_time_s: f64,
    pub fastest_m_s: f64,
    /// Speed descending through [`TERMINAL_HEIGHT_M`] (none when the flight stays under it).
    pub terminal_m_s: Option<f64>,
    pub impact_m_s: f64,
}

impl TypeFlight {
    /// The value of `quantity` in the unit of its name.
    pub fn value(&self, quantity: FlightQuantity) -> Option<f64> {
        match quantity {
            FlightQuantity::FlightTimeS => Some(self.flight_time_s),
            FlightQuantity::ApogeeKm => Some(self.apogee_km),
            FlightQuantity::FastestSpeedMS => Some(self.fastest_m_s),
            FlightQuantity::SpeedAt20KmMS => self.terminal_m_s,
        }
    }
}

/// A published figure beside the computed flight at its range.
#[derive(Debug, Clone, PartialEq)]
pub struct FigureCheck {
    pub figure: FlightFigure,
    /// The catalog's citations of the figure's sources.
    pub citations: Vec<String>,
    pub flight: TypeFlight,
}

impl FigureCheck {
    /// The computed value (none when the flight has no such value).
    pub fn computed(&self) -> Option<f64> {
        self.flight.value(self.figure.quantity)
    }

    /// Whether the computed value lies within the published bounds.
    pub fn within(&self) -> bool {
        self.computed()
            .is_some_and(|v| self.figure.low <= v && v <= self.figure.high)
    }
}

/// The flights of every rocket-powered type of the catalog, in catalog order: the longest
/// flight of each type, and each published figure beside the flight at its range.
pub fn all() -> Result<(Vec<TypeFlight>, Vec<FigureCheck>), ValidationError> {
    let mut longest = Vec::new();
    let mut checks = Vec::new();
    for entry in catalog().threats().filter(|e| e.class.is_rocket_powered()) {
        let max_km = entry
            .number_si("max_range_km")
            .map_err(|e| flight_error(entry, 0.0, e.to_string()))?
            .nominal
            / 1e3;
        longest.push(flown(entry, max_km)?);
        for figure in &entry.flight_figures {
            checks.push(FigureCheck {
                figure: figure.clone(),
                citations: figure
                    .source
                    .iter()
                    .map(|k| entry.sources.get(k).cloned().unwrap_or_else(|| k.clone()))
                    .collect(),
                flight: flown(entry, figure.range_km.min(max_km))?,
            });
        }
    }
    Ok((longest, checks))
}

fn flight_error(entry: &CatalogEntry, range_km: f64, message: String) -> ValidationError {
    ValidationError::Prepare {
        path: format!("catalog: {} at {range_km:.0} km", entry.id).into(),
        message,
    }
}

/// `entry` flown `range_km` due west of western Iran; a flight at the type's longest range is
/// flown a metre short of it.
fn flown(entry: &CatalogEntry, range_km: f64) -> Result<TypeFlight, ValidationError> {
    let v = vehicle(&entry.resolved(), |u| u.nominal)
        .map_err(|e| flight_error(entry, range_km, e.to_string()))?;
    let launch = Geodetic::from_degrees(34.3, 47.1, 0.0)
        .map_err(|e| flight_error(entry, range_km, e.to_string()))?;
    let aim = EarthModel::FULL.surface_direct(&launch, -90.0, range_km * 1e3 - 1.0);
    let f: Flight = fly(
        &v,
        &EarthModel::FULL,
        &launch,
        &[],
        &aim,
        TrajectoryShape::MinEnergy,
    )
    .map_err(|e| flight_error(entry, range_km, e.to_string()))?;
    Ok(TypeFlight {
        id: entry.id.clone(),
        range_km,
        apogee_km: f.apogee_m / 1e3,
        flight_time_s: f.flight_time_s,
        fastest_m_s: f.max_speed_m_s,
        terminal_m_s: f.descending_speed_at(TERMINAL_HEIGHT_M),
        impact_m_s: f.impact_speed_m_s,
    })
}
