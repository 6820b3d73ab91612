//! A real IMAP server for the Postfach tests: Dovecot on loopback with a
//! throwaway configuration (`scripts/imap-server.sh`), one per test,
//! stopped when dropped. Messages are put in over IMAP itself.

use futures_util::TryStreamExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use tokio::net::{TcpListener, TcpStream};

pub const USER: &str = "poststelle";
pub const PASSWORD: &str = "Brief-2026!";

pub struct ImapServer {
    dir: tempfile::TempDir,
    /// Plain IMAP.
    pub port: u16,
    /// IMAP over TLS, with a certificate of [`ImapServer::ca`].
    pub tls_port: u16,
    pub ca: PathBuf,
}

fn script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../scripts/imap-server.sh")
}

impl ImapServer {
    pub fn start() -> ImapServer {
        let dir = tempfile::tempdir().expect("tempdir");
        let out = std::process::Command::new(script())
            .arg("start")
            .arg(dir.path())
            .output()
            .expect("scripts/imap-server.sh runs");
        assert!(
            out.status.success(),
            "Dovecot did not start: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let env = std::fs::read_to_string(dir.path().join("env")).expect("env");
        let value = |key: &str| {
            env.lines()
                .find_map(|line| line.strip_prefix(&format!("{key}=")))
                .unwrap_or_else(|| panic!("{key} in {env}"))
                .to_string()
        };
        ImapServer {
            port: value("IMAP_PORT").parse().expect("port"),
            tls_port: value("IMAPS_PORT").parse().expect("port"),
            ca: PathBuf::from(value("IMAP_CA")),
            dir,
        }
    }

    /// Logged in as the Poststelle over plain IMAP.
    pub async fn session(&self) -> async_imap::Session<TcpStream> {
        let tcp = TcpStream::connect(("127.0.0.1", self.port))
            .await
            .expect("connect");
        let mut client = async_imap::Client::new(tcp);
        client.read_response().await.expect("greeting");
        client
            .login(USER, PASSWORD)
            .await
            .map_err(|e| e.0)
            .expect("login")
    }

    pub async fn append(&self, folder: &str, raw: &[u8]) {
        let mut session = self.session().await;
        session
            .append(folder, None, None, raw)
            .await
            .expect("append");
        session.logout().await.expect("logout");
    }

    pub async fn create(&self, folder: &str) {
        let mut session = self.session().await;
        session.create(folder).await.expect("create");
        session.logout().await.expect("logout");
    }

    /// Deletes and makes the folder again: its UIDVALIDITY changes.
    pub async fn recreate(&self, folder: &str) {
        let mut session = self.session().await;
        session.delete(folder).await.expect("delete");
        session.create(folder).await.expect("create");
        session.logout().await.expect("logout");
    }

    /// The folder's messages: (UID, whether read).
    pub async fn messages(&self, folder: &str) -> Vec<(u32, bool)> {
        let mut session = self.session().await;
        session.select(folder).await.expect("select");
        let fetched: Vec<_> = session
            .uid_fetch("1:*", "(UID FLAGS)")
            .await
            .expect("fetch")
            .try_collect()
            .await
            .unwrap_or_default();
        let mut messages: Vec<(u32, bool)> = fetched
            .iter()
            .filter_map(|m| {
                Some((
                    m.uid?,
                    m.flags().any(|f| f == async_imap::types::Flag::Seen),
                ))
            })
            .collect();
        messages.sort_unstable();
        drop(fetched);
        session.logout().await.expect("logout");
        messages
    }
}

impl Drop for ImapServer {
    fn drop(&mut self) {
        let _ = std::process::Command::new(script())
            .arg("stop")
            .arg(self.dir.path())
            .output();
    }
}

/// A TCP relay in front of the IMAP server that can cut the connection
/// once the server has sent more than a given number of bytes (a line
/// dropping in the middle of a message).
pub struct Relay {
    pub port: u16,
    /// Cut after this many bytes from the server; 0: never.
    cut_after: Arc<AtomicU64>,
}

impl Relay {
    pub async fn start(target: u16) -> Relay {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let port = listener.local_addr().expect("addr").port();
        let cut_after = Arc::new(AtomicU64::new(0));
        let cut = cut_after.clone();
        tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let cut = cut.clone();
                tokio::spawn(async move {
                    let Ok(server) = TcpStream::connect(("127.0.0.1", target)).await else {
                        return;
                    };
                    relay(client, server, cut).await;
                });
            }
        });
        Relay { port, cut_after }
    }

    pub fn cut_after(&self, bytes: u64) {
        self.cut_after.store(bytes, Ordering::SeqCst);
    }
}

async fn relay(client: TcpStream, server: TcpStream, cut: Arc<AtomicU64>) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let (mut client_read, mut client_write) = client.into_split();
    let (mut server_read, mut server_write) = server.into_split();
    let upstream = tokio::spawn(async move {
        let _ = tokio::io::copy(&mut client_read, &mut server_write).await;
    });
    let mut sent = 0u64;
    let mut buffer = vec![0u8; 16 * 1024];
    while let Ok(read) = server_read.read(&mut buffer).await {
        if read == 0 {
            break;
        }
        sent += read as u64;
        let limit = cut.load(Ordering::SeqCst);
        if limit > 0 && sent > limit {
            // The line drops: neither side hears anything more.
            break;
        }
        if client_write.write_all(&buffer[..read]).await.is_err() {
            break;
        }
    }
    upstream.abort();
}

/// A message (CRLF line ends, as IMAP wants them).
pub fn mail(subject: &str, body: &str) -> Vec<u8> {
    format!(
        "From: Jürgen Müller <j.mueller@example.de>\nTo: poststelle@erbach.de\nSubject: {subject}\n\
         Date: Mon, 07 Dec 2026 09:15:00 +0100\nMessage-ID: <{}@example.de>\nMIME-Version: 1.0\n\
         Content-Type: text/plain; charset=utf-8\n\n{body}\n",
        subject.len() * 7919 + body.len()
    )
    .replace('\n', "\r\n")
    .into_bytes()
}

/// A message with a PDF attachment (and an inline logo, which is none).
pub fn mail_with_pdf(subject: &str, pdf: &[u8]) -> Vec<u8> {
    use base64::Engine;
    format!(
        "From: Bauamt Beerfelden <bauamt@example.de>\nSubject: {subject}\n\
         Date: Tue, 01 Dec 2026 14:00:00 +0100\nMIME-Version: 1.0\n\
         Content-Type: multipart/mixed; boundary=\"grenze\"\n\n\
         --grenze\nContent-Type: text/plain; charset=utf-8\n\nAnbei der Antrag.\n\
         --grenze\nContent-Type: application/pdf; name=\"Antrag.pdf\"\n\
         Content-Disposition: attachment; filename=\"Antrag.pdf\"\nContent-Transfer-Encoding: base64\n\n{}\n\
         --grenze\nContent-Type: image/png\nContent-ID: <logo@example.de>\nContent-Disposition: inline\n\
         Content-Transfer-Encoding: base64\n\niVBORw0KGgo=\n--grenze--\n",
        base64::engine::general_purpose::STANDARD
            .encode(pdf)
            .as_bytes()
            .chunks(76)
            .map(|line| String::from_utf8_lossy(line).into_owned())
            .collect::<Vec<_>>()
            .join("\n")
    )
    .replace('\n', "\r\n")
    .into_bytes()
}
