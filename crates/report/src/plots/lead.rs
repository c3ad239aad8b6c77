//! The siren lead times of the impacts in warning zones.

use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::RGBColor;

use super::canvas::{BLUE, DrawResult, Figure, GREEN, GREY, MESH, SKY, VERMILLION, font};
use super::format::{integer, thousands};
use skyshield_mc::{LeadSummary, WarningSummary};

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
pub(super) struct LeadPlot {
    lead: LeadSummary,
    /// `None` when the summary has no histogram.
    bars: Option<LeadBars>,
    /// Shelter times of the zones, distinct, s, with the number of zones having each.
    shelter_s: Vec<(f64, usize)>,
}

impl LeadPlot {
    pub(super) fn new(w: &WarningSummary) -> Self {
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

    pub(super) fn caption(&self) -> String {
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
