//! The result of `skyshield sensitivity` (`sensitivity.json` in an output folder) and its
//! section of the report: the parameters ranked, as a table and a bar chart.

use std::fmt::Write as _;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::input::InputError;
use crate::markup::escape;

/// The file of a sensitivity result in an output folder.
pub const SENSITIVITY_JSON: &str = "sensitivity.json";

/// Parameters drawn in the report's chart, the most influential first.
const CHART_PARAMETERS: usize = 15;

/// A sensitivity result, as `skyshield sensitivity --format json` prints it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Sensitivity {
    /// The scenario's name.
    pub scenario: String,
    /// The metric: a path in the Summary JSON.
    pub metric: String,
    /// `morris` or `sobol`.
    pub method: String,
    /// The measure the parameters are ranked by (`mu_star` or `ST`).
    pub ranked_by: String,
    /// Parameter sets played.
    pub parameter_sets: usize,
    /// Replications per set.
    pub runs_per_set: u64,
    /// Master seed.
    pub seed: u64,
    /// The parameters, most influential first.
    pub parameters: Vec<RankedParameter>,
}

/// A parameter with its range and its measures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RankedParameter {
    /// Its name in the scenario's parameter space.
    pub name: String,
    /// The catalog key it shares with other scenarios, if any.
    pub catalog_key: Option<String>,
    /// Its range.
    pub low: f64,
    pub nominal: f64,
    pub high: f64,
    /// The method's measures (`mu`, `mu_star`, `sigma`, `mu_star_conf`; or `S1`, `S1_ci`, `ST`,
    /// `ST_ci`).
    #[serde(flatten)]
    pub measures: serde_json::Map<String, serde_json::Value>,
}

impl RankedParameter {
    /// The measure named `name`, when it is a number.
    pub fn measure(&self, name: &str) -> Option<f64> {
        self.measures.get(name).and_then(serde_json::Value::as_f64)
    }
}

/// Reads `sensitivity.json` from `dir`; `None` when there is none.
pub fn read(dir: &Path) -> Result<Option<Sensitivity>, InputError> {
    let path = dir.join(SENSITIVITY_JSON);
    let bytes = match std::fs::read(&path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(source) => return Err(InputError::Read { path, source }),
    };
    serde_json::from_slice(&bytes)
        .map(Some)
        .map_err(|e| InputError::Malformed {
            path,
            message: e.to_string(),
        })
}

/// The report's section: the ranking as a bar chart of the top parameters and a table of all.
pub fn section(s: &Sensitivity) -> String {
    let mut h = String::new();
    let _ = write!(
        h,
        "<section id=\"sensitivity\">\n<h2>Sensitivity of {metric}</h2>\n<p class=\"meta\">{} \
         over {} parameter sets of {} runs (seed {}), ranked by {by}. Reproduce with \
         <code>skyshield sensitivity SCENARIO --metric {metric} --method {}</code>.</p>\n",
        if s.method == "sobol" {
            "Sobol indices (first order after Saltelli et al. 2010, total after Jansen 1999)"
        } else {
            "Morris elementary effects (Morris 1991; mu* after Campolongo et al. 2007)"
        },
        s.parameter_sets,
        s.runs_per_set,
        s.seed,
        escape(&s.method),
        metric = escape(&s.metric),
        by = escape(&s.ranked_by),
    );
    chart(&mut h, s);
    let (cols, interval): (&[&str], &str) = if s.method == "sobol" {
        (&["ST", "S1"], "ST_ci")
    } else {
        (&["mu_star", "mu", "sigma"], "mu_star_conf")
    };
    h.push_str("<table id=\"sensitivity-table\">\n<thead><tr><th>rank</th><th>parameter</th>");
    h.push_str("<th>low</th><th>nominal</th><th>high</th>");
    for c in cols {
        let _ = write!(h, "<th>{c}</th>");
    }
    let _ = writeln!(h, "<th>{interval}</th></tr></thead>\n<tbody>");
    for (i, p) in s.parameters.iter().enumerate() {
        let _ = write!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>",
            i + 1,
            escape(&p.name),
            num(p.low),
            num(p.nominal),
            num(p.high)
        );
        for c in cols {
            let _ = write!(h, "<td>{}</td>", p.measure(c).map_or("–".into(), num));
        }
        let spread = match p.measures.get(interval) {
            Some(serde_json::Value::Array(a)) => {
                let v: Vec<String> = a.iter().filter_map(|x| x.as_f64()).map(num).collect();
                v.join(" to ")
            }
            Some(v) => v.as_f64().map_or("–".into(), |x| format!("± {}", num(x))),
            None => "–".into(),
        };
        let _ = writeln!(h, "<td>{spread}</td></tr>");
    }
    h.push_str("</tbody>\n</table>\n</section>\n");
    h
}

