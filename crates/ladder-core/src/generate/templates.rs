//! Which templates a seed is asked through, and filling them in.

use super::round_one::{
    ONE_ACTION, ONE_PAIRED_ACTION, ONE_PAIRED_TOPIC, ONE_QUOTE, ONE_TITLE, ONE_TOPIC,
};
use super::round_two::{
    TWO_ACTION, TWO_PAIRED_ACTION, TWO_PAIRED_TOPIC, TWO_QUOTE, TWO_TITLE, TWO_TOPIC,
};
use super::seeds::{Kind, Seed};
use super::Round;
use crate::text::collapse_whitespace;

pub(super) fn templates(seed: &Seed, round: Round) -> &'static [&'static str] {
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

/// Fills `{p}` with the seed's phrase, `{g}` and `{d}` with its gerund and
/// past, `{s}` with its setting and `{c}` with the team's domain; `None`
/// when the template needs something the seed does not have. A phrase with
/// a comma of its own that the sentence runs on after is closed with a
/// comma: "…adding replicas, not by heroics, along the way?".
pub(super) fn render(template: &str, seed: &Seed, domain: Option<&str>) -> Option<String> {
    let mut filled = String::with_capacity(template.len() + seed.phrase.len() * 2);
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        let value = match rest.get(start..start + 3) {
            Some("{p}") => seed.phrase.as_str(),
            Some("{g}") => seed.gerund.as_deref()?,
            Some("{d}") => seed.past.as_deref()?,
            Some("{s}") => seed.setting.as_ref().map(|(_, setting)| setting.as_str())?,
            Some("{c}") => domain?,
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
                // The end of a list ("Rust, PostgreSQL and the platform").
                && !tail.contains(" and ")
                && !tail.contains(" or ")
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
    Some(text)
}
