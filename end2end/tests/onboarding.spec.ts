// ISV onboarding end to end (seed 003): sign up, choose ISV, the business information with its
// logo, the reviewer's queue, the approval email, and the active workspace where the applicant
// is Owner; a turn-down and its resubmission; members and invitations.
import { test, expect, hydrated, signUp, signIn, mailedLink, otherPerson, REVIEWER, PNG_1X1 } from './fixtures';
import type { Page } from '@playwright/test';

/** Signs up a new ISV and opens the business information form. */
async function newIsv(page: Page, label: string) {
  const account = await signUp(page, label);
  await hydrated(page);
  await page.getByRole('button', { name: 'ISV' }).click();
  await expect(page).toHaveURL('/onboarding/isv');
  await expect(page.getByRole('heading', { name: 'Business information' })).toBeVisible();
  return account;
}

/** Fills every field of the business form with good values. */
async function fillBusinessForm(page: Page, company: string) {
  await page.getByLabel('Company Name').fill(company);
  await page.getByLabel('Business Address').fill('1 Marina Boulevard, Singapore 018989');
  await page.getByLabel('Country/Region').selectOption('SG');
  await page.getByLabel('Business Representative').fill('Tan Mei Ling');
  await page.getByLabel('(Optional) Business Logo').setInputFiles({ name: 'logo.png', mimeType: 'image/png', buffer: PNG_1X1 });
  await page.getByLabel('(Optional) Website').fill('https://www.example.com');
  await page.getByLabel('(Optional) Customer Service Number').fill('+65 6123 4567');
  await page.getByLabel('(Optional) Customer Service Email').fill('help@example.com');
  await page.getByRole('checkbox', { name: /Terms of Service and Privacy Policy/ }).check();
}

