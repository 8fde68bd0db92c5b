// Interoperability of `jwtk serve` with node's jose (createRemoteJWKSet + jwtVerify).
//
// Usage: node serve_jose.mjs PATH/TO/jwtk   (with `jose` installed beside this file:
// .ci/run copies it into a temporary directory where npm installed jose)
//
// Starts `jwtk serve` on a free loopback port (the issuer URL is its first line on stdout),
// fetches access tokens with the client credentials grant, finds the JWKS by OIDC discovery,
// and verifies each token with jose's remote JWK Set: issuer, audience, typ at+jwt.
// 1. every signing key type: EC P-256/P-384/P-521, RSA (RS256, PS256), Ed25519;
// 2. a rotation while the server runs: the promoted key signs, jose refetches the set;
// 3. HTTPS with the throwaway CA the server writes, trusted through NODE_EXTRA_CA_CERTS
//    (read at start: a second node process does that part).
// Exits non-zero, naming each failure, when anything does not interoperate.

import { spawnSync, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as jose from 'jose';
import * as harness from './serve_harness.mjs';

const jwtk = resolve(process.argv[2]);
const results = harness.tally();
const { check, failures } = results;

const serve = (args, cwd) => harness.serve(jwtk, ['--jwks-max-age', '0', ...args], cwd);
const stop = (server, name) => harness.stop(server, name, check);

function run(args, cwd) {
  const stdio = ['ignore', 'pipe', 'pipe'];
  return execFileSync(jwtk, args, { cwd, env: { PATH: process.env.PATH }, stdio }).toString().trim();
}



async function token(issuer, resource) {
  const form = new URLSearchParams({ grant_type: 'client_credentials', scope: 'read' });
  if (resource) form.set('resource', resource);
  const reply = await fetch(`${issuer}/token`, {
    method: 'POST',
    headers: { Authorization: `Basic ${Buffer.from('svc:s3cret').toString('base64')}` },
    body: form,
  });
  if (reply.status !== 200) throw new Error(`token endpoint: ${reply.status} ${await reply.text()}`);
  return (await reply.json()).access_token;
}

async function verify(name, issuer, jwt, audience, jwks) {
  const doc = await (await fetch(`${issuer}/.well-known/openid-configuration`)).json();
  const set = jwks ?? jose.createRemoteJWKSet(new URL(doc.jwks_uri));
  try {
    const { payload, protectedHeader } = await jose.jwtVerify(jwt, set, {
      issuer,
      audience,
      typ: 'at+jwt',
      requiredClaims: ['exp', 'iat', 'jti', 'sub', 'client_id', 'scope'],
    });
    check(`${name}: sub is the client`, payload.sub === 'svc', JSON.stringify(payload));
    return protectedHeader;
  } catch (err) {
    check(name, false, `${err.code ?? err.name}: ${err.message}`);
    return null;
  }
}

async function keyTypes() {
  const cases = [
    ['ES256', ['--type', 'ec']],
    ['ES384', ['--type', 'ec', '--curve', 'P-384']],
    ['ES512', ['--type', 'ec', '--curve', 'P-521']],
    ['RS256', ['--type', 'rsa']],
    ['PS256', ['--type', 'rsa', '--alg', 'PS256']],
    ['EdDSA', ['--type', 'ed25519']],
  ];
  for (const [alg, args] of cases) {
    const dir = mkdtempSync(join(tmpdir(), 'jwtk-serve-jose-'));
    try {
      run(['keygen', ...args, '--add-to', 'keys.jwks'], dir);
      const server = await serve(['--key', 'keys.jwks'], dir);
      try {
        const header = await verify(alg, server.url, await token(server.url, 'https://api.example'), 'https://api.example');
        check(`${alg}: alg`, header?.alg === alg, JSON.stringify(header));
      } finally {
        await stop(server, alg);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
}

async function rotation() {
  const dir = mkdtempSync(join(tmpdir(), 'jwtk-serve-jose-'));
  try {
    const old = run(['keygen', '--type', 'ec', '--add-to', 'keys.jwks'], dir);
    const server = await serve(['--key', 'keys.jwks'], dir);
    try {
      const doc = await (await fetch(`${server.url}/.well-known/openid-configuration`)).json();
      // One remote set for the whole rotation, as a resource server keeps it.
      const set = jose.createRemoteJWKSet(new URL(doc.jwks_uri), { cooldownDuration: 0 });
      const before = await verify('rotation: before', server.url, await token(server.url), server.url, set);
      check('rotation: the old key signs', before?.kid === old, JSON.stringify(before));
      const fresh = run(['keygen', '--type', 'ed25519', '--add-to', 'keys.jwks'], dir);
      run(['keyset', 'promote', 'keys.jwks', '--kid', fresh], dir);
      let signed = null;
      for (let i = 0; i < 50 && signed?.kid !== fresh; i += 1) {
        await new Promise((done) => setTimeout(done, 100));
        signed = jose.decodeProtectedHeader(await token(server.url));
      }
      const after = await verify('rotation: after promote', server.url, await token(server.url), server.url, set);
      check('rotation: the promoted key signs and jose refetches', after?.kid === fresh, JSON.stringify(after));
    } finally {
      await stop(server, 'rotation');
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function tls() {
  const dir = mkdtempSync(join(tmpdir(), 'jwtk-serve-jose-'));
  try {
    const server = await serve(['--tls', '--ca-out', 'ca.pem'], dir);
    try {
      // NODE_EXTRA_CA_CERTS is read when node starts: a second process trusts the CA.
      const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), jwtk, '--tls-issuer', server.url], {
        env: { PATH: process.env.PATH, NODE_EXTRA_CA_CERTS: join(dir, 'ca.pem') },
        encoding: 'utf8',
      });
      check('TLS with the throwaway CA', child.status === 0, `${child.stdout}${child.stderr}`);
    } finally {
      await stop(server, 'TLS');
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main() {
  if (process.argv[3] === '--tls-issuer') {
    const issuer = process.argv[4];
    await verify('HTTPS', issuer, await token(issuer), issuer);
  } else {
    await keyTypes();
    await rotation();
    await tls();
  }
  for (const failure of failures) console.log(`FAIL ${failure}`);
  if (process.argv[3] !== '--tls-issuer') {
    console.log(`jwtk serve + jose: ${results.checks - failures.length}/${results.checks} checks passed`);
  }
  process.exit(failures.length ? 1 : 0);
}

await main();
