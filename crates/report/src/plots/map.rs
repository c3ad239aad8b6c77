//! Maps: framing a set of points, the basemap (coastline, land borders, populated places), what
//! the scenario places (assets, batteries with their reach, radars), a scale bar, merged point
//! marks, and the map of where the threats of the sampled runs ended.

use std::collections::{BTreeSet, HashMap};

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::RGBColor;

use skyshield_physics::geography;
use skyshield_scenario::{Area, Scenario};

use super::canvas::{
    BLUE, BORDER, COAST, DrawResult, Figure, GREY, MAP_WIDTH, MESH, PLACE, PURPLE, VERMILLION, font,
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
            MapClass::OpenArea => PURPLE,
        }
    }
}

/// Opacity of one point; `k` points in one cell are drawn once with the opacity of `k`
/// overlaid points, `1 - (1 - a)^k`.
const POINT_ALPHA: f64 = 0.35;
/// Side of the cells in which points are merged, pixels.
pub(super) const CELL_PX: f64 = 2.0;

/// A named element of the scenario on the map.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Site {
    pub(super) name: String,
    /// `(lon, lat)`, degrees.
    pub(super) at: (f64, f64),
    /// An asset's radius, or a battery's reach (its interceptor's nominal maximum range), m.
    pub(super) radius_m: f64,
}

/// What a scenario places on the map.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct Elements {
    assets: Vec<Site>,
    batteries: Vec<Site>,
    radars: Vec<Site>,
}

impl Elements {
    /// The assets (a polygon at its centroid), batteries and placed radars of `scenario`;
    /// none for an abstract scenario.
    pub(super) fn of(scenario: &Scenario) -> Elements {
        let Some(s) = scenario.as_layered() else {
            return Elements::default();
        };
        let site = |name: &str, g: &skyshield_physics::earth::Geodetic, radius_m: f64| Site {
            name: name.to_string(),
            at: (g.lon_deg(), g.lat_deg()),
            radius_m,
        };
        Elements {
            assets: s
                .assets
                .iter()
                .map(|a| {
                    let radius_m = match a.area {
                        Area::Circle { radius_m, .. } => radius_m,
                        Area::Polygon { .. } => 0.0,
                    };
                    site(&a.id, &a.area.aim_point(), radius_m)
                })
                .collect(),
            batteries: s
                .batteries
                .iter()
                .map(|b| site(&b.id, &b.position, b.params.max_range_m.nominal))
                .collect(),
            radars: s
                .sensors
                .iter()
                .filter_map(|r| Some(site(&r.id, r.position.as_ref()?, 0.0)))
                .collect(),
        }
    }

    fn points(&self) -> impl Iterator<Item = (f64, f64)> + '_ {
        self.assets
            .iter()
            .chain(&self.batteries)
            .chain(&self.radars)
            .map(|s| s.at)
    }
}

pub(super) struct MapPlot {
    frame: Frame,
    projection: Projection,
    size: (u32, u32),
    /// Points per class, `(lon, lat)`, the most numerous class first (drawn first, beneath the
    /// rarer ones).
    points: Vec<(MapClass, Vec<(f64, f64)>)>,
    elements: Elements,
    runs: usize,
}

