//! The WGS84 Earth: the ellipsoid and its constants, geodetic and Earth-centred coordinates,
//! local east-north-up frames, geodesics, and the radar horizon.
//!
//! # Primer
//! **The ellipsoid.** WGS84 models the Earth's figure as an ellipsoid of revolution about the
//! rotation axis: equatorial radius a = 6,378,137 m, flattening f = 1/298.257223563, so the polar
//! radius b = a(1 − f) is about 21.4 km shorter. Heights here are *ellipsoidal* heights, measured
//! along the normal to the ellipsoid; they differ from heights above mean sea level by the geoid
//! undulation (between about −107 m and +86 m), which this module does not model.
//!
//! **Geodetic versus geocentric latitude.** The geodetic latitude φ of a point is the angle
//! between the equatorial plane and the ellipsoid normal through the point; this is the latitude
//! of maps, GNSS receivers and scenario files. The geocentric latitude is the angle of the line
//! from the Earth's centre; the two differ by up to 0.19° (about 21 km on the ground) at 45°.
//! Everything here that says "latitude" means geodetic latitude.
//!
//! **ECEF.** The Earth-centred, Earth-fixed frame ([`Ecef`]) has its origin at the centre of
//! mass, z along the rotation axis towards the North Pole, x through (0° N, 0° E). It rotates
//! with the Earth. [`Geodetic::to_ecef`] and [`Geodetic::from_ecef`] convert between the two
//! descriptions of a position.
//!
//! **ENU.** A local east-north-up frame ([`Enu`]) at a geodetic origin has x east, y north and
//! z along the ellipsoid normal ("up"); the x-y plane is tangent to the ellipsoid, not to the
//! sphere. [`EnuFrame`] holds the origin and the rotation, and converts directions
//! ([`EnuFrame::vector_to_enu`]) and positions ([`EnuFrame::position_to_enu`]).
//!
//! # Valid range and accuracy
//! Positions entering the program ([`Geodetic::from_degrees`], [`Geodetic::from_radians`]) must
//! have a height in [[`Geodetic::MIN_HEIGHT_M`], [`Geodetic::MAX_HEIGHT_M`]] = [−12 km,
//! 50,000 km]: from below the deepest ocean floor to beyond geostationary orbit (35,786 km) and
//! the apogees of Molniya orbits (about 40,000 km).
//!
//! [`Geodetic::from_ecef`] uses the closed form of Vermeille (2002) in the formulation of
//! Karney's GeographicLib, which is exact (to rounding) at any height, not only near the
//! surface, and at the poles and on the rotation axis as well. The integration tests `tests/earth.rs` check
//! that geodetic → ECEF → geodetic round trips agree to better than 1e-6 m over the whole valid
//! range (random points, both poles, the antimeridian), and the forward transform against
//! PROJ to 1 mm. Within about 43 km of the Earth's centre (inside the evolute of the meridian
//! ellipse, 6,300 km below the surface) the nearest point of the ellipsoid is not unique;
//! `from_ecef` still returns one of the valid answers there, without panicking, but that region
//! is outside the valid range and is not tested for accuracy.
//!
//! # References
//! - NIMA TR8350.2, *Department of Defense World Geodetic System 1984, Its Definition and
//!   Relationships with Local Geodetic Systems*, 3rd ed., 1997 (amended 2000).
//! - H. Vermeille, "Direct transformation from geocentric coordinates to geodetic coordinates",
//!   J. Geodesy 76:451–454, 2002; C. F. F. Karney, GeographicLib `Geocentric::IntReverse`.
//! - C. F. F. Karney, "Algorithms for geodesics", J. Geodesy 87:43–55, 2013 (through the
//!   `geographiclib-rs` crate).

use std::f64::consts::{PI, TAU};

use geographiclib_rs::{DirectGeodesic, Geodesic as KarneyGeodesic, InverseGeodesic};

use crate::frame::{Ecef, Enu, Vector};

/// WGS84 semi-major axis (equatorial radius), m. NIMA TR8350.2 (3rd ed.), Table 3.1, defining
/// parameter.
pub const WGS84_A_M: f64 = 6_378_137.0;

/// WGS84 inverse flattening 1/f. NIMA TR8350.2 (3rd ed.), Table 3.1, defining parameter.
pub const WGS84_INV_F: f64 = 298.257_223_563;

/// WGS84 flattening f = (a − b)/a, from [`WGS84_INV_F`].
pub const WGS84_F: f64 = 1.0 / WGS84_INV_F;

/// WGS84 semi-minor axis (polar radius) b = a(1 − f), m. NIMA TR8350.2 (3rd ed.), Table 3.3
/// gives 6,356,752.3142 m.
pub const WGS84_B_M: f64 = WGS84_A_M * (1.0 - WGS84_F);

