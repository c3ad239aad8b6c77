//! Each term of the equations of motion against a computation of its own: J2 gravity as the
//! gradient of the J2 potential, the rotating-frame terms by their formula and by Kepler's law
//! that a free body's inertial path stays in one plane through the Earth's centre, drag as the
//! loss of mechanical energy with the documented Mach-dependent drag coefficient of the body
//! that flies (the separated reentry vehicle or the whole missile), the pull-up glide of a
//! quasi-ballistic missile and its dive, the rail exit of a rocket and the vertical rise of a guided missile.

use skyshield_physics::aerodynamics::{BODY_DRAG, RV_DRAG};
use skyshield_physics::atmosphere::us1976;
use skyshield_physics::ballistic::{BoostedMissile, Guidance};
use skyshield_physics::earth::Geodetic;
use skyshield_physics::earth_model::{EarthModel, Shape};
use skyshield_physics::flight::{Flight, FlightError, TrajectoryShape, Vehicle, fly};
use skyshield_physics::frame::{Ecef, Vector};
use skyshield_physics::units::STANDARD_GRAVITY_M_S2;

/// GM of WGS84, m³/s² (NIMA TR8350.2, Table 3.1).
const GM: f64 = 3.986_004_418e14;
/// Equatorial radius of WGS84, m (NIMA TR8350.2, Table 3.1).
const A: f64 = 6_378_137.0;
/// J2 of EGM96: −√5 times the normalised C20 of −0.484165371736e-3 (Lemoine et al. 1998).
const J2: f64 = 1.082_626_683_55e-3;
/// Rotation rate of WGS84, rad/s (NIMA TR8350.2, Table 3.1).
const OMEGA: f64 = 7.292_115e-5;
/// Radius of the sphere of the spherical Earth model, m (the IUGG mean radius, rounded).
const SPHERE_R: f64 = 6_371_000.0;
/// Standard gravity, m/s² (BIPM SI brochure).
const G0: f64 = 9.806_65;

fn v(x: f64, y: f64, z: f64) -> Vector<Ecef> {
    Vector::new(x, y, z)
}

/// The point-mass plus J2 potential, m²/s² (e.g. Vallado 2013, eq. 8-27).
fn potential(r: Vector<Ecef>) -> f64 {
    let rn = r.norm();
    let sin_lat = r.z / rn;
    -GM / rn * (1.0 - J2 * (A / rn).powi(2) * (3.0 * sin_lat * sin_lat - 1.0) / 2.0)
}

#[test]
fn j2_gravity_is_the_gradient_of_the_j2_potential() {
    let earth = EarthModel {
        shape: Shape::Wgs84,
        rotation: false,
        j2: true,
        atmosphere: false,
    };
    // Central differences of the potential with a 10 m step: the truncation error is about
    // h²·GM/r⁴ ~ 2.4e-11 m/s², the rounding error ε·|U|/h ~ 1.1e-16 · 6.3e7 / 10 ~ 7e-10 m/s²
    // per component: 3e-9 m/s² bounds both.
    let h = 10.0;
    for r in [
        v(A, 0.0, 0.0),
        v(0.0, 0.0, 6_356_752.0),
        v(3.0e6, 4.0e6, 3.5e6),
        v(-2.0e6, 5.5e6, -4.0e6),
        v(4.0e6, -4.0e6, 5.0e6),
    ] {
        let grad = v(
            (potential(r + v(h, 0.0, 0.0)) - potential(r - v(h, 0.0, 0.0))) / (2.0 * h),
            (potential(r + v(0.0, h, 0.0)) - potential(r - v(0.0, h, 0.0))) / (2.0 * h),
            (potential(r + v(0.0, 0.0, h)) - potential(r - v(0.0, 0.0, h))) / (2.0 * h),
        );
        let g = earth.gravity(r);
        assert!(
            (g + grad).norm() < 3e-9,
            "at {r:?}: gravity {g:?}, −∇U {:?}",
            grad * -1.0
        );
        // The J2 part itself is resolved: it is about 1e-3 of the whole.
        let point = r * (-GM / r.norm().powi(3));
        assert!((g - point).norm() > 1e-4 * g.norm(), "no J2 term at {r:?}");
    }
}

