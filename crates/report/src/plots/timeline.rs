//! The timeline: launches, intercepts and impacts per time bin.

use std::collections::BTreeSet;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::RGBColor;

use super::canvas::{BLUE, DrawResult, Figure, GREY, MESH, SKY, VERMILLION, font};
use super::format::thousands;
use crate::input::{Event, Fate};
use jiff::{SignedDuration, Timestamp};

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

/// The timeline, dated from the scenario's `start` when it has one.
pub(super) struct TimelinePlot {
    timeline: Timeline,
    start: Option<Timestamp>,
}

impl TimelinePlot {
    pub(super) fn new(events: &[Event], start: Option<Timestamp>) -> Self {
        TimelinePlot {
            timeline: timeline(events),
            start,
        }
    }

    pub(super) fn caption(&self) -> String {
        let t = &self.timeline;
        let against = match self.start {
            Some(start) => format!(
                "against UTC time (the scenario's time zero is {})",
                start.strftime("%Y-%m-%d %H:%M UTC")
            ),
            None => "against time from the scenario's time zero".to_string(),
        };
        format!(
            "Launches, intercepts and impacts (leakers and open-area impacts) per {} min, mean \
             per run over all {} sampled runs, {against} (slow threats may be launched before \
             it).",
            t.bin_min, t.runs
        )
    }

    /// The label of `minutes` from the time zero: UTC clock time (with the day of the month
    /// when the plot spans more than one day) when dated, minutes otherwise.
    fn time_label(&self, minutes: f64) -> String {
        let Some(start) = self.start else {
            return thousands(minutes, 0);
        };
        let t = &self.timeline;
        let at = |m: f64| start + SignedDuration::from_secs((m * 60.0).round() as i64);
        let end = t.start_min + t.launches.len() as f64 * t.bin_min;
        let one_day =
            at(t.start_min).strftime("%F").to_string() == at(end).strftime("%F").to_string();
        at(minutes)
            .strftime(if one_day { "%H:%M" } else { "%d %H:%M" })
            .to_string()
    }
}

impl Figure for TimelinePlot {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        let t = &self.timeline;
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
            .x_label_formatter(&|x| self.time_label(*x))
            .y_label_formatter(&|y| thousands(*y, 1))
            .x_desc(if self.start.is_some() {
                "UTC time"
            } else {
                "minutes from the scenario's time zero"
            })
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
