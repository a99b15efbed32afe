/**
 * The waitlist's pages over HTTP: joining from the salon (plain forms, Arabic by default, a bad
 * request is a localized 400), the offer link (only its customer sees it; of two customers
 * confirming one time one gets the booking and the other a localized 409), and the dashboard page
 * (managers only; a time offered by hand). PGlite, and Postgres with TEST_DATABASE_URL.
 */
import assert from "node:assert/strict";
import { translator } from "@/i18n/mod.ts";
import { cancelBooking } from "@/services/bookings/mod.ts";
import { offerFreedTimes, SCAN_INTERVAL_MS } from "@/services/waitlist/mod.ts";
import { makeTestApp, type TestApp } from "./helpers/app.ts";
import { browserLogin, type CookieJar } from "./helpers/auth.ts";
import { book, get, makeWorld, post, type World } from "./helpers/dashboard.ts";

const ar = translator("ar");
const en = translator("en");
const DAY = "2026-11-22";

function postForm(t: TestApp, path: string, jar: CookieJar, pairs: [string, string][]) {
  return t.app.request(path, {
    method: "POST",
    headers: {
      cookie: jar.header(),
      "content-type": "application/x-www-form-urlencoded",
      origin: "http://localhost",
      "sec-fetch-site": "same-origin",
    },
    body: new URLSearchParams(pairs),
  });
}

function joinPairs(w: World, over: Record<string, string> = {}): [string, string][] {
  return Object.entries({
    intent: "join",
    service: w.service.id,
    staff: "any",
    day: DAY,
    from: "09:00",
    to: "12:00",
    ...over,
  });
}

/** Both staff fully booked 09:00–12:00 tomorrow; returns the bookings. */
async function fullMorning(t: TestApp, w: World) {
  const out = [];
  for (const staff of [w.noura, w.reem]) {
    for (const h of [6, 7, 8]) {
      out.push(
        await book(t, w, { staff, start: new Date(Date.UTC(2026, 10, 22, h)).toISOString() }),
      );
    }
  }
  return out;
}

Deno.test("waitlist pages - joining: anonymous is sent to sign in, bad input is a localized 400, a good one a 303", async () => {
  const t = await makeTestApp();
  try {
    const w = await makeWorld(t);
    const path = `/salons/${w.salon.slug}/waitlist`;
    const anon = await get(t, `${path}?service=${w.service.id}`);
    assert.notEqual(anon.status, 200);

    const page = await get(t, `${path}?service=${w.service.id}&date=${DAY}`, w.jars.customer);
    assert.equal(page.status, 200);
    const html = await page.text();
    assert.match(html, new RegExp(`value="${w.service.id}" checked`));
    assert.match(html, /<html lang="ar" dir="rtl"/);

    const bad = await postForm(
      t,
      path,
      w.jars.customer,
      joinPairs(w, { from: "12:00", to: "09:00" }),
    );
    assert.equal(bad.status, 400);
    assert.match(bad.headers.get("content-type") ?? "", /text\/html/);
    assert.ok((await bad.text()).includes(ar("waitlist.error.range")));
    const noService = await postForm(
      t,
      path,
      w.jars.customer,
      joinPairs(w).filter(([k]) => k !== "service"),
    );
    assert.equal(noService.status, 400);
    const [n] = await t.db.query<{ n: number }>("SELECT count(*)::int AS n FROM waitlist_entries");
    assert.equal(Number(n.n), 0);

    const ok = await postForm(t, path, w.jars.customer, joinPairs(w));
    assert.equal(ok.status, 303);
    assert.match(ok.headers.get("location") ?? "", /notice=joined/);
    const after = await (await get(t, ok.headers.get("location")!, w.jars.customer)).text();
    assert.ok(after.includes(ar("waitlist.joined")));
    assert.ok(after.includes(ar("waitlist.leave")));
  } finally {
    await t.close();
  }
});

