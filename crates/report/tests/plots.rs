//! The report's plots against the numbers they draw: each plot of a fixture summary is read
//! back from its SVG, its marks found by their colour, and their positions and sizes compared
//! with the summary's numbers through the plot's own axis (two marks fix the axis's scale and
//! offset; every other mark must then sit where its number puts it, within a pixel of rounding).

mod common;

use common::whole;
use skyshield_mc::Summary;
use skyshield_report::input::{Event, Fate, ZoneShape};
use skyshield_report::plots::{self, Plot};

/// Slack on a pixel position: plotters rounds every coordinate to a whole pixel.
const PX: f64 = 1.01;

const BLUE: &str = "#0072B2";
const GREEN: &str = "#009E73";
const VERMILLION: &str = "#D55E00";
const SKY: &str = "#56B4E9";
const BLACK: &str = "#000000";
/// Impacts in open areas on the map.
const PURPLE: &str = "#CC79A7";
/// Land borders on the maps.
const BORDER: &str = "#A0522D";
/// The grid's colour.
const MESH: &str = "#E1E1E1";
/// ColorBrewer's YlOrRd in 3 classes, light to dark (Brewer & Harrower, colorbrewer2.org).
const YL_OR_RD: [&str; 3] = ["#FFEDA0", "#FEB24C", "#F03B20"];

/// A summary with a gap in its leaker histogram and two layers.
const SUMMARY: &str = r#"{
  "scenario": "Plot fixture", "runs": 40, "seed": 7, "threats": 12,
  "leakers": {"mean": 3.1, "sd": 1.1, "ci95": [2.76, 3.44], "p_zero": 0.0,
              "p_zero_ci95": [0.0, 0.09], "quantiles": {"p5": 1.0, "p50": 3.0, "p95": 4.0},
              "histogram": [0, 5, 0, 20, 15]},
  "fates": {"intercepted": 8.0, "leaked": 3.1, "ignored_open_area": 0.4, "failed_in_flight": 0.5},
  "by_layer": {
    "arrow-3": {"shots": 4.0, "kills": 3.2, "shots_ci95": [3.6, 4.4], "kills_ci95": [2.8, 3.6],
                "rounds": 8, "rounds_left": 4.0, "cost_usd": 12000000.0},
    "iron-dome": {"shots": 8.0, "kills": 4.8, "shots_ci95": [7.0, 9.0], "kills_ci95": [4.0, 5.6],
                  "rounds": null, "rounds_left": null, "cost_usd": 800000.0}
  },
  "cost_usd": {"defense": 12800000.0, "defense_ci95": [11000000.0, 14600000.0],
               "offense": 5000000.0, "exchange_ratio": 2.56},
  "assets": {"port": {"hits_mean": 1.5, "p_hit": 0.8, "p_hit_ci95": [0.65, 0.9]}}
}"#;

fn summary() -> Summary {
    whole(serde_json::from_str(SUMMARY).expect("fixture summary"))
}

/// A filled rectangle or a polyline of an SVG, in pixels.
#[derive(Debug, Clone)]
struct Mark {
    x: f64,
    y: f64,
    w: f64,
    h: f64,
    opacity: f64,
    points: Vec<(f64, f64)>,
}

impl Mark {
    fn bottom(&self) -> f64 {
        self.y + self.h
    }
    fn centre_x(&self) -> f64 {
        self.x + self.w / 2.0
    }
}

fn attr(node: roxmltree::Node, name: &str) -> f64 {
    node.attribute(name)
        .and_then(|v| v.parse().ok())
        .unwrap_or(0.0)
}

/// The filled rectangles of colour `fill`.
fn rects(svg: &str, fill: &str) -> Vec<Mark> {
    let doc = roxmltree::Document::parse(svg).expect("SVG parses");
    doc.descendants()
        .filter(|n| n.has_tag_name("rect") && n.attribute("fill") == Some(fill))
        .map(|n| Mark {
            x: attr(n, "x"),
            y: attr(n, "y"),
            w: attr(n, "width"),
            h: attr(n, "height"),
            opacity: n.attribute("opacity").map_or(1.0, |o| o.parse().unwrap()),
            points: Vec::new(),
        })
        .collect()
}

/// The polylines of stroke colour `stroke`.
fn lines(svg: &str, stroke: &str) -> Vec<Mark> {
    let doc = roxmltree::Document::parse(svg).expect("SVG parses");
    doc.descendants()
        .filter(|n| n.has_tag_name("polyline") && n.attribute("stroke") == Some(stroke))
        .map(|n| {
            let points = n
                .attribute("points")
                .unwrap_or("")
                .split_whitespace()
                .map(|p| {
                    let (x, y) = p.split_once(',').expect("x,y");
                    (x.parse().unwrap(), y.parse().unwrap())
                })
                .collect();
            Mark {
                x: 0.0,
                y: 0.0,
                w: 0.0,
                h: 0.0,
                opacity: n.attribute("opacity").map_or(1.0, |o| o.parse().unwrap()),
                points,
            }
        })
        .collect()
}

/// A circle of an SVG: its centre, px, and its opacity when given.
#[derive(Debug, Clone, Copy)]
struct Dot {
    x: f64,
    y: f64,
    opacity: Option<f64>,
}

