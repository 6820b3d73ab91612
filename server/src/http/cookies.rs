//! The session cookie: reading it from `Cookie` and writing `Set-Cookie`.

use axum::http::HeaderMap;

/// `__Host-` binds the cookie to exactly this host over HTTPS; browsers only
/// accept it with `Secure`, so plain-HTTP installs use the other name.
pub fn session_cookie_name(secure: bool) -> &'static str {
    if secure {
        "__Host-aktenwerk"
    } else {
        "aktenwerk_sitzung"
    }
}

/// The value of cookie `name`, if present.
pub fn read(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.trim_matches('"').to_string())
        .filter(|value| !value.is_empty())
}

/// `Set-Cookie` for a new session.
pub fn set_session(secure: bool, token: &str, max_age_secs: i64) -> String {
    format!(
        "{}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_secs}{}",
        session_cookie_name(secure),
        if secure { "; Secure" } else { "" }
    )
}

/// `Set-Cookie` that removes the session cookie.
pub fn clear_session(secure: bool) -> String {
    format!(
        "{}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{}",
        session_cookie_name(secure),
        if secure { "; Secure" } else { "" }
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn reads_the_named_cookie_among_others() {
        let mut headers = HeaderMap::new();
        headers.insert(
            axum::http::header::COOKIE,
            HeaderValue::from_static("theme=dark; aktenwerk_sitzung=abc123; other=1"),
        );
        assert_eq!(
            read(&headers, "aktenwerk_sitzung").as_deref(),
            Some("abc123")
        );
        assert_eq!(read(&headers, "missing"), None);
    }

    #[test]
    fn session_cookie_is_httponly_samesite_and_secure_over_tls() {
        let plain = set_session(false, "t", 60);
        assert!(plain.starts_with("aktenwerk_sitzung=t;"));
        assert!(plain.contains("HttpOnly") && plain.contains("SameSite=Lax"));
        assert!(!plain.contains("Secure"));
        let tls = set_session(true, "t", 60);
        assert!(tls.starts_with("__Host-aktenwerk=t;") && tls.ends_with("; Secure"));
        assert!(clear_session(false).contains("Max-Age=0"));
    }
}
