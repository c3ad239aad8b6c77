//! Flight of every class: full-physics targeting, cruise routes. The closed-form agreement on
//! the airless sphere (`tests/data/refdata/ballistic_vacuum.csv`) is in
//! `crates/validation/tests/physics.rs`.

use skyshield_physics::ballistic::{BoostedMissile, Guidance};
use skyshield_physics::cruise::AirBreather;
use skyshield_physics::earth::Geodetic;
use skyshield_physics::earth_model::EarthModel;
use skyshield_physics::flight::{Flight, FlightError, TrajectoryShape, Vehicle, fly};

/// A notional single-stage liquid MRBM of the Shahab-3 family (figures as in the catalog's
/// `generic-mrbm`).
fn generic_mrbm() -> BoostedMissile {
    BoostedMissile {
        launch_mass_kg: 17_500.0,
        propellant_mass_kg: 15_000.0,
        burn_time_s: 160.0,
        isp_s: 265.0,
        diameter_m: 1.25,
        separating: true,
        rv_mass_kg: 650.0,
        rv_diameter_m: 0.9,
        guidance: Guidance::PitchProgram,
        min_range_m: 300e3,
        max_range_m: 2_000e3,
        max_apogee_m: None,
        pull_up_m_s2: 0.0,
    }
}

fn iran_west() -> Geodetic {
    Geodetic::from_degrees(34.3, 47.1, 0.0).unwrap()
}

fn tel_aviv() -> Geodetic {
    Geodetic::from_degrees(32.08, 34.78, 0.0).unwrap()
}

#[test]
fn generic_mrbm_from_western_iran_lands_on_tel_aviv_in_about_twelve_minutes() {
    let vehicle = Vehicle::Boosted(generic_mrbm());
    let f = fly(
        &vehicle,
        &EarthModel::FULL,
        &iran_west(),
        &[],
        &tel_aviv(),
        TrajectoryShape::MinEnergy,
    )
    .unwrap();
    assert!(f.miss_m < 50.0, "miss {} m", f.miss_m);
    assert!(
        (600.0..=810.0).contains(&f.flight_time_s),
        "flight time {} s",
        f.flight_time_s
    );
    assert!(
        f.apogee_m > 150e3 && f.apogee_m < 500e3,
        "apogee {}",
        f.apogee_m
    );
    assert!(f.reentry_speed_m_s.is_some());
    // Samples every second from launch to impact.
    let n = f.samples.len();
    assert_eq!(f.samples[0].t_s, 0.0);
    assert!((f.samples[n - 1].t_s - f.flight_time_s).abs() < 1e-9);
    assert!(
        f.samples
            .windows(2)
            .take(n - 2)
            .all(|w| (w[1].t_s - w[0].t_s - 1.0).abs() < 1e-9)
    );
}

#[test]
fn lofted_and_depressed_bracket_the_minimum_energy_apogee() {
    let vehicle = Vehicle::Boosted(generic_mrbm());
    let earth = EarthModel::FULL;
    let go = |shape| fly(&vehicle, &earth, &iran_west(), &[], &tel_aviv(), shape).unwrap();
    let me = go(TrajectoryShape::MinEnergy);
    let lofted = go(TrajectoryShape::Lofted { apogee_m: None });
    let depressed = go(TrajectoryShape::Depressed {
        apogee_m: Some(200e3),
    });
    for f in [&lofted, &depressed] {
        assert!(f.miss_m < 50.0, "miss {}", f.miss_m);
    }
    assert!(
        (lofted.apogee_m / me.apogee_m - 1.5).abs() < 0.01,
        "{} vs {}",
        lofted.apogee_m,
        me.apogee_m
    );
    assert!(
        (depressed.apogee_m - 200e3).abs() < 500.0,
        "{}",
        depressed.apogee_m
    );
    assert!(depressed.flight_time_s < me.flight_time_s && me.flight_time_s < lofted.flight_time_s);
    // The minimum-energy trajectory burns the least.
    let burn = |f: &Flight| f.burnout.unwrap().time_s;
    assert!(burn(&me) <= burn(&lofted) && burn(&me) <= burn(&depressed));
}

