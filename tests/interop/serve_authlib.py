#!/usr/bin/env python3
"""The login flow of `jwtk serve` driven by Python's Authlib OAuth 2.0 client, with client
assertions made by Authlib and PyJWT and DPoP proofs made by PyJWT and by `jwtk dpop`.

Usage: serve_authlib.py PATH/TO/jwtk

1. The authorization code flow with Authlib's OAuth2Session (requests): an authorization URL
   with PKCE S256, state and nonce; the redirect followed without a browser; fetch_token
   (state checked by Authlib); the ID token checked by Authlib's CodeIDToken (iss, aud, exp,
   nonce, at_hash) against the discovered JWKS; userinfo; refresh_token.
2. Failures, as Authlib reports them: a code used twice, a wrong code_verifier, a mismatched
   redirect_uri, a reused refresh token (which revokes its family).
3. private_key_jwt: Authlib's PrivateKeyJWT (client credentials and the code flow), PyJWT's
   assertions (a replayed jti, a wrong aud and a stranger's key are invalid_client).
4. DPoP at the token endpoint: proofs by PyJWT and by `jwtk dpop` bind the token (cnf.jkt is
   the key's RFC 7638 thumbprint); a replayed proof, a wrong htu or htm is invalid_dpop_proof.

Exits non-zero, naming each failure, when anything does not interoperate.
"""

import base64
import hashlib
import json
import os
import secrets
import signal
import subprocess
import sys
import tempfile
import time
import uuid
import warnings

import jwt
import requests
from authlib.integrations.requests_client import OAuth2Session, OAuthError

# authlib.jose still checks ID tokens (CodeIDToken) in this pinned release; its successor,
# joserfc, is another package.
warnings.filterwarnings("ignore", message="authlib.jose module is deprecated")
from authlib.jose import JsonWebKey  # noqa: E402
from authlib.jose import jwt as authlib_jwt  # noqa: E402
from authlib.oauth2.rfc7523 import PrivateKeyJWT  # noqa: E402
from authlib.oidc.core import CodeIDToken  # noqa: E402
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from joserfc.jwk import ECKey

JWTK = os.path.abspath(sys.argv[1])
FAILURES = []
CHECKS = 0
SERVERS = []
REDIRECT = "http://localhost:3000/cb"
ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"


def check(name, ok, detail=""):
    global CHECKS
    CHECKS += 1
    if not ok:
        FAILURES.append(f"{name}: {detail}")


class Server:
    """A running `jwtk serve`, stopped with SIGTERM (which must exit 0)."""

    def __init__(self, *args, cwd=None):
        self.proc = subprocess.Popen(
            [JWTK, "serve", "--addr", "127.0.0.1:0", "-q", *args],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, cwd=cwd,
            env={"PATH": os.environ.get("PATH", "")})
        SERVERS.append(self.proc)
        self.url = self.proc.stdout.readline().strip()
        if not self.url:
            raise RuntimeError(f"jwtk serve {args} printed no URL")
        self.doc = requests.get(f"{self.url}/.well-known/openid-configuration", timeout=10).json()

    def stop(self, name):
        self.proc.send_signal(signal.SIGTERM)
        code = self.proc.wait(timeout=10)
        check(f"{name}: SIGTERM exits 0", code == 0, f"exit {code}")


def oauth_error(call):
    """The OAuth error code a failed Authlib call raised, or 'no error'."""
    try:
        call()
    except OAuthError as err:
        return err.error
    return "no error"


def follow(url):
    """The authorization request as a browser would send it: the redirect's Location."""
    reply = requests.get(url, allow_redirects=False, timeout=10)
    if reply.status_code != 302:
        raise RuntimeError(f"/authorize answered {reply.status_code}: {reply.text}")
    return reply.headers["Location"]


def pem(key):
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption()).decode()


def public_jwk(key, kid):
    jwk = json.loads(jwt.algorithms.ECAlgorithm.to_jwk(key.public_key()))
    jwk.update({"kid": kid, "alg": "ES256"})
    return jwk


def thumbprint(jwk):
    members = {k: jwk[k] for k in ("crv", "kty", "x", "y")}
    digest = hashlib.sha256(json.dumps(members, separators=(",", ":"), sort_keys=True).encode())
    return base64.urlsafe_b64encode(digest.digest()).rstrip(b"=").decode()


