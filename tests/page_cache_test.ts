/**
 * The public page cache: signed-out visitors share one rendering of the home, salon, booking and
 * reviews pages, and every change in the database (through this instance, another one, or plain
 * SQL) drops the renderings it touches. The unit part covers runtime/page_cache.ts; the app part
 * drives the real routes on both back ends.
 */
import assert from "node:assert/strict";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { loadConfig } from "@/config.ts";
import { setLogLevel } from "@/log.ts";
import { PublicPages } from "@/routes/_page_cache.ts";
import { negotiateCoding, PageCache } from "@/runtime/page_cache.ts";
import { cspHash } from "@/runtime/render.ts";
import { browserLogin, type CookieJar } from "./helpers/auth.ts";
import { makeTestApp, type TestApp } from "./helpers/app.ts";
import { testBackend } from "./helpers/db.ts";
import { makeBooking, makeSalon, makeService, makeStaff } from "./helpers/factories.ts";

const backend = testBackend();

// ---- runtime/page_cache.ts ----

function cacheAt(clock: { ms: number }, maxBytes = 1 << 20, ttlMs = 1000) {
  return new PageCache({ ttlMs, maxBytes, now: () => clock.ms });
}
const page = (html: string, tag = "") => ({ html, headers: {}, tag });

Deno.test("page cache - a page lives until its time is up, then is rendered again", () => {
  const clock = { ms: 0 };
  const cache = cacheAt(clock);
  cache.store("k", page("<p>one</p>"), cache.generation);
  clock.ms = 999;
  assert.equal(new TextDecoder().decode(cache.get("k")?.bodies.identity), "<p>one</p>");
  clock.ms = 1000;
  assert.equal(cache.get("k"), undefined);
  assert.equal(cache.size, 0);
  assert.equal(cache.bytes, 0);
});

Deno.test("page cache - a salon's change drops its pages and the pages showing any salon only", () => {
  const cache = cacheAt({ ms: 0 });
  cache.store("home", page("home", ""), 0);
  cache.store("a", page("salon a", "salon-a"), 0);
  cache.store("b", page("salon b", "salon-b"), 0);
  cache.invalidate("salon-a");
  assert.equal(cache.get("a"), undefined);
  assert.equal(cache.get("home"), undefined, "the home page lists every salon");
  assert.ok(cache.get("b"), "another salon's page stays");
  cache.invalidate("");
  assert.equal(cache.get("b"), undefined, "'' means anything may have changed");
});

Deno.test("page cache - a rendering that overlapped a change is not kept", () => {
  const cache = cacheAt({ ms: 0 });
  const before = cache.generation;
  cache.invalidate("salon-a"); // arrives while the page was being rendered
  assert.equal(cache.store("a", page("stale"), before), undefined);
  assert.equal(cache.get("a"), undefined);
  assert.ok(cache.store("a", page("fresh"), cache.generation));
});

Deno.test("page cache - memory stays under its bound, least recently used pages go first", () => {
  const html = (n: number) => `<p>${n}:${crypto.randomUUID().repeat(40)}</p>`;
  const one = cacheAt({ ms: 0 }).store("x", page(html(0)), 0)!.bytes;
  const cache = cacheAt({ ms: 0 }, one * 5.5);
  for (let i = 0; i < 5; i++) cache.store(`p${i}`, page(html(i)), 0);
  assert.ok(cache.get("p0"), "p0 is used again, so p1 is now the oldest");
  cache.store("p5", page(html(5)), 0);
  assert.equal(cache.get("p1"), undefined);
  assert.ok(cache.get("p0") && cache.get("p5"));
  assert.ok(cache.bytes <= one * 5.5);
  assert.equal(
    cacheAt({ ms: 0 }, one * 3).store("huge", page(html(9)), 0),
    undefined,
    "a page larger than a quarter of the cache is not kept",
  );
});