/// WGS84 first eccentricity squared e² = f(2 − f). NIMA TR8350.2 (3rd ed.), Table 3.3 gives
/// 6.69437999014e-3.
pub const WGS84_E2: f64 = WGS84_F * (2.0 - WGS84_F);

/// WGS84 geocentric gravitational constant GM (mass of the atmosphere included), m³/s².
/// NIMA TR8350.2 (3rd ed.), Table 3.1, defining parameter.
pub const WGS84_GM_M3_S2: f64 = 3.986_004_418e14;

/// WGS84 nominal mean angular velocity of the Earth, rad/s. NIMA TR8350.2 (3rd ed.), Table 3.1,
/// defining parameter.
pub const WGS84_OMEGA_RAD_S: f64 = 7.292_115e-5;

/// Normalized second-degree zonal coefficient C̄2,0 of the WGS84 ellipsoid's normal gravity
/// field, derived from the four defining parameters. NIMA TR8350.2 (3rd ed.), Table 3.4.
pub const WGS84_C20_NORMALIZED: f64 = -0.484_166_774_985e-3;

/// Second-degree zonal harmonic J2 = −√5 · C̄2,0 of the WGS84 ellipsoid's normal gravity field,
/// with C̄2,0 = [`WGS84_C20_NORMALIZED`] (NIMA TR8350.2, 3rd ed., Table 3.4).
///
/// The Earth's own (EGM96) coefficient differs in the seventh significant digit:
/// [`EGM96_J2`]. The difference, 3e-6 of J2, is far below anything this simulator resolves.
pub const WGS84_J2: f64 = 1.082_629_821_31e-3;

/// Normalized second-degree zonal coefficient C̄2,0 of the EGM96 geopotential model (tide-free).
/// F. G. Lemoine et al., *The Development of the Joint NASA GSFC and NIMA Geopotential Model
/// EGM96*, NASA/TP-1998-206861, coefficient file `egm96_to360.ascii`; adopted for WGS84 in NIMA
/// TR8350.2 (3rd ed.), ch. 5.
pub const EGM96_C20_NORMALIZED: f64 = -0.484_165_371_736e-3;

/// J2 = −√5 · C̄2,0 of EGM96, with C̄2,0 = [`EGM96_C20_NORMALIZED`].
pub const EGM96_J2: f64 = 1.082_626_683_55e-3;

/// Mean Earth radius of the spherical model, m: the IUGG mean radius R1 = (2a + b)/3 =
/// 6,371,008.77 m (H. Moritz, "Geodetic Reference System 1980", J. Geodesy 74:128–133, 2000;
/// WGS84 agrees to the millimetre), rounded to the kilometre, as in the reference data
/// (`refdata/README.md`, ballistic and radar-horizon tables).
pub const MEAN_EARTH_RADIUS_M: f64 = 6_371_000.0;

/// Effective-Earth-radius factor k for standard refraction. M. I. Skolnik, *Introduction to
/// Radar Systems* (3rd ed., 2001), propagation chapter; Federal Standard 1037C, "effective
/// Earth radius"; ITU-R P.834 (k ≈ 4/3 for a refractivity gradient of about −40 N-units/km).
pub const EFFECTIVE_EARTH_RADIUS_FACTOR: f64 = 4.0 / 3.0;

/// (1 − f)² = 1 − e².
const E2M: f64 = (1.0 - WGS84_F) * (1.0 - WGS84_F);
/// e⁴.
const E4: f64 = WGS84_E2 * WGS84_E2;
/// Beyond this distance from the centre (2a/ε, about 5.7e22 m) the Earth is treated as a point;
/// this keeps the closed form below from overflowing. GeographicLib does the same.
const FAR_RADIUS_M: f64 = 2.0 * WGS84_A_M / f64::EPSILON;

/// Why a geodetic position was refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum EarthError {
    /// A coordinate is NaN or infinite.
    #[error("{quantity} must be a finite number, got {value}")]
    NotFinite {
        /// `"latitude"`, `"longitude"` or `"height"`.
        quantity: &'static str,
        /// The value given.
        value: f64,
    },
    /// The latitude is outside [−90°, 90°].
    #[error("latitude must be between -90° and 90°, got {lat_deg}°")]
    LatitudeOutOfRange {
        /// The latitude given, degrees.
        lat_deg: f64,
    },
    /// The height is outside the range in which the conversions are tested.
    #[error(
        "height must be between {min_m} m and {max_m} m above the WGS84 ellipsoid, got {height_m} m"
    )]
    HeightOutOfRange {
        /// The height given, m.
        height_m: f64,
        /// [`Geodetic::MIN_HEIGHT_M`].
        min_m: f64,
        /// [`Geodetic::MAX_HEIGHT_M`].
        max_m: f64,
    },
}

