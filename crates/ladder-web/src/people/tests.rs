use std::collections::{HashMap, HashSet};

use ladder_core::framework::{criterion_id, Criterion, Level, Topic};
use ladder_core::progression::{compute, disagreements, AssessmentKind, Rating, DEFAULT_THRESHOLD};
use ladder_core::Framework;

use super::*;
use crate::charts::TimelineEntry;
use crate::view::Page;

/// Two topics, one with markup in its title, two levels, A–D.
fn framework() -> Framework {
    let topic = |key: &str, title: &str| Topic {
        key: key.to_string(),
        title: title.to_string(),
        subtitle: None,
        levels: (1..=2)
            .map(|number| Level {
                number,
                criteria: (0..2)
                    .map(|i| {
                        let text = format!("{key} does <thing> {i} at {number}");
                        Criterion {
                            id: criterion_id(key, number, &text),
                            text,
                            examples: vec![format!("An example for {key} {i}")],
                        }
                    })
                    .collect(),
            })
            .collect(),
    };
    Framework {
        slug: "test".into(),
        path: None,
        title: "Test".into(),
        sidebar_title: None,
        group: None,
        declared_level_count: Some(2),
        level_prefix: None,
        sublevels: Some(["A", "B", "C", "D"].iter().map(|l| l.to_string()).collect()),
        homepage: None,
        body_markdown: String::new(),
        topics: vec![topic("a", "Alpha <script>x</script>"), topic("b", "Beta")],
        source: None,
        warnings: vec![],
    }
}

fn page() -> Page<'static> {
    Page {
        title: "Test",
        nav: &[],
        user: None,
        csrf: Some("token"),
        flash: None,
        current_slug: None,
    }
}

#[test]
fn the_person_page_overlays_both_polygons_and_escapes_topic_titles() {
    let fw = framework();
    let ids: Vec<String> = fw.criteria().map(|(_, _, c)| c.id.clone()).collect();
    let own: HashMap<String, Rating> = ids
        .iter()
        .map(|id| (id.clone(), Rating::Consistently))
        .collect();
    let mut theirs = own.clone();
    theirs.insert(ids[0].clone(), Rating::Sometimes);
    let own_progress = compute(&fw, &own, DEFAULT_THRESHOLD, Some(2));
    let their_progress = compute(&fw, &theirs, DEFAULT_THRESHOLD, Some(2));
    let found = disagreements(&fw, &own, &theirs);
    let timeline = [
        TimelineEntry {
            kind: AssessmentKind::SelfAssessment,
            as_of: "2026-01-01".into(),
            standing: own_progress.headline(&fw),
            position_bp: 20_000,
        },
        TimelineEntry {
            kind: AssessmentKind::Manager,
            as_of: "2026-01-02".into(),
            standing: their_progress.headline(&fw),
            position_bp: 10_000,
        },
    ];
    let html = person(
        &page(),
        &PersonView {
            id: "p1",
            email: "p@example.com",
            relation: "This is you",
            placement: None,
            progress: Some(ProgressSection {
                framework: &fw,
                framework_version: 1,
                target_level: 2,
                source: Some(AssessmentKind::Manager),
                source_as_of: Some("2026-01-02"),
                progress: Some(&their_progress),
                self_progress: Some(&own_progress),
                manager_progress: Some(&their_progress),
                threshold_bp: 8000,
                disagreements: &found,
                changes: None,
                timeline: &timeline,
            }),
            placements: &[],
            assessments: &[],
            start: &[],
            place_form: None,
        },
    );
    let wheel = &html[html.find("<svg class=\"skill-wheel\"").expect("a wheel")..];
    let wheel = &wheel[..wheel.find("</svg>").expect("closed")];
    assert_eq!(wheel.matches("<polygon ").count(), 2);
    assert!(
        !wheel.contains("<script>"),
        "titles are escaped in SVG text"
    );
    assert!(wheel.contains("Alpha &#60;script&#62;"), "{wheel}");
    assert!(!html.contains("does <thing>"), "behaviour text is escaped");
    assert_eq!(html.matches("<tr class=\"disagreement\">").count(), 1);
    // The manager saw one of level 1 only sometimes: topic a misses it.
    assert!(html.contains(&format!(
        "data-standing=\"{}\"",
        their_progress.headline(&fw)
    )));
    assert!(html.contains("A: under 25% · B: from 25%"));
}

/// Before any assessment the page lists every behaviour of the target level
/// as still to assess, never "no behaviours missing".
#[test]
fn before_any_assessment_every_target_behaviour_is_still_to_assess() {
    let fw = framework();
    let html = person(
        &page(),
        &PersonView {
            id: "p1",
            email: "p@example.com",
            relation: "This is you",
            placement: None,
            progress: Some(ProgressSection {
                framework: &fw,
                framework_version: 1,
                target_level: 2,
                source: None,
                source_as_of: None,
                progress: None,
                self_progress: None,
                manager_progress: None,
                threshold_bp: 8000,
                disagreements: &[],
                changes: None,
                timeline: &[],
            }),
            placements: &[],
            assessments: &[],
            start: &[],
            place_form: None,
        },
    );
    assert!(!html.contains("No behaviours missing"), "{html}");
    assert!(!html.contains("Nothing at this level"), "{html}");
    assert!(!html.contains("is still to assess."), "{html}");
    assert!(html.contains("4 behaviours to assess"), "{html}");
    assert_eq!(
        html.matches("2 to assess · nothing submitted yet").count(),
        2,
        "{html}"
    );
    assert_eq!(html.matches("class=\"missing-behaviour\"").count(), 4);
    assert!(html.contains("b does &lt;thing&gt; 1 at 2"), "{html}");
}

