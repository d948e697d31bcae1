//! Seeds: what an item is built from — framework behaviours, the clauses of a
//! competency's definition, sentences of the job description, the title.

use std::collections::BTreeSet;

use super::phrases::{base_form, clean_phrase, lower_first, lower_name, to_action, VERBS};
use super::rank::{bm25, rank_criteria, tokens};
use super::understand::{understand, Understood};
use super::Context;
use crate::framework::Criterion;
use crate::jobspec::{competency_id_from_name, Competency};
use crate::text::collapse_whitespace;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    /// A base-form verb phrase: "design schemas spanning several tables".
    Action,
    /// A noun phrase: "consensus, ordering guarantees, and idempotent design patterns".
    Topic,
    /// A sentence of the job description, quoted as written.
    Quote,
    /// The role itself: "the Senior Backend Engineer role".
    Title,
}

#[derive(Debug, Clone)]
pub(super) struct Seed {
    pub(super) kind: Kind,
    pub(super) phrase: String,
    pub(super) grounding: Vec<String>,
    /// The framework criterion this seed is, if any.
    pub(super) criterion: Option<String>,
    /// What the role needs this for, from the competency's definition: a
    /// behaviour is asked about in the setting of the role ("Suppose you were
    /// asked to build double-entry accounting models. How would you …?").
    pub(super) setting: Option<(Kind, String)>,
    /// For an action, its gerund ("designing schemas") and simple past
    /// ("designed schemas"): the forms a question and a prompt about the
    /// candidate's past need.
    pub(super) gerund: Option<String>,
    pub(super) past: Option<String>,
    /// The framework behaviour as written, which no item may paste whole.
    pub(super) source: Option<String>,
}

impl Seed {
    /// A seed with nothing but its kind, phrase and grounding.
    pub(super) fn plain(kind: Kind, phrase: String, grounding: Vec<String>) -> Seed {
        Seed {
            kind,
            phrase,
            grounding,
            criterion: None,
            setting: None,
            gerund: None,
            past: None,
            source: None,
        }
    }

    /// The seeds a piece of framework or definition text gives once it is
    /// understood: one per action (a compound behaviour gives several), a
    /// topic for a noun phrase, none for text that cannot become good
    /// English. Long actions are cut to their core so a question does not
    /// carry a whole sentence of qualifiers.
    pub(super) fn understood(text: &str, grounding: Vec<String>) -> Vec<Seed> {
        match understand(text) {
            Understood::Actions(actions) => actions
                .into_iter()
                .map(|action| {
                    let mut seed =
                        Seed::plain(Kind::Action, core(&action.infinitive), grounding.clone());
                    seed.gerund = Some(core(&action.gerund));
                    seed.past = Some(core(&action.past));
                    seed
                })
                .collect(),
            Understood::Topic(topic) => vec![Seed::plain(Kind::Topic, topic, grounding)],
            Understood::Unusable(_) => Vec::new(),
        }
    }
}

/// The most words of an action or topic a question carries.
const CORE_WORDS: usize = 14;

/// A long phrase cut at its first clause boundary ("… so that …", "… by …")
/// when at least four words remain; short phrases as they are.
fn core(phrase: &str) -> String {
    if phrase.split_whitespace().count() <= CORE_WORDS {
        return phrase.to_string();
    }
    // Where a subordinate clause or a means starts; never a plain comma,
    // which may open an aside the verb phrase continues after.
    const BOUNDARIES: &[&str] = &[
        " so that ",
        " in order to ",
        " to ensure ",
        ", while ",
        " while ",
        ", which ",
        ", so ",
        " by ",
        " through ",
    ];
    BOUNDARIES
        .iter()
        .filter_map(|boundary| phrase.find(boundary))
        .filter(|&at| phrase[..at].split_whitespace().count() >= 4)
        .min()
        .map(|at| phrase[..at].trim_end_matches([',', ';', ':']).to_string())
        .filter(|cut| cut.split_whitespace().count() <= CORE_WORDS)
        .unwrap_or_else(|| phrase.to_string())
}

/// The id items of a competency carry: its id, or one derived from its name.
pub(super) fn competency_key(competency: &Competency) -> String {
    if competency.id.trim().is_empty() {
        competency_id_from_name(&competency.name)
    } else {
        competency.id.clone()
    }
}