/// The circles of fill colour `fill`, or of any colour.
fn circles(svg: &str, fill: Option<&str>) -> Vec<Dot> {
    let doc = roxmltree::Document::parse(svg).expect("SVG parses");
    doc.descendants()
        .filter(|n| n.has_tag_name("circle") && fill.is_none_or(|f| n.attribute("fill") == Some(f)))
        .map(|n| Dot {
            x: attr(n, "cx"),
            y: attr(n, "cy"),
            opacity: n.attribute("opacity").and_then(|o| o.parse().ok()),
        })
        .collect()
}

/// A map's marks of colour `fill`: its circles but the legend's swatches, which alone are
/// opaque.
fn marks(svg: &str, fill: &str) -> Vec<Dot> {
    circles(svg, Some(fill))
        .into_iter()
        .filter(|d| d.opacity != Some(1.0))
        .collect()
}

/// A text of an SVG: its anchor point and font size, px, and its words.
#[derive(Debug, Clone)]
struct Text {
    x: f64,
    y: f64,
    size: f64,
    text: String,
}

fn texts(svg: &str) -> Vec<Text> {
    let doc = roxmltree::Document::parse(svg).expect("SVG parses");
    doc.descendants()
        .filter(|n| n.has_tag_name("text"))
        .map(|n| Text {
            x: attr(n, "x"),
            y: attr(n, "y"),
            size: attr(n, "font-size"),
            text: n.text().unwrap_or("").trim().to_string(),
        })
        .collect()
}

/// Checks that a legend shows `label` with a swatch of colour `fill` beside it: a filled
/// rectangle just left of the label (closer than two letters), on the label's line and at least
/// half as tall as its letters.
fn assert_swatch(svg: &str, fill: &str, label: &str) {
    let fills = rects(svg, fill);
    let beside: Vec<(Text, Mark)> = texts(svg)
        .into_iter()
        .filter(|t| t.text == label)
        .flat_map(|t| {
            fills
                .iter()
                .filter(|r| r.x + r.w <= t.x && t.x - (r.x + r.w) < 2.0 * t.size)
                .map(|r| (t.clone(), r.clone()))
                .collect::<Vec<_>>()
        })
        .collect();
    assert_eq!(beside.len(), 1, "`{label}` and its swatches: {beside:?}");
    let (t, s) = &beside[0];
    assert!(
        s.w > 0.0 && s.h >= t.size / 2.0 && s.y >= t.y - PX && s.bottom() <= t.y + t.size + PX,
        "`{label}`: swatch {s:?} beside a line from {} to {} px",
        t.y,
        t.y + t.size
    );
}

/// The plotting area of a plot, px, from its grid lines, each of which runs across it: `(left,
/// right)` from the horizontal lines, `(top, bottom)` from the vertical ones (`None` when the
/// plot has none).
fn plot_area(svg: &str) -> ((f64, f64), Option<(f64, f64)>) {
    let doc = roxmltree::Document::parse(svg).expect("SVG parses");
    let grid: Vec<[f64; 4]> = doc
        .descendants()
        .filter(|n| n.has_tag_name("line") && n.attribute("stroke") == Some(MESH))
        .map(|n| [attr(n, "x1"), attr(n, "y1"), attr(n, "x2"), attr(n, "y2")])
        .collect();
    let span = |horizontal: bool| {
        let ends: Vec<(f64, f64)> = grid
            .iter()
            .filter(|l| (l[1] == l[3]) == horizontal)
            .map(|l| {
                if horizontal {
                    (l[0], l[2])
                } else {
                    (l[1], l[3])
                }
            })
            .collect();
        let lo = ends.iter().map(|e| e.0.min(e.1)).fold(f64::MAX, f64::min);
        let hi = ends.iter().map(|e| e.0.max(e.1)).fold(f64::MIN, f64::max);
        (!ends.is_empty()).then_some((lo, hi))
    };
    (span(true).expect("horizontal grid lines"), span(false))
}

/// The bars among rectangles: those standing on the plot's baseline (the lowest bottom edge),
/// which leaves out the legend's swatch; in order from left to right.
fn bars(marks: Vec<Mark>) -> Vec<Mark> {
    let base = marks.iter().map(Mark::bottom).fold(f64::MIN, f64::max);
    let mut bars: Vec<Mark> = marks
        .into_iter()
        .filter(|m| (m.bottom() - base).abs() <= PX)
        .collect();
    bars.sort_by(|a, b| a.x.total_cmp(&b.x));
    bars
}

/// The linear map from values to pixels through two (value, pixel) pairs.
fn axis((v0, p0): (f64, f64), (v1, p1): (f64, f64)) -> impl Fn(f64) -> f64 {
    let scale = (p1 - p0) / (v1 - v0);
    move |v| p0 + (v - v0) * scale
}

fn plot<'a>(plots: &'a [Plot], id: &str) -> &'a Plot {
    plots
        .iter()
        .find(|p| p.id == id)
        .unwrap_or_else(|| panic!("no {id}"))
}

fn event(run: u64, launch_s: f64, fate: Fate, end_s: f64, at: (f64, f64)) -> Event {
    Event {
        run,
        launch_s,
        fate,
        end_s,
        lat_lon_deg: Some(at),
    }
}