/// Horizontal bars of the ranking measure for the first [`CHART_PARAMETERS`] parameters.
fn chart(h: &mut String, s: &Sensitivity) {
    let shown = &s.parameters[..s.parameters.len().min(CHART_PARAMETERS)];
    let values: Vec<f64> = shown
        .iter()
        .map(|p| p.measure(&s.ranked_by).unwrap_or(0.0).max(0.0))
        .collect();
    let top = values.iter().copied().fold(0.0, f64::max);
    let (label_w, bar_w, row_h) = (330.0, 300.0, 18.0);
    let height = row_h * shown.len() as f64 + 6.0;
    let _ = write!(
        h,
        "<figure id=\"sensitivity-chart\">\n<svg role=\"img\" aria-label=\"{by} per parameter\" \
         xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {height}\" width=\"{w}\" \
         height=\"{height}\" font-family=\"sans-serif\" font-size=\"11\">\n",
        by = escape(&s.ranked_by),
        w = label_w + bar_w + 70.0,
    );
    for (i, (p, v)) in shown.iter().zip(&values).enumerate() {
        let y = row_h * i as f64 + 3.0;
        let w = if top > 0.0 { bar_w * v / top } else { 0.0 };
        let _ = writeln!(
            h,
            "<text x=\"{tx}\" y=\"{ty}\" text-anchor=\"end\">{}</text>\
             <rect x=\"{label_w}\" y=\"{y}\" width=\"{w:.1}\" height=\"{bh}\" fill=\"#4a78b0\"/>\
             <text x=\"{vx:.1}\" y=\"{ty}\">{}</text>",
            escape(&p.name),
            num(*v),
            tx = label_w - 6.0,
            ty = y + 12.0,
            bh = row_h - 4.0,
            vx = label_w + w + 4.0,
        );
    }
    let _ = write!(
        h,
        "</svg>\n<figcaption><strong>Ranking.</strong> {} of {} per parameter, the {} most \
         influential.</figcaption>\n</figure>\n",
        escape(&s.ranked_by),
        escape(&s.metric),
        shown.len()
    );
}

/// A parameter's value or an index as the tables of the report and the command line write
/// it: whole numbers as they are, others to 3 decimals, very large or small ones in scientific
/// notation.
pub fn num(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e6 {
        format!("{x:.0}")
    } else if x.abs() >= 1e5 || x.abs() < 1e-3 {
        format!("{x:.3e}")
    } else {
        format!("{x:.3}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn result() -> Sensitivity {
        let p = |name: &str, mu_star: f64| RankedParameter {
            name: name.into(),
            catalog_key: None,
            low: 0.1,
            nominal: 0.5,
            high: 0.9,
            measures: serde_json::json!({"mu_star": mu_star, "mu": -mu_star, "sigma": 0.1,
                "mu_star_conf": 0.05})
            .as_object()
            .cloned()
            .unwrap(),
        };
        Sensitivity {
            scenario: "s".into(),
            metric: "leakers.mean".into(),
            method: "morris".into(),
            ranked_by: "mu_star".into(),
            parameter_sets: 40,
            runs_per_set: 20,
            seed: 1,
            parameters: vec![p("upper.kill_probability", 4.0), p("lower<b>", 1.0)],
        }
    }

    #[test]
    fn section_ranks_in_order_with_bars_to_scale() {
        let html = section(&result());
        let first = html.find("<td>upper.kill_probability</td>").unwrap();
        let second = html.find("<td>lower&lt;b&gt;</td>").unwrap();
        assert!(first < second);
        assert!(html.contains("width=\"300.0\"") && html.contains("width=\"75.0\""));
        assert!(html.contains("± 0.050"));
    }

    #[test]
    fn reads_back_what_it_writes() {
        let dir = std::env::temp_dir().join(format!("skyshield-sens-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        assert_eq!(read(&dir).unwrap(), None);
        let r = result();
        std::fs::write(
            dir.join(SENSITIVITY_JSON),
            serde_json::to_string(&r).unwrap(),
        )
        .unwrap();
        assert_eq!(read(&dir).unwrap(), Some(r));
        std::fs::write(dir.join(SENSITIVITY_JSON), "{").unwrap();
        assert!(matches!(read(&dir), Err(InputError::Malformed { .. })));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
