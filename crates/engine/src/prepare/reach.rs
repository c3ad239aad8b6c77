//! What each sensor sees of a trajectory and when each battery can meet it.

use skyshield_core::SimTime;
use skyshield_physics::aerodynamics::manoeuvre_ceiling_m;
use skyshield_physics::ballistic::TerminalBody;
use skyshield_physics::debris::{self, DEBRIS_BALLISTIC_COEFFICIENT_KG_M2};
use skyshield_physics::earth::{
    EFFECTIVE_EARTH_RADIUS_FACTOR, EnuFrame, Geodetic, MEAN_EARTH_RADIUS_M, radar_horizon_m,
};
use skyshield_physics::earth_model::EarthModel;
use skyshield_physics::units::STANDARD_GRAVITY_M_S2;

use super::error::PrepareError;
use crate::geometry::GroundPoint;
use crate::prepared::{Trajectory, Window};

/// Kill-probability factor against the crossing angle between interceptor and threat: 1
/// head-on, falling to 0.5 in a tail chase (notional: `0.75 + 0.25·cos θ`).
fn crossing_factor(cos_head_on: f64) -> f64 {
    0.75 + 0.25 * cos_head_on.clamp(-1.0, 1.0)
}

#[derive(Debug)]
pub(super) struct RadarGeometry {
    pub(super) frame: EnuFrame,
    pub(super) antenna_m: f64,
    pub(super) half_sector_rad: f64,
    pub(super) facing_rad: f64,
    pub(super) min_el_rad: f64,
    pub(super) max_el_rad: f64,
}

impl RadarGeometry {
    /// All that the coverage of a trajectory by this radar at range `range_m` depends on
    /// besides the trajectory, exactly (`Debug` prints every `f64` so that it reads back).
    pub(super) fn key(&self, range_m: f64) -> String {
        format!("{self:?}|{range_m:?}")
    }
}

/// Intervals in which a radar sees a trajectory: within range for the threat's RCS, inside its
/// azimuth sector and elevation limits, and above the 4/3-Earth radio horizon.
pub(super) fn radar_intervals(
    t: &Trajectory,
    g: &RadarGeometry,
    range_m: f64,
) -> Vec<(SimTime, SimTime)> {
    let mut out = Vec::new();
    let mut open: Option<SimTime> = None;
    let mut last_t = SimTime::ZERO;
    for (i, p) in t.positions.iter().enumerate() {
        let ti = SimTime::from_s(t.times_s[i]);
        // Beyond range (by more than the rounding of the look's range), the look angles are
        // not needed.
        let visible = (*p - g.frame.origin_ecef()).norm() <= range_m + 1.0 && {
            let look = g.frame.azimuth_elevation_range(*p);
            let off = (look.azimuth_rad - g.facing_rad + std::f64::consts::PI)
                .rem_euclid(std::f64::consts::TAU)
                - std::f64::consts::PI;
            // Apparent elevation over the 4/3 effective Earth: refraction lifts a target at
            // range d by about d·(1 − 1/k)/(2R) (Skolnik, ch. 8).
            let apparent_el = look.elevation_rad
                + look.range_m * (1.0 - 1.0 / EFFECTIVE_EARTH_RADIUS_FACTOR)
                    / (2.0 * MEAN_EARTH_RADIUS_M);
            look.range_m <= range_m
                && (g.half_sector_rad >= std::f64::consts::PI || off.abs() <= g.half_sector_rad)
                && look.elevation_rad <= g.max_el_rad
                && apparent_el >= g.min_el_rad
                && look.range_m <= radar_horizon_m(g.antenna_m, t.heights_m[i])
        };
        match (visible, open) {
            (true, None) => open = Some(ti),
            (false, Some(start)) => {
                out.push((start, last_t));
                open = None;
            }
            _ => {}
        }
        last_t = ti;
    }
    if let Some(start) = open {
        out.push((start, last_t));
    }
    out
}

/// Samples of a trajectory from one debris fall computed directly to the next before
/// [`DebrisFalls`] checks whether the falls between them interpolate: 32 s of flight.
const FALL_BLOCK_SAMPLES: usize = 32;

