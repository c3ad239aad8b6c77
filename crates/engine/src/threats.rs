//! Threats in flight: launch, failure in flight, impact, and the sirens that the prediction of
//! their impact sets off.

use skyshield_core::{RngExt, SimTime, Stream};

use crate::outcome::{EngineEvent, Fate, LeakCause, Observer, ThreatOutcome};
use crate::prepared::{Prepared, SensorKind};
use crate::state::{Event, Replication, Rngs, Status};
use crate::warning::Circle;

impl Replication {
    /// Threat `i` launches; sensors of given tracking track it from launch.
    pub(crate) fn on_launch<O: Observer>(
        &mut self,
        p: &Prepared,
        observer: &mut O,
        rng: Rngs,
        now: SimTime,
        i: usize,
    ) {
        let plan = p.threats[i];
        self.threats[i].status = Status::Flying;
        self.outcome.offense_cost_usd += p.types[plan.group].cost_usd;
        observer.event(&EngineEvent::Launch {
            time_s: now.as_s(),
            threat: i,
        });
        if p.warning.is_some() {
            self.warning
                .launched(i, self.threats[i].cue_time, self.threats[i].impact_time);
        }
        for cov in &p.coverage[plan.trajectory] {
            if let SensorKind::Given {
                tracking_probability,
            } = p.sensors[cov.sensor].kind
                && rng
                    .of(Stream::Detection, self.seen_by(plan.key, cov.sensor))
                    .random::<f64>()
                    < self.value(tracking_probability)
            {
                self.track(p, observer, rng, now, cov.sensor, i);
            }
        }
    }

    /// Threat `i` fails in flight where its nominal trajectory is at that time.
    pub(crate) fn on_fail<O: Observer>(
        &mut self,
        p: &Prepared,
        observer: &mut O,
        now: SimTime,
        i: usize,
    ) {
        if self.threats[i].status != Status::Flying {
            return;
        }
        let t_s = now.as_s();
        self.kill_threat(p, i, now);
        let plan = p.threats[i];
        let g = p.trajectories[plan.trajectory].position_at((now - self.threats[i].launch).as_s());
        self.outcome.threats[i] = ThreatOutcome {
            fate: Fate::FailedInFlight,
            time_s: t_s,
            lat_deg: g.lat_deg(),
            lon_deg: g.lon_deg(),
            height_m: 0.0,
            battery: None,
            asset: None,
            debris: None,
            ..self.outcome.threats[i]
        };
        observer.event(&EngineEvent::Failure {
            time_s: t_s,
            threat: i,
        });
    }

    /// Threat `i` reaches the ground at its run's impact point: a leaker, or ignored in open
    /// ground when the battle manager judged it harmless and it fell outside every asset.
    pub(crate) fn on_impact<O: Observer>(
        &mut self,
        p: &Prepared,
        observer: &mut O,
        now: SimTime,
        i: usize,
    ) {
        if self.threats[i].status != Status::Flying {
            return;
        }
        let t_s = now.as_s();
        self.kill_threat(p, i, now);
        let traj = &p.trajectories[p.threats[i].trajectory];
        let (e, n) = self.threats[i].impact;
        let asset = traj.assets.iter().position(|a| a.within_m(e, n, 0.0));
        let impact = traj.impact.offset(e, n);
        let (fate, leak_cause) = if asset.is_none() && self.threats[i].ignored_open {
            (Fate::IgnoredOpenArea, None)
        } else {
            (Fate::Leaked, Some(self.leak_cause(p, i)))
        };
        self.outcome.threats[i] = ThreatOutcome {
            fate,
            time_s: t_s,
            lat_deg: impact.lat_deg(),
            lon_deg: impact.lon_deg(),
            height_m: 0.0,
            battery: None,
            asset,
            debris: None,
            leak_cause,
            ..self.outcome.threats[i]
        };
        observer.event(&EngineEvent::Impact {
            time_s: t_s,
            threat: i,
            lat_deg: impact.lat_deg(),
            lon_deg: impact.lon_deg(),
            asset,
        });
        if let Some(w) = &p.warning {
            self.warning
                .impact(p, w, i, now, (e, n), &mut self.outcome.warning);
        }
    }

    /// Why threat `i`, reaching the ground, leaked: the first cause of [`LeakCause::ALL`] that
    /// applies.
    fn leak_cause(&self, p: &Prepared, i: usize) -> LeakCause {
        let s = &self.threats[i];
        if p.opportunities[p.threats[i].trajectory].is_empty() {
            LeakCause::OutOfReach
        } else if s.track_time == SimTime::MAX {
            LeakCause::NeverDetected
        } else if self.outcome.threats[i].shots > 0 {
            if s.believed_dead {
                LeakCause::JudgedKilledWrongly
            } else {
                LeakCause::AllShotsMissed
            }
        } else if s.ignored_open {
            LeakCause::JudgedHarmlessWrongly
        } else {
            // Tracked, but no decision came before its windows closed.
            s.blocked.unwrap_or(LeakCause::TrackedTooLate)
        }
    }

    /// A siren decision on threat `i`: the zones its prediction's region meets sound, and the
    /// next decision comes a cycle later while a later region could still add a zone.
    pub(crate) fn on_siren<O: Observer>(
        &mut self,
        p: &Prepared,
        observer: &mut O,
        now: SimTime,
        i: usize,
    ) {
        let Some(w) = &p.warning else {
            return;
        };
        if self.threats[i].status != Status::Flying {
            return;
        }
        let (east_m, north_m, sigma) = self.predicted(p, i, now);
        let region = Circle {
            east_m,
            north_m,
            radius_m: w.sigmas * sigma,
        };
        self.warning
            .sound(p, i, now, region, &mut self.outcome.warning, observer);
        // Later regions, about `I + σz` with radius `kσ` for a shrinking σ, lie inside
        // this one when |z| <= k: they could add no zone, so they are not evaluated.
        let (ze, zn) = self.threats[i].prediction_z;
        let next = now + self.cycle;
        if ze.hypot(zn) > w.sigmas && next < self.threats[i].impact_time {
            self.push(next, Event::Siren(i as u32));
        }
    }
}