Deno.test("page cache - concurrent misses render once, the others wait for it", async () => {
  const cache = cacheAt({ ms: 0 });
  let renders = 0;
  const render = async () => {
    renders++;
    await new Promise((r) => setTimeout(r, 20));
    cache.store("k", page("once"), cache.generation);
    return "rendered";
  };
  const results = await Promise.all(Array.from({ length: 10 }, () => cache.once("k", render)));
  assert.equal(renders, 1);
  assert.deepEqual(results.filter(Boolean), ["rendered"]);
  assert.ok(cache.get("k"), "the waiters find the page");
});

Deno.test("page cache - bodies in every coding decode to the same page; codings negotiated by q", () => {
  const cache = cacheAt({ ms: 0 });
  const html = `<!DOCTYPE html><p dir="rtl">صالون لمسة ${"ـ".repeat(3000)}</p>`;
  const cached = cache.store("k", page(html), 0)!;
  const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  assert.equal(text(cached.bodies.identity), html);
  assert.equal(text(gunzipSync(cached.bodies.gzip)), html);
  assert.equal(text(brotliDecompressSync(cached.bodies.br)), html);
  assert.ok(cached.bodies.br.length < cached.bodies.identity.length / 4);
  const cases: [string | undefined, string][] = [
    [undefined, "identity"],
    ["gzip, deflate, br, zstd", "br"],
    ["gzip", "gzip"],
    ["br;q=0.5, gzip", "gzip"],
    ["br;q=0, gzip;q=0", "identity"],
    ["*", "br"],
    ["*;q=0, gzip;q=0.1", "gzip"],
    ["identity", "identity"],
  ];
  for (const [header, expected] of cases) assert.equal(negotiateCoding(header), expected, header);
});

// ---- the app ----

interface Fixture {
  t: TestApp;
  salon: { id: string; slug: string };
  service: { id: string };
}

async function fixture(env: Record<string, string> = {}): Promise<Fixture> {
  const t = await makeTestApp(env);
  const salon = await makeSalon(t.db, { name_en: "Cache Salon" });
  const service = await makeService(t.db, salon, { name_en: "Silk Press", price_halalas: 15000 });
  await makeStaff(t.db, salon, { services: [service.id], name_en: "Noura" });
  return { t, salon, service };
}

const get = (app: TestApp["app"], path: string, headers: Record<string, string> = {}) =>
  app.request(path, { headers: { "accept-language": "en", ...headers } });

async function textOf(app: TestApp["app"], path: string, headers?: Record<string, string>) {
  const res = await get(app, path, headers);
  assert.equal(res.status, 200, path);
  return await res.text();
}