#[test]
fn the_editor_is_a_form_for_the_assessor_and_read_only_otherwise() {
    let fw = framework();
    let first = fw
        .criteria()
        .map(|(_, _, c)| c.id.clone())
        .next()
        .expect("one");
    let values = HashMap::from([(
        first.clone(),
        MarkValue {
            rating: Some(Rating::Sometimes),
            note: "Did <it>".into(),
            links: "https://example.com/pr/1".into(),
        },
    )]);
    let ratings = HashMap::from([(first.clone(), Rating::Sometimes)]);
    let progress = compute(&fw, &ratings, DEFAULT_THRESHOLD, Some(2));
    let changed = HashSet::from([first.clone()]);
    let view = |editable: bool| AssessmentView {
        person_id: "p1",
        person_email: "p@example.com",
        assessment_id: "a1",
        kind: AssessmentKind::SelfAssessment,
        assessor: "p@example.com",
        submitted: !editable,
        as_of: (!editable).then_some("2026-01-01"),
        editable,
        framework: &fw,
        framework_version: 2,
        values: &values,
        level: Some(2),
        carried_from_version: Some(1),
        new_or_changed: &changed,
        progress: &progress,
        as_of_input: "2026-01-01",
        error: None,
    };
    let html = assessment(&page(), &view(true));
    assert!(html.contains(&format!(
        "name=\"rating.{first}\" value=\"sometimes\" checked"
    )));
    assert_eq!(
        html.matches("class=\"assessment-form\"").count(),
        2,
        "a form per level"
    );
    assert!(html.contains("action=\"/people/p1/assessments/a1/submit\""));
    assert!(html.contains("data-marks-url=\"/api/v1/people/p1/assessments/a1/marks\""));
    assert!(html.contains("Did &#60;it&#62;"));
    assert!(html.contains("New or changed"));
    assert!(html.contains("carried over"));
    // The level asked for is the open tab.
    assert!(html
        .contains("id=\"level-2\" data-level=\"2\" role=\"tabpanel\" aria-labelledby=\"tab-2\">"));
    assert!(html.contains("An example for a 0"));
    let read_only = assessment(&page(), &view(false));
    assert!(!read_only.contains("type=\"radio\""));
    assert!(!read_only.contains("assessment-form"));
    assert!(read_only.contains("Submitted as of 2026-01-01"));
    assert!(read_only
        .contains("<a href=\"https://example.com/pr/1\" rel=\"noopener noreferrer nofollow\">"));
}

#[test]
fn sublevel_bands_follow_the_letters() {
    let letters = |s: &[&str]| s.iter().map(|l| l.to_string()).collect::<Vec<_>>();
    assert_eq!(
        sublevel_bands(&letters(&["A", "B", "C", "D"])).as_deref(),
        Some("A: under 25% · B: from 25% · C: from 50% · D: from 75%")
    );
    assert_eq!(
        sublevel_bands(&letters(&["A", "B", "C"])).as_deref(),
        Some("A: under 1/3 · B: from 1/3 · C: from 2/3")
    );
    assert_eq!(sublevel_bands(&[]), None);
}

/// The sub-level menu offers the chosen framework's letters (Generic's A–C,
/// not every framework's A–E), and every framework option carries what the
/// script needs to narrow the menu when another is picked.
#[test]
fn the_placement_form_offers_the_chosen_frameworks_sub_levels() {
    let letters = |s: &str| s.split(',').map(str::to_string).collect::<Vec<_>>();
    let frameworks = [
        FrameworkChoice {
            slug: "engineering-generic".into(),
            title: "Generic".into(),
            levels: vec![1, 2, 3, 4, 5, 6],
            sublevels: letters("A,B,C"),
        },
        FrameworkChoice {
            slug: "engineering-frontend".into(),
            title: "Frontend".into(),
            levels: vec![1, 2, 3, 4, 5],
            sublevels: letters("A,B,C,D,E"),
        },
    ];
    let sublevel_menu = |html: &str| -> Vec<String> {
        let menu = &html[html.find("id=\"place-sublevel\"").expect("the menu")..];
        let menu = &menu[..menu.find("</select>").expect("closed")];
        menu.split("<option value=\"")
            .skip(1)
            .filter_map(|option| option.split('"').next())
            .filter(|value| !value.is_empty())
            .map(str::to_string)
            .collect()
    };
    let render = |framework: &str| {
        let input = PlaceInput {
            framework: framework.to_string(),
            ..PlaceInput::default()
        };
        people_list(
            &page(),
            &[],
            Some(&PlaceForm {
                heading: "Place a person",
                action: "/people",
                people: Some(&[]),
                frameworks: &frameworks,
                managers: None,
                input: &input,
                error: None,
            }),
        )
    };
    assert_eq!(
        sublevel_menu(&render("engineering-generic")),
        ["A", "B", "C"]
    );
    assert_eq!(
        sublevel_menu(&render("")),
        ["A", "B", "C", "D", "E"],
        "nothing chosen yet: every framework's letters"
    );
    let html = render("");
    assert!(html.contains("data-sublevels=\"A,B,C\" data-min-level=\"1\" data-max-level=\"6\""));
    assert!(html.contains("data-sublevels=\"A,B,C,D,E\" data-min-level=\"1\" data-max-level=\"5\""));
}
