//! `/konto/passwort`: change one's own password (required after a reset).

use super::server_fns::ChangePassword;
use crate::form_post::{FormAction, PostForm};
use crate::ui::{ErrorNotice, PageHeading};
use leptos::prelude::*;

#[component]
pub fn ChangePasswordPage() -> impl IntoView {
    let action = FormAction::<()>::of::<ChangePassword>();
    let must_change = crate::auth::use_current_user().is_some_and(|user| user.must_change_password);
    view! {
        <PageHeading title="Passwort ändern"/>
        <Show when=move || must_change>
            <p class="notice info">
                "Ihr Passwort wurde zurückgesetzt. Bitte wählen Sie jetzt ein eigenes Passwort."
            </p>
        </Show>
        <PostForm action class="stacked-form narrow">
            <label for="pw-current">"Bisheriges Passwort"</label>
            <input id="pw-current" name="current" type="password" autocomplete="current-password" required/>
            <label for="pw-new">"Neues Passwort"</label>
            <input
                id="pw-new"
                name="new_password"
                type="password"
                autocomplete="new-password"
                required
                minlength="10"
                aria-describedby="pw-rules"
            />
            <p id="pw-rules" class="hint">
                "Mindestens 10 Zeichen. Ein langer Satz ist leichter zu merken als ein kurzes Wirrwarr."
            </p>
            <label for="pw-repeat">"Neues Passwort wiederholen"</label>
            <input id="pw-repeat" name="repeat" type="password" autocomplete="new-password" required/>
            <button type="submit" class="button primary">"Passwort ändern"</button>
        </PostForm>
        <div role="status" aria-live="polite">
            {move || {
                action
                    .value()
                    .get()
                    .map(|result| match result {
                        Ok(()) => {
                            view! {
                                <p class="notice success">
                                    "Ihr Passwort wurde geändert. Andere Anmeldungen wurden beendet. "
                                    <a href="/" rel="external">"Weiter zur Startseite"</a>
                                </p>
                            }
                                .into_any()
                        }
                        Err(error) => view! { <ErrorNotice error/> }.into_any(),
                    })
            }}
        </div>
    }
}
