//! The IMAP side of a Postfach: connect (TLS by rustls against the
//! system's certificate store plus an optional CA file IT names), log in,
//! open the folder, list new UIDs, fetch one message, and do what the
//! Administration chose once it is a document (mark it read, move it,
//! delete it). Every step has a time limit, so a server that stops
//! answering costs one fetch, never the loop. Errors are German sentences
//! for the Administration's page.

use futures_util::{StreamExt, TryStreamExt};
use std::path::Path;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;

/// How long one step (connect, log in, one command) may take.
const STEP: Duration = Duration::from_secs(30);
/// How long fetching one message may take (large attachments).
const FETCH: Duration = Duration::from_secs(300);

/// Where and as whom to log in.
#[derive(Debug, Clone)]
pub struct Account<'a> {
    pub host: &'a str,
    pub port: u16,
    pub tls: bool,
    pub login: &'a str,
    pub password: &'a str,
}

/// What to do with a message on the server once it is a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AfterImport {
    /// Mark it read (and with the keyword `$Aktenwerk` where allowed).
    Markieren,
    Verschieben(String),
    Loeschen,
}

/// A failure, in a German sentence for the Administration.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct ImapError(pub String);

fn fail(what: &str, error: impl Describe) -> ImapError {
    ImapError(format!("{what}: {}", error.describe()))
}

/// An error as the Administration reads it.
trait Describe {
    fn describe(&self) -> String;
}

impl Describe for std::io::Error {
    fn describe(&self) -> String {
        match self.kind() {
            std::io::ErrorKind::ConnectionRefused => {
                "Der Server nimmt keine Verbindung an (Name oder Port falsch, oder er läuft nicht).".into()
            }
            _ => match self
                .get_ref()
                .and_then(|inner| inner.downcast_ref::<tokio_rustls::rustls::Error>())
            {
                Some(tokio_rustls::rustls::Error::InvalidCertificate(why)) => format!(
                    "Das Zertifikat des Servers wird nicht anerkannt ({why:?}). Stammt es von einer \
                     eigenen Zertifizierungsstelle der Gemeinde, trägt die IT deren Zertifikat in \
                     AKTENWERK_MAIL_CA_FILE ein."
                ),
                _ => self.to_string(),
            },
        }
    }
}

impl Describe for async_imap::error::Error {
    fn describe(&self) -> String {
        use async_imap::error::Error;
        match self {
            Error::Io(error) => error.describe(),
            Error::ConnectionLost => "Die Verbindung wurde unterbrochen.".into(),
            // imap-proto's text: `code: …, info: Some("what the server said")`.
            Error::No(text) | Error::Bad(text) => {
                let said = text
                    .split_once("info: Some(\"")
                    .and_then(|(_, rest)| rest.rsplit_once("\")"))
                    .map_or(text.as_str(), |(said, _)| said);
                format!("Der Server antwortet: „{said}“")
            }
            other => other.to_string(),
        }
    }
}

impl Describe for rustls_pki_types::InvalidDnsNameError {
    fn describe(&self) -> String {
        "Der Servername ist ungültig.".into()
    }
}

async fn step<T, E: Describe>(
    what: &str,
    limit: Duration,
    future: impl std::future::Future<Output = Result<T, E>>,
) -> Result<T, ImapError> {
    match tokio::time::timeout(limit, future).await {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(error)) => Err(fail(what, error)),
        Err(_) => Err(ImapError(format!(
            "{what}: Der Server hat nach {} Sekunden nicht geantwortet.",
            limit.as_secs()
        ))),
    }
}

/// The connection, with or without TLS.
#[derive(Debug)]
pub enum Stream {
    Plain(TcpStream),
    Tls(Box<tokio_rustls::client::TlsStream<TcpStream>>),
}

impl AsyncRead for Stream {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        match self.get_mut() {
            Stream::Plain(s) => Pin::new(s).poll_read(cx, buf),
            Stream::Tls(s) => Pin::new(s.as_mut()).poll_read(cx, buf),
        }
    }
}

impl AsyncWrite for Stream {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        match self.get_mut() {
            Stream::Plain(s) => Pin::new(s).poll_write(cx, buf),
            Stream::Tls(s) => Pin::new(s.as_mut()).poll_write(cx, buf),
        }
    }
    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        match self.get_mut() {
            Stream::Plain(s) => Pin::new(s).poll_flush(cx),
            Stream::Tls(s) => Pin::new(s.as_mut()).poll_flush(cx),
        }
    }
    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        match self.get_mut() {
            Stream::Plain(s) => Pin::new(s).poll_shutdown(cx),
            Stream::Tls(s) => Pin::new(s.as_mut()).poll_shutdown(cx),
        }
    }
}

