//! The map of the warning zones shaded by the chance that their people were warned too late,
//! with the leakers' impacts.

use std::collections::BTreeSet;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::RGBColor;

use super::canvas::{DrawResult, Figure, GREY, MAP_WIDTH, MESH, font};
use super::format::thousands;
use super::map::{CELL_PX, MARGIN_PX, X_LABELS_PX, Y_LABELS_PX, draw_basemap, fit, point_marks};
use crate::basemap::{Frame, Projection};
use crate::input::{Event, Fate, ZoneShape};

/// Width of the colour scale beside the zone map, pixels.
const SCALE_WIDTH: u32 = 110;
/// Steps drawn in the colour scale.
const SCALE_STEPS: usize = 40;

/// The colour of a fraction `t` (0 to 1) of the zone map's scale: ColorBrewer's sequential
/// YlOrRd, light to dark (Brewer & Harrower, colorbrewer2.org; its 3-class stops).
pub(super) fn shade(t: f64) -> RGBColor {
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

/// The top of a colour scale for probabilities whose largest is `most`: the smallest of 1, 2,
/// 2.5 and 5 times a power of ten at or above it, at most 1 (1 when `most` is 0), so that the
/// scale spans the zones' values rather than the whole unit interval.
pub(super) fn fitted_top(most: f64) -> f64 {
    if most.is_nan() || most <= 0.0 || most >= 1.0 {
        return 1.0;
    }
    let decade = 10f64.powf(most.log10().floor());
    [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * decade)
        .find(|&t| t >= most * (1.0 - 1e-12))
        .unwrap_or(1.0)
        .min(1.0)
}

/// The warning zones shaded by the fraction of runs in which their people were warned too late
/// (a choropleth on a scale fitted to the zones, see [`fitted_top`]), with the leakers' impacts
/// of the sampled runs on top.
pub(super) struct ZonesPlot {
    frame: Frame,
    projection: Projection,
    size: (u32, u32),
    zones: Vec<ZoneShape>,
    /// The most P(warned too late) of any zone.
    most: f64,
    /// Top of the colour scale: [`fitted_top`] of `most`.
    scale_max: f64,
    /// Leakers' impacts inside the frame, `(lon, lat)`.
    impacts: Vec<(f64, f64)>,
    runs: usize,
}

impl ZonesPlot {
    pub(super) fn new(zones: &[ZoneShape], events: &[Event]) -> Self {
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
        let most = zones.iter().map(|z| z.p_too_late).fold(0.0, f64::max);
        ZonesPlot {
            frame,
            projection: frame.projection(),
            size: (w + SCALE_WIDTH, h),
            zones: zones.to_vec(),
            most,
            scale_max: fitted_top(most),
            impacts,
            runs: events.iter().map(|e| e.run).collect::<BTreeSet<_>>().len(),
        }
    }

    pub(super) fn caption(&self) -> String {
        let late = self.zones.iter().filter(|z| z.p_too_late > 0.0).count();
        format!(
            "The {} warning zones, shaded by P(warned too late): the fraction of runs in which \
             an impact in the zone came with less lead than its shelter time. The scale runs \
             from 0 to {}, fitted to the most of any zone ({}); {} of them were warned too \
             late in some run. Dots: the {} impacts of leakers of the {} sampled runs in the frame (darker: \
             several). Coastline: Natural Earth 1:50m (public domain). Equirectangular \
             projection, east-west scaled by the cosine of the map's mean latitude ({:.1}°).",
            self.zones.len(),
            thousands(self.scale_max, 2),
            thousands(self.most, 3),
            late,
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
            .margin(MARGIN_PX)
            .x_label_area_size(X_LABELS_PX)
            .y_label_area_size(Y_LABELS_PX)
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
            let color = shade(zone.p_too_late / self.scale_max);
            for rings in &zone.polygons {
                chart.draw_series(rings.iter().enumerate().map(|(k, ring)| {
                    let fill = if k == 0 { color } else { WHITE };
                    Polygon::new(project(ring), fill.filled())
                }))?;
            }
        }
        let (w_px, _) = chart.plotting_area().dim_in_pixel();
        let px = (x1 - x0) / w_px.max(1) as f64;
        draw_basemap(&mut chart, &f, p, px)?;
        let rings = self.zones.iter().flat_map(|z| z.polygons.iter().flatten());
        chart
            .draw_series(rings.map(|ring| {
                let mut line: Vec<(f64, f64)> = project(ring);
                line.extend(line.first().copied());
                PathElement::new(line, GREY.stroke_width(1))
            }))?
            .label("warning zone")
            .legend(|(x, y)| Rectangle::new([(x, y - 5), (x + 16, y + 5)], shade(0.5).filled()));
        let cell = px * CELL_PX;
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

        // The colour scale: P(warned too late), 0 at the bottom.
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
            .y_label_formatter(&|y| thousands(*y, if top < 0.1 { 3 } else { 2 }))
            .y_desc("P(warned too late)")
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
