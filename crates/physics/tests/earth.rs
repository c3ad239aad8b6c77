//! `skyshield_physics::earth`: property round trips over the whole valid height range, table
//! tests at the poles and the antimeridian, frames and the radar horizon's edge cases. The
//! comparisons with the independent references in `tests/data/refdata` (pyproj/PROJ,
//! GeographicLib 2.1, closed forms) are in `crates/validation/tests/physics.rs`.
//!
//! Worst errors are printed; run with `-- --nocapture` to see them.

use std::f64::consts::PI;

use proptest::prelude::*;
use skyshield_physics::earth::{
    AzElRange, EarthError, EnuFrame, Geodetic, WGS84_A_M, WGS84_E2, geodesic_direct,
    radar_horizon_m,
};
use skyshield_physics::frame::{Ecef, Enu, Vector};

/// Round-trip tolerance over the valid range, m.
const ROUND_TRIP_TOL_M: f64 = 1e-6;

/// Upper bound of both radii of curvature of WGS84 (the polar radius of curvature
/// c = a/√(1 − e²) = 6,399,593.6 m), used to turn angle differences into metres.
const MAX_CURVATURE_RADIUS_M: f64 = 6_399_594.0;

fn geodetic(lat_deg: f64, lon_deg: f64, height_m: f64) -> Geodetic {
    Geodetic::from_degrees(lat_deg, lon_deg, height_m).expect("valid test point")
}

/// An upper bound, in metres, of the distance between two geodetic positions that differ by
/// tiny amounts.
fn geodetic_error_m(a: &Geodetic, b: &Geodetic) -> f64 {
    let radius_m = MAX_CURVATURE_RADIUS_M + a.height_m().max(0.0);
    let d_lat = a.lat_rad() - b.lat_rad();
    let d_lon = (a.lon_rad() - b.lon_rad() + 3.0 * PI).rem_euclid(2.0 * PI) - PI;
    let north_m = d_lat * radius_m;
    let east_m = d_lon * radius_m * a.lat_rad().cos();
    let up_m = a.height_m() - b.height_m();
    (north_m * north_m + east_m * east_m + up_m * up_m).sqrt()
}

/// Errors of the round trip geodetic → ECEF → geodetic → ECEF: (geodetic error, ECEF error), m.
fn round_trip_errors_m(g: &Geodetic) -> (f64, f64) {
    let p = g.to_ecef();
    let back = Geodetic::from_ecef(p);
    (geodetic_error_m(g, &back), (back.to_ecef() - p).norm())
}

#[test]
fn iogp_guidance_note_7_2_example() {
    // IOGP 373-7-2 (EPSG Guidance Note 7-2), geographic/geocentric conversion example:
    // 53°48'33.82" N, 2°07'46.38" E, h = 73 m.
    let g = geodetic(
        53.0 + 48.0 / 60.0 + 33.82 / 3600.0,
        2.0 + 7.0 / 60.0 + 46.38 / 3600.0,
        73.0,
    );
    let p = g.to_ecef();
    assert!((p.x - 3_771_793.968).abs() < 1e-3);
    assert!((p.y - 140_253.342).abs() < 1e-3);
    assert!((p.z - 5_124_304.349).abs() < 1e-3);
}

#[test]
fn round_trip_at_poles_antimeridian_and_range_ends() {
    let lats = [
        -90.0,
        -89.999_999_9,
        -45.0,
        0.0,
        1e-12,
        45.0,
        89.999,
        89.999_999_9,
        90.0,
    ];
    let lons = [
        -180.0,
        -179.999_999_9,
        -90.0,
        0.0,
        90.0,
        179.999_999_9,
        180.0,
    ];
    let heights = [
        Geodetic::MIN_HEIGHT_M,
        -500.0,
        0.0,
        1.0,
        50_000.0,
        2_000_000.0,
        36_000_000.0,
        Geodetic::MAX_HEIGHT_M,
    ];
    let mut worst = 0.0f64;
    for &lat in &lats {
        for &lon in &lons {
            for &h in &heights {
                let g = geodetic(lat, lon, h);
                let (geodetic_m, ecef_m) = round_trip_errors_m(&g);
                assert!(
                    geodetic_m < ROUND_TRIP_TOL_M && ecef_m < ROUND_TRIP_TOL_M,
                    "({lat}, {lon}, {h}): {geodetic_m} m, {ecef_m} m"
                );
                worst = worst.max(geodetic_m).max(ecef_m);
            }
        }
    }
    println!("table round trip (poles, antimeridian, range ends): worst {worst:.2e} m");
}

