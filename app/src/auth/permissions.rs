//! Permission rules as plain functions so that every server function asks the
//! same question the same way, and the UI can hide what the server refuses.

use super::{Role, SessionUser};
use crate::error::AppError;

/// The role the permission rules apply. In practice mode everyone acts as
/// a clerk of their practice municipality, whatever their real role: they
/// may handle documents, open Akten, search and propose plan changes, but
/// administer nothing, decide nothing and see no real figures. A trainee
/// outside practice keeps `Schulung`, which may do nothing with records.
pub fn acting_role(user: &SessionUser) -> Role {
    if user.practice.is_some() {
        Role::Sachbearbeitung
    } else {
        user.role
    }
}

/// Rights wider than a municipal administrator's: the project team works
/// across all four municipalities, and so does anyone responsible for all.
fn has_cross_municipal_rights(role: Role, all_municipalities: bool) -> bool {
    all_municipalities || role == Role::Projektteam
}

/// May `actor` change, reset, deactivate or reactivate an account of
/// `target_municipality` with this role and scope? Nobody may act on an
/// account with wider rights than their own: otherwise a municipal admin
/// could reset the password of an all-municipality account and sign in as
/// it. So municipal admins act only on their own municipality's accounts
/// that are neither project team nor responsible for all municipalities;
/// all-municipality admins act on every account.
pub fn may_act_on_account(
    actor: &SessionUser,
    target_municipality: i64,
    target_role: Role,
    target_all_municipalities: bool,
) -> bool {
    if !crate::auth::guard::Rule::Administration.allows(actor) {
        return false;
    }
    actor.all_municipalities
        || (actor.municipality.id == target_municipality
            && !has_cross_municipal_rights(target_role, target_all_municipalities))
}

/// What an administrator asks to give an account.
#[derive(Clone, Copy, Debug)]
pub struct Assignment {
    pub municipality_id: i64,
    pub role: Role,
    pub all_municipalities: bool,
}

/// Checks that `actor` may give an account this municipality, role and scope.
pub fn check_assignment(actor: &SessionUser, wanted: Assignment) -> Result<(), AppError> {
    if !crate::auth::guard::administers(actor, wanted.municipality_id) {
        return Err(AppError::Forbidden);
    }
    if wanted.all_municipalities && !actor.all_municipalities {
        return Err(AppError::invalid(
            "Nur wer für alle Gemeinden zuständig ist, kann diese Zuständigkeit vergeben.",
        ));
    }
    if wanted.all_municipalities && !matches!(wanted.role, Role::Administration | Role::Projektteam)
    {
        return Err(AppError::invalid(
            "Die Zuständigkeit für alle Gemeinden gibt es nur für Administration und Projektteam.",
        ));
    }
    // The project team acts across all municipalities, so only those who
    // already do may grant it.
    if wanted.role == Role::Projektteam && !actor.all_municipalities {
        return Err(AppError::Forbidden);
    }
    Ok(())
}

