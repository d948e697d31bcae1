//! Who is invited: a checked name and e-mail, one at a time or from a CSV
//! file (RFC 4180 records under a `name,email` header, with an optional
//! `again` column; every row checked before anything is created).

use ladder_core::limits;

use crate::http::error::{ApiError, ApiResult};
use crate::http::text::parse_email;

const MAX_CSV_ROWS: usize = 1_000;

pub(super) struct Candidate {
    pub(super) name: String,
    pub(super) email: String,
}

/// A candidate of a CSV file, with the line their row starts on and whether
/// its `again` column asks to invite them even if they were invited before.
pub(super) struct CsvCandidate {
    pub(super) candidate: Candidate,
    pub(super) line: usize,
    pub(super) again: bool,
}

/// An `again` cell: yes (`yes`, `y`, `true`, `1`) or no (`no`, `n`,
/// `false`, `0`, empty), in any case.
fn again_cell(text: &str) -> Option<bool> {
    match text.trim().to_lowercase().as_str() {
        "yes" | "y" | "true" | "1" => Some(true),
        "" | "no" | "n" | "false" | "0" => Some(false),
        _ => None,
    }
}

/// A trimmed, valid candidate, or a 422 naming `name_field`/`email_field`.
pub(super) fn candidate(
    name: &str,
    email: &str,
    name_field: &str,
    email_field: &str,
) -> ApiResult<Candidate> {
    let name = name.trim();
    if name.is_empty() {
        return Err(ApiError::unprocessable("give the candidate's name").field(name_field));
    }
    if let Some(problem) = limits::text_problem("the name", name, limits::CANDIDATE_NAME) {
        return Err(ApiError::unprocessable(problem).field(name_field));
    }
    let email = email.trim();
    if let Some(problem) = limits::text_problem("the e-mail address", email, limits::EMAIL) {
        return Err(ApiError::unprocessable(problem).field(email_field));
    }
    let email =
        parse_email(email).map_err(|why| ApiError::unprocessable(why).field(email_field))?;
    Ok(Candidate {
        name: name.to_string(),
        email,
    })
}

/// RFC 4180 records with the line each starts on: quoted fields may hold
/// commas, doubled quotes and line breaks; lines end in LF or CRLF.
fn csv_records(text: &str) -> Result<Vec<(usize, Vec<String>)>, String> {
    let mut records = Vec::new();
    let mut record = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut line = 1;
    let mut start = 1;
    let mut chars = text.trim_start_matches('\u{feff}').chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\0' {
            return Err(format!(
                "line {line}: a NUL character (U+0000) is not text; remove it (a file saved as UTF-16 is full of them: save it as UTF-8)"
            ));
        }
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => quoted = false,
                other => {
                    if other == '\n' {
                        line += 1;
                    }
                    field.push(other);
                }
            }
            continue;
        }
        match c {
            '"' if field.trim().is_empty() => {
                field.clear();
                quoted = true;
            }
            ',' => record.push(std::mem::take(&mut field)),
            '\r' if chars.peek() == Some(&'\n') => {}
            '\r' | '\n' => {
                record.push(std::mem::take(&mut field));
                records.push((start, std::mem::take(&mut record)));
                line += 1;
                start = line;
            }
            other => field.push(other),
        }
    }
    if quoted {
        return Err(format!(
            "the quoted field that starts on line {start} is never closed"
        ));
    }
    if !field.is_empty() || !record.is_empty() {
        record.push(field);
        records.push((start, record));
    }
    Ok(records)
}

