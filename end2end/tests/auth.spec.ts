import { test, expect, hydrated, mailedCode, signUp, uniqueEmail } from './fixtures';

test('a new user signs up, chooses a role, signs out and signs in again', async ({ page }) => {
  const { username, email, password } = await signUp(page, 'newcomer');
  await expect(page.getByRole('heading', { name: 'Choose your role' })).toBeVisible();
  await expect(page.getByRole('link', { name: username })).toBeVisible();

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL('/');
  await expect(page.getByRole('link', { name: 'Sign in', exact: true })).toBeVisible();

  await page.goto('/sign-in');
  await hydrated(page);
  await page.getByLabel('Email or username').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL('/choose-role');
  await expect(page.getByRole('link', { name: username })).toBeVisible();
});

test('sign-up refuses bad input beside each field and creates no account', async ({ page }) => {
  await page.goto('/sign-up');
  await hydrated(page);
  await page.getByLabel('Email', { exact: true }).fill('not-an-email');
  await page.getByLabel('Verification code').fill('12');
  await page.getByLabel('Username').fill('x');
  await page.getByLabel('Password', { exact: true }).fill('short');
  await page.getByRole('button', { name: 'Sign up' }).click();

  await expect(page.getByRole('alert')).toHaveText('Please correct the fields marked below.');
  for (const field of ['email', 'code', 'username', 'password', 'agree_terms']) {
    await expect(page.locator(`#${field}-error`)).not.toBeEmpty();
  }
  await expect(page.getByLabel('Username')).toHaveAttribute('aria-invalid', 'true');
  await expect(page).toHaveURL('/sign-up');

  // Nothing was created: that username cannot sign in.
  await page.goto('/sign-in');
  await hydrated(page);
  await page.getByLabel('Email or username').fill('x');
  await page.getByLabel('Password').fill('short');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toBeVisible();
  await expect(page).toHaveURL('/sign-in');
});

test('a wrong code is refused and the account is not created', async ({ page }) => {
  const email = uniqueEmail('wrongcode');
  await page.goto('/sign-up');
  await hydrated(page);
  await page.getByLabel('Email', { exact: true }).fill(email);
  await page.getByRole('button', { name: 'Send code' }).click();
  const code = await mailedCode(page.request, email);
  const wrong = code === '000000' ? '111111' : '000000';
  await page.getByLabel('Verification code').fill(wrong);
  await page.getByLabel('Username').fill('wrong_code_user');
  await page.getByLabel('Password', { exact: true }).fill('Secret-pass-1');
  await page.getByRole('checkbox', { name: /Terms of Service/ }).check();
  await page.getByRole('button', { name: 'Sign up' }).click();
  await expect(page.locator('#code-error')).not.toBeEmpty();
  await expect(page).toHaveURL('/sign-up');
});

test('an unknown account and a wrong password get the same message', async ({ page }) => {
  const { email } = await signUp(page, 'samemsg');
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL('/');

  const attempt = async (login: string) => {
    await page.goto('/sign-in');
    await hydrated(page);
    await page.getByLabel('Email or username').fill(login);
    await page.getByLabel('Password').fill('Wrong-pass-9');
    await page.getByRole('button', { name: 'Sign in' }).click();
    const alert = page.getByRole('alert').first();
    await expect(alert).toBeVisible();
    return alert.textContent();
  };
  const wrongPassword = await attempt(email);
  const unknown = await attempt(uniqueEmail('nobody'));
  expect(unknown).toBe(wrongPassword);
});

