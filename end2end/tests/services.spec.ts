// Service Management > Services (seed 001 §1-3): an ISV creates a service with its plans,
// bad input is refused beside each field, the service is submitted for review, a reviewer
// approves it and merchants find it in the marketplace; a turned-down service shows the reason.
import { test, expect, hydrated, signIn, otherPerson, REVIEWER, PNG_1X1 } from './fixtures';
import type { Locator, Page } from '@playwright/test';

/** The demo ISV (`service-market demo`) opens its Services page. */
async function openServices(page: Page) {
  await signIn(page, 'cloudleaf', 'Demo2026');
  await expect(page).toHaveURL('/console');
  await page.getByRole('link', { name: 'Hangzhou Cloudleaf Technology' }).click();
  await page.getByRole('link', { name: 'Services', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Services', level: 1 })).toBeVisible();
  await hydrated(page);
}

/** Fills the service form with good values and two plans. */
async function fillService(page: Page, name: string) {
  await page.getByLabel('Service name').fill(name);
  await page.getByLabel('Category').selectOption({ label: 'Food & beverage' });
  await page.getByRole('radio', { name: 'Industry template' }).check();
  await page.getByLabel('Description').fill(`${name}: ordering and membership for restaurants.`);
  await page.getByRole('checkbox', { name: 'Alipay app' }).check();
  await page.getByLabel('Period (days)').first().fill('30');
  await page.getByLabel('Price (yuan)').first().fill('99.00');
  await page.getByRole('button', { name: 'Add a plan' }).click();
  await page.getByLabel('Period (days)').nth(1).fill('365');
  await page.getByLabel('Price (yuan)').nth(1).fill('0');
  await page.getByLabel('Maximum order period (days)').fill('730');
  await page.getByLabel('(Optional) Try now (立即体验) preview URL').fill('https://preview.example.com/menu');
}

test('an ISV creates a service, submits it, a reviewer approves it and it is online in the marketplace', async ({ page, browser, baseURL, browserErrors }) => {
  await openServices(page);
  const name = `Menu Pro ${Date.now().toString(36)}`;
  await page.getByRole('link', { name: 'Create service' }).click();
  await expect(page.getByRole('heading', { name: 'Create service', level: 1 })).toBeVisible();
  await hydrated(page);

  // Bad input: each message beside its field, and no service is created.
  await page.getByLabel('Service name').fill('');
  await page.getByLabel('Period (days)').first().fill('0');
  await page.getByLabel('Price (yuan)').first().fill('9.999');
  await page.getByLabel('Maximum order period (days)').fill('ten');
  await page.getByLabel('(Optional) Mobile merchant access URL').fill('merchant.example');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.locator('#name-error')).toHaveText('Service name is required.');
  await expect(page.locator('#description-error')).toHaveText('Description is required.');
  await expect(page.locator('#terminals-error')).toHaveText('Choose at least one publishing terminal.');
  await expect(page.locator('.plan-row .field-error').first()).not.toBeEmpty();
  await expect(page.locator('#max_order_period_days-error')).not.toBeEmpty();
  await expect(page.locator('#mobile_access_url-error')).not.toBeEmpty();
  await expect(page).toHaveURL(/\/services\/new$/);

  await page.getByLabel('(Optional) Mobile merchant access URL').fill('');
  await fillService(page, name);
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page).toHaveURL(/\/console\/services\/\d+$/);
  await expect(page.getByRole('heading', { name, level: 1 })).toBeVisible();
  await expect(page.getByText('Draft', { exact: true })).toBeVisible();
  await expect(page.getByLabel('Period (days)').nth(1)).toHaveValue('365');
  await hydrated(page);
  await page.getByRole('button', { name: 'Submit for Review' }).click();
  await expect(page.getByRole('status')).toHaveText('Submitted for review.');
  await expect(page.getByText('Pending Review', { exact: true })).toBeVisible();
  await expect(page.getByText('The service is pending review and cannot be edited meanwhile.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Save' })).toHaveCount(0);

  const reviewer = await otherPerson(browser, baseURL!, browserErrors);
  await signIn(reviewer, REVIEWER.email, REVIEWER.password);
  await expect(reviewer).toHaveURL('/review');
  await hydrated(reviewer);
  const card = reviewer.getByRole('listitem', { name });
  await expect(card.getByText('Hangzhou Cloudleaf Technology')).toBeVisible();
  await expect(card.getByText('30 days · ¥99.00')).toBeVisible();
  await card.getByRole('button', { name: 'Approve' }).click();
  await expect(reviewer.getByRole('status').filter({ hasText: 'the service is online' })).toBeVisible();

  await page.reload();
  await expect(page.getByText('Online', { exact: true })).toBeVisible();
  await page.goto(`/market?q=${encodeURIComponent(name)}`);
  await expect(page.getByRole('heading', { name })).toBeVisible();
});

