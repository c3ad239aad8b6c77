//! `replay.kml`: one run as a KML document for Google Earth.
//!
//! A Document with a shared style per look and four Folders: `Threats` (a `gx:Track` per
//! threat, timed, coloured by fate as in the CZML replay), `Interceptors` (a timed LineString
//! per interceptor launch, a straight fly-out from the battery to the intercept point),
//! `Intercepts` and `Impacts` (a Point Placemark each, shown from its time on), and, when the
//! scenario has warning zones, `Sirens` (a Polygon Placemark per alerted zone, a
//! MultiGeometry for a zone of several parts, from its first siren to the end of the run,
//! coloured as in the CZML replay). Heights are absolute (above the ellipsoid, as Google Earth
//! takes them above sea level); zones lie on the ground.

use std::fmt::Write;

use skyshield_engine::{Fate, Prepared};

use crate::ReportError;
use crate::markup::escape;
use crate::replay::{Area, Look, Mark, Replay, Scene, Track};

/// A KML colour: alpha, blue, green, red in hex.
fn abgr(look: Look) -> String {
    let [r, g, b, a] = look.rgba();
    format!("{a:02x}{b:02x}{g:02x}{r:02x}")
}

const LOOKS: [Look; 11] = [
    Look::Fate(Fate::Intercepted),
    Look::Fate(Fate::Leaked),
    Look::Fate(Fate::IgnoredOpenArea),
    Look::Fate(Fate::FailedInFlight),
    Look::Interceptor,
    Look::Kill,
    Look::Miss,
    Look::Debris,
    Look::Alerted,
    Look::TooLate,
    Look::FalseAlarm,
];

