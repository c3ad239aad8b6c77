//! Every threat type of the catalog flies, with the physics of `skyshield-physics`, as its class
//! should.

use skyshield_physics::earth::Geodetic;
use skyshield_physics::earth_model::EarthModel;
use skyshield_physics::flight::{Flight, FlightError, TrajectoryShape, Vehicle, fly};
use skyshield_scenario::threat_model::vehicle;
use skyshield_scenario::{Class, catalog};

fn nominal(id: &str) -> Vehicle {
    let entry = catalog().get(id).unwrap_or_else(|| panic!("no type {id}"));
    vehicle(&entry.resolved(), |u| u.nominal).unwrap()
}

/// A launch point in western Iran and an aim `range_m` away due west of it.
fn shot(range_m: f64) -> (Geodetic, Geodetic) {
    let launch = Geodetic::from_degrees(34.3, 47.1, 0.0).unwrap();
    let aim = EarthModel::FULL.surface_direct(&launch, -90.0, range_m);
    (launch, aim)
}

fn fly_to(v: &Vehicle, range_m: f64) -> Result<Flight, FlightError> {
    let (launch, aim) = shot(range_m);
    fly(
        v,
        &EarthModel::FULL,
        &launch,
        &[],
        &aim,
        TrajectoryShape::MinEnergy,
    )
}

#[test]
fn every_rocket_powered_type_reaches_its_catalog_range_and_refuses_beyond_it() {
    let mut checked = 0;
    for entry in catalog().threats().filter(|e| e.class.is_rocket_powered()) {
        let v = nominal(&entry.id);
        let max_m = entry.number_si("max_range_km").unwrap().nominal;
        let f = fly_to(&v, max_m * 0.999).unwrap_or_else(|e| panic!("{}: {e}", entry.id));
        assert!(f.miss_m < 50.0, "{}: miss {} m", entry.id, f.miss_m);
        let err = fly_to(&v, max_m * 1.01).unwrap_err();
        assert!(
            matches!(err, FlightError::BeyondMaxRange { .. }),
            "{}: {err}",
            entry.id
        );
        assert!(
            err.to_string().contains("beyond the maximum range"),
            "{}: {err}",
            entry.id
        );
        checked += 1;
    }
    assert!(checked >= 10, "only {checked} rocket-powered types");
}

#[test]
fn iskander_class_apogee_stays_under_60_km_at_400_km() {
    let v = nominal("iskander-m");
    assert_eq!(
        catalog().get("iskander-m").unwrap().class,
        Class::QuasiBallistic
    );
    let f = fly_to(&v, 400e3).unwrap();
    assert!(f.miss_m < 50.0, "miss {}", f.miss_m);
    assert!(f.apogee_m < 60e3, "apogee {} m", f.apogee_m);
    // A ballistic missile of the same range class climbs far higher.
    let fateh = fly_to(&nominal("fateh-110"), 250e3).unwrap();
    assert!(
        fateh.apogee_m > 60e3,
        "Fateh-110 apogee {} m",
        fateh.apogee_m
    );
}

#[test]
fn shahed_class_flight_of_1500_km_takes_7_to_10_hours() {
    let f = fly_to(&nominal("shahed-136"), 1_500e3).unwrap();
    let hours = f.flight_time_s / 3600.0;
    assert!((7.0..=10.0).contains(&hours), "{hours} h");
}

#[test]
fn cruise_missiles_hold_their_commanded_height_away_from_manoeuvres() {
    for id in ["paveh", "soumar"] {
        let v = nominal(id);
        let Vehicle::AirBreathing(a) = &v else {
            panic!("{id} is not air-breathing")
        };
        let f = fly_to(&v, 1_000e3).unwrap();
        let cruise: Vec<_> = f
            .samples
            .iter()
            .filter(|s| s.t_s > 120.0 && s.t_s < f.flight_time_s - 120.0)
            .collect();
        assert!(cruise.len() > 1_000, "{id}");
        let worst = cruise
            .iter()
            .map(|s| (s.alt_m - a.cruise_altitude_m).abs())
            .fold(0.0, f64::max);
        assert!(worst < 10.0, "{id}: {worst} m off its height");
        assert!(a.speed_m_s < 340.0, "{id} is not subsonic");
    }
}
