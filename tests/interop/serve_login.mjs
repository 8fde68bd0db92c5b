// The login flow of `jwtk serve` driven by node's openid-client v6 (a certified relying-party
// library), its DPoP and private_key_jwt, with proofs and assertions also made by jose.
//
// Usage: node serve_login.mjs PATH/TO/jwtk   (openid-client and jose installed beside this
// file: .ci/run copies it into the temporary directory where npm installed them)
//
// 1. The authorization code flow as an app runs it: discovery, buildAuthorizationUrl with
//    PKCE, state and nonce, the redirect followed without a browser (no login page),
//    authorizationCodeGrant (state, iss, nonce and the ID token checked by openid-client; its
//    signature by jose against the discovered JWKS), fetchUserInfo, refreshTokenGrant.
// 2. Failures: a code used twice, a wrong verifier, a mismatched redirect URI, a reused
//    refresh token (which revokes the family) — each an OAuth error openid-client reports.
// 3. DPoP by openid-client's handle (token, userinfo, refresh) and by jose's proofs (a replayed
//    proof is invalid_dpop_proof).
// 4. private_key_jwt by openid-client's PrivateKeyJwt, and a replayed jose assertion refused.
// Exits non-zero, naming each failure, when anything does not interoperate.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as client from 'openid-client';
import * as jose from 'jose';
import * as harness from './serve_harness.mjs';

const jwtk = resolve(process.argv[2]);
const results = harness.tally();
const { check, failures } = results;
const servers = [];
const REDIRECT = 'http://localhost:3000/cb';

const serve = (args, cwd) => harness.serve(jwtk, ['-q', ...args], cwd, servers);
const stop = (server, name) => harness.stop(server, name, check);



/// The OAuth error code a failed openid-client call reports.
async function oauthError(promise) {
  try {
    await promise;
    return 'no error';
  } catch (err) {
    return err.error ?? err.code ?? String(err);
  }
}

/// Authorize as a browser would, without one: the redirect's URL.
async function login(config, params) {
  const url = client.buildAuthorizationUrl(config, params);
  const reply = await fetch(url, { redirect: 'manual' });
  if (reply.status !== 302) throw new Error(`/authorize answered ${reply.status}`);
  return new URL(reply.headers.get('location'));
}

async function pkce() {
  const verifier = client.randomPKCECodeVerifier();
  return { verifier, challenge: await client.calculatePKCECodeChallenge(verifier) };
}

