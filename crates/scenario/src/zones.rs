//! Warning zones from a GeoJSON file (RFC 7946): reading and checking.
//!
//! The file is a `FeatureCollection`; each feature is one zone, a `Polygon` or a
//! `MultiPolygon` (positions `[longitude, latitude]`, degrees, as RFC 7946 orders them), with
//! the properties `name` (a unique, non-empty string), `population` (a number >= 0) and,
//! optionally, `shelter_time_s` (a number >= 0; default: the scenario's `shelter_time_s`).
//!
//! Every ring must be closed (its last position repeats its first), have at least 4 positions,
//! enclose an area, and not cross itself. Rings are checked in longitude-latitude degrees, so a
//! ring that crosses the antimeridian is not supported. The winding order is not checked: the
//! engine tests points by the even-odd rule, for which it does not matter.

use std::collections::HashSet;

use geojson::{GeoJson, GeometryValue, JsonObject, Position};
use skyshield_physics::earth::Geodetic;

use crate::scenario::WarningZone;

/// Reads the zones of the GeoJSON text `text` (of the file `shown`, as the scenario names it).
/// Features without a `shelter_time_s` take `default_shelter_s`. Every problem is returned,
/// each naming the file and the feature (index from 0, and name when it has one).
pub(crate) fn read(
    text: &str,
    shown: &str,
    default_shelter_s: Option<f64>,
) -> Result<Vec<WarningZone>, Vec<String>> {
    let collection = match text.parse::<GeoJson>() {
        Ok(GeoJson::FeatureCollection(c)) => c,
        Ok(other) => {
            let found = match other {
                GeoJson::Feature(_) => "a single Feature",
                _ => "a bare Geometry",
            };
            return Err(vec![format!(
                "GeoJSON file `{shown}`: expected a FeatureCollection of zone polygons, found {found}"
            )]);
        }
        Err(e) => {
            return Err(vec![format!(
                "GeoJSON file `{shown}`: not valid GeoJSON: {e}"
            )]);
        }
    };
    if collection.features.is_empty() {
        return Err(vec![format!(
            "GeoJSON file `{shown}`: the FeatureCollection has no features: expected at least one zone polygon"
        )]);
    }
    let mut zones = Vec::new();
    let mut problems = Vec::new();
    let mut names = HashSet::new();
    for (k, feature) in collection.features.iter().enumerate() {
        let props = feature.properties.as_ref();
        let name = props
            .and_then(|p| p.get("name"))
            .and_then(|v| v.as_str())
            .map(str::to_owned);
        let label = match &name {
            Some(n) => format!("GeoJSON file `{shown}`, feature {k} (`{n}`)"),
            None => format!("GeoJSON file `{shown}`, feature {k}"),
        };
        let mut fail = |message: String| problems.push(format!("{label}: {message}"));
        let name = match name {
            Some(n) if n.trim().is_empty() => {
                fail("expected a non-empty `name`".into());
                None
            }
            Some(n) if !names.insert(n.clone()) => {
                fail(format!(
                    "the name `{n}` is given to an earlier feature too: zone names must be unique"
                ));
                None
            }
            Some(n) => Some(n),
            None => {
                fail("missing property `name`: expected the zone's name, a string".into());
                None
            }
        };
        let population = match number(props, "population") {
            Number::Missing => Err(
                "missing property `population`: expected the number of people in the zone".into(),
            ),
            Number::Value(x) if x >= 0.0 => Ok(x),
            Number::Value(x) => Err(format!("expected `population` >= 0, found {x}")),
            Number::Other(v) => Err(format!("expected `population` to be a number, found {v}")),
        };
        let shelter = match number(props, "shelter_time_s") {
            Number::Missing => default_shelter_s.ok_or_else(|| {
                "missing property `shelter_time_s`, and the scenario's `zones` give no `shelter_time_s` for such zones".to_string()
            }),
            Number::Value(x) if x >= 0.0 => Ok(x),
            Number::Value(x) => Err(format!("expected `shelter_time_s` >= 0, found {x}")),
            Number::Other(v) => Err(format!("expected `shelter_time_s` to be a number, found {v}")),
        };
        let polygons = match feature.geometry.as_ref().map(|g| &g.value) {
            Some(GeometryValue::Polygon { coordinates }) => {
                polygon(coordinates, None).map(|p| vec![p])
            }
            Some(GeometryValue::MultiPolygon { coordinates }) => {
                if coordinates.is_empty() {
                    Err("the MultiPolygon has no polygon".to_string())
                } else {
                    coordinates
                        .iter()
                        .enumerate()
                        .map(|(j, p)| polygon(p, Some(j)))
                        .collect()
                }
            }
            Some(other) => Err(format!(
                "the geometry is a {}: expected a Polygon or a MultiPolygon",
                other.type_name()
            )),
            None => Err("the feature has no geometry: expected a Polygon or a MultiPolygon".into()),
        };
        let (population, shelter, polygons) = match (population, shelter, polygons) {
            (Ok(p), Ok(s), Ok(g)) => (p, s, g),
            (p, s, g) => {
                for e in [p.err(), s.err(), g.err()].into_iter().flatten() {
                    fail(e);
                }
                continue;
            }
        };
        if let Some(name) = name {
            zones.push(WarningZone {
                name,
                population,
                shelter_time_s: shelter,
                polygons,
            });
        }
    }
    if problems.is_empty() {
        Ok(zones)
    } else {
        Err(problems)
    }
}

