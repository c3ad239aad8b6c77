//! The plots of the report, drawn with plotters into SVG (for the page) and PNG (to reuse
//! elsewhere) from the same drawing code.
//!
//! Text is laid out with the embedded DejaVu Sans (`data/`), so no system font library is
//! needed; in the SVG the text stays text, in the family `sans-serif`.
//!
//! | id | shows | from |
//! |---|---|---|
//! | `plot-leakers` | runs per number of leakers, mean with its 95 % interval, 5th and 95th percentiles | `summary.json` |
//! | `plot-leak-causes` | leakers per run of each cause, values written (not for summaries older than the causes) | `summary.json` |
//! | `plot-layers` | shots and kills per run of each interceptor type, 95 % intervals | `summary.json` |
//! | `plot-cost` | defense cost per run of each interceptor type, 95 % intervals | `summary.json` |
//! | `plot-map` | impact and intercept points of the sampled runs over the basemap, with the scenario's assets, batteries and radars | `events.parquet`, `scenario.yaml` |
//! | `plot-timeline` | launches, intercepts and impacts per time bin, mean over the sampled runs | `events.parquet` |
//!
//! With civil warning in the summary, [`warning`] draws two more:
//!
//! | id | shows | from |
//! |---|---|---|
//! | `plot-zones` | the warning zones shaded by P(warned too late), with the leakers' impacts, over the coastline | `zones.geojson`, `summary.json`, `events.parquet` |
//! | `plot-lead` | impacts in zones per siren lead time, the zones' shelter times, 5th, 50th and 95th percentiles | `summary.json` |
//!
//! Inside, `canvas` holds what the plots share (font, palette, rendering), `format` the numbers,
//! and one module each plot or family of plots.

mod campaign;
mod canvas;
mod format;
mod lead;
mod map;
mod summary;
mod timeline;
mod zone_map;

pub use canvas::Plot;
pub use format::{musd, thousands};
pub use lead::{LeadBars, MAX_LEAD_BARS, lead_bars};
pub use summary::histogram_bars;
pub use timeline::{Timeline, timeline};

use crate::ReportError;
use skyshield_mc::{Summary, WarningSummary};

use crate::input::{Event, ZoneShape};
use canvas::{register, render};
use lead::LeadPlot;
use map::{Elements, MapPlot};
use skyshield_scenario::Scenario;
use summary::{CostPlot, LayerPlot, LeakCausePlot, LeakerPlot};
use timeline::TimelinePlot;
use zone_map::ZonesPlot;

/// Every plot of the report, in page order; the leak causes only when the summary has them
/// (summaries older than them do not), the map only when the scenario has `geometry` (abstract
/// scenarios place nothing on the Earth).
/// With `scenario` (the run's, when its copy resolves), the map shows its assets, batteries and
/// radars, and the timeline is dated from its `start` when it has one.
pub fn all(
    summary: &Summary,
    events: &[Event],
    geometry: bool,
    scenario: Option<&Scenario>,
) -> Result<Vec<Plot>, ReportError> {
    register()?;
    let leakers = LeakerPlot::new(summary);
    let layers = LayerPlot::new(summary);
    let cost = CostPlot::new(summary);
    let timeline = TimelinePlot::new(events, scenario.and_then(|s| s.start));
    let mut plots = vec![render(
        "plot-leakers",
        "Leakers per run",
        leakers.caption(summary),
        &leakers,
    )?];
    if let Some(causes) = LeakCausePlot::new(summary) {
        plots.push(render(
            "plot-leak-causes",
            "Why threats leaked",
            causes.caption(summary),
            &causes,
        )?);
    }
    plots.push(render(
        "plot-layers",
        "Shots and kills per layer",
        layers.caption(),
        &layers,
    )?);
    plots.push(render(
        "plot-cost",
        "Defense cost per layer",
        cost.caption(summary),
        &cost,
    )?);
    if geometry {
        let elements = scenario.map_or_else(Elements::default, Elements::of);
        let map = MapPlot::new(events, elements);
        plots.push(render(
            "plot-map",
            "Impacts and intercepts",
            map.caption(),
            &map,
        )?);
    }
    plots.push(render(
        "plot-timeline",
        "Timeline",
        timeline.caption(),
        &timeline,
    )?);
    Ok(plots)
}

