//! Civil warning in a run: early warnings, sirens from the impact-point prediction, and what
//! they were worth (lead times, warnings too late, false alarms, people under alert).
//!
//! # When the warning system acts
//! - **Early warning**: a threat is early-warned at the earlier of its space-infrared cue and
//!   its first track (the phone alert to the threatened region). Its lead time is the time from
//!   then to the threat's arrival (its impact time in the run, whether or not it is later
//!   intercepted), counted for every threat early-warned while it flies.
//! - **Siren decisions** are taken for a tracked threat at `max(first track, arrival −
//!   min_lead_s)`, and from then every decision cycle (the battle manager's cycle length) until
//!   it lands or dies. At each decision the siren region is the circle of `k` prediction
//!   standard deviations about the predicted impact point (`k = sqrt(−2 ln(1 − confidence))`,
//!   the predicted point and its standard deviation as the battle manager sees them), and every
//!   zone that the circle meets sounds its siren for the threat, unless it already has. The
//!   policy thus waits for the prediction to narrow but sounds no later than `min_lead_s`
//!   before the arrival; later decisions add the zones that a shifting prediction newly
//!   covers. A siren once sounded stays.
//! - **Debris** (`warn_debris`): when a threat is intercepted, the zones that meet the circle of
//!   `k` debris standard deviations ([`crate::DEBRIS_SIGMA_M`]) about the debris' mean fall
//!   point sound their sirens, and the debris lands in its zone at the intercept time plus the
//!   fall time. Both come from the engagement window ([`crate::Window`]): the ballistic fall with
//!   drag from the threat's position and velocity at the intercept
//!   ([`skyshield_physics::debris`]), which carries the debris downrange. Without
//!   `warn_debris`, debris is neither warned for nor counted.
//!
//! # What a run reports
//! - A zone is **under alert** from a siren until the end of its threat (impact, debris
//!   landing, intercept without debris warning, or failure) plus `all_clear_s`; overlapping
//!   alerts of a zone merge into one **alert period**. People-minutes under alert sum the
//!   zone's population times the length of its periods.
//! - The **lead time** of an impact (a leaker's, or debris when warned for) in a zone is the
//!   time since the zone's siren sounded for that threat; when it did not (the prediction never
//!   covered the zone, or the siren came after the impact), the time since the start of the
//!   zone's alert period that holds the impact (its people were sheltering from other threats);
//!   with no alert period holding it, 0.
//! - A zone's people were **warned too late** when an impact in it came less than the zone's
//!   shelter time after the start of the alert period holding it, or with none (counted once
//!   per zone and run): people already under alert for another threat are in shelter.
//! - A **false alarm** is a zone with an alert period in the run and no impact in it.
//! - Failed threats' wreckage is not counted as an impact.

use skyshield_core::SimTime;
use skyshield_physics::earth::{EnuFrame, Geodetic};

use crate::outcome::{
    EngineEvent, Observer, Siren, ThreatOutcome, WarningOutcome, ZoneImpact, ZoneTally,
};
use crate::prepared::{DEBRIS_SIGMA_M, Prepared, Window};
use crate::zones::{PlaneZone, WarningPlan};

/// A siren region: a circle in the plane of a trajectory's nominal impact point (m).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Circle {
    pub(crate) east_m: f64,
    pub(crate) north_m: f64,
    pub(crate) radius_m: f64,
}

/// The reusable warning state of a run.
#[derive(Debug, Default)]
pub(crate) struct WarningRun {
    /// Per threat, its first slot in `sounded`; one more entry at the end.
    first_slot: Vec<u32>,
    /// Per (threat, zone within its trajectory's reach): whether the zone's siren sounded for
    /// the threat.
    sounded: Vec<bool>,
    /// Per threat: early warning time (`SimTime::MAX`: none).
    early: Vec<SimTime>,
    /// Per threat: arrival (impact) time.
    arrival: Vec<SimTime>,
    /// Per threat: when its debris lands (`SimTime::MAX`: no debris warned for).
    debris_lands: Vec<SimTime>,
    /// Alert periods: (zone, start, end), merged at the end of the run.
    periods: Vec<(usize, SimTime, SimTime)>,
    /// Sirens as (zone, threat, time), sorted at the end of the run.
    siren_times: Vec<(usize, usize, SimTime)>,
}

