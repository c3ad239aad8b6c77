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

pub(super) struct RadarGeometry {
    pub(super) frame: EnuFrame,
    pub(super) antenna_m: f64,
    pub(super) half_sector_rad: f64,
    pub(super) facing_rad: f64,
    pub(super) min_el_rad: f64,
    pub(super) max_el_rad: f64,
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
        let look = g.frame.azimuth_elevation_range(*p);
        let off = (look.azimuth_rad - g.facing_rad + std::f64::consts::PI)
            .rem_euclid(std::f64::consts::TAU)
            - std::f64::consts::PI;
        // Apparent elevation over the 4/3 effective Earth: refraction lifts a target at range d
        // by about d·(1 − 1/k)/(2R) (Skolnik, ch. 8).
        let apparent_el = look.elevation_rad
            + look.range_m * (1.0 - 1.0 / EFFECTIVE_EARTH_RADIUS_FACTOR)
                / (2.0 * MEAN_EARTH_RADIUS_M);
        let visible = look.range_m <= range_m
            && (g.half_sector_rad >= std::f64::consts::PI || off.abs() <= g.half_sector_rad)
            && look.elevation_rad <= g.max_el_rad
            && apparent_el >= g.min_el_rad
            && look.range_m <= radar_horizon_m(g.antenna_m, t.heights_m[i]);
        let ti = SimTime::from_s(t.times_s[i]);
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

/// Where the debris of a kill at each sample of one trajectory falls, and how long it takes:
/// computed when a window first needs it, and shared by every battery that meets the
/// trajectory at that sample.
pub(super) struct DebrisFalls<'a> {
    earth: &'a EarthModel,
    /// The raid group flying the trajectory, for errors.
    group: &'a str,
    falls: Vec<Option<(GroundPoint, SimTime)>>,
}

impl<'a> DebrisFalls<'a> {
    /// No fall computed yet for trajectory `t`, flown by raid group `group` over `earth`.
    pub(super) fn new(earth: &'a EarthModel, t: &Trajectory, group: &'a str) -> Self {
        Self {
            earth,
            group,
            falls: vec![None; t.positions.len()],
        }
    }

    /// The mean fall point and fall time of debris from sample `i` of `t`: the ballistic fall
    /// with drag of a fragment of [`DEBRIS_BALLISTIC_COEFFICIENT_KG_M2`] from the sample's
    /// position, with the velocity of its neighbouring samples.
    fn at(&mut self, t: &Trajectory, i: usize) -> Result<(GroundPoint, SimTime), PrepareError> {
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
        let fall = (GroundPoint::new(f.ground), SimTime::from_s(f.time_s));
        self.falls[i] = Some(fall);
        Ok(fall)
    }
}

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
        for i in 1..last {
            let h = t.heights_m[i];
            if h < self.min_alt_m || h > self.max_alt_m {
                continue;
            }
            let rel = self.frame.position_to_enu(t.positions[i]);
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
