//! The US Standard Atmosphere 1976 against values printed in the standard's Table I, and its
//! continuity and range. The comparison with the reference table
//! `tests/data/refdata/us_standard_atmosphere_1976.csv` is in `crates/validation/tests/physics.rs`.

use skyshield_physics::atmosphere::{AtmosphereState, MAX_ALTITUDE_M, MIN_ALTITUDE_M, us1976};

fn rel(value: f64, reference: f64) -> f64 {
    ((value - reference) / reference).abs()
}

/// Table I of the standard from 300 to 1 000 km: (altitude m, T K, P Pa, rho kg/m3).
const TABLE_I_300_TO_1000_KM: [(f64, f64, f64, f64); 8] = [
    (300_000.0, 976.01, 8.7704e-6, 1.916e-11),
    (400_000.0, 995.83, 1.4518e-6, 2.803e-12),
    (500_000.0, 999.24, 3.0236e-7, 5.215e-13),
    (600_000.0, 999.85, 8.2130e-8, 1.137e-13),
    (700_000.0, 999.97, 3.1908e-8, 3.070e-14),
    (800_000.0, 999.99, 1.7036e-8, 1.136e-14),
    (900_000.0, 1000.00, 1.0873e-8, 5.759e-15),
    (1_000_000.0, 1000.00, 7.5138e-9, 3.561e-15),
];

/// The upper nodes carry Table I's printed pressure and density; the temperature from the
/// standard's T(Z) reproduces Table I's printed temperature (two decimals).
#[test]
fn nodes_from_300_to_1000_km_are_table_i() {
    for (z_m, t_k, p_pa, rho) in TABLE_I_300_TO_1000_KM {
        let s = us1976(z_m);
        assert!((s.temperature_k - t_k).abs() < 0.005, "T at {z_m} m");
        assert!(rel(s.pressure_pa, p_pa) < 1e-12, "P at {z_m} m");
        assert!(rel(s.density_kg_m3, rho) < 1e-12, "rho at {z_m} m");
    }
}

/// Between nodes the log-linear interpolation departs from Table I by no more than the module
/// docs state.
/// Table I values (altitude m, P Pa, M kg/kmol) at altitudes between nodes; the Table I density
/// there is P·M/(R*·T).
#[test]
fn between_nodes_the_error_stays_within_the_documented_bounds() {
    const R_STAR: f64 = 8.314_32;
    let table_i: [(f64, f64, f64); 8] = [
        (95_000.0, 7.5966e-2, 28.73),
        (105_000.0, 1.4477e-2, 27.88),
        (115_000.0, 4.0096e-3, 26.68),
        (135_000.0, 9.3568e-4, 25.09),
        (170_000.0, 2.1210e-4, 22.90),
        (240_000.0, 3.1059e-5, 19.56),
        (350_000.0, 3.4498e-6, 16.74),
        (650_000.0, 4.8865e-8, 9.72),
    ];
    // Documented bounds (pressure, density) per altitude band.
    let bound = |z_m: f64| match z_m {
        z if z < 100_000.0 => (0.01, 0.01),
        z if z < 120_000.0 => (0.06, 0.09),
        z if z < 150_000.0 => (0.15, 0.25),
        z if z < 300_000.0 => (0.11, 0.16),
        _ => (0.05, 0.05),
    };
    for (z_m, p_pa, m_kg_kmol) in table_i {
        let s = us1976(z_m);
        let rho = p_pa * m_kg_kmol * 1e-3 / (R_STAR * s.temperature_k);
        let (p_bound, rho_bound) = bound(z_m);
        let p_err = s.pressure_pa / p_pa - 1.0;
        let rho_err = s.density_kg_m3 / rho - 1.0;
        println!("{z_m} m: pressure {p_err:+.3}, density {rho_err:+.3} relative to Table I");
        assert!(p_err.abs() <= p_bound, "P at {z_m} m: {p_err}");
        assert!(rho_err.abs() <= rho_bound, "rho at {z_m} m: {rho_err}");
    }
}

fn assert_continuous(z_m: f64, tolerance: f64, what: &str) {
    let below = us1976(z_m - 1e-3);
    let above = us1976(z_m + 1e-3);
    let pairs = [
        ("temperature", below.temperature_k, above.temperature_k),
        ("pressure", below.pressure_pa, above.pressure_pa),
        ("density", below.density_kg_m3, above.density_kg_m3),
        (
            "speed of sound",
            below.speed_of_sound_m_s,
            above.speed_of_sound_m_s,
        ),
    ];
    for (name, b, a) in pairs {
        assert!(
            rel(a, b) < tolerance,
            "{name} jumps by {:.2e} at {what} ({z_m} m): {b} below, {a} above",
            rel(a, b)
        );
    }
}