#[test]
fn the_rotating_frame_adds_the_coriolis_and_centrifugal_accelerations() {
    let rotating = EarthModel {
        shape: Shape::Sphere,
        rotation: true,
        j2: false,
        atmosphere: false,
    };
    let still = EarthModel {
        rotation: false,
        ..rotating
    };
    let omega = v(0.0, 0.0, OMEGA);
    for (r, vel) in [
        (v(SPHERE_R, 0.0, 0.0), v(0.0, 3_000.0, 0.0)),
        (v(3.0e6, 4.0e6, 3.5e6), v(-1_000.0, 2_000.0, 500.0)),
        (v(0.0, -5.0e6, 4.5e6), v(2_500.0, 0.0, -2_000.0)),
    ] {
        let expected =
            still.acceleration(r, vel) - omega.cross(vel) * 2.0 - omega.cross(omega.cross(r));
        let got = rotating.acceleration(r, vel);
        assert!(
            (got - expected).norm() < 1e-12,
            "at {r:?}, {vel:?}: {got:?}, expected {expected:?}"
        );
        // Coriolis alone is 2ωv, about 0.1 to 0.4 m/s² here.
        assert!((got - still.acceleration(r, vel)).norm() > 0.1);
    }
}

/// A single-stage missile of about 1,000 km range, with a separating reentry vehicle when
/// `separating`.
fn mrbm(separating: bool, pull_up_g: f64, max_apogee_m: Option<f64>) -> BoostedMissile {
    BoostedMissile {
        launch_mass_kg: 17_000.0,
        propellant_mass_kg: 13_000.0,
        burn_time_s: 100.0,
        isp_s: 250.0,
        diameter_m: 1.25,
        separating,
        rv_mass_kg: 1_200.0,
        rv_diameter_m: 0.8,
        guidance: Guidance::PitchProgram,
        min_range_m: 100e3,
        max_range_m: 2_000e3,
        max_apogee_m,
        pull_up_m_s2: pull_up_g * STANDARD_GRAVITY_M_S2,
    }
}

/// Air over a sphere that does not rotate: drag with no rotating-frame terms.
fn still_air() -> EarthModel {
    EarthModel {
        shape: Shape::Sphere,
        rotation: false,
        j2: false,
        atmosphere: true,
    }
}

fn launch() -> Geodetic {
    Geodetic::from_degrees(30.0, 45.0, 0.0).unwrap()
}

fn flight(vehicle: &Vehicle, earth: &EarthModel, range_m: f64) -> Flight {
    let aim = earth.surface_direct(&launch(), 270.0, range_m);
    fly(
        vehicle,
        earth,
        &launch(),
        &[],
        &aim,
        TrajectoryShape::MinEnergy,
    )
    .unwrap_or_else(|e| panic!("no trajectory: {e}"))
}

/// Position of a sample of a flight over the sphere, Earth-fixed, m.
fn sphere_position(lat_deg: f64, lon_deg: f64, alt_m: f64) -> Vector<Ecef> {
    let r = SPHERE_R + alt_m;
    let (sl, cl) = lat_deg.to_radians().sin_cos();
    let (so, co) = lon_deg.to_radians().sin_cos();
    v(r * cl * co, r * cl * so, r * sl)
}

