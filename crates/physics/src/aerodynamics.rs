//! The air's forces on a missile body or a reentry vehicle: drag with a Mach-dependent
//! coefficient, and the lift of a quasi-ballistic missile's terminal steering.
//!
//! # The quasi-ballistic descent
//! A quasi-ballistic missile (an aerodynamically controlled body such as the Iskander-M's 9M723,
//! described in open sources as flying a flatter path than a ballistic missile and reaching its
//! target sooner, with a manoeuvring descent in the atmosphere) coasts without lift from burnout
//! over its apogee and down until the air is dense enough to carry it. The altitude law: its
//! body steers only where the dynamic pressure `q = ½ρv²` lets its largest normal force hold its
//! weight, `q·CN_max·A ≥ m·g0` ([`NORMAL_FORCE_COEFFICIENT_MAX`], Fleeman 2006, ch. 2; density
//! of the US Standard Atmosphere 1976), that is below the height that [`manoeuvre_ceiling_m`]
//! gives for a load of one g at its mass, area and speed; above it the only force of the air is
//! drag and the normal acceleration is zero. Below it, descending, it steers in two phases:
//! - the pull-up: while its aim is seen less than [`DIVE_ANGLE_DEG`] below the horizontal and
//!   its descent would fall short of the aim, lift holds the flight-path angle at
//!   [`GLIDE_ANGLE_DEG`] below the horizontal, a glide that extends the range. Whether the
//!   descent falls short is judged from the vacuum range over a flat Earth from the present
//!   height, speed and flight-path angle, `x = v·cos γ·(v·sin γ + √(v²sin²γ + 2g₀h))/g₀`, against
//!   the ground distance to the aim: a descent that reaches the aim flies on without lift, since
//!   every manoeuvre costs speed in induced drag;
//! - the terminal dive: once the aim is seen that steeply, proportional navigation
//!   ([`NAVIGATION_RATIO`]) with gravity compensation brings it onto the aim.
//!
//! Its normal acceleration is bounded by its manoeuvre capability (the catalog's
//! `terminal_manoeuvre_g`) and by what the air gives, and paid for with induced drag at
//! [`MANOEUVRE_LIFT_TO_DRAG`]. The law homes on a fixed aim point and has no term meant to evade
//! a defense.

use crate::atmosphere::us1976;
use crate::earth_model::EarthModel;
use crate::frame::{Ecef, Vector};
use crate::units::STANDARD_GRAVITY_M_S2;

/// Largest normal-force coefficient of a missile body at high angle of attack (about 1-2 for
/// slender bodies, Fleeman 2006, ch. 2). Notional.
pub const NORMAL_FORCE_COEFFICIENT_MAX: f64 = 1.5;

/// Lift-to-drag ratio of a manoeuvre (the induced drag of lift). Notional, of the order of a
/// slender body at moderate angle of attack (Fleeman 2006, ch. 2).
pub const MANOEUVRE_LIFT_TO_DRAG: f64 = 4.0;

/// Flight-path angle below the horizontal that the pull-up holds while the aim is far, degrees.
/// Notional: a shallow glide, as open sources describe the flat, aeroballistic flight of the
/// Iskander-M.
pub const GLIDE_ANGLE_DEG: f64 = 2.0;

/// Gain of the flight-path-angle hold of the pull-up, 1/s. Notional; a few seconds to settle.
pub const GLIDE_GAIN_PER_S: f64 = 0.5;

/// Depression of the line of sight to the aim at which the glide ends and the terminal dive
/// begins, degrees. Notional: a steep dive onto the aim, which the dive's proportional
/// navigation reaches from any glide.
pub const DIVE_ANGLE_DEG: f64 = 30.0;

/// Effective navigation ratio of the terminal steering's proportional navigation. Notional: the
/// usual value of 3 to 5 (P. Zarchan, *Tactical and Strategic Missile Guidance*, 6th ed., AIAA
/// 2012, ch. 2), the low end for the least manoeuvre.
pub const NAVIGATION_RATIO: f64 = 3.0;