def code_flow(dir):
    with open(os.path.join(dir, "users.json"), "w") as f:
        json.dump({"users": {"alice": {"email": "alice@example.com"}}}, f)
    server = Server("--config", "users.json", "--user", "alice", cwd=dir)
    doc = server.doc
    session = OAuth2Session("web-app", scope="openid offline_access", redirect_uri=REDIRECT,
                            code_challenge_method="S256", token_endpoint_auth_method="none")
    verifier = secrets.token_urlsafe(48)
    nonce = secrets.token_urlsafe(16)
    url, state = session.create_authorization_url(doc["authorization_endpoint"],
                                                  code_verifier=verifier, nonce=nonce)
    location = follow(url)
    token = session.fetch_token(doc["token_endpoint"], authorization_response=location,
                                code_verifier=verifier)
    check("the granted scope", token.get("scope") == "openid offline_access", token)
    jwks = JsonWebKey.import_key_set(requests.get(doc["jwks_uri"], timeout=10).json())
    try:
        claims = authlib_jwt.decode(
            token["id_token"], jwks, claims_cls=CodeIDToken,
            claims_options={"iss": {"values": [server.url]}},
            claims_params={"nonce": nonce, "client_id": "web-app",
                           "access_token": token["access_token"]})
        claims.validate(leeway=60)
        check("the ID token: sub", claims["sub"] == "alice", claims)
    except Exception as err:  # noqa: BLE001 - any failure is an interop failure
        check("Authlib's CodeIDToken accepts the ID token (at_hash, nonce)", False, repr(err))
    info = session.get(doc["userinfo_endpoint"]).json()
    check("userinfo", info == {"sub": "alice", "email": "alice@example.com"}, info)
    first_refresh = token["refresh_token"]
    renewed = session.refresh_token(doc["token_endpoint"], refresh_token=first_refresh)
    check("refresh: rotated", renewed.get("refresh_token") not in (None, first_refresh), renewed)
    # Failures.
    again = oauth_error(lambda: session.fetch_token(
        doc["token_endpoint"], authorization_response=location, code_verifier=verifier))
    check("a code used twice is invalid_grant", again == "invalid_grant", again)
    reuse = oauth_error(lambda: session.refresh_token(doc["token_endpoint"],
                                                      refresh_token=first_refresh))
    check("a reused refresh token is invalid_grant", reuse == "invalid_grant", reuse)
    family = oauth_error(lambda: session.refresh_token(doc["token_endpoint"],
                                                       refresh_token=renewed["refresh_token"]))
    check("... and revokes its family", family == "invalid_grant", family)
    url, _ = session.create_authorization_url(doc["authorization_endpoint"],
                                              code_verifier=verifier, nonce=nonce)
    location = follow(url)
    wrong = oauth_error(lambda: session.fetch_token(
        doc["token_endpoint"], authorization_response=location,
        code_verifier=secrets.token_urlsafe(48)))
    check("a wrong code_verifier is invalid_grant", wrong == "invalid_grant", wrong)
    url, _ = session.create_authorization_url(doc["authorization_endpoint"],
                                              code_verifier=verifier, nonce=nonce)
    location = follow(url)
    other = OAuth2Session("web-app", redirect_uri="http://localhost:3001/cb",
                          token_endpoint_auth_method="none")
    mismatch = oauth_error(lambda: other.fetch_token(
        doc["token_endpoint"], authorization_response=location, code_verifier=verifier))
    check("a mismatched redirect_uri is invalid_grant", mismatch == "invalid_grant", mismatch)
    server.stop("code flow")


