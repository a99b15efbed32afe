/**
 * Hostile input, route by route. The test walks the route table (a route added tomorrow is covered
 * the day it lands) and sends every unsafe method a handler defines, and every GET that reads path
 * or query parameters, generated bad input: wrong types, missing and extra fields, huge and empty
 * strings, control and bidi characters, SQL and HTML injection, invalid UTF-8, wrong content types,
 * bodies over the 64 KB limit, malformed path parameters, bad webhook tokens and forged
 * credentials; as an anonymous client, as a customer with a Bearer token and as a customer with a
 * browser session (cookies and the CSRF token read from a page). Field and query names come from
 * each route's own source (its zod schemas, `form.x`, `c.req.query("x")`), so the bad values reach
 * the fields a handler reads; "valid but one field" cases put one bad value among plausible ones.
 *
 * Every answer must be below 500 (a deliberate, localized 501 "not available yet" or 503 "online
 * payment is off" aside); a rejection under /api/ is JSON with a `detail` in the request's
 * language, elsewhere an HTML page in that language; no HTML page echoes the injected markup; a
 * redirect stays on this site. And a rejected request changes nothing: every table's row count and
 * a hash of all its rows are compared before and after each route's batch, and between requests a
 * cheap probe (the next transaction id: any write moves it) says when to compare the full
 * fingerprint, so a change is pinned to the request that made it. A request the app accepted
 * (2xx/3xx: odd but valid input, e.g. a logout with a junk body, or cancelling one's own booking
 * with an SQL-looking reason) may change the caller's own data; those are listed in the output.
 */
import assert from "node:assert/strict";
import type { Db } from "@/db/types.ts";
import { translator } from "@/i18n/mod.ts";
import { setLogLevel } from "@/log.ts";
import type { Method, RouteModule } from "@/routes/_define.ts";
import { routes } from "@/routes/_routes.ts";
import { createSession, csrfTokenFor } from "@/services/auth/sessions.ts";
import { USER_COLUMNS, userFromRow, type UserRow } from "@/services/auth/users.ts";
import { makeTestApp, type TestApp } from "./helpers/app.ts";
import { ACCESS_COOKIE, browserLogin, CookieJar, login, REFRESH_COOKIE } from "./helpers/auth.ts";
import { makeBooking, makeSalon, makeService, makeStaff } from "./helpers/factories.ts";

const UNSAFE: ReadonlySet<string> = new Set(["POST", "PUT", "PATCH", "DELETE"]);
const LIMIT = 64 * 1024;
const WEBHOOK_SECRET = "whsec_hostile_input_test_0123456789";
const ARABIC = /[\u0621-\u064A]/;
const LATIN = /[A-Za-z]/;
/** Markup the corpus injects; no HTML answer may contain it unescaped. */
const XSS_MARKERS = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>"];

// ---------------------------------------------------------------------------------------------
// The corpus
// ---------------------------------------------------------------------------------------------

const S = {
  sql: "' OR '1'='1'; DROP TABLE bookings; --",
  html: `"><script>alert(1)</script><img src=x onerror=alert(1)>`,
  control: "\u202Eevil\u0000\uFEFF\u0007\r\nSet-Cookie: x=1",
  nul: "\u0000",
  bidi: "\u202E\u2066\u200F",
  surrogate: "\uD800x\uDFFF",
  unicode: "ﷺ𝕏\u0301\u0301\u0301",
  empty: "",
};

/** Wrong JSON types, handed out to fields in turn. */
const WRONG_TYPES: unknown[] = [
  12345,
  true,
  null,
  [],
  {},
  -1.5,
  { $gt: "" },
  ["a", "b"],
  1e308,
  "NaN",
];

/** Query values of the wrong shape, handed out to names in turn. */
const ODD_QUERY_VALUES = [
  "-1",
  "1e309",
  "NaN",
  "99999999999999999999",
  "2026-02-30",
  "0000-00-00",
  "00000000-0000-0000-0000-000000000000",
  "any",
  "true",
  "[object Object]",
];

/** Malformed path parameters (already URL-encoded where needed). */
const HOSTILE_PARAMS: { name: string; value: string }[] = [
  { name: "not a uuid", value: "not-a-uuid" },
  { name: "10 KB long", value: "x".repeat(10_240) },
  { name: "../ (normalised away by the URL)", value: "../.." },
  { name: "encoded ../", value: "..%2F..%2F..%2Fetc%2Fpasswd" },
  { name: "%00", value: "%00" },
  { name: "bidi, NUL and BOM", value: "%E2%80%AE%00%EF%BB%BF" },
  { name: "SQL", value: encodeURIComponent(S.sql) },
  { name: "HTML", value: encodeURIComponent(S.html) },
  { name: "invalid UTF-8 escape", value: "%FF%FE%C0%AF" },
  { name: "nil uuid", value: "00000000-0000-0000-0000-000000000000" },
];