/// Drag coefficient against Mach number of a slender missile body with an ogive nose.
/// Notional curve of the shape shown for slender bodies in E. L. Fleeman, *Tactical Missile
/// Design*, 2nd ed. (AIAA 2006), ch. 2: subsonic about 0.2, a transonic peak near Mach 1.1, then
/// a slow fall with Mach number.
pub const BODY_DRAG: &[(f64, f64)] = &[
    (0.0, 0.20),
    (0.8, 0.22),
    (1.0, 0.35),
    (1.2, 0.42),
    (1.5, 0.40),
    (2.0, 0.35),
    (3.0, 0.28),
    (5.0, 0.22),
    (10.0, 0.20),
];

/// Drag coefficient against Mach number of a conical reentry vehicle. Notional curve for a
/// slender, slightly blunted cone (Fleeman 2006, ch. 2; hypersonic cone drag of about 0.1-0.2 as
/// in F. J. Regan, S. M. Anandakrishnan, *Dynamics of Atmospheric Re-Entry*, AIAA 1993).
pub const RV_DRAG: &[(f64, f64)] = &[
    (0.0, 0.30),
    (0.8, 0.32),
    (1.0, 0.45),
    (1.2, 0.48),
    (1.5, 0.42),
    (2.0, 0.35),
    (3.0, 0.26),
    (5.0, 0.18),
    (10.0, 0.15),
];

fn table(points: &[(f64, f64)], x: f64) -> f64 {
    let i = points.partition_point(|p| p.0 <= x);
    if i == 0 {
        return points[0].1;
    }
    if i == points.len() {
        return points[points.len() - 1].1;
    }
    let ((x0, y0), (x1, y1)) = (points[i - 1], points[i]);
    y0 + (y1 - y0) * (x - x0) / (x1 - x0)
}

/// What the air acts on: a reference area, a drag curve and a steering capability.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Airframe {
    pub(crate) area_m2: f64,
    pub(crate) drag: &'static [(f64, f64)],
    /// Largest aerodynamic normal acceleration of the terminal steering, m/s² (0: none).
    pub(crate) lift_m_s2: f64,
    /// The Earth-fixed point the terminal steering homes on (none: the body does not steer).
    pub(crate) aim: Option<Vector<Ecef>>,
}

/// Aerodynamic acceleration of `c` at Earth-fixed position `r`, velocity `v` and mass
/// `mass_kg`: drag, and for a steering quasi-ballistic missile the lift of its terminal steering
/// (see the module documentation for the law).
pub(crate) fn acceleration(
    earth: &EarthModel,
    c: &Airframe,
    r: Vector<Ecef>,
    v: Vector<Ecef>,
    mass_kg: f64,
) -> Vector<Ecef> {
    if !earth.atmosphere {
        return Vector::zero();
    }
    let (height_m, up) = earth.height_and_up(r);
    let air = us1976(height_m);
    let speed = v.norm();
    if air.density_kg_m3 == 0.0 || speed == 0.0 {
        return Vector::zero();
    }
    let q_s = 0.5 * air.density_kg_m3 * speed * speed * c.area_m2;
    let cd = table(c.drag, speed / air.speed_of_sound_m_s);
    let along = v * (1.0 / speed);
    let mut a = along * (-q_s * cd / mass_kg);
    let Some(aim) = c.aim else {
        return a;
    };
    // Descending below the manoeuvre ceiling of one g: the air carries the body's weight (the
    // same test as `manoeuvre_ceiling_m`, without its search).
    let available = q_s * NORMAL_FORCE_COEFFICIENT_MAX / mass_kg;
    if c.lift_m_s2 > 0.0 && available >= STANDARD_GRAVITY_M_S2 && along.dot(up) < 0.0 {
        let to_aim = aim - r;
        let distance = to_aim.norm();
        let los = to_aim / distance;
        let sin_gamma = along.dot(up);
        let command = if -los.dot(up) < DIVE_ANGLE_DEG.to_radians().sin() {
            if !falls_short(speed, sin_gamma, to_aim, up) {
                return a;
            }
            // The pull-up: the aim is still far and out of the descent's reach; hold the glide.
            let gamma = sin_gamma.asin();
            let normal = (up - along * sin_gamma).unit();
            normal
                * (STANDARD_GRAVITY_M_S2 * gamma.cos()
                    + speed * GLIDE_GAIN_PER_S * (-GLIDE_ANGLE_DEG.to_radians() - gamma))
        } else {
            // The dive: the line of sight turns at ω = (v × d)/|d|² towards a fixed aim;
            // proportional navigation commands N·Vc·(ω × û), and lift also holds up the weight.
            let rate = v.cross(to_aim) / (distance * distance);
            rate.cross(los) * (NAVIGATION_RATIO * v.dot(los)) - earth.gravity(r)
        };
        // Lift acts normal to the velocity.
        let normal = command - along * command.dot(along);
        let n = normal.norm();
        if n > 0.0 {
            let lift = n.min(c.lift_m_s2).min(available);
            a += normal * (lift / n) - along * (lift / MANOEUVRE_LIFT_TO_DRAG);
        }
    }
    a
}