#[test]
fn a_free_body_on_the_rotating_earth_moves_in_a_fixed_inertial_plane() {
    // Over a rotating sphere with point-mass gravity and no air, the coast after burnout seen
    // from inertial space is a Kepler orbit: every position lies in the plane through the
    // centre that holds the first two. Earth-fixed positions turn back to inertial ones by the
    // Earth's rotation angle ωt.
    let earth = EarthModel {
        shape: Shape::Sphere,
        rotation: true,
        j2: false,
        atmosphere: false,
    };
    let f = flight(&Vehicle::Impulsive, &earth, 1_500e3);
    let inertial: Vec<Vector<Ecef>> = f
        .samples
        .iter()
        .map(|s| sphere_position(s.lat_deg, s.lon_deg + (OMEGA * s.t_s).to_degrees(), s.alt_m))
        .collect();
    let k = inertial.len() / 2;
    let normal = inertial[1].cross(inertial[k]).unit();
    let mut worst: f64 = 0.0;
    for (i, p) in inertial.iter().enumerate() {
        let off = normal.dot(*p).abs();
        worst = worst.max(off);
        // The integrator keeps positions to well under a metre over the flight.
        assert!(off < 1.0, "sample {i}: {off} m off the orbital plane");
    }
    // The Earth-fixed path is not planar: without the rotating-frame terms it would be.
    let fixed: Vec<Vector<Ecef>> = f
        .samples
        .iter()
        .map(|s| sphere_position(s.lat_deg, s.lon_deg, s.alt_m))
        .collect();
    let n = fixed[1].cross(fixed[k]).unit();
    let bend = fixed.iter().map(|p| n.dot(*p).abs()).fold(0.0, f64::max);
    assert!(
        bend > 1_000.0,
        "the Earth-fixed path bends only {bend} m out of its plane (inertial: {worst} m)"
    );
}

/// Specific mechanical energy of a sample over the non-rotating sphere, J/kg.
fn energy(alt_m: f64, speed_m_s: f64) -> f64 {
    0.5 * speed_m_s * speed_m_s - GM / (SPHERE_R + alt_m)
}

/// Linear interpolation in a drag table, clamped at its ends.
fn drag_coefficient(table: &[(f64, f64)], mach: f64) -> f64 {
    let i = table.partition_point(|p| p.0 <= mach);
    if i == 0 {
        return table[0].1;
    }
    if i == table.len() {
        return table[table.len() - 1].1;
    }
    let ((x0, y0), (x1, y1)) = (table[i - 1], table[i]);
    y0 + (y1 - y0) * (mach - x0) / (x1 - x0)
}

#[test]
fn the_coast_keeps_its_energy_in_vacuum_and_loses_it_to_drag_in_air() {
    let still_air = still_air();
    let vehicle = Vehicle::Boosted(mrbm(true, 0.0, None));
    let vacuum = flight(&vehicle, &EarthModel::SPHERE_VACUUM, 600e3);
    let burnout_s = vacuum.burnout.unwrap().time_s;
    let coast: Vec<f64> = vacuum
        .samples
        .iter()
        .filter(|s| s.t_s > burnout_s + 1.0)
        .map(|s| energy(s.alt_m, s.speed_m_s))
        .collect();
    let e0 = coast[0];
    for e in &coast {
        assert!(
            (e - e0).abs() < 1e-6 * e0.abs(),
            "vacuum coast: energy {e} J/kg, at first {e0} J/kg"
        );
    }
    let air = flight(&vehicle, &still_air, 600e3);
    let burnout_s = air.burnout.unwrap().time_s;
    let coast: Vec<_> = air
        .samples
        .iter()
        .filter(|s| s.t_s > burnout_s + 1.0)
        .collect();
    let first = energy(coast[0].alt_m, coast[0].speed_m_s);
    let last = coast.last().unwrap();
    let lost = first - energy(last.alt_m, last.speed_m_s);
    // A reentry from about 3 km/s to under 1.5 km/s at the ground loses millions of J/kg.
    assert!(lost > 1e6, "the coast in air lost {lost} J/kg");
}