/// A position given by geodetic latitude, longitude and ellipsoidal height on WGS84.
///
/// Latitude is in [−π/2, π/2] and longitude in (−π, π] (radians internally). Positions built by
/// [`Geodetic::from_degrees`] or [`Geodetic::from_radians`] are checked, including the height
/// range. Positions computed by [`Geodetic::from_ecef`], [`Geodetic::from_radians_unchecked`]
/// or [`geodesic_direct`] are not range-checked, since a computed trajectory may pass outside
/// the range (an integration step that ends below ground, say).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Geodetic {
    lat_rad: f64,
    lon_rad: f64,
    height_m: f64,
}

impl Geodetic {
    /// Lowest accepted ellipsoidal height, m: below the deepest ocean floor (Challenger Deep,
    /// about 10.9 km below sea level).
    pub const MIN_HEIGHT_M: f64 = -12_000.0;
    /// Highest accepted ellipsoidal height, m: above geostationary orbit and the apogee of a
    /// Molniya orbit. The conversions are tested up to here.
    pub const MAX_HEIGHT_M: f64 = 50_000_000.0;

    /// A position from latitude and longitude in degrees and height in metres, in the order of
    /// ISO 6709 and of scenario files (`[lat, lon, height_m]`).
    ///
    /// Latitude must be in [−90, 90]; any finite longitude is accepted and reduced to
    /// (−180, 180]; the height must be in [[`Self::MIN_HEIGHT_M`], [`Self::MAX_HEIGHT_M`]].
    pub fn from_degrees(lat_deg: f64, lon_deg: f64, height_m: f64) -> Result<Self, EarthError> {
        check_finite("latitude", lat_deg)?;
        check_finite("longitude", lon_deg)?;
        check_finite("height", height_m)?;
        if lat_deg.abs() > 90.0 {
            return Err(EarthError::LatitudeOutOfRange { lat_deg });
        }
        check_height(height_m)?;
        Ok(Self::from_degrees_unchecked(lat_deg, lon_deg, height_m))
    }

    /// A position from latitude and longitude in radians and height in metres; the same checks
    /// as [`Self::from_degrees`], with latitude in [−π/2, π/2].
    pub fn from_radians(lat_rad: f64, lon_rad: f64, height_m: f64) -> Result<Self, EarthError> {
        check_finite("latitude", lat_rad)?;
        check_finite("longitude", lon_rad)?;
        check_finite("height", height_m)?;
        if lat_rad.abs() > PI / 2.0 {
            return Err(EarthError::LatitudeOutOfRange {
                lat_deg: lat_rad.to_degrees(),
            });
        }
        check_height(height_m)?;
        Ok(Self::from_radians_unchecked(lat_rad, lon_rad, height_m))
    }

    /// A position computed by the program (on the sphere model, say), without the checks of
    /// [`Self::from_radians`]: the height is not range-checked, the longitude is reduced to
    /// (−π, π] and the latitude clamped to [−π/2, π/2]. Non-finite values give NaN coordinates.
    pub fn from_radians_unchecked(lat_rad: f64, lon_rad: f64, height_m: f64) -> Self {
        Self {
            lat_rad: lat_rad.clamp(-PI / 2.0, PI / 2.0),
            lon_rad: normalize_lon_rad(lon_rad),
            height_m,
        }
    }

    /// Latitude and longitude already known to be finite, |lat| ≤ 90°.
    fn from_degrees_unchecked(lat_deg: f64, lon_deg: f64, height_m: f64) -> Self {
        // `%` is exact in floating point; so are the subtractions of 360 (Sterbenz), hence an
        // input of exactly ±180 gives exactly π.
        let mut lon = lon_deg % 360.0;
        if lon > 180.0 {
            lon -= 360.0;
        } else if lon <= -180.0 {
            lon += 360.0;
        }
        Self {
            lat_rad: lat_deg.to_radians(),
            lon_rad: lon.to_radians(),
            height_m,
        }
    }

    /// Geodetic latitude, degrees, in [−90, 90].
    pub fn lat_deg(&self) -> f64 {
        self.lat_rad.to_degrees()
    }

    /// Longitude, degrees, in (−180, 180].
    pub fn lon_deg(&self) -> f64 {
        self.lon_rad.to_degrees()
    }

    /// Geodetic latitude, radians, in [−π/2, π/2].
    pub fn lat_rad(&self) -> f64 {
        self.lat_rad
    }

    /// Longitude, radians, in (−π, π].
    pub fn lon_rad(&self) -> f64 {
        self.lon_rad
    }

    /// Height above the WGS84 ellipsoid, m.
    pub fn height_m(&self) -> f64 {
        self.height_m
    }

