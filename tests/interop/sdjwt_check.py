#!/usr/bin/env python3
"""SD-JWT (RFC 9901) interoperability with the specification authors' Python reference
implementation (`sd-jwt` on PyPI, pinned in requirements.txt).

Usage: sdjwt_check.py PATH/TO/jwtk

sd-jwt 0.10.4 implements draft-ietf-oauth-selective-disclosure-jwt-07/-08, which differs from
RFC 9901 in ways this script steers around (and jwtk's README lists):
  - its verifier only knows sha-256; it ignores a disclosure no digest references (RFC 9901
    §7.1 step 5 rejects it), checks no KB-JWT iat window and no exp;
  - its JSON serialization puts `disclosures` and `kb_jwt` at the top level rather than in the
    unprotected header (RFC 9901 §8), and computes no sd_hash for it: jwtk refuses that layout.

1. SD-JWTs the reference issues (flat, structured, recursive and array disclosures, decoys) and
   presents (every claim, none, subsets; with a KB-JWT) verify in jwtk with the issuer's public
   key and the KB-JWT's nonce and aud, and jwtk's claims equal the reference verifier's
   payload exactly.
2. What the reference verifier rejects, jwtk rejects too, with the reason the contract gives:
   another nonce or audience (kb_mismatch), a disclosure dropped after key binding
   (kb_mismatch), a disclosure given twice or a disclosed name that exists already
   (sd_invalid), another issuer key (bad_signature), a KB-JWT by another holder key
   (kb_invalid).

3. The other way (issue 31): credentials `jwtk mint --sd` makes (ES256, ES384, EdDSA, RS256;
   nested objects, arrays, decoys) are verified and fully reconstructed by the reference;
   presentations `jwtk present` makes (subsets, with and without key binding) are accepted,
   revealing exactly the requested claims; the reference's credentials presented by jwtk pass
   the reference verifier.

Exits non-zero, naming each failure, when anything does not interoperate.
"""

import copy
import json
import os
import subprocess
import sys
import tempfile

from jwcrypto.jwk import JWK
from jwcrypto.jws import JWS
from sd_jwt.common import SDJWTCommon, SDObj
from sd_jwt.holder import SDJWTHolder
from sd_jwt.issuer import SDJWTIssuer
from sd_jwt.verifier import SDJWTVerifier

JWTK = sys.argv[1]
FAILURES = []
CHECKS = 0
NONCE = "n-0S6_WzA2Mj"
AUD = "https://verifier.example.org"


def jwtk(*args, stdin=None):
    env = {"PATH": os.environ.get("PATH", "")}
    return subprocess.run([JWTK, *args], capture_output=True, text=True, input=stdin, env=env)


def check(name, ok, detail=""):
    global CHECKS
    CHECKS += 1
    if not ok:
        FAILURES.append(f"{name}: {detail}")
        print(f"FAIL {name}: {detail}")


def key_file(directory, name, jwk):
    path = os.path.join(directory, name)
    with open(path, "w") as f:
        f.write(jwk.export_public())
    return path


# Claims the way the reference's own examples mark them (SDObj: selectively disclosable).
CREDENTIALS = {
    "flat": {
        "iss": "https://issuer.example.com",
        "sub": "user_42",
        "exp": 4102444800,
        SDObj("given_name"): "John",
        SDObj("family_name"): "Doe",
        SDObj("email"): "johndoe@example.com",
        SDObj("address"): {"street_address": "123 Main St", "locality": "Anytown"},
        "nationalities": [SDObj("US"), SDObj("DE")],
    },
    "structured": {
        "iss": "https://issuer.example.com",
        "exp": 4102444800,
        "address": {
            SDObj("street_address"): "Schulstr. 12",
            SDObj("locality"): "Schulpforta",
            "country": "DE",
        },
        SDObj("birthdate"): "1940-01-01",
        "numbers": [1, SDObj(2), {"deep": [SDObj({"x": 1})]}],
    },
    "recursive": {
        "iss": "https://issuer.example.com",
        "exp": 4102444800,
        SDObj("address"): {
            SDObj("street_address"): "Schulstr. 12",
            SDObj("locality"): "Schulpforta",
            SDObj("region"): "Sachsen-Anhalt",
            "country": "DE",
        },
        SDObj("unicode"): "Möbius ☃ \u202e",
        SDObj("number"): 12345678901234567890,
    },
}

