// The open platform seen from an ISV's own code: Alipay's official Node SDK (npm `alipay-sdk`),
// configured with only the gateway address and the keys, calls the gateway's classic
// `gateway.do` protocol and checks the notifications the platform sends to the ISV's gateway.
// Node only: no browser is needed, so it runs once (desktop project).
import { AlipaySdk } from 'alipay-sdk';
import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { request as newRequest, APIRequestContext } from '@playwright/test';
import { test, expect } from './fixtures';

const DEMO_PASSWORD = 'Demo2026';
const CUSTOM_SERVICE = 'Custom mini program development · 小程序定制开发';

/** Calls a server function (URL-encoded arguments) and returns its JSON answer. */
async function call<T>(api: APIRequestContext, endpoint: string, form: Record<string, string> = {}): Promise<T> {
  const response = await api.post(`/api/${endpoint}`, { form });
  expect(response.status(), `${endpoint}: ${await response.text()}`).toBe(200);
  return (await response.json()) as T;
}

/** Calls a server function that takes JSON input. */
async function callJson<T>(api: APIRequestContext, endpoint: string, data: unknown): Promise<T> {
  const response = await api.post(`/api/${endpoint}`, { data, headers: { 'Content-Type': 'application/json' } });
  expect(response.status(), `${endpoint}: ${await response.text()}`).toBe(200);
  return (await response.json()) as T;
}

/** A signed-in API client of a demo account, with a client address of its own. */
async function signedIn(baseURL: string, login: string, address: string): Promise<APIRequestContext> {
  const api = await newRequest.newContext({ baseURL, extraHTTPHeaders: { 'X-Forwarded-For': address } });
  await call(api, 'auth/sign_in', { login, password: DEMO_PASSWORD });
  return api;
}

type Notification = Record<string, string>;