/// Two runs: intercepts, leakers, an open-area impact and a failure, all far apart on the map.
fn events() -> Vec<Event> {
    vec![
        event(0, 0.0, Fate::Intercepted, 90.0, (32.0, 35.0)),
        event(0, 30.0, Fate::Leaked, 150.0, (31.0, 34.0)),
        event(0, 40.0, Fate::Leaked, 250.0, (33.0, 36.0)),
        event(1, 0.0, Fate::Intercepted, 95.0, (32.5, 35.5)),
        event(1, 60.0, Fate::IgnoredOpenArea, 160.0, (31.5, 36.5)),
        event(1, 70.0, Fate::FailedInFlight, 100.0, (30.5, 33.5)),
    ]
}

#[test]
fn the_leaker_plot_draws_a_bar_per_nonempty_count_at_its_height_and_the_mean_and_interval() {
    let s = summary();
    let plots = plots::all(&s, &events(), true, None).expect("plots");
    let svg = &plot(&plots, "plot-leakers").svg;
    // Leakers 1, 3 and 4 have runs (5, 20, 15); 2 has none and draws no height.
    let bars: Vec<Mark> = bars(rects(svg, BLUE))
        .into_iter()
        .filter(|b| b.h > 0.5)
        .collect();
    assert_eq!(bars.len(), 3, "bars: {bars:?}");
    let counts = [(1.0, 5.0), (3.0, 20.0), (4.0, 15.0)];
    let x = axis(
        (counts[0].0, bars[0].centre_x()),
        (counts[2].0, bars[2].centre_x()),
    );
    let base = bars[0].bottom();
    let y = axis((0.0, base), (counts[1].1, bars[1].y));
    for (bar, (k, n)) in bars.iter().zip(counts) {
        assert!(
            (bar.centre_x() - x(k)).abs() <= PX,
            "bar of {k} leakers at {} px, expected {} px",
            bar.centre_x(),
            x(k)
        );
        assert!(
            (bar.y - y(n)).abs() <= PX,
            "bar of {k} leakers reaches {} px, expected {} px for {n} runs",
            bar.y,
            y(n)
        );
    }
    // The shaded 95 % interval of the mean spans 2.76 to 3.44 leakers.
    let ci: Vec<Mark> = rects(svg, VERMILLION)
        .into_iter()
        .filter(|r| r.opacity < 1.0 && (r.bottom() - base).abs() <= PX)
        .collect();
    assert_eq!(ci.len(), 1, "{ci:?}");
    assert!((ci[0].x - x(2.76)).abs() <= PX && (ci[0].x + ci[0].w - x(3.44)).abs() <= PX);
    // The mean, a vertical line at 3.1 leakers.
    let mean: Vec<f64> = lines(svg, VERMILLION)
        .iter()
        .filter(|l| l.points.len() == 2 && l.points[0].0 == l.points[1].0)
        .map(|l| l.points[0].0)
        .collect();
    assert_eq!(mean.len(), 1, "{mean:?}");
    assert!(
        (mean[0] - x(3.1)).abs() <= PX,
        "mean at {} px, expected {}",
        mean[0],
        x(3.1)
    );
    // The axis leaves room beyond the outermost bars and percentiles (1 and 4 leakers): a
    // twentieth of their span, at least a leaker, on either side, so it runs from 0 to 5.
    let ((left, right), _) = plot_area(svg);
    assert!(
        (left - x(0.0)).abs() <= 2.0 * PX && (right - x(5.0)).abs() <= 2.0 * PX,
        "axis from {left} to {right} px, expected {} to {} px",
        x(0.0),
        x(5.0)
    );
    assert_swatch(svg, BLUE, "runs");
    assert_swatch(svg, VERMILLION, "95 % CI of the mean");
    // The caption gives the same numbers.
    let caption = &plot(&plots, "plot-leakers").caption;
    for part in [
        "over 40 runs",
        "mean 3.10 per run",
        "interval 2.76 to 3.44",
        "percentiles (1 and 4)",
        "P(no leaker) = 0.000 (95 % Wilson interval 0.000 to 0.090)",
    ] {
        assert!(caption.contains(part), "`{part}` not in: {caption}");
    }
}

/// Checks grouped bars of colour `fill` against `values` (one per layer) and their whiskers'
/// ends against `cis`, on a value axis with 0 at the bars' base; returns the axis's pixels per
/// unit.
fn check_bars(svg: &str, fill: &str, values: &[f64], cis: &[[f64; 2]], scale: Option<f64>) -> f64 {
    let bars = bars(rects(svg, fill));
    assert_eq!(bars.len(), values.len(), "{fill} bars: {bars:?}");
    let base = bars[0].bottom();
    let per_unit = scale.unwrap_or((base - bars[0].y) / values[0]);
    let whiskers = lines(svg, BLACK);
    for (k, (bar, v)) in bars.iter().zip(values).enumerate() {
        let top = base - v * per_unit;
        assert!(
            (bar.y - top).abs() <= PX,
            "{fill} bar {k}: top at {} px, expected {top} px for {v}",
            bar.y
        );
        // The whisker centred on the bar: its lowest and highest points are the interval's ends.
        let whisker = whiskers
            .iter()
            .find(|w| {
                w.points.len() == 6 && w.points.iter().any(|p| (p.0 - bar.centre_x()).abs() <= PX)
            })
            .unwrap_or_else(|| panic!("{fill} bar {k}: no whisker"));
        let ys: Vec<f64> = whisker.points.iter().map(|p| p.1).collect();
        let (hi, lo) = (
            ys.iter().copied().fold(f64::MAX, f64::min),
            ys.iter().copied().fold(f64::MIN, f64::max),
        );
        let ci = cis[k];
        assert!(
            (lo - (base - ci[0] * per_unit)).abs() <= PX
                && (hi - (base - ci[1] * per_unit)).abs() <= PX,
            "{fill} bar {k}: whisker from {lo} to {hi} px, expected {ci:?}"
        );
    }
    per_unit
}

