#!/usr/bin/env python3
"""Interoperability with PyJWT (and the `cryptography` package behind it).

Usage: pyjwt_check.py PATH/TO/jwtk

1. Tokens jwtk mints verify in PyJWT: every algorithm PyJWT supports, with keys in every
   encoding jwtk reads (PEM variants, DER, JWK, JWKS + kid, environment, secret files with
   and without a trailing newline).
3. Keys jwtk generates load in `cryptography` (PKCS#8 and SPKI PEM), their kids equal the
   RFC 7638 thumbprints computed here, and tokens minted with them verify in PyJWT.
2. Tokens PyJWT mints verify in jwtk, with public keys in every encoding; tampered copies
   fail as bad_signature; a JWKS holding old and new keys verifies tokens signed by either.
Keys are written by `cryptography`, an implementation jwtk shares no code with.

Exits non-zero, naming each failure, when anything does not interoperate.
"""

import base64
import hashlib
import hmac
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


def b64u(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def uint(n: int) -> str:
    return b64u(n.to_bytes((n.bit_length() + 7) // 8, "big"))


def jwtk(*args, env=None):
    full_env = {"PATH": os.environ.get("PATH", "")}
    full_env.update(env or {})
    return subprocess.run([JWTK, *args], capture_output=True, text=True, env=full_env)


def check(name, ok, detail=""):
    global CHECKS
    CHECKS += 1
    if not ok:
        FAILURES.append(f"{name}: {detail}")


def mint_and_verify(name, key_args, alg, verify_key, env=None, expect_kid=None):
    out = jwtk("mint", *key_args, "--alg", alg, "--sub", "svc", "--aud", "api", env=env)
    if out.returncode != 0:
        check(name, False, f"mint failed: {out.stderr.strip()}")
        return
    token = out.stdout.strip()
    try:
        claims = jwt.decode(token, verify_key, algorithms=[alg], audience="api")
        header = jwt.get_unverified_header(token)
        check(name, claims["sub"] == "svc", f"claims {claims}")
        if expect_kid is not None:
            check(name + " kid", header.get("kid") == expect_kid, f"header {header}")
    except Exception as exc:  # noqa: BLE001 - report every failure, keep going
        check(name, False, f"PyJWT rejected it: {exc!r}")


def ec_jwk(private, crv, size):
    numbers = private.private_numbers()
    pub = numbers.public_numbers
    return {"kty": "EC", "crv": crv, "x": b64u(pub.x.to_bytes(size, "big")),
            "y": b64u(pub.y.to_bytes(size, "big")), "d": b64u(numbers.private_value.to_bytes(size, "big"))}


def rsa_jwk(private):
    n = private.private_numbers()
    return {"kty": "RSA", "n": uint(n.public_numbers.n), "e": uint(n.public_numbers.e), "d": uint(n.d),
            "p": uint(n.p), "q": uint(n.q), "dp": uint(n.dmp1), "dq": uint(n.dmq1), "qi": uint(n.iqmp)}


def jwtk_verdict(name, token, key_args, expect):
    out = jwtk("verify", "--json", *key_args, token)
    try:
        verdict = json.loads(out.stdout)
    except json.JSONDecodeError:
        check(name, False, f"exit {out.returncode}, no JSON: {out.stderr.strip()}")
        return
    got = "valid" if verdict["valid"] else verdict["reason"]
    check(name, got == expect, f"expected {expect}, got {got}: {verdict['message']}")


def tampered(token):
    head, sig = token.rsplit(".", 1)
    return f"{head}.{'B' if sig[0] == 'A' else 'A'}{sig[1:]}"


def verify_pyjwt_tokens(write, secret, rsa_key, ed):
    claims = {"sub": "from-pyjwt", "exp": int(time.time()) + 600}
    pub = rsa_key.public_key()
    rsa_forms = {
        "SPKI PEM": pub.public_bytes(ser.Encoding.PEM, ser.PublicFormat.SubjectPublicKeyInfo),
        "SPKI DER": pub.public_bytes(ser.Encoding.DER, ser.PublicFormat.SubjectPublicKeyInfo),
        "PKCS#1 PEM": pub.public_bytes(ser.Encoding.PEM, ser.PublicFormat.PKCS1),
        "PKCS#1 DER": pub.public_bytes(ser.Encoding.DER, ser.PublicFormat.PKCS1),
        "JWK": json.dumps({k: v for k, v in rsa_jwk(rsa_key).items() if k in ("kty", "n", "e")}).encode(),
        "private PKCS#8 PEM": rsa_key.private_bytes(ser.Encoding.PEM, ser.PrivateFormat.PKCS8, ser.NoEncryption()),
    }
    for alg in ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512"]:
        token = jwt.encode(claims, rsa_key, algorithm=alg)
        for label, data in rsa_forms.items():
            key = write("verify-rsa.key", data)
            jwtk_verdict(f"verify {alg} {label}", token, ["--key", key], "valid")
        jwtk_verdict(f"verify {alg} tampered", tampered(token), ["--key", key], "bad_signature")
    for alg in ["HS256", "HS384", "HS512"]:
        token = jwt.encode(claims, secret, algorithm=alg)
        # verify takes raw bytes as an HMAC secret only when told (--alg HS…).
        told = ["--key", write("v.secret", secret), "--alg", alg]
        jwtk_verdict(f"verify {alg} secret", token, told, "valid")
        jwtk_verdict(f"verify {alg} tampered", tampered(token), told, "bad_signature")
    for alg, curve, crv, size in [("ES256", ec.SECP256R1(), "P-256", 32), ("ES384", ec.SECP384R1(), "P-384", 48),
                                  ("ES512", ec.SECP521R1(), "P-521", 66)]:
        key = ec.generate_private_key(curve)
        token = jwt.encode(claims, key, algorithm=alg)
        public_jwk = {k: v for k, v in ec_jwk(key, crv, size).items() if k != "d"}
        for label, data in {
            "SPKI PEM": key.public_key().public_bytes(ser.Encoding.PEM, ser.PublicFormat.SubjectPublicKeyInfo),
            "SPKI DER": key.public_key().public_bytes(ser.Encoding.DER, ser.PublicFormat.SubjectPublicKeyInfo),
            "JWK": json.dumps(public_jwk).encode(),
        }.items():
            jwtk_verdict(f"verify {alg} {label}", token, ["--key", write("v.ec", data)], "valid")
        jwtk_verdict(f"verify {alg} tampered", tampered(token), ["--key", write("v.ec", json.dumps(public_jwk))], "bad_signature")
    token = jwt.encode(claims, ed, algorithm="EdDSA")
    ed_pub = ed.public_key().public_bytes(ser.Encoding.PEM, ser.PublicFormat.SubjectPublicKeyInfo)
    jwtk_verdict("verify EdDSA SPKI PEM", token, ["--key", write("v.ed", ed_pub)], "valid")
    jwtk_verdict("verify EdDSA tampered", tampered(token), ["--key", write("v.ed", ed_pub)], "bad_signature")
    # Rotation: a public JWKS with the old and the new key verifies tokens signed by either.
    old = dict({k: v for k, v in rsa_jwk(rsa_key).items() if k in ("kty", "n", "e")}, kid="old")
    new_key = ec.generate_private_key(ec.SECP256R1())
    new = dict({k: v for k, v in ec_jwk(new_key, "P-256", 32).items() if k != "d"}, kid="new")
    jwks = write("rotation.jwks", json.dumps({"keys": [old, new]}))
    jwtk_verdict("rotation old key", jwt.encode(claims, rsa_key, algorithm="RS256", headers={"kid": "old"}), ["--key", jwks], "valid")
    jwtk_verdict("rotation new key", jwt.encode(claims, new_key, algorithm="ES256", headers={"kid": "new"}), ["--key", jwks], "valid")
    jwtk_verdict("rotation unknown kid", jwt.encode(claims, new_key, algorithm="ES256", headers={"kid": "gone"}), ["--key", jwks], "no_matching_key")
    # The key-confusion forgery: an HS256 token whose secret is the RSA public key PEM (PyJWT
    # itself refuses to sign this, so the HMAC is computed by hand).
    pem = rsa_forms["SPKI PEM"]
    signing_input = b64u(b'{"alg":"HS256","typ":"JWT"}') + "." + b64u(json.dumps(claims).encode())
    tag = hmac.new(pem, signing_input.encode(), hashlib.sha256).digest()
    jwtk_verdict("key confusion forgery", f"{signing_input}.{b64u(tag)}", ["--key", write("v.pub", pem)], "alg_not_allowed")


def thumbprint(jwk):
    required = {"RSA": ["e", "kty", "n"], "EC": ["crv", "kty", "x", "y"], "OKP": ["crv", "kty", "x"]}[jwk["kty"]]
    canonical = json.dumps({k: jwk[k] for k in required}, separators=(",", ":"), sort_keys=True)
    return b64u(hashlib.sha256(canonical.encode()).digest())


def check_generated_keys(tmp):
    for label, flags, alg in [("EC P-256", ["--type", "ec"], "ES256"), ("EC P-384", ["--type", "ec", "--curve", "P-384"], "ES384"),
                              ("EC P-521", ["--type", "ec", "--curve", "P-521"], "ES512"), ("RSA 2048", ["--type", "rsa"], "RS256"),
                              ("RSA 3072", ["--type", "rsa", "--bits", "3072"], "RS256"), ("Ed25519", ["--type", "ed25519"], "EdDSA")]:
        path = os.path.join(tmp, "gen-" + label.replace(" ", "-"))
        out = jwtk("keygen", *flags, "--out", path)
        if out.returncode != 0:
            check(f"keygen {label}", False, out.stderr.strip())
            continue
        kid = out.stdout.strip()
        check(f"keygen {label} mode", oct(os.stat(path).st_mode & 0o777) == "0o600", oct(os.stat(path).st_mode))
        try:
            with open(path, "rb") as f:
                private = ser.load_pem_private_key(f.read(), password=None)
            with open(path + ".pub", "rb") as f:
                public = ser.load_pem_public_key(f.read())
        except Exception as exc:  # noqa: BLE001
            check(f"keygen {label} PEM loads", False, repr(exc))
            continue
        check(f"keygen {label} halves match", private.public_key().public_bytes(ser.Encoding.DER, ser.PublicFormat.SubjectPublicKeyInfo)
              == public.public_bytes(ser.Encoding.DER, ser.PublicFormat.SubjectPublicKeyInfo))
        # The public JWK of the same key, computed here from the PEM, gives the kid jwtk chose.
        if isinstance(public, rsa.RSAPublicKey):
            n = public.public_numbers()
            jwk = {"kty": "RSA", "n": uint(n.n), "e": uint(n.e)}
        elif isinstance(public, ec.EllipticCurvePublicKey):
            size = (public.curve.key_size + 7) // 8
            n = public.public_numbers()
            crv = {"secp256r1": "P-256", "secp384r1": "P-384", "secp521r1": "P-521"}[public.curve.name]
            jwk = {"kty": "EC", "crv": crv, "x": b64u(n.x.to_bytes(size, "big")), "y": b64u(n.y.to_bytes(size, "big"))}
        else:
            jwk = {"kty": "OKP", "crv": "Ed25519", "x": b64u(public.public_bytes(ser.Encoding.Raw, ser.PublicFormat.Raw))}
        check(f"keygen {label} kid is the RFC 7638 thumbprint", thumbprint(jwk) == kid, f"{thumbprint(jwk)} != {kid}")
        mint_and_verify(f"keygen {label} token", ["--key", path], alg, public)
    # JWK output: thumbprint of the public members equals the kid.
    out = jwtk("keygen", "--type", "ec", "--format", "jwk")
    jwk = json.loads(out.stdout)
    check("keygen JWK kid is the RFC 7638 thumbprint", thumbprint(jwk) == jwk["kid"])
    # An HMAC key: its kid is random, not a hash of the secret.
    out = jwtk("keygen", "--type", "hmac")
    jwk = json.loads(out.stdout)
    check("keygen HMAC kid is not the thumbprint", b64u(hashlib.sha256(json.dumps({"k": jwk["k"], "kty": "oct"}, separators=(",", ":")).encode()).digest()) != jwk["kid"])
    secret = base64.urlsafe_b64decode(jwk["k"] + "==")
    mint_and_verify("keygen HMAC token", ["--key", write_tmp(tmp, "hmac.jwk", out.stdout)], "HS256", secret)


def write_tmp(tmp, name, text):
    path = os.path.join(tmp, name)
    with open(path, "w") as f:
        f.write(text)
    return path


def main():
    tmp = tempfile.mkdtemp()

    def write(name, data):
        path = os.path.join(tmp, name)
        with open(path, "wb" if isinstance(data, bytes) else "w") as f:
            f.write(data)
        return path

    # HMAC: secret files with and without a trailing newline, environment, JWK, encodings.
    secret = b"an-interop-secret-that-is-64-bytes-long-for-HS512-xxxxxxxxxxxxxx"
    for alg in ["HS256", "HS384", "HS512"]:
        mint_and_verify(f"{alg} secret file", ["--key", write("s.txt", secret)], alg, secret)
        mint_and_verify(f"{alg} secret file + newline", ["--key", write("sn.txt", secret + b"\n")], alg, secret)
        mint_and_verify(f"{alg} env", ["--key-env", "K"], alg, secret, env={"K": secret.decode()})
        mint_and_verify(f"{alg} JWTK_KEY", [], alg, secret, env={"JWTK_KEY": secret.decode()})
        mint_and_verify(f"{alg} base64", ["--key-env", "K", "--secret-encoding", "base64"], alg, secret,
                        env={"K": base64.b64encode(secret).decode()})
        mint_and_verify(f"{alg} hex", ["--key-env", "K", "--secret-encoding", "hex"], alg, secret,
                        env={"K": secret.hex()})
        oct_jwk = {"kty": "oct", "k": b64u(secret), "kid": "h1"}
        mint_and_verify(f"{alg} JWK", ["--key", write("h.jwk", json.dumps(oct_jwk))], alg, secret, expect_kid="h1")
    binary = os.urandom(64)
    mint_and_verify("HS256 binary secret file", ["--key", write("bin.key", binary)], "HS256", binary)
    brace = b"{\xff" + os.urandom(62)  # binary that begins like JSON is still a secret
    mint_and_verify("HS256 binary secret file starting with {", ["--key", write("brace.key", brace)], "HS256", brace)

    # RSA: PKCS#8, PKCS#1, DER, JWK, JWKS + kid; every RS and PS algorithm.
    rsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    rsa_pub = rsa_key.public_key()
    encodings = {
        "PKCS#8 PEM": rsa_key.private_bytes(ser.Encoding.PEM, ser.PrivateFormat.PKCS8, ser.NoEncryption()),
        "PKCS#1 PEM": rsa_key.private_bytes(ser.Encoding.PEM, ser.PrivateFormat.TraditionalOpenSSL, ser.NoEncryption()),
        "PKCS#8 DER": rsa_key.private_bytes(ser.Encoding.DER, ser.PrivateFormat.PKCS8, ser.NoEncryption()),
        "PKCS#1 DER": rsa_key.private_bytes(ser.Encoding.DER, ser.PrivateFormat.TraditionalOpenSSL, ser.NoEncryption()),
        "JWK": json.dumps(rsa_jwk(rsa_key)).encode(),
    }
    for alg in ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512"]:
        for label, data in encodings.items():
            mint_and_verify(f"{alg} {label}", ["--key", write("rsa.key", data)], alg, rsa_pub)
    pem = encodings["PKCS#8 PEM"].decode()
    mint_and_verify("RS256 PEM in env", ["--key-env", "K"], "RS256", rsa_pub, env={"K": pem})

    # EC: P-256, P-384, P-521 as PKCS#8, SEC1 (PEM and DER) and JWK.
    for alg, curve, crv, size in [("ES256", ec.SECP256R1(), "P-256", 32), ("ES384", ec.SECP384R1(), "P-384", 48),
                                  ("ES512", ec.SECP521R1(), "P-521", 66)]:
        key = ec.generate_private_key(curve)
        forms = {
            "PKCS#8 PEM": key.private_bytes(ser.Encoding.PEM, ser.PrivateFormat.PKCS8, ser.NoEncryption()),
            "SEC1 PEM": key.private_bytes(ser.Encoding.PEM, ser.PrivateFormat.TraditionalOpenSSL, ser.NoEncryption()),
            "SEC1 DER": key.private_bytes(ser.Encoding.DER, ser.PrivateFormat.TraditionalOpenSSL, ser.NoEncryption()),
            "JWK": json.dumps(ec_jwk(key, crv, size)).encode(),
        }
        for label, data in forms.items():
            mint_and_verify(f"{alg} {label}", ["--key", write("ec.key", data)], alg, key.public_key())

    # Ed25519: PKCS#8 PEM and DER, JWK.
    ed = ed25519.Ed25519PrivateKey.generate()
    raw_pub = ed.public_key().public_bytes(ser.Encoding.Raw, ser.PublicFormat.Raw)
    raw_priv = ed.private_bytes(ser.Encoding.Raw, ser.PrivateFormat.Raw, ser.NoEncryption())
    for label, data in {
        "PKCS#8 PEM": ed.private_bytes(ser.Encoding.PEM, ser.PrivateFormat.PKCS8, ser.NoEncryption()),
        "PKCS#8 DER": ed.private_bytes(ser.Encoding.DER, ser.PrivateFormat.PKCS8, ser.NoEncryption()),
        "JWK": json.dumps({"kty": "OKP", "crv": "Ed25519", "x": b64u(raw_pub), "d": b64u(raw_priv)}).encode(),
    }.items():
        mint_and_verify(f"EdDSA {label}", ["--key", write("ed.key", data)], "EdDSA", ed.public_key())

    # A JWKS with old and new keys: --kid picks, the default is the first (the signing key).
    old = dict(rsa_jwk(rsa_key), kid="old")
    new_ec = ec.generate_private_key(ec.SECP256R1())
    new = dict(ec_jwk(new_ec, "P-256", 32), kid="new")
    jwks = write("set.jwks", json.dumps({"keys": [old, new]}))
    mint_and_verify("JWKS default = first", ["--key", jwks], "RS256", rsa_pub, expect_kid="old")
    mint_and_verify("JWKS --kid new", ["--key", jwks, "--kid", "new"], "ES256", new_ec.public_key(), expect_kid="new")

    verify_pyjwt_tokens(write, secret, rsa_key, ed)
    check_generated_keys(tmp)

    print(f"PyJWT {jwt.__version__}: {CHECKS - len(FAILURES)}/{CHECKS} interoperability checks passed")
    for failure in FAILURES:
        print("FAIL", failure)
    return 1 if FAILURES else 0


if __name__ == "__main__":
    sys.exit(main())
