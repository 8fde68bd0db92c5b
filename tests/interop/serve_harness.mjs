// What the node interop scripts of `jwtk serve` share: a tally of checks, and starting and
// stopping the server (its issuer URL is the first line on its stdout).

import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

// Checks counted, failures named: `check(name, ok, detail)`.
export function tally() {
  const results = { checks: 0, failures: [] };
  results.check = (name, ok, detail = '') => {
    results.checks += 1;
    if (!ok) results.failures.push(`${name}: ${detail}`);
  };
  return results;
}

// Start `jwtk serve --addr 127.0.0.1:0 ARGS` in `cwd`; `{ url, proc }` once the issuer URL is
// out. Each process is also pushed on `started`, so a failure can kill what it left running.
export async function serve(jwtk, args, cwd, started = []) {
  const proc = spawn(jwtk, ['serve', '--addr', '127.0.0.1:0', ...args], {
    cwd,
    env: { PATH: process.env.PATH },
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  started.push(proc);
  const lines = createInterface({ input: proc.stdout });
  const url = await new Promise((done, fail) => {
    lines.once('line', done);
    proc.once('exit', (code) => fail(new Error(`jwtk serve ${args} exited ${code}`)));
  });
  return { url: url.trim(), proc };
}

// SIGTERM the server and check that it exits 0.
export async function stop(server, name, check) {
  const exited = new Promise((done) => server.proc.once('exit', done));
  server.proc.kill('SIGTERM');
  check(`${name}: SIGTERM exits 0`, (await exited) === 0);
}
