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
fn iskander_class_apogee_stays_under_its_catalog_ceiling_at_400_km() {
    let entry = catalog().get("iskander-m").unwrap();
    assert_eq!(entry.class, Class::QuasiBallistic);
    let ceiling_m = entry.number_si("max_apogee_km").unwrap().nominal;
    let f = fly_to(&nominal("iskander-m"), 400e3).unwrap();
    assert!(f.miss_m < 50.0, "miss {}", f.miss_m);
    assert!(
        f.apogee_m <= ceiling_m,
        "apogee {} m above the catalog's max_apogee_km of {} m",
        f.apogee_m,
        ceiling_m
    );
    // A ballistic missile of the same range class climbs far higher.
    let fateh = fly_to(&nominal("fateh-110"), 250e3).unwrap();
    assert!(
        fateh.apogee_m > 1.5 * ceiling_m,
        "Fateh-110 apogee {} m",
        fateh.apogee_m
    );
}

/// The catalog gives a quasi-ballistic missile's manoeuvre capability in g; the missile model
/// takes it in m/s², converted once (it was once converted twice, a pull-up 9.8 times too
/// strong).
#[test]
fn pull_up_in_g_is_converted_to_m_s2_once() {
    let entry = catalog().get("iskander-m").unwrap();
    let g = entry
        .resolved()
        .number("terminal_manoeuvre_g")
        .unwrap()
        .nominal;
    assert!(g > 0.0, "the Iskander manoeuvres");
    let Vehicle::Boosted(m) = nominal("iskander-m") else {
        panic!("the Iskander is rocket-powered")
    };
    let expected = g * 9.806_65;
    assert!(
        (m.pull_up_m_s2 - expected).abs() < 1e-9,
        "pull-up {} m/s², expected {g} g = {expected} m/s²",
        m.pull_up_m_s2
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

/// SplitMix64 (Steele, Lea and Flood 2014): a small generator for the fixed-seed draws of the
/// sweep below.
struct Draws(std::cell::Cell<u64>);

impl Draws {
    /// A number uniform in [0, 1).
    fn unit(&self) -> f64 {
        let s = self.0.get().wrapping_add(0x9E37_79B9_7F4A_7C15);
        self.0.set(s);
        let mut z = s;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        (z ^ (z >> 31)) as f64 / 2f64.powi(64)
    }

    fn between(&self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.unit()
    }

    /// A launch point at a latitude within `max_lat_deg` of the equator and any longitude, an
    /// azimuth, and the aim `range_m` away on it.
    fn shot(&self, max_lat_deg: f64, range_m: f64) -> (Geodetic, f64, Geodetic) {
        let launch = Geodetic::from_degrees(
            self.between(-max_lat_deg, max_lat_deg),
            self.between(-180.0, 180.0),
            0.0,
        )
        .unwrap();
        let azimuth = self.between(0.0, 360.0);
        let aim = EarthModel::FULL.surface_direct(&launch, azimuth, range_m);
        (launch, azimuth, aim)
    }
}

/// Every ballistic and quasi-ballistic type, over 20 ranges from its minimum to its maximum, in
/// each shape, from random launch points in random directions, with every parameter drawn from
/// its catalog range: each flight lands within 50 m of its aim, or is refused with the limit it
/// meets (range, reach, apogee ceiling, apogee at that range), never for a numerical failure;
/// a quasi-ballistic flight stays under its apogee ceiling.
fn sweep(class: Class) {
    let draws = Draws(std::cell::Cell::new(17));
    let shapes = [
        TrajectoryShape::MinEnergy,
        TrajectoryShape::Lofted { apogee_m: None },
        TrajectoryShape::Depressed { apogee_m: None },
    ];
    let mut flown = 0;
    for entry in catalog().threats().filter(|e| e.class == class) {
        for k in 0..20 {
            for shape in shapes {
                let v = vehicle(&entry.resolved(), |u| draws.between(u.low, u.high)).unwrap();
                let Vehicle::Boosted(m) = &v else {
                    panic!("{} is not rocket-powered", entry.id)
                };
                // From a metre past the minimum to a metre short of the maximum.
                let (lo, hi) = (m.min_range_m + 1.0, m.max_range_m - 1.0);
                let range_m = lo + (hi - lo) * k as f64 / 19.0;
                let (launch, azimuth, aim) = draws.shot(60.0, range_m);
                let case = format!(
                    "{} {shape:?} at {:.1} km, azimuth {azimuth:.0}° from {launch:?}, {m:?}",
                    entry.id,
                    range_m / 1e3
                );
                match fly(&v, &EarthModel::FULL, &launch, &[], &aim, shape) {
                    Ok(f) => {
                        assert!(f.miss_m < 50.0, "{case}: miss {} m", f.miss_m);
                        if let Some(ceiling_m) = m.max_apogee_m {
                            assert!(
                                f.apogee_m <= ceiling_m,
                                "{case}: apogee {} m above the ceiling",
                                f.apogee_m
                            );
                        }
                        flown += 1;
                    }
                    Err(
                        FlightError::OutOfReach { .. }
                        | FlightError::TooClose { .. }
                        | FlightError::AboveCeiling { .. }
                        | FlightError::ApogeeOutOfReach { .. },
                    ) => {}
                    Err(e) => panic!("{case}: {e}"),
                }
            }
        }
    }
    assert!(flown > 0, "{class:?}: none flown");
}

#[test]
fn every_ballistic_type_flies_its_whole_range_or_names_the_limit() {
    sweep(Class::Ballistic);
}

#[test]
fn every_quasi_ballistic_type_flies_its_whole_range_or_names_the_limit() {
    sweep(Class::QuasiBallistic);
}

/// With nominal parameters, every ballistic and quasi-ballistic type flies its minimum-energy
/// trajectory at every range of its catalog, from launch points at any latitude in any
/// direction.
#[test]
fn nominal_types_fly_minimum_energy_over_their_whole_range() {
    let draws = Draws(std::cell::Cell::new(29));
    for entry in catalog()
        .threats()
        .filter(|e| matches!(e.class, Class::Ballistic | Class::QuasiBallistic))
    {
        let v = nominal(&entry.id);
        let Vehicle::Boosted(m) = &v else {
            panic!("{} is not rocket-powered", entry.id)
        };
        for k in 0..12 {
            let (lo, hi) = (m.min_range_m + 1.0, m.max_range_m - 1.0);
            let range_m = lo + (hi - lo) * k as f64 / 11.0;
            let (launch, azimuth, aim) = draws.shot(70.0, range_m);
            let f = fly(
                &v,
                &EarthModel::FULL,
                &launch,
                &[],
                &aim,
                TrajectoryShape::MinEnergy,
            )
            .unwrap_or_else(|e| {
                panic!(
                    "{} at {:.0} km, azimuth {azimuth:.0}: {e}",
                    entry.id,
                    range_m / 1e3
                )
            });
            assert!(f.miss_m < 50.0, "{}: miss {} m", entry.id, f.miss_m);
        }
    }
}

/// A Qiam-like missile burning for any time of 80 to 110 s reaches 600 km.
#[test]
fn a_qiam_like_missile_flies_with_any_burn_time_of_80_to_110_s() {
    let entry = catalog().get("qiam-1").unwrap();
    for burn_s in (80..=110).step_by(3) {
        let v = vehicle(&entry.resolved(), |u| u.nominal).unwrap();
        let Vehicle::Boosted(mut m) = v else {
            panic!("qiam-1 is not rocket-powered")
        };
        m.burn_time_s = burn_s as f64;
        let f = fly_to(&Vehicle::Boosted(m), 600e3).unwrap_or_else(|e| panic!("{burn_s} s: {e}"));
        assert!(f.miss_m < 50.0, "{burn_s} s: miss {} m", f.miss_m);
    }
}
