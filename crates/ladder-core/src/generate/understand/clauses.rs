//! A verb-led behaviour split into clauses ("Designs X and seeks out Y"),
//! clauses that point back at each other kept together, and each action's
//! infinitive, gerund and past written out.

use super::inflect::{base_in, gerund, gerund_base, past, Form};
use super::lexicon::{is_noun_verb, is_particle_of, is_verb};
use super::person::{address, backshift, they_means_things, Seen};
use super::words::{
    bare, is_adverb, is_determiner, is_empty_adverb, is_negative, is_person, is_preposition,
};
use super::Action;

#[derive(Debug, Clone)]
struct Verb {
    /// What comes before this verb in its group: "", ",", "and", "or",
    /// ", and", ", or".
    sep: String,
    base: String,
    particle: Option<String>,
}

#[derive(Debug, Clone)]
struct Clause {
    /// How the clause joins the one before it: "and", "or", ",", ", and",
    /// "while"; empty for the first.
    joiner: String,
    adverb: Vec<String>,
    verbs: Vec<Verb>,
    object: Vec<String>,
}

/// The actions of a verb-led behaviour whose first verb is `words[0]`, in
/// `form`.
pub(super) fn actions(
    words: &[String],
    form: Form,
    adverb: Vec<String>,
    qualifier: &[String],
) -> Result<Vec<Action>, &'static str> {
    let low: Vec<String> = words.iter().map(|w| bare(w)).collect();
    let clauses = split(words, &low, form, adverb)?;
    let mut chains: Vec<Vec<Clause>> = Vec::new();
    for clause in clauses {
        match chains.last_mut() {
            Some(chain) if clause.joiner != "while" && refers_back(&clause, chain) => {
                chain.push(clause);
            }
            _ => chains.push(vec![clause]),
        }
    }
    Ok(chains
        .into_iter()
        .map(|chain| action(chain, qualifier))
        .collect())
}

/// The verb (with its particle) at `at` in `form`, if it is one. The very
/// first verb may be unknown after a modal ("Can wrangle …").
fn verb_at(words: &[String], low: &[String], at: usize, form: Form, first: bool) -> Option<Verb> {
    let word = low.get(at)?;
    let base =
        base_in(word, form).or_else(|| (first && form == Form::Base).then(|| word.clone()))?;
    let particle = low
        .get(at + 1)
        .filter(|next| is_particle_of(&base, next) && !words[at].ends_with(','))
        .cloned();
    Some(Verb {
        sep: String::new(),
        base,
        particle,
    })
}

/// "Identifies, prioritises and fixes": verbs sharing one object. Returns
/// the verbs and the index after them.
fn verb_group(
    words: &[String],
    low: &[String],
    start: usize,
    form: Form,
) -> Option<(Vec<Verb>, usize)> {
    let mut verbs: Vec<Verb> = Vec::new();
    let mut at = start;
    let mut sep = String::new();
    loop {
        let mut verb = verb_at(words, low, at, form, verbs.is_empty() && start == 0)?;
        at += 1 + usize::from(verb.particle.is_some());
        verb.sep = sep.clone();
        verbs.push(verb);
        let comma = words.get(at - 1).is_some_and(|w| w.ends_with(','));
        let joiner = low.get(at).filter(|w| matches!(w.as_str(), "and" | "or"));
        let is_form = |k: usize| low.get(k).is_some_and(|w| base_in(w, form).is_some());
        match (comma, joiner) {
            (true, Some(joiner)) if is_form(at + 1) => {
                sep = format!(", {joiner}");
                at += 1;
            }
            (true, None) if is_form(at) => sep = ",".to_string(),
            (false, Some(joiner)) if is_form(at + 1) => {
                sep = joiner.clone();
                at += 1;
            }
            _ => break,
        }
    }
    Some((verbs, at))
}

/// Whether the words at `at` start a new clause in `form`: "and seeks out
/// feedback", "and reviews the code"; not "and tests" (a list item) nor
/// "and reviews, …".
fn starts_clause(words: &[String], low: &[String], at: usize, form: Form, strong: bool) -> bool {
    let (Some(word), Some(raw)) = (low.get(at), words.get(at)) else {
        return false;
    };
    let Some(base) = base_in(word, form) else {
        return false;
    };
    if raw.ends_with([',', ';']) {
        return false;
    }
    let Some(next) = low.get(at + 1) else {
        return !is_noun_verb(&base);
    };
    if is_particle_of(&base, next) {
        return true;
    }
    if matches!(next.as_str(), "and" | "or") {
        return false;
    }
    if !is_noun_verb(&base) {
        return true;
    }
    match form {
        // "and tests for …" is a list; "and reviews code" is a clause.
        Form::Third | Form::Gerund | Form::Participle => !(is_preposition(next) || next == "to"),
        // A base form is often a noun ("and code reviews"): only a clear
        // object start makes it a verb.
        Form::Base => {
            let raw_next = words.get(at + 1).map_or("", String::as_str);
            strong
                || is_determiner(next)
                || is_adverb(next)
                || raw_next.starts_with(|c: char| c.is_uppercase() || c.is_ascii_digit())
        }
    }
}

