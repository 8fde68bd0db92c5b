//! How long the request parameters that the server keeps, or echoes, may be. A code keeps its
//! request's client, user, scope, redirect URI, challenge, nonce and DPoP key, and a refresh
//! token its code's grant, for as long as they live: without these limits, one request head of
//! 16 KiB made a code of 16 KiB. Each limit is far above what real clients send (node
//! openid-client, oauth4webapi and authlib draw `state` and `nonce` of 20 to 43 characters;
//! a PKCE verifier of 43 to 128; redirect URIs and scopes of tens of bytes). A parameter past
//! its limit is `invalid_request` naming it.

/// `client_id` in open mode (a declared client is matched against its config): a UUID is 36
/// bytes, and URL-shaped client IDs stay far below this.
pub const MAX_CLIENT_ID: usize = 512;

/// `redirect_uri`: real callbacks are tens of bytes, and 2 KiB is the URL length that every
/// browser and server has long handled.
pub const MAX_REDIRECT_URI: usize = 2048;

/// `state`: echoed to the client; libraries draw 32 random bytes (43 characters) or fewer.
pub const MAX_STATE: usize = 512;

/// `nonce`: kept with the code, then put in the ID token; libraries draw 20 to 43 characters.
pub const MAX_NONCE: usize = 512;

/// `login_hint`, which becomes `sub`: OpenID Connect Core §2 caps `sub` at 255 ASCII
/// characters.
pub const MAX_LOGIN_HINT: usize = 255;

/// The whole `scope` parameter: `openid profile email offline_access` is 35 bytes.
pub const MAX_SCOPE: usize = 1024;

/// One scope value: URL-shaped scopes (`https://www.googleapis.com/auth/…`) stay under 100.
pub const MAX_SCOPE_VALUE: usize = 256;

/// One `resource` (RFC 8707), which becomes an `aud`: an API's URL, as `redirect_uri`.
pub const MAX_RESOURCE: usize = 2048;

/// Whether `value` of the parameter `name` is within `limit` bytes; else the
/// `error_description` that names it (RFC 6749 §5.2's character set).
pub fn within(name: &str, value: &str, limit: usize) -> Result<(), String> {
    if value.len() <= limit {
        Ok(())
    } else {
        Err(format!("{name} is longer than {limit} bytes"))
    }
}

/// The scope values of `scope` (space-separated) each within [`MAX_SCOPE_VALUE`], the whole
/// within [`MAX_SCOPE`]; else the `error_description`.
pub fn scope_within(scope: &str) -> Result<(), String> {
    within("scope", scope, MAX_SCOPE)?;
    if scope.split(' ').any(|value| value.len() > MAX_SCOPE_VALUE) {
        return Err(format!(
            "a scope value is longer than {MAX_SCOPE_VALUE} bytes"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_name_the_parameter() {
        assert_eq!(within("nonce", &"n".repeat(MAX_NONCE), MAX_NONCE), Ok(()));
        assert_eq!(
            within("nonce", &"n".repeat(MAX_NONCE + 1), MAX_NONCE),
            Err("nonce is longer than 512 bytes".into())
        );
        assert_eq!(scope_within(&"s".repeat(MAX_SCOPE_VALUE)), Ok(()));
        let long_value = format!("openid {}", "s".repeat(MAX_SCOPE_VALUE + 1));
        assert_eq!(
            scope_within(&long_value),
            Err("a scope value is longer than 256 bytes".into())
        );
        let many = vec!["scope"; 200].join(" ");
        assert_eq!(
            scope_within(&many),
            Err("scope is longer than 1024 bytes".into())
        );
    }
}