/// The certificates a TLS server may present: the system's store and,
/// when IT names one, the CA file of its own certificate authority.
pub fn trust(extra_ca: Option<&Path>) -> Result<Arc<tokio_rustls::rustls::ClientConfig>, String> {
    use rustls_pki_types::pem::PemObject;
    use rustls_pki_types::CertificateDer;
    use tokio_rustls::rustls::{ClientConfig, RootCertStore};
    let mut roots = RootCertStore::empty();
    let native = rustls_native_certs::load_native_certs();
    for certificate in native.certs {
        // Single broken entries of the system store are skipped.
        let _ = roots.add(certificate);
    }
    if let Some(path) = extra_ca {
        let certificates = CertificateDer::pem_file_iter(path)
            .map_err(|error| format!("{}: {error}", path.display()))?;
        for certificate in certificates {
            let certificate =
                certificate.map_err(|error| format!("{}: {error}", path.display()))?;
            roots
                .add(certificate)
                .map_err(|error| format!("{}: {error}", path.display()))?;
        }
    }
    // ring rather than aws-lc-rs (which rustls now prefers for its
    // post-quantum key exchange): aws-lc-rs needs cmake to build on a fresh
    // machine, and mail servers of municipalities offer no such exchange.
    #[allow(deprecated)]
    let provider = Arc::new(tokio_rustls::rustls::crypto::ring::default_provider());
    let config = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|error| error.to_string())?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(Arc::new(config))
}

/// A logged-in session with the folder open.
pub struct Session {
    inner: async_imap::Session<Stream>,
    can_move: bool,
    can_uid_expunge: bool,
}

/// The folder as opened.
#[derive(Debug, Clone, Copy)]
pub struct Opened {
    pub uidvalidity: u32,
    pub exists: u32,
}

/// Connects, logs in and opens `folder` for reading and writing.
pub async fn open(
    account: &Account<'_>,
    tls: &Arc<tokio_rustls::rustls::ClientConfig>,
    folder: &str,
) -> Result<(Session, Opened), ImapError> {
    let server = format!("{}:{}", account.host, account.port);
    let tcp = step(
        &format!("Verbindung zu {server}"),
        STEP,
        TcpStream::connect((account.host, account.port)),
    )
    .await?;
    let stream = if account.tls {
        let name = rustls_pki_types::ServerName::try_from(account.host.to_string())
            .map_err(|error| fail("Servername", error))?;
        let connector = tokio_rustls::TlsConnector::from(tls.clone());
        Stream::Tls(Box::new(
            step(
                &format!("TLS mit {server}"),
                STEP,
                connector.connect(name, tcp),
            )
            .await?,
        ))
    } else {
        Stream::Plain(tcp)
    };
    let mut client = async_imap::Client::new(stream);
    let greeting = step("Begrüßung des Servers", STEP, client.read_response()).await?;
    if greeting.is_none() {
        return Err(ImapError(format!(
            "{server} hat die Verbindung ohne Begrüßung geschlossen (ist das ein IMAP-Server?)."
        )));
    }
    let mut inner =
        match tokio::time::timeout(STEP, client.login(account.login, account.password)).await {
            Ok(Ok(session)) => session,
            Ok(Err((error, _))) => {
                return Err(ImapError(format!(
                    "Die Anmeldung als „{}“ wurde abgelehnt. Bitte prüfen Sie Benutzername und \
                 Kennwort. ({})",
                    account.login,
                    error.describe()
                )))
            }
            Err(_) => return Err(ImapError("Anmeldung: keine Antwort des Servers.".into())),
        };
    let capabilities = step("Fähigkeiten des Servers", STEP, inner.capabilities()).await?;
    let can_move = capabilities.has_str("MOVE");
    let can_uid_expunge = capabilities.has_str("UIDPLUS");
    let mailbox = match tokio::time::timeout(STEP, inner.select(folder)).await {
        Ok(Ok(mailbox)) => mailbox,
        Ok(Err(error)) => {
            return Err(ImapError(format!(
                "Den Ordner „{folder}“ gibt es in diesem Postfach nicht, oder er lässt sich nicht \
                 öffnen. ({})",
                error.describe()
            )))
        }
        Err(_) => {
            return Err(ImapError(
                "Ordner öffnen: keine Antwort des Servers.".into(),
            ))
        }
    };
    let uidvalidity = mailbox.uid_validity.ok_or_else(|| {
        ImapError(
            "Der Server nennt für den Ordner keine UIDVALIDITY; so kann nicht sicher \
                   genau einmal abgerufen werden."
                .into(),
        )
    })?;
    Ok((
        Session {
            inner,
            can_move,
            can_uid_expunge,
        },
        Opened {
            uidvalidity,
            exists: mailbox.exists,
        },
    ))
}

