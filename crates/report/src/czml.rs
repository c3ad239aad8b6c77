//! `replay.czml`: one run as a CZML document for CesiumJS.
//!
//! The first packet is the document (`version` 1.0, a clock over the whole run). Then one
//! packet per threat (`threat-<index>`: time-tagged `cartographicDegrees` positions, a point
//! and its path, coloured by fate: green intercepted, red leaked, orange ignored in open
//! ground, grey failed in flight), one per interceptor launch (`interceptor-<n>`, blue, a
//! straight fly-out from the battery to the intercept point), and points for intercept
//! attempts (`intercept-<n>`: green kill, yellow miss) and impacts (`impact-<threat index>`),
//! shown from their time on. Every packet has an `availability` inside the clock interval.

use serde_json::{Value, json};
use skyshield_engine::Prepared;

use crate::ReportError;
use crate::replay::{Mark, Replay, Scene, Track};

/// `x` rounded to a multiple of `1 / per_unit` (times to the millisecond, angles to 1e-6° or
/// about 0.1 m, heights to 0.1 m).
fn round(x: f64, per_unit: f64) -> f64 {
    (x * per_unit).round() / per_unit
}

/// The CZML document of `replay` of `prepared` (a scenario with geometry), as JSON.
pub fn replay_czml(prepared: &Prepared, replay: &Replay) -> Result<Value, ReportError> {
    let scene = Scene::new(prepared, replay)?;
    let (begin, end) = (scene.time(scene.begin_s)?, scene.time(scene.end_s)?);
    let epoch = scene.time(0.0)?;
    // About two minutes of replay for the whole run.
    let multiplier = ((scene.end_s - scene.begin_s) / 120.0).round().max(1.0);
    let mut packets = vec![json!({
        "id": "document",
        "name": scene.title,
        "version": "1.0",
        "description": scene.description,
        "clock": {
            "interval": format!("{begin}/{end}"),
            "currentTime": begin,
            "multiplier": multiplier,
            "range": "LOOP_STOP",
            "step": "SYSTEM_CLOCK_MULTIPLIER",
        },
    })];
    let track = |t: &Track, width: f64| -> Result<Value, ReportError> {
        let first = t.samples[0].t_s;
        let last = t.samples[t.samples.len() - 1].t_s;
        let coords: Vec<f64> = t
            .samples
            .iter()
            .flat_map(|s| {
                [
                    round(s.t_s, 1e3),
                    round(s.lon_deg, 1e6),
                    round(s.lat_deg, 1e6),
                    round(s.height_m, 10.0),
                ]
            })
            .collect();
        let colour = json!({"rgba": t.look.rgba()});
        Ok(json!({
            "id": t.id,
            "name": t.name,
            "description": t.description,
            "availability": format!("{}/{}", scene.time(first)?, scene.time(last)?),
            "position": {"epoch": epoch, "cartographicDegrees": coords},
            "point": {"pixelSize": 6, "color": colour},
            "path": {
                "material": {"solidColor": {"color": colour}},
                "width": width,
                "leadTime": 0,
                "trailTime": round(last - first, 1e3),
            },
        }))
    };
    let mark = |m: &Mark| -> Result<Value, ReportError> {
        Ok(json!({
            "id": m.id,
            "name": m.name,
            "description": m.description,
            "availability": format!("{}/{end}", scene.time(m.at.t_s)?),
            "position": {"cartographicDegrees": [
                round(m.at.lon_deg, 1e6),
                round(m.at.lat_deg, 1e6),
                round(m.at.height_m, 10.0),
            ]},
            "point": {"pixelSize": 9, "color": {"rgba": m.look.rgba()}},
        }))
    };
    for t in &scene.threats {
        packets.push(track(t, 2.0)?);
    }
    for t in &scene.interceptors {
        packets.push(track(t, 1.0)?);
    }
    for m in scene.intercepts.iter().chain(&scene.impacts) {
        packets.push(mark(m)?);
    }
    Ok(Value::Array(packets))
}
