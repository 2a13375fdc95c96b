#!/usr/bin/env node
// kill -9 in the middle of deliveries loses nothing.
//
// Starts the release server on a fresh SQLite demo database, points the demo ISV's application
// gateway at a loopback receiver (answers `success` after DELAY_MS ms, checks each signature with
// the Node SDK), queues COUNT notifications, kills the server with SIGKILL once about a third of
// them arrived, starts it again on the same database and waits until every notification is
// delivered. It then checks:
//   - every queued notify_id reached the receiver, with a valid signature;
//   - the database has every notification `delivered`, none pending or failed;
//   - a notify_id received more than once was in flight at the kill (at-least-once: the
//     platform may repeat an attempt whose answer it never recorded, always with the same
//     notify_id, which is how the ISV de-duplicates), and no notification that the database
//     had already recorded as delivered before the kill was sent again.
//
// Usage (from end2end/): SERVER_BIN=…/release/service-market node scripts/kill9-notifications.mjs
// Environment: COUNT (default 300), DELAY_MS (default 1000), PORT (default 3590).
import {
  demoDatabase,
  fillOutbox,
  isvApp,
  sleep,
  sqlite,
  startReceiver,
  startServer,
} from './open-platform-lib.mjs';

const COUNT = Number(process.env.COUNT ?? 300);
const DELAY_MS = Number(process.env.DELAY_MS ?? 1000);
const PORT = Number(process.env.PORT ?? 3590);
// Short timeout, so the lease of a killed server's claims (2 × timeout + 30 s) ends sooner.
const SERVER_ENV = { NOTIFY_TIMEOUT_SECS: '2' };

function fail(message) {
  console.error(`FAIL: ${message}`);
  process.exit(1);
}

const db = demoDatabase();
const receiver = await startReceiver({ delayMs: DELAY_MS });
let { child } = await startServer(db.url, PORT, SERVER_ENV);
process.on('exit', () => child.kill('SIGKILL'));
const base = `http://127.0.0.1:${PORT}`;
const app = await isvApp(base, 'cloudleaf', receiver.url);
receiver.verifyWith(app.platformPublicKey, app.appId);

// One real test notification is the template of the outbox, filled while the server is stopped
// (on SQLite, open/send_test_notification answers HTTP 500 now and then while the worker writes
// its attempts: "database is locked (code: 517)", SQLITE_BUSY_SNAPSHOT, a deferred transaction
// that read before another connection's write committed; an open server bug). On restart the worker delivers 32 side by side, each answered after DELAY_MS.
const template = await app.call('open/send_test_notification', { workspace_id: app.workspaceId, kind: '' });
while (!receiver.received.some((r) => r.notifyId === template.notify_id)) await sleep(20);
child.kill('SIGTERM');
await new Promise((resolve) => child.once('exit', resolve));
receiver.received.length = 0;
fillOutbox(db.file, template.notify_id, COUNT, 'kill9');
const expected = new Set(Array.from({ length: COUNT }, (_, i) => `kill9${String(i + 1).padStart(8, '0')}`));
({ child } = await startServer(db.url, PORT, SERVER_ENV));
console.log(`queued ${expected.size} notifications`);

while (new Set(receiver.received.map((r) => r.notifyId)).size < expected.size / 3) await sleep(5);
child.kill('SIGKILL');
await new Promise((resolve) => child.once('exit', resolve));
const atKill = new Set(receiver.received.map((r) => r.notifyId));
const deliveredBeforeKill = new Set(
  sqlite(db.file, "SELECT notify_id FROM notifications WHERE status = 'delivered'").split('\n').filter(Boolean),
);
const claimedAtKill = Number(sqlite(db.file, 'SELECT COUNT(*) FROM notifications WHERE claimed_by IS NOT NULL'));
console.log(
  `kill -9 after ${atKill.size} received; ${deliveredBeforeKill.size} recorded delivered, ${claimedAtKill} claimed (in flight)`,
);
const receivedBeforeRestart = receiver.received.length;

const started = Date.now();
({ child } = await startServer(db.url, PORT, SERVER_ENV));
const pendingSql = `SELECT COUNT(*) FROM notifications WHERE status <> 'delivered' AND isv_workspace_id = ${app.workspaceId} AND notify_id LIKE 'kill9%'`;
while (Number(sqlite(db.file, pendingSql)) > 0) {
  if (Date.now() - started > 120_000) fail('notifications still undelivered 120 s after the restart');
  await sleep(200);
}
console.log(`restarted: every notification delivered ${((Date.now() - started) / 1000).toFixed(1)} s later`);
child.kill('SIGTERM');
await new Promise((resolve) => child.once('exit', resolve));
receiver.server.close();

const counts = new Map();
for (const r of receiver.received) counts.set(r.notifyId, (counts.get(r.notifyId) ?? 0) + 1);
const missing = [...expected].filter((id) => !counts.has(id));
if (missing.length > 0) fail(`${missing.length} notifications never reached the receiver: ${missing.slice(0, 5)}`);
const invalid = receiver.received.filter((r) => r.valid !== true);
if (invalid.length > 0) fail(`${invalid.length} notifications failed checkNotifySign`);
const repeated = [...counts].filter(([, n]) => n > 1).map(([id]) => id);
const resentAfterRecord = repeated.filter(
  (id) => deliveredBeforeKill.has(id) && receiver.received.slice(receivedBeforeRestart).some((r) => r.notifyId === id),
);
if (resentAfterRecord.length > 0) fail(`${resentAfterRecord.length} notifications recorded delivered were sent again`);
const statuses = sqlite(
  db.file,
  `SELECT status, COUNT(*) FROM notifications WHERE notify_id LIKE 'kill9%' GROUP BY status`,
);
if (statuses !== `delivered|${expected.size}`) fail(`database statuses: ${statuses}`);
console.log(
  `OK: ${expected.size} notifications, ${expected.size} delivered, 0 lost; ${receiver.received.length} requests received, ` +
    `${repeated.length} notify_ids repeated (in flight at the kill, same notify_id), all signatures valid`,
);