/// The plots of a campaign (`skyshield campaign --out DIR` writes them to `DIR/plots/`):
///
/// | id | shows |
/// |---|---|
/// | `plot-campaign-stocks` | rounds left of each interceptor type at each day's end: mean over runs, 5th to 95th percentile band |
/// | `plot-campaign-leakers` | leakers per day: mean, 5th to 95th percentile band |
/// | `plot-campaign-exhaustion` | P(exhausted by day D) of each interceptor type that runs out in some run |
/// | `plot-campaign-cost` | defense and offense cost per day: mean, 5th to 95th percentile band |
pub fn campaign(summary: &skyshield_campaign::CampaignSummary) -> Result<Vec<Plot>, ReportError> {
    use campaign::{DayBands, ExhaustionPlot};
    register()?;
    let runs = summary.runs;
    Ok(vec![
        render(
            "plot-campaign-stocks",
            "Interceptor stocks",
            format!(
                "Rounds of each interceptor type left at each day's end, on launchers, in battery \
                 depots and in the national depot: mean over {runs} runs (line) and 5th to 95th \
                 percentile (band)."
            ),
            &DayBands::stocks(summary),
        )?,
        render(
            "plot-campaign-leakers",
            "Leakers per day",
            format!(
                "Threats that reached the ground each day: mean over {runs} runs (line) and 5th \
                 to 95th percentile (band)."
            ),
            &DayBands::leakers(summary),
        )?,
        render(
            "plot-campaign-exhaustion",
            "Exhaustion day",
            format!(
                "Share of the {runs} runs in which each interceptor type has no round left \
                 anywhere by the end of the day; types never exhausted are not drawn."
            ),
            &ExhaustionPlot::new(summary),
        )?,
        render(
            "plot-campaign-cost",
            "Cost per day",
            format!(
                "Cost of the interceptors fired (defense) and of the threats launched (offense) \
                 each day, US$ million: mean over {runs} runs (line) and 5th to 95th percentile \
                 (band)."
            ),
            &DayBands::cost(summary),
        )?,
    ])
}

/// The plots of the civil warning, in page order: the zones on the map (from `zones`, the
/// zones of `zones.geojson`, with the leakers' impacts of `events`) and the siren lead times.
pub fn warning(
    warning: &WarningSummary,
    zones: &[ZoneShape],
    events: &[Event],
) -> Result<Vec<Plot>, ReportError> {
    register()?;
    let map = ZonesPlot::new(zones, events);
    let lead = LeadPlot::new(warning);
    Ok(vec![
        render("plot-zones", "Warning zones", map.caption(), &map)?,
        render("plot-lead", "Siren lead time", lead.caption(), &lead)?,
    ])
}

#[cfg(test)]
mod tests {
    use plotters::style::RGBColor;

    use super::map::fit;
    use super::zone_map::shade;
    use super::*;
    use crate::basemap::Frame;
    use crate::input::Fate;

    fn event(run: u64, launch_s: f64, fate: Fate, end_s: f64) -> Event {
        Event {
            run,
            launch_s,
            fate,
            end_s,
            lat_lon_deg: Some((32.0, 35.0)),
        }
    }

    #[test]
    fn histogram_bars_span_the_observed_values_with_gaps_kept() {
        assert_eq!(
            histogram_bars(&[0, 0, 3, 0, 5, 0]),
            vec![(2, 3), (3, 0), (4, 5)]
        );
        assert_eq!(histogram_bars(&[7]), vec![(0, 7)]);
        assert!(histogram_bars(&[0, 0]).is_empty());
        assert!(histogram_bars(&[]).is_empty());
    }

