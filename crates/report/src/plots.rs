//! The plots of the report, drawn with plotters into SVG (for the page) and PNG (to reuse
//! elsewhere) from the same drawing code.
//!
//! Text is laid out with the embedded DejaVu Sans (`data/`), so no system font library is
//! needed; in the SVG the text stays text, in the family `sans-serif`.
//!
//! | id | shows | from |
//! |---|---|---|
//! | `plot-leakers` | runs per number of leakers, mean with its 95 % interval, 5th and 95th percentiles | `summary.json` |
//! | `plot-layers` | shots and kills per run of each interceptor type, 95 % intervals | `summary.json` |
//! | `plot-cost` | defense cost per run of each interceptor type, 95 % intervals | `summary.json` |
//! | `plot-map` | impact and intercept points of the sampled runs over the coastline | `events.parquet` |
//! | `plot-timeline` | launches, intercepts and impacts per time bin, mean over the sampled runs | `events.parquet` |
//!
//! With civil warning in the summary, [`warning`] draws two more:
//!
//! | id | shows | from |
//! |---|---|---|
//! | `plot-zones` | the warning zones shaded by alert periods per run, with the leakers' impacts, over the coastline | `zones.geojson`, `summary.json`, `events.parquet` |
//! | `plot-lead` | impacts in zones per siren lead time, the zones' shelter times, 5th, 50th and 95th percentiles | `summary.json` |

use std::collections::{BTreeSet, HashMap};
use std::sync::OnceLock;

use std::ops::Range;

use plotters::coord::Shift;
use plotters::coord::ranged1d::{KeyPointHint, NoDefaultFormatting, ValueFormatter};
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::RGBColor;
use plotters::style::register_font;

use crate::ReportError;
use crate::basemap::{self, Frame, Projection};
use skyshield_mc::{LeadSummary, Summary, WarningSummary};

use crate::input::{Event, Fate, ZoneShape};

const FONT: &[u8] = include_bytes!("../data/DejaVuSans.ttf");
const FAMILY: &str = "sans-serif";

// Okabe and Ito's colour-blind-safe palette (Okabe & Ito 2008, "Color Universal Design").
const BLUE: RGBColor = RGBColor(0, 114, 178);
const ORANGE: RGBColor = RGBColor(230, 159, 0);
const VERMILLION: RGBColor = RGBColor(213, 94, 0);
const SKY: RGBColor = RGBColor(86, 180, 233);
const GREEN: RGBColor = RGBColor(0, 158, 115);
const GREY: RGBColor = RGBColor(140, 140, 140);
const COAST: RGBColor = RGBColor(90, 90, 90);
const MESH: RGBColor = RGBColor(225, 225, 225);

/// Size of every plot but the map, pixels.
const SIZE: (u32, u32) = (860, 460);
/// Width of the map, pixels; its height follows the frame's shape.
const MAP_WIDTH: u32 = 860;

/// One plot of the report.
#[derive(Debug, Clone)]
pub struct Plot {
    /// Id of its `<figure>` and stem of its file names.
    pub id: &'static str,
    /// Short title.
    pub title: &'static str,
    /// What it shows, in words (plain text).
    pub caption: String,
    /// The plot as an SVG document.
    pub svg: String,
    /// The plot as a PNG image.
    pub png: Vec<u8>,
}

/// Every plot of the report, in page order; the map only when the scenario has `geometry`
/// (abstract scenarios place nothing on the Earth).
pub fn all(summary: &Summary, events: &[Event], geometry: bool) -> Result<Vec<Plot>, ReportError> {
    register()?;
    let leakers = LeakerPlot::new(summary);
    let layers = LayerPlot::new(summary);
    let cost = CostPlot::new(summary);
    let timeline = TimelinePlot::new(events);
    let mut plots = vec![
        render(
            "plot-leakers",
            "Leakers per run",
            leakers.caption(summary),
            &leakers,
        )?,
        render(
            "plot-layers",
            "Shots and kills per layer",
            layers.caption(),
            &layers,
        )?,
        render(
            "plot-cost",
            "Defense cost per layer",
            cost.caption(summary),
            &cost,
        )?,
    ];
    if geometry {
        let map = MapPlot::new(events);
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

/// Registers the embedded font once.
fn register() -> Result<(), ReportError> {
    static REGISTERED: OnceLock<bool> = OnceLock::new();
    let ok = *REGISTERED.get_or_init(|| register_font(FAMILY, FontStyle::Normal, FONT).is_ok());
    ok.then_some(()).ok_or_else(|| ReportError::Plot {
        plot: "all".into(),
        message: "the embedded font cannot be read".into(),
    })
}

type DrawResult<DB> = Result<(), DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

/// A plot that can draw itself on any plotters backend.
trait Figure {
    /// Size in pixels.
    fn size(&self) -> (u32, u32) {
        SIZE
    }
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB>;
}

fn render(
    id: &'static str,
    title: &'static str,
    caption: String,
    figure: &impl Figure,
) -> Result<Plot, ReportError> {
    let error = |message: String| ReportError::Plot {
        plot: id.into(),
        message,
    };
    let (w, h) = figure.size();
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (w, h)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| error(e.to_string()))?;
        figure.draw(&root).map_err(|e| error(e.to_string()))?;
        root.present().map_err(|e| error(e.to_string()))?;
    }
    let mut rgb = vec![0u8; (w * h * 3) as usize];
    {
        let root = BitMapBackend::with_buffer(&mut rgb, (w, h)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| error(e.to_string()))?;
        figure.draw(&root).map_err(|e| error(e.to_string()))?;
        root.present().map_err(|e| error(e.to_string()))?;
    }
    let png = encode_png(&rgb, w, h).map_err(|e| error(e.to_string()))?;
    Ok(Plot {
        id,
        title,
        caption,
        svg,
        png,
    })
}

fn encode_png(rgb: &[u8], w: u32, h: u32) -> Result<Vec<u8>, png::EncodingError> {
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, w, h);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header()?;
    writer.write_image_data(rgb)?;
    writer.finish()?;
    Ok(out)
}

fn font(size: u32) -> TextStyle<'static> {
    (FAMILY, size).into_font().into()
}

