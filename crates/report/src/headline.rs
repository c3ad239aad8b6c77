//! The report's headline (what happened, in numbers with their intervals, first on the page)
//! and its table of warning per named area.

use std::fmt::Write;

use skyshield_mc::{Summary, WarningSummary, ZoneSummary};

use crate::markup::{escape, interval};
use crate::plots::{musd, thousands};

/// Rows of the table of warning per area; the others are counted below it.
pub const MAX_AREA_ROWS: usize = 30;

/// The headline: threats, leakers, hits on the assets, interceptors fired and their cost, the
/// intercept rate and the warning, per run, with 95 % intervals where the summary has them.
pub(crate) fn headline_section(h: &mut String, s: &Summary) {
    let l = &s.leakers;
    let f = &s.fates;
    let c = &s.cost_usd;
    let shots: f64 = s.by_layer.values().map(|l| l.shots).sum();
    let hits: f64 = s.assets.values().map(|a| a.hits_mean).sum();
    // The share of the threats that flew to their end (not failed in flight) that was
    // intercepted.
    let flown = s.threats as f64 - f.failed_in_flight;
    let rate = if flown > 0.0 {
        format!("{:.1} %", 100.0 * f.intercepted / flown)
    } else {
        "—".to_string()
    };
    let _ = write!(
        h,
        "<section id=\"headline\">\n<h2>Headline</h2>\n<p>Per run, the mean over {} runs with \
         its 95 % confidence interval.</p>\n<dl class=\"key\">\n\
         <dt>Threats</dt><dd>{} launched; {} intercepted, {} reached the ground, {} left alone \
         (predicted in open ground), {} failed in flight</dd>\n\
         <dt>Leakers</dt><dd>{} (95 % CI {}); no leaker in {:.1} % of runs (95 % {:.1} to \
         {:.1} %)</dd>\n\
         <dt>Intercept rate</dt><dd>{rate} of the threats that did not fail in flight</dd>\n\
         <dt>Interceptors fired</dt><dd>{}{}</dd>\n\
         <dt>Defense cost</dt><dd>{} (95 % CI {} to {}); the threats cost {}</dd>\n\
         <dt>Hits on defended assets</dt><dd>{}{}</dd>\n",
        thousands(s.runs as f64, 0),
        thousands(s.threats as f64, 0),
        thousands(f.intercepted, 2),
        thousands(f.leaked, 2),
        thousands(f.ignored_open_area, 2),
        thousands(f.failed_in_flight, 2),
        thousands(l.mean, 2),
        interval(l.ci95, 2),
        100.0 * l.p_zero,
        100.0 * l.p_zero_ci95[0],
        100.0 * l.p_zero_ci95[1],
        thousands(shots, 2),
        layers_text(s),
        musd(c.defense),
        musd(c.defense_ci95[0]),
        musd(c.defense_ci95[1]),
        musd(c.offense),
        thousands(hits, 2),
        most_hit_text(s),
    );
    if let Some(w) = &s.warning {
        let lead = match (w.siren_lead_s.p5, w.siren_lead_s.p50, w.siren_lead_s.p95) {
            (Some(p5), Some(p50), Some(p95)) => {
                format!("median {p50:.0} s (5th to 95th percentile {p5:.0} to {p95:.0} s)")
            }
            _ => "none measured (no impact in a zone)".to_string(),
        };
        let _ = writeln!(
            h,
            "<dt>Warning</dt><dd>siren lead time {lead}; {} people warned too late (95 % CI \
             {}), {} in false-alarm zones (95 % CI {}), of {} in {} zones</dd>",
            thousands(w.too_late_people_mean, 0),
            interval(w.too_late_people_ci95, 0),
            thousands(w.false_alarm_people_mean, 0),
            interval(w.false_alarm_people_ci95, 0),
            thousands(w.population, 0),
            thousands(w.zone_count as f64, 0),
        );
    }
    h.push_str("</dl>\n</section>\n");
}

/// Interceptors fired per type, most first, with their intervals: `: 3.20 arrow-3 (95 % CI
/// 3.00 to 3.40), ...`; nothing without a layer.
fn layers_text(s: &Summary) -> String {
    let mut layers: Vec<_> = s.by_layer.iter().filter(|(_, l)| l.shots > 0.0).collect();
    layers.sort_by(|a, b| b.1.shots.total_cmp(&a.1.shots).then(a.0.cmp(b.0)));
    if layers.is_empty() {
        return String::new();
    }
    let parts: Vec<String> = layers
        .iter()
        .map(|(name, l)| {
            format!(
                "{} {} (95 % CI {})",
                thousands(l.shots, 2),
                escape(name),
                interval(l.shots_ci95, 2)
            )
        })
        .collect();
    format!(": {}", parts.join(", "))
}

/// The asset most likely hit, with its chance and interval; nothing when none was hit.
fn most_hit_text(s: &Summary) -> String {
    let most = s
        .assets
        .iter()
        .filter(|(_, a)| a.p_hit > 0.0)
        .max_by(|a, b| a.1.p_hit.total_cmp(&b.1.p_hit).then(b.0.cmp(a.0)));
    match most {
        Some((id, a)) => format!(
            "; the most likely hit, {}, in {:.1} % of runs (95 % {:.1} to {:.1} %)",
            escape(id),
            100.0 * a.p_hit,
            100.0 * a.p_hit_ci95[0],
            100.0 * a.p_hit_ci95[1]
        ),
        None => "; no asset was hit in any run".to_string(),
    }
}

/// People in a zone times the chance that something falls in it: the people at risk.
fn at_risk(z: &ZoneSummary) -> f64 {
    z.population * z.p_impact
}

