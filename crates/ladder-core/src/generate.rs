//! The offline question generator (PRODUCT.md §2): deterministic, grounded
//! interview questions (round 1) and behavioural prompts (round 2) for a job
//! spec.
//!
//! Every item is built from something the spec or its framework says, and
//! records what: the framework behaviours most relevant to a competency (BM25
//! over the criteria at the spec's basis level and the level above), else the
//! competency's definition (`definition:<id>`), else the job description
//! (`description`), else the title (`title`). The same inputs always give the
//! same items; nothing here reads the clock or draws random numbers.
//!
//! How it works:
//! 1. [`apportion`] splits `count` over the competencies in proportion to
//!    their weights (largest remainder, exact integer arithmetic).
//! 2. Each competency gets an ordered list of *seeds*: the relevant
//!    behaviours (basis level, then stretch level, by [`rank_criteria`]),
//!    each set in one of the definition's role clauses ("Suppose you were
//!    asked to <clause>. How would you <behaviour> along the way?", grounded
//!    in both), then the definition's own clauses, then — only when the
//!    framework gave nothing — the sentences of the description that share
//!    words with it.
//! 3. Items are produced round-robin over the competencies, heavier first.
//!    Each takes the competency's first seed not yet used (by this output or
//!    by an item in `avoid`) and renders it through one of several templates,
//!    each competency rotating through them from its own starting point so
//!    neighbouring items read differently. A text that already exists (case- and
//!    whitespace-insensitively) is never produced: the next template, the
//!    next seed, a reused seed with another template and finally a numbered
//!    wording ("… (variant 2)?") are tried in that order, so exactly `count`
//!    items always come back.

use std::collections::BTreeSet;

use crate::framework::{Criterion, Framework};
use crate::jobspec::{competency_id_from_name, Competency, JobSpecBody, RoundItem};
use crate::text::{collapse_whitespace, sha256_hex};

/// The generator's name; items it makes have origin `generated:grounded-bm25`.
pub const GENERATOR: &str = "grounded-bm25";

/// Which interview round to generate for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Round {
    /// Situational and technical interview questions.
    One,
    /// Behavioural prompts ("Tell me about a time you …").
    Two,
}

impl Round {
    /// The label hashed into item ids, as `ladder_formats` derives them.
    fn label(self) -> &'static str {
        match self {
            Round::One => "round1",
            Round::Two => "round2",
        }
    }
}

/// What the generator reads: the spec, and the framework named by its basis
/// (the caller resolves `spec.basis.slug`; the framework is used only when the
/// spec has a basis, at `spec.basis.level`).
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    pub spec: &'a JobSpecBody,
    pub framework: Option<&'a Framework>,
}

/// A framework behaviour with its relevance to a competency.
#[derive(Debug, Clone, PartialEq)]
pub struct RankedCriterion<'a> {
    pub criterion: &'a Criterion,
    pub topic_title: &'a str,
    pub level: u32,
    /// The behaviour is from the level above the basis level.
    pub stretch: bool,
    /// BM25 score; only meaningful for ordering.
    pub score: f64,
}

/// BM25 term-frequency saturation.
const K1: f64 = 1.2;
/// BM25 document-length normalisation.
const B: f64 = 0.75;

/// How many of `count` items each competency gets, in proportion to its
/// weight: every competency first gets the whole part of its exact quota
/// (`count × weight / total weight`), and the seats left over go to the
/// largest remainders, ties to the competency listed first. Sums to `count`
/// (for a non-empty list) and is listed in spec order. When every weight is
/// zero the competencies count equally.
pub fn apportion(competencies: &[Competency], count: usize) -> Vec<(String, usize)> {
    if competencies.is_empty() {
        return Vec::new();
    }
    let total: u128 = competencies.iter().map(|c| u128::from(c.weight.0)).sum();
    let (weights, denominator): (Vec<u128>, u128) = if total == 0 {
        (vec![1; competencies.len()], competencies.len() as u128)
    } else {
        (
            competencies
                .iter()
                .map(|c| u128::from(c.weight.0))
                .collect(),
            total,
        )
    };
    let seats_wanted = count as u128;
    let mut seats: Vec<usize> = Vec::with_capacity(competencies.len());
    let mut remainders: Vec<u128> = Vec::with_capacity(competencies.len());
    for weight in &weights {
        let quota = seats_wanted * weight;
        seats.push(usize::try_from(quota / denominator).unwrap_or(0));
        remainders.push(quota % denominator);
    }
    let left = count.saturating_sub(seats.iter().sum());
    let mut order: Vec<usize> = (0..competencies.len()).collect();
    order.sort_by(|&a, &b| remainders[b].cmp(&remainders[a]).then(a.cmp(&b)));
    for &index in order.iter().take(left) {
        seats[index] += 1;
    }
    competencies.iter().map(competency_key).zip(seats).collect()
}

/// The behaviours of `framework` at `level` and at `level + 1` (marked
/// `stretch`), ranked by BM25 relevance to the competency's name and
/// definition; behaviours that share no term with it are left out. Ties go to
/// the smaller criterion id. At most `limit` are returned.
pub fn rank_criteria<'a>(
    framework: &'a Framework,
    level: u32,
    competency: &Competency,
    limit: usize,
) -> Vec<RankedCriterion<'a>> {
    let stretch_level = level.checked_add(1);
    let behaviour_tokens = |criterion: &Criterion| {
        let mut text = criterion.text.clone();
        for example in &criterion.examples {
            text.push(' ');
            text.push_str(example);
        }
        tokens(&text)
    };
    // Term statistics come from the whole framework, so a word every level
    // uses ("design") weighs less than one few behaviours mention.
    let collection: Vec<Vec<String>> = framework
        .criteria()
        .map(|(_, _, criterion)| behaviour_tokens(criterion))
        .collect();
    let mut candidates: Vec<(&'a str, u32, bool, &'a Criterion)> = Vec::new();
    for topic in &framework.topics {
        for topic_level in &topic.levels {
            let stretch = if topic_level.number == level {
                false
            } else if Some(topic_level.number) == stretch_level {
                true
            } else {
                continue;
            };
            for criterion in &topic_level.criteria {
                candidates.push((topic.title.as_str(), topic_level.number, stretch, criterion));
            }
        }
    }
    let documents: Vec<Vec<String>> = candidates
        .iter()
        .map(|(_, _, _, criterion)| behaviour_tokens(criterion))
        .collect();
    let query = competency_query(competency);
    let scores = bm25(&collection, &documents, &query);
    let mut ranked: Vec<RankedCriterion<'a>> = candidates
        .into_iter()
        .zip(scores)
        .filter(|(_, score)| *score > 0.0)
        .map(
            |((topic_title, level, stretch, criterion), score)| RankedCriterion {
                criterion,
                topic_title,
                level,
                stretch,
                score,
            },
        )
        .collect();
    ranked.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then_with(|| a.criterion.id.cmp(&b.criterion.id))
            .then_with(|| a.level.cmp(&b.level))
            .then_with(|| a.topic_title.cmp(b.topic_title))
    });
    ranked.truncate(limit);
    ranked
}

