//! Lints: warnings about input that is valid but implausible, each at the place in the file that
//! causes it. A lint never stops a run (`--deny-warnings` makes the command line refuse it).
//!
//! - **Latitude and longitude swapped**: an asset, battery or sensor whose position, read the
//!   other way round (`[lon, lat]` for `[lat, lon]`), is on land and much nearer the scenario's
//!   other elements: either the position as written is at sea and the swapped one nearer, or it
//!   lies more than [`SWAP_MIN_DISTANCE_M`] from every other element and the swapped one at
//!   most a quarter as far. Land is Natural Earth's 1:50m land
//!   ([`skyshield_physics::geography::is_land`]); ships and airborne sensors may well be at sea,
//!   which is why a position at sea alone is not a warning.
//! - **A battery that reaches nothing**: its interceptor's nominal maximum range reaches no asset
//!   (the distance to an asset's aim point, less its radius) and no threat's path (the geodesic
//!   from each launch site, through the group's route, to its aim, sampled every
//!   [`PATH_STEP_M`] at most).
//! - **An area beyond the usual**: an asset wider than [`MAX_USUAL_RADIUS_M`] in radius (a
//!   circle, or a polygon of the same area), or a warning grid of more than
//!   [`MAX_USUAL_ZONES`] cells (estimated from the covered areas), or a GeoJSON file of more
//!   than that many zones.
//!
//! Tabs in indentation and units written into values are errors, not lints, since the file
//! cannot be read: their messages say what to write instead.

use std::collections::HashMap;
use std::f64::consts::PI;
use std::path::Path;

use skyshield_physics::earth::{EnuFrame, Geodetic};
use skyshield_physics::geography::is_land;

use crate::diag::{Diagnostic, Diagnostics, Pos};
use crate::file::ScenarioFile;
use crate::scenario::{Aim, Area, LaunchSites, LayeredScenario, Scenario, ScenarioKind};
use crate::zones::ring_area;

/// Distance from every other element beyond which a position on land that would be near the
/// others when swapped is taken for swapped, m.
pub const SWAP_MIN_DISTANCE_M: f64 = 50_000.0;
/// Longest step between the points at which a threat's path is sampled, m.
pub const PATH_STEP_M: f64 = 5_000.0;
/// Radius beyond which an asset is wider than any town or base, m: the largest metropolitan
/// areas span about 100 km (Natural Earth's urban areas), so 100 km in radius is twice that.
pub const MAX_USUAL_RADIUS_M: f64 = 100_000.0;
/// Number of warning zones beyond which a grid or a GeoJSON file is far beyond the usual: a
/// city of 20 km in radius in 2-km cells holds about 300, and the run and the map slow down
/// with thousands.
pub const MAX_USUAL_ZONES: f64 = 2_000.0;

/// The lints of `scenario`, read from `file`, as diagnostics of the file `name`, in the order
/// of their positions.
pub fn lint(file: &ScenarioFile, scenario: &Scenario, name: &Path) -> Diagnostics {
    let ScenarioKind::Layered(layered) = &scenario.kind else {
        return Diagnostics::default();
    };
    let mut found = Vec::new();
    let mut warn = |pos: Pos, message: String| found.push(Diagnostic::new(name, pos, message));
    let places = Places::of(file);
    swapped_positions(layered, &places, &mut warn);
    batteries_reaching_nothing(layered, &places, &mut warn);
    unusual_areas(layered, &places, &mut warn);
    let mut diagnostics = Diagnostics(found);
    diagnostics.normalize();
    diagnostics
}

/// Where the file writes each element's position (a battery's id too), an asset's radius and
/// the warning zones.
#[derive(Default)]
struct Places {
    assets: HashMap<String, Pos>,
    radii: HashMap<String, Pos>,
    batteries: HashMap<String, (Pos, Pos)>,
    sensors: HashMap<String, Pos>,
    grid: Option<Pos>,
    geojson: Option<Pos>,
}

impl Places {
    fn of(file: &ScenarioFile) -> Self {
        let mut places = Places::default();
        for a in file.assets.iter().flat_map(|l| &l.value) {
            let mut at = a.id.pos;
            if let Some(c) = &a.circle {
                at = c.value.center.pos();
                places
                    .radii
                    .insert(a.id.value.clone(), c.value.radius_km.pos);
            } else if let Some(p) = &a.polygon {
                at = p.pos;
            }
            places.assets.insert(a.id.value.clone(), at);
        }
        for b in file.batteries.iter().flat_map(|l| &l.value) {
            places
                .batteries
                .insert(b.id.value.clone(), (b.id.pos, b.at.pos()));
        }
        for s in file.sensors.iter().flat_map(|l| &l.value) {
            let at = s.at.as_ref().map_or(s.id.pos, |p| p.pos());
            places.sensors.insert(s.id.value.clone(), at);
        }
        if let Some(zones) = file.warning.as_ref().map(|w| &w.value.zones.value) {
            places.grid = zones.grid_km.as_ref().map(|g| g.pos);
            places.geojson = zones.geojson.as_ref().map(|g| g.pos);
        }
        places
    }
}

