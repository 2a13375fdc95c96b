// The reviewer's version audit and platform clock (/review/versions), on the sandbox server: an
// ISV submits a version, the reviewer rejects it with a reason the ISV reads on its order (still
// In Development), passes the resubmission (Under Approval), and moves the platform clock seven
// days forward, after which the approval timer completes the order. The automatic pass, switched
// on, passes the next submission by itself (and is switched off again). Every test makes its own
// merchant and order (a free Membership points template order from Cloudleaf, so it is In
// Development at once); the automatic pass and the clock are platform-wide, hence this folder.
import { Browser, Page } from '@playwright/test';
import { test, expect, hydrated, signUp, signIn, otherPerson, REVIEWER } from '../tests/fixtures';

const MEMBERSHIP = /Membership points template/;
const ISV = 'Hangzhou Cloudleaf Technology';
const DAY_MS = 24 * 60 * 60 * 1000;

/** A unique mini program name for this run. */
function miniProgramName(label: string) {
  return `${label} ${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}

/** A new merchant (its own browser) that orders the free Membership points template for a new
 * mini program named `miniProgram`: the order is In Development at once. */
async function merchantOrders(browser: Browser, baseURL: string, errors: string[], miniProgram: string) {
  const page = await otherPerson(browser, baseURL, errors);
  await signUp(page, 'auditshop');
  await hydrated(page);
  await page.getByRole('button', { name: 'Merchant' }).click();
  await expect(page).toHaveURL('/onboarding/merchant');
  await page.getByLabel('Merchant name').fill('Audit Test Shop');
  await page.getByLabel('Identity type').selectOption({ label: 'Enterprise' });
  await page.getByLabel('Certified name').fill('Hangzhou Audit Shop Ltd.');
  await page.getByLabel('Certificate number').fill('91350100M000100Y43');
  await page.getByRole('button', { name: 'Onboard as a merchant' }).click();
  await expect(page).toHaveURL('/console');

  await page.goto('/market');
  await page.getByRole('link', { name: MEMBERSHIP }).click();
  await expect(page.getByRole('heading', { level: 1, name: MEMBERSHIP })).toBeVisible();
  await page.getByRole('link', { name: 'Get now' }).click();
  await expect(page.getByRole('heading', { name: 'Order the service' })).toBeVisible();
  await hydrated(page);
  await page.getByRole('radio', { name: /30 days/ }).check();
  // The page asks the server again for the chosen plan; type once it has answered.
  await page.waitForLoadState('networkidle');
  await page.getByLabel('Mini program name').fill(miniProgram);
  await page.getByRole('button', { name: 'Create', exact: true }).click();
  await expect(page.getByRole('radio', { name: new RegExp(miniProgram) })).toBeChecked();
  await page.getByLabel('Contact name').fill('Wang Fang');
  await page.getByLabel('Contact mobile number').fill('13800138000');
  await page.getByRole('checkbox', { name: /I have read and agree to the/ }).check();
  await page.getByRole('button', { name: 'Order and authorize' }).click();
  await expect(page).toHaveURL(/\/my\/services/);
  await page.context().close();
}

/** The ISV (Cloudleaf) opens the order of `miniProgram` from its Orders list; its number. */
async function isvOpensOrder(page: Page, miniProgram: string): Promise<string> {
  await signIn(page, 'cloudleaf', 'Demo2026');
  await expect(page).toHaveURL('/console');
  await page.getByRole('link', { name: ISV }).click();
  await page.getByRole('link', { name: 'Orders', exact: true }).click();
  await page.getByLabel('Status').selectOption({ label: 'In Development' });
  await page.getByRole('button', { name: 'Search' }).click();
  await expect(page).toHaveURL(/status=in_development/);
  const row = page.getByRole('table', { name: 'Orders' }).getByRole('row').filter({ hasText: miniProgram });
  const number = (await row.getByRole('link').first().textContent())!.trim();
  expect(number).toMatch(/^\d{24}$/);
  await row.getByRole('link', { name: number }).click();
  await expect(page.getByRole('heading', { name: `Order number ${number}` })).toBeVisible();
  await hydrated(page);
  return number;
}

/** The ISV submits the built `version` for approval from the order's detail page. */
async function submitVersion(page: Page, version: string, notes: string) {
  await page.getByRole('button', { name: 'Submit', exact: true }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Version number').fill(version);
  await dialog.getByLabel('Version notes').fill(notes);
  await dialog.getByRole('button', { name: 'Submit', exact: true }).click();
  await expect(dialog).toHaveCount(0);
  await expect(page.getByText(new RegExp(`${version.replace(/\./g, '\\.')}\\s*·`)).first()).toBeVisible();
}

/** The order's status as its detail page shows it (the tag under the heading). */
function statusTag(page: Page, status: string) {
  return page.locator('.service-tags').getByText(status, { exact: true });
}

/** The reviewer, in a browser of its own, on the version audit page. */
async function reviewerOnAuditPage(browser: Browser, baseURL: string, errors: string[]) {
  const reviewer = await otherPerson(browser, baseURL, errors);
  await signIn(reviewer, REVIEWER.email, REVIEWER.password);
  await expect(reviewer).toHaveURL('/review');
  await reviewer.getByRole('link', { name: 'Version audit and platform clock' }).click();
  await expect(reviewer).toHaveURL('/review/versions');
  await expect(reviewer.getByRole('heading', { name: 'Version audit', exact: true })).toBeVisible();
  await hydrated(reviewer);
  return reviewer;
}

/** "7 d 0 h 0 min", as the page shows an offset. */
function offsetText(ms: number) {
  const minutes = Math.floor(ms / 60_000);
  return `${Math.floor(minutes / 1440)} d ${Math.floor((minutes % 1440) / 60)} h ${minutes % 60} min`;
}

test('a rejected version shows its reason to the ISV, a passed one moves the order on, and a moved clock completes it', async ({
  page,
  browser,
  baseURL,
  browserErrors,
}) => {
  test.setTimeout(180_000);
  const miniProgram = miniProgramName('Audit');
  await merchantOrders(browser, baseURL!, browserErrors, miniProgram);
  const number = await isvOpensOrder(page, miniProgram);
  await submitVersion(page, '1.0.0', 'First build: menu and cart.');
  await expect(page.getByText('Under Audit').first()).toBeVisible();

  // The reviewer's queue shows the version with its order.
  const reviewer = await reviewerOnAuditPage(browser, baseURL!, browserErrors);
  await expect(reviewer.getByRole('switch', { name: 'Pass audits automatically' })).not.toBeChecked();
  await expect(reviewer.getByText('Off: a reviewer passes or rejects each submission.')).toBeVisible();
  const first = reviewer.getByRole('listitem', { name: `${number} 1.0.0` });
  await expect(first).toContainText(number);
  await expect(first).toContainText(ISV);
  await expect(first).toContainText(miniProgram);
  await expect(first).toContainText('Membership points template');
  await expect(first).toContainText('Audit Test Shop');
  await expect(first).toContainText('First build: menu and cart.');
  await expect(first).toContainText(/\d{4}-\d{2}-\d{2} \d{2}:\d{2}/);

  // A rejection needs a reason: refused without one, and nothing changes.
  await first.getByRole('button', { name: 'Reject' }).click();
  await expect(first.getByText('Give the reason for rejecting the version; the ISV sees it.')).toBeVisible();
  await reviewer.reload();
  await expect(reviewer.getByRole('listitem', { name: `${number} 1.0.0` })).toBeVisible();
  await hydrated(reviewer);

  const reason = `The cart page crashes on checkout (${Date.now().toString(36)}).`;
  const again = reviewer.getByRole('listitem', { name: `${number} 1.0.0` });
  await again.getByLabel('Reason for rejecting (the ISV sees it)').fill(reason);
  await again.getByRole('button', { name: 'Reject' }).click();
  await expect(reviewer.getByRole('status').filter({ hasText: 'The version was rejected' })).toBeVisible();
  await expect(reviewer.getByRole('listitem', { name: `${number} 1.0.0` })).toHaveCount(0);

  // The ISV reads the reason (with the submission and in the timeline); still In Development.
  await page.reload();
  await expect(page.getByText('Audit Rejected').first()).toBeVisible();
  await expect(page.getByText(`Reason: ${reason}`)).toHaveCount(2);
  await expect(statusTag(page, 'In Development')).toBeVisible();
  await expect(page.locator('.timeline')).toContainText('Platform audit');
  await hydrated(page);

  // Resubmitted, then passed: Under Approval.
  await submitVersion(page, '1.0.1', 'Checkout fixed.');
  await reviewer.reload();
  await hydrated(reviewer);
  const second = reviewer.getByRole('listitem', { name: `${number} 1.0.1` });
  await expect(second).toContainText('Checkout fixed.');
  await second.getByRole('button', { name: 'Pass' }).click();
  await expect(reviewer.getByRole('status').filter({ hasText: 'The version passed the audit' })).toBeVisible();
  await expect(second).toHaveCount(0);
  await page.reload();
  await expect(statusTag(page, 'Under Approval')).toBeVisible();
  await expect(page.getByText('Audit Passed').first()).toBeVisible();

  // Seven days later the approval timer completes the order.
  const offset = reviewer.getByTestId('clock-offset');
  const before = Number(await offset.getAttribute('value'));
  const timeBefore = Number(await reviewer.getByTestId('platform-time').getAttribute('datetime'));
  await reviewer.getByLabel('Days').fill('7');
  await reviewer.getByRole('button', { name: 'Move forward' }).click();
  await expect(reviewer.getByRole('status').filter({ hasText: 'The platform clock moved forward' })).toBeVisible();
  await expect(offset).toHaveAttribute('value', String(before + 7 * DAY_MS));
  await expect(offset).toHaveText(offsetText(before + 7 * DAY_MS));
  const timeAfter = Number(await reviewer.getByTestId('platform-time').getAttribute('datetime'));
  expect(timeAfter - timeBefore).toBeGreaterThanOrEqual(7 * DAY_MS);
  await expect(async () => {
    await page.reload();
    await expect(statusTag(page, 'Completed')).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 20_000 });
  await expect(page.locator('.timeline')).toContainText('Completed');
  await reviewer.context().close();
});

test('with the automatic pass on, a submission passes by itself; the clock takes only valid steps', async ({
  page,
  browser,
  baseURL,
  browserErrors,
}) => {
  test.setTimeout(180_000);
  const miniProgram = miniProgramName('Auto');
  await merchantOrders(browser, baseURL!, browserErrors, miniProgram);
  const reviewer = await reviewerOnAuditPage(browser, baseURL!, browserErrors);
  const autoPass = reviewer.getByRole('switch', { name: 'Pass audits automatically' });
  try {
    await expect(autoPass).not.toBeChecked();
    await autoPass.click();
    await expect(reviewer.getByRole('status').filter({ hasText: 'Audits now pass automatically.' })).toBeVisible();
    await expect(autoPass).toBeChecked();
    await expect(reviewer.getByText('On: every new submission passes at once.')).toBeVisible();

    const number = await isvOpensOrder(page, miniProgram);
    await submitVersion(page, '2.0.0', 'Passes by itself.');
    await page.reload();
    await expect(statusTag(page, 'Under Approval')).toBeVisible();
    await expect(page.locator('.timeline')).toContainText('Platform audit (automatic)');
    // Nothing waits for a reviewer.
    await reviewer.reload();
    await expect(reviewer.getByRole('listitem', { name: `${number} 2.0.0` })).toHaveCount(0);
    await hydrated(reviewer);

    await autoPass.click();
    await expect(reviewer.getByRole('status').filter({ hasText: 'Automatic pass is off' })).toBeVisible();
    await expect(autoPass).not.toBeChecked();
  } finally {
    // Platform-wide: never leave it on for the tests after this one.
    await reviewer.request.post('/api/review/set_auto_audit', { form: { auto_pass: 'false' } });
  }

  // The clock refuses an empty step, one beyond 400 days and a negative number, and stays put.
  const offset = reviewer.getByTestId('clock-offset');
  const before = await offset.getAttribute('value');
  await reviewer.getByRole('button', { name: 'Move forward' }).click();
  await expect(reviewer.locator('#days-error')).toHaveText('Move the clock forward by 1 minute to 400 days.');
  await reviewer.getByLabel('Days').fill('401');
  await reviewer.getByRole('button', { name: 'Move forward' }).click();
  await expect(reviewer.locator('#days-error')).toHaveText('Move the clock forward by 1 minute to 400 days.');
  await expect(reviewer.getByLabel('Days')).toHaveAttribute('aria-invalid', 'true');
  await reviewer.getByLabel('Days').fill('');
  await reviewer.getByLabel('Minutes').fill('-5');
  await reviewer.getByRole('button', { name: 'Move forward' }).click();
  await expect(reviewer.locator('#minutes-error')).toHaveText('Enter a whole number, 0 or more.');
  await reviewer.reload();
  await expect(reviewer.getByTestId('clock-offset')).toHaveAttribute('value', before!);
  await reviewer.context().close();

  // Outside sandbox mode the page says so and offers no control.
  const mainURL = `http://127.0.0.1:${process.env.E2E_PORT ?? '3100'}`;
  const main = await otherPerson(browser, mainURL, browserErrors);
  await signIn(main, REVIEWER.email, REVIEWER.password);
  await expect(main).toHaveURL('/review');
  await main.goto('/review/versions');
  await expect(main.getByText('The platform clock can be moved only in sandbox mode (SANDBOX=true).')).toBeVisible();
  await expect(main.getByRole('button', { name: 'Move forward' })).toHaveCount(0);
  await expect(main.getByTestId('clock-offset')).toHaveText('Not moved');
  await main.context().close();
});