# What the holder discloses: the reference's own selection language (True: everything under).
SELECTIONS = {
    "all": True,
    "none": {},
    "some": {
        "given_name": True,
        "address": True,
        "nationalities": [False, True],
        "birthdate": True,
        "numbers": [None, True, {"deep": [True]}],
    },
    "nested-only": {"address": {"locality": True}},
}


def issue(claims, issuer_key, holder_key, decoys):
    issuer = SDJWTIssuer(
        copy.deepcopy(claims), issuer_key, holder_key, add_decoy_claims=decoys,
        extra_header_parameters={"typ": "example+sd-jwt"},
    )
    return issuer.sd_jwt_issuance


def present(issuance, selection, holder_key, nonce=NONCE, aud=AUD):
    holder = SDJWTHolder(issuance)
    holder.create_presentation(selection, nonce, aud, holder_key)
    return holder.sd_jwt_presentation


def reference_payload(presentation, issuer_key, nonce=NONCE, aud=AUD):
    verifier = SDJWTVerifier(
        presentation, lambda iss, header: issuer_key, expected_aud=aud, expected_nonce=nonce,
    )
    return verifier.get_verified_payload()


def verify(presentation, issuer_file, *flags):
    out = jwtk("verify", "--json", "--key", issuer_file, "--kb-nonce", NONCE, "--kb-aud", AUD,
               *flags, presentation)
    try:
        return json.loads(out.stdout), out
    except json.JSONDecodeError:
        return None, out


def main():
    issuer_key = JWK.generate(kty="EC", crv="P-256")
    holder_key = JWK.generate(kty="EC", crv="P-256")
    other_key = JWK.generate(kty="EC", crv="P-256")
    with tempfile.TemporaryDirectory() as tmp:
        issuer_file = key_file(tmp, "issuer.jwk", issuer_key)
        other_file = key_file(tmp, "other.jwk", other_key)
        agree(issuer_key, holder_key, issuer_file)
        reject(issuer_key, holder_key, other_key, issuer_file, other_file)
        jwtk_issues(tmp)
        jwtk_presents(tmp, issuer_key, holder_key)
    print(f"{CHECKS - len(FAILURES)} passed, {len(FAILURES)} failed")
    sys.exit(1 if FAILURES else 0)


def agree(issuer_key, holder_key, issuer_file):
    for cname, claims in CREDENTIALS.items():
        for decoys in (False, True):
            issuance = issue(claims, issuer_key, holder_key, decoys)
            for sname, selection in SELECTIONS.items():
                name = f"{cname}/{sname}/decoys={decoys}"
                presentation = present(issuance, selection, holder_key)
                expected = reference_payload(presentation, issuer_key)
                verdict, out = verify(presentation, issuer_file)
                if verdict is None:
                    check(name, False, f"no JSON verdict: {out.stderr.strip()}")
                    continue
                check(f"{name} valid", verdict["valid"], verdict.get("message"))
                check(f"{name} claims", verdict["claims"] == expected,
                      f"jwtk {verdict['claims']} != reference {expected}")
                check(f"{name} kb", verdict.get("sd", {}).get("kb") is True, str(verdict.get("sd")))
            # The issuance itself (every disclosure, no KB-JWT) decodes to the same claims.
            out = jwtk("decode", "--json", issuance)
            decoded = json.loads(out.stdout) if out.returncode == 0 else {}
            expected = SDJWTVerifier(issuance, lambda iss, header: issuer_key).get_verified_payload()
            check(f"{cname} decode", decoded.get("disclosed_claims") == expected,
                  f"{out.stderr.strip()} {decoded.get('disclosed_claims')} != {expected}")