#[test]
fn aim_beyond_the_maximum_range_is_refused() {
    let vehicle = Vehicle::Boosted(generic_mrbm());
    let far = Geodetic::from_degrees(35.0, 20.0, 0.0).unwrap();
    let err = fly(
        &vehicle,
        &EarthModel::FULL,
        &iran_west(),
        &[],
        &far,
        TrajectoryShape::MinEnergy,
    )
    .unwrap_err();
    assert!(matches!(err, FlightError::BeyondMaxRange { .. }), "{err}");
    assert!(
        err.to_string()
            .contains("beyond the maximum range of 2000 km"),
        "{err}"
    );
}

fn shahed_like() -> AirBreather {
    AirBreather {
        speed_m_s: 51.0,
        cruise_altitude_m: 1_000.0,
        max_range_m: 2_000e3,
        climb_angle_deg: 5.0,
        dive_angle_deg: 30.0,
    }
}

#[test]
fn a_drone_flies_its_route_at_its_height_and_speed() {
    let earth = EarthModel::FULL;
    let launch = Geodetic::from_degrees(33.5, 46.0, 0.0).unwrap();
    let route = [
        Geodetic::from_degrees(32.8, 40.0, 0.0).unwrap(),
        Geodetic::from_degrees(32.3, 36.0, 0.0).unwrap(),
    ];
    let vehicle = Vehicle::AirBreathing(shahed_like());
    let f = fly(
        &vehicle,
        &earth,
        &launch,
        &route,
        &tel_aviv(),
        TrajectoryShape::MinEnergy,
    )
    .unwrap();
    assert!(f.miss_m < 1e-3, "miss {}", f.miss_m);
    let legs = [launch, route[0], route[1], tel_aviv()];
    let length: f64 = legs
        .windows(2)
        .map(|w| earth.surface_path(&w[0], &w[1]).distance_m)
        .sum();
    assert!((f.flight_time_s - length / 51.0).abs() < 1e-6);
    // Away from the climb and the dive, the height is the cruise height.
    let cruise: Vec<_> = f
        .samples
        .iter()
        .filter(|s| s.t_s > 600.0 && s.t_s < f.flight_time_s - 600.0)
        .collect();
    assert!(!cruise.is_empty());
    assert!(cruise.iter().all(|s| (s.alt_m - 1_000.0).abs() < 10.0));
    // Passes through each waypoint: some sample lies within one second's flight of it.
    for w in &route {
        let closest = f
            .samples
            .iter()
            .map(|s| {
                earth
                    .surface_path(
                        w,
                        &Geodetic::from_degrees(s.lat_deg, s.lon_deg, 0.0).unwrap(),
                    )
                    .distance_m
            })
            .fold(f64::INFINITY, f64::min);
        assert!(closest < 51.0, "closest approach {closest} m");
    }
}

#[test]
fn a_route_longer_than_the_range_is_refused() {
    let mut drone = shahed_like();
    drone.max_range_m = 500e3;
    let err = fly(
        &Vehicle::AirBreathing(drone),
        &EarthModel::FULL,
        &iran_west(),
        &[],
        &tel_aviv(),
        TrajectoryShape::MinEnergy,
    )
    .unwrap_err();
    assert!(matches!(err, FlightError::RouteTooLong { .. }), "{err}");
}

#[test]
fn ballistic_flights_refuse_a_route() {
    let err = fly(
        &Vehicle::Boosted(generic_mrbm()),
        &EarthModel::FULL,
        &iran_west(),
        &[tel_aviv()],
        &tel_aviv(),
        TrajectoryShape::MinEnergy,
    )
    .unwrap_err();
    assert_eq!(err, FlightError::RouteNotFlown);
}
