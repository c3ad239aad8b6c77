//! `replay.czml`: one run as a CZML document for CesiumJS.
//!
//! The first packet is the document (`version` 1.0, a clock over the whole run). Then one
//! packet per threat (`threat-<index>`: time-tagged `cartographicDegrees` positions, a point
//! and its path, coloured by fate: green intercepted, red leaked, orange ignored in open
//! ground, grey failed in flight), one per interceptor launch (`interceptor-<n>`, blue, a
//! straight fly-out from the battery to the intercept point), and points for intercept
//! attempts (`intercept-<n>`: green kill, yellow miss), impacts (`impact-<threat index>`) and
//! the mean fall points of debris (`debris-<threat index>`, brown, from the intercept), shown
//! from their time on. Every warning zone whose siren sounded in the run is a polygon
//! named after the zone (`zone-<k>` for the scenario's zone `k`, counted from 0 in the order of
//! its zone file or grid; `zone-<k>-<part>` for each part of a zone of several), shown from its
//! first siren to the end of the clock, filled translucent amber (alerted), red (warned too
//! late) or violet (false alarm), with a description of its sirens, lead time and people.
//! Every packet has an `availability` inside the clock interval.

use serde_json::{Value, json};
use skyshield_engine::Prepared;
use skyshield_physics::earth::Geodetic;

use crate::replay::{Area, Mark, Replay, Scene, Track};
use crate::{PER_DEGREE, ReportError, round};

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
                    round(s.lon_deg, PER_DEGREE),
                    round(s.lat_deg, PER_DEGREE),
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
                round(m.at.lon_deg, PER_DEGREE),
                round(m.at.lat_deg, PER_DEGREE),
                round(m.at.height_m, 10.0),
            ]},
            "point": {"pixelSize": 9, "color": {"rgba": m.look.rgba()}},
        }))
    };
    // A ring as `cartographicDegrees` on the ellipsoid, open (Cesium closes it).
    let ring = |ring: &[Geodetic]| -> Vec<f64> {
        ring.iter()
            .flat_map(|g| {
                [
                    round(g.lon_deg(), PER_DEGREE),
                    round(g.lat_deg(), PER_DEGREE),
                    0.0,
                ]
            })
            .collect()
    };
    let area = |a: &Area| -> Result<Vec<Value>, ReportError> {
        let availability = format!("{}/{end}", scene.time(a.t_s)?);
        let colour = a.look.rgba();
        let outline = [colour[0], colour[1], colour[2], 255];
        Ok(a.polygons
            .iter()
            .enumerate()
            .map(|(part, rings)| {
                let id = match a.polygons.len() {
                    1 => a.id.clone(),
                    _ => format!("{}-{part}", a.id),
                };
                let holes: Vec<Vec<f64>> = rings[1..].iter().map(|r| ring(r)).collect();
                json!({
                    "id": id,
                    "name": a.name,
                    "description": a.description,
                    "availability": availability,
                    "polygon": {
                        "positions": {"cartographicDegrees": ring(&rings[0])},
                        "holes": {"cartographicDegrees": holes},
                        "height": 0,
                        "material": {"solidColor": {"color": {"rgba": colour}}},
                        "outline": true,
                        "outlineColor": {"rgba": outline},
                    },
                })
            })
            .collect())
    };
    for t in &scene.threats {
        packets.push(track(t, 2.0)?);
    }
    for t in &scene.interceptors {
        packets.push(track(t, 1.0)?);
    }
    for m in scene
        .intercepts
        .iter()
        .chain(&scene.impacts)
        .chain(&scene.debris)
    {
        packets.push(mark(m)?);
    }
    for a in scene.zones.iter().flatten() {
        packets.extend(area(a)?);
    }
    Ok(Value::Array(packets))
}