/// Whether a descent at `speed` and flight-path angle `asin(sin_gamma)` falls short of an aim
/// at `to_aim` (Earth-fixed, from the body; `up` the local vertical): its vacuum range over a
/// flat Earth from its height above the aim, `v·cos γ·(v·sin γ + √(v²sin²γ + 2g₀h))/g₀`, is less
/// than the aim's ground distance. Drag only shortens the true range, so a descent judged to
/// reach may still fall short by what drag takes; the dive's navigation corrects that.
fn falls_short(speed: f64, sin_gamma: f64, to_aim: Vector<Ecef>, up: Vector<Ecef>) -> bool {
    let g = STANDARD_GRAVITY_M_S2;
    let height = -to_aim.dot(up);
    let ground = (to_aim + up * height).norm();
    let (vv, vh) = (
        speed * sin_gamma,
        speed * (1.0 - sin_gamma * sin_gamma).sqrt(),
    );
    let fall_s = (vv + (vv * vv + 2.0 * g * height.max(0.0)).sqrt()) / g;
    vh * fall_s < ground
}

/// The height below which a body of `mass_kg` and reference area `area_m2` flying at `speed_m_s`
/// can pull `load_m_s2` with its largest normal force: where the dynamic pressure reaches
/// `q = a·m / (CN_max·A)` ([`NORMAL_FORCE_COEFFICIENT_MAX`], Fleeman 2006, ch. 2) in the US
/// Standard Atmosphere 1976. This is the altitude law of a manoeuvre: above this height the air is
/// too thin for it. Returns 0 when even the air at sea level is too thin, to within a metre.
pub fn manoeuvre_ceiling_m(mass_kg: f64, area_m2: f64, speed_m_s: f64, load_m_s2: f64) -> f64 {
    let q_needed = load_m_s2 * mass_kg / (NORMAL_FORCE_COEFFICIENT_MAX * area_m2);
    let q_at = |h: f64| 0.5 * us1976(h).density_kg_m3 * speed_m_s * speed_m_s;
    if q_at(0.0) < q_needed {
        return 0.0;
    }
    // The density falls with height: bisect between sea level and the top of the atmosphere.
    let (mut lo, mut hi) = (0.0, crate::atmosphere::MAX_ALTITUDE_M);
    while hi - lo > 1.0 {
        let mid = 0.5 * (lo + hi);
        if q_at(mid) >= q_needed {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    lo
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::earth::MEAN_EARTH_RADIUS_M;
    use crate::earth_model::Shape;

    const G0: f64 = STANDARD_GRAVITY_M_S2;

    /// A still sphere with air: up is the position's direction, gravity a point mass's.
    const AIR: EarthModel = EarthModel {
        shape: Shape::Sphere,
        rotation: false,
        j2: false,
        atmosphere: true,
    };

    /// An Iskander-class body of 1,050 kg (0.92 m, 0.665 m²) with 20 g of steering.
    const MASS_KG: f64 = 1_050.0;

    fn body(aim: Option<Vector<Ecef>>) -> Airframe {
        Airframe {
            area_m2: 0.665,
            drag: BODY_DRAG,
            lift_m_s2: 20.0 * G0,
            aim,
        }
    }

    /// Above the sphere's point (0° N, 0° E) at `height_m`, flying north at `speed` and
    /// `gamma_deg` above the horizontal: position, velocity, and the unit normal to the
    /// velocity in the vertical plane, upwards.
    fn state(height_m: f64, speed: f64, gamma_deg: f64) -> [Vector<Ecef>; 3] {
        let (s, c) = gamma_deg.to_radians().sin_cos();
        [
            Vector::new(MEAN_EARTH_RADIUS_M + height_m, 0.0, 0.0),
            Vector::new(s, 0.0, c) * speed,
            Vector::new(c, 0.0, -s),
        ]
    }

    /// The point on the sphere `ground_m` north of (0° N, 0° E), along the surface.
    fn ground_north(ground_m: f64) -> Vector<Ecef> {
        let (s, c) = (ground_m / MEAN_EARTH_RADIUS_M).sin_cos();
        Vector::new(c, 0.0, s) * MEAN_EARTH_RADIUS_M
    }

    /// What steering towards `aim` adds to the drag of the body that does not steer.
    fn steering(r: Vector<Ecef>, v: Vector<Ecef>, aim: Vector<Ecef>) -> Vector<Ecef> {
        acceleration(&AIR, &body(Some(aim)), r, v, MASS_KG)
            - acceleration(&AIR, &body(None), r, v, MASS_KG)
    }

    /// Lift `lift` along `normal` (against it if negative) and its induced drag against the
    /// velocity `v`.
    fn lift_and_induced_drag(normal: Vector<Ecef>, v: Vector<Ecef>, lift: f64) -> Vector<Ecef> {
        normal * lift - v.unit() * (lift.abs() / MANOEUVRE_LIFT_TO_DRAG)
    }

    fn assert_close(a: Vector<Ecef>, b: Vector<Ecef>) {
        assert!(
            (a - b).norm() <= 1e-9 * b.norm().max(1.0),
            "{a:?} against {b:?}"
        );
    }

    #[test]
    fn the_pull_up_holds_the_glide_angle_with_the_weight_carried_and_a_proportional_gain() {
        // 10 km up at 1.5 km/s: the air gives some 440 m/s², the lift is not bound by it.
        let aim = ground_north(300e3);
        for gamma_deg in [-GLIDE_ANGLE_DEG, -10.0, -25.0, -1.0] {
            let [r, v, up_normal] = state(10e3, 1_500.0, gamma_deg);
            let gamma = gamma_deg.to_radians();
            // Signed: above the glide angle the lift pushes down; bound by the 20 g. At the
            // glide angle it carries the weight's share normal to the path.
            let lift = G0 * gamma.cos()
                + 1_500.0 * GLIDE_GAIN_PER_S * (-GLIDE_ANGLE_DEG.to_radians() - gamma);
            let expected = lift_and_induced_drag(up_normal, v, lift.clamp(-20.0 * G0, 20.0 * G0));
            assert_close(steering(r, v, aim), expected);
        }
    }

    #[test]
    fn no_lift_climbing_above_the_air_that_carries_the_weight_or_in_reach_of_the_aim() {
        let aim = ground_north(300e3);
        let [r, v, _] = state(10e3, 1_500.0, 5.0);
        assert_eq!(steering(r, v, aim), Vector::zero(), "climbing");
        // At 60 km and 1 km/s the air carries less than a fiftieth of the weight.
        let [r, v, _] = state(60e3, 1_000.0, -10.0);
        assert_eq!(steering(r, v, aim), Vector::zero(), "in thin air");
        // From 10 km at 1.5 km/s and 10° down the vacuum fall carries 38.2 km: an aim 30 km
        // ahead is in reach (seen 18° down, short of the dive), one 50 km ahead is not.
        let [r, v, up_normal] = state(10e3, 1_500.0, -10.0);
        assert_eq!(
            steering(r, v, ground_north(30e3)),
            Vector::zero(),
            "in reach"
        );
        let s = steering(r, v, ground_north(50e3));
        assert!(s.dot(up_normal) > 100.0, "out of reach: {s:?}");
    }

    #[test]
    fn the_vacuum_fall_over_a_flat_earth_decides_whether_a_descent_falls_short() {
        let up = Vector::<Ecef>::new(0.0, 0.0, 1.0);
        let aim = |ground_m: f64, height_m: f64| Vector::<Ecef>::new(ground_m, 0.0, -height_m);
        // Level at 8 km and 1 km/s: x = v √(2h/g0).
        let level = 1_000.0 * (2.0 * 8e3 / G0).sqrt();
        assert!(falls_short(1_000.0, 0.0, aim(level * 1.000_001, 8e3), up));
        assert!(!falls_short(1_000.0, 0.0, aim(level * 0.999_999, 8e3), up));
        // 30° down from 8 km at 1 km/s: x = v cos γ (v sin γ + √(v² sin² γ + 2 g0 h)) / g0.
        let (s, c) = (0.5_f64, 0.75_f64.sqrt());
        let descent = 1_000.0 * c * (-500.0 + (500.0_f64.powi(2) + 2.0 * G0 * 8e3).sqrt()) / G0;
        assert!(falls_short(1_000.0, -s, aim(descent * 1.000_001, 8e3), up));
        assert!(!falls_short(1_000.0, -s, aim(descent * 0.999_999, 8e3), up));
        // An aim above the body counts as level with it: a descent reaches no ground beyond.
        assert!(falls_short(1_000.0, -s, aim(1.0, -100.0), up));
        assert!(!falls_short(1_000.0, s, aim(1.0, -100.0), up));
    }

    #[test]
    fn the_dive_navigates_proportionally_to_the_line_of_sight_rate_and_holds_up_the_weight() {
        // 10 km over a point 5 km short of the aim: the aim is seen 63° down.
        let aim = ground_north(5e3);
        let [r, _, _] = state(10e3, 0.0, 0.0);
        let d = aim - r;
        let los = d.unit();
        let weight_held = |v: Vector<Ecef>| {
            let g = AIR.gravity(r);
            let normal = (g - v.unit() * g.dot(v.unit())) * -1.0;
            lift_and_induced_drag(normal.unit(), v, normal.norm())
        };
        // Flying straight at the aim the line of sight does not turn: the lift holds the
        // weight's share normal to the path.
        let v = los * 1_500.0;
        assert_close(steering(r, v, aim), weight_held(v));
        // 5° off it, the command adds N·Vc times the line of sight's rate, |v⊥|/|d|, against
        // the velocity's part across the line of sight.
        let across = Vector::<Ecef>::new(0.0, 1.0, 0.0).cross(los);
        let v = (los * 5f64.to_radians().cos() + across * 5f64.to_radians().sin()) * 1_500.0;
        let closing = v.dot(los);
        let v_across = v - los * closing;
        let command = v_across * (-NAVIGATION_RATIO * closing / d.norm()) - AIR.gravity(r);
        let normal = command - v.unit() * command.dot(v.unit());
        let expected = lift_and_induced_drag(normal.unit(), v, normal.norm());
        assert!(
            normal.norm() > 40.0 && normal.norm() < 20.0 * G0,
            "{}",
            normal.norm()
        );
        assert_close(steering(r, v, aim), expected);
    }

    #[test]
    fn the_manoeuvre_ceiling_is_where_the_dynamic_pressure_gives_the_load() {
        // An Iskander-class body (1,050 kg, 0.92 m) at 2 km/s pulling 20 g.
        let (m, a, v, n) = (
            1_050.0,
            0.25 * std::f64::consts::PI * 0.92 * 0.92,
            2_000.0,
            196.133,
        );
        let h = manoeuvre_ceiling_m(m, a, v, n);
        let normal =
            |h: f64| 0.5 * us1976(h).density_kg_m3 * v * v * NORMAL_FORCE_COEFFICIENT_MAX * a / m;
        assert!(normal(h) >= n && normal(h + 1.0) < n, "{h} m");
        // Half the speed needs four times the density: a lower ceiling; 1 g reaches higher.
        assert!(manoeuvre_ceiling_m(m, a, v / 2.0, n) < h);
        assert!(manoeuvre_ceiling_m(m, a, v, 9.806_65) > h);
        // A load the sea-level air cannot give has no ceiling above the ground.
        assert_eq!(manoeuvre_ceiling_m(m, a, 10.0, n), 0.0);
    }
}