impl Session {
    /// Whether `folder` exists (for a target to move messages into).
    pub async fn has_folder(&mut self, folder: &str) -> Result<bool, ImapError> {
        let names: Vec<_> = step("Ordner auflisten", STEP, async {
            self.inner
                .list(Some(""), Some(folder))
                .await?
                .try_collect::<Vec<_>>()
                .await
        })
        .await?;
        Ok(names.iter().any(|name| name.name() == folder))
    }

    /// The UIDs from `low` on, ascending. (`UID n:*` also answers the
    /// highest UID when it is below n; those are left out.)
    pub async fn uids_from(&mut self, low: u32) -> Result<Vec<u32>, ImapError> {
        let found = step(
            "Neue Nachrichten suchen",
            STEP,
            self.inner.uid_search(format!("UID {}:*", low.max(1))),
        )
        .await?;
        let mut uids: Vec<u32> = found.into_iter().filter(|uid| *uid >= low).collect();
        uids.sort_unstable();
        Ok(uids)
    }

    /// The message with `uid` as it lies on the server, without marking
    /// it read; `None` when it is gone.
    pub async fn fetch(&mut self, uid: u32) -> Result<Option<Vec<u8>>, ImapError> {
        step("Nachricht abrufen", FETCH, async {
            let mut messages = self
                .inner
                .uid_fetch(uid.to_string(), "(UID BODY.PEEK[])")
                .await?;
            let mut body = None;
            while let Some(message) = messages.next().await {
                let message = message?;
                if message.uid == Some(uid) {
                    body = message.body().map(<[u8]>::to_vec);
                }
            }
            Ok::<_, async_imap::error::Error>(body)
        })
        .await
    }

    /// What the Administration chose for a message that is now a document.
    pub async fn settle(&mut self, uid: u32, after: &AfterImport) -> Result<(), ImapError> {
        let set = uid.to_string();
        match after {
            AfterImport::Markieren => {
                self.store(&set, "+FLAGS.SILENT (\\Seen)").await?;
                // Keywords are optional on IMAP servers; without one the
                // message is still marked read.
                let _ = self.store(&set, "+FLAGS.SILENT ($Aktenwerk)").await;
                Ok(())
            }
            AfterImport::Verschieben(target) if self.can_move => {
                step(
                    &format!("In „{target}“ verschieben"),
                    STEP,
                    self.inner.uid_mv(&set, target),
                )
                .await
            }
            AfterImport::Verschieben(target) => {
                step(
                    &format!("Nach „{target}“ kopieren"),
                    STEP,
                    self.inner.uid_copy(&set, target),
                )
                .await?;
                self.delete(&set).await
            }
            AfterImport::Loeschen => self.delete(&set).await,
        }
    }

    async fn store(&mut self, set: &str, flags: &str) -> Result<(), ImapError> {
        step("Markieren", STEP, async {
            self.inner
                .uid_store(set, flags)
                .await?
                .try_collect::<Vec<_>>()
                .await
        })
        .await
        .map(drop)
    }

    async fn delete(&mut self, set: &str) -> Result<(), ImapError> {
        self.store(set, "+FLAGS.SILENT (\\Deleted)").await?;
        if self.can_uid_expunge {
            step("Löschen", STEP, async {
                self.inner
                    .uid_expunge(set)
                    .await?
                    .try_collect::<Vec<_>>()
                    .await
            })
            .await
            .map(drop)
        } else {
            step("Löschen", STEP, async {
                self.inner.expunge().await?.try_collect::<Vec<_>>().await
            })
            .await
            .map(drop)
        }
    }

    /// Logs out; a failure here changes nothing already done.
    pub async fn close(mut self) {
        let _ = tokio::time::timeout(STEP, self.inner.logout()).await;
    }
}