/// The drag coefficient of the coasting body at each second of its descent through dense air,
/// from the loss of energy: dE/dt = −½ρv³·A·Cd/m. Returns (Mach, inferred Cd, its bound of
/// error) per sample.
fn inferred_drag(f: &Flight, mass_kg: f64, diameter_m: f64) -> Vec<(f64, f64, f64)> {
    let s = &f.samples;
    let area = std::f64::consts::PI * 0.25 * diameter_m * diameter_m;
    let burnout = f.burnout.unwrap().time_s;
    let e: Vec<f64> = s.iter().map(|p| energy(p.alt_m, p.speed_m_s)).collect();
    let mut out = Vec::new();
    // Whole-second samples only (the last is at impact), two on each side for the differences.
    for i in 2..s.len().saturating_sub(3) {
        if s[i - 2].t_s < burnout + 1.0 || s[i].alt_m > 40e3 || s[i].alt_m < 2e3 {
            continue;
        }
        // Central difference of E, whose error is E'''/6 (1 s steps); E''' from the centred
        // third difference over five samples.
        let de = (e[i + 1] - e[i - 1]) / 2.0;
        let d3 = (e[i + 2] - 2.0 * e[i + 1] + 2.0 * e[i - 1] - e[i - 2]) / 2.0;
        let air = us1976(s[i].alt_m);
        let per_cd = 0.5 * air.density_kg_m3 * s[i].speed_m_s.powi(3) * area / mass_kg;
        out.push((
            s[i].speed_m_s / air.speed_of_sound_m_s,
            -de / per_cd,
            (d3.abs() / 6.0) / per_cd,
        ));
    }
    out
}

/// Checks that the body descending in `f` has the mass, diameter and Mach-dependent drag
/// coefficient `table`: the coefficient inferred from the loss of energy against the table's.
fn check_descent(f: &Flight, mass_kg: f64, diameter_m: f64, table: &[(f64, f64)]) {
    let points = inferred_drag(f, mass_kg, diameter_m);
    assert!(points.len() > 10, "{} samples in dense air", points.len());
    let (mut lowest, mut highest, mut widest) = (f64::MAX, f64::MIN, 0.0_f64);
    for &(mach, cd, bound) in &points {
        let expected = drag_coefficient(table, mach);
        // The bound of the difference scheme, and 1 % for the finite-difference error of the
        // bound itself and the interpolation of the table between samples.
        let tol = 2.0 * bound + 0.01 * expected;
        assert!(
            (cd - expected).abs() <= tol,
            "Mach {mach:.2}: drag coefficient {cd:.4} from the energy loss, the body's table \
             gives {expected:.4} (± {tol:.4})"
        );
        lowest = lowest.min(expected);
        highest = highest.max(expected);
        widest = widest.max(tol);
    }
    // The descent spans Mach numbers over which the table's coefficient changes by more than
    // twice the widest tolerance: a coefficient that did not follow the Mach number would fail.
    assert!(
        highest - lowest > 2.0 * widest,
        "coefficients {lowest:.4} to {highest:.4}, tolerance {widest:.4}: {points:?}"
    );
}

#[test]
fn a_separated_reentry_vehicle_descends_with_its_own_mass_area_and_mach_dependent_drag() {
    let m = mrbm(true, 0.0, None);
    let f = flight(&Vehicle::Boosted(m.clone()), &still_air(), 600e3);
    check_descent(&f, m.rv_mass_kg, m.rv_diameter_m, RV_DRAG);
}

#[test]
fn a_body_that_does_not_separate_descends_with_the_mass_left_at_cut_off() {
    let m = mrbm(false, 0.0, None);
    let f = flight(&Vehicle::Boosted(m.clone()), &still_air(), 400e3);
    let burnt = m.propellant_mass_kg * f.burnout.unwrap().time_s / m.burn_time_s;
    // Thrust terminated well before the motor burnt out: the body keeps a quarter more than
    // its dry mass, which the inferred drag tells apart.
    assert!(m.propellant_mass_kg - burnt > 1_000.0, "{burnt} kg burnt");
    check_descent(&f, m.launch_mass_kg - burnt, m.diameter_m, BODY_DRAG);
}

/// A single-stage solid missile of the Iskander-M's size (catalog nominal figures): 3.8 t,
/// 2.75 t of propellant burnt in 25 s at 250 s, a 0.92 m body that does not separate, with a
/// 50 km apogee ceiling and a manoeuvre capability of `pull_up_g`.
fn srbm(pull_up_g: f64) -> BoostedMissile {
    BoostedMissile {
        launch_mass_kg: 3_800.0,
        propellant_mass_kg: 2_750.0,
        burn_time_s: 25.0,
        isp_s: 250.0,
        diameter_m: 0.92,
        separating: false,
        rv_mass_kg: 1_050.0,
        rv_diameter_m: 0.92,
        guidance: Guidance::PitchProgram,
        min_range_m: 50e3,
        max_range_m: 500e3,
        max_apogee_m: Some(50e3),
        pull_up_m_s2: pull_up_g * STANDARD_GRAVITY_M_S2,
    }
}

