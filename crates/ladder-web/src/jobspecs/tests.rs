use ladder_core::jobspec::{
    diff, Competency, FrameworkBasis, JobSpecBody, MustHave, RoundItem, Weight,
};

use super::edit::{total_weight_text, typed_total, EXTRA_ROWS};
use super::show::criterion_level;
use super::*;
use crate::forms::FieldError;
use crate::moment::Moment;
use crate::view::Page;

fn body() -> JobSpecBody {
    let competency = |id: &str, name: &str, points: u32| Competency {
        id: id.into(),
        name: name.into(),
        weight: Weight(points),
        definition: format!("{name} <defined>"),
    };
    let item = |id: &str, text: &str, competency: &str, origin: &str| RoundItem {
        id: id.into(),
        text: text.into(),
        competency_id: Some(competency.into()),
        grounding: vec!["backend.l4.0a1b2c3d4e".into(), "definition".into()],
        origin: origin.into(),
        quality: None,
    };
    JobSpecBody {
        title: "Senior Backend Engineer — Payments Platform".into(),
        seniority: "senior".into(),
        description: "Build **payments**.".into(),
        basis: Some(FrameworkBasis {
            slug: "engineering-backend".into(),
            level: 4,
        }),
        competencies: vec![
            competency(
                "distributed_systems_rigor",
                "Distributed Systems Rigor",
                3500,
            ),
            competency(
                "postgres_transactional_design",
                "Postgres Transactional Design",
                2500,
            ),
            competency(
                "domain_ownership_and_reliability",
                "Domain Ownership & Reliability",
                2500,
            ),
            competency(
                "payments_domain_expertise",
                "Payments Domain Expertise",
                1500,
            ),
        ],
        must_haves: vec![MustHave {
            text: "5+ years of production backend systems engineering".into(),
            required: true,
        }],
        round1: vec![
            item(
                "q-1",
                "How do you make retries safe?",
                "distributed_systems_rigor",
                "generated:grounded",
            ),
            item(
                "q-2",
                "Design a ledger.",
                "postgres_transactional_design",
                "edited",
            ),
            item(
                "q-3",
                "Tell me about an incident.",
                "domain_ownership_and_reliability",
                "generated:grounded",
            ),
        ],
        round2: vec![
            item(
                "p-1",
                "Walk me through a hard call.",
                "payments_domain_expertise",
                "generated:grounded",
            ),
            item(
                "p-2",
                "Describe a conflict.",
                "distributed_systems_rigor",
                "generated:grounded",
            ),
        ],
    }
}

fn page() -> Page<'static> {
    Page {
        title: "Job spec",
        nav: &[],
        user: None,
        csrf: Some("tok"),
        flash: None,
        current_slug: None,
    }
}

/// The times every test view shows.
static CREATED: std::sync::LazyLock<Moment> = std::sync::LazyLock::new(|| "2024-01-01".into());
static PUBLISHED: std::sync::LazyLock<Moment> = std::sync::LazyLock::new(|| "2024-01-02".into());

fn view(body: &JobSpecBody) -> JobSpecView<'_> {
    JobSpecView {
        id: "e08648f7",
        version: 1,
        label: Some("v1-U_WN6k"),
        published: true,
        body,
        current_version: Some(1),
        current_label: Some("v1-U_WN6k"),
        draft_version: None,
        candidate_sees: 3,
        basis_title: Some("Engineering — Backend"),
        created: &CREATED,
        created_by: "ada@example.com",
        published_at: Some(&PUBLISHED),
        saved: &CREATED,
        basis_warnings: &[],
        can_edit: true,
    }
}

/// The element's text with tags removed and entities for `&<>"` decoded.
fn text(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&#38;", "&")
        .replace("&#60;", "<")
        .replace("&#62;", ">")
        .replace("&#34;", "\"")
}

fn between<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let at = html
        .find(start)
        .unwrap_or_else(|| panic!("{start} not in page"));
    let stop = at
        + html[at..]
            .find(end)
            .unwrap_or_else(|| panic!("{end} after {start}"));
    &html[at..stop]
}