/// Formats a number with thousands separators and `digits` decimals.
pub fn thousands(x: f64, digits: usize) -> String {
    let text = format!("{:.*}", digits, x.abs());
    let (int, frac) = text
        .split_once('.')
        .map_or((text.as_str(), ""), |(i, f)| (i, f));
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let sign = if x < 0.0 && text.chars().any(|c| c != '0' && c != '.') {
        "-"
    } else {
        ""
    };
    if frac.is_empty() {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped}.{frac}")
    }
}

/// A number of US dollars in millions, e.g. `US$12.3M`.
pub fn musd(usd: f64) -> String {
    format!("US${}M", thousands(usd / 1e6, 1))
}

/// An axis label for whole numbers only (counts), none between them.
fn integer(x: &f64) -> String {
    if (x - x.round()).abs() < 1e-9 {
        thousands(*x, 0)
    } else {
        String::new()
    }
}

// ---------------------------------------------------------------------------------------------
// Leakers

/// The bars of a histogram of counts: `(value, runs)` for every value from the smallest to the
/// largest value with runs (zeros in between kept, so that gaps show); empty when no run.
pub fn histogram_bars(histogram: &[u64]) -> Vec<(u32, u64)> {
    let first = histogram.iter().position(|&c| c > 0);
    let last = histogram.iter().rposition(|&c| c > 0);
    match (first, last) {
        (Some(first), Some(last)) => (first..=last).map(|k| (k as u32, histogram[k])).collect(),
        _ => Vec::new(),
    }
}

struct LeakerPlot {
    bars: Vec<(u32, u64)>,
    mean: f64,
    ci95: [f64; 2],
    p5: f64,
    p95: f64,
}

impl LeakerPlot {
    fn new(s: &Summary) -> Self {
        LeakerPlot {
            bars: histogram_bars(&s.leakers.histogram),
            mean: s.leakers.mean,
            ci95: s.leakers.ci95,
            p5: s.leakers.quantiles.p5,
            p95: s.leakers.quantiles.p95,
        }
    }

    fn caption(&self, s: &Summary) -> String {
        let l = &s.leakers;
        format!(
            "Runs by number of leakers (threats that reached the ground, in a defended asset or \
             not) over {} runs. Solid line: mean {:.2} per run, shaded: its 95 % confidence \
             interval {:.2} to {:.2}; dashed lines: 5th and 95th percentiles ({} and {}). \
             P(no leaker) = {:.3} (95 % Wilson interval {:.3} to {:.3}).",
            s.runs,
            l.mean,
            l.ci95[0],
            l.ci95[1],
            l.quantiles.p5,
            l.quantiles.p95,
            l.p_zero,
            l.p_zero_ci95[0],
            l.p_zero_ci95[1]
        )
    }
}

impl Figure for LeakerPlot {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        let lo = self.bars.first().map_or(0.0, |b| b.0 as f64).min(self.p5);
        let hi = self.bars.last().map_or(0.0, |b| b.0 as f64).max(self.p95);
        let pad = ((hi - lo) * 0.05).max(1.0);
        let y_max = self.bars.iter().map(|b| b.1).max().unwrap_or(1).max(1) as f64 * 1.15;
        let mut chart = ChartBuilder::on(root)
            .margin(12)
            .x_label_area_size(44)
            .y_label_area_size(56)
            .build_cartesian_2d((lo - pad)..(hi + pad), 0.0..y_max)?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .max_light_lines(0)
            .bold_line_style(MESH)
            .x_label_formatter(&integer)
            .y_label_formatter(&integer)
            .x_desc("leakers per run")
            .y_desc("runs")
            .label_style(font(14))
            .axis_desc_style(font(15))
            .draw()?;
        chart
            .draw_series(std::iter::once(Rectangle::new(
                [(self.ci95[0], 0.0), (self.ci95[1], y_max)],
                VERMILLION.mix(0.25).filled(),
            )))?
            .label("95 % CI of the mean")
            .legend(|(x, y)| {
                Rectangle::new([(x, y - 5), (x + 16, y + 5)], VERMILLION.mix(0.25).filled())
            });
        chart
            .draw_series(self.bars.iter().map(|&(k, n)| {
                let k = k as f64;
                Rectangle::new([(k - 0.45, 0.0), (k + 0.45, n as f64)], BLUE.filled())
            }))?
            .label("runs")
            .legend(|(x, y)| Rectangle::new([(x, y - 5), (x + 16, y + 5)], BLUE.filled()));
        chart
            .draw_series(std::iter::once(PathElement::new(
                vec![(self.mean, 0.0), (self.mean, y_max)],
                VERMILLION.stroke_width(2),
            )))?
            .label(format!("mean {:.2}", self.mean))
            .legend(|(x, y)| {
                PathElement::new(vec![(x, y), (x + 16, y)], VERMILLION.stroke_width(2))
            });
        chart
            .draw_series([self.p5, self.p95].into_iter().map(|q| {
                DashedPathElement::new(vec![(q, 0.0), (q, y_max)], 6, 4, GREY.stroke_width(2))
            }))?
            .label("5th and 95th percentiles")
            .legend(|(x, y)| {
                DashedPathElement::new(vec![(x, y), (x + 16, y)], 4, 3, GREY.stroke_width(2))
            });
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperRight)
            .background_style(WHITE.mix(0.85))
            .border_style(GREY)
            .label_font(font(13))
            .draw()
    }
}

// ---------------------------------------------------------------------------------------------
// Layers

/// A mean with its 95 % interval.
type WithCi = (f64, [f64; 2]);

/// One series of a bar chart: label, colour, a value per bar.
type BarSeries<'a> = (&'a str, RGBColor, &'a [WithCi]);

/// Shots and kills per run of each interceptor type.
struct LayerPlot {
    names: Vec<String>,
    shots: Vec<WithCi>,
    kills: Vec<WithCi>,
}

impl LayerPlot {
    fn new(s: &Summary) -> Self {
        LayerPlot {
            names: s.by_layer.keys().cloned().collect(),
            shots: s
                .by_layer
                .values()
                .map(|l| (l.shots, l.shots_ci95))
                .collect(),
            kills: s
                .by_layer
                .values()
                .map(|l| (l.kills, l.kills_ci95))
                .collect(),
        }
    }