#[test]
fn the_layer_plot_draws_shots_and_kills_per_layer_at_their_means_with_their_intervals() {
    let s = summary();
    let plots = plots::all(&s, &events(), true, None).expect("plots");
    let svg = &plot(&plots, "plot-layers").svg;
    // Layers in name order: arrow-3, iron-dome.
    let scale = check_bars(svg, BLUE, &[4.0, 8.0], &[[3.6, 4.4], [7.0, 9.0]], None);
    check_bars(
        svg,
        GREEN,
        &[3.2, 4.8],
        &[[2.8, 3.6], [4.0, 5.6]],
        Some(scale),
    );
    // Each layer's kills stand beside its shots, to the right, as wide, with a narrow gap, and
    // apart from the next layer.
    let (shots, kills) = (bars(rects(svg, BLUE)), bars(rects(svg, GREEN)));
    for (k, (s, b)) in shots.iter().zip(&kills).enumerate() {
        let gap = b.x - (s.x + s.w);
        assert!(
            (0.0..s.w / 4.0).contains(&gap) && (b.w - s.w).abs() <= PX,
            "layer {k}: shots {s:?}, kills {b:?}"
        );
    }
    assert!(kills[0].x + kills[0].w < shots[1].x, "{kills:?} {shots:?}");
    assert_swatch(svg, BLUE, "shots");
    assert_swatch(svg, GREEN, "kills");
}

#[test]
fn the_cost_plot_draws_each_layers_cost_with_the_shots_interval_times_the_unit_cost() {
    let s = summary();
    let plots = plots::all(&s, &events(), true, None).expect("plots");
    let svg = &plot(&plots, "plot-cost").svg;
    // US$ millions: arrow-3 12.0 at 3.0 a shot, iron-dome 0.8 at 0.1 a shot.
    check_bars(
        svg,
        VERMILLION,
        &[12.0, 0.8],
        &[[3.6 * 3.0, 4.4 * 3.0], [0.7, 0.9]],
        None,
    );
    assert_swatch(svg, VERMILLION, "defense cost");
    assert!(plot(&plots, "plot-cost").caption.contains("US$12.8M"));
    assert!(
        plot(&plots, "plot-cost")
            .caption
            .contains("exchange ratio (defense over offense) 2.56")
    );
}

#[test]
fn the_map_draws_a_mark_per_located_end_by_fate_and_none_for_failures() {
    let plots = plots::all(&summary(), &events(), true, None).expect("plots");
    let map = plot(&plots, "plot-map");
    // Points far apart are drawn one each; the legend adds one mark per class.
    let count = |fill: &str| marks(&map.svg, fill).len();
    assert_eq!(count(BLUE), 2, "intercepts");
    assert_eq!(count(VERMILLION), 2, "leakers");
    assert_eq!(count(PURPLE), 1, "open-area impact");
    // The points lie on the eastern Mediterranean: the coastline is drawn (more lines than the
    // legend's one).
    assert!(
        lines(&map.svg, "#5A5A5A").len() > 1,
        "no coastline on a map of the Levant"
    );
    assert_eq!(
        circles(&map.svg, Some(BLUE)).len(),
        3,
        "two intercepts and the legend's"
    );
    assert!(
        map.caption
            .contains("2 intercept (ground point), 2 leaker impact, 1 impact in open area"),
        "{}",
        map.caption
    );
}

#[test]
fn the_map_names_the_scenarios_assets_and_batteries_over_borders_and_places() {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios/default.yaml");
    let scenario = skyshield_scenario::load(&path).expect("the default scenario");
    let layered = scenario.as_layered().expect("layered");
    let plots = plots::all(&summary(), &events(), true, Some(&scenario)).expect("plots");
    let map = plot(&plots, "plot-map");
    let written: Vec<String> = texts(&map.svg).into_iter().map(|t| t.text).collect();
    for id in layered
        .assets
        .iter()
        .map(|a| &a.id)
        .chain(layered.batteries.iter().map(|b| &b.id))
    {
        assert!(written.contains(id), "{id} is not written on the map");
    }
    // Places of Natural Earth in the frame, and a scale bar of a round length.
    assert!(written.iter().any(|t| t == "Tel Aviv-Yafo"), "{written:?}");
    assert!(
        written
            .iter()
            .any(|t| ["10 km", "20 km", "50 km", "100 km", "200 km"].contains(&t.as_str())),
        "{written:?}"
    );
    // The border between Israel and Jordan, dashed: many pieces beside the legend's sample.
    assert!(lines(&map.svg, BORDER).len() > 10, "no borders");
    // The battery reaches are dotted circles about each battery.
    assert!(
        lines(&map.svg, "#0072B2").len() > 50,
        "no dotted reach around the batteries"
    );
}

