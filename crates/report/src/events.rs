//! Per-threat outputs of the sampled runs: `events.parquet` and `impacts.geojson`.

use std::path::Path;
use std::sync::Arc;

use arrow_array::{ArrayRef, Float64Array, StringArray, UInt32Array, UInt64Array};
use arrow_schema::{DataType, Field};
use geojson::{Feature, FeatureCollection, Geometry};
use serde_json::json;
use skyshield_engine::{Fate, Outcome, Prepared, ThreatOutcome};

use crate::{ReportError, write_atomically, write_parquet};

/// Every (run, threat index, threat outcome) of `sample`, in run then threat order.
fn rows(sample: &[Outcome]) -> impl Iterator<Item = (u64, usize, &ThreatOutcome)> {
    sample
        .iter()
        .flat_map(|o| o.threats.iter().enumerate().map(|(i, t)| (o.run, i, t)))
}

/// Writes `events.parquet`: one row per threat per sampled run, in run then threat order.
///
/// Columns: `run` u64, `threat` u32 (index in the scenario's rounds), `group` (raid group id),
/// `type` (catalog type), `class`, `launch_s`, `fate` ([`Fate::name`]), `end_s` (time of
/// impact, intercept or failure, s from the scenario's time origin), `lat_deg`, `lon_deg`
/// (impact point, intercept ground point, or the ground point under the failure), `height_m`
/// (of an intercept; 0 otherwise), `battery` (id of the battery that killed it, or null),
/// `asset` (id of the asset hit, or null), `debris_lat_deg`, `debris_lon_deg` (where the
/// debris of an intercepted threat fell, or null), `shots` u32 (interceptors fired at it).
pub fn write_events_parquet<'p>(
    path: &Path,
    prepared: &'p Prepared,
    sample: &[Outcome],
) -> Result<(), ReportError> {
    let f64s = |f: &dyn Fn(&ThreatOutcome) -> f64| {
        Arc::new(Float64Array::from_iter_values(
            rows(sample).map(|(_, _, t)| f(t)),
        )) as ArrayRef
    };
    let opt_f64s = |f: &dyn Fn(&ThreatOutcome) -> Option<f64>| {
        Arc::new(Float64Array::from_iter(rows(sample).map(|(_, _, t)| f(t)))) as ArrayRef
    };
    let strs = |f: &dyn Fn(usize, &ThreatOutcome) -> Option<&'p str>| {
        Arc::new(StringArray::from_iter(
            rows(sample).map(|(_, i, t)| f(i, t)),
        )) as ArrayRef
    };
    let group = |i: usize| &prepared.types[prepared.threats[i].group];
    let fields = vec![
        Field::new("run", DataType::UInt64, false),
        Field::new("threat", DataType::UInt32, false),
        Field::new("group", DataType::Utf8, false),
        Field::new("type", DataType::Utf8, false),
        Field::new("class", DataType::Utf8, false),
        Field::new("launch_s", DataType::Float64, false),
        Field::new("fate", DataType::Utf8, false),
        Field::new("end_s", DataType::Float64, false),
        Field::new("lat_deg", DataType::Float64, false),
        Field::new("lon_deg", DataType::Float64, false),
        Field::new("height_m", DataType::Float64, false),
        Field::new("battery", DataType::Utf8, true),
        Field::new("asset", DataType::Utf8, true),
        Field::new("debris_lat_deg", DataType::Float64, true),
        Field::new("debris_lon_deg", DataType::Float64, true),
        Field::new("shots", DataType::UInt32, false),
    ];
    let columns: Vec<ArrayRef> = vec![
        Arc::new(UInt64Array::from_iter_values(
            rows(sample).map(|(r, _, _)| r),
        )),
        Arc::new(UInt32Array::from_iter_values(
            rows(sample).map(|(_, i, _)| i as u32),
        )),
        strs(&|i, _| Some(&group(i).group)),
        strs(&|i, _| Some(&group(i).type_id)),
        strs(&|i, _| Some(group(i).class.name())),
        f64s(&|t| t.launch_s),
        strs(&|_, t| Some(t.fate.name())),
        f64s(&|t| t.time_s),
        f64s(&|t| t.lat_deg),
        f64s(&|t| t.lon_deg),
        f64s(&|t| t.height_m),
        strs(&|_, t| {
            t.battery
                .map(|b| prepared.batteries[b as usize].id.as_str())
        }),
        strs(&|_, t| t.asset.map(|a| prepared.asset_ids[a as usize].as_str())),
        opt_f64s(&|t| t.debris.map(|d| d.0)),
        opt_f64s(&|t| t.debris.map(|d| d.1)),
        Arc::new(UInt32Array::from_iter_values(
            rows(sample).map(|(_, _, t)| t.shots),
        )),
    ];
    write_parquet(path, fields, columns)
}

/// The points of `runs` on the ground, as a GeoJSON FeatureCollection of Point features.
///
/// Each feature has a `kind`:
/// - `impact`: a threat that reached the ground (fate `leaked` or `ignored_open_area`), at its
///   impact point, with `asset` (the id of the asset hit) when it fell in one;
/// - `intercept`: the ground point of an intercept, with the intercept's `height_m` and the
///   `battery` that made it;
/// - `debris`: where the debris of an intercepted threat fell.
///
/// and `run`, `threat` (index of the round), `group`, `type`, `fate` and `time_s` (time of the
/// impact or intercept, s from the scenario's time origin). Threats that failed in flight
/// have no point. Coordinates are `[lon, lat]` in degrees (RFC 7946).
pub fn impacts_geojson(prepared: &Prepared, runs: &[Outcome]) -> FeatureCollection {
    let mut features = Vec::new();
    for (run, i, t) in rows(runs) {
        let group = &prepared.types[prepared.threats[i].group];
        let feature = |kind: &str, lat: f64, lon: f64| {
            let mut f = Feature::from(Geometry::new_point([lon, lat]));
            for (key, value) in [
                ("kind", json!(kind)),
                ("run", json!(run)),
                ("threat", json!(i)),
                ("group", json!(group.group)),
                ("type", json!(group.type_id)),
                ("fate", json!(t.fate.name())),
                ("time_s", json!(t.time_s)),
            ] {
                f.set_property(key, value);
            }
            f
        };
        match t.fate {
            Fate::Leaked | Fate::IgnoredOpenArea => {
                let mut f = feature("impact", t.lat_deg, t.lon_deg);
                if let Some(a) = t.asset {
                    f.set_property("asset", prepared.asset_ids[a as usize].as_str());
                }
                features.push(f);
            }
            Fate::Intercepted => {
                let mut f = feature("intercept", t.lat_deg, t.lon_deg);
                f.set_property("height_m", t.height_m);
                if let Some(b) = t.battery {
                    f.set_property("battery", prepared.batteries[b as usize].id.as_str());
                }
                features.push(f);
                if let Some((lat, lon)) = t.debris {
                    features.push(feature("debris", lat, lon));
                }
            }
            Fate::FailedInFlight => {}
        }
    }
    FeatureCollection::new(features)
}

/// Writes `impacts.geojson` ([`impacts_geojson`]).
pub fn write_impacts_geojson(
    path: &Path,
    prepared: &Prepared,
    runs: &[Outcome],
) -> Result<(), ReportError> {
    let text = impacts_geojson(prepared, runs).to_string();
    write_atomically(path, text.as_bytes())
}
