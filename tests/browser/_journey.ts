/**
 * Browser journeys on a realistic app: the demo seed (db/seed.ts) on a fresh embedded database, the
 * console OTP provider, the Moyasar fake, served on a free port; plus a recorder that screenshots
 * every step and collects console errors and failed requests per page.
 */
import assert from "node:assert/strict";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { seedDemoData } from "@/db/seed.ts";
import { createMoyasarClient, type MoyasarClient } from "@/services/payments/moyasar.ts";
import { type MoyasarFake, startMoyasarFake } from "../fakes/moyasar.ts";
import { makeTestApp, type TestApp } from "../helpers/app.ts";
import { ACCESS_COOKIE, browserLogin, type CookieJar, REFRESH_COOKIE } from "../helpers/auth.ts";
import { screenshot, watchForErrors } from "./_browser.ts";

/** Generous waits: the CI machine may be busy. */
export const TIMEOUT = 30_000;

export interface SeededApp {
  t: TestApp;
  fake: MoyasarFake;
  /** The app's own Moyasar client (to run the payment job as the server would). */
  client: MoyasarClient;
  /** `http://localhost:PORT`: a secure context for Chromium, so the __Host- cookies stick. */
  origin: string;
  close(): Promise<void>;
}

/**
 * The app with the demo salons at the test clock (2026-11-21T09:00Z, Saturday 12:00 in Riyadh),
 * Moyasar's fake sharing that clock, served on a free loopback port.
 */
export async function seededApp(env: Record<string, string> = {}): Promise<SeededApp> {
  const fake = startMoyasarFake();
  const t = await makeTestApp({ ...fake.env(), MOYASAR_TIMEOUT_MS: "5000", ...env });
  fake.now = t.clock.now;
  await seedDemoData(t.db, t.clock.now());
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    (req, info) => t.app.fetch(req, info),
  );
  fake.webhookUrl = `http://127.0.0.1:${server.addr.port}/api/payments/webhook/`;
  return {
    t,
    fake,
    client: createMoyasarClient(t.config.payments)!,
    origin: `http://localhost:${server.addr.port}`,
    async close() {
      await fake.close();
      await server.shutdown();
      await t.close();
    },
  };
}

export interface Viewport {
  locale: "ar-SA" | "en-GB";
  width: number;
  height: number;
}

export const PHONE_AR: Viewport = { locale: "ar-SA", width: 390, height: 844 };
export const DESKTOP_EN: Viewport = { locale: "en-GB", width: 1280, height: 800 };

/**
 * A browser context at a viewport; signed in when given a phone (logged in the browser's way) or
 * the cookie jar of an earlier login (one phone may ask for a code once a minute).
 */
export async function newContext(
  browser: Browser,
  app: SeededApp,
  viewport: Viewport,
  login?: string | CookieJar,
): Promise<BrowserContext> {
  const context = await browser.newContext({
    locale: viewport.locale,
    viewport: { width: viewport.width, height: viewport.height },
    timezoneId: "America/New_York", // pages must show the salon's zone, not the device's
  });
  context.setDefaultTimeout(TIMEOUT);
  context.setDefaultNavigationTimeout(TIMEOUT);
  if (login) {
    const jar = typeof login === "string" ? await browserLogin(app.t, login) : login;
    await context.addCookies([ACCESS_COOKIE, REFRESH_COOKIE].map((name) => ({
      name,
      value: jar.get(name) ?? "",
      domain: "localhost",
      path: "/",
      secure: true,
      httpOnly: true,
      sameSite: "Lax" as const,
    })));
  }
  return context;
}

/**
 * Records a journey on one page: `step(name)` screenshots the page as
 * `test-results/<prefix>-NN-<name>.png` and asserts nothing went wrong since the last step (no
 * console error, page error, failed request or HTTP error status).
 */
export function recorder(page: Page, prefix: string) {
  const problems = watchForErrors(page);
  let n = 0;
  let seen = 0;
  return {
    problems,
    /** `expected`: problems this step causes on purpose (a form refused with a 400). */
    async step(name: string, expected: RegExp[] = []) {
      n++;
      await page.waitForLoadState("load");
      await screenshot(page, `${prefix}-${String(n).padStart(2, "0")}-${name}`);
      const fresh = problems.slice(seen).filter((p) => !expected.some((e) => e.test(p)));
      seen = problems.length;
      assert.deepEqual(fresh, [], `problems at step "${name}" (${page.url()})`);
    },
  };
}

/** The page is wider than the viewport (sideways scrolling on a phone) by this many pixels. */
export function overflow(page: Page): Promise<number> {
  return page.evaluate(() =>
    document.documentElement.scrollWidth - document.documentElement.clientWidth
  );
}

/** Logs in through the login page and its OTP island with the code the console provider printed. */
export async function loginThroughPage(
  page: Page,
  app: SeededApp,
  phone: string,
  labels: { phone: string; send: string; code: string },
  step?: (name: string) => Promise<void>,
): Promise<void> {
  await page.getByLabel(labels.phone).fill(phone);
  // The privacy notice's acceptance box, where the login form has one.
  const accept = page.locator('input[name="accept_privacy_notice"]');
  if (await accept.count()) await accept.check();
  await page.getByRole("button", { name: labels.send }).click();
  await page.waitForURL(/\/login\?rid=/);
  // Hydrated once the resend button counts down (the server renders it enabled).
  await page.waitForFunction(() =>
    [...document.querySelectorAll("button")].some((b) =>
      b.disabled && /\d|[٠-٩]/.test(b.textContent ?? "")
    )
  );
  await step?.("login-code");
  const sent = app.t.otpMessages.at(-1);
  assert.ok(sent, "the console provider printed a code");
  await page.getByLabel(labels.code).pressSequentially(sent.code, { delay: 30 });
}