/// Largest distance between the fall point interpolated at the middle of a stretch of samples
/// and the fall computed there for the stretch to be interpolated, m: a fiftieth of
/// [`DEBRIS_SIGMA_M`](crate::prepared::DEBRIS_SIGMA_M), the scatter of debris about its mean
/// fall point. Notional, as that scatter is.
const FALL_CHECK_M: f64 = 20.0;

/// Largest difference between the fall time interpolated at the middle of a stretch and the
/// fall time computed there for the stretch to be interpolated, s.
const FALL_CHECK_S: f64 = 0.2;

/// A fall: the ground point on the ellipsoid and the time from the kill to the landing, s.
pub(super) type Fall = (Geodetic, f64);

/// Where the debris of a kill at each sample of one trajectory falls, and how long it takes:
/// computed when a window first needs it, and shared by every battery that meets the
/// trajectory at that sample.
///
/// Falls are computed directly at every [`FALL_BLOCK_SAMPLES`]-th sample and in the middle of
/// each block. Where the fall in the middle lies within [`FALL_CHECK_M`] and [`FALL_CHECK_S`]
/// of the one interpolated linearly (in time, over the Earth-fixed ground points) between the
/// block's ends, and the threat's velocity changes steadily over the block ([`steady`]), the
/// falls of the other samples are interpolated between the ends; otherwise the block is halved
/// and each half checked alike, down to single samples, so that a turn, the end of the boost
/// or a manoeuvre is met with falls of its own. Against the direct falls from every sample of
/// the library's trajectories the interpolated ones stay within 50 m and 0.5 s (a test checks
/// it), against a scatter of debris of [`DEBRIS_SIGMA_M`](crate::prepared::DEBRIS_SIGMA_M)
/// per axis. The fall of a sample depends on its block alone, not on which window asked first.
pub(super) struct DebrisFalls<'a> {
    earth: &'a EarthModel,
    /// The raid group flying the trajectory, for errors.
    group: &'a str,
    falls: Vec<Option<Fall>>,
}

impl<'a> DebrisFalls<'a> {
    /// No fall computed yet for trajectory `t`, flown by raid group `group` over `earth`.
    #[cfg(test)]
    pub(super) fn new(earth: &'a EarthModel, t: &Trajectory, group: &'a str) -> Self {
        Self::known(earth, group, vec![None; t.positions.len()])
    }

    /// The falls `falls` (one per sample; `None`: not computed yet) of a trajectory flown by
    /// raid group `group` over `earth`, each as [`DebrisFalls::at`] gives it.
    pub(super) fn known(earth: &'a EarthModel, group: &'a str, falls: Vec<Option<Fall>>) -> Self {
        Self {
            earth,
            group,
            falls,
        }
    }

    /// The falls computed so far, one per sample.
    pub(super) fn into_falls(self) -> Vec<Option<Fall>> {
        self.falls
    }

    /// The mean fall point and fall time of debris from sample `i` of `t`: the ballistic fall
    /// with drag of a fragment of [`DEBRIS_BALLISTIC_COEFFICIENT_KG_M2`] from the sample's
    /// position, with the velocity of its neighbouring samples, or its interpolation between
    /// such falls (see [`DebrisFalls`]).
    fn at(&mut self, t: &Trajectory, i: usize) -> Result<(GroundPoint, SimTime), PrepareError> {
        if self.falls[i].is_none() {
            // The blocks cover the samples that windows take, all but the first and the last.
            let block = i / FALL_BLOCK_SAMPLES * FALL_BLOCK_SAMPLES;
            let end = (block + FALL_BLOCK_SAMPLES).min(t.positions.len().saturating_sub(2));
            self.fill(t, block.max(1).min(i), end.max(i))?;
        }
        let (ground, time_s) = self.direct(t, i)?;
        Ok((GroundPoint::new(ground), SimTime::from_s(time_s)))
    }

    /// The fall from sample `i` computed directly, unless known already.
    fn direct(&mut self, t: &Trajectory, i: usize) -> Result<Fall, PrepareError> {
        if let Some(fall) = self.falls[i] {
            return Ok(fall);
        }
        let from = Geodetic::from_ecef(t.positions[i]);
        let velocity = EnuFrame::at(from).vector_to_enu(t.velocity(i));
        let f = debris::fall(
            self.earth,
            &from,
            velocity,
            DEBRIS_BALLISTIC_COEFFICIENT_KG_M2,
        )
        .map_err(|source| PrepareError::Debris {
            group: self.group.to_string(),
            time_s: t.times_s[i],
            source,
        })?;
        let fall = (f.ground, f.time_s);
        self.falls[i] = Some(fall);
        Ok(fall)
    }

