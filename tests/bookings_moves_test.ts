/**
 * Moves re-derive what a booking copied from the catalog (price, duration, buffers) and settle
 * the difference in money; customers move a booking a bounded number of times a day; moves in a
 * row make one message about where the booking ended up.
 */
import assert from "node:assert/strict";
import {
  type Actor,
  type BookingRow,
  createBooking,
  rescheduleBooking,
} from "@/services/bookings/mod.ts";
import { makeTestApp, type TestApp } from "./helpers/app.ts";
import { appError } from "./helpers/errors.ts";
import { login, postJson } from "./helpers/auth.ts";
import { testBackend } from "./helpers/db.ts";
import { makeBooking, makeSalon, makeService, makeStaff } from "./helpers/factories.ts";
import { bookingStatus, paymentsTest, pendingBooking, postPayment } from "./helpers/payments.ts";

const backend = testBackend();
// The test clock starts at 2026-11-21T09:00Z (12:00 in Riyadh); two days out is outside every
// cancellation window.
const at = (hhmm: string) => new Date(`2026-11-23T${hhmm}:00.000Z`);

async function world(t: TestApp, salonColumns: Record<string, unknown> = {}) {
  const salon = await makeSalon(t.db, salonColumns);
  const service = await makeService(t.db, salon, {
    duration_minutes: 60,
    price_halalas: 10000,
    buffer_after_minutes: 30,
  });
  const junior = await makeStaff(t.db, salon, { services: [service.id] });
  const senior = await makeStaff(t.db, salon, {
    services: [{ id: service.id, price_halalas: 25000 }],
  });
  const customer = await login(t);
  const customerId = customer.user.id as string;
  const asCustomer = { userId: customerId, role: "customer" as const };
  const book = async (start: Date, staff = junior.id) =>
    (await createBooking(t.db, {
      customerId,
      salon: salon.slug,
      serviceId: service.id,
      staff,
      start,
      now: t.clock.now(),
      actor: asCustomer,
    })).booking;
  const move = (booking: BookingRow, start: Date, staff?: string, actor: Actor = asCustomer) =>
    rescheduleBooking(t.db, {
      bookingId: booking.id,
      start,
      staff,
      actor,
      now: t.clock.now(),
      scope: actor.role === "customer" ? { customerId } : { salonId: salon.id },
    });
  return { salon, service, junior, senior, customer, customerId, book, move };
}

Deno.test(`moves (${backend}) - moving to another stylist takes that stylist's price; the history says so`, async () => {
  const t = await makeTestApp();
  try {
    const w = await world(t);
    const booking = await w.book(at("07:00"));
    assert.equal(booking.price_halalas, 10000);
    const moved = await w.move(booking, at("07:00"), w.senior.id);
    assert.equal(moved.staff_id, w.senior.id);
    assert.equal(moved.price_halalas, 25000, "the senior's price, not the junior's");
    const [event] = await t.db.query<{ data: { price_halalas: { from: number; to: number } } }>(
      "SELECT data FROM booking_events WHERE booking_id = $1 AND kind = 'rescheduled'",
      [booking.id],
    );
    assert.deepEqual(event.data.price_halalas, { from: 10000, to: 25000 });
    const back = await w.move(moved, at("09:00"), w.junior.id);
    assert.equal(back.price_halalas, 10000);
  } finally {
    await t.close();
  }
});

Deno.test(`moves (${backend}) - after the salon shortens a buffer, a time the slot engine offers can be moved to`, async () => {
  const t = await makeTestApp();
  try {
    const w = await world(t);
    // Someone else at 12:00 (Riyadh 15:00), blocking from 12:00.
    await makeBooking(t.db, { service: w.service, staff: w.junior, starts_at: at("12:00") });
    const booking = await w.book(at("07:00"));
    assert.equal(booking.buffer_after_minutes, 30);
    await t.db.query("UPDATE services SET buffer_after_minutes = 0 WHERE id = $1", [w.service.id]);
    // 11:00–12:00 fits with no buffer after it; with the old 30 minutes it would not.
    const moved = await w.move(booking, at("11:00"));
    assert.equal(moved.starts_at.toISOString(), at("11:00").toISOString());
    assert.equal(moved.buffer_after_minutes, 0);
    assert.equal(moved.block_end.toISOString(), at("12:00").toISOString());
  } finally {
    await t.close();
  }
});

