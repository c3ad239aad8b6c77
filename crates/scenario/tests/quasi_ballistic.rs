//! An Iskander-M flown with the catalog's nominal figures: its speeds, apogee and flight time
//! against the public figures the catalog names, and the altitude law of its terminal steering.

use skyshield_physics::aerodynamics::manoeuvre_ceiling_m;
use skyshield_physics::ballistic::BoostedMissile;
use skyshield_physics::earth::Geodetic;
use skyshield_physics::earth_model::EarthModel;
use skyshield_physics::flight::{Flight, TrajectoryShape, Vehicle, fly};
use skyshield_physics::frame::{Ecef, Vector};
use skyshield_physics::units::STANDARD_GRAVITY_M_S2;
use skyshield_scenario::catalog;
use skyshield_scenario::threat_model::vehicle;

fn iskander() -> BoostedMissile {
    let entry = catalog()
        .get("iskander-m")
        .expect("iskander-m in the catalog");
    match vehicle(&entry.resolved(), |u| u.nominal).unwrap() {
        Vehicle::Boosted(m) => m,
        other => panic!("the Iskander-M is rocket-powered: {other:?}"),
    }
}

/// The launch point in western Iran, and the aim `range_m` due west of it.
fn shot(range_m: f64) -> (Geodetic, Geodetic) {
    let launch = Geodetic::from_degrees(34.3, 47.1, 0.0).unwrap();
    (
        launch,
        EarthModel::FULL.surface_direct(&launch, -90.0, range_m),
    )
}

/// From western Iran due west, `range_m` away, over the full Earth model.
fn flight(m: &BoostedMissile, range_m: f64) -> Flight {
    let (launch, aim) = shot(range_m);
    let f = fly(
        &Vehicle::Boosted(m.clone()),
        &EarthModel::FULL,
        &launch,
        &[],
        &aim,
        TrajectoryShape::MinEnergy,
    )
    .unwrap_or_else(|e| panic!("{} km: {e}", range_m / 1e3));
    assert!(f.miss_m < 50.0, "{} km: miss {} m", range_m / 1e3, f.miss_m);
    f
}

/// At 300 and 450 km, the fastest speed of the flight is Mach 6-7, the 2.1-2.6 km/s that open
/// sources credit the missile with (catalog source `mdaa_iskander_2023`), within 1.9-2.8 km/s;
/// it still flies at 1.5 km/s or more when it descends through 20 km; the apogee stays under
/// about 50 km, the catalog's ceiling; and the flight takes a few minutes (2.5 to 6).
#[test]
fn the_iskander_flies_at_mach_6_to_7_under_its_ceiling_in_a_few_minutes_at_300_and_450_km() {
    let m = iskander();
    let ceiling_m = m
        .max_apogee_m
        .expect("a quasi-ballistic type has a ceiling");
    for range_m in [300e3, 450e3] {
        let f = flight(&m, range_m);
        let km = range_m / 1e3;
        assert!(
            (1_900.0..=2_800.0).contains(&f.max_speed_m_s),
            "{km} km: maximum speed {} m/s",
            f.max_speed_m_s
        );
        let at_20_km = f
            .descending_speed_at(20e3)
            .expect("the flight descends through 20 km");
        assert!(
            at_20_km >= 1_500.0,
            "{km} km: {at_20_km} m/s at 20 km on the way down"
        );
        assert!(
            f.apogee_m <= 60e3 && f.apogee_m <= ceiling_m,
            "{km} km: apogee {} m",
            f.apogee_m
        );
        let minutes = f.flight_time_s / 60.0;
        assert!((2.5..=6.0).contains(&minutes), "{km} km: {minutes} min");
        // The solid motor burns to depletion.
        assert_eq!(f.burnout.unwrap().time_s, m.burn_time_s, "{km} km");
    }
}

/// Earth-fixed position of a sample, m.
fn position(lat_deg: f64, lon_deg: f64, alt_m: f64) -> Vector<Ecef> {
    EarthModel::FULL.to_ecef(&Geodetic::from_degrees(lat_deg, lon_deg, alt_m).unwrap())
}

/// The aerodynamic normal acceleration at one sample of the coast.
struct Normal {
    t_s: f64,
    alt_m: f64,
    /// Normal acceleration, m/s², and the error bound of its estimate.
    normal: f64,
    tol: f64,
    /// Whether the five samples about this one are all above (`Some(true)`) or all below
    /// (`Some(false)`) the manoeuvre ceiling of one g at their speeds.
    above_ceiling: Option<bool>,
    /// Depression of the line of sight from the body to the aim, degrees.
    los_down_deg: f64,
    descending: bool,
}

impl Normal {
    /// The air pulls no more than drag along the velocity here, within the estimate's error.
    fn assert_no_lift(&self, flight: &str) {
        assert!(
            self.normal <= self.tol,
            "{flight}, {} s at {:.0} m, aim {:.1}° down: normal acceleration {} m/s² (± {})",
            self.t_s,
            self.alt_m,
            self.los_down_deg,
            self.normal,
            self.tol
        );
    }
}

