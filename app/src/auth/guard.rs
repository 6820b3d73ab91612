//! Who may do what: every rule that opens a page, a server function, an
//! HTTP route or a button, in one place.
//!
//! A [`Rule`] is a plain predicate over the [`SessionUser`], so the
//! navigation and the start page ask exactly what the server enforces.
//! On the server, use cases call [`require`] (server functions) or take an
//! [`Allowed`] extractor (axum handlers); both refuse in the same words.
//! Rules about single records (which municipality may see this Akte, who
//! may act on that account) live with the records, but build on these.

use super::permissions::acting_role;
use super::{Role, SessionUser};

/// The rules, one per kind of person the house knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Rule {
    /// Anyone signed in whose password is no longer a one-time password.
    SignedIn,
    /// Staff doing the casework (everyone in practice mode): upload, read
    /// and file documents, search, trash and restore.
    Clerk,
    /// Open and browse Akten: everyone except trainees outside practice.
    OpenAkten,
    /// Propose changes to the shared Aktenplan: staff and the project team.
    ProposePlanChanges,
    /// The central project team (outside practice): announcements, guides,
    /// tours, training sessions, questions, deciding plan changes.
    ProjectTeam,
    /// A municipality's Administration (outside practice): accounts of
    /// its municipality, emptying the trash.
    Administration,
    /// Administration responsible for all four municipalities: the shared
    /// document store, the Projektteam grant.
    AllMunicipalityAdministration,
    /// The rollout dashboard: the project team and Administration.
    RolloutFigures,
    /// Switch practice mode on and off (trainees are always in it).
    LeavePractice,
    /// Absences and their Vertretung: clerks their own, the Administration
    /// those of its municipality; real work only, so not in practice.
    Absences,
}

impl Rule {
    pub fn allows(self, user: &SessionUser) -> bool {
        let role = acting_role(user);
        match self {
            Rule::SignedIn => true,
            Rule::Clerk => role == Role::Sachbearbeitung,
            Rule::OpenAkten => role != Role::Schulung,
            Rule::ProposePlanChanges => {
                matches!(role, Role::Sachbearbeitung | Role::Projektteam)
            }
            Rule::ProjectTeam => role == Role::Projektteam,
            Rule::Administration => role == Role::Administration,
            Rule::AllMunicipalityAdministration => {
                role == Role::Administration && user.all_municipalities
            }
            Rule::RolloutFigures => matches!(role, Role::Projektteam | Role::Administration),
            Rule::LeavePractice => user.role != Role::Schulung,
            Rule::Absences => {
                !user.in_practice() && matches!(role, Role::Sachbearbeitung | Role::Administration)
            }
        }
    }
}

/// May `user` administer accounts of `municipality_id`? Municipal
/// administrators their own municipality, all-municipality administrators
/// every one.
pub fn administers(user: &SessionUser, municipality_id: i64) -> bool {
    Rule::Administration.allows(user)
        && (user.all_municipalities || user.municipality.id == municipality_id)
}

#[cfg(feature = "ssr")]
pub use server::*;

#[cfg(feature = "ssr")]
mod server {
    use super::Rule;
    use crate::auth::SessionUser;
    use crate::error::AppError;
    use crate::state::AppState;
    use std::marker::PhantomData;