pub(super) fn competency_query(competency: &Competency) -> Vec<String> {
    tokens(&format!("{} {}", competency.name, competency.definition))
}

pub(super) fn competency_seeds(
    context: &Context<'_>,
    competency: &Competency,
    units: &[Unit],
    title: &[Seed],
) -> Vec<Seed> {
    let key = competency_key(competency);
    let mut seeds = Vec::new();
    if let (Some(framework), Some(basis)) = (context.framework, &context.spec.basis) {
        let ranked = rank_criteria(framework, basis.level, competency, usize::MAX);
        for stretch in [false, true] {
            for entry in ranked.iter().filter(|entry| entry.stretch == stretch) {
                seeds.extend(behaviour_seeds(entry.criterion));
            }
        }
    }
    let from_framework = !seeds.is_empty();
    let (role, general) = definition_parts(&competency.definition, &format!("definition:{key}"));
    attach_settings(&mut seeds, if role.is_empty() { &general } else { &role });
    seeds.extend(role);
    seeds.extend(general);
    if !from_framework {
        let query = competency_query(competency);
        let documents: Vec<Vec<String>> = units.iter().map(|unit| unit.tokens.clone()).collect();
        let mut relevant: Vec<(usize, f64)> = bm25(&documents, &documents, &query)
            .into_iter()
            .enumerate()
            .filter(|(_, score)| *score > 0.0)
            .collect();
        relevant.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        seeds.extend(
            relevant
                .iter()
                .take(3)
                .map(|(index, _)| units[*index].seed.clone()),
        );
    }
    if seeds.is_empty() {
        let name = clean_phrase(&competency.name);
        if !name.is_empty() {
            seeds.push(Seed::plain(
                Kind::Topic,
                lower_name(&name),
                vec![format!("definition:{key}")],
            ));
        }
    }
    if seeds.is_empty() {
        seeds.extend(title.iter().cloned());
    }
    seeds
}

/// Gives each behaviour a setting from the definition, so the question asks
/// for the framework's behaviour in the role's own situation: the clause
/// used least so far; among those, the one sharing most words with the
/// behaviour; then the earlier. `settings` are the role clauses when the
/// definition has any.
fn attach_settings(behaviours: &mut [Seed], definition: &[Seed]) {
    let definition: Vec<&Seed> = definition
        .iter()
        .filter(|seed| !seed.phrase.contains(':'))
        .collect();
    let actions: Vec<&Seed> = definition
        .iter()
        .copied()
        .filter(|seed| seed.kind == Kind::Action)
        .collect();
    let settings: Vec<&Seed> = if actions.is_empty() {
        definition
            .iter()
            .copied()
            .filter(|seed| seed.kind == Kind::Topic)
            .collect()
    } else {
        actions
    };
    if settings.is_empty() {
        return;
    }
    let setting_tokens: Vec<BTreeSet<String>> = settings
        .iter()
        .map(|seed| tokens(&seed.phrase).into_iter().collect())
        .collect();
    let mut uses = vec![0usize; settings.len()];
    for behaviour in behaviours
        .iter_mut()
        .filter(|seed| seed.kind == Kind::Action)
    {
        let words: BTreeSet<String> = tokens(&behaviour.phrase).into_iter().collect();
        let best = (0..settings.len()).max_by(|&a, &b| {
            let shared = |index: usize| setting_tokens[index].intersection(&words).count();
            uses[b]
                .cmp(&uses[a])
                .then(shared(a).cmp(&shared(b)))
                .then(b.cmp(&a))
        });
        if let Some(index) = best {
            uses[index] += 1;
            let setting = settings[index]
                .phrase
                .trim_end_matches([',', ';', ':', '.', ' '])
                .to_string();
            behaviour.setting = Some((settings[index].kind, setting));
            behaviour
                .grounding
                .extend(settings[index].grounding.iter().cloned());
        }
    }
}

fn behaviour_seeds(criterion: &Criterion) -> Vec<Seed> {
    let mut seeds = Seed::understood(&criterion.text, vec![criterion.id.clone()]);
    for seed in &mut seeds {
        seed.criterion = Some(criterion.id.clone());
        seed.source = Some(criterion.text.clone());
    }
    seeds
}

