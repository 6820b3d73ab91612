//! `/verwaltung`: user administration for the municipal IT.
//! The account being edited is in the URL (`?bearbeiten=ID`), so the page can
//! be linked, reloaded and used without JavaScript.

use super::server_fns::{list_users, CreateUser, ResetPassword, SetUserActive, UpdateUser};
use super::{AdminOverview, OneTimePassword, UserSummary};
use crate::auth::Role;
use crate::error::AppError;
use crate::form_post::{FormAction, PostForm};
use crate::ui::{ErrorNotice, PageHeading};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn UserAdminPage() -> impl IntoView {
    let create = FormAction::<crate::users::OneTimePassword>::of::<CreateUser>();
    let update = FormAction::<()>::of::<UpdateUser>();
    let set_active = FormAction::<()>::of::<SetUserActive>();
    let reset = FormAction::<crate::users::OneTimePassword>::of::<ResetPassword>();
    let overview = crate::server_json::resource(
        move || {
            (
                create.version().get(),
                update.version().get(),
                set_active.version().get(),
                reset.version().get(),
            )
        },
        |_| list_users(),
    );
    let query = use_query_map();
    let editing = move || {
        query
            .read()
            .get("bearbeiten")
            .and_then(|id| id.parse::<i64>().ok())
    };

    view! {
        <PageHeading title="Verwaltung: Benutzerkonten"/>
        <p class="lead">
            "Legen Sie Konten an, ändern Sie Gemeinde und Rolle, setzen Sie Passwörter zurück. "
            <a href="/verwaltung/protokoll">"Zum Protokoll aller Änderungen"</a>
            " · "
            <a href="/verwaltung/verarbeitung">"Texterkennung: Warteschlange"</a>
            " · "
            <a href="/abwesenheit">"Abwesenheiten und Vertretungen"</a>
            " · "
            <a href="/verwaltung/funktionen">"Funktionen für Laufwege"</a>
            " · "
            <a href="/verwaltung/scan-ordner">"Scan-Ordner"</a>
            " · "
            <a href="/verwaltung/postfaecher">"Postfächer"</a>
        </p>
        <div role="status" aria-live="polite" class="action-results">
            <OneTimePasswordNotice result=Signal::derive(move || create.value().get()) created=true/>
            <OneTimePasswordNotice result=Signal::derive(move || reset.value().get()) created=false/>
            <crate::ui::ResultNotice result=Signal::derive(move || update.value().get()) success="Die Änderungen wurden gespeichert."/>
            <crate::ui::ResultNotice result=Signal::derive(move || set_active.value().get()) success="Der Status des Kontos wurde geändert."/>
        </div>
        <Transition fallback=|| view! { <p>"Benutzerkonten werden geladen …"</p> }>
            {move || Suspend::new(async move {
                match overview.await {
                    Ok(overview) => {
                        let edit_form = editing()
                            .filter(|id| !overview.read_only.contains(id))
                            .and_then(|id| overview.users.iter().find(|u| u.id == id).cloned())
                            .map(|user| view! { <EditUserForm user overview=overview.clone() action=update/> });
                        view! {
                            {edit_form}
                            <UserTable overview=overview.clone() set_active reset/>
                            <CreateUserForm overview action=create/>
                        }
                            .into_any()
                    }
                    Err(error) => view! { <ErrorNotice error/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn OneTimePasswordNotice(
    result: Signal<Option<Result<OneTimePassword, AppError>>>,
    created: bool,
) -> impl IntoView {
    move || {
        result.get().map(|result| match result {
            Ok(otp) => view! {
                <div class="notice success one-time-password">
                    <p>
                        {if created { "Konto angelegt für " } else { "Neues Passwort für " }}
                        <strong>{otp.display_name}</strong>
                        " (Benutzername "<code>{otp.username}</code>")."
                    </p>
                    <p>
                        "Einmal-Passwort: " <code class="secret">{otp.password}</code>
                    </p>
                    <p class="hint">
                        "Geben Sie es persönlich oder telefonisch weiter. Es wird nur jetzt angezeigt und muss bei der ersten Anmeldung geändert werden."
                    </p>
                </div>
            }
            .into_any(),
            Err(error) => view! { <ErrorNotice error/> }.into_any(),
        })
    }
}

#[component]
fn UserTable(
    overview: AdminOverview,
    set_active: FormAction<()>,
    reset: FormAction<crate::users::OneTimePassword>,
) -> impl IntoView {
    let own_id = overview.own_user_id;
    let read_only = overview.read_only.clone();
    view! {
        <section aria-labelledby="users-heading">
            <h2 id="users-heading">{format!("Benutzerkonten ({})", overview.users.len())}</h2>
            <div class="table-wrap" tabindex="0" role="region" aria-labelledby="users-heading">
                <table class="users-table">
                    <thead>
                        <tr>
                            <th scope="col">"Name"</th>
                            <th scope="col">"Benutzername"</th>
                            <th scope="col">"Gemeinde"</th>
                            <th scope="col">"Rolle"</th>
                            <th scope="col">"Status"</th>
                            <th scope="col">"Letzte Anmeldung"</th>
                            <th scope="col">"Aktionen"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {overview
                            .users
                            .into_iter()
                            .map(|user| {
                                let editable = !read_only.contains(&user.id);
                                view! { <UserRow user own_id editable set_active reset/> }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}

#[component]
fn UserRow(
    user: UserSummary,
    own_id: i64,
    /// False for accounts with wider rights than the admin's: the server
    /// refuses every change, so none is offered.
    editable: bool,
    set_active: FormAction<()>,
    reset: FormAction<crate::users::OneTimePassword>,
) -> impl IntoView {
    let status = match (user.active, user.must_change_password) {
        (false, _) => "deaktiviert",
        (true, true) => "aktiv, Passwortwechsel offen",
        (true, false) => "aktiv",
    };
    let role = if user.all_municipalities {
        format!("{} (alle Gemeinden)", user.role.label())
    } else {
        user.role.label().to_string()
    };
    let name = user.display_name.clone();
    let edit_label = format!("{name} bearbeiten");
    let reset_label = format!("Passwort zurücksetzen für {name}");
    view! {
        <tr class:inactive=!user.active>
            <td>{user.display_name.clone()}</td>
            <td><code>{user.username.clone()}</code></td>
            <td>{user.municipality_name.clone()}</td>
            <td>{role}</td>
            <td>{status}</td>
            <td>{user.last_login.clone().unwrap_or_else(|| "noch nie".into())}</td>
            <td class="row-actions">
                {if editable {
                    view! {
                        <a
                            class="button secondary small"
                            href=format!("/verwaltung?bearbeiten={}", user.id)
                            aria-label=edit_label
                        >
                            "Bearbeiten"
                        </a>
                        <PostForm action=reset>
                            <input type="hidden" name="id" value=user.id/>
                            <button type="submit" class="button secondary small" aria-label=reset_label>
                                "Passwort zurücksetzen"
                            </button>
                        </PostForm>
                        {(user.id != own_id)
                            .then(|| {
                                let (label, value) = if user.active {
                                    ("Deaktivieren", "false")
                                } else {
                                    ("Reaktivieren", "true")
                                };
                                let name = name.clone();
                                view! {
                                    <PostForm action=set_active>
                                        <input type="hidden" name="id" value=user.id/>
                                        <input type="hidden" name="active" value=value/>
                                        <button
                                            type="submit"
                                            class="button secondary small"
                                            aria-label=format!("{name} {}", label.to_lowercase())
                                        >
                                            {label}
                                        </button>
                                    </PostForm>
                                }
                            })}
                    }
                    .into_any()
                } else {
                    view! {
                        <span class="hint">
                            "Nur die gemeindeübergreifende Administration kann dieses Konto ändern."
                        </span>
                    }
                    .into_any()
                }}
            </td>
        </tr>
    }
}

/// The select boxes and checkbox shared by the create and edit forms.
#[component]
fn AccountFields(
    overview: AdminOverview,
    prefix: &'static str,
    #[prop(optional)] user: Option<UserSummary>,
) -> impl IntoView {
    let selected_municipality = user.as_ref().map(|u| u.municipality_id);
    let selected_role = user
        .as_ref()
        .map(|u| u.role)
        .unwrap_or(Role::Sachbearbeitung);
    let all = user.as_ref().is_some_and(|u| u.all_municipalities);
    view! {
        <label for=format!("{prefix}-name")>"Name (wie er angezeigt wird)"</label>
        <input
            id=format!("{prefix}-name")
            name="display_name"
            type="text"
            required
            maxlength="100"
            autocomplete="off"
            value=user.as_ref().map(|u| u.display_name.clone())
        />
        <label for=format!("{prefix}-email")>"E-Mail (freiwillig)"</label>
        <input
            id=format!("{prefix}-email")
            name="email"
            type="email"
            autocomplete="off"
            value=user.as_ref().and_then(|u| u.email.clone())
        />
        <label for=format!("{prefix}-municipality")>"Gemeinde"</label>
        <select id=format!("{prefix}-municipality") name="municipality_id" required>
            {overview
                .municipalities
                .into_iter()
                .map(|m| {
                    let selected = selected_municipality == Some(m.id);
                    view! { <option value=m.id selected=selected>{m.name}</option> }
                })
                .collect_view()}
        </select>
        <label for=format!("{prefix}-role")>"Rolle"</label>
        <select id=format!("{prefix}-role") name="role" required aria-describedby=format!("{prefix}-role-hint")>
            {Role::ALL
                .into_iter()
                // Offer only what the server accepts from this admin.
                .filter(|role| *role != Role::Projektteam || overview.can_grant_project_team)
                .map(|role| {
                    view! {
                        <option value=role.as_str() selected=role == selected_role>
                            {role.label()}
                        </option>
                    }
                })
                .collect_view()}
        </select>
        <p id=format!("{prefix}-role-hint") class="hint">
            "Sachbearbeitung: tägliche Arbeit. Projektteam: Einführung für alle vier Gemeinden. Schulung: nur Übungsbereich. Administration: Benutzerkonten."
        </p>
        {overview
            .can_grant_all_municipalities
            .then(|| {
                view! {
                    <div class="checkbox">
                        <input
                            id=format!("{prefix}-all")
                            name="all_municipalities"
                            type="checkbox"
                            value="on"
                            checked=all
                        />
                        <label for=format!("{prefix}-all")>
                            "Zuständig für alle vier Gemeinden (nur Administration und Projektteam)"
                        </label>
                    </div>
                }
            })}
    }
}

#[component]
fn CreateUserForm(
    overview: AdminOverview,
    action: FormAction<crate::users::OneTimePassword>,
) -> impl IntoView {
    view! {
        <section aria-labelledby="create-heading" class="panel">
            <h2 id="create-heading">"Neues Benutzerkonto"</h2>
            <PostForm action class="stacked-form narrow">
                <label for="new-username">"Benutzername"</label>
                <input
                    id="new-username"
                    name="username"
                    type="text"
                    required
                    minlength="3"
                    maxlength="64"
                    autocomplete="off"
                    autocapitalize="none"
                    spellcheck="false"
                    aria-describedby="new-username-hint"
                />
                <p id="new-username-hint" class="hint">
                    "Kleinbuchstaben a–z, Ziffern, Punkt, Bindestrich; zum Beispiel anna.schmidt"
                </p>
                <AccountFields overview prefix="new"/>
                <button type="submit" class="button primary">"Konto anlegen"</button>
            </PostForm>
        </section>
    }
}

#[component]
fn EditUserForm(
    user: UserSummary,
    overview: AdminOverview,
    action: FormAction<()>,
) -> impl IntoView {
    let heading = format!("{} bearbeiten", user.display_name);
    view! {
        <section aria-labelledby="edit-heading" class="panel highlight">
            <h2 id="edit-heading">{heading}</h2>
            <p>"Benutzername: " <code>{user.username.clone()}</code></p>
            <PostForm action class="stacked-form narrow">
                <input type="hidden" name="id" value=user.id/>
                <AccountFields overview prefix="edit" user=user.clone()/>
                <div class="form-actions">
                    <button type="submit" class="button primary">"Änderungen speichern"</button>
                    <a class="button secondary" href="/verwaltung">"Schließen"</a>
                </div>
            </PostForm>
        </section>
    }
}
