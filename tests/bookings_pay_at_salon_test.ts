/**
 * Online payment unavailable (no Moyasar keys: `deps.payments` is null): a salon that asks for a
 * deposit or full prepayment takes online bookings as pay-at-salon, confirmed at once, instead of
 * holds nobody can pay; the customer is told before confirming and on the booking page, the JSON
 * API says so, and the dashboard shows why. With online payment nothing changes.
 */
import assert from "node:assert/strict";
import { createBooking, isPayAtSalonFallback } from "@/services/bookings/mod.ts";
import { makeTestApp, type TestApp } from "./helpers/app.ts";
import { browserLogin, type CookieJar, login } from "./helpers/auth.ts";
import { get as dashGet, makeWorld } from "./helpers/dashboard.ts";
import { makeSalon, makeService, makeStaff } from "./helpers/factories.ts";
import { makeOnlinePaymentApp } from "./helpers/payments.ts";

// The test clock starts at 2026-11-21T09:00Z (12:00 in Riyadh); the next day is wide open.
const TOMORROW_10 = "2026-11-22T07:00:00.000Z"; // 10:00 Riyadh

const BEFORE_EN =
  "Online payment is not available right now, so you will pay at the salon. Your booking is confirmed as soon as you confirm it.";
const BEFORE_AR = "الدفع الإلكتروني غير متاح حاليًا، لذا ستدفعين في الصالون.";
const AFTER_EN =
  "Online payment was not available when you booked, so you pay for this booking at the salon. Your booking is confirmed.";
const AFTER_AR = "لم يكن الدفع الإلكتروني متاحًا عند حجزك، لذا تدفعين ثمن هذا الحجز في الصالون.";

async function depositSalon(t: TestApp, mode: "deposit" | "full" = "deposit") {
  const salon = await makeSalon(t.db, {
    payment_mode: mode,
    deposit_percent: mode === "deposit" ? 20 : 0,
  });
  const service = await makeService(t.db, salon, { price_halalas: 15000 });
  const staff = await makeStaff(t.db, salon, { services: [service.id] });
  return { salon, service, staff };
}

function get(t: TestApp, path: string, jar: CookieJar) {
  return t.app.request(path, { headers: { cookie: jar.header() } });
}

/** Text of a page without tags, whitespace collapsed. */
function text(html: string): string {
  return html.replace(/<[^>]+>/g, " ").replace(/&amp;/g, "&").replace(/\s+/g, " ");
}

/** The book page's confirm step, then its form posted as the browser does. */
async function confirmOnBookPage(
  t: TestApp,
  jar: CookieJar,
  s: Awaited<ReturnType<typeof depositSalon>>,
  lang: "en" | "ar" = "en",
) {
  const confirmUrl =
    `/salons/${s.salon.slug}/book?lang=${lang}&service=${s.service.id}&staff=${s.staff.id}&start=${
      encodeURIComponent(TOMORROW_10)
    }`;
  const confirm = await get(t, confirmUrl, jar);
  assert.equal(confirm.status, 200);
  assert.match(confirm.headers.get("content-type") ?? "", /text\/html/);
  const page = await confirm.text();
  const csrf = /name="csrf_token" value="([^"]+)"/.exec(page)![1];
  const key = /name="idempotency_key" value="([^"]+)"/.exec(page)![1];
  const posted = await t.app.request(`/salons/${s.salon.slug}/book`, {
    method: "POST",
    headers: {
      cookie: jar.header(),
      "content-type": "application/x-www-form-urlencoded",
      "sec-fetch-site": "same-origin",
    },
    body: new URLSearchParams({
      service: s.service.id,
      staff: s.staff.id,
      start: TOMORROW_10,
      idempotency_key: key,
      csrf_token: csrf,
    }),
  });
  assert.equal(posted.status, 303);
  const location = posted.headers.get("location")!;
  const id = /^\/bookings\/([0-9a-f-]{36})\?notice=booked$/.exec(location)?.[1];
  assert.ok(id, location);
  return { page, id };
}