interface Case {
  name: string;
  /** Headers besides the actor's and the language. */
  headers?: Record<string, string>;
  body?: () => BodyInit;
  /** The status this case must get, when the outcome is certain. */
  expect?: number;
  /** Replace the path parameters with this (already encoded) value. */
  param?: string;
  query?: string;
  /** Sent without the actor's credentials (hostile ones are in `headers`). */
  noCredentials?: boolean;
  /** Drop the CSRF token (cookie session only). */
  noCsrf?: boolean;
}

interface RouteShape {
  /** Body field names the route's source reads. */
  fields: string[];
  /** Query names the route's source reads. */
  queries: string[];
  /** `form.action === "verify"`: branch values worth reaching. */
  branches: [string, string][];
  webhook: boolean;
  readsQuery: boolean;
}

const ROUTES_DIR = new URL("../routes/", import.meta.url);

/** Field, query and branch names from a route file and the route files it imports. */
async function shapeOf(file: string): Promise<RouteShape> {
  const sources: string[] = [];
  const seen = new Set<string>();
  const read = async (url: URL, depth: number) => {
    if (seen.has(url.href)) return;
    seen.add(url.href);
    let text: string;
    try {
      text = await Deno.readTextFile(url);
    } catch {
      return;
    }
    sources.push(text);
    if (depth === 0) return;
    for (const [, spec] of text.matchAll(/from\s+"((?:\.{1,2}\/|@\/routes\/)[^"]+)"/g)) {
      const target = spec.startsWith("@/routes/")
        ? new URL(spec.slice("@/routes/".length), ROUTES_DIR)
        : new URL(spec, url);
      await read(target, depth - 1);
    }
  };
  await read(new URL(file, ROUTES_DIR), 1);
  const text = sources.join("\n");
  const fields = new Set<string>();
  const queries = new Set<string>();
  const branches = new Map<string, [string, string]>();
  const word = "([a-z][a-z0-9_]*)";
  for (
    const re of [
      new RegExp(`\\b${word}\\s*:\\s*(?:z\\.|uuid\\(|isoDate|staffChoice|[a-z]\\w*Field\\b)`, "g"),
      new RegExp(`\\b(?:form|body|values|parsed\\.data)\\.${word}\\b`, "g"),
    ]
  ) {
    for (const [, name] of text.matchAll(re)) fields.add(name);
  }
  for (const [, name] of text.matchAll(/\b(?:query|searchParams\.get)\("([a-z_]+)"\)/g)) {
    queries.add(name);
  }
  const readsSchemaQuery = /readQuery\(/.test(text);
  if (readsSchemaQuery) { for (const name of fields) queries.add(name); }
  for (const [, field, value] of text.matchAll(/\bform\.([a-z_]+)\s*===\s*"([^"]+)"/g)) {
    branches.set(`${field}=${value}`, [field, value]);
  }
  for (const drop of ["data", "error", "issues", "success", "length"]) fields.delete(drop);
  return {
    fields: [...fields].sort(),
    queries: [...queries].sort(),
    branches: [...branches.values()],
    webhook: /secret_token/.test(text),
    readsQuery: queries.size > 0 || /req\.query\(\)/.test(text),
  };
}

const json = (value: unknown) => () => JSON.stringify(value);
const bytes = (text: string) => () => new TextEncoder().encode(text);
const JSON_TYPE = { "content-type": "application/json" };
const FORM_TYPE = { "content-type": "application/x-www-form-urlencoded" };

function each<T>(names: string[], value: (name: string, i: number) => T): Record<string, T> {
  return Object.fromEntries(names.map((name, i) => [name, value(name, i)]));
}

function urlencoded(values: Record<string, string>): string {
  return new URLSearchParams(values).toString();
}

/** One bad value per kind, for the "everything valid but one field" cases. */
const ONE_BAD: [string, unknown][] = [
  ["control and bidi characters", S.control],
  ["SQL", S.sql],
  ["a wrong type", { $gt: "" }],
  ["HTML", S.html],
  ["2,000 characters", "ﷺ".repeat(2000)],
  ["NUL", `abc${S.nul}`],
  ["empty", S.empty],
  ["bidi override", `${S.bidi}abc`],
];