/// A deterministic sweep: every 1° of latitude (poles included), every 10° of longitude
/// (antimeridian included), 61 heights spread evenly in their logarithm over the valid range.
#[test]
fn round_trip_sweep_over_the_valid_range() {
    let heights: Vec<f64> = [-12_000.0, -500.0, -1.0, 0.0]
        .into_iter()
        .chain((0..=60).map(|i| 10f64.powf(f64::from(i) * Geodetic::MAX_HEIGHT_M.log10() / 60.0)))
        .collect();
    let (mut worst_flight, mut worst_all) = (0.0f64, 0.0f64);
    for lat in -90..=90 {
        for lon in (-180..=180).step_by(10) {
            for &h in &heights {
                let g = geodetic(f64::from(lat), f64::from(lon), h);
                let (geodetic_m, ecef_m) = round_trip_errors_m(&g);
                let error_m = geodetic_m.max(ecef_m);
                assert!(
                    error_m < ROUND_TRIP_TOL_M,
                    "({lat}, {lon}, {h}): {error_m} m"
                );
                worst_all = worst_all.max(error_m);
                if (-500.0..=2_000_000.0).contains(&h) {
                    worst_flight = worst_flight.max(error_m);
                }
            }
        }
    }
    println!(
        "round-trip sweep: worst {worst_flight:.2e} m in [-500 m, 2000 km], \
         {worst_all:.2e} m in [-12 km, 50,000 km]"
    );
}

#[test]
fn points_on_the_rotation_axis_are_poles() {
    for h in [-500.0, 0.0, 1e6, Geodetic::MAX_HEIGHT_M] {
        let z = WGS84_A_M * (1.0 - WGS84_E2).sqrt() + h;
        let north = Geodetic::from_ecef(Vector::new(0.0, 0.0, z));
        assert_eq!((north.lat_deg(), north.lon_deg()), (90.0, 0.0));
        assert!((north.height_m() - h).abs() < 1e-8, "{h}: {north:?}");
        let south = Geodetic::from_ecef(Vector::new(0.0, 0.0, -z));
        assert_eq!((south.lat_deg(), south.lon_deg()), (-90.0, 0.0));
        assert!((south.height_m() - h).abs() < 1e-8, "{h}: {south:?}");
    }
}

/// Points far beyond the valid range, on the axes and near them: the height is the distance
/// less the ellipsoid's radius there (its equatorial or polar radius), to rounding, from where
/// the closed form holds to where it would overflow and the Earth is taken as a point.
#[test]
fn far_points_are_their_distance_above_the_ellipsoid() {
    let b = WGS84_A_M * (1.0 - WGS84_E2).sqrt();
    for distance_m in [1e9, 1e12, 1e20, 1e30, 1e100, 1e200, 1e300] {
        let tol_m = 1.0 + 4.0 * f64::EPSILON * distance_m;
        for (p, lat_deg, lon_deg, radius_m) in [
            (Vector::new(distance_m, 0.0, 0.0), 0.0, 0.0, WGS84_A_M),
            (Vector::new(0.0, distance_m, 0.0), 0.0, 90.0, WGS84_A_M),
            (Vector::new(0.0, -distance_m, 0.0), 0.0, -90.0, WGS84_A_M),
            (Vector::new(0.0, 0.0, distance_m), 90.0, 0.0, b),
            (Vector::new(0.0, 0.0, -distance_m), -90.0, 0.0, b),
        ] {
            let g = Geodetic::from_ecef(p);
            assert!(
                (g.height_m() - (distance_m - radius_m)).abs() <= tol_m
                    && g.lat_deg() == lat_deg
                    && g.lon_deg() == lon_deg,
                "{p:?}: {g:?}"
            );
        }
    }
    // 3e22 m from the axis and 1e45 m along it: the closed form's terms would overflow.
    let g = Geodetic::from_ecef(Vector::new(3e22, 0.0, 1e45));
    assert!(
        (g.height_m() / 1e45 - 1.0).abs() < 1e-15 && g.lat_deg() == 90.0,
        "{g:?}"
    );
}

