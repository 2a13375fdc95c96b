#!/usr/bin/env node
// Benchmark of the open platform (not a timed test; numbers go to the README), in one run:
//   1. raw RSA-2048 SHA256withRSA signing rate on one core, the cost every notification and
//      every gateway answer pays once: of the platform's own Rust signer (`service-market
//      bench-sign`, the `open::sign` code the notification worker calls), and of Node's OpenSSL
//      for comparison;
//   2. signed notifications delivered per second by `serve`'s worker to a loopback receiver
//      that answers `success` at once: BENCH_NOTIFICATIONS pending notifications are put in the
//      outbox while the server is stopped, then timed from the restart to the last one received;
//   3. gateway `alipay.open.servicemarket.order.query` requests per second, made by the official
//      Node SDK (`alipay-sdk`, request signed, answer verified) with BENCH_CONCURRENCY in flight
//      for BENCH_SECONDS.
//
// Usage (from end2end/): SERVER_BIN=…/release/service-market node scripts/bench-open.mjs
import { execFileSync } from 'node:child_process';
import { createSign, generateKeyPairSync } from 'node:crypto';
import { AlipaySdk } from 'alipay-sdk';
import { demoDatabase, isvApp, serverBin, sleep, sqlite, startReceiver, startServer } from './open-platform-lib.mjs';

const NOTIFICATIONS = Number(process.env.BENCH_NOTIFICATIONS ?? 2000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const PORT = Number(process.env.PORT ?? 3591);

function signingRate() {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const content =
    'app_id=2021004100000001&charset=utf-8&notify_id=2026112200000000000000000001&notify_time=2026-11-22 12:00:00&notify_type=servicemarket_order_notify&version=1.0';
  let count = 0;
  const started = process.hrtime.bigint();
  const until = started + 3_000_000_000n;
  while (process.hrtime.bigint() < until) {
    createSign('RSA-SHA256').update(content, 'utf8').sign(privateKey, 'base64');
    count += 1;
  }
  return count / (Number(process.hrtime.bigint() - started) / 1e9);
}

const SIGNATURES = Number(process.env.BENCH_SIGNATURES ?? 2000);
// The platform's signer, in the release binary: `<rate> RSA-2048 signatures per second …`.
const rustLine = execFileSync(serverBin(), ['bench-sign', String(SIGNATURES)], { encoding: 'utf8' }).trim();
const rustPerSecond = Number(rustLine.split(' ')[0]);
if (!(rustPerSecond > 0)) throw new Error(`bench-sign printed ${JSON.stringify(rustLine)}`);
console.log(`RSA-2048 signatures per second (the platform's Rust signer, 1 thread): ${rustPerSecond.toFixed(0)} (${rustLine.split(': ')[1]})`);
const signsPerSecond = signingRate();
console.log(`RSA-2048 signatures per second (Node/OpenSSL, 1 core): ${signsPerSecond.toFixed(0)}`);

const db = demoDatabase();
const receiver = await startReceiver();
let { child } = await startServer(db.url, PORT);
process.on('exit', () => child.kill('SIGKILL'));
const base = `http://127.0.0.1:${PORT}`;
const app = await isvApp(base, 'cloudleaf', receiver.url);
receiver.verifyWith(app.platformPublicKey, app.appId);

// One real test notification is the template of the outbox filled while the server is down.
const template = await app.call('open/send_test_notification', { workspace_id: app.workspaceId, kind: '' });
while (!receiver.received.some((r) => r.notifyId === template.notify_id)) await sleep(20);
child.kill('SIGTERM');
await new Promise((resolve) => child.once('exit', resolve));
receiver.received.length = 0;
sqlite(
  db.file,
  `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${NOTIFICATIONS}) ` +
    `INSERT INTO notifications (notify_id, isv_workspace_id, notify_type, payload, is_test, status, attempts, next_attempt_at, created_at) ` +
    `SELECT 'bench' || printf('%08d', i), isv_workspace_id, notify_type, ` +
    `replace(payload, notify_id, 'bench' || printf('%08d', i)), 1, 'pending', 0, 0, created_at ` +
    `FROM notifications, n WHERE notify_id = '${template.notify_id}'`,
);
({ child } = await startServer(db.url, PORT));
const started = Date.now();
while (receiver.received.length < NOTIFICATIONS) {
  if (Date.now() - started > 300_000) throw new Error('notifications not delivered within 300 s');
  await sleep(5);
}
const deliverySeconds = (receiver.received.at(-1).at - started) / 1000;
if (receiver.received.some((r) => r.valid !== true)) throw new Error('a notification failed checkNotifySign');
console.log(
  `signed notifications delivered per second (loopback, worker batch of 32): ${(NOTIFICATIONS / deliverySeconds).toFixed(0)} ` +
    `(${NOTIFICATIONS} in ${deliverySeconds.toFixed(2)} s, every signature valid)`,
);

const orderNo = sqlite(db.file, `SELECT order_no FROM orders WHERE isv_workspace_id = ${app.workspaceId} LIMIT 1`);
const sdk = new AlipaySdk({
  appId: app.appId,
  privateKey: app.privateKey,
  alipayPublicKey: app.platformPublicKey,
  gateway: `${base}/gateway.do`,
});
let done = 0;
const until = Date.now() + SECONDS * 1000;
const queryStarted = Date.now();
await Promise.all(
  Array.from({ length: CONCURRENCY }, async () => {
    while (Date.now() < until) {
      const answer = await sdk.exec(
        'alipay.open.servicemarket.order.query',
        { bizContent: { commodity_order_id: orderNo } },
        { validateSign: true },
      );
      if (answer.code !== '10000') throw new Error(`order.query answered ${JSON.stringify(answer)}`);
      done += 1;
    }
  }),
);
const querySeconds = (Date.now() - queryStarted) / 1000;
console.log(
  `gateway order.query requests per second (Node SDK, ${CONCURRENCY} in flight, signed and verified): ${(done / querySeconds).toFixed(0)} ` +
    `(${done} in ${querySeconds.toFixed(1)} s)`,
);
// The summary, as the README's table.
console.log(
  [
    '',
    '| measure | per second |',
    '|---|---|',
    `| RSA-2048 signatures (the platform's Rust signer, \`service-market bench-sign\`, 1 thread) | ${rustPerSecond.toFixed(0)} |`,
    `| RSA-2048 signatures (Node/OpenSSL, 1 core) | ${signsPerSecond.toFixed(0)} |`,
    `| signed notifications delivered (loopback, worker batch of 32) | ${(NOTIFICATIONS / deliverySeconds).toFixed(0)} (${NOTIFICATIONS} in ${deliverySeconds.toFixed(2)} s) |`,
    `| gateway order.query (Node SDK, ${CONCURRENCY} in flight, signed and verified) | ${(done / querySeconds).toFixed(0)} (${done} in ${querySeconds.toFixed(1)} s) |`,
  ].join('\n'),
);
child.kill('SIGTERM');
receiver.server.close();