impl WarningRun {
    /// Sizes the state for a run of `p` and empties `out`.
    pub(crate) fn reset(&mut self, p: &Prepared, out: &mut WarningOutcome) {
        out.sirens.clear();
        out.impacts.clear();
        out.early_warning_lead_s.clear();
        out.zones.clear();
        out.false_alarm_zones = 0;
        out.false_alarm_people = 0.0;
        out.too_late_people = 0.0;
        out.people_minutes = 0.0;
        let Some(w) = &p.warning else {
            return;
        };
        out.zones.resize(w.zones.len(), ZoneTally::default());
        self.first_slot.clear();
        let mut slot = 0u32;
        for plan in &p.threats {
            self.first_slot.push(slot);
            slot += w.near[plan.trajectory].len() as u32;
        }
        self.first_slot.push(slot);
        self.sounded.clear();
        self.sounded.resize(slot as usize, false);
        let nt = p.threats.len();
        self.early.clear();
        self.early.resize(nt, SimTime::MAX);
        self.arrival.clear();
        self.arrival.resize(nt, SimTime::MAX);
        self.debris_lands.clear();
        self.debris_lands.resize(nt, SimTime::MAX);
        self.periods.clear();
    }

    /// Threat `i` was launched, to arrive at `arrival`, cued by space infrared at `cue`.
    pub(crate) fn launched(&mut self, i: usize, cue: SimTime, arrival: SimTime) {
        self.early[i] = cue;
        self.arrival[i] = arrival;
    }

    /// Threat `i` is tracked for the first time at `now`: returns whether this is its early
    /// warning (no cue came before), and the time of its first siren decision, if it has one.
    pub(crate) fn tracked(
        &mut self,
        w: &WarningPlan,
        i: usize,
        now: SimTime,
    ) -> (bool, Option<SimTime>) {
        let first_warning = self.early[i] > now;
        self.early[i] = self.early[i].min(now);
        let decide = now.max(self.arrival[i] - SimTime::from_s(w.min_lead_s));
        (first_warning, (decide < self.arrival[i]).then_some(decide))
    }