#[test]
fn antimeridian_longitudes_are_normalized() {
    assert_eq!(geodetic(10.0, -180.0, 0.0).lon_deg(), 180.0);
    assert_eq!(geodetic(10.0, 180.0, 0.0).lon_deg(), 180.0);
    // ECEF points just either side of the antimeridian.
    let west = Geodetic::from_ecef(Vector::new(-WGS84_A_M, -1e-3, 0.0));
    let east = Geodetic::from_ecef(Vector::new(-WGS84_A_M, 1e-3, 0.0));
    let on = Geodetic::from_ecef(Vector::new(-WGS84_A_M, -0.0, 0.0));
    assert!(west.lon_deg() < -179.999_999 && west.lon_deg() > -180.0);
    // Longitudes past the antimeridian, east and west.
    assert!((geodetic(10.0, 190.0, 0.0).lon_deg() + 170.0).abs() < 1e-12);
    assert!((geodetic(10.0, -190.0, 0.0).lon_deg() - 170.0).abs() < 1e-12);
    assert!(east.lon_deg() > 179.999_999 && east.lon_deg() < 180.0);
    assert_eq!(on.lon_deg(), 180.0);
}

#[test]
fn invalid_positions_are_refused_with_reasons() {
    assert_eq!(
        Geodetic::from_degrees(90.000_001, 0.0, 0.0),
        Err(EarthError::LatitudeOutOfRange {
            lat_deg: 90.000_001
        })
    );
    assert!(matches!(
        Geodetic::from_degrees(f64::NAN, 0.0, 0.0),
        Err(EarthError::NotFinite {
            quantity: "latitude",
            ..
        })
    ));
    assert!(matches!(
        Geodetic::from_degrees(0.0, f64::INFINITY, 0.0),
        Err(EarthError::NotFinite {
            quantity: "longitude",
            ..
        })
    ));
    assert!(matches!(
        Geodetic::from_radians(0.0, 0.0, f64::NAN),
        Err(EarthError::NotFinite {
            quantity: "height",
            ..
        })
    ));
    assert!(matches!(
        Geodetic::from_radians(PI / 2.0 + 1e-9, 0.0, 0.0),
        Err(EarthError::LatitudeOutOfRange { .. })
    ));
    let too_low = Geodetic::from_degrees(0.0, 0.0, -12_000.5).unwrap_err();
    assert_eq!(
        too_low.to_string(),
        "height must be between -12000 m and 50000000 m above the WGS84 ellipsoid, got -12000.5 m"
    );
    assert!(Geodetic::from_degrees(0.0, 0.0, 5.1e7).is_err());
    assert!(Geodetic::from_degrees(-90.0, 0.0, Geodetic::MIN_HEIGHT_M).is_ok());
    assert!(Geodetic::from_degrees(90.0, 0.0, Geodetic::MAX_HEIGHT_M).is_ok());
}

#[test]
fn with_height_keeps_latitude_and_longitude() {
    let a = geodetic(35.6892, 51.389, 1190.0);
    let b = a.with_height_m(-20_000.0);
    assert_eq!(
        (b.lat_rad(), b.lon_rad(), b.height_m()),
        (a.lat_rad(), a.lon_rad(), -20_000.0)
    );
}

