//! Warning zones placed on the ground once per scenario: a generated grid over the defended
//! assets, or the polygons of a GeoJSON file, and for each trajectory the zones within its
//! reach, in the plane of its nominal impact point.
//!
//! # A generated grid
//! Cells of size `grid_km` (a square's side, or a hexagon's width across flats, which is also
//! the distance between neighbouring centres) tile the east-north plane tangent to the
//! ellipsoid at the mean aim point of the covered assets. A cell is a zone when it overlaps
//! a covered asset with a positive area. Each asset's people live on land: its population is
//! spread over the cells in proportion to the area of the asset each cell covers (a circular
//! asset as a 72-sided polygon) times the cell's land fraction (sampled on a fixed lattice of
//! points), and rounded to whole people by the largest remainder method, so the zones hold
//! the asset's people exactly. An asset none of whose cells has land keeps its people spread
//! over its whole area. Assets are taken not to overlap one another (overlapping assets count
//! their shared people twice). A zone is named after the asset that covers most of it, with
//! its row and column among that asset's cells: `<asset id> r<row>c<column>`, rows from the
//! south and columns from the west, both from 0.
//!
//! # Zones within reach
//! A trajectory's siren region is a circle of `k` standard deviations of the prediction about
//! the predicted impact point, which lies within [`REACH_SIGMAS`] standard deviations of the
//! run's impact point, itself within `REACH_SIGMAS` dispersion deviations of the nominal
//! impact. A zone is kept for the trajectory when it lies within that reach at the largest
//! prediction error (that of a track of age 0) and the highest CEP, or, when debris is warned
//! for, within `(k + REACH_SIGMAS)` debris deviations of the mean fall point of an intercept's
//! debris (the ballistic fall from the threat's state at the intercept, see
//! [`crate::Window::debris`]). A zone farther away is left out: the chance that it would have
//! been alerted is below 10⁻⁸.

use skyshield_core::apportion;
use skyshield_physics::earth::{EnuFrame, Geodetic};
use skyshield_physics::frame::{Enu, Vector};
use skyshield_physics::geography::is_land;
use skyshield_scenario::{Area, GridShape, WarningZone, ring_area};

use crate::geometry::{PlaneArea, rings_distance};

/// Standard deviations of a normal draw beyond which a zone is taken to be out of reach.
pub const REACH_SIGMAS: f64 = 6.0;

/// Sides of the polygon that stands for a circular asset when its area is shared among cells.
const CIRCLE_SIDES: usize = 72;

/// The civil warning of a prepared scenario.
#[derive(Debug, Clone)]
pub struct WarningPlan {
    /// Every zone, in the order of the GeoJSON file or of the grid (row by row).
    pub zones: Vec<WarningZone>,
    /// Probability that a siren region holds the impact point.
    pub confidence: f64,
    /// Radius of a siren region, in standard deviations of the prediction:
    /// `sqrt(-2 ln(1 - confidence))` for a circular normal error.
    pub sigmas: f64,
    /// Lead time the siren policy aims for, s.
    pub min_lead_s: f64,
    /// Whether debris of intercepted threats is warned for.
    pub warn_debris: bool,
    /// Time people stay sheltered after the last impact of an alert, s.
    pub all_clear_s: f64,
    /// Per trajectory: the zones within its reach, in its impact plane.
    pub near: Vec<Vec<PlaneZone>>,
}

/// A warning zone in the east-north plane tangent to the ellipsoid at a trajectory's nominal
/// impact point (metres).
#[derive(Debug, Clone)]
pub struct PlaneZone {
    /// Index into [`WarningPlan::zones`].
    pub zone: usize,
    /// Centre of a circle that holds the zone.
    pub centre: (f64, f64),
    /// Radius of that circle, m.
    pub radius_m: f64,
    /// Its rings (outer rings and holes of all its polygons).
    pub rings: Vec<Vec<(f64, f64)>>,
}

impl PlaneZone {
    /// Distance from `(east_m, north_m)` to the zone, m: 0 inside.
    pub fn distance_m(&self, east_m: f64, north_m: f64) -> f64 {
        rings_distance(&self.rings, (east_m, north_m))
    }

