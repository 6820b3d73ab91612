//! Works out the client's address once per request for throttling and the
//! audit log. `X-Forwarded-For` is believed only when configured, because any
//! client can send it.

use app::auth::ClientAddress;
use axum::extract::{ConnectInfo, Request, State};
use axum::middleware::Next;
use axum::response::Response;
use std::net::SocketAddr;

#[derive(Clone, Copy, Debug)]
pub struct TrustProxy(pub bool);

pub async fn layer(State(trust): State<TrustProxy>, mut request: Request, next: Next) -> Response {
    let forwarded = trust
        .0
        .then(|| {
            request
                .headers()
                .get("x-forwarded-for")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.split(',').next_back())
                .map(|v| v.trim().to_string())
                .filter(|v| v.parse::<std::net::IpAddr>().is_ok())
        })
        .flatten();
    let address = forwarded.or_else(|| {
        request
            .extensions()
            .get::<ConnectInfo<SocketAddr>>()
            .map(|info| info.0.ip().to_string())
    });
    if let Some(address) = address {
        request.extensions_mut().insert(ClientAddress(address));
    }
    next.run(request).await
}
