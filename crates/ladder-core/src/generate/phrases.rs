//! Turning behaviours into phrases a question can hold.

use crate::text::collapse_whitespace;

/// Verbs in their base form: used to tell a verb phrase from a noun phrase
/// and to split lists of clauses.
pub(super) const VERBS: &[&str] = &[
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
pub(super) fn base_form(word: &str) -> String {
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
pub(super) fn to_action(text: &str, lenient: bool) -> (String, bool) {
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
pub(super) fn clean_phrase(text: &str) -> String {
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
pub(super) fn lower_first(text: &str) -> String {
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
pub(super) fn lower_name(name: &str) -> String {
    // "Communication & Feedback" reads as words inside a sentence.
    name.replace(" & ", " and ")
        .split(' ')
        .map(lower_first)
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