    /// The local vertical: the outward unit normal to the ellipsoid at this latitude and
    /// longitude (on a sphere, where latitudes are geocentric, the radial direction).
    pub fn up(&self) -> Vector<Ecef> {
        let (sin_lat, cos_lat) = self.lat_rad.sin_cos();
        let (sin_lon, cos_lon) = self.lon_rad.sin_cos();
        Vector::new(cos_lat * cos_lon, cos_lat * sin_lon, sin_lat)
    }

    /// The same latitude and longitude at another height (not range-checked).
    pub fn with_height_m(self, height_m: f64) -> Self {
        Self { height_m, ..self }
    }

    /// The position in ECEF, m, by the closed form of EPSG method 9602 (IOGP Guidance Note 7-2):
    /// x = (N + h) cos φ cos λ, y = (N + h) cos φ sin λ, z = (N(1 − e²) + h) sin φ,
    /// with the prime-vertical radius of curvature N = a / √(1 − e² sin² φ).
    pub fn to_ecef(&self) -> Vector<Ecef> {
        let (sin_lat, cos_lat) = self.lat_rad.sin_cos();
        let (sin_lon, cos_lon) = self.lon_rad.sin_cos();
        let n = WGS84_A_M / (1.0 - WGS84_E2 * sin_lat * sin_lat).sqrt();
        let r = (n + self.height_m) * cos_lat;
        Vector::new(
            r * cos_lon,
            r * sin_lon,
            (n * E2M + self.height_m) * sin_lat,
        )
    }

    /// The geodetic position of an ECEF point, m.
    ///
    /// Closed form of H. Vermeille (J. Geodesy 76:451–454, 2002) as arranged for floating point
    /// by C. F. F. Karney (GeographicLib, `Geocentric::IntReverse`): one cubic and a few square
    /// roots, no iteration, exact to rounding at every height, including the poles and the
    /// rotation axis (where the longitude is 0). See the module documentation for the tested
    /// range. Never panics; NaN in any component gives NaN coordinates, an infinite component
    /// an infinite height.
    pub fn from_ecef(p: Vector<Ecef>) -> Self {
        let (x, y, z) = (p.x, p.y, p.z);
        let r2 = x * x + y * y;
        let (lat_rad, height_m) = if r2 + z * z <= FAR_RADIUS_M * FAR_RADIUS_M {
            vermeille(r2.sqrt(), z)
        } else {
            // The ellipsoid is a point at this distance (or the input is not finite); halve
            // the components so that the distances do not overflow.
            let r_half = (x / 2.0).hypot(y / 2.0);
            ((z / 2.0).atan2(r_half), 2.0 * r_half.hypot(z / 2.0))
        };
        let lon_rad = if x == 0.0 && y == 0.0 {
            0.0
        } else {
            normalize_lon_rad(y.atan2(x))
        };
        Self {
            lat_rad,
            lon_rad,
            height_m,
        }
    }
}

/// Second eccentricity squared e'² = e²/(1 − e²).
const EP2: f64 = WGS84_E2 / E2M;

/// The height above the WGS84 ellipsoid (m) and the local vertical (the outward ellipsoid
/// normal, as [`Geodetic::up`]) of an ECEF point, without its latitude and longitude: what the
/// forces of a flight need at every evaluation, with square roots and divisions only.
///
/// Bowring's formula with one step from the parametric latitude u, tan u = (a/b)(z/p)
/// (B. R. Bowring, "Transformation from spatial to geographical coordinates", Survey Review
/// 23(181):323–327, 1976): tan φ = (z + e′²b sin³u)/(p − e²a cos³u), p the distance from the
/// axis. Its latitude error is about 3e-8″ near the surface and 0.0018″ at a height of 2a (the
/// GNU Gama manual, "Transformation from spatial to geographical coordinates"). The height
/// h = p cos φ + z sin φ − a√(1 − e² sin² φ) is stationary in φ at the true latitude, so its
/// error is of the second order in the latitude's. Against [`Geodetic::from_ecef`] (the test
/// `height_and_up_agree_with_from_ecef`), from −12 km to 1,000 km the height agrees to rounding
/// (1e-8 m) and the vertical to 1e-9 rad (1e-11 rad at 100 km). Defined wherever the
/// ellipsoid's nearest point is unique (see the module documentation); on the rotation axis the
/// vertical is the pole's.
#[inline]
pub fn height_and_up(p: Vector<Ecef>) -> (f64, Vector<Ecef>) {
    let d = (p.x * p.x + p.y * p.y).sqrt();
    let (sin_u, cos_u) = sin_cos_of(WGS84_A_M * p.z, WGS84_B_M * d);
    let (sin_lat, cos_lat) = sin_cos_of(
        p.z + EP2 * WGS84_B_M * sin_u * sin_u * sin_u,
        d - WGS84_E2 * WGS84_A_M * cos_u * cos_u * cos_u,
    );
    let height_m =
        d * cos_lat + p.z * sin_lat - WGS84_A_M * (1.0 - WGS84_E2 * sin_lat * sin_lat).sqrt();
    let (cos_lon, sin_lon) = if d > 0.0 {
        let inv_d = 1.0 / d;
        (p.x * inv_d, p.y * inv_d)
    } else {
        (1.0, 0.0)
    };
    (
        height_m,
        Vector::new(cos_lat * cos_lon, cos_lat * sin_lon, sin_lat),
    )
}