async function codeFlow(dir) {
  writeFileSync(join(dir, 'users.json'), JSON.stringify({ users: { alice: { email: 'alice@example.com' } } }));
  const server = await serve(['--config', 'users.json'], dir);
  const issuer = new URL(server.url);
  const config = await client.discovery(issuer, 'web-app', undefined, client.None(), {
    execute: [client.allowInsecureRequests],
  });
  check('discovery: the issuer', config.serverMetadata().issuer === server.url);
  const { verifier, challenge } = await pkce();
  const state = client.randomState();
  const nonce = client.randomNonce();
  const params = {
    redirect_uri: REDIRECT,
    scope: 'openid offline_access',
    code_challenge: challenge,
    code_challenge_method: 'S256',
    state,
    nonce,
    login_hint: 'alice',
  };
  const back = await login(config, params);
  check('the redirect carries iss (RFC 9207)', back.searchParams.get('iss') === server.url);
  const tokens = await client.authorizationCodeGrant(config, back, {
    pkceCodeVerifier: verifier,
    expectedState: state,
    expectedNonce: nonce,
    idTokenExpected: true,
  });
  const claims = tokens.claims();
  check('the ID token: sub', claims.sub === 'alice', JSON.stringify(claims));
  check('the ID token: aud', claims.aud === 'web-app', JSON.stringify(claims));
  check('the ID token: nonce', claims.nonce === nonce);
  const jwks = jose.createRemoteJWKSet(new URL(config.serverMetadata().jwks_uri));
  try {
    await jose.jwtVerify(tokens.id_token, jwks, { issuer: server.url, audience: 'web-app' });
    await jose.jwtVerify(tokens.access_token, jwks, { issuer: server.url, typ: 'at+jwt' });
  } catch (err) {
    check('jose verifies the ID and access tokens', false, String(err));
  }
  const info = await client.fetchUserInfo(config, tokens.access_token, claims.sub);
  check('userinfo: the user\'s claims', info.email === 'alice@example.com', JSON.stringify(info));
  const renewed = await client.refreshTokenGrant(config, tokens.refresh_token);
  check('refresh: rotated', renewed.refresh_token && renewed.refresh_token !== tokens.refresh_token);
  check('refresh: a new ID token for the same user', renewed.claims()?.sub === 'alice');
  // Failures, as openid-client reports them.
  const again = await oauthError(client.authorizationCodeGrant(config, back, {
    pkceCodeVerifier: verifier,
    expectedState: state,
    expectedNonce: nonce,
  }));
  check('a code used twice is invalid_grant', again === 'invalid_grant', again);
  const reuse = await oauthError(client.refreshTokenGrant(config, tokens.refresh_token));
  check('a reused refresh token is invalid_grant', reuse === 'invalid_grant', reuse);
  const family = await oauthError(client.refreshTokenGrant(config, renewed.refresh_token));
  check('... and it revoked its family', family === 'invalid_grant', family);
  const wrong = await pkce();
  const second = await login(config, { ...params, code_challenge: wrong.challenge });
  const badVerifier = await oauthError(client.authorizationCodeGrant(config, second, {
    pkceCodeVerifier: verifier,
    expectedState: state,
    expectedNonce: nonce,
  }));
  check('a wrong code_verifier is invalid_grant', badVerifier === 'invalid_grant', badVerifier);
  const third = await login(config, params);
  const elsewhere = new URL(`http://localhost:3001/cb${third.search}`);
  const mismatch = await oauthError(client.authorizationCodeGrant(config, elsewhere, {
    pkceCodeVerifier: verifier,
    expectedState: state,
    expectedNonce: nonce,
  }));
  check('a mismatched redirect_uri is invalid_grant', mismatch === 'invalid_grant', mismatch);
  // DPoP by openid-client (oauth4webapi's proofs): the token endpoint, userinfo, refresh.
  const dpop = client.getDPoPHandle(config, await client.randomDPoPKeyPair('ES256'));
  const fourth = await login(config, params);
  const bound = await client.authorizationCodeGrant(
    config,
    fourth,
    { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce },
    undefined,
    { DPoP: dpop },
  );
  check('DPoP: token_type DPoP', bound.token_type?.toLowerCase() === 'dpop', bound.token_type);
  const cnf = jose.decodeJwt(bound.access_token).cnf;
  check('DPoP: cnf.jkt', typeof cnf?.jkt === 'string', JSON.stringify(cnf));
  const boundInfo = await client.fetchUserInfo(config, bound.access_token, 'alice', { DPoP: dpop });
  check('DPoP: userinfo', boundInfo.sub === 'alice');
  const boundRenewed = await client.refreshTokenGrant(config, bound.refresh_token, undefined, { DPoP: dpop });
  check('DPoP: refresh with the bound key', typeof boundRenewed.access_token === 'string');
  const unbound = await oauthError(client.refreshTokenGrant(config, boundRenewed.refresh_token));
  check('DPoP: a bound refresh token without a proof is invalid_dpop_proof', unbound === 'invalid_dpop_proof', unbound);
  // DPoP proofs by jose: accepted once, a replay refused.
  const { privateKey, publicKey } = await jose.generateKeyPair('ES256');
  const jwk = await jose.exportJWK(publicKey);
  const proof = await new jose.SignJWT({ htm: 'POST', htu: `${server.url}/token`, jti: crypto.randomUUID() })
    .setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', jwk })
    .setIssuedAt()
    .sign(privateKey);
  const form = 'grant_type=client_credentials&client_id=svc&client_secret=s';
  const post = () => fetch(`${server.url}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', DPoP: proof },
    body: form,
  });
  const first = await post();
  const firstBody = await first.json();
  check('jose proof: accepted', first.status === 200 && firstBody.token_type === 'DPoP', JSON.stringify(firstBody));
  check('jose proof: cnf.jkt is the key\'s RFC 7638 thumbprint',
    jose.decodeJwt(firstBody.access_token).cnf?.jkt === await jose.calculateJwkThumbprint(jwk));
  const replay = await post();
  const replayBody = await replay.json();
  check('jose proof: a replay is invalid_dpop_proof', replay.status === 400 && replayBody.error === 'invalid_dpop_proof', JSON.stringify(replayBody));
  await stop(server, 'code flow');
}

async function privateKeyJwt(dir) {
  const { privateKey, publicKey } = await jose.generateKeyPair('ES256', { extractable: true });
  const jwk = { ...(await jose.exportJWK(publicKey)), kid: 'k1', alg: 'ES256' };
  writeFileSync(join(dir, 'clients.json'), JSON.stringify({
    clients: [{ client_id: 'svc', jwk, redirect_uris: [REDIRECT] }],
  }));
  const server = await serve(['--config', 'clients.json'], dir);
  const config = await client.discovery(new URL(server.url), 'svc', undefined, client.PrivateKeyJwt({ key: privateKey, kid: 'k1' }), {
    execute: [client.allowInsecureRequests],
  });
  const granted = await client.clientCredentialsGrant(config, { scope: 'read' });
  check('private_key_jwt (openid-client): a token', typeof granted.access_token === 'string');
  // The code flow, authenticated the same way (PKCE optional for a confidential client).
  const state = client.randomState();
  const back = await login(config, { redirect_uri: REDIRECT, scope: 'openid', state, nonce: 'n1' });
  const tokens = await client.authorizationCodeGrant(config, back, { expectedState: state, expectedNonce: 'n1' });
  check('private_key_jwt: the code flow', tokens.claims()?.aud === 'svc');
  const assertion = await new jose.SignJWT({ jti: crypto.randomUUID() })
    .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
    .setIssuer('svc')
    .setSubject('svc')
    .setAudience(`${server.url}/token`)
    .setIssuedAt()
    .setExpirationTime('2m')
    .sign(privateKey);
  const body = new URLSearchParams({
    grant_type: 'client_credentials',
    client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
    client_assertion: assertion,
  });
  const post = () => fetch(`${server.url}/token`, { method: 'POST', body });
  const first = await post();
  check('jose assertion: accepted', first.status === 200, await first.text());
  const replay = await post();
  const replayBody = await replay.json();
  check('jose assertion: a replayed jti is invalid_client', replay.status === 401 && replayBody.error === 'invalid_client', JSON.stringify(replayBody));
  await stop(server, 'private_key_jwt');
}

const dir = mkdtempSync(join(tmpdir(), 'jwtk-login-'));
try {
  execFileSync(jwtk, ['--version'], { stdio: 'ignore' });
  await codeFlow(dir);
  await privateKeyJwt(dir);
} catch (err) {
  failures.push(`unexpected: ${err.stack ?? err}`);
} finally {
  // Those a failure left running.
  for (const proc of servers) if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
}
if (failures.length) {
  console.error(failures.join('\n'));
  console.error(`${results.checks - failures.length} passed, ${failures.length} failed`);
  process.exit(1);
}
console.log(`openid-client and jose drive jwtk serve's login flow: ${results.checks} checks`);
