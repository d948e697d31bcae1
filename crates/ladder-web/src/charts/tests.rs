use ladder_core::progression::AssessmentKind;

use super::wheel::WHEEL_RADIUS;
use super::*;

fn titles(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("Topic {i}")).collect()
}

fn parse_points(points: &str) -> Vec<(f64, f64)> {
    points
        .split(' ')
        .map(|pair| {
            let (x, y) = pair.split_once(',').expect("x,y");
            (x.parse().expect("x"), y.parse().expect("y"))
        })
        .collect()
}

#[test]
fn wheel_has_one_axis_and_one_point_per_topic_for_each_series() {
    for n in [1usize, 2, 3, 5, 8] {
        let chart = skill_wheel(
            &titles(n),
            &[
                (AssessmentKind::SelfAssessment, vec![10_000; n]),
                (AssessmentKind::Manager, vec![20_000; n]),
            ],
            4,
        )
        .expect("a chart");
        assert_eq!(chart.axes.len(), n);
        assert_eq!(chart.rings.len(), 4);
        assert_eq!(chart.series.len(), 2);
        for polygon in &chart.series {
            assert_eq!(parse_points(&polygon.points).len(), n, "{n} topics");
            assert_eq!(polygon.dots.len(), n);
        }
        assert_eq!(chart.series[0].class, "self");
        assert_eq!(chart.series[1].class, "manager");
    }
}

#[test]
fn wheel_radius_is_the_value_over_the_top_level() {
    // Four topics: axes at the top, right, bottom and left of the centre.
    let chart = skill_wheel(
        &titles(4),
        &[(
            AssessmentKind::SelfAssessment,
            vec![40_000, 20_000, 0, 50_000],
        )],
        4,
    )
    .expect("a chart");
    let (cx, cy) = (
        chart.cx.parse::<f64>().expect("cx"),
        chart.cy.parse::<f64>().expect("cy"),
    );
    let points = parse_points(&chart.series[0].points);
    // Full marks on the first axis: straight up, one full radius.
    assert_eq!(points[0], (cx, cy - WHEEL_RADIUS));
    // Half of the top level on the second: to the right, half a radius.
    assert_eq!(points[1], (cx + WHEEL_RADIUS / 2.0, cy));
    // Nothing: the centre.
    assert_eq!(points[2], (cx, cy));
    // Beyond the top level is drawn on the outer ring.
    assert_eq!(points[3], (cx - WHEEL_RADIUS, cy));
    // The outer ring is the top level.
    assert_eq!(chart.rings[3].r, coordinate(WHEEL_RADIUS));
    assert_eq!(chart.rings[3].label, "4");
}

#[test]
fn wheel_with_one_topic_draws_one_axis_straight_up() {
    let chart =
        skill_wheel(&titles(1), &[(AssessmentKind::Manager, vec![15_000])], 3).expect("a chart");
    assert_eq!(chart.axes.len(), 1);
    assert_eq!(chart.axes[0].x, chart.cx);
    assert_eq!(chart.axes[0].anchor, "middle");
    let points = parse_points(&chart.series[0].points);
    assert_eq!(points.len(), 1);
    let cy: f64 = chart.cy.parse().expect("cy");
    assert_eq!(points[0].1, cy - WHEEL_RADIUS / 2.0);
    assert!(chart
        .desc
        .contains("level 1 met, 50% of the next level shown"));
}

#[test]
fn wheel_without_topics_or_levels_is_not_drawn_and_missing_values_are_zero() {
    assert_eq!(skill_wheel(&[], &[], 4), None);
    assert_eq!(skill_wheel(&titles(3), &[], 0), None);
    let chart = skill_wheel(&titles(3), &[], 2).expect("axes without series");
    assert!(chart.series.is_empty());
    assert_eq!(chart.desc, "No submitted assessments yet.");
    let short = skill_wheel(
        &titles(3),
        &[(AssessmentKind::SelfAssessment, vec![10_000])],
        2,
    )
    .expect("a chart");
    let points = parse_points(&short.series[0].points);
    assert_eq!(points.len(), 3);
    let centre = (
        short.cx.parse::<f64>().expect("cx"),
        short.cy.parse::<f64>().expect("cy"),
    );
    assert_eq!(points[1], centre);
    assert_eq!(points[2], centre);
}