/// The normal acceleration of the air along a flight after burnout: the second difference of
/// the 1 s samples less gravity and the rotating-frame terms, its component normal to the
/// velocity; its error is bounded by the fourth difference. The second difference's error is a
/// twelfth of the fourth difference; the velocity's central difference errs by a sixth of the
/// third, which tilts the along-track drag (under 10 m/s² here) by less than 1e-3 rad.
fn normals(m: &BoostedMissile, f: &Flight, aim: Vector<Ecef>) -> Vec<Normal> {
    let burnout_s = f.burnout.unwrap().time_s;
    let mass_kg = m.launch_mass_kg - m.propellant_mass_kg;
    let area_m2 = std::f64::consts::PI * 0.25 * m.diameter_m * m.diameter_m;
    let s = &f.samples[..f.samples.len() - 1];
    let r: Vec<Vector<Ecef>> = s
        .iter()
        .map(|p| position(p.lat_deg, p.lon_deg, p.alt_m))
        .collect();
    let ceilings: Vec<f64> = s
        .iter()
        .map(|p| manoeuvre_ceiling_m(mass_kg, area_m2, p.speed_m_s, STANDARD_GRAVITY_M_S2))
        .collect();
    (2..s.len() - 2)
        .filter(|&i| s[i - 2].t_s >= burnout_s + 1.0)
        .map(|i| {
            let v = (r[i + 1] - r[i - 1]) / 2.0;
            let a = r[i + 1] - r[i] * 2.0 + r[i - 1];
            let fourth = r[i + 2] - r[i + 1] * 4.0 + r[i] * 6.0 - r[i - 1] * 4.0 + r[i - 2];
            let aero = a - EarthModel::FULL.acceleration(r[i], v);
            let along = v.unit();
            let above = (i - 2..=i + 2).map(|k| s[k].alt_m > ceilings[k]);
            let up = Geodetic::from_degrees(s[i].lat_deg, s[i].lon_deg, s[i].alt_m)
                .unwrap()
                .up();
            Normal {
                t_s: s[i].t_s,
                alt_m: s[i].alt_m,
                normal: (aero - along * aero.dot(along)).norm(),
                tol: fourth.norm() / 12.0 * 2.0 + 0.01,
                above_ceiling: if above.clone().all(|a| a) {
                    Some(true)
                } else if above.clone().all(|a| !a) {
                    Some(false)
                } else {
                    None
                },
                los_down_deg: (-(aim - r[i]).unit().dot(up)).asin().to_degrees(),
                descending: s[i + 1].alt_m < s[i - 1].alt_m,
            }
        })
        .collect()
}

/// The aim of [`flight`] at `range_m`, Earth-fixed.
fn aim(range_m: f64) -> Vector<Ecef> {
    EarthModel::FULL.to_ecef(&shot(range_m).1)
}

/// The steering acts only below the manoeuvre ceiling of one g (where the air can carry the
/// body's weight, `aerodynamics::manoeuvre_ceiling_m`): above it the only aerodynamic force is
/// drag, along the velocity, and the normal acceleration is zero; below it the pull-up and the
/// dive pull several g.
#[test]
fn the_pull_up_acts_only_below_the_manoeuvre_ceiling() {
    let m = iskander();
    let f = flight(&m, 450e3);
    let n = normals(&m, &f, aim(450e3));
    let above: Vec<&Normal> = n.iter().filter(|p| p.above_ceiling == Some(true)).collect();
    for p in &above {
        p.assert_no_lift("450 km");
    }
    // The samples above the ceiling cover the coast over the apogee.
    assert!(
        above.len() >= 30 && above.iter().any(|p| p.alt_m > f.apogee_m - 1e3),
        "{} samples above the ceiling, none at the apogee",
        above.len()
    );
    let strongest_below = n
        .iter()
        .filter(|p| p.descending && p.above_ceiling == Some(false))
        .map(|p| p.normal)
        .fold(0.0, f64::max);
    assert!(
        strongest_below > 2.0 * STANDARD_GRAVITY_M_S2,
        "the steering pulls at most {strongest_below} m/s² below the ceiling"
    );
}

/// The pull-up glides only where the descent would fall short of the aim. At 300 km the
/// missile's full burn reaches the aim on its own: it descends without lift until its aim is
/// seen steeply enough to dive. At 500 km, beyond the reach of its ballistic descent under the
/// ceiling, it pulls up (at least 1 g of lift while the aim is still far) to extend its flight.
#[test]
fn the_pull_up_glides_only_when_the_descent_would_fall_short() {
    let m = iskander();
    let far = |p: &&Normal| p.descending && p.above_ceiling == Some(false) && p.los_down_deg < 25.0;
    let f = flight(&m, 300e3);
    let n = normals(&m, &f, aim(300e3));
    let before_dive: Vec<&Normal> = n.iter().filter(far).collect();
    assert!(
        !before_dive.is_empty(),
        "no descent below the ceiling before the dive"
    );
    for p in &before_dive {
        p.assert_no_lift("300 km");
    }
    let f = flight(&m, 500e3 - 1.0);
    let n = normals(&m, &f, aim(500e3 - 1.0));
    let glide = n.iter().filter(far).map(|p| p.normal).fold(0.0, f64::max);
    assert!(
        glide > STANDARD_GRAVITY_M_S2,
        "500 km: the pull-up pulls at most {glide} m/s² before the dive"
    );
}