/// Descent angle between two consecutive whole-second samples over the sphere, degrees below
/// the horizontal.
fn descent_deg(
    a: &skyshield_physics::flight::Sample,
    b: &skyshield_physics::flight::Sample,
) -> f64 {
    let ground = (sphere_position(a.lat_deg, a.lon_deg, 0.0)
        - sphere_position(b.lat_deg, b.lon_deg, 0.0))
    .norm();
    (a.alt_m - b.alt_m).atan2(ground).to_degrees()
}

#[test]
fn a_quasi_ballistic_missile_pulls_up_into_a_glide_and_dives_onto_its_aim_under_its_ceiling() {
    let still_air = still_air();
    let ceiling = 50e3;
    // Beyond the ballistic reach of the full burn under the ceiling: the missile that does not
    // manoeuvre cannot fly it; the one that does pulls up into a glide.
    let aim = still_air.surface_direct(&launch(), 270.0, 450e3);
    let faller = fly(
        &Vehicle::Boosted(srbm(0.0)),
        &still_air,
        &launch(),
        &[],
        &aim,
        TrajectoryShape::MinEnergy,
    );
    let Err(FlightError::OutOfReach { range_km, reach_km }) = faller else {
        panic!("{faller:?}");
    };
    // It falls short where the flattest path under the ceiling takes it.
    assert!(
        (range_km - 450.0).abs() < 1e-9 && reach_km > 300.0 && reach_km < 440.0,
        "aim at {range_km} km, reach {reach_km} km"
    );
    let glider = flight(&Vehicle::Boosted(srbm(20.0)), &still_air, 450e3);
    assert!(glider.miss_m < 5.0, "miss {} m", glider.miss_m);
    assert!(
        glider.apogee_m <= ceiling,
        "apogee {} m above the {ceiling} m ceiling",
        glider.apogee_m
    );
    // The motor burns to depletion.
    assert_eq!(glider.burnout.unwrap().time_s, 25.0);
    let s = &glider.samples;
    let whole: Vec<_> = s[..s.len() - 1].windows(2).collect();
    let apogee = s
        .iter()
        .enumerate()
        .max_by(|a, b| a.1.alt_m.total_cmp(&b.1.alt_m))
        .unwrap()
        .0;
    let after: Vec<f64> = whole[apogee..]
        .iter()
        .map(|w| descent_deg(&w[0], &w[1]))
        .collect();
    // A ballistic descent steepens all the way down; the pull-up flattens it into a glide of
    // the documented 2° (to within the settling of its hold), and the dive ends it steeply.
    let steepest_before = after.iter().take(40).fold(0.0_f64, |a, &b| a.max(b));
    let glide = after.iter().filter(|&&d| (d - 2.0).abs() < 0.5).count();
    assert!(
        steepest_before > 10.0 && glide > 20,
        "descent angles after apogee: {after:?}"
    );
    let last = after[after.len() - 3..]
        .iter()
        .fold(0.0_f64, |a, &b| a.max(b));
    assert!(last > 20.0, "final dive at {last:.1}°: {after:?}");
}

