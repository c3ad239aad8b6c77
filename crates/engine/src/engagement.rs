//! Engagements: interceptors on their way, intercepts with their kill probability, and the
//! kill assessment that follows a miss.

use skyshield_core::{RngExt, SimTime, Stream, mix_keys};

use crate::outcome::{EngineEvent, Fate, Observer, ThreatOutcome};
use crate::prepared::{DEBRIS_SIGMA_M, Prepared};
use crate::state::{Event, Replication, Rngs, Status, normal};

/// Time from an intercept to its kill assessment, s. Notional.
pub const ASSESSMENT_DELAY_S: f64 = 2.0;

impl Replication {
    /// The interceptors of engagement `e` launch (scheduled only for an active observer).
    pub(crate) fn on_interceptor_launch<O: Observer>(
        &mut self,
        observer: &mut O,
        now: SimTime,
        e: usize,
    ) {
        let eng = self.engagements[e];
        observer.event(&EngineEvent::InterceptorLaunch {
            time_s: now.as_s(),
            battery: eng.battery as usize,
            threat: eng.threat as usize,
            shots: eng.shots,
            intercept_s: eng.intercept.as_s(),
        });
    }

    /// The interceptors of engagement `e` meet their threat: the fire channel frees, and each
    /// interceptor kills with its kill probability; a miss is assessed under shoot-look-shoot.
    pub(crate) fn on_intercept<O: Observer>(
        &mut self,
        p: &Prepared,
        observer: &mut O,
        rng: Rngs,
        now: SimTime,
        e: usize,
    ) {
        let t_s = now.as_s();
        let eng = self.engagements[e];
        let (i, b) = (eng.threat as usize, eng.battery as usize);
        self.channels_busy[b] -= 1;
        if !self.channel_waiting[b].is_empty() {
            // The next cycle offers the free channel to the most urgent waiting threat.
            self.offer = true;
            self.request_cycle(now);
        }
        self.threats[i].engagements_in_flight -= 1;
        if self.threats[i].status != Status::Flying {
            return;
        }
        let plan = p.threats[i];
        let kind = &p.types[plan.group];
        let battery = &p.batteries[b];
        let window =
            p.opportunities[plan.trajectory][eng.opportunity as usize].windows[eng.window as usize];
        let mut pk = self.value(battery.kill_probability(kind.class)) * window.crossing_factor;
        if window.manoeuvring {
            pk *= self.value(battery.manoeuvre_kill_factor);
        }
        let n = self.threats[i].intercepts;
        self.threats[i].intercepts += 1;
        let mut draws = rng.of(Stream::Kill, mix_keys(plan.key, u64::from(n)));
        let mut killed = false;
        for _ in 0..eng.shots {
            killed |= draws.random::<f64>() < pk;
        }
        let ground = window.ground.point();
        observer.event(&EngineEvent::Intercept {
            time_s: t_s,
            battery: b,
            threat: i,
            killed,
            lat_deg: ground.lat_deg(),
            lon_deg: ground.lon_deg(),
            height_m: window.height_m,
        });
        if killed {
            self.kill_threat(p, i, now);
            self.outcome.batteries[b].kills += 1;
            let mut draws = rng.of(Stream::Debris, plan.key);
            let (de, dn) = (
                DEBRIS_SIGMA_M * normal(&mut draws),
                DEBRIS_SIGMA_M * normal(&mut draws),
            );
            let debris = window.debris.offset(de, dn);
            self.outcome.threats[i] = ThreatOutcome {
                fate: Fate::Intercepted,
                time_s: t_s,
                lat_deg: ground.lat_deg(),
                lon_deg: ground.lon_deg(),
                height_m: window.height_m,
                battery: Some(b),
                asset: None,
                debris: Some((debris.lat_deg(), debris.lon_deg())),
                ..self.outcome.threats[i]
            };
            if p.warning.is_some() {
                let end = self.outcome.threats[i];
                self.warning.intercepted(
                    p,
                    i,
                    now,
                    &window,
                    &end,
                    &mut self.outcome.warning,
                    observer,
                );
            }
        } else if p.shoot_look_shoot {
            self.push(
                now + SimTime::from_s(ASSESSMENT_DELAY_S),
                Event::Assess(i as u32),
            );
        } else {
            // Without a look, the threat is decided on again while it flies.
            self.wake(i, now);
        }
    }

    /// The kill assessment of threat `i` after a miss: seen alive, it is decided on again;
    /// otherwise it is believed dead.
    pub(crate) fn on_assess<O: Observer>(
        &mut self,
        p: &Prepared,
        observer: &mut O,
        rng: Rngs,
        now: SimTime,
        i: usize,
    ) {
        if self.threats[i].status != Status::Flying {
            return;
        }
        // The assessment of the threat's latest intercept.
        let n = self.threats[i].intercepts.saturating_sub(1);
        let key = mix_keys(p.threats[i].key, u64::from(n));
        let seen_alive = rng.of(Stream::Assessment, key).random::<f64>()
            < self.value(p.kill_assessment_probability);
        observer.event(&EngineEvent::Assessment {
            time_s: now.as_s(),
            threat: i,
            seen_alive,
        });
        if seen_alive {
            self.wake(i, now);
        } else {
            self.threats[i].believed_dead = true;
        }
    }
}