/// A word that opens a clause inside the object, whose verbs belong to that
/// clause ("systems that scale and stay reliable").
fn opens_inner_clause(low: &[String], at: usize, form: Form) -> bool {
    let word = low.get(at).map_or("", String::as_str);
    let next = |k: usize| low.get(k).map_or("", String::as_str);
    let mut after = at + 1;
    while is_adverb(next(after)) {
        after += 1;
    }
    match word {
        "that" | "which" | "who" => base_in(next(after), form).is_some(),
        "to" => form == Form::Base && is_verb(next(at + 1)),
        _ => form == Form::Gerund && is_preposition(word) && gerund_base(next(at + 1)).is_some(),
    }
}

fn split(
    words: &[String],
    low: &[String],
    form: Form,
    first_adverb: Vec<String>,
) -> Result<Vec<Clause>, &'static str> {
    let mut clauses = Vec::new();
    let mut start = 0;
    let mut joiner = String::new();
    let mut adverb = first_adverb;
    let mut clause_form = form;
    // Each clause consumes at least one word, so this ends.
    loop {
        let (verbs, object_start) =
            verb_group(words, low, start, clause_form).ok_or("a fragment")?;
        let mut end = words.len();
        let mut next: Option<(String, Vec<String>, usize, Form)> = None;
        let mut depth = 0i32;
        let mut inner = false;
        let mut j = object_start;
        while j < words.len() {
            if depth == 0 && j > object_start {
                let after_comma = words[j - 1].ends_with([',', ';']);
                let connector = matches!(low[j].as_str(), "and" | "or" | "while" | "whilst");
                if connector || after_comma {
                    let mut k = j + usize::from(connector);
                    // A negative after "and" ends what can be asked about.
                    if connector && low.get(k).is_some_and(|w| is_negative(w)) {
                        end = j;
                        break;
                    }
                    let mut clause_adverb = Vec::new();
                    while let Some(w) = low.get(k) {
                        if is_empty_adverb(w) {
                            k += 1;
                        } else if is_adverb(w) && !is_verb(w) && k + 1 < low.len() {
                            clause_adverb.push(w.clone());
                            k += 1;
                        } else {
                            break;
                        }
                    }
                    let strong = after_comma || words[j - 1].ends_with(';');
                    // "…, and can articulate them": a modal starts a clause
                    // whose verb is in the base form.
                    let modal = low
                        .get(k)
                        .is_some_and(|w| matches!(w.as_str(), "can" | "will" | "should" | "must"));
                    let (k, next_form) = if modal && form != Form::Base {
                        (k + 1, Form::Base)
                    } else {
                        (k, form)
                    };
                    if !inner && starts_clause(words, low, k, next_form, strong) {
                        let text = match (after_comma, connector) {
                            (true, true) => format!(", {}", low[j]),
                            (false, true) => low[j].clone(),
                            _ => ",".to_string(),
                        };
                        let text = text.replace("whilst", "while");
                        next = Some((text, clause_adverb, k, next_form));
                        end = j;
                        break;
                    }
                    let determiner_before = is_determiner(&low[j - 1]) || low[j - 1] == "a";
                    if matches!(low[j].as_str(), "while" | "whilst") && !determiner_before {
                        // "… while mentoring others": not a clause of its
                        // own; the behaviour's first clause stands alone.
                        end = j;
                        break;
                    }
                }
            }
            inner |= opens_inner_clause(low, j, form);
            for c in words[j].chars() {
                match c {
                    '(' | '[' => depth += 1,
                    ')' | ']' => depth -= 1,
                    _ => {}
                }
            }
            j += 1;
        }
        let mut object: Vec<String> = words.get(object_start..end).unwrap_or_default().to_vec();
        if let Some(last) = object.last_mut() {
            *last = last.trim_end_matches([',', ';']).to_string();
        }
        object.retain(|w| !w.is_empty());
        clauses.push(Clause {
            joiner,
            adverb,
            verbs,
            object,
        });
        match next {
            Some((text, clause_adverb, k, next_form)) => {
                joiner = text;
                adverb = clause_adverb;
                start = k;
                clause_form = next_form;
            }
            None => break,
        }
    }
    Ok(clauses)
}