async function bookingRow(t: TestApp, id: string) {
  const [row] = await t.db.query<{
    status: string;
    payment_mode: string;
    deposit_halalas: number;
    price_halalas: number;
    hold_expires_at: Date | null;
  }>(
    "SELECT status, payment_mode, deposit_halalas, price_halalas, hold_expires_at FROM bookings WHERE id = $1",
    [id],
  );
  return row;
}

Deno.test("pay at salon - without online payment, a deposit salon's booking from the book page is confirmed as pay-at-salon, with the note before and after confirming", async () => {
  const t = await makeTestApp();
  try {
    const s = await depositSalon(t);
    const jar = await browserLogin(t);
    const { page, id } = await confirmOnBookPage(t, jar, s);

    // Before confirming: the payment row says pay at the salon, and a note says why.
    const before = text(page);
    assert.ok(before.includes(BEFORE_EN), "the note before confirming");
    assert.ok(before.includes("Payment Pay at the salon"), before);
    assert.ok(!before.includes("deposit online"), "the unpayable deposit is not offered");
    assert.ok(
      page.indexOf("data-pay-at-salon-fallback") < page.indexOf('type="submit"'),
      "the note comes before the confirm button",
    );

    // Recorded as pay-at-salon: confirmed, nothing due online, no hold, and why.
    assert.deepEqual({ ...(await bookingRow(t, id)) }, {
      status: "confirmed",
      payment_mode: "at_salon",
      deposit_halalas: 0,
      price_halalas: 15000,
      hold_expires_at: null,
    });
    assert.equal(await isPayAtSalonFallback(t.db, id), true);
    const events = await t.db.query<{ kind: string; to_status: string; data: unknown }>(
      "SELECT kind, to_status, data FROM booking_events WHERE booking_id = $1",
      [id],
    );
    assert.deepEqual(events.map((e) => ({ ...e })), [{
      kind: "created",
      to_status: "confirmed",
      data: { at_salon_reason: "online_payment_unavailable", salon_payment_mode: "deposit" },
    }]);
    // The customer's message says confirmed (not "we received your booking"), and a reminder is
    // queued (22 hours ahead: only the 2-hour one).
    const messages = await t.db.query<{ template: string }>(
      "SELECT template FROM messages WHERE booking_id = $1 AND recipient_role = 'customer' ORDER BY template",
      [id],
    );
    assert.deepEqual(messages.map((m) => m.template), [
      "msg.customer.confirmed",
      "msg.customer.reminder2h",
    ]);

    // After: the booking page says confirmed, pay at the salon, and why; nothing to pay online.
    const res = await get(t, `/bookings/${id}?notice=booked&lang=en`, jar);
    assert.equal(res.status, 200);
    const html = await res.text();
    const after = text(html);
    assert.ok(after.includes(AFTER_EN), "the note after booking");
    assert.ok(after.includes("Payment Pay at the salon"));
    assert.match(html, /data-status="confirmed"/);
    assert.ok(!html.includes(`/bookings/${id}/pay"`), "no Pay button");
    assert.ok(!after.includes("cannot be paid online"), "no dead-end payment message");
    assert.ok(!after.includes("We are holding this time"), "no hold");

    const ar = await (await get(t, `/bookings/${id}?lang=ar`, jar)).text();
    assert.ok(ar.includes(AFTER_AR), "the note in Arabic");
  } finally {
    await t.close();
  }
});

Deno.test("pay at salon - the confirm step's note in Arabic, and a full-prepayment salon falls back the same way", async () => {
  const t = await makeTestApp();
  try {
    const s = await depositSalon(t, "full");
    const jar = await browserLogin(t);
    const { page, id } = await confirmOnBookPage(t, jar, s, "ar");
    assert.ok(text(page).includes(BEFORE_AR), "the note before confirming, in Arabic");
    assert.ok(text(page).includes("الدفع في الصالون"));
    assert.ok(!text(page).includes("الدفع الإلكتروني بالكامل"));
    const row = await bookingRow(t, id);
    assert.deepEqual([row.status, row.payment_mode, row.deposit_halalas], [
      "confirmed",
      "at_salon",
      0,
    ]);
    const html = await (await get(t, `/bookings/${id}?lang=en`, jar)).text();
    assert.ok(text(html).includes(AFTER_EN));
  } finally {
    await t.close();
  }
});

