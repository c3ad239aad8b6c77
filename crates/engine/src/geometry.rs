//! Ground areas of defended assets in a local plane: is a point inside, how far from the edge.
//!
//! Each trajectory carries its assets in the east-north plane tangent to the ellipsoid at its
//! nominal impact point, so that impact points, dispersion and prediction errors are plain
//! offsets in metres there. Over the tens of kilometres between an impact and the assets it may
//! threaten the plane is exact to metres; assets hundreds of kilometres away are far from any
//! impact of that trajectory in any case.

use skyshield_physics::earth::{EnuFrame, Geodetic, geodesic_direct};
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
            Area::Polygon { vertices, .. } => PlaneArea::Polygon {
                vertices: vertices.iter().map(plane).collect(),
            },
        }
    }

    /// Distance from the point `(east_m, north_m)` to the area, m: 0 inside.
    pub fn distance_m(&self, east_m: f64, north_m: f64) -> f64 {
        match self {
            PlaneArea::Circle {
                east_m: e,
                north_m: n,
                radius_m,
            } => ((east_m - e).hypot(north_m - n) - radius_m).max(0.0),
            PlaneArea::Polygon { vertices } => polygon_distance(vertices, (east_m, north_m)),
        }
    }
}

/// The ground point at offset `(east_m, north_m)` from the origin of `frame`.
pub fn ground_point(frame: &EnuFrame, east_m: f64, north_m: f64) -> Geodetic {
    let distance = east_m.hypot(north_m);
    if distance == 0.0 {
        return frame.origin();
    }
    geodesic_direct(
        &frame.origin(),
        east_m.atan2(north_m).to_degrees(),
        distance,
    )
}

/// Distance from `q` to a simple polygon in the plane: 0 inside (even-odd rule), otherwise the
/// distance to the nearest edge.
fn polygon_distance(vertices: &[(f64, f64)], q: (f64, f64)) -> f64 {
    let n = vertices.len();
    let mut inside = false;
    let mut best = f64::INFINITY;
    for i in 0..n {
        let a = vertices[i];
        let b = vertices[(i + 1) % n];
        if (a.1 > q.1) != (b.1 > q.1) {
            let x = a.0 + (q.1 - a.1) * (b.0 - a.0) / (b.1 - a.1);
            if q.0 < x {
                inside = !inside;
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
        best = best.min(px.hypot(py));
    }
    if inside { 0.0 } else { best }
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
    }

    #[test]
    fn a_circle_in_the_plane_of_a_point_25_km_away() {
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
        let back = ground_point(&frame, 25_000.0, 0.0);
        assert!(skyshield_physics::earth::geodesic_inverse(&back, &center).distance_m < 0.1);
    }
}
