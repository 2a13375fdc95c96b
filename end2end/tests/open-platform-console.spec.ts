// The open platform's console pages (issue 6): a new ISV, approved for the test, sets its
// application gateway (a loopback receiver that answers `success`) and its app public key in
// Open platform settings, generates a key pair whose private key is shown once, then follows a
// test notification in Notifications, redelivers it and checks its signature with the tool.
// Desktop only: one run is enough, and the ISV console is a desktop tool.
import { createPublicKey } from 'node:crypto';
import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import type { Page } from '@playwright/test';
import { test, expect, hydrated, signUp, signIn, mailedLink, otherPerson, REVIEWER } from './fixtures';

type Received = { body: string; params: Record<string, string> };

/** The ISV's application gateway: answers `success` and keeps every notification's raw body. */
async function startReceiver(): Promise<{ server: Server; url: string; received: Received[] }> {
  const received: Received[] = [];
  const server = createServer(async (req: IncomingMessage, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    received.push({ body, params: Object.fromEntries(new URLSearchParams(body)) });
    res.writeHead(200, { 'Content-Type': 'text/plain' });
    res.end('success');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}/alipay/notify`, received };
}

/** A new ISV whose application the reviewer approves; returns its workspace's id. */
async function approvedIsv(page: Page, reviewer: Page, company: string): Promise<string> {
  const isv = await signUp(page, 'openisv');
  await hydrated(page);
  await page.getByRole('button', { name: 'ISV' }).click();
  await expect(page).toHaveURL('/onboarding/isv');
  await hydrated(page);
  await page.getByLabel('Company Name').fill(company);
  await page.getByLabel('Business Address').fill('88 Century Avenue, Shanghai');
  await page.getByLabel('Country/Region').selectOption('SG');
  await page.getByLabel('Business Representative').fill('Lin Yue');
  await page.getByRole('checkbox', { name: /Terms of Service and Privacy Policy/ }).check();
  await page.getByRole('button', { name: 'Submit' }).click();
  await expect(page).toHaveURL('/console');

  await signIn(reviewer, REVIEWER.email, REVIEWER.password);
  await expect(reviewer).toHaveURL('/review');
  await hydrated(reviewer);
  await reviewer.getByRole('listitem', { name: company }).getByRole('button', { name: 'Approve' }).click();
  await expect(reviewer.getByRole('status').filter({ hasText: 'Approved.' })).toBeVisible();
  const link = await mailedLink(page.request, isv.email, '/console/workspaces/');
  return link.split('/').pop()!;
}

test('an ISV sets up its open platform in the console and follows its notifications', async ({ page, browser, baseURL, browserErrors }, testInfo) => {
  test.skip(testInfo.project.name !== 'desktop', 'the ISV console: one run on desktop is enough');
  test.setTimeout(120_000);
  const receiver = await startReceiver();
  try {
    const reviewer = await otherPerson(browser, baseURL!, browserErrors);
    const workspaceId = await approvedIsv(page, reviewer, `Open Gate Labs ${Date.now().toString(36)}`);

    // The tabs lead from Service Management to the open platform.
    await page.goto(`/console/workspaces/${workspaceId}/services`);
    await hydrated(page);
    await page.getByRole('navigation', { name: 'Service Management' }).getByRole('link', { name: 'Open platform' }).click();
    await expect(page).toHaveURL(`/console/workspaces/${workspaceId}/open-platform`);
    await expect(page.getByRole('heading', { name: 'Open platform settings', level: 1 })).toBeVisible();
    const tabs = page.getByRole('navigation', { name: 'Service Management' });
    await expect(tabs.getByRole('link', { name: 'Open platform' })).toHaveAttribute('aria-current', 'page');
    await expect(tabs.getByRole('link', { name: 'Overview' })).not.toHaveAttribute('aria-current', 'page');
    await expect(page.locator('#app-id')).toHaveText(/^2021\d{12}$/);
    const appId = await page.locator('#app-id').textContent();
    await expect(page.locator('#platform-public-key')).toHaveText(/^MIIBIjAN/);
    await expect(page.locator('#current-gateway')).toHaveText('Not set');
    await expect(page.locator('#current-app-public-key')).toHaveText('Not set');

    // A bad gateway URL: the field's message, and nothing is saved.
    const gateway = page.getByLabel('Application gateway (应用网关)', { exact: true });
    await gateway.fill('ftp://example.com/notify');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect(page.locator('#gateway_url-error')).toHaveText(
      'Enter the gateway as a full address, like https://api.example.com/alipay/gateway.',
    );
    await expect(gateway).toHaveAttribute('aria-invalid', 'true');
    await page.reload();
    await hydrated(page);
    await expect(page.locator('#current-gateway')).toHaveText('Not set');
    await expect(page.locator('#app-id')).toHaveText(appId!);

    // A good one (the receiver) is saved.
    await gateway.fill(receiver.url);
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible();
    await expect(page.locator('#current-gateway')).toHaveText(receiver.url);
    await expect(page.locator('#gateway_url-error')).toHaveCount(0);

    // A bad app public key is refused with its reason.
    await page.getByLabel('New app public key').fill('not a key');
    await page.getByRole('button', { name: 'Save the public key' }).click();
    await expect(page.locator('#app_public_key-error')).toHaveText(
      'Paste the key as PEM (-----BEGIN PUBLIC KEY-----…) or as the bare Base64 text the key tool shows.',
    );
    await expect(page.locator('#current-app-public-key')).toHaveText('Not set');

    // Generate a key pair: the private key is shown once, its pair becomes the app public key.
    await page.getByRole('button', { name: 'Generate a key pair' }).click();
    const privateKey = page.getByLabel(/^Private key, PKCS#1/);
    await expect(privateKey).toHaveValue(/^-----BEGIN RSA PRIVATE KEY-----/);
    await expect(page.getByLabel(/^Private key, PKCS#8/)).toHaveValue(/^-----BEGIN PRIVATE KEY-----/);
    await expect(page.getByRole('alert').filter({ hasText: 'It is shown only this once' })).toBeVisible();
    const publicKey = createPublicKey(await privateKey.inputValue())
      .export({ type: 'spki', format: 'der' })
      .toString('base64');
    await expect(page.locator('#current-app-public-key')).toHaveText(publicKey);
    // A private key pasted as the public key is refused (and the private key stays on screen).
    await page.getByLabel('New app public key').fill(await privateKey.inputValue());
    await page.getByRole('button', { name: 'Save the public key' }).click();
    await expect(page.locator('#app_public_key-error')).toHaveText(
      'This is a private key. Keep it secret and paste the public key here.',
    );
    await expect(privateKey).toBeVisible();
    // Reloading does not show it again; the app public key stays set.
    await page.reload();
    await hydrated(page);
    await expect(page.locator('#current-app-public-key')).toHaveText(publicKey);
    await expect(page.getByLabel(/^Private key, PKCS#1/)).toHaveCount(0);
    await expect(page.getByText('BEGIN RSA PRIVATE KEY')).toHaveCount(0);

    // Notifications: a test notification is delivered to the receiver, which answered success.
    await page.getByRole('navigation', { name: 'Service Management' }).getByRole('link', { name: 'Notifications' }).click();
    await expect(page).toHaveURL(`/console/workspaces/${workspaceId}/notifications`);
    await hydrated(page);
    await expect(page.getByText('No notifications yet.')).toBeVisible();
    await page.getByRole('button', { name: 'Send a test notification' }).click();
    const queued = page.getByRole('status').filter({ hasText: 'Test notification' });
    await expect(queued).toBeVisible();
    const notifyId = (await queued.textContent())!.match(/Test notification (\S+) queued/)![1];
    const card = page.getByRole('listitem', { name: `servicemarket_order_notify ${notifyId}` });
    await expect(card).toContainText('Delivered', { timeout: 15_000 });
    await expect(card).toContainText('Attempts: 1');
    await expect(card).toContainText('HTTP 200 · success');
    await expect(card).toContainText(`app_id: ${appId}`);
    await expect.poll(() => receiver.received.filter((r) => r.params.notify_id === notifyId).length).toBe(1);
    // Its payload opens below it.
    await card.getByText('Payload', { exact: true }).click();
    await expect(card.getByText(`notify_id=${notifyId}`)).toBeVisible();

    // Redeliver: sent again with the same notify_id, one more attempt, without a reload.
    await card.getByRole('button', { name: 'Redeliver' }).click();
    await expect(card).toContainText('Attempts: 2', { timeout: 15_000 });
    await expect(card).toContainText('Delivered');
    await expect.poll(() => receiver.received.filter((r) => r.params.notify_id === notifyId).length).toBe(2);

    // The signature check tool: the notification as received verifies with the platform key;
    // changed on the way, it does not.
    const received = receiver.received.find((r) => r.params.notify_id === notifyId)!;
    expect(received.params.sign).toBeTruthy();
    await page.getByLabel('Notification (with sign)').fill(received.body);
    await page.getByRole('button', { name: 'Check', exact: true }).click();
    await expect(page.getByRole('status').filter({ hasText: /^Valid signature/ })).toContainText(
      'Verified with the current platform public key',
    );
    const other = notifyId.endsWith('9') ? '8' : '9';
    const tampered = received.body.replace(`notify_id=${notifyId}`, `notify_id=${notifyId.slice(0, -1)}${other}`);
    expect(tampered).not.toBe(received.body);
    await page.getByLabel('Notification (with sign)').fill(tampered);
    await page.getByRole('button', { name: 'Check', exact: true }).click();
    await expect(page.getByRole('status').filter({ hasText: /^Invalid signature/ })).toContainText(
      'No key and content rule verifies this sign',
    );

    // Only members see the settings; a Developer sees them read-only.
    const invitee = await otherPerson(browser, baseURL!, browserErrors);
    const developer = await signUp(invitee, 'opendev');
    await invitee.goto(`/console/workspaces/${workspaceId}/open-platform`);
    await expect(invitee.getByRole('alert')).toHaveText('Not found.');
    await page.goto(`/console/workspaces/${workspaceId}`);
    await hydrated(page);
    const invite = page.locator('form.invite-form');
    await invite.getByLabel('Email').fill(developer.email);
    await invite.getByLabel('Role').selectOption({ label: 'Developer' });
    await invite.getByRole('button', { name: 'Send invitation' }).click();
    await expect(page.getByRole('status')).toContainText('The invitation was sent.');
    await invitee.goto(await mailedLink(page.request, developer.email, '/invitations/'));
    await hydrated(invitee);
    await invitee.getByRole('button', { name: 'Accept invitation' }).click();
    await expect(invitee).toHaveURL(/\/console\/workspaces\/\d+$/);
    await invitee.goto(`/console/workspaces/${workspaceId}/open-platform`);
    await expect(invitee.getByRole('note')).toHaveText(
      'You can see these settings; only the workspace Owner or an Admin can change them.',
    );
    await expect(invitee.locator('#app-id')).toHaveText(appId!);
    await expect(invitee.locator('#current-gateway')).toHaveText(receiver.url);
    await expect(invitee.locator('#current-app-public-key')).toHaveText(publicKey);
    await expect(invitee.getByRole('button', { name: 'Generate a key pair' })).toHaveCount(0);
    await expect(invitee.getByRole('button', { name: 'Save', exact: true })).toHaveCount(0);
    await expect(invitee.getByLabel('New app public key')).toHaveCount(0);
  } finally {
    receiver.server.close();
  }
});