def rejected_by_reference(presentation, issuer_key, nonce=NONCE, aud=AUD):
    try:
        reference_payload(presentation, issuer_key, nonce, aud)
    except Exception:  # noqa: BLE001 - any refusal counts
        return True
    return False


def reject(issuer_key, holder_key, other_key, issuer_file, other_file):
    issuance = issue(CREDENTIALS["flat"], issuer_key, holder_key, False)
    good = present(issuance, SELECTIONS["some"], holder_key)
    parts = good.split("~")
    cases = []
    # Another nonce and audience than the verifier's.
    cases.append(("nonce", present(issuance, SELECTIONS["some"], holder_key, nonce="other"),
                  "kb_mismatch", {}))
    cases.append(("aud", present(issuance, SELECTIONS["some"], holder_key, aud="https://x.example"),
                  "kb_mismatch", {}))
    # A disclosure dropped after the holder signed: sd_hash no longer matches.
    dropped = "~".join([parts[0], *parts[2:]])
    cases.append(("dropped disclosure", dropped, "kb_mismatch", {}))
    # The same disclosure twice.
    twice = "~".join([parts[0], parts[1], *parts[1:]])
    cases.append(("disclosure twice", twice, "sd_invalid", {}))
    # Another issuer key.
    cases.append(("issuer key", good, "bad_signature", {"key": other_file, "ref": other_key}))
    # A KB-JWT signed by another holder key than cnf.jwk.
    cases.append(("holder key", present(issuance, SELECTIONS["some"], other_key),
                  "kb_invalid", {}))
    for name, presentation, reason, flags in cases:
        key = flags.get("key", issuer_file)
        check(f"reference rejects {name}",
              rejected_by_reference(presentation, flags.get("ref", issuer_key)),
              "the reference accepted it")
        verdict, out = verify(presentation, key)
        got = verdict and verdict.get("reason")
        check(f"jwtk rejects {name}", got == reason, f"{got}: {out.stderr.strip()} {verdict}")
    # A disclosed name that already exists: the reference refuses it when unpacking.
    colliding = {"iss": "https://issuer.example.com", "exp": 4102444800, SDObj("sub"): "x"}
    disclosure = issue(colliding, issuer_key, holder_key, False).split("~")[1]
    sd_issuer = SDJWTIssuer(
        {"iss": "https://issuer.example.com", "exp": 4102444800, "sub": "y"},
        issuer_key, holder_key,
    )
    # Re-sign a payload holding both the plain sub and the digest of the sub disclosure.
    digest = SDJWTCommon("compact")._b64hash(disclosure.encode())
    payload = dict(sd_issuer.sd_jwt_payload, _sd=[digest], _sd_alg="sha-256")
    jws = JWS(payload=json.dumps(payload))
    jws.add_signature(issuer_key, alg="ES256", protected=json.dumps({"alg": "ES256"}))
    collision = f"{jws.serialize(compact=True)}~{disclosure}~"
    check("reference rejects a name collision",
          rejected_by_reference(collision, issuer_key, None, None), "the reference accepted it")
    out = jwtk("verify", "--json", "--key", issuer_file, collision)
    verdict = json.loads(out.stdout) if out.stdout else {}
    check("jwtk rejects a name collision", verdict.get("reason") == "sd_invalid", str(verdict))


def run(*args):
    out = jwtk(*args)
    if out.returncode != 0:
        raise RuntimeError(f"jwtk {' '.join(args)}: exit {out.returncode}: {out.stderr}")
    return out.stdout.strip()