/** Announcements reach a Postgres listener on its own connection: give them a moment. */
async function eventually(check: () => Promise<boolean>, what: string) {
  const deadline = Date.now() + 5000;
  while (!(await check())) {
    if (Date.now() > deadline) assert.fail(`not within 5 s: ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Changes rows without announcing it (triggers off): only the clock can end a cached page then. */
/**
 * Hessa signed in through the browser login: her cookie jar, and the access cookie alone (what a
 * page view sends once the refresh cookie could not renew anything).
 */
async function signInHessa(t: TestApp): Promise<{ jar: CookieJar; access: string }> {
  await t.db.query(
    "INSERT INTO users (phone_number, first_name) VALUES ('+966512345678', 'Hessa')",
  );
  const jar = await browserLogin(t);
  const access = jar.header().split("; ").filter((c) => c.includes("_access=")).join("; ");
  return { jar, access };
}

async function silently(t: TestApp, sql: string, params: unknown[]) {
  await t.db.transaction(async (tx) => {
    await tx.query("SET LOCAL session_replication_role = replica");
    await tx.query(sql, params);
  });
}

Deno.test(`page cache (${backend}) - signed-out visitors share one rendering until the clock ends it`, async () => {
  const { t, salon, service } = await fixture();
  try {
    const path = `/salons/${salon.slug}`;
    assert.match(await textOf(t.app, path), /Silk Press/);
    await silently(t, "UPDATE services SET name_en = 'Keratin' WHERE id = $1", [service.id]);
    assert.match(await textOf(t.app, path), /Silk Press/, "served from the cache");
    t.clock.advance(t.config.pageCache.ttlMs);
    assert.match(await textOf(t.app, path), /Keratin/, "rendered again once its time was up");
  } finally {
    await t.close();
  }
});

Deno.test(`page cache (${backend}) - a change on another instance ends the pages it touches at once`, async () => {
  const { t, salon, service } = await fixture();
  try {
    const other = await makeSalon(t.db, { name_en: "Other Salon" });
    const a = t.app;
    const b = t.secondInstance(); // its own connections on Postgres
    const salonPath = `/salons/${salon.slug}`;
    const otherPath = `/salons/${other.slug}`;
    assert.match(await textOf(a, salonPath), /150/);
    assert.match(await textOf(a, "/"), /150/);
    await textOf(a, otherPath);
    await silently(t, "UPDATE salons SET name_en = 'Renamed Other' WHERE id = $1", [other.id]);

    // Instance B changes the price through the dashboard's own SQL path: a plain UPDATE.
    const bDb = b === a ? t.db : t.testDb.openAnother() ?? t.db;
    await bDb.query("UPDATE services SET price_halalas = 25000 WHERE id = $1", [service.id]);
    await eventually(
      async () => (await textOf(a, salonPath)).includes("250"),
      "instance A shows the new price",
    );
    await eventually(
      async () => !(await textOf(a, "/")).includes("150"),
      "the home page (it lists every salon) is rendered again",
    );
    assert.doesNotMatch(
      await textOf(a, otherPath),
      /Renamed Other/,
      "another salon's page was not touched",
    );
  } finally {
    await t.close();
  }
});

Deno.test(`page cache (${backend}) - a booking frees or takes the time on the booking page at once`, async () => {
  const { t, salon, service } = await fixture();
  try {
    const [staff] = await t.db.query<{ id: string }>(
      "SELECT id FROM staff WHERE salon_id = $1",
      [salon.id],
    );
    const path =
      `/salons/${salon.slug}/book?service=${service.id}&staff=${staff.id}&date=2026-11-22`;
    // 2026-11-22 12:00 in Riyadh.
    const noon = "2026-11-22T09:00:00.000Z";
    assert.ok((await textOf(t.app, path)).includes(noon), "noon is offered");
    await t.db.query(
      `INSERT INTO bookings (salon_id, service_id, staff_id, starts_at, ends_at, block_start,
         block_end, duration_minutes, status, price_halalas)
       VALUES ($1, $2, $3, $4, $5, $4, $5, 60, 'confirmed', 15000)`,
      [salon.id, service.id, staff.id, noon, "2026-11-22T10:00:00.000Z"],
    );
    await eventually(
      async () => !(await textOf(t.app, path)).includes(noon),
      "the booked time disappears",
    );
  } finally {
    await t.close();
  }
});

Deno.test(`page cache (${backend}) - what is shared: per language and digits, never a signed-in page`, async () => {
  const { t, salon } = await fixture();
  try {
    const path = `/salons/${salon.slug}`;
    const arabic = await textOf(t.app, path, { "accept-language": "ar" });
    const english = await textOf(t.app, path);
    assert.match(arabic, /<html lang="ar" dir="rtl"/);
    assert.match(english, /<html lang="en" dir="ltr"/);
    const latn = await textOf(t.app, path, { "accept-language": "ar", cookie: "digits=latn" });
    assert.notEqual(latn, arabic, "Latin digits are a rendering of their own");

    // The key has no host: a rendering must not carry the asker's Host (cache poisoning).
    const poisoned = await t.app.request(`http://evil.example${path}?x=1`, {
      headers: { "accept-language": "en", "x-forwarded-host": "evil.example" },
    });
    assert.doesNotMatch(await poisoned.text(), /evil\.example/);

    // A ?lang switch still sets its cookie when the page comes from the cache.
    await textOf(t.app, `${path}?lang=en`);
    const switched = await get(t.app, `${path}?lang=en`);
    assert.match(switched.headers.get("set-cookie") ?? "", /lang=en/);

    const [user] = await t.db.query<{ id: string }>(
      "INSERT INTO users (phone_number, first_name) VALUES ('+966512345678', 'Hessa') RETURNING id",
    );
    assert.ok(user);
    const jar = await browserLogin(t);
    const signedIn = await textOf(t.app, path, { cookie: jar.header() });
    assert.match(signedIn, /Hessa/, "a signed-in visitor gets their own page");
    assert.doesNotMatch(await textOf(t.app, path), /Hessa/, "and it is never shared");
  } finally {
    await t.close();
  }
});

