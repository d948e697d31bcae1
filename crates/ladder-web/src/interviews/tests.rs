use super::*;
use crate::forms::FieldError;
use crate::view::Page;

fn page() -> Page<'static> {
    Page {
        title: "t",
        nav: &[],
        user: None,
        csrf: Some("tok"),
        flash: None,
        current_slug: None,
    }
}

#[test]
fn performance_prints_the_figures_and_escapes_names() {
    let figures = FiguresView {
        interviews: 1,
        completed: 0,
        completion: "0% · 0 of 1".into(),
        avg_score: "—".into(),
        competencies: vec![CompetencyFigure {
            id: "dsr".into(),
            name: "Rigor <b>".into(),
            weight: "0.35".into(),
            avg: None,
            n: 0,
        }],
        distribution: vec![0; 10],
    };
    let html = performance(
        &page(),
        &PerformanceView {
            job_spec_id: "js-1",
            title: "Backend",
            version: None,
            figures: &figures,
            versions: &[],
        },
    );
    assert!(
        html.contains("data-figure=\"completion\">0% · 0 of 1<"),
        "{html}"
    );
    assert!(html.contains("data-figure=\"avg-score\">—<"), "{html}");
    assert!(html.contains("weight 0.35"));
    assert!(html.contains("n=0"));
    assert!(html.contains("Rigor &#60;b&#62;"), "{html}");
    assert!(html.contains("<svg class=\"distribution\""));
}

#[test]
fn scorecard_errors_land_at_their_field() {
    let form = ScorecardForm {
        scores: vec![ScoreInput {
            competency_id: "dsr".into(),
            name: "Rigor".into(),
            weight: "0.35".into(),
            score: "abc".into(),
            evidence: String::new(),
        }],
        must_haves: vec![MustInput {
            index: 0,
            text: "SQL".into(),
            met: Some(false),
        }],
        recommendation: "yes".into(),
        notes: String::new(),
        state: None,
        automated: Some("llm:test".into()),
    };
    let error = FieldError {
        field: "score_dsr".into(),
        message: "not a number".into(),
    };
    let html = interview(
        &page(),
        &InterviewView {
            id: "iv-1",
            job_spec_id: "js-1",
            job_title: "Backend",
            candidate_name: "Ada",
            candidate_email: "ada@example.com",
            status: "in_progress",
            version_label: "v1-x",
            overall: None,
            fails_must_have: false,
            rounds: &[],
            others: &[],
            form: Some(&form),
            error: Some(&error),
            evaluator: Some(EvaluatorOffer {
                model: "llm:test".into(),
                replaces_draft: true,
            }),
            link: &LinkPanel::default(),
        },
    );
    assert!(
        html.contains("Automated draft — not counted until a person submits it"),
        "{html}"
    );
    assert!(
        html.contains("action=\"/interviews/iv-1/scorecard/automated\""),
        "{html}"
    );
    assert!(html.contains("<form class=\"scorecard\""));
    assert!(html.contains("data-field=\"score_dsr\""));
    assert!(html.contains("value=\"not_met\" checked"), "{html}");
    assert!(html.contains("<option value=\"yes\" selected"), "{html}");
    assert!(html.contains("in progress"));
}

fn interview_with(link: &LinkPanel) -> String {
    interview(
        &page(),
        &InterviewView {
            id: "iv-1",
            job_spec_id: "js-1",
            job_title: "Backend",
            candidate_name: "Ada",
            candidate_email: "ada@example.com",
            status: "invited",
            version_label: "v1-x",
            overall: None,
            fails_must_have: false,
            rounds: &[],
            others: &[],
            form: None,
            error: None,
            evaluator: None,
            link,
        },
    )
}

#[test]
fn the_link_panel_shows_the_expiry_and_a_new_link_once() {
    let link = LinkPanel {
        expires_at: "2025-12-09T14:30:00Z".into(),
        expires_date: "Tuesday 9 December 2025, 14:30 UTC".into(),
        expires_in: "in 6 days".into(),
        can_manage: true,
        new_link: Some("https://ladder.example.com/candidate/abc".into()),
        error: Some(FieldError {
            field: "days".into(),
            message: "At most 80 days.".into(),
        }),
        days: "90".into(),
        form_key: "k".repeat(43),
        ..LinkPanel::default()
    };
    let html = interview_with(&link);
    assert!(
        html.contains("The link works until <time datetime=\"2025-12-09T14:30:00Z\">Tuesday 9 December 2025, 14:30 UTC</time> <span class=\"expires-in\">(in 6 days)</span>."),
        "{html}"
    );
    assert!(
        html.contains("<input id=\"new-candidate-link\" class=\"link-field\" type=\"text\" readonly value=\"https://ladder.example.com/candidate/abc\">"),
        "{html}"
    );
    assert!(html.contains(
        "<button type=\"button\" class=\"copy\" data-copy=\"new-candidate-link\" hidden>"
    ));
    assert!(html.contains("action=\"/interviews/iv-1/link/extend\""));
    assert!(html.contains("action=\"/interviews/iv-1/link/replace\""));
    assert!(
        html.contains("value=\"90\" required aria-invalid=\"true\""),
        "{html}"
    );
    assert!(html.contains("id=\"extend-days-error\" data-field=\"days\">At most 80 days."));

    // Without the right to change it, or once the interview is over: no forms.
    let reader = interview_with(&LinkPanel {
        can_manage: false,
        new_link: None,
        error: None,
        ..link.clone()
    });
    assert!(reader.contains("The link works until"));
    assert!(!reader.contains("link/extend") && !reader.contains("new-candidate-link"));
    let over = interview_with(&LinkPanel {
        closed: Some("completed".into()),
        new_link: None,
        ..link
    });
    assert!(over.contains("The interview is completed: the link opens no interview any more."));
    assert!(!over.contains("link/replace"));
}

