//! What of an interview's scoring a caller may see, for the API and the
//! pages alike (PRODUCT.md §3: interviewers score independently — nobody
//! sees another's scores, or the overall, before submitting their own).
//!
//! - A draft is visible to its author only.
//! - Hiring managers and admins see every submitted scorecard and the
//!   overall score.
//! - An interviewer sees the other interviewers' submitted scorecards and the
//!   overall score once their own is submitted.

use ladder_core::access::Role;
use ladder_store::StoredScorecard;

use crate::http::auth::Principal;

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Sight {
    viewer: Option<String>,
    /// Others' submitted scorecards, the overall score and the must-have
    /// flag.
    scores: bool,
}

impl Sight {
    /// The caller's sight of an interview with these scorecards.
    pub(super) fn of(principal: &Principal, scorecards: &[StoredScorecard]) -> Sight {
        let viewer = principal.user.as_ref();
        let own_submitted = viewer.is_some_and(|user| {
            scorecards
                .iter()
                .any(|card| card.interviewer_id == user.id && card.submitted)
        });
        Sight::new(principal, own_submitted)
    }

    /// The caller's sight when whether their own scorecard is submitted is
    /// known (just after saving it).
    pub(super) fn new(principal: &Principal, own_submitted: bool) -> Sight {
        let viewer = principal.user.as_ref();
        let oversees =
            viewer.is_some_and(|user| matches!(user.role, Role::Admin | Role::HiringManager));
        Sight {
            viewer: viewer.map(|user| user.id.clone()),
            scores: oversees || own_submitted,
        }
    }

    /// Whether the caller may see the overall score (and the must-have
    /// flag, which tells as much).
    pub(super) fn overall(&self) -> bool {
        self.scores
    }

    /// Whether the caller may see this scorecard.
    pub(super) fn shows(&self, card: &StoredScorecard) -> bool {
        let own = self.viewer.as_deref() == Some(card.interviewer_id.as_str());
        own || (card.submitted && self.scores)
    }
}

#[cfg(test)]
mod tests {
    use ladder_core::interview::Scorecard;
    use ladder_store::User;

    use super::*;
    use crate::http::auth::Credential;

    fn caller(id: &str, role: Role) -> Principal {
        Principal {
            user: Some(User {
                id: id.into(),
                email: format!("{id}@example.com"),
                role,
                disabled: false,
                must_change_password: false,
                created_at: 0,
            }),
            credential: Credential::Token,
        }
    }

    fn card(by: &str, submitted: bool) -> StoredScorecard {
        StoredScorecard {
            interview_id: "i".into(),
            interviewer_id: by.into(),
            submitted,
            revision: 1,
            card: Scorecard {
                scores: vec![],
                must_haves: vec![],
                recommendation: None,
                notes: String::new(),
            },
            updated_at: 0,
            submitted_at: None,
            automated: false,
            drafted_by: None,
        }
    }

    #[test]
    fn interviewers_see_others_only_after_submitting_and_drafts_never() {
        let cards = [card("a", false), card("b", true), card("c", false)];
        let a = Sight::of(&caller("a", Role::Interviewer), &cards);
        assert!(!a.overall());
        let shown: Vec<&str> = cards
            .iter()
            .filter(|c| a.shows(c))
            .map(|c| c.interviewer_id.as_str())
            .collect();
        assert_eq!(shown, ["a"]);
        let b = Sight::of(&caller("b", Role::Interviewer), &cards);
        assert!(b.overall());
        let shown: Vec<&str> = cards
            .iter()
            .filter(|c| b.shows(c))
            .map(|c| c.interviewer_id.as_str())
            .collect();
        assert_eq!(
            shown,
            ["b"],
            "submitted, b sees the others' submitted cards: none"
        );
        let cards = [card("a", true), card("b", true), card("c", false)];
        let a = Sight::of(&caller("a", Role::Interviewer), &cards);
        let shown: Vec<&str> = cards
            .iter()
            .filter(|c| a.shows(c))
            .map(|c| c.interviewer_id.as_str())
            .collect();
        assert_eq!(shown, ["a", "b"]);
    }

    #[test]
    fn hiring_managers_and_admins_see_submitted_cards_and_the_overall() {
        let cards = [card("a", false), card("b", true)];
        for role in [Role::HiringManager, Role::Admin] {
            let sight = Sight::of(&caller("m", role), &cards);
            assert!(sight.overall());
            let shown: Vec<&str> = cards
                .iter()
                .filter(|c| sight.shows(c))
                .map(|c| c.interviewer_id.as_str())
                .collect();
            assert_eq!(shown, ["b"], "{role:?} never sees a draft");
        }
    }
}