/// Admins must not lock themselves out: no deactivating or demoting oneself.
pub fn check_self_change(
    actor: &SessionUser,
    target_user_id: i64,
    new_role: Option<Role>,
    deactivate: bool,
) -> Result<(), AppError> {
    if actor.id != target_user_id {
        return Ok(());
    }
    if deactivate {
        return Err(AppError::invalid(
            "Sie können Ihr eigenes Konto nicht deaktivieren.",
        ));
    }
    if matches!(new_role, Some(role) if role != actor.role) {
        return Err(AppError::invalid(
            "Sie können Ihre eigene Rolle nicht ändern; bitten Sie eine andere Administratorin oder einen anderen Administrator.",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::municipalities::Municipality;

    fn user(id: i64, role: Role, municipality_id: i64, all: bool) -> SessionUser {
        SessionUser {
            id,
            username: format!("u{id}"),
            display_name: format!("User {id}"),
            role,
            municipality: Municipality {
                id: municipality_id,
                code: "X".into(),
                name: "X".into(),
            },
            all_municipalities: all,
            must_change_password: false,
            practice: None,
        }
    }

    fn practising(mut user: SessionUser) -> SessionUser {
        user.practice = Some(crate::auth::PracticeArea {
            home: user.municipality.clone(),
            home_all_municipalities: user.all_municipalities,
        });
        user.municipality = Municipality {
            id: 99,
            code: "UEB7".into(),
            name: "Übung".into(),
        };
        user.all_municipalities = false;
        user
    }

    #[test]
    fn practice_makes_everyone_a_clerk_of_the_practice_area() {
        for role in Role::ALL {
            let practising = practising(user(7, role, ERBACH, role == Role::Projektteam));
            assert_eq!(acting_role(&practising), Role::Sachbearbeitung);
            assert_eq!(practising.role, role, "the real role stays for tours");
            assert!(!crate::auth::guard::Rule::Administration.allows(&practising));
            assert!(!crate::auth::guard::Rule::Administration.allows(&practising));
            assert!(crate::auth::guard::Rule::Clerk.allows(&practising));
            assert!(!crate::auth::guard::Rule::Administration.allows(&practising));
            assert!(crate::auth::guard::Rule::OpenAkten.allows(&practising));
            assert!(crate::auth::guard::Rule::ProposePlanChanges.allows(&practising));
            assert!(!crate::auth::guard::Rule::ProjectTeam.allows(&practising));
            assert_eq!(practising.home_municipality().id, ERBACH);
        }
    }

    #[test]
    fn trainees_outside_practice_reach_nothing_and_cannot_leave() {
        let trainee = user(8, Role::Schulung, ERBACH, false);
        assert_eq!(acting_role(&trainee), Role::Schulung);
        assert!(!crate::auth::guard::Rule::Clerk.allows(&trainee));
        assert!(!crate::auth::guard::Rule::OpenAkten.allows(&trainee));
        assert!(!crate::auth::guard::Rule::ProposePlanChanges.allows(&trainee));
        assert!(!crate::auth::guard::Rule::Administration.allows(&trainee));
        assert!(!crate::auth::guard::Rule::LeavePractice.allows(&trainee));
        assert!(!crate::auth::guard::Rule::LeavePractice.allows(&practising(trainee)));
        assert!(
            crate::auth::guard::Rule::LeavePractice.allows(&practising(user(
                9,
                Role::Sachbearbeitung,
                ERBACH,
                false
            )))
        );
    }

    #[test]
    fn outside_practice_the_real_role_counts() {
        let admin = user(1, Role::Administration, ERBACH, false);
        assert_eq!(acting_role(&admin), Role::Administration);
        assert!(crate::auth::guard::Rule::Administration.allows(&admin));
        assert!(crate::auth::guard::Rule::ProjectTeam.allows(&user(
            2,
            Role::Projektteam,
            ERBACH,
            true
        )));
    }

    const MICHELSTADT: i64 = 1;
    const ERBACH: i64 = 2;

    #[test]
    fn only_administration_administers_users() {
        assert!(crate::auth::guard::Rule::Administration.allows(&user(
            1,
            Role::Administration,
            ERBACH,
            false
        )));
        for role in [Role::Projektteam, Role::Sachbearbeitung, Role::Schulung] {
            assert!(!crate::auth::guard::Rule::Administration.allows(&user(1, role, ERBACH, true)));
        }
    }

    #[test]
    fn municipal_admin_is_limited_to_own_municipality() {
        let erbach_admin = user(1, Role::Administration, ERBACH, false);
        assert!(crate::auth::guard::administers(&erbach_admin, ERBACH));
        assert!(!crate::auth::guard::administers(&erbach_admin, MICHELSTADT));
        let central_admin = user(2, Role::Administration, MICHELSTADT, true);
        assert!(crate::auth::guard::administers(&central_admin, ERBACH));
    }

    #[test]
    fn all_municipalities_scope_only_granted_by_those_who_have_it() {
        let erbach_admin = user(1, Role::Administration, ERBACH, false);
        let wanted = Assignment {
            municipality_id: ERBACH,
            role: Role::Projektteam,
            all_municipalities: true,
        };
        assert!(check_assignment(&erbach_admin, wanted).is_err());
        let central_admin = user(2, Role::Administration, MICHELSTADT, true);
        assert!(check_assignment(&central_admin, wanted).is_ok());
        let trainee_everywhere = Assignment {
            role: Role::Schulung,
            ..wanted
        };
        assert!(check_assignment(&central_admin, trainee_everywhere).is_err());
    }

    #[test]
    fn nobody_acts_on_an_account_with_wider_rights() {
        let michelstadt_admin = user(1, Role::Administration, MICHELSTADT, false);
        // Own municipality, ordinary rights: yes.
        for role in [Role::Administration, Role::Sachbearbeitung, Role::Schulung] {
            assert!(may_act_on_account(
                &michelstadt_admin,
                MICHELSTADT,
                role,
                false
            ));
        }
        // The bootstrap admin, the central admin, any project team: no.
        assert!(!may_act_on_account(
            &michelstadt_admin,
            MICHELSTADT,
            Role::Administration,
            true
        ));
        assert!(!may_act_on_account(
            &michelstadt_admin,
            MICHELSTADT,
            Role::Projektteam,
            true
        ));
        assert!(!may_act_on_account(
            &michelstadt_admin,
            MICHELSTADT,
            Role::Projektteam,
            false
        ));
        // Another municipality: no.
        assert!(!may_act_on_account(
            &michelstadt_admin,
            ERBACH,
            Role::Sachbearbeitung,
            false
        ));
        // The central admin acts on everyone, its peers included.
        let central_admin = user(2, Role::Administration, MICHELSTADT, true);
        for role in Role::ALL {
            for all in [false, true] {
                assert!(may_act_on_account(&central_admin, ERBACH, role, all));
            }
        }
        // Non-admins and practising admins act on no one.
        let team = user(3, Role::Projektteam, MICHELSTADT, true);
        assert!(!may_act_on_account(
            &team,
            MICHELSTADT,
            Role::Schulung,
            false
        ));
        let practising_admin = practising(central_admin);
        assert!(!may_act_on_account(
            &practising_admin,
            99,
            Role::Schulung,
            false
        ));
    }

    #[test]
    fn only_all_municipality_admins_grant_the_project_team() {
        let erbach_admin = user(1, Role::Administration, ERBACH, false);
        let team = Assignment {
            municipality_id: ERBACH,
            role: Role::Projektteam,
            all_municipalities: false,
        };
        assert_eq!(
            check_assignment(&erbach_admin, team),
            Err(AppError::Forbidden)
        );
        let clerk = Assignment {
            role: Role::Sachbearbeitung,
            ..team
        };
        assert!(check_assignment(&erbach_admin, clerk).is_ok());
        let central_admin = user(2, Role::Administration, MICHELSTADT, true);
        assert!(check_assignment(&central_admin, team).is_ok());
    }

    #[test]
    fn project_team_is_the_acting_role() {
        assert!(crate::auth::guard::Rule::ProjectTeam.allows(&user(
            1,
            Role::Projektteam,
            ERBACH,
            false
        )));
        assert!(crate::auth::guard::Rule::ProjectTeam.allows(&user(
            1,
            Role::Projektteam,
            MICHELSTADT,
            true
        )));
        assert!(
            !crate::auth::guard::Rule::ProjectTeam.allows(&practising(user(
                1,
                Role::Projektteam,
                MICHELSTADT,
                true
            )))
        );
        assert!(!crate::auth::guard::Rule::ProjectTeam.allows(&user(
            1,
            Role::Administration,
            MICHELSTADT,
            true
        )));
    }

    #[test]
    fn admins_cannot_lock_themselves_out() {
        let admin = user(7, Role::Administration, ERBACH, false);
        assert!(check_self_change(&admin, 7, None, true).is_err());
        assert!(check_self_change(&admin, 7, Some(Role::Sachbearbeitung), false).is_err());
        assert!(check_self_change(&admin, 7, Some(Role::Administration), false).is_ok());
        assert!(check_self_change(&admin, 8, Some(Role::Schulung), true).is_ok());
    }
}