    /// The one check: signed in, password changed, and allowed by `rule`.
    pub fn check(user: &SessionUser, rule: Rule) -> Result<(), AppError> {
        if user.must_change_password {
            return Err(AppError::PasswordChangeRequired);
        }
        if rule.allows(user) {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }

    /// For server functions: the signed-in user of this request if `rule`
    /// allows them, with the app state their use case needs.
    pub fn require(rule: Rule) -> Result<(SessionUser, AppState), AppError> {
        let user = crate::auth::current_user().ok_or(AppError::NotLoggedIn)?;
        check(&user, rule)?;
        Ok((user, AppState::from_context()?))
    }

    /// Administration of `municipality_id` (see [`super::administers`]).
    pub fn require_administration_of(
        user: &SessionUser,
        municipality_id: i64,
    ) -> Result<(), AppError> {
        check(user, Rule::Administration)?;
        if super::administers(user, municipality_id) {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }

    /// A rule as a type, for the [`Allowed`] extractor.
    pub trait GuardRule: Send + Sync + 'static {
        const RULE: Rule;
    }

    macro_rules! rule_types {
        ($($name:ident),*) => {
            $(
                #[doc = concat!("[`Rule::", stringify!($name), "`] as a type.")]
                pub struct $name;
                impl GuardRule for $name {
                    const RULE: Rule = Rule::$name;
                }
            )*
        };
    }

    /// Marker types for [`Allowed`], one per [`Rule`].
    pub mod rules {
        use super::{GuardRule, Rule};
        rule_types!(
            SignedIn,
            Clerk,
            OpenAkten,
            ProposePlanChanges,
            ProjectTeam,
            Administration,
            AllMunicipalityAdministration,
            RolloutFigures,
            LeavePractice,
            Absences
        );
    }

    /// For axum handlers: `Allowed<rules::Clerk>` extracts the session user
    /// the session layer put into the request, or refuses with the same
    /// [`AppError`] a server function would give (JSON, status code).
    pub struct Allowed<R: GuardRule> {
        pub user: SessionUser,
        rule: PhantomData<R>,
    }

    impl<R: GuardRule, S: Send + Sync> axum::extract::FromRequestParts<S> for Allowed<R> {
        type Rejection = AppError;

        async fn from_request_parts(
            parts: &mut axum::http::request::Parts,
            _state: &S,
        ) -> Result<Self, Self::Rejection> {
            let user = parts
                .extensions
                .get::<SessionUser>()
                .cloned()
                .ok_or(AppError::NotLoggedIn)?;
            check(&user, R::RULE)?;
            Ok(Allowed {
                user,
                rule: PhantomData,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::PracticeArea;
    use crate::municipalities::Municipality;

    fn user(role: Role, all: bool, practice: bool) -> SessionUser {
        let municipality = Municipality {
            id: 1,
            code: "MIC".into(),
            name: "Michelstadt".into(),
        };
        SessionUser {
            id: 7,
            username: "u".into(),
            display_name: "U".into(),
            role,
            municipality: municipality.clone(),
            all_municipalities: all && !practice,
            must_change_password: false,
            practice: practice.then_some(PracticeArea {
                home: municipality,
                home_all_municipalities: all,
            }),
        }
    }

    #[test]
    fn each_role_gets_exactly_its_rules() {
        use Rule::*;
        let table: [(Role, bool, &[Rule]); 5] = [
            (
                Role::Sachbearbeitung,
                false,
                &[
                    SignedIn,
                    Clerk,
                    OpenAkten,
                    ProposePlanChanges,
                    LeavePractice,
                    Absences,
                ],
            ),
            (
                Role::Projektteam,
                false,
                &[
                    SignedIn,
                    OpenAkten,
                    ProposePlanChanges,
                    ProjectTeam,
                    RolloutFigures,
                    LeavePractice,
                ],
            ),
            (
                Role::Administration,
                false,
                &[
                    SignedIn,
                    OpenAkten,
                    Administration,
                    RolloutFigures,
                    LeavePractice,
                    Absences,
                ],
            ),
            (
                Role::Administration,
                true,
                &[
                    SignedIn,
                    OpenAkten,
                    Administration,
                    AllMunicipalityAdministration,
                    RolloutFigures,
                    LeavePractice,
                    Absences,
                ],
            ),
            (Role::Schulung, false, &[SignedIn]),
        ];
        let all_rules = [
            SignedIn,
            Clerk,
            OpenAkten,
            ProposePlanChanges,
            ProjectTeam,
            Administration,
            AllMunicipalityAdministration,
            RolloutFigures,
            LeavePractice,
            Absences,
        ];
        for (role, all, allowed) in table {
            let person = user(role, all, false);
            for rule in all_rules {
                assert_eq!(
                    rule.allows(&person),
                    allowed.contains(&rule),
                    "{role:?} (all: {all}) and {rule:?}"
                );
            }
        }
    }

    #[test]
    fn in_practice_everyone_is_a_clerk_and_nothing_more() {
        for role in Role::ALL {
            let person = user(role, true, true);
            assert!(Rule::Clerk.allows(&person), "{role:?}");
            assert!(!Rule::ProjectTeam.allows(&person), "{role:?}");
            assert!(!Rule::Administration.allows(&person), "{role:?}");
            assert!(!Rule::RolloutFigures.allows(&person), "{role:?}");
            assert!(!Rule::Absences.allows(&person), "{role:?}");
            assert_eq!(
                Rule::LeavePractice.allows(&person),
                role != Role::Schulung,
                "{role:?}"
            );
        }
    }

    #[test]
    fn administrators_administer_their_municipality_or_all() {
        let own = user(Role::Administration, false, false);
        assert!(administers(&own, 1));
        assert!(!administers(&own, 2));
        let all = user(Role::Administration, true, false);
        assert!(administers(&all, 2));
        let team = user(Role::Projektteam, true, false);
        assert!(!administers(&team, 1));
    }
}
