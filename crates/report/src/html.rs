//! `report.html`: one self-contained page (inline CSS, inline SVG plots, no script, no external
//! resource) with a run's summary, its uncertainty, every plot and how to reproduce it. Every
//! text that comes from the inputs is escaped.

use std::fmt::Write;

use skyshield_mc::{LeadSummary, Parameters, Summary};

use crate::headline::{areas_table, headline_section};
use crate::markup::{escape, interval};
use crate::plots::{Plot, musd, thousands};

/// What the report shows of the scenario file (`scenario.yaml` in the output folder).
#[derive(Debug, Clone)]
pub struct ScenarioInfo {
    pub name: String,
    pub description: Option<String>,
    pub sources: Vec<String>,
    /// Whether it has geometry: abstract scenarios (threats against layers) have none, so no map.
    pub geometry: bool,
    /// The file's text.
    pub text: String,
}

/// Everything on the page.
#[derive(Debug)]
pub struct Page<'a> {
    pub summary: &'a Summary,
    /// `None` when the output folder has no `scenario.yaml`.
    pub scenario: Option<&'a ScenarioInfo>,
    pub plots: &'a [Plot],
    /// The plots of the civil warning (empty without warning in the summary).
    pub warning_plots: &'a [Plot],
    /// The output folder as the user named it, for the commands that reproduce it.
    pub dir: &'a str,
    /// Version of skyshield writing the report.
    pub version: &'a str,
    /// `--sample-runs` of the run, when it was not the default.
    pub sample_runs: Option<u64>,
    /// The section of a sensitivity result in the folder (HTML), if any.
    pub sensitivity: Option<&'a str>,
}

