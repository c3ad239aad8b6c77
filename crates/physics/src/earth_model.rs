//! The Earth a trajectory is flown over: shape, rotation, gravity field and atmosphere.
//!
//! [`EarthModel::FULL`] is the physical Earth of skyshield: the WGS84 ellipsoid rotating at the
//! WGS84 rate, point-mass plus J2 gravity, and the US Standard Atmosphere 1976.
//! [`EarthModel::SPHERE_VACUUM`] is a non-rotating sphere of radius 6,371 km with point-mass
//! gravity and no air, so that results can be compared with the closed forms of textbook
//! ballistics. On the sphere, [`Geodetic`] latitudes are geocentric and heights are measured
//! from the sphere.
//!
//! Motion is integrated in the Earth-fixed frame ([`Ecef`]). When the model rotates, the
//! equations of motion carry the Coriolis term `-2 ω × v` and the centrifugal term
//! `-ω × (ω × r)`; the atmosphere rotates with the Earth, so the air-relative velocity is the
//! Earth-fixed velocity.

use crate::earth::{
    EGM96_J2, Geodesic, Geodetic, MEAN_EARTH_RADIUS_M, WGS84_A_M, WGS84_GM_M3_S2,
    WGS84_OMEGA_RAD_S, geodesic_direct, geodesic_inverse, height_and_up,
};
use crate::frame::{Ecef, Vector};

/// The figure of the Earth.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// The WGS84 ellipsoid; distances are geodesics (Karney's method).
    Wgs84,
    /// A sphere of radius [`MEAN_EARTH_RADIUS_M`]; distances are great circles.
    Sphere,
}

/// Which physics a trajectory is flown with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EarthModel {
    pub shape: Shape,
    /// Integrate in the rotating frame, with Coriolis and centrifugal terms.
    pub rotation: bool,
    /// Add the J2 (oblateness) term of the gravity field.
    pub j2: bool,
    /// Air: drag from the US Standard Atmosphere 1976.
    pub atmosphere: bool,
}

impl EarthModel {
    /// WGS84, rotating, J2 gravity, standard atmosphere.
    pub const FULL: Self = Self {
        shape: Shape::Wgs84,
        rotation: true,
        j2: true,
        atmosphere: true,
    };

    /// Non-rotating sphere, point-mass gravity, no atmosphere.
    pub const SPHERE_VACUUM: Self = Self {
        shape: Shape::Sphere,
        rotation: false,
        j2: false,
        atmosphere: false,
    };

    /// Earth-fixed position of a point given in this model's surface coordinates.
    pub fn to_ecef(&self, p: &Geodetic) -> Vector<Ecef> {
        match self.shape {
            Shape::Wgs84 => p.to_ecef(),
            Shape::Sphere => {
                let r = MEAN_EARTH_RADIUS_M + p.height_m();
                let (sin_lat, cos_lat) = p.lat_rad().sin_cos();
                let (sin_lon, cos_lon) = p.lon_rad().sin_cos();
                Vector::new(r * cos_lat * cos_lon, r * cos_lat * sin_lon, r * sin_lat)
            }
        }
    }

    /// Surface coordinates of an Earth-fixed position.
    pub fn to_geodetic(&self, p: Vector<Ecef>) -> Geodetic {
        match self.shape {
            Shape::Wgs84 => Geodetic::from_ecef(p),
            Shape::Sphere => {
                let r = p.norm();
                let lat = p.z.atan2(p.x.hypot(p.y));
                let lon = p.y.atan2(p.x);
                Geodetic::from_radians_unchecked(lat, lon, r - MEAN_EARTH_RADIUS_M)
            }
        }
    }

    /// Height above the surface of an Earth-fixed position, m.
    pub fn height_m(&self, p: Vector<Ecef>) -> f64 {
        self.height_and_up(p).0
    }

    /// Height above the surface (m) and local vertical of an Earth-fixed position, without its
    /// latitude and longitude (on the ellipsoid by [`height_and_up`], exact to rounding in
    /// height at the heights of flight).
    #[inline]
    pub fn height_and_up(&self, p: Vector<Ecef>) -> (f64, Vector<Ecef>) {
        match self.shape {
            Shape::Wgs84 => height_and_up(p),
            Shape::Sphere => {
                let r = p.norm();
                (r - MEAN_EARTH_RADIUS_M, p / r)
            }
        }
    }