/** The reviewer signs in (in its own browser) and opens the queue. */
async function reviewerQueue(page: Page) {
  await signIn(page, REVIEWER.email, REVIEWER.password);
  await expect(page).toHaveURL('/review');
  await expect(page.getByRole('link', { name: 'Review', exact: true })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Review queue' })).toBeVisible();
  await hydrated(page);
}

test('an ISV onboards: business form, review, approval email, active workspace as Owner', async ({ page, browser, baseURL, browserErrors }) => {
  const isv = await newIsv(page, 'isv');
  const company = `Lion City Apps ${Date.now().toString(36)}`;

  // Bad input: a message beside each field, and nothing is created.
  await page.getByLabel('(Optional) Website').fill('www.example');
  await page.getByLabel('(Optional) Business Logo').setInputFiles({ name: 'logo.png', mimeType: 'image/png', buffer: Buffer.from('not an image') });
  await page.getByRole('button', { name: 'Submit' }).click();
  await expect(page.locator('#company_name-error')).toHaveText('Company Name is required.');
  await expect(page.locator('#business_address-error')).toHaveText('Business Address is required.');
  await expect(page.locator('#country_region-error')).toHaveText('Select a Country/Region.');
  await expect(page.locator('#business_representative-error')).toHaveText('Business Representative is required.');
  await expect(page.locator('#logo-error')).toHaveText('The Business Logo must be a PNG or JPG image.');
  await expect(page.locator('#website-error')).toContainText('starting with http:// or https://');
  await expect(page.locator('#agree_terms-error')).toHaveText('Read and agree to the Terms of Service and Privacy Policy to submit.');
  await expect(page).toHaveURL('/onboarding/isv');
  await page.goto('/console');
  await expect(page.getByText('You have no workspace yet.')).toBeVisible();
  await page.getByRole('link', { name: 'Submit your business information' }).click();
  await expect(page).toHaveURL('/onboarding/isv');
  await hydrated(page);

  await fillBusinessForm(page, company);
  await page.getByRole('button', { name: 'Submit' }).click();
  await expect(page).toHaveURL('/console');
  const card = page.getByRole('list', { name: 'Workspaces' }).getByRole('listitem').filter({ hasText: company });
  await expect(card.getByRole('heading', { name: company })).toBeVisible();
  await expect(card.getByText('Under Review')).toBeVisible();

  // The reviewer sees every detail, the logo included, and approves.
  const reviewer = await otherPerson(browser, baseURL!, browserErrors);
  await reviewerQueue(reviewer);
  const application = reviewer.getByRole('listitem', { name: company });
  await expect(application.getByText('Tan Mei Ling')).toBeVisible();
  await expect(application.getByText('Singapore', { exact: true })).toBeVisible();
  await expect(application.getByText('https://www.example.com')).toBeVisible();
  await expect(application.getByText(isv.email)).toBeVisible();
  await expect(application.getByRole('img', { name: 'Current logo' })).toHaveJSProperty('naturalWidth', 1);
  await application.getByRole('button', { name: 'Approve' }).click();
  await expect(reviewer.getByRole('status').filter({ hasText: 'Approved.' })).toBeVisible();
  await expect(reviewer.getByRole('listitem', { name: company })).toHaveCount(0);

  // The approval email links to the onboarding details: an active workspace, its Owner.
  const link = await mailedLink(page.request, isv.email, '/console/workspaces/');
  await page.goto(link);
  await expect(page.getByRole('heading', { name: company, level: 1 })).toBeVisible();
  await expect(page.getByText('Active', { exact: true })).toBeVisible();
  await expect(page.getByText('Your role: Owner')).toBeVisible();
  await expect(page.getByText('Tan Mei Ling')).toBeVisible();
  await page.goto('/console');
  await expect(card.getByText('Active')).toBeVisible();
  await expect(card.getByText('Your role: Owner')).toBeVisible();
});

test('a turned-down application shows the reason and can be edited and resubmitted', async ({ page, browser, baseURL, browserErrors }) => {
  await newIsv(page, 'isvdown');
  const company = `Harbour Labs ${Date.now().toString(36)}`;
  await fillBusinessForm(page, company);
  await page.getByRole('button', { name: 'Submit' }).click();
  await expect(page).toHaveURL('/console');

  const reviewer = await otherPerson(browser, baseURL!, browserErrors);
  await reviewerQueue(reviewer);
  const application = reviewer.getByRole('listitem', { name: company });
  // A turn-down needs a reason.
  await application.getByRole('button', { name: 'Turn down' }).click();
  await expect(application.locator('.field-error')).toHaveText(
    'Enter the reason for turning the application down; the applicant will see it.',
  );
  await application.getByLabel('Reason for turning down').fill('The business address must match the registration certificate.');
  await application.getByRole('button', { name: 'Turn down' }).click();
  await expect(reviewer.getByRole('status').filter({ hasText: 'Turned down.' })).toBeVisible();

  await page.reload();
  const card = page.getByRole('listitem').filter({ hasText: company });
  await expect(card.getByText('Turned Down')).toBeVisible();
  await expect(card.getByText('must match the registration certificate')).toBeVisible();
  await hydrated(page);
  await card.getByRole('link', { name: 'Edit and resubmit' }).click();
  await expect(page).toHaveURL('/onboarding/isv');
  await expect(page.getByRole('alert')).toContainText('must match the registration certificate');
  await expect(page.getByLabel('Company Name')).toHaveValue(company);
  await expect(page.getByLabel('Country/Region')).toHaveValue('SG');
  await expect(page.getByRole('img', { name: 'Current logo' })).toBeVisible();
  await hydrated(page);
  await page.getByLabel('Business Address').fill('2 Marina Boulevard, Singapore 018987');
  await page.getByRole('checkbox', { name: /Terms of Service and Privacy Policy/ }).check();
  await page.getByRole('button', { name: 'Submit' }).click();
  await expect(page).toHaveURL('/console');
  await expect(card.getByText('Under Review')).toBeVisible();

  await reviewer.reload();
  const again = reviewer.getByRole('listitem', { name: company });
  await expect(again.getByText('2 Marina Boulevard')).toBeVisible();
  await expect(again.getByText('Earlier turn-downs: 1')).toBeVisible();
});

test('the Owner invites a developer, who accepts by the emailed link; the Owner removes them', async ({ page, browser, baseURL, browserErrors }) => {
  await newIsv(page, 'owner');
  const company = `Invite Works ${Date.now().toString(36)}`;
  await fillBusinessForm(page, company);
  await page.getByRole('button', { name: 'Submit' }).click();
  await expect(page).toHaveURL('/console');
  const reviewer = await otherPerson(browser, baseURL!, browserErrors);
  await reviewerQueue(reviewer);
  await reviewer.getByRole('listitem', { name: company }).getByRole('button', { name: 'Approve' }).click();
  await expect(reviewer.getByRole('status').filter({ hasText: 'Approved.' })).toBeVisible();

  await page.reload();
  await page.getByRole('link', { name: company }).click();
  await expect(page.getByRole('heading', { name: company, level: 1 })).toBeVisible();
  await hydrated(page);

  // A bad email is refused beside the field, and no invitation is made.
  const invite = page.locator('form.invite-form');
  await invite.getByLabel('Email').fill('not-an-email');
  await invite.getByRole('button', { name: 'Send invitation' }).click();
  await expect(invite.locator('#email-error')).not.toBeEmpty();
  await expect(page.getByText('No invitations yet.')).toBeVisible();

  // The invitee is an ISV with an application of its own, so it will have two workspaces.
  const invitee = await otherPerson(browser, baseURL!, browserErrors);
  const inviteeAccount = await newIsv(invitee, 'dev');
  const ownCompany = `Own Studio ${Date.now().toString(36)}`;
  await fillBusinessForm(invitee, ownCompany);
  await invitee.getByRole('button', { name: 'Submit' }).click();
  await expect(invitee).toHaveURL('/console');
  await invite.getByLabel('Email').fill(inviteeAccount.email);
  await invite.getByLabel('Role').selectOption({ label: 'Developer' });
  await invite.getByRole('button', { name: 'Send invitation' }).click();
  await expect(page.getByRole('status')).toContainText('The invitation was sent.');
  await expect(invite.getByLabel('Email')).toHaveValue('');
  const invitations = page.getByRole('table', { name: 'Invitations' });
  await expect(invitations.getByRole('row').filter({ hasText: inviteeAccount.email })).toContainText('Pending');

  await invitee.goto(await mailedLink(page.request, inviteeAccount.email, '/invitations/'));
  await expect(invitee.getByText(company)).toBeVisible();
  await hydrated(invitee);
  await invitee.getByRole('button', { name: 'Accept invitation' }).click();
  await expect(invitee).toHaveURL(/\/console\/workspaces\/\d+$/);
  const workspaceUrl = new URL(invitee.url()).pathname;
  await expect(invitee.getByText('Your role: Developer')).toBeVisible();
  // A Developer sees the members but cannot manage them.
  await expect(invitee.getByRole('button', { name: 'Remove' })).toHaveCount(0);
  await expect(invitee.locator('form.invite-form')).toHaveCount(0);

  // The switcher chooses which of its two workspaces the console works in, and remembers it.
  await invitee.goto('/console');
  await hydrated(invitee);
  const current = invitee.getByRole('listitem').filter({ has: invitee.getByText('Current workspace', { exact: true }) });
  // Without a choice the console opens the active workspace before the one under review.
  await expect(current.getByRole('heading')).toHaveText(company);
  await invitee.getByLabel('Current workspace').selectOption({ label: ownCompany });
  await invitee.getByRole('button', { name: 'Switch' }).click();
  await expect(current.getByRole('heading')).toHaveText(ownCompany);
  await invitee.reload();
  await expect(current.getByRole('heading')).toHaveText(ownCompany);
  await expect(invitee.getByLabel('Current workspace').locator('option:checked')).toHaveText(ownCompany);

  await page.reload();
  await hydrated(page);
  const memberRow = page.getByRole('row').filter({ hasText: inviteeAccount.username });
  await expect(memberRow).toContainText('Developer');
  await expect(invitations.getByRole('row').filter({ hasText: inviteeAccount.email })).toContainText('Accepted');
  await memberRow.getByRole('button', { name: 'Remove' }).click();
  await expect(page.getByRole('status')).toContainText('The member was removed.');
  await expect(page.getByRole('row').filter({ hasText: inviteeAccount.username })).toHaveCount(0);

  // Removed: the workspace is gone from the invitee's console and its page is not found.
  await invitee.goto(workspaceUrl);
  await expect(invitee.getByRole('alert')).toHaveText('Not found.');
  await invitee.goto('/console');
  await expect(invitee.getByRole('listitem').filter({ hasText: company })).toHaveCount(0);
});

test('the review queue refuses an account that is not a reviewer', async ({ page }) => {
  await signUp(page, 'notreviewer');
  await page.goto('/review');
  await expect(page.getByRole('alert')).toHaveText('You do not have access to this.');
  await expect(page.getByRole('link', { name: 'Review', exact: true })).toHaveCount(0);
});
