/**
 * Visits: several services for one guest back to back, several guests side by side, the slot API
 * that lists where a whole visit fits, booking exactly what it listed, moving a whole visit or one
 * item, the exclusion constraint on items, and two instances racing for overlapping visits.
 */
import assert from "node:assert/strict";
import { DbError, PG_EXCLUSION_VIOLATION, type Queryable } from "@/db/types.ts";
import { createBooking, rescheduleBooking } from "@/services/bookings/mod.ts";
import { makeTestApp, type TestApp } from "./helpers/app.ts";
import { postJson } from "./helpers/auth.ts";
import { makeCustomers } from "./helpers/customers.ts";
import { testBackend } from "./helpers/db.ts";
import { makeSalon, makeService, makeStaff } from "./helpers/factories.ts";

const B = testBackend();
type App = TestApp["app"];
// The test clock starts at 2026-11-21T09:00Z (12:00 in Riyadh); the next day is wide open.
const TOMORROW = "2026-11-22";
const AT_10 = "2026-11-22T07:00:00.000Z"; // 10:00 Riyadh

function book(app: App, token: string, key: string, body: Record<string, unknown>) {
  return postJson(app, "/api/bookings/", body, {
    authorization: `Bearer ${token}`,
    "idempotency-key": key,
    "accept-language": "en",
  });
}

/** A salon with haircut (45 min, 10 min after), blow-dry (30 min) and colour (90 min). */
async function hairSalon(t: TestApp, staffCount = 2) {
  const salon = await makeSalon(t.db, { slot_step_minutes: 15 });
  const haircut = await makeService(t.db, salon, {
    duration_minutes: 45,
    buffer_after_minutes: 10,
    price_halalas: 12000,
  });
  const blowDry = await makeService(t.db, salon, { duration_minutes: 30, price_halalas: 8000 });
  const colour = await makeService(t.db, salon, { duration_minutes: 90, price_halalas: 30000 });
  const staff = [];
  for (let i = 0; i < staffCount; i++) {
    staff.push(
      await makeStaff(t.db, salon, {
        services: [haircut.id, blowDry.id, colour.id],
        sort_order: i,
      }),
    );
  }
  return { salon, haircut, blowDry, colour, staff };
}

async function overlappingItems(db: Queryable): Promise<number> {
  const [row] = await db.query<{ n: number }>(
    `SELECT count(*) AS n FROM booking_items a JOIN booking_items b
       ON a.staff_id = b.staff_id AND a.id < b.id
      AND tstzrange(a.block_start, a.block_end) && tstzrange(b.block_start, b.block_end)
     WHERE a.blocking AND b.blocking`,
  );
  return Number(row.n);
}