def jwtk_issues(tmp):
    holder_file = os.path.join(tmp, "holder")
    run("keygen", "--type", "ec", "--format", "jwk", "--out", holder_file)
    for alg, keygen in [("ES256", ["--type", "ec"]), ("ES384", ["--type", "ec", "--curve", "P-384"]),
                        ("EdDSA", ["--type", "ed25519"]), ("RS256", ["--type", "rsa"])]:
        issuer_file = os.path.join(tmp, f"issuer-{alg}")
        run("keygen", "--format", "jwk", "--out", issuer_file, *keygen)
        with open(f"{issuer_file}.pub") as f:
            issuer_key = JWK.from_json(f.read())
        credential = run(
            "mint", "--key", issuer_file, "--alg", alg, "--iss", "https://issuer.example",
            "--claim", "given_name=Erika", "--sub", "erika",
            "--claim", 'address:={"street_address":"Heidestraße 17","locality":"Köln"}',
            "--claim", 'nationalities:=["DE","FR",{"x":[1,2]}]',
            "--sd", "/given_name", "--sd", "/address", "--sd", "/address/locality",
            "--sd", "/nationalities/1", "--sd", "/nationalities/2", "--sd", "/nationalities/2/x/0",
            "--sd", "/sub", "--sd-decoys", "3", "--holder-key", f"{holder_file}.pub",
        )
        name = f"jwtk mint {alg}"
        try:
            theirs = SDJWTVerifier(credential, lambda iss, header: issuer_key).get_verified_payload()
        except Exception as err:  # noqa: BLE001
            check(f"{name}: the reference verifies", False, repr(err))
            continue
        ours = json.loads(run("verify", "--json", "--key", f"{issuer_file}.pub", credential))
        check(f"{name}: same claims", theirs == ours["claims"], f"{theirs} != {ours['claims']}")
        check(f"{name}: every claim back", theirs.get("address", {}).get("locality") == "Köln"
              and theirs.get("nationalities") == ["DE", "FR", {"x": [1, 2]}]
              and theirs.get("sub") == "erika", str(theirs))
        for flags, expected in [
            (["--disclose", "/address/locality"],
             {"address": {"street_address": "Heidestraße 17", "locality": "Köln"},
              "nationalities": ["DE"], "given_name": None}),
            (["--disclose", "/nationalities/2/x/0", "--disclose", "/given_name"],
             {"given_name": "Erika", "nationalities": ["DE", {"x": [1, 2]}], "address": None}),
        ]:
            for bound in (False, True):
                kb = ["--key", holder_file, "--kb-aud", AUD, "--kb-nonce", NONCE] if bound else []
                presentation = run("present", *flags, *kb, credential)
                label = f"jwtk present {alg} {' '.join(flags)}{' +kb' if bound else ''}"
                try:
                    got = SDJWTVerifier(
                        presentation, lambda iss, header: issuer_key,
                        expected_aud=AUD if bound else None,
                        expected_nonce=NONCE if bound else None,
                    ).get_verified_payload()
                except Exception as err:  # noqa: BLE001
                    check(f"{label}: the reference accepts", False, repr(err))
                    continue
                for claim, value in expected.items():
                    check(f"{label}: {claim}", got.get(claim) == value, f"{got.get(claim)} != {value}")
                check(f"{label}: nothing else", "sub" not in got, str(got))


def jwtk_presents(tmp, issuer_key, holder_key):
    issuance = issue(CREDENTIALS["structured"], issuer_key, holder_key, True)
    holder_file = os.path.join(tmp, "reference-holder.jwk")
    with open(holder_file, "w") as f:
        f.write(holder_key.export_private())
    presentation = run("present", "--disclose", "/address/locality", "--disclose", "/numbers/1",
                       "--key", holder_file, "--kb-aud", AUD, "--kb-nonce", NONCE, issuance)
    try:
        got = reference_payload(presentation, issuer_key)
    except Exception as err:  # noqa: BLE001
        check("the reference's credential, jwtk's presentation", False, repr(err))
        return
    check("the reference's credential, jwtk's presentation: the claims asked for",
          got.get("address") == {"locality": "Schulpforta", "country": "DE"}
          and got.get("numbers") == [1, 2, {"deep": []}] and "birthdate" not in got, str(got))


if __name__ == "__main__":
    main()