#[test]
fn the_timeline_of_a_dated_scenario_reads_utc_time() {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios/oct-2024.yaml");
    let scenario = skyshield_scenario::load(&path).expect("October 2024");
    // Events in the first hour: labels are clock times from 16:30 UTC.
    let dated = plots::all(&summary(), &events(), true, Some(&scenario)).expect("plots");
    let timeline = plot(&dated, "plot-timeline");
    assert!(
        timeline.caption.contains("2024-10-01 16:30 UTC"),
        "{}",
        timeline.caption
    );
    let clock = |svg: &str| {
        texts(svg)
            .into_iter()
            .filter(|t| {
                let b = t.text.as_bytes();
                b.len() == 5 && b[2] == b':' && t.text.replace(':', "").parse::<u32>().is_ok()
            })
            .count()
    };
    assert!(clock(&timeline.svg) >= 2, "clock labels");
    let undated = plots::all(&summary(), &events(), true, None).expect("plots");
    assert_eq!(clock(&plot(&undated, "plot-timeline").svg), 0);
}

#[test]
fn the_map_merges_points_within_a_cell_only() {
    // Two leakers a metre apart are one mark; a third 47 km west of them is another.
    let e = vec![
        event(0, 0.0, Fate::Leaked, 100.0, (31.0, 34.5)),
        event(1, 0.0, Fate::Leaked, 100.0, (31.0, 34.500_01)),
        event(0, 0.0, Fate::Leaked, 100.0, (31.0, 34.0)),
        event(0, 0.0, Fate::Intercepted, 90.0, (32.0, 36.0)),
    ];
    let plots = plots::all(&summary(), &e, true, None).expect("plots");
    let mut leakers = marks(&plot(&plots, "plot-map").svg, VERMILLION);
    assert_eq!(leakers.len(), 2, "{leakers:?}");
    // A lone point is translucent, so that points drawn over one another show; the mark of two
    // is as dark as two of them overlaid.
    leakers.sort_by(|a, b| a.x.total_cmp(&b.x));
    let (one, two) = (
        leakers[0].opacity.expect("an opacity"),
        leakers[1].opacity.expect("an opacity"),
    );
    assert!(0.0 < one && one < 1.0, "a lone point's opacity {one}");
    assert!(
        (two - (1.0 - (1.0 - one).powi(2))).abs() < 1e-6,
        "two points' opacity {two}, one's {one}"
    );
}

#[test]
fn the_map_legend_goes_to_the_corner_without_points() {
    // Points in the south-west, north-west and north-east corners of the frame, none in the
    // south-east: the legend (its swatches are the only opaque circles) is drawn there.
    let mut e = Vec::new();
    for (k, at) in [(30.0, 1.0), (32.0, 1.0), (32.0, 3.0)]
        .into_iter()
        .enumerate()
    {
        for run in 0..3 {
            e.push(event(run, 0.0, Fate::Leaked, 100.0 + k as f64, at));
            e.push(event(
                run,
                0.0,
                Fate::Intercepted,
                90.0,
                (at.0 + 0.01, at.1),
            ));
        }
    }
    let plots = plots::all(&summary(), &e, true, None).expect("plots");
    let svg = &plot(&plots, "plot-map").svg;
    let doc = roxmltree::Document::parse(svg).expect("SVG");
    let root = doc.root_element();
    let (width, height) = (attr(root, "width"), attr(root, "height"));
    let swatches: Vec<Dot> = circles(svg, None)
        .into_iter()
        .filter(|d| d.opacity == Some(1.0))
        .collect();
    assert!(!swatches.is_empty(), "no legend");
    // The three runs' points at one place are one mark: one per corner and fate.
    assert_eq!(
        (marks(svg, VERMILLION).len(), marks(svg, BLUE).len()),
        (3, 3),
        "leaker and intercept marks"
    );
    for Dot { x, y, .. } in swatches {
        assert!(
            x > width / 2.0 && y > height / 2.0,
            "a legend swatch at ({x}, {y}) in a {width} × {height} map"
        );
    }
}

#[test]
fn the_map_keeps_its_scale_the_same_north_and_east() {
    // A leaker at 45° N, an intercept a degree north of it and an open-area impact as far east
    // (a degree over the cosine of the map's central latitude): both 111 km away, so drawn at
    // the same distance from the leaker.
    let (lat, lon) = (45.0, 10.0);
    let east = 1.0 / (lat + 0.5_f64).to_radians().cos();
    let e = vec![
        event(0, 0.0, Fate::Leaked, 100.0, (lat, lon)),
        event(0, 0.0, Fate::Intercepted, 90.0, (lat + 1.0, lon)),
        event(0, 0.0, Fate::IgnoredOpenArea, 100.0, (lat, lon + east)),
    ];
    let plots = plots::all(&summary(), &e, true, None).expect("plots");
    let svg = &plot(&plots, "plot-map").svg;
    let at = |fill: &str| {
        marks(svg, fill)
            .first()
            .map(|d| (d.x, d.y))
            .unwrap_or_else(|| panic!("no {fill} mark"))
    };
    let (o, n, x) = (at(VERMILLION), at(BLUE), at(PURPLE));
    let north = (n.0 - o.0).hypot(n.1 - o.1);
    let eastward = (x.0 - o.0).hypot(x.1 - o.1);
    assert!(north > 50.0, "{north} px");
    assert!(
        (north - eastward).abs() <= 2.0 * PX,
        "a degree north is {north} px, as far east {eastward} px"
    );
}