Deno.test(`visits (${B}) - one guest, three services, "anyone": listed back to back, booked as listed, priced as the sum`, async () => {
  const t = await makeTestApp();
  try {
    const { salon, haircut, blowDry, colour } = await hairSalon(t);
    const [alice] = await makeCustomers(t, 1);
    const services = [haircut.id, colour.id, blowDry.id].join(",");
    const res = await t.app.request(
      `/api/salons/${salon.slug}/slots/?services=${services}&staff=any&date=${TOMORROW}`,
    );
    assert.equal(res.status, 200);
    const { days } = await res.json();
    const slot = days[0].slots.find((s: { start: string }) => s.start === AT_10);
    assert.ok(slot, "10:00 is offered");
    // Haircut 10:00–10:45, its 10-minute after-buffer, colour 10:55–12:25, blow-dry 12:25–12:55.
    assert.deepEqual(
      slot.items.map((it: { service: string; start: string; end: string }) => [
        it.service,
        it.start.slice(11, 16),
        it.end.slice(11, 16),
      ]),
      [[haircut.id, "07:00", "07:45"], [colour.id, "07:55", "09:25"], [
        blowDry.id,
        "09:25",
        "09:55",
      ]],
    );
    assert.equal(slot.end, "2026-11-22T09:55:00.000Z");
    // The last start at which the whole visit ends by 21:00 (18:00Z): 18:05 Riyadh rounds down.
    const last = days[0].slots[days[0].slots.length - 1];
    assert.equal(last.start, "2026-11-22T15:00:00.000Z");

    const created = await book(t.app, alice.access, "visit-1", {
      salon: salon.slug,
      start: AT_10,
      items: [
        { service: haircut.id, staff: "any" },
        { service: colour.id, staff: "any" },
        { service: blowDry.id, staff: "any" },
      ],
    });
    assert.equal(created.status, 201);
    const body = await created.json();
    assert.equal(body.price_halalas, 12000 + 30000 + 8000);
    assert.equal(body.start, AT_10);
    assert.equal(body.end, "2026-11-22T09:55:00.000Z");
    assert.deepEqual(
      body.items.map((it: { staff: string; start: string }) => [it.staff, it.start]),
      slot.items.map((it: { staff: string; start: string }) => [it.staff, it.start]),
      "booked exactly as listed",
    );
    assert.ok(body.items.every((it: { id: string; guest: number }) => it.id && it.guest === 0));
    const [row] = await t.db.query<{ items: number; guests: number }>(
      `SELECT (SELECT count(*)::int FROM booking_items WHERE booking_id = $1) AS items,
              (SELECT count(*)::int FROM booking_guests WHERE booking_id = $1) AS guests`,
      [body.booking.id],
    );
    assert.deepEqual(row, { items: 3, guests: 1 });

    // The same visit again at 10:00 still fits on the other stylist; a third time does not.
    const [bob, carol] = await makeCustomers(t, 2);
    const visit = {
      salon: salon.slug,
      start: AT_10,
      items: [{ service: haircut.id }, { service: colour.id }, { service: blowDry.id }],
    };
    assert.equal((await book(t.app, bob.access, "visit-2", visit)).status, 201);
    const third = await book(t.app, carol.access, "visit-3", visit);
    assert.equal(third.status, 409);
    assert.equal(await overlappingItems(t.db), 0);
  } finally {
    await t.close();
  }
});

Deno.test(`visits (${B}) - two guests side by side get two staff members; a named guest needs a name`, async () => {
  const t = await makeTestApp();
  try {
    const { salon, haircut, blowDry, staff } = await hairSalon(t);
    const [alice] = await makeCustomers(t, 1);
    const listed = await t.app.request(
      `/api/salons/${salon.slug}/slots/?services=${haircut.id},${haircut.id},${blowDry.id}` +
        `&guests=0,1,1&date=${TOMORROW}`,
    );
    assert.equal(listed.status, 200);
    const slot = (await listed.json()).days[0].slots.find((s: { start: string }) =>
      s.start === AT_10
    );
    assert.ok(slot);
    assert.notEqual(slot.items[0].staff, slot.items[1].staff, "both haircuts start at 10:00");
    assert.equal(slot.items[1].start, AT_10);

    const nameless = await book(t.app, alice.access, "group-0", {
      salon: salon.slug,
      start: AT_10,
      items: [{ service: haircut.id }, { service: haircut.id, guest: 1 }],
      guests: [{}, { name: "  " }],
    });
    assert.equal(nameless.status, 400);
    assert.match(JSON.stringify(await nameless.json()), /Give each guest a name/);

    const res = await book(t.app, alice.access, "group-1", {
      salon: salon.slug,
      start: AT_10,
      items: [
        { service: haircut.id, guest: 0 },
        { service: haircut.id, guest: 1 },
        { service: blowDry.id, guest: 1 },
      ],
      guests: [{}, { name: "Sara", phone: "0551234567" }],
    });
    assert.equal(res.status, 201);
    const body = await res.json();
    assert.deepEqual(
      new Set(body.items.slice(0, 2).map((it: { staff: string }) => it.staff)),
      new Set(staff.map((s) => s.id)),
    );
    assert.equal(body.items[2].start, "2026-11-22T07:55:00.000Z", "after Sara's haircut buffer");
    const guests = await t.db.query(
      "SELECT position, name, phone FROM booking_guests WHERE booking_id = $1 ORDER BY position",
      [body.booking.id],
    );
    assert.deepEqual(guests, [
      { position: 0, name: null, phone: null },
      { position: 1, name: "Sara", phone: "+966551234567" },
    ]);
    // Both stylists are busy at 10:00 now: no second pair fits then.
    const [bob] = await makeCustomers(t, 1);
    const taken = await book(t.app, bob.access, "group-2", {
      salon: salon.slug,
      start: AT_10,
      items: [{ service: haircut.id }],
    });
    assert.equal(taken.status, 409);
  } finally {
    await t.close();
  }
});

