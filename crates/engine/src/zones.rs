//! Warning zones placed on the ground once per scenario: a generated grid over the defended
//! assets, or the polygons of a GeoJSON file, and for each trajectory the zones within its
//! reach, in the plane of its nominal impact point.
//!
//! # A generated grid
//! Cells of size `grid_km` (a square's side, or a hexagon's width across flats, which is also
//! the distance between neighbouring centres) tile the east-north plane tangent to the
//! ellipsoid at the mean aim point of the covered assets. A cell is a zone when it overlaps
//! a covered asset with a positive area. Each asset's population is spread over the cells in
//! proportion to the share of the asset's area that each cell covers (a circular asset as a
//! 72-sided polygon), so the zones hold the assets' people exactly; assets are taken not to
//! overlap one another (overlapping assets count their shared people twice). Zones are named
//! `cell-<row>-<column>`, rows from the south and columns from the west, both from 0.
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

use skyshield_physics::earth::{EnuFrame, Geodetic};
use skyshield_physics::frame::{Enu, Vector};
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

/// A grid of cells over `areas` (each with its population); see the module doc.
pub(crate) fn grid(
    areas: &[(&Area, f64)],
    cell_m: f64,
    shape: GridShape,
    shelter_time_s: f64,
) -> Vec<WarningZone> {
    if areas.is_empty() {
        return Vec::new();
    }
    // The plane of the mean aim point of the areas.
    let mean = areas.iter().fold(Vector::zero(), |acc, (a, _)| {
        acc + a.aim_point().with_height_m(0.0).to_ecef()
    }) / areas.len() as f64;
    let frame = EnuFrame::at(Geodetic::from_ecef(mean).with_height_m(0.0));
    // Each area as a plane polygon, with its area (m²) and population.
    type PlanePolygon = (Vec<(f64, f64)>, f64, f64);
    let polygons: Vec<PlanePolygon> = areas
        .iter()
        .map(|(area, population)| {
            let vertices = match PlaneArea::new(area, &frame) {
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
            };
            let area_m2 = ring_area(&vertices).abs();
            (vertices, area_m2, *population)
        })
        .collect();
    let (mut lo, mut hi) = (
        (f64::INFINITY, f64::INFINITY),
        (f64::NEG_INFINITY, f64::NEG_INFINITY),
    );
    for p in polygons.iter().flat_map(|(v, _, _)| v) {
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
    let (row0, col0) = (*rows.start(), *cols.start());
    let mut zones = Vec::new();
    for row in rows {
        for col in cols.clone() {
            let cell: Vec<(f64, f64)> = match shape {
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
            let mut overlaps = false;
            let mut population = 0.0;
            for (vertices, area_m2, people) in &polygons {
                let shared = ring_area(&clip_convex(vertices, &cell)).abs();
                if shared > 0.0 {
                    overlaps = true;
                    if *area_m2 > 0.0 {
                        population += people * shared / area_m2;
                    }
                }
            }
            if overlaps {
                let ring = cell
                    .iter()
                    .map(|&(e, n)| ground_point(&frame, e, n))
                    .collect();
                zones.push(WarningZone {
                    name: format!("cell-{}-{}", row - row0, col - col0),
                    population,
                    shelter_time_s,
                    polygons: vec![vec![ring]],
                });
            }
        }
    }
    zones
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
    fn clipping_a_square_by_a_square() {
        let a = [(0.0, 0.0), (2.0, 0.0), (2.0, 2.0), (0.0, 2.0)];
        let b = [(1.0, 1.0), (3.0, 1.0), (3.0, 3.0), (1.0, 3.0)];
        assert!((ring_area(&clip_convex(&a, &b)) - 1.0).abs() < 1e-12);
        let far = [(5.0, 5.0), (6.0, 5.0), (6.0, 6.0), (5.0, 6.0)];
        assert_eq!(ring_area(&clip_convex(&a, &far)), 0.0);
    }

    #[test]
    fn a_grid_keeps_every_person_of_its_assets() {
        let center = Geodetic::from_degrees(32.08, 34.78, 0.0).unwrap();
        let city = Area::Circle {
            center,
            radius_m: 7_000.0,
        };
        for shape in [GridShape::Hex, GridShape::Square] {
            let zones = grid(&[(&city, 450_000.0)], 5_000.0, shape, 90.0);
            let total: f64 = zones.iter().map(|z| z.population).sum();
            assert!((total - 450_000.0).abs() < 1e-6, "{shape:?}: {total}");
            // A 14 km disc over 5 km cells touches some cells partly: more cells than its
            // area in cells (π·49/25 ≈ 6.2 squares), fewer than its bounding box allows.
            assert!(
                zones.len() > 6 && zones.len() <= 25,
                "{shape:?}: {}",
                zones.len()
            );
            assert!(zones.iter().all(|z| z.shelter_time_s == 90.0));
        }
    }
}
