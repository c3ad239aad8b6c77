//! Sensing: the detections that follow from each launch, drawn before the run is played;
//! fire-control tracks and the radars' track capacity; space-based early-warning cues.

use skyshield_core::{RngExt, SimTime, Stream, StreamRng, mix_part_key};

use crate::outcome::{EngineEvent, Observer};
use crate::prepared::{Prepared, SensorKind};
use crate::state::{Event, Replication, Rngs, Status, normal};
use crate::timeline::Rank;

impl Replication {
    /// Draws what follows from the launch of threat `i` without depending on the rest of the
    /// run, and puts it in the timeline: the launch, failure, impact, the early-warning cue
    /// (only for an observer), and per radar the track and the end of its coverage. Sensors of
    /// given tracking (those of abstract scenarios, which have no others) draw at the launch.
    pub(crate) fn plan<O: Observer>(&mut self, p: &Prepared, rng: Rngs, i: usize) {
        let plan = p.threats[i];
        let id = i as u32;
        let launch = self.threats[i].launch;
        self.timeline.put(launch, Rank::Launch, Event::Launch(id));
        // Space-based early warning first: it cues the radars.
        for cov in &p.coverage[plan.trajectory] {
            if let SensorKind::SpaceIr {
                latency_s,
                detection_probability,
                ..
            } = p.sensors[cov.sensor].kind
                && rng
                    .of(Stream::Detection, self.seen_by(plan.key, cov.sensor))
                    .random::<f64>()
                    < self.value(detection_probability)
            {
                let cue = launch + cov.intervals[0].0 + SimTime::from_s(self.value(latency_s));
                self.threats[i].cue_time = self.threats[i].cue_time.min(cue);
            }
        }
        let s = self.threats[i];
        if s.fail_time < SimTime::MAX {
            self.timeline.put(s.fail_time, Rank::Later, Event::Fail(id));
        }
        self.timeline
            .put(s.impact_time, Rank::Later, Event::Impact(id));
        let gone = s.fail_time.min(s.impact_time);
        if O::ACTIVE && s.cue_time < SimTime::MAX {
            self.timeline.put(s.cue_time, Rank::Later, Event::Cue(id));
        }
        for cov in &p.coverage[plan.trajectory] {
            let SensorKind::Radar {
                scan_period_s,
                confirmation_dwell_s,
                detection_probability,
                detections_to_track,
                ..
            } = p.sensors[cov.sensor].kind
            else {
                continue;
            };
            let pd = self.value(detection_probability);
            let mut draws = rng.of(Stream::Detection, self.seen_by(plan.key, cov.sensor));
            for &(start, end) in &cov.intervals {
                let first_scan =
                    launch + start + SimTime::from_s(scan_period_s * draws.random::<f64>());
                let cued = s.cue_time <= first_scan;
                let needed = if cued { 1 } else { detections_to_track };
                // The first detection on the search scans; then the detections that confirm
                // it, on the next scans of a rotating radar, or on the confirmation beams of an
                // electronically scanned one.
                let search = looks_until_detection(&mut draws, pd);
                let confirm: u32 = (1..needed)
                    .map(|_| looks_until_detection(&mut draws, pd))
                    .sum();
                let at = first_scan
                    + SimTime::from_s(
                        scan_period_s * f64::from(search - 1)
                            + confirmation_dwell_s.unwrap_or(scan_period_s) * f64::from(confirm),
                    );
                if at <= launch + end {
                    // What comes at or after the threat's failure or impact (both put before)
                    // finds it no longer flying, and is left out.
                    let sensor = cov.sensor as u32;
                    if at < gone {
                        self.timeline.put(at, Rank::Later, Event::Track(sensor, id));
                    }
                    if launch + end < gone {
                        self.timeline
                            .put(launch + end, Rank::Later, Event::TrackLost(sensor, id));
                    }
                    break;
                }
            }
        }
    }

    /// Ends threat `i`: it flies no more, and the radars tracking it free their track.
    pub(crate) fn kill_threat(&mut self, p: &Prepared, i: usize, now: SimTime) {
        self.threats[i].status = Status::Dead;
        let ns = p.sensors.len();
        for s in 0..ns {
            let k = i * ns + s;
            self.coverage_over[k] = true;
            if self.tracks[k] < SimTime::MAX {
                self.release_track(p, s, i, now);
            }
        }
    }

    /// Frees the track of sensor `s` on threat `i`, and admits the first waiting threat still
    /// in the sensor's coverage.
    pub(crate) fn release_track(&mut self, p: &Prepared, s: usize, i: usize, now: SimTime) {
        let ns = p.sensors.len();
        self.tracks[i * ns + s] = SimTime::MAX;
        self.set_update_rate(p, i, now);
        self.active_tracks[s] -= 1;
        self.threats[i].tracks_now -= 1;
        while let Some(w) = self.track_waiting[s].pop_front() {
            let w = w as usize;
            if self.threats[w].status == Status::Flying && !self.coverage_over[w * ns + s] {
                self.push(now, Event::Track(s as u32, w as u32));
                break;
            }
        }
    }

