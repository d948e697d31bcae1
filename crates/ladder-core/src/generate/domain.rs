//! What the team works on, from the job description: its most frequent
//! content words ("payments, ledgers and settlement"), so questions are set
//! in the role's own domain rather than "a system like ours" every time.

use std::collections::BTreeMap;

use super::phrases::VERBS;

/// Words that say nothing about a domain: function words, and the words
/// every job description uses.
const GENERIC: &[&str] = &[
    "about",
    "above",
    "across",
    "after",
    "again",
    "against",
    "also",
    "among",
    "and",
    "another",
    "any",
    "anything",
    "are",
    "around",
    "because",
    "been",
    "before",
    "being",
    "best",
    "better",
    "between",
    "both",
    "but",
    "can",
    "could",
    "daily",
    "does",
    "doing",
    "done",
    "each",
    "easy",
    "either",
    "else",
    "end",
    "ends",
    "engineer",
    "engineers",
    "engineering",
    "enough",
    "every",
    "everything",
    "experience",
    "few",
    "first",
    "for",
    "from",
    "good",
    "great",
    "has",
    "have",
    "having",
    "help",
    "helps",
    "here",
    "high",
    "how",
    "ideal",
    "into",
    "its",
    "join",
    "just",
    "kind",
    "know",
    "large",
    "last",
    "like",
    "looking",
    "lot",
    "lots",
    "make",
    "makes",
    "many",
    "more",
    "most",
    "much",
    "must",
    "need",
    "needs",
    "new",
    "next",
    "not",
    "now",
    "one",
    "ones",
    "only",
    "other",
    "others",
    "our",
    "ours",
    "over",
    "own",
    "part",
    "people",
    "per",
    "plus",
    "real",
    "really",
    "role",
    "roles",
    "same",
    "senior",
    "should",
    "skills",
    "small",
    "some",
    "someone",
    "something",
    "still",
    "strong",
    "such",
    "team",
    "teams",
    "than",
    "that",
    "the",
    "their",
    "them",
    "then",
    "there",
    "these",
    "they",
    "thing",
    "things",
    "this",
    "those",
    "through",
    "time",
    "today",
    "tomorrow",
    "too",
    "under",
    "until",
    "upon",
    "use",
    "used",
    "using",
    "very",
    "want",
    "was",
    "way",
    "ways",
    "well",
    "were",
    "what",
    "when",
    "where",
    "whether",
    "which",
    "while",
    "who",
    "whom",
    "whose",
    "why",
    "will",
    "with",
    "within",
    "without",
    "work",
    "works",
    "working",
    "would",
    "year",
    "years",
    "you",
    "your",
    "yours",
    "company",
    "candidate",
    "position",
    "opportunity",
    "responsibilities",
    "requirements",
    "ability",
    "able",
    "etc",
    "e.g",
    "i.e",
    "including",
    "include",
    "includes",
    "bonus",
    "nice",
    "plus",
    "degree",
    "equivalent",
    "preferred",
    "required",
    "level",
    "levels",
    "day",
    "days",
    "week",
    "weeks",
    "month",
    "months",
    "lead",
    "leads",
    "own",
    "owns",
    "build",
    "builds",
    "building",
    "built",
    "ship",
    "ships",
    "shipping",
    "end-to-end",
    // Every software job is about systems and services; they name no domain.
    "system",
    "systems",
    "service",
    "services",
    "platform",
    "platforms",
    "software",
    "code",
    "solution",
    "solutions",
    "stack",
    "technology",
    "technologies",
    "tech",
    "product",
    "products",
    "feature",
    "features",
    "application",
    "applications",
    "problem",
    "problems",
    // Nor do the qualities every system needs, or the words of a job spec.
    "domain",
    "domains",
    "expertise",
    "knowledge",
    "understanding",
    "rigor",
    "rigour",
    "ownership",
    "reliability",
    "performance",
    "production",
    "scale",
    "scalability",
    "security",
    "quality",
    "design",
    "designs",
    "score",
    "scores",
    "round",
    "rounds",
    "weight",
    "weights",
    "spec",
    "specs",
    "competency",
    "competencies",
    "response",
    "impact",
];

