//! `events.jsonl`: every event of one run, one JSON object a line, in the order they happened
//! (`docs/outputs.md` gives each event's fields).

use serde_json::{Value, json};
use skyshield_engine::{EngineEvent, LeakCause, Observer, Prepared};

use crate::Replay;

/// The text of `events.jsonl` for `replay`, a run of `prepared`: one line per event.
pub fn event_lines(prepared: &Prepared, replay: &Replay) -> String {
    let mut log = EventLog {
        prepared,
        launches: vec![0.0; prepared.threats.len()],
        causes: replay
            .outcome
            .threats
            .iter()
            .map(|t| t.leak_cause)
            .collect(),
        lines: Vec::new(),
    };
    for e in &replay.events {
        log.event(e);
    }
    let mut text = String::new();
    for line in &log.lines {
        text.push_str(&line.to_string());
        text.push('\n');
    }
    text
}

/// Collects the events of a run as JSON lines, with positions.
struct EventLog<'a> {
    prepared: &'a Prepared,
    launches: Vec<f64>,
    /// Why each threat leaked (a leaker only), from the run's outcome.
    causes: Vec<Option<LeakCause>>,
    lines: Vec<Value>,
}

impl EventLog<'_> {
    /// Where threat `i` is at `time_s` on its nominal trajectory.
    fn position(&self, i: usize, time_s: f64) -> [f64; 3] {
        let traj = &self.prepared.trajectories[self.prepared.threats[i].trajectory];
        let g = traj.position_at(time_s - self.launches[i]);
        [g.lat_deg(), g.lon_deg(), g.height_m()]
    }
}

impl Observer for EventLog<'_> {
    fn event(&mut self, e: &EngineEvent) {
        let p = self.prepared;
        let line = match *e {
            EngineEvent::Launch { time_s, threat } => {
                self.launches[threat] = time_s;
                json!({"t_s": time_s, "event": "launch", "threat": threat, "group": p.types[p.threats[threat].group].group, "position": self.position(threat, time_s)})
            }
            EngineEvent::EarlyWarning { time_s, threat } => {
                json!({"t_s": time_s, "event": "early_warning", "threat": threat, "position": self.position(threat, time_s)})
            }
            EngineEvent::Track {
                time_s,
                sensor,
                threat,
            } => {
                json!({"t_s": time_s, "event": "track", "sensor": p.sensors[sensor].id, "threat": threat, "position": self.position(threat, time_s)})
            }
            EngineEvent::TrackLost {
                time_s,
                sensor,
                threat,
            } => {
                json!({"t_s": time_s, "event": "track_lost", "sensor": p.sensors[sensor].id, "threat": threat, "position": self.position(threat, time_s)})
            }
            EngineEvent::Decision {
                time_s,
                threat,
                battery,
                time_to_go_s,
                threatened_value,
            } => {
                json!({"t_s": time_s, "event": "decision", "threat": threat, "battery": battery.map(|b| &p.batteries[b].id), "time_to_go_s": time_to_go_s, "threatened_value": threatened_value, "position": self.position(threat, time_s)})
            }
            EngineEvent::InterceptorLaunch {
                time_s,
                battery,
                threat,
                shots,
                intercept_s,
            } => {
                let b = &p.batteries[battery];
                json!({"t_s": time_s, "event": "interceptor_launch", "battery": b.id, "layer": b.type_id, "threat": threat, "shots": shots, "intercept_s": intercept_s, "position": [b.position.lat_deg(), b.position.lon_deg(), b.position.height_m()]})
            }
            EngineEvent::Intercept {
                time_s,
                battery,
                threat,
                killed,
                lat_deg,
                lon_deg,
                height_m,
            } => {
                json!({"t_s": time_s, "event": if killed { "intercept" } else { "miss" }, "battery": p.batteries[battery].id, "threat": threat, "position": [lat_deg, lon_deg, height_m]})
            }
            EngineEvent::Assessment {
                time_s,
                threat,
                seen_alive,
            } => {
                json!({"t_s": time_s, "event": "kill_assessment", "threat": threat, "seen_alive": seen_alive})
            }
            EngineEvent::Failure { time_s, threat } => {
                json!({"t_s": time_s, "event": "failure", "threat": threat, "position": self.position(threat, time_s)})
            }
            EngineEvent::Impact {
                time_s,
                threat,
                lat_deg,
                lon_deg,
                asset,
            } => {
                json!({"t_s": time_s, "event": "impact", "threat": threat, "asset": asset.map(|a| &p.asset_ids[a]), "leak_cause": self.causes[threat].map(|c| c.name()), "position": [lat_deg, lon_deg, 0.0]})
            }
            EngineEvent::Siren {
                time_s,
                zone,
                threat,
                lat_deg,
                lon_deg,
                radius_m,
                ..
            } => {
                let name = p.warning.as_ref().map(|w| &w.zones[zone].name);
                json!({"t_s": time_s, "event": "siren", "zone": name, "threat": threat, "region": {"center": [lat_deg, lon_deg], "radius_m": radius_m}})
            }
        };
        self.lines.push(line);
    }
}