test('a turned-down service shows the reason and can be edited and resubmitted', async ({ page, browser, baseURL, browserErrors }) => {
  await openServices(page);
  const name = `Queue Buddy ${Date.now().toString(36)}`;
  await page.getByRole('link', { name: 'Create service' }).click();
  await hydrated(page);
  await fillService(page, name);
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page).toHaveURL(/\/console\/services\/\d+$/);
  await hydrated(page);
  await page.getByRole('button', { name: 'Submit for Review' }).click();
  await expect(page.getByText('Pending Review', { exact: true })).toBeVisible();

  const reviewer = await otherPerson(browser, baseURL!, browserErrors);
  await signIn(reviewer, REVIEWER.email, REVIEWER.password);
  await hydrated(reviewer);
  const card = reviewer.getByRole('listitem', { name });
  await card.getByLabel('Reason for turning down').fill('The preview shows another company’s brand.');
  await card.getByRole('button', { name: 'Turn down' }).click();
  await expect(reviewer.getByRole('status').filter({ hasText: 'Turned down: the ISV sees the reason' })).toBeVisible();

  await page.reload();
  await expect(page.getByText('Turn Down', { exact: true })).toBeVisible();
  await expect(page.getByRole('alert')).toContainText('another company’s brand');
  await hydrated(page);
  await page.getByLabel('(Optional) Try now (立即体验) preview URL').fill('https://preview.example.com/queue');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('status')).toHaveText('Saved.');
  await page.getByRole('button', { name: 'Submit for Review' }).click();
  await expect(page.getByText('Pending Review', { exact: true })).toBeVisible();

  await reviewer.reload();
  await expect(reviewer.getByRole('listitem', { name }).getByText('Last turned down because')).toBeVisible();
});

/** Whether an image was fetched and decoded (a broken one has no natural width). */
async function expectLoaded(image: Locator) {
  await expect(image).toBeVisible();
  // Lazy images load once they come into view.
  await image.scrollIntoViewIfNeeded();
  await expect.poll(() => image.evaluate((el: HTMLImageElement) => (el.complete ? el.naturalWidth : 0))).toBeGreaterThan(0);
}

test('an ISV adds images to a service and merchants see its cover and gallery once it is online', async ({ page, browser, baseURL, browserErrors, isMobile }) => {
  test.skip(isMobile, 'the ISV console is a desktop page');
  await openServices(page);
  const name = `Snap Menu ${Date.now().toString(36)}`;
  await page.getByRole('link', { name: 'Create service' }).click();
  await hydrated(page);
  await fillService(page, name);
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page).toHaveURL(/\/console\/services\/\d+$/);
  await hydrated(page);
  const images = page.getByRole('region', { name: 'Images' });
  await expect(images.getByText('No images yet.')).toBeVisible();

  // A file that only claims to be a PNG is refused beside the field, and nothing is added.
  await images.getByLabel('Choose an image').setInputFiles({ name: 'menu.png', mimeType: 'image/png', buffer: Buffer.from('not an image') });
  await images.getByRole('button', { name: 'Upload image' }).click();
  await expect(images.locator('#image-error')).toHaveText('The image must be a PNG or JPEG file.');
  await expect(images.getByRole('img')).toHaveCount(0);

  // Unsaved typing in the form above survives the uploads.
  await page.getByLabel('Description').fill('Typed but not saved yet.');
  for (const [index, file] of ['front.png', 'menu.png'].entries()) {
    await images.getByLabel('Choose an image').setInputFiles({ name: file, mimeType: 'image/png', buffer: PNG_1X1 });
    await images.getByRole('button', { name: 'Upload image' }).click();
    await expect(images.getByRole('img')).toHaveCount(index + 1);
  }
  await expect(images.locator('#image-error')).toHaveCount(0);
  await expect(page.getByLabel('Description')).toHaveValue('Typed but not saved yet.');
  await expectLoaded(images.getByRole('img', { name: `${name} · Image 1` }));
  await expect(images.getByRole('listitem').first().getByText('Cover')).toBeVisible();

  // The second becomes the cover, then the other one is removed.
  const second = await images.getByRole('img').nth(1).getAttribute('src');
  await images.getByRole('listitem').nth(1).getByRole('button', { name: 'Move earlier' }).click();
  await expect(images.getByRole('img').first()).toHaveAttribute('src', second!);
  await images.getByRole('listitem').nth(1).getByRole('button', { name: 'Remove' }).click();
  await expect(images.getByRole('img')).toHaveCount(1);
  await expect(images.getByRole('img').first()).toHaveAttribute('src', second!);

  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('status')).toHaveText('Saved.');
  await page.getByRole('button', { name: 'Submit for Review' }).click();
  await expect(page.getByText('Pending Review', { exact: true })).toBeVisible();
  await expect(page.getByText('Images can be changed while the service is Draft, Turn Down or Withdrawn.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Upload image' })).toHaveCount(0);

  // The reviewer sees the image with the rest of the service.
  const reviewer = await otherPerson(browser, baseURL!, browserErrors);
  await signIn(reviewer, REVIEWER.email, REVIEWER.password);
  await expect(reviewer).toHaveURL('/review');
  await hydrated(reviewer);
  const card = reviewer.getByRole('listitem', { name });
  await expectLoaded(card.getByRole('img', { name: `${name} · Image 1` }));
  await card.getByRole('button', { name: 'Approve' }).click();
  await expect(reviewer.getByRole('status').filter({ hasText: 'the service is online' })).toBeVisible();

  // Anyone, signed in or not, sees the cover in the marketplace and the gallery on the detail page.
  const visitor = await otherPerson(browser, baseURL!, browserErrors);
  await visitor.goto(`/market?q=${encodeURIComponent(name)}`);
  const listed = visitor.getByRole('listitem').filter({ has: visitor.getByRole('heading', { name }) });
  await expectLoaded(listed.locator('img.service-cover'));
  await expect(listed.locator('img.service-cover')).toHaveAttribute('src', second!);
  await listed.getByRole('link', { name }).click();
  await expectLoaded(visitor.getByRole('list', { name: 'Images' }).getByRole('img', { name: `${name} · Image 1` }));
});
