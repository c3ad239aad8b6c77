//! The map of a scenario for the web page: what stands where, and the basemap around it.
//!
//! [`layout_geojson`] gives one GeoJSON `FeatureCollection` with a `bbox` (the frame of the
//! map) and a feature for each asset (a point with its `radius_m`, or a polygon), sensor and
//! battery with a position (with `reach_m`, its interceptor's nominal maximum range), launch
//! site (a point, with `radius_m` for a launch area), and the basemap inside the frame (see
//! [`crate::basemap`]): the coastline and the land borders (each a `MultiLineString`, Natural
//! Earth's 1:50m) and the most prominent populated places (points with `name` and `population`,
//! Natural Earth's 1:10m, at most [`MAX_PLACES`]). Each feature's `properties.kind` says what it
//! is: `asset`, `sensor`, `battery`, `launch_site`, `coastline`, `border`, `place`. Warning
//! zones, placed by the engine, are in a run folder's `zones.geojson`. Coordinates are
//! `[lon, lat]` in degrees, rounded to 1e-5° (about 1 m).

use serde_json::{Value, json};
use skyshield_physics::earth::Geodetic;
use skyshield_physics::geography::{self, Line};
use skyshield_scenario::{Area, LaunchSites, Scenario};

use crate::basemap::{self, Frame, clip};

/// Share of the frame's size added on each side of what the map shows.
const MARGIN: f64 = 0.12;
/// Least span of the frame in latitude and longitude, degrees.
const MIN_SPAN_DEG: f64 = 1.0;
/// Most populated places on the map.
pub const MAX_PLACES: usize = 40;

fn deg(x: f64) -> f64 {
    (x * 1e5).round() / 1e5
}

fn lon_lat(g: &Geodetic) -> [f64; 2] {
    [deg(g.lon_deg()), deg(g.lat_deg())]
}

fn point(kind: &str, id: &str, g: &Geodetic, extra: Value) -> Value {
    let mut properties = json!({"kind": kind, "id": id});
    if let (Some(p), Value::Object(more)) = (properties.as_object_mut(), extra) {
        p.extend(more);
    }
    json!({
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": lon_lat(g)},
        "properties": properties,
    })
}

/// The map of `scenario`; `None` for an abstract scenario, which has no geometry.
pub fn layout_geojson(scenario: &Scenario) -> Option<Value> {
    let layered = scenario.as_layered()?;
    let mut features = Vec::new();
    let mut points: Vec<(f64, f64)> = Vec::new();
    let mut seen = |g: &Geodetic| points.push((g.lon_deg(), g.lat_deg()));
    for asset in &layered.assets {
        let props = json!({"asset_kind": format!("{:?}", asset.kind).to_lowercase(),
            "population": asset.population, "value": asset.value});
        match &asset.area {
            Area::Circle { center, radius_m } => {
                seen(center);
                let mut f = point("asset", &asset.id, center, props);
                f["properties"]["radius_m"] = json!(radius_m);
                features.push(f);
            }
            Area::Polygon { vertices, .. } => {
                vertices.iter().for_each(&mut seen);
                let mut ring: Vec<[f64; 2]> = vertices.iter().map(lon_lat).collect();
                ring.push(ring[0]);
                let mut properties = props;
                properties["kind"] = json!("asset");
                properties["id"] = json!(asset.id);
                features.push(json!({
                    "type": "Feature",
                    "geometry": {"type": "Polygon", "coordinates": [ring]},
                    "properties": properties,
                }));
            }
        }
    }
    for sensor in &layered.sensors {
        if let Some(position) = &sensor.position {
            seen(position);
            features.push(point(
                "sensor",
                &sensor.id,
                position,
                json!({"type": sensor.sensor_type.id}),
            ));
        }
    }
    for battery in &layered.batteries {
        seen(&battery.position);
        features.push(point(
            "battery",
            &battery.id,
            &battery.position,
            json!({"type": battery.interceptor.id, "launchers": battery.launchers,
                "rounds": battery.rounds, "reach_m": battery.params.max_range_m.nominal}),
        ));
    }
    for group in &layered.raid {
        let info = json!({"type": group.threat.id, "count": group.count});
        match &group.sites {
            LaunchSites::Points(sites) => {
                for site in sites {
                    seen(site);
                    features.push(point("launch_site", &group.id, site, info.clone()));
                }
            }
            LaunchSites::Area {
                center, radius_m, ..
            } => {
                seen(center);
                let mut f = point("launch_site", &group.id, center, info);
                f["properties"]["radius_m"] = json!(radius_m);
                features.push(f);
            }
        }
    }
    let frame = Frame::around(points, MARGIN, MIN_SPAN_DEG)?;
    for (kind, lines, source) in [
        (
            "coastline",
            geography::coastline(),
            "Natural Earth 1:50m coastline (public domain)",
        ),
        (
            "border",
            geography::borders(),
            "Natural Earth 1:50m land borders (public domain)",
        ),
    ] {
        features.push(json!({
            "type": "Feature",
            "geometry": {"type": "MultiLineString", "coordinates": lines_in(lines, &frame)},
            "properties": {"kind": kind, "id": kind, "source": source},
        }));
    }
    for place in basemap::places_in(&frame).take(MAX_PLACES) {
        features.push(json!({
            "type": "Feature",
            "geometry": {"type": "Point",
                "coordinates": [deg(place.lon_deg), deg(place.lat_deg)]},
            "properties": {"kind": "place", "id": place.name, "name": place.name,
                "population": place.population,
                "source": "Natural Earth 1:10m populated places (public domain)"},
        }));
    }
    Some(json!({
        "type": "FeatureCollection",
        "bbox": [deg(frame.lon_min), deg(frame.lat_min), deg(frame.lon_max), deg(frame.lat_max)],
        "features": features,
    }))
}

/// The parts of `lines` inside `frame`, as GeoJSON coordinates.
fn lines_in(lines: &[Line], frame: &Frame) -> Vec<Vec<[f64; 2]>> {
    lines
        .iter()
        .flat_map(|line| clip(line, frame))
        .map(|part| {
            part.iter()
                .map(|&(lon, lat)| [deg(lon), deg(lat)])
                .collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    #[test]
    fn the_layout_of_october_2024_has_borders_places_and_reaches() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios/oct-2024.yaml");
        let scenario = skyshield_scenario::load(&path).unwrap();
        let layout = layout_geojson(&scenario).unwrap();
        let features = layout["features"].as_array().unwrap();
        let of = |kind: &str| {
            features
                .iter()
                .filter(|f| f["properties"]["kind"] == kind)
                .collect::<Vec<_>>()
        };
        // Israel's borders with Jordan, Egypt, Syria and Lebanon lie in the frame.
        let borders = of("border");
        assert_eq!(borders.len(), 1);
        let lines = borders[0]["geometry"]["coordinates"].as_array().unwrap();
        assert!(lines.len() >= 4, "{} border lines", lines.len());
        let places = of("place");
        assert!(!places.is_empty() && places.len() <= MAX_PLACES);
        let names: Vec<&str> = places
            .iter()
            .map(|p| p["properties"]["name"].as_str().unwrap())
            .collect();
        assert!(
            names.contains(&"Tel Aviv-Yafo") && names.contains(&"Baghdad"),
            "{names:?}"
        );
        let batteries = of("battery");
        assert!(!batteries.is_empty());
        for b in batteries {
            let reach = b["properties"]["reach_m"].as_f64().unwrap();
            assert!(reach > 1_000.0, "{b}");
        }
    }
}