    #[test]
    fn thousands_groups_digits() {
        assert_eq!(thousands(1234567.891, 1), "1,234,567.9");
        assert_eq!(thousands(999.0, 0), "999");
        assert_eq!(thousands(-1000.0, 0), "-1,000");
        assert_eq!(thousands(-0.04, 1), "0.0");
        assert_eq!(musd(934_599_000.0), "US$934.6M");
    }

    #[test]
    fn timeline_counts_are_means_per_run_in_bins() {
        // Two runs: launches at 0 and 30 s, an intercept at 90 s, impacts at 150 s.
        let events = [
            event(0, 0.0, Fate::Intercepted, 90.0),
            event(0, 30.0, Fate::Leaked, 150.0),
            event(1, 0.0, Fate::IgnoredOpenArea, 150.0),
            event(1, 30.0, Fate::FailedInFlight, 100.0),
        ];
        let t = timeline(&events);
        assert_eq!(t.runs, 2);
        assert_eq!(t.bin_min, 0.5, "2.5 min of events fit in 30 s bins");
        assert_eq!(t.start_min, 0.0);
        assert_eq!(t.launches, vec![1.0, 1.0, 0.0, 0.0, 0.0, 0.0]);
        assert_eq!(t.intercepts, vec![0.0, 0.0, 0.0, 0.5, 0.0, 0.0]);
        assert_eq!(t.impacts, vec![0.0, 0.0, 0.0, 0.0, 0.0, 1.0]);
    }

    #[test]
    fn timeline_bins_widen_to_keep_at_most_120_bins() {
        // Ten hours of events: 5-minute bins (120 bins) is the first width that fits.
        let events = [event(0, 0.0, Fate::Leaked, 10.0 * 3600.0 - 1.0)];
        let t = timeline(&events);
        assert_eq!(t.bin_min, 5.0);
        assert_eq!(t.launches.len(), 120);
        assert_eq!(t.impacts[119], 1.0);
        let total: f64 = t.launches.iter().sum();
        assert_eq!(total, 1.0);
    }

    #[test]
    fn count_axes_label_whole_numbers_only() {
        assert_eq!(super::format::integer(&3.0), "3");
        assert_eq!(super::format::integer(&1200.0), "1,200");
        assert_eq!(super::format::integer(&2.5), "");
        assert_eq!(super::format::integer(&0.999), "");
    }

    #[test]
    fn fitted_map_frames_keep_the_points_and_the_plot_shape() {
        let frame = Frame {
            lon_min: 30.0,
            lon_max: 40.0,
            lat_min: 30.0,
            lat_max: 32.0,
        };
        let (f, (w, h)) = fit(frame, 860, (360, 760));
        assert_eq!(w, 860);
        assert_eq!(h, 360, "a wide frame gets the smallest height");
        assert!(f.lon_min <= 30.0 && f.lon_max >= 40.0 && f.lat_min <= 30.0 && f.lat_max >= 32.0);
        let p = f.projection();
        let span_x = (f.lon_max - f.lon_min) * p.cos_lat0;
        let span_y = f.lat_max - f.lat_min;
        // The shape of the plotting area: the map less its margins and axis labels.
        assert!((span_x / span_y - (860.0 - 76.0) / (360.0 - 56.0)).abs() < 1e-3);
    }