/// The warning per named area: the [`MAX_AREA_ROWS`] zones with the most people at risk
/// (people times P(hit)), then by people and name, with a note of how many more there are.
pub(crate) fn areas_table(h: &mut String, w: &WarningSummary) {
    let mut zones: Vec<(&String, &ZoneSummary)> = w.zones.iter().collect();
    zones.sort_by(|a, b| {
        at_risk(b.1)
            .total_cmp(&at_risk(a.1))
            .then(b.1.population.total_cmp(&a.1.population))
            .then(a.0.cmp(b.0))
    });
    let _ = write!(
        h,
        "<h3>Warning per area</h3>\n<p>The areas with the most people at risk (people times \
         P(hit), the fraction of runs with an impact in the area). Siren lead: percentiles of \
         the lead times of the impacts in the area over all runs. P(too late): the fraction of \
         runs with an impact that came with less lead than the area's shelter time; P(false \
         alarm): alerted with nothing falling in it.</p>\n<table id=\"areas\">\n<thead><tr>\
         <th>area</th><th>people</th><th>P(hit)</th><th>people × P(hit)</th><th>siren lead \
         p5 (s)</th><th>p50 (s)</th><th>p95 (s)</th><th>P(too late)</th><th>P(false alarm)\
         </th></tr></thead>\n<tbody>\n"
    );
    let lead = |x: Option<f64>| x.map_or("—".to_string(), |x| format!("{x:.0}"));
    for (name, z) in zones.iter().take(MAX_AREA_ROWS) {
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{:.3}</td><td>{}</td><td>{}</td><td>{}</td>\
             <td>{}</td><td>{:.3}</td><td>{:.3}</td></tr>",
            escape(name),
            thousands(z.population, 0),
            z.p_impact,
            thousands(at_risk(z), 0),
            lead(z.siren_lead_s.p5),
            lead(z.siren_lead_s.p50),
            lead(z.siren_lead_s.p95),
            z.p_too_late,
            z.p_false_alarm,
        );
    }
    h.push_str("</tbody>\n</table>\n");
    if zones.len() > MAX_AREA_ROWS {
        let _ = writeln!(
            h,
            "<p class=\"meta\" id=\"areas-more\">{} more areas, with fewer people at risk, are \
             in <code>summary.json</code> (<code>warning.zones</code>) and \
             <code>zones.geojson</code>.</p>",
            thousands((zones.len() - MAX_AREA_ROWS) as f64, 0)
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::html::{Page, render};

    fn page(summary: &Summary) -> String {
        render(&Page {
            summary,
            scenario: None,
            plots: &[],
            warning_plots: &[],
            dir: "out",
            version: "0.1.0",
            sample_runs: None,
            sensitivity: None,
        })
    }

    #[test]
    fn the_headline_comes_first_with_the_figures_and_their_intervals() {
        let summary = crate::input::tests::summary_with_warning();
        let html = page(&summary);
        let first = html.find("<section").expect("a section");
        assert_eq!(
            &html[first..first + "<section id=\"headline\">".len()],
            "<section id=\"headline\">"
        );
        let section = &html[first..html[first..].find("</section>").unwrap() + first];
        let l = &summary.leakers;
        for text in [
            format!(
                "<dt>Leakers</dt><dd>{} (95 % CI {})",
                thousands(l.mean, 2),
                interval(l.ci95, 2)
            ),
            format!("{} launched", summary.threats),
            format!(
                "<dt>Defense cost</dt><dd>{} (95 % CI {} to {})",
                musd(summary.cost_usd.defense),
                musd(summary.cost_usd.defense_ci95[0]),
                musd(summary.cost_usd.defense_ci95[1])
            ),
            "<dt>Intercept rate</dt>".to_string(),
            "<dt>Interceptors fired</dt>".to_string(),
            "<dt>Hits on defended assets</dt>".to_string(),
            "1,200 people warned too late (95 % CI 800 to 1,600)".to_string(),
        ] {
            assert!(section.contains(&text), "no {text:?} in {section}");
        }
        let summary_at = html.find("<section id=\"summary\">").unwrap();
        assert!(first < summary_at);
    }

    #[test]
    fn the_area_table_lists_the_most_people_at_risk_first_and_counts_the_rest() {
        let mut summary = crate::input::tests::summary_with_warning();
        let w = summary.warning.as_mut().unwrap();
        let template = w.zones["north"].clone();
        w.zones.clear();
        // 35 areas: area k has 1,000 k people, hit in a fraction (35 - k) / 35 of runs.
        for k in 1..=35u32 {
            let mut z = template.clone();
            z.population = 1_000.0 * f64::from(k);
            z.p_impact = f64::from(35 - k) / 35.0;
            w.zones.insert(format!("town <{k}>"), z);
        }
        let html = page(&summary);
        let table = &html[html.find("<table id=\"areas\">").expect("the table")..];
        let table = &table[..table.find("</table>").unwrap()];
        let names: Vec<&str> = table
            .split("<tr><td>")
            .skip(1)
            .map(|row| &row[..row.find("</td>").unwrap()])
            .collect();
        assert_eq!(names.len(), MAX_AREA_ROWS);
        // people × P(hit) = 1000 k (35 - k) / 35 is largest at k = 17 and 18.
        assert_eq!(names[0], "town &lt;18&gt;", "{names:?}");
        assert_eq!(names[1], "town &lt;17&gt;", "{names:?}");
        assert!(!names.contains(&"town &lt;35&gt;"), "never hit: at risk 0");
        assert!(
            html.contains("5 more areas"),
            "the rows left out are counted"
        );
        assert!(table.contains("<td>18,000</td><td>0.486</td><td>8,743</td>"));
    }
}