/// Sine and cosine of the angle whose tangent is `num / den` (in the quadrant of `atan2`).
#[inline]
fn sin_cos_of(num: f64, den: f64) -> (f64, f64) {
    let inv = 1.0 / (num * num + den * den).sqrt();
    (num * inv, den * inv)
}

/// Geodetic latitude (radians) and height (m) of the point at distance `r` from the rotation
/// axis and `z` from the equatorial plane (Vermeille 2002, in Karney's arrangement).
fn vermeille(r: f64, z: f64) -> (f64, f64) {
    let p = (r / WGS84_A_M) * (r / WGS84_A_M);
    let q = E2M * (z / WGS84_A_M) * (z / WGS84_A_M);
    let rr = (p + q - E4) / 6.0;
    if E4 * q == 0.0 && rr <= 0.0 {
        // In the equatorial plane inside the evolute (within e²a ≈ 43 km of the centre): two
        // nearest points, symmetric about the equator; take the limit of the general formulas,
        // on the northern side unless z < 0.
        let zz = ((E4 - p) / E2M).sqrt();
        let xx = p.sqrt();
        let lat_rad = (if z < 0.0 { -zz } else { zz }).atan2(xx);
        let height_m = -WGS84_A_M * E2M * (zz * zz + xx * xx).sqrt() / WGS84_E2;
        return (lat_rad, height_m);
    }
    // s·r³ and the discriminant of the cubic, multiplied through by r³ so that r = 0 is harmless.
    let s = E4 * p * q / 4.0;
    let r2 = rr * rr;
    let r3 = rr * r2;
    let disc = s * (2.0 * r3 + s);
    let mut u = rr;
    if disc >= 0.0 {
        // Sign of the root chosen to avoid cancellation; t3 = (r t)³.
        let mut t3 = s + r3;
        t3 += if t3 < 0.0 { -disc.sqrt() } else { disc.sqrt() };
        let t = t3.cbrt();
        u += t + if t != 0.0 { r2 / t } else { 0.0 };
    } else {
        // Inside the evolute: three real roots; take the one without cancellation.
        let angle = (-disc).sqrt().atan2(-(s + r3));
        u += 2.0 * rr * (angle / 3.0).cos();
    }
    let v = (u * u + E4 * q).sqrt();
    // u + v, rearranged when u < 0 to avoid cancellation.
    let uv = if u < 0.0 { E4 * q / (v - u) } else { u + v };
    let w = (WGS84_E2 * (uv - q) / (2.0 * v)).max(0.0);
    let k = uv / ((uv + w * w).sqrt() + w);
    let k2 = k + WGS84_E2;
    // tan φ = (z/k) / (r/(k + e²)); d is the distance from the axis scaled to the foot point.
    let d = k * r / k2;
    let lat_rad = (z / k).atan2(r / k2);
    let height_m = (1.0 - E2M / k) * (d * d + z * z).sqrt();
    (lat_rad, height_m)
}

fn check_finite(quantity: &'static str, value: f64) -> Result<(), EarthError> {
    if value.is_finite() {
        Ok(())
    } else {
        Err(EarthError::NotFinite { quantity, value })
    }
}

fn check_height(height_m: f64) -> Result<(), EarthError> {
    if (Geodetic::MIN_HEIGHT_M..=Geodetic::MAX_HEIGHT_M).contains(&height_m) {
        Ok(())
    } else {
        Err(EarthError::HeightOutOfRange {
            height_m,
            min_m: Geodetic::MIN_HEIGHT_M,
            max_m: Geodetic::MAX_HEIGHT_M,
        })
    }
}

/// Reduces a longitude to (−π, π], leaving values already there untouched.
fn normalize_lon_rad(lon_rad: f64) -> f64 {
    if lon_rad > -PI && lon_rad <= PI {
        return lon_rad;
    }
    let reduced = lon_rad.rem_euclid(TAU);
    if reduced > PI { reduced - TAU } else { reduced }
}

/// A local east-north-up frame tangent to the WGS84 ellipsoid at an origin.
///
/// At a pole the frame is the limit of frames approaching it along the origin's meridian λ:
/// east points towards the meridian λ + 90°, and north along the meridian λ + 180° at the North
/// Pole and along λ at the South Pole.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EnuFrame {
    origin: Geodetic,
    origin_ecef: Vector<Ecef>,
    east: Vector<Ecef>,
    north: Vector<Ecef>,
    up: Vector<Ecef>,
}

