//! The progression rule as the person page and the editor state it.

use ladder_core::progression::percent_text;
use ladder_core::Framework;

/// "A: under 25% · B: from 25% · C: from 50% · D: from 75%".
pub fn sublevel_bands(letters: &[String]) -> Option<String> {
    if letters.is_empty() {
        return None;
    }
    let k = letters.len() as u64;
    let bound = |i: u64| {
        if (i * 10_000).is_multiple_of(k) {
            percent_text(i * 10_000 / k)
        } else {
            format!("{i}/{k}")
        }
    };
    let parts: Vec<String> = letters
        .iter()
        .enumerate()
        .map(|(i, letter)| {
            let i = i as u64;
            if i == 0 {
                if k == 1 {
                    format!("{letter}: any share")
                } else {
                    format!("{letter}: under {}", bound(1))
                }
            } else {
                format!("{letter}: from {}", bound(i))
            }
        })
        .collect();
    Some(parts.join(" · "))
}

/// The rule as the page states it.
pub(super) struct RuleView {
    pub(super) threshold: String,
    pub(super) bands: Option<String>,
}

pub(super) fn rule(framework: &Framework, threshold_bp: u32) -> RuleView {
    RuleView {
        threshold: percent_text(u64::from(threshold_bp)),
        bands: framework.sublevels.as_deref().and_then(sublevel_bands),
    }
}
