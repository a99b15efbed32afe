import type { Db } from "@/db/types.ts";
import { PRIVACY_NOTICE_VERSION } from "@/services/privacy/notice.ts";
import type { TestApp } from "./app.ts";

type App = TestApp["app"];

/** The seed's test number, and how people type it. */
export const PHONE = "+966512345678";
export const PHONE_LOCAL = "0512345678";

/** `env` for app.request: the socket address a request came from. */
export function fromIp(ip: string) {
  return { remoteAddr: { hostname: ip, port: 40000, transport: "tcp" } };
}

/** POSTs JSON through the app, like a non-browser client (no Origin, no Sec-Fetch-*). */
export function postJson(
  app: App,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
  env?: unknown,
): Promise<Response> {
  return Promise.resolve(app.request(path, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  }, env));
}

export function sendJson(
  app: App,
  method: string,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Response> {
  return Promise.resolve(app.request(path, {
    method,
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  }));
}

/** The code the console provider "sent" for a request id (or the latest to `phone`). */
export function codeFor(t: TestApp, requestIdOrPhone: string): string {
  const found = [...t.otpMessages].reverse().find((m) =>
    m.request_id === requestIdOrPhone || m.phone === requestIdOrPhone
  );
  if (!found) throw new Error(`no code was sent for ${requestIdOrPhone}`);
  return found.code;
}

/** A code that is not `code` (for wrong-code cases). */
export function wrongCode(code: string): string {
  return String((Number(code) + 1) % 1_000_000).padStart(6, "0");
}

export async function requestCode(
  t: TestApp,
  phone = PHONE_LOCAL,
  extra: Record<string, unknown> = {},
): Promise<{ request_id: string; expires_at: string; resend_after_seconds: number }> {
  const res = await postJson(t.app, "/api/auth/phone/request/", {
    phone_number: phone,
    channel: "sms",
    ...ACCEPT_PRIVACY,
    ...extra,
  });
  if (res.status !== 201) throw new Error(`request code: ${res.status} ${await res.text()}`);
  return await res.json();
}

export interface LoggedIn {
  access: string;
  refresh: string;
  user: Record<string, unknown>;
}

/** Logs in through the API as a non-browser client and returns the tokens. */
export async function login(t: TestApp, phone = PHONE_LOCAL): Promise<LoggedIn> {
  const { request_id } = await requestCode(t, phone);
  const res = await postJson(t.app, "/api/auth/phone/verify/", {
    request_id,
    code: codeFor(t, request_id),
  });
  if (res.status !== 200) throw new Error(`verify: ${res.status} ${await res.text()}`);
  return await res.json();
}

/** What a login request sends to accept the current privacy notice. */
export const ACCEPT_PRIVACY = {
  accept_privacy_notice: true,
  notice_version: PRIVACY_NOTICE_VERSION,
} as const;

/** The login form's privacy notice checkbox, ticked. */
export const ACCEPT_PRIVACY_FORM = {
  accept_privacy_notice: "yes",
  notice_version: PRIVACY_NOTICE_VERSION,
} as const;

/** A user row straight in the database. */
export async function makeUser(
  db: Db,
  fields: { phone?: string; email?: string; firstName?: string; isAdmin?: boolean } = {},
): Promise<string> {
  const [row] = await db.query<{ id: string }>(
    `INSERT INTO users (phone_number, email, first_name, is_admin) VALUES ($1, $2, $3, $4)
     RETURNING id`,
    [fields.phone ?? PHONE, fields.email ?? null, fields.firstName ?? "", fields.isAdmin ?? false],
  );
  return row.id;
}

/** A tiny cookie jar: collects Set-Cookie from responses, sends them back as Cookie. */
export class CookieJar {
  #cookies = new Map<string, string>();
  take(res: Response): Response {
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(";");
      const eq = pair.indexOf("=");
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attrs.some((a) => /^\s*max-age=0\s*$/i.test(a)) || value === "";
      if (expired) this.#cookies.delete(name);
      else this.#cookies.set(name, value);
    }
    return res;
  }
  get(name: string): string | undefined {
    return this.#cookies.get(name);
  }
  set(name: string, value: string) {
    this.#cookies.set(name, value);
  }
  delete(name: string) {
    this.#cookies.delete(name);
  }
  header(): string {
    return [...this.#cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }
}

export const ACCESS_COOKIE = "__Host-salon_access";
export const REFRESH_COOKIE = "__Host-salon_refresh";

/** Logs in the way a browser does (same-origin fetch) and returns the cookie jar holding the session. */
export async function browserLogin(t: TestApp, phone = PHONE_LOCAL): Promise<CookieJar> {
  const jar = new CookieJar();
  const { request_id } = await requestCode(t, phone);
  const res = jar.take(
    await postJson(t.app, "/api/auth/phone/verify/", {
      request_id,
      code: codeFor(t, request_id),
    }, { "sec-fetch-site": "same-origin" }),
  );
  if (res.status !== 200) throw new Error(`verify: ${res.status} ${await res.text()}`);
  return jar;
}