#[test]
fn radians_and_degrees_agree() {
    // Latitudes from pole to pole are accepted in radians as in degrees; computed latitudes
    // past a pole are clamped to it.
    for lat_rad in [-PI / 2.0, -1.2, 0.0, 1.2, PI / 2.0] {
        let g = Geodetic::from_radians(lat_rad, 0.0, 0.0).unwrap();
        assert_eq!(g.lat_rad(), lat_rad);
    }
    assert_eq!(
        Geodetic::from_radians_unchecked(-2.0, 0.0, 0.0).lat_rad(),
        -PI / 2.0
    );
    assert_eq!(
        Geodetic::from_radians_unchecked(2.0, 0.0, 0.0).lat_rad(),
        PI / 2.0
    );
    let a = geodetic(-33.8688, 151.2093, 58.0);
    let b = Geodetic::from_radians(a.lat_rad(), a.lon_rad() - 4.0 * PI, 58.0).unwrap();
    assert!((a.lon_rad() - b.lon_rad()).abs() < 1e-14);
    assert_eq!(a.lat_rad(), b.lat_rad());
    assert!((a.lat_deg() - (-33.8688)).abs() < 1e-12);
    assert!((a.lon_deg() - 151.2093).abs() < 1e-12);
}

fn latitude() -> impl Strategy<Value = f64> {
    prop_oneof![
        8 => -90.0..=90.0f64,
        1 => Just(90.0),
        1 => Just(-90.0),
        1 => Just(0.0),
    ]
}