/// `count` new items for `round`, none repeating the text of an item in
/// `avoid` (or each other), deterministic for the same inputs.
pub fn generate(
    context: &Context<'_>,
    round: Round,
    count: usize,
    avoid: &[RoundItem],
) -> Vec<RoundItem> {
    let mut out = Vec::with_capacity(count);
    if count == 0 {
        return out;
    }
    let spec = context.spec;
    let units = description_units(&spec.description);
    let title = title_seeds(&spec.title);
    let mut state = State::new(avoid);

    if spec.competencies.is_empty() {
        let mut seeds: Vec<Seed> = units
            .iter()
            .filter(|unit| unit.seed.kind == Kind::Action)
            .chain(units.iter().filter(|unit| unit.seed.kind != Kind::Action))
            .map(|unit| unit.seed.clone())
            .collect();
        seeds.extend(title);
        for position in 0..count {
            out.push(state.pick(&seeds, round, None, position));
        }
        return out;
    }

    let allocation = apportion(&spec.competencies, count);
    let plans: Vec<Vec<Seed>> = spec
        .competencies
        .iter()
        .map(|competency| competency_seeds(context, competency, &units, &title))
        .collect();
    // Heavier competencies first; equal weights keep spec order.
    let mut order: Vec<usize> = (0..spec.competencies.len()).collect();
    order.sort_by(|&a, &b| {
        spec.competencies[b]
            .weight
            .cmp(&spec.competencies[a].weight)
            .then(a.cmp(&b))
    });
    let rounds = allocation
        .iter()
        .map(|(_, seats)| *seats)
        .max()
        .unwrap_or(0);
    for turn in 0..rounds {
        for (rank, &index) in order.iter().enumerate() {
            if allocation[index].1 > turn {
                let id = competency_key(&spec.competencies[index]);
                let id = if id.is_empty() { None } else { Some(id) };
                // Each competency walks through the templates from its own
                // starting point, so neighbours and successive items differ.
                out.push(state.pick(&plans[index], round, id, turn + rank));
            }
        }
    }
    out
}

// ---------------------------------------------------------------------------
// Seeds: what an item is built from.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
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
struct Seed {
    kind: Kind,
    phrase: String,
    grounding: Vec<String>,
    /// The framework criterion this seed is, if any.
    criterion: Option<String>,
    /// What the role needs this for, from the competency's definition: a
    /// behaviour is asked about in the setting of the role ("Suppose you were
    /// asked to build double-entry accounting models. How would you …?").
    setting: Option<(Kind, String)>,
}

/// The id items of a competency carry: its id, or one derived from its name.
fn competency_key(competency: &Competency) -> String {
    if competency.id.trim().is_empty() {
        competency_id_from_name(&competency.name)
    } else {
        competency.id.clone()
    }
}

fn competency_query(competency: &Competency) -> Vec<String> {
    tokens(&format!("{} {}", competency.name, competency.definition))
}

fn competency_seeds(
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
                seeds.push(behaviour_seed(entry.criterion));
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
            seeds.push(Seed {
                kind: Kind::Topic,
                phrase: lower_name(&name),
                grounding: vec![format!("definition:{key}")],
                criterion: None,
                setting: None,
            });
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
            behaviour.setting = Some((settings[index].kind, settings[index].phrase.clone()));
            behaviour
                .grounding
                .extend(settings[index].grounding.iter().cloned());
        }
    }
}

fn behaviour_seed(criterion: &Criterion) -> Seed {
    let (phrase, verb_led) = to_action(&criterion.text, true);
    Seed {
        kind: if verb_led { Kind::Action } else { Kind::Topic },
        phrase,
        grounding: vec![criterion.id.clone()],
        criterion: Some(criterion.id.clone()),
        setting: None,
    }
}

