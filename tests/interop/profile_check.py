#!/usr/bin/env python3
"""Token profiles (`verify --profile`, `mint --profile`) against PyJWT.

Usage: profile_check.py PATH/TO/jwtk

1. ID tokens PyJWT signs with every algorithm it has (HS*, RS*, PS*, ES256/384/512, EdDSA),
   carrying at_hash and c_hash computed here with hashlib (OIDC Core §3.1.3.6: the base64url
   left half of the hash of the token's alg; SHA-512 for EdDSA), pass
   `verify --profile id_token --access-token … --code …`; a hash of the wrong size or value is
   profile_violation.
2. One token PyJWT signs for each profile passes it; every rule of each profile broken one at
   a time gives the reason the contract names (missing_claim, wrong_type, profile_violation,
   wrong_audience) and a message naming the profile and the section.
3. Tokens `jwtk mint --profile …` makes verify in PyJWT with the typ and jti the profile
   needs.

Exits non-zero, naming each failure, when anything does not interoperate.
"""

import base64
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time

import jwt
from cryptography.hazmat.primitives import serialization as ser
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

JWTK = sys.argv[1]
FAILURES = []
CHECKS = 0
EVENT = "http://schemas.openid.net/event/backchannel-logout"
ACCESS_TOKEN = "jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y"  # OIDC Core Appendix A.3
CODE = "Qcb0Orv1zh30vL1MPRsbm-diHiMwcLyZvn1arpZv-Jxf_11jnpEX3Tgfvk"  # OIDC Core Appendix A.4