    /// The shortest path along the surface from `a` to `b` (heights ignored).
    pub fn surface_path(&self, a: &Geodetic, b: &Geodetic) -> Geodesic {
        match self.shape {
            Shape::Wgs84 => geodesic_inverse(a, b),
            Shape::Sphere => {
                let (s1, c1) = a.lat_rad().sin_cos();
                let (s2, c2) = b.lat_rad().sin_cos();
                let (sd, cd) = (b.lon_rad() - a.lon_rad()).sin_cos();
                let y = (c2 * sd).hypot(c1 * s2 - s1 * c2 * cd);
                let x = s1 * s2 + c1 * c2 * cd;
                let azimuth1 = (sd * c2).atan2(c1 * s2 - s1 * c2 * cd);
                let azimuth2 = (sd * c1).atan2(-c2 * s1 + s2 * c1 * cd);
                Geodesic {
                    distance_m: MEAN_EARTH_RADIUS_M * y.atan2(x),
                    azimuth1_deg: azimuth1.to_degrees(),
                    azimuth2_deg: azimuth2.to_degrees(),
                }
            }
        }
    }

    /// The point reached from `from` along the surface in direction `azimuth_deg` after
    /// `distance_m` (height carried over from `from`).
    pub fn surface_direct(&self, from: &Geodetic, azimuth_deg: f64, distance_m: f64) -> Geodetic {
        match self.shape {
            Shape::Wgs84 => geodesic_direct(from, azimuth_deg, distance_m),
            Shape::Sphere => {
                let delta = distance_m / MEAN_EARTH_RADIUS_M;
                let (s1, c1) = from.lat_rad().sin_cos();
                let (sa, ca) = azimuth_deg.to_radians().sin_cos();
                let (sd, cd) = delta.sin_cos();
                let s2 = (s1 * cd + c1 * sd * ca).clamp(-1.0, 1.0);
                let lat = s2.asin();
                let lon = from.lon_rad() + (sa * sd * c1).atan2(cd - s1 * s2);
                Geodetic::from_radians_unchecked(lat, lon, from.height_m())
            }
        }
    }

    /// Acceleration of a free body at Earth-fixed position `r` with Earth-fixed velocity `v`
    /// from gravity and, when the model rotates, the Coriolis and centrifugal terms, m/s².
    pub fn acceleration(&self, r: Vector<Ecef>, v: Vector<Ecef>) -> Vector<Ecef> {
        let mut a = self.gravity(r);
        if self.rotation {
            // -2 ω × v - ω × (ω × r) with ω along z: the products of the zero components left out.
            let w = WGS84_OMEGA_RAD_S;
            a.x -= 2.0 * -(w * v.y) + -(w * (w * r.x));
            a.y -= 2.0 * (w * v.x) + -(w * (w * r.y));
        }
        a
    }

