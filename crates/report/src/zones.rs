//! `zones.geojson`: the warning zones of a scenario as a GeoJSON FeatureCollection (RFC 7946),
//! for a map of who was alerted and hit.
//!
//! Each zone is a Feature: a `Polygon` (or a `MultiPolygon` for a zone of several parts),
//! positions `[longitude, latitude]` in degrees, rings closed, with the properties `name`,
//! `population`, `shelter_time_s` and, from the batch's [`WarningSummary`], `alerts_mean`
//! (alert periods per run), `impacts_mean` (impacts per run), `p_alert` and `p_too_late`.

use std::path::Path;

use geojson::{Feature, FeatureCollection, Geometry, GeometryValue, JsonObject, Position};
use serde_json::json;
use skyshield_mc::{Prepared, WarningSummary};

use crate::{ReportError, write_atomically};

/// The warning zones of `prepared` with the statistics of `summary`, as GeoJSON text; `None`
/// when the scenario has no warning zones.
pub fn zones_geojson(prepared: &Prepared, summary: &WarningSummary) -> Option<String> {
    let plan = prepared.warning.as_ref()?;
    let features = plan
        .zones
        .iter()
        .map(|zone| {
            let polygons: Vec<Vec<Vec<Position>>> = zone
                .polygons
                .iter()
                .map(|rings| {
                    rings
                        .iter()
                        .map(|ring| {
                            ring.iter()
                                .chain(ring.first())
                                .map(|g| Position::from([g.lon_deg(), g.lat_deg()]))
                                .collect()
                        })
                        .collect()
                })
                .collect();
            let value = match <[_; 1]>::try_from(polygons) {
                Ok([coordinates]) => GeometryValue::Polygon { coordinates },
                Err(coordinates) => GeometryValue::MultiPolygon { coordinates },
            };
            let stats = summary.zones.get(&zone.name);
            let mut properties = JsonObject::new();
            properties.insert("name".into(), json!(zone.name));
            properties.insert("population".into(), json!(zone.population));
            properties.insert("shelter_time_s".into(), json!(zone.shelter_time_s));
            properties.insert("alerts_mean".into(), json!(stats.map(|s| s.alerts_mean)));
            properties.insert("impacts_mean".into(), json!(stats.map(|s| s.impacts_mean)));
            properties.insert("p_alert".into(), json!(stats.map(|s| s.p_alert)));
            properties.insert("p_too_late".into(), json!(stats.map(|s| s.p_too_late)));
            Feature {
                geometry: Some(Geometry::new(value)),
                properties: Some(properties),
                ..Feature::default()
            }
        })
        .collect::<Vec<_>>();
    Some(FeatureCollection::new(features).to_string())
}

/// Writes `zones.geojson` (see [`zones_geojson`]); returns whether there were zones to write.
pub fn write_zones_geojson(
    path: &Path,
    prepared: &Prepared,
    summary: &WarningSummary,
) -> Result<bool, ReportError> {
    match zones_geojson(prepared, summary) {
        Some(text) => write_atomically(path, text.as_bytes()).map(|()| true),
        None => Ok(false),
    }
}