    /// The key of the draws of the threat of key `threat_key` seen by sensor `s`.
    pub(crate) fn seen_by(&self, threat_key: u64, s: usize) -> u64 {
        mix_part_key(threat_key, self.sensor_keys[s])
    }

    /// The rate at which each sensor updates its tracks: once per `track_revisit_s` for a
    /// radar, never for the others.
    pub(crate) fn set_update_rates(&mut self, p: &Prepared) {
        self.update_rates_hz.clear();
        self.update_rates_hz
            .extend(p.sensors.iter().map(|s| match s.kind {
                SensorKind::Radar {
                    track_revisit_s, ..
                } => 1.0 / track_revisit_s,
                SensorKind::SpaceIr { .. } | SensorKind::Given { .. } => 0.0,
            }));
    }

    /// Updates of threat `i`'s track until `now`.
    pub(crate) fn track_updates(&self, i: usize, now: SimTime) -> f64 {
        let s = &self.threats[i];
        let since_s = (now - s.updates_mark).as_s();
        if since_s > 0.0 {
            s.track_updates + since_s * s.update_rate_hz
        } else {
            s.track_updates
        }
    }

    /// From `now`, threat `i`'s track is updated at the rate of the fastest radar holding a
    /// track on it: once per `track_revisit_s`.
    fn set_update_rate(&mut self, p: &Prepared, i: usize, now: SimTime) {
        let updates = self.track_updates(i, now);
        let ns = p.sensors.len();
        let rate = self.tracks[i * ns..(i + 1) * ns]
            .iter()
            .zip(&self.update_rates_hz)
            .filter(|(track, _)| **track < SimTime::MAX)
            .map(|(_, rate)| *rate)
            .fold(0.0, f64::max);
        let s = &mut self.threats[i];
        s.track_updates = updates;
        s.updates_mark = now;
        s.update_rate_hz = rate;
    }

    /// Threat `i` is early-warned from space (reported only while it flies).
    pub(crate) fn on_cue<O: Observer>(&mut self, observer: &mut O, now: SimTime, i: usize) {
        if self.threats[i].status == Status::Flying {
            observer.event(&EngineEvent::EarlyWarning {
                time_s: now.as_s(),
                threat: i,
            });
        }
    }

    /// Threat `i` leaves the coverage of sensor `s`, which frees its track if it had one.
    pub(crate) fn on_track_lost<O: Observer>(
        &mut self,
        p: &Prepared,
        observer: &mut O,
        now: SimTime,
        s: usize,
        i: usize,
    ) {
        let k = i * p.sensors.len() + s;
        self.coverage_over[k] = true;
        if self.tracks[k] < SimTime::MAX {
            self.release_track(p, s, i, now);
            observer.event(&EngineEvent::TrackLost {
                time_s: now.as_s(),
                sensor: s,
                threat: i,
            });
        }
    }

    /// Sensor `s` forms a track on threat `i`, if the threat still flies in its coverage and it
    /// has a free track.
    pub(crate) fn track<O: Observer>(
        &mut self,
        p: &Prepared,
        observer: &mut O,
        rng: Rngs,
        now: SimTime,
        s: usize,
        i: usize,
    ) {
        if self.threats[i].status != Status::Flying || self.coverage_over[i * p.sensors.len() + s] {
            return;
        }
        if let SensorKind::Radar { track_capacity, .. } = p.sensors[s].kind
            && self.active_tracks[s] >= track_capacity
        {
            // Full: the threat waits for a free track while it stays in coverage.
            self.track_waiting[s].push_back(i as u32);
            return;
        }
        self.active_tracks[s] += 1;
        self.threats[i].tracks_now += 1;
        self.tracks[i * p.sensors.len() + s] = now;
        self.set_update_rate(p, i, now);
        observer.event(&EngineEvent::Track {
            time_s: now.as_s(),
            sensor: s,
            threat: i,
        });
        let first = self.threats[i].track_time == SimTime::MAX;
        self.threats[i].track_time = self.threats[i].track_time.min(now);
        if first {
            let mut draws = rng.of(Stream::Prediction, p.threats[i].key);
            self.threats[i].prediction_z = (normal(&mut draws), normal(&mut draws));
            if let Some(w) = &p.warning {
                let (early, decide) = self.warning.tracked(w, i, now);
                if early {
                    observer.event(&EngineEvent::EarlyWarning {
                        time_s: now.as_s(),
                        threat: i,
                    });
                }
                if let Some(at) = decide {
                    self.push(at, Event::Siren(i as u32));
                }
            }
        }
        // A second sensor's track changes nothing for the battle manager unless it is a
        // battery's own radar; the first track, or one after all were lost, does.
        if self.fire_control[s] || self.threats[i].tracks_now == 1 {
            let cycle = self.cycle_from(now + self.decision_latency);
            self.wakes.push_back((cycle, i as u32));
        }
    }
}

/// Looks of a sensor with detection probability `pd` until it detects: a geometric draw
/// (bounded, for a probability near 0).
fn looks_until_detection(rng: &mut StreamRng, pd: f64) -> u32 {
    let mut looks = 1u32;
    while rng.random::<f64>() >= pd && looks <= 100_000 {
        looks += 1;
    }
    looks
}