/// One positioned element: what it is, its id, its position and where the file writes it.
struct Element {
    what: &'static str,
    id: String,
    at: Geodetic,
    pos: Pos,
}

fn elements(layered: &LayeredScenario, places: &Places) -> Vec<Element> {
    let assets = layered.assets.iter().map(|a| Element {
        what: "asset",
        id: a.id.clone(),
        at: a.area.aim_point(),
        pos: places.assets.get(&a.id).copied().unwrap_or(Pos::START),
    });
    let batteries = layered.batteries.iter().map(|b| Element {
        what: "battery",
        id: b.id.clone(),
        at: b.position,
        pos: places.batteries.get(&b.id).map_or(Pos::START, |p| p.1),
    });
    let sensors = layered.sensors.iter().filter_map(|s| {
        Some(Element {
            what: "sensor",
            id: s.id.clone(),
            at: s.position?,
            pos: places.sensors.get(&s.id).copied().unwrap_or(Pos::START),
        })
    });
    assets.chain(batteries).chain(sensors).collect()
}

/// Mean radius of the Earth, m (IUGG; Moritz, "Geodetic Reference System 1980", J. Geodesy
/// 74, 2000): the sphere on which lints measure distances, well within their tolerances.
const MEAN_EARTH_RADIUS_M: f64 = 6_371_008.8;

/// The unit vector of a position on the sphere.
fn unit(p: &Geodetic) -> [f64; 3] {
    let (lat, lon) = (p.lat_rad(), p.lon_rad());
    [lat.cos() * lon.cos(), lat.cos() * lon.sin(), lat.sin()]
}

/// Great-circle distance between two unit vectors, m.
fn arc_m(a: [f64; 3], b: [f64; 3]) -> f64 {
    let dot = a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
    let cross = [
        a[1] * b[2] - a[2] * b[1],
        a[2] * b[0] - a[0] * b[2],
        a[0] * b[1] - a[1] * b[0],
    ];
    let sin = (cross[0] * cross[0] + cross[1] * cross[1] + cross[2] * cross[2]).sqrt();
    MEAN_EARTH_RADIUS_M * sin.atan2(dot)
}

fn distance_m(a: &Geodetic, b: &Geodetic) -> f64 {
    arc_m(unit(a), unit(b))
}

/// The element nearest `at` other than element `skip`, with its distance.
fn nearest<'a>(all: &'a [Element], skip: usize, at: &Geodetic) -> Option<(&'a Element, f64)> {
    all.iter()
        .enumerate()
        .filter(|&(k, _)| k != skip)
        .map(|(_, e)| (e, distance_m(at, &e.at)))
        .min_by(|a, b| a.1.total_cmp(&b.1))
}

/// Degrees as a scenario writes them: at most 5 decimals (about a metre), no trailing zeros.
fn deg(x: f64) -> String {
    let text = format!("{x:.5}");
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}

fn km(m: f64) -> String {
    format!("{:.0} km", m / 1000.0)
}

fn swapped_positions(
    layered: &LayeredScenario,
    places: &Places,
    warn: &mut impl FnMut(Pos, String),
) {
    let all = elements(layered, places);
    for (k, e) in all.iter().enumerate() {
        let (lat, lon) = (e.at.lat_deg(), e.at.lon_deg());
        let (lat_text, lon_text) = (deg(lat), deg(lon));
        let Ok(swapped) = Geodetic::from_degrees(lon, lat, e.at.height_m()) else {
            continue;
        };
        if !is_land(lon, lat) {
            continue;
        }
        let (Some((_, written_m)), Some((near, swapped_m))) =
            (nearest(&all, k, &e.at), nearest(&all, k, &swapped))
        else {
            continue;
        };
        let at_sea = !is_land(lat, lon);
        let suspicious = (at_sea && swapped_m < written_m)
            || (written_m > SWAP_MIN_DISTANCE_M && swapped_m <= 0.25 * written_m);
        if suspicious {
            let where_written = if at_sea {
                format!("at sea, {} from the nearest other element", km(written_m))
            } else {
                format!("{} from the nearest other element", km(written_m))
            };
            warn(
                e.pos,
                format!(
                    "{} `{}` at [{lat_text}, {lon_text}] lies {where_written}; [{lon_text}, \
                     {lat_text}] would put it on \
                     land, {} from {} `{}`: are latitude and longitude swapped? (positions are \
                     written [lat, lon])",
                    e.what,
                    e.id,
                    km(swapped_m),
                    near.what,
                    near.id
                ),
            );
        }
    }
}

