//! Chart geometry: pure functions from plain values to the coordinates the
//! templates print as inline SVG, escaped like any text. The skill wheel and
//! the timeline draw a person's progress; the distribution draws a job spec's
//! interview scores.

use ladder_core::progression::AssessmentKind;

mod distribution;
mod timeline;
mod wheel;

#[cfg(test)]
mod tests;

pub(crate) use distribution::{distribution_chart, DistributionChart};
pub use timeline::{
    timeline_chart, DateLabel, GridLine, TimelineChart, TimelineEntry, TimelineSeries,
};
pub use wheel::{skill_wheel, wheel_value_text, WheelAxis, WheelChart, WheelPolygon, WheelRing};

#[derive(Debug, Clone, PartialEq)]
pub struct Dot {
    pub x: String,
    pub y: String,
    pub title: String,
}

fn coordinate(value: f64) -> String {
    let rounded = (value * 10.0).round() / 10.0;
    // "-0.0" would be harmless but odd.
    if rounded == 0.0 {
        "0".to_string()
    } else if rounded.fract() == 0.0 {
        format!("{rounded:.0}")
    } else {
        format!("{rounded:.1}")
    }
}

fn kind_class(kind: AssessmentKind) -> &'static str {
    match kind {
        AssessmentKind::SelfAssessment => "self",
        AssessmentKind::Manager => "manager",
    }
}