def private_key_jwt(dir):
    key = ec.generate_private_key(ec.SECP256R1())
    stranger = ec.generate_private_key(ec.SECP256R1())
    with open(os.path.join(dir, "clients.json"), "w") as f:
        json.dump({"clients": [{"client_id": "svc", "jwk": public_jwk(key, "k1"),
                                "redirect_uris": [REDIRECT]}]}, f)
    server = Server("--config", "clients.json", cwd=dir)
    token_url = server.doc["token_endpoint"]
    session = OAuth2Session("svc", ECKey.import_key(pem(key)),
                            token_endpoint_auth_method=PrivateKeyJWT(token_url, alg="ES256"),
                            scope="openid", redirect_uri=REDIRECT)
    token = session.fetch_token(token_url, grant_type="client_credentials")
    check("Authlib's PrivateKeyJWT: client credentials", "access_token" in token, token)
    url, _ = session.create_authorization_url(server.doc["authorization_endpoint"])
    token = session.fetch_token(token_url, authorization_response=follow(url))
    check("Authlib's PrivateKeyJWT: the code flow", "id_token" in token, token)

    def assertion(signer, aud, jti):
        now = int(time.time())
        return jwt.encode({"iss": "svc", "sub": "svc", "aud": aud, "jti": jti, "iat": now,
                           "exp": now + 120}, signer, algorithm="ES256", headers={"kid": "k1"})

    def post(client_assertion):
        return requests.post(token_url, timeout=10, data={
            "grant_type": "client_credentials", "client_assertion_type": ASSERTION_TYPE,
            "client_assertion": client_assertion})

    good = assertion(key, server.url, str(uuid.uuid4()))
    reply = post(good)
    check("PyJWT assertion (aud the issuer): accepted", reply.status_code == 200, reply.text)
    for name, made in [("a replayed jti", good),
                       ("a wrong aud", assertion(key, "https://elsewhere.example", str(uuid.uuid4()))),
                       ("a stranger's key", assertion(stranger, token_url, str(uuid.uuid4())))]:
        reply = post(made)
        body = reply.json()
        check(f"PyJWT assertion, {name}: invalid_client",
              reply.status_code == 401 and body.get("error") == "invalid_client", body)
    server.stop("private_key_jwt")


def dpop(dir):
    server = Server(cwd=dir)
    token_url = server.doc["token_endpoint"]
    key = ec.generate_private_key(ec.SECP256R1())
    jwk = public_jwk(key, "d")
    jwk = {k: jwk[k] for k in ("kty", "crv", "x", "y")}

    def proof(htm="POST", htu=token_url):
        return jwt.encode({"jti": str(uuid.uuid4()), "htm": htm, "htu": htu,
                           "iat": int(time.time())}, key, algorithm="ES256",
                          headers={"typ": "dpop+jwt", "jwk": jwk})

    def post(header):
        return requests.post(token_url, timeout=10, headers={"DPoP": header}, data={
            "grant_type": "client_credentials", "client_id": "svc", "client_secret": "s"})

    made = proof()
    reply = post(made)
    body = reply.json()
    check("PyJWT proof: token_type DPoP", body.get("token_type") == "DPoP", body)
    claims = jwt.decode(body.get("access_token", ""), options={"verify_signature": False})
    check("PyJWT proof: cnf.jkt", claims.get("cnf", {}).get("jkt") == thumbprint(jwk), claims)
    for name, header in [("a replayed proof", made), ("htm GET", proof(htm="GET")),
                         ("another htu", proof(htu=server.doc["userinfo_endpoint"]))]:
        reply = post(header)
        check(f"PyJWT proof, {name}: invalid_dpop_proof",
              reply.status_code == 400 and reply.json().get("error") == "invalid_dpop_proof",
              reply.text)
    subprocess.run([JWTK, "keygen", "--type", "ed25519", "--format", "jwks", "--out", "dpop.jwks"],
                   cwd=dir, check=True, capture_output=True)
    made = subprocess.run([JWTK, "dpop", "--key", "dpop.jwks", "--htm", "POST", "--htu", token_url],
                          cwd=dir, check=True, capture_output=True, text=True).stdout.strip()
    reply = post(made)
    check("jwtk dpop proof: accepted", reply.json().get("token_type") == "DPoP", reply.text)
    reply = post(made)
    check("jwtk dpop proof, replayed: invalid_dpop_proof",
          reply.json().get("error") == "invalid_dpop_proof", reply.text)
    server.stop("DPoP")


def main():
    with tempfile.TemporaryDirectory() as dir:
        for part in (code_flow, private_key_jwt, dpop):
            try:
                part(dir)
            except Exception as err:  # noqa: BLE001 - report and go on
                FAILURES.append(f"{part.__name__}: {type(err).__name__}: {err}")
    for proc in SERVERS:  # those a failure left running
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    if FAILURES:
        print("\n".join(FAILURES), file=sys.stderr)
        print(f"{CHECKS - len(FAILURES)} passed, {len(FAILURES)} failed", file=sys.stderr)
        sys.exit(1)
    print(f"Authlib, PyJWT and jwtk dpop drive jwtk serve's login flow: {CHECKS} checks")


if __name__ == "__main__":
    main()
