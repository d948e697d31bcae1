//! The skill wheel: a radar chart of each topic's position.

use std::f64::consts::PI;

use ladder_core::progression::{percent_text, AssessmentKind};

use super::{coordinate, kind_class, Dot};

/// Where a series' points lie on the wheel.
#[derive(Debug, Clone, PartialEq)]
pub struct WheelChart {
    pub width: u32,
    pub height: u32,
    pub cx: String,
    pub cy: String,
    pub rings: Vec<WheelRing>,
    pub axes: Vec<WheelAxis>,
    pub series: Vec<WheelPolygon>,
    /// A text description of every value, for screen readers.
    pub desc: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct WheelRing {
    pub r: String,
    pub label: String,
    pub label_x: String,
    pub label_y: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct WheelAxis {
    pub x: String,
    pub y: String,
    /// The topic title, shortened for the chart.
    pub label: String,
    /// The full title (the label's tooltip).
    pub title: String,
    pub label_x: String,
    pub label_y: String,
    pub anchor: &'static str,
}

#[derive(Debug, Clone, PartialEq)]
pub struct WheelPolygon {
    /// `self` or `manager` (the CSS class).
    pub class: &'static str,
    pub name: &'static str,
    /// "x,y x,y …", one point per topic.
    pub points: String,
    pub dots: Vec<Dot>,
}

const WHEEL_WIDTH: u32 = 560;
const WHEEL_HEIGHT: u32 = 420;
pub(super) const WHEEL_RADIUS: f64 = 150.0;

/// "Level 2 met, 37.5% of the next level shown".
pub fn wheel_value_text(bp: u32) -> String {
    let level = bp / 10_000;
    let share = percent_text(u64::from(bp % 10_000));
    if level == 0 {
        format!("no level met, {share} of the first level shown")
    } else {
        format!("level {level} met, {share} of the next level shown")
    }
}

fn shorten(text: &str, max_chars: usize) -> String {
    if text.chars().count() <= max_chars {
        return text.to_string();
    }
    let mut out: String = text.chars().take(max_chars.saturating_sub(1)).collect();
    out = out.trim_end().to_string();
    out.push('…');
    out
}

/// The skill wheel: one axis per topic (clockwise from the top), a ring per
/// level from 1 to `max_level`, and a polygon per series whose radius on each
/// axis is that topic's `wheel_bp` (level met × 10000 + share of the next).
/// `series` pairs each kind with one value per axis (missing values count as
/// 0, values beyond the top level are drawn on the outer ring). `None` when
/// there is nothing to draw: no topics or no levels.
pub fn skill_wheel(
    axes: &[String],
    series: &[(AssessmentKind, Vec<u32>)],
    max_level: u32,
) -> Option<WheelChart> {
    if axes.is_empty() || max_level == 0 {
        return None;
    }
    let n = axes.len();
    let cx = f64::from(WHEEL_WIDTH) / 2.0;
    let cy = f64::from(WHEEL_HEIGHT) / 2.0;
    let full = f64::from(max_level) * 10_000.0;
    let angle = |index: usize| -PI / 2.0 + 2.0 * PI * (index as f64) / (n as f64);
    let at = |index: usize, radius: f64| {
        let a = angle(index);
        (cx + radius * a.cos(), cy + radius * a.sin())
    };
    let rings = (1..=max_level)
        .map(|level| {
            let r = WHEEL_RADIUS * f64::from(level) / f64::from(max_level);
            WheelRing {
                r: coordinate(r),
                label: level.to_string(),
                label_x: coordinate(cx + 3.0),
                label_y: coordinate(cy - r - 2.0),
            }
        })
        .collect();
    let axes_view = axes
        .iter()
        .enumerate()
        .map(|(index, title)| {
            let (x, y) = at(index, WHEEL_RADIUS);
            let (label_x, label_y) = at(index, WHEEL_RADIUS + 14.0);
            let cos = angle(index).cos();
            let anchor = if cos > 0.2 {
                "start"
            } else if cos < -0.2 {
                "end"
            } else {
                "middle"
            };
            // Labels above or below the wheel sit a little further out.
            let sin = angle(index).sin();
            let label_y = label_y + if sin > 0.5 { 8.0 } else { 0.0 };
            WheelAxis {
                x: coordinate(x),
                y: coordinate(y),
                label: shorten(title, 22),
                title: title.clone(),
                label_x: coordinate(label_x),
                label_y: coordinate(label_y),
                anchor,
            }
        })
        .collect();
    let mut desc = Vec::new();
    let polygons = series
        .iter()
        .map(|(kind, values)| {
            let mut points = Vec::with_capacity(n);
            let mut dots = Vec::with_capacity(n);
            let mut described = Vec::with_capacity(n);
            for (index, title) in axes.iter().enumerate() {
                let value = values.get(index).copied().unwrap_or(0);
                let radius = WHEEL_RADIUS * (f64::from(value).min(full) / full);
                let (x, y) = at(index, radius);
                let (x, y) = (coordinate(x), coordinate(y));
                points.push(format!("{x},{y}"));
                let text = format!("{title}: {}", wheel_value_text(value));
                dots.push(Dot {
                    x,
                    y,
                    title: format!("{}: {text}", kind.label()),
                });
                described.push(text);
            }
            desc.push(format!("{}: {}.", kind.label(), described.join("; ")));
            WheelPolygon {
                class: kind_class(*kind),
                name: kind.label(),
                points: points.join(" "),
                dots,
            }
        })
        .collect();
    Some(WheelChart {
        width: WHEEL_WIDTH,
        height: WHEEL_HEIGHT,
        cx: coordinate(cx),
        cy: coordinate(cy),
        rings,
        axes: axes_view,
        series: polygons,
        desc: if desc.is_empty() {
            "No submitted assessments yet.".to_string()
        } else {
            desc.join(" ")
        },
    })
}