/// A numeric property as found.
enum Number {
    Missing,
    Value(f64),
    Other(String),
}

fn number(props: Option<&JsonObject>, key: &str) -> Number {
    match props.and_then(|p| p.get(key)) {
        None | Some(serde_json::Value::Null) => Number::Missing,
        Some(v) => match v.as_f64() {
            Some(x) if x.is_finite() => Number::Value(x),
            _ => Number::Other(v.to_string()),
        },
    }
}

/// The rings of a polygon, checked, as vertices without the closing repetition.
fn polygon(rings: &[Vec<Position>], part: Option<usize>) -> Result<Vec<Vec<Geodetic>>, String> {
    let of = match part {
        Some(j) => format!(" of polygon {j}"),
        None => String::new(),
    };
    if rings.is_empty() {
        return Err(format!("the polygon{of} has no ring"));
    }
    let mut out = Vec::with_capacity(rings.len());
    for (r, ring) in rings.iter().enumerate() {
        let at = format!("ring {r}{of}");
        if ring.len() < 4 {
            return Err(format!(
                "{at} has {} position(s): a closed ring needs at least 4 (the last repeating the first)",
                ring.len()
            ));
        }
        let mut points = Vec::with_capacity(ring.len());
        for (j, p) in ring.iter().enumerate() {
            let c = p.as_slice();
            let lon_lat = match c {
                [lon, lat, ..] if lon.is_finite() && lat.is_finite() => (*lon, *lat),
                _ => {
                    return Err(format!(
                        "{at}, position {j}: expected [longitude, latitude], found {c:?}"
                    ));
                }
            };
            points.push(lon_lat);
        }
        let (first, last) = (points[0], points[points.len() - 1]);
        if first != last {
            return Err(format!(
                "{at} is not closed: its last position [{}, {}] differs from its first [{}, {}]",
                last.0, last.1, first.0, first.1
            ));
        }
        points.pop();
        if let Some((a, b)) = self_intersection(&points) {
            return Err(format!(
                "{at} crosses itself: its edges {a} and {b} intersect (a zone must be a simple polygon)"
            ));
        }
        if ring_area(&points).abs() <= 0.0 {
            return Err(format!("{at} encloses no area"));
        }
        let mut vertices = Vec::with_capacity(points.len());
        for (j, &(lon, lat)) in points.iter().enumerate() {
            let g = Geodetic::from_degrees(lat, lon, 0.0)
                .map_err(|e| format!("{at}, position {j} [{lon}, {lat}]: {e}"))?;
            vertices.push(g);
        }
        out.push(vertices);
    }
    Ok(out)
}

