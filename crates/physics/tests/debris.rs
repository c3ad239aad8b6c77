//! The fall of debris from the state of a kill, against bounds derived by hand.
//!
//! On a non-rotating sphere with central gravity and air, debris of ballistic coefficient `β`
//! leaving height `h0` horizontally at `v0` obeys two bounds:
//! - its fall takes at least `sqrt(2·h0/g0)` (`g0 = GM/R²`, the strongest gravity on the way
//!   down): the air only slows the descent;
//! - its angular momentum about the Earth's centre `L = r·v_h` decays as
//!   `L' = −(ρ/2β)·|v|·L` with `|v| ≥ v_h` and `ρ ≥ ρ(h0)` (the debris only descends), so
//!   `v_h ≤ v0·(R + h0)/r / (1 + k·v0·t)` with `k = ρ(h0)/(2β)`, and the ground distance run in
//!   a fall of `T` is at most `(1 + h0/R)·ln(1 + k·v0·T)/k`. Without air, `L` is conserved and
//!   the ground distance is at least `v0·R/(R + h0)·sqrt(2·h0/g0)`.

use skyshield_physics::atmosphere::us1976;
use skyshield_physics::debris::{DEBRIS_BALLISTIC_COEFFICIENT_KG_M2, DebrisError, Fall, fall};
use skyshield_physics::earth::{Geodetic, MEAN_EARTH_RADIUS_M, WGS84_GM_M3_S2};
use skyshield_physics::earth_model::{EarthModel, Shape};
use skyshield_physics::frame::{Enu, Vector};

/// A non-rotating sphere with central gravity and the 1976 atmosphere: the bounds' world.
const SPHERE_AIR: EarthModel = EarthModel {
    shape: Shape::Sphere,
    rotation: false,
    j2: false,
    atmosphere: true,
};

const H0_M: f64 = 20_000.0;
const V0_M_S: f64 = 1_500.0;

fn kill_point() -> Geodetic {
    Geodetic::from_degrees(31.5, 34.6, H0_M).expect("kill point")
}

/// Ground distance and azimuth from the point under the kill to where the debris fell.
fn downrange(earth: &EarthModel, f: &Fall) -> (f64, f64) {
    let path = earth.surface_path(&kill_point().with_height_m(0.0), &f.ground);
    (path.distance_m, path.azimuth1_deg)
}

fn fall_east(earth: &EarthModel, beta: f64) -> Fall {
    fall(
        earth,
        &kill_point(),
        Vector::<Enu>::new(V0_M_S, 0.0, 0.0),
        beta,
    )
    .unwrap_or_else(|e| panic!("β {beta}: {e}"))
}

#[test]
fn debris_moving_horizontally_lands_downrange_within_the_drag_bound_and_short_of_the_vacuum_fall() {
    let g0 = WGS84_GM_M3_S2 / MEAN_EARTH_RADIUS_M.powi(2);
    let t_min = (2.0 * H0_M / g0).sqrt();
    let vacuum = fall_east(
        &EarthModel {
            atmosphere: false,
            ..SPHERE_AIR
        },
        DEBRIS_BALLISTIC_COEFFICIENT_KG_M2,
    );
    let (x_vacuum, az_vacuum) = downrange(&SPHERE_AIR, &vacuum);
    let x_vacuum_min = V0_M_S * MEAN_EARTH_RADIUS_M / (MEAN_EARTH_RADIUS_M + H0_M) * t_min;
    assert!(
        x_vacuum >= x_vacuum_min && (az_vacuum - 90.0).abs() < 1e-6,
        "vacuum fall {x_vacuum:.0} m on {az_vacuum:.3}°, at least {x_vacuum_min:.0} m east"
    );
    let mut previous = x_vacuum;
    // The spent body of an Iskander-class missile (an upper bound), the debris warned for, and
    // a light fragment.
    for beta in [6_000.0, DEBRIS_BALLISTIC_COEFFICIENT_KG_M2, 10.0] {
        let f = fall_east(&SPHERE_AIR, beta);
        let (x, az) = downrange(&SPHERE_AIR, &f);
        let k = us1976(H0_M).density_kg_m3 / (2.0 * beta);
        let x_max = (1.0 + H0_M / MEAN_EARTH_RADIUS_M) * (1.0 + k * V0_M_S * f.time_s).ln() / k;
        assert!(
            f.time_s >= t_min,
            "β {beta}: fell in {:.1} s, faster than the vacuum's {t_min:.1} s",
            f.time_s
        );
        assert!(
            x > 0.0 && (az - 90.0).abs() < 1e-6,
            "β {beta}: landed {x:.0} m on {az:.3}° from the point under the kill"
        );
        assert!(
            x <= x_max,
            "β {beta}: {x:.0} m downrange, beyond the drag bound of {x_max:.0} m"
        );
        assert!(
            x < previous,
            "β {beta}: {x:.0} m downrange, not short of the heavier debris' {previous:.0} m"
        );
        previous = x;
    }
    // The light fragment falls close to the vertical: its bound is a few per cent of the vacuum
    // fall's distance.
    let light = fall_east(&SPHERE_AIR, 10.0);
    let k = us1976(H0_M).density_kg_m3 / 20.0;
    let bound = (1.0 + H0_M / MEAN_EARTH_RADIUS_M) * (1.0 + k * V0_M_S * light.time_s).ln() / k;
    assert!(bound < 0.05 * x_vacuum, "{bound:.0} m of {x_vacuum:.0} m");
}

