// SD-JWT (RFC 9901) and SD-JWT VC interoperability with the OpenWallet Foundation's
// TypeScript libraries (@sd-jwt/core, @sd-jwt/sd-jwt-vc, @sd-jwt/crypto-nodejs; versions
// pinned in .ci/run).
//
// Usage: node sdjwt_check.mjs PATH/TO/jwtk PATH/TO/node_modules/..
//
// 1. Credentials their issuer makes (SD-JWT VC with typ dc+sd-jwt, and plain SD-JWTs with
//    sha-256, sha-384 and sha-512; flat, nested and array disclosures, decoys) and their holder
//    presents (with a KB-JWT, several selections) verify in jwtk with the issuer's public key,
//    and jwtk's claims equal their verifier's payload exactly.
// 2. What their verifier rejects, jwtk rejects, with the contract's reason.
// 3. The RFC 9901 §5.2 presentation, which they verify too, gives the same claims in both.
//
// Exits non-zero, naming each failure, when anything does not interoperate.

import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";

const [jwtkPath, modules] = process.argv.slice(2);
const require = createRequire(join(modules, "package.json"));
const { SDJwtInstance } = require("@sd-jwt/core");
const { SDJwtVcInstance } = require("@sd-jwt/sd-jwt-vc");
const { ES256, digest, generateSalt } = require("@sd-jwt/crypto-nodejs");

const NONCE = "n-0S6_WzA2Mj";
const AUD = "https://verifier.example.org";
const failures = [];
let checks = 0;

function check(name, ok, detail = "") {
  checks += 1;
  if (!ok) {
    failures.push(`${name}: ${detail}`);
    console.log(`FAIL ${name}: ${detail}`);
  }
}