Deno.test(`moves (${backend}) - a cheaper stylist after a paid deposit: the excess is refunded through the ledger`, async () => {
  const t = await makeTestApp();
  try {
    const w = await world(t, { payment_mode: "deposit", deposit_percent: 20 });
    const booking = (await createBooking(t.db, {
      customerId: w.customerId,
      salon: w.salon.slug,
      serviceId: w.service.id,
      staff: w.senior.id,
      start: at("07:00"),
      now: t.clock.now(),
      actor: { userId: w.customerId, role: "customer" },
      onlinePayment: true,
    })).booking;
    assert.equal(booking.deposit_halalas, 5000, "20 % of SAR 250");
    // The deposit was paid (as the webhook would leave it).
    const [payment] = await t.db.query<{ id: string }>(
      `INSERT INTO payments (booking_id, salon_id, customer_id, purpose, status, amount_halalas,
         captured_halalas, provider_invoice_id, provider_payment_id, description, locale,
         created_at, updated_at)
       VALUES ($1, $2, $3, 'deposit', 'paid', 5000, 5000, 'inv-1', 'pay-1', 'Deposit', 'en', $4, $4)
       RETURNING id`,
      [booking.id, w.salon.id, w.customerId, t.clock.now()],
    );
    await t.db.query(
      "UPDATE bookings SET status = 'confirmed', hold_expires_at = NULL WHERE id = $1",
      [
        booking.id,
      ],
    );
    const moved = await w.move({ ...booking, status: "confirmed" }, at("07:00"), w.junior.id);
    assert.equal(moved.price_halalas, 10000);
    assert.equal(moved.deposit_halalas, 2000, "20 % of SAR 100");
    const actions = await t.db.query<{ kind: string; amount_halalas: number; status: string }>(
      "SELECT kind, amount_halalas, status FROM payment_actions WHERE payment_id = $1",
      [payment.id],
    );
    assert.deepEqual(actions, [{ kind: "refund", amount_halalas: 3000, status: "pending" }]);
    const ledger = await t.db.query<{ kind: string }>(
      "SELECT kind FROM payment_events WHERE payment_id = $1",
      [payment.id],
    );
    assert.deepEqual(ledger.map((e) => e.kind), ["refund_requested"]);
    const [event] = await t.db.query<{ data: Record<string, unknown> }>(
      "SELECT data FROM booking_events WHERE booking_id = $1 AND kind = 'rescheduled'",
      [booking.id],
    );
    assert.equal(event.data.refund_halalas, 3000);
    assert.equal(event.data.due_halalas, 0);
  } finally {
    await t.close();
  }
});

Deno.test(`moves (${backend}) - a customer moves one booking at most 3 times a day; the salon still can`, async () => {
  const t = await makeTestApp();
  try {
    const w = await world(t);
    let booking = await w.book(at("07:00"));
    for (const hhmm of ["08:00", "09:00", "10:00"]) {
      booking = await w.move(booking, at(hhmm));
      t.clock.advance(60_000);
    }
    const refused = await appError(() => w.move(booking, at("11:00")));
    assert.equal(refused.status, 429);
    const res = await postJson(
      t.app,
      `/api/bookings/${booking.id}/reschedule/`,
      { start: at("11:00").toISOString() },
      { authorization: `Bearer ${w.customer.access}`, "accept-language": "en" },
    );
    assert.equal(res.status, 429);
    assert.match((await res.json()).detail, /moved 3 times/);
    const [still] = await t.db.query<{ starts_at: Date }>(
      "SELECT starts_at FROM bookings WHERE id = $1",
      [booking.id],
    );
    assert.equal(still.starts_at.toISOString(), at("10:00").toISOString(), "nothing changed");
    const salonMove = await w.move(booking, at("11:00"), undefined, {
      userId: null,
      role: "salon",
    });
    assert.equal(salonMove.starts_at.toISOString(), at("11:00").toISOString());
    t.clock.advance(24 * 3_600_000);
    assert.ok(await w.move(salonMove, at("12:00")), "a day later the customer may move it again");
  } finally {
    await t.close();
  }
});

Deno.test(`moves (${backend}) - 20 simultaneous moves over two instances send the customer one message, about the final time`, async () => {
  const t = await makeTestApp();
  try {
    const w = await world(t);
    const booking = await w.book(at("07:00"));
    // Two connections, as two app instances have (one handle on PGlite).
    const other = t.testDb.openAnother();
    const handles = [t.db, other ?? t.db];
    const [manager] = await t.db.query<{ id: string }>(
      "INSERT INTO users (phone_number) VALUES ('+966500000777') RETURNING id",
    );
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        rescheduleBooking(handles[i % 2], {
          bookingId: booking.id,
          start: at(`${String(8 + (i % 10)).padStart(2, "0")}:00`),
          actor: { userId: manager.id, role: "salon" },
          now: t.clock.now(),
          scope: { salonId: w.salon.id },
        })),
    );
    await other?.close();
    assert.ok(results.some((r) => r.status === "fulfilled"));
    const [final] = await t.db.query<{ starts_at: Date }>(
      "SELECT starts_at FROM bookings WHERE id = $1",
      [booking.id],
    );
    const live = await t.db.query<{ recipient_role: string; dedupe_key: string }>(
      `SELECT recipient_role, dedupe_key FROM messages
       WHERE booking_id = $1 AND event = 'rescheduled' AND status <> 'cancelled'`,
      [booking.id],
    );
    const toCustomer = live.filter((m) => m.recipient_role === "customer");
    assert.equal(toCustomer.length, 1, "one message to the customer");
    const finalEpoch = String(Math.floor(final.starts_at.getTime() / 1000));
    assert.ok(toCustomer[0].dedupe_key.includes(`:${finalEpoch}:`), "about the final time");
  } finally {
    await t.close();
  }
});

