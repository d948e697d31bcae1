//! How a behaviour starts: a subject ("You", "The engineer"), a frame ("Is
//! able to", "Can", "Has a track record of"), adverbs, a negative, a
//! noun-phrase criterion ("Knowledge of …"), and finally the first verb.

use super::clean::lower_initial;
use super::inflect::{base_in, gerund_base, participle_base, recognise, third_base, Form};
use super::lexicon::{is_noun_verb, is_particle_of, is_verb};
use super::words::{
    bare, is_adverb, is_auxiliary, is_dangling, is_determiner, is_empty_adverb, is_field_noun,
    is_negative, is_noun_gerund, is_preposition, keeps_capital, listed,
};

#[derive(Debug)]
pub(super) enum Head {
    Unusable(&'static str),
    /// The topic's words, first word already cased.
    Topic(Vec<String>),
    /// `words` starts with the first verb, written in `form`.
    Verb {
        adverb: Vec<String>,
        form: Form,
        words: Vec<String>,
    },
}

pub(super) fn read(words: &[String]) -> Head {
    let low: Vec<String> = words.iter().map(|w| bare(w)).collect();
    let word = |index: usize| low.get(index).map_or("", String::as_str);
    let mut i = 0;
    let mut adverb: Vec<String> = Vec::new();
    let mut hint: Option<Form> = None;
    // Each pass strips one layer; behaviours have at most a handful.
    for _ in 0..12 {
        let first = word(i);
        if first.is_empty() {
            return Head::Unusable("a fragment");
        }
        if is_negative(first) || (is_auxiliary(first) && matches!(word(i + 1), "not" | "never")) {
            return Head::Unusable("a negative");
        }
        // "Must have experience with AWS" is a topic too.
        if matches!(hint, None | Some(Form::Base)) && adverb.is_empty() {
            if let Some(topic) = topic_pattern(words, &low, i) {
                return Head::Topic(topic);
            }
        }
        let subject = match (first, word(i + 1), word(i + 2)) {
            ("he", "or", "she") | ("she", "or", "he") => 3,
            ("the", "engineer" | "candidate" | "individual", _) | ("an", "engineer", _) => 2,
            ("you" | "i" | "they" | "we" | "he" | "she" | "he/she" | "s/he" | "she/he", _, _) => 1,
            _ => 0,
        };
        if subject > 0 && hint.is_none() && adverb.is_empty() && i + subject < low.len() {
            i += subject;
            continue;
        }
        if is_empty_adverb(first) {
            i += 1;
            continue;
        }
        if is_adverb(first) && !is_verb(first) {
            let (run, next) = adverb_run(&low, i);
            if next < low.len() {
                adverb.extend(run);
                i = next;
                continue;
            }
            break;
        }
        if let Some((skip, form)) = frame(&low, i) {
            i += skip;
            hint = Some(form);
            continue;
        }
        break;
    }
    verb_or_topic(words, &low, i, adverb, hint)
}

/// "quickly and safely" → the adverbs and the index after them.
fn adverb_run(low: &[String], start: usize) -> (Vec<String>, usize) {
    let mut run = Vec::new();
    let mut j = start;
    while let Some(word) = low.get(j) {
        let adverb = is_adverb(word) && !is_verb(word);
        let joins_adverbs =
            word == "and" && !run.is_empty() && low.get(j + 1).is_some_and(|next| is_adverb(next));
        if !(adverb || joins_adverbs) {
            break;
        }
        run.push(word.clone());
        j += 1;
    }
    (run, j)
}

/// A frame at `i`: how many words it takes and the form the verb after it
/// is in.
fn frame(low: &[String], i: usize) -> Option<(usize, Form)> {
    let word = |k: usize| low.get(i + k).map_or("", String::as_str);
    if matches!(
        word(0),
        "can" | "will" | "should" | "must" | "could" | "would" | "may" | "might"
    ) {
        return Some((1, Form::Base));
    }
    let lead = usize::from(matches!(word(0), "is" | "are" | "be"));
    match (word(lead), word(lead + 1)) {
        ("able", "to") | ("expected", "to") => return Some((lead + 2, Form::Base)),
        ("capable", "of") => return Some((lead + 2, Form::Gerund)),
        ("responsible", "for") if gerund_base(word(lead + 2)).is_some() => {
            return Some((lead + 2, Form::Gerund))
        }
        _ => {}
    }
    // "Has shipped …", "Has led a team …": a perfect is its verb.
    if matches!(word(0), "has" | "have") && participle_base(word(1)).is_some() {
        return Some((1, Form::Participle));
    }
    // "Is learning to …", "Is leading the migration": a progressive is
    // its verb.
    if lead == 1 && word(1) != "being" && gerund_base(word(1)).is_some() {
        return Some((1, Form::Gerund));
    }
    // "[Has|Demonstrates] [the|a proven] ability to", "[Has a] track record
    // of", "[Has a] history of"
    let mut k = usize::from(matches!(
        word(0),
        "has" | "have" | "demonstrates" | "demonstrate" | "shows" | "show" | "displays"
    ));
    k += usize::from(matches!(word(k), "the" | "an" | "a"));
    k += usize::from(matches!(
        word(k),
        "proven" | "strong" | "good" | "solid" | "consistent" | "demonstrated" | "clear"
    ));
    match (word(k), word(k + 1), word(k + 2)) {
        ("ability", "to", _) => Some((k + 2, Form::Base)),
        ("track", "record", "of") => Some((k + 3, Form::Gerund)),
        ("history", "of", _) => Some((k + 2, Form::Gerund)),
        _ => None,
    }
}

/// Adjectives that open a behaviour with an understood "is": "Responsible
/// for the payments service" → "be responsible for …".
const BE_ADJECTIVES: &str = "
    responsible accountable comfortable willing eager open curious trusted keen happy ready
    confident careful mindful passionate enthusiastic excited committed dedicated focused
    motivated
";

fn verb_or_topic(
    words: &[String],
    low: &[String],
    i: usize,
    adverb: Vec<String>,
    hint: Option<Form>,
) -> Head {
    let Some(first) = low.get(i) else {
        return Head::Unusable("a fragment");
    };
    let next = low.get(i + 1).map_or("", String::as_str);
    let rest = || words.get(i..).unwrap_or_default().to_vec();
    let verb = |form: Form, adverb: Vec<String>| Head::Verb {
        adverb,
        form,
        words: rest(),
    };
    match hint {
        Some(Form::Base) if is_verb(first) || unknown_base(first, &words[i]) => {
            return verb(Form::Base, adverb)
        }
        Some(Form::Gerund) if gerund_base(first).is_some() => return verb(Form::Gerund, adverb),
        Some(Form::Participle) if participle_base(first).is_some() => {
            return verb(Form::Participle, adverb)
        }
        Some(_) => return Head::Unusable("a fragment"),
        None => {}
    }
    if adverb.is_empty()
        && listed(BE_ADJECTIVES, first.as_str())
        && (is_preposition(next) || next == "to")
    {
        let mut words = vec!["be".to_string(), lower_initial(&words[i])];
        words.extend(rest().into_iter().skip(1));
        return Head::Verb {
            adverb,
            form: Form::Base,
            words,
        };
    }
    // "Sought out by others for advice", "Recognised as an expert": a
    // passive with its "is" understood.
    let participle = participle_base(first)
        .filter(|_| recognise(first).is_none())
        .is_some_and(|base| {
            is_preposition(next) || matches!(next, "as" | "by") || is_particle_of(&base, next)
        });
    if participle {
        let mut words = vec!["be".to_string(), lower_initial(&words[i])];
        words.extend(rest().into_iter().skip(1));
        return Head::Verb {
            adverb,
            form: Form::Base,
            words,
        };
    }
    let noun_phrase = match recognise(first) {
        Some((Form::Third, base)) => {
            let verb_follows = low
                .get(i + 2)
                .is_some_and(|w| base_in(w, Form::Third).is_some());
            let joined = matches!(next, "and" | "or") && !verb_follows;
            is_noun_verb(&base) && (matches!(next, "" | "of") || joined)
        }
        Some((Form::Gerund, _)) => is_noun_gerund(first) || gerund_is_noun(low, i),
        Some((Form::Base, base)) => {
            let name = keeps_capital(&words[i])
                && !(is_preposition(next) || is_determiner(next) || is_adverb(next));
            name || (is_noun_verb(&base) && is_field_noun(next))
        }
        // `recognise` never reports a participle: no behaviour starts with one.
        Some((Form::Participle, _)) | None => true,
    };
    if !noun_phrase {
        let form = recognise(first).map_or(Form::Base, |(form, _)| form);
        return verb(form, adverb);
    }
    if !adverb.is_empty() {
        return Head::Unusable("a fragment");
    }
    bare_topic(words, low, i)
}

/// After "can" or "able to", a word the lexicon does not know is still a
/// verb if it looks like one: lower case letters, not a function word. One
/// ending in consonant-vowel-consonant is refused: whether it doubles
/// ("grok" → "grokking", "visit" → "visiting") cannot be known.
fn unknown_base(word: &str, raw: &str) -> bool {
    let tail: Vec<char> = word.chars().rev().take(3).collect();
    let vowel = |c: &char| "aeiou".contains(*c);
    let undecided = matches!(tail.as_slice(), [last, middle, first]
        if !vowel(last) && !"wxy".contains(*last) && vowel(middle) && !vowel(first));
    word.len() >= 2
        && !undecided
        && raw.chars().all(|c| c.is_ascii_lowercase() || c == '-')
        && !is_dangling(word)
        && !is_preposition(word)
        && !is_determiner(word)
        && !is_auxiliary(word)
        && !word.ends_with("ing")
        && !word.ends_with("ed")
}

/// "Monitoring and alerting", "Testing strategy": "-ing" words used as a
/// noun — nothing after them, or a field noun, or "of".
fn gerund_is_noun(low: &[String], i: usize) -> bool {
    let mut j = i + 1;
    loop {
        let joiner = matches!(low.get(j).map(String::as_str), Some("and" | "or"));
        if joiner && low.get(j + 1).is_some_and(|w| gerund_base(w).is_some()) {
            j += 2;
        } else {
            break;
        }
    }
    match low.get(j) {
        None => true,
        Some(next) => matches!(next.as_str(), "of" | "and" | "or") || is_field_noun(next),
    }
}

/// A phrase with no verb: a topic if it reads as a clean noun phrase.
fn bare_topic(words: &[String], low: &[String], i: usize) -> Head {
    let phrase = words.get(i..).unwrap_or_default();
    let low = low.get(i..).unwrap_or_default();
    let (Some(first), Some(last)) = (low.first(), low.last()) else {
        return Head::Unusable("a fragment");
    };
    let pronoun = matches!(
        first.as_str(),
        "it" | "they" | "he" | "she" | "we" | "i" | "you" | "to" | "very" | "not"
    );
    let article = matches!(first.as_str(), "a" | "an" | "the");
    let opens_badly =
        pronoun || (is_dangling(first) && !article) || is_preposition(first) || is_adverb(first);
    let relative = low
        .iter()
        .any(|w| matches!(w.as_str(), "that" | "which" | "who"));
    if phrase.len() > 10
        || opens_badly
        || relative
        || is_dangling(last)
        || low.iter().any(|w| is_auxiliary(w))
    {
        return Head::Unusable("a fragment");
    }
    // A verb the lexicon does not know ("Threat-models new features"), or a
    // subject and its verb ("Threat models new features"), is not a noun
    // phrase.
    let second = low.get(1).map_or("", String::as_str);
    let third = low.get(2).map_or("", String::as_str);
    let hyphenated = first.contains('-');
    let particle = matches!(second, "up" | "out" | "down" | "off" | "back");
    let unknown_verb = looks_third_person(first)
        && (is_determiner(second) || particle || (hyphenated && is_preposition(second)));
    let sentence = third_base(second).is_some() && is_determiner(third);
    if unknown_verb || sentence {
        return Head::Unusable("a fragment");
    }
    let mut topic = phrase.to_vec();
    if let Some(head) = topic.first_mut() {
        if !keeps_capital(head) {
            *head = lower_initial(head);
        }
    }
    Head::Topic(topic)
}

fn looks_third_person(word: &str) -> bool {
    word.len() > 3
        && word.ends_with('s')
        && !(word.ends_with("ss") || word.ends_with("us") || word.ends_with("is"))
        && word.chars().all(|c| c.is_ascii_alphabetic() || c == '-')
}

/// Head nouns of a criterion and the prepositions that introduce its
/// subject: "Knowledge of X" → X.
const HEADS: &[(&str, &[&str])] = &[
    ("knowledge", &["of", "about", "in"]),
    ("understanding", &["of"]),
    ("experience", &["with", "in", "of", "using"]),
    ("familiarity", &["with"]),
    ("expertise", &["in", "with", "on"]),
    ("proficiency", &["in", "with"]),
    ("awareness", &["of"]),
    ("grasp", &["of"]),
    ("command", &["of"]),
    ("mastery", &["of"]),
    ("fluency", &["in", "with"]),
    ("competence", &["in", "with"]),
    ("competency", &["in", "with"]),
    ("exposure", &["to"]),
    ("appreciation", &["of", "for"]),
    ("background", &["in"]),
    ("skills", &["in", "with"]),
    ("skill", &["in", "with"]),
    ("insight", &["into"]),
    ("foundation", &["in"]),
    ("know-how", &["in", "for"]),
];

/// Words that grade a head noun: "Strong", "Deep", "Working", …
const MODIFIERS: &str = "
    strong solid good great excellent deep deeper broad thorough working basic practical
    advanced expert expert-level in-depth proven demonstrated hands-on extensive sound firm
    general detailed intermediate professional significant substantial some clear comprehensive
    exceptional outstanding relevant prior
";

/// Adjectives of knowing: "Proficient in X", "Familiar with X".
const KNOWING: &str = "
    proficient familiar knowledgeable experienced skilled fluent versed competent conversant
    aware
";

/// Kinds of skill that are the topic themselves ("Soft skills").
const SKILL_KINDS: &str = "
    soft hard technical interpersonal social people transferable core
";

fn is_count(word: &str) -> bool {
    let numeric = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_digit() || c == '+' || c == '-')
        && word.starts_with(|c: char| c.is_ascii_digit());
    let spelt = [
        "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    ]
    .contains(&word);
    numeric || spelt
}

/// A noun-phrase criterion at `i`, as the words of its subject.
fn topic_pattern(words: &[String], low: &[String], i: usize) -> Option<Vec<String>> {
    let word = |k: usize| low.get(k).map_or("", String::as_str);
    let take = |from: usize, to: usize| -> Option<Vec<String>> {
        let subject = words.get(from..to)?.to_vec();
        (!subject.is_empty()).then_some(subject)
    };
    let mut j = i;
    if matches!(
        word(j),
        "has"
            | "have"
            | "possesses"
            | "possess"
            | "demonstrates"
            | "demonstrate"
            | "shows"
            | "show"
            | "brings"
            | "bring"
            | "is"
            | "are"
            | "be"
    ) {
        j += 1;
    }
    // "3+ years of experience with X"
    if is_count(word(j)) && matches!(word(j + 1), "years" | "year" | "years'") {
        j += 2;
        if word(j) == "of" {
            j += 1;
        }
    }
    // "Is (highly) proficient in X", "Well versed in X", "An expert in X"
    let mut k = j;
    while matches!(word(k), "highly" | "very" | "well" | "deeply" | "extremely") {
        k += 1;
    }
    if matches!(word(k), "a" | "an") && word(k + 1) == "expert" {
        k += 1;
    }
    let knowing = listed(KNOWING, word(k)) || word(k) == "expert";
    if knowing && matches!(word(k + 1), "in" | "with" | "about" | "at" | "on" | "of") {
        return take(k + 2, low.len());
    }
    if matches!(word(j), "a" | "an") {
        j += 1;
    }
    while listed(MODIFIERS, word(j)) {
        j += 1;
    }
    let head = word(j);
    let joined = HEADS
        .iter()
        .any(|(noun, preps)| *noun == head && preps.contains(&word(j + 1)));
    if joined {
        return take(j + 2, low.len());
    }
    if head == "experience" && gerund_base(word(j + 1)).is_some() {
        return take(j + 1, low.len());
    }
    // "Strong SQL skills" → "SQL"
    let last = low.len().checked_sub(1)?;
    // Only a noun phrase: "Develops their leadership skills" is an action.
    let verb_led = j == i && matches!(recognise(word(j)), Some((Form::Third | Form::Base, _)));
    if matches!(word(last), "skills" | "skill")
        && last > j
        && !verb_led
        && !listed(SKILL_KINDS, word(last - 1))
    {
        let mut subject = take(j, last)?;
        if j == 0 {
            if let Some(first) = subject.first_mut() {
                if !keeps_capital(first) {
                    *first = lower_initial(first);
                }
            }
        }
        return Some(subject);
    }
    None
}