    #[test]
    fn lead_bars_merge_bins_and_keep_the_overflow_apart() {
        // 10 s bins, overflow at 30 s: three regular bins and the overflow.
        let b = lead_bars(&[1, 0, 2, 5], 10.0, 30.0);
        assert_eq!(b.width_s, 10.0);
        assert_eq!(b.bars, vec![(0.0, 1), (10.0, 0), (20.0, 2)]);
        assert_eq!(b.overflow, Some((30.0, 5)));
        // 300 regular bins are merged three at a time into 100 bars; counts are kept.
        let mut h = vec![1; 300];
        h.push(0);
        let b = lead_bars(&h, 10.0, 3000.0);
        assert_eq!(b.width_s, 30.0);
        assert_eq!(b.bars.len(), 100);
        assert!(b.bars.iter().all(|&(_, n)| n == 3));
        assert_eq!(b.bars[99].0, 2970.0);
        assert_eq!(b.overflow, None, "an empty overflow bin is not drawn");
        let empty = lead_bars(&[], 10.0, 3600.0);
        assert!(empty.bars.is_empty() && empty.overflow.is_none());
    }

    #[test]
    fn the_zone_scale_fits_the_largest_probability() {
        use super::zone_map::fitted_top;
        assert_eq!(fitted_top(0.0), 1.0);
        assert_eq!(fitted_top(1.0), 1.0);
        assert_eq!(fitted_top(0.73), 1.0);
        assert_eq!(fitted_top(0.3), 0.5);
        assert_eq!(fitted_top(0.25), 0.25);
        assert_eq!(fitted_top(0.1), 0.1);
        assert!((fitted_top(0.037) - 0.05).abs() < 1e-15);
        assert!((fitted_top(0.0012) - 0.002).abs() < 1e-15);
    }