impl MapPlot {
    pub(super) fn new(events: &[Event], elements: Elements) -> Self {
        let mut by_class: HashMap<MapClass, Vec<(f64, f64)>> = HashMap::new();
        for e in events {
            if let (Some(class), Some((lat, lon))) = (MapClass::of(e.fate), e.lat_lon_deg) {
                by_class.entry(class).or_default().push((lon, lat));
            }
        }
        let mut points: Vec<_> = by_class.into_iter().collect();
        points.sort_by_key(|p| (std::cmp::Reverse(p.1.len()), p.0));
        let all = points
            .iter()
            .flat_map(|p| p.1.iter().copied())
            .chain(elements.points());
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
            elements,
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
             Darker marks: several points; rarer classes are drawn over more frequent ones. \
             Assets (blue circles), batteries (triangles, dotted: the interceptor's nominal \
             maximum range) and radars (squares) of the scenario. Coastline and land borders \
             (dashed): Natural Earth 1:50m; places: Natural Earth 1:10m populated places \
             (public domain). Equirectangular projection, east-west scaled by the cosine of the \
             map's mean latitude ({:.1}°).",
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
        let (w_px, _) = chart.plotting_area().dim_in_pixel();
        let px = (x1 - x0) / w_px.max(1) as f64;
        draw_basemap(&mut chart, &f, p, px)?;
        draw_elements(&mut chart, &self.elements, p, px)?;
        let cell = px * CELL_PX;
        for (class, points) in &self.points {
            let color = class.color();
            chart
                .draw_series(point_marks(points, p, cell, color))?
                .label(class.label())
                .legend(move |(x, y)| Circle::new((x + 8, y), 4, color.filled()));
        }
        draw_labels(&mut chart, &self.elements, p)?;
        let legend = self.emptiest_corner();
        let legend_left = matches!(
            legend,
            SeriesLabelPosition::LowerLeft | SeriesLabelPosition::UpperLeft
        );
        draw_scale_bar(&mut chart, &f, p, px, legend_left)?;
        chart
            .configure_series_labels()
            .position(legend)
            .background_style(WHITE.mix(0.85))
            .border_style(GREY)
            .label_font(font(13))
            .draw()
    }
}

/// Kilometres per degree of latitude (the scale of a projected map's units), km: the mean
/// meridian degree of the WGS84 ellipsoid rounded to 0.01 km (NGA TR8350.2, 2000).
const KM_PER_DEGREE: f64 = 111.32;

/// Draws the assets (circles of their radius, at least a few pixels), the batteries (triangles
/// and a dotted circle of their reach) and the radars (squares) on a map in projection `p`, `px`
/// map units a pixel.
fn draw_elements<DB: DrawingBackend, CT: CoordTranslate<From = (f64, f64)>>(
    chart: &mut ChartContext<DB, CT>,
    elements: &Elements,
    p: Projection,
    px: f64,
) -> DrawResult<DB> {
    let ring = |at: (f64, f64), radius: f64| -> Vec<(f64, f64)> {
        let (cx, cy) = p.project(at);
        (0..=360)
            .map(|k| {
                let a = f64::from(k).to_radians();
                (cx + radius * a.cos(), cy + radius * a.sin())
            })
            .collect()
    };
    let reach = BLUE.mix(0.5).stroke_width(1);
    for b in &elements.batteries {
        let circle = ring(b.at, b.radius_m / 1000.0 / KM_PER_DEGREE);
        chart.draw_series(
            dashes(&circle, 3.0 * px)
                .into_iter()
                .map(|piece| PathElement::new(piece, reach)),
        )?;
    }
    chart.draw_series(elements.assets.iter().map(|a| {
        let radius = (a.radius_m / 1000.0 / KM_PER_DEGREE).max(4.0 * px);
        PathElement::new(ring(a.at, radius), BLUE.stroke_width(2))
    }))?;
    chart.draw_series(elements.batteries.iter().map(|b| {
        EmptyElement::at(p.project(b.at)) + TriangleMarker::new((0, 0), 5, BLUE.filled())
    }))?;
    chart.draw_series(elements.radars.iter().map(|r| {
        EmptyElement::at(p.project(r.at))
            + Rectangle::new([(-3, -3), (3, 3)], PLACE.stroke_width(1))
    }))?;
    Ok(())
}

/// Writes the names of the assets and batteries beside them (over the points).
fn draw_labels<DB: DrawingBackend, CT: CoordTranslate<From = (f64, f64)>>(
    chart: &mut ChartContext<DB, CT>,
    elements: &Elements,
    p: Projection,
) -> DrawResult<DB> {
    let named = elements.assets.iter().chain(&elements.batteries);
    chart.draw_series(named.map(|site| {
        EmptyElement::at(p.project(site.at))
            + Text::new(site.name.clone(), (7, -8), font(12).color(&BLACK))
    }))?;
    Ok(())
}

/// Draws a scale bar in a lower corner of frame `f` (the right one when `right`): the roundest
/// length of at most a fifth of its width.
fn draw_scale_bar<DB: DrawingBackend, CT: CoordTranslate<From = (f64, f64)>>(
    chart: &mut ChartContext<DB, CT>,
    f: &Frame,
    p: Projection,
    px: f64,
    right: bool,
) -> DrawResult<DB> {
    let (x0, _) = p.project((f.lon_min, f.lat_min));
    let (x1, _) = p.project((f.lon_max, f.lat_min));
    let km = scale_bar_km((x1 - x0) / 5.0 * KM_PER_DEGREE);
    let length = km / KM_PER_DEGREE;
    let left = if right {
        x1 - 16.0 * px - length
    } else {
        x0 + 16.0 * px
    };
    let base = f.lat_min + 12.0 * px;
    let tick = 5.0 * px;
    chart.draw_series(std::iter::once(PathElement::new(
        vec![
            (left, base + tick),
            (left, base),
            (left + length, base),
            (left + length, base + tick),
        ],
        BLACK.stroke_width(2),
    )))?;
    chart.draw_series(std::iter::once(Text::new(
        format!("{} km", thousands(km, 0)),
        (left, base + tick + 16.0 * px),
        font(12),
    )))?;
    Ok(())
}

/// The roundest length (1, 2 or 5 times a power of ten) of at most `most_km`, km.
fn scale_bar_km(most_km: f64) -> f64 {
    let step = 10f64.powf(most_km.log10().floor());
    [5.0, 2.0, 1.0]
        .into_iter()
        .map(|k| k * step)
        .find(|&k| k <= most_km)
        .unwrap_or(step)
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

/// Most places named on a map.
const MAX_PLACE_LABELS: usize = 12;

/// Draws the basemap inside frame `f`, projected with `p` (`px` map units a pixel): the
/// coastline, the land borders (dashed) and the most prominent populated places whose names do
/// not overlap one already written.
pub(super) fn draw_basemap<DB: DrawingBackend, CT: CoordTranslate<From = (f64, f64)>>(
    chart: &mut ChartContext<DB, CT>,
    f: &Frame,
    p: Projection,
    px: f64,
) -> DrawResult<DB> {
    let parts = |lines: &'static [geography::Line]| {
        lines
            .iter()
            .filter(|line| overlaps(line, f))
            .flat_map(|line| basemap::clip(line, f))
    };
    chart
        .draw_series(parts(geography::coastline()).map(|part| {
            PathElement::new(
                part.into_iter().map(|q| p.project(q)).collect::<Vec<_>>(),
                COAST.stroke_width(1),
            )
        }))?
        .label("coastline")
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 16, y)], COAST.stroke_width(1)));
    // Dashed: the border's line cut into pieces of 6 px, every other one drawn.
    let dash = 6.0 * px;
    chart
        .draw_series(
            parts(geography::borders())
                .flat_map(|part| {
                    dashes(
                        &part.into_iter().map(|q| p.project(q)).collect::<Vec<_>>(),
                        dash,
                    )
                })
                .map(|piece| PathElement::new(piece, BORDER.stroke_width(1))),
        )?
        .label("land border")
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 6, y)], BORDER.stroke_width(1)));
    let mut places: Vec<((f64, f64), &str)> = Vec::new();
    for place in basemap::places_in(f) {
        if places.len() == MAX_PLACE_LABELS {
            break;
        }
        let (x, y) = p.project((place.lon_deg, place.lat_deg));
        let clear = |&((a, b), _): &((f64, f64), &str)| {
            (x - a).abs() > 90.0 * px || (y - b).abs() > 16.0 * px
        };
        if places.iter().all(clear) {
            places.push(((x, y), &place.name));
        }
    }
    chart.draw_series(places.into_iter().map(|(at, name)| {
        EmptyElement::at(at)
            + Rectangle::new([(-1, -1), (1, 1)], PLACE.filled())
            + Text::new(name.to_string(), (4, 2), font(11).color(&PLACE))
    }))?;
    Ok(())
}

/// Every other piece `dash` long of polyline `line`, for a dashed line.
fn dashes(line: &[(f64, f64)], dash: f64) -> Vec<Vec<(f64, f64)>> {
    let mut out = Vec::new();
    let mut piece: Vec<(f64, f64)> = line.first().into_iter().copied().collect();
    // Whether the pen is down, and the length left before it is lifted or put down.
    let (mut on, mut left) = (true, dash);
    for w in line.windows(2) {
        let (mut a, b) = (w[0], w[1]);
        let mut length = (b.0 - a.0).hypot(b.1 - a.1);
        while length > left {
            let t = left / length;
            a = (a.0 + t * (b.0 - a.0), a.1 + t * (b.1 - a.1));
            length -= left;
            piece.push(a);
            if on {
                out.push(std::mem::take(&mut piece));
            }
            on = !on;
            left = dash;
        }
        left -= length;
        if on {
            piece.push(b);
        }
    }
    if on && piece.len() > 1 {
        out.push(piece);
    }
    out
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
