// The sandbox server (SANDBOX=true, see playwright.config.ts) lets a reviewer move the platform
// clock; the main server refuses. The lifecycle tests in this folder rely on both facts.
import { request as newRequest } from '@playwright/test';
import { test, expect, REVIEWER } from '../tests/fixtures';

/** The reviewer's view of the platform clock on the server at `baseURL`. */
async function reviewerClock(baseURL: string, address: string) {
  const api = await newRequest.newContext({ baseURL, extraHTTPHeaders: { 'X-Forwarded-For': address } });
  const signIn = await api.post('/api/auth/sign_in', { form: { login: REVIEWER.email, password: REVIEWER.password } });
  expect(signIn.status(), await signIn.text()).toBe(200);
  const clock = await api.post('/api/review/sandbox_clock', { form: {} });
  expect(clock.status(), await clock.text()).toBe(200);
  const advance = await api.post('/api/review/advance_clock', { form: { minutes: '1' } });
  const result = { clock: await clock.json(), advanceStatus: advance.status(), advance: await advance.text() };
  await api.dispose();
  return result;
}

test('only the sandbox server lets the reviewer move the platform clock', async ({ baseURL }) => {
  const sandbox = await reviewerClock(baseURL!, '10.250.0.1');
  expect(sandbox.clock.enabled).toBe(true);
  expect(sandbox.advanceStatus).toBe(200);
  expect(JSON.parse(sandbox.advance).offset_ms).toBeGreaterThanOrEqual(sandbox.clock.offset_ms + 60_000);

  const mainURL = `http://127.0.0.1:${process.env.E2E_PORT ?? '3100'}`;
  const main = await reviewerClock(mainURL, '10.250.0.2');
  expect(main.clock.enabled).toBe(false);
  expect(main.advanceStatus).toBe(400);
  expect(main.advance).toContain('SANDBOX=true');
});
