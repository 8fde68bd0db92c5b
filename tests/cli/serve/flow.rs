//! `jwtk serve`, part 2: the authorization code flow (`/authorize` without a login page, PKCE,
//! the downgrade rule, codes single use and bound to their client and redirect URI), ID tokens
//! and userinfo, refresh tokens (rotated, reuse revoking the family), `private_key_jwt` and
//! DPoP — each rule with its failing path, on the real binary over real sockets. Every token
//! issued is checked by `jwtk verify --issuer … --profile at+jwt` or `id_token`.

use std::collections::HashMap;
use std::path::Path;

use serde_json::{Value, json};

use super::served::{Reply, Served, basic, encode, keygen, parts, run_in, start_fails};
use crate::NOW;

/// RFC 7636 Appendix B: a verifier and its S256 challenge.
const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
const CHALLENGE: &str = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
const REDIRECT: &str = "http://localhost:3000/cb";

/// Percent-decode a query value (`+` is a space).
fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                out.push(u8::from_str_radix(&text[i + 1..i + 3], 16).unwrap());
                i += 2;
            }
            b'+' => out.push(b' '),
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).unwrap()
}

/// The query parameters of a redirect's `Location`.
fn params(location: &str) -> HashMap<String, String> {
    let query = location.split_once('?').map_or("", |(_, q)| q);
    query
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .map(|(n, v)| (n.to_string(), decode(v)))
        .collect()
}

impl Served {
    /// `GET /authorize?QUERY` with extra header lines.
    fn authorize(&self, query: &str) -> Reply {
        self.get(&format!("{}/authorize?{query}", self.base))
    }

    /// Authorize `client` for `redirect` with `extra` query parameters: the redirect's
    /// parameters (it must be a redirect).
    fn login(&self, client: &str, redirect: &str, extra: &str) -> HashMap<String, String> {
        let reply = self.authorize(&format!(
            "response_type=code&client_id={client}&redirect_uri={}&state=st-1&{extra}",
            encode(redirect)
        ));
        assert_eq!(reply.status, 302, "{}", reply.text());
        assert_eq!(reply.header("cache-control"), Some("no-store"));
        let location = reply.header("location").unwrap();
        assert!(location.starts_with(redirect), "{location}");
        let found = params(location);
        assert_eq!(
            found.get("iss").map(String::as_str),
            Some(self.url.as_str())
        );
        found
    }

    /// A code for `client` with the RFC 7636 challenge and `extra` parameters.
    fn code(&self, client: &str, extra: &str) -> String {
        let found = self.login(
            client,
            REDIRECT,
            &format!("code_challenge={CHALLENGE}&code_challenge_method=S256&{extra}"),
        );
        found
            .get("code")
            .cloned()
            .unwrap_or_else(|| panic!("{found:?}"))
    }

    /// A request with `headers` to `path` by `method` (GET or POST without a body).
    fn call(&self, method: &str, path: &str, headers: &[&str]) -> Reply {
        let mut raw = format!(
            "{method} {}{path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n",
            self.base, self.addr
        );
        if method == "POST" {
            raw.push_str("Content-Length: 0\r\n");
        }
        for header in headers {
            raw.push_str(header);
            raw.push_str("\r\n");
        }
        raw.push_str("\r\n");
        self.send(&raw)
    }