/// The definition's role clauses ("For this role: a, b, and c") as actions,
/// and its general sentences as topics (or actions when they lead with a
/// verb: "Designs relational schemas …").
fn definition_parts(definition: &str, grounding: &str) -> (Vec<Seed>, Vec<Seed>) {
    let mut role = Vec::new();
    let mut general = Vec::new();
    for sentence in split_sentences(definition) {
        let (body, is_role) = match strip_marker(&sentence) {
            Some(rest) => (rest.to_string(), true),
            None => (sentence.clone(), false),
        };
        let leads_with_verb = is_role || to_action(&body, true).1;
        let target = if is_role { &mut role } else { &mut general };
        if leads_with_verb {
            for clause in split_clauses(&body) {
                let (phrase, verb_led) = to_action(&clause, true);
                if verb_led {
                    target.push((Kind::Action, phrase));
                } else {
                    target.push((Kind::Topic, topic_phrase(&clause)));
                }
            }
        } else {
            target.push((Kind::Topic, topic_phrase(&body)));
        }
    }
    let seeds = |parts: Vec<(Kind, String)>| -> Vec<Seed> {
        parts
            .into_iter()
            .filter(|(_, phrase)| phrase.split_whitespace().count() >= 2)
            .map(|(kind, phrase)| Seed {
                kind,
                phrase,
                grounding: vec![grounding.to_string()],
                criterion: None,
                setting: None,
            })
            .collect()
    };
    (seeds(role), seeds(general))
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
fn title_seeds(title: &str) -> Vec<Seed> {
    let title = clean_phrase(title);
    let phrase = if title.is_empty() {
        "this role".to_string()
    } else {
        format!("the {title} role")
    };
    vec![Seed {
        kind: Kind::Title,
        phrase,
        grounding: vec!["title".to_string()],
        criterion: None,
        setting: None,
    }]
}

/// A sentence of the job description, as an action when it says what the
/// person will do ("You will design and build services …") and as a quote
/// otherwise.
#[derive(Debug, Clone)]
struct Unit {
    seed: Seed,
    tokens: Vec<String>,
}

fn description_units(description: &str) -> Vec<Unit> {
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
        let seed = if is_action {
            Seed {
                kind: Kind::Action,
                phrase: to_action(body, true).0,
                grounding: vec!["description".to_string()],
                criterion: None,
                setting: None,
            }
        } else {
            Seed {
                kind: Kind::Quote,
                phrase: clean_phrase(&sentence),
                grounding: vec!["description".to_string()],
                criterion: None,
                setting: None,
            }
        };
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

// ---------------------------------------------------------------------------
// Turning behaviours into phrases a question can hold.

/// Verbs in their base form: used to tell a verb phrase from a noun phrase
/// and to split lists of clauses.
const VERBS: &[&str] = &[
    "act",
    "adapt",
    "add",
    "address",
    "adopt",
    "advocate",
    "align",
    "analyse",
    "analyze",
    "answer",
    "anticipate",
    "apply",
    "architect",
    "ask",
    "assess",
    "attract",
    "automate",
    "balance",
    "be",
    "bring",
    "build",
    "champion",
    "change",
    "choose",
    "clarify",
    "coach",
    "collaborate",
    "communicate",
    "compare",
    "complete",
    "connect",
    "contribute",
    "coordinate",
    "craft",
    "create",
    "debug",
    "decide",
    "define",
    "delegate",
    "deliver",
    "deploy",
    "design",
    "detect",
    "develop",
    "diagnose",
    "do",
    "document",
    "draft",
    "drive",
    "eliminate",
    "embed",
    "empower",
    "enable",
    "encourage",
    "ensure",
    "establish",
    "evaluate",
    "evolve",
    "explain",
    "facilitate",
    "fill",
    "find",
    "fix",
    "flag",
    "follow",
    "foster",
    "get",
    "give",
    "grow",
    "guide",
    "handle",
    "have",
    "help",
    "hire",
    "hold",
    "identify",
    "implement",
    "improve",
    "influence",
    "inspire",
    "instrument",
    "integrate",
    "investigate",
    "involve",
    "keep",
    "kick",
    "know",
    "land",
    "lead",
    "learn",
    "leave",
    "look",
    "maintain",
    "make",
    "manage",
    "measure",
    "mentor",
    "migrate",
    "model",
    "monitor",
    "move",
    "navigate",
    "negotiate",
    "notice",
    "operate",
    "optimise",
    "optimize",
    "organise",
    "organize",
    "own",
    "pair",
    "partner",
    "pick",
    "pitch",
    "plan",
    "play",
    "prevent",
    "prioritise",
    "prioritize",
    "profile",
    "promote",
    "propose",
    "protect",
    "prototype",
    "provide",
    "push",
    "raise",
    "read",
    "reason",
    "receive",
    "reconcile",
    "record",
    "recover",
    "recruit",
    "reduce",
    "refactor",
    "refine",
    "release",
    "remove",
    "reproduce",
    "resolve",
    "respond",
    "restate",
    "review",
    "rewrite",
    "run",
    "scale",
    "secure",
    "sequence",
    "set",
    "settle",
    "shape",
    "share",
    "ship",
    "simplify",
    "solve",
    "specify",
    "split",
    "spot",
    "spread",
    "standardise",
    "standardize",
    "start",
    "steer",
    "streamline",
    "suggest",
    "support",
    "sustain",
    "take",
    "teach",
    "tell",
    "test",
    "track",
    "transform",
    "translate",
    "treat",
    "triage",
    "troubleshoot",
    "tune",
    "turn",
    "understand",
    "unblock",
    "update",
    "upgrade",
    "uphold",
    "use",
    "validate",
    "verify",
    "volunteer",
    "work",
    "write",
];

/// Plural nouns that often open a definition ("Systems thinking …") and are
/// not third-person verbs.
const PLURAL_NOUNS: &[&str] = &[
    "apis",
    "basics",
    "communications",
    "customers",
    "details",
    "engineers",
    "fundamentals",
    "operations",
    "payments",
    "people",
    "processes",
    "products",
    "requirements",
    "results",
    "sales",
    "services",
    "skills",
    "standards",
    "systems",
    "teams",
    "tools",
    "users",
];

/// Words that follow a verb but rarely a plural noun: "and updates their
/// pull requests", "and drives them to a clear outcome".
const FOLLOW: &[&str] = &[
    "a", "an", "the", "their", "them", "it", "its", "up", "out", "back", "down", "off", "this",
    "these", "those", "what", "how", "his", "her", "our", "your", "each", "every", "all", "any",
];

/// The base form of a third-person verb: "designs" → "design", "applies" →
/// "apply", "fixes" → "fix", "has" → "have"; other words unchanged (lower-cased).
fn base_form(word: &str) -> String {
    let word = word.to_lowercase();
    let irregular = match word.as_str() {
        "has" => Some("have"),
        "is" => Some("be"),
        "does" => Some("do"),
        "goes" => Some("go"),
        "focuses" => Some("focus"),
        "caches" => Some("cache"),
        "biases" => Some("bias"),
        _ => None,
    };
    if let Some(base) = irregular {
        return base.to_string();
    }
    if word.len() <= 3 || !word.chars().all(|c| c.is_ascii_alphabetic() || c == '-') {
        return word;
    }
    let cut = |n: usize| word.get(..word.len() - n).unwrap_or_default().to_string();
    if word.ends_with("ies") && word.len() > 4 {
        return format!("{}y", cut(3));
    }
    if ["sses", "shes", "ches", "xes", "zzes", "oes"]
        .iter()
        .any(|suffix| word.ends_with(suffix))
    {
        return cut(2);
    }
    if word.ends_with("ss") || word.ends_with("us") || word.ends_with("is") || !word.ends_with('s')
    {
        return word;
    }
    cut(1)
}

/// A behaviour or clause as a verb phrase addressed to the candidate:
/// "Designs schemas spanning several related tables" → "design schemas
/// spanning several related tables"; "Owns up to their mistakes" → "own up
/// to your mistakes"; "Can walk a newcomer through …" → "walk a newcomer
/// through …". Also says whether the text led with a verb at all; with
/// `lenient`, a first word that looks like a third-person verb counts even
/// when it is not in the built-in list.
fn to_action(text: &str, lenient: bool) -> (String, bool) {
    let mut cleaned = clean_phrase(text);
    // "… as part of building it: observability, safe rollouts, …": the list
    // after a colon does not fit inside a question.
    if let Some(colon) = cleaned.find(':') {
        let head = clean_phrase(cleaned.get(..colon).unwrap_or_default());
        if head.split_whitespace().count() >= 3 {
            cleaned = head;
        }
    }
    let mut words: Vec<String> = cleaned
        .split(' ')
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect();
    // Dropped a modal ("will", "can", "able to"): what follows is a verb.
    let mut modal = false;
    // The text speaks about the engineer in the third person ("Can walk …",
    // "Owns up to their mistakes"), so its "they"/"their" mean the candidate.
    let mut about_engineer = false;
    loop {
        let lower: Vec<String> = words.iter().take(3).map(|w| w.to_lowercase()).collect();
        let lower: Vec<&str> = lower.iter().map(String::as_str).collect();
        let drop = match lower.as_slice() {
            ["the", "ability", "to", ..] | ["is", "able", "to", ..] | ["be", "able", "to", ..] => 3,
            ["ability", "to", ..] | ["able", "to", ..] => 2,
            ["can" | "will" | "should" | "must" | "could" | "would", _, ..] => 1,
            ["i" | "you" | "they" | "we", _, ..] => {
                words.remove(0);
                continue;
            }
            _ => 0,
        };
        if drop == 0 || words.len() <= drop {
            break;
        }
        about_engineer |= matches!(lower.first(), Some(&("can" | "is")));
        words.drain(..drop);
        modal = true;
    }
    if words.is_empty() {
        return (String::new(), false);
    }
    let verb_index =
        if words.len() > 1 && words[0].to_lowercase().ends_with("ly") && words[0].len() > 4 {
            1
        } else {
            0
        };
    let first = words[verb_index].to_lowercase();
    let base = base_form(&first);
    let looks_third_person = base != first
        && first.chars().all(|c| c.is_alphabetic() || c == '-')
        && !first.ends_with("ics")
        && !PLURAL_NOUNS.contains(&first.as_str());
    let verb_led = modal || VERBS.contains(&base.as_str()) || (lenient && looks_third_person);
    about_engineer |= verb_led && base != first;
    if verb_led {
        words[verb_index] = base;
        if verb_index == 1 {
            words[0] = words[0].to_lowercase();
        }
        for index in verb_index + 1..words.len() {
            let previous = words[index - 1].to_lowercase();
            let after_conjunction = previous == "and" || previous == "or";
            if !(after_conjunction || previous.ends_with(',')) {
                continue;
            }
            let word = words[index].to_lowercase();
            if !word.chars().all(|c| c.is_ascii_alphabetic()) {
                continue;
            }
            let base = base_form(&word);
            let Some(next) = words.get(index + 1).map(|w| w.to_lowercase()) else {
                continue;
            };
            let known = VERBS.contains(&base.as_str()) && next != "and" && next != "or";
            if base != word && (FOLLOW.contains(&next.as_str()) || (after_conjunction && known)) {
                words[index] = base;
            }
        }
    }
    let mut converted: Vec<String> = Vec::with_capacity(words.len());
    for (index, word) in words.iter().enumerate() {
        let gerund_before = index > 0 && words[index - 1].to_lowercase().ends_with("ing");
        if !about_engineer || (word.eq_ignore_ascii_case("their") && gerund_before) {
            converted.push(word.clone());
        } else {
            converted.push(second_person(word));
        }
    }
    let phrase = converted.join(" ");
    if verb_led {
        (phrase, true)
    } else {
        (lower_first(&phrase), false)
    }
}

/// "they" → "you", "their" → "your", "themselves" → "yourself", keeping
/// punctuation around the word.
fn second_person(word: &str) -> String {
    let start = word.find(|c: char| c.is_alphabetic()).unwrap_or(word.len());
    let end = word
        .rfind(|c: char| c.is_alphabetic())
        .map_or(start, |i| i + 1);
    let (Some(head), Some(core), Some(tail)) =
        (word.get(..start), word.get(start..end), word.get(end..))
    else {
        return word.to_string();
    };
    let replacement = match core.to_lowercase().replace('’', "'").as_str() {
        "they" => "you",
        "their" => "your",
        "theirs" => "yours",
        "themselves" | "themself" => "yourself",
        "they're" => "you're",
        "they've" => "you've",
        "they'll" => "you'll",
        _ => return word.to_string(),
    };
    format!("{head}{replacement}{tail}")
}

/// Whitespace collapsed, surrounding quotes and trailing punctuation removed.
fn clean_phrase(text: &str) -> String {
    let collapsed = collapse_whitespace(text);
    collapsed
        .trim_matches(|c: char| matches!(c, '"' | '“' | '”' | '\'' | '‘' | '’'))
        .trim_end_matches(|c: char| {
            matches!(c, '.' | ',' | ';' | ':' | '!' | '?') || c.is_whitespace()
        })
        .trim()
        .to_string()
}

/// Lower-cases the first letter unless the first word is an acronym or a
/// name with inner capitals ("PostgreSQL", "ACH").
fn lower_first(text: &str) -> String {
    let first = text.split_whitespace().next().unwrap_or_default();
    if first.chars().skip(1).any(char::is_uppercase) {
        return text.to_string();
    }
    let mut chars = text.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// "Distributed Systems Rigor" → "distributed systems rigor" (acronyms kept).
fn lower_name(name: &str) -> String {
    name.split(' ')
        .map(lower_first)
        .collect::<Vec<_>>()
        .join(" ")
}

// ---------------------------------------------------------------------------
// Templates.

const ONE_ACTION: &[&str] = &[
    "Walk me through how you would {p} in a system like ours.",
    "Suppose you were asked to {p} — what would you check first, and why?",
    "How would you {p}, and what trade-offs would you weigh along the way?",
    "If you joined us tomorrow and had to {p}, where would you start?",
    "What could go wrong when you {p}, and how would you guard against it?",
    "What would good look like if you had to {p} here, and how would you measure it?",
];

const TWO_ACTION: &[&str] = &[
    "Tell me about a time you had to {p}.",
    "Describe a situation where you had to {p}.",
    "Give an example of when you had to {p}, and what the outcome was.",
    "Walk me through a project where you had to {p}.",
    "Tell me about the hardest time you had to {p}, and what you would do differently now.",
    "Describe the best example from your own experience of having to {p}.",
];

const ONE_TOPIC: &[&str] = &[
    "Which aspects of {p} matter most in a system like ours, and why?",
    "Suppose you were reviewing a design that depends on {p} — what would you check first, and why?",
    "How would you put {p} into practice here, and what trade-offs would you expect?",
    "Where do teams most often go wrong with {p}, and how would you avoid that?",
];

const TWO_TOPIC: &[&str] = &[
    "Tell me about a piece of work where {p} played a central role.",
    "Describe a situation where your grasp of {p} made the difference.",
    "Give an example of when a problem with {p} taught you something.",
    "Walk me through a project where {p} shaped your decisions.",
];

const ONE_QUOTE: &[&str] = &[
    "Our job description says “{p}”. What would you want to understand first, and why?",
    "The job description mentions this: “{p}”. How would that shape your first few months here?",
    "Given this part of the role — “{p}” — where do you see the biggest risks?",
];

const TWO_QUOTE: &[&str] = &[
    "Tell me about a time you did work like this, from our job description: “{p}”.",
    "Describe a situation like the one our job description mentions — “{p}” — and how you handled it.",
    "Give an example of relevant work you have done, given that our job description says “{p}”.",
];

const ONE_TITLE: &[&str] = &[
    "What would you focus on in your first 90 days in {p}, and why?",
    "Which technical risk would you look for first in {p}, and how would you address it?",
    "Walk me through how you would get up to speed with an unfamiliar codebase in {p}.",
    "What does excellent work look like in {p}, and how would you measure it?",
    "How would you decide what not to work on in {p}?",
    "Which trade-off do you expect to make most often in {p}, and how would you approach it?",
];

const TWO_TITLE: &[&str] = &[
    "Tell me about the piece of work you are proudest of that is relevant to {p}.",
    "Describe a situation where you had to learn something quickly to do well in {p}.",
    "Give an example of when you disagreed with a technical decision, and what you did about it.",
    "Tell me about a time something you owned failed in production, and what you changed afterwards.",
    "Walk me through a project where the requirements changed late, and how you adapted.",
    "Describe a situation where you had to explain a technical trade-off to someone outside engineering.",
];

/// A behaviour ({p}) asked about in the role's situation ({s}).
const ONE_PAIRED_ACTION: &[&str] = &[
    "Suppose you were asked to {s}. How would you {p} along the way?",
    "Our team needs to {s}. Walk me through how you would {p} as part of that.",
    "If you had to {s} here, how would you {p}, and what trade-offs would you weigh?",
    "Imagine you are asked to {s}. What would it take to {p} as well, and what could go wrong?",
];

const TWO_PAIRED_ACTION: &[&str] = &[
    "Tell me about a time you had to {p}. How would that experience help you {s} here?",
    "Describe a situation where you had to {p}, and what it taught you that would matter when you {s}.",
    "Give an example of when you had to {p}. What would you do the same way if you had to {s}?",
    "Walk me through a project where you had to {p}, and how it compares with having to {s}.",
];

const ONE_PAIRED_TOPIC: &[&str] = &[
    "Thinking about {s}, how would you {p} in a system like ours?",
    "With {s} in mind, walk me through how you would {p}.",
    "Where does {s} come in when you {p}, and what would you check first?",
];

const TWO_PAIRED_TOPIC: &[&str] = &[
    "Tell me about a time you had to {p} where {s} mattered.",
    "Describe a situation where you had to {p} and {s} shaped what you did.",
    "Give an example of when you had to {p}, and what part {s} played.",
];

fn templates(seed: &Seed, round: Round) -> &'static [&'static str] {
    match (
        seed.kind,
        seed.setting.as_ref().map(|(kind, _)| *kind),
        round,
    ) {
        (Kind::Action, Some(Kind::Action), Round::One) => ONE_PAIRED_ACTION,
        (Kind::Action, Some(Kind::Action), Round::Two) => TWO_PAIRED_ACTION,
        (Kind::Action, Some(_), Round::One) => ONE_PAIRED_TOPIC,
        (Kind::Action, Some(_), Round::Two) => TWO_PAIRED_TOPIC,
        (Kind::Action, _, Round::One) => ONE_ACTION,
        (Kind::Action, _, Round::Two) => TWO_ACTION,
        (Kind::Topic, _, Round::One) => ONE_TOPIC,
        (Kind::Topic, _, Round::Two) => TWO_TOPIC,
        (Kind::Quote, _, Round::One) => ONE_QUOTE,
        (Kind::Quote, _, Round::Two) => TWO_QUOTE,
        (Kind::Title, _, Round::One) => ONE_TITLE,
        (Kind::Title, _, Round::Two) => TWO_TITLE,
    }
}

/// Fills `{p}` with the seed's phrase and `{s}` with its setting. A phrase
/// with a comma of its own that the sentence runs on after is closed with a
/// comma: "…adding replicas, not by heroics, along the way?".
fn render(template: &str, seed: &Seed) -> String {
    let setting = seed
        .setting
        .as_ref()
        .map_or("", |(_, setting)| setting.as_str());
    let mut filled = String::with_capacity(template.len() + seed.phrase.len() + setting.len());
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        let value = match rest.get(start..start + 3) {
            Some("{p}") => seed.phrase.as_str(),
            Some("{s}") => setting,
            _ => {
                filled.push_str(rest.get(..=start).unwrap_or_default());
                rest = rest.get(start + 1..).unwrap_or_default();
                continue;
            }
        };
        filled.push_str(rest.get(..start).unwrap_or_default());
        filled.push_str(value);
        rest = rest.get(start + 3..).unwrap_or_default();
        let runs_on = rest.starts_with(' ') && rest.chars().nth(1).is_some_and(char::is_lowercase);
        // Only a short aside closes with a comma ("…, not by heroics,"), not
        // a list or adjectives early in a long phrase.
        let aside = value.rsplit(',').next().is_some_and(|tail| {
            let tail = tail.trim_start();
            value.contains(',')
                && tail.split_whitespace().count() <= 6
                && !tail.starts_with("and ")
                && !tail.starts_with("or ")
        });
        if aside && runs_on {
            filled.push(',');
        }
    }
    filled.push_str(rest);
    let mut text = collapse_whitespace(&filled)
        .replace(" ,", ",")
        .replace(" .", ".")
        .replace(" ?", "?")
        .replace(",,", ",");
    if let Some(first) = text.chars().next() {
        if first.is_lowercase() {
            text = first.to_uppercase().chain(text.chars().skip(1)).collect();
        }
    }
    text
}

// ---------------------------------------------------------------------------
// Choosing items.

/// The texts and criteria already taken, by `avoid` and by this output.
struct State {
    texts: BTreeSet<String>,
    criteria: BTreeSet<String>,
    ids: BTreeSet<String>,
}

/// The form under which two texts count as the same question.
fn text_key(text: &str) -> String {
    collapse_whitespace(text).to_lowercase()
}

impl State {
    fn new(avoid: &[RoundItem]) -> State {
        State {
            texts: avoid.iter().map(|item| text_key(&item.text)).collect(),
            criteria: avoid
                .iter()
                .flat_map(|item| item.grounding.iter().cloned())
                .collect(),
            ids: avoid.iter().map(|item| item.id.clone()).collect(),
        }
    }

    fn seed_used(&self, seed: &Seed) -> bool {
        if seed
            .criterion
            .as_ref()
            .is_some_and(|id| self.criteria.contains(id))
        {
            return true;
        }
        let phrase = text_key(&seed.phrase);
        seed.kind != Kind::Title
            && !phrase.is_empty()
            && self.texts.iter().any(|text| text.contains(&phrase))
    }

    /// The seed's first free text, trying the templates from `rotation`
    /// on; with `variant`, numbered: "… (variant 2)?".
    fn free_text(
        &self,
        seed: &Seed,
        round: Round,
        rotation: usize,
        variant: Option<usize>,
    ) -> Option<String> {
        let templates = templates(seed, round);
        (0..templates.len()).find_map(|offset| {
            let template = templates[(rotation + offset) % templates.len()];
            let mut text = render(template, seed);
            if let Some(number) = variant {
                let end = text.pop().unwrap_or('.');
                text = format!("{text} (variant {number}){end}");
            }
            (!self.texts.contains(&text_key(&text))).then_some(text)
        })
    }

    fn pick(
        &mut self,
        seeds: &[Seed],
        round: Round,
        competency_id: Option<String>,
        rotation: usize,
    ) -> RoundItem {
        let fallback;
        let seeds = if seeds.is_empty() {
            fallback = title_seeds("");
            fallback.as_slice()
        } else {
            seeds
        };
        let fresh = seeds
            .iter()
            .filter(|seed| !self.seed_used(seed))
            .find_map(|seed| {
                self.free_text(seed, round, rotation, None)
                    .map(|text| (seed, text))
            });
        let chosen = fresh.or_else(|| {
            seeds.iter().find_map(|seed| {
                self.free_text(seed, round, rotation, None)
                    .map(|text| (seed, text))
            })
        });
        let (seed, text) = match chosen {
            Some(found) => found,
            None => {
                // Every wording is taken: number them. At most `texts.len()`
                // numbers can be taken, so this ends.
                let mut number = 2usize;
                loop {
                    if let Some(found) = seeds.iter().find_map(|seed| {
                        self.free_text(seed, round, rotation, Some(number))
                            .map(|text| (seed, text))
                    }) {
                        break found;
                    }
                    number += 1;
                }
            }
        };
        let id = self.item_id(round, &text);
        self.texts.insert(text_key(&text));
        if let Some(criterion) = &seed.criterion {
            self.criteria.insert(criterion.clone());
        }
        self.ids.insert(id.clone());
        RoundItem {
            id,
            text,
            competency_id,
            grounding: seed.grounding.clone(),
            origin: format!("generated:{GENERATOR}"),
        }
    }

    /// `q-` and the first 8 hex digits of SHA-256 of `"{round}\n{text}"`
    /// (as `ladder_formats` derives ids), lengthened on the unlikely clash
    /// with an id already taken.
    fn item_id(&self, round: Round, text: &str) -> String {
        let hash = sha256_hex(format!("{}\n{text}", round.label()).as_bytes());
        for length in (8..=hash.len()).step_by(2) {
            let id = format!("q-{}", hash.get(..length).unwrap_or(&hash));
            if !self.ids.contains(&id) {
                return id;
            }
        }
        let mut suffix = 2usize;
        loop {
            let id = format!("q-{}-{suffix}", hash.get(..8).unwrap_or(&hash));
            if !self.ids.contains(&id) {
                return id;
            }
            suffix += 1;
        }
    }
}

// ---------------------------------------------------------------------------
// BM25.

const STOP_WORDS: &[&str] = &[
    "a", "about", "above", "across", "after", "again", "against", "all", "also", "am", "an", "and",
    "any", "are", "as", "at", "be", "because", "been", "before", "being", "below", "between",
    "both", "but", "by", "can", "could", "did", "do", "does", "doing", "down", "during", "each",
    "eg", "either", "enough", "etc", "every", "few", "for", "from", "further", "had", "has",
    "have", "having", "he", "her", "here", "hers", "him", "his", "how", "however", "ie", "if",
    "in", "into", "is", "it", "its", "itself", "just", "level", "may", "me", "might", "more",
    "most", "much", "must", "my", "no", "nor", "not", "of", "off", "on", "only", "onto", "or",
    "other", "our", "ours", "out", "over", "own", "per", "role", "same", "she", "should", "so",
    "some", "such", "than", "that", "the", "their", "them", "then", "there", "these", "they",
    "this", "those", "through", "to", "too", "under", "until", "up", "upon", "us", "very", "via",
    "was", "we", "well", "were", "what", "when", "where", "whether", "which", "while", "who",
    "whom", "whose", "why", "will", "with", "within", "without", "would", "yet", "you", "your",
    "yours",
];

/// Lower-case alphanumeric words, stop words dropped, lightly stemmed.
fn tokens(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(str::to_lowercase)
        .filter(|word| word.chars().count() >= 2 && !STOP_WORDS.contains(&word.as_str()))
        .map(|word| stem(alias(&word)))
        .collect()
}

/// Spellings of the same technology.
fn alias(word: &str) -> &str {
    match word {
        "postgresql" | "psql" => "postgres",
        "k8s" => "kubernetes",
        other => other,
    }
}

/// A light suffix stripper, applied to documents and queries alike: plurals,
/// -ing, -ed, -ation, -ency, British -ise, final -e and doubled consonants.
/// Its output is only ever compared with itself.
fn stem(word: &str) -> String {
    let mut w = word.to_string();
    if w.len() <= 3 || !w.is_ascii() {
        return w;
    }
    if w.ends_with("sses") {
        w.truncate(w.len() - 2);
    } else if w.ends_with("ies") && w.len() > 4 {
        w.truncate(w.len() - 3);
        w.push('y');
    } else if w.ends_with('s') && !w.ends_with("ss") && !w.ends_with("us") && !w.ends_with("is") {
        w.pop();
    }
    for (suffix, replacement) in [
        ("isation", "ize"),
        ("ization", "ize"),
        ("ational", "ate"),
        ("tional", "tion"),
        ("ation", "ate"),
        ("ency", "ent"),
        ("ing", ""),
        ("ed", ""),
    ] {
        if w.ends_with(suffix) && w.len() >= suffix.len() + 3 {
            w.truncate(w.len() - suffix.len());
            w.push_str(replacement);
            break;
        }
    }
    if w.ends_with("ise") && w.len() > 4 {
        w.truncate(w.len() - 3);
        w.push_str("ize");
    }
    let bytes = w.as_bytes();
    if bytes.len() > 3 {
        let (a, b) = (bytes[bytes.len() - 2], bytes[bytes.len() - 1]);
        if a == b && !b"aeioulsz".contains(&b) && b.is_ascii_alphabetic() {
            w.pop();
        }
    }
    while w.len() > 4 && w.ends_with('e') {
        w.pop();
    }
    w
}

/// Okapi BM25 score of each document for the query (query terms counted with
/// their multiplicity), with document frequencies and the average length
/// taken from `collection` (which holds the documents).
fn bm25(collection: &[Vec<String>], documents: &[Vec<String>], query: &[String]) -> Vec<f64> {
    let mut scores = vec![0.0; documents.len()];
    if collection.is_empty() || documents.is_empty() {
        return scores;
    }
    let n = collection.len() as f64;
    let average = collection.iter().map(Vec::len).sum::<usize>() as f64 / n;
    if average <= 0.0 {
        return scores;
    }
    let mut terms: Vec<&String> = query.iter().collect();
    terms.sort();
    let mut index = 0;
    while index < terms.len() {
        let term = terms[index];
        let multiplicity = terms[index..]
            .iter()
            .take_while(|other| **other == term)
            .count();
        index += multiplicity;
        let frequency = collection
            .iter()
            .filter(|document| document.contains(term))
            .count();
        if frequency == 0 {
            continue;
        }
        let df = (frequency as f64).min(n);
        let idf = (1.0 + (n - df + 0.5) / (df + 0.5)).ln();
        for (document, score) in documents.iter().zip(scores.iter_mut()) {
            let tf = document.iter().filter(|token| *token == term).count();
            if tf == 0 {
                continue;
            }
            let tf = tf as f64;
            let length = document.len() as f64;
            *score += multiplicity as f64 * idf * tf * (K1 + 1.0)
                / (tf + K1 * (1.0 - B + B * length / average));
        }
    }
    scores
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::framework::{criterion_id, Level, Topic};
    use crate::jobspec::{FrameworkBasis, Weight};

    fn criterion(topic: &str, level: u32, text: &str, examples: &[&str]) -> Criterion {
        Criterion {
            id: criterion_id(topic, level, text),
            text: text.to_string(),
            examples: examples.iter().map(|e| e.to_string()).collect(),
        }
    }

    /// Two topics × two levels × four behaviours, worded like the bundled
    /// backend framework.
    fn framework() -> Framework {
        let topic = |key: &str, title: &str, levels: [(u32, Behaviours); 2]| Topic {
            key: key.to_string(),
            title: title.to_string(),
            subtitle: None,
            levels: levels
                .iter()
                .map(|(number, criteria)| Level {
                    number: *number,
                    criteria: criteria
                        .iter()
                        .map(|(text, examples)| criterion(key, *number, text, examples))
                        .collect(),
                })
                .collect(),
        };
        Framework {
            slug: "engineering-backend".into(),
            path: Some("/engineering/backend".into()),
            title: "Backend Engineering".into(),
            sidebar_title: None,
            group: None,
            declared_level_count: Some(6),
            level_prefix: None,
            sublevels: None,
            homepage: None,
            body_markdown: String::new(),
            topics: vec![
                topic(
                    "mastery",
                    "Mastery",
                    [
                        (
                            3,
                            [
                                ("Designs schemas spanning several related tables with appropriate constraints", &[]),
                                (
                                    "Keeps data consistent when work spans several services or transactions",
                                    &["Uses an outbox table so that a database write and the event it emits cannot drift apart", "Makes message consumers idempotent so a redelivered event is harmless"],
                                ),
                                ("Diagnoses production incidents using logs, traces and database statistics", &[]),
                                ("Writes technical designs that address throughput, latency and failure modes", &[]),
                            ],
                        ),
                        (
                            4,
                            [
                                ("Tunes PostgreSQL queries and connection pooling under real production load", &[]),
                                ("Designs services whose capacity grows by adding replicas, not by heroics", &[]),
                                ("Profiles a slow service with flame graphs and removes the hot spots they find", &[]),
                                ("Plays a central part in resolving production incidents", &[]),
                            ],
                        ),
                    ],
                ),
                topic(
                    "leadership",
                    "Leadership",
                    [
                        (
                            3,
                            [
                                ("Mentors new joiners through their first months", &[]),
                                ("Turns code reviews into learning opportunities and follows up on them", &[]),
                                ("Owns up to their mistakes early and openly", &[]),
                                ("Runs team rituals when the usual facilitator is away", &[]),
                            ],
                        ),
                        (
                            4,
                            [
                                ("Leads the resolution of major incidents and the follow-up actions", &[]),
                                ("Brings sceptical colleagues round to a design by addressing their concerns", &[]),
                                ("Sets stretch tasks for less experienced engineers and supports them through it", &[]),
                                ("Explains to product managers why a feature needs a data migration first", &[]),
                            ],
                        ),
                    ],
                ),
            ],
            source: None,
            warnings: vec![],
        }
    }

    fn competency(id: &str, name: &str, weight: u32, definition: &str) -> Competency {
        Competency {
            id: id.into(),
            name: name.into(),
            weight: Weight(weight),
            definition: definition.into(),
        }
    }

    /// The seed job spec (shared/seeds/job-spec-senior-backend-payments.txt).
    fn spec() -> JobSpecBody {
        JobSpecBody {
            title: "Senior Backend Engineer — Payments Platform".into(),
            seniority: "senior".into(),
            description: "Northwind's payments platform moves money for tens of thousands of merchants.\n\nYou will design and build services in Rust on top of PostgreSQL and Kafka. You will take part in the on-call rotation, lead incidents that touch money movement and write blameless postmortems.".into(),
            basis: Some(FrameworkBasis { slug: "engineering-backend".into(), level: 3 }),
            competencies: vec![
                competency("distributed_systems_rigor", "Distributed Systems Rigor", 3500, "Deep understanding of consensus, ordering guarantees, and idempotent design patterns. For this role: architect payment state machines where every transition is recoverable, handle retry logic without double-charging, and reason about exactly-once delivery semantics across Kafka and Postgres."),
                competency("postgres_transactional_design", "Postgres Transactional Design", 2500, "Expert-level schema design and optimization for high-throughput financial transactions. For this role: build double-entry accounting models, design ledger schemas that scale to millions of daily payments, and optimize for both consistency and performance under write-heavy workloads."),
                competency("domain_ownership_and_reliability", "Domain Ownership & Reliability", 2500, "End-to-end accountability for production systems including design, deployment, on-call response, and postmortem-driven prevention. For this role: own critical payment paths, lead incident response on money-movement failures, and drive systemic improvements that eliminate recurring classes of failures."),
                competency("payments_domain_expertise", "Payments Domain Expertise", 1500, "Working knowledge of payment rails (cards, ACH, wire transfers) and financial ledger systems. For this role: understand settlement flows, reconciliation mechanics, and compliance requirements well enough to navigate tradeoffs with risk and product teams."),
            ],
            must_haves: vec![],
            round1: vec![],
            round2: vec![],
        }
    }

    fn definition_seeds(definition: &str, grounding: &str) -> Vec<Seed> {
        let (mut role, general) = definition_parts(definition, grounding);
        role.extend(general);
        role
    }

    /// The opening words of every round-two prompt the templates produce.
    const BEHAVIOURAL_OPENERS: &[&str] = &[
        "Tell me about",
        "Describe",
        "Give an example",
        "Walk me through",
    ];

    /// A level's four behaviours, each with its examples.
    type Behaviours<'a> = [(&'a str, &'a [&'a str]); 4];

    fn seats(competencies: &[Competency], count: usize) -> Vec<usize> {
        apportion(competencies, count)
            .into_iter()
            .map(|(_, seats)| seats)
            .collect()
    }

    #[test]
    fn apportion_follows_weights_by_largest_remainder() {
        let spec = spec();
        let ids: Vec<String> = apportion(&spec.competencies, 3)
            .into_iter()
            .map(|(id, _)| id)
            .collect();
        assert_eq!(
            ids,
            [
                "distributed_systems_rigor",
                "postgres_transactional_design",
                "domain_ownership_and_reliability",
                "payments_domain_expertise"
            ]
        );
        // 1 → quotas .35 .25 .25 .15: the largest remainder takes it.
        assert_eq!(seats(&spec.competencies, 1), [1, 0, 0, 0]);
        // 2 → .70 .50 .50 .30: the tie at .50 goes to the first listed.
        assert_eq!(seats(&spec.competencies, 2), [1, 1, 0, 0]);
        // 3 → 1.05 .75 .75 .45: floors 1,0,0,0, then the two .75s.
        assert_eq!(seats(&spec.competencies, 3), [1, 1, 1, 0]);
        // 4 → 1.4 1.0 1.0 .6: floors 1,1,1,0, then .6 beats .4.
        assert_eq!(seats(&spec.competencies, 4), [1, 1, 1, 1]);
        // 10 → 3.5 2.5 2.5 1.5: four equal remainders, first two win.
        assert_eq!(seats(&spec.competencies, 10), [4, 3, 2, 1]);
        assert_eq!(seats(&spec.competencies, 20), [7, 5, 5, 3]);
        for count in 0..=60 {
            let given = seats(&spec.competencies, count);
            assert_eq!(given.iter().sum::<usize>(), count, "{count}");
            // Never more than one seat away from the exact quota.
            for (seat, competency) in given.iter().zip(&spec.competencies) {
                let exact = count as u64 * u64::from(competency.weight.0);
                assert!(
                    (*seat as u64 * 10_000).abs_diff(exact) < 10_000,
                    "{count}: {seat} vs {exact}"
                );
            }
        }
        let zero = vec![
            competency("a", "A", 0, ""),
            competency("b", "B", 0, ""),
            competency("c", "C", 0, ""),
        ];
        assert_eq!(seats(&zero, 4), [2, 1, 1]);
        let with_zero = vec![
            competency("a", "A", 10_000, ""),
            competency("b", "B", 0, ""),
        ];
        assert_eq!(seats(&with_zero, 5), [5, 0]);
        assert!(apportion(&[], 5).is_empty());
    }

    #[test]
    fn rank_criteria_puts_relevant_behaviours_first() {
        let framework = framework();
        let spec = spec();
        let postgres = &spec.competencies[1];
        let ranked = rank_criteria(&framework, 3, postgres, 20);
        let position = |start: &str| {
            ranked
                .iter()
                .position(|r| r.criterion.text.starts_with(start))
        };
        let schemas = position("Designs schemas").expect("schemas ranked");
        let tunes = position("Tunes PostgreSQL").expect("tuning ranked");
        assert_eq!(schemas, 0, "{ranked:#?}");
        assert!(ranked[tunes].stretch && ranked[tunes].level == 4);
        // Mentoring shares no word with the competency, so it is not ranked
        // at all: below every relevant behaviour.
        assert!(position("Mentors new joiners").is_none(), "{ranked:#?}");
        // Only levels 3 and 4, best first, limit respected.
        assert!(ranked.iter().all(|r| r.level == 3 || r.level == 4));
        assert!(ranked.windows(2).all(|w| w[0].score >= w[1].score));
        assert_eq!(rank_criteria(&framework, 3, postgres, 2).len(), 2);
        // Examples are part of a behaviour's text: only they mention idempotency.
        let rigor = rank_criteria(&framework, 3, &spec.competencies[0], 20);
        assert!(
            rigor
                .iter()
                .any(|r| r.criterion.text.starts_with("Keeps data consistent")),
            "{rigor:#?}"
        );
        assert!(
            rigor
                .iter()
                .all(|r| !r.criterion.text.starts_with("Mentors")),
            "{rigor:#?}"
        );
        // Nothing in common: nothing ranked.
        let unrelated = competency("x", "Watercolour", 10_000, "Paints landscapes.");
        assert!(rank_criteria(&framework, 3, &unrelated, 5).is_empty());
    }

    #[test]
    fn generation_is_deterministic() {
        let framework = framework();
        let spec = spec();
        let context = Context {
            spec: &spec,
            framework: Some(&framework),
        };
        for round in [Round::One, Round::Two] {
            assert_eq!(
                generate(&context, round, 7, &[]),
                generate(&context, round, 7, &[])
            );
        }
        let first = generate(&context, Round::One, 3, &[]);
        assert_eq!(
            first[0].id,
            format!(
                "q-{}",
                &sha256_hex(format!("round1\n{}", first[0].text).as_bytes())[..8]
            )
        );
        assert!(first
            .iter()
            .all(|item| item.origin == "generated:grounded-bm25"));
    }

    #[test]
    fn every_count_gives_exactly_that_many_distinct_items() {
        let framework = framework();
        let spec = spec();
        let bare = JobSpecBody {
            competencies: vec![],
            description: String::new(),
            ..spec.clone()
        };
        let untitled = JobSpecBody {
            title: String::new(),
            ..bare.clone()
        };
        let jd_only = JobSpecBody {
            competencies: vec![],
            ..spec.clone()
        };
        for (spec, framework) in [
            (&spec, Some(&framework)),
            (&spec, None),
            (&bare, None),
            (&untitled, None),
            (&jd_only, Some(&framework)),
        ] {
            let context = Context { spec, framework };
            for round in [Round::One, Round::Two] {
                for count in 0..=10 {
                    let items = generate(&context, round, count, &[]);
                    assert_eq!(items.len(), count);
                    let texts: BTreeSet<String> =
                        items.iter().map(|item| text_key(&item.text)).collect();
                    let ids: BTreeSet<&str> = items.iter().map(|item| item.id.as_str()).collect();
                    assert_eq!(texts.len(), count, "{items:#?}");
                    assert_eq!(ids.len(), count);
                    for item in &items {
                        assert_text_quality(&item.text);
                        assert!(!item.grounding.is_empty());
                    }
                }
            }
        }
    }

    fn assert_text_quality(text: &str) {
        assert!(
            !text.contains("  ") && !text.contains(" ,") && !text.contains(",,"),
            "{text}"
        );
        assert!(text.starts_with(|c: char| c.is_uppercase()), "{text}");
        assert!(text.ends_with('?') || text.ends_with('.'), "{text}");
        // The last sentence decides: an instruction ends with a full stop, a
        // question with a question mark.
        let last = text
            .trim_end_matches(['.', '?'])
            .rsplit(". ")
            .next()
            .unwrap_or(text);
        let imperative = ["Tell me", "Describe", "Give an example", "Walk me through"]
            .iter()
            .any(|opener| last.starts_with(opener));
        let question = [
            "How ",
            "What ",
            "Which ",
            "Where ",
            "If ",
            "Suppose ",
            "Thinking ",
            "Given ",
        ]
        .iter()
        .any(|opener| last.starts_with(opener));
        assert!(
            imperative
                || question
                || last.starts_with("Our job description")
                || last.starts_with("The job description"),
            "{text}"
        );
        if imperative {
            assert!(text.ends_with('.'), "{text}");
        }
        if question {
            assert!(text.ends_with('?'), "{text}");
        }
        assert!(!text.contains('{') && !text.contains('}'), "{text}");
    }

    #[test]
    fn avoid_and_the_output_itself_are_never_repeated() {
        let framework = framework();
        let spec = spec();
        let context = Context {
            spec: &spec,
            framework: Some(&framework),
        };
        for round in [Round::One, Round::Two] {
            let first = generate(&context, round, 4, &[]);
            // Case and spacing do not make a question new.
            let mut shouted = first[0].clone();
            shouted.text = format!("  {}  ", shouted.text.to_uppercase().replace(' ', "   "));
            shouted.grounding.clear();
            let again = generate(&context, round, 4, &[shouted]);
            assert!(
                again
                    .iter()
                    .all(|item| text_key(&item.text) != text_key(&first[0].text)),
                "{again:#?}"
            );
            // A second batch avoiding the whole first one is wholly new, with fresh grounding where possible.
            let more = generate(&context, round, 10, &first);
            for item in &more {
                assert!(first.iter().all(|old| text_key(&old.text) != text_key(&item.text) && old.id != item.id), "{item:#?}");
            }
            assert_ne!(more[0].grounding, first[0].grounding);
            // Avoiding everything a seed could say still yields count items.
            let lots = generate(&context, round, 40, &[]);
            let after = generate(&context, round, 10, &lots);
            assert_eq!(after.len(), 10);
            assert!(after.iter().all(|item| lots
                .iter()
                .all(|old| text_key(&old.text) != text_key(&item.text))));
        }
    }

    #[test]
    fn grounding_names_framework_criteria_and_follows_weights() {
        let framework = framework();
        let spec = spec();
        let context = Context {
            spec: &spec,
            framework: Some(&framework),
        };
        let ids: BTreeSet<&str> = framework
            .criteria()
            .map(|(_, _, c)| c.id.as_str())
            .collect();
        for round in [Round::One, Round::Two] {
            let items = generate(&context, round, 4, &[]);
            let competencies: Vec<&str> = items
                .iter()
                .filter_map(|item| item.competency_id.as_deref())
                .collect();
            assert_eq!(
                competencies,
                [
                    "distributed_systems_rigor",
                    "postgres_transactional_design",
                    "domain_ownership_and_reliability",
                    "payments_domain_expertise"
                ]
            );
            // Each is a framework behaviour asked in the setting of the
            // competency's definition, and records both.
            for item in &items {
                let own = format!(
                    "definition:{}",
                    item.competency_id.clone().unwrap_or_default()
                );
                assert!(ids.contains(item.grounding[0].as_str()), "{item:#?}");
                assert_eq!(item.grounding[1..], [own], "{item:#?}");
            }
            // Anything not from the framework comes from that competency's definition.
            for item in generate(&context, round, 10, &[]) {
                let own = format!(
                    "definition:{}",
                    item.competency_id.clone().unwrap_or_default()
                );
                assert!(
                    item.grounding
                        .iter()
                        .all(|g| ids.contains(g.as_str()) || *g == own),
                    "{item:#?}"
                );
            }
            // Round robin, heavier first: 10 → 4, 3, 2, 1.
            let items = generate(&context, round, 10, &[]);
            let order: Vec<&str> = items
                .iter()
                .filter_map(|item| item.competency_id.as_deref())
                .map(|id| &id[..3])
                .collect();
            assert_eq!(
                order,
                ["dis", "pos", "dom", "pay", "dis", "pos", "dom", "dis", "pos", "dis"]
            );
        }
    }

    #[test]
    fn without_a_framework_items_come_from_definitions() {
        let spec = spec();
        for context in [
            Context {
                spec: &spec,
                framework: None,
            },
            Context {
                spec: &JobSpecBody {
                    basis: None,
                    ..spec.clone()
                },
                framework: Some(&framework()),
            },
        ] {
            let items = generate(&context, Round::One, 4, &[]);
            for item in &items {
                let id = item.competency_id.clone().expect("competency");
                assert_eq!(item.grounding, [format!("definition:{id}")]);
            }
            assert!(
                items[0].text.contains(
                    "architect payment state machines where every transition is recoverable"
                ),
                "{items:#?}"
            );
            assert!(items[3].text.contains("understand settlement flows, reconciliation mechanics, and compliance requirements"), "{items:#?}");
        }
        // A competency the framework says nothing about falls back too.
        let framework = framework();
        let odd = JobSpecBody {
            competencies: vec![competency(
                "watercolour",
                "Watercolour",
                10_000,
                "Paints landscapes in the rain.",
            )],
            ..spec.clone()
        };
        let items = generate(
            &Context {
                spec: &odd,
                framework: Some(&framework),
            },
            Round::Two,
            2,
            &[],
        );
        assert_eq!(items[0].grounding, ["definition:watercolour"]);
        assert_eq!(
            items[0].text,
            "Tell me about a time you had to paint landscapes in the rain."
        );
    }

    #[test]
    fn round_two_prompts_open_behaviourally() {
        let framework = framework();
        let spec = spec();
        let jd_only = JobSpecBody {
            competencies: vec![],
            ..spec.clone()
        };
        let bare = JobSpecBody {
            description: String::new(),
            ..jd_only.clone()
        };
        for (spec, framework) in [
            (&spec, Some(&framework)),
            (&spec, None),
            (&jd_only, None),
            (&bare, None),
        ] {
            for item in generate(&Context { spec, framework }, Round::Two, 8, &[]) {
                assert!(
                    BEHAVIOURAL_OPENERS
                        .iter()
                        .any(|opener| item.text.starts_with(opener)),
                    "{}",
                    item.text
                );
            }
        }
    }

    #[test]
    fn without_competencies_items_come_from_the_description_then_the_title() {
        let spec = JobSpecBody {
            competencies: vec![],
            ..spec()
        };
        let items = generate(
            &Context {
                spec: &spec,
                framework: None,
            },
            Round::One,
            5,
            &[],
        );
        assert!(items.iter().all(|item| item.competency_id.is_none()));
        assert_eq!(items[0].grounding, ["description"]);
        assert_eq!(items[0].text, "Walk me through how you would design and build services in Rust on top of PostgreSQL and Kafka in a system like ours.");
        assert!(items.iter().any(|item| item.grounding == ["title"]));
        let bare = JobSpecBody {
            description: String::new(),
            ..spec.clone()
        };
        let items = generate(
            &Context {
                spec: &bare,
                framework: None,
            },
            Round::One,
            3,
            &[],
        );
        assert!(
            items.iter().all(|item| item.grounding == ["title"]
                && item
                    .text
                    .contains("the Senior Backend Engineer — Payments Platform role")),
            "{items:#?}"
        );
    }

    #[test]
    fn behaviours_become_verb_phrases_addressed_to_the_candidate() {
        for (word, base) in [
            ("designs", "design"),
            ("applies", "apply"),
            ("fixes", "fix"),
            ("pushes", "push"),
            ("catches", "catch"),
            ("addresses", "address"),
            ("has", "have"),
            ("is", "be"),
            ("uses", "use"),
            ("leaves", "leave"),
            ("focus", "focus"),
            ("design", "design"),
        ] {
            assert_eq!(base_form(word), base, "{word}");
        }
        for (text, phrase) in [
            (
                "Designs schemas spanning several related tables with appropriate constraints.",
                "design schemas spanning several related tables with appropriate constraints",
            ),
            (
                "Owns up to their mistakes early and openly",
                "own up to your mistakes early and openly",
            ),
            (
                "Can walk a newcomer through the request path",
                "walk a newcomer through the request path",
            ),
            (
                "Profiles a slow service with flame graphs and removes the hot spots they find",
                "profile a slow service with flame graphs and remove the hot spots you find",
            ),
            (
                "Receives feedback openly and acts on it",
                "receive feedback openly and act on it",
            ),
            (
                "Regularly gives insightful feedback that helps others grow",
                "regularly give insightful feedback that helps others grow",
            ),
            (
                "Shares expertise across the organisation through talks, guides and reviews",
                "share expertise across the organisation through talks, guides and reviews",
            ),
            (
                "Brings sceptical colleagues round to a design by addressing their concerns",
                "bring sceptical colleagues round to a design by addressing their concerns",
            ),
            ("Tunes PostgreSQL queries", "tune PostgreSQL queries"),
        ] {
            assert_eq!(to_action(text, true), (phrase.to_string(), true), "{text}");
        }
        assert!(!to_action("Deep understanding of consensus", false).1);
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

    #[test]
    fn stemming_matches_word_forms() {
        for (a, b) in [
            ("designs", "designing"),
            ("transactional", "transactions"),
            ("optimisation", "optimize"),
            ("PostgreSQL", "postgres"),
            ("scaling", "scales"),
            ("migrations", "migrates"),
            ("consistency", "consistent"),
            ("planning", "plans"),
        ] {
            assert_eq!(tokens(a), tokens(b), "{a} {b}");
        }
        assert_eq!(tokens("The schemas of the ledger"), ["schema", "ledger"]);
    }
}
