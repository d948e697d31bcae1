//! The timeline: each submitted assessment's position by as-of date.

use ladder_core::progression::AssessmentKind;

use super::{coordinate, kind_class, Dot};

/// One submitted assessment on the timeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimelineEntry {
    pub kind: AssessmentKind,
    /// "2026-11-24".
    pub as_of: String,
    /// "Level 3C".
    pub standing: String,
    /// Level reached × 10000 + share of the next level shown.
    pub position_bp: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TimelineChart {
    pub width: u32,
    pub height: u32,
    pub left: String,
    pub right: String,
    pub top: String,
    pub baseline: String,
    /// A line and label per level, 0 to the top level.
    pub gridlines: Vec<GridLine>,
    /// One label per distinct as-of date.
    pub dates: Vec<DateLabel>,
    pub series: Vec<TimelineSeries>,
    pub desc: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct GridLine {
    pub y: String,
    pub label: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DateLabel {
    pub x: String,
    pub label: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TimelineSeries {
    pub class: &'static str,
    pub name: &'static str,
    /// "x,y x,y …" in as-of order.
    pub points: String,
    pub dots: Vec<Dot>,
}

const TIMELINE_STEP: f64 = 90.0;
const TIMELINE_LEFT: f64 = 48.0;
const TIMELINE_TOP: f64 = 16.0;
const TIMELINE_PLOT: f64 = 180.0;

/// The timeline: x is the order of as-of dates (assessments on the same day
/// share an x), y the position (level met + share of the next), one series per
/// kind with at least one entry. `None` without entries or levels.
pub fn timeline_chart(entries: &[TimelineEntry], max_level: u32) -> Option<TimelineChart> {
    if entries.is_empty() || max_level == 0 {
        return None;
    }
    let mut dates: Vec<&str> = entries.iter().map(|e| e.as_of.as_str()).collect();
    dates.sort_unstable();
    dates.dedup();
    let columns = dates.len();
    let width_f = TIMELINE_LEFT * 2.0 + TIMELINE_STEP * (columns.max(2) as f64 - 1.0);
    let x_of = |date: &str| -> f64 {
        let index = dates.iter().position(|d| *d == date).unwrap_or(0);
        if columns == 1 {
            width_f / 2.0
        } else {
            TIMELINE_LEFT + TIMELINE_STEP * (index as f64)
        }
    };
    let full = f64::from(max_level) * 10_000.0;
    let baseline = TIMELINE_TOP + TIMELINE_PLOT;
    let y_of = |bp: u32| baseline - TIMELINE_PLOT * (f64::from(bp).min(full) / full);
    let gridlines = (0..=max_level)
        .map(|level| GridLine {
            y: coordinate(y_of(level.saturating_mul(10_000))),
            label: level.to_string(),
        })
        .collect();
    let date_labels = dates
        .iter()
        .map(|date| DateLabel {
            x: coordinate(x_of(date)),
            label: (*date).to_string(),
        })
        .collect();
    let mut desc = Vec::new();
    let mut series = Vec::new();
    for kind in [AssessmentKind::SelfAssessment, AssessmentKind::Manager] {
        let mut own: Vec<&TimelineEntry> = entries.iter().filter(|e| e.kind == kind).collect();
        if own.is_empty() {
            continue;
        }
        own.sort_by(|a, b| a.as_of.cmp(&b.as_of));
        let mut points = Vec::new();
        let mut dots = Vec::new();
        let mut described = Vec::new();
        for entry in own {
            let (x, y) = (
                coordinate(x_of(&entry.as_of)),
                coordinate(y_of(entry.position_bp)),
            );
            points.push(format!("{x},{y}"));
            dots.push(Dot {
                x,
                y,
                title: format!("{}, {}: {}", kind.label(), entry.as_of, entry.standing),
            });
            described.push(format!("{} {}", entry.as_of, entry.standing));
        }
        desc.push(format!("{}: {}.", kind.label(), described.join(", ")));
        series.push(TimelineSeries {
            class: kind_class(kind),
            name: kind.label(),
            points: points.join(" "),
            dots,
        });
    }
    Some(TimelineChart {
        width: width_f.round() as u32,
        height: (baseline + 28.0) as u32,
        left: coordinate(TIMELINE_LEFT - 8.0),
        right: coordinate(width_f - TIMELINE_LEFT + 8.0),
        top: coordinate(TIMELINE_TOP),
        baseline: coordinate(baseline),
        gridlines,
        dates: date_labels,
        series,
        desc: desc.join(" "),
    })
}
