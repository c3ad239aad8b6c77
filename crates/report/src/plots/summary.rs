//! The plots drawn from `summary.json` alone: leakers per run, leakers per cause, shots and
//! kills per layer, defense cost per layer.

use std::ops::Range;

use plotters::coord::Shift;
use plotters::coord::ranged1d::{KeyPointHint, NoDefaultFormatting, ValueFormatter};
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::RGBColor;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::canvas::{BLUE, DrawResult, Figure, GREEN, GREY, MESH, VERMILLION, font};
use super::format::{integer, musd, thousands};
use skyshield_engine::LeakCause;
use skyshield_mc::{LeakCauses, Summary};

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

pub(super) struct LeakerPlot {
    bars: Vec<(u32, u64)>,
    mean: f64,
    ci95: [f64; 2],
    p5: f64,
    p95: f64,
}

impl LeakerPlot {
    pub(super) fn new(s: &Summary) -> Self {
        LeakerPlot {
            bars: histogram_bars(&s.leakers.histogram),
            mean: s.leakers.mean,
            ci95: s.leakers.ci95,
            p5: s.leakers.quantiles.p5,
            p95: s.leakers.quantiles.p95,
        }
    }

    pub(super) fn caption(&self, s: &Summary) -> String {
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
pub(super) struct LayerPlot {
    names: Vec<String>,
    shots: Vec<WithCi>,
    kills: Vec<WithCi>,
}

impl LayerPlot {
    pub(super) fn new(s: &Summary) -> Self {
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

    pub(super) fn caption(&self) -> String {
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

pub(super) struct CostPlot {
    names: Vec<String>,
    /// Mean cost per run, US$ millions, with a 95 % interval.
    cost: Vec<WithCi>,
}

impl CostPlot {
    pub(super) fn new(s: &Summary) -> Self {
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

    pub(super) fn caption(&self, s: &Summary) -> String {
        let c = &s.cost_usd;
        format!(
            "Cost of the interceptors fired per run by each interceptor type, US$ millions, mean \
             over the runs; whiskers: 95 % confidence intervals (the shots' interval times the \
             unit cost). Defense total {} per run (95 % CI {} to {}); offense (threats launched) \
             {} per run; exchange ratio (defense over offense) {}.",
            musd(c.defense),
            musd(c.defense_ci95[0]),
            musd(c.defense_ci95[1]),
            musd(c.offense),
            crate::exchange_ratio_text(c.exchange_ratio)
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
// Leak causes

/// Leakers per run of each cause, one horizontal bar each, in the order of [`LeakCause::ALL`]
/// from the top, with its value written beside it.
pub(super) struct LeakCausePlot {
    causes: LeakCauses,
}

impl LeakCausePlot {
    /// The plot of `s`'s leak causes; `None` for a summary older than them.
    pub(super) fn new(s: &Summary) -> Option<Self> {
        s.leak_causes.map(|causes| LeakCausePlot { causes })
    }

    pub(super) fn caption(&self, s: &Summary) -> String {
        let head = if s.fates.leaked > 0.0 {
            format!(
                "Leakers per run by why they leaked, mean over {} runs; the bars sum to the {} \
                 leakers per run.",
                thousands(s.runs as f64, 0),
                thousands(self.causes.total(), 2)
            )
        } else {
            format!(
                "No threat leaked in the {} runs, so every cause is 0.",
                thousands(s.runs as f64, 0)
            )
        };
        format!(
            "{head} Each leaker has one cause, the first that applies from the top: out_of_reach \
             (no battery's envelope meets its path), never_detected (no sensor tracked it), \
             judged_killed_wrongly (judged killed after a miss), all_shots_missed (engaged, and \
             every shot missed), judged_harmless_wrongly (judged to fall in open ground, it fell \
             in a defended asset), no_window (the batteries that could reach it could not \
             engage it: none defends what it threatened, or none had a track it may fire on), \
             tracked_too_late (every window had closed before a battery could fire), no_rounds \
             (the batteries that could still engage it had no rounds left for it, empty or held \
             in reserve), no_free_channel (their fire channels were all busy)."
        )
    }
}

impl Figure for LeakCausePlot {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        let n = LeakCause::ALL.len();
        let max = self.causes.0.iter().copied().fold(0.0_f64, f64::max);
        // Room on the right for the value written beside the longest bar.
        let x_max = if max > 0.0 { max * 1.18 } else { 1.0 };
        // The first cause at the top: slot `n - 1 - i` holds cause `i`.
        let slot = |i: usize| (n - 1 - i) as f64;
        let label = |y: &f64| {
            let k = y.round();
            if (y - k).abs() < 1e-6 && (0.0..n as f64).contains(&k) {
                LeakCause::ALL[n - 1 - k as usize].name().to_string()
            } else {
                String::new()
            }
        };
        let mut chart = ChartBuilder::on(root)
            .margin(12)
            .x_label_area_size(44)
            .y_label_area_size(190)
            .build_cartesian_2d(0.0..x_max, Slots(n))?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .max_light_lines(0)
            .bold_line_style(MESH)
            .x_label_formatter(&|x| thousands(*x, if x_max < 10.0 { 1 } else { 0 }))
            .y_label_formatter(&label)
            .x_desc("leakers per run")
            .label_style(font(14))
            .axis_desc_style(font(15))
            .draw()?;
        chart.draw_series(
            self.causes
                .iter()
                .enumerate()
                .filter(|(_, (_, v))| *v > 0.0)
                .map(|(i, (_, v))| {
                    let y = slot(i);
                    Rectangle::new([(0.0, y - 0.35), (v, y + 0.35)], VERMILLION.filled())
                }),
        )?;
        let style = font(13).pos(Pos::new(HPos::Left, VPos::Center));
        chart.draw_series(self.causes.iter().enumerate().map(|(i, (_, v))| {
            Text::new(thousands(v, 2), (v + x_max * 0.01, slot(i)), style.clone())
        }))?;
        Ok(())
    }
}