fn longitude() -> impl Strategy<Value = f64> {
    prop_oneof![
        8 => -180.0..=180.0f64,
        1 => Just(180.0),
        1 => Just(-180.0),
        1 => Just(0.0),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 20_000,
        // Integration tests have no lib.rs beside them for proptest's regression files; a
        // failure prints the shrunk input, which then belongs in the table test above.
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    /// The range the simulator flies in: Dead Sea to high ballistic apogees.
    #[test]
    fn round_trip_from_500_m_below_to_2000_km(
        lat in latitude(), lon in longitude(), h in -500.0..=2_000_000.0f64,
    ) {
        let g = geodetic(lat, lon, h);
        let (geodetic_m, ecef_m) = round_trip_errors_m(&g);
        prop_assert!(geodetic_m < ROUND_TRIP_TOL_M, "geodetic error {} m", geodetic_m);
        prop_assert!(ecef_m < ROUND_TRIP_TOL_M, "ECEF error {} m", ecef_m);
    }

    /// The whole accepted range, heights spread evenly in their logarithm.
    #[test]
    fn round_trip_over_the_valid_range(
        lat in latitude(), lon in longitude(),
        h in prop_oneof![
            Geodetic::MIN_HEIGHT_M..=0.0f64,
            (0.0..=Geodetic::MAX_HEIGHT_M.log10()).prop_map(|e| 10f64.powf(e)),
        ],
    ) {
        let g = geodetic(lat, lon, h);
        let (geodetic_m, ecef_m) = round_trip_errors_m(&g);
        prop_assert!(geodetic_m < ROUND_TRIP_TOL_M, "geodetic error {} m", geodetic_m);
        prop_assert!(ecef_m < ROUND_TRIP_TOL_M, "ECEF error {} m", ecef_m);
    }

    /// ECEF -> ENU -> ECEF for targets within about 500 km of a radar (the rotations cost
    /// about 1e-15 of the offset, the ECEF coordinates themselves are held to about 1e-9 m).
    #[test]
    fn enu_position_round_trip_within_1e9_m(
        lat in latitude(), lon in longitude(), h in -500.0..=10_000.0f64,
        e in -5e5..5e5f64, n in -5e5..5e5f64, u in -5e4..5e5f64,
    ) {
        let frame = EnuFrame::at(geodetic(lat, lon, h));
        let p = frame.position_to_ecef(Vector::new(e, n, u));
        let error_m = (frame.position_to_ecef(frame.position_to_enu(p)) - p).norm();
        prop_assert!(error_m < 1e-9, "{} m", error_m);
    }

    /// ENU -> ECEF -> ENU goes through absolute ECEF coordinates, so it is as good as their
    /// rounding (f64::EPSILON of the distance from the centre, 1.4e-9 m at the surface); the
    /// rotation of vectors alone costs about 1e-15 of their length.
    #[test]
    fn enu_round_trips_at_rounding_level(
        lat in latitude(), lon in longitude(), h in -500.0..=10_000.0f64,
        e in -2e6..2e6f64, n in -2e6..2e6f64, u in -1e5..2e6f64,
    ) {
        let frame = EnuFrame::at(geodetic(lat, lon, h));
        let local = Vector::<Enu>::new(e, n, u);
        let p = frame.position_to_ecef(local);
        let error_m = (frame.position_to_enu(p) - local).norm();
        prop_assert!(error_m < 2.0 * f64::EPSILON * p.norm(), "{} m", error_m);
        let v = Vector::<Ecef>::new(e, n, u);
        let error_m = (frame.vector_to_ecef(frame.vector_to_enu(v)) - v).norm();
        prop_assert!(error_m < 1e-15 * v.norm(), "{} m", error_m);
    }
}

#[test]
fn geodesic_direct_keeps_height_and_normalizes_longitude() {
    let from = geodetic(0.0, 179.9, 1234.0);
    let to = geodesic_direct(&from, 90.0, 100_000.0);
    assert_eq!(to.height_m(), 1234.0);
    assert!(to.lon_deg() < -179.0 && to.lon_deg() > -180.0, "{to:?}");
    assert!(to.lat_deg().abs() < 1e-9);
    for bad in [f64::NAN, f64::INFINITY] {
        let nowhere = geodesic_direct(&from, 90.0, bad);
        assert!(
            nowhere.lat_rad().is_nan() && nowhere.lon_rad().is_nan(),
            "{nowhere:?}"
        );
        let nowhere = geodesic_direct(&from, bad, 1000.0);
        assert!(
            nowhere.lat_rad().is_nan() && nowhere.lon_rad().is_nan(),
            "{nowhere:?}"
        );
    }
}

#[test]
fn radar_horizon_clamps_negative_heights() {
    assert_eq!(radar_horizon_m(-5.0, 100.0), radar_horizon_m(0.0, 100.0));
    assert_eq!(radar_horizon_m(0.0, 0.0), 0.0);
    assert!(radar_horizon_m(f64::NAN, 0.0).is_nan());
}

/// Meridian radius of curvature M = a(1 − e²)/(1 − e² sin² φ)^1.5.
fn meridian_radius_m(lat_rad: f64) -> f64 {
    WGS84_A_M * (1.0 - WGS84_E2) / (1.0 - WGS84_E2 * lat_rad.sin().powi(2)).powf(1.5)
}

#[test]
fn enu_point_1_km_north_is_ahead_and_slightly_below() {
    for (lat, lon, h) in [
        (32.0853, 34.7818, 5.0),
        (-60.0, -120.0, 3000.0),
        (0.0, 180.0, 0.0),
    ] {
        let origin = geodetic(lat, lon, h);
        let frame = EnuFrame::at(origin);
        // 1 km along the meridian on the ellipsoid, then raised to the origin's height.
        let north = geodesic_direct(&origin, 0.0, 1000.0);
        let local = frame.position_to_enu(north.to_ecef());
        // Over 1 km the meridian is a circle of radius M; at height h the point is at angle
        // 1000/M on a circle of radius M + h, below the tangent plane.
        let m = meridian_radius_m(origin.lat_rad());
        let angle = 1000.0 / m;
        let expected_y = (m + h) * angle.sin();
        let expected_z = -(m + h) * (1.0 - angle.cos());
        assert!(local.x.abs() < 1e-6, "{local:?}");
        assert!(
            (local.y - expected_y).abs() < 1e-6,
            "{local:?}, expected y = {expected_y}"
        );
        assert!(
            (local.z - expected_z).abs() < 1e-6,
            "{local:?}, expected z = {expected_z}"
        );
    }
}

#[test]
fn enu_up_is_the_ellipsoid_normal() {
    for (lat, lon) in [
        (0.0, 0.0),
        (45.0, 45.0),
        (-33.9, 151.2),
        (90.0, -135.0),
        (-90.0, 0.0),
    ] {
        let origin = geodetic(lat, lon, 100.0);
        let frame = EnuFrame::at(origin);
        // Straight up along the normal, 1 km higher.
        let above = geodetic(lat, lon, 1100.0).to_ecef();
        let local = frame.position_to_enu(above);
        assert!(
            (local - Vector::new(0.0, 0.0, 1000.0)).norm() < 1e-8,
            "{local:?}"
        );
        assert!((frame.vector_to_ecef(Vector::new(0.0, 0.0, 1.0)) - frame.up()).norm() < 1e-15);
        // The axes are orthonormal and right-handed.
        let (e, n, u) = (frame.east(), frame.north(), frame.up());
        for axis in [e, n, u] {
            assert!((axis.norm() - 1.0).abs() < 1e-15);
        }
        assert!(e.dot(n).abs() < 1e-15 && n.dot(u).abs() < 1e-15 && u.dot(e).abs() < 1e-15);
        assert!((e.cross(n) - u).norm() < 1e-15);
        // Up looks straight up.
        let look = frame.azimuth_elevation_range(above);
        assert!((look.elevation_deg() - 90.0).abs() < 1e-9);
        assert!((look.range_m - 1000.0).abs() < 1e-8);
    }
    // At the equator and the prime meridian, ENU is (y, z, x) of ECEF.
    let frame = EnuFrame::at(geodetic(0.0, 0.0, 0.0));
    let v = frame.vector_to_enu(Vector::new(1.0, 2.0, 3.0));
    assert!((v - Vector::new(2.0, 3.0, 1.0)).norm() < 1e-15);
}

#[test]
fn azimuth_elevation_range_of_points_in_each_direction() {
    let origin = geodetic(31.5, 35.4, -430.0);
    let frame = EnuFrame::at(origin);
    for (azimuth_deg, e, n) in [
        (0.0, 0.0, 1.0),
        (90.0, 1.0, 0.0),
        (180.0, 0.0, -1.0),
        (270.0, -1.0, 0.0),
        (45.0, 1.0, 1.0),
    ] {
        let target = frame.position_to_ecef(Vector::new(5000.0 * e, 5000.0 * n, 0.0));
        let look = frame.azimuth_elevation_range(target);
        assert!((look.azimuth_deg() - azimuth_deg).abs() < 1e-9, "{look:?}");
        assert!(look.elevation_deg().abs() < 1e-9, "{look:?}");
    }
    // A point due east, 20 km along the geodesic on the ellipsoid and at the origin's height
    // (430 m below it): azimuth 90°, below the horizontal plane by half the angle subtended at
    // the centre of curvature (the prime-vertical radius N), and a chord of that circle.
    let east = geodesic_direct(&origin, 90.0, 20_000.0);
    let look = frame.azimuth_elevation_range(east.to_ecef());
    let n = WGS84_A_M / (1.0 - WGS84_E2 * origin.lat_rad().sin().powi(2)).sqrt();
    let angle = 20_000.0 / n;
    assert!((look.azimuth_deg() - 90.0).abs() < 1e-6, "{look:?}");
    assert!((look.elevation_rad + angle / 2.0).abs() < 1e-7, "{look:?}");
    let chord_m = 2.0 * (n + origin.height_m()) * (angle / 2.0).sin();
    assert!(
        (look.range_m - chord_m).abs() < 1e-3,
        "{look:?}, expected {chord_m}"
    );
    // A tiny westward component still gives an azimuth below 360°.
    let az = AzElRange::from_enu(Vector::new(-1e-300, 1000.0, 0.0)).azimuth_rad;
    assert!((0.0..2.0 * PI).contains(&az), "{az}");
    // The origin itself.
    let itself = frame.azimuth_elevation_range(frame.origin_ecef());
    assert_eq!(
        (itself.azimuth_rad, itself.elevation_rad, itself.range_m),
        (0.0, 0.0, 0.0)
    );
}
