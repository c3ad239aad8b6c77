//! Ballistic flight: closed-form agreement on the airless sphere, and full-physics targeting.

use skyshield_physics::ballistic::{
    BoostedMissile, FlightError, Guidance, TrajectoryShape, Vehicle, solve,
};
use skyshield_physics::earth::Geodetic;
use skyshield_physics::earth_model::EarthModel;

fn refdata(name: &str) -> String {
    let path = format!(
        "{}/../../../shared/refdata/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Rows of a reference CSV as maps from column name to text.
fn csv_rows(text: &str) -> Vec<std::collections::HashMap<String, String>> {
    let mut lines = text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty());
    let header: Vec<String> = lines
        .next()
        .expect("header")
        .split(',')
        .map(str::to_string)
        .collect();
    lines
        .map(|l| {
            header
                .iter()
                .cloned()
                .zip(l.split(',').map(str::to_string))
                .collect()
        })
        .collect()
}

fn num(row: &std::collections::HashMap<String, String>, key: &str) -> f64 {
    row[key]
        .parse()
        .unwrap_or_else(|_| panic!("{key}: {}", row[key]))
}

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
    }
}

#[test]
fn sphere_vacuum_min_energy_matches_the_closed_form() {
    let rows = csv_rows(&refdata("ballistic_vacuum.csv"));
    assert_eq!(rows.len(), 6);
    let sphere = EarthModel::SPHERE_VACUUM;
    let launch = Geodetic::from_degrees(10.0, 20.0, 0.0).unwrap();
    for row in &rows {
        let range_m = num(row, "range_km") * 1e3;
        let aim = sphere.surface_direct(&launch, 60.0, range_m);
        let f = solve(
            &Vehicle::Impulsive,
            &sphere,
            &launch,
            &aim,
            TrajectoryShape::MinEnergy,
        )
        .unwrap();
        let (tof, apogee, v) = (
            num(row, "tof_s"),
            num(row, "apogee_alt_m"),
            num(row, "v_bo_m_s"),
        );
        assert!(
            (f.flight_time_s - tof).abs() < 0.05,
            "{range_m}: tof {} vs {tof}",
            f.flight_time_s
        );
        assert!(
            (f.apogee_m - apogee).abs() < 10.0,
            "{range_m}: apogee {} vs {apogee}",
            f.apogee_m
        );
        assert!(
            (f.burnout_speed_m_s - v).abs() < 0.01,
            "{range_m}: v {} vs {v}",
            f.burnout_speed_m_s
        );
        let gamma = num(row, "gamma_bo_deg");
        assert!(
            (f.burnout_angle_deg - gamma).abs() < 0.01,
            "{range_m}: gamma {} vs {gamma}",
            f.burnout_angle_deg
        );
        assert!(f.miss_m < 1.0, "{range_m}: miss {}", f.miss_m);
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
    let f = solve(
        &vehicle,
        &EarthModel::FULL,
        &iran_west(),
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
    let fly = |shape| solve(&vehicle, &earth, &iran_west(), &tel_aviv(), shape).unwrap();
    let me = fly(TrajectoryShape::MinEnergy);
    let lofted = fly(TrajectoryShape::Lofted { apogee_m: None });
    let depressed = fly(TrajectoryShape::Depressed {
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
    assert!(
        me.burnout_time_s <= lofted.burnout_time_s && me.burnout_time_s <= depressed.burnout_time_s
    );
}

#[test]
fn aim_beyond_the_maximum_range_is_refused() {
    let vehicle = Vehicle::Boosted(generic_mrbm());
    let far = Geodetic::from_degrees(35.0, 20.0, 0.0).unwrap();
    let err = solve(
        &vehicle,
        &EarthModel::FULL,
        &iran_west(),
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