/// Quotes a word for a POSIX shell when it needs it.
pub fn shell_quote(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./=:,+@%".contains(c));
    if plain {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

const CSS: &str = "
:root { color-scheme: light; }
body { font-family: system-ui, -apple-system, 'Segoe UI', 'DejaVu Sans', sans-serif; line-height: 1.45;
  color: #1b1b1b; background: #fff; max-width: 62rem; margin: 0 auto; padding: 1.5rem; }
h1 { font-size: 1.7rem; margin: 0 0 .4rem; }
h2 { font-size: 1.25rem; margin: 2rem 0 .6rem; border-bottom: 1px solid #ccc; padding-bottom: .2rem; }
p.lead { font-size: 1.05rem; margin: .2rem 0 .8rem; }
.meta { color: #555; font-size: .9rem; }
table { border-collapse: collapse; margin: .5rem 0 1rem; font-variant-numeric: tabular-nums; }
th, td { border: 1px solid #d0d0d0; padding: .25rem .6rem; text-align: right; }
td { white-space: nowrap; }
td.words { white-space: normal; text-align: left; min-width: 14rem; max-width: 24rem; }
td.consistent { color: #1a7f37; } td.in_the_tail { color: #9a6700; }
td.outside { color: #cf222e; } td.by_construction { color: #555; font-style: italic; }
th:first-child, td:first-child { text-align: left; }
thead th { background: #f2f2f2; }
dl.key { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; margin: .5rem 0 1rem; }
dl.key dt { font-weight: 600; }
dl.key dd { margin: 0; }
figure { margin: 1.2rem 0 2rem; }
figure svg { display: block; width: 100%; height: auto; max-width: 860px; border: 1px solid #e4e4e4; }
figcaption { font-size: .92rem; color: #333; margin-top: .4rem; max-width: 860px; }
figcaption strong { color: #1b1b1b; }
pre { background: #f6f6f6; border: 1px solid #e0e0e0; padding: .6rem; overflow-x: auto; font-size: .85rem; }
code { font-family: 'DejaVu Sans Mono', ui-monospace, monospace; }
@media print {
  body { max-width: none; padding: 0; }
  figure, table { break-inside: avoid; }
  details { display: block; }
  details > pre { white-space: pre-wrap; }
}
";

/// The page.
pub fn render(page: &Page) -> String {
    let s = page.summary;
    let name = page
        .scenario
        .map_or(s.scenario.as_str(), |sc| sc.name.as_str());
    let mut h = String::new();
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{} | skyshield report</title>\n<style>{CSS}</style>\n</head>\n<body>\n",
        escape(name)
    );
    header(&mut h, page, name);
    headline_section(&mut h, s);
    summary_section(&mut h, s);
    reported_section(&mut h, s);
    warning_section(&mut h, page);
    plots_section(&mut h, page);
    h.push_str(page.sensitivity.unwrap_or_default());
    reproduce_section(&mut h, page);
    let _ = write!(
        h,
        "<footer class=\"meta\"><p>Written by skyshield {} from <code>{}</code>. All \
         parameters are public and notional.</p></footer>\n</body>\n</html>\n",
        escape(page.version),
        escape(page.dir)
    );
    h
}

fn header(h: &mut String, page: &Page, name: &str) {
    let s = page.summary;
    let _ = writeln!(h, "<header>\n<h1>{}</h1>", escape(name));
    if let Some(description) = page.scenario.and_then(|sc| sc.description.as_deref()) {
        let _ = writeln!(h, "<p class=\"lead\">{}</p>", escape(description.trim()));
    }
    let _ = writeln!(
        h,
        "<p class=\"meta\">{} runs, seed {}, {} threats per run{}.</p>",
        thousands(s.runs as f64, 0),
        s.seed,
        thousands(s.threats as f64, 0),
        s.parameters.suffix()
    );
    if let Some(sources) = page
        .scenario
        .map(|sc| &sc.sources)
        .filter(|v| !v.is_empty())
    {
        h.push_str("<details><summary>Sources of the scenario</summary>\n<ul>\n");
        for source in sources {
            let _ = writeln!(h, "<li>{}</li>", escape(source));
        }
        h.push_str("</ul>\n</details>\n");
    }
    h.push_str("</header>\n");
}

fn summary_section(h: &mut String, s: &Summary) {
    let l = &s.leakers;
    let c = &s.cost_usd;
    let _ = write!(
        h,
        "<section id=\"summary\">\n<h2>Summary</h2>\n<dl class=\"key\">\n\
         <dt>Leakers per run</dt><dd>mean {} (95 % CI {}), sd {}; 5th, 50th, 95th percentiles \
         {}, {}, {}</dd>\n\
         <dt>P(no leaker)</dt><dd>{:.3} (95 % Wilson interval {:.3} to {:.3})</dd>\n\
         <dt>Defense cost per run</dt><dd>{} (95 % CI {} to {})</dd>\n\
         <dt>Offense cost per run</dt><dd>{}</dd>\n\
         <dt>Exchange ratio</dt><dd>{} (defense over offense)</dd>\n</dl>\n",
        thousands(l.mean, 2),
        interval(l.ci95, 2),
        thousands(l.sd, 2),
        l.quantiles.p5,
        l.quantiles.p50,
        l.quantiles.p95,
        l.p_zero,
        l.p_zero_ci95[0],
        l.p_zero_ci95[1],
        musd(c.defense),
        musd(c.defense_ci95[0]),
        musd(c.defense_ci95[1]),
        musd(c.offense),
        crate::exchange_ratio_text(c.exchange_ratio)
    );

    let f = &s.fates;
    let total = s.threats.max(1) as f64;
    h.push_str(
        "<h3>Fates of the threats</h3>\n<table id=\"fates\">\n<thead><tr><th>fate</th>\
         <th>mean per run</th><th>share of threats</th></tr></thead>\n<tbody>\n",
    );
    for (label, v) in [
        ("intercepted", f.intercepted),
        ("leaked (reached the ground)", f.leaked),
        ("ignored (predicted in open area)", f.ignored_open_area),
        ("failed in flight", f.failed_in_flight),
    ] {
        let _ = writeln!(
            h,
            "<tr><td>{label}</td><td>{}</td><td>{:.1} %</td></tr>",
            thousands(v, 2),
            100.0 * v / total
        );
    }
    h.push_str("</tbody>\n</table>\n");

    h.push_str(
        "<h3>Layers</h3>\n<table id=\"layers\">\n<thead><tr><th>interceptor type</th>\
         <th>shots per run</th><th>95 % CI</th><th>kills per run</th><th>95 % CI</th>\
         <th>rounds reloaded per run</th><th>rounds left / rounds</th><th>cost per run</th>\
         </tr></thead>\n<tbody>\n",
    );
    for (name, layer) in &s.by_layer {
        let rounds = match (layer.rounds_left, layer.rounds) {
            (Some(left), Some(rounds)) => format!("{} / {}", thousands(left, 1), rounds),
            _ => "unlimited".to_string(),
        };
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(name),
            thousands(layer.shots, 2),
            interval(layer.shots_ci95, 2),
            thousands(layer.kills, 2),
            interval(layer.kills_ci95, 2),
            thousands(layer.reloaded, 2),
            rounds,
            musd(layer.cost_usd)
        );
    }
    h.push_str("</tbody>\n</table>\n");

    h.push_str(
        "<h3>Defended assets</h3>\n<table id=\"assets\">\n<thead><tr><th>asset</th>\
         <th>hits per run</th><th>P(hit at least once)</th><th>95 % Wilson interval</th>\
         </tr></thead>\n<tbody>\n",
    );
    for (id, a) in &s.assets {
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{:.3}</td><td>{:.3} to {:.3}</td></tr>",
            escape(id),
            thousands(a.hits_mean, 2),
            a.p_hit,
            a.p_hit_ci95[0],
            a.p_hit_ci95[1]
        );
    }
    h.push_str("</tbody>\n</table>\n</section>\n");
}

fn plots_section(h: &mut String, page: &Page) {
    h.push_str("<section id=\"plots\">\n<h2>Plots</h2>\n");
    if page.scenario.is_some_and(|sc| !sc.geometry) {
        h.push_str(
            "<p>The scenario is abstract (threats against layers, without geometry): it has no \
             map.</p>\n",
        );
    }
    for p in page.plots {
        figure(h, p);
    }
    h.push_str("</section>\n");
}

fn figure(h: &mut String, p: &Plot) {
    // The SVG is plotters' output, whose text is escaped; it is labelled for screen readers.
    let svg = p.svg.replacen(
        "<svg ",
        &format!("<svg role=\"img\" aria-label=\"{}\" ", escape(p.title)),
        1,
    );
    let _ = write!(
        h,
        "<figure id=\"{id}\">\n{svg}<figcaption><strong>{}.</strong> {} \
         <span class=\"meta\">(Also in <code>plots/{id}.svg</code> and \
         <code>plots/{id}.png</code>.)</span></figcaption>\n</figure>\n",
        escape(p.title),
        escape(&p.caption),
        id = p.id,
    );
}

/// A lead time's percentiles and mean, s.
fn lead_text(l: &LeadSummary, what: &str) -> String {
    match (l.p5, l.p50, l.p95, l.mean) {
        (Some(p5), Some(p50), Some(p95), Some(mean)) => format!(
            "5th, 50th, 95th percentiles {p5:.0}, {p50:.0}, {p95:.0} s; mean {mean:.0} s; over \
             {} {what}",
            thousands(l.count as f64, 0)
        ),
        _ => format!("none measured (no {what})"),
    }
}

/// The scenario's reported figures beside the simulated distribution
/// ([`skyshield_mc::figures`]); nothing when the summary scored none.
fn reported_section(h: &mut String, s: &Summary) {
    if s.reported.is_empty() {
        return;
    }
    let number = |x: f64| {
        if x.fract() == 0.0 || x.abs() >= 100.0 {
            thousands(x, 0)
        } else {
            thousands(x, 2)
        }
    };
    h.push_str(
        "<section id=\"reported\">\n<h2>Reported and simulated</h2>\n<p>Each figure reported \
         of the event beside the simulated metric: its mean over the runs (a lead-time \
         quantile for lead times), the 5th to 95th percentiles of the runs, and the percentile \
         rank of the reported value among them. <em>Consistent</em>: rank 5 to 95; <em>in the \
         tail</em>: 0.5 to 5 or 95 to 99.5; <em>outside</em>: beyond. A figure the scenario \
         sets itself (a stock fired to the last round, the lead time the sirens aim at) agrees \
         <em>by construction</em> and is no evidence.</p>\n<table>\n<thead><tr><th>Reported \
         figure</th><th>Reported</th><th>Simulated</th><th>Runs p5–p95</th><th>Rank</th>\
         <th>Agreement</th><th>Metric</th></tr></thead>\n<tbody>\n",
    );
    for f in &s.reported {
        let reported = if f.low == f.high {
            number(f.low)
        } else {
            format!("{}–{}", number(f.low), number(f.high))
        };
        let opt = |x: Option<f64>| x.map_or("—".to_string(), number);
        let spread = match (f.simulated_p5, f.simulated_p95) {
            (Some(a), Some(b)) => format!("{}–{}", number(a), number(b)),
            _ => "—".to_string(),
        };
        let class = f.agreement.label().replace(' ', "_");
        let _ = writeln!(
            h,
            "<tr><td class=\"words\" title=\"{}\">{}</td><td>{}</td><td>{}</td><td>{}</td>\
             <td>{}</td><td class=\"{class}\">{}</td><td><code>{}</code></td></tr>",
            escape(&f.source),
            escape(&f.figure),
            reported,
            opt(f.simulated),
            spread,
            f.rank.map_or("—".to_string(), |r| format!("{r:.0}")),
            f.agreement.label(),
            escape(&f.metric),
        );
    }
    h.push_str("</tbody>\n</table>\n</section>\n");
}

fn warning_section(h: &mut String, page: &Page) {
    let Some(w) = &page.summary.warning else {
        return;
    };
    let _ = write!(
        h,
        "<section id=\"warning\">\n<h2>Civil warning</h2>\n<p>{} warning zones, {} people. \
         Means per run with their 95 % confidence intervals; lead-time percentiles are within \
         0.5 %.</p>\n<dl class=\"key\">\n\
         <dt>Siren lead time</dt><dd>{}</dd>\n\
         <dt>Early-warning lead time</dt><dd>{}</dd>\n\
         <dt>Sirens per run</dt><dd>{}</dd>\n\
         <dt>Impacts in zones per run</dt><dd>{}</dd>\n\
         <dt>False-alarm zones per run</dt><dd>{} (95 % CI {}): alerted, with no impact</dd>\n\
         <dt>People in false-alarm zones per run</dt><dd>{} (95 % CI {})</dd>\n\
         <dt>People warned too late per run</dt><dd>{} (95 % CI {}): in zones where an impact \
         came with less lead than their shelter time</dd>\n\
         <dt>People-minutes under alert per run</dt><dd>{} (95 % CI {})</dd>\n</dl>\n",
        thousands(w.zone_count as f64, 0),
        thousands(w.population, 0),
        lead_text(&w.siren_lead_s, "impacts in zones"),
        lead_text(&w.early_warning_lead_s, "early-warned threats"),
        thousands(w.sirens_mean, 2),
        thousands(w.impacts_in_zones_mean, 2),
        thousands(w.false_alarm_zones_mean, 2),
        interval(w.false_alarm_zones_ci95, 2),
        thousands(w.false_alarm_people_mean, 0),
        interval(w.false_alarm_people_ci95, 0),
        thousands(w.too_late_people_mean, 0),
        interval(w.too_late_people_ci95, 0),
        thousands(w.people_minutes_under_alert_mean, 0),
        interval(w.people_minutes_under_alert_ci95, 0),
    );
    areas_table(h, w);
    for p in page.warning_plots {
        figure(h, p);
    }
    h.push_str("</section>\n");
}

fn reproduce_section(h: &mut String, page: &Page) {
    let s = page.summary;
    let dir = shell_quote(page.dir);
    let nominal = if s.parameters == Parameters::Nominal {
        " --nominal"
    } else {
        ""
    };
    let sample = page
        .sample_runs
        .map_or(String::new(), |k| format!(" --sample-runs {k}"));
    let scenario = if page.scenario.is_some() {
        shell_quote(&format!("{}/scenario.yaml", page.dir.trim_end_matches('/')))
    } else {
        "SCENARIO".to_string()
    };
    let _ = write!(
        h,
        "<section id=\"reproduce\">\n<h2>Reproduce</h2>\n<dl class=\"key\">\n\
         <dt>Seed</dt><dd>{}</dd>\n<dt>Runs</dt><dd>{}</dd>\n\
         <dt>skyshield version of the run</dt><dd>{}</dd>\n\
         <dt>skyshield version of this report</dt><dd>{}</dd>\n</dl>\n\
         <p>The same scenario, seed and number of runs give the same numbers on any number of \
         threads:</p>\n<pre><code>skyshield run {scenario} --runs {} --seed {}{nominal}{sample} --out {dir}\n\
         skyshield report {dir}</code></pre>\n",
        s.seed,
        s.runs,
        escape(if s.version.is_empty() {
            "not recorded in summary.json"
        } else {
            &s.version
        }),
        escape(page.version),
        s.runs,
        s.seed,
        scenario = escape(&scenario),
        dir = escape(&dir),
    );
    if page.scenario.is_none() {
        h.push_str(
            "<p>The output folder holds no <code>scenario.yaml</code>: SCENARIO stands for the \
             scenario file that was run (none for the built-in default scenario).</p>\n",
        );
    }
    if let Some(k) = s.representative_run {
        let _ = writeln!(
            h,
            "<p>Run {k} is the representative run (its number of leakers is the median of the \
             sampled runs); its full event log:</p>\n<pre><code>skyshield replay {} --run {k} --seed {}{nominal} --out {}</code></pre>",
            escape(&scenario),
            s.seed,
            escape(&shell_quote(&format!(
                "{}/replay-{k}",
                page.dir.trim_end_matches('/')
            )))
        );
    }
    if let Some(sc) = page.scenario {
        let _ = writeln!(
            h,
            "<details><summary>The scenario file (<code>scenario.yaml</code>)</summary>\n\
             <pre><code>{}</code></pre>\n</details>",
            escape(&sc.text)
        );
    }
    h.push_str("</section>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shell_quote_quotes_only_when_needed() {
        assert_eq!(shell_quote("out/run-1"), "out/run-1");
        assert_eq!(shell_quote("my out"), "'my out'");
        assert_eq!(shell_quote("it's"), r"'it'\''s'");
        assert_eq!(shell_quote(""), "''");
    }

    #[test]
    fn the_page_escapes_inputs_and_shows_every_plot_and_the_commands() {
        let mut summary: Summary = serde_json::from_str(crate::input::tests::SUMMARY).unwrap();
        summary
            .by_layer
            .insert("<b>evil</b>".into(), summary.by_layer["arrow-3"].clone());
        let scenario = ScenarioInfo {
            name: "Raid <on> \"port\"".into(),
            description: Some("Tests & checks".into()),
            sources: vec!["<a href=\"https://example.org\">x</a>".into()],
            geometry: true,
            text: "name: Raid <on>\n".into(),
        };
        let plots = vec![Plot {
            id: "plot-leakers",
            title: "Leakers per run",
            caption: "a <caption>".into(),
            svg: "<svg width=\"1\" height=\"1\"><rect/></svg>".into(),
            png: Vec::new(),
        }];
        let html = render(&Page {
            summary: &summary,
            scenario: Some(&scenario),
            plots: &plots,
            warning_plots: &[],
            dir: "out dir",
            version: "0.1.0",
            sample_runs: Some(5),
            sensitivity: None,
        });
        assert!(html.contains("<h1>Raid &lt;on&gt; &quot;port&quot;</h1>"));
        assert!(html.contains("Tests &amp; checks"));
        assert!(html.contains("&lt;b&gt;evil&lt;/b&gt;"));
        assert!(!html.contains("<b>evil"));
        assert!(
            !html.contains("<a href"),
            "no link from the inputs survives"
        );
        assert!(html.contains("a &lt;caption&gt;"));
        assert!(html.contains("<figure id=\"plot-leakers\">"));
        assert!(html.contains("<th>rounds reloaded per run</th>"));
        assert!(
            html.contains("<td>2.25</td><td>4.0 / 8</td>"),
            "Arrow-3's rounds reloaded beside its rounds left"
        );
        assert!(html.contains("<svg role=\"img\" aria-label=\"Leakers per run\" width="));
        assert!(html.contains(
            "skyshield run &#39;out dir/scenario.yaml&#39; --runs 40 --seed 7 --sample-runs 5 --out \
             &#39;out dir&#39;"
        ));
        assert!(html.contains("skyshield report &#39;out dir&#39;"));
        assert!(html.contains("skyshield replay &#39;out dir/scenario.yaml&#39; --run 3 --seed 7"));
        assert!(html.contains("0.1.0-test"), "the run's version");
    }
}

#[cfg(test)]
mod warning_tests {
    use super::*;

    fn page_html(summary: &Summary, warning_plots: &[Plot]) -> String {
        render(&Page {
            summary,
            scenario: None,
            plots: &[],
            warning_plots,
            dir: "out",
            version: "0.1.0",
            sample_runs: None,
            sensitivity: None,
        })
    }

    #[test]
    fn the_warning_section_shows_the_metrics_and_its_plots_only_with_warning() {
        let plain: Summary = serde_json::from_str(crate::input::tests::SUMMARY).unwrap();
        let html = page_html(&plain, &[]);
        assert!(!html.contains("id=\"warning\""));
        assert!(!html.contains("Civil warning"));

        let summary = crate::input::tests::summary_with_warning();
        let plot = Plot {
            id: "plot-lead",
            title: "Siren lead time",
            caption: "lead".into(),
            svg: "<svg width=\"1\" height=\"1\"><rect/></svg>".into(),
            png: Vec::new(),
        };
        let html = page_html(&summary, std::slice::from_ref(&plot));
        let section = &html[html.find("<section id=\"warning\">").expect("the section")..];
        let section = &section[..section.find("</section>").unwrap()];
        for text in [
            "<h2>Civil warning</h2>",
            "2 warning zones, 30,000 people",
            "5th, 50th, 95th percentiles 10, 100, 3700 s; mean 95 s; over 6 impacts in zones",
            "Early-warning lead time</dt><dd>none measured (no early-warned threats)",
            "False-alarm zones per run</dt><dd>0.50 (95 % CI 0.30 to 0.70)",
            "People in false-alarm zones per run</dt><dd>5,000 (95 % CI 3,000 to 7,000)",
            "People warned too late per run</dt><dd>1,200 (95 % CI 800 to 1,600)",
            "People-minutes under alert per run</dt><dd>90,000 (95 % CI 80,000 to 100,000)",
            "<figure id=\"plot-lead\">",
        ] {
            assert!(
                section.contains(text),
                "the section lacks {text:?}: {section}"
            );
        }
    }
}