def b64u(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def jwtk(*args, stdin=None):
    return subprocess.run([JWTK, *args], capture_output=True, text=True, input=stdin,
                          env={"PATH": os.environ.get("PATH", "")})


def check(name, ok, detail=""):
    global CHECKS
    CHECKS += 1
    if not ok:
        FAILURES.append(f"{name}: {detail}")


def half_hash(alg, value):
    if alg == "EdDSA":
        digest = hashlib.sha512
    else:
        digest = {"256": hashlib.sha256, "384": hashlib.sha384, "512": hashlib.sha512}[alg[2:]]
    full = digest(value.encode()).digest()
    return b64u(full[: len(full) // 2])


def write(tmp, name, data, mode=0o600):
    path = os.path.join(tmp, name)
    with open(path, "wb") as f:
        f.write(data)
    os.chmod(path, mode)
    return path


def keys(tmp):
    """alg → (signing key for PyJWT, path of the verifying key for jwtk, extra verify flags)."""
    secret = os.urandom(64)
    secret_path = write(tmp, "secret.bin", secret)
    rsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    curves = {"ES256": ec.SECP256R1(), "ES384": ec.SECP384R1(), "ES512": ec.SECP521R1()}
    out = {}
    for alg in ("HS256", "HS384", "HS512"):
        out[alg] = (secret, secret_path, ["--alg", alg])
    public = lambda k: k.public_key().public_bytes(ser.Encoding.PEM, ser.PublicFormat.SubjectPublicKeyInfo)  # noqa: E731
    rsa_path = write(tmp, "rsa.pub.pem", public(rsa_key), 0o644)
    for alg in ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512"):
        out[alg] = (rsa_key, rsa_path, ["--alg", alg])
    for alg, curve in curves.items():
        key = ec.generate_private_key(curve)
        out[alg] = (key, write(tmp, f"{alg}.pub.pem", public(key), 0o644), [])
    ed = ed25519.Ed25519PrivateKey.generate()
    out["EdDSA"] = (ed, write(tmp, "ed.pub.pem", public(ed), 0o644), [])
    return out


def sign(claims, key, alg, typ):
    """A JWS of `claims` as JSON (PyJWS: PyJWT's jwt.encode refuses an iss that is no string);
    typ None leaves typ out of the header."""
    return jwt.api_jws.encode(json.dumps(claims).encode(), key, algorithm=alg, headers={"typ": typ})


def verdict(token, key_path, *flags):
    out = jwtk("verify", "--json", "--key", key_path, *flags, token)
    try:
        doc = json.loads(out.stdout)
    except json.JSONDecodeError:
        return f"exit {out.returncode}: {out.stderr.strip()}", ""
    return ("valid" if doc["valid"] else doc["reason"]), doc["message"] or ""


def half_hashes_for_every_algorithm(tmp):
    now = int(time.time())
    for alg, (key, path, flags) in keys(tmp).items():
        claims = {"iss": "https://op.example", "sub": "u1", "aud": "c1", "exp": now + 600, "iat": now,
                  "at_hash": half_hash(alg, ACCESS_TOKEN), "c_hash": half_hash(alg, CODE)}
        args = [*flags, "--profile", "id_token", "--client-id", "c1", "--access-token", ACCESS_TOKEN, "--code", CODE]
        got, message = verdict(jwt.encode(claims, key, algorithm=alg), path, *args)
        check(f"id_token {alg} at_hash and c_hash", got == "valid", f"{got}: {message}")
        wrong = "HS256" if alg[2:] != "256" else "HS512"
        bad = dict(claims, at_hash=half_hash(wrong, ACCESS_TOKEN))
        got, message = verdict(jwt.encode(bad, key, algorithm=alg), path, *args)
        check(f"id_token {alg} another hash's at_hash", got == "profile_violation" and "at_hash" in message,
              f"{got}: {message}")
        bad = dict(claims, c_hash=half_hash(alg, CODE + "x"))
        got, message = verdict(jwt.encode(bad, key, algorithm=alg), path, *args)
        check(f"id_token {alg} wrong c_hash", got == "profile_violation" and "c_hash" in message, f"{got}: {message}")


def profiles(now):
    """profile → (typ, claims, verify flags, [(what to change, reason, section)])."""
    remove = lambda name: ("claims", name, None)  # noqa: E731
    at, oidc, bcl = "RFC 9068 §2.2", "OIDC Core §2", "Back-Channel Logout §2.4"
    return {
        "at+jwt": ("at+jwt",
                   {"iss": "https://as.example", "exp": now + 600, "aud": "https://api", "sub": "u1",
                    "client_id": "c1", "iat": now, "jti": "j1"},
                   ["--aud", "https://api"],
                   [(("typ", None, None), "wrong_type", "RFC 9068 §2.1, §4"),
                    (("typ", None, "JWT"), "wrong_type", "RFC 9068 §2.1, §4")]
                   + [(remove(c), "missing_claim", at) for c in ("iss", "exp", "aud", "sub", "client_id", "iat", "jti")]),
        "id_token": ("JWT",
                     {"iss": "https://op.example", "sub": "u1", "aud": "c1", "exp": now + 600, "iat": now,
                      "nonce": "n1", "auth_time": now - 60},
                     ["--client-id", "c1", "--nonce", "n1", "--max-age", "5m"],
                     [(("typ", None, "at+jwt"), "wrong_type", "RFC 8725 §3.11"),
                      (("claims", "events", {EVENT: {}}), "profile_violation", "RFC 8725 §3.11"),
                      (("claims", "aud", "c2"), "wrong_audience", "OIDC Core §3.1.3.7"),
                      (remove("nonce"), "missing_claim", "OIDC Core §3.1.3.7"),
                      (("claims", "nonce", "n2"), "profile_violation", "OIDC Core §3.1.3.7"),
                      (remove("auth_time"), "missing_claim", "OIDC Core §3.1.3.7"),
                      (("claims", "auth_time", now - 3600), "profile_violation", "OIDC Core §3.1.3.7")]
                     + [(remove(c), "missing_claim", oidc) for c in ("iss", "sub", "aud", "exp", "iat")]),
        "logout": ("logout+jwt",
                   {"iss": "https://op.example", "aud": "c1", "iat": now, "exp": now + 120, "jti": "j1",
                    "sub": "u1", "events": {EVENT: {}}},
                   [],
                   [(("typ", None, "JWT"), "wrong_type", bcl),
                    (("claims", "events", {"other": {}}), "profile_violation", bcl),
                    (("claims", "events", {EVENT: []}), "profile_violation", bcl),
                    (remove("sub"), "missing_claim", bcl),
                    (("claims", "nonce", "n"), "profile_violation", "Back-Channel Logout §2.4, §2.6")]
                   + [(remove(c), "missing_claim", bcl) for c in ("iss", "aud", "iat", "exp", "jti", "events")]),
        "client_assertion": ("JWT",
                             {"iss": "c1", "sub": "c1", "aud": "https://as.example/token", "exp": now + 60, "jti": "j1"},
                             ["--aud", "https://as.example/token", "--client-id", "c1"],
                             [(("claims", "sub", "c2"), "profile_violation", "RFC 7523 §3, OIDC Core §9"),
                              (("claims", "aud", "https://other/token"), "wrong_audience", "")]
                             + [(remove(c), "missing_claim", "RFC 7523 §3") for c in ("iss", "sub", "aud", "exp")]
                             + [(remove("jti"), "missing_claim", "OIDC Core §9")]),
        "sd-jwt-vc": ("dc+sd-jwt",
                      {"iss": "https://issuer.example", "vct": "https://credentials.example/id", "exp": now + 600},
                      [],
                      [(("typ", None, "JWT"), "wrong_type", "draft-ietf-oauth-sd-jwt-vc §3.2.1"),
                       (remove("vct"), "missing_claim", "draft-ietf-oauth-sd-jwt-vc §3.2.2.1.1"),
                       (("claims", "iss", 7), "profile_violation", "draft-ietf-oauth-sd-jwt-vc §3.2.2.2")]),
    }


def every_rule_broken(tmp):
    key = ec.generate_private_key(ec.SECP256R1())
    path = write(tmp, "p256.pub.pem", key.public_key().public_bytes(ser.Encoding.PEM, ser.PublicFormat.SubjectPublicKeyInfo), 0o644)
    for name, (typ, claims, flags, breaks) in profiles(int(time.time())).items():
        args = ["--profile", name, *flags]
        # An SD-JWT VC is an SD-JWT: the issuer JWT, its disclosures (none here) and "~".
        as_sent = (lambda t: t + "~") if name == "sd-jwt-vc" else (lambda t: t)
        token = as_sent(sign(claims, key, "ES256", typ))
        got, message = verdict(token, path, *args)
        check(f"{name} valid", got == "valid", f"{got}: {message}")
        out = jwtk("classify", "--json", token)
        check(f"{name} classify", json.loads(out.stdout or "{}").get("profile") == name, out.stdout)
        for (part, member, value), reason, section in breaks:
            broken, new_typ = dict(claims), typ
            if part == "typ":
                new_typ, member = value, "typ"
            elif value is None:
                broken.pop(member, None)
            else:
                broken[member] = value
            token = as_sent(sign(broken, key, "ES256", new_typ))
            got, message = verdict(token, path, *args)
            what = f"{name} {part} {member}={value!r}"
            check(what, got == reason, f"{got}: {message}")
            if reason != "wrong_audience" or section:
                check(f"{what} message", f"profile {name}: " in message and f"({section})" in message, message)


def jwtk_mints_verify_in_pyjwt(tmp):
    key = ec.generate_private_key(ec.SECP256R1())
    pem = key.private_bytes(ser.Encoding.PEM, ser.PrivateFormat.PKCS8, ser.NoEncryption())
    path = write(tmp, "mint.pem", pem)
    events = "events:=" + json.dumps({EVENT: {}})
    cases = {
        "at+jwt": (["--iss", "https://as", "--sub", "u", "--aud", "api", "--claim", "client_id=c"], "at+jwt", True),
        "id_token": (["--iss", "https://op", "--sub", "u", "--aud", "c"], "JWT", False),
        "logout": (["--iss", "https://op", "--aud", "c", "--sub", "u", "--claim", events], "logout+jwt", True),
        "client_assertion": (["--iss", "c", "--sub", "c", "--aud", "https://as/token"], "JWT", True),
    }
    for name, (args, typ, jti) in cases.items():
        out = jwtk("mint", "--key", path, "--profile", name, *args)
        if out.returncode != 0:
            check(f"mint --profile {name}", False, out.stderr.strip())
            continue
        token = out.stdout.strip()
        check(f"mint --profile {name} typ", jwt.get_unverified_header(token).get("typ") == typ,
              jwt.get_unverified_header(token))
        try:
            claims = jwt.decode(token, key.public_key(), algorithms=["ES256"], options={"verify_aud": False})
        except Exception as exc:  # noqa: BLE001 - report every failure, keep going
            check(f"mint --profile {name} in PyJWT", False, repr(exc))
            continue
        check(f"mint --profile {name} jti", isinstance(claims.get("jti"), str) == jti, claims)


def main():
    tmp = tempfile.mkdtemp()
    half_hashes_for_every_algorithm(tmp)
    every_rule_broken(tmp)
    jwtk_mints_verify_in_pyjwt(tmp)
    print(f"PyJWT {jwt.__version__}: {CHECKS - len(FAILURES)}/{CHECKS} profile checks passed")
    for failure in FAILURES:
        print("FAIL", failure)
    return 1 if FAILURES else 0


if __name__ == "__main__":
    sys.exit(main())