    /// Whether the zone holds the point `(east_m, north_m)`.
    pub fn contains(&self, east_m: f64, north_m: f64) -> bool {
        self.meets_circle(east_m, north_m, 0.0)
    }

    /// Whether a circle of radius `radius_m` about `(east_m, north_m)` meets the zone.
    pub fn meets_circle(&self, east_m: f64, north_m: f64, radius_m: f64) -> bool {
        // The circle that holds the zone first: most zones are far from most points.
        let (de, dn) = (east_m - self.centre.0, north_m - self.centre.1);
        let reach = self.radius_m + radius_m;
        de * de + dn * dn <= reach * reach
            && rings_distance(&self.rings, (east_m, north_m)) <= radius_m
    }

    pub(crate) fn new(zone: usize, z: &WarningZone, frame: &EnuFrame) -> Self {
        let rings: Vec<Vec<(f64, f64)>> = z
            .polygons
            .iter()
            .flatten()
            .map(|ring| ring.iter().map(|g| plane_point(g, frame)).collect())
            .collect();
        let count = rings.iter().map(Vec::len).sum::<usize>().max(1) as f64;
        let sum = rings
            .iter()
            .flatten()
            .fold((0.0, 0.0), |acc, p| (acc.0 + p.0, acc.1 + p.1));
        let centre = (sum.0 / count, sum.1 / count);
        let radius_m = rings
            .iter()
            .flatten()
            .map(|p| (p.0 - centre.0).hypot(p.1 - centre.1))
            .fold(0.0, f64::max);
        PlaneZone {
            zone,
            centre,
            radius_m,
            rings,
        }
    }
}

/// The point `g` (on the ellipsoid) in the east-north plane of `frame`.
pub(crate) fn plane_point(g: &Geodetic, frame: &EnuFrame) -> (f64, f64) {
    let p = frame.position_to_enu(g.with_height_m(0.0).to_ecef());
    (p.x, p.y)
}

/// The point `(east_m, north_m)` of the plane of `frame`, on the ellipsoid below it.
fn ground_point(frame: &EnuFrame, east_m: f64, north_m: f64) -> Geodetic {
    Geodetic::from_ecef(frame.position_to_ecef(Vector::<Enu>::new(east_m, north_m, 0.0)))
        .with_height_m(0.0)
}

/// The radius of a circle about a circular normal error's mean that holds it with probability
/// `confidence`, in standard deviations per axis: `sqrt(-2 ln(1 - p))` (the Rayleigh
/// distribution of the distance).
pub fn confidence_sigmas(confidence: f64) -> f64 {
    (-2.0 * (1.0 - confidence).ln()).sqrt()
}

/// An asset a generated grid covers.
pub(crate) struct Covered<'a> {
    /// Its id, which names its cells.
    pub id: &'a str,
    /// Its ground area.
    pub area: &'a Area,
    /// Its people.
    pub population: u64,
}

/// Points per side of the lattice that samples a cell's land fraction (a square cell gets
/// `LAND_LATTICE²` points, a hexagon the about 3/4 of them inside it).
const LAND_LATTICE: usize = 8;