    fn caption(&self) -> String {
        format!(
            "Interceptors fired (shots) and threats killed (kills) per run by each of the {} \
             interceptor types, mean over the runs; whiskers: 95 % confidence intervals of the \
             means.",
            self.names.len()
        )
    }
}

impl Figure for LayerPlot {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        let groups: [BarSeries; 2] = [("shots", BLUE, &self.shots), ("kills", GREEN, &self.kills)];
        bar_chart(root, &self.names, &groups, "per run")
    }
}

/// Grouped bars with 95 % whiskers, one group per name.
fn bar_chart<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    names: &[String],
    series: &[BarSeries],
    y_desc: &str,
) -> DrawResult<DB> {
    let n = names.len().max(1);
    let y_max = series
        .iter()
        .flat_map(|s| s.2.iter().map(|(v, ci)| v.max(ci[1])))
        .fold(0.0_f64, f64::max)
        .max(1e-9)
        * 1.15;
    let mut chart = ChartBuilder::on(root)
        .margin(12)
        .x_label_area_size(44)
        .y_label_area_size(72)
        .build_cartesian_2d(Slots(n), 0.0..y_max)?;
    let label = |x: &f64| {
        let i = x.round();
        if (x - i).abs() < 1e-6 && i >= 0.0 {
            names.get(i as usize).cloned().unwrap_or_default()
        } else {
            String::new()
        }
    };
    chart
        .configure_mesh()
        .disable_x_mesh()
        .max_light_lines(0)
        .bold_line_style(MESH)
        .x_label_formatter(&label)
        .y_label_formatter(&|y| thousands(*y, if y_max < 10.0 { 1 } else { 0 }))
        .y_desc(y_desc)
        .label_style(font(14))
        .axis_desc_style(font(15))
        .draw()?;
    let width = 0.8 / series.len() as f64;
    for (j, &(label, color, values)) in series.iter().enumerate() {
        let offset = -0.4 + width * (j as f64 + 0.5);
        chart
            .draw_series(values.iter().enumerate().map(|(i, (v, _))| {
                let x = i as f64 + offset;
                Rectangle::new(
                    [(x - width * 0.45, 0.0), (x + width * 0.45, *v)],
                    color.filled(),
                )
            }))?
            .label(label)
            .legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 16, y + 5)], color.filled()));
        chart.draw_series(values.iter().enumerate().map(|(i, (_, ci))| {
            let x = i as f64 + offset;
            let cap = width * 0.15;
            PathElement::new(
                vec![
                    (x - cap, ci[0]),
                    (x + cap, ci[0]),
                    (x, ci[0]),
                    (x, ci[1]),
                    (x - cap, ci[1]),
                    (x + cap, ci[1]),
                ],
                BLACK.stroke_width(2),
            )
        }))?;
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperRight)
        .background_style(WHITE.mix(0.85))
        .border_style(GREY)
        .label_font(font(13))
        .draw()
}

/// An axis of `n` slots centred on 0, 1, ..., n - 1, with a tick at each centre.
struct Slots(usize);

impl Ranged for Slots {
    type FormatOption = NoDefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        let r = self.range();
        let t = (value - r.start) / (r.end - r.start);
        limit.0 + (t * (limit.1 - limit.0) as f64).round() as i32
    }

    fn key_points<Hint: KeyPointHint>(&self, _hint: Hint) -> Vec<f64> {
        (0..self.0).map(|i| i as f64).collect()
    }

    fn range(&self) -> Range<f64> {
        -0.6..(self.0 as f64 - 0.4)
    }
}

impl ValueFormatter<f64> for Slots {
    fn format(value: &f64) -> String {
        value.to_string()
    }
}

// ---------------------------------------------------------------------------------------------
// Cost

struct CostPlot {
    names: Vec<String>,
    /// Mean cost per run, US$ millions, with a 95 % interval.
    cost: Vec<WithCi>,
}

impl CostPlot {
    fn new(s: &Summary) -> Self {
        let cost = s
            .by_layer
            .values()
            .map(|l| {
                // Cost is shots times the unit cost, so its interval is the shots' interval
                // times the unit cost.
                let unit = if l.shots > 0.0 {
                    l.cost_usd / l.shots
                } else {
                    0.0
                };
                (
                    l.cost_usd / 1e6,
                    [l.shots_ci95[0] * unit / 1e6, l.shots_ci95[1] * unit / 1e6],
                )
            })
            .collect();
        CostPlot {
            names: s.by_layer.keys().cloned().collect(),
            cost,
        }
    }

    fn caption(&self, s: &Summary) -> String {
        let c = &s.cost_usd;
        format!(
            "Cost of the interceptors fired per run by each interceptor type, US$ millions, mean \
             over the runs; whiskers: 95 % confidence intervals (the shots' interval times the \
             unit cost). Defense total {} per run (95 % CI {} to {}); offense (threats launched) \
             {} per run; exchange ratio (defense over offense) {:.2}.",
            musd(c.defense),
            musd(c.defense_ci95[0]),
            musd(c.defense_ci95[1]),
            musd(c.offense),
            c.exchange_ratio
        )
    }
}

impl Figure for CostPlot {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        bar_chart(
            root,
            &self.names,
            &[("defense cost", VERMILLION, &self.cost)],
            "US$ millions per run",
        )
    }
}

// ---------------------------------------------------------------------------------------------
// Map

/// What a point on the map is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum MapClass {
    Intercept,
    Leak,
    OpenArea,
}

impl MapClass {
    /// The class of a threat's end point; threats that failed in flight are not drawn.
    fn of(fate: Fate) -> Option<MapClass> {
        match fate {
            Fate::Intercepted => Some(MapClass::Intercept),
            Fate::Leaked => Some(MapClass::Leak),
            Fate::IgnoredOpenArea => Some(MapClass::OpenArea),
            Fate::FailedInFlight => None,
        }
    }