    fn verify_ok(&self, token: &str, args: &[&str]) {
        let out = self.verify(token, args);
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// `jwtk dpop` for a request, with `key` in `dir`.
fn proof(dir: &Path, key: &str, htm: &str, htu: &str, ath: Option<&str>) -> String {
    let mut args = vec!["dpop", "--key", key, "--htm", htm, "--htu", htu];
    if let Some(token) = ath {
        args.extend(["--ath", token]);
    }
    run_in(dir, &args)
}

/// `defaults` (flag, value) that `extra` does not give, then `extra`.
fn with_defaults(defaults: &[(&str, &str)], extra: &[&str]) -> Vec<String> {
    let mut out = Vec::new();
    for (flag, value) in defaults {
        if !extra.contains(flag) {
            out.extend([flag.to_string(), value.to_string()]);
        }
    }
    out.extend(extra.iter().map(|s| s.to_string()));
    out
}

#[test]
fn serve_code_flow_with_id_token_userinfo_and_refresh() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("users.json"),
        r#"{"users":{"alice":{"email":"alice@example.com","name":"Alice"}}}"#,
    )
    .unwrap();
    let served = Served::start_in(dir, &["--config", "users.json", "--user", "alice"]);
    let found = served.login(
        "app",
        REDIRECT,
        &format!(
            "scope=openid+offline_access+profile&nonce=n-0S6&code_challenge={CHALLENGE}&code_challenge_method=S256"
        ),
    );
    assert_eq!(found["state"], "st-1");
    let code = found["code"].clone();
    let reply = served.token_request(
        &format!(
            "grant_type=authorization_code&client_id=app&code={code}&redirect_uri={}&code_verifier={VERIFIER}",
            encode(REDIRECT)
        ),
        &[],
    );
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(reply.header("cache-control"), Some("no-store"));
    let body = reply.json();
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["scope"], "openid offline_access profile");
    let access = body["access_token"].as_str().unwrap().to_string();
    let id_token = body["id_token"].as_str().unwrap().to_string();
    let refresh = body["refresh_token"].as_str().unwrap().to_string();
    let (_, at) = parts(&access);
    assert_eq!(
        (at["sub"].as_str(), at["client_id"].as_str()),
        (Some("alice"), Some("app"))
    );
    let (header, id) = parts(&id_token);
    assert_eq!(header["typ"], "JWT");
    assert_eq!(id["iss"], served.url.as_str());
    assert_eq!(id["sub"], "alice");
    assert_eq!(id["aud"], "app");
    assert_eq!(id["azp"], "app");
    assert_eq!(id["nonce"], "n-0S6");
    assert_eq!(id["auth_time"], NOW);
    assert_eq!(id["email"], "alice@example.com");
    // Every token passes jwtk verify's profiles, at_hash and nonce included.
    served.verify_ok(&access, &["--aud", &served.url, "--profile", "at+jwt"]);
    served.verify_ok(
        &id_token,
        &[
            "--profile",
            "id_token",
            "--client-id",
            "app",
            "--nonce",
            "n-0S6",
            "--access-token",
            &access,
            "--max-age",
            "1h",
        ],
    );
    let out = served.verify(
        &id_token,
        &[
            "--profile",
            "id_token",
            "--client-id",
            "app",
            "--access-token",
            "other.token.x",
        ],
    );
    assert_eq!(out.status.code(), Some(1), "at_hash binds the access token");
    // userinfo: the user's claims.
    let reply = served.call(
        "GET",
        "/userinfo",
        &[&format!("Authorization: Bearer {access}")],
    );
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(
        reply.json(),
        json!({"sub": "alice", "email": "alice@example.com", "name": "Alice"})
    );
    let reply = served.call(
        "POST",
        "/userinfo",
        &[&format!("Authorization: bearer {access}")],
    );
    assert_eq!(reply.status, 200, "POST too (OIDC Core 5.3.1)");
    // Refresh: rotated, a new ID token keeping sub and auth_time, no nonce.
    let redeem = |client: &str, token: &str, extra: &str| {
        served.token_request(
            &format!("grant_type=refresh_token&client_id={client}&refresh_token={token}{extra}"),
            &[],
        )
    };
    let reply = redeem("app", &refresh, "");
    assert_eq!(reply.status, 200, "{}", reply.text());
    let renewed = reply.json();
    let next = renewed["refresh_token"].as_str().unwrap().to_string();
    assert_ne!(next, refresh, "rotated");
    let (_, id2) = parts(renewed["id_token"].as_str().unwrap());
    assert_eq!(
        (id2["sub"].as_str(), id2["auth_time"].as_i64()),
        (Some("alice"), Some(NOW))
    );
    assert!(id2.get("nonce").is_none());
    served.verify_ok(
        renewed["id_token"].as_str().unwrap(),
        &["--profile", "id_token", "--client-id", "app"],
    );
    // A narrower scope may be asked for; a wider one is invalid_scope (and spends nothing).
    let reply = redeem("app", &next, "&scope=admin");
    assert_eq!(reply.error(), (400, "invalid_scope".into()));
    let reply = redeem("other", &next, "");
    assert_eq!(
        reply.error(),
        (400, "invalid_grant".into()),
        "another client"
    );
    let reply = redeem("app", &next, "&scope=openid");
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(reply.json()["scope"], "openid");
    let third = reply.json()["refresh_token"].as_str().unwrap().to_string();
    // Reuse of a spent refresh token: invalid_grant, and the family is revoked.
    let reply = redeem("app", &refresh, "");
    assert_eq!(reply.error(), (400, "invalid_grant".into()));
    let reply = redeem("app", &third, "");
    assert_eq!(
        reply.error(),
        (400, "invalid_grant".into()),
        "the family is revoked"
    );
    // login_hint names the user; without offline_access, no refresh token.
    let found = served.login(
        "app",
        REDIRECT,
        &format!(
            "scope=openid&login_hint=bob&code_challenge={CHALLENGE}&code_challenge_method=S256"
        ),
    );
    let reply = served.token_request(
        &format!(
            "grant_type=authorization_code&client_id=app&code={}&redirect_uri={}&code_verifier={VERIFIER}",
            found["code"],
            encode(REDIRECT)
        ),
        &[],
    );
    let body = reply.json();
    assert!(body.get("refresh_token").is_none());
    assert_eq!(parts(body["id_token"].as_str().unwrap()).1["sub"], "bob");
    let reply = served.call(
        "GET",
        "/userinfo",
        &[&format!(
            "Authorization: Bearer {}",
            body["access_token"].as_str().unwrap()
        )],
    );
    assert_eq!(reply.json(), json!({"sub": "bob"}));
    // The request log names endpoints and clients, never a code, token, state or nonce.
    let stderr = served.wait_for_stderr("GET /userinfo 200 client_id=app");
    assert!(
        stderr.contains("GET /authorize 302 client_id=app"),
        "{stderr}"
    );
    assert!(
        stderr.contains("POST /token 200 client_id=app grant_type=authorization_code"),
        "{stderr}"
    );
    for never in [
        &code,
        &refresh,
        &next,
        &access[..40],
        "st-1",
        "n-0S6",
        VERIFIER,
    ] {
        assert!(!stderr.contains(never), "{never} in {stderr}");
    }
}