/// Signed area of a ring (shoelace formula), in the units of its coordinates squared.
pub fn ring_area(points: &[(f64, f64)]) -> f64 {
    let n = points.len();
    0.5 * (0..n)
        .map(|i| {
            let (a, b) = (points[i], points[(i + 1) % n]);
            a.0 * b.1 - b.0 * a.1
        })
        .sum::<f64>()
}

/// The first pair of non-adjacent edges of the closed ring `points` that meet, if any (edge
/// `i` runs from vertex `i` to vertex `i + 1`). Adjacent edges that fold back onto each other
/// count too.
fn self_intersection(points: &[(f64, f64)]) -> Option<(usize, usize)> {
    let n = points.len();
    let edge = |i: usize| (points[i], points[(i + 1) % n]);
    for i in 0..n {
        for j in i + 1..n {
            let adjacent = j == i + 1 || (i == 0 && j == n - 1);
            let (a, b) = edge(i);
            let (c, d) = edge(j);
            if adjacent {
                // Adjacent edges share a vertex; they cross only by folding back (collinear,
                // overlapping beyond the shared point).
                let shared = if j == i + 1 { b } else { a };
                let (p, q) = if j == i + 1 { (a, d) } else { (b, c) };
                if orientation(p, shared, q) == 0.0
                    && (q.0 - shared.0) * (p.0 - shared.0) + (q.1 - shared.1) * (p.1 - shared.1)
                        > 0.0
                {
                    return Some((i, j));
                }
            } else if segments_meet(a, b, c, d) {
                return Some((i, j));
            }
        }
    }
    None
}

/// Twice the signed area of the triangle `a b c`.
fn orientation(a: (f64, f64), b: (f64, f64), c: (f64, f64)) -> f64 {
    (b.0 - a.0) * (c.1 - a.1) - (b.1 - a.1) * (c.0 - a.0)
}

/// Whether the closed segments `ab` and `cd` have a point in common.
fn segments_meet(a: (f64, f64), b: (f64, f64), c: (f64, f64), d: (f64, f64)) -> bool {
    let within = |p: (f64, f64), q: (f64, f64), r: (f64, f64)| {
        r.0 >= p.0.min(q.0) && r.0 <= p.0.max(q.0) && r.1 >= p.1.min(q.1) && r.1 <= p.1.max(q.1)
    };
    let (o1, o2) = (orientation(a, b, c), orientation(a, b, d));
    let (o3, o4) = (orientation(c, d, a), orientation(c, d, b));
    if ((o1 > 0.0 && o2 < 0.0) || (o1 < 0.0 && o2 > 0.0))
        && ((o3 > 0.0 && o4 < 0.0) || (o3 < 0.0 && o4 > 0.0))
    {
        return true;
    }
    (o1 == 0.0 && within(a, b, c))
        || (o2 == 0.0 && within(a, b, d))
        || (o3 == 0.0 && within(c, d, a))
        || (o4 == 0.0 && within(c, d, b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bow_tie_crosses_itself_and_a_square_does_not() {
        let square = [(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0)];
        assert_eq!(self_intersection(&square), None);
        let bow_tie = [(0.0, 0.0), (1.0, 1.0), (1.0, 0.0), (0.0, 1.0)];
        assert_eq!(self_intersection(&bow_tie), Some((0, 2)));
        // A spike that folds back along its previous edge.
        let spike = [(0.0, 0.0), (2.0, 0.0), (1.0, 0.0), (1.0, 1.0)];
        assert!(self_intersection(&spike).is_some());
        assert_eq!(ring_area(&square), 1.0);
    }
}
