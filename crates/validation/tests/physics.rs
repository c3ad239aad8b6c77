//! `skyshield-physics` against the independent references in `tests/data/refdata`
//! ([`skyshield_validation::physics`]): every check within its tolerance, over every row the
//! reference README announces. Worst errors are printed; run with `-- --nocapture` to see them,
//! or read them in `docs/validation.md`.

use skyshield_validation::physics::{self, Check};

/// Asserts every check, after printing it.
fn assert_all(checks: &[Check]) {
    for c in checks {
        println!(
            "{} / {}: worst {:.2e} {} at {} (tolerance {:.2e})",
            c.reference, c.quantity, c.worst, c.unit, c.at, c.tolerance
        );
    }
    for c in checks {
        assert!(
            c.passes(),
            "{} / {}: {:.3e} {} at {}, tolerance {:.3e}",
            c.reference,
            c.quantity,
            c.worst,
            c.unit,
            c.at,
            c.tolerance
        );
    }
}

fn rows_of(checks: &[Check], band: &str) -> Vec<usize> {
    checks
        .iter()
        .filter(|c| c.quantity.ends_with(band))
        .map(|c| c.rows)
        .collect()
}

#[test]
fn atmosphere_rows_to_86_km_match_the_equations_to_1e_4_and_above_table_i_to_1e_3() {
    let checks = physics::atmosphere().unwrap();
    assert_eq!(checks.len(), 7);
    // 93 rows (the README's count): 87 from the defining equations to 86 km, 6 from Table I.
    assert_eq!(rows_of(&checks, "0-86 km"), [87; 4]);
    assert_eq!(rows_of(&checks, "86-1000 km"), [6; 3]);
    assert!(checks[..4].iter().all(|c| c.tolerance == 1e-4));
    assert!(checks[4..].iter().all(|c| c.tolerance == 1e-3));
    assert_all(&checks);
}

#[test]
fn wgs84_points_forward_within_1_mm_of_pyproj_and_round_trip_within_1e6_m() {
    let checks = physics::wgs84().unwrap();
    assert_eq!(checks.len(), 7);
    assert!(checks.iter().all(|c| c.rows == 20), "{checks:?}");
    assert_all(&checks);
}

#[test]
fn geodesic_distances_match_geographiclib() {
    let checks = physics::geodesics().unwrap();
    assert_eq!(checks.len(), 4);
    assert!(checks.iter().all(|c| c.rows == 14), "{checks:?}");
    assert_all(&checks);
}

#[test]
fn radar_horizon_matches_exact_tangent_lengths() {
    let checks = physics::radar_horizon().unwrap();
    assert_eq!(checks.len(), 2);
    assert!(checks.iter().all(|c| c.rows == 140), "{checks:?}");
    assert_all(&checks);
}

#[test]
fn sphere_vacuum_min_energy_matches_the_closed_form() {
    let checks = physics::ballistic_vacuum().unwrap();
    assert_eq!(checks.len(), 5);
    assert!(checks.iter().all(|c| c.rows == 6), "{checks:?}");
    assert_all(&checks);
}

#[test]
fn a_worse_error_than_the_tolerance_fails_and_nan_never_passes() {
    let mut c = physics::radar_horizon().unwrap().remove(0);
    c.worst = c.tolerance;
    assert!(!c.passes(), "a strict tolerance may not be reached");
    c.inclusive = true;
    assert!(c.passes());
    c.worst = f64::NAN;
    assert!(!c.passes());
}
