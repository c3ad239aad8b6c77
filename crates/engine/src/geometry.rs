//! Ground areas of defended assets in a local plane: is a point inside, how far from the edge.
//!
//! Each trajectory carries its assets in the east-north plane tangent to the ellipsoid at its
//! nominal impact point, so that impact points, dispersion and prediction errors are plain
//! offsets in metres there. Over the tens of kilometres between an impact and the assets it may
//! threaten the plane is exact to metres; assets hundreds of kilometres away are far from any
//! impact of that trajectory in any case.

use skyshield_physics::earth::{EnuFrame, Geodetic, WGS84_A_M, WGS84_E2};
use skyshield_scenario::Area;

/// A defended asset's ground area in a local east-north plane (metres).
#[derive(Debug, Clone)]
pub enum PlaneArea {
    Circle {
        east_m: f64,
        north_m: f64,
        radius_m: f64,
    },
    Polygon {
        vertices: Vec<(f64, f64)>,
        /// A circle holding every vertex: centre east and north, radius (m).
        bound: (f64, f64, f64),
    },
}

impl PlaneArea {
    /// The area `area` in the east-north plane of `frame`.
    pub fn new(area: &Area, frame: &EnuFrame) -> Self {
        let plane = |g: &Geodetic| {
            let p = frame.position_to_enu(g.with_height_m(0.0).to_ecef());
            (p.x, p.y)
        };
        match area {
            Area::Circle { center, radius_m } => {
                let (east_m, north_m) = plane(center);
                PlaneArea::Circle {
                    east_m,
                    north_m,
                    radius_m: *radius_m,
                }
            }
            Area::Polygon { vertices, .. } => {
                let vertices: Vec<(f64, f64)> = vertices.iter().map(plane).collect();
                let count = vertices.len() as f64;
                let (e, n) = vertices
                    .iter()
                    .fold((0.0, 0.0), |(e, n), v| (e + v.0 / count, n + v.1 / count));
                let radius = vertices
                    .iter()
                    .map(|v| (v.0 - e).hypot(v.1 - n))
                    .fold(0.0, f64::max);
                PlaneArea::Polygon {
                    vertices,
                    bound: (e, n, radius),
                }
            }
        }
    }

    /// Distance from the point `(east_m, north_m)` to the area, m: 0 inside.
    pub fn distance_m(&self, east_m: f64, north_m: f64) -> f64 {
        match self {
            PlaneArea::Circle {
                east_m: e,
                north_m: n,
                radius_m,
            } => (squared_distance((east_m, north_m), (*e, *n)).sqrt() - radius_m).max(0.0),
            PlaneArea::Polygon { vertices, .. } => polygon_distance(vertices, (east_m, north_m)),
        }
    }

    /// Whether the point `(east_m, north_m)` lies within `d_m` of the area, as
    /// `distance_m(..) <= d_m`, but without a square root where squared distances settle it
    /// beyond rounding, nor measuring a polygon's edges when its bounding circle settles it:
    /// all of the circle within `d_m` of the point, or none of it.
    pub fn within_m(&self, east_m: f64, north_m: f64, d_m: f64) -> bool {
        let squared_from = |e: f64, n: f64| squared_distance((east_m, north_m), (e, n));
        match *self {
            PlaneArea::Circle {
                east_m: e,
                north_m: n,
                radius_m,
            } => {
                // No point is nearer than 0 m.
                let reach = d_m + radius_m;
                d_m >= 0.0
                    && nearer(squared_from(e, n), reach, reach)
                        .unwrap_or_else(|| self.distance_m(east_m, north_m) <= d_m)
            }
            PlaneArea::Polygon {
                ref vertices,
                bound: (e, n, radius),
            } => {
                // Within `reach` of the centre: some of the circle within `d_m`.
                let (centre2, reach) = (squared_from(e, n), d_m + radius);
                let none_within = nearer(centre2, reach, reach)
                    .map_or_else(|| centre2.sqrt() - radius > d_m, |within| !within);
                if none_within {
                    return false;
                }
                let all_within = nearer(centre2, d_m - radius, reach)
                    .unwrap_or_else(|| centre2.sqrt() + radius <= d_m);
                all_within || polygon_distance(vertices, (east_m, north_m)) <= d_m
            }
        }
    }
}

/// The squared distance between plane points `p` and `q`, m². Plane offsets of at most
/// thousands of kilometres: no overflow to guard against.
fn squared_distance(p: (f64, f64), q: (f64, f64)) -> f64 {
    let (de, dn) = (p.0 - q.0, p.1 - q.1);
    de * de + dn * dn
}

