#!/usr/bin/env python3
"""Interoperability with jwcrypto for encrypted tokens (JWE).

Usage: jwcrypto_check.py PATH/TO/jwtk

Fresh keys and tokens every run: jwcrypto encrypts to RSA, EC (P-256, P-384, P-521), X25519
and oct keys with every key-management x content algorithm pair jwtk decrypts, and jwtk must
print the plaintext byte for byte (keys given as JWK and, for asymmetric keys, PKCS#8 PEM).
A compressed (zip DEF) token and a nested JWT (ES256 inside RSA-OAEP-256, checked with
`verify --decrypt-key`) follow, and a token with one flipped ciphertext bit must fail with
decryption_failed. Prints the matrix of pairs checked.

The other direction: jwtk mints `--encrypt-to` the public half of every jwcrypto key (JWK,
and SPKI PEM for asymmetric keys) with every pair, and jwcrypto decrypts the token and
verifies the ES256 token inside. Keys jwtk makes (`keygen --use enc`: RSA, EC on every curve,
X25519, shared keys; PEM, JWK and JWKS) load in jwcrypto, which decrypts what jwtk encrypts to
them and encrypts to them for jwtk to decrypt.

Exits non-zero, naming each failure, when anything does not interoperate.
"""

import json
import os
import subprocess
import sys
import tempfile

from jwcrypto import jwe, jwk, jws

ENCS = ["A128GCM", "A192GCM", "A256GCM", "A128CBC-HS256", "A192CBC-HS384", "A256CBC-HS512"]
ENC_BYTES = {"A128GCM": 16, "A192GCM": 24, "A256GCM": 32,
             "A128CBC-HS256": 32, "A192CBC-HS384": 48, "A256CBC-HS512": 64}
ECDH = ["ECDH-ES", "ECDH-ES+A128KW", "ECDH-ES+A192KW", "ECDH-ES+A256KW"]


def main():
    binary = sys.argv[1]
    tmp = tempfile.mkdtemp()
    failures = []

    def key_file(name, key, pem):
        path = os.path.join(tmp, name + (".pem" if pem else ".jwk"))
        with open(path, "wb") as f:
            f.write(key.export_to_pem(private_key=True, password=None) if pem
                    else key.export(private_key=True).encode())
        os.chmod(path, 0o600)
        return path

    def run(args, token):
        return subprocess.run([binary] + args + [token], capture_output=True)

    keys = {"RSA": jwk.JWK.generate(kty="RSA", size=2048)}
    for crv in ["P-256", "P-384", "P-521"]:
        keys[crv] = jwk.JWK.generate(kty="EC", crv=crv)
    keys["X25519"] = jwk.JWK.generate(kty="OKP", crv="X25519")
    cases = [(alg, enc, "RSA") for alg in ["RSA-OAEP", "RSA-OAEP-256"] for enc in ENCS]
    cases += [(alg, enc, crv) for crv in ["P-256", "P-384", "P-521", "X25519"]
              for alg in ECDH for enc in ENCS]
    for bits in (128, 192, 256):
        keys["oct%d" % bits] = jwk.JWK.generate(kty="oct", size=bits)
        cases += [(alg % bits, enc, "oct%d" % bits) for alg in ["A%dKW", "A%dGCMKW"] for enc in ENCS]
    for enc in ENCS:
        keys["dir-" + enc] = jwk.JWK.generate(kty="oct", size=8 * ENC_BYTES[enc])
        cases.append(("dir", enc, "dir-" + enc))

    matrix = {}
    for alg, enc, name in cases:
        plaintext = ("%s %s %s \u00e9" % (alg, enc, name)).encode()
        token = jwe.JWE(plaintext, json.dumps({"alg": alg, "enc": enc}), recipient=keys[name])
        token = token.serialize(compact=True)
        forms = [False] if name.startswith(("oct", "dir")) else [False, True]
        ok = True
        for pem in forms:
            out = run(["decrypt", "-k", key_file(name, keys[name], pem)], token)
            if out.returncode != 0 or out.stdout != plaintext:
                ok = False
                failures.append("%s %s %s (%s): %s" % (alg, enc, name, "PEM" if pem else "JWK",
                                                       out.stderr.decode().strip()))
        matrix.setdefault((alg, name), []).append("ok" if ok else "FAIL")
        if alg == "RSA-OAEP-256" and enc == "A256GCM":
            parts = token.split(".")
            flipped = list(parts[3])
            flipped[5] = "A" if flipped[5] != "A" else "B"
            parts[3] = "".join(flipped)
            out = run(["decrypt", "--json", "-k", key_file(name, keys[name], False)], ".".join(parts))
            if json.loads(out.stdout or b"{}").get("reason") != "decryption_failed":
                failures.append("tampered ciphertext was not decryption_failed: %r" % out.stdout)

    body = b"zip " * 1000
    token = jwe.JWE(body, json.dumps({"alg": "A256KW", "enc": "A256GCM", "zip": "DEF"}),
                    recipient=keys["oct256"]).serialize(compact=True)
    out = run(["decrypt", "-k", key_file("oct256", keys["oct256"], False)], token)
    if out.stdout != body:
        failures.append("zip DEF: %s" % out.stderr.decode().strip())

    issuer = jwk.JWK.generate(kty="EC", crv="P-256", kid="issuer")
    inner = jws.JWS(json.dumps({"sub": "alice", "exp": 4102444800}))
    inner.add_signature(issuer, None, json.dumps({"alg": "ES256", "kid": "issuer"}))
    outer = jwe.JWE(inner.serialize(compact=True).encode(),
                    json.dumps({"alg": "RSA-OAEP-256", "enc": "A256GCM", "cty": "JWT"}),
                    recipient=keys["RSA"]).serialize(compact=True)
    public = os.path.join(tmp, "issuer.pub.jwk")
    with open(public, "w") as f:
        f.write(issuer.export_public())
    out = run(["verify", "--json", "-k", public, "--decrypt-key", key_file("RSA", keys["RSA"], True)], outer)
    if out.returncode != 0:
        failures.append("nested JWT: %s" % out.stdout.decode().strip())

    minted = jwtk_encrypts(binary, tmp, keys, cases, failures)
    generated = jwtk_keys(binary, tmp, failures)

    print("jwcrypto encrypts, jwtk decrypts (JWK and PEM keys):")
    for (alg, name), results in matrix.items():
        print("  %-16s %-8s %s" % (alg, name, " ".join(results)))
    print("jwtk encrypts (mint --encrypt-to), jwcrypto decrypts and verifies the inner JWS:")
    for (alg, name), results in minted.items():
        print("  %-16s %-8s %s" % (alg, name, " ".join(results)))
    print("keys jwtk generates (keygen --use enc), loaded in jwcrypto, both directions:")
    for row in generated:
        print("  " + row)
    if failures:
        for failure in failures:
            print("FAIL:", failure, file=sys.stderr)
        sys.exit(1)
    print("jwcrypto interop: %d pairs each way, zip DEF, nested JWT and %d generated keys ok"
          % (len(cases), len(generated)))


