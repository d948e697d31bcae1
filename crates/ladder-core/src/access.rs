//! Who may do what. Every authorisation decision in Ladder is made by
//! [`allowed`]; handlers only say which [`Action`] they perform.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Admin,
    HiringManager,
    Interviewer,
    /// An engineer using progression: sees their own standing and assesses themselves.
    Member,
    /// An engineering manager: places people on frameworks and assesses their reports.
    Manager,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::Admin,
        Role::HiringManager,
        Role::Interviewer,
        Role::Member,
        Role::Manager,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::HiringManager => "hiring_manager",
            Role::Interviewer => "interviewer",
            Role::Member => "member",
            Role::Manager => "manager",
        }
    }

    pub fn parse(text: &str) -> Option<Role> {
        Role::ALL
            .into_iter()
            .find(|role| role.as_str() == text.trim())
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// Anyone, logged in or not: the login page, health checks, static assets.
    Public,
    /// Read frameworks, versions, comparisons and search.
    BrowseFrameworks,
    /// Upload or import a framework file.
    ImportFrameworks,
    /// Change one's own password, log out.
    ManageOwnAccount,
    /// Add users, change roles, disable accounts, change settings.
    ManageUsers,
    /// Read the audit log.
    ReadAudit,
    /// Read job specs, their versions and questions.
    ReadJobSpecs,
    /// Create, edit and publish job specs.
    EditJobSpecs,
    /// See people's progression and assess. Which people is decided per person:
    /// oneself, one's reports (as their current manager), everyone for admins.
    TrackProgression,
    /// Place a person on a framework (admins anyone; managers their reports or
    /// people nobody manages yet, under themselves).
    PlacePeople,
}

/// The single authorisation rule. `role` is `None` for an anonymous request;
/// `public_browsing` is the admin's setting that opens framework browsing to
/// anyone.
pub fn allowed(role: Option<Role>, action: Action, public_browsing: bool) -> bool {
    match (action, role) {
        (Action::Public, _) => true,
        (Action::BrowseFrameworks, None) => public_browsing,
        (Action::BrowseFrameworks, Some(_)) => true,
        (Action::ManageOwnAccount, role) => role.is_some(),
        (Action::ImportFrameworks | Action::ManageUsers | Action::ReadAudit, role) => {
            role == Some(Role::Admin)
        }
        (Action::ReadJobSpecs, role) => matches!(
            role,
            Some(Role::Admin | Role::HiringManager | Role::Interviewer)
        ),
        (Action::EditJobSpecs, role) => matches!(role, Some(Role::Admin | Role::HiringManager)),
        (Action::TrackProgression, role) => role.is_some(),
        (Action::PlacePeople, role) => matches!(role, Some(Role::Admin | Role::Manager)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_round_trip_through_their_names() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert_eq!(Role::parse("owner"), None);
    }

    #[test]
    fn anonymous_users_browse_only_when_public() {
        assert!(allowed(None, Action::BrowseFrameworks, true));
        assert!(!allowed(None, Action::BrowseFrameworks, false));
        assert!(!allowed(None, Action::ManageOwnAccount, true));
    }

    #[test]
    fn hiring_managers_edit_job_specs_and_interviewers_read_them() {
        assert!(allowed(
            Some(Role::HiringManager),
            Action::EditJobSpecs,
            true
        ));
        assert!(allowed(Some(Role::Admin), Action::EditJobSpecs, true));
        assert!(!allowed(
            Some(Role::Interviewer),
            Action::EditJobSpecs,
            true
        ));
        assert!(allowed(Some(Role::Interviewer), Action::ReadJobSpecs, true));
        assert!(!allowed(Some(Role::Member), Action::ReadJobSpecs, true));
        assert!(!allowed(None, Action::ReadJobSpecs, true));
    }

    #[test]
    fn admins_and_managers_place_people_and_everyone_signed_in_tracks() {
        for role in Role::ALL {
            assert_eq!(
                allowed(Some(role), Action::PlacePeople, true),
                matches!(role, Role::Admin | Role::Manager)
            );
            assert!(allowed(Some(role), Action::TrackProgression, false));
        }
        assert!(!allowed(None, Action::TrackProgression, true));
        assert!(!allowed(None, Action::PlacePeople, true));
    }

    #[test]
    fn only_admins_administer() {
        for role in Role::ALL {
            let admin = role == Role::Admin;
            assert_eq!(allowed(Some(role), Action::ManageUsers, true), admin);
            assert_eq!(allowed(Some(role), Action::ImportFrameworks, true), admin);
            assert_eq!(allowed(Some(role), Action::ReadAudit, true), admin);
            assert!(allowed(Some(role), Action::BrowseFrameworks, false));
        }
    }
}
