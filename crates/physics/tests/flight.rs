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

/// Flies `m` from western Iran `distance_m` along the 250° geodesic (over the full Earth
/// model) with `shape`: the flight or its refusal, and the aim's range, km.
fn fly_towards(
    m: &BoostedMissile,
    distance_m: f64,
    shape: TrajectoryShape,
) -> (Result<Flight, FlightError>, f64) {
    let earth = EarthModel::FULL;
    let aim = earth.surface_direct(&iran_west(), 250.0, distance_m);
    let range_km = earth.surface_path(&iran_west(), &aim).distance_m / 1e3;
    let vehicle = Vehicle::Boosted(m.clone());
    (
        fly(&vehicle, &earth, &iran_west(), &[], &aim, shape),
        range_km,
    )
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
    let depressed = go(TrajectoryShape::Depressed { apogee_m: None });
    assert!(
        (depressed.apogee_m / me.apogee_m - 0.6).abs() < 0.01,
        "{} vs {}",
        depressed.apogee_m,
        me.apogee_m
    );
}

#[test]
fn a_missile_that_terminates_its_thrust_flies_under_its_ceiling() {
    let mut m = generic_mrbm();
    m.min_range_m = 0.0;
    let (free, _) = fly_towards(&m, 150e3, TrajectoryShape::MinEnergy);
    // A ceiling under the minimum-energy apogee, and under the default depressed apogee (0.6
    // of it): even the flattest full burn overshoots this range, so the missile terminates
    // its thrust on the least-energy path under the ceiling, aiming 50 m below it, and its
    // default depressed path aims there too.
    let ceiling = 0.5 * free.unwrap().apogee_m;
    m.max_apogee_m = Some(ceiling);
    for shape in [
        TrajectoryShape::MinEnergy,
        TrajectoryShape::Depressed { apogee_m: None },
    ] {
        let f = fly_towards(&m, 150e3, shape).0.unwrap();
        assert!(f.miss_m < 5.0, "{shape:?}: miss {} m", f.miss_m);
        assert!(
            f.apogee_m < ceiling && f.apogee_m > ceiling - 200.0,
            "{shape:?}: apogee {} m under a ceiling of {ceiling} m",
            f.apogee_m
        );
        assert!(f.burnout.unwrap().time_s < 160.0);
    }
}

#[test]
fn aims_beyond_the_maximum_range_or_short_of_the_minimum_are_refused_with_their_ranges() {
    let mut m = generic_mrbm();
    let (refused, range_km) = fly_towards(&m, 2_600e3, TrajectoryShape::MinEnergy);
    let err = refused.unwrap_err();
    assert_eq!(
        err,
        FlightError::BeyondMaxRange {
            range_km,
            max_km: 2_000.0
        }
    );
    assert!(
        err.to_string()
            .contains("beyond the maximum range of 2000 km"),
        "{err}"
    );
    let (refused, range_km) = fly_towards(&m, 200e3, TrajectoryShape::MinEnergy);
    assert_eq!(
        refused.unwrap_err(),
        FlightError::BelowMinRange {
            range_km,
            min_km: 300.0
        }
    );
    // An aim exactly at either limit is flown.
    for distance_m in [400e3, 1_500e3] {
        // The limit set to the aim's distance to the last bit.
        let earth = EarthModel::FULL;
        let aim = earth.surface_direct(&iran_west(), 250.0, distance_m);
        let range_m = earth.surface_path(&iran_west(), &aim).distance_m;
        (m.min_range_m, m.max_range_m) = if distance_m < 1e6 {
            (range_m, 2_000e3)
        } else {
            (300e3, range_m)
        };
        let (flown, _) = fly_towards(&m, distance_m, TrajectoryShape::MinEnergy);
        assert!(flown.is_ok(), "{distance_m} m: {flown:?}");
    }
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
    let FlightError::RouteTooLong { length_km, max_km } = err else {
        panic!("{err}");
    };
    let length_m = EarthModel::FULL
        .surface_path(&iran_west(), &tel_aviv())
        .distance_m;
    assert_eq!((length_km, max_km), (length_m / 1e3, 500.0));
}