impl EnuFrame {
    /// The frame at `origin`: x east, y north, z along the outward ellipsoid normal.
    pub fn at(origin: Geodetic) -> Self {
        let (sin_lat, cos_lat) = origin.lat_rad.sin_cos();
        let (sin_lon, cos_lon) = origin.lon_rad.sin_cos();
        Self {
            origin,
            origin_ecef: origin.to_ecef(),
            east: Vector::new(-sin_lon, cos_lon, 0.0),
            north: Vector::new(-sin_lat * cos_lon, -sin_lat * sin_lon, cos_lat),
            up: origin.up(),
        }
    }

    /// The origin of the frame.
    pub fn origin(&self) -> Geodetic {
        self.origin
    }

    /// The origin of the frame in ECEF, m.
    pub fn origin_ecef(&self) -> Vector<Ecef> {
        self.origin_ecef
    }

    /// Unit vector pointing east at the origin, in ECEF.
    pub fn east(&self) -> Vector<Ecef> {
        self.east
    }

    /// Unit vector pointing north at the origin, in ECEF.
    pub fn north(&self) -> Vector<Ecef> {
        self.north
    }

    /// Unit vector along the outward ellipsoid normal at the origin, in ECEF.
    pub fn up(&self) -> Vector<Ecef> {
        self.up
    }

    /// A direction, velocity or acceleration expressed in this frame (rotation only).
    pub fn vector_to_enu(&self, v: Vector<Ecef>) -> Vector<Enu> {
        Vector::new(v.dot(self.east), v.dot(self.north), v.dot(self.up))
    }

    /// A direction, velocity or acceleration given in this frame, expressed in ECEF (rotation
    /// only).
    pub fn vector_to_ecef(&self, v: Vector<Enu>) -> Vector<Ecef> {
        self.east * v.x + self.north * v.y + self.up * v.z
    }

    /// An ECEF position as coordinates in this frame, relative to its origin, m.
    pub fn position_to_enu(&self, p: Vector<Ecef>) -> Vector<Enu> {
        self.vector_to_enu(p - self.origin_ecef)
    }

    /// A position given relative to the origin of this frame, in ECEF, m.
    pub fn position_to_ecef(&self, p: Vector<Enu>) -> Vector<Ecef> {
        self.origin_ecef + self.vector_to_ecef(p)
    }

    /// Azimuth, elevation and range of an ECEF position as seen from the origin.
    pub fn azimuth_elevation_range(&self, target: Vector<Ecef>) -> AzElRange {
        AzElRange::from_enu(self.position_to_enu(target))
    }
}

/// Look angles and distance to a target from the origin of an [`EnuFrame`].
///
/// Elevation is geometric, above the plane tangent to the ellipsoid; refraction is not applied.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub struct AzElRange {
    /// Azimuth clockwise from north, radians, in [0, 2π); 0 when the target is straight up,
    /// straight down or at the origin.
    pub azimuth_rad: f64,
    /// Elevation above the local horizontal plane, radians, in [−π/2, π/2]; 0 at the origin.
    pub elevation_rad: f64,
    /// Straight-line (slant) distance, m.
    pub range_m: f64,
}

impl AzElRange {
    /// The look angles of a position given in an ENU frame, relative to its origin.
    pub fn from_enu(v: Vector<Enu>) -> Self {
        let horizontal_m = v.x.hypot(v.y);
        let mut azimuth_rad = v.x.atan2(v.y);
        if azimuth_rad < 0.0 {
            azimuth_rad += TAU;
            // A tiny negative angle rounds up to 2π itself.
            if azimuth_rad >= TAU {
                azimuth_rad = 0.0;
            }
        }
        Self {
            azimuth_rad,
            elevation_rad: v.z.atan2(horizontal_m),
            range_m: v.norm(),
        }
    }

    /// Azimuth clockwise from north, degrees, in [0, 360).
    pub fn azimuth_deg(&self) -> f64 {
        self.azimuth_rad.to_degrees()
    }

    /// Elevation, degrees, in [−90, 90].
    pub fn elevation_deg(&self) -> f64 {
        self.elevation_rad.to_degrees()
    }
}

/// The shortest path on the WGS84 ellipsoid between two points (solution of the inverse
/// geodesic problem).
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub struct Geodesic {
    /// Length along the ellipsoid surface, m.
    pub distance_m: f64,
    /// Azimuth of the path at the first point, degrees clockwise from north, in (−180, 180].
    pub azimuth1_deg: f64,
    /// Forward azimuth of the path at the second point (the direction of travel on arrival),
    /// degrees clockwise from north, in (−180, 180].
    pub azimuth2_deg: f64,
}