    #[test]
    fn warning_plots_draw_the_zones_and_the_lead_times() {
        let summary = crate::input::tests::summary_with_warning();
        let w = summary.warning.as_ref().unwrap();
        let dir = std::env::temp_dir().join(format!("skyshield-plots-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("zones.geojson");
        std::fs::write(&path, crate::input::tests::ZONES).unwrap();
        let zones = crate::input::read_zones(&path, w).unwrap();
        let mut leak = event(0, 0.0, Fate::Leaked, 90.0);
        leak.lat_lon_deg = Some((32.05, 34.85));
        let plots = warning(w, &zones, &[leak]).unwrap();
        let ids: Vec<_> = plots.iter().map(|p| p.id).collect();
        assert_eq!(ids, ["plot-zones", "plot-lead"]);
        for p in &plots {
            assert!(p.svg.starts_with("<svg"), "{}", p.id);
            assert_eq!(&p.png[1..4], b"PNG", "{}", p.id);
        }
        let map = &plots[0].svg;
        // Two fills for the polygon with a hole, two for the MultiPolygon.
        assert_eq!(map.matches("<polygon").count(), 4, "{map}");
        assert!(map.contains("<circle"), "the leaker's impact");
        assert!(plots[0].caption.contains("The 2 warning zones"));
        assert!(
            plots[0].caption.contains("1 of them were warned too late"),
            "{}",
            plots[0].caption
        );
        assert!(plots[0].caption.contains("from 0 to 0.10"));
        // The zone most often warned too late has the darkest shade, the other the lightest.
        let hex = |c: RGBColor| format!("#{:02X}{:02X}{:02X}", c.0, c.1, c.2);
        assert!(map.contains(&hex(shade(1.0))) && map.contains(&hex(shade(0.0))));
        let lead = &plots[1];
        assert!(
            lead.caption.contains("6 impacts in all"),
            "{}",
            lead.caption
        );
        assert!(
            lead.caption
                .contains("shelter time (60 s (1 zone), 90 s (1 zone))"),
            "{}",
            lead.caption
        );
        assert!(
            lead.caption.contains("leads of 100 s or more (4 impacts)"),
            "{}",
            lead.caption
        );
        // Background, one bar below the cap, the overflow bar, and the legend's box and swatches.
        assert!(lead.svg.matches("<rect").count() >= 3, "{}", lead.svg);
    }

    #[test]
    fn the_leak_cause_chart_draws_a_bar_per_cause_with_leakers_and_writes_every_value() {
        let summary: Summary = serde_json::from_str(crate::input::tests::SUMMARY).unwrap();
        let plots = all(&summary, &[], false, None).unwrap();
        let plot = plots.iter().find(|p| p.id == "plot-leak-causes").unwrap();
        assert_eq!(plot.title, "Why threats leaked");
        let svg = &plot.svg;
        // The fixture's causes: out_of_reach 0.25, all_shots_missed 0.75, no_rounds 1.5.
        let vermillion = svg.matches("fill=\"#D55E00\"").count();
        assert_eq!(vermillion, 3, "a bar per cause with leakers: {svg}");
        for name in skyshield_engine::LeakCause::ALL.map(|c| c.name()) {
            assert!(
                svg.contains(&format!(">\n{name}\n<")),
                "{name} labels its bar"
            );
        }
        for value in [">\n0.25\n<", ">\n0.75\n<", ">\n1.50\n<", ">\n0.00\n<"] {
            assert!(svg.contains(value), "the value {value} is written");
        }
        assert!(
            plot.caption
                .contains("mean over 40 runs; the bars sum to the 2.50 leakers per run"),
            "{}",
            plot.caption
        );
        // No leaker: every bar empty, and the caption says so.
        let mut none = summary.clone();
        none.fates.leaked = 0.0;
        none.leak_causes = Some(skyshield_mc::LeakCauses::default());
        let plots = all(&none, &[], false, None).unwrap();
        let plot = plots.iter().find(|p| p.id == "plot-leak-causes").unwrap();
        assert_eq!(plot.svg.matches("fill=\"#D55E00\"").count(), 0);
        assert!(plot.caption.starts_with("No threat leaked in the 40 runs"));
    }

    #[test]
    fn every_plot_renders_to_svg_and_png() {
        let summary: Summary = serde_json::from_str(crate::input::tests::SUMMARY).unwrap();
        let events = [
            event(0, 0.0, Fate::Intercepted, 90.0),
            event(0, 30.0, Fate::Leaked, 150.0),
        ];
        let plots = all(&summary, &events, true, None).unwrap();
        let ids: Vec<_> = plots.iter().map(|p| p.id).collect();
        assert_eq!(
            ids,
            [
                "plot-leakers",
                "plot-leak-causes",
                "plot-layers",
                "plot-cost",
                "plot-map",
                "plot-timeline"
            ]
        );
        for p in &plots {
            assert!(p.svg.starts_with("<svg"), "{}", p.id);
            assert!(
                p.svg.contains("<rect") || p.svg.contains("<polyline"),
                "{}",
                p.id
            );
            assert_eq!(&p.png[1..4], b"PNG", "{}", p.id);
        }
        // Without any sampled event, the plots from the summary still show it, and the map
        // and the timeline are drawn empty.
        let empty = all(&summary, &[], true, None).unwrap();
        assert_eq!(empty.len(), 6);
        assert!(empty[4].caption.contains("no located events"));
        // Without geometry, no map.
        let ids: Vec<_> = all(&summary, &events, false, None)
            .unwrap()
            .iter()
            .map(|p| p.id)
            .collect();
        assert_eq!(
            ids,
            [
                "plot-leakers",
                "plot-leak-causes",
                "plot-layers",
                "plot-cost",
                "plot-timeline"
            ]
        );
        // A summary older than the leak causes: no chart of them.
        let mut old = summary.clone();
        old.leak_causes = None;
        let ids: Vec<_> = all(&old, &events, true, None)
            .unwrap()
            .iter()
            .map(|p| p.id)
            .collect();
        assert_eq!(
            ids,
            [
                "plot-leakers",
                "plot-layers",
                "plot-cost",
                "plot-map",
                "plot-timeline"
            ]
        );
        let map = &plots[4].svg;
        assert!(map.contains("<circle"), "map has points");
        assert!(map.contains("<polyline"), "map has the coastline");
        assert!(
            plots[2].svg.contains("arrow-3"),
            "layer names label the axis"
        );
    }
}