Deno.test("pay at salon - with online payment, a deposit salon's booking is still a pending payment hold, with no note", async () => {
  const t = await makeOnlinePaymentApp();
  try {
    const s = await depositSalon(t);
    const jar = await browserLogin(t);
    const { page, id } = await confirmOnBookPage(t, jar, s);
    assert.ok(text(page).includes("Payment 20% deposit online, the rest at the salon"));
    assert.ok(!page.includes("data-pay-at-salon-fallback"));
    assert.ok(!text(page).includes(BEFORE_EN));

    const row = await bookingRow(t, id);
    assert.deepEqual([row.status, row.payment_mode, row.deposit_halalas], [
      "pending",
      "deposit",
      3000,
    ]);
    assert.equal(row.hold_expires_at?.toISOString(), "2026-11-21T09:10:00.000Z");
    assert.equal(await isPayAtSalonFallback(t.db, id), false);

    const html = await (await get(t, `/bookings/${id}?lang=en`, jar)).text();
    assert.ok(html.includes(`action="/bookings/${id}/pay"`), "the Pay button");
    assert.ok(!html.includes("data-pay-at-salon-fallback"));
    assert.ok(!text(html).includes(AFTER_EN));
  } finally {
    await t.close();
  }
});

Deno.test("pay at salon - the JSON API: 201 confirmed at the salon with a localized payment_notice, the replay says the same, with payments a pending hold and no notice", async () => {
  const body = (s: Awaited<ReturnType<typeof depositSalon>>) =>
    JSON.stringify({
      salon: s.salon.slug,
      service: s.service.id,
      staff: "any",
      start: TOMORROW_10,
    });
  const post = (t: TestApp, token: string, payload: string, key: string, lang = "en") =>
    t.app.request("/api/bookings/", {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "accept-language": lang,
        authorization: `Bearer ${token}`,
        "idempotency-key": key,
      },
      body: payload,
    });

  const t = await makeTestApp();
  try {
    const s = await depositSalon(t);
    const alice = await login(t);
    const res = await post(t, alice.access, body(s), "k1");
    assert.equal(res.status, 201);
    assert.match(res.headers.get("content-type") ?? "", /application\/json/);
    const created = await res.json();
    assert.equal(created.booking.status, "confirmed");
    assert.equal(created.booking.payment_mode, "at_salon");
    assert.equal(created.booking.deposit_halalas, 0);
    assert.equal(created.booking.hold_expires_at, null);
    assert.deepEqual(created.payment_notice, { code: "pay_at_salon", detail: AFTER_EN });

    const replay = await post(t, alice.access, body(s), "k1", "ar");
    assert.equal(replay.status, 200);
    const replayed = await replay.json();
    assert.equal(replayed.booking.id, created.booking.id);
    assert.equal(replayed.payment_notice.code, "pay_at_salon");
    assert.ok(replayed.payment_notice.detail.startsWith(AFTER_AR), "localized");

    // An ordinary pay-at-salon salon: confirmed, and no notice (nothing changed for it).
    const plain = await makeSalon(t.db);
    const cut = await makeService(t.db, plain);
    await makeStaff(t.db, plain, { services: [cut.id] });
    const ordinary = await post(
      t,
      alice.access,
      JSON.stringify({ salon: plain.slug, service: cut.id, staff: "any", start: TOMORROW_10 }),
      "k2",
    );
    assert.equal(ordinary.status, 201);
    const o = await ordinary.json();
    assert.equal(o.booking.status, "confirmed");
    assert.equal(o.payment_notice, null);
  } finally {
    await t.close();
  }

  const online = await makeOnlinePaymentApp();
  try {
    const s = await depositSalon(online);
    const alice = await login(online);
    const res = await post(online, alice.access, body(s), "k1");
    assert.equal(res.status, 201);
    const created = await res.json();
    assert.equal(created.booking.status, "pending");
    assert.equal(created.booking.payment_mode, "deposit");
    assert.equal(created.payment_notice, null);
  } finally {
    await online.close();
  }
});