Deno.test("waitlist pages - two customers confirm one offered time: one booking (303), the other a localized 409", async () => {
  const t = await makeTestApp();
  try {
    const w = await makeWorld(t);
    const taken = await fullMorning(t, w);
    const path = `/salons/${w.salon.slug}/waitlist`;
    const second = await browserLogin(t, "0551000099");
    assert.equal(
      (await postForm(t, path, w.jars.customer, joinPairs(w, { staff: w.noura.id }))).status,
      303,
    );
    assert.equal(
      (await postForm(t, path, second, joinPairs(w, { staff: w.noura.id }))).status,
      303,
    );
    // Noura's 10:00 is cancelled; the job offers it to both.
    await cancelBooking(t.db, {
      bookingId: taken[1].id,
      actor: { userId: null, role: "salon" },
      now: t.clock.now(),
      scope: {},
    });
    t.clock.advance(SCAN_INTERVAL_MS + 1);
    assert.equal(await offerFreedTimes(t.db, t.clock.now()), 2);
    const offers = await t.db.query<{ token: string; customer_id: string }>(
      "SELECT token, customer_id FROM waitlist_offers ORDER BY created_at",
    );
    const tokenOf = (userId: string) => offers.find((o) => o.customer_id === userId)!.token;
    const [secondId] = await t.db.query<{ id: string }>(
      "SELECT id FROM users WHERE phone_number = '+966551000099'",
    );
    const mine = `/waitlist/offers/${tokenOf(w.users.customer)}`;

    assert.equal((await get(t, mine, second)).status, 404, "another customer's link is a 404");
    assert.equal((await get(t, mine)).status === 200, false);
    const view = await get(t, `${mine}?lang=en`, w.jars.customer);
    assert.equal(view.status, 200);
    assert.ok((await view.text()).includes(en("waitlist.offer.confirm")));

    const [a, b] = await Promise.all([
      postForm(t, mine, w.jars.customer, []),
      postForm(t, `/waitlist/offers/${tokenOf(secondId.id)}`, second, []),
    ]);
    assert.deepEqual([a.status, b.status].sort(), [303, 409]);
    const lost = a.status === 409 ? a : b;
    assert.match(lost.headers.get("content-type") ?? "", /text\/html/);
    assert.ok((await lost.text()).includes(ar("waitlist.error.gone")));
    const won = a.status === 303 ? a : b;
    assert.match(won.headers.get("location") ?? "", /^\/bookings\//);
    const [active] = await t.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM bookings WHERE staff_id = $1 AND starts_at = $2
         AND status IN ('pending', 'confirmed')`,
      [w.noura.id, new Date("2026-11-22T07:00:00Z")],
    );
    assert.equal(Number(active.n), 1);
  } finally {
    await t.close();
  }
});

Deno.test("waitlist pages - the dashboard page: managers only; a time offered by hand, a bad one a 400", async () => {
  const t = await makeTestApp();
  try {
    const w = await makeWorld(t);
    await postForm(t, `/salons/${w.salon.slug}/waitlist`, w.jars.customer, joinPairs(w));
    const path = `/dashboard/${w.salon.slug}/waitlist?date=${DAY}`;
    assert.equal((await get(t, path, w.jars.staff)).status, 403);
    assert.equal((await get(t, path, w.jars.otherManager)).status, 404);
    assert.equal((await get(t, path, w.jars.customer)).status, 404);
    const page = await get(t, `${path}&lang=en`, w.jars.manager);
    assert.equal(page.status, 200);
    const html = await page.text();
    assert.ok(html.includes("Sara"));
    assert.ok(html.includes(en("dash.waitlist.entry.waiting")));

    const [entry] = await t.db.query<{ id: string }>("SELECT id FROM waitlist_entries");
    const action = `/dashboard/${w.salon.slug}/waitlist`;
    const bad = await post(t, action, w.jars.manager, {
      intent: "offer",
      entry: entry.id,
      time: "9am",
      date: DAY,
    });
    assert.equal(bad.status, 400);
    const ok = await post(t, action, w.jars.manager, {
      intent: "offer",
      entry: entry.id,
      time: "15:00",
      date: DAY,
    });
    assert.equal(ok.status, 303);
    assert.match(ok.headers.get("location") ?? "", /notice=offered/);
    const again = await post(t, action, w.jars.manager, {
      intent: "offer",
      entry: entry.id,
      time: "15:00",
      date: DAY,
    });
    assert.equal(again.status, 409);
    assert.ok((await again.text()).includes(ar("waitlist.error.offeredBefore")));
    const [msg] = await t.db.query<{ template: string }>(
      "SELECT template FROM messages WHERE event = 'waitlist_offer'",
    );
    assert.equal(msg.template, "msg.customer.waitlistOffer");
  } finally {
    await t.close();
  }
});
