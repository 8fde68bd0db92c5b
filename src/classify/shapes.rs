//! Shapes a token has whoever issued it, read from the claims alone: claims that describe a
//! CI job or a machine, the subject of a security event (RFC 8417, RFC 9493), the audience of
//! an assertion (an authorization server), the members of an entity statement.

use serde_json::Value;

use super::facts::{Facts, is_url};

/// Words in claim names (and in `sub`) that describe a repository, a pipeline or a job.
const CI_WORDS: &[&str] = &[
    "repository",
    "repo",
    "pipeline",
    "job",
    "workflow",
    "build",
    "run",
    "deployment",
    "deploy",
    "commit",
    "sha",
    "branch",
    "ref",
    "runner",
    "stage",
    "step",
    "scm",
    "vcs",
];

/// Words that describe a machine or a workload: what orchestrators and clouds put in the
/// identity of what they run.
const MACHINE_WORDS: &[&str] = &[
    "machine",
    "instance",
    "pod",
    "container",
    "image",
    "allocation",
    "task",
    "node",
    "vm",
    "workload",
    "namespace",
    "cluster",
];

/// What the claims describe, with the claims that say so.
#[derive(Debug, PartialEq, Eq)]
pub enum Workload {
    /// A CI or deployment job.
    Ci(Vec<String>),
    /// A machine or a workload.
    Machine(Vec<String>),
}

/// Whether the claims describe a CI job or a machine: at least two claims (or one claim and
/// `sub`) whose names hold the words of one vocabulary. CI wins a tie: a job runs on a machine.
pub fn workload(f: &Facts) -> Option<Workload> {
    let found = |vocabulary: &[&str]| {
        let mut hits: Vec<String> = f
            .claims
            .keys()
            .filter(|k| words(k).iter().any(|w| vocabulary.contains(&w.as_str())))
            .cloned()
            .collect();
        if f.sub()
            .is_some_and(|s| words(s).iter().any(|w| vocabulary.contains(&w.as_str())))
        {
            hits.push("sub".to_string());
        }
        hits.truncate(6);
        hits
    };
    let ci = found(CI_WORDS);
    if ci.len() >= 2 {
        return Some(Workload::Ci(ci));
    }
    let machine = found(MACHINE_WORDS);
    (machine.len() >= 2).then_some(Workload::Machine(machine))
}