    fn label(self) -> &'static str {
        match self {
            MapClass::Intercept => "intercept (ground point)",
            MapClass::Leak => "leaker impact",
            MapClass::OpenArea => "impact in open area (not engaged)",
        }
    }

    fn color(self) -> RGBColor {
        match self {
            MapClass::Intercept => BLUE,
            MapClass::Leak => VERMILLION,
            MapClass::OpenArea => ORANGE,
        }
    }
}

/// Opacity of one point; `k` points in one cell are drawn once with the opacity of `k`
/// overlaid points, `1 - (1 - a)^k`.
const POINT_ALPHA: f64 = 0.35;
/// Side of the cells in which points are merged, pixels.
const CELL_PX: f64 = 2.0;

struct MapPlot {
    frame: Frame,
    projection: Projection,
    size: (u32, u32),
    /// Points per class, `(lon, lat)`.
    points: Vec<(MapClass, Vec<(f64, f64)>)>,
    runs: usize,
}

impl MapPlot {
    fn new(events: &[Event]) -> Self {
        let mut by_class: HashMap<MapClass, Vec<(f64, f64)>> = HashMap::new();
        for e in events {
            if let (Some(class), Some((lat, lon))) = (MapClass::of(e.fate), e.lat_lon_deg) {
                by_class.entry(class).or_default().push((lon, lat));
            }
        }
        let mut points: Vec<_> = by_class.into_iter().collect();
        points.sort_by_key(|p| p.0);
        let all = points.iter().flat_map(|p| p.1.iter().copied());
        // Framed on the points with a tenth of their extent around them, at least 1 degree.
        let frame = Frame::around(all, 0.1, 1.0).unwrap_or(Frame {
            lon_min: -180.0,
            lon_max: 180.0,
            lat_min: -80.0,
            lat_max: 80.0,
        });
        let (frame, size) = fit(frame, MAP_WIDTH, (360, 760));
        MapPlot {
            frame,
            projection: frame.projection(),
            size,
            points,
            runs: events.iter().map(|e| e.run).collect::<BTreeSet<_>>().len(),
        }
    }

    fn caption(&self) -> String {
        let counts: Vec<String> = self
            .points
            .iter()
            .map(|(class, pts)| format!("{} {}", thousands(pts.len() as f64, 0), class.label()))
            .collect();
        format!(
            "Where the threats of the {} sampled runs ended: {}. Intercepts are drawn at the \
             ground point under the intercept; threats that failed in flight are not drawn. \
             Darker marks: several points. Coastline: Natural \
             Earth 1:50m (public domain). Equirectangular projection, east-west scaled by the \
             cosine of the map's mean latitude ({:.1}°).",
            self.runs,
            if counts.is_empty() {
                "no located events".to_string()
            } else {
                counts.join(", ")
            },
            0.5 * (self.frame.lat_min + self.frame.lat_max)
        )
    }
}

impl MapPlot {
    /// The corner of the map with the fewest points in its quarter-size box, for the legend.
    fn emptiest_corner(&self) -> SeriesLabelPosition {
        let f = &self.frame;
        let (w, h) = (f.lon_max - f.lon_min, f.lat_max - f.lat_min);
        let in_box = |west: bool, south: bool| {
            let lon = if west {
                f.lon_min..f.lon_min + 0.35 * w
            } else {
                f.lon_max - 0.35 * w..f.lon_max
            };
            let lat = if south {
                f.lat_min..f.lat_min + 0.3 * h
            } else {
                f.lat_max - 0.3 * h..f.lat_max
            };
            self.points
                .iter()
                .flat_map(|p| &p.1)
                .filter(|(x, y)| lon.contains(x) && lat.contains(y))
                .count()
        };
        [
            (in_box(true, true), SeriesLabelPosition::LowerLeft),
            (in_box(false, true), SeriesLabelPosition::LowerRight),
            (in_box(true, false), SeriesLabelPosition::UpperLeft),
            (in_box(false, false), SeriesLabelPosition::UpperRight),
        ]
        .into_iter()
        .min_by_key(|c| c.0)
        .map_or(SeriesLabelPosition::LowerLeft, |c| c.1)
    }
}

/// Widens `frame` so that, projected, it has the shape of a plot `width` pixels wide with a
/// height within `heights`; returns the frame and the plot's size.
fn fit(frame: Frame, width: u32, heights: (u32, u32)) -> (Frame, (u32, u32)) {
    let p = frame.projection();
    let span_x = (frame.lon_max - frame.lon_min) * p.cos_lat0;
    let span_y = frame.lat_max - frame.lat_min;
    let height = (width as f64 * span_y / span_x).clamp(heights.0 as f64, heights.1 as f64);
    let want_x = span_y * width as f64 / height;
    let mut f = frame;
    if want_x > span_x {
        let pad = (want_x - span_x) / p.cos_lat0 / 2.0;
        f.lon_min -= pad;
        f.lon_max += pad;
    } else {
        let pad = (span_x * height / width as f64 - span_y) / 2.0;
        f.lat_min -= pad;
        f.lat_max += pad;
    }
    (f, (width, height.round() as u32))
}

impl Figure for MapPlot {
    fn size(&self) -> (u32, u32) {
        self.size
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        let f = self.frame;
        let p = self.projection;
        let (x0, _) = p.project((f.lon_min, f.lat_min));
        let (x1, _) = p.project((f.lon_max, f.lat_min));
        let mut chart = ChartBuilder::on(root)
            .margin(10)
            .x_label_area_size(36)
            .y_label_area_size(56)
            .build_cartesian_2d(x0..x1, f.lat_min..f.lat_max)?;
        chart
            .configure_mesh()
            .max_light_lines(0)
            .bold_line_style(MESH)
            .x_label_formatter(&|x| format!("{:.1}°E", x / p.cos_lat0 + p.lon0))
            .y_label_formatter(&|y| format!("{y:.1}°N"))
            .label_style(font(13))
            .draw()?;
        draw_coastline(&mut chart, &f, p)?;
        let (w_px, _) = chart.plotting_area().dim_in_pixel();
        let cell = (x1 - x0) / w_px.max(1) as f64 * CELL_PX;
        for (class, points) in &self.points {
            let color = class.color();
            chart
                .draw_series(point_marks(points, p, cell, color))?
                .label(class.label())
                .legend(move |(x, y)| Circle::new((x + 8, y), 4, color.filled()));
        }
        chart
            .configure_series_labels()
            .position(self.emptiest_corner())
            .background_style(WHITE.mix(0.85))
            .border_style(GREY)
            .label_font(font(13))
            .draw()
    }
}

