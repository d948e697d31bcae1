//! Small pieces every page handler shares: decoded form bodies, messages
//! turned into sentences, and who may edit job specs.

use ladder_core::access::{allowed, Action};

use crate::access::url_decode_pairs;
use crate::auth::Principal;

/// "job spec x not found" -> "Job spec x not found."
pub(crate) fn sentence(text: &str) -> String {
    let mut chars = text.chars();
    let mut out: String = chars
        .next()
        .map(|c| c.to_uppercase().collect())
        .unwrap_or_default();
    out.push_str(chars.as_str());
    if !out.ends_with(['.', '!', '?']) {
        out.push('.');
    }
    out
}

pub(crate) fn can_edit(principal: &Principal) -> bool {
    allowed(
        principal.user.as_ref().map(|user| user.role),
        Action::EditJobSpecs,
        false,
    )
}

/// Browsers send textarea line breaks as CRLF.
pub(crate) fn normalise(text: &str) -> String {
    text.replace("\r\n", "\n")
}

/// A decoded `application/x-www-form-urlencoded` body. Handlers read the raw
/// body so that a malformed form still gets a page, not a plain rejection,
/// and so repeated fields (editor rows) keep their order.
pub(crate) struct Fields(Vec<(String, String)>);

impl Fields {
    pub(crate) fn parse(body: &[u8]) -> Fields {
        Fields(url_decode_pairs(body))
    }

    pub(crate) fn first(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    pub(crate) fn all(&self, name: &str) -> Vec<&str> {
        self.0
            .iter()
            .filter(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
            .collect()
    }

    pub(crate) fn has(&self, name: &str) -> bool {
        self.0.iter().any(|(key, _)| key == name)
    }

    pub(crate) fn text(&self, name: &str) -> String {
        self.first(name).map(normalise).unwrap_or_default()
    }
}