#[test]
fn the_map_frames_its_points_with_a_tenth_of_their_extent_around_them() {
    // Two leakers, the second a degree north and twice as far east (two degrees over the
    // cosine of their mean latitude): a frame twice as wide as tall, which a map of a height
    // between its least and most takes as it is, its plotting area twice as wide as tall.
    let (lat, lon) = (31.0, 34.0);
    let east = 2.0 / (lat + 0.5_f64).to_radians().cos();
    let e = vec![
        event(0, 0.0, Fate::Leaked, 100.0, (lat, lon)),
        event(0, 0.0, Fate::Leaked, 100.0, (lat + 1.0, lon + east)),
    ];
    let plots = plots::all(&summary(), &e, true, None).expect("plots");
    let svg = &plot(&plots, "plot-map").svg;
    let ((left, right), rows) = plot_area(svg);
    let (top, bottom) = rows.expect("vertical grid lines");
    let (width, height) = (right - left, bottom - top);
    assert!(
        (height - width / 2.0).abs() <= 2.0 * PX,
        "a plotting area of {width} × {height} px for a frame twice as wide as tall"
    );
    // The points are at opposite corners, a tenth of their extent in from the frame's edges:
    // a twelfth of the width and of the height.
    let mut dots = marks(svg, VERMILLION);
    dots.sort_by(|a, b| a.x.total_cmp(&b.x));
    assert_eq!(dots.len(), 2, "{dots:?}");
    let (sw, ne) = (dots[0], dots[1]);
    for (dot, (x, y)) in [
        (sw, (left + width / 12.0, bottom - height / 12.0)),
        (ne, (right - width / 12.0, top + height / 12.0)),
    ] {
        assert!(
            (dot.x - x).abs() <= 2.0 * PX && (dot.y - y).abs() <= 2.0 * PX,
            "a mark at ({}, {}) px, expected ({x}, {y}) px",
            dot.x,
            dot.y
        );
    }
}

/// A summary with civil warning: one zone, shelter time 90 s, siren lead times in 10 s bins up
/// to an hour counted in `histogram` (361 bins, the last the overflow).
fn with_warning(histogram: &[u64]) -> Summary {
    let mut doc: serde_json::Value = serde_json::from_str(SUMMARY).unwrap();
    doc["warning"] = serde_json::json!({
        "zone_count": 1, "population": 1000.0,
        "siren_lead_s": {"count": 23, "mean": 900.0, "p5": 5.0, "p50": 300.0, "p95": 3600.0,
                         "histogram_bin_s": 10.0, "histogram_cap_s": 3600.0,
                         "histogram": histogram},
        "early_warning_lead_s": {"count": 0, "mean": null, "p5": null, "p50": null, "p95": null},
        "sirens_mean": 1.0, "impacts_in_zones_mean": 1.0,
        "false_alarm_zones_mean": 0.0, "false_alarm_zones_ci95": [0.0, 0.0],
        "false_alarm_people_mean": 0.0, "false_alarm_people_ci95": [0.0, 0.0],
        "too_late_people_mean": 0.0, "too_late_people_ci95": [0.0, 0.0],
        "people_minutes_under_alert_mean": 0.0, "people_minutes_under_alert_ci95": [0.0, 0.0],
        "zones": {"z": {"population": 1000.0, "shelter_time_s": 90.0, "alerts_mean": 1.0}}
    });
    whole(doc)
}

/// A square zone `side` degrees wide with its south-west corner at `(lon, lat)`.
fn square(name: &str, p_too_late: f64, (lon, lat): (f64, f64), side: f64) -> ZoneShape {
    let ring = vec![
        (lon, lat),
        (lon + side, lat),
        (lon + side, lat + side),
        (lon, lat + side),
        (lon, lat),
    ];
    ZoneShape {
        name: name.into(),
        p_too_late,
        polygons: vec![vec![ring]],
    }
}