#[test]
fn a_route_as_long_as_the_range_is_flown_with_a_sample_each_second_and_at_impact() {
    let earth = EarthModel::FULL;
    let length_m = earth.surface_path(&iran_west(), &tel_aviv()).distance_m;
    let mut drone = shahed_like();
    drone.max_range_m = length_m;
    // At a speed that takes a whole number of seconds, and at one that does not.
    for seconds in [10_000.0, 10_000.5] {
        drone.speed_m_s = length_m / seconds;
        let f = fly(
            &Vehicle::AirBreathing(drone.clone()),
            &earth,
            &iran_west(),
            &[],
            &tel_aviv(),
            TrajectoryShape::MinEnergy,
        )
        .unwrap();
        assert_eq!(f.flight_time_s, seconds);
        let times: Vec<f64> = f.samples.iter().map(|s| s.t_s).collect();
        let mut expected: Vec<f64> = (0..=10_000).map(f64::from).collect();
        if seconds > 10_000.0 {
            expected.push(seconds);
        }
        assert_eq!(times, expected, "flown in {seconds} s");
    }
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

/// Standard gravity, m/s² (BIPM SI brochure).
const G0: f64 = 9.806_65;

#[test]
fn a_flight_onto_a_raised_aim_in_any_direction_reports_the_burnout_it_flew() {
    let m = generic_mrbm();
    let vehicle = Vehicle::Boosted(m.clone());
    let earth = EarthModel::FULL;
    for azimuth_deg in [20.0, 135.0, 200.0, 300.0] {
        let ground = earth.surface_direct(&iran_west(), azimuth_deg, 900e3);
        let aim = ground.with_height_m(1_200.0);
        let f = fly(
            &vehicle,
            &earth,
            &iran_west(),
            &[],
            &aim,
            TrajectoryShape::MinEnergy,
        )
        .unwrap_or_else(|e| panic!("towards {azimuth_deg}°: {e}"));
        let at = format!("towards {azimuth_deg}°");
        assert!(f.miss_m < 5.0, "{at}: miss {} m", f.miss_m);
        assert!(
            (f.impact.height_m() - 1_200.0).abs() < 1.0,
            "{at}: impact at {} m",
            f.impact.height_m()
        );
        let burnout = f.burnout.unwrap();
        // The flight-path angle and speed of the first whole-second samples of the coast, by
        // central differences of the height; gravity turns the path by some 0.2° a second.
        let k = f
            .samples
            .iter()
            .position(|s| s.t_s > burnout.time_s + 1.0)
            .unwrap();
        let (before, here, after) = (&f.samples[k - 1], &f.samples[k], &f.samples[k + 1]);
        let climb = (after.alt_m - before.alt_m) / (after.t_s - before.t_s);
        let angle_deg = (climb / here.speed_m_s).asin().to_degrees();
        assert!(
            (angle_deg - burnout.angle_deg).abs() < 1.0,
            "{at}: burnout at {} °, the coast climbs at {angle_deg} °",
            burnout.angle_deg
        );
        assert!(
            (here.speed_m_s / burnout.speed_m_s - 1.0).abs() < 0.01,
            "{at}: burnout at {} m/s, the coast at {} m/s",
            burnout.speed_m_s,
            here.speed_m_s
        );
        // No more speed than the rocket equation gives the propellant burnt (the launch site's
        // rotation adds a few m/s in the Earth-fixed frame), and no less than that after
        // gravity took at most g0 for every second of the burn.
        let burnt = m.propellant_mass_kg * burnout.time_s / m.burn_time_s;
        let ideal = m.isp_s * G0 * (m.launch_mass_kg / (m.launch_mass_kg - burnt)).ln();
        assert!(
            burnout.speed_m_s < ideal + 10.0 && burnout.speed_m_s > ideal - G0 * burnout.time_s,
            "{at}: burnout at {} m/s after {} s, the rocket equation gives {ideal} m/s",
            burnout.speed_m_s,
            burnout.time_s
        );
    }
}

#[test]
fn a_drone_climbs_and_dives_at_its_angles_and_on_a_short_route_peaks_where_they_meet() {
    let earth = EarthModel::FULL;
    let drone = shahed_like();
    let (climb, dive) = (5.0_f64.to_radians().tan(), 30.0_f64.to_radians().tan());
    let launch = iran_west().with_height_m(150.0);
    // A route long enough for the cruise height, and one too short for it (climbing from
    // 150 m to 1,000 m takes 9.7 km, diving from it onto an aim 300 m up 1.2 km).
    for length_m in [40e3, 8e3] {
        let aim = earth
            .surface_direct(&launch, 250.0, length_m)
            .with_height_m(300.0);
        let f = fly(
            &Vehicle::AirBreathing(drone.clone()),
            &earth,
            &launch,
            &[],
            &aim,
            TrajectoryShape::MinEnergy,
        )
        .unwrap();
        // The height is the lowest of the cruise height, the climb and the dive.
        let height = |s: f64| {
            1_000.0_f64
                .min(150.0 + s * climb)
                .min(300.0 + (length_m - s) * dive)
        };
        for p in &f.samples {
            let s = p.t_s * drone.speed_m_s;
            assert!(
                (p.alt_m - height(s)).abs() < 1e-6,
                "{length_m} m route, at {s} m: {} m, not {} m",
                p.alt_m,
                height(s)
            );
        }
        let meet = 150.0 + (150.0 + length_m * dive) / (climb + dive) * climb;
        let peak = meet.min(1_000.0);
        assert!((f.apogee_m - peak).abs() < 1e-6, "peak {} m", f.apogee_m);
    }
}

/// The reach of a flight refused as out of reach, checked against the aim's range, km.
fn reach_of(refused: Result<Flight, FlightError>, range: f64) -> f64 {
    let Err(FlightError::OutOfReach { range_km, reach_km }) = refused else {
        panic!("{refused:?}");
    };
    assert_eq!(range_km, range);
    assert!(reach_km < range, "reach {reach_km} km");
    reach_km
}

/// The shortest flight of a shape refused as too close, checked against the aim's range and
/// the shape's name, km.
fn shortest_of(refused: Result<Flight, FlightError>, range: f64, name: &str) -> f64 {
    let Err(
        err @ FlightError::TooClose {
            range_km,
            shortest_km,
            ..
        },
    ) = &refused
    else {
        panic!("{refused:?}");
    };
    assert!(
        err.to_string().contains(&format!("shortest {name} flight")),
        "{err}"
    );
    assert_eq!(*range_km, range);
    assert!(*shortest_km > range, "{name}: shortest {shortest_km} km");
    *shortest_km
}

#[test]
fn a_flight_the_model_cannot_fly_is_refused_with_the_limit_it_meets() {
    let mut m = generic_mrbm();
    (m.min_range_m, m.max_range_m) = (0.0, 10_000e3);
    let min_energy = TrajectoryShape::MinEnergy;
    // Beyond the longest flight of a full burn, which reaches a little short of the aim.
    let (refused, range) = fly_towards(&m, 6_000e3, min_energy);
    let reach_km = reach_of(refused, range);
    assert!(reach_km > 1_500.0, "reach {reach_km} km");
    let (flown, _) = fly_towards(&m, (reach_km - 20.0) * 1e3, min_energy);
    assert!(flown.is_ok(), "{flown:?}");
    // Closer than the flight of the shortest burn, which is shorter than one of 3 km.
    let (flown, _) = fly_towards(&m, 3e3, min_energy);
    assert!(flown.is_ok(), "{flown:?}");
    let (refused, range) = fly_towards(&m, 200.0, min_energy);
    let shortest_km = shortest_of(refused, range, "minimum-energy");
    assert!(shortest_km < 3.0, "shortest {shortest_km} km");
    // Apogees out of reach at 1,000 km, below the lowest and above the highest.
    for (apogee, lowest) in [(20e3, true), (5_000e3, false)] {
        let shape = if lowest {
            TrajectoryShape::Depressed {
                apogee_m: Some(apogee),
            }
        } else {
            TrajectoryShape::Lofted {
                apogee_m: Some(apogee),
            }
        };
        let (refused, range) = fly_towards(&m, 1_000e3, shape);
        let Err(
            err @ FlightError::ApogeeOutOfReach {
                range_km,
                apogee_km,
                limit_km,
                lowest: is_lowest,
                ..
            },
        ) = &refused
        else {
            panic!("{refused:?}");
        };
        let name = if lowest { "depressed" } else { "lofted" };
        assert!(
            err.to_string()
                .starts_with(&format!("no {name} trajectory")),
            "{err}"
        );
        let (apogee_km, limit_km) = (*apogee_km, *limit_km);
        assert_eq!(
            (*range_km, apogee_km, *is_lowest),
            (range, apogee / 1e3, lowest)
        );
        assert!(
            (limit_km > apogee_km) == lowest,
            "apogee {apogee_km} km, limit {limit_km} km"
        );
        // An apogee a little inside the limit is flown.
        let inside = Some(limit_km * if lowest { 1_020.0 } else { 980.0 });
        let shape = if lowest {
            TrajectoryShape::Depressed { apogee_m: inside }
        } else {
            TrajectoryShape::Lofted { apogee_m: inside }
        };
        let (flown, _) = fly_towards(&m, 1_000e3, shape);
        assert!(flown.is_ok(), "limit {limit_km} km: {flown:?}");
    }
    // Above the apogee ceiling.
    m.max_apogee_m = Some(300e3);
    let lofted = TrajectoryShape::Lofted {
        apogee_m: Some(400e3),
    };
    let (refused, range) = fly_towards(&m, 1_000e3, lofted);
    let Err(FlightError::AboveCeiling {
        range_km,
        apogee_km,
        ceiling_km,
        ..
    }) = refused
    else {
        panic!("{refused:?}");
    };
    assert_eq!((range_km, apogee_km, ceiling_km), (range, 400.0, 300.0));
    // At the ceiling is not above it.
    let at_ceiling = TrajectoryShape::Lofted {
        apogee_m: Some(300e3),
    };
    let (flown, _) = fly_towards(&m, 1_000e3, at_ceiling);
    let apogee_m = flown.unwrap().apogee_m;
    assert!((apogee_m - 300e3).abs() < 100.0, "apogee {apogee_m} m");
}

#[test]
fn a_rocket_is_refused_beyond_its_reach_and_on_its_high_path_closer_than_its_steepest_flight() {
    // The Grad 122 mm rocket of the catalog (`catalog/threats.yaml`, `grad`, nominal figures),
    // with no range limits of its own: only its flight refuses an aim.
    let rocket = BoostedMissile {
        launch_mass_kg: 66.6,
        propellant_mass_kg: 20.45,
        burn_time_s: 1.8,
        isp_s: 215.0,
        diameter_m: 0.122,
        separating: false,
        rv_mass_kg: 46.2,
        rv_diameter_m: 0.122,
        guidance: Guidance::Unguided,
        min_range_m: 0.0,
        max_range_m: 1_000e3,
        max_apogee_m: None,
        pull_up_m_s2: 0.0,
    };
    let (refused, range) = fly_towards(&rocket, 60e3, TrajectoryShape::MinEnergy);
    let reach_km = reach_of(refused, range);
    assert!(reach_km > 15.0, "reach {reach_km} km");
    let (flown, _) = fly_towards(&rocket, (reach_km - 0.5) * 1e3, TrajectoryShape::MinEnergy);
    assert!(flown.is_ok(), "{flown:?}");
    // The high path ends at its steepest flight.
    let lofted = TrajectoryShape::Lofted { apogee_m: None };
    let (refused, range) = fly_towards(&rocket, 10.0, lofted);
    let shortest_km = shortest_of(refused, range, "lofted");
    let (flown, _) = fly_towards(&rocket, (shortest_km + 0.5) * 1e3, lofted);
    assert!(flown.is_ok(), "{shortest_km} km: {flown:?}");
}