#[test]
fn serve_authorize_checks_clients_and_redirect_uris() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("c.json"),
        r#"{"clients":[
            {"client_id":"web","redirect_uris":["https://app.example/cb","http://127.0.0.1/cb"],"scopes":["openid","profile"]},
            {"client_id":"conf","client_secret":"s3cret","redirect_uris":["https://conf.example/cb"]}]}"#,
    )
    .unwrap();
    let served = Served::start_in(dir, &["--config", "c.json", "--client", "cli"]);
    let pkce = format!("code_challenge={CHALLENGE}&code_challenge_method=S256");
    // No valid redirect URI: a 400 page that echoes nothing, no redirect.
    for (query, why) in [
        (
            "response_type=code&redirect_uri=https%3A%2F%2Fapp.example%2Fcb",
            "client_id is missing",
        ),
        (
            "response_type=code&client_id=nobody-xyz&redirect_uri=https%3A%2F%2Fapp.example%2Fcb",
            "unknown client",
        ),
        (
            "response_type=code&client_id=web",
            "redirect_uri is missing",
        ),
        (
            "response_type=code&client_id=web&redirect_uri=https%3A%2F%2Fevil-xyz.example%2Fcb",
            "may use",
        ),
        (
            "response_type=code&client_id=web&redirect_uri=https%3A%2F%2Fapp.example%2Fcb%2F",
            "may use",
        ),
        (
            "response_type=code&client_id=web&redirect_uri=https%3A%2F%2FAPP.example%2Fcb",
            "may use",
        ),
        (
            "response_type=code&client_id=web&redirect_uri=http%3A%2F%2F127.0.0.1%3A5000%2Fother",
            "may use",
        ),
        (
            "response_type=code&client_id=cli&redirect_uri=https%3A%2F%2Fapp.example%2Fcb",
            "may use",
        ),
        (
            "response_type=code&client_id=cli&redirect_uri=http%3A%2F%2F%5B%3A%3Affff%3A127.0.0.1%5D%2Fcb",
            "may use",
        ),
        (
            "response_type=code&client_id=cli&redirect_uri=http%3A%2F%2F0x7f.1%2Fcb",
            "may use",
        ),
        (
            "response_type=code&client_id=cli&redirect_uri=http%3A%2F%2Flocalhost%2Fcb%23frag",
            "may use",
        ),
        (
            "response_type=code&client_id=cli&redirect_uri=http%3A%2F%2Fu%40localhost%2Fcb",
            "may use",
        ),
        ("response_type=code&client_id=web&client_id=cli", "repeated"),
    ] {
        let reply = served.authorize(query);
        assert_eq!(reply.status, 400, "{query}");
        assert!(reply.header("location").is_none(), "{query}");
        assert_eq!(
            reply.header("content-type"),
            Some("text/plain; charset=utf-8")
        );
        assert!(reply.text().contains(why), "{query}: {}", reply.text());
        for echoed in ["nobody-xyz", "evil-xyz", "0x7f", "frag"] {
            assert!(!reply.text().contains(echoed), "{}", reply.text());
        }
    }
    // Valid redirect URIs: exact, a loopback IP literal's port aside (RFC 8252 §7.3), and
    // any loopback one for a client without redirect URIs.
    assert!(
        served
            .login("web", "https://app.example/cb", &pkce)
            .contains_key("code")
    );
    assert!(
        served
            .login("web", "http://127.0.0.1:54321/cb", &pkce)
            .contains_key("code")
    );
    assert!(
        served
            .login("cli", "http://localhost:9/cb", &pkce)
            .contains_key("code")
    );
    assert!(
        served
            .login("cli", "http://[::1]:9/cb", &pkce)
            .contains_key("code")
    );
    // Errors go back to the redirect URI, with state and iss, and no code.
    for (client, extra, error) in [
        ("web", String::new(), "invalid_request"),
        ("cli", String::new(), "invalid_request"),
        (
            "web",
            "code_challenge=abc&code_challenge_method=plain".into(),
            "invalid_request",
        ),
        (
            "web",
            format!("code_challenge={CHALLENGE}"),
            "invalid_request",
        ),
        ("web", format!("{pkce}&scope=openid+admin"), "invalid_scope"),
        ("web", format!("{pkce}&dpop_jkt=short"), "invalid_request"),
    ] {
        let redirect = if client == "web" {
            "https://app.example/cb"
        } else {
            "http://localhost:9/cb"
        };
        let found = served.login(client, redirect, &extra);
        assert_eq!(
            found.get("error").map(String::as_str),
            Some(error),
            "{extra}"
        );
        assert_eq!(found["state"], "st-1");
        assert!(!found.contains_key("code"));
        assert!(found.contains_key("error_description"));
    }
    let reply = served
        .authorize("response_type=token&client_id=web&redirect_uri=https%3A%2F%2Fapp.example%2Fcb");
    assert_eq!(
        params(reply.header("location").unwrap())["error"],
        "unsupported_response_type"
    );
    // A confidential client may leave PKCE out; its code then needs its secret.
    let found = served.login("conf", "https://conf.example/cb", "scope=openid");
    let redeem = format!(
        "grant_type=authorization_code&code={}&redirect_uri={}",
        found["code"],
        encode("https://conf.example/cb")
    );
    let reply = served.token_request(&redeem, &[&basic("conf", "s3cret")]);
    assert_eq!(reply.status, 200, "{}", reply.text());
    served.verify_ok(
        reply.json()["id_token"].as_str().unwrap(),
        &["--profile", "id_token", "--client-id", "conf"],
    );
    assert_eq!(served.call("POST", "/authorize", &[]).status, 405);
}