#[test]
fn totals_match_the_core_balance_message() {
    assert_eq!(
        total_weight_text(10_000),
        ("Total weight: 1.00 ✓ balanced".to_string(), true)
    );
    for points in [0u32, 1, 9500, 3333, 10_001, 12_500] {
        let mut spec = body();
        spec.competencies.truncate(1);
        spec.competencies[0].weight = Weight(points);
        assert_eq!(
            total_weight_text(u64::from(points)).0,
            spec.balance_message().unwrap_or_default(),
            "{points}"
        );
    }
    let rows = |weights: &[&str]| -> Vec<CompetencyInput> {
        weights
            .iter()
            .map(|w| CompetencyInput {
                weight: w.to_string(),
                ..Default::default()
            })
            .collect()
    };
    assert_eq!(
        typed_total(&rows(&["0.35", "25%", ".25", "0.1500"])).0,
        "Total weight: 1.00 ✓ balanced"
    );
    assert_eq!(
        typed_total(&rows(&["0.35", "25%", "0.25", "0.10", "", "oops"])).0,
        "Total weight: 0.95 — add 0.05"
    );
    assert_eq!(
        typed_total(&rows(&["0.6", "60%"])).0,
        "Total weight: 1.20 — remove 0.20"
    );
}

#[test]
fn criterion_levels_come_from_ids() {
    assert_eq!(criterion_level("backend.l4.0a1b2c3d4e"), Some(4));
    assert_eq!(criterion_level("system-design.l12.ff"), Some(12));
    assert_eq!(criterion_level("definition"), None);
}

#[test]
fn detail_page_rebuilds_the_seed_with_its_hooks() {
    let spec = body();
    let html = job_spec(&page(), &view(&spec), None);
    assert!(html.contains("<h1>Senior Backend Engineer — Payments Platform</h1>"));
    assert!(text(between(&html, "<p class=\"jobspec-meta\"", "</p>"))
        .contains("senior · version v1-U_WN6k"));
    assert!(html.contains("<span class=\"version-label\">v1-U_WN6k</span>"));
    assert!(html.contains("<code>e08648f7</code>"));
    let table = between(&html, "<table class=\"data competencies\"", "</table>");
    assert_eq!(table.matches("<tr data-competency=").count(), 4);
    assert!(text(table).contains("Domain Ownership & Reliability"));
    assert!(html.contains("weights sum to 1.00"));
    let weight = between(
        &html,
        "<li class=\"weight\" data-competency=\"distributed_systems_rigor\"",
        "</li>",
    );
    assert!(text(weight).contains("35%0.35"), "{weight}");
    assert!(html.contains("<p class=\"total-weight balanced\">Total weight: 1.00 ✓ balanced</p>"));
    assert!(text(&html).contains("3 currently · candidate sees 3"));
    let round1 = between(&html, "<ol class=\"round1", "</ol>");
    assert_eq!(round1.matches("<li class=\"round-item").count(), 3);
    assert!(round1.contains("data-item=\"q-2\""));
    assert!(
        round1.contains("href=\"/frameworks/engineering-backend?level=4#backend.l4.0a1b2c3d4e\"")
    );
    assert!(round1.contains(">edited<"));
    assert!(round1.contains(">generated:grounded<"));
    let round2 = between(&html, "<ol class=\"round2", "</ol>");
    assert_eq!(round2.matches("<li class=\"round-item").count(), 2);
    assert!(text(&html).contains("2 prompts · walked through in order during Round 02"));
    let must = between(&html, "<ul class=\"must-haves\"", "</ul>");
    assert!(text(must).contains("required5+ years"), "{must}");
    // Editors of the current version (no draft) get every control.
    assert!(html.contains("href=\"/job-specs/e08648f7/edit\""));
    assert!(html.contains("action=\"/job-specs/e08648f7/rounds/1/items/q-1\""));
    assert!(html.contains("action=\"/job-specs/e08648f7/rounds/1/items/q-1/delete\""));
    assert!(html.contains("action=\"/job-specs/e08648f7/rounds/2/items/p-2/move\""));
    assert!(html.contains("action=\"/job-specs/e08648f7/rounds/2/items\""));
    assert!(html.contains("name=\"keep_edited\" value=\"on\" checked"));
    assert!(
        !html.contains("/publish\""),
        "nothing to publish without a draft"
    );
    // Markup in user text is escaped.
    assert!(html.contains("Distributed Systems Rigor &#60;defined&#62;"));
}

#[test]
fn readers_and_old_versions_get_no_controls() {
    let spec = body();
    let mut reader = view(&spec);
    reader.can_edit = false;
    let html = job_spec(&page(), &reader, None);
    assert!(!html.contains("/edit\""));
    assert!(!html.contains("method=\"post\" action=\"/job-specs"));

    let mut old = view(&spec);
    old.current_version = Some(2);
    old.current_label = Some("v2-abcdefg");
    let html = job_spec(&page(), &old, None);
    assert!(text(&html).contains("v1-U_WN6k is an older version; candidates now see v2-abcdefg."));
    assert!(!html.contains("/rounds/1/items/q-1/delete"));
}