#[test]
fn wheel_labels_are_shortened_but_keep_the_full_title() {
    let long = "A topic with a very long title indeed".to_string();
    let chart = skill_wheel(std::slice::from_ref(&long), &[], 1).expect("a chart");
    assert_eq!(chart.axes[0].title, long);
    assert!(chart.axes[0].label.ends_with('…'));
    assert_eq!(chart.axes[0].label, "A topic with a very l…");
    assert_eq!(chart.axes[0].label.chars().count(), 22);
}

fn entry(kind: AssessmentKind, as_of: &str, bp: u32) -> TimelineEntry {
    TimelineEntry {
        kind,
        as_of: as_of.to_string(),
        standing: format!("at {bp}"),
        position_bp: bp,
    }
}

#[test]
fn timeline_orders_by_date_and_shares_x_for_the_same_day() {
    let entries = [
        entry(AssessmentKind::Manager, "2026-03-01", 20_000),
        entry(AssessmentKind::SelfAssessment, "2026-01-01", 10_000),
        entry(AssessmentKind::SelfAssessment, "2026-03-01", 25_000),
    ];
    let chart = timeline_chart(&entries, 4).expect("a chart");
    assert_eq!(
        chart
            .dates
            .iter()
            .map(|d| d.label.as_str())
            .collect::<Vec<_>>(),
        vec!["2026-01-01", "2026-03-01"]
    );
    assert_eq!(chart.gridlines.len(), 5);
    assert_eq!(chart.series.len(), 2);
    let own = parse_points(&chart.series[0].points);
    let manager = parse_points(&chart.series[1].points);
    assert_eq!(chart.series[0].class, "self");
    assert_eq!(own.len(), 2);
    assert_eq!(manager.len(), 1);
    assert!(own[0].0 < own[1].0, "x follows the as-of order");
    assert_eq!(own[1].0, manager[0].0, "the same day shares an x");
    assert!(own[1].1 < own[0].1, "higher positions are drawn higher");
    // Two dates: x at the left margin (48) and one step (90) on; y from the
    // baseline (16 + 180) up by 180 × position / 4 levels.
    assert_eq!(own, vec![(48.0, 151.0), (138.0, 83.5)]);
    assert_eq!(manager, vec![(138.0, 106.0)]);
    // y of a position on a level's gridline matches that gridline.
    let level2: f64 = chart.gridlines[2].y.parse().expect("y");
    assert_eq!(manager[0].1, level2);
    assert_eq!(
        chart.series[1].dots[0].title,
        "Manager assessment, 2026-03-01: at 20000"
    );
}

#[test]
fn timeline_without_entries_is_not_drawn_and_one_entry_is_centred() {
    assert_eq!(timeline_chart(&[], 4), None);
    let chart = timeline_chart(&[entry(AssessmentKind::SelfAssessment, "2026-01-01", 0)], 2)
        .expect("a chart");
    assert_eq!(chart.series.len(), 1);
    let point = parse_points(&chart.series[0].points)[0];
    assert_eq!(point.0, f64::from(chart.width) / 2.0);
    assert_eq!(point.1, chart.baseline.parse::<f64>().expect("baseline"));
}

#[test]
fn the_chart_scales_to_the_fullest_bucket_and_describes_itself() {
    let c = distribution_chart(&[0, 0, 0, 0, 0, 0, 0, 2, 1, 0]);
    assert_eq!(c.bars.len(), 10);
    assert_eq!(c.bars[7].height, 120);
    assert_eq!(c.bars[8].height, 60);
    assert_eq!(c.bars[0].height, 0);
    assert!(c.desc.contains("70–79: 2"), "{}", c.desc);
    let empty = distribution_chart(&[]);
    assert!(empty.bars.iter().all(|b| b.height == 0));
}
