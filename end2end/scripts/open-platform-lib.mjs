// Shared by the open platform scripts (kill -9 and benchmark): start the release server on a
// fresh SQLite database filled by `service-market demo`, sign in over the server functions, and a
// loopback application gateway that answers `success` and verifies every notification with the
// official Node SDK (npm `alipay-sdk`).
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AlipaySdk } from 'alipay-sdk';

export const DEMO_PASSWORD = 'Demo2026';

export function serverBin() {
  const bin = process.env.SERVER_BIN;
  if (!bin) throw new Error('SERVER_BIN must name the release server binary');
  return bin;
}

/** A fresh SQLite database with the demo data. */
export function demoDatabase() {
  const dir = mkdtempSync(join(tmpdir(), 'service-market-open-'));
  const url = `sqlite:${join(dir, 'open.db')}`;
  execFileSync(serverBin(), ['demo'], { env: { ...process.env, DATABASE_URL: url }, stdio: 'ignore' });
  return { url, file: join(dir, 'open.db') };
}

/** Starts `service-market serve` on `port` and resolves once /healthz answers. */
export async function startServer(databaseUrl, port, extraEnv = {}) {
  const taken = await fetch(`http://127.0.0.1:${port}/healthz`).then(() => true, () => false);
  if (taken) throw new Error(`port ${port} is already in use`);
  const child = spawn(serverBin(), ['serve'], {
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      LEPTOS_SITE_ADDR: `127.0.0.1:${port}`,
      LEPTOS_ENV: 'DEV',
      RUST_LOG: 'warn',
      ...extraEnv,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i += 1) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${base}/healthz`)).ok) return { child, base };
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill('SIGKILL');
  throw new Error('the server did not answer /healthz within 30 s');
}

/** A server function client with the session cookie of `login`. */
export async function signIn(base, login) {
  let cookie = '';
  const call = async (endpoint, form = {}) => {
    const response = await fetch(`${base}/api/${endpoint}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: cookie },
      body: new URLSearchParams(form),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${endpoint}: HTTP ${response.status} ${text}`);
    const set = response.headers.getSetCookie().map((c) => c.split(';')[0]);
    if (set.length > 0) cookie = set.join('; ');
    return JSON.parse(text);
  };
  await call('auth/sign_in', { login, password: DEMO_PASSWORD });
  return call;
}

/** The demo ISV `login`'s workspace with a generated app key pair and the gateway `gatewayUrl`. */
export async function isvApp(base, login, gatewayUrl) {
  const call = await signIn(base, login);
  const mine = await call('console/workspaces');
  const workspaceId = String(mine.workspaces.find((w) => w.kind === 'isv').id);
  const pair = await call('open/generate_app_key_pair', { workspace_id: workspaceId });
  await call('open/set_gateway_url', { workspace_id: workspaceId, gateway_url: gatewayUrl });
  return {
    call,
    workspaceId,
    appId: pair.settings.app_id,
    privateKey: pair.private_key_pkcs1_pem,
    platformPublicKey: pair.settings.platform_public_key,
  };
}

/**
 * A loopback application gateway: answers `success` after `delayMs` and records each
 * notification's notify_id and whether the SDK's checkNotifySign accepted it.
 */
export async function startReceiver({ delayMs = 0 } = {}) {
  const received = [];
  let verifier = null;
  const server = createServer(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    const fields = Object.fromEntries(new URLSearchParams(body));
    received.push({
      notifyId: fields.notify_id,
      valid: verifier ? verifier.checkNotifySign(fields) : null,
      at: Date.now(),
    });
    if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
    res.writeHead(200, { 'Content-Type': 'text/plain' });
    res.end('success');
  });
  server.keepAliveTimeout = 60_000;
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    server,
    received,
    url: `http://127.0.0.1:${server.address().port}/alipay/notify`,
    /** Verify every notification from now on with the platform public key. */
    verifyWith(platformPublicKey, appId) {
      verifier = new AlipaySdk({ appId, privateKey: 'unused', alipayPublicKey: platformPublicKey });
    },
  };
}

/** Runs an SQL query on the SQLite database file and returns its rows as text lines. */
export function sqlite(file, sql) {
  return execFileSync('sqlite3', ['-cmd', '.timeout 10000', file, sql], { encoding: 'utf8' }).trim();
}

export function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Puts `count` pending, due notifications in the outbox (the server must be stopped): copies of
 * the notification `templateNotifyId`, each with its own notify_id (`prefix` + 8 digits).
 */
export function fillOutbox(file, templateNotifyId, count, prefix) {
  sqlite(
    file,
    `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${count}) ` +
      'INSERT INTO notifications (notify_id, isv_workspace_id, notify_type, msg_method, payload, is_test, status, attempts, next_attempt_at, created_at) ' +
      `SELECT '${prefix}' || printf('%08d', i), isv_workspace_id, notify_type, msg_method, ` +
      `replace(payload, notify_id, '${prefix}' || printf('%08d', i)), 1, 'pending', 0, 0, created_at ` +
      `FROM notifications, n WHERE notify_id = '${templateNotifyId}'`,
  );
}