def issuer_pair(tmp):
    """An ES256 issuer key: its PEM file for jwtk to sign with, and the key for jwcrypto."""
    issuer = jwk.JWK.generate(kty="EC", crv="P-256")
    path = os.path.join(tmp, "issuer-sign.pem")
    with open(path, "wb") as f:
        f.write(issuer.export_to_pem(private_key=True, password=None))
    os.chmod(path, 0o600)
    return path, issuer


def opens_in_jwcrypto(token, private, issuer, alg, enc):
    """jwcrypto decrypts the JWE and verifies the JWS inside; the error, or None."""
    try:
        outer = jwe.JWE()
        outer.deserialize(token, key=private)
        header = outer.jose_header
        if (header.get("alg"), header.get("enc"), header.get("cty")) != (alg, enc, "JWT"):
            return "header %r" % header
        inner = jws.JWS()
        inner.deserialize(outer.payload.decode())
        inner.verify(issuer)
        claims = json.loads(inner.payload)
        if claims.get("sub") != "interop":
            return "claims %r" % claims
    except Exception as err:  # noqa: BLE001 - any failure is an interop failure
        return "%s: %s" % (type(err).__name__, err)
    return None


def jwtk_encrypts(binary, tmp, keys, cases, failures):
    """jwtk mints --encrypt-to every jwcrypto key's public half, every pair; jwcrypto opens."""
    sign, issuer = issuer_pair(tmp)
    matrix = {}
    for alg, enc, name in cases:
        key = keys[name]
        forms = {"JWK": key.export_public() if key["kty"] != "oct" else key.export()}
        if key["kty"] != "oct":
            forms["PEM"] = key.export_to_pem().decode()
        ok = True
        for form, text in forms.items():
            path = os.path.join(tmp, "recipient-%s.%s" % (name, form.lower()))
            with open(path, "w") as f:
                f.write(text)
            out = subprocess.run([binary, "mint", "-k", sign, "--sub", "interop",
                                  "--encrypt-to", path, "--key-alg", alg, "--enc", enc],
                                 capture_output=True)
            error = (out.stderr.decode().strip() if out.returncode != 0 else
                     opens_in_jwcrypto(out.stdout.decode().strip(), key, issuer, alg, enc))
            if error:
                ok = False
                failures.append("jwtk -> jwcrypto %s %s %s (%s): %s" % (alg, enc, name, form, error))
        matrix.setdefault((alg, name), []).append("ok" if ok else "FAIL")
    return matrix


