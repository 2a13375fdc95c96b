//! Who is on the other end of a request: the client address that rate limits count by, whether
//! the request came over HTTPS (for the cookie's `Secure`), and the session cookie it carries.

use super::SESSION_COOKIE;
use http::request::Parts;
use std::net::SocketAddr;

/// What a server function knows about its caller's connection.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientInfo {
    /// The client's IP address, or `unknown` when the server was not told it.
    pub addr: String,
    /// Whether the browser used HTTPS (directly or through a proxy that says so).
    pub https: bool,
    pub user_agent: Option<String>,
}

impl ClientInfo {
    /// Reads the request. `trust_proxy`: take the address from `X-Forwarded-For` (its last
    /// entry, the one our own proxy added) instead of the TCP peer, which is then the proxy.
    pub fn from_parts(parts: &Parts, trust_proxy: bool) -> ClientInfo {
        let header = |name: &str| {
            parts
                .headers
                .get(name)
                .and_then(|value| value.to_str().ok())
                .map(str::trim)
                .filter(|value| !value.is_empty())
        };
        let forwarded_for = trust_proxy
            .then(|| header("x-forwarded-for"))
            .flatten()
            .and_then(|list| list.rsplit(',').next())
            .map(str::trim)
            .filter(|addr| !addr.is_empty());
        let peer = parts
            .extensions
            .get::<axum::extract::ConnectInfo<SocketAddr>>()
            .map(|info| info.0.ip().to_string());
        let addr = forwarded_for
            .map(str::to_owned)
            .or(peer)
            .unwrap_or_else(|| "unknown".to_owned());
        // A forged `X-Forwarded-Proto: https` can only make the attacker's own cookie Secure,
        // so it is honoured without `trust_proxy`.
        let https = parts.uri.scheme_str() == Some("https")
            || header("x-forwarded-proto").is_some_and(|proto| {
                proto
                    .split(',')
                    .next()
                    .is_some_and(|first| first.trim().eq_ignore_ascii_case("https"))
            });
        ClientInfo {
            addr,
            https,
            user_agent: header("user-agent").map(|agent| agent.chars().take(512).collect()),
        }
    }
}

/// The value of the cookie `name` in a request's `Cookie` headers, if it is there and not empty.
pub fn cookie_value(parts: &Parts, name: &str) -> Option<String> {
    parts
        .headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|header| header.split(';'))
        .find_map(|pair| {
            let (cookie, value) = pair.split_once('=')?;
            (cookie.trim() == name)
                .then(|| value.trim().to_owned())
                .filter(|value| !value.is_empty())
        })
}

/// The session token in a request's `Cookie` headers, if any.
pub fn session_token(parts: &Parts) -> Option<String> {
    cookie_value(parts, SESSION_COOKIE)
}

/// The `Set-Cookie` value that stores a session token: never readable by scripts, sent on
/// top-level navigation from other sites but not on their sub-requests or form posts.
pub fn session_cookie(token: &str, max_age_secs: i64, https: bool) -> String {
    format!(
        "{SESSION_COOKIE}={token}; Path=/; Max-Age={max_age_secs}; HttpOnly; SameSite=Lax{}",
        if https { "; Secure" } else { "" }
    )
}

/// The `Set-Cookie` value that makes the browser forget the session.
pub fn expired_session_cookie(https: bool) -> String {
    session_cookie("", 0, https)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::extract::ConnectInfo;

    fn parts(headers: &[(&str, &str)], peer: Option<&str>) -> Parts {
        let mut builder = http::Request::post("/api/auth/sign_in");
        for (name, value) in headers {
            builder = builder.header(*name, *value);
        }
        let mut request = builder.body(()).unwrap();
        if let Some(peer) = peer {
            request
                .extensions_mut()
                .insert(ConnectInfo(peer.parse::<SocketAddr>().unwrap()));
        }
        request.into_parts().0
    }

    #[test]
    fn the_address_is_the_peer_unless_a_trusted_proxy_forwards_it() {
        let request = parts(
            &[("x-forwarded-for", "1.1.1.1, 10.0.0.7")],
            Some("10.0.0.1:5000"),
        );
        assert_eq!(ClientInfo::from_parts(&request, false).addr, "10.0.0.1");
        assert_eq!(ClientInfo::from_parts(&request, true).addr, "10.0.0.7");
        let request = parts(&[], Some("[::1]:5000"));
        assert_eq!(ClientInfo::from_parts(&request, true).addr, "::1");
        assert_eq!(
            ClientInfo::from_parts(&parts(&[], None), false).addr,
            "unknown"
        );
    }

    #[test]
    fn https_is_told_by_the_scheme_or_x_forwarded_proto() {
        let https =
            |headers: &[(&str, &str)]| ClientInfo::from_parts(&parts(headers, None), false).https;
        assert!(!https(&[]));
        assert!(https(&[("x-forwarded-proto", "https")]));
        assert!(https(&[("x-forwarded-proto", "HTTPS, http")]));
        assert!(!https(&[("x-forwarded-proto", "http")]));
        let request = http::Request::get("https://market.example/")
            .body(())
            .unwrap();
        assert!(ClientInfo::from_parts(&request.into_parts().0, false).https);
    }

    #[test]
    fn the_session_token_is_found_among_other_cookies() {
        let request = parts(&[("cookie", "lang=zh-CN; sm_session=abc123; x=1")], None);
        assert_eq!(session_token(&request).as_deref(), Some("abc123"));
        let request = parts(&[("cookie", "lang=en"), ("cookie", "sm_session=def")], None);
        assert_eq!(session_token(&request).as_deref(), Some("def"));
        assert_eq!(
            session_token(&parts(&[("cookie", "sm_session=")], None)),
            None
        );
        assert_eq!(
            session_token(&parts(&[("cookie", "xsm_session=a")], None)),
            None
        );
    }

    #[test]
    fn the_cookie_is_http_only_lax_and_secure_over_https() {
        assert_eq!(
            session_cookie("t", 60, false),
            "sm_session=t; Path=/; Max-Age=60; HttpOnly; SameSite=Lax"
        );
        assert!(session_cookie("t", 60, true).ends_with("; Secure"));
        assert!(expired_session_cookie(false).contains("Max-Age=0"));
    }
}
