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
// 4. The other way (issue 31): credentials `jwtk mint --sd` makes (ES256, ES384, EdDSA, RS256;
//    nested objects, arrays, decoys, sha-384) are verified and fully reconstructed by their
//    verifier; presentations `jwtk present` makes (subsets, with and without key binding) are
//    accepted, revealing exactly the requested claims; and their credentials presented by
//    jwtk pass their verifier.
//
// Exits non-zero, naming each failure, when anything does not interoperate.

import { execFileSync } from "node:child_process";
import { createPublicKey, verify as nodeVerify } from "node:crypto";
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
let sampleHolderPrivate = null;

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
  sampleHolderPrivate = holder.privateKey;
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

  await jwtkIssues(dir, now, sample);

  console.log(`${checks - failures.length} passed, ${failures.length} failed`);
  process.exit(failures.length ? 1 : 0);
}

/** A verifier for any JWS algorithm jwtk signs with, from a public JWK (node's crypto). */
function anyVerifier(jwk) {
  const key = createPublicKey({ key: jwk, format: "jwk" });
  return async (data, signature) => {
    const [header] = data.split(".");
    const alg = JSON.parse(Buffer.from(header, "base64url").toString()).alg;
    const sig = Buffer.from(signature, "base64url");
    const hash = { ES256: "sha256", ES384: "sha384", ES512: "sha512", RS256: "sha256", PS256: "sha256", EdDSA: null }[alg];
    const options = alg.startsWith("ES") ? { key, dsaEncoding: "ieee-p1363" }
      : alg === "PS256" ? { key, padding: 6, saltLength: 32 } : key;
    return nodeVerify(hash, Buffer.from(data), options, sig);
  };
}

async function jwtkIssues(dir, now, sample) {
  const run = (args) => {
    const out = jwtk(args);
    if (out.code !== 0) throw new Error(`jwtk ${args.join(" ")}: exit ${out.code}: ${out.stderr}`);
    return out.stdout.trim();
  };
  const holderFile = join(dir, "holder");
  run(["keygen", "--type", "ec", "--out", holderFile]);
  const cases = [
    ["ES256", ["--type", "ec"], "sha-256"],
    ["ES384", ["--type", "ec", "--curve", "P-384"], "sha-384"],
    ["EdDSA", ["--type", "ed25519"], "sha-256"],
    ["RS256", ["--type", "rsa"], "sha-512"],
  ];
  for (const [alg, keygen, sdAlg] of cases) {
    const issuerFile = join(dir, `issuer-${alg}`);
    run(["keygen", "--format", "jwk", "--out", issuerFile, ...keygen]);
    const issuerPub = JSON.parse(readFileSync(`${issuerFile}.pub`, "utf8"));
    const credential = run([
      "mint", "--key", issuerFile, "--alg", alg, "--iss", "https://issuer.example", "--typ", "dc+sd-jwt",
      "--claim", "vct=https://credentials.example/pid", "--claim", "given_name=Erika",
      "--claim", 'address:={"street_address":"Heidestraße 17","locality":"Köln","country":"DE"}',
      "--claim", 'nationalities:=["DE","FR",{"x":[1,2]}]', "--sub", "erika",
      "--sd", "/given_name", "--sd", "/address", "--sd", "/address/street_address",
      "--sd", "/address/locality", "--sd", "/nationalities/0", "--sd", "/nationalities/2",
      "--sd", "/nationalities/2/x/1", "--sd", "/sub",
      "--sd-decoys", "2", "--sd-alg", sdAlg, "--holder-key", `${holderFile}.pub`,
    ]);
    const holderJwk = JSON.parse(jwtk(["decode", "--json", credential]).stdout).claims.cnf.jwk;
    const theirs = new SDJwtVcInstance({
      hasher: digest,
      verifier: anyVerifier(issuerPub),
      kbVerifier: anyVerifier(holderJwk),
    });
    // Their verifier reconstructs every claim jwtk issued, exactly as jwtk does.
    const all = await theirs.validate(credential).then((r) => ({ ok: true, payload: r.payload }), (e) => ({ ok: false, error: String(e) }));
    const ours = JSON.parse(jwtk(["verify", "--json", "--key", `${issuerFile}.pub`, credential]).stdout);
    check(`jwtk mint ${alg}/${sdAlg}: they verify`, all.ok, all.error);
    check(`jwtk mint ${alg}/${sdAlg}: jwtk verifies`, ours.valid === true, JSON.stringify(ours));
    if (all.ok) {
      check(`jwtk mint ${alg}/${sdAlg}: same claims`, canonical(all.payload) === canonical(ours.claims),
        `theirs ${canonical(all.payload)} != jwtk ${canonical(ours.claims)}`);
      check(`jwtk mint ${alg}/${sdAlg}: every claim back`, all.payload.address?.street_address === "Heidestraße 17"
        && canonical(all.payload.nationalities) === canonical(["DE", "FR", { x: [1, 2] }]) && all.payload.sub === "erika",
        canonical(all.payload));
    }
    // jwtk present: a subset, with and without key binding, accepted by their verifier.
    const picks = [
      [["--disclose", "/address/locality"], { address: { locality: "Köln", country: "DE" }, nationalities: ["FR"] }],
      [["--disclose", "/nationalities/2/x/1", "--disclose", "/given_name"], { given_name: "Erika", nationalities: ["FR", { x: [1, 2] }], address: undefined }],
    ];
    for (const [flags, expected] of picks) {
      for (const bound of [false, true]) {
        const kbFlags = bound ? ["--key", holderFile, "--kb-aud", AUD, "--kb-nonce", NONCE] : [];
        const presentation = run(["present", ...flags, ...kbFlags, credential]);
        const got = bound
          ? await theirs.verify(presentation, { keyBindingNonce: NONCE }).then((r) => ({ ok: true, payload: r.payload, kb: r.kb }), (e) => ({ ok: false, error: String(e) }))
          : await theirs.validate(presentation).then((r) => ({ ok: true, payload: r.payload }), (e) => ({ ok: false, error: String(e) }));
        const label = `jwtk present ${alg} ${flags.join(" ")}${bound ? " +kb" : ""}`;
        check(`${label}: they accept`, got.ok, got.error);
        if (!got.ok) continue;
        for (const [name, value] of Object.entries(expected)) {
          check(`${label}: ${name}`, canonical(got.payload[name]) === canonical(value),
            `${canonical(got.payload[name])} != ${canonical(value)}`);
        }
        check(`${label}: nothing else`, got.payload.sub === undefined, canonical(got.payload));
        if (bound) check(`${label}: kb`, got.kb?.payload?.aud === AUD, JSON.stringify(got.kb));
      }
    }
  }
  // Their credential, presented by jwtk, passes their verifier.
  const { sdjwt, credential } = sample;
  const holderJwkFile = join(dir, "their-holder.jwk");
  writeFileSync(holderJwkFile, JSON.stringify(sampleHolderPrivate));
  const presented = run(["present", "--disclose", "/address/locality", "--disclose", "/given_name",
    "--key", holderJwkFile, "--kb-aud", AUD, "--kb-nonce", NONCE, credential]);
  const got = await theirVerdict(sdjwt, presented);
  check("their credential, jwtk's presentation: they accept", got.ok, got.error);
  if (got.ok) {
    check("their credential, jwtk's presentation: the claims asked for",
      got.payload.given_name === "Erika" && got.payload.address?.locality === "Köln"
        && got.payload.address?.street_address === undefined && got.payload.family_name === undefined,
      canonical(got.payload));
  }
}

main().catch((err) => {
  console.log(`FAIL: ${err.stack}`);
  process.exit(1);
});
