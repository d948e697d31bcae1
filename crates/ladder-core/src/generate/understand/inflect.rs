//! Verb forms: recognising a known verb in the third person, the base form
//! or the "-ing" form, and making the gerund and the simple past.

use super::lexicon::{doubles, irregular_participle_base, irregular_past, is_verb};

/// The form the behaviour's verbs are written in. Clauses joined to the first
/// one are recognised by having the same form ("Designs X and seeks out Y").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Form {
    /// "design" (imperative, or after "can", "able to", "you", …).
    Base,
    /// "designs".
    Third,
    /// "designing" (after "capable of", or a behaviour that starts with one).
    Gerund,
    /// "designed", "led" (after "has": "Has led a team through a reorg").
    Participle,
}

/// The base form of `word` (bare, lower case) if it is a verb this module
/// knows, written in `form`.
pub(super) fn base_in(word: &str, form: Form) -> Option<String> {
    match form {
        Form::Base => is_verb(word).then(|| word.to_string()),
        Form::Third => third_base(word),
        Form::Gerund => gerund_base(word),
        Form::Participle => participle_base(word),
    }
}

/// "shipped" → "ship", "used" → "use", "applied" → "apply", "led" →
/// "lead", "written" → "write"; only verbs the lexicon knows.
pub(super) fn participle_base(word: &str) -> Option<String> {
    if let Some(base) = irregular_participle_base(word) {
        return Some(base.to_string());
    }
    let stem = word.strip_suffix("ed")?;
    let mut candidates = vec![stem.to_string(), format!("{stem}e")];
    let mut chars = stem.chars().rev();
    if let (Some(last), Some(before)) = (chars.next(), chars.next()) {
        if last == before {
            let single = stem.get(..stem.len() - last.len_utf8()).unwrap_or_default();
            if doubles(single) {
                candidates.push(single.to_string());
            }
        }
    }
    if let Some(head) = stem.strip_suffix('i') {
        candidates.push(format!("{head}y"));
    }
    candidates.into_iter().find(|candidate| is_verb(candidate))
}

/// The form `word` is in, with its base, if it is a known verb.
pub(super) fn recognise(word: &str) -> Option<(Form, String)> {
    [Form::Third, Form::Gerund, Form::Base]
        .into_iter()
        .find_map(|form| base_in(word, form).map(|base| (form, base)))
}

/// "designs" → "design", "applies" → "apply", "fixes" → "fix", "ties" →
/// "tie", "caches" → "cache", "is" → "be", "has" → "have". The candidates
/// are tried against the lexicon so that spelling rules never guess.
pub(super) fn third_base(word: &str) -> Option<String> {
    let special = match word {
        "is" => Some("be"),
        "has" => Some("have"),
        "does" => Some("do"),
        "goes" => Some("go"),
        _ => None,
    };
    if let Some(base) = special {
        return Some(base.to_string());
    }
    if word.len() < 3 || !word.ends_with('s') || word.ends_with("ss") {
        return None;
    }
    let stem = |cut: usize| word.get(..word.len() - cut).unwrap_or_default().to_string();
    let mut candidates = Vec::with_capacity(3);
    if word.ends_with("ies") {
        candidates.push(format!("{}y", stem(3)));
    }
    if word.ends_with("es") {
        candidates.push(stem(2));
    }
    candidates.push(stem(1));
    candidates
        .into_iter()
        .find(|candidate| candidate != word && is_verb(candidate))
}

/// "designing" → "design", "making" → "make", "running" → "run", "tying"
/// → "tie", "being" → "be"; only verbs the lexicon knows.
pub(super) fn gerund_base(word: &str) -> Option<String> {
    if word == "being" {
        return Some("be".to_string());
    }
    if word.len() < 5 || !word.ends_with("ing") {
        return None;
    }
    let stem = word.get(..word.len() - 3).unwrap_or_default();
    let mut candidates = vec![stem.to_string(), format!("{stem}e")];
    let mut chars = stem.chars().rev();
    if let (Some(last), Some(before)) = (chars.next(), chars.next()) {
        if last == before {
            let single = stem.get(..stem.len() - last.len_utf8()).unwrap_or_default();
            if doubles(single) {
                candidates.push(single.to_string());
            }
        }
    }
    if let Some(head) = stem.strip_suffix('y') {
        candidates.push(format!("{head}ie"));
    }
    candidates.into_iter().find(|candidate| is_verb(candidate))
}