/// Whether a clause points back at the one before it ("… and raises
/// them", "… and turns their feedback …" after customers were named), so
/// it cannot stand alone.
fn refers_back(clause: &Clause, chain: &[Clause]) -> bool {
    let named_people = chain
        .iter()
        .any(|c| c.object.iter().any(|w| is_person(&bare(w))));
    let low: Vec<String> = clause.object.iter().map(|w| bare(w)).collect();
    // "… and does so early", "… and documents this": the object is the
    // earlier clause itself.
    let stands_for_clause = low.first().is_some_and(|first| {
        matches!(first.as_str(), "so" | "this" | "that" | "these" | "those")
            && low.get(1).is_none_or(|next| {
                is_adverb(next)
                    || is_preposition(next)
                    || matches!(next.as_str(), "early" | "late" | "again" | "too" | "well")
            })
    });
    stands_for_clause
        || low.iter().enumerate().any(|(index, w)| {
            matches!(w.as_str(), "it" | "its" | "itself" | "them" | "ones")
                || (w == "they" && they_means_things(&low, index))
                || (named_people && w == "their")
        })
}

#[derive(Clone, Copy)]
enum Kind {
    Infinitive,
    Gerund,
    Past,
}

fn inflect(base: &str, kind: Kind) -> String {
    match kind {
        Kind::Infinitive => base.to_string(),
        Kind::Gerund => gerund(base),
        Kind::Past => past(base),
    }
}

/// Appends words, attaching a leading "," to the word before.
fn push(out: &mut String, piece: &str) {
    if piece.is_empty() {
        return;
    }
    let attaches = piece == "," || piece.starts_with(", ");
    if !out.is_empty() && !attaches {
        out.push(' ');
    }
    out.push_str(piece);
}

fn verbs_text(verbs: &[Verb], kind: Kind) -> String {
    let mut out = String::new();
    for verb in verbs {
        push(&mut out, &verb.sep);
        push(&mut out, &inflect(&verb.base, kind));
        if let Some(particle) = &verb.particle {
            push(&mut out, particle);
        }
    }
    out
}

/// Everything after the first clause's verbs, in `kind`.
fn rest_text(chain: &[Clause], kind: Kind) -> String {
    let mut out = String::new();
    for (index, clause) in chain.iter().enumerate() {
        if index > 0 {
            // A clause kept with the one before closes the list: "write
            // tests and fix flaky ones", not "write tests, fix flaky ones".
            let last = index + 1 == chain.len();
            let joiner = if last && clause.joiner == "," {
                "and"
            } else {
                clause.joiner.as_str()
            };
            push(&mut out, joiner);
            push(&mut out, &clause.adverb.join(" "));
            push(&mut out, &verbs_text(&clause.verbs, kind));
        }
        let object = match kind {
            Kind::Past => backshift(&clause.object),
            _ => clause.object.clone(),
        };
        push(&mut out, &object.join(" "));
    }
    out
}

fn action(mut chain: Vec<Clause>, qualifier: &[String]) -> Action {
    let mut seen = Seen::default();
    for clause in &mut chain {
        clause.object = address(&clause.object, &mut seen);
    }
    if let Some(last) = chain.last_mut() {
        let qualifier = address(qualifier, &mut seen);
        last.object.extend(qualifier);
    }
    let first_verbs = chain.first().map(|c| c.verbs.clone()).unwrap_or_default();
    let adverb_words = chain.first().map(|c| c.adverb.clone()).unwrap_or_default();
    let adverb = (!adverb_words.is_empty()).then(|| adverb_words.join(" "));
    let form = |kind: Kind| {
        let mut out = String::new();
        push(&mut out, adverb.as_deref().unwrap_or_default());
        push(&mut out, &verbs_text(&first_verbs, kind));
        push(&mut out, &rest_text(&chain, kind));
        out
    };
    Action {
        verb: verbs_text(&first_verbs, Kind::Infinitive),
        object: rest_text(&chain, Kind::Infinitive),
        infinitive: form(Kind::Infinitive),
        gerund: form(Kind::Gerund),
        past: form(Kind::Past),
        adverb,
    }
}
