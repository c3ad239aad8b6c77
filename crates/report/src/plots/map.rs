//! Maps: framing a set of points, the coastline, merged point marks, and the map of where the
//! threats of the sampled runs ended.

use std::collections::{BTreeSet, HashMap};

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::RGBColor;

use super::canvas::{
    BLUE, COAST, DrawResult, Figure, GREY, MAP_WIDTH, MESH, ORANGE, VERMILLION, font,
};
use super::format::thousands;
use crate::basemap::{self, Frame, Projection};
use crate::input::{Event, Fate};

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
pub(super) const CELL_PX: f64 = 2.0;

pub(super) struct MapPlot {
    frame: Frame,
    projection: Projection,
    size: (u32, u32),
    /// Points per class, `(lon, lat)`.
    points: Vec<(MapClass, Vec<(f64, f64)>)>,
    runs: usize,
}

impl MapPlot {
    pub(super) fn new(events: &[Event]) -> Self {
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

    pub(super) fn caption(&self) -> String {
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

/// Space about a map's plotting area, px: a margin on every side, the x-axis labels below and
/// the y-axis labels to the left.
pub(super) const MARGIN_PX: u32 = 10;
pub(super) const X_LABELS_PX: u32 = 36;
pub(super) const Y_LABELS_PX: u32 = 56;

/// Widens `frame` so that, projected, it has the shape of the plotting area of a map `width`
/// pixels wide (less [`MARGIN_PX`] on each side and [`Y_LABELS_PX`]) with a height within
/// `heights`, so that a kilometre east and a kilometre north are drawn the same length; returns
/// the frame and the map's size.
pub(super) fn fit(frame: Frame, width: u32, heights: (u32, u32)) -> (Frame, (u32, u32)) {
    let p = frame.projection();
    let span_x = (frame.lon_max - frame.lon_min) * p.cos_lat0;
    let span_y = frame.lat_max - frame.lat_min;
    let inset_x = f64::from(2 * MARGIN_PX + Y_LABELS_PX);
    let inset_y = f64::from(2 * MARGIN_PX + X_LABELS_PX);
    let plot_x = f64::from(width) - inset_x;
    let height = (plot_x * span_y / span_x + inset_y)
        .clamp(f64::from(heights.0), f64::from(heights.1))
        .round();
    let plot_y = height - inset_y;
    let want_x = span_y * plot_x / plot_y;
    let mut f = frame;
    if want_x > span_x {
        let pad = (want_x - span_x) / p.cos_lat0 / 2.0;
        f.lon_min -= pad;
        f.lon_max += pad;
    } else {
        let pad = (span_x * plot_y / plot_x - span_y) / 2.0;
        f.lat_min -= pad;
        f.lat_max += pad;
    }
    (f, (width, height as u32))
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
            .margin(MARGIN_PX)
            .x_label_area_size(X_LABELS_PX)
            .y_label_area_size(Y_LABELS_PX)
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
pub(super) fn point_marks(
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
pub(super) fn draw_coastline<DB: DrawingBackend, CT: CoordTranslate<From = (f64, f64)>>(
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