/**
 * Each field in turn gets a bad value while the others hold plausible ones (`valid`, by field
 * name), so the bad value is what a handler trips over, not a neighbour; JSON and form.
 */
function oneBadFieldCases(shape: RouteShape, valid: Record<string, unknown>): Case[] {
  const fields = shape.fields.slice(0, 12);
  const good = each(fields, (name) => valid[name] ?? "x");
  const cases: Case[] = [];
  for (const [i, field] of fields.entries()) {
    for (const k of [i % ONE_BAD.length, (i + 4) % ONE_BAD.length]) {
      const [kind, value] = ONE_BAD[k];
      const values = { ...good, [field]: value };
      cases.push(
        k % 2
          ? {
            name: `form: valid but ${field} = ${kind}`,
            headers: FORM_TYPE,
            body: () =>
              urlencoded(each(fields, (n) => {
                const v = values[n];
                return typeof v === "string" ? v : JSON.stringify(v);
              })),
          }
          : { name: `json: valid but ${field} = ${kind}`, body: json(values) },
      );
    }
  }
  return cases;
}

/**
 * Bad bodies for an unsafe method, shaped by the fields the route reads. A route declaring a
 * larger body limit (photo uploads, `maxBodyBytes`) refuses 70 KB some other way (4xx).
 */