test('forgot your password: email, code, new password, then sign in with it', async ({ page }) => {
  const { email, username } = await signUp(page, 'forgetful');
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL('/');

  await page.goto('/sign-in');
  await page.getByRole('link', { name: 'Forgot your password?' }).click();
  await expect(page).toHaveURL('/forgot-password');
  await hydrated(page);
  await page.getByLabel('Email', { exact: true }).fill(email);
  await page.getByRole('button', { name: 'Send code' }).click();
  await expect(page.getByRole('status')).toContainText('A verification code was sent');
  await page.getByLabel('Verification code').fill(await mailedCode(page.request, email));
  await page.getByLabel('New password').fill('Brand-new-pass-2');
  await page.getByLabel('Confirm password').fill('Brand-new-pass-3');
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.locator('#confirm_password-error')).not.toBeEmpty();

  await page.getByLabel('Confirm password').fill('Brand-new-pass-2');
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page).toHaveURL('/sign-in?changed=1');
  await expect(page.getByRole('status')).toHaveText('Your password has been changed. Sign in with your new password.');

  await hydrated(page);
  await page.getByLabel('Email or username').fill(username);
  await page.getByLabel('Password').fill('Brand-new-pass-2');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL('/choose-role');
});

test('the account pages speak Chinese too', async ({ page }) => {
  await page.goto('/sign-up');
  await hydrated(page);
  await page.getByRole('button', { name: '简体中文' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('注册');
  await expect(page.getByRole('button', { name: '发送验证码' })).toBeVisible();
  await expect(page.getByText('服务条款')).toBeVisible();
});

test('after choosing ISV the console says there is no workspace yet', async ({ page }) => {
  const { username } = await signUp(page, 'isvrole');
  await hydrated(page);
  await page.getByRole('button', { name: 'ISV' }).click();
  // An ISV goes on to its business information; until it submits, the console is empty.
  await expect(page).toHaveURL('/onboarding/isv');
  await page.getByRole('link', { name: 'Console', exact: true }).click();
  await expect(page).toHaveURL('/console');
  await expect(page.getByRole('heading', { name: 'Workspaces' })).toBeVisible();
  await expect(page.getByRole('status')).toContainText('You have no workspace yet.');
  await expect(page.getByRole('link', { name: 'Submit your business information' })).toBeVisible();
  // Signing in again leads straight to the console now that the role is chosen.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL('/');
  await page.goto('/sign-in');
  await hydrated(page);
  await page.getByLabel('Email or username').fill(username);
  await page.getByLabel('Password').fill('Secret-pass-1');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL('/console');
});

test('the console asks a visitor to sign in', async ({ page }) => {
  await page.goto('/console');
  await expect(page.getByRole('alert')).toContainText('Please sign in first.');
  await page.getByRole('main').getByRole('link', { name: 'Sign in' }).click();
  // The sign-in page will lead back here.
  await expect(page).toHaveURL('/sign-in?next=/console');
});

test('a merchant onboards with its identity type and certification', async ({ page }) => {
  await signUp(page, 'merchant');
  await hydrated(page);
  await page.getByRole('button', { name: 'Merchant' }).click();
  await expect(page).toHaveURL('/onboarding/merchant');
  await expect(page.getByRole('heading', { name: 'Merchant onboarding' })).toBeVisible();

  // Bad input: messages beside the fields, nothing created.
  await page.getByLabel('Merchant name').fill('');
  await page.getByLabel('Identity type').selectOption({ label: 'Enterprise' });
  await page.getByLabel('Certified name').fill('Hangzhou Tea House Ltd.');
  await page.getByLabel('Certificate number').fill('12345');
  await page.getByRole('button', { name: 'Onboard as a merchant' }).click();
  await expect(page.locator('#merchant_name-error')).not.toBeEmpty();
  await expect(page.locator('#certificate_number-error')).not.toBeEmpty();
  await expect(page).toHaveURL('/onboarding/merchant');

  await page.getByLabel('Merchant name').fill('Tea House');
  await page.getByLabel('Certificate number').fill('91350100M000100Y43');
  await page.getByRole('button', { name: 'Onboard as a merchant' }).click();
  await expect(page).toHaveURL('/console');
  const workspace = page.getByRole('list', { name: 'Workspaces' }).getByRole('listitem');
  await expect(workspace).toHaveCount(1);
  await expect(workspace.getByRole('heading', { name: 'Tea House' })).toBeVisible();
  await expect(workspace.getByText('Active')).toBeVisible();
  await expect(workspace.getByText('Your role: Owner')).toBeVisible();
});