#[test]
fn the_zone_map_shades_zones_by_p_too_late_on_a_ramp_fitted_to_the_most() {
    let s = with_warning(&[0; 361]);
    let zones = [
        square("alerted", 0.25, (34.0, 31.0), 0.4),
        square("quiet", 0.0, (34.6, 31.0), 0.4),
    ];
    // Leakers in the alerted zone, in its north-east quarter: two a metre apart (one mark)
    // and one 13 km from them (another).
    let e = vec![
        event(0, 0.0, Fate::Leaked, 100.0, (31.25, 34.25)),
        event(1, 0.0, Fate::Leaked, 100.0, (31.25, 34.250_01)),
        event(1, 0.0, Fate::Leaked, 100.0, (31.35, 34.35)),
    ];
    let plots = plots::warning(s.warning.as_ref().expect("warning"), &zones, &e).expect("plots");
    let map = plot(&plots, "plot-zones");
    let svg = &map.svg;
    // The zone most often warned too late has the dark end of the scale (fitted to 0.25, not
    // 1), a zone never warned too late the light end.
    let doc = roxmltree::Document::parse(svg).expect("SVG");
    let fills: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("polygon"))
        .filter_map(|n| n.attribute("fill"))
        .collect();
    assert_eq!(fills, [YL_OR_RD[2], YL_OR_RD[0]], "zone fills");
    assert_swatch(svg, YL_OR_RD[1], "warning zone");
    let mut dots = marks(svg, BLACK);
    dots.sort_by(|a, b| a.x.total_cmp(&b.x));
    assert_eq!(dots.len(), 2, "leaker marks {dots:?}");
    assert!(
        dots[0].opacity > dots[1].opacity,
        "the mark of two leakers is the darker: {dots:?}"
    );
    // The colour scale beside the map: equal steps, touching, from the tick of 0 at the bottom
    // to the tick of 0.25, the most of any zone, at the top, darker upwards.
    let ((_, map_right), _) = plot_area(svg);
    // Each step with its colour, from the bottom up.
    let mut steps: Vec<(Mark, [f64; 3])> = doc
        .descendants()
        .filter(|n| n.has_tag_name("rect") && attr(*n, "x") > map_right)
        .map(|n| {
            let hex = n.attribute("fill").expect("a fill");
            let c = |k: usize| f64::from(u8::from_str_radix(&hex[k..k + 2], 16).expect("hex"));
            let mark = Mark {
                x: attr(n, "x"),
                y: attr(n, "y"),
                w: attr(n, "width"),
                h: attr(n, "height"),
                opacity: 1.0,
                points: Vec::new(),
            };
            (mark, [c(1), c(3), c(5)])
        })
        .collect();
    steps.sort_by(|a, b| b.0.y.total_cmp(&a.0.y));
    assert!(steps.len() >= 10, "a ramp, not a few blocks: {steps:?}");
    let tick = |label: &str| {
        texts(svg)
            .into_iter()
            .find(|t| t.text == label && t.x > map_right)
            .unwrap_or_else(|| panic!("no tick {label}"))
            .y
    };
    let (zero, most) = (tick("0.00"), tick("0.25"));
    let step = (zero - most) / steps.len() as f64;
    for (k, (r, c)) in steps.iter().enumerate() {
        let bottom = zero - k as f64 * step;
        assert!(
            (r.bottom() - bottom).abs() <= PX && (r.h - step).abs() <= PX,
            "step {k} from {} to {} px, expected {} to {bottom} px",
            r.y,
            r.bottom(),
            bottom - step
        );
        assert!(
            r.x == steps[0].0.x && r.w == steps[0].0.w && r.w > 0.0,
            "step {k}: {r:?}"
        );
        if k > 0 {
            let below = steps[k - 1].1;
            assert!(
                c.iter().sum::<f64>() < below.iter().sum::<f64>(),
                "step {k} {c:?} not darker than the one below {below:?}"
            );
        }
    }
    assert!(map.caption.contains("from 0 to 0.25"), "{}", map.caption);
}

#[test]
fn the_timeline_steps_at_the_mean_counts_per_bin() {
    let e = events();
    let t = plots::timeline(&e);
    let plots = plots::all(&summary(), &e, true, None).expect("plots");
    let svg = &plot(&plots, "plot-timeline").svg;
    // Each series is one step line, two points per bin, at the bin's mean per run.
    let step = |stroke: &str| {
        lines(svg, stroke)
            .into_iter()
            .max_by_key(|l| l.points.len())
            .expect("a line")
    };
    // The events span 0 to 250 s: the smallest width giving at most 120 bins is half a
    // minute, from 0; each event counts, per run (2 runs), in the bin of its own time: a launch
    // at its launch, an intercept or impact at its end.
    assert_eq!((t.start_min, t.bin_min), (0.0, 0.5));
    let n = t.launches.len();
    assert_eq!(n, 9);
    let (mut launched, mut intercepted, mut landed) = (vec![0.0; n], vec![0.0; n], vec![0.0; n]);
    let bin = |s: f64| (s / 30.0).floor() as usize;
    for ev in &e {
        launched[bin(ev.launch_s)] += 0.5;
        match ev.fate {
            Fate::Intercepted => intercepted[bin(ev.end_s)] += 0.5,
            Fate::Leaked | Fate::IgnoredOpenArea => landed[bin(ev.end_s)] += 0.5,
            Fate::FailedInFlight => {}
        }
    }
    assert_eq!(t.launches, launched);
    assert_eq!(t.intercepts, intercepted);
    assert_eq!(t.impacts, landed);
    let launches = step(SKY);
    let impacts = step(VERMILLION);
    let intercepts = step(BLUE);
    assert_eq!(launches.points.len(), 2 * n);
    assert_eq!(impacts.points.len(), 2 * n);
    assert_eq!(intercepts.points.len(), 2 * n);
    // The steps are flat over each bin and the bins touch, each as wide as the others.
    let width = launches.points[1].0 - launches.points[0].0;
    assert!(width > 1.0, "{width} px");
    for series in [&launches, &impacts, &intercepts] {
        for k in 0..n {
            let (a, b) = (series.points[2 * k], series.points[2 * k + 1]);
            assert!((b.0 - a.0 - width).abs() <= PX, "bin {k}: {a:?} to {b:?}");
            if k + 1 < n {
                let next = series.points[2 * k + 2];
                assert!(
                    (next.0 - b.0).abs() <= PX,
                    "bin {k} ends at {b:?}, the next starts at {next:?}"
                );
            }
        }
    }
    let base = launches
        .points
        .iter()
        .chain(&impacts.points)
        .map(|p| p.1)
        .fold(f64::MIN, f64::max);
    let peak = t.launches.iter().copied().fold(0.0, f64::max);
    let top = launches.points.iter().map(|p| p.1).fold(f64::MAX, f64::min);
    let y = axis((0.0, base), (peak, top));
    for (series, values) in [
        (&launches, &t.launches),
        (&impacts, &t.impacts),
        (&intercepts, &t.intercepts),
    ] {
        for (k, v) in values.iter().enumerate() {
            assert!(
                (series.points[2 * k].1 - y(*v)).abs() <= PX,
                "bin {k}: {} px, expected {} px for {v}",
                series.points[2 * k].1,
                y(*v)
            );
        }
    }
    // Events of both runs: per run, 3 launches in all and 2 leakers plus 1 open-area impact
    // over 2 runs.
    assert_eq!(t.runs, 2);
    assert!((t.launches.iter().sum::<f64>() - 3.0).abs() < 1e-12);
    assert!((t.impacts.iter().sum::<f64>() - 1.5).abs() < 1e-12);
    assert!((t.intercepts.iter().sum::<f64>() - 1.0).abs() < 1e-12);
    let caption = &plot(&plots, "plot-timeline").caption;
    assert!(
        caption.contains("per 0.5 min, mean per run over all 2 sampled runs"),
        "{caption}"
    );
}