Deno.test(`moves (${backend}) - the API previews a move (new price, deposit, refund) and changes nothing`, async () => {
  const t = await makeTestApp();
  try {
    const w = await world(t);
    const booking = await w.book(at("07:00"));
    const move = (preview: boolean) =>
      postJson(
        t.app,
        `/api/bookings/${booking.id}/reschedule/`,
        { start: at("09:00").toISOString(), staff: w.senior.id, preview },
        { authorization: `Bearer ${w.customer.access}` },
      );
    const previewed = await move(true);
    assert.equal(previewed.status, 200);
    const body = await previewed.json();
    assert.equal(body.preview, true);
    assert.equal(body.booking.price_halalas, 25000);
    assert.equal(body.booking.staff_id, w.senior.id);
    const [row] = await t.db.query<BookingRow>("SELECT * FROM bookings WHERE id = $1", [
      booking.id,
    ]);
    assert.equal(row.staff_id, w.junior.id, "still with the junior");
    assert.equal(row.price_halalas, 10000);
    assert.equal(row.starts_at.toISOString(), at("07:00").toISOString());
    const events = await t.db.query(
      "SELECT 1 FROM booking_events WHERE booking_id = $1 AND kind = 'rescheduled'",
      [booking.id],
    );
    assert.equal(events.length, 0, "no history, no message, no count against the daily limit");
    const done = await move(false);
    assert.equal(done.status, 200);
    assert.equal((await done.json()).booking.price_halalas, 25000);
  } finally {
    await t.close();
  }
});

Deno.test(`moves (${backend}) - a dearer stylist after a paid deposit: the difference is paid online, and nothing is refunded as a duplicate`, async () => {
  const p = await paymentsTest();
  try {
    const { t, fake } = p;
    const pending = await pendingBooking(t); // SAR 150, 20 % deposit: SAR 30
    const senior = await makeStaff(t.db, pending.salon, {
      services: [{ id: pending.service.id, price_halalas: 25000 }],
    });
    const auth = { authorization: `Bearer ${pending.customer.access}` };
    assert.equal((await postPayment(t, pending.customer.access, pending.booking.id)).status, 201);
    await fake.payInvoice(fake.lastInvoice()!.id, "paid");
    const moved = await postJson(t.app, `/api/bookings/${pending.booking.id}/reschedule/`, {
      start: pending.booking.starts_at.toISOString(),
      staff: senior.id,
    }, auth);
    assert.equal(moved.status, 200);
    const body = await moved.json();
    assert.equal(body.booking.deposit_halalas, 5000, "20 % of SAR 250");
    assert.equal(body.due_halalas, 2000);
    const page = await (await t.app.request(`/bookings/${pending.booking.id}?lang=en`, {
      headers: auth,
    })).text();
    assert.match(page, /Pay the difference, SAR\s?20\.00/);
    const second = await postPayment(t, pending.customer.access, pending.booking.id);
    assert.equal(second.status, 201, await second.clone().text());
    assert.equal(fake.lastInvoice()!.amount, 2000, "an invoice for the difference only");
    await fake.payInvoice(fake.lastInvoice()!.id, "paid");
    const payments = await t.db.query<{ status: string; auto_refund_reason: string | null }>(
      "SELECT status, auto_refund_reason FROM payments WHERE booking_id = $1 ORDER BY created_at",
      [pending.booking.id],
    );
    assert.deepEqual(payments, [
      { status: "paid", auto_refund_reason: null },
      { status: "paid", auto_refund_reason: null },
    ]);
    assert.equal(await bookingStatus(t.db, pending.booking.id), "confirmed");
    const [{ sum }] = await t.db.query<{ sum: number }>(
      "SELECT sum(amount_halalas)::int AS sum FROM payment_events WHERE booking_id = $1",
      [pending.booking.id],
    );
    assert.equal(sum, 5000, "the ledger holds the whole new deposit");
    const third = await postPayment(t, pending.customer.access, pending.booking.id);
    assert.equal(third.status, 409, "nothing more is due");
  } finally {
    await p.close();
  }
});