/// Whether a point at squared distance `d2` from a centre lies within `reach` of it, when the
/// squares settle it far beyond the rounding of distances of the order of `scale` (a margin of
/// 1e-9 `scale`² against errors of about 1e-16 `scale`²), or the reach is negative: `None`
/// where only the distance itself can tell.
fn nearer(d2: f64, reach: f64, scale: f64) -> Option<bool> {
    const MARGIN: f64 = 1e-9;
    let (r2, slack) = (reach * reach, MARGIN * scale * scale);
    if reach < 0.0 || d2 > r2 + slack {
        Some(false)
    } else if d2 < r2 - slack {
        Some(true)
    } else {
        None
    }
}

/// A point with the radii of curvature of the WGS84 ellipsoid there, from which points a few
/// kilometres east and north follow with a handful of multiplications (see
/// [`GroundPoint::offset`]).
#[derive(Debug, Clone, Copy)]
pub struct GroundPoint {
    point: Geodetic,
    sin_lat: f64,
    cos_lat: f64,
    /// The inverses of the meridian and prime-vertical radii of curvature, 1/m.
    per_meridian_m: f64,
    per_normal_m: f64,
}

impl GroundPoint {
    /// `point` with the radii of curvature there.
    pub fn new(point: Geodetic) -> Self {
        let (sin_lat, cos_lat) = point.lat_rad().sin_cos();
        let w2 = 1.0 - WGS84_E2 * sin_lat * sin_lat;
        let meridian_m = WGS84_A_M * (1.0 - WGS84_E2) / (w2 * w2.sqrt());
        let normal_m = WGS84_A_M / w2.sqrt();
        Self {
            point,
            sin_lat,
            cos_lat,
            per_meridian_m: 1.0 / meridian_m,
            per_normal_m: 1.0 / normal_m,
        }
    }

    /// The point itself.
    pub fn point(&self) -> Geodetic {
        self.point
    }

    /// The point `east_m` east and `north_m` north of this one (same height), by the local
    /// radii of curvature: close to the geodesic for the kilometre offsets of aim dispersion
    /// and debris (within a metre at 5 km, as a plane tangent to the ellipsoid), and far
    /// cheaper than a geodesic.
    pub fn offset(&self, east_m: f64, north_m: f64) -> Geodetic {
        let lat0 = self.point.lat_rad();
        let dlat = north_m * self.per_meridian_m;
        // Parallels converge: the east offset is taken at the middle latitude. Its cosine comes
        // from the angle-sum formula, with the half offset's sine and cosine from their series
        // (the first term left out is below 1e-20 for a half offset under 0.001 rad, that is
        // an offset under about 12.7 km north or south).
        let h = 0.5 * dlat;
        let cos_mid = if h.abs() < 1e-3 {
            let h2 = h * h;
            let cos_h = 1.0 - h2 * (0.5 - h2 / 24.0);
            let sin_h = h * (1.0 - h2 * (1.0 / 6.0 - h2 / 120.0));
            self.cos_lat * cos_h - self.sin_lat * sin_h
        } else {
            (lat0 + h).cos()
        };
        let lon = self.point.lon_rad() + east_m * self.per_normal_m / cos_mid.max(1e-12);
        Geodetic::from_radians_unchecked(lat0 + dlat, lon, self.point.height_m())
    }
}

/// Distance from `q` to a simple polygon in the plane: 0 inside (even-odd rule), otherwise the
/// distance to the nearest edge.
fn polygon_distance(vertices: &[(f64, f64)], q: (f64, f64)) -> f64 {
    rings_distance(std::slice::from_ref(&vertices), q)
}

/// Distance from `q` to the region bounded by closed rings (outer rings and holes, each
/// without the repetition of its first vertex): 0 inside by the even-odd rule over all rings,
/// otherwise the distance to the nearest edge.
pub(crate) fn rings_distance<R: AsRef<[(f64, f64)]>>(rings: &[R], q: (f64, f64)) -> f64 {
    let mut inside = false;
    let mut best = f64::INFINITY;
    for ring in rings {
        let vertices = ring.as_ref();
        scan_ring(vertices, q, &mut inside, &mut best);
    }
    if inside { 0.0 } else { best.sqrt() }
}

