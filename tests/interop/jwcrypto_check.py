#!/usr/bin/env python3
"""Interoperability with jwcrypto for encrypted tokens (JWE).

Usage: jwcrypto_check.py PATH/TO/jwtk

Fresh keys and tokens every run: jwcrypto encrypts to RSA, EC (P-256, P-384, P-521), X25519
and oct keys with every key-management x content algorithm pair jwtk decrypts, and jwtk must
print the plaintext byte for byte (keys given as JWK and, for asymmetric keys, PKCS#8 PEM).
A compressed (zip DEF) token and a nested JWT (ES256 inside RSA-OAEP-256, checked with
`verify --decrypt-key`) follow, and a token with one flipped ciphertext bit must fail with
decryption_failed. Prints the matrix of pairs checked.

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

    for (alg, name), results in matrix.items():
        print("%-16s %-8s %s" % (alg, name, " ".join(results)))
    if failures:
        for failure in failures:
            print("FAIL:", failure, file=sys.stderr)
        sys.exit(1)
    print("jwcrypto interop: %d pairs decrypted, zip DEF and nested JWT ok" % len(cases))


if __name__ == "__main__":
    main()