    /// Every fall from samples `a` to `b` of `t`, directly or interpolated.
    fn fill(&mut self, t: &Trajectory, a: usize, b: usize) -> Result<(), PrepareError> {
        let fa = self.direct(t, a)?;
        let fb = self.direct(t, b)?;
        if b <= a + 1 {
            return Ok(());
        }
        let m = (a + b) / 2;
        let fm = self.direct(t, m)?;
        let (guess, time_s) = interpolate(t, (a, fa), (b, fb), m);
        if (guess.to_ecef() - fm.0.to_ecef()).norm() <= FALL_CHECK_M
            && (time_s - fm.1).abs() <= FALL_CHECK_S
            && steady(t, a, b, fa.1.max(fb.1).max(fm.1))
        {
            // Between the ends alone, that the check at the middle bounds: through the middle
            // too, a turn between two samples left unchecked would go unseen.
            for j in a + 1..b {
                if self.falls[j].is_none() {
                    self.falls[j] = Some(interpolate(t, (a, fa), (b, fb), j));
                }
            }
            Ok(())
        } else {
            self.fill(t, a, m)?;
            self.fill(t, m, b)
        }
    }
}

/// Whether the velocity of `t` changes steadily from sample `a` to sample `b`: at no sample
/// between them does it depart from the velocity interpolated linearly between the two ends
/// by more than debris falling for `fall_s` would carry within [`FALL_CHECK_M`]. A turn, a
/// dive or the end of the boost between two samples, whose falls could offset each other at
/// the middle of a stretch, is not steady.
fn steady(t: &Trajectory, a: usize, b: usize, fall_s: f64) -> bool {
    let (va, vb) = (t.velocity(a), t.velocity(b));
    let span_s = t.times_s[b] - t.times_s[a];
    let limit_m_s = FALL_CHECK_M / fall_s.max(1.0);
    (a + 1..b).all(|j| {
        let w = (t.times_s[j] - t.times_s[a]) / span_s;
        (t.velocity(j) - (va + (vb - va) * w)).norm() <= limit_m_s
    })
}

/// The fall from sample `j` of `t` interpolated linearly in time between the falls `f0` from
/// sample `j0` and `f1` from sample `j1`: the ground point along the Earth-fixed chord between
/// the two, brought down to the ellipsoid, and the fall time.
fn interpolate(t: &Trajectory, (j0, f0): (usize, Fall), (j1, f1): (usize, Fall), j: usize) -> Fall {
    let w = (t.times_s[j] - t.times_s[j0]) / (t.times_s[j1] - t.times_s[j0]);
    let (g0, g1) = (f0.0.to_ecef(), f1.0.to_ecef());
    (
        Geodetic::from_ecef(g0 + (g1 - g0) * w).with_height_m(0.0),
        f0.1 + (f1.1 - f0.1) * w,
    )
}

/// Relative margin by which a ground range computed from its square is surely on the same side
/// of an envelope's limit as the exact one: both are within a few units in the last place.
const RANGE_MARGIN: f64 = 1e-9;

pub(super) struct Envelope {
    pub(super) frame: EnuFrame,
    pub(super) min_alt_m: f64,
    pub(super) max_alt_m: f64,
    pub(super) min_range_m: f64,
    pub(super) max_range_m: f64,
    pub(super) speed_m_s: f64,
    pub(super) min_flight_s: f64,
}