#[test]
fn serve_token_code_grant_errors() {
    let served = Served::start(&[]);
    let redeem = |code: &str, extra: &str| {
        served.token_request(
            &format!(
                "grant_type=authorization_code&code={code}&redirect_uri={}&{extra}",
                encode(REDIRECT)
            ),
            &[],
        )
    };
    let good = format!("client_id=app&code_verifier={VERIFIER}");
    let cases: Vec<(String, String, &str)> = vec![
        // A wrong verifier; none for a code issued with a challenge.
        (
            served.code("app", ""),
            "client_id=app&code_verifier=dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXx".into(),
            "invalid_grant",
        ),
        (
            served.code("app", ""),
            "client_id=app".into(),
            "invalid_grant",
        ),
        (
            served.code("app", ""),
            "client_id=app&code_verifier=short".into(),
            "invalid_grant",
        ),
        // Another client, another redirect URI, none.
        (
            served.code("app", ""),
            format!("client_id=other&code_verifier={VERIFIER}"),
            "invalid_grant",
        ),
        (
            served.code("app", ""),
            format!("{good}&redirect_uri=x"),
            "invalid_request",
        ),
        ("unknown-code".into(), good.clone(), "invalid_grant"),
    ];
    for (code, extra, error) in cases {
        let reply = redeem(&code, &extra);
        assert_eq!(reply.error(), (400, error.to_string()), "{extra}");
        assert!(!reply.text().contains(&code) || code == "unknown-code");
    }
    let code = served.code("app", "");
    let reply = served.token_request(
        &format!("grant_type=authorization_code&code={code}&redirect_uri=http%3A%2F%2Flocalhost%3A3001%2Fcb&{good}"),
        &[],
    );
    assert_eq!(
        reply.error(),
        (400, "invalid_grant".into()),
        "a mismatched redirect_uri"
    );
    let code = served.code("app", "");
    let reply = served.token_request(
        &format!("grant_type=authorization_code&code={code}&{good}"),
        &[],
    );
    assert_eq!(
        reply.error(),
        (400, "invalid_grant".into()),
        "no redirect_uri"
    );
    let reply = served.token_request("grant_type=authorization_code&client_id=app", &[]);
    assert_eq!(reply.error(), (400, "invalid_request".into()), "no code");
    // The PKCE downgrade rule (RFC 9700 §2.1.1): a code issued without a challenge takes no
    // verifier, and is redeemed only with a secret (open mode: any secret).
    let bare = || served.login("app", REDIRECT, "")["code"].clone();
    let reply = redeem(
        &bare(),
        &format!("client_id=app&client_secret=x&code_verifier={VERIFIER}"),
    );
    assert_eq!(reply.error(), (400, "invalid_grant".into()));
    let reply = redeem(&bare(), "client_id=app");
    assert_eq!(reply.error(), (400, "invalid_grant".into()));
    let reply = redeem(&bare(), "client_id=app&client_secret=x");
    assert_eq!(reply.status, 200, "{}", reply.text());
    // A code used twice is invalid_grant and revokes the refresh tokens issued from it.
    let code = served.code("app", "scope=offline_access");
    let reply = redeem(&code, &good);
    assert_eq!(reply.status, 200, "{}", reply.text());
    let refresh = reply.json()["refresh_token"].as_str().unwrap().to_string();
    assert_eq!(redeem(&code, &good).error(), (400, "invalid_grant".into()));
    let reply = served.token_request(
        &format!("grant_type=refresh_token&client_id=app&refresh_token={refresh}"),
        &[],
    );
    assert_eq!(
        reply.error(),
        (400, "invalid_grant".into()),
        "revoked by the code's reuse"
    );
    // A failed redemption spends the code too: it is never good twice.
    let code = served.code("app", "");
    assert_eq!(
        redeem(&code, "client_id=app").error(),
        (400, "invalid_grant".into())
    );
    assert_eq!(redeem(&code, &good).error(), (400, "invalid_grant".into()));
    let reply = served.token_request(
        "grant_type=refresh_token&client_id=app&refresh_token=nope",
        &[],
    );
    assert_eq!(reply.error(), (400, "invalid_grant".into()));
}