/// The KML document of `replay` of `prepared` (a scenario with geometry).
pub fn replay_kml(prepared: &Prepared, replay: &Replay) -> Result<String, ReportError> {
    let scene = Scene::new(prepared, replay)?;
    let mut k = String::new();
    // Writing to a String cannot fail.
    let _ = writeln!(k, r#"<?xml version="1.0" encoding="UTF-8"?>"#);
    let _ = writeln!(
        k,
        r#"<kml xmlns="http://www.opengis.net/kml/2.2" xmlns:gx="http://www.google.com/kml/ext/2.2">"#
    );
    let _ = writeln!(
        k,
        "<Document><name>{}</name><description>{}</description>",
        escape(&scene.title),
        escape(&scene.description)
    );
    for look in LOOKS {
        let _ = writeln!(
            k,
            "<Style id=\"{}\"><IconStyle><color>{c}</color><scale>0.6</scale></IconStyle><LineStyle><color>{c}</color><width>2</width></LineStyle><PolyStyle><color>{c}</color></PolyStyle></Style>",
            look.name(),
            c = abgr(look)
        );
    }
    // A Placemark's opening: name, description, time span, style (in the schema's order).
    let head = |k: &mut String, name: &str, description: &str, span: &str, look: Look| {
        let _ = write!(
            k,
            "<Placemark><name>{}</name><description>{}</description>{span}<styleUrl>#{}</styleUrl>",
            escape(name),
            escape(description),
            look.name()
        );
    };
    let tracks = |k: &mut String, folder: &str, tracks: &[Track]| -> Result<(), ReportError> {
        let _ = writeln!(k, "<Folder><name>{folder}</name>");
        for t in tracks {
            let (first, last) = (t.samples[0], t.samples[t.samples.len() - 1]);
            let span = format!(
                "<TimeSpan><begin>{}</begin><end>{}</end></TimeSpan>",
                scene.time(first.t_s)?,
                scene.time(last.t_s)?
            );
            head(k, &t.name, &t.description, &span, t.look);
            if t.samples.len() < 2 {
                // A line needs two points.
                let _ = write!(
                    k,
                    "<Point><altitudeMode>absolute</altitudeMode><coordinates>{:.6},{:.6},{:.1}</coordinates></Point>",
                    first.lon_deg, first.lat_deg, first.height_m
                );
            } else if t.look == Look::Interceptor {
                let _ = write!(
                    k,
                    "<LineString><altitudeMode>absolute</altitudeMode><coordinates>"
                );
                for s in &t.samples {
                    let _ = write!(k, "{:.6},{:.6},{:.1} ", s.lon_deg, s.lat_deg, s.height_m);
                }
                let _ = write!(k, "</coordinates></LineString>");
            } else {
                let _ = write!(k, "<gx:Track><altitudeMode>absolute</altitudeMode>");
                for s in &t.samples {
                    let _ = write!(k, "<when>{}</when>", scene.time(s.t_s)?);
                }
                for s in &t.samples {
                    let _ = write!(
                        k,
                        "<gx:coord>{:.6} {:.6} {:.1}</gx:coord>",
                        s.lon_deg, s.lat_deg, s.height_m
                    );
                }
                let _ = write!(k, "</gx:Track>");
            }
            let _ = writeln!(k, "</Placemark>");
        }
        let _ = writeln!(k, "</Folder>");
        Ok(())
    };
    let marks = |k: &mut String, folder: &str, marks: &[Mark]| -> Result<(), ReportError> {
        let _ = writeln!(k, "<Folder><name>{folder}</name>");
        for m in marks {
            let span = format!(
                "<TimeSpan><begin>{}</begin></TimeSpan>",
                scene.time(m.at.t_s)?
            );
            head(k, &m.name, &m.description, &span, m.look);
            let _ = writeln!(
                k,
                "<Point><altitudeMode>absolute</altitudeMode><coordinates>{:.6},{:.6},{:.1}</coordinates></Point></Placemark>",
                m.at.lon_deg, m.at.lat_deg, m.at.height_m
            );
        }
        let _ = writeln!(k, "</Folder>");
        Ok(())
    };
    let areas = |k: &mut String, folder: &str, areas: &[Area]| -> Result<(), ReportError> {
        let _ = writeln!(k, "<Folder><name>{folder}</name>");
        for a in areas {
            let span = format!(
                "<TimeSpan><begin>{}</begin><end>{}</end></TimeSpan>",
                scene.time(a.t_s)?,
                scene.time(scene.end_s)?
            );
            head(k, &a.name, &a.description, &span, a.look);
            let several = a.polygons.len() > 1;
            if several {
                let _ = write!(k, "<MultiGeometry>");
            }
            for rings in &a.polygons {
                let _ = write!(k, "<Polygon><tessellate>1</tessellate>");
                for (n, ring) in rings.iter().enumerate() {
                    let boundary = if n == 0 {
                        "outerBoundaryIs"
                    } else {
                        "innerBoundaryIs"
                    };
                    let _ = write!(k, "<{boundary}><LinearRing><coordinates>");
                    // KML rings are closed: the first vertex again at the end.
                    for g in ring.iter().chain(ring.first()) {
                        let _ = write!(k, "{:.6},{:.6},0 ", g.lon_deg(), g.lat_deg());
                    }
                    let _ = write!(k, "</coordinates></LinearRing></{boundary}>");
                }
                let _ = write!(k, "</Polygon>");
            }
            if several {
                let _ = write!(k, "</MultiGeometry>");
            }
            let _ = writeln!(k, "</Placemark>");
        }
        let _ = writeln!(k, "</Folder>");
        Ok(())
    };
    tracks(&mut k, "Threats", &scene.threats)?;
    tracks(&mut k, "Interceptors", &scene.interceptors)?;
    marks(&mut k, "Intercepts", &scene.intercepts)?;
    marks(&mut k, "Impacts", &scene.impacts)?;
    marks(&mut k, "Debris", &scene.debris)?;
    if let Some(zones) = &scene.zones {
        areas(&mut k, "Sirens", zones)?;
    }
    let _ = writeln!(k, "</Document>\n</kml>");
    Ok(k)
}
