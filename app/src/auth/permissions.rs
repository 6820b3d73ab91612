//! Permission rules as plain functions so that every server function asks the
//! same question the same way, and the UI can hide what the server refuses.

use super::{Role, SessionUser};
use crate::error::AppError;

/// May this user open the user administration at all?
pub fn can_administer_users(user: &SessionUser) -> bool {
    user.role == Role::Administration
}

/// May `actor` manage accounts that belong to `municipality_id`?
/// Municipal admins manage their own municipality; an admin responsible for
/// all four municipalities manages everyone.
pub fn can_manage_users_of(actor: &SessionUser, municipality_id: i64) -> bool {
    can_administer_users(actor)
        && (actor.all_municipalities || actor.municipality.id == municipality_id)
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
    if !can_manage_users_of(actor, wanted.municipality_id) {
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

/// The main sections and who sees them in the navigation.
pub fn may_see_administration(user: &SessionUser) -> bool {
    can_administer_users(user)
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
        }
    }

    const MICHELSTADT: i64 = 1;
    const ERBACH: i64 = 2;

    #[test]
    fn only_administration_administers_users() {
        assert!(can_administer_users(&user(
            1,
            Role::Administration,
            ERBACH,
            false
        )));
        for role in [Role::Projektteam, Role::Sachbearbeitung, Role::Schulung] {
            assert!(!can_administer_users(&user(1, role, ERBACH, true)));
        }
    }

    #[test]
    fn municipal_admin_is_limited_to_own_municipality() {
        let erbach_admin = user(1, Role::Administration, ERBACH, false);
        assert!(can_manage_users_of(&erbach_admin, ERBACH));
        assert!(!can_manage_users_of(&erbach_admin, MICHELSTADT));
        let central_admin = user(2, Role::Administration, MICHELSTADT, true);
        assert!(can_manage_users_of(&central_admin, ERBACH));
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
    fn admins_cannot_lock_themselves_out() {
        let admin = user(7, Role::Administration, ERBACH, false);
        assert!(check_self_change(&admin, 7, None, true).is_err());
        assert!(check_self_change(&admin, 7, Some(Role::Sachbearbeitung), false).is_err());
        assert!(check_self_change(&admin, 7, Some(Role::Administration), false).is_ok());
        assert!(check_self_change(&admin, 8, Some(Role::Schulung), true).is_ok());
    }
}