/// A grid of cells over `covered`; see the module doc.
pub(crate) fn grid(
    covered: &[Covered],
    cell_m: f64,
    shape: GridShape,
    shelter_time_s: f64,
) -> Vec<WarningZone> {
    if covered.is_empty() {
        return Vec::new();
    }
    // The plane of the mean aim point of the areas.
    let mean = covered.iter().fold(Vector::zero(), |acc, c| {
        acc + c.area.aim_point().with_height_m(0.0).to_ecef()
    }) / covered.len() as f64;
    let frame = EnuFrame::at(Geodetic::from_ecef(mean).with_height_m(0.0));
    // Each area as a plane polygon.
    let polygons: Vec<Vec<(f64, f64)>> = covered
        .iter()
        .map(|c| match PlaneArea::new(c.area, &frame) {
            PlaneArea::Circle {
                east_m,
                north_m,
                radius_m,
            } => (0..CIRCLE_SIDES)
                .map(|k| {
                    let a = std::f64::consts::TAU * k as f64 / CIRCLE_SIDES as f64;
                    (east_m + radius_m * a.cos(), north_m + radius_m * a.sin())
                })
                .collect(),
            PlaneArea::Polygon { vertices, .. } => vertices,
        })
        .collect();
    let (mut lo, mut hi) = (
        (f64::INFINITY, f64::INFINITY),
        (f64::NEG_INFINITY, f64::NEG_INFINITY),
    );
    for p in polygons.iter().flatten() {
        lo = (lo.0.min(p.0), lo.1.min(p.1));
        hi = (hi.0.max(p.0), hi.1.max(p.1));
    }
    // Cell centres: a square lattice, or rows of hexagons with every other row shifted by half
    // a cell.
    let (dx, dy, circumradius) = match shape {
        GridShape::Square => (cell_m, cell_m, 0.0),
        GridShape::Hex => {
            let r = cell_m / 3f64.sqrt();
            (cell_m, 1.5 * r, r)
        }
    };
    let rows = ((lo.1 / dy).floor() as i64 - 1)..=((hi.1 / dy).ceil() as i64 + 1);
    let cols = ((lo.0 / dx).floor() as i64 - 1)..=((hi.0 / dx).ceil() as i64 + 1);
    // The cells that overlap an area with a positive area, row by row, each with the area
    // (m²) it shares with each area.
    let mut cells: Vec<Cell> = Vec::new();
    for row in rows {
        for col in cols.clone() {
            let ring: Vec<(f64, f64)> = match shape {
                GridShape::Square => {
                    let (e, n) = (col as f64 * dx, row as f64 * dy);
                    vec![(e, n), (e + dx, n), (e + dx, n + dy), (e, n + dy)]
                }
                GridShape::Hex => {
                    let shift = if row.rem_euclid(2) == 1 {
                        0.5 * dx
                    } else {
                        0.0
                    };
                    let (e, n) = (col as f64 * dx + shift, row as f64 * dy);
                    (0..6)
                        .map(|k| {
                            let a = (30.0 + 60.0 * k as f64).to_radians();
                            (e + circumradius * a.cos(), n + circumradius * a.sin())
                        })
                        .collect()
                }
            };
            let shared: Vec<f64> = polygons
                .iter()
                .map(|vertices| ring_area(&clip_convex(vertices, &ring)).abs())
                .collect();
            if shared.iter().any(|&s| s > 0.0) {
                cells.push(Cell {
                    row,
                    col,
                    land: land_fraction(&ring, &frame),
                    ring,
                    shared,
                });
            }
        }
    }
    // Each area's people over its cells' land, in whole people.
    let mut people = vec![0u64; cells.len()];
    for (a, c) in covered.iter().enumerate() {
        let on_land: Vec<f64> = cells
            .iter()
            .map(|cell| cell.shared[a] * cell.land)
            .collect();
        let weights = if on_land.iter().any(|&w| w > 0.0) {
            on_land
        } else {
            // No land under the area at all: its people spread over its whole area.
            cells.iter().map(|cell| cell.shared[a]).collect()
        };
        for (p, n) in people.iter_mut().zip(apportion(c.population, &weights)) {
            *p += n;
        }
    }
    // Each cell is named after the area that takes most of it, with its row and column among
    // the cells that area overlaps.
    let firsts: Vec<(i64, i64)> = (0..covered.len())
        .map(|a| {
            cells
                .iter()
                .filter(|cell| cell.shared[a] > 0.0)
                .fold((i64::MAX, i64::MAX), |m, cell| {
                    (m.0.min(cell.row), m.1.min(cell.col))
                })
        })
        .collect();
    cells
        .iter()
        .zip(people)
        .map(|(cell, people)| {
            let owner = (0..covered.len()).fold(0, |best, a| {
                if cell.shared[a] > cell.shared[best] {
                    a
                } else {
                    best
                }
            });
            let (row0, col0) = firsts[owner];
            WarningZone {
                name: format!(
                    "{} r{}c{}",
                    covered[owner].id,
                    cell.row - row0,
                    cell.col - col0
                ),
                population: people as f64,
                shelter_time_s,
                polygons: vec![vec![
                    cell.ring
                        .iter()
                        .map(|&(e, n)| ground_point(&frame, e, n))
                        .collect(),
                ]],
            }
        })
        .collect()
}