impl Envelope {
    /// Every sample of the trajectory inside the envelope, as engagement windows, with the
    /// fall of a kill's debris from `falls` (those of `t`), each marked manoeuvring where the
    /// threat (whose manoeuvring body is `manoeuvre_body`) can manoeuvre.
    pub(super) fn windows(
        &self,
        t: &Trajectory,
        manoeuvre_body: Option<TerminalBody>,
        falls: &mut DebrisFalls<'_>,
    ) -> Result<Vec<Window>, PrepareError> {
        let mut out = Vec::new();
        let last = t.positions.len().saturating_sub(1);
        // The squares of the ground ranges surely outside the envelope: beyond these, a sample
        // is passed over without the exact ground range (whose rounding is far within).
        let (near_sq, far_sq) = (
            (self.min_range_m * (1.0 - RANGE_MARGIN)).powi(2),
            (self.max_range_m * (1.0 + RANGE_MARGIN)).powi(2),
        );
        for i in 1..last {
            let h = t.heights_m[i];
            if h < self.min_alt_m || h > self.max_alt_m {
                continue;
            }
            let rel = self.frame.position_to_enu(t.positions[i]);
            let ground_sq = rel.x * rel.x + rel.y * rel.y;
            if ground_sq > far_sq || ground_sq < near_sq {
                continue;
            }
            let ground = rel.x.hypot(rel.y);
            if ground < self.min_range_m || ground > self.max_range_m {
                continue;
            }
            let line = t.positions[i] - self.frame.origin_ecef();
            let slant = line.norm();
            let flyout = (slant / self.speed_m_s).max(self.min_flight_s);
            let head_on = -line.unit().dot(t.velocity(i).unit());
            let ground = GroundPoint::new(Geodetic::from_ecef(t.positions[i]).with_height_m(0.0));
            let (debris, debris_fall) = falls.at(t, i)?;
            let manoeuvring = manoeuvre_body.is_some_and(|b| {
                t.burnout_s.is_none_or(|burnout| t.times_s[i] >= burnout)
                    && h <= manoeuvre_ceiling_m(
                        b.mass_kg,
                        b.area_m2,
                        t.velocity(i).norm(),
                        STANDARD_GRAVITY_M_S2,
                    )
            });
            out.push(Window {
                intercept: SimTime::from_s(t.times_s[i]),
                launch: SimTime::from_s(t.times_s[i] - flyout),
                crossing_factor: crossing_factor(head_on),
                ground,
                height_m: h,
                manoeuvring,
                debris,
                debris_fall,
            });
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use std::f64::consts::PI;
    use std::path::Path;

    use skyshield_core::SimTime;
    use skyshield_physics::debris;
    use skyshield_physics::earth::{EnuFrame, Geodetic, MEAN_EARTH_RADIUS_M};
    use skyshield_physics::earth_model::EarthModel;
    use skyshield_physics::frame::Vector;

    use super::{
        DEBRIS_BALLISTIC_COEFFICIENT_KG_M2, DebrisFalls, Envelope, RadarGeometry, crossing_factor,
        radar_intervals,
    };
    use crate::geometry::GroundPoint;
    use crate::prepared::Trajectory;

    /// The kill-probability factor of the crossing angle: 1 head-on, 0.75 at right angles, 0.5
    /// in a tail chase, linear in the cosine, a cosine rounded beyond ±1 taken as ±1.
    #[test]
    fn the_crossing_factor_falls_from_head_on_to_a_tail_chase() {
        let factors = [1.0 + 1e-12, 1.0, 0.5, 0.0, -0.5, -1.0, -1.0 - 1e-12].map(crossing_factor);
        assert_eq!(factors, [1.0, 1.0, 0.875, 0.75, 0.625, 0.5, 0.5]);
    }

    /// A level flight at 8 km, at 1 km/s due south straight over a battery at 32° N 35° E, from
    /// 60 km north of it to 60 km south, a sample a second.
    fn over_the_battery() -> (Trajectory, Geodetic) {
        let battery = Geodetic::from_degrees(32.0, 35.0, 0.0).expect("a place");
        let points: Vec<Geodetic> = (0..=120)
            .map(|k| {
                let north_m = 60_000.0 - 1_000.0 * f64::from(k);
                Geodetic::from_degrees(32.0 + north_m / 110_860.0, 35.0, 8_000.0).expect("a place")
            })
            .collect();
        let t = Trajectory {
            group: 0,
            launch: points[0],
            aim: battery,
            impact: GroundPoint::new(points[120].with_height_m(0.0)),
            assets: Vec::new(),
            flight_time_s: 120.0,
            apogee_m: 8_000.0,
            burnout_s: None,
            positions: points.iter().map(Geodetic::to_ecef).collect(),
            heights_m: points.iter().map(Geodetic::height_m).collect(),
            times_s: (0..=120).map(f64::from).collect(),
        };
        (t, battery)
    }

    /// A radar at the battery's place, its antenna 10 m up, facing `facing_rad` with a sector of
    /// twice `half_sector_rad`, between elevations `min_el_rad` and 80°.
    fn radar(
        battery: Geodetic,
        facing_rad: f64,
        half_sector_rad: f64,
        min_el_rad: f64,
    ) -> RadarGeometry {
        RadarGeometry {
            frame: EnuFrame::at(battery),
            antenna_m: 10.0,
            half_sector_rad,
            facing_rad,
            min_el_rad,
            max_el_rad: 80f64.to_radians(),
        }
    }

    /// The intervals in which a radar sees the level flight over it, as the times of their
    /// first and last samples.
    fn seen(t: &Trajectory, g: &RadarGeometry, range_m: f64) -> Vec<(f64, f64)> {
        let s = |x: SimTime| x.as_s().round();
        radar_intervals(t, g, range_m)
            .into_iter()
            .map(|(a, b)| (s(a), s(b)))
            .collect()
    }

    /// A radar sees the flight over it where it lies within its range, its sector and its
    /// elevations: all around out to 200 km, the whole flight but the samples above 80°
    /// (within 1.41 km of the radar's vertical: 59 s to 61 s); the northern half facing north
    /// and the southern facing south, with a sector of 60°; from 28 km either side (a slant
    /// range of 29.1 km, 29 km being 30.1 km away) with a range of 30 km.
    #[test]
    fn a_radar_sees_a_flight_within_its_range_sector_and_elevations() {
        let (t, battery) = over_the_battery();
        let all_around = radar(battery, 0.0, PI, 0.0);
        assert_eq!(seen(&t, &all_around, 200e3), [(0.0, 58.0), (62.0, 120.0)]);
        assert_eq!(seen(&t, &all_around, 30e3), [(32.0, 58.0), (62.0, 88.0)]);
        let north = radar(battery, 0.0, 30f64.to_radians(), 0.0);
        assert_eq!(seen(&t, &north, 200e3), [(0.0, 58.0)]);
        // Facing south, given as facing 180° west as well as east.
        for facing in [PI, -PI] {
            let south = radar(battery, facing, 30f64.to_radians(), 0.0);
            assert_eq!(seen(&t, &south, 200e3), [(62.0, 120.0)]);
        }
    }

    /// A radar's lowest elevation is met by the apparent elevation over the 4/3 Earth: the
    /// true elevation lifted by the range over eight Earth radii (d·(1 − 3/4)/(2R)). The
    /// flight's first sample, 60 km out, is seen with a limit half that lift above its true
    /// elevation, and not with a limit twice the lift above it.
    #[test]
    fn the_lowest_elevation_is_met_by_the_elevation_lifted_by_refraction() {
        let (t, battery) = over_the_battery();
        let look = EnuFrame::at(battery).azimuth_elevation_range(t.positions[0]);
        let lift = look.range_m / (8.0 * MEAN_EARTH_RADIUS_M);
        let by_half = radar(battery, 0.0, PI, look.elevation_rad + 0.5 * lift);
        assert_eq!(seen(&t, &by_half, 200e3)[0], (0.0, 58.0));
        let by_twice = radar(battery, 0.0, PI, look.elevation_rad + 2.0 * lift);
        assert_eq!(seen(&t, &by_twice, 200e3)[0], (1.0, 58.0));
    }

    /// Every sample within the envelope's ground ranges and heights is a window, at its time,
    /// launched a fly-out earlier (the slant range at the interceptor's speed, or its shortest
    /// flight), with the crossing factor of the angle between the line of sight and the
    /// threat's velocity: for a level flight straight over the battery, the elevation of the
    /// sample seen from it, head-on while the threat comes, a tail chase once it has passed.
    #[test]
    fn windows_are_the_samples_inside_the_envelope_with_their_fly_out_and_crossing() {
        let (t, battery) = over_the_battery();
        let frame = EnuFrame::at(battery);
        let envelope = |min_alt_m, max_alt_m| Envelope {
            frame: EnuFrame::at(battery),
            min_alt_m,
            max_alt_m,
            min_range_m: 4_500.0,
            max_range_m: 39_500.0,
            speed_m_s: 1_500.0,
            min_flight_s: 9.0,
        };
        let earth = EarthModel::FULL;
        let mut falls = DebrisFalls::new(&earth, &t, "test");
        let windows = envelope(2_000.0, 20_000.0)
            .windows(&t, None, &mut falls)
            .expect("windows");
        // 39 km to 5 km north (35 samples) and 5 km to 39 km south (35).
        let ground = |p: Vector<_>| {
            let rel = frame.position_to_enu(p);
            rel.x.hypot(rel.y)
        };
        let inside: Vec<f64> = (0..t.positions.len())
            .filter(|&i| (4_500.0..=39_500.0).contains(&ground(t.positions[i])))
            .map(|i| t.times_s[i])
            .collect();
        assert_eq!(inside.len(), 70);
        // Times to the simulation's tick.
        let times: Vec<f64> = windows.iter().map(|w| w.intercept.as_s().round()).collect();
        assert_eq!(times, inside);
        let (mut fast, mut slow) = (0, 0);
        for w in &windows {
            let i = w.intercept.as_s().round() as usize;
            let look = frame.azimuth_elevation_range(t.positions[i]);
            let flyout_s = look.range_m / 1_500.0;
            let expected_s = flyout_s.max(9.0);
            assert!((w.intercept.as_s() - w.launch.as_s() - expected_s).abs() < 1e-6);
            fast += usize::from(flyout_s > 9.0);
            slow += usize::from(flyout_s < 9.0);
            let coming = i < 60;
            let cos = look.elevation_rad.cos() * if coming { 1.0 } else { -1.0 };
            let factor = 0.75 + 0.25 * cos;
            assert!(
                (w.crossing_factor - factor).abs() < 2e-3,
                "at {i} s: {} against {factor}",
                w.crossing_factor
            );
            assert_eq!(w.height_m, t.heights_m[i]);
            let under = Geodetic::from_ecef(t.positions[i]).with_height_m(0.0);
            assert_eq!(w.ground.point(), under);
            assert!(!w.manoeuvring);
        }
        assert!(
            fast > 0 && slow > 0,
            "{fast} fly-outs by speed, {slow} by the shortest flight"
        );
        // Out of the heights, no window.
        for (low, high) in [(8_500.0, 20_000.0), (2_000.0, 7_500.0)] {
            let none = envelope(low, high).windows(&t, None, &mut falls);
            assert!(none.expect("windows").is_empty(), "{low} to {high} m");
        }
    }

    /// Largest distance between a fall that [`DebrisFalls`] gives and the fall computed directly
    /// from the same sample, m.
    const BOUND_M: f64 = 50.0;
    /// Largest difference of their fall times, s.
    const BOUND_S: f64 = 0.5;

    /// Checks that each sample's fall in `t` (over `earth`) lies within [`BOUND_M`] and
    /// [`BOUND_S`] of the fall computed directly from it, `what` naming the trajectory; returns
    /// the samples and how many of their falls were computed directly (those are the direct
    /// fall to the bit).
    fn check_falls(earth: &EarthModel, t: &Trajectory, what: &str) -> (usize, usize) {
        let mut falls = DebrisFalls::new(earth, t, "test");
        let (mut samples, mut direct) = (0, 0);
        for i in 1..t.positions.len().saturating_sub(1) {
            let (ground, fall) = falls.at(t, i).expect("a fall");
            let from = Geodetic::from_ecef(t.positions[i]);
            let velocity = EnuFrame::at(from).vector_to_enu(t.velocity(i));
            let f = debris::fall(earth, &from, velocity, DEBRIS_BALLISTIC_COEFFICIENT_KG_M2)
                .expect("a direct fall");
            let miss = (ground.point().to_ecef() - f.ground.to_ecef()).norm();
            let late = (fall.as_s() - f.time_s).abs();
            assert!(
                miss <= BOUND_M && late <= BOUND_S,
                "{what} at {} s: {miss:.1} m, {late:.2} s from the direct fall",
                t.times_s[i],
            );
            samples += 1;
            direct += usize::from(ground.point() == f.ground);
        }
        (samples, direct)
    }

    /// On every trajectory of every library scenario, each sample's fall lies within
    /// [`BOUND_M`] and [`BOUND_S`] of the fall computed directly from it, while most falls are
    /// interpolated.
    #[test]
    fn interpolated_falls_stay_near_the_direct_ones() {
        let library = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios");
        let mut paths: Vec<_> = std::fs::read_dir(&library)
            .expect("the scenario library")
            .map(|e| e.expect("a library entry").path())
            .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
            .collect();
        paths.sort();
        assert!(paths.len() >= 10, "{} library scenarios", paths.len());
        let (mut samples, mut direct) = (0, 0);
        for path in &paths {
            let scenario = skyshield_scenario::load(path).expect("a valid library scenario");
            let p = crate::prepare(&scenario).expect("prepared");
            for t in &p.trajectories {
                let what = format!("{}, trajectory of group {}", path.display(), t.group);
                let (n, d) = check_falls(&p.earth, t, &what);
                samples += n;
                direct += d;
            }
        }
        assert!(
            2 * direct < samples,
            "{direct} of {samples} falls computed directly"
        );
    }

    /// The flight through `points`, a sample a second, otherwise that of [`over_the_battery`].
    fn through(points: &[Geodetic]) -> Trajectory {
        let (mut t, _) = over_the_battery();
        t.positions = points.iter().map(Geodetic::to_ecef).collect();
        t.heights_m = points.iter().map(Geodetic::height_m).collect();
        t.times_s = (0..points.len()).map(|k| k as f64).collect();
        t.flight_time_s = (points.len() - 1) as f64;
        t
    }

    /// A level flight at 15 km, at 1 km/s due south, that weaves east and west at
    /// `15 sin(2π t / 16 s)` m/s: back on its straight line and flying along it at every 16th
    /// second (the ends and the middle of each block of falls), but up to 76 m off the line
    /// and 15 m/s across it in between. The falls at the ends and the middle of a block agree
    /// with the straight line, and only the velocity's departure from a steady change tells
    /// that the samples between them fall elsewhere: each sample's fall is still the direct
    /// one within the bounds.
    #[test]
    fn a_weave_unseen_at_the_middle_of_a_block_gets_falls_of_its_own() {
        let (speed_m_s, period_s) = (15.0, 16.0);
        let east_deg_per_m = 1.0 / (111_320.0 * 32f64.to_radians().cos());
        let points: Vec<Geodetic> = (0..=128)
            .map(|k| {
                let t = f64::from(k);
                let north_m = 60_000.0 - 1_000.0 * t;
                let phase = 2.0 * std::f64::consts::PI * t / period_s;
                let east_m =
                    speed_m_s * period_s / (2.0 * std::f64::consts::PI) * (1.0 - phase.cos());
                Geodetic::from_degrees(
                    32.0 + north_m / 110_860.0,
                    35.0 + east_m * east_deg_per_m,
                    15_000.0,
                )
                .expect("a place")
            })
            .collect();
        check_falls(&EarthModel::FULL, &through(&points), "the weave");
    }

    /// A straight flight due south, climbing steadily from 8 to 14.4 km and slowing steadily
    /// from 1 km/s at 1 m/s², whose debris falls for longer the later the kill: its velocity
    /// changes steadily, and its falls and their times are interpolated over two thirds of it
    /// at least, within the bounds of the direct ones, the same in whatever order asked for.
    #[test]
    fn a_steady_climb_has_most_falls_interpolated() {
        let points: Vec<Geodetic> = (0..=128)
            .map(|k| {
                let t = f64::from(k);
                let north_m = 60_000.0 - 1_000.0 * t + 0.5 * t * t;
                Geodetic::from_degrees(32.0 + north_m / 110_860.0, 35.0, 8_000.0 + 50.0 * t)
                    .expect("a place")
            })
            .collect();
        let (samples, direct) = check_falls(&EarthModel::FULL, &through(&points), "the climb");
        assert!(
            3 * direct < samples,
            "{direct} of {samples} falls computed directly"
        );
        // Falls asked for from the last sample back are those asked for from the first on: a
        // block filled before the one below it leaves that block's samples alone.
        let t = through(&points);
        let inner = 1..t.positions.len() - 1;
        let mut forward = DebrisFalls::new(&EarthModel::FULL, &t, "test");
        let mut backward = DebrisFalls::new(&EarthModel::FULL, &t, "test");
        let fall = |falls: &mut DebrisFalls, i| {
            let (ground, time) = falls.at(&t, i).expect("a fall");
            (ground.point(), time)
        };
        let ahead: Vec<_> = inner.clone().map(|i| fall(&mut forward, i)).collect();
        let mut back: Vec<_> = inner.rev().map(|i| fall(&mut backward, i)).collect();
        back.reverse();
        assert!(
            ahead == back,
            "the falls depend on the order they are asked for"
        );
    }
}