Deno.test(`visits (${B}) - bad visit bodies are 400s that change nothing`, async () => {
  const t = await makeTestApp();
  try {
    const { salon, haircut } = await hairSalon(t, 1);
    const [alice] = await makeCustomers(t, 1);
    const bad = [
      { salon: salon.slug, start: AT_10, items: [] },
      { salon: salon.slug, start: AT_10, items: [{ service: haircut.id, guest: 1 }] },
      {
        salon: salon.slug,
        start: AT_10,
        items: [{ service: haircut.id }],
        service: haircut.id,
        staff: "any",
      },
      {
        salon: salon.slug,
        start: AT_10,
        items: [{ service: haircut.id }, { service: haircut.id, guest: 1 }],
        guests: [{}, { name: "Sara", phone: "12" }],
      },
      { salon: salon.slug, start: AT_10, items: Array(21).fill({ service: haircut.id }) },
    ];
    for (const [i, body] of bad.entries()) {
      const res = await book(t.app, alice.access, `bad-${i}`, body);
      assert.equal(res.status, 400, `body ${i}: ${await res.clone().text()}`);
    }
    const slots = await t.app.request(
      `/api/salons/${salon.slug}/slots/?services=${haircut.id},nope&date=${TOMORROW}`,
    );
    assert.equal(slots.status, 400);
    const [row] = await t.db.query<{ n: number }>("SELECT count(*)::int AS n FROM bookings");
    assert.equal(row.n, 0);
  } finally {
    await t.close();
  }
});

Deno.test(`visits (${B}) - a raw insert of an overlapping item is refused by the database`, async () => {
  const t = await makeTestApp();
  try {
    const { salon, haircut, blowDry, staff } = await hairSalon(t, 1);
    const [alice] = await makeCustomers(t, 1);
    const res = await book(t.app, alice.access, "v", {
      salon: salon.slug,
      start: AT_10,
      items: [{ service: haircut.id }, { service: blowDry.id }],
    });
    assert.equal(res.status, 201);
    const { booking } = await res.json();
    const insert = t.db.query(
      `INSERT INTO booking_items (booking_id, salon_id, guest, position, service_id, staff_id,
         starts_at, ends_at, block_start, block_end, duration_minutes, buffer_before_minutes,
         buffer_after_minutes, price_halalas)
       VALUES ($1, $2, 0, 5, $3, $4, '2026-11-22T07:50Z', '2026-11-22T08:20Z',
         '2026-11-22T07:50Z', '2026-11-22T08:20Z', 30, 0, 0, 0)`,
      [booking.id, salon.id, blowDry.id, staff[0].id],
    );
    await assert.rejects(insert, (err) => {
      assert.ok(err instanceof DbError);
      assert.equal(err.code, PG_EXCLUSION_VIOLATION);
      return true;
    });
    // A cancelled booking's items stop blocking; the same insert is then accepted.
    await t.db.query(
      "UPDATE bookings SET status = 'cancelled', cancelled_by = 'salon' WHERE id = $1",
      [booking.id],
    );
    const blocking = await t.db.query<{ blocking: boolean }>(
      "SELECT blocking FROM booking_items WHERE booking_id = $1",
      [booking.id],
    );
    assert.deepEqual(blocking.map((b) => b.blocking), [false, false]);
  } finally {
    await t.close();
  }
});