#[test]
fn drafts_show_a_banner_publish_and_an_unbalanced_total() {
    let mut spec = body();
    spec.competencies[3].weight = Weight(1000);
    let mut draft = view(&spec);
    draft.version = 2;
    draft.label = None;
    draft.published = false;
    draft.draft_version = Some(2);
    draft.published_at = None;
    let error = SpecError {
        field: Some("competencies[].weight".into()),
        message: "Total weight: 0.95 — add 0.05: weights must sum to exactly 1.00 to publish"
            .into(),
        ..Default::default()
    };
    let html = job_spec(&page(), &draft, Some(&error));
    assert!(html.contains("<span class=\"version-label\">draft v2</span>"));
    assert!(text(&html).contains("Draft v2 — not yet published; candidates see v1-U_WN6k."));
    assert!(html.contains("<p class=\"total-weight unbalanced\">Total weight: 0.95 — add 0.05</p>"));
    assert!(html.contains("action=\"/job-specs/e08648f7/publish\""));
    assert!(html.contains("href=\"/job-specs/e08648f7/diff?from=1&#38;to=2\""));
    let shown = between(&html, "<p class=\"error\"", "</p>");
    assert!(shown.contains("data-field=\"competencies[].weight\""));
    assert!(shown.contains("weights must sum to exactly 1.00 to publish"));
    // Controls show on the draft.
    assert!(html.contains("/rounds/1/items/q-1/delete"));
}

#[test]
fn item_errors_show_at_their_form_with_the_typed_text() {
    let spec = body();
    let error = SpecError {
        field: Some("text".into()),
        message: "this round already has that question".into(),
        round: Some(1),
        item_id: Some("q-2".into()),
        text: Some("How do you make retries safe?".into()),
    };
    let html = job_spec(&page(), &view(&spec), Some(&error));
    let item = between(&html, "data-item=\"q-2\"", "</li>");
    assert!(item.contains("<p class=\"error\" role=\"alert\" data-field=\"text\">"));
    assert!(item.contains("<details class=\"item-edit\" open>"));
    assert!(item.contains(">How do you make retries safe?</textarea>"));

    let add = SpecError {
        field: Some("text".into()),
        message: "write the question text".into(),
        round: Some(2),
        item_id: None,
        text: Some(String::new()),
    };
    let html = job_spec(&page(), &view(&spec), Some(&add));
    let form = between(
        &html,
        "action=\"/job-specs/e08648f7/rounds/2/items\"",
        "</form>",
    );
    assert!(form.contains("write the question text"));
}

#[test]
fn editor_keeps_input_places_errors_and_totals() {
    let spec = body();
    let mut form = JobSpecForm::from_body(&spec);
    form.competencies[3].weight = "ten".into();
    let target = EditTarget {
        id: "e08648f7",
        version: 1,
        label: Some("v1-U_WN6k"),
        published: true,
        next_version: 2,
        basis: spec.basis.as_ref(),
        basis_title: None,
    };
    let error = FieldError {
        field: "competencies[3].weight".into(),
        message: "“ten” is not a weight".into(),
    };
    let html = job_spec_edit(&page(), &target, &form, Some(&error));
    assert!(text(&html).contains("saving opens draft v2"));
    assert!(html.contains("<p class=\"error\" data-field=\"competencies[3].weight\""));
    assert!(text(&html).contains("competencies[3].weight: “ten” is not a weight"));
    assert!(html.contains("value=\"ten\""));
    assert!(html.contains("<output id=\"total-weight\" class=\"total-weight unbalanced\""));
    assert!(html.contains("Total weight: 0.85 — add 0.15</output>"));
    // Four rows plus two empty ones, and must-have checkboxes by index.
    assert_eq!(
        html.matches("name=\"competency_weight\"").count(),
        4 + EXTRA_ROWS + 1,
        "rows plus the template row"
    );
    assert!(html.contains("name=\"must_required\" value=\"0\" checked"));
    assert!(html.contains("name=\"must_required\" value=\"1\" checked"));
    // An error for a field the form does not have goes on top.
    let error = FieldError {
        field: "round1[0].competency_id".into(),
        message: "there is no competency gone".into(),
    };
    let html = job_spec_edit(&page(), &target, &form, Some(&error));
    assert!(text(&html).contains("round1[0].competency_id: there is no competency gone"));
}