/// The geodesic from `a` to `b` on the WGS84 ellipsoid, by Karney's method (J. Geodesy
/// 87:43–55, 2013), accurate to about 15 nm for any pair of points, nearly antipodal ones
/// included. Heights are ignored: the path lies on the ellipsoid.
///
/// For coincident points the distance is 0 and the azimuths are those GeographicLib chooses.
/// When several geodesics are shortest (exactly antipodal points, or a pole to the other),
/// one of them is returned.
pub fn geodesic_inverse(a: &Geodetic, b: &Geodetic) -> Geodesic {
    let (distance_m, azimuth1_deg, azimuth2_deg, _arc_deg): (f64, f64, f64, f64) =
        KarneyGeodesic::wgs84().inverse(a.lat_deg(), a.lon_deg(), b.lat_deg(), b.lon_deg());
    Geodesic {
        distance_m,
        azimuth1_deg,
        azimuth2_deg,
    }
}

/// The point reached by following the geodesic on the WGS84 ellipsoid from `from`, with initial
/// azimuth `azimuth_deg` (degrees clockwise from north) for `distance_m` metres measured on the
/// ellipsoid (Karney's method). Any distance is accepted, negative (backwards) or longer than
/// the Earth's circumference.
///
/// The result has the height of `from`: the path is computed on the ellipsoid and then raised
/// along the normal, so the distance between `from` and the result at that height is not
/// exactly `distance_m`. A non-finite azimuth or distance gives NaN coordinates.
pub fn geodesic_direct(from: &Geodetic, azimuth_deg: f64, distance_m: f64) -> Geodetic {
    let (lat_deg, lon_deg): (f64, f64) =
        KarneyGeodesic::wgs84().direct(from.lat_deg(), from.lon_deg(), azimuth_deg, distance_m);
    Geodetic::from_degrees_unchecked(lat_deg, lon_deg, from.height_m)
}