/// A cell of a generated grid that overlaps a covered area.
struct Cell {
    /// Its row (from the south) and column (from the west) in the grid.
    row: i64,
    col: i64,
    /// Its convex, counter-clockwise ring in the plane, m.
    ring: Vec<(f64, f64)>,
    /// The area it shares with each covered area, m².
    shared: Vec<f64>,
    /// The fraction of it on land.
    land: f64,
}

/// The fraction of the convex cell `ring` (in the plane of `frame`) on land: the share of a
/// fixed lattice of [`LAND_LATTICE`]² points over its bounding box, those inside it, that
/// [`is_land`] puts on land (Natural Earth's 1:50m land).
fn land_fraction(ring: &[(f64, f64)], frame: &EnuFrame) -> f64 {
    let (mut lo, mut hi) = (ring[0], ring[0]);
    for p in ring {
        lo = (lo.0.min(p.0), lo.1.min(p.1));
        hi = (hi.0.max(p.0), hi.1.max(p.1));
    }
    let n = ring.len();
    let inside = |p: (f64, f64)| {
        (0..n).all(|i| {
            let (a, b) = (ring[i], ring[(i + 1) % n]);
            (b.0 - a.0) * (p.1 - a.1) - (b.1 - a.1) * (p.0 - a.0) >= 0.0
        })
    };
    let (mut points, mut land) = (0u32, 0u32);
    for i in 0..LAND_LATTICE {
        for j in 0..LAND_LATTICE {
            let step = |k: usize| (k as f64 + 0.5) / LAND_LATTICE as f64;
            let p = (
                lo.0 + step(i) * (hi.0 - lo.0),
                lo.1 + step(j) * (hi.1 - lo.1),
            );
            if inside(p) {
                points += 1;
                let g = ground_point(frame, p.0, p.1);
                if is_land(g.lat_deg(), g.lon_deg()) {
                    land += 1;
                }
            }
        }
    }
    if points == 0 {
        0.0
    } else {
        f64::from(land) / f64::from(points)
    }
}

