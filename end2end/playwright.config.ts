// Playwright drives Debian's Chromium (no browser download) against the release build, which
// it starts on a fresh SQLite database filled by `service-market demo`.
import { defineConfig, devices } from '@playwright/test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const serverBin = process.env.SERVER_BIN;
if (!serverBin) {
  throw new Error('SERVER_BIN must name the release server binary (make e2e sets it)');
}
const port = process.env.E2E_PORT ?? '3100';
const baseURL = `http://127.0.0.1:${port}`;
const databaseUrl = `sqlite:${join(mkdtempSync(join(tmpdir(), 'service-market-e2e-')), 'e2e.db')}`;
// A second server in sandbox mode (SANDBOX=true) on the next port, with its own database, for the
// tests in `sandbox/` that move the platform clock or switch the automatic version audit: both are
// platform-wide, so they must not touch the orders of the tests in `tests/`, and those tests run
// one at a time (the `sandbox` project has a single worker).
const sandboxPort = String(Number(port) + 1);
const sandboxURL = `http://127.0.0.1:${sandboxPort}`;
const sandboxDatabaseUrl = `sqlite:${join(mkdtempSync(join(tmpdir(), 'service-market-sandbox-')), 'e2e.db')}`;
process.env.SANDBOX_URL = sandboxURL;

const chromium = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
};

export default defineConfig({
  testDir: './tests',
  timeout: 30_000,
  expect: { timeout: 10_000 },
  fullyParallel: true,
  forbidOnly: !!process.env.CI,
  retries: 0,
  workers: 2,
  reporter: [['list']],
  use: {
    baseURL,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: chromium,
  },
  projects: [
    {
      // The lifecycle flows on the sandbox server, one test at a time; each test opens the phone
      // and desktop contexts its roles need (see `sandbox/`).
      name: 'sandbox',
      testDir: './sandbox',
      fullyParallel: false,
      workers: 1,
      use: {
        ...devices['Desktop Chrome'],
        baseURL: sandboxURL,
        viewport: { width: 1280, height: 800 },
        launchOptions: chromium,
      },
    },
    {
      name: 'desktop',
      use: { ...devices['Desktop Chrome'], viewport: { width: 1280, height: 800 }, launchOptions: chromium },
    },
    {
      name: 'mobile',
      use: {
        viewport: { width: 375, height: 812 },
        deviceScaleFactor: 2,
        isMobile: true,
        hasTouch: true,
        userAgent:
          'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Mobile Safari/537.36',
        launchOptions: chromium,
      },
    },
  ],
  webServer: [
    {
      // The reviewer of the onboarding tests (REVIEWER in tests/fixtures.ts).
      command: `"${serverBin}" demo && "${serverBin}" admin reviewer@e2e.test Queue-Decide-42 && exec "${serverBin}" serve`,
      url: `${baseURL}/healthz`,
      reuseExistingServer: false,
      timeout: 60_000,
      stdout: 'pipe',
      stderr: 'pipe',
      env: {
        DATABASE_URL: databaseUrl,
        LEPTOS_SITE_ADDR: `127.0.0.1:${port}`,
        // Development mode: emails go to /dev/mailbox, where the tests read their codes.
        LEPTOS_ENV: 'DEV',
        // Each test acts as its own client (X-Forwarded-For), so per-address limits stay per test.
        TRUST_PROXY: 'true',
        RUST_LOG: 'warn',
      },
    },
    {
      // The reviewer of the onboarding tests (REVIEWER in tests/fixtures.ts).
      command: `"${serverBin}" demo && "${serverBin}" admin reviewer@e2e.test Queue-Decide-42 && exec "${serverBin}" serve`,
      url: `${sandboxURL}/healthz`,
      reuseExistingServer: false,
      timeout: 60_000,
      stdout: 'pipe',
      stderr: 'pipe',
      env: {
        DATABASE_URL: sandboxDatabaseUrl,
        LEPTOS_SITE_ADDR: `127.0.0.1:${sandboxPort}`,
        // Development mode: emails go to /dev/mailbox, where the tests read their codes.
        LEPTOS_ENV: 'DEV',
        // Each test acts as its own client (X-Forwarded-For), so per-address limits stay per test.
        TRUST_PROXY: 'true',
        RUST_LOG: 'warn',
        // Reviewers may move the platform clock forward (the order timers' tests).
        SANDBOX: 'true',
      },
    },
  ],
});