/// Points along every threat's path, as unit vectors: from each launch site through the route
/// to the aim, along great circles.
fn path_points(layered: &LayeredScenario) -> Vec<[f64; 3]> {
    let mut points = Vec::new();
    for group in &layered.raid {
        let aim = match group.aim {
            Aim::Asset(a) => layered.assets[a].area.aim_point(),
            Aim::Point(p) => p,
        };
        let sites = match &group.sites {
            LaunchSites::Points(sites) => sites.clone(),
            LaunchSites::Area { center, .. } => vec![*center],
        };
        for site in sites {
            let legs: Vec<Geodetic> = std::iter::once(site)
                .chain(group.route.iter().copied())
                .chain(std::iter::once(aim))
                .collect();
            for leg in legs.windows(2) {
                let (a, b) = (unit(&leg[0]), unit(&leg[1]));
                let steps = (arc_m(a, b) / PATH_STEP_M).ceil().max(1.0) as usize;
                for s in 0..=steps {
                    // Points of the chord, pushed out onto the sphere: on the great circle.
                    let t = s as f64 / steps as f64;
                    let p = [0, 1, 2].map(|i| a[i] + t * (b[i] - a[i]));
                    let n = (p[0] * p[0] + p[1] * p[1] + p[2] * p[2]).sqrt();
                    points.push(p.map(|x| x / n));
                }
            }
        }
    }
    points
}

fn batteries_reaching_nothing(
    layered: &LayeredScenario,
    places: &Places,
    warn: &mut impl FnMut(Pos, String),
) {
    let mut paths: Option<Vec<[f64; 3]>> = None;
    for b in &layered.batteries {
        let reach_m = b.params.max_range_m.nominal;
        let asset = layered
            .assets
            .iter()
            .map(|a| {
                (
                    a,
                    distance_m(&b.position, &a.area.aim_point()) - radius_m(&a.area),
                )
            })
            .min_by(|x, y| x.1.total_cmp(&y.1));
        if asset.is_some_and(|(_, d)| d <= reach_m) {
            continue;
        }
        let here = unit(&b.position);
        let path_m = paths
            .get_or_insert_with(|| path_points(layered))
            .iter()
            .map(|&p| arc_m(here, p))
            .min_by(f64::total_cmp);
        if path_m.is_some_and(|d| d <= reach_m) {
            continue;
        }
        let nearest_asset = asset.map_or(String::new(), |(a, d)| {
            format!(
                "; the nearest asset, `{}`, is {} away",
                a.id,
                km(d.max(0.0))
            )
        });
        let nearest_path = path_m.map_or(String::new(), |d| {
            format!(" and the nearest threat's path {}", km(d))
        });
        let pos = places.batteries.get(&b.id).map_or(Pos::START, |p| p.0);
        warn(
            pos,
            format!(
                "battery `{}` reaches no asset and no threat's path: its `{}` reach {}{nearest_asset}{nearest_path}",
                b.id,
                b.interceptor.id,
                km(reach_m)
            ),
        );
    }
}

/// The radius of a circle, or of the circle with a polygon's area, m.
fn radius_m(area: &Area) -> f64 {
    (area_m2(area) / PI).sqrt()
}

/// The area of an asset, m² (a polygon's in a plane tangent at its centroid).
fn area_m2(area: &Area) -> f64 {
    match area {
        Area::Circle { radius_m, .. } => PI * radius_m * radius_m,
        Area::Polygon { vertices, centroid } => {
            let frame = EnuFrame::at(centroid.with_height_m(0.0));
            let plane: Vec<(f64, f64)> = vertices
                .iter()
                .map(|v| {
                    let p = frame.position_to_enu(v.with_height_m(0.0).to_ecef());
                    (p.x, p.y)
                })
                .collect();
            ring_area(&plane).abs()
        }
    }
}

fn unusual_areas(layered: &LayeredScenario, places: &Places, warn: &mut impl FnMut(Pos, String)) {
    for a in &layered.assets {
        let r = radius_m(&a.area);
        if r > MAX_USUAL_RADIUS_M {
            let pos = places
                .radii
                .get(&a.id)
                .or_else(|| places.assets.get(&a.id))
                .copied()
                .unwrap_or(Pos::START);
            warn(
                pos,
                format!(
                    "asset `{}` is {} in radius, far beyond a town or a base (the largest cities \
                     span about 100 km): is the radius in km?",
                    a.id,
                    km(r)
                ),
            );
        }
    }
    let Some(warning) = &layered.warning else {
        return;
    };
    match &warning.zones {
        crate::scenario::WarningZones::Grid { cell_m, over, .. } => {
            let covered: f64 = over.iter().map(|&a| area_m2(&layered.assets[a].area)).sum();
            let cells = covered / (cell_m * cell_m);
            if cells > MAX_USUAL_ZONES {
                warn(
                    places.grid.unwrap_or(Pos::START),
                    format!(
                        "the warning grid makes about {cells:.0} zones of {} km over {:.0} km², \
                         far beyond the usual (at most {MAX_USUAL_ZONES:.0}): larger cells or \
                         smaller areas keep the run fast and the map readable",
                        cell_m / 1000.0,
                        covered / 1e6
                    ),
                );
            }
        }
        crate::scenario::WarningZones::GeoJson { zones, .. } => {
            if zones.len() as f64 > MAX_USUAL_ZONES {
                warn(
                    places.geojson.unwrap_or(Pos::START),
                    format!(
                        "the GeoJSON file holds {} zones, far beyond the usual (at most \
                         {MAX_USUAL_ZONES:.0})",
                        zones.len()
                    ),
                );
            }
        }
    }
}
