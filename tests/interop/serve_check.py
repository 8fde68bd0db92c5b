#!/usr/bin/env python3
"""Interoperability of `jwtk serve` with PyJWT's PyJWKClient.

Usage: serve_check.py PATH/TO/jwtk

Starts `jwtk serve` on a free loopback port (the issuer URL is its first line on stdout),
fetches access tokens with the client credentials grant (client_secret_basic and
client_secret_post), finds the JWKS by OIDC discovery, and verifies every token with
PyJWT's PyJWKClient and jwt.decode (issuer, audience, typ at+jwt, RFC 9068 claims):

1. every signing key type the server takes: EC P-256/P-384/P-521, RSA (RS256 and PS256),
   Ed25519, from keysets jwtk keygen makes; and the ephemeral key of a bare `jwtk serve`;
2. a key rotation while the server runs: a key added with keygen --add-to is published,
   signs after keyset promote, and the retired key leaves the set;
3. HTTPS with the throwaway CA the server writes (--tls --ca-out), trusted through an
   ssl.SSLContext made from that file.

Exits non-zero, naming each failure, when anything does not interoperate.
"""

import base64
import json
import os
import signal
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

import jwt

JWTK = os.path.abspath(sys.argv[1])
FAILURES = []
CHECKS = 0


def check(name, ok, detail=""):
    global CHECKS
    CHECKS += 1
    if not ok:
        FAILURES.append(f"{name}: {detail}")


def run(*args, cwd=None):
    out = subprocess.run([JWTK, *args], capture_output=True, text=True, cwd=cwd,
                         env={"PATH": os.environ.get("PATH", "")})
    if out.returncode != 0:
        raise RuntimeError(f"jwtk {' '.join(args)}: {out.stderr}")
    return out.stdout.strip()


class Server:
    """A running `jwtk serve`, stopped with SIGTERM (which must exit 0)."""

    def __init__(self, *args, cwd=None):
        self.proc = subprocess.Popen(
            [JWTK, "serve", "--addr", "127.0.0.1:0", "--jwks-max-age", "0", *args],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=cwd,
            env={"PATH": os.environ.get("PATH", "")})
        self.url = self.proc.stdout.readline().strip()
        if not self.url:
            raise RuntimeError(f"jwtk serve {args}: {self.proc.stderr.read()}")

    def stop(self, name):
        self.proc.send_signal(signal.SIGTERM)
        code = self.proc.wait(timeout=10)
        check(f"{name}: SIGTERM exits 0", code == 0, f"exit {code}")


def post_token(issuer, basic=True, context=None, resource=None):
    form = {"grant_type": "client_credentials", "scope": "read write"}
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    if basic:
        creds = base64.b64encode(b"svc:s3cret").decode()
        headers["Authorization"] = f"Basic {creds}"
    else:
        form.update({"client_id": "svc", "client_secret": "s3cret"})
    if resource:
        form["resource"] = resource
    request = urllib.request.Request(f"{issuer}/token", data=urllib.parse.urlencode(form).encode(),
                                     headers=headers, method="POST")
    with urllib.request.urlopen(request, context=context, timeout=10) as reply:
        if reply.headers.get("Cache-Control") != "no-store":
            raise RuntimeError("a token response without Cache-Control: no-store")
        return json.load(reply)


def discover(issuer, context=None):
    url = f"{issuer}/.well-known/openid-configuration"
    with urllib.request.urlopen(url, context=context, timeout=10) as reply:
        return json.load(reply)


def verify(name, issuer, token, audience, context=None):
    """PyJWKClient finds the key by kid in the discovered jwks_uri; jwt.decode checks it."""
    doc = discover(issuer, context)
    client = jwt.PyJWKClient(doc["jwks_uri"], cache_jwk_set=False, ssl_context=context)
    try:
        key = client.get_signing_key_from_jwt(token)
        header = jwt.get_unverified_header(token)
        claims = jwt.decode(token, key.key, algorithms=[header["alg"]], audience=audience,
                            issuer=issuer, options={"require": ["exp", "iat", "iss", "aud", "sub"]})
    except Exception as err:  # noqa: BLE001 - any failure is an interop failure
        check(name, False, f"{type(err).__name__}: {err}")
        return None
    check(f"{name}: typ at+jwt", header.get("typ") == "at+jwt", header)
    for claim in ("jti", "client_id", "scope"):
        check(f"{name}: {claim}", claim in claims, claims)
    check(f"{name}: sub is the client", claims.get("sub") == "svc", claims)
    return header