fn is_vowel(c: char) -> bool {
    matches!(c, 'a' | 'e' | 'i' | 'o' | 'u')
}

/// The last letter again, for a verb on the doubling list: "plan" → "plann".
fn doubled(base: &str) -> String {
    match base.chars().last() {
        Some(last) => format!("{base}{last}"),
        None => String::new(),
    }
}

/// "design" → "designing", "make" → "making", "be" → "being", "see" →
/// "seeing", "tie" → "tying", "plan" → "planning".
pub(super) fn gerund(base: &str) -> String {
    if base == "be" {
        return "being".to_string();
    }
    if let Some(head) = base.strip_suffix("ie") {
        return format!("{head}ying");
    }
    if base.ends_with("ee") || base.ends_with("oe") || base.ends_with("ye") {
        return format!("{base}ing");
    }
    if let Some(head) = base.strip_suffix('e') {
        if head.chars().count() >= 2 {
            return format!("{head}ing");
        }
    }
    if doubles(base) {
        return format!("{}ing", doubled(base));
    }
    format!("{base}ing")
}

/// The simple past: the irregular table, then "-d" after "e", "-ied" after a
/// consonant and "y", doubling for listed verbs, else "-ed".
pub(super) fn past(base: &str) -> String {
    if let Some(past) = irregular_past(base) {
        return past.to_string();
    }
    if base.ends_with('e') {
        return format!("{base}d");
    }
    if let Some(head) = base.strip_suffix('y') {
        if head.chars().last().is_some_and(|c| !is_vowel(c)) {
            return format!("{head}ied");
        }
    }
    if doubles(base) {
        return format!("{}ed", doubled(base));
    }
    format!("{base}ed")
}

/// The past of a present-tense verb as it stands in a clause ("is" → "was",
/// "fits" → "fit", "can" → "could"), or None when `word` is not one.
/// `plural` says whether the subject takes "are"/base forms.
pub(super) fn present_to_past(word: &str, plural: bool) -> Option<String> {
    let fixed = match word {
        "is" | "am" => Some("was"),
        "are" => Some("were"),
        "has" | "have" => Some("had"),
        "does" | "do" => Some("did"),
        "can" => Some("could"),
        "will" => Some("would"),
        "was" | "were" | "could" | "would" | "should" | "must" | "might" | "may" => None,
        _ => return changeable(word, plural),
    };
    fixed.map(str::to_string)
}

fn changeable(word: &str, plural: bool) -> Option<String> {
    let base = if plural {
        is_verb(word).then(|| word.to_string())
    } else {
        third_base(word)
    }?;
    Some(past(&base))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_follow_english_spelling() {
        for (base, ing, ed) in [
            ("design", "designing", "designed"),
            ("make", "making", "made"),
            ("be", "being", "were"),
            ("see", "seeing", "saw"),
            ("tie", "tying", "tied"),
            ("plan", "planning", "planned"),
            ("scope", "scoping", "scoped"),
            ("audit", "auditing", "audited"),
            ("commit", "committing", "committed"),
            ("refer", "referring", "referred"),
            ("control", "controlling", "controlled"),
            ("apply", "applying", "applied"),
            ("deploy", "deploying", "deployed"),
            ("learn", "learning", "learned"),
            ("seek", "seeking", "sought"),
            ("agree", "agreeing", "agreed"),
            ("debug", "debugging", "debugged"),
            ("visit", "visiting", "visited"),
        ] {
            assert_eq!(gerund(base), ing, "{base}");
            assert_eq!(past(base), ed, "{base}");
        }
        for (third, base) in [
            ("designs", "design"),
            ("applies", "apply"),
            ("fixes", "fix"),
            ("ties", "tie"),
            ("caches", "cache"),
            ("uses", "use"),
            ("goes", "go"),
            ("does", "do"),
            ("has", "have"),
            ("focuses", "focus"),
            ("addresses", "address"),
        ] {
            assert_eq!(third_base(third).as_deref(), Some(base), "{third}");
        }
        for (ing, base) in [
            ("designing", "design"),
            ("using", "use"),
            ("running", "run"),
            ("tying", "tie"),
            ("seeing", "see"),
            ("filling", "fill"),
        ] {
            assert_eq!(gerund_base(ing).as_deref(), Some(base), "{ing}");
        }
        assert_eq!(third_base("systems"), None);
        assert_eq!(third_base("process"), None);
    }
}