Deno.test(`visits (${B}) - moving a visit moves every item; one item moves alone when it still fits`, async () => {
  const t = await makeTestApp();
  try {
    const { salon, haircut, blowDry, staff } = await hairSalon(t, 2);
    const [alice] = await makeCustomers(t, 1);
    const res = await book(t.app, alice.access, "v", {
      salon: salon.slug,
      start: AT_10,
      items: [{ service: haircut.id, staff: staff[0].id }, {
        service: blowDry.id,
        staff: staff[0].id,
      }],
    });
    assert.equal(res.status, 201);
    const { booking } = await res.json();
    const at = (iso: string) => new Date(`2026-11-22T${iso}:00Z`);
    const salonActor = { userId: null, role: "salon" as const };
    const moved = await rescheduleBooking(t.db, {
      bookingId: booking.id,
      start: at("10:00"),
      actor: salonActor,
      now: t.clock.now(),
      scope: { salonId: salon.id },
    });
    assert.equal(moved.starts_at.toISOString(), "2026-11-22T10:00:00.000Z");
    assert.equal(moved.ends_at.toISOString(), "2026-11-22T11:25:00.000Z");
    const items = await t.db.query<{ id: string; starts_at: Date; staff_id: string }>(
      "SELECT id, starts_at, staff_id FROM booking_items WHERE booking_id = $1 ORDER BY position",
      [booking.id],
    );
    assert.deepEqual(items.map((i) => i.starts_at.toISOString().slice(11, 16)), [
      "10:00",
      "10:55",
    ]);
    // A 5-minute shift of the whole visit moves both items into each other's old blocks.
    await rescheduleBooking(t.db, {
      bookingId: booking.id,
      start: at("10:15"),
      actor: salonActor,
      now: t.clock.now(),
      scope: { salonId: salon.id },
    });
    // The blow-dry alone to the other stylist at 14:00.
    await rescheduleBooking(t.db, {
      bookingId: booking.id,
      itemId: items[1].id,
      staff: staff[1].id,
      start: at("11:00"),
      actor: salonActor,
      now: t.clock.now(),
      scope: { salonId: salon.id },
    });
    const after = await t.db.query<{ starts_at: Date; staff_id: string }>(
      "SELECT starts_at, staff_id FROM booking_items WHERE booking_id = $1 ORDER BY position",
      [booking.id],
    );
    assert.deepEqual(after.map((i) => [i.starts_at.toISOString().slice(11, 16), i.staff_id]), [
      ["10:15", staff[0].id],
      ["11:00", staff[1].id],
    ]);
    // The haircut alone onto the other stylist, over the blow-dry they now do: refused.
    await assert.rejects(
      rescheduleBooking(t.db, {
        bookingId: booking.id,
        itemId: items[0].id,
        staff: staff[1].id,
        start: at("10:45"),
        actor: salonActor,
        now: t.clock.now(),
        scope: { salonId: salon.id },
      }),
      /slotTaken/,
    );
    assert.equal(await overlappingItems(t.db), 0);
  } finally {
    await t.close();
  }
});

Deno.test(`visits (${B}) - 50 simultaneous two-item visits on two instances: never a double booking, every room used`, async () => {
  const t = await makeTestApp();
  try {
    const { salon, haircut, blowDry, staff } = await hairSalon(t, 3);
    const people = await makeCustomers(t, 50);
    const apps = [t.app, t.secondInstance()];
    // Half name the first stylist for both items, half ask for anyone; all at 10:00.
    const responses = await Promise.all(
      people.map((p, i) =>
        book(apps[i % 2], p.access, `race-${i}`, {
          salon: salon.slug,
          start: AT_10,
          items: [
            { service: haircut.id, staff: i % 2 ? "any" : staff[0].id },
            { service: blowDry.id, staff: i % 2 ? "any" : staff[0].id },
          ],
        })
      ),
    );
    const statuses = responses.map((r) => r.status);
    assert.ok(statuses.every((s) => s === 201 || s === 409), JSON.stringify(statuses));
    // Haircut 10:00–10:45 (+10), blow-dry 10:55–11:25: three stylists hold three such visits.
    assert.equal(statuses.filter((s) => s === 201).length, 3);
    assert.equal(await overlappingItems(t.db), 0);
    const [row] = await t.db.query<{ n: number }>(
      "SELECT count(DISTINCT staff_id)::int AS n FROM booking_items WHERE blocking",
    );
    assert.equal(row.n, 3);
  } finally {
    await t.close();
  }
});