/// The words of a claim name or a subject: split at anything not a letter or digit and at
/// lower-to-upper case changes (`runType` → run, type), lower case. Long texts give no words.
fn words(text: &str) -> Vec<String> {
    if text.len() > 512 {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut word = String::new();
    let mut prev_lower = false;
    for c in text.chars() {
        let boundary = !c.is_ascii_alphanumeric() || (c.is_ascii_uppercase() && prev_lower);
        if boundary && !word.is_empty() {
            out.push(std::mem::take(&mut word));
        }
        if c.is_ascii_alphanumeric() {
            word.push(c.to_ascii_lowercase());
        }
        prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
    }
    if !word.is_empty() {
        out.push(word);
    }
    out
}

/// The URI of the OpenID back-channel logout event.
pub const LOGOUT_EVENT: &str = "http://schemas.openid.net/event/backchannel-logout";

/// The events of a security event token: `events` as an object (RFC 8417 §2.2), or as a
/// string holding one (Sign in with Apple's server-to-server notifications).
pub fn events(f: &Facts) -> Option<Events> {
    match f.claims.get("events")? {
        Value::Object(map) if !map.is_empty() => Some(Events {
            logout: map.contains_key(LOGOUT_EVENT),
            names: map.keys().take(3).cloned().collect(),
        }),
        Value::String(s) if s.len() <= 4096 => {
            let inner: Value = serde_json::from_str(s).ok()?;
            let kind = inner.get("type")?.as_str()?;
            Some(Events {
                logout: false,
                names: vec![kind.to_string()],
            })
        }
        _ => None,
    }
}

/// What an `events` claim names.
pub struct Events {
    pub logout: bool,
    pub names: Vec<String>,
}

/// The subject of a security event: `sub_id` (RFC 9493 subject identifiers, as the Shared
/// Signals Framework and CAEP carry it), the event's own `subject` (RISC), an `events` string's
/// `sub`, and last `sub`.
pub fn event_subject(f: &Facts) -> Option<String> {
    const ID_MEMBERS: &[&str] = &["sub", "email", "phone_number", "id", "uri", "url"];
    let in_object = |v: &Value| {
        ID_MEMBERS
            .iter()
            .find_map(|m| v.get(m)?.as_str().map(str::to_string))
    };
    if let Some(id) = f.claims.get("sub_id").and_then(in_object) {
        return Some(id);
    }
    match f.claims.get("events") {
        Some(Value::Object(events)) => {
            let from_event = events.values().find_map(|event| {
                ["subject", "sub_id"]
                    .iter()
                    .find_map(|k| in_object(event.get(k)?))
            });
            if from_event.is_some() {
                return from_event;
            }
        }
        Some(Value::String(s)) if s.len() <= 4096 => {
            if let Some(sub) = serde_json::from_str::<Value>(s)
                .ok()
                .and_then(|v| v.get("sub")?.as_str().map(str::to_string))
            {
                return Some(sub);
            }
        }
        _ => {}
    }
    f.sub().map(str::to_string)
}

/// Whether an entity statement describes a client (a relying party or an OAuth client).
pub fn entity_is_client(f: &Facts) -> bool {
    f.claims
        .get("metadata")
        .and_then(Value::as_object)
        .is_some_and(|m| m.contains_key("openid_relying_party") || m.contains_key("oauth_client"))
}

/// An audience that names a token endpoint: its last path segment names a token.
pub fn token_endpoint(aud: &str) -> bool {
    let path = aud.split(['?', '#']).next().unwrap_or_default();
    is_url(aud) && path.rsplit('/').next().is_some_and(|s| s.contains("token"))
}

/// An audience that names an authorization server, as an RFC 7523 assertion's does: its token
/// endpoint, its issuer URL (draft-ietf-oauth-rfc7523bis), or its bare host name.
pub fn server_audience(aud: &str) -> bool {
    if token_endpoint(aud) {
        return true;
    }
    match aud.split_once("://") {
        Some((_, rest)) => matches!(rest.split_once('/'), None | Some((_, ""))),
        None => super::facts::is_authority(aud) && !aud.contains('/'),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Map, json};

    fn facts_of(claims: &Value) -> Facts<'_> {
        static EMPTY: std::sync::OnceLock<Map<String, Value>> = std::sync::OnceLock::new();
        Facts {
            header: EMPTY.get_or_init(Map::new),
            claims: claims.as_object().unwrap(),
            issuer: None,
        }
    }

    #[test]
    fn word_splitting() {
        assert_eq!(words("runType"), ["run", "type"]);
        assert_eq!(
            words("aap_controller_job_id"),
            ["aap", "controller", "job", "id"]
        );
        assert_eq!(
            words("https://ci.example/job/x/"),
            ["https", "ci", "example", "job", "x"]
        );
        assert_eq!(words("repositoryUuid"), ["repository", "uuid"]);
    }

    #[test]
    fn ci_and_machine_vocabularies() {
        let ci = json!({"sub": "https://ci.example.com/job/deploy/", "build_number": 7});
        assert!(matches!(workload(&facts_of(&ci)), Some(Workload::Ci(_))));
        let machine = json!({"sub": "a:b:c", "machine_id": "m1", "image_digest": "sha256:00"});
        assert!(matches!(
            workload(&facts_of(&machine)),
            Some(Workload::Machine(_))
        ));
        let person = json!({"sub": "alice", "job_title": "engineer", "email": "a@example.com"});
        assert_eq!(workload(&facts_of(&person)), None);
    }

    #[test]
    fn event_subjects() {
        let caep = json!({"sub_id": {"format": "email", "email": "u@example.com"}, "events": {}});
        assert_eq!(
            event_subject(&facts_of(&caep)).as_deref(),
            Some("u@example.com")
        );
        let risc = json!({"events": {"https://schemas.openid.net/secevent/risc/event-type/account-disabled":
            {"subject": {"subject_type": "iss-sub", "iss": "https://idp", "sub": "7375"}}}});
        assert_eq!(event_subject(&facts_of(&risc)).as_deref(), Some("7375"));
        let apple = json!({"events": "{\"type\":\"email-disabled\",\"sub\":\"001.abc\"}"});
        assert_eq!(event_subject(&facts_of(&apple)).as_deref(), Some("001.abc"));
        assert_eq!(events(&facts_of(&apple)).unwrap().names, ["email-disabled"]);
    }

    #[test]
    fn audiences() {
        assert!(token_endpoint("https://oauth2.googleapis.com/token"));
        assert!(token_endpoint("https://as.example.com/as/token.oauth2"));
        assert!(!token_endpoint("https://api.example.com/orders"));
        assert!(!token_endpoint("token"));
        for aud in [
            "https://login.example.com",
            "https://login.example.com/",
            "account-d.example.com",
        ] {
            assert!(server_audience(aud), "{aud}");
        }
        for aud in [
            "https://api.example.com/orders",
            "my-client-id",
            "appstoreconnect-v1",
        ] {
            assert!(!server_audience(aud), "{aud}");
        }
    }
}