#[test]
fn serve_hmac_key_refuses_openid_at_authorize() {
    let served = Served::hmac();
    let doc = served.get("/.well-known/openid-configuration").json();
    assert_eq!(doc["id_token_signing_alg_values_supported"], json!([]));
    let found = served.login(
        "app",
        REDIRECT,
        &format!("scope=openid&code_challenge={CHALLENGE}&code_challenge_method=S256"),
    );
    assert_eq!(found["error"], "invalid_scope");
    assert!(!found.contains_key("code"));
    let code = served.code("app", "scope=read");
    let reply = served.token_request(
        &format!(
            "grant_type=authorization_code&client_id=app&code={code}&redirect_uri={}&code_verifier={VERIFIER}",
            encode(REDIRECT)
        ),
        &[],
    );
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert!(reply.json().get("id_token").is_none());
    assert_eq!(
        parts(reply.json()["access_token"].as_str().unwrap()).0["alg"],
        "HS256"
    );
}

#[test]
fn serve_dpop_at_the_token_endpoint() {
    let served = Served::start(&[]);
    let dir = served.dir.path();
    keygen(dir, "k1", "ec");
    keygen(dir, "k2", "ed25519");
    let token_url = format!("{}/token", served.url);
    let userinfo_url = format!("{}/userinfo", served.url);
    let cc = "grant_type=client_credentials&client_id=svc&client_secret=s&scope=openid";
    let with = |proof: &str| format!("DPoP: {proof}");
    let first = proof(dir, "k1", "POST", &token_url, None);
    let reply = served.token_request(cc, &[&with(&first)]);
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(reply.json()["token_type"], "DPoP");
    let access = reply.json()["access_token"].as_str().unwrap().to_string();
    let jkt = parts(&access).1["cnf"]["jkt"].as_str().unwrap().to_string();
    assert_eq!(jkt.len(), 43);
    served.verify_ok(&access, &["--aud", &served.url, "--profile", "at+jwt"]);
    // Proofs checked as a server must: each failure is invalid_dpop_proof.
    let pinned = |offset: i64, htm: &str, htu: &str| {
        let out = crate::jwtk()
            .env("JWTK_NOW", (NOW + offset).to_string())
            .current_dir(dir)
            .args(["dpop", "--key", "k1", "--htm", htm, "--htu", htu])
            .output()
            .unwrap();
        String::from_utf8(out.stdout).unwrap().trim().to_string()
    };
    let token_b = format!("{}/token", served.url.replace("127.0.0.1", "localhost"));
    let garbage: Vec<String> = vec![
        with(&first),                                         // replayed
        with(&proof(dir, "k1", "GET", &token_url, None)),     // htm
        with(&proof(dir, "k1", "POST", &userinfo_url, None)), // htu
        with(&proof(dir, "k1", "POST", &token_b, None)),      // another host
        with(&pinned(-(5 * 60 + 61), "POST", &token_url)),    // too old
        with(&pinned(61, "POST", &token_url)),                // in the future
        with("not.a.proof"),
        with(&access), // a token, not a proof
    ];
    for header in &garbage {
        let reply = served.token_request(cc, &[header]);
        assert_eq!(
            reply.error(),
            (400, "invalid_dpop_proof".into()),
            "{header}"
        );
    }
    let two = [
        with(&proof(dir, "k1", "POST", &token_url, None)),
        with(&proof(dir, "k1", "POST", &token_url, None)),
    ];
    let reply = served.token_request(cc, &[&two[0], &two[1]]);
    assert_eq!(
        reply.error(),
        (400, "invalid_dpop_proof".into()),
        "two DPoP headers"
    );
    // Within the window and leeway: fine.
    let reply = served.token_request(cc, &[&with(&pinned(-(5 * 60), "POST", &token_url))]);
    assert_eq!(reply.status, 200, "{}", reply.text());
    // userinfo: a DPoP-bound token only under the DPoP scheme, with a proof for it.
    let reply = served.call(
        "GET",
        "/userinfo",
        &[&format!("Authorization: Bearer {access}")],
    );
    assert_eq!(reply.status, 401);
    assert!(
        reply
            .header("www-authenticate")
            .unwrap()
            .contains("error=\"invalid_token\""),
        "{:?}",
        reply.headers
    );
    let good = proof(dir, "k1", "GET", &userinfo_url, Some(&access));
    let auth = format!("Authorization: DPoP {access}");
    let reply = served.call("GET", "/userinfo", &[&auth, &with(&good)]);
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(reply.json(), json!({"sub": "svc"}));
    for (header, why) in [
        (with(&good), "replayed"),
        (
            with(&proof(dir, "k1", "GET", &userinfo_url, None)),
            "no ath",
        ),
        (
            with(&proof(dir, "k2", "GET", &userinfo_url, Some(&access))),
            "another key",
        ),
        (
            with(&proof(dir, "k1", "POST", &userinfo_url, Some(&access))),
            "htm",
        ),
        (String::new(), "no proof"),
    ] {
        let headers: Vec<&str> = [auth.as_str(), header.as_str()]
            .into_iter()
            .filter(|h| !h.is_empty())
            .collect();
        let reply = served.call("GET", "/userinfo", &headers);
        assert_eq!(reply.status, 401, "{why}");
        let challenges: Vec<&str> = reply
            .headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case("www-authenticate"))
            .map(|(_, v)| v.as_str())
            .collect();
        assert!(
            challenges
                .iter()
                .any(|c| c.starts_with("DPoP ") && c.contains("invalid_dpop_proof")),
            "{why}: {challenges:?}"
        );
    }
    // dpop_jkt binds the code to a key (RFC 9449 §10).
    let bound = |extra: &str| {
        served.code(
            "app",
            &format!("dpop_jkt={jkt}&scope=offline_access&{extra}"),
        )
    };
    let redeem = |code: &str, headers: &[&str]| {
        served.token_request(
            &format!(
                "grant_type=authorization_code&client_id=app&code={code}&redirect_uri={}&code_verifier={VERIFIER}",
                encode(REDIRECT)
            ),
            headers,
        )
    };
    let reply = redeem(&bound(""), &[]);
    assert_eq!(
        reply.error(),
        (400, "invalid_dpop_proof".into()),
        "no proof"
    );
    let reply = redeem(
        &bound(""),
        &[&with(&proof(dir, "k2", "POST", &token_url, None))],
    );
    assert_eq!(
        reply.error(),
        (400, "invalid_dpop_proof".into()),
        "another key"
    );
    let reply = redeem(
        &bound(""),
        &[&with(&proof(dir, "k1", "POST", &token_url, None))],
    );
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(reply.json()["token_type"], "DPoP");
    // A public client's refresh token is bound to its DPoP key.
    let refresh = reply.json()["refresh_token"].as_str().unwrap().to_string();
    let renew = |headers: &[&str]| {
        served.token_request(
            &format!("grant_type=refresh_token&client_id=app&refresh_token={refresh}"),
            headers,
        )
    };
    assert_eq!(
        renew(&[]).error(),
        (400, "invalid_dpop_proof".into()),
        "no proof"
    );
    let other = with(&proof(dir, "k2", "POST", &token_url, None));
    assert_eq!(
        renew(&[&other]).error(),
        (400, "invalid_dpop_proof".into()),
        "another key"
    );
    let right = with(&proof(dir, "k1", "POST", &token_url, None));
    let reply = renew(&[&right]);
    assert_eq!(
        reply.status,
        200,
        "the failed tries spent nothing: {}",
        reply.text()
    );
    assert_eq!(
        parts(reply.json()["access_token"].as_str().unwrap()).1["cnf"]["jkt"],
        jkt.as_str()
    );
}