/// Toggles `inside` for each edge of `vertices` a ray east from `q` crosses, and lowers `best`
/// to the squared distance from `q` to the nearest edge.
fn scan_ring(vertices: &[(f64, f64)], q: (f64, f64), inside: &mut bool, best: &mut f64) {
    let n = vertices.len();
    for i in 0..n {
        let a = vertices[i];
        let b = vertices[(i + 1) % n];
        if (a.1 > q.1) != (b.1 > q.1) {
            let x = a.0 + (q.1 - a.1) * (b.0 - a.0) / (b.1 - a.1);
            if q.0 < x {
                *inside = !*inside;
            }
        }
        let (dx, dy) = (b.0 - a.0, b.1 - a.1);
        let len2 = dx * dx + dy * dy;
        let t = if len2 > 0.0 {
            (((q.0 - a.0) * dx + (q.1 - a.1) * dy) / len2).clamp(0.0, 1.0)
        } else {
            0.0
        };
        let (px, py) = (a.0 + t * dx - q.0, a.1 + t * dy - q.1);
        *best = best.min(px * px + py * py);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn square_polygon_distances() {
        let square = [(0.0, 0.0), (10.0, 0.0), (10.0, 10.0), (0.0, 10.0)];
        assert_eq!(polygon_distance(&square, (5.0, 5.0)), 0.0);
        assert!((polygon_distance(&square, (13.0, 5.0)) - 3.0).abs() < 1e-12);
        assert!((polygon_distance(&square, (13.0, 14.0)) - 5.0).abs() < 1e-12);
        // A slanted edge: inside below the hypotenuse x + y = 13, 0.7/√2 beyond it at
        // (7.2, 6.5).
        let triangle = [(2.0, 1.0), (12.0, 1.0), (2.0, 11.0)];
        assert_eq!(polygon_distance(&triangle, (5.0, 5.0)), 0.0);
        assert_eq!(polygon_distance(&triangle, (3.0, 9.5)), 0.0);
        let beyond = polygon_distance(&triangle, (7.2, 6.5));
        assert!((beyond - 0.7 / 2f64.sqrt()).abs() < 1e-12, "{beyond}");
        assert!((polygon_distance(&triangle, (-1.0, 5.0)) - 3.0).abs() < 1e-12);
    }

    #[test]
    fn a_hole_is_outside_its_polygon() {
        let outer = vec![(0.0, 0.0), (10.0, 0.0), (10.0, 10.0), (0.0, 10.0)];
        let hole = vec![(4.0, 4.0), (6.0, 4.0), (6.0, 6.0), (4.0, 6.0)];
        let rings = [outer, hole];
        assert_eq!(rings_distance(&rings, (2.0, 2.0)), 0.0);
        assert!((rings_distance(&rings, (5.0, 5.0)) - 1.0).abs() < 1e-12);
        assert!((rings_distance(&rings, (12.0, 5.0)) - 2.0).abs() < 1e-12);
    }

    #[test]
    fn within_agrees_with_the_distance() {
        // An L-shaped polygon, whose bounding circle holds much that is outside it.
        let origin = Geodetic::from_degrees(31.2, 35.0, 0.0).unwrap();
        let frame = EnuFrame::at(origin);
        let corners = [
            (0.0, 0.0),
            (4.0, 0.0),
            (4.0, 1.0),
            (1.0, 1.0),
            (1.0, 3.0),
            (0.0, 3.0),
        ];
        let vertices: Vec<Geodetic> = corners
            .iter()
            .map(|&(e, n)| GroundPoint::new(origin).offset(e * 1_000.0, n * 1_000.0))
            .collect();
        let area = PlaneArea::new(
            &Area::Polygon {
                centroid: origin,
                vertices,
            },
            &frame,
        );
        let PlaneArea::Polygon {
            ref vertices,
            bound: (ce, cn, radius),
        } = area
        else {
            unreachable!("a polygon");
        };
        // The grid, and the centre of the bounding circle (outside the L, 333 m from it).
        let points = (-40..=80)
            .flat_map(|i| (-40..=70).map(move |j| (f64::from(i) * 100.0, f64::from(j) * 100.0)))
            .chain([(ce, cn)]);
        let mut cases = [0usize; 2];
        for (e, n) in points {
            let distance = area.distance_m(e, n);
            for d in [0.0, 150.0, 300.0, 700.0, 2_500.0] {
                // Points inside are within any reach; elsewhere, reaches clear of the distance.
                if distance == 0.0 || (distance - d).abs() > 1e-6 {
                    let within = area.within_m(e, n, d);
                    assert_eq!(within, distance <= d, "({e}, {n}) at {d} m");
                    cases[usize::from(within)] += 1;
                }
            }
        }
        assert!(cases[0] > 1_000 && cases[1] > 1_000, "{cases:?}");
        // Where the bounding circle's reach is too close to call by squares: points beyond the
        // vertex farthest from its centre, a hair nearer and farther than the reach.
        let far = vertices
            .iter()
            .copied()
            .max_by(|a, b| {
                squared_distance(*a, (ce, cn)).total_cmp(&squared_distance(*b, (ce, cn)))
            })
            .expect("vertices");
        let (ue, un) = ((far.0 - ce) / radius, (far.1 - cn) / radius);
        for d in [0.5, 150.0, 700.0, 2_500.0] {
            let reach = radius + d;
            for hair in [-2e-10, 2e-10] {
                let r = reach * (1.0 + hair);
                let (e, n) = (ce + r * ue, cn + r * un);
                assert!(nearer(squared_distance((e, n), (ce, cn)), reach, reach).is_none());
                let distance = polygon_distance(vertices, (e, n));
                assert!((distance - d).abs() > 1e-7, "{distance} m at {d} m");
                assert_eq!(area.within_m(e, n, d), distance <= d, "{hair} beyond {d} m");
            }
        }
    }

    #[test]
    fn within_a_circle_agrees_with_the_distance_to_the_last_bit() {
        let area = PlaneArea::Circle {
            east_m: 1_234.5,
            north_m: -6_789.25,
            radius_m: 12_000.0,
        };
        let mut cases = [0usize; 2];
        for i in -60..=60 {
            for j in -60..=60 {
                let (e, n) = (f64::from(i) * 517.3, f64::from(j) * 498.1 - 6_000.0);
                let distance = area.distance_m(e, n);
                // Reaches far from the distance, and at it and just short of it, where only
                // the distance itself can tell.
                for d in [0.0, 900.0, 7_500.0, distance, distance.next_down()] {
                    let within = area.within_m(e, n, d);
                    assert_eq!(within, distance <= d, "({e}, {n}) at {d} m");
                    cases[usize::from(within)] += 1;
                }
            }
        }
        assert!(cases[0] > 10_000 && cases[1] > 10_000, "{cases:?}");
    }

    #[test]
    fn a_circle_in_the_plane_of_a_point_25_km_away() {
        use skyshield_physics::earth::{geodesic_direct, geodesic_inverse};
        let origin = Geodetic::from_degrees(32.0, 34.8, 0.0).unwrap();
        let center = geodesic_direct(&origin, 90.0, 25_000.0);
        let frame = EnuFrame::at(origin);
        let area = PlaneArea::new(
            &Area::Circle {
                center,
                radius_m: 10_000.0,
            },
            &frame,
        );
        // The origin is 15 km from the circle's edge; the plane is exact to centimetres here.
        assert!((area.distance_m(0.0, 0.0) - 15_000.0).abs() < 0.1);
        assert_eq!(area.distance_m(25_000.0, 0.0), 0.0);
        // A 5 km offset lands within a metre of the geodesic (0.74 m here).
        let off = GroundPoint::new(origin).offset(3_000.0, -4_000.0);
        let exact = geodesic_direct(&origin, 3_000f64.atan2(-4_000.0).to_degrees(), 5_000.0);
        let error = geodesic_inverse(&off, &exact).distance_m;
        assert!(error < 1.0, "{error} m");
    }

    #[test]
    fn offsets_agree_with_the_cosine_of_the_middle_latitude() {
        for lat_deg in [-89.0, -60.0, -12.5, 0.0, 31.7, 55.0, 88.9] {
            let origin = Geodetic::from_degrees(lat_deg, 35.0, 120.0).unwrap();
            let g = GroundPoint::new(origin);
            let (meridian_m, normal_m) = (1.0 / g.per_meridian_m, 1.0 / g.per_normal_m);
            for (east_m, north_m) in [
                (0.0, 0.0),
                (1_000.0, -1_000.0),
                (-4_500.0, 3_200.0),
                (6_000.0, 12_600.0),
                (-2_000.0, -12_800.0),
                (300_000.0, 400_000.0),
                // Far beyond the series' range, towards the equator.
                (800_000.0, -1_000_000f64.copysign(lat_deg)),
            ] {
                let off = g.offset(east_m, north_m);
                // The formula by the library cosine.
                let lat = origin.lat_rad() + north_m / meridian_m;
                let cos_mid = (0.5 * (origin.lat_rad() + lat)).cos().max(1e-12);
                let lon = origin.lon_rad() + east_m / (normal_m * cos_mid);
                let reference = Geodetic::from_radians_unchecked(lat, lon, origin.height_m());
                let error_m = (
                    (off.lat_rad() - reference.lat_rad()) * meridian_m,
                    (off.lon_rad() - reference.lon_rad()) * normal_m * cos_mid,
                );
                assert!(
                    error_m.0.hypot(error_m.1) <= 1e-12 * east_m.hypot(north_m),
                    "{lat_deg}: ({east_m}, {north_m}) off by {error_m:?} m"
                );
                assert_eq!(off.height_m(), 120.0);
            }
        }
    }
}