#[test]
fn layer_boundaries_and_86_km_are_continuous_to_1e_6() {
    const R0_M: f64 = 6_356_766.0;
    // Table 4 layer bases, geopotential km', converted to geometric altitude.
    for h_km in [11.0, 20.0, 32.0, 47.0, 51.0, 71.0] {
        let h_m = h_km * 1e3;
        let z_m = R0_M * h_m / (R0_M - h_m);
        assert_continuous(z_m, 1e-6, &format!("the layer base H = {h_km} km'"));
    }
    assert_continuous(80_000.0, 1e-6, "the start of Table 8");
    assert_continuous(86_000.0, 1e-6, "86 km");
    for z_m in [
        90_000.0, 100_000.0, 150_000.0, 200_000.0, 300_000.0, 500_000.0, 900_000.0,
    ] {
        assert_continuous(z_m, 1e-6, "an interpolation node");
    }
}

/// At 91 and 120 km the standard's T(Z) segments join to 1e-6. At 110 km the constants of the
/// elliptical segment, printed to seven figures in the standard, end at 239.99973 K against the
/// 240 K that starts the linear segment: a step of 1.1e-6 that belongs to the standard.
#[test]
fn upper_temperature_segments_join() {
    assert_continuous(91_000.0, 1e-6, "the start of the elliptical segment");
    assert_continuous(120_000.0, 1e-6, "the start of the exponential segment");
    assert_continuous(110_000.0, 1.5e-6, "the start of the linear segment");
}

#[test]
fn profile_to_1000_km_is_physical_and_density_strictly_decreasing() {
    let mut previous: Option<AtmosphereState> = None;
    for k in 0..=10_000 {
        let z_m = 100.0 * f64::from(k);
        let s = us1976(z_m);
        assert!(
            s.temperature_k > 0.0 && s.temperature_k.is_finite(),
            "{z_m} m"
        );
        assert!(s.pressure_pa > 0.0 && s.pressure_pa.is_finite(), "{z_m} m");
        assert!(
            s.density_kg_m3 > 0.0 && s.density_kg_m3.is_finite(),
            "{z_m} m"
        );
        assert!(s.speed_of_sound_m_s > 0.0 && s.speed_of_sound_m_s.is_finite());
        if let Some(p) = previous {
            assert!(
                s.density_kg_m3 < p.density_kg_m3,
                "density rises at {z_m} m"
            );
            assert!(s.pressure_pa < p.pressure_pa, "pressure rises at {z_m} m");
        }
        previous = Some(s);
    }
}

#[test]
fn dead_sea_is_defined_and_denser_than_sea_level() {
    let dead_sea = us1976(-500.0);
    let sea_level = us1976(0.0);
    assert!(dead_sea.density_kg_m3.is_finite());
    assert!(dead_sea.density_kg_m3 > sea_level.density_kg_m3);
    assert!(dead_sea.pressure_pa > sea_level.pressure_pa);
    // The troposphere's lapse rate continued downwards: 288.15 K + 6.5 K/km · 0.5 km'.
    let h_m = 6_356_766.0 * -500.0 / (6_356_766.0 - 500.0);
    assert!((dead_sea.temperature_k - (288.15 - 6.5e-3 * h_m)).abs() < 1e-9);
}

#[test]
fn sea_level_is_the_standard_sea_level() {
    let s = us1976(0.0);
    assert_eq!(s.temperature_k, 288.15);
    assert_eq!(s.pressure_pa, 101_325.0);
    assert!(rel(s.density_kg_m3, 1.2250) < 1e-5);
    assert!(rel(s.speed_of_sound_m_s, 340.294) < 1e-5);
}

#[test]
fn below_5_km_under_sea_level_is_clamped() {
    assert_eq!(MIN_ALTITUDE_M, -5_000.0);
    let floor = us1976(MIN_ALTITUDE_M);
    assert!(floor.density_kg_m3.is_finite() && floor.density_kg_m3 > 1.225);
    assert_eq!(us1976(-6_000.0), floor);
    assert_eq!(us1976(-1e9), floor);
    assert_eq!(us1976(f64::NEG_INFINITY), floor);
}

#[test]
fn above_1000_km_is_vacuum() {
    assert_eq!(MAX_ALTITUDE_M, 1_000_000.0);
    let top = us1976(MAX_ALTITUDE_M);
    assert!(top.density_kg_m3 > 0.0);
    for z_m in [MAX_ALTITUDE_M + 1.0, 1.5e6, 4.0e7, f64::INFINITY] {
        let s = us1976(z_m);
        assert_eq!(s.pressure_pa, 0.0);
        assert_eq!(s.density_kg_m3, 0.0);
        assert!((s.temperature_k - 1_000.0).abs() < 1e-3, "T at {z_m} m");
        assert!(rel(s.speed_of_sound_m_s, top.speed_of_sound_m_s) < 1e-6);
    }
}

#[test]
fn nan_altitude_gives_nan_state() {
    let s = us1976(f64::NAN);
    assert!(s.temperature_k.is_nan());
    assert!(s.pressure_pa.is_nan());
    assert!(s.density_kg_m3.is_nan());
    assert!(s.speed_of_sound_m_s.is_nan());
}