#[test]
fn a_rocket_leaves_its_rail_at_forty_metres_a_second_and_a_guided_missile_rises_vertically() {
    let rocket = BoostedMissile {
        launch_mass_kg: 900.0,
        propellant_mass_kg: 400.0,
        burn_time_s: 6.0,
        isp_s: 230.0,
        diameter_m: 0.33,
        separating: false,
        rv_mass_kg: 0.0,
        rv_diameter_m: 0.0,
        guidance: Guidance::Unguided,
        min_range_m: 10e3,
        max_range_m: 120e3,
        max_apogee_m: None,
        pull_up_m_s2: 0.0,
    };
    let f = flight(&Vehicle::Boosted(rocket), &EarthModel::SPHERE_VACUUM, 60e3);
    assert_eq!(f.samples[0].t_s, 0.0);
    assert!(
        (f.samples[0].speed_m_s - 40.0).abs() < 1e-9,
        "rail exit at {} m/s",
        f.samples[0].speed_m_s
    );
    // A gravity turn: thrust along the velocity, so the path only bends down during the burn.
    let angles: Vec<f64> = f.samples[..8]
        .windows(2)
        .map(|w| {
            let a = sphere_position(w[0].lat_deg, w[0].lon_deg, 0.0);
            let b = sphere_position(w[1].lat_deg, w[1].lon_deg, 0.0);
            (w[1].alt_m - w[0].alt_m).atan2((a - b).norm())
        })
        .collect();
    for w in angles.windows(2) {
        assert!(
            w[1] <= w[0] + 1e-9,
            "the path steepens during the burn: {angles:?}"
        );
    }

    // A guided missile starts at rest and rises straight up for min(6 s, 4 % of its burn).
    let m = mrbm(true, 0.0, None);
    let f = flight(&Vehicle::Boosted(m), &EarthModel::SPHERE_VACUUM, 600e3);
    assert_eq!(f.samples[0].speed_m_s, 0.0);
    let rise_s = 6.0f64.min(0.04 * 100.0);
    let start = sphere_position(f.samples[0].lat_deg, f.samples[0].lon_deg, 0.0);
    for s in f.samples.iter().filter(|s| s.t_s <= rise_s && s.t_s > 0.0) {
        let drift = (sphere_position(s.lat_deg, s.lon_deg, 0.0) - start).norm();
        assert!(drift < 1e-3, "{} s: {drift} m from the pad", s.t_s);
        assert!(s.alt_m > 0.0);
    }
    let after = f.samples.iter().find(|s| s.t_s >= rise_s + 3.0).unwrap();
    let drift = (sphere_position(after.lat_deg, after.lon_deg, 0.0) - start).norm();
    assert!(drift > 1.0, "no pitch-over after the rise: {drift} m");
    // Thrust: the speed at the end of the rise follows from the rocket equation less gravity
    // (no air): v = Isp·g0·ln(m0/m) − g·t, with g at the surface of the sphere.
    let s = f.samples.iter().find(|s| s.t_s == rise_s).unwrap();
    let burned = 13_000.0 / 100.0 * rise_s;
    let expected =
        250.0 * G0 * (17_000.0 / (17_000.0 - burned)).ln() - GM / SPHERE_R.powi(2) * rise_s;
    // Gravity falls by 2h/R over the rise's few hundred metres: under 1e-4 of it.
    assert!(
        (s.speed_m_s - expected).abs() < 1e-3 * expected,
        "speed after the rise {} m/s, expected {expected} m/s",
        s.speed_m_s
    );
}

/// The speed of a descent through a height, over the airless non-rotating sphere, is the one
/// that conserves mechanical energy from the impact: `v(h)² = v_i² + 2·GM·(1/(R+h) − 1/R)`. The
/// linear interpolation between 1 s samples errs by about the fall's curvature over a second
/// (g/8 of height, a few mm/s of speed).
#[test]
fn the_speed_descending_through_a_height_conserves_energy() {
    let f = flight(&Vehicle::Impulsive, &EarthModel::SPHERE_VACUUM, 1_000e3);
    let impact = energy(0.0, f.impact_speed_m_s);
    for h in [20e3, 100e3, 200e3] {
        let v = f.descending_speed_at(h).expect("the flight rises above it");
        let expected = (2.0 * (impact + GM / (SPHERE_R + h))).sqrt();
        assert!(
            (v - expected).abs() < 0.05,
            "{h} m: {v} m/s, energy says {expected}"
        );
    }
    // On the way down, not the way up: past the apogee nothing is descending through it.
    assert_eq!(f.descending_speed_at(f.apogee_m + 1.0), None);
}