/// Marks for `points` (`(lon, lat)`) on a map in projection `p`: the points in each square cell
/// `cell` wide are drawn once, with the opacity of that many overlaid points.
fn point_marks(
    points: &[(f64, f64)],
    p: Projection,
    cell: f64,
    color: RGBColor,
) -> Vec<Circle<(f64, f64), i32>> {
    let mut cells: HashMap<(i64, i64), u32> = HashMap::new();
    for &q in points {
        let (x, y) = p.project(q);
        *cells
            .entry(((x / cell).floor() as i64, (y / cell).floor() as i64))
            .or_default() += 1;
    }
    let mut cells: Vec<_> = cells.into_iter().collect();
    cells.sort_unstable();
    cells
        .into_iter()
        .map(|((i, j), k)| {
            let alpha = 1.0 - (1.0 - POINT_ALPHA).powi(k as i32);
            Circle::new(
                ((i as f64 + 0.5) * cell, (j as f64 + 0.5) * cell),
                3,
                color.mix(alpha).filled(),
            )
        })
        .collect()
}

/// Draws the parts of the coastline inside frame `f`, projected with `p`.
fn draw_coastline<DB: DrawingBackend, CT: CoordTranslate<From = (f64, f64)>>(
    chart: &mut ChartContext<DB, CT>,
    f: &Frame,
    p: Projection,
) -> DrawResult<DB> {
    let parts = basemap::coastline()
        .iter()
        .filter(|line| overlaps(line, f))
        .flat_map(|line| basemap::clip(line, f));
    chart
        .draw_series(parts.map(|part| {
            PathElement::new(
                part.into_iter().map(|q| p.project(q)).collect::<Vec<_>>(),
                COAST.stroke_width(1),
            )
        }))?
        .label("coastline")
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 16, y)], COAST.stroke_width(1)));
    Ok(())
}

/// Whether the bounding box of a line overlaps the frame (the line may then cross it).
fn overlaps(line: &[(f64, f64)], f: &Frame) -> bool {
    let (mut lo_x, mut hi_x, mut lo_y, mut hi_y) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
    for &(x, y) in line {
        lo_x = lo_x.min(x);
        hi_x = hi_x.max(x);
        lo_y = lo_y.min(y);
        hi_y = hi_y.max(y);
    }
    lo_x <= f.lon_max && hi_x >= f.lon_min && lo_y <= f.lat_max && hi_y >= f.lat_min
}

// ---------------------------------------------------------------------------------------------
// Timeline

/// Counts of events per time bin, as means per sampled run.
#[derive(Debug, Clone, PartialEq)]
pub struct Timeline {
    /// Start of the first bin, minutes.
    pub start_min: f64,
    /// Width of a bin, minutes.
    pub bin_min: f64,
    /// Per bin: launches, intercepts, impacts (leakers and open-area impacts), mean per run.
    pub launches: Vec<f64>,
    pub intercepts: Vec<f64>,
    pub impacts: Vec<f64>,
    /// Sampled runs.
    pub runs: usize,
}

/// Bin widths tried, minutes: the smallest giving at most [`MAX_BINS`] bins is used.
const BIN_WIDTHS_MIN: [f64; 12] = [
    0.5, 1.0, 2.0, 5.0, 10.0, 15.0, 20.0, 30.0, 60.0, 120.0, 240.0, 720.0,
];
const MAX_BINS: usize = 120;

/// Bins the events of all sampled runs by time since the scenario's start.
pub fn timeline(events: &[Event]) -> Timeline {
    let runs = events.iter().map(|e| e.run).collect::<BTreeSet<_>>().len();
    let times = events.iter().flat_map(|e| [e.launch_s, e.end_s]);
    let (lo, hi) = times.fold((f64::MAX, f64::MIN), |(lo, hi), t| (lo.min(t), hi.max(t)));
    let (lo, hi) = if lo <= hi {
        (lo / 60.0, hi / 60.0)
    } else {
        (0.0, 1.0)
    };
    let bin_min = BIN_WIDTHS_MIN
        .into_iter()
        .find(|w| (((hi / w).floor() - (lo / w).floor()) as usize) < MAX_BINS)
        .unwrap_or(BIN_WIDTHS_MIN[BIN_WIDTHS_MIN.len() - 1]);
    let start_min = (lo / bin_min).floor() * bin_min;
    let n = ((hi - start_min) / bin_min).floor() as usize + 1;
    let mut t = Timeline {
        start_min,
        bin_min,
        launches: vec![0.0; n],
        intercepts: vec![0.0; n],
        impacts: vec![0.0; n],
        runs,
    };
    let per_run = 1.0 / runs.max(1) as f64;
    let bin = |s: f64| (((s / 60.0 - start_min) / bin_min).floor() as usize).min(n - 1);
    for e in events {
        t.launches[bin(e.launch_s)] += per_run;
        match e.fate {
            Fate::Intercepted => t.intercepts[bin(e.end_s)] += per_run,
            Fate::Leaked | Fate::IgnoredOpenArea => t.impacts[bin(e.end_s)] += per_run,
            Fate::FailedInFlight => {}
        }
    }
    t
}

struct TimelinePlot(Timeline);

impl TimelinePlot {
    fn new(events: &[Event]) -> Self {
        TimelinePlot(timeline(events))
    }

    fn caption(&self) -> String {
        let t = &self.0;
        format!(
            "Launches, intercepts and impacts (leakers and open-area impacts) per {} min, mean \
             per run over all {} sampled runs, against time from the scenario's time zero \
             (slow threats may be launched before it).",
            t.bin_min, t.runs
        )
    }
}