/** The ISV's application gateway: answers `success` and records every notification. */
async function startReceiver(): Promise<{ server: Server; url: string; received: Notification[] }> {
  const received: Notification[] = [];
  const server = createServer(async (req: IncomingMessage, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    received.push(Object.fromEntries(new URLSearchParams(body)));
    res.writeHead(200, { 'Content-Type': 'text/plain' });
    res.end('success');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}/alipay/notify`, received };
}

test.describe('Alipay Node SDK against the gateway', () => {
  test('queries and accepts an order and verifies the notifications it receives', async ({ baseURL }, testInfo) => {
    test.skip(testInfo.project.name !== 'desktop', 'Node only: one run is enough');
    test.setTimeout(60_000);
    const receiver = await startReceiver();
    const isv = await signedIn(baseURL!, 'bluebridge', '10.250.0.1');
    const merchant = await signedIn(baseURL!, 'teahouse', '10.250.0.2');
    try {
      // The ISV's open platform settings: a key pair generated in the console, the gateway.
      const mine = await call<{ workspaces: { id: number; kind: string }[] }>(isv, 'console/workspaces');
      const workspaceId = String(mine.workspaces.find((w) => w.kind === 'isv')!.id);
      const generated = await call<{
        private_key_pkcs1_pem: string;
        settings: { app_id: string; platform_public_key: string; access_urls: { service_id: number; service_name: string }[] };
      }>(isv, 'open/generate_app_key_pair', { workspace_id: workspaceId });
      const settings = await call<{ gateway_url: string; gateway_endpoint: string }>(isv, 'open/set_gateway_url', {
        workspace_id: workspaceId,
        gateway_url: receiver.url,
      });
      expect(settings.gateway_url).toBe(receiver.url);
      expect(generated.settings.app_id).toMatch(/^2021\d{12}$/);

      // A merchant orders the ISV's custom development service, which waits for acceptance.
      const service = generated.settings.access_urls.find((s) => s.service_name === CUSTOM_SERVICE)!;
      const program = await call<{ id: number }>(merchant, 'ordering/create_mini_program', {
        name: `SDK shop ${Date.now().toString(36)}`,
      });
      const page = await call<{ service: { plans: { id: number }[] } }>(merchant, 'ordering/order_page', {
        service_id: String(service.service_id),
      });
      const placed = await callJson<{ order: { order_no: string } }>(merchant, 'ordering/place_order', {
        input: {
          service_id: service.service_id,
          plan_id: page.service.plans[0].id,
          mini_program_id: program.id,
          terminals: [],
          contact_name: 'Wang Fang',
          contact_mobile: '13800138000',
          agree_to_agreement: true,
          acknowledge_overwrite: true,
        },
      });
      const orderNo = placed.order.order_no;

      // The SDK with only the gateway address and the keys.
      const sdk = new AlipaySdk({
        appId: generated.settings.app_id,
        privateKey: generated.private_key_pkcs1_pem,
        alipayPublicKey: generated.settings.platform_public_key,
        gateway: `${baseURL}/gateway.do`,
        timeout: 10_000,
        camelcase: false,
      });
      const query = await sdk.exec(
        'alipay.open.servicemarket.order.query',
        { bizContent: { commodity_order_id: orderNo } },
        { validateSign: true },
      );
      expect(query.code, JSON.stringify(query)).toBe('10000');
      expect(query.status).toBe('MERCHANT_ORDED');
      expect(query.order_items).toEqual([
        expect.objectContaining({ commodity_id: String(service.service_id), order_status: 'TO_DO' }),
      ]);

      const accepted = await sdk.exec(
        'alipay.open.servicemarket.order.accept',
        { bizContent: { commodity_order_id: orderNo } },
        { validateSign: true },
      );
      expect(accepted.code, JSON.stringify(accepted)).toBe('10000');
      const again = await sdk.exec(
        'alipay.open.servicemarket.order.accept',
        { bizContent: { commodity_order_id: orderNo } },
        { validateSign: true },
      );
      expect(again.code).toBe('40004');
      expect(again.sub_code).toBe('ORDER_STATUS_INVALID');

      // A new key pair replaces the app public key: the old private key is refused, the new works.
      const renewed = await call<{ private_key_pkcs1_pem: string }>(isv, 'open/generate_app_key_pair', {
        workspace_id: workspaceId,
      });
      const refused = await sdk.exec('alipay.open.servicemarket.order.query', {
        bizContent: { commodity_order_id: orderNo },
      });
      expect(refused.sub_code, JSON.stringify(refused)).toBe('isv.invalid-signature');
      const renewedSdk = new AlipaySdk({
        appId: generated.settings.app_id,
        privateKey: renewed.private_key_pkcs1_pem,
        alipayPublicKey: generated.settings.platform_public_key,
        gateway: `${baseURL}/gateway.do`,
      });
      const afterAccept = await renewedSdk.exec(
        'alipay.open.servicemarket.order.query',
        { bizContent: { commodity_order_id: orderNo } },
        { validateSign: true },
      );
      expect(afterAccept.code).toBe('10000');
      expect(afterAccept.status).toBeUndefined();

      // The notifications the platform sent: the order notification and a test message.
      await call(isv, 'open/send_test_notification', {
        workspace_id: workspaceId,
        kind: 'alipay.open.mini.version.audit.passed',
      });
      await expect
        .poll(() => receiver.received.map((n) => n.notify_type ?? n.msg_method), { timeout: 15_000 })
        .toEqual(expect.arrayContaining(['servicemarket_order_notify', 'alipay.open.mini.version.audit.passed']));
      const orderNotify = receiver.received.find((n) => n.notify_type === 'servicemarket_order_notify')!;
      expect(JSON.stringify(orderNotify)).toContain(orderNo);
      for (const notification of receiver.received) {
        expect(sdk.checkNotifySign(notification), JSON.stringify(notification)).toBe(true);
      }
      // A payload changed on the way does not verify.
      expect(sdk.checkNotifySign({ ...orderNotify, notify_id: `${orderNotify.notify_id}0` })).toBe(false);
    } finally {
      receiver.server.close();
      await isv.dispose();
      await merchant.dispose();
    }
  });
});
