//! Recorded answers over real HTTP on every backend: uploads checked for size
//! and type (declared and actual), stored whole in the blob directory,
//! retried safely, sent with an answer of the same interview only, played
//! back to the people who may read the interview and to the candidate; and
//! speech-to-text against a local server speaking the OpenAI wire format,
//! including one that fails and one that never answers.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::common::ids;
use crate::common::{client, staff, Api, TestApp};
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode as AxumStatus};
use axum::response::{IntoResponse, Response};
use axum::Router;
use ladder_core::access::Role;
use ladder_server::clients::stt::SttConfig;
use ladder_server::ServerConfig;
use ladder_store::testing::TestDatabase;
use reqwest::StatusCode;
use serde_json::{json, Value};

fn seed_spec() -> Value {
    json!({
        "title": "Senior Backend Engineer — Payments Platform",
        "seniority": "senior",
        "description": "Own the services that move money.",
        "framework": {"slug": "engineering-backend", "level": 4},
        "competencies": [
            {"name": "Distributed Systems Rigor", "weight": 0.5, "definition": "Consensus and idempotent design."},
            {"name": "Payments Domain Expertise", "weight": 0.5, "definition": "Rails."}
        ],
        "must_haves": [{"text": "Strong SQL and schema design on PostgreSQL", "required": true}]
    })
}

/// A published spec's id and Round 01 item ids.
async fn published_spec(api: &Api<'_>) -> (String, Vec<String>) {
    let (status, spec) = api.post("/api/v1/job-specs", seed_spec()).await;
    assert_eq!(status, StatusCode::CREATED, "{spec}");
    let id = spec["id"].as_str().expect("id").to_string();
    let (status, published) = api
        .post(&format!("/api/v1/job-specs/{id}/publish"), json!({}))
        .await;
    assert_eq!(status, StatusCode::OK, "{published}");
    (id, ids(&published["round1"]))
}