/// The part of polygon `subject` inside the convex, counter-clockwise polygon `clip`
/// (Sutherland and Hodgman 1974). A non-convex subject may come out with edges along the clip
/// boundary that enclose nothing; its area is still right.
fn clip_convex(subject: &[(f64, f64)], clip: &[(f64, f64)]) -> Vec<(f64, f64)> {
    let mut out = subject.to_vec();
    let n = clip.len();
    for i in 0..n {
        if out.is_empty() {
            break;
        }
        let (a, b) = (clip[i], clip[(i + 1) % n]);
        let side = |p: (f64, f64)| (b.0 - a.0) * (p.1 - a.1) - (b.1 - a.1) * (p.0 - a.0);
        let input = std::mem::take(&mut out);
        let m = input.len();
        for j in 0..m {
            let (p, q) = (input[j], input[(j + 1) % m]);
            let (sp, sq) = (side(p), side(q));
            if sp >= 0.0 {
                out.push(p);
            }
            if (sp >= 0.0) != (sq >= 0.0) {
                let t = sp / (sp - sq);
                out.push((p.0 + t * (q.0 - p.0), p.1 + t * (q.1 - p.1)));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn confidence_radius_of_a_circular_normal() {
        // P(R <= kσ) = 1 - exp(-k²/2): 39.3 % at 1σ, 95 % at 2.4477σ.
        assert!((confidence_sigmas(1.0 - (-0.5f64).exp()) - 1.0).abs() < 1e-12);
        assert!((confidence_sigmas(0.95) - 2.447_746_830_680_816).abs() < 1e-12);
    }

    #[test]
    fn clipping_by_a_convex_polygon() {
        let a = [(0.0, 0.0), (2.0, 0.0), (2.0, 2.0), (0.0, 2.0)];
        let b = [(1.0, 1.0), (3.0, 1.0), (3.0, 3.0), (1.0, 3.0)];
        assert!((ring_area(&clip_convex(&a, &b)) - 1.0).abs() < 1e-12);
        let far = [(5.0, 5.0), (6.0, 5.0), (6.0, 6.0), (5.0, 6.0)];
        assert_eq!(ring_area(&clip_convex(&a, &far)), 0.0);
        // A slanted edge: the triangle below x + y = 4 keeps half of the square [1, 3]².
        let triangle = [(0.0, 0.0), (4.0, 0.0), (0.0, 4.0)];
        let square = [(1.0, 1.0), (3.0, 1.0), (3.0, 3.0), (1.0, 3.0)];
        assert!((ring_area(&clip_convex(&triangle, &square)) - 2.0).abs() < 1e-12);
        // Clipped by the triangle, a square [2, 4] × [0, 2] keeps the part below the edge.
        let right = [(2.0, 0.0), (4.0, 0.0), (4.0, 2.0), (2.0, 2.0)];
        assert!((ring_area(&clip_convex(&right, &triangle)) - 2.0).abs() < 1e-12);
    }

    /// A circle meets a zone when the zone lies within its radius of its centre: points all
    /// round a 5 km square zone whose centre is off the plane's origin by fractions of a metre.
    #[test]
    fn a_circle_meets_a_zone_within_its_radius() {
        let ring = vec![
            (-2_499.7, -2_500.2),
            (2_500.3, -2_500.2),
            (2_500.3, 2_499.8),
            (-2_499.7, 2_499.8),
        ];
        let zone = PlaneZone {
            zone: 0,
            centre: (0.3, -0.2),
            radius_m: 2_500.0 * 2f64.sqrt(),
            rings: vec![ring],
        };
        let mut cases = [0usize; 2];
        for i in -12..=12 {
            for j in -12..=12 {
                let (e, n) = (f64::from(i) * 730.0 + 0.3, f64::from(j) * 730.0 - 0.2);
                let distance = zone.distance_m(e, n);
                for r in [0.0, 500.0, 2_000.0, 6_000.0] {
                    if (distance - r).abs() > 1e-6 || distance == 0.0 {
                        let meets = zone.meets_circle(e, n, r);
                        assert_eq!(meets, distance <= r, "({e}, {n}) at {r} m");
                        cases[usize::from(meets)] += 1;
                    }
                }
            }
        }
        assert!(cases[0] > 200 && cases[1] > 200, "{cases:?}");
    }

    /// The cells of `zones` named after `id`, with their people.
    fn of<'a>(zones: &'a [WarningZone], id: &str) -> Vec<&'a WarningZone> {
        let prefix = format!("{id} r");
        zones
            .iter()
            .filter(|z| z.name.starts_with(&prefix))
            .collect()
    }

    /// The mean `(lat, lon)` of a zone's vertices, degrees.
    fn centre(z: &WarningZone) -> (f64, f64) {
        let ring = &z.polygons[0][0];
        let n = ring.len() as f64;
        (
            ring.iter().map(Geodetic::lat_deg).sum::<f64>() / n,
            ring.iter().map(Geodetic::lon_deg).sum::<f64>() / n,
        )
    }

    fn circle(lat: f64, lon: f64, radius_m: f64) -> Area {
        Area::Circle {
            center: Geodetic::from_degrees(lat, lon, 0.0).unwrap(),
            radius_m,
        }
    }

    #[test]
    fn a_grid_puts_each_asset_whole_people_on_land() {
        // Tel Aviv on the coast (its western part is sea) and Haifa, as in the June 2025
        // scenario.
        let tel_aviv = circle(32.08, 34.78, 10_000.0);
        let haifa = circle(32.79, 35.0, 6_000.0);
        let covered = [
            Covered {
                id: "tel-aviv",
                area: &tel_aviv,
                population: 1_400_000,
            },
            Covered {
                id: "haifa",
                area: &haifa,
                population: 285_316,
            },
        ];
        for (shape, cell_m) in [(GridShape::Hex, 10_000.0), (GridShape::Square, 5_000.0)] {
            let zones = grid(&covered, cell_m, shape, 90.0);
            assert!(zones.iter().all(|z| z.shelter_time_s == 90.0));
            let mut names: Vec<&str> = zones.iter().map(|z| z.name.as_str()).collect();
            names.sort_unstable();
            names.dedup();
            assert_eq!(names.len(), zones.len(), "{shape:?}: names not unique");
            for c in &covered {
                let cells = of(&zones, c.id);
                assert!(cells.len() > 1, "{shape:?} {}", c.id);
                assert!(cells.iter().all(|z| z.population.fract() == 0.0));
                let total: f64 = cells.iter().map(|z| z.population).sum();
                assert_eq!(total, c.population as f64, "{shape:?} {}", c.id);
                // Cells wholly at sea get nobody, though they overlap the asset.
                let offshore: Vec<_> = cells
                    .iter()
                    .filter(|z| {
                        z.polygons[0][0]
                            .iter()
                            .all(|g| !is_land(g.lat_deg(), g.lon_deg()))
                    })
                    .collect();
                assert!(!offshore.is_empty(), "{shape:?} {}: no cell at sea", c.id);
                assert!(offshore.iter().all(|z| z.population == 0.0), "{shape:?}");
            }
            // West of 34.70 E off Tel Aviv is sea (the coast is at about 34.75 E).
            let west: Vec<_> = of(&zones, "tel-aviv")
                .into_iter()
                .filter(|z| centre(z).1 < 34.70)
                .collect();
            assert!(!west.is_empty(), "{shape:?}");
            assert!(west.iter().all(|z| z.population == 0.0), "{shape:?}");
        }
    }

    /// The cells of a grid tile the assets: every point of a lattice over each asset (within
    /// the 72-sided polygon that stands for a circle) lies in exactly one cell, every cell
    /// meets an asset, and each asset's cells count their rows and columns from 0.
    #[test]
    fn a_grids_cells_tile_its_assets() {
        let city = circle(31.5, 34.6, 7_000.0);
        let town = circle(31.56, 34.75, 2_500.0);
        let covered = [
            Covered {
                id: "city",
                area: &city,
                population: 100_000,
            },
            Covered {
                id: "town",
                area: &town,
                population: 9_000,
            },
        ];
        let frame = EnuFrame::at(Geodetic::from_degrees(31.5, 34.6, 0.0).unwrap());
        // Each asset's centre in the plane, and its radius.
        let circles: Vec<((f64, f64), f64)> = covered
            .iter()
            .map(|c| match c.area {
                Area::Circle { center, radius_m } => (plane_point(center, &frame), *radius_m),
                Area::Polygon { .. } => unreachable!("circles"),
            })
            .collect();
        let inscribed = (std::f64::consts::PI / CIRCLE_SIDES as f64).cos();
        let grids = [1_700.0, 2_300.0, 3_000.0, 4_100.0]
            .into_iter()
            .flat_map(|cell_m| [(GridShape::Hex, cell_m), (GridShape::Square, cell_m)]);
        for (shape, cell_m) in grids {
            let cells = grid(&covered, cell_m, shape, 60.0);
            let zones: Vec<PlaneZone> = cells
                .iter()
                .enumerate()
                .map(|(k, z)| PlaneZone::new(k, z, &frame))
                .collect();
            for (c, &((ce, cn), radius_m)) in covered.iter().zip(&circles) {
                let inside = 0.999 * inscribed * radius_m;
                // A lattice of 81 × 81 points, off the cells' edges by odd fractions of a step.
                let steps = (-40..=40).map(|i| (f64::from(i) + 0.37) / 40.0 * inside);
                for e in steps.clone() {
                    for n in steps.clone().map(|n| n + 0.11) {
                        if e.hypot(n) > inside {
                            continue;
                        }
                        let holding = zones.iter().filter(|z| z.contains(ce + e, cn + n));
                        assert_eq!(
                            holding.count(),
                            1,
                            "{shape:?} {cell_m} {}: ({e}, {n})",
                            c.id
                        );
                    }
                }
            }
            // Each asset's cells count their rows and columns from 0 (the assets lie apart).
            for c in &covered {
                let prefix = format!("{} r", c.id);
                let first = of(&cells, c.id)
                    .iter()
                    .map(|z| {
                        let rc = z.name.strip_prefix(&prefix).expect("named after the asset");
                        let (r, c) = rc.split_once('c').expect("r<row>c<column>");
                        (r.parse().expect("row"), c.parse().expect("column"))
                    })
                    .fold((i64::MAX, i64::MAX), |m, p| (m.0.min(p.0), m.1.min(p.1)));
                assert_eq!(first, (0, 0), "{shape:?} {cell_m} {}", c.id);
            }
            let meets = |z: &PlaneZone| circles.iter().any(|&((e, n), r)| z.meets_circle(e, n, r));
            assert!(
                zones.iter().all(meets),
                "{shape:?} {cell_m}: a cell off the assets"
            );
        }
    }

    /// A cell's land fraction from its 8 × 8 lattice is within half a lattice step (1/16) of
    /// that of a lattice of 120 × 120 points, for a square and a hexagon with the coast at Tel
    /// Aviv through their middle (sea to the west), and 0 or 1 for cells wholly at sea or on
    /// land.
    #[test]
    fn a_cells_land_fraction_is_that_of_a_fine_lattice() {
        let frame = EnuFrame::at(Geodetic::from_degrees(32.08, 34.755, 0.0).unwrap());
        let hexagon: Vec<(f64, f64)> = (0..6)
            .map(|k| {
                let a = (30.0 + 60.0 * f64::from(k)).to_radians();
                (3_000.0 * a.cos(), 3_000.0 * a.sin())
            })
            .collect();
        let square = |e: f64| {
            vec![
                (e - 3e3, -3e3),
                (e + 3e3, -3e3),
                (e + 3e3, 3e3),
                (e - 3e3, 3e3),
            ]
        };
        let fine = |ring: &[(f64, f64)]| {
            let inside = |p: (f64, f64)| rings_distance(&[ring], p) == 0.0;
            let steps = (0..120).map(|k| (f64::from(k) + 0.5) / 120.0 * 6e3 - 3e3);
            let (mut points, mut land) = (0, 0);
            for e in steps.clone() {
                for n in steps.clone() {
                    if inside((e, n)) {
                        points += 1;
                        let g = ground_point(&frame, e, n);
                        land += u32::from(is_land(g.lat_deg(), g.lon_deg()));
                    }
                }
            }
            f64::from(land) / f64::from(points)
        };
        for ring in [square(0.0), hexagon] {
            let (coarse, fine) = (land_fraction(&ring, &frame), fine(&ring));
            assert!(fine > 0.4 && fine < 0.6, "{fine}: across the coast");
            assert!(
                (coarse - fine).abs() < 1.0 / 16.0,
                "{coarse} from 8 × 8, {fine} from 120 × 120"
            );
        }
        assert_eq!(land_fraction(&square(-20e3), &frame), 0.0);
        assert_eq!(land_fraction(&square(20e3), &frame), 1.0);
    }

    #[test]
    fn an_asset_with_no_land_keeps_its_people_over_its_area() {
        // 40 km off the coast of Israel: all sea.
        let rig = circle(32.4, 34.3, 7_000.0);
        let zones = grid(
            &[Covered {
                id: "rig",
                area: &rig,
                population: 1_001,
            }],
            5_000.0,
            GridShape::Square,
            60.0,
        );
        assert!(zones.len() > 6 && zones.len() <= 25, "{}", zones.len());
        assert_eq!(zones.iter().map(|z| z.population).sum::<f64>(), 1_001.0);
        assert!(zones.iter().all(|z| z.population.fract() == 0.0));
        // The fully covered cells hold the most.
        let most = zones.iter().map(|z| z.population).fold(0.0, f64::max);
        assert!(most >= 1_001.0 * 25e6 / (std::f64::consts::PI * 49e6) - 1.0);
    }
}