#[test]
fn serve_userinfo_errors() {
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("issuer.jwks");
    keygen(dir.path(), "issuer.jwks", "ec");
    keygen(dir.path(), "other.jwks", "ec");
    let served = Served::start_in(dir, &["--key", "issuer.jwks"]);
    let key = key.to_str().unwrap();
    let challenge = |reply: &Reply| -> String {
        reply
            .headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case("www-authenticate"))
            .map(|(_, v)| v.clone())
            .collect::<Vec<_>>()
            .join(" | ")
    };
    let reply = served.call("GET", "/userinfo", &[]);
    assert_eq!(reply.status, 401);
    assert!(
        challenge(&reply).starts_with("Bearer realm="),
        "{}",
        challenge(&reply)
    );
    let url = served.url.clone();
    let mint = |key: &str, extra: &[&str]| {
        let defaults = [
            ("--iss", url.as_str()),
            ("--sub", "alice"),
            ("--aud", url.as_str()),
            ("--typ", "at+jwt"),
            ("--jti", "auto"),
        ];
        let mut args: Vec<&str> = vec!["mint", "--key", key];
        args.extend(["--claim", "client_id=app", "--claim", "scope=openid"]);
        let flags = with_defaults(&defaults, extra);
        args.extend(flags.iter().map(String::as_str));
        run_in(served.dir.path(), &args)
    };
    let good = mint(key, &[]);
    let reply = served.call(
        "GET",
        "/userinfo",
        &[&format!("Authorization: Bearer {good}")],
    );
    assert_eq!(
        reply.status,
        200,
        "a token signed by the server's keyset: {}",
        reply.text()
    );
    let other = served.path("other.jwks");
    let no_openid = served.token("");
    let id_token_like = mint(key, &["--typ", "JWT"]);
    for (token, status, error) in [
        ("garbage".to_string(), 401, "invalid_token"),
        (mint(other.to_str().unwrap(), &[]), 401, "invalid_token"),
        (mint(key, &["--exp", "-1s"]), 401, "invalid_token"),
        (
            mint(key, &["--iss", "https://elsewhere.example"]),
            401,
            "invalid_token",
        ),
        (id_token_like, 401, "invalid_token"),
        (no_openid, 401, "insufficient_scope"),
    ] {
        let reply = served.call(
            "GET",
            "/userinfo",
            &[&format!("Authorization: Bearer {token}")],
        );
        assert_eq!(reply.status, status, "{}", reply.text());
        assert!(
            challenge(&reply).contains(&format!("error=\"{error}\"")),
            "{}",
            challenge(&reply)
        );
        assert_eq!(reply.header("cache-control"), Some("no-store"));
    }
    let reply = served.call(
        "GET",
        "/userinfo",
        &[&format!("Authorization: DPoP {good}")],
    );
    assert_eq!(reply.status, 401, "an unbound token under the DPoP scheme");
    let reply = served.call("GET", "/userinfo", &["Authorization: Basic YTpi"]);
    assert_eq!(reply.status, 401);
    assert_eq!(served.call("PUT", "/userinfo", &[]).status, 405);
}