GENERATED = [
    ("rsa", ["--type", "rsa"], "RSA-OAEP-256"),
    ("rsa-oaep", ["--type", "rsa", "--alg", "RSA-OAEP"], "RSA-OAEP"),
    ("p256", ["--type", "ec"], "ECDH-ES+A256KW"),
    ("p384", ["--type", "ec", "--curve", "P-384", "--alg", "ECDH-ES"], "ECDH-ES"),
    ("p521", ["--type", "ec", "--curve", "P-521", "--alg", "ECDH-ES+A128KW"], "ECDH-ES+A128KW"),
    ("x25519", ["--type", "x25519"], "ECDH-ES+A256KW"),
    ("oct128", ["--alg", "A128KW"], "A128KW"),
    ("oct192", ["--alg", "A192GCMKW"], "A192GCMKW"),
    ("oct256", ["--type", "hmac"], "A256KW"),
]


def default_alg(name):
    return "RSA-OAEP-256" if name.startswith("rsa") else "ECDH-ES+A256KW"


def load_generated(path, fmt, private):
    with open(path, "rb") as f:
        data = f.read()
    if fmt == "pem":
        return jwk.JWK.from_pem(data)
    doc = json.loads(data)
    return jwk.JWK(**(doc["keys"][0] if fmt == "jwks" else doc))


def jwtk_keys(binary, tmp, failures):
    """Keys from `jwtk keygen --use enc` load in jwcrypto and work both ways."""
    sign, issuer = issuer_pair(tmp)
    rows = []
    for name, flags, alg in GENERATED:
        formats = ["jwk", "jwks"] if name.startswith("oct") else ["pem", "jwk", "jwks"]
        for fmt in formats:
            out_path = os.path.join(tmp, "gen-%s.%s" % (name, fmt))
            made = subprocess.run([binary, "keygen", "--use", "enc", "--format", fmt,
                                   "--out", out_path] + flags, capture_output=True)
            if made.returncode != 0:
                failures.append("keygen %s %s: %s" % (name, fmt, made.stderr.decode().strip()))
                continue
            public_path = out_path if name.startswith("oct") else out_path + ".pub"
            try:
                private = load_generated(out_path, fmt, True)
                public = load_generated(public_path, fmt, False)
                if fmt != "pem" and private.get("use") != "enc":
                    raise ValueError("use is %r" % private.get("use"))
                if not name.startswith("oct") and public.has_private:
                    raise ValueError("the .pub file holds a private key")
            except Exception as err:  # noqa: BLE001
                failures.append("jwcrypto cannot load jwtk's %s %s key: %s" % (name, fmt, err))
                continue
            minted = subprocess.run([binary, "mint", "-k", sign, "--sub", "interop",
                                     "--encrypt-to", public_path], capture_output=True)
            # PEM records no alg: jwtk's default for the key type applies.
            expected = default_alg(name) if fmt == "pem" else alg
            error = (minted.stderr.decode().strip() if minted.returncode != 0 else
                     opens_in_jwcrypto(minted.stdout.decode().strip(), private, issuer, expected,
                                       "A256GCM"))
            if error:
                failures.append("jwtk -> jwcrypto with jwtk's %s %s key: %s" % (name, fmt, error))
            plaintext = ("to jwtk's %s %s key" % (name, fmt)).encode()
            token = jwe.JWE(plaintext, json.dumps({"alg": alg, "enc": "A128CBC-HS256"}),
                            recipient=public).serialize(compact=True)
            back = subprocess.run([binary, "decrypt", "-k", out_path, token], capture_output=True)
            if back.stdout != plaintext:
                failures.append("jwcrypto -> jwtk with jwtk's %s %s key: %s"
                                % (name, fmt, back.stderr.decode().strip()))
            rows.append("%-9s %-5s %-15s %s" % (name, fmt, alg,
                                               "ok" if not error and back.stdout == plaintext
                                               else "FAIL"))
    return rows


if __name__ == "__main__":
    main()