def key_types():
    cases = [
        ("ES256", ["--type", "ec"]),
        ("ES384", ["--type", "ec", "--curve", "P-384"]),
        ("ES512", ["--type", "ec", "--curve", "P-521"]),
        ("RS256", ["--type", "rsa"]),
        ("PS256", ["--type", "rsa", "--alg", "PS256"]),
        ("EdDSA", ["--type", "ed25519"]),
    ]
    for alg, args in cases:
        with tempfile.TemporaryDirectory() as tmp:
            run("keygen", *args, "--add-to", "keys.jwks", cwd=tmp)
            server = Server("--key", "keys.jwks", cwd=tmp)
            try:
                for basic in (True, False):
                    reply = post_token(server.url, basic=basic, resource="https://api.example")
                    header = verify(f"{alg} ({'basic' if basic else 'post'})", server.url,
                                    reply["access_token"], "https://api.example")
                    if header:
                        check(f"{alg}: alg", header["alg"] == alg, header)
            finally:
                server.stop(alg)
    server = Server()
    try:
        reply = post_token(server.url)
        verify("ephemeral key", server.url, reply["access_token"], server.url)
    finally:
        server.stop("ephemeral key")


def rotation():
    with tempfile.TemporaryDirectory() as tmp:
        old = run("keygen", "--type", "ec", "--add-to", "keys.jwks", cwd=tmp)
        server = Server("--key", "keys.jwks", cwd=tmp)
        try:
            new = run("keygen", "--type", "rsa", "--add-to", "keys.jwks", cwd=tmp)
            wait(lambda: kids(server.url) == [old, new], "the new key is published")
            header = verify("rotation: before promote", server.url,
                            post_token(server.url)["access_token"], server.url)
            check("rotation: the old key signs until promoted", header and header["kid"] == old, header)
            run("keyset", "promote", "keys.jwks", "--kid", new, cwd=tmp)
            wait(lambda: jwt.get_unverified_header(post_token(server.url)["access_token"])["kid"] == new,
                 "the promoted key signs")
            header = verify("rotation: after promote", server.url,
                            post_token(server.url)["access_token"], server.url)
            check("rotation: the new key signs", header and header["kid"] == new, header)
            run("keyset", "retire", "keys.jwks", "--kid", old, cwd=tmp)
            wait(lambda: kids(server.url) == [new], "the retired key leaves /jwks")
        finally:
            server.stop("rotation")


def kids(issuer):
    with urllib.request.urlopen(f"{issuer}/jwks", timeout=10) as reply:
        return [k["kid"] for k in json.load(reply)["keys"]]


def wait(condition, name):
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        if condition():
            check(name, True)
            return
        time.sleep(0.1)
    check(name, False, "not within 5 s")


def tls():
    with tempfile.TemporaryDirectory() as tmp:
        server = Server("--tls", "--ca-out", "ca.pem", cwd=tmp)
        try:
            context = ssl.create_default_context(cafile=os.path.join(tmp, "ca.pem"))
            reply = post_token(server.url, context=context)
            verify("TLS with the throwaway CA", server.url, reply["access_token"], server.url,
                   context=context)
            try:
                post_token(server.url)
                check("TLS: an untrusting client refuses the server", False, "it connected")
            except urllib.error.URLError:
                check("TLS: an untrusting client refuses the server", True)
        finally:
            server.stop("TLS")


def main():
    key_types()
    rotation()
    tls()
    for failure in FAILURES:
        print(f"FAIL {failure}")
    print(f"jwtk serve + PyJWKClient: {CHECKS - len(FAILURES)}/{CHECKS} checks passed")
    sys.exit(1 if FAILURES else 0)


if __name__ == "__main__":
    main()
