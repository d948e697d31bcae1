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

fn prompt(number: u32, answer: Option<&str>) -> CandidatePromptItem {
    CandidatePromptItem {
        id: format!("p{number}"),
        number,
        text: format!("Prompt <{number}>"),
        answer: answer.map(str::to_string),
        audio_url: None,
    }
}

#[test]
fn shows_answered_prompts_and_only_the_next_one() {
    let round1 = [CandidateQuestionItem {
        id: "q1".into(),
        text: "Why <us>?".into(),
        answer: None,
        audio_url: None,
    }];
    let round2 = [prompt(1, Some("done")), prompt(2, None)];
    let error = CandidateFormError {
        round: 2,
        item_id: "p4".into(),
        message: "answer prompt 2 first".into(),
        text: "my <draft>".into(),
    };
    let html = candidate_page(&CandidatePageView {
        base_path: "/candidate/abc",
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
    // A recorder per open form, hidden until the script finds a microphone API.
    assert_eq!(
        html.matches("class=\"recorder\" hidden data-upload=\"/api/v1/candidate/abc/audio\"")
            .count(),
        2,
        "{html}"
    );
    assert_eq!(html.matches("name=\"audio_id\"").count(), 2);
}

#[test]
fn a_closed_interview_is_thanked() {
    let html = candidate_page(&CandidatePageView {
        base_path: "/candidate/abc",
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