#[test]
fn new_form_keeps_input_and_highlights_the_field() {
    let input = NewJobSpecInput {
        title: "Payments <Eng>".into(),
        framework: "engineering-backend".into(),
        level: "x".into(),
        ..Default::default()
    };
    let frameworks = [
        FrameworkOption {
            slug: "engineering-backend".into(),
            title: "Backend".into(),
            levels: (1..=6).map(|n| (n, format!("Level {n}"))).collect(),
        },
        FrameworkOption {
            slug: "engineering-frontend".into(),
            title: "Frontend".into(),
            levels: (1..=5).map(|n| (n, format!("E{n}"))).collect(),
        },
    ];
    let error = FieldError {
        field: "level".into(),
        message: "choose a level".into(),
    };
    let html = job_spec_new(&page(), &input, &frameworks, Some(&error));
    assert!(html.contains("value=\"Payments &#60;Eng&#62;\""));
    assert!(html.contains("<option value=\"engineering-backend\" selected>"));
    assert!(html
        .contains("<p class=\"error\" id=\"level-error\" data-field=\"level\">choose a level</p>"));
    assert!(html.contains("name=\"questions\" value=\"3\""));
    assert!(html.contains("name=\"prompts\" value=\"4\""));
    // Each framework's own level labels, and the number to enter.
    assert!(
        html.contains("<li>Frontend: E1 to E5, enter 1 to 5</li>"),
        "{html}"
    );
    assert!(
        html.contains("<li>Backend: Level 1 to Level 6, enter 1 to 6</li>"),
        "{html}"
    );
}

#[test]
fn list_offers_new_only_to_editors() {
    let rows = [JobSpecRow {
        id: "a b".into(),
        title: "Payments".into(),
        seniority: "senior".into(),
        current_label: None,
        draft_version: Some(1),
        updated: "today".into(),
    }];
    let html = job_spec_list(&page(), &rows, true);
    assert!(html.contains("href=\"/job-specs/new\""));
    assert!(html.contains("href=\"/job-specs/a%20b\""));
    assert!(html.contains(">draft<"));
    assert!(!job_spec_list(&page(), &rows, false).contains("href=\"/job-specs/new\""));
}

#[test]
fn diff_groups_changes_by_area() {
    let old = body();
    let mut new = body();
    new.competencies[0].weight = Weight(4000);
    new.competencies[3].weight = Weight(1000);
    new.title = "Staff Backend Engineer".into();
    let changes = diff(&old, &new);
    let versions = vec![
        JobSpecVersionRow {
            version: 2,
            label: None,
            published: false,
            current: false,
            total_weight: "1.00".into(),
            balanced: true,
            created_by: "ada".into(),
            created: "t".into(),
            published_at: None,
        },
        JobSpecVersionRow {
            version: 1,
            label: Some("v1-U_WN6k".into()),
            published: true,
            current: true,
            total_weight: "1.00".into(),
            balanced: true,
            created_by: "ada".into(),
            created: "t".into(),
            published_at: Some("t".into()),
        },
    ];
    assert_eq!(default_diff_pair(&versions), (1, 2));
    let html = job_spec_diff(
        &page(),
        &DiffView {
            id: "e08648f7",
            title: "Payments",
            from: 1,
            to: 2,
            versions: &versions,
            changes: &changes,
        },
    );
    assert!(text(&html).contains("v1-U_WN6k → draft v2"));
    let weight = between(&html, "<li class=\"change\" data-area=\"weight\"", "</li>");
    assert_eq!(text(weight), "distributed_systems_rigor: 0.35 → 0.40");
    let title = html.find("data-area=\"title\"").expect("a title change");
    let weights = html.find("data-area=\"weight\"").expect("weight changes");
    assert!(title < weights, "areas in their order");
    assert_eq!(
        html.matches("<li class=\"change\" data-area=\"weight\"")
            .count(),
        2
    );
    let versions_html = job_spec_versions(&page(), "e08648f7", "Payments", &versions);
    assert!(versions_html.contains("<option value=\"1\" selected>"));
    assert!(versions_html.contains("href=\"/job-specs/e08648f7?version=draft\""));
}

#[test]
fn editors_see_the_basis_frameworks_warnings_on_a_draft() {
    let body = body();
    let warnings =
        vec!["line 42: “correct Go code” names Go, but this framework is about .NET".to_string()];
    let draft = JobSpecView {
        published: false,
        label: None,
        basis_warnings: &warnings,
        ..view(&body)
    };
    let html = job_spec(&page(), &draft, None);
    assert!(
        html.contains("has 1 warning: check the questions before publishing"),
        "{html}"
    );
    assert!(
        html.contains("line 42: “correct Go code” names Go"),
        "{html}"
    );
    let published = JobSpecView {
        basis_warnings: &warnings,
        ..view(&body)
    };
    assert!(!job_spec(&page(), &published, None).contains("basis-warnings"));
    let reader = JobSpecView {
        published: false,
        label: None,
        can_edit: false,
        basis_warnings: &warnings,
        ..view(&body)
    };
    assert!(!job_spec(&page(), &reader, None).contains("basis-warnings"));
}
