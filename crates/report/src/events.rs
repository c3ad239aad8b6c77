//! The points of the sampled runs on the ground: `impacts.geojson`.

use geojson::{Feature, FeatureCollection, Geometry};
use serde_json::json;
use skyshield_engine::{Fate, Outcome, Prepared};

use crate::tables::threat_rows;
use crate::{PER_DEGREE, round};

/// The points of `runs` on the ground, as a GeoJSON FeatureCollection of Point features.
///
/// Each feature has a `kind`:
/// - `impact`: a threat that reached the ground (fate `leaked` or `ignored_open_area`), at its
///   impact point, with `asset` (the id of the asset hit) when it fell in one, and for a leaker
///   its `leak_cause` ([`skyshield_engine::LeakCause::name`]);
/// - `intercept`: the ground point of an intercept, with the intercept's `height_m` and the
///   `battery` that made it;
/// - `debris`: where the debris of an intercepted threat fell.
///
/// and `run`, `threat` (index of the round), `group`, `type`, `fate` and `time_s` (time of the
/// impact or intercept, s from the scenario's time origin). Threats that failed in flight
/// have no point. Coordinates are `[lon, lat]` in degrees (RFC 7946), to 1e-6° (about 0.1 m).
pub fn impacts_geojson(prepared: &Prepared, runs: &[Outcome]) -> FeatureCollection {
    let mut features = Vec::new();
    for (run, i, t) in threat_rows(runs) {
        let group = &prepared.types[prepared.threats[i].group];
        let feature = |kind: &str, lat: f64, lon: f64| {
            let mut f = Feature::from(Geometry::new_point([
                round(lon, PER_DEGREE),
                round(lat, PER_DEGREE),
            ]));
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
                    f.set_property("asset", prepared.asset_ids[a].as_str());
                }
                if let Some(cause) = t.leak_cause {
                    f.set_property("leak_cause", cause.name());
                }
                features.push(f);
            }
            Fate::Intercepted => {
                let mut f = feature("intercept", t.lat_deg, t.lon_deg);
                f.set_property("height_m", t.height_m);
                if let Some(b) = t.battery {
                    f.set_property("battery", prepared.batteries[b].id.as_str());
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