/// (interview id, candidate token)
async fn invite(api: &Api<'_>, spec: &str, email: &str, interviewers: &[&str]) -> (String, String) {
    let (status, invited) = api
        .post(
            &format!("/api/v1/job-specs/{spec}/interviews"),
            json!({"candidate_name": email, "candidate_email": email, "interviewers": interviewers}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{invited}");
    (
        invited["interview"]["id"].as_str().expect("id").to_string(),
        invited["candidate_token"]
            .as_str()
            .expect("token")
            .to_string(),
    )
}

/// A WebM file as far as its magic bytes go, with a recognisable payload.
fn webm(marker: &str) -> Vec<u8> {
    let mut bytes = vec![0x1A, 0x45, 0xDF, 0xA3, 0x9F, 0x42, 0x86, 0x81];
    bytes.extend_from_slice(marker.as_bytes());
    bytes
}

struct Upload {
    status: StatusCode,
    body: Value,
}

async fn upload(
    app: &TestApp,
    token: &str,
    content_type: Option<&str>,
    bytes: Vec<u8>,
    key: Option<&str>,
) -> Upload {
    let mut request = client()
        .post(app.url(&format!("/api/v1/candidate/{token}/audio")))
        .body(bytes);
    if let Some(content_type) = content_type {
        request = request.header("content-type", content_type);
    }
    if let Some(key) = key {
        request = request.header("idempotency-key", key);
    }
    let response = request.send().await.expect("upload");
    Upload {
        status: response.status(),
        body: response.json().await.unwrap_or(Value::Null),
    }
}

async fn get_bytes(
    app: &TestApp,
    path: &str,
    token: Option<&str>,
) -> (StatusCode, String, Vec<u8>) {
    let mut request = client().get(app.url(path));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.expect("get");
    let status = response.status();
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    (
        status,
        content_type,
        response.bytes().await.expect("bytes").to_vec(),
    )
}

fn blob_files(app: &TestApp) -> Vec<String> {
    let dir = app.blob_dir.as_ref().expect("blob dir");
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

async fn recordings_are_checked_stored_and_served_to_whoever_may_read(database: TestDatabase) {
    let config = ServerConfig {
        audio: ladder_server::AudioConfig {
            max_bytes: 64 * 1024,
            ..Default::default()
        },
        ..ServerConfig::default()
    };
    let app = TestApp::spawn_with(database, config).await;
    let label = app.label;
    let (_, manager_token) = staff(&app, "hm@example.com", Role::HiringManager).await;
    let (assigned, assigned_token) = staff(&app, "iv1@example.com", Role::Interviewer).await;
    let (_, other_token) = staff(&app, "iv2@example.com", Role::Interviewer).await;
    let (_, member_token) = staff(&app, "m@example.com", Role::Member).await;
    let hm = Api {
        app: &app,
        token: manager_token.clone(),
        http: client(),
    };
    let (spec, round1) = published_spec(&hm).await;
    let (ada, ada_token) = invite(&hm, &spec, "ada@example.com", &[&assigned.id]).await;
    let (grace, grace_token) = invite(&hm, &spec, "grace@example.com", &[]).await;

    // A good recording, retried with the same key: one row, one blob.
    let bytes = webm("ADA-RECORDING");
    let first = upload(
        &app,
        &ada_token,
        Some("audio/webm;codecs=opus"),
        bytes.clone(),
        Some("rec-1"),
    )
    .await;
    assert_eq!(
        first.status,
        StatusCode::CREATED,
        "[{label}] {}",
        first.body
    );
    let audio_id = first.body["audio_id"]
        .as_str()
        .expect("audio id")
        .to_string();
    assert_eq!(first.body["content_type"], "audio/webm");
    assert_eq!(first.body["size"], bytes.len());
    assert_eq!(
        first.body["transcript"],
        Value::Null,
        "no speech-to-text configured"
    );
    let again = upload(
        &app,
        &ada_token,
        Some("audio/webm;codecs=opus"),
        bytes.clone(),
        Some("rec-1"),
    )
    .await;
    assert_eq!(again.status, StatusCode::CREATED);
    assert_eq!(again.body["audio_id"], first.body["audio_id"]);
    assert_eq!(
        app.store.interview_audio(&ada).await.expect("audio").len(),
        1
    );
    assert_eq!(
        blob_files(&app),
        vec![format!("{audio_id}.webm")],
        "[{label}] one whole blob, no temporary files"
    );
    let stored = std::fs::read(
        app.blob_dir
            .as_ref()
            .expect("dir")
            .join(format!("{audio_id}.webm")),
    )
    .expect("blob");
    assert_eq!(stored, bytes);

    // Refused: wrong declared type, bytes that are not the declared type,
    // no type, an empty body, and over the limit (with and without a key).
    let video = upload(&app, &ada_token, Some("video/mp4"), bytes.clone(), None).await;
    assert_eq!(
        video.status,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "{}",
        video.body
    );
    let message = video.body["error"]["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("\"video/mp4\"")
            && message.contains("audio/webm, audio/ogg, audio/mp4, audio/mpeg, audio/wav"),
        "{message}"
    );
    assert_eq!(video.body["error"]["field"], "Content-Type");
    let lying = upload(&app, &ada_token, Some("audio/ogg"), bytes.clone(), None).await;
    assert_eq!(lying.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert!(
        lying.body["error"]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("declared as audio/ogg but its bytes are audio/webm"),
        "{}",
        lying.body
    );
    let html = upload(
        &app,
        &ada_token,
        Some("audio/wav"),
        b"<html>not audio</html>".to_vec(),
        Some("rec-html"),
    )
    .await;
    assert_eq!(html.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert!(
        html.body["error"]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("3C 68 74 6D"),
        "{}",
        html.body
    );
    let untyped = upload(&app, &ada_token, None, bytes.clone(), None).await;
    assert_eq!(untyped.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let empty = upload(&app, &ada_token, Some("audio/webm"), Vec::new(), None).await;
    assert_eq!(
        empty.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        empty.body
    );
    let mut big = webm("BIG");
    big.resize(64 * 1024 + 1, 0);
    for key in [None, Some("rec-big")] {
        let over = upload(&app, &ada_token, Some("audio/webm"), big.clone(), key).await;
        assert_eq!(
            over.status,
            StatusCode::PAYLOAD_TOO_LARGE,
            "{key:?} {}",
            over.body
        );
        let message = over.body["error"]["message"].as_str().unwrap_or_default();
        assert!(message.contains("at most 64 KiB"), "{key:?}: {message}");
        assert!(message.contains("65537 bytes"), "{key:?}: {message}");
    }
    assert_eq!(
        app.store.interview_audio(&ada).await.expect("audio").len(),
        1,
        "refused uploads store nothing"
    );
    assert_eq!(blob_files(&app).len(), 1);

    // Grace records too; her recording cannot go with Ada's answer.
    let grace_audio = upload(
        &app,
        &grace_token,
        Some("audio/webm"),
        webm("GRACE-RECORDING"),
        None,
    )
    .await;
    assert_eq!(grace_audio.status, StatusCode::CREATED);
    let grace_audio = grace_audio.body["audio_id"]
        .as_str()
        .expect("id")
        .to_string();
    let candidate = Api {
        app: &app,
        token: String::new(),
        http: client(),
    };
    let answers = format!("/api/v1/candidate/{ada_token}/answers");
    let (status, body) = candidate
        .post(
            &answers,
            json!({"round": 1, "item_id": round1[0], "text": "", "audio_id": grace_audio}),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    assert_eq!(body["error"]["field"], "audio_id");
    // Nothing typed and nothing recorded is still refused.
    let (status, body) = candidate
        .post(
            &answers,
            json!({"round": 1, "item_id": round1[0], "text": "  "}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    // A recording alone is an answer.
    let (status, body) = candidate
        .post(
            &answers,
            json!({"round": 1, "item_id": round1[0], "text": "", "audio_id": audio_id}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "[{label}] {body}");
    assert_eq!(body["answer"]["audio_id"], audio_id.as_str());
    assert_eq!(body["answer"]["text"], "");
    // The same recording cannot answer a second question.
    let (status, body) = candidate
        .post(
            &answers,
            json!({"round": 1, "item_id": round1[1], "text": "typed", "audio_id": audio_id}),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(body["error"]["field"], "audio_id");

    // Who hears it.
    let path = format!("/api/v1/interviews/{ada}/audio/{audio_id}");
    for (who, token, expected) in [
        (
            "assigned interviewer",
            Some(assigned_token.as_str()),
            StatusCode::OK,
        ),
        (
            "hiring manager",
            Some(manager_token.as_str()),
            StatusCode::OK,
        ),
        (
            "unassigned interviewer",
            Some(other_token.as_str()),
            StatusCode::FORBIDDEN,
        ),
        ("member", Some(member_token.as_str()), StatusCode::FORBIDDEN),
        ("anonymous", None, StatusCode::UNAUTHORIZED),
    ] {
        let (status, content_type, body) = get_bytes(&app, &path, token).await;
        assert_eq!(status, expected, "[{label}] {who}");
        if expected == StatusCode::OK {
            assert_eq!(content_type, "audio/webm", "{who}");
            assert_eq!(body, bytes, "{who}");
        } else {
            assert!(
                !String::from_utf8_lossy(&body).contains("ADA-RECORDING"),
                "{who}"
            );
        }
    }
    // Through another interview's path, it does not exist.
    let (status, _, body) = get_bytes(
        &app,
        &format!("/api/v1/interviews/{grace}/audio/{audio_id}"),
        Some(&manager_token),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(!String::from_utf8_lossy(&body).contains("ADA-RECORDING"));
    // The candidate plays back their own, not another's.
    let (status, _, body) = get_bytes(
        &app,
        &format!("/api/v1/candidate/{ada_token}/audio/{audio_id}"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, bytes);
    let (status, _, body) = get_bytes(
        &app,
        &format!("/api/v1/candidate/{grace_token}/audio/{audio_id}"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(!String::from_utf8_lossy(&body).contains("ADA-RECORDING"));

    // The interview's detail lists the recording with its address.
    let (status, detail) = Api {
        app: &app,
        token: assigned_token.clone(),
        http: client(),
    }
    .get(&format!("/api/v1/interviews/{ada}"))
    .await;
    assert_eq!(status, StatusCode::OK, "{detail}");
    assert_eq!(detail["recordings"][0]["url"], path.as_str());
    assert_eq!(
        detail["recordings"][0]["sha256"],
        ladder_core::text::sha256_hex(&bytes).as_str()
    );
    assert_eq!(detail["answers"][0]["audio_id"], audio_id.as_str());
    // The candidate's view names it with the answer.
    let (_, view) = candidate
        .get(&format!("/api/v1/candidate/{ada_token}"))
        .await;
    assert_eq!(view["round1"][0]["audio_id"], audio_id.as_str());

    // Once finished, nothing more is recorded.
    let (status, _) = candidate
        .post(&format!("/api/v1/candidate/{ada_token}/finish"), json!({}))
        .await;
    assert_eq!(status, StatusCode::OK);
    let late = upload(&app, &ada_token, Some("audio/webm"), webm("LATE"), None).await;
    assert_eq!(late.status, StatusCode::CONFLICT, "{}", late.body);
    assert_eq!(
        app.store.verify().await.expect("verify"),
        Vec::<String>::new(),
        "[{label}]"
    );
    app.stop().await;
}

on_each_database!(recordings_are_checked_stored_and_served_to_whoever_may_read);

#[tokio::test]
async fn pages_offer_the_recorder_and_play_recordings_back() {
    let app = TestApp::spawn(TestDatabase::sqlite()).await;
    let (_, manager_token) = staff(&app, "hm-token@example.com", Role::HiringManager).await;
    let hm = Api {
        app: &app,
        token: manager_token,
        http: client(),
    };
    let (spec, round1) = published_spec(&hm).await;
    let (ada, ada_token) = invite(&hm, &spec, "ada@example.com", &[]).await;
    let candidate_page = client()
        .get(app.url(&format!("/candidate/{ada_token}")))
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("html");
    assert!(
        candidate_page.contains(&format!(
            "class=\"recorder\" hidden data-upload=\"/api/v1/candidate/{ada_token}/audio\""
        )),
        "{candidate_page}"
    );
    assert!(
        candidate_page.contains(&format!(
            "<input type=\"hidden\" class=\"audio-id\" name=\"audio:1:{}\" value=\"\">",
            round1[0]
        )),
        "{candidate_page}"
    );
    let recorded = upload(
        &app,
        &ada_token,
        Some("audio/ogg"),
        b"OggS\0\x02ADA".to_vec(),
        None,
    )
    .await;
    assert_eq!(recorded.status, StatusCode::CREATED);
    let audio_id = recorded.body["audio_id"].as_str().expect("id").to_string();
    // Another interview's recording sent through the page: the form says so.
    let (_, grace_token) = invite(&hm, &spec, "grace@example.com", &[]).await;
    let theirs = upload(
        &app,
        &grace_token,
        Some("audio/ogg"),
        b"OggS\0\x02GRACE".to_vec(),
        None,
    )
    .await;
    let theirs = theirs.body["audio_id"].as_str().expect("id").to_string();
    let refused = client()
        .post(app.url(&format!("/candidate/{ada_token}/answers")))
        .form(&[
            ("round", "1"),
            ("item_id", round1[0].as_str()),
            ("text", ""),
            ("audio_id", theirs.as_str()),
        ])
        .send()
        .await
        .expect("answer")
        .text()
        .await
        .expect("html");
    assert!(
        refused.contains("class=\"error\"") && refused.contains("ecording"),
        "{refused}"
    );
    assert!(!refused.contains("Link not valid"), "{refused}");
    // The page's form posts the id the recorder filled in (no text typed),
    // under the item whose Send was pressed.
    let sent = format!("1:{}", round1[0]);
    let answered = client()
        .post(app.url(&format!("/candidate/{ada_token}/answers")))
        .form(&[
            ("send".to_string(), sent.clone()),
            (format!("text:{sent}"), String::new()),
            (format!("audio:{sent}"), audio_id.clone()),
        ])
        .send()
        .await
        .expect("answer");
    assert_eq!(answered.status(), StatusCode::SEE_OTHER);
    let candidate_page = client()
        .get(app.url(&format!("/candidate/{ada_token}")))
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("html");
    assert!(
        candidate_page.contains(&format!("<audio class=\"given-audio\" controls preload=\"none\" src=\"/api/v1/candidate/{ada_token}/audio/{audio_id}\">")),
        "{candidate_page}"
    );
    // Staff see a player next to the answer.
    let password = "a long enough password";
    app.user("hm@example.com", Role::HiringManager, password)
        .await;
    let http = client();
    let login = crate::common::log_in_to(&http, &app, "hm@example.com", password, "/").await;
    assert_eq!(login.status(), StatusCode::SEE_OTHER);
    let page = http
        .get(app.url(&format!("/interviews/{ada}")))
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("html");
    let src = format!("/api/v1/interviews/{ada}/audio/{audio_id}");
    assert!(
        page.contains(&format!(
            "<audio class=\"answer-audio\" controls preload=\"metadata\" src=\"{src}\">"
        )),
        "{page}"
    );
    assert!(page.contains("Recorded answer (no transcript)."));
    // The session that renders the page can fetch the player's source.
    let audio = http.get(app.url(&src)).send().await.expect("audio");
    assert_eq!(audio.status(), StatusCode::OK);
    assert_eq!(
        audio
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("audio/ogg")
    );
    assert!(audio.bytes().await.expect("bytes").starts_with(b"OggS"));
    app.stop().await;
}

// ---------------------------------------------------------------- speech-to-text

#[derive(Clone)]
enum Reply {
    Text(&'static str),
    Status(u16),
    Hang,
}

#[derive(Default)]
struct Heard {
    content_type: String,
    authorization: String,
    body: Vec<u8>,
}

struct FakeStt {
    reply: Mutex<Reply>,
    heard: Mutex<Vec<Heard>>,
}

async fn transcriptions(
    State(fake): State<Arc<FakeStt>>,
    uri: axum::http::Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string()
    };
    fake.heard.lock().expect("lock").push(Heard {
        content_type: header("content-type"),
        authorization: header("authorization"),
        body: body.to_vec(),
    });
    if uri.path() != "/v1/audio/transcriptions" {
        return (AxumStatus::NOT_FOUND, "no such route").into_response();
    }
    let reply = fake.reply.lock().expect("lock").clone();
    match reply {
        Reply::Text(text) => axum::Json(json!({ "text": text })).into_response(),
        Reply::Status(code) => (
            AxumStatus::from_u16(code).expect("status"),
            "model overloaded",
        )
            .into_response(),
        Reply::Hang => {
            tokio::time::sleep(Duration::from_secs(30)).await;
            axum::Json(json!({ "text": "too late" })).into_response()
        }
    }
}

async fn fake_stt(reply: Reply) -> (String, Arc<FakeStt>) {
    let fake = Arc::new(FakeStt {
        reply: Mutex::new(reply),
        heard: Mutex::new(Vec::new()),
    });
    let router = Router::new()
        .fallback(transcriptions)
        .with_state(Arc::clone(&fake));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let address = listener.local_addr().expect("address");
    tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    (format!("http://{address}"), fake)
}

async fn speech_to_text_fills_empty_answers_and_its_failures_keep_the_recording(
    database: TestDatabase,
) {
    ladder_server::clients::install_crypto_provider();
    let (url, fake) = fake_stt(Reply::Text("I would make the ledger writes idempotent.")).await;
    let config = ServerConfig {
        stt: Some(SttConfig {
            url: url.clone(),
            model: "whisper-test".into(),
            api_key: Some("stt-secret".into()),
            timeout: Duration::from_millis(800),
        }),
        ..ServerConfig::default()
    };
    let app = TestApp::spawn_with(database, config).await;
    let label = app.label;
    *fake.reply.lock().expect("lock") = Reply::Text("I would make the ledger writes idempotent.");
    fake.heard.lock().expect("lock").clear();
    let (_, manager_token) = staff(&app, "hm@example.com", Role::HiringManager).await;
    let hm = Api {
        app: &app,
        token: manager_token,
        http: client(),
    };
    let (spec, round1) = published_spec(&hm).await;
    let (ada, token) = invite(&hm, &spec, "ada@example.com", &[]).await;
    let candidate = Api {
        app: &app,
        token: String::new(),
        http: client(),
    };
    let answers = format!("/api/v1/candidate/{token}/answers");

    // Transcribed: the endpoint got the file and the model.
    let bytes = webm("SPOKEN-ANSWER");
    let done = upload(
        &app,
        &token,
        Some("audio/webm;codecs=opus"),
        bytes.clone(),
        None,
    )
    .await;
    assert_eq!(done.status, StatusCode::CREATED, "[{label}] {}", done.body);
    assert_eq!(
        done.body["transcript"],
        "I would make the ledger writes idempotent."
    );
    {
        let heard = fake.heard.lock().expect("lock");
        assert_eq!(heard.len(), 1);
        let request = &heard[0];
        assert!(
            request
                .content_type
                .starts_with("multipart/form-data; boundary="),
            "{}",
            request.content_type
        );
        assert_eq!(request.authorization, "Bearer stt-secret");
        let body = String::from_utf8_lossy(&request.body);
        assert!(
            body.contains("name=\"model\"\r\n\r\nwhisper-test\r\n"),
            "{body}"
        );
        assert!(body.contains("name=\"file\"; filename=\""), "{body}");
        assert!(body.contains("Content-Type: audio/webm\r\n\r\n"), "{body}");
        assert!(
            request
                .body
                .windows(bytes.len())
                .any(|w| w == bytes.as_slice()),
            "the file's bytes"
        );
    }
    let audio_id = done.body["audio_id"].as_str().expect("id").to_string();
    // Nothing typed: the transcript is the answer; typed text wins.
    let (status, body) = candidate
        .post(
            &answers,
            json!({"round": 1, "item_id": round1[0], "audio_id": audio_id}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(
        body["answer"]["text"],
        "I would make the ledger writes idempotent."
    );
    let second = upload(&app, &token, Some("audio/webm"), webm("SECOND"), None).await;
    let second_id = second.body["audio_id"].as_str().expect("id").to_string();
    let (status, body) = candidate
        .post(&answers, json!({"round": 1, "item_id": round1[1], "text": "My own words.", "audio_id": second_id}))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["answer"]["text"], "My own words.");
    let stored = app
        .store
        .audio(&second_id)
        .await
        .expect("audio")
        .expect("stored");
    assert_eq!(
        stored.transcript.as_deref(),
        Some("I would make the ledger writes idempotent.")
    );

    // A failing endpoint and one that never answers: the recording is
    // kept, the transcript is null, and the audit log says why.
    for (reply, reason) in [(Reply::Status(503), "HTTP 503"), (Reply::Hang, "timed out")] {
        *fake.reply.lock().expect("lock") = reply;
        let started = std::time::Instant::now();
        let kept = upload(&app, &token, Some("audio/webm"), webm("KEPT"), None).await;
        assert_eq!(
            kept.status,
            StatusCode::CREATED,
            "[{label}] {reason}: {}",
            kept.body
        );
        assert_eq!(kept.body["transcript"], Value::Null);
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "{reason}: the upload waited for the endpoint"
        );
        let id = kept.body["audio_id"].as_str().expect("id").to_string();
        let stored = app
            .store
            .audio(&id)
            .await
            .expect("audio")
            .expect("row kept");
        assert_eq!(stored.transcript, None);
        assert!(
            app.blob_dir
                .as_ref()
                .expect("dir")
                .join(&stored.file_name)
                .exists(),
            "blob kept"
        );
        let audit = app.store.audit_log(50).await.expect("audit");
        let entry = audit
            .iter()
            .find(|e| e.action == "audio.transcription_failed" && e.target == id)
            .unwrap_or_else(|| panic!("[{label}] no audit entry for {reason}: {audit:?}"));
        assert!(
            entry.detail["reason"]
                .as_str()
                .unwrap_or_default()
                .contains(reason),
            "{:?}",
            entry.detail
        );
    }
    // A recording without a transcript, sent alone, is an empty answer
    // with its audio.
    let last = app.store.interview_audio(&ada).await.expect("audio");
    assert_eq!(last.len(), 4);
    app.stop().await;
}

on_each_database!(speech_to_text_fills_empty_answers_and_its_failures_keep_the_recording);

/// The default limit (10 MiB) is above the server's general body limit
/// (8 MiB): a 9 MiB recording is accepted, with or without a key, and one
/// over 10 MiB is not.
#[tokio::test]
async fn the_default_limit_is_ten_mebibytes_whatever_the_general_body_limit() {
    let app = TestApp::spawn(TestDatabase::sqlite()).await;
    let (_, manager_token) = staff(&app, "hm@example.com", Role::HiringManager).await;
    let hm = Api {
        app: &app,
        token: manager_token,
        http: client(),
    };
    let (spec, _) = published_spec(&hm).await;
    let (_, token) = invite(&hm, &spec, "ada@example.com", &[]).await;
    let mut nine = webm("NINE");
    nine.resize(9 * 1024 * 1024, 7);
    for key in [None, Some("nine")] {
        let accepted = upload(&app, &token, Some("audio/webm"), nine.clone(), key).await;
        assert_eq!(
            accepted.status,
            StatusCode::CREATED,
            "{key:?}: {}",
            accepted.body
        );
        assert_eq!(accepted.body["size"], 9 * 1024 * 1024);
    }
    let mut eleven = nine;
    eleven.resize(10 * 1024 * 1024 + 1, 7);
    let refused = upload(&app, &token, Some("audio/webm"), eleven, None).await;
    assert_eq!(refused.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(refused.body["error"]["message"]
        .as_str()
        .unwrap_or_default()
        .contains("at most 10 MiB"));
    app.stop().await;
}
