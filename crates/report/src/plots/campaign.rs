//! The plots of a campaign, drawn from its `summary.json`: stocks per interceptor type with
//! their bands, leakers per day, the exhaustion day of each type, and cost over time.

use plotters::coord::Shift;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters::style::RGBColor;

use super::canvas::{BLUE, DrawResult, Figure, GREEN, GREY, MESH, ORANGE, SKY, VERMILLION, font};
use super::format::integer;
use skyshield_campaign::{CampaignSummary, Series};

const PALETTE: [RGBColor; 6] = [BLUE, VERMILLION, GREEN, ORANGE, SKY, GREY];

/// A chart over days (x) and values (y).
type DayChart<'a, DB> = ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// The chart of a campaign's plots: days 1 to `days` along x, 0 to `y_max` up, with its mesh and
/// axes described.
fn day_chart<'a, DB: DrawingBackend>(
    root: &'a DrawingArea<DB, Shift>,
    days: u32,
    y_max: f64,
    y_desc: &str,
) -> Result<DayChart<'a, DB>, DrawingAreaErrorKind<DB::ErrorType>> {
    let mut chart = ChartBuilder::on(root)
        .margin(12)
        .x_label_area_size(44)
        .y_label_area_size(64)
        .build_cartesian_2d(0.5..f64::from(days) + 0.5, 0.0..y_max)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .max_light_lines(0)
        .bold_line_style(MESH)
        .x_label_formatter(&integer)
        .x_desc("day")
        .y_desc(y_desc)
        .label_style(font(14))
        .axis_desc_style(font(15))
        .draw()?;
    Ok(chart)
}

/// Draws line `name` through `values`, one per day from day 1, in `colour`, with its legend
/// entry.
fn day_line<'a, DB: DrawingBackend + 'a>(
    chart: &mut DayChart<'a, DB>,
    name: &str,
    colour: RGBColor,
    values: impl Iterator<Item = f64>,
) -> DrawResult<DB> {
    chart
        .draw_series(std::iter::once(PathElement::new(
            values
                .enumerate()
                .map(|(d, x)| (d as f64 + 1.0, x))
                .collect::<Vec<_>>(),
            colour.stroke_width(2),
        )))?
        .label(name.to_owned())
        .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 16, y)], colour.stroke_width(2)));
    Ok(())
}

/// Draws the legend of the lines at `position`.
fn day_legend<'a, DB: DrawingBackend + 'a>(
    chart: &mut DayChart<'a, DB>,
    position: SeriesLabelPosition,
) -> DrawResult<DB> {
    chart
        .configure_series_labels()
        .position(position)
        .background_style(WHITE.mix(0.85))
        .border_style(GREY)
        .label_font(font(13))
        .draw()
}

/// Per line: its name, and per day (from 1) its series.
type Lines = Vec<(String, Vec<Series>)>;

/// Lines of mean values over days, each with a band from its 5th to its 95th percentile.
pub(super) struct DayBands {
    lines: Lines,
    days: u32,
    y_desc: &'static str,
}

impl DayBands {
    /// Rounds left of each interceptor type at each day's end.
    pub(super) fn stocks(s: &CampaignSummary) -> Self {
        let lines = s
            .interceptor_types
            .iter()
            .map(|t| {
                let v = s.by_day.iter().map(|d| d.stock_total[t]).collect();
                (t.clone(), v)
            })
            .collect();
        DayBands {
            lines,
            days: s.days,
            y_desc: "rounds left at the day's end",
        }
    }

    /// Leakers per day.
    pub(super) fn leakers(s: &CampaignSummary) -> Self {
        DayBands {
            lines: vec![(
                "leakers".into(),
                s.by_day.iter().map(|d| d.leakers).collect(),
            )],
            days: s.days,
            y_desc: "leakers per day",
        }
    }

    /// Defense and offense cost per day, US$ million.
    pub(super) fn cost(s: &CampaignSummary) -> Self {
        let musd = |x: Series| Series {
            mean: x.mean / 1e6,
            ci95: [x.ci95[0] / 1e6, x.ci95[1] / 1e6],
            p5: x.p5 / 1e6,
            p50: x.p50 / 1e6,
            p95: x.p95 / 1e6,
        };
        DayBands {
            lines: vec![
                (
                    "defense".into(),
                    s.by_day.iter().map(|d| musd(d.defense_cost_usd)).collect(),
                ),
                (
                    "offense".into(),
                    s.by_day.iter().map(|d| musd(d.offense_cost_usd)).collect(),
                ),
            ],
            days: s.days,
            y_desc: "cost per day, US$ million",
        }
    }
}

impl Figure for DayBands {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        let y_max = self
            .lines
            .iter()
            .flat_map(|(_, v)| v.iter().map(|s| s.p95.max(s.mean)))
            .fold(1.0_f64, f64::max)
            * 1.1;
        let mut chart = day_chart(root, self.days, y_max, self.y_desc)?;
        for (k, (name, days)) in self.lines.iter().enumerate() {
            let colour = PALETTE[k % PALETTE.len()];
            let upper = days
                .iter()
                .enumerate()
                .map(|(d, s)| (d as f64 + 1.0, s.p95));
            let lower = days
                .iter()
                .enumerate()
                .rev()
                .map(|(d, s)| (d as f64 + 1.0, s.p5));
            chart.draw_series(std::iter::once(Polygon::new(
                upper.chain(lower).collect::<Vec<_>>(),
                colour.mix(0.15).filled(),
            )))?;
            day_line(&mut chart, name, colour, days.iter().map(|s| s.mean))?;
        }
        day_legend(&mut chart, SeriesLabelPosition::UpperRight)
    }
}

/// P(exhausted by day D) of each interceptor type that runs out in some run.
pub(super) struct ExhaustionPlot {
    lines: Vec<(String, Vec<f64>)>,
    days: u32,
}

impl ExhaustionPlot {
    pub(super) fn new(s: &CampaignSummary) -> Self {
        ExhaustionPlot {
            lines: s
                .exhaustion
                .iter()
                .filter(|(_, e)| e.p_never < 1.0)
                .map(|(t, e)| (t.clone(), e.p_by_day.clone()))
                .collect(),
            days: s.days,
        }
    }
}

impl Figure for ExhaustionPlot {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        let mut chart = day_chart(root, self.days, 1.05, "P(exhausted by the day)")?;
        for (k, (name, p)) in self.lines.iter().enumerate() {
            day_line(
                &mut chart,
                name,
                PALETTE[k % PALETTE.len()],
                p.iter().copied(),
            )?;
        }
        day_legend(&mut chart, SeriesLabelPosition::LowerRight)
    }
}
