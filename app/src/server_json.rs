//! How every server function answers: JSON, as with Leptos' default
//! encoding, but read in the browser from text, the way Leptos reads the
//! data a page's resources bring along from the server.
//!
//! Leptos' own `Json` reads an answer with `serde_json::from_slice`, the
//! resources read theirs with `serde_json::from_str`. Both are generic over
//! the reader, so each type a page both loads and fetches was compiled into
//! the WASM bundle twice: one JSON parser per type and reader. Reading the
//! answer as text first makes the second copy unnecessary. On the wire
//! nothing changes (`application/json`, the same bytes), so API clients and
//! tests see the same answers as before.
//!
//! Every `#[server]` names it: `output = crate::server_json::Json`.
//!
//! Both read through a `serde_json::Value` ([`from_text`]): one JSON
//! parser in the bundle instead of one per type (about 2 % of the bundle),
//! and resources use the same reader ([`resource`], [`Loaded`]).

use leptos::server_fn::codec::Post;
use leptos::server_fn::{Bytes, ContentType, Decodes, Encodes, Format, FormatType};
use serde::de::{DeserializeOwned, Error as _};
use serde::Serialize;

/// JSON written with `serde_json::to_vec` and read with
/// `serde_json::from_str`.
pub struct JsonText;

impl ContentType for JsonText {
    const CONTENT_TYPE: &'static str = "application/json";
}

impl FormatType for JsonText {
    const FORMAT_TYPE: Format = Format::Text;
}

impl<T: Serialize> Encodes<T> for JsonText {
    type Error = serde_json::Error;

    fn encode(output: &T) -> Result<Bytes, Self::Error> {
        serde_json::to_vec(output).map(Bytes::from)
    }
}

impl<T: DeserializeOwned> Decodes<T> for JsonText {
    type Error = serde_json::Error;

    fn decode(bytes: Bytes) -> Result<T, Self::Error> {
        let text = std::str::from_utf8(&bytes).map_err(serde_json::Error::custom)?;
        from_text(text)
    }
}

/// Reads JSON text as `T` through a [`serde_json::Value`]: the parser is
/// compiled once, for `Value`, and each type only gets the (smaller)
/// conversion from a `Value`, shared by answers and resources.
pub fn read<T: DeserializeOwned>(text: &str) -> Result<T, serde_json::Error> {
    from_text(text)
}

/// The reader of [`read`] (answers posted by [`crate::form_post`] use it
/// too).
fn from_text<T: DeserializeOwned>(text: &str) -> Result<T, serde_json::Error> {
    let value: serde_json::Value = serde_json::from_str(text)?;
    T::deserialize(value)
}

/// How resources carry the data the server loaded into the page: JSON
/// read through [`from_text`], like every server function's answer, so a
/// type a page both brings along and fetches has one reader in the bundle.
pub struct JsonValue;

impl<T: Serialize> leptos::server::codee::Encoder<T> for JsonValue {
    type Error = serde_json::Error;
    type Encoded = String;

    fn encode(value: &T) -> Result<String, Self::Error> {
        serde_json::to_string(value)
    }
}

impl<T: DeserializeOwned> leptos::server::codee::Decoder<T> for JsonValue {
    type Error = serde_json::Error;
    type Encoded = str;

    fn decode(text: &str) -> Result<T, Self::Error> {
        from_text(text)
    }
}

/// A resource whose data travels with [`JsonValue`]. Every page uses
/// this instead of `Resource`, whose default codec would bring a second
/// JSON reader per type.
pub type Loaded<T> = leptos::prelude::Resource<T, JsonValue>;

/// `Resource::new` with [`JsonValue`].
#[track_caller]
pub fn resource<T, S, Fut>(
    source: impl Fn() -> S + Send + Sync + 'static,
    fetcher: impl Fn(S) -> Fut + Send + Sync + 'static,
) -> Loaded<T>
where
    T: Serialize + DeserializeOwned + Send + Sync + 'static,
    S: Send + Sync + Clone + PartialEq + 'static,
    Fut: std::future::Future<Output = T> + Send + 'static,
{
    leptos::prelude::Resource::new_with_options(source, fetcher, false)
}

/// The output encoding of every server function: a `POST`, answered with
/// [`JsonText`].
pub type Json = Post<JsonText>;

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
    struct Answer {
        title: String,
        count: u32,
    }

    #[test]
    fn what_is_written_reads_back_and_is_plain_json() {
        let answer = Answer {
            title: "Bauantrag „Süd“".into(),
            count: 3,
        };
        let bytes = <JsonText as Encodes<Answer>>::encode(&answer).expect("encode");
        assert_eq!(
            std::str::from_utf8(&bytes),
            Ok(r#"{"title":"Bauantrag „Süd“","count":3}"#)
        );
        let back: Answer = <JsonText as Decodes<Answer>>::decode(bytes).expect("decode");
        assert_eq!(back, answer);
    }

    /// A server function without the attribute would bring its own JSON
    /// parser back into the bundle, silently.
    #[test]
    fn every_server_function_answers_with_this_encoding() {
        fn visit(dir: &std::path::Path, missing: &mut Vec<String>) {
            let entries = std::fs::read_dir(dir).expect("app/src is readable");
            for entry in entries {
                let path = entry.expect("directory entry").path();
                if path.is_dir() {
                    visit(&path, missing);
                } else if path.extension().is_some_and(|ext| ext == "rs") {
                    let text = std::fs::read_to_string(&path).expect("source is UTF-8");
                    for (number, line) in text.lines().enumerate() {
                        let line = line.trim_start();
                        // `#[server(default)]` marks an argument.
                        if line.starts_with("#[server(")
                            && !line.starts_with("#[server(default")
                            && !line.contains("output = crate::server_json::Json")
                        {
                            missing.push(format!("{}:{}", path.display(), number + 1));
                        }
                    }
                }
            }
        }
        let mut missing = Vec::new();
        visit(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
            &mut missing,
        );
        assert!(
            missing.is_empty(),
            "#[server] without output = crate::server_json::Json: {missing:?}"
        );
    }

    #[test]
    fn invalid_utf8_is_an_error_not_a_panic() {
        let result =
            <JsonText as Decodes<Answer>>::decode(Bytes::from_static(b"{\"title\":\"\xff\"}"));
        assert!(result.is_err());
    }
}