/// Candidates from a `name,email` CSV file (or `candidate_name,
/// candidate_email`), with an optional `again` column; every row is checked
/// before anything is created.
pub(super) fn csv_candidates(text: &str) -> ApiResult<Vec<CsvCandidate>> {
    let records = csv_records(text).map_err(ApiError::unprocessable)?;
    let mut rows = records
        .into_iter()
        .filter(|(_, fields)| fields.iter().any(|f| !f.trim().is_empty()));
    let header_problem = || {
        ApiError::unprocessable(
            "the first line must be the header name,email (or candidate_name,candidate_email)",
        )
        .field("header")
    };
    let (_, header) = rows.next().ok_or_else(header_problem)?;
    let column = |names: &[&str]| {
        header
            .iter()
            .position(|h| names.contains(&h.trim().to_lowercase().as_str()))
    };
    let (Some(name_at), Some(email_at)) = (
        column(&["name", "candidate_name"]),
        column(&["email", "candidate_email"]),
    ) else {
        return Err(header_problem());
    };
    let again_at = column(&["again"]);
    let mut candidates = Vec::new();
    // Every row is checked; all problems are reported together, by line.
    let mut problems: Vec<ApiError> = Vec::new();
    for (index, (line, fields)) in rows.enumerate() {
        if index >= MAX_CSV_ROWS {
            return Err(ApiError::unprocessable(format!(
                "at most {MAX_CSV_ROWS} candidates per file"
            ))
            .field("rows"));
        }
        let get = |at: usize| fields.get(at).map(String::as_str).unwrap_or("");
        let again = match again_at.map(get) {
            None => Some(false),
            Some(cell) => again_cell(cell),
        };
        let found = candidate(
            get(name_at),
            get(email_at),
            &format!("rows[{index}].name"),
            &format!("rows[{index}].email"),
        );
        match (found, again) {
            (Ok(candidate), Some(again)) => candidates.push(CsvCandidate {
                candidate,
                line,
                again,
            }),
            (Err(mut error), _) => {
                error.message = format!("line {line}: {}", error.message);
                problems.push(error);
            }
            (Ok(_), None) => problems.push(
                ApiError::unprocessable(format!(
                    "line {line}: the again column says yes or no (or is empty), not “{}”",
                    get(again_at.unwrap_or(usize::MAX)).trim()
                ))
                .field(format!("rows[{index}].again")),
            ),
        }
    }
    if let Some(first) = problems.first() {
        let lines: Vec<&str> = problems.iter().map(|p| p.message.as_str()).collect();
        let message = if problems.len() == 1 {
            first.message.clone()
        } else {
            format!(
                "{} rows have problems; nothing was created: {}",
                problems.len(),
                lines.join("; ")
            )
        };
        return Err(ApiError::unprocessable(message).field(first.field.clone().unwrap_or_default()));
    }
    if candidates.is_empty() {
        return Err(ApiError::unprocessable("the file has no candidates").field("rows"));
    }
    Ok(candidates)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_reads_quotes_crlf_and_blank_lines() {
        let records = csv_records(
            "\u{feff}name,email\r\n\"Doe, Jane\",jane@example.com\r\n\"Say \"\"hi\"\"\",\"a\nb@example.com\"\r\n\r\n\n",
        )
        .expect("parses");
        assert_eq!(records[0], (1, vec!["name".into(), "email".into()]));
        assert_eq!(records[1].1, vec!["Doe, Jane", "jane@example.com"]);
        assert_eq!(records[2].1, vec!["Say \"hi\"", "a\nb@example.com"]);
        assert!(csv_records("name,email\n\"open,x\n").is_err());
        let nul = csv_records("name,email\nA,a@example.com\n\"B\nB\0\",b@example.com\n")
            .expect_err("NUL");
        assert!(nul.starts_with("line 4: a NUL character (U+0000)"), "{nul}");
    }

    #[test]
    fn csv_candidates_are_all_checked_first() {
        let ok = csv_candidates(
            "candidate_name,candidate_email\nA,a@example.com\n\nB,b@example.com\n\n",
        )
        .expect("valid");
        assert_eq!(ok.len(), 2);
        assert_eq!((ok[1].line, ok[1].again), (4, false));
        let again = csv_candidates("name,email,Again\nA,a@example.com,Yes\nB,b@example.com,\n")
            .expect("valid");
        assert_eq!(
            again.iter().map(|c| c.again).collect::<Vec<_>>(),
            [true, false]
        );
        let unclear = csv_candidates("name,email,again\nA,a@example.com,maybe\n")
            .err()
            .expect("invalid");
        assert_eq!(unclear.field.as_deref(), Some("rows[0].again"));
        assert!(unclear.message.contains("“maybe”"), "{}", unclear.message);
        let bad = csv_candidates("name,email\nA,a@example.com\nB,not-an-email\n")
            .err()
            .expect("invalid");
        assert_eq!(bad.field.as_deref(), Some("rows[1].email"));
        let header = csv_candidates("who,where\nA,a@example.com\n")
            .err()
            .expect("invalid");
        assert_eq!(header.field.as_deref(), Some("header"));
    }
}
