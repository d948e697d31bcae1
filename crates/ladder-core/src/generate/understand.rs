//! TEMPORARY stand-in with the agreed interface, replaced by the real
//! behaviour reader when its branch lands.

use super::phrases::to_action;

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Understood {
    Actions(Vec<Action>),
    Topic(String),
    Unusable(&'static str),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Action {
    pub verb: String,
    pub object: String,
    pub adverb: Option<String>,
    pub infinitive: String,
    pub gerund: String,
    pub past: String,
}

pub(crate) fn understand(text: &str) -> Understood {
    let (phrase, verb_led) = to_action(text, true);
    if phrase.split_whitespace().count() < 2 {
        return Understood::Unusable("too short");
    }
    if !verb_led {
        return Understood::Topic(phrase);
    }
    let mut words = phrase.splitn(2, ' ');
    let verb = words.next().unwrap_or_default().to_string();
    let object = words.next().unwrap_or_default().to_string();
    let stem = verb.strip_suffix('e').unwrap_or(&verb);
    let gerund = format!("{stem}ing {object}").trim().to_string();
    let past = format!("{stem}ed {object}").trim().to_string();
    Understood::Actions(vec![Action {
        verb,
        object,
        adverb: None,
        infinitive: phrase,
        gerund,
        past,
    }])
}