function bodyCases(
  shape: RouteShape,
  valid: Record<string, unknown>,
  maxBodyBytes?: number,
): Case[] {
  const fields = shape.fields.length ? shape.fields : ["id", "name"];
  const first = fields[0];
  const hugeLength = Math.floor((LIMIT - 4096) / fields.length / 3); // under the limit, even as \u escapes
  const oversized = JSON.stringify({ [first]: "A".repeat(LIMIT + 6 * 1024) });
  const cases: Case[] = [
    { name: "json: wrong types", body: json(each(fields, (_, i) => WRONG_TYPES[i % 10])) },
    { name: "json: missing fields", body: json({}) },
    {
      name: "json: extra fields",
      body: () =>
        JSON.stringify({
          ...each(fields, (_, i) => WRONG_TYPES[(i + 3) % 10]),
          is_admin: true,
          role: "admin",
          status: "completed",
          price_halalas: -1,
          customer_id: "00000000-0000-0000-0000-000000000000",
        }).replace(/^\{/, `{"__proto__":{"is_admin":true},"constructor":{"prototype":{"x":1}},`),
    },
    { name: "json: empty strings", body: json(each(fields, () => S.empty)) },
    { name: "json: huge strings", body: json(each(fields, () => "ﷺ".repeat(hugeLength))) },
    { name: "json: control and bidi characters", body: json(each(fields, () => S.control)) },
    { name: "json: NUL alone", body: json(each(fields, () => S.nul)) },
    { name: "json: bidi overrides alone", body: json(each(fields, () => S.bidi + "abc")) },
    { name: "json: lone surrogates", body: json(each(fields, () => S.surrogate)) },
    { name: "json: SQL injection", body: json(each(fields, () => S.sql)) },
    { name: "json: HTML injection", body: json(each(fields, () => S.html)) },
    { name: "json: combining marks", body: json(each(fields, () => S.unicode)) },
    { name: "json: an array", body: json([each(fields, () => "x")]) },
    { name: "json: null", body: json(null) },
    { name: "json: a string", body: json("{}") },
    {
      name: "json: deeply nested",
      body: () =>
        JSON.stringify({ [first]: "@" }).replace('"@"', "[".repeat(20_000) + "]".repeat(20_000)),
    },
    { name: "json: invalid UTF-8 bytes", body: bytes(`{"${first}":"\xff\xfe\xc0\xaf"}`) },
    { name: "json: malformed", body: () => `{"${first}": "05` },
    { name: "json: duplicate keys", body: () => `{"${first}":"a","${first}":{"$ne":1}}` },
    {
      name: "content type: text/plain",
      headers: { "content-type": "text/plain" },
      body: json(each(fields, () => S.sql)),
    },
    {
      name: "content type: none",
      headers: {},
      body: () => new TextEncoder().encode(JSON.stringify(each(fields, () => S.html))),
    },
    {
      name: "content type: multipart",
      headers: {},
      body: () => {
        const form = new FormData();
        for (const name of fields) form.append(name, S.sql);
        form.append("upload", new File(["x".repeat(10_000)], "../../evil.php"));
        return form;
      },
    },
    {
      name: "content type: multipart without a body",
      headers: { "content-type": "multipart/form-data; boundary=xyz" },
      body: () => "--xyz\r\ngarbage",
    },
    {
      name: "content type: JSON claimed, form sent",
      headers: JSON_TYPE,
      body: () => urlencoded(each(fields, () => S.sql)),
    },
    {
      name: "form: SQL and HTML",
      headers: FORM_TYPE,
      body: () => urlencoded(each(fields, (_, i) => (i % 2 ? S.html : S.sql))),
    },
    {
      name: "form: control characters and huge values",
      headers: FORM_TYPE,
      body: () => urlencoded(each(fields, (_, i) => (i % 2 ? S.control : "A".repeat(hugeLength)))),
    },
    {
      name: "form: invalid UTF-8",
      headers: FORM_TYPE,
      body: bytes(`${first}=%FF%FE%C0%AF&${fields.at(-1)}=\xff\xfe`),
    },
    {
      name: "form: repeated and empty names",
      headers: FORM_TYPE,
      body: () => `${first}=a&${first}=b&=&&${first}[]=c&${fields.at(-1)}`,
    },
    {
      name: "oversized: 70 KB with a Content-Length",
      headers: { ...JSON_TYPE, "content-length": String(oversized.length) },
      body: () => new TextEncoder().encode(oversized),
      expect: maxBodyBytes ? undefined : 413,
    },
    {
      name: "oversized: 70 KB streamed (no Content-Length)",
      headers: JSON_TYPE,
      body: () =>
        new ReadableStream({
          start(controller) {
            const chunk = new TextEncoder().encode(oversized);
            for (let i = 0; i < chunk.length; i += 8192) {
              controller.enqueue(chunk.slice(i, i + 8192));
            }
            controller.close();
          },
        }),
    },
    {
      name: "header: hostile Idempotency-Key",
      headers: { ...JSON_TYPE, "idempotency-key": `${S.sql}${"k".repeat(4000)}` },
      body: json(each(fields, () => S.sql)),
    },
    ...oneBadFieldCases(shape, valid),
  ];
  for (const [field, value] of shape.branches) {
    cases.push({
      name: `form: ${field}=${value} with SQL and HTML`,
      headers: FORM_TYPE,
      body: () =>
        urlencoded({ ...each(fields, (_, i) => (i % 2 ? S.html : S.sql)), [field]: value }),
    });
    cases.push({
      name: `form: ${field}=${value} with control characters`,
      headers: FORM_TYPE,
      body: () => urlencoded({ ...each(fields, () => S.control), [field]: value }),
    });
  }
  if (shape.webhook) {
    const event = (token: unknown) => ({
      id: crypto.randomUUID(),
      type: "payment_paid",
      created_at: "2026-11-21T09:00:00Z",
      ...(token === undefined ? {} : { secret_token: token }),
      live: false,
      data: { id: crypto.randomUUID(), status: "paid", amount: 10000, currency: "SAR" },
    });
    const tokens: [string, unknown][] = [
      ["wrong, same length", WEBHOOK_SECRET.replace(/.$/, "X")],
      ["a prefix of the secret", WEBHOOK_SECRET.slice(0, 10)],
      ["the secret with more after it", WEBHOOK_SECRET + "x"],
      ["empty", ""],
      ["missing", undefined],
      ["not a string", 12345],
      ["NUL", WEBHOOK_SECRET.slice(0, 5) + "\u0000"],
      ["SQL", S.sql],
      ["1000 characters", "s".repeat(1000)],
    ];
    for (const [name, token] of tokens) {
      cases.push({ name: `webhook: token ${name}`, body: json(event(token)) });
    }
    cases.push({
      name: "webhook: bad token in a header instead",
      headers: { ...JSON_TYPE, authorization: `Bearer ${WEBHOOK_SECRET}` },
      body: json(event(undefined)),
    });
  }
  return cases.map((c) => ({
    ...c,
    headers: {
      ...(c.headers ?? JSON_TYPE),
      ...(c.headers?.["idempotency-key"] ? {} : { "idempotency-key": crypto.randomUUID() }),
    },
  }));
}

/** Bad query strings for a GET, shaped by the names the route reads. */
function queryCases(shape: RouteShape, real: Record<string, string>): Case[] {
  const names = shape.queries.length ? shape.queries : ["q", "id"];
  const q = (values: Record<string, string>) => new URLSearchParams(values).toString();
  return [
    { name: "query: SQL injection", query: q(each(names, () => S.sql)) },
    { name: "query: HTML injection", query: q(each(names, () => S.html)) },
    { name: "query: control and bidi characters", query: q(each(names, () => S.control)) },
    { name: "query: empty", query: names.map((n) => `${n}=`).join("&") },
    {
      name: "query: huge (10 KB each)",
      query: q(each(names.slice(0, 6), () => "x".repeat(10_240))),
    },
    { name: "query: odd shapes", query: q(each(names, (_, i) => ODD_QUERY_VALUES[i % 10])) },
    {
      name: "query: repeated names and brackets",
      query: names.map((n) => `${n}=a&${n}=b&${n}[]=c&${n}[x]=d`).join("&"),
    },
    {
      name: "query: invalid percent-encoding",
      query: names.map((n) => `${n}=%FF%FE%&${n}%00=1`).join("&"),
    },
    { name: "query: NUL", query: names.map((n) => `${n}=%00`).join("&") },
    {
      name: "query: real ids, hostile rest",
      query: q(each(names, (n, i) => real[n] ?? [S.sql, "2026-13-45", "15", S.html][i % 4])),
    },
  ];
}

function paramCases(method: string): Case[] {
  return HOSTILE_PARAMS.map((p, i) => ({
    name: `path: ${p.name}`,
    param: p.value,
    ...(UNSAFE.has(method)
      ? i % 2
        ? { headers: { ...FORM_TYPE, "idempotency-key": crypto.randomUUID() }, body: () => "" }
        : { headers: { ...JSON_TYPE, "idempotency-key": crypto.randomUUID() }, body: json({}) }
      : {}),
  }));
}

/** Forged or broken credentials (sent instead of the actor's own). */
function credentialCases(method: string): Case[] {
  const body = UNSAFE.has(method) ? { body: json({}) } : {};
  const forged = ["eyJhbGciOiJub25lIn0", btoa('{"sub":"x","role":"admin"}'), ""].join(".");
  return [
    {
      name: "credentials: forged alg=none token",
      headers: { ...JSON_TYPE, authorization: `Bearer ${forged}` },
    },
    {
      name: "credentials: SQL as a Bearer token",
      headers: { ...JSON_TYPE, authorization: `Bearer ${encodeURIComponent(S.sql)}` },
    },
    {
      name: "credentials: hostile session cookies",
      headers: {
        ...JSON_TYPE,
        cookie: `${ACCESS_COOKIE}=${encodeURIComponent(S.html)}; ${REFRESH_COOKIE}=${
          "r".repeat(5000)
        }; lang=${encodeURIComponent(S.sql)}; digits=%00`,
      },
    },
    {
      name: "credentials: hostile Accept-Language",
      headers: { ...JSON_TYPE, "accept-language": `${S.sql},*;q=NaN,${"x".repeat(5000)}` },
    },
  ].map((c) => ({ ...c, ...body, noCredentials: true }));
}

// ---------------------------------------------------------------------------------------------
// The world, the actors, the change detector
// ---------------------------------------------------------------------------------------------

interface Actor {
  name: string;
  userId: string | null;
  /** Bookings of this customer: upcoming and completed. */
  own: string[];
  headers(): Record<string, string>;
  jar?: CookieJar;
  csrf?: string;
  access?: string;
}

async function sessionFor(t: TestApp, userId: string) {
  const [row] = await t.db.query<UserRow>(`SELECT ${USER_COLUMNS} FROM users WHERE id = $1`, [
    userId,
  ]);
  return await createSession(t.db, t.config, t.clock.now(), userFromRow(row));
}

/** Lists each public table's row count and a hash of its rows, in one query. */
async function fingerprintQuery(db: Db): Promise<string> {
  const tables = (await db.query<{ tablename: string }>(
    "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename",
  )).map((r) => r.tablename);
  return "SELECT " +
    tables.map((name) =>
      `(SELECT count(*)::text || ':' || coalesce(md5(string_agg(x::text, '|' ORDER BY x::text)), '-')
      FROM "${name}" x) AS "${name}"`
    ).join(",\n");
}

class ChangeDetector {
  #xmax = "";
  #sql = "";
  baseline: Record<string, string> = {};
  constructor(private db: Db) {}

  async #probe(): Promise<string> {
    const [row] = await this.db.query<{ x: string }>(
      "SELECT pg_snapshot_xmax(pg_current_snapshot())::text AS x",
    );
    return row.x;
  }

  async fingerprint(): Promise<Record<string, string>> {
    this.#sql ||= await fingerprintQuery(this.db);
    const [row] = await this.db.query<Record<string, string>>(this.#sql);
    return row;
  }

  async reset(): Promise<void> {
    this.#xmax = await this.#probe();
    this.baseline = await this.fingerprint();
  }

  /** Tables changed since the last call (empty when none); moves the baseline. */
  async changed(): Promise<string[]> {
    const xmax = await this.#probe();
    if (xmax === this.#xmax) return [];
    this.#xmax = xmax;
    const now = await this.fingerprint();
    const tables = Object.keys(now).filter((k) => now[k] !== this.baseline[k]);
    this.baseline = now;
    return tables;
  }
}

function fill(pattern: string, values: Record<string, string>): string {
  return pattern.replace(/:([a-zA-Z]+)/g, (_, name) => values[name] ?? "x");
}

function preview(text: string): string {
  return JSON.stringify(text.length > 160 ? `${text.slice(0, 160)}…` : text);
}

// ---------------------------------------------------------------------------------------------
// The test
// ---------------------------------------------------------------------------------------------

Deno.test("hostile input - every route and method: a localized 4xx, never a 5xx, nothing changed", async (t) => {
  const started = performance.now();
  const app = await makeTestApp({ MOYASAR_WEBHOOK_SECRET: WEBHOOK_SECRET });
  setLogLevel("error"); // bad webhook tokens are logged as warnings; 500s stay visible
  try {
    const { db } = app;
    // A salon with a service and a staff member, a victim with a booking, and two signed-in
    // customers (Bearer and cookie session) each with an upcoming and a completed booking.
    const salon = await makeSalon(db);
    const service = await makeService(db, salon);
    const staff = await makeStaff(db, salon, { services: [service.id] });
    const [victim] = await db.query<{ id: string }>(
      "INSERT INTO users (phone_number, first_name) VALUES ('+966511111111', 'Victim') RETURNING id",
    );
    const bookingFor = async (customerId: string, startsAt: string, status = "confirmed") =>
      (await makeBooking(db, {
        service,
        staff,
        starts_at: new Date(startsAt),
        customer_id: customerId,
        status,
      })).id;
    const victimBooking = await bookingFor(victim.id, "2026-11-26T08:00:00Z");
    await db.query("INSERT INTO booking_links (code, booking_id) VALUES ('Ab3dE9xZ', $1)", [
      victimBooking,
    ]);

    const tokens = await login(app, "0512345678");
    const bearerId = String(tokens.user.id);
    const jar = await browserLogin(app, "0512345679");
    const me = await app.app.request("/me", { headers: { cookie: jar.header() } });
    const meHtml = await me.text();
    const csrf = /name="csrf_token" value="([^"]+)"/.exec(meHtml)?.[1];
    assert.ok(csrf, `no csrf_token on /me (${me.status})`);
    const [cookieUser] = await db.query<{ id: string }>(
      "SELECT id FROM users WHERE phone_number = '+966512345679'",
    );

    const bearer: Actor = {
      name: "customer (Bearer)",
      userId: bearerId,
      own: [
        await bookingFor(bearerId, "2026-11-25T08:00:00Z"),
        await bookingFor(bearerId, "2026-11-15T08:00:00Z", "completed"),
      ],
      access: tokens.access,
      headers() {
        return { authorization: `Bearer ${this.access}` };
      },
    };
    const cookie: Actor = {
      name: "customer (cookie session)",
      userId: cookieUser.id,
      own: [
        await bookingFor(cookieUser.id, "2026-11-25T10:00:00Z"),
        await bookingFor(cookieUser.id, "2026-11-14T08:00:00Z", "completed"),
      ],
      jar,
      csrf,
      headers() {
        return { cookie: this.jar!.header(), "x-csrf-token": this.csrf! };
      },
    };
    const anonymous: Actor = { name: "anonymous", userId: null, own: [], headers: () => ({}) };
    const actors = [anonymous, bearer, cookie];

    /** Signs a customer in again when an accepted request (a logout) ended their session. */
    const ensureSignedIn = async (actor: Actor) => {
      if (!actor.userId) return;
      const res = await app.app.request("/api/auth/me/", { headers: actor.headers() });
      actor.jar?.take(res);
      await res.body?.cancel();
      if (res.status === 200) return;
      const session = await sessionFor(app, actor.userId);
      if (actor.jar) {
        actor.jar.set(ACCESS_COOKIE, session.access);
        actor.jar.set(REFRESH_COOKIE, session.refresh);
        actor.csrf = await csrfTokenFor(app.config, session.sessionId);
      } else {
        actor.access = session.access;
      }
    };

    const detector = new ChangeDetector(db);
    const accepted: string[] = [];
    let requests = 0;

    const realIds = (actor: Actor, i: number): Record<string, string> => {
      const bookings = actor.own.length ? [...actor.own, victimBooking] : [victimBooking];
      return {
        slug: salon.slug,
        id: bookings[i % bookings.length],
        code: "Ab3dE9xZ",
      };
    };
    /** Plausible values by field name (the valid neighbours of a bad field). */
    const validValues: Record<string, unknown> = {
      phone_number: "0512345670",
      channel: "sms",
      device_id: "device-1",
      next: "/me",
      request_id: crypto.randomUUID(),
      rid: crypto.randomUUID(),
      code: "123456",
      refresh: "not-a-refresh-token",
      first_name: "Noura",
      last_name: "Alharbi",
      email: "noura@example.sa",
      preferred_language: "en",
      salon: salon.slug,
      service: service.id,
      staff: "any",
      start: "2026-11-27T08:00:00Z",
      date: "2026-11-27",
      reason: "Travelling",
      rating: 5,
      text: "Lovely, thank you",
      reply: "Thank you for visiting",
      booking_id: victimBooking,
      accept_privacy_notice: true,
      id: crypto.randomUUID(),
      type: "payment_paid",
      secret_token: "wrong-secret",
    };
    const notice = await app.app.request("/api/privacy/notice/");
    if (notice.ok) validValues.notice_version = (await notice.json()).version;
    else await notice.body?.cancel();
    const realQuery = {
      service: service.id,
      staff: staff.id,
      booking_id: victimBooking,
      salon: salon.slug,
      date: "2026-11-25",
    };

    for (const [pattern, module, file] of routes) {
      const shape = await shapeOf(file);
      const methods = methodsOf(module);
      const hasParams = pattern.includes(":");
      const targets = methods.filter((m) => UNSAFE.has(m) || hasParams || shape.readsQuery);
      if (targets.length === 0) continue;

      await t.step(`${targets.join(", ")} ${pattern}`, async () => {
        const failures: string[] = [];
        for (const actor of actors) await ensureSignedIn(actor);
        await detector.reset();
        const before = detector.baseline;
        let changedOwnData = false;

        for (const method of targets) {
          const cases: Case[] = UNSAFE.has(method)
            ? [
              ...bodyCases(shape, validValues, module.maxBodyBytes),
              ...(hasParams ? paramCases(method) : []),
            ]
            : [
              ...(shape.readsQuery ? queryCases(shape, realQuery) : []),
              ...(hasParams ? paramCases(method) : []),
            ];
          for (const actor of actors) {
            const list = [...cases];
            if (actor === anonymous) list.push(...credentialCases(method));
            if (actor === cookie && UNSAFE.has(method)) {
              list.push({
                name: "cookie session without the CSRF token",
                headers: FORM_TYPE,
                body: () => urlencoded(each(shape.fields, () => "x")),
                noCsrf: true,
                expect: 403,
              });
            }
            for (const [i, c] of list.entries()) {
              // A hostile Accept-Language is ignored: the default, Arabic, answers.
              const locale = c.headers?.["accept-language"] ? "ar" : i % 2 ? "en" : "ar";
              const path = c.param !== undefined
                ? pattern.replace(/:[a-zA-Z]+/g, c.param)
                : fill(pattern, realIds(actor, i));
              const url = `http://localhost${path}${c.query ? `?${c.query}` : ""}`;
              const credentials = c.noCredentials ? {} : actor.headers();
              if (c.noCsrf) delete credentials["x-csrf-token"];
              const headers: Record<string, string> = {
                "accept-language": locale,
                ...credentials,
                ...c.headers,
              };
              const label = `${method} ${pattern} · ${actor.name} · ${c.name}`;
              let res: Response;
              requests++;
              try {
                res = await app.app.request(
                  new Request(url, {
                    method,
                    headers,
                    body: c.body?.(),
                    ...(c.body ? { duplex: "half" } : {}),
                  } as RequestInit),
                );
              } catch (err) {
                failures.push(`${label}: threw ${err}`);
                continue;
              }
              actor.jar?.take(res);
              const problem = await judge(res, {
                api: new URL(url).pathname.startsWith("/api/"),
                locale,
                expect: c.expect,
              });
              if (problem) failures.push(`${label}: ${problem}`);
              const tables = await detector.changed();
              if (tables.length) {
                if (res.status >= 400) {
                  failures.push(`${label}: ${res.status} but changed ${tables.join(", ")}`);
                } else {
                  accepted.push(
                    `${method} ${pattern} · ${actor.name}: ${res.status} → ${tables.join(", ")}`,
                  );
                  changedOwnData = true;
                  // A logout (or an account change) may have ended the session: sign in again.
                  await ensureSignedIn(actor);
                  await detector.reset();
                }
              }
            }
            await ensureSignedIn(actor);
            await detector.reset();
          }
        }
        if (!changedOwnData) {
          const after = await detector.fingerprint();
          const differs = Object.keys(after).filter((k) => after[k] !== before[k]);
          if (differs.length) failures.push(`${pattern}: tables changed: ${differs.join(", ")}`);
        }
        assert.equal(failures.length, 0, `\n${failures.slice(0, 40).join("\n")}\n`);
      });
    }

    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(`hostile input: ${requests} requests in ${seconds} s`);
    if (accepted.length) {
      // Grouped: e.g. "POST /logout · customer (Bearer): 303 → sessions ×29".
      const groups = new Map<string, number>();
      for (const line of accepted) groups.set(line, (groups.get(line) ?? 0) + 1);
      console.log(
        `accepted as valid input and applied (${accepted.length} requests):\n  ` +
          [...groups].map(([line, n]) => `${line} ×${n}`).join("\n  "),
      );
    }
  } finally {
    await app.close();
  }
});