Deno.test(`page cache (${backend}) - conditional and compressed responses; errors and confirm steps are not shared`, async () => {
  const { t, salon, service } = await fixture();
  try {
    const path = `/salons/${salon.slug}`;
    const first = await get(t.app, path);
    const etag = first.headers.get("etag");
    assert.ok(etag);
    assert.match(first.headers.get("vary") ?? "", /Accept-Encoding/);
    const html = await first.text();
    const notModified = await get(t.app, path, { "if-none-match": etag });
    assert.equal(notModified.status, 304);
    assert.equal(await notModified.text(), "");

    const br = await get(t.app, path, { "accept-encoding": "gzip, br" });
    assert.equal(br.headers.get("content-encoding"), "br");
    assert.equal(
      new TextDecoder().decode(brotliDecompressSync(new Uint8Array(await br.arrayBuffer()))),
      html,
    );
    // The shared page's policy allows its own inline style, by hash.
    assert.match(br.headers.get("content-security-policy") ?? "", /style-src 'sha256-/);

    assert.equal((await get(t.app, "/salons/no-such-salon")).status, 404);
    assert.equal((await get(t.app, "/salons/no-such-salon")).status, 404);

    const [staff] = await t.db.query<{ id: string }>(
      "SELECT id FROM staff WHERE salon_id = $1",
      [salon.id],
    );
    const confirm =
      `/salons/${salon.slug}/book?service=${service.id}&staff=${staff.id}&start=2026-11-22T09:00:00.000Z`;
    const keyOf = (page: string) => /name="idempotency_key" value="([^"]+)"/.exec(page)?.[1];
    const one = keyOf(await textOf(t.app, confirm));
    const two = keyOf(await textOf(t.app, confirm));
    assert.ok(one && two);
    assert.notEqual(one, two, "every confirm step gets its own idempotency key");
  } finally {
    await t.close();
  }
});

Deno.test(`page cache (${backend}) - a renamed or deleted account's name leaves cached review pages`, async () => {
  const { t, salon, service } = await fixture();
  try {
    const [staff] = await t.db.query<{ id: string }>(
      "SELECT id FROM staff WHERE salon_id = $1",
      [salon.id],
    );
    const [user] = await t.db.query<{ id: string }>(
      `INSERT INTO users (phone_number, first_name, last_name)
       VALUES ('+966511111111', 'Maha', 'Qahtani') RETURNING id`,
    );
    const booking = await makeBooking(t.db, {
      service: { ...service, salon_id: salon.id, duration_minutes: 60, price_halalas: 15000 },
      staff,
      starts_at: new Date("2026-11-20T09:00:00Z"),
      status: "completed",
      customer_id: user.id,
    });
    await silently(
      t,
      `INSERT INTO reviews (booking_id, salon_id, customer_id, staff_id, service_id, rating, body,
         created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, 5, 'Lovely silk press', $6, $6)`,
      [booking.id, salon.id, user.id, staff.id, service.id, t.clock.now()],
    );
    t.clock.advance(t.config.pageCache.ttlMs); // start from a page that has the review
    const path = `/salons/${salon.slug}/reviews`;
    assert.match(await textOf(t.app, path), /Maha Q\./);
    await t.db.query("UPDATE users SET first_name = 'Mona' WHERE id = $1", [user.id]);
    await eventually(async () => /Mona Q\./.test(await textOf(t.app, path)), "the new name shows");
  } finally {
    await t.close();
  }
});