    /// Gravitational acceleration (point mass, plus J2 of EGM96 when enabled), m/s².
    ///
    /// The J2 term is that of an axially symmetric body about the Earth-fixed z axis (e.g.
    /// Vallado, *Fundamentals of Astrodynamics and Applications*, 4th ed. 2013, eq. 8-30).
    pub fn gravity(&self, r: Vector<Ecef>) -> Vector<Ecef> {
        let inv_r = 1.0 / r.dot(r).sqrt();
        let inv_r2 = inv_r * inv_r;
        let mu_r3 = WGS84_GM_M3_S2 * inv_r2 * inv_r;
        if !self.j2 {
            return r * -mu_r3;
        }
        let k = 1.5 * EGM96_J2 * WGS84_A_M * WGS84_A_M * inv_r2;
        let z2 = r.z * r.z * inv_r2;
        let horizontal = -mu_r3 * (1.0 + k * (1.0 - 5.0 * z2));
        let vertical = -mu_r3 * (1.0 + k * (3.0 - 5.0 * z2));
        Vector::new(r.x * horizontal, r.y * horizontal, r.z * vertical)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn surface_gravity_has_the_known_magnitudes() {
        let g_at = |lat: f64| {
            let p = Geodetic::from_degrees(lat, 0.0, 0.0).unwrap();
            let r = p.to_ecef();
            // Gravity (gravitation plus centrifugal) of a body at rest on the ellipsoid.
            EarthModel::FULL.acceleration(r, Vector::zero()).norm()
        };
        // WGS84 normal gravity: 9.7803253359 m/s² at the equator, 9.8321849378 at the poles
        // (NIMA TR8350.2, Table 3.4). Point mass plus J2 reproduces them to about 1e-3.
        assert!((g_at(0.0) - 9.780_325).abs() < 2e-3, "{}", g_at(0.0));
        assert!((g_at(90.0) - 9.832_185).abs() < 2e-3, "{}", g_at(90.0));
    }

    /// The unit vector of a point on the sphere, and the unit vectors north and east there.
    fn unit_north_east(lat_deg: f64, lon_deg: f64) -> [Vector<Ecef>; 3] {
        let (sf, cf) = lat_deg.to_radians().sin_cos();
        let (sl, cl) = lon_deg.to_radians().sin_cos();
        [
            Vector::new(cf * cl, cf * sl, sf),
            Vector::new(-sf * cl, -sf * sl, cf),
            Vector::new(-sl, cl, 0.0),
        ]
    }

    /// The azimuth, degrees, of the tangent `t` at a point with unit vectors north and east.
    fn azimuth_deg(t: Vector<Ecef>, north: Vector<Ecef>, east: Vector<Ecef>) -> f64 {
        t.dot(east).atan2(t.dot(north)).to_degrees()
    }

    #[test]
    fn sphere_paths_and_their_azimuths_are_those_of_the_great_circle_by_vectors() {
        let sphere = EarthModel::SPHERE_VACUUM;
        let pairs = [
            ((30.0, 10.0), (50.0, 40.0)),
            ((-33.9, 151.2), (35.7, 139.7)),
            ((64.1, -21.9), (-12.0, -77.0)),
            ((10.0, 170.0), (-5.0, -160.0)),
        ];
        for ((lat1, lon1), (lat2, lon2)) in pairs {
            let [p1, n1, e1] = unit_north_east(lat1, lon1);
            let [p2, n2, e2] = unit_north_east(lat2, lon2);
            // The great circle's plane holds both points: its tangent at the start points
            // towards the end, at the end away from the start.
            let ahead = p2 - p1 * p1.dot(p2);
            let beyond = (p1 - p2 * p2.dot(p1)) * -1.0;
            let angle = p1.cross(p2).norm().atan2(p1.dot(p2));
            let a = Geodetic::from_degrees(lat1, lon1, 0.0).unwrap();
            let b = Geodetic::from_degrees(lat2, lon2, 0.0).unwrap();
            let path = sphere.surface_path(&a, &b);
            let what = format!("({lat1}, {lon1}) to ({lat2}, {lon2}): {path:?}");
            assert!(
                (path.distance_m - MEAN_EARTH_RADIUS_M * angle).abs() < 1e-6,
                "{what}"
            );
            assert!(
                (path.azimuth1_deg - azimuth_deg(ahead, n1, e1)).abs() < 1e-9,
                "{what}"
            );
            assert!(
                (path.azimuth2_deg - azimuth_deg(beyond, n2, e2)).abs() < 1e-9,
                "{what}"
            );
            // Half way along, from the start at its azimuth: the normalised mean of the two.
            let mid = (p1 + p2).unit();
            let half = sphere.surface_direct(&a, path.azimuth1_deg, path.distance_m / 2.0);
            let [q, _, _] = unit_north_east(half.lat_deg(), half.lon_deg());
            assert!((q - mid).norm() < 1e-12, "{what}: half way at {half:?}");
        }
    }

    #[test]
    fn sphere_paths_are_great_circles() {
        let sphere = EarthModel::SPHERE_VACUUM;
        let a = Geodetic::from_degrees(0.0, 0.0, 0.0).unwrap();
        let b = Geodetic::from_degrees(0.0, 90.0, 0.0).unwrap();
        let path = sphere.surface_path(&a, &b);
        assert!((path.distance_m - MEAN_EARTH_RADIUS_M * std::f64::consts::FRAC_PI_2).abs() < 1e-6);
        assert!((path.azimuth1_deg - 90.0).abs() < 1e-9);
        let back = sphere.surface_direct(&a, path.azimuth1_deg, path.distance_m);
        assert!((back.lon_deg() - 90.0).abs() < 1e-9 && back.lat_deg().abs() < 1e-9);
        let p =
            sphere.to_geodetic(sphere.to_ecef(&Geodetic::from_degrees(33.0, 44.0, 1e5).unwrap()));
        assert!((p.lat_deg() - 33.0).abs() < 1e-12 && (p.height_m() - 1e5).abs() < 1e-6);
    }
}