function methodsOf(module: RouteModule): Method[] {
  const methods = Object.keys(module.handler ?? {}) as Method[];
  if (module.default && !methods.includes("GET")) methods.push("GET");
  return methods;
}

/** "Not implemented yet" and "online payment is off" are answers, not failures. */
const DELIBERATE = new Set([501, 503]);
const INTERNAL = new Set([translator("ar")("error.internal"), translator("en")("error.internal")]);

function isLocalized(text: string): boolean {
  try {
    const detail = JSON.parse(text).detail;
    return typeof detail === "string" && detail !== "" && !INTERNAL.has(detail);
  } catch {
    return false;
  }
}

/** What is wrong with an answer (null when nothing). */
async function judge(
  res: Response,
  { api, locale, expect }: { api: boolean; locale: "ar" | "en"; expect?: number },
): Promise<string | null> {
  const type = res.headers.get("content-type") ?? "";
  const text = await res.text();
  if (res.status >= 500 && !(DELIBERATE.has(res.status) && api && isLocalized(text))) {
    return `${res.status} ${preview(text)}`;
  }
  if (expect !== undefined && res.status !== expect) {
    return `expected ${expect}, got ${res.status} ${preview(text)}`;
  }
  if (type.includes("text/html")) {
    for (const marker of XSS_MARKERS) {
      if (text.includes(marker)) return `${res.status}: the page echoes ${marker} unescaped`;
    }
  }
  if (res.status >= 300 && res.status < 400) {
    const location = res.headers.get("location") ?? "";
    if (!/^\/(?![/\\])/.test(location) || [...location].some((ch) => ch.charCodeAt(0) < 0x20)) {
      return `${res.status} redirects off-site or to a malformed location: ${preview(location)}`;
    }
  }
  if (res.status < 400) return null;
  if (api) {
    if (!type.includes("application/json")) return `${res.status} is not JSON: ${type}`;
    let body: { detail?: unknown };
    try {
      body = JSON.parse(text);
    } catch {
      return `${res.status}: unparsable JSON ${preview(text)}`;
    }
    if (typeof body.detail !== "string" || !body.detail) {
      return `${res.status}: no detail ${preview(text)}`;
    }
    const arabic = ARABIC.test(body.detail);
    if (locale === "ar" && !arabic) return `${res.status}: detail not in Arabic: ${body.detail}`;
    if (locale === "en" && (arabic || !LATIN.test(body.detail))) {
      return `${res.status}: detail not in English: ${body.detail}`;
    }
    return null;
  }
  if (!type.includes("text/html")) return `${res.status} page is not HTML: ${type}`;
  const html = /<html lang="(\w+)" dir="(\w+)"/.exec(text);
  if (!html || html[1] !== locale || html[2] !== (locale === "ar" ? "rtl" : "ltr")) {
    return `${res.status} page is not in ${locale}: ${preview(text.slice(0, 200))}`;
  }
  if (locale === "ar" && !ARABIC.test(text.replace(/<head>[\s\S]*<\/head>/, ""))) {
    return `${res.status} page has no Arabic text`;
  }
  return null;
}