/** JSON with object keys sorted, so that two equal values print alike. */
function canonical(value) {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object") {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

function jwtk(args) {
  try {
    const stdout = execFileSync(jwtkPath, args, {
      env: { PATH: process.env.PATH },
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
      maxBuffer: 64 << 20,
    });
    return { code: 0, stdout };
  } catch (err) {
    return { code: err.status, stdout: err.stdout ?? "", stderr: err.stderr ?? "" };
  }
}

function verifyWithJwtk(token, keyFile, extra = []) {
  const out = jwtk(["verify", "--json", "--key", keyFile, "--kb-nonce", NONCE, "--kb-aud", AUD, ...extra, token]);
  try {
    return JSON.parse(out.stdout);
  } catch {
    return { valid: false, reason: `no JSON (exit ${out.code}): ${out.stderr}` };
  }
}

async function theirVerdict(instance, token, options = {}) {
  try {
    const result = await instance.verify(token, { keyBindingNonce: NONCE, ...options });
    return { ok: true, payload: result.payload, kb: result.kb };
  } catch (err) {
    return { ok: false, error: String(err) };
  }
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), "jwtk-sdjwt-"));
  const issuer = await ES256.generateKeyPair();
  const holder = await ES256.generateKeyPair();
  const other = await ES256.generateKeyPair();
  const issuerFile = join(dir, "issuer.jwk");
  const otherFile = join(dir, "other.jwk");
  writeFileSync(issuerFile, JSON.stringify(issuer.publicKey));
  writeFileSync(otherFile, JSON.stringify(other.publicKey));
  const now = Math.floor(Date.now() / 1000);

  const config = (hashAlg, signer = issuer, kbKey = holder) => ({
    signer: null,
    signAlg: ES256.alg,
    hasher: digest,
    hashAlg,
    saltGenerator: generateSalt,
    kbSignAlg: ES256.alg,
    kbSigner: null,
    verifier: null,
    kbVerifier: null,
    _keys: { signer, kbKey },
  });
  async function instance(Kind, hashAlg, signer = issuer, kbKey = holder) {
    const c = config(hashAlg, signer, kbKey);
    c.signer = await ES256.getSigner(signer.privateKey);
    c.verifier = await ES256.getVerifier(issuer.publicKey);
    c.kbSigner = await ES256.getSigner(kbKey.privateKey);
    c.kbVerifier = await ES256.getVerifier(holder.publicKey);
    delete c._keys;
    return new Kind(c);
  }

  const claims = {
    iss: "https://issuer.example.com",
    iat: now - 60,
    exp: now + 3600,
    cnf: { jwk: holder.publicKey },
    given_name: "Erika",
    family_name: "Mustermann",
    birthdate: "1963-08-12",
    address: { street_address: "Heidestraße 17", locality: "Köln", country: "DE" },
    nationalities: ["DE", "FR"],
    degrees: [{ type: "Bachelor", university: "TU" }, { type: "Master", university: "LMU" }],
  };
  const frame = {
    _sd: ["given_name", "family_name", "birthdate", "address", "degrees"],
    address: { _sd: ["street_address", "locality"] },
    nationalities: { _sd: [0, 1] },
    degrees: { _sd: [1], 0: { _sd: ["university"] } },
    _sd_decoy: 3,
  };
  const presentations = {
    all: undefined,
    none: {},
    some: { given_name: true, address: { locality: true }, nationalities: { 1: true } },
    nested: { degrees: { 0: { university: true }, 1: true } },
  };

  const kinds = [
    ["sd-jwt-vc sha-256", SDJwtVcInstance, "sha-256", { ...claims, vct: "https://credentials.example.com/pid" }],
    ["sd-jwt sha-256", SDJwtInstance, "sha-256", claims],
    ["sd-jwt sha-384", SDJwtInstance, "sha-384", claims],
    ["sd-jwt sha-512", SDJwtInstance, "sha-512", claims],
  ];
  let sample = null;
  for (const [name, Kind, hashAlg, payload] of kinds) {
    const sdjwt = await instance(Kind, hashAlg);
    const header = Kind === SDJwtInstance ? { header: { typ: "example+sd-jwt" } } : undefined;
    const credential = await sdjwt.issue(payload, frame, header);
    for (const [pname, presentation] of Object.entries(presentations)) {
      const kb = { payload: { iat: now, aud: AUD, nonce: NONCE } };
      const token = await sdjwt.present(credential, presentation, { kb });
      const theirs = await theirVerdict(sdjwt, token);
      const ours = verifyWithJwtk(token, issuerFile);
      const label = `${name} / ${pname}`;
      check(`${label}: they verify`, theirs.ok, theirs.error);
      check(`${label}: jwtk verifies`, ours.valid === true, ours.message ?? ours.reason);
      if (theirs.ok && ours.valid) {
        check(`${label}: same claims`, canonical(ours.claims) === canonical(theirs.payload),
          `jwtk ${canonical(ours.claims)} != theirs ${canonical(theirs.payload)}`);
        check(`${label}: kb`, ours.sd && ours.sd.kb === true, JSON.stringify(ours.sd));
      }
      if (Kind === SDJwtVcInstance && pname === "some") sample = { sdjwt, credential, token };
    }
    // classify names the kind.
    const classified = JSON.parse(jwtk(["classify", "--json", credential]).stdout || "{}");
    const kind = Kind === SDJwtVcInstance ? "sd_jwt_vc" : "sd_jwt";
    check(`${name}: classify`, classified.kind === kind, JSON.stringify(classified));
  }

  // What they reject, jwtk rejects.
  const { sdjwt, credential, token } = sample;
  const kbOf = (nonce, aud, iat = now) => ({ kb: { payload: { iat, aud, nonce } } });
  const parts = token.split("~");
  const rejections = [
    ["another nonce", await sdjwt.present(credential, presentations.some, kbOf("other", AUD)), "kb_mismatch"],
    ["a disclosure dropped", [parts[0], ...parts.slice(2)].join("~"), "kb_mismatch"],
    ["a disclosure altered", [parts[0], parts[1].slice(0, -2) + "xx", ...parts.slice(2)].join("~"), "sd_invalid"],
    ["a disclosure twice", [parts[0], parts[1], ...parts.slice(1)].join("~"), "sd_invalid"],
    ["another holder key", await (await instance(SDJwtVcInstance, "sha-256", issuer, other)).present(credential, presentations.some, kbOf(NONCE, AUD)), "kb_invalid"],
    ["a KB-JWT from the future", await sdjwt.present(credential, presentations.some, kbOf(NONCE, AUD, now + 3600)), "kb_invalid"],
  ];
  const expired = await sdjwt.issue({ ...claims, vct: "urn:x", iat: now - 7200, exp: now - 3600 }, frame);
  rejections.push(["an expired credential", await sdjwt.present(expired, presentations.some, kbOf(NONCE, AUD)), "expired"]);
  for (const [name, bad, reason] of rejections) {
    const theirs = await theirVerdict(sdjwt, bad, { currentDate: now });
    const ours = verifyWithJwtk(bad, issuerFile);
    if (theirs.ok) {
      // Not every check is theirs (an altered disclosure nothing references, a KB-JWT's iat):
      // jwtk is stricter there, as RFC 9901 §7.1 and §7.3 require.
      check(`${name}: jwtk rejects (they accept)`, ours.reason === reason, JSON.stringify(ours));
      console.log(`note: @sd-jwt accepts ${name}; jwtk says ${ours.reason}`);
    } else {
      check(`${name}: jwtk rejects as they do`, ours.reason === reason, `${JSON.stringify(ours)} (theirs: ${theirs.error})`);
    }
  }
  const wrongIssuer = verifyWithJwtk(token, otherFile);
  check("another issuer key", wrongIssuer.reason === "bad_signature", JSON.stringify(wrongIssuer));

  // RFC 9901 §5.2: their verifier and jwtk read the published presentation alike.
  const rfc = readFileSync(new URL("../fixtures/sd-jwt/rfc9901-5.2-presentation.txt", import.meta.url), "utf8").trim();
  const rfcKey = JSON.parse(readFileSync(new URL("../fixtures/sd-jwt/issuer.jwk", import.meta.url), "utf8"));
  const rfcHolder = JSON.parse(readFileSync(new URL("../fixtures/sd-jwt/holder-private.jwk", import.meta.url), "utf8"));
  delete rfcHolder.d;
  const rfcInstance = new SDJwtInstance({
    hasher: digest,
    verifier: await ES256.getVerifier(rfcKey),
    kbVerifier: await ES256.getVerifier(rfcHolder),
  });
  const rfcTheirs = await theirVerdict(rfcInstance, rfc, { keyBindingNonce: "1234567890", currentDate: 1748537254 });
  const rfcFile = join(dir, "rfc.jwk");
  writeFileSync(rfcFile, JSON.stringify(rfcKey));
  const rfcOut = jwtk(["verify", "--json", "--key", rfcFile, "--kb-nonce", "1234567890", "--kb-aud", AUD, "--now", "1748537254", rfc]);
  const rfcOurs = JSON.parse(rfcOut.stdout || "{}");
  check("RFC 9901 §5.2: they verify", rfcTheirs.ok, rfcTheirs.error);
  check("RFC 9901 §5.2: jwtk verifies", rfcOurs.valid === true, JSON.stringify(rfcOurs));
  if (rfcTheirs.ok) {
    check("RFC 9901 §5.2: same claims", canonical(rfcOurs.claims) === canonical(rfcTheirs.payload),
      `${canonical(rfcOurs.claims)} != ${canonical(rfcTheirs.payload)}`);
  }

  console.log(`${checks - failures.length} passed, ${failures.length} failed`);
  process.exit(failures.length ? 1 : 0);
}

main().catch((err) => {
  console.log(`FAIL: ${err.stack}`);
  process.exit(1);
});
