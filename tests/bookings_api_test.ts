import assert from "node:assert/strict";
import { login } from "./helpers/auth.ts";
import { makeTestApp, type TestApp } from "./helpers/app.ts";
import { makeSalon, makeService, makeStaff } from "./helpers/factories.ts";
import { makeOnlinePaymentApp } from "./helpers/payments.ts";

async function setup(t: TestApp, salonOverrides: Record<string, unknown> = {}) {
  const salon = await makeSalon(t.db, salonOverrides);
  const service = await makeService(t.db, salon, { price_halalas: 15000 });
  const staff = await makeStaff(t.db, salon, { services: [service.id] });
  return { salon, service, staff };
}

function post(
  t: TestApp,
  path: string,
  token: string | null,
  body: unknown,
  headers: Record<string, string> = {},
) {
  return t.app.request(path, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "accept-language": "en",
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...headers,
    },
    body: JSON.stringify(body),
  });
}

// The test clock starts at 2026-11-21T09:00Z (12:00 in Riyadh); the next day is wide open.
const TOMORROW_10 = "2026-11-22T07:00:00.000Z"; // 10:00 Riyadh

Deno.test("bookings API - create, replay with the same key, conflict for another customer", async () => {
  const t = await makeTestApp();
  try {
    const { salon, service, staff } = await setup(t);
    const alice = await login(t, "0512345678");
    const body = { salon: salon.slug, service: service.id, staff: staff.id, start: TOMORROW_10 };

    const created = await post(t, "/api/bookings/", alice.access, body, {
      "idempotency-key": "k1",
    });
    assert.equal(created.status, 201);
    const { booking } = await created.json();
    assert.equal(booking.status, "confirmed", "pay-at-salon bookings are confirmed at once");
    assert.equal(booking.price_halalas, 15000);
    assert.equal(booking.start, TOMORROW_10);

    const replay = await post(t, "/api/bookings/", alice.access, body, { "idempotency-key": "k1" });
    assert.equal(replay.status, 200);
    assert.equal((await replay.json()).booking.id, booking.id);

    const otherBody = await post(t, "/api/bookings/", alice.access, {
      ...body,
      start: "2026-11-22T08:00:00Z",
    }, {
      "idempotency-key": "k1",
    });
    assert.equal(otherBody.status, 422);

    const bob = await login(t, "0512345679");
    const taken = await post(t, "/api/bookings/", bob.access, body, { "idempotency-key": "k1" });
    assert.equal(taken.status, 409);
    assert.deepEqual(await taken.json(), {
      detail: "Sorry, this time was just taken. Please pick another time.",
    });

    const mine = await t.app.request(`/api/bookings/${booking.id}/`, {
      headers: { authorization: `Bearer ${bob.access}` },
    });
    assert.equal(mine.status, 404, "another customer's booking is not found");
  } finally {
    await t.close();
  }
});

Deno.test("bookings API - not signed in → 401, bad input → 400 with field messages, no key → 400", async () => {
  const t = await makeTestApp();
  try {
    const { salon, service, staff } = await setup(t);
    const body = { salon: salon.slug, service: service.id, staff: staff.id, start: TOMORROW_10 };
    assert.equal(
      (await post(t, "/api/bookings/", null, body, { "idempotency-key": "a" })).status,
      401,
    );
    const alice = await login(t);
    const noKey = await post(t, "/api/bookings/", alice.access, body);
    assert.equal(noKey.status, 400);
    const bad = await post(t, "/api/bookings/", alice.access, {
      ...body,
      start: "tomorrow",
      staff: 7,
    }, {
      "idempotency-key": "b",
    });
    assert.equal(bad.status, 400);
    const errors = await bad.json();
    assert.ok(errors.start && errors.staff, JSON.stringify(errors));
    const count = await t.db.query<{ n: number }>("SELECT count(*) AS n FROM bookings");
    assert.equal(count[0].n, 0);
  } finally {
    await t.close();
  }
});

Deno.test("bookings API - with online payment, deposit salons hold a pending booking; cancel and reschedule through the API", async () => {
  const t = await makeOnlinePaymentApp();
  try {
    const { salon, service, staff } = await setup(t, {
      payment_mode: "deposit",
      deposit_percent: 25,
    });
    const alice = await login(t);
    const res = await post(t, "/api/bookings/", alice.access, {
      salon: salon.id,
      service: service.id,
      staff: "any",
      start: TOMORROW_10,
    }, { "idempotency-key": "d1" });
    assert.equal(res.status, 201);
    const { booking, payment_notice } = await res.json();
    assert.equal(booking.status, "pending");
    assert.equal(booking.payment_mode, "deposit");
    assert.equal(booking.deposit_halalas, 3750);
    assert.equal(payment_notice, null, "paid online: no pay-at-salon notice");
    assert.equal(booking.staff_id, staff.id);
    assert.equal(booking.hold_expires_at, "2026-11-21T09:10:00.000Z");

    const moved = await post(t, `/api/bookings/${booking.id}/reschedule/`, alice.access, {
      start: "2026-11-22T09:00:00Z",
    });
    assert.equal(moved.status, 200);
    assert.equal((await moved.json()).booking.start, "2026-11-22T09:00:00.000Z");

    const cancelled = await post(t, `/api/bookings/${booking.id}/cancel/`, alice.access, {
      reason: "changed plans",
    });
    assert.equal(cancelled.status, 200);
    assert.equal((await cancelled.json()).booking.status, "cancelled");
    const events = await t.db.query<{ kind: string; to_status: string }>(
      "SELECT kind, to_status FROM booking_events WHERE booking_id = $1 ORDER BY at, kind",
      [booking.id],
    );
    assert.deepEqual(events.map((e) => `${e.kind}:${e.to_status}`), [
      "created:pending",
      "rescheduled:pending",
      "status:cancelled",
    ]);
  } finally {
    await t.close();
  }
});
