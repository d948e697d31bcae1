//! Relevance: Okapi BM25 over lightly stemmed words, and the framework
//! behaviours ranked by it for a competency.

use super::seeds::competency_query;
use super::RankedCriterion;
use crate::framework::{Criterion, Framework};
use crate::jobspec::Competency;

/// BM25 term-frequency saturation.
const K1: f64 = 1.2;
/// BM25 document-length normalisation.
const B: f64 = 0.75;
/// Added to the score of behaviours in the topic a competency is named
/// after: more than any BM25 score of a short query can reach.
const TOPIC_BONUS: f64 = 1000.0;

/// The behaviours of `framework` at `level` and at `level + 1` (marked
/// `stretch`), ranked by BM25 relevance to the competency's name and
/// definition, behaviours of a topic the competency is named after first;
/// behaviours that share no term with it are left out. Ties go to
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
    // A competency named after a topic ("Impact", "Data Modelling") is about
    // that topic's behaviours first, whatever words they use.
    let query_words: std::collections::BTreeSet<&String> = query.iter().collect();
    let named_topic = |title: &str| {
        let title = tokens(title);
        !title.is_empty() && title.iter().all(|word| query_words.contains(word))
    };
    let mut ranked: Vec<RankedCriterion<'a>> = candidates
        .into_iter()
        .zip(scores)
        .map(|(candidate, score)| {
            let bonus = if named_topic(candidate.0) {
                TOPIC_BONUS
            } else {
                0.0
            };
            (candidate, score + bonus)
        })
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
pub(super) fn tokens(text: &str) -> Vec<String> {
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
pub(super) fn bm25(
    collection: &[Vec<String>],
    documents: &[Vec<String>],
    query: &[String],
) -> Vec<f64> {
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
    use crate::generate::fixtures::{competency, framework, spec};

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