fn prompt(number: u32, answer: Option<&str>) -> CandidatePromptItem {
    CandidatePromptItem {
        id: format!("p{number}"),
        number,
        text: format!("Prompt <{number}>"),
        answer: answer.map(str::to_string),
        audio_url: None,
        draft: None,
    }
}

#[test]
fn shows_answered_prompts_and_only_the_next_one() {
    let round1 = [
        CandidateQuestionItem {
            id: "q1".into(),
            text: "Why <us>?".into(),
            answer: None,
            audio_url: None,
            draft: None,
        },
        CandidateQuestionItem {
            id: "q2".into(),
            text: "Why now?".into(),
            answer: None,
            audio_url: None,
            draft: Some("kept & <unsent>".into()),
        },
    ];
    let round2 = [prompt(1, Some("done")), prompt(2, None)];
    let error = CandidateFormError {
        round: 2,
        item_id: "p4".into(),
        message: "answer prompt 2 first".into(),
        text: "my <draft>".into(),
    };
    let html = candidate_page(&CandidatePageView {
        base_path: "/candidate/abc",
        api_base: "/api/v1/candidate/abc",
        audio_upload: Some("/api/v1/candidate/abc/audio"),
        job_title: "Engineer",
        seniority: "senior",
        description: "Hello",
        open: true,
        round1: &round1,
        round2: &round2,
        round2_total: 4,
        error: Some(&error),
    });
    assert!(html.contains("Prompt 2 of 4"), "{html}");
    assert!(html.contains("Why &#60;us&#62;?"), "{html}");
    assert!(html.contains("my &#60;draft&#62;"), "{html}");
    assert!(html.contains("class=\"error\""));
    assert!(html.contains("data-round=\"1\" data-item=\"q1\""));
    assert!(html.contains("data-round=\"2\" data-item=\"p2\""));
    assert!(!html.contains("data-item=\"p1\""));
    assert!(html.contains("action=\"/candidate/abc/finish\""));
    // One form carries every open item: each Send names its item, each
    // text its item, and a kept draft is back in its textarea.
    assert_eq!(
        html.matches("<form").count(),
        2,
        "answers and finish: {html}"
    );
    assert!(html.contains(
        "<form id=\"answers\" class=\"answers\" method=\"post\" action=\"/candidate/abc/answers\" data-api=\"/api/v1/candidate/abc\" data-page=\"/candidate/abc\">"
    ));
    for key in ["1:q1", "1:q2", "2:p2"] {
        assert!(
            html.contains(&format!("name=\"send\" value=\"{key}\"")),
            "{key}"
        );
        assert!(html.contains(&format!("name=\"text:{key}\"")), "{key}");
    }
    assert!(
        html.contains(">kept &#38; &#60;unsent&#62;</textarea>"),
        "{html}"
    );
    assert!(
        !html.contains(" required"),
        "no textarea blocks another's Send"
    );
    // A recorder per open item, hidden until the script finds a microphone API.
    assert_eq!(
        html.matches("class=\"recorder\" hidden data-upload=\"/api/v1/candidate/abc/audio\"")
            .count(),
        3,
        "{html}"
    );
    assert_eq!(html.matches("name=\"audio:").count(), 3);
}

#[test]
fn a_closed_interview_is_thanked() {
    let html = candidate_page(&CandidatePageView {
        base_path: "/candidate/abc",
        api_base: "/api/v1/candidate/abc",
        audio_upload: None,
        job_title: "Engineer",
        seniority: "senior",
        description: "",
        open: false,
        round1: &[],
        round2: &[],
        round2_total: 4,
        error: None,
    });
    assert!(html.contains("Thank you"));
    assert!(!html.contains("<form"));
}