#[test]
fn debris_at_rest_falls_straight_down_and_debris_on_the_ground_stays_there() {
    let f = fall(
        &SPHERE_AIR,
        &kill_point(),
        Vector::zero(),
        DEBRIS_BALLISTIC_COEFFICIENT_KG_M2,
    )
    .expect("falls");
    let (x, _) = downrange(&SPHERE_AIR, &f);
    let g0 = WGS84_GM_M3_S2 / MEAN_EARTH_RADIUS_M.powi(2);
    assert!(x < 1e-3, "{x} m from the point under the kill");
    assert!(f.time_s >= (2.0 * H0_M / g0).sqrt() && f.ground.height_m() == 0.0);
    let on_ground = kill_point().with_height_m(0.0);
    let f = fall(
        &EarthModel::FULL,
        &on_ground,
        Vector::new(300.0, 0.0, -10.0),
        10.0,
    )
    .expect("lands");
    assert_eq!((f.ground, f.time_s), (on_ground, 0.0));
}

#[test]
fn debris_falls_downrange_on_the_full_earth_short_of_its_vacuum_fall() {
    // A threat killed descending at 30° below the horizontal towards the north-west.
    let (speed, dive, azimuth) = (1_500.0_f64, 30f64.to_radians(), 315f64.to_radians());
    let v = Vector::<Enu>::new(
        speed * dive.cos() * azimuth.sin(),
        speed * dive.cos() * azimuth.cos(),
        -speed * dive.sin(),
    );
    let full = EarthModel::FULL;
    let vacuum = EarthModel {
        atmosphere: false,
        ..full
    };
    let f = fall(&full, &kill_point(), v, DEBRIS_BALLISTIC_COEFFICIENT_KG_M2).expect("falls");
    let fv = fall(
        &vacuum,
        &kill_point(),
        v,
        DEBRIS_BALLISTIC_COEFFICIENT_KG_M2,
    )
    .expect("falls");
    let (x, az) = downrange(&full, &f);
    let (xv, _) = downrange(&full, &fv);
    // The Earth's rotation turns the path by the Coriolis term: within a degree over this fall.
    assert!(
        x > 0.0 && x < xv && (az.rem_euclid(360.0) - 315.0).abs() < 1.0,
        "{x:.0} m on {az:.2}°, vacuum {xv:.0} m"
    );
    assert!(
        f.time_s > fv.time_s,
        "{} s, vacuum {} s",
        f.time_s,
        fv.time_s
    );
}

#[test]
fn an_escaping_state_and_a_ballistic_coefficient_that_is_not_positive_are_refused() {
    // Straight up at 12 km/s without air, above the escape speed: no fall.
    let up = Vector::<Enu>::new(0.0, 0.0, 12_000.0);
    let vacuum = EarthModel {
        atmosphere: false,
        ..EarthModel::FULL
    };
    let aloft = fall(
        &vacuum,
        &kill_point(),
        up,
        DEBRIS_BALLISTIC_COEFFICIENT_KG_M2,
    );
    let Err(DebrisError::Aloft {
        height_km,
        speed_m_s,
        limit_s,
    }) = aloft
    else {
        panic!("{aloft:?}");
    };
    assert_eq!(
        (height_km, speed_m_s, limit_s),
        (kill_point().height_m() / 1e3, 12_000.0, 7_200.0)
    );
    for beta in [0.0, -1.0, f64::NAN] {
        assert!(matches!(
            fall(&EarthModel::FULL, &kill_point(), Vector::zero(), beta),
            Err(DebrisError::BallisticCoefficient(_))
        ));
    }
}