impl Figure for TimelinePlot {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        let t = &self.0;
        let n = t.launches.len();
        let end = t.start_min + n as f64 * t.bin_min;
        let y_max = [&t.launches, &t.intercepts, &t.impacts]
            .iter()
            .flat_map(|v| v.iter().copied())
            .fold(0.0_f64, f64::max)
            .max(1e-9)
            * 1.15;
        let mut chart = ChartBuilder::on(root)
            .margin(12)
            .x_label_area_size(44)
            .y_label_area_size(64)
            .build_cartesian_2d(t.start_min..end, 0.0..y_max)?;
        chart
            .configure_mesh()
            .max_light_lines(0)
            .bold_line_style(MESH)
            .x_label_formatter(&|x| thousands(*x, 0))
            .y_label_formatter(&|y| thousands(*y, 1))
            .x_desc("minutes from the scenario's time zero")
            .y_desc(format!("per {} min, mean per run", t.bin_min))
            .label_style(font(14))
            .axis_desc_style(font(15))
            .draw()?;
        let series: [(&str, RGBColor, &Vec<f64>); 3] = [
            ("launches", SKY, &t.launches),
            ("intercepts", BLUE, &t.intercepts),
            ("impacts", VERMILLION, &t.impacts),
        ];
        for (label, color, values) in series {
            // A step line: flat over each bin.
            let steps: Vec<(f64, f64)> = values
                .iter()
                .enumerate()
                .flat_map(|(i, &v)| {
                    let x = t.start_min + i as f64 * t.bin_min;
                    [(x, v), (x + t.bin_min, v)]
                })
                .collect();
            chart
                .draw_series(std::iter::once(PathElement::new(
                    steps,
                    color.stroke_width(2),
                )))?
                .label(label)
                .legend(move |(x, y)| {
                    PathElement::new(vec![(x, y), (x + 16, y)], color.stroke_width(2))
                });
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperLeft)
            .background_style(WHITE.mix(0.85))
            .border_style(GREY)
            .label_font(font(13))
            .draw()
    }
}

// ---------------------------------------------------------------------------------------------
// Warning zones

/// Width of the colour scale beside the zone map, pixels.
const SCALE_WIDTH: u32 = 110;
/// Steps drawn in the colour scale.
const SCALE_STEPS: usize = 40;