Deno.test(`page cache (${backend}) - signed-in visitors get their own home and salon pages around shared results`, async () => {
  const { t, salon, service } = await fixture();
  try {
    const jar = await browserLogin(t);
    const signedIn = { cookie: jar.header() };
    assert.match(await textOf(t.app, "/", signedIn), /Cache Salon/);
    await silently(t, "UPDATE salons SET name_en = 'Quiet Rename' WHERE id = $1", [salon.id]);
    assert.match(
      await textOf(t.app, "/", signedIn),
      /Cache Salon/,
      "the results come from the shared search",
    );
    await t.db.query("UPDATE salons SET name_en = 'Announced Rename' WHERE id = $1", [salon.id]);
    await eventually(
      async () => (await textOf(t.app, "/", signedIn)).includes("Announced Rename"),
      "an announced change reaches the shared results",
    );
    assert.match(await textOf(t.app, "/?q=announced", signedIn), /Announced Rename/);

    const salonPath = `/salons/${salon.slug}`;
    const own = await textOf(t.app, salonPath, signedIn);
    assert.match(own, /Silk Press/);
    assert.match(own, /href="\/me"/, "the header is this visitor's own");
    await silently(t, "UPDATE services SET name_en = 'Quiet Service' WHERE id = $1", [service.id]);
    assert.match(await textOf(t.app, salonPath, signedIn), /Silk Press/, "the catalog is shared");
    await t.db.query("UPDATE services SET name_en = 'Loud Service' WHERE id = $1", [service.id]);
    await eventually(
      async () => (await textOf(t.app, salonPath, signedIn)).includes("Loud Service"),
      "an announced change reaches the shared catalog",
    );
  } finally {
    await t.close();
  }
});

