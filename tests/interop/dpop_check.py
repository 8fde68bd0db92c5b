#!/usr/bin/env python3
"""DPoP (RFC 9449) interoperability with PyJWT (and the `cryptography` package behind it).

Usage: dpop_check.py PATH/TO/jwtk

1. Proofs `jwtk dpop` makes for ES256, EdDSA, RS256 and PS256 keys (written by `cryptography`)
   verify in PyJWT with the JWK of their own header; the header and the claims are checked
   here against RFC 9449 §4.2 (typ, a public jwk, jti of at least 96 bits, htm, htu without
   query and fragment, iat, ath = base64url(SHA-256(token)), nonce).
2. Proofs and bound tokens PyJWT makes (cnf.jkt computed here, RFC 7638) pass
   `jwtk verify --dpop`; a tampered proof, a proof for another URL and a token bound to
   another key fail with the reason the contract gives.

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
import uuid

import jwt
from cryptography.hazmat.primitives import serialization as ser
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

JWTK = sys.argv[1]
FAILURES = []
CHECKS = 0
URL = "https://api.example.com/orders"
PRIVATE = {"d", "p", "q", "dp", "dq", "qi", "oth", "k"}


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


def thumbprint(jwk):
    required = {"RSA": ["e", "kty", "n"], "EC": ["crv", "kty", "x", "y"], "OKP": ["crv", "kty", "x"]}[jwk["kty"]]
    canonical = json.dumps({k: jwk[k] for k in required}, separators=(",", ":"), sort_keys=True)
    return b64u(hashlib.sha256(canonical.encode()).digest())


KEYS = {
    "ES256": lambda: ec.generate_private_key(ec.SECP256R1()),
    "EdDSA": ed25519.Ed25519PrivateKey.generate,
    "RS256": lambda: rsa.generate_private_key(public_exponent=65537, key_size=2048),
    "PS256": lambda: rsa.generate_private_key(public_exponent=65537, key_size=2048),
}


def jwk_of(alg, key):
    family = {"ES256": "ES256", "EdDSA": "EdDSA", "RS256": "RS256", "PS256": "RS256"}[alg]
    return json.loads(jwt.algorithms.get_default_algorithms()[family].to_jwk(key.public_key()))


def pem(key):
    return key.private_bytes(ser.Encoding.PEM, ser.PrivateFormat.PKCS8, ser.NoEncryption())


def jwtk_proofs_verify_in_pyjwt(tmp):
    access_token = "Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU"  # RFC 9449 §5, Figure 5
    for alg, make in KEYS.items():
        path = os.path.join(tmp, f"{alg}.pem")
        with open(path, "wb") as f:
            f.write(pem(make()))
        os.chmod(path, 0o600)
        before = int(time.time())
        out = jwtk("dpop", "--key", path, "--alg", alg, "--htm", "POST", "--htu", URL + "?q=1#f",
                   "--ath", "-", "--nonce", "n-1", stdin=f"DPoP {access_token}\n")
        if out.returncode != 0:
            check(f"dpop {alg}", False, out.stderr.strip())
            continue
        proof = out.stdout.strip()
        header = jwt.get_unverified_header(proof)
        jwk = header.get("jwk", {})
        check(f"dpop {alg} typ", header.get("typ") == "dpop+jwt", header)
        check(f"dpop {alg} alg", header.get("alg") == alg, header)
        check(f"dpop {alg} jwk is public", not (PRIVATE & set(jwk)), sorted(jwk))
        try:
            claims = jwt.decode(proof, jwt.PyJWK(jwk, algorithm=alg), algorithms=[alg])
        except Exception as exc:  # noqa: BLE001 - report every failure, keep going
            check(f"dpop {alg} signature", False, f"PyJWT rejected it: {exc!r}")
            continue
        check(f"dpop {alg} htm", claims.get("htm") == "POST", claims)
        check(f"dpop {alg} htu", claims.get("htu") == URL, claims)
        check(f"dpop {alg} iat", before - 1 <= claims.get("iat", 0) <= int(time.time()) + 1, claims)
        jti = claims.get("jti", "")
        check(f"dpop {alg} jti", isinstance(jti, str) and len(jti) * 6 >= 96, claims)
        check(f"dpop {alg} ath", claims.get("ath") == "fUHyO2r2Z3DZ53EsNrWBb0xWXoaNy59IiKCAqksmQEo", claims)
        check(f"dpop {alg} nonce", claims.get("nonce") == "n-1", claims)
        check(f"dpop {alg} no exp", "exp" not in claims, claims)


def verdict(proof, token, issuer_pub, url=URL):
    out = jwtk("verify", "--json", "--key", issuer_pub, "--dpop", proof, "--htm", "GET", "--htu", url, token)
    try:
        doc = json.loads(out.stdout)
    except json.JSONDecodeError:
        return f"exit {out.returncode}: {out.stderr.strip()}"
    return "valid" if doc["valid"] else f"{doc['reason']}: {doc['message']}"


def pyjwt_proofs_verify_in_jwtk(tmp):
    issuer = ec.generate_private_key(ec.SECP256R1())
    issuer_pub = os.path.join(tmp, "issuer.pub")
    with open(issuer_pub, "wb") as f:
        f.write(issuer.public_key().public_bytes(ser.Encoding.PEM, ser.PublicFormat.SubjectPublicKeyInfo))
    for alg, make in KEYS.items():
        key = make()
        jwk = jwk_of(alg, key)
        now = int(time.time())
        token = jwt.encode({"sub": "alice", "exp": now + 600, "cnf": {"jkt": thumbprint(jwk)}}, issuer, algorithm="ES256")
        ath = b64u(hashlib.sha256(token.encode()).digest())
        claims = {"jti": str(uuid.uuid4()), "htm": "GET", "htu": URL, "iat": now, "ath": ath}
        proof = jwt.encode(claims, key, algorithm=alg, headers={"typ": "dpop+jwt", "jwk": jwk})
        got = verdict(proof, token, issuer_pub)
        check(f"verify --dpop {alg} from PyJWT", got == "valid", got)
        got = verdict(proof, token, issuer_pub, url="https://API.example.com:443/orders?page=2")
        check(f"verify --dpop {alg} normalised htu", got == "valid", got)
        head, sig = proof.rsplit(".", 1)
        tampered = f"{head}.{'B' if sig[0] == 'A' else 'A'}{sig[1:]}"
        got = verdict(tampered, token, issuer_pub)
        check(f"verify --dpop {alg} tampered", got.startswith("dpop_invalid:"), got)
        got = verdict(proof, token, issuer_pub, url="https://api.example.com/other")
        check(f"verify --dpop {alg} other URL", got.startswith("dpop_mismatch:"), got)
        other = jwt.encode({"sub": "alice", "exp": now + 600, "cnf": {"jkt": thumbprint(jwk_of(alg, make()))}}, issuer, algorithm="ES256")
        other_proof = jwt.encode(dict(claims, ath=b64u(hashlib.sha256(other.encode()).digest())), key,
                                 algorithm=alg, headers={"typ": "dpop+jwt", "jwk": jwk})
        got = verdict(other_proof, other, issuer_pub)
        check(f"verify --dpop {alg} token bound to another key", got.startswith("dpop_mismatch:") and "cnf.jkt" in got, got)


def main():
    tmp = tempfile.mkdtemp()
    jwtk_proofs_verify_in_pyjwt(tmp)
    pyjwt_proofs_verify_in_jwtk(tmp)
    print(f"PyJWT {jwt.__version__}: {CHECKS - len(FAILURES)}/{CHECKS} DPoP interoperability checks passed")
    for failure in FAILURES:
        print("FAIL", failure)
    return 1 if FAILURES else 0


if __name__ == "__main__":
    sys.exit(main())