#[test]
fn the_timeline_starts_at_the_bin_of_its_first_event() {
    // One threat launched at 10 min and landing at 11.75 min: half-minute bins from 10 min,
    // four of them, the launch in the first and the impact in the last.
    let e = vec![event(0, 600.0, Fate::Leaked, 705.0, (31.0, 34.0))];
    let t = plots::timeline(&e);
    assert_eq!((t.start_min, t.bin_min), (10.0, 0.5));
    assert_eq!(t.launches, [1.0, 0.0, 0.0, 0.0]);
    assert_eq!(t.impacts, [0.0, 0.0, 0.0, 1.0]);
    let plots = plots::all(&summary(), &e, true, None).expect("plots");
    let svg = &plot(&plots, "plot-timeline").svg;
    let steps = lines(svg, SKY)
        .into_iter()
        .map(|l| l.points.len())
        .max()
        .expect("a line");
    assert_eq!(steps, 2 * 4, "two points per bin");
}

#[test]
fn the_lead_time_plot_draws_a_bar_per_nonempty_merged_bin_and_the_overflow() {
    // 10 s bins up to an hour: 360 regular bins, merged three at a time into 30 s bars. Counts
    // in bins 0, 1 and 2 (one bar of 6), 7 (bar 2: 4) and 100 (bar 33: 8), and 5 from an hour.
    let mut histogram = vec![0u64; 361];
    histogram[0] = 1;
    histogram[1] = 2;
    histogram[2] = 3;
    histogram[7] = 4;
    histogram[100] = 8;
    histogram[360] = 5;
    let s = with_warning(&histogram);
    let w = s.warning.as_ref().expect("warning");
    let plots = plots::warning(w, &[], &[]).expect("plots");
    let lead = plot(&plots, "plot-lead");
    let blue = bars(rects(&lead.svg, BLUE));
    let sky = bars(rects(&lead.svg, SKY));
    assert_eq!(blue.len(), 3, "one bar per non-empty merged bin: {blue:?}");
    assert_eq!(sky.len(), 1, "the overflow bar: {sky:?}");
    // The axes through the outermost bars and the tallest: an anchor rounded to a pixel moves
    // the points between by at most a pixel more.
    let x = axis((0.0, blue[0].x), (3600.0, sky[0].x));
    let base = blue[0].bottom();
    let y = axis((0.0, base), (8.0, blue[2].y));
    for (bar, (start, n)) in
        blue.iter()
            .chain(&sky)
            .zip([(0.0, 6.0), (60.0, 4.0), (990.0, 8.0), (3600.0, 5.0)])
    {
        assert!(
            (bar.x - x(start)).abs() <= 2.0 * PX,
            "bar from {start} s at {} px, expected {}",
            bar.x,
            x(start)
        );
        assert!(
            (bar.w - (x(27.0) - x(0.0))).abs() <= 2.0 * PX,
            "bar width {} px",
            bar.w
        );
        assert!(
            (bar.y - y(n)).abs() <= 2.0 * PX,
            "bar from {start} s: top {} px, expected {} for {n}",
            bar.y,
            y(n)
        );
    }
    // The axis runs from 0 at the left of the plotting area to 5 % past the furthest thing drawn,
    // the end of the overflow bin at 3,630 s, which so ends inside at 1/1.05 of the width.
    let ((left, right), _) = plot_area(&lead.svg);
    assert!(
        (left - x(0.0)).abs() <= 2.0 * PX && (right - x(1.05 * 3630.0)).abs() <= 2.0 * PX,
        "axis from {left} to {right} px, expected {} to {} px",
        x(0.0),
        x(1.05 * 3630.0)
    );
    assert_swatch(&lead.svg, BLUE, "impacts");
    assert_swatch(&lead.svg, SKY, "3,600 s or longer");
    assert!(lead.caption.contains("in 30 s bins"), "{}", lead.caption);
    assert!(
        lead.caption
            .contains("leads of 3,600 s or more (5 impacts)"),
        "{}",
        lead.caption
    );
}
