//! Numbers in claims stay exactly as written through mint → decode → verify → classify:
//! 2^64+1 and 2^70 are those integers, not 1.8446744073709552e+19.

use aws_lc_rs::hmac;

use super::{NOW, b64, fixture, json_stdout, jwtk};

const TWO_64_PLUS_1: &str = "18446744073709551617";
const TWO_70: &str = "1180591620717411303424";

fn secret_path() -> String {
    fixture("keys/secret-newline.txt").display().to_string()
}

fn secret() -> Vec<u8> {
    let text = std::fs::read(fixture("keys/secret-newline.txt")).unwrap();
    text.strip_suffix(b"\n").unwrap_or(&text).to_vec()
}

/// The payload text of a compact token.
fn payload_text(token: &str) -> String {
    use base64::Engine;
    let part = token.split('.').nth(1).unwrap();
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(part)
        .unwrap();
    String::from_utf8(bytes).unwrap()
}

fn assert_exact(text: &str, what: &str) {
    for (name, number) in [("n", TWO_64_PLUS_1), ("m", TWO_70)] {
        assert!(
            text.contains(&format!("\"{name}\":{number}"))
                || text.contains(&format!("\"{name}\": {number}")),
            "{what}: want {name} = {number} in {text}"
        );
    }
    assert!(!text.contains("e+"), "{what}: a float crept in: {text}");
}

#[test]
fn mint_decode_verify_round_trip_big_integers_exactly() {
    let out = jwtk()
        .args(["mint", "--key", &secret_path(), "--json"])
        .args(["--claim", &format!("n:={TWO_64_PLUS_1}")])
        .args(["--claim", &format!("m:={TWO_70}")])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let minted = String::from_utf8(out.stdout.clone()).unwrap();
    assert_exact(&minted, "mint --json");
    let token = json_stdout(&out)["token"].as_str().unwrap().to_string();
    assert_exact(&payload_text(&token), "the signed payload");
    check_everywhere(&token);
}

#[test]
fn a_peers_token_with_big_integers_reads_exactly() {
    // Written and signed outside jwtk: the payload text is the peer's, byte for byte.
    let header = r#"{"alg":"HS256","typ":"JWT"}"#;
    let payload = format!(
        r#"{{"sub":"peer","n":{TWO_64_PLUS_1},"m":{TWO_70},"exp":{}}}"#,
        NOW + 600
    );
    let input = format!("{}.{}", b64(header), b64(&payload));
    let key = hmac::Key::new(hmac::HMAC_SHA256, &secret());
    let token = format!("{input}.{}", b64(hmac::sign(&key, input.as_bytes())));
    check_everywhere(&token);
}

fn check_everywhere(token: &str) {
    let decode = jwtk().args(["decode", "--json", token]).output().unwrap();
    assert_exact(&String::from_utf8(decode.stdout).unwrap(), "decode --json");
    let human = jwtk().args(["decode", token]).output().unwrap();
    assert_exact(&String::from_utf8(human.stdout).unwrap(), "decode");
    let verify = jwtk()
        .args([
            "verify",
            "--key",
            &secret_path(),
            "--alg",
            "HS256",
            "--json",
            token,
        ])
        .output()
        .unwrap();
    assert_eq!(verify.status.code(), Some(0));
    assert_exact(&String::from_utf8(verify.stdout).unwrap(), "verify --json");
    let batch = jwtk()
        .args([
            "verify",
            "--key",
            &secret_path(),
            "--alg",
            "HS256",
            "--batch",
        ])
        .write_stdin(format!("{token}\n"))
        .output()
        .unwrap();
    assert_exact(&String::from_utf8(batch.stdout).unwrap(), "verify --batch");
    let classify = jwtk().args(["classify", "--json", token]).output().unwrap();
    assert_eq!(classify.status.code(), Some(0));
    // Minting from the decoded claims keeps them too (claims are data).
    let dir = tempfile::tempdir().unwrap();
    let base = dir.path().join("claims.json");
    let claims =
        json_stdout(&jwtk().args(["decode", "--json", token]).output().unwrap())["claims"].clone();
    std::fs::write(&base, serde_json::to_string(&claims).unwrap()).unwrap();
    let again = jwtk()
        .args(["mint", "--key", &secret_path(), "--claims"])
        .arg(&base)
        .output()
        .unwrap();
    let again = String::from_utf8(again.stdout).unwrap();
    assert_exact(&payload_text(again.trim()), "mint --claims");
}

/// serde_json (arbitrary_precision) hands a number to a parser as a one-member object under
/// the name `$serde_json::private::Number`. An object that really has that member, written
/// into a token, is an object: never read as the number it holds (so `exp` cannot be given
/// as an object another library would refuse), and read alike by decode and verify.
#[test]
fn an_object_shaped_like_serde_jsons_number_marker_is_an_object() {
    let header = r#"{"alg":"HS256","typ":"JWT"}"#;
    let key = hmac::Key::new(hmac::HMAC_SHA256, &secret());
    for name in [
        "$serde_json::private::Number",
        r"\u0024serde_json::private::Number",
    ] {
        let payload = format!(r#"{{"exp":{{"{name}":"99999999999"}}}}"#);
        let input = format!("{}.{}", b64(header), b64(&payload));
        let token = format!("{input}.{}", b64(hmac::sign(&key, input.as_bytes())));
        // (Read as text: serde_json's own `Value` parser, with arbitrary_precision, would
        // turn the object back into a number.)
        let decode = jwtk().args(["decode", "--json", &token]).output().unwrap();
        let shown = String::from_utf8(decode.stdout).unwrap();
        assert!(
            shown.contains(r#""claims":{"exp":{"$serde_json::private::Number":"99999999999"}}"#),
            "decode --json: {shown}"
        );
        assert!(shown.contains("exp is an object"), "decode --json: {shown}");
        let verify = ["verify", "--key", &secret_path(), "--alg", "HS256"];
        let single = jwtk()
            .args(verify)
            .args(["--json", &token])
            .output()
            .unwrap();
        let batch = jwtk()
            .args(verify)
            .arg("--batch")
            .write_stdin(format!("{token}\n"))
            .output()
            .unwrap();
        for out in [single, batch] {
            assert_eq!(out.status.code(), Some(1));
            let verdict = json_stdout(&out);
            assert_eq!(verdict["reason"], "malformed", "{verdict}");
            assert!(
                verdict["message"]
                    .as_str()
                    .unwrap()
                    .contains("exp is an object"),
                "{verdict}"
            );
        }
    }
}