    /// Threat `i` was killed at `now` in `window`: with debris warned for, sirens about the
    /// debris' mean fall point and the debris' landing.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn intercepted<O: Observer>(
        &mut self,
        p: &Prepared,
        i: usize,
        now: SimTime,
        window: &Window,
        end: &ThreatOutcome,
        out: &mut WarningOutcome,
        observer: &mut O,
    ) {
        let Some(w) = &p.warning else {
            return;
        };
        let Some((lat, lon)) = end.debris.filter(|_| w.warn_debris) else {
            return;
        };
        let traj = &p.trajectories[p.threats[i].trajectory];
        let frame = EnuFrame::at(traj.impact.point().with_height_m(0.0));
        let plane = |lat_deg: f64, lon_deg: f64| {
            let g =
                Geodetic::from_radians_unchecked(lat_deg.to_radians(), lon_deg.to_radians(), 0.0);
            let v = frame.position_to_enu(g.to_ecef());
            (v.x, v.y)
        };
        let fall = window.debris.point();
        let (east_m, north_m) = plane(fall.lat_deg(), fall.lon_deg());
        let region = Circle {
            east_m,
            north_m,
            radius_m: w.sigmas * DEBRIS_SIGMA_M,
        };
        self.sound(p, i, now, region, out, observer);
        let lands = now + window.debris_fall;
        self.debris_lands[i] = lands;
        let (e, n) = plane(lat, lon);
        if let Some(z) = zone_of(&w.near[p.threats[i].trajectory], e, n) {
            out.impacts.push(ZoneImpact {
                zone: z,
                threat: i,
                time_s: lands.as_s(),
                debris: true,
                lead_s: 0.0,
            });
        }
    }

    /// Threat `i` landed at `now` at `point` of its trajectory's plane.
    pub(crate) fn impact(
        &mut self,
        p: &Prepared,
        w: &WarningPlan,
        i: usize,
        now: SimTime,
        point: (f64, f64),
        out: &mut WarningOutcome,
    ) {
        if let Some(z) = zone_of(&w.near[p.threats[i].trajectory], point.0, point.1) {
            out.impacts.push(ZoneImpact {
                zone: z,
                threat: i,
                time_s: now.as_s(),
                debris: false,
                lead_s: 0.0,
            });
        }
    }

    /// Sounds, for threat `i` at `now`, every zone within its reach that `region` meets and
    /// that has not sounded for it yet: a siren decision.
    pub(crate) fn sound<O: Observer>(
        &mut self,
        p: &Prepared,
        i: usize,
        now: SimTime,
        region: Circle,
        out: &mut WarningOutcome,
        observer: &mut O,
    ) {
        let Some(w) = &p.warning else {
            return;
        };
        let first = self.first_slot[i] as usize;
        let near = &w.near[p.threats[i].trajectory];
        for (k, zone) in near.iter().enumerate() {
            if self.sounded[first + k]
                || !zone.meets_circle(region.east_m, region.north_m, region.radius_m)
            {
                continue;
            }
            self.sounded[first + k] = true;
            out.sirens.push(Siren {
                zone: zone.zone,
                threat: i,
                time_s: now.as_s(),
            });
            if O::ACTIVE {
                let traj = &p.trajectories[p.threats[i].trajectory];
                let g = traj.impact.offset(region.east_m, region.north_m);
                observer.event(&EngineEvent::Siren {
                    time_s: now.as_s(),
                    zone: zone.zone,
                    threat: i,
                    east_m: region.east_m,
                    north_m: region.north_m,
                    lat_deg: g.lat_deg(),
                    lon_deg: g.lon_deg(),
                    radius_m: region.radius_m,
                });
            }
        }
    }

    /// Closes the run's warning: alert periods, lead times, warnings too late, false alarms,
    /// people-minutes, early-warning lead times.
    pub(crate) fn finish(
        &mut self,
        w: &WarningPlan,
        threats: &[ThreatOutcome],
        out: &mut WarningOutcome,
    ) {
        let all_clear = SimTime::from_s(w.all_clear_s);
        self.periods.clear();
        for s in &out.sirens {
            let i = s.threat;
            let end = if self.debris_lands[i] < SimTime::MAX {
                self.debris_lands[i]
            } else {
                SimTime::from_s(threats[i].time_s)
            };
            self.periods.push((
                s.zone,
                SimTime::from_s(s.time_s),
                end.max(SimTime::from_s(s.time_s)) + all_clear,
            ));
        }
        self.periods.sort_unstable();
        // Merge the overlapping periods of each zone, in place.
        let mut kept = 0;
        for k in 0..self.periods.len() {
            let (zone, start, end) = self.periods[k];
            if kept > 0 {
                let last = &mut self.periods[kept - 1];
                if last.0 == zone && start <= last.2 {
                    last.2 = last.2.max(end);
                    continue;
                }
            }
            self.periods[kept] = (zone, start, end);
            kept += 1;
        }
        self.periods.truncate(kept);
        for &(zone, start, end) in &self.periods {
            let tally = &mut out.zones[zone];
            let length_s = (end - start).as_s();
            tally.alerts += 1;
            tally.alert_s += length_s;
            out.people_minutes += w.zones[zone].population * length_s / 60.0;
        }
        self.siren_times.clear();
        self.siren_times.extend(
            out.sirens
                .iter()
                .map(|s| (s.zone, s.threat, SimTime::from_s(s.time_s))),
        );
        self.siren_times.sort_unstable();
        for impact in &mut out.impacts {
            let t = SimTime::from_s(impact.time_s);
            let k = self
                .periods
                .partition_point(|&(z, s, _)| (z, s) <= (impact.zone, t));
            let sheltering_s = match k.checked_sub(1).map(|k| self.periods[k]) {
                Some((z, start, end)) if z == impact.zone && t <= end => (t - start).as_s(),
                _ => 0.0,
            };
            let k = self
                .siren_times
                .partition_point(|&(z, i, _)| (z, i) < (impact.zone, impact.threat));
            impact.lead_s = match self.siren_times.get(k) {
                Some(&(z, i, at)) if (z, i) == (impact.zone, impact.threat) && at <= t => {
                    (t - at).as_s()
                }
                _ => sheltering_s,
            };
            let zone = impact.zone;
            out.zones[zone].impacts += 1;
            if sheltering_s < w.zones[zone].shelter_time_s {
                out.zones[zone].too_late = true;
            }
        }
        for (tally, zone) in out.zones.iter().zip(&w.zones) {
            if tally.too_late {
                out.too_late_people += zone.population;
            }
            if tally.alerts > 0 && tally.impacts == 0 {
                out.false_alarm_zones += 1;
                out.false_alarm_people += zone.population;
            }
        }
        for (i, end) in threats.iter().enumerate() {
            let early = self.early[i];
            if early < SimTime::MAX && early.as_s() <= end.time_s {
                out.early_warning_lead_s
                    .push((self.arrival[i] - early).as_s());
            }
        }
    }
}

/// The zone of `zones` that holds the point `(east_m, north_m)`, if any.
fn zone_of(zones: &[PlaneZone], east_m: f64, north_m: f64) -> Option<usize> {
    zones
        .iter()
        .find(|z| z.contains(east_m, north_m))
        .map(|z| z.zone)
}