/// Radar horizon, m: the longest straight-ray distance at which an antenna at height
/// `antenna_height_m` sees a target at height `target_height_m` over a smooth Earth with the
/// 4/3 effective radius (standard refraction),
///
/// d = √(2kRh₁ + h₁²) + √(2kRh₂ + h₂²), k = 4/3, R = [`MEAN_EARTH_RADIUS_M`],
///
/// the sum of the exact tangent lengths on the effective sphere (M. I. Skolnik, *Introduction to
/// Radar Systems*, 4/3-Earth horizon; ITU-R P.834 for k). The familiar d ≈ √(2kRh₁) + √(2kRh₂)
/// drops the h² terms and is short by 0.3 % for a target at 100 km. Heights are above the
/// surface; negative heights count as 0 (an antenna below the surface sees only to its own
/// horizon point). NaN gives NaN.
pub fn radar_horizon_m(antenna_height_m: f64, target_height_m: f64) -> f64 {
    let effective_radius_m = EFFECTIVE_EARTH_RADIUS_FACTOR * MEAN_EARTH_RADIUS_M;
    let tangent_m = |h: f64| {
        let h = if h < 0.0 { 0.0 } else { h };
        (2.0 * effective_radius_m * h + h * h).sqrt()
    };
    tangent_m(antenna_height_m) + tangent_m(target_height_m)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derived_constants_match_the_published_tables() {
        // NIMA TR8350.2, Table 3.3.
        assert!((WGS84_B_M - 6_356_752.314_2).abs() < 1e-4);
        assert!((WGS84_E2 - 6.694_379_990_14e-3).abs() < 1e-14);
        // J2 = -sqrt(5) C20 for both sets of coefficients.
        assert!((-5f64.sqrt() * WGS84_C20_NORMALIZED / WGS84_J2 - 1.0).abs() < 1e-11);
        assert!((-5f64.sqrt() * EGM96_C20_NORMALIZED / EGM96_J2 - 1.0).abs() < 1e-11);
        // IUGG R1 = (2a + b)/3 rounds to the mean radius used by the sphere model.
        let r1 = (2.0 * WGS84_A_M + WGS84_B_M) / 3.0;
        assert!((r1 - 6_371_008.771_4).abs() < 1e-3);
        assert_eq!((r1 / 1000.0).round() * 1000.0, MEAN_EARTH_RADIUS_M);
    }

    #[test]
    fn longitude_normalization_keeps_exact_values() {
        assert_eq!(normalize_lon_rad(-PI), PI);
        assert_eq!(normalize_lon_rad(3.0 * PI), PI);
        assert_eq!(normalize_lon_rad(-1e-20), -1e-20);
        assert!((normalize_lon_rad(-3.0 * PI / 2.0) - PI / 2.0).abs() < 1e-15);
        let unchecked = Geodetic::from_radians_unchecked(2.0, 4.0, -1e7);
        assert_eq!(unchecked.lat_rad(), PI / 2.0);
        assert!((unchecked.lon_rad() - (4.0 - TAU)).abs() < 1e-15);
        assert_eq!(unchecked.height_m(), -1e7);
        let p = Geodetic::from_degrees(0.0, -180.0, 0.0).unwrap();
        assert_eq!(p.lon_rad(), PI);
        assert_eq!(p.lon_deg(), 180.0);
        let q = Geodetic::from_degrees(0.0, 540.0, 0.0).unwrap();
        assert_eq!(q.lon_deg(), 180.0);
        let w = Geodetic::from_degrees(0.0, -190.0, 0.0).unwrap();
        assert!((w.lon_deg() - 170.0).abs() < 1e-12);
    }

    #[test]
    fn centre_region_gives_finite_answers() {
        for p in [
            Vector::<Ecef>::zero(),
            Vector::new(1000.0, 0.0, 0.0),
            Vector::new(0.0, 0.0, -1000.0),
            Vector::new(20_000.0, 5_000.0, 1.0),
            Vector::new(-30_000.0, 0.0, -0.0),
            // Where the cubic's r vanishes (p + q = e⁴), outside the evolute: a root of the
            // wrong sign would cancel to 0.
            Vector::new(30_192.0, 0.0, 30_294.0),
            Vector::new(30_192.0, 0.0, -30_294.0),
        ] {
            let g = Geodetic::from_ecef(p);
            assert!(g.lat_rad().is_finite() && g.lon_rad().is_finite());
            assert!(g.height_m().is_finite());
            assert!((g.to_ecef() - p).norm() < 1e-3, "{p:?} -> {g:?}");
        }
        // In the equatorial plane inside the evolute, the nearest point is on the side of z,
        // however small.
        for z in [1e-300, -1e-300] {
            let g = Geodetic::from_ecef(Vector::new(20_000.0, 0.0, z));
            assert!(g.lat_rad() * z > 0.0, "{z}: {g:?}");
        }
        let centre = Geodetic::from_ecef(Vector::zero());
        assert_eq!(centre.lat_deg(), 90.0);
        assert!((centre.height_m() + WGS84_B_M).abs() < 1e-6);
    }

    #[test]
    fn height_and_up_agree_with_from_ecef() {
        // Worst height error (m) and angle between the verticals (rad) over all latitudes.
        let worst = |height_m: f64| {
            (-900..=900)
                .step_by(5)
                .fold((0.0f64, 0.0f64), |(dh, du), lat| {
                    let lon = 37.0 * f64::from(lat) / 900.0;
                    let g = Geodetic::from_degrees(f64::from(lat) / 10.0, lon, height_m).unwrap();
                    let exact = Geodetic::from_ecef(g.to_ecef());
                    let (h, up) = height_and_up(g.to_ecef());
                    (
                        dh.max((h - exact.height_m()).abs()),
                        du.max((up - exact.up()).norm()),
                    )
                })
        };
        // Up to the apogees of the longest-range missiles: exact to rounding in height, the
        // vertical to 1e-9 rad (0.0002″).
        for height_m in [-12e3, -430.0, 0.0, 1e3, 2e4, 1e5, 3e5, 1e6] {
            let (dh, du) = worst(height_m);
            assert!(dh < 1e-8 && du < 1e-9, "{height_m} m: {dh} m, {du} rad");
        }
        // At a height of 2a, Bowring's 0.0018″ (8.7e-9 rad).
        let (dh, du) = worst(2.0 * WGS84_A_M);
        assert!(
            dh < 1e-8 && du < (0.0018f64 / 3600.0).to_radians(),
            "{dh} m, {du} rad"
        );
        // On the axis: the pole's vertical.
        let (h, up) = height_and_up(Vector::new(0.0, 0.0, -WGS84_B_M - 5.0));
        assert!(
            (h - 5.0).abs() < 1e-8 && up == Vector::new(0.0, 0.0, -1.0),
            "{h} {up:?}"
        );
    }

    #[test]
    fn far_points_and_non_finite_input_do_not_panic() {
        let far = Geodetic::from_ecef(Vector::new(1e300, 1e300, 1e300));
        assert!(far.height_m() > 1e300 && (far.lat_deg() - 35.264_389_682_754_654).abs() < 1e-9);
        let nan = Geodetic::from_ecef(Vector::new(f64::NAN, 0.0, 0.0));
        assert!(nan.lat_rad().is_nan() && nan.lon_rad().is_nan() && nan.height_m().is_nan());
        let infinite = Geodetic::from_ecef(Vector::new(0.0, f64::INFINITY, 0.0));
        assert_eq!(infinite.height_m(), f64::INFINITY);
    }
}