/// The definition's role clauses ("For this role: a, b, and c") as actions,
/// and its general sentences as topics (or actions when they lead with a
/// verb: "Designs relational schemas …").
fn definition_parts(definition: &str, grounding: &str) -> (Vec<Seed>, Vec<Seed>) {
    let mut role = Vec::new();
    let mut general = Vec::new();
    let grounding = || vec![grounding.to_string()];
    for sentence in split_sentences(definition) {
        let (body, is_role) = match strip_marker(&sentence) {
            Some(rest) => (rest.to_string(), true),
            None => (sentence.clone(), false),
        };
        let leads_with_verb = is_role || to_action(&body, true).1;
        let target = if is_role { &mut role } else { &mut general };
        if leads_with_verb {
            for clause in split_clauses(&body) {
                if to_action(&clause, true).1 {
                    target.extend(Seed::understood(&clause, grounding()));
                } else {
                    target.push(Seed::plain(Kind::Topic, topic_phrase(&clause), grounding()));
                }
            }
        } else {
            target.push(Seed::plain(Kind::Topic, topic_phrase(&body), grounding()));
        }
    }
    let keep = |seeds: Vec<Seed>| -> Vec<Seed> {
        seeds
            .into_iter()
            .filter(|seed| seed.phrase.split_whitespace().count() >= 2)
            .collect()
    };
    (keep(role), keep(general))
}

/// "For this role: …", "In this role, …", "At Level 3: …" → the rest.
fn strip_marker(sentence: &str) -> Option<&str> {
    let lower = sentence.to_lowercase();
    for prefix in [
        "for this role,",
        "in this role,",
        "for this position,",
        "in this position,",
    ] {
        if lower.starts_with(prefix) {
            return sentence.get(prefix.len()..).map(str::trim);
        }
    }
    let colon = sentence.find(':')?;
    let head = lower.get(..colon)?;
    let short = head.split_whitespace().count() <= 6;
    let marker = ["for ", "in ", "at ", "as ", "on "]
        .iter()
        .any(|p| head.starts_with(p));
    if short && marker {
        sentence
            .get(colon + 1..)
            .map(str::trim)
            .filter(|rest| !rest.is_empty())
    } else {
        None
    }
}

/// Splits a list of clauses: on semicolons when there are any, otherwise on
/// commas wherever the next piece starts with a verb in the same form as the
/// first clause's ("build X, design Y, and optimise Z"); other pieces stay
/// with the clause before them ("understand settlement flows, reconciliation
/// mechanics, and compliance requirements").
fn split_clauses(text: &str) -> Vec<String> {
    let strip_conjunction = |piece: &str| -> String {
        let trimmed = piece.trim();
        for conjunction in ["and ", "or ", "and/or "] {
            if trimmed.len() > conjunction.len()
                && trimmed
                    .get(..conjunction.len())
                    .is_some_and(|head| head.eq_ignore_ascii_case(conjunction))
            {
                return trimmed
                    .get(conjunction.len()..)
                    .unwrap_or(trimmed)
                    .trim()
                    .to_string();
            }
        }
        trimmed.to_string()
    };
    if text.contains(';') {
        return text
            .split(';')
            .map(strip_conjunction)
            .filter(|clause| !clause.is_empty())
            .collect();
    }
    let pieces: Vec<&str> = text.split(',').collect();
    let lead = pieces
        .first()
        .and_then(|piece| first_word(piece))
        .unwrap_or_default();
    let third_person = base_form(&lead) != lead;
    let mut clauses: Vec<String> = Vec::new();
    for piece in pieces {
        let stripped = strip_conjunction(piece);
        let word = first_word(&stripped).unwrap_or_default();
        let base = base_form(&word);
        let starts_clause = VERBS.contains(&base.as_str()) && ((base != word) == third_person);
        match clauses.last_mut() {
            Some(last) if !starts_clause => {
                last.push(',');
                last.push_str(piece);
            }
            _ if stripped.is_empty() => {}
            _ => clauses.push(stripped),
        }
    }
    clauses
        .into_iter()
        .map(|clause| clean_phrase(&clause))
        .filter(|clause| !clause.is_empty())
        .collect()
}

fn first_word(text: &str) -> Option<String> {
    text.split_whitespace().next().map(|word| {
        word.trim_matches(|c: char| !c.is_alphanumeric() && c != '-')
            .to_lowercase()
    })
}