/// Endings of adjectives and participles ("transactional", "distributed"):
/// they describe a domain but do not name one.
const DESCRIBING_ENDINGS: &[&str] = &["al", "ive", "ous", "ful", "able", "ible", "ic", "ed", "ing"];

/// The three most frequent domain words of `description`, joined as a
/// phrase; `None` when it names fewer than two (a short or generic text).
pub(super) fn domain_phrase(description: &str) -> Option<String> {
    let words: Vec<&str> = description
        .split(|c: char| !(c.is_alphanumeric() || c == '-'))
        .map(|word| word.trim_matches('-'))
        .filter(|word| !word.is_empty())
        .collect();
    let stem = |lower: &str| lower.trim_end_matches('s').to_string();
    // A capitalised word counts only when the text also writes it in lower
    // case: "Settlement runs nightly" is the domain, "Northwind" is not.
    let written_lower: std::collections::BTreeSet<String> = words
        .iter()
        .filter(|word| word.chars().next().is_some_and(char::is_lowercase))
        .map(|word| stem(word))
        .collect();
    // Stem -> (count, first position, the word as first written).
    let mut counts: BTreeMap<String, (usize, usize, String)> = BTreeMap::new();
    for (position, word) in words.iter().enumerate() {
        let lower = word.to_lowercase();
        if lower.chars().count() < 4
            || !lower.chars().all(|c| c.is_alphabetic() || c == '-')
            || lower.ends_with("ly")
            || DESCRIBING_ENDINGS
                .iter()
                .any(|ending| lower.ends_with(ending))
            || GENERIC.contains(&lower.as_str())
            || is_verb_form(&lower)
            || !written_lower.contains(&stem(&lower))
        {
            continue;
        }
        let entry = counts
            .entry(stem(&lower))
            .or_insert((0, position, lower.clone()));
        entry.0 += 1;
        // "merchants" reads better in a list than "merchant" when the text
        // uses both.
        if lower.ends_with('s') && !entry.2.ends_with('s') {
            entry.2 = lower;
        }
    }
    let mut ranked: Vec<(usize, usize, String)> = counts
        .into_values()
        .filter(|(count, _, _)| *count >= 2)
        .collect();
    ranked.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let words: Vec<String> = ranked
        .into_iter()
        .take(3)
        .map(|(_, _, word)| word)
        .collect();
    match words.as_slice() {
        [] | [_] => None,
        [a, b] => Some(format!("{a} and {b}")),
        [a, b, c, ..] => Some(format!("{a}, {b} and {c}")),
    }
}

/// A form of one of the verbs the generator knows ("designs", "designed",
/// "designing"): actions, not what the team works on.
fn is_verb_form(word: &str) -> bool {
    let candidates = [
        word.to_string(),
        word.trim_end_matches('s').to_string(),
        word.strip_suffix("es").unwrap_or(word).to_string(),
        word.strip_suffix("ed").unwrap_or(word).to_string(),
        word.strip_suffix('d').unwrap_or(word).to_string(),
        word.strip_suffix("ing").unwrap_or(word).to_string(),
        format!("{}e", word.strip_suffix("ing").unwrap_or(word)),
    ];
    candidates
        .iter()
        .any(|candidate| VERBS.contains(&candidate.as_str()))
}

#[cfg(test)]
mod tests {
    use super::domain_phrase;

    #[test]
    fn a_payments_description_names_payments_ledgers_and_settlement() {
        let description = "Northwind's payments platform moves money for merchants: card \\
            authorisations, refunds, payouts and the ledger that keeps every payment accounted \\
            for. You will design ledger services, own settlement jobs and make reconciliation \\
            boring. Settlement runs nightly; payments never double-post to the ledger.";
        let phrase = domain_phrase(description).unwrap_or_default();
        for word in ["payment", "ledger", "settlement"] {
            assert!(phrase.contains(word), "{phrase}");
        }
    }

    #[test]
    fn a_short_or_generic_description_names_nothing() {
        assert_eq!(domain_phrase(""), None);
        assert_eq!(
            domain_phrase("We are looking for a strong senior engineer to join our team."),
            None
        );
    }
}