Deno.test(`page cache (${backend}) - a signed-in visitor gets the shared rendering with their own header, privately`, async () => {
  const { t, salon } = await fixture();
  try {
    const path = `/salons/${salon.slug}`;
    const { jar } = await signInHessa(t);
    const res = await get(t.app, path, { cookie: jar.header() });
    const own = await res.text();
    assert.equal(res.status, 200);
    assert.match(own, /<bdi>Hessa<\/bdi>/);
    assert.doesNotMatch(own, /href="\/login/, "no login link for someone signed in");
    assert.equal(res.headers.get("etag"), null, "never revalidated against the shared page");
    assert.match(res.headers.get("cache-control") ?? "", /private/);
    // The first visitor was signed in: the shared page was rendered for the signed-out anyway.
    const sharedRes = await get(t.app, path);
    assert.ok(sharedRes.headers.get("etag"), "served from the shared rendering");
    const shared = await sharedRes.text();
    // Everything but the header's visitor links is the shared page, style and policy included.
    const withoutHeader = (html: string) => html.replace(/<header[\s\S]*<\/header>/, "");
    assert.equal(withoutHeader(own), withoutHeader(shared));
    const style = /<style>([\s\S]*?)<\/style>/.exec(own)![1];
    assert.ok(
      (res.headers.get("content-security-policy") ?? "").includes(cspHash(style)),
      "the policy allows the page's style",
    );
    assert.match(style, /border-rose-700/, "the style covers the signed-in links");
    assert.doesNotMatch(await textOf(t.app, path), /Hessa/, "and the shared page stays anonymous");
  } finally {
    await t.close();
  }
});

Deno.test(`page cache (${backend}) - signed-in page views remember the session until the database says it changed`, async () => {
  const { t, salon } = await fixture();
  try {
    const path = `/salons/${salon.slug}`;
    const { access } = await signInHessa(t);
    assert.match(await textOf(t.app, path, { cookie: access }), /Hessa/);
    // Unannounced (as if no trigger fired), the remembered session is what a page view shows…
    await silently(t, "UPDATE users SET first_name = 'Quiet'", []);
    assert.match(await textOf(t.app, path, { cookie: access }), /Hessa/);
    // …an announced change (by any instance, the worker or psql) reaches it within moments.
    await t.db.query("UPDATE users SET first_name = 'Loud'");
    await eventually(
      async () => (await textOf(t.app, path, { cookie: access })).includes("Loud"),
      "a renamed user's header",
    );
    await t.db.query("UPDATE sessions SET revoked_at = now()");
    await eventually(
      async () => !(await textOf(t.app, path, { cookie: access })).includes("Loud"),
      "a session revoked elsewhere ends signed-in page views",
    );
    // The API always asks the database.
    assert.equal((await get(t.app, "/api/auth/me/", { cookie: access })).status, 401);
  } finally {
    await t.close();
  }
});

Deno.test(`page cache (${backend}) - a remembered session ends with its access token`, async () => {
  const { t, salon } = await fixture({ ACCESS_TOKEN_TTL_SECONDS: "60", PAGE_CACHE_SECONDS: "600" });
  try {
    const path = `/salons/${salon.slug}`;
    const { access } = await signInHessa(t);
    assert.match(await textOf(t.app, path, { cookie: access }), /Hessa/);
    t.clock.advance(59_000);
    assert.match(await textOf(t.app, path, { cookie: access }), /Hessa/);
    t.clock.advance(2_000);
    assert.doesNotMatch(
      await textOf(t.app, path, { cookie: access }),
      /Hessa/,
      "an expired access token is refused even though its session was remembered",
    );
  } finally {
    await t.close();
  }
});

Deno.test(`page cache (${backend}) - signing out through this instance ends the remembered session at once`, async () => {
  const { t, salon } = await fixture();
  try {
    const path = `/salons/${salon.slug}`;
    const { jar, access } = await signInHessa(t);
    assert.match(await textOf(t.app, path, { cookie: access }), /Hessa/);
    const out = await t.app.request("/logout", {
      method: "POST",
      headers: { cookie: jar.header(), "sec-fetch-site": "same-origin" },
    });
    assert.ok(out.status < 400, `logout: ${out.status}`);
    assert.doesNotMatch(await textOf(t.app, path, { cookie: access }), /Hessa/);
  } finally {
    await t.close();
  }
});

Deno.test(`page cache (${backend}) - PAGE_CACHE_SECONDS=0 renders every request`, async () => {
  const { t, salon, service } = await fixture({ PAGE_CACHE_SECONDS: "0" });
  try {
    const path = `/salons/${salon.slug}`;
    await textOf(t.app, path);
    await silently(t, "UPDATE services SET name_en = 'Keratin' WHERE id = $1", [service.id]);
    assert.match(await textOf(t.app, path), /Keratin/);
  } finally {
    await t.close();
  }
});

Deno.test("page cache - keeps nothing until it listens, and tries again after a failed start", async () => {
  let attempts = 0;
  const db = {
    listen: () => {
      attempts++;
      return attempts === 1
        ? Promise.reject(new Error("connection refused"))
        : Promise.resolve(() => Promise.resolve());
    },
  };
  const pages = new PublicPages(
    {
      config: loadConfig({ APP_ENV: "test" }),
      db,
      now: () => new Date(0),
    } as unknown as ConstructorParameters<typeof PublicPages>[0],
  );
  setLogLevel("error"); // the failed start is a warning
  try {
    await pages.listen();
  } finally {
    setLogLevel("warn");
  }
  assert.equal(pages.keeping, false);
  await pages.listen();
  assert.equal(attempts, 2);
  assert.equal(pages.keeping, true);
  await pages.listen();
  assert.equal(attempts, 2, "listening once is enough");
});