/// A general definition sentence as a noun phrase, without the qualifiers
/// that would read badly inside a template: "Deep understanding of consensus"
/// → "consensus".
fn topic_phrase(text: &str) -> String {
    const QUALIFIERS: &[&str] = &[
        "a ",
        "an ",
        "the ",
        "deep ",
        "strong ",
        "solid ",
        "proven ",
        "excellent ",
        "good ",
        "working ",
        "hands-on ",
        "expert-level ",
        "expert ",
        "practical ",
        "demonstrated ",
        "broad ",
        "in-depth ",
        "thorough ",
        "understanding of ",
        "knowledge of ",
        "experience with ",
        "experience in ",
        "experience of ",
        "expertise in ",
        "expertise with ",
        "familiarity with ",
        "command of ",
        "mastery of ",
        "grasp of ",
        "fluency in ",
        "fluency with ",
    ];
    let mut phrase = clean_phrase(text);
    loop {
        let lower = phrase.to_lowercase();
        let Some(qualifier) = QUALIFIERS
            .iter()
            .find(|q| lower.starts_with(**q) && lower.len() > q.len())
        else {
            break;
        };
        phrase = phrase
            .get(qualifier.len()..)
            .unwrap_or_default()
            .trim()
            .to_string();
    }
    lower_first(&phrase)
}

/// "Senior Backend Engineer" → "the Senior Backend Engineer role".
pub(super) fn title_seeds(title: &str) -> Vec<Seed> {
    let title = clean_phrase(title);
    let phrase = if title.is_empty() {
        "this role".to_string()
    } else {
        format!("the {title} role")
    };
    vec![Seed::plain(Kind::Title, phrase, vec!["title".to_string()])]
}

/// A sentence of the job description, as an action when it says what the
/// person will do ("You will design and build services …") and as a quote
/// otherwise.
#[derive(Debug, Clone)]
pub(super) struct Unit {
    pub(super) seed: Seed,
    tokens: Vec<String>,
}

pub(super) fn description_units(description: &str) -> Vec<Unit> {
    const LEADS: &[&str] = &[
        "you will ",
        "you'll ",
        "you’ll ",
        "you would ",
        "you'd ",
        "you’d ",
        "we need someone to ",
        "we're looking for someone to ",
        "we’re looking for someone to ",
        "we are looking for someone to ",
        "help us ",
        "responsible for ",
        "to ",
    ];
    let mut units = Vec::new();
    for sentence in split_sentences(description) {
        let tokens = tokens(&sentence);
        let words = sentence.split_whitespace().count();
        if tokens.len() < 3 || words > 40 || sentence.ends_with(':') {
            continue;
        }
        let mut body = sentence.as_str();
        let lower = sentence.to_lowercase();
        if let Some(lead) = LEADS.iter().find(|lead| lower.starts_with(**lead)) {
            body = sentence.get(lead.len()..).unwrap_or(body);
        }
        let word = first_word(body).unwrap_or_default();
        let base = base_form(&word);
        let is_action = VERBS.contains(&base.as_str())
            && !matches!(base.as_str(), "be" | "have" | "do" | "get");
        let action = if is_action {
            Seed::understood(body, vec!["description".to_string()])
                .into_iter()
                .find(|seed| seed.kind == Kind::Action)
        } else {
            None
        };
        let seed = action.unwrap_or_else(|| {
            Seed::plain(
                Kind::Quote,
                clean_phrase(&sentence),
                vec!["description".to_string()],
            )
        });
        units.push(Unit { seed, tokens });
    }
    units
}