/// The colour of a fraction `t` (0 to 1) of the zone map's scale: ColorBrewer's sequential
/// YlOrRd, light to dark (Brewer & Harrower, colorbrewer2.org; its 3-class stops).
fn shade(t: f64) -> RGBColor {
    const STOPS: [(f64, f64, f64); 3] = [
        (255.0, 237.0, 160.0),
        (254.0, 178.0, 76.0),
        (240.0, 59.0, 32.0),
    ];
    let t = if t.is_finite() {
        t.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let (a, b, u) = if t < 0.5 {
        (STOPS[0], STOPS[1], t * 2.0)
    } else {
        (STOPS[1], STOPS[2], t * 2.0 - 1.0)
    };
    let mix = |x: f64, y: f64| (x + (y - x) * u).round() as u8;
    RGBColor(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

/// The warning zones shaded by alert periods per run, with the leakers' impacts of the sampled
/// runs on top.
struct ZonesPlot {
    frame: Frame,
    projection: Projection,
    size: (u32, u32),
    zones: Vec<ZoneShape>,
    /// Top of the colour scale: the most alert periods per run of any zone (1 when none).
    scale_max: f64,
    /// Leakers' impacts inside the frame, `(lon, lat)`.
    impacts: Vec<(f64, f64)>,
    runs: usize,
}

impl ZonesPlot {
    fn new(zones: &[ZoneShape], events: &[Event]) -> Self {
        let vertices = zones
            .iter()
            .flat_map(|z| z.polygons.iter().flatten().flatten().copied());
        let frame = Frame::around(vertices, 0.1, 0.2).unwrap_or(Frame {
            lon_min: -180.0,
            lon_max: 180.0,
            lat_min: -80.0,
            lat_max: 80.0,
        });
        let (frame, (w, h)) = fit(frame, MAP_WIDTH - SCALE_WIDTH, (360, 760));
        let inside = |&(lon, lat): &(f64, f64)| {
            (frame.lon_min..=frame.lon_max).contains(&lon)
                && (frame.lat_min..=frame.lat_max).contains(&lat)
        };
        let impacts = events
            .iter()
            .filter(|e| e.fate == Fate::Leaked)
            .filter_map(|e| e.lat_lon_deg.map(|(lat, lon)| (lon, lat)))
            .filter(inside)
            .collect();
        let top = zones.iter().map(|z| z.alerts_mean).fold(0.0, f64::max);
        ZonesPlot {
            frame,
            projection: frame.projection(),
            size: (w + SCALE_WIDTH, h),
            zones: zones.to_vec(),
            scale_max: if top > 0.0 { top } else { 1.0 },
            impacts,
            runs: events.iter().map(|e| e.run).collect::<BTreeSet<_>>().len(),
        }
    }

    fn caption(&self) -> String {
        let alerted = self.zones.iter().filter(|z| z.alerts_mean > 0.0).count();
        format!(
            "The {} warning zones, shaded by alert periods per run (mean over the runs; the \
             scale runs from 0 to {}, the most of any zone); {} of them were alerted in some \
             run. Dots: the {} impacts of leakers of the {} sampled runs in the frame (darker: \
             several). Coastline: Natural Earth 1:50m (public domain). Equirectangular \
             projection, east-west scaled by the cosine of the map's mean latitude ({:.1}°).",
            self.zones.len(),
            thousands(self.scale_max, 2),
            alerted,
            thousands(self.impacts.len() as f64, 0),
            self.runs,
            0.5 * (self.frame.lat_min + self.frame.lat_max)
        )
    }
}

impl Figure for ZonesPlot {
    fn size(&self) -> (u32, u32) {
        self.size
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        let (map_area, scale_area) = root.split_horizontally(self.size.0 - SCALE_WIDTH);
        let f = self.frame;
        let p = self.projection;
        let (x0, _) = p.project((f.lon_min, f.lat_min));
        let (x1, _) = p.project((f.lon_max, f.lat_min));
        let mut chart = ChartBuilder::on(&map_area)
            .margin(10)
            .x_label_area_size(36)
            .y_label_area_size(56)
            .build_cartesian_2d(x0..x1, f.lat_min..f.lat_max)?;
        chart
            .configure_mesh()
            .max_light_lines(0)
            .bold_line_style(MESH)
            .x_label_formatter(&|x| format!("{:.2}°E", x / p.cos_lat0 + p.lon0))
            .y_label_formatter(&|y| format!("{y:.2}°N"))
            .label_style(font(13))
            .draw()?;
        let project = |ring: &Vec<(f64, f64)>| ring.iter().map(|&q| p.project(q)).collect();
        // Fills first (holes in white), then the coastline, the outlines and the impacts.
        for zone in &self.zones {
            let color = shade(zone.alerts_mean / self.scale_max);
            for rings in &zone.polygons {
                chart.draw_series(rings.iter().enumerate().map(|(k, ring)| {
                    let fill = if k == 0 { color } else { WHITE };
                    Polygon::new(project(ring), fill.filled())
                }))?;
            }
        }
        draw_coastline(&mut chart, &f, p)?;
        let rings = self.zones.iter().flat_map(|z| z.polygons.iter().flatten());
        chart
            .draw_series(rings.map(|ring| {
                let mut line: Vec<(f64, f64)> = project(ring);
                line.extend(line.first().copied());
                PathElement::new(line, GREY.stroke_width(1))
            }))?
            .label("warning zone")
            .legend(|(x, y)| Rectangle::new([(x, y - 5), (x + 16, y + 5)], shade(0.5).filled()));
        let (w_px, _) = chart.plotting_area().dim_in_pixel();
        let cell = (x1 - x0) / w_px.max(1) as f64 * CELL_PX;
        chart
            .draw_series(point_marks(&self.impacts, p, cell, BLACK))?
            .label("leaker impact")
            .legend(|(x, y)| Circle::new((x + 8, y), 4, BLACK.filled()));
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::LowerRight)
            .background_style(WHITE.mix(0.85))
            .border_style(GREY)
            .label_font(font(13))
            .draw()?;

        // The colour scale: alert periods per run, 0 at the bottom.
        let top = self.scale_max;
        let mut scale = ChartBuilder::on(&scale_area)
            .margin_top(10)
            .margin_bottom(46)
            .margin_left(24)
            .margin_right(4)
            .right_y_label_area_size(44)
            .build_cartesian_2d(0.0..1.0, 0.0..top)?;
        scale
            .configure_mesh()
            .disable_mesh()
            .disable_x_axis()
            .y_label_formatter(&|y| thousands(*y, if top < 10.0 { 2 } else { 0 }))
            .y_desc("alert periods per run")
            .label_style(font(12))
            .axis_desc_style(font(13))
            .draw()?;
        let step = top / SCALE_STEPS as f64;
        scale.draw_series((0..SCALE_STEPS).map(|i| {
            let y = i as f64 * step;
            Rectangle::new(
                [(0.0, y), (1.0, y + step)],
                shade((i as f64 + 0.5) / SCALE_STEPS as f64).filled(),
            )
        }))?;
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------------
// Siren lead time

/// Most bars of the lead-time plot: the summary's bins are merged in groups to keep to it.
pub const MAX_LEAD_BARS: usize = 120;

/// A histogram of lead times as bars: the summary's bins merged `merge` at a time.
#[derive(Debug, Clone, PartialEq)]
pub struct LeadBars {
    /// Width of a bar, s.
    pub width_s: f64,
    /// `(start s, count)` of each bar below the overflow bin, from 0 to the last with counts.
    pub bars: Vec<(f64, u64)>,
    /// The overflow bin, when it has counts: `(start s, count)`.
    pub overflow: Option<(f64, u64)>,
}

/// The bars of a lead-time histogram in bins `bin_s` wide whose bin at `cap_s` counts every
/// longer lead: at most [`MAX_LEAD_BARS`] bars below the cap.
pub fn lead_bars(histogram: &[u64], bin_s: f64, cap_s: f64) -> LeadBars {
    let last = (cap_s / bin_s).round() as usize;
    let regular = &histogram[..histogram.len().min(last)];
    let merge = regular.len().div_ceil(MAX_LEAD_BARS).max(1);
    let width_s = bin_s * merge as f64;
    LeadBars {
        width_s,
        bars: regular
            .chunks(merge)
            .enumerate()
            .map(|(k, c)| (k as f64 * width_s, c.iter().sum()))
            .collect(),
        overflow: histogram
            .get(last)
            .filter(|&&n| n > 0)
            .map(|&n| (last as f64 * bin_s, n)),
    }
}

/// The siren lead times of the impacts in zones, with the zones' shelter times.
struct LeadPlot {
    lead: LeadSummary,
    /// `None` when the summary has no histogram.
    bars: Option<LeadBars>,
    /// Shelter times of the zones, distinct, s, with the number of zones having each.
    shelter_s: Vec<(f64, usize)>,
}

impl LeadPlot {
    fn new(w: &WarningSummary) -> Self {
        let mut shelter_s: Vec<(f64, usize)> = Vec::new();
        let mut times: Vec<f64> = w.zones.values().map(|z| z.shelter_time_s).collect();
        times.sort_by(f64::total_cmp);
        for t in times {
            match shelter_s.last_mut() {
                Some((last, n)) if *last == t => *n += 1,
                _ => shelter_s.push((t, 1)),
            }
        }
        let l = &w.siren_lead_s;
        // Summaries older than the histogram have none.
        let (bin, cap) = (l.histogram_bin_s, l.histogram_cap_s);
        let bars = (!l.histogram.is_empty() && bin > 0.0 && cap > bin)
            .then(|| lead_bars(&l.histogram, bin, cap));
        LeadPlot {
            lead: l.clone(),
            bars,
            shelter_s,
        }
    }

    fn caption(&self) -> String {
        let l = &self.lead;
        let seconds = |x: Option<f64>| x.map_or("none".to_string(), |x| format!("{x:.0} s"));
        let shelter = self
            .shelter_s
            .iter()
            .map(|(t, n)| format!("{t:.0} s ({n} zone{})", if *n == 1 { "" } else { "s" }))
            .collect::<Vec<_>>()
            .join(", ");
        let bars = match (&self.bars, l.histogram_cap_s) {
            (Some(b), cap) => format!(
                "Impacts in warning zones (leakers, and debris when warned for) over all runs by \
                 the lead time of their zone's siren, in {:.0} s bins; light bar: leads of {} s \
                 or more ({} impacts). An impact without a siren before it counts as 0 s.",
                b.width_s,
                thousands(cap, 0),
                thousands(b.overflow.map_or(0, |o| o.1) as f64, 0)
            ),
            _ => "summary.json has no histogram of the siren lead times (an older summary); \
                  only its percentiles are drawn."
                .to_string(),
        };
        format!(
            "{bars} {} impacts in all. Dashed lines: 5th and 95th percentiles ({} and {}); \
             solid: the median ({}); green: the zones' shelter time ({}), below which people \
             were warned too late.",
            thousands(l.count as f64, 0),
            seconds(l.p5),
            seconds(l.p95),
            seconds(l.p50),
            if shelter.is_empty() {
                "none".to_string()
            } else {
                shelter
            }
        )
    }
}

impl Figure for LeadPlot {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        let l = &self.lead;
        let empty = LeadBars {
            width_s: 0.0,
            bars: Vec::new(),
            overflow: None,
        };
        let b = self.bars.as_ref().unwrap_or(&empty);
        let w = b.width_s;
        let marks = [l.p5, l.p50, l.p95]
            .into_iter()
            .flatten()
            .chain(self.shelter_s.iter().map(|s| s.0));
        let hi = b
            .bars
            .iter()
            .chain(&b.overflow)
            .map(|bar| bar.0 + w)
            .chain(marks)
            .fold(0.0_f64, f64::max)
            .max(10.0)
            * 1.05;
        let y_max = b
            .bars
            .iter()
            .chain(&b.overflow)
            .map(|bar| bar.1)
            .max()
            .unwrap_or(1)
            .max(1) as f64
            * 1.15;
        let mut chart = ChartBuilder::on(root)
            .margin(12)
            .x_label_area_size(44)
            .y_label_area_size(64)
            .build_cartesian_2d(0.0..hi, 0.0..y_max)?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .max_light_lines(0)
            .bold_line_style(MESH)
            .x_label_formatter(&|x| thousands(*x, 0))
            .y_label_formatter(&integer)
            .x_desc("siren lead time, s")
            .y_desc("impacts in zones, all runs")
            .label_style(font(14))
            .axis_desc_style(font(15))
            .draw()?;
        let bar = |(x, n): (f64, u64), color: RGBColor| {
            Rectangle::new([(x, 0.0), (x + w * 0.9, n as f64)], color.filled())
        };
        chart
            .draw_series(b.bars.iter().filter(|b| b.1 > 0).map(|&b| bar(b, BLUE)))?
            .label("impacts")
            .legend(|(x, y)| Rectangle::new([(x, y - 5), (x + 16, y + 5)], BLUE.filled()));
        if let Some(o) = b.overflow {
            chart
                .draw_series(std::iter::once(bar(o, SKY)))?
                .label(format!("{} s or longer", thousands(o.0, 0)))
                .legend(|(x, y)| Rectangle::new([(x, y - 5), (x + 16, y + 5)], SKY.filled()));
        }
        if !self.shelter_s.is_empty() {
            chart
                .draw_series(self.shelter_s.iter().map(|&(t, _)| {
                    PathElement::new(vec![(t, 0.0), (t, y_max)], GREEN.stroke_width(3))
                }))?
                .label("shelter time")
                .legend(|(x, y)| {
                    PathElement::new(vec![(x, y), (x + 16, y)], GREEN.stroke_width(3))
                });
        }
        if let Some(p50) = l.p50 {
            chart
                .draw_series(std::iter::once(PathElement::new(
                    vec![(p50, 0.0), (p50, y_max)],
                    VERMILLION.stroke_width(2),
                )))?
                .label(format!("median {p50:.0} s"))
                .legend(|(x, y)| {
                    PathElement::new(vec![(x, y), (x + 16, y)], VERMILLION.stroke_width(2))
                });
        }
        let tails: Vec<f64> = [l.p5, l.p95].into_iter().flatten().collect();
        if !tails.is_empty() {
            chart
                .draw_series(tails.into_iter().map(|q| {
                    DashedPathElement::new(vec![(q, 0.0), (q, y_max)], 6, 4, GREY.stroke_width(2))
                }))?
                .label("5th and 95th percentiles")
                .legend(|(x, y)| {
                    DashedPathElement::new(vec![(x, y), (x + 16, y)], 4, 3, GREY.stroke_width(2))
                });
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperRight)
            .background_style(WHITE.mix(0.85))
            .border_style(GREY)
            .label_font(font(13))
            .draw()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert!((span_x / span_y - 860.0 / 360.0).abs() < 1e-3);
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
        assert!(plots[0].caption.contains("1 of them were alerted"));
        // The most alerted zone has the darkest shade, the other the lightest.
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
    fn every_plot_renders_to_svg_and_png() {
        let summary: Summary = serde_json::from_str(crate::input::tests::SUMMARY).unwrap();
        let events = [
            event(0, 0.0, Fate::Intercepted, 90.0),
            event(0, 30.0, Fate::Leaked, 150.0),
        ];
        let plots = all(&summary, &events, true).unwrap();
        let ids: Vec<_> = plots.iter().map(|p| p.id).collect();
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
        let empty = all(&summary, &[], true).unwrap();
        assert_eq!(empty.len(), 5);
        assert!(empty[3].caption.contains("no located events"));
        // Without geometry, no map.
        let ids: Vec<_> = all(&summary, &events, false)
            .unwrap()
            .iter()
            .map(|p| p.id)
            .collect();
        assert_eq!(
            ids,
            ["plot-leakers", "plot-layers", "plot-cost", "plot-timeline"]
        );
        let map = &plots[3].svg;
        assert!(map.contains("<circle"), "map has points");
        assert!(map.contains("<polyline"), "map has the coastline");
        assert!(
            plots[1].svg.contains("arrow-3"),
            "layer names label the axis"
        );
    }
}