#[test]
fn serve_private_key_jwt() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    keygen(d, "client.jwks", "ec");
    keygen(d, "rsa.jwks", "rsa");
    keygen(d, "stranger.jwks", "ec");
    // The client's public keys: inline (jwk, jwks), and at a jwks_uri another jwtk serve
    // publishes.
    let public = |name: &str| -> Value {
        serde_json::from_str(&run_in(d, &["keyset", "public", name])).unwrap()
    };
    let ec = public("client.jwks");
    let rsa_dir = tempfile::tempdir().unwrap();
    std::fs::copy(d.join("rsa.jwks"), rsa_dir.path().join("rsa.jwks")).unwrap();
    let keys_host = Served::start_in(rsa_dir, &["--key", "rsa.jwks", "--jwks-max-age", "0"]);
    let config = json!({"clients": [
        {"client_id": "pkj", "jwk": ec["keys"][0], "redirect_uris": [REDIRECT]},
        {"client_id": "pkjs", "jwks": ec},
        {"client_id": "pku", "jwks_uri": format!("{}/jwks", keys_host.url)},
        {"client_id": "svc", "client_secret": "s3cret"}
    ]});
    std::fs::write(d.join("c.json"), config.to_string()).unwrap();
    let served = Served::start_in(dir, &["--config", "c.json"]);
    let token_url = format!("{}/token", served.url);
    let assertion = |key: &str, iss: &str, sub: &str, aud: &str, extra: &[&str]| {
        let defaults = [
            ("--iss", iss),
            ("--sub", sub),
            ("--aud", aud),
            ("--exp", "+2m"),
        ];
        let flags = with_defaults(&defaults, extra);
        let mut args: Vec<&str> = vec!["mint", "--key", key];
        args.extend(flags.iter().map(String::as_str));
        run_in(served.dir.path(), &args)
    };
    let jti = ["--jti", "auto"];
    let ask = |client: Option<&str>, assertion: &str, kind: &str| {
        let id = client
            .map(|c| format!("&client_id={c}"))
            .unwrap_or_default();
        served.token_request(
            &format!("grant_type=client_credentials{id}&client_assertion_type={}&client_assertion={assertion}", encode(kind)),
            &[],
        )
    };
    const TYPE: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
    // Accepted: aud the token endpoint or the issuer; client_id given or not; every source.
    let good = assertion("client.jwks", "pkj", "pkj", &token_url, &jti);
    let reply = ask(Some("pkj"), &good, TYPE);
    assert_eq!(reply.status, 200, "{}", reply.text());
    served.verify_ok(
        reply.json()["access_token"].as_str().unwrap(),
        &["--aud", &served.url, "--profile", "at+jwt"],
    );
    let reply = ask(
        None,
        &assertion("client.jwks", "pkjs", "pkjs", &served.url, &jti),
        TYPE,
    );
    assert_eq!(reply.status, 200, "{}", reply.text());
    let reply = ask(
        Some("pku"),
        &assertion("rsa.jwks", "pku", "pku", &token_url, &jti),
        TYPE,
    );
    assert_eq!(reply.status, 200, "jwks_uri: {}", reply.text());
    let reply = ask(
        Some("pkj"),
        &assertion(
            "client.jwks",
            "pkj",
            "pkj",
            &token_url,
            &["--jti", "auto", "--exp", "+61m"],
        ),
        TYPE,
    );
    assert_eq!(
        reply.status,
        200,
        "an hour and the leeway: {}",
        reply.text()
    );
    // Refused: each is invalid_client (401).
    let mut no_jti = assertion("client.jwks", "pkj", "pkj", &token_url, &[]);
    if parts(&no_jti).1.get("jti").is_some() {
        no_jti = String::new();
    }
    let cases: Vec<(Option<&str>, String, &str, &str)> = vec![
        (Some("pkj"), good.clone(), TYPE, "replayed jti"),
        (
            Some("pkj"),
            assertion(
                "client.jwks",
                "pkj",
                "pkj",
                "https://elsewhere.example/token",
                &jti,
            ),
            TYPE,
            "aud",
        ),
        (
            Some("pkj"),
            assertion("stranger.jwks", "pkj", "pkj", &token_url, &jti),
            TYPE,
            "another key",
        ),
        (
            Some("pkj"),
            assertion("client.jwks", "other", "pkj", &token_url, &jti),
            TYPE,
            "iss is not the client",
        ),
        (
            Some("pkj"),
            assertion(
                "client.jwks",
                "pkj",
                "pkj",
                &token_url,
                &["--jti", "auto", "--exp", "-5m"],
            ),
            TYPE,
            "expired",
        ),
        (
            Some("pkj"),
            assertion(
                "client.jwks",
                "pkj",
                "pkj",
                &token_url,
                &["--jti", "auto", "--exp", "+62m"],
            ),
            TYPE,
            "exp more than an hour (and the leeway) ahead: remembered too long",
        ),
        (Some("pkj"), no_jti, TYPE, "no jti"),
        (
            Some("pkjs"),
            assertion("client.jwks", "pkj", "pkj", &token_url, &jti),
            TYPE,
            "client_id is another client",
        ),
        (
            Some("pkj"),
            assertion("client.jwks", "pkj", "pkj", &token_url, &jti),
            "urn:other",
            "assertion type",
        ),
        (
            Some("pku"),
            assertion("client.jwks", "pku", "pku", &token_url, &jti),
            TYPE,
            "not in the jwks_uri set",
        ),
        (
            Some("svc"),
            assertion("client.jwks", "svc", "svc", &token_url, &jti),
            TYPE,
            "a client with a secret",
        ),
        (Some("pkj"), "not-a-jwt".into(), TYPE, "not a JWT"),
    ];
    for (client, assertion, kind, why) in cases {
        if assertion.is_empty() {
            continue;
        }
        let reply = ask(client, &assertion, kind);
        assert_eq!(
            reply.error(),
            (401, "invalid_client".into()),
            "{why}: {}",
            reply.text()
        );
    }
    let reply = served.token_request("grant_type=client_credentials&client_id=pkj", &[]);
    assert_eq!(
        reply.error(),
        (401, "invalid_client".into()),
        "no assertion"
    );
    let reply = served.token_request(
        &format!("grant_type=client_credentials&client_secret=x&client_assertion_type={}&client_assertion={}", encode(TYPE), assertion("client.jwks", "pkj", "pkj", &token_url, &jti)),
        &[],
    );
    assert_eq!(
        reply.error(),
        (400, "invalid_request".into()),
        "two ways to authenticate"
    );
    // The code flow with private_key_jwt: a confidential client, PKCE optional.
    let found = served.login("pkj", REDIRECT, "scope=openid");
    let reply = served.token_request(
        &format!(
            "grant_type=authorization_code&code={}&redirect_uri={}&client_assertion_type={}&client_assertion={}",
            found["code"],
            encode(REDIRECT),
            encode(TYPE),
            assertion("client.jwks", "pkj", "pkj", &token_url, &jti)
        ),
        &[],
    );
    assert_eq!(reply.status, 200, "{}", reply.text());
    // Open mode has no keys to check an assertion against.
    let open = Served::start(&[]);
    let reply = open.token_request(
        &format!(
            "grant_type=client_credentials&client_assertion_type={}&client_assertion={}",
            encode(TYPE),
            assertion(
                "client.jwks",
                "pkj",
                "pkj",
                &format!("{}/token", open.url),
                &jti
            )
        ),
        &[],
    );
    assert_eq!(reply.error(), (401, "invalid_client".into()));
}

#[test]
fn serve_refuses_users_with_claims_the_server_sets() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("u.json"),
        r#"{"users":{"alice":{"sub":"mallory"}}}"#,
    )
    .unwrap();
    let out = start_fails(&["--config", &dir.path().join("u.json").display().to_string()]);
    assert_eq!(out.status.code(), Some(3));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("users.\"alice\".sub"), "{stderr}");
}