Deno.test(`visits (${B}) - cancelling one paid item refunds its price; cancelling the last cancels the visit`, async () => {
  const t = await makeTestApp();
  try {
    const { salon, haircut, blowDry } = await hairSalon(t, 1);
    await t.db.query(
      "UPDATE salons SET payment_mode = 'full', cancellation_window_hours = 2 WHERE id = $1",
      [salon.id],
    );
    const [alice] = await makeCustomers(t, 1);
    const { booking, items } = await createBooking(t.db, {
      customerId: alice.id,
      salon: salon.slug,
      items: [{ serviceId: haircut.id, staff: "any", guest: 0 }, {
        serviceId: blowDry.id,
        staff: "any",
        guest: 0,
      }],
      start: new Date(AT_10),
      now: t.clock.now(),
      actor: { userId: alice.id, role: "customer" },
      onlinePayment: true,
    });
    assert.equal(booking.status, "pending");
    assert.equal(booking.deposit_halalas, 20000, "full prepayment of both items");
    await t.db.query(
      `INSERT INTO payments (booking_id, salon_id, customer_id, purpose, status, amount_halalas,
         captured_halalas, provider_payment_id, description, locale, created_at, updated_at)
       VALUES ($1, $2, $3, 'full', 'paid', 20000, 20000, 'pay_1', 'Visit', 'en', $4, $4)`,
      [booking.id, salon.id, alice.id, t.clock.now()],
    );
    await t.db.query("UPDATE bookings SET status = 'confirmed' WHERE id = $1", [booking.id]);

    const res = await postJson(
      t.app,
      `/api/bookings/${booking.id}/items/${items[1].id}/cancel/`,
      {},
      { authorization: `Bearer ${alice.access}`, "accept-language": "en" },
    );
    assert.equal(res.status, 200);
    const body = await res.json();
    assert.equal(body.booking.price_halalas, 12000);
    assert.equal(body.booking.status, "confirmed");
    assert.equal(body.refund_halalas, 8000);
    const [refund] = await t.db.query<{ amount_halalas: number; reason: string }>(
      "SELECT amount_halalas, reason FROM payment_actions WHERE kind = 'refund'",
    );
    assert.deepEqual(refund, { amount_halalas: 8000, reason: "auto:repriced" });
    const [item] = await t.db.query<{ status: string; blocking: boolean }>(
      "SELECT status, blocking FROM booking_items WHERE id = $1",
      [items[1].id],
    );
    assert.deepEqual(item, { status: "cancelled", blocking: false });
    const [event] = await t.db.query<{ kind: string }>(
      "SELECT kind FROM booking_events WHERE booking_id = $1 ORDER BY at DESC LIMIT 1",
      [booking.id],
    );
    assert.equal(event.kind, "item_cancelled");
    // The same item again: a 409; someone else's booking: a 404.
    const again = await postJson(
      t.app,
      `/api/bookings/${booking.id}/items/${items[1].id}/cancel/`,
      {},
      { authorization: `Bearer ${alice.access}` },
    );
    assert.equal(again.status, 409);
    const [mallory] = await makeCustomers(t, 1);
    const foreign = await postJson(
      t.app,
      `/api/bookings/${booking.id}/items/${items[0].id}/cancel/`,
      {},
      { authorization: `Bearer ${mallory.access}` },
    );
    assert.equal(foreign.status, 404);
    // The last active item: the visit is cancelled.
    const last = await postJson(
      t.app,
      `/api/bookings/${booking.id}/items/${items[0].id}/cancel/`,
      {},
      { authorization: `Bearer ${alice.access}` },
    );
    assert.equal(last.status, 200);
    assert.equal((await last.json()).booking.status, "cancelled");
  } finally {
    await t.close();
  }
});