/// Lines, then sentences; list markers and Markdown heading marks removed.
fn split_sentences(text: &str) -> Vec<String> {
    const ABBREVIATIONS: &[&str] = &[
        "e.g", "i.e", "etc", "vs", "approx", "incl", "cf", "mr", "mrs", "ms", "dr", "no",
    ];
    let mut out = Vec::new();
    // Paragraphs may wrap over several lines: join lines until a blank line or a list item.
    let mut paragraphs: Vec<String> = Vec::new();
    let mut current = String::new();
    for line in text.lines() {
        let trimmed = line.trim();
        let (item, is_item) = strip_list_marker(trimmed);
        let is_heading = trimmed.starts_with('#');
        if trimmed.is_empty() || is_item || is_heading {
            if !current.trim().is_empty() {
                paragraphs.push(std::mem::take(&mut current));
            }
            current.clear();
            if is_heading {
                continue;
            }
        }
        current.push(' ');
        current.push_str(if is_item { item } else { trimmed });
    }
    if !current.trim().is_empty() {
        paragraphs.push(current);
    }
    for paragraph in paragraphs {
        let paragraph = collapse_whitespace(&paragraph);
        let chars: Vec<(usize, char)> = paragraph.char_indices().collect();
        let mut start = 0;
        for (position, &(index, c)) in chars.iter().enumerate() {
            if !matches!(c, '.' | '!' | '?') {
                continue;
            }
            let at_end = position + 1 == chars.len();
            let before_space = chars
                .get(position + 1)
                .is_some_and(|(_, next)| next.is_whitespace());
            if !(at_end || before_space) {
                continue;
            }
            let sentence = paragraph.get(start..index).unwrap_or_default();
            let last_word = sentence
                .rsplit(' ')
                .next()
                .unwrap_or_default()
                .to_lowercase();
            if ABBREVIATIONS.contains(&last_word.as_str()) {
                continue;
            }
            let end = index + c.len_utf8();
            push_sentence(&mut out, paragraph.get(start..end).unwrap_or_default());
            start = end;
        }
        push_sentence(&mut out, paragraph.get(start..).unwrap_or_default());
    }
    out
}

fn push_sentence(out: &mut Vec<String>, sentence: &str) {
    let sentence = sentence.trim();
    if !sentence.is_empty() {
        out.push(sentence.to_string());
    }
}

/// "- text", "* text", "• text", "1. text", "2) text" → ("text", true).
fn strip_list_marker(line: &str) -> (&str, bool) {
    for marker in ["- ", "* ", "• ", "+ "] {
        if let Some(rest) = line.strip_prefix(marker) {
            return (rest.trim(), true);
        }
    }
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    if digits > 0 && digits <= 3 {
        if let Some(rest) = line
            .get(digits..)
            .and_then(|rest| rest.strip_prefix(". ").or_else(|| rest.strip_prefix(") ")))
        {
            return (rest.trim(), true);
        }
    }
    (line, false)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::fixtures::spec;

    fn definition_seeds(definition: &str, grounding: &str) -> Vec<Seed> {
        let (mut role, general) = definition_parts(definition, grounding);
        role.extend(general);
        role
    }

    #[test]
    fn definitions_split_into_role_clauses_and_topics() {
        let spec = spec();
        let phrases = |definition: &str| -> Vec<(Kind, String)> {
            definition_seeds(definition, "definition:x")
                .into_iter()
                .map(|seed| (seed.kind, seed.phrase))
                .collect()
        };
        assert_eq!(
            phrases(&spec.competencies[0].definition),
            [
                (
                    Kind::Action,
                    "architect payment state machines where every transition is recoverable"
                        .to_string()
                ),
                (
                    Kind::Action,
                    "handle retry logic without double-charging".to_string()
                ),
                (
                    Kind::Action,
                    "reason about exactly-once delivery semantics across Kafka and Postgres"
                        .to_string()
                ),
                (
                    Kind::Topic,
                    "consensus, ordering guarantees, and idempotent design patterns".to_string()
                ),
            ]
        );
        assert_eq!(
            phrases(&spec.competencies[3].definition),
            [
                (Kind::Action, "understand settlement flows, reconciliation mechanics, and compliance requirements well enough to navigate tradeoffs with risk and product teams".to_string()),
                (Kind::Topic, "payment rails (cards, ACH, wire transfers) and financial ledger systems".to_string()),
            ]
        );
        // A definition proposed from a framework level, and one led by a third-person verb.
        assert_eq!(
            phrases("At Level 3: Designs schemas with constraints; Writes technical designs that address throughput, latency and failure modes."),
            [(Kind::Action, "design schemas with constraints".to_string()), (Kind::Action, "write technical designs that address throughput, latency and failure modes".to_string())]
        );
        assert_eq!(
            phrases("Reasons carefully about partial failure, retries, ordering and duplicate delivery, and designs systems that stay correct."),
            [(Kind::Action, "reason carefully about partial failure, retries, ordering and duplicate delivery".to_string()), (Kind::Action, "design systems that stay correct".to_string())]
        );
    }
}