Deno.test("pay at salon - the service decides in its transaction: the flag, walk-ins, and the manager's booking page and CSV say why", async () => {
  const t = await makeTestApp();
  try {
    const w = await makeWorld(t);
    await t.db.query(
      "UPDATE salons SET payment_mode = 'deposit', deposit_percent = 20 WHERE id = $1",
      [w.salon.id],
    );
    const base = {
      customerId: w.users.customer,
      salon: w.salon.id,
      serviceId: w.service.id,
      staff: w.noura.id,
      now: t.clock.now(),
      actor: { userId: w.users.customer, role: "customer" as const },
    };
    const fallback = await createBooking(t.db, { ...base, start: new Date(TOMORROW_10) });
    assert.equal(fallback.payAtSalonFallback, true);
    assert.equal(fallback.booking.status, "confirmed");
    assert.equal(fallback.booking.payment_mode, "at_salon");

    const held = await createBooking(t.db, {
      ...base,
      start: new Date("2026-11-22T09:00:00Z"),
      onlinePayment: true,
    });
    assert.equal(held.payAtSalonFallback, false);
    assert.equal(held.booking.status, "pending");
    assert.equal(held.booking.payment_mode, "deposit");

    // A walk-in is paid at the salon anyway: not a fallback, and nothing is due online.
    const walkIn = await createBooking(t.db, {
      ...base,
      start: new Date("2026-11-22T11:00:00Z"),
      source: "salon",
      actor: { userId: w.users.manager, role: "salon" },
    });
    assert.equal(walkIn.payAtSalonFallback, false);
    assert.deepEqual(
      [walkIn.booking.status, walkIn.booking.payment_mode, walkIn.booking.deposit_halalas],
      ["confirmed", "at_salon", 0],
    );
    assert.equal(await isPayAtSalonFallback(t.db, walkIn.booking.id), false);

    const dash = `/dashboard/${w.salon.slug}`;
    const page = await dashGet(
      t,
      `${dash}/bookings/${fallback.booking.id}?lang=en`,
      w.jars.manager,
    );
    assert.equal(page.status, 200);
    assert.ok(
      text(await page.text()).includes(
        "Payment Pay at the salon (online payment was unavailable when this booking was made)",
      ),
    );
    const walkInPage = await dashGet(
      t,
      `${dash}/bookings/${walkIn.booking.id}?lang=en`,
      w.jars.manager,
    );
    const walkInText = text(await walkInPage.text());
    assert.ok(walkInText.includes("Payment Pay at the salon"));
    assert.ok(!walkInText.includes("unavailable when this booking was made"));

    const csv = await (await dashGet(
      t,
      `${dash}/bookings.csv?from=2026-11-22&to=2026-11-22&lang=en`,
      w.jars.manager,
    )).text();
    const line = csv.split("\r\n").find((l) => l.includes(fallback.booking.id))!;
    assert.match(line, /,Confirmed,100\.00,0\.00,Pay at the salon,/);
  } finally {
    await t.close();
  }
});

Deno.test("pay at salon - the salon page promises online payment only when there is one", async () => {
  for (const online of [false, true]) {
    const t = online ? await makeOnlinePaymentApp() : await makeTestApp();
    try {
      const { salon } = await depositSalon(t);
      const res = await t.app.request(`/salons/${salon.slug}`, {
        headers: { "accept-language": "en" },
      });
      assert.equal(res.status, 200);
      const page = text(await res.text());
      if (online) assert.match(page, /20% deposit online, the rest at the salon/);
      else {
        assert.match(page, /Pay at the salon/);
        assert.doesNotMatch(page, /deposit online/);
      }
    } finally {
      await t.close();
    }
  }
});
