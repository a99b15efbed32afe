/**
 * Holds that stay true over time: a lapsed hold expires by itself (on any number of instances),
 * its customer is told once and its reminders never go out; reminders go only to confirmed
 * bookings; a hold that could never be paid is not made.
 */
import assert from "node:assert/strict";
import { createBooking } from "@/services/bookings/mod.ts";
import { expireLapsedHolds } from "@/services/bookings/expire.ts";
import { startMessageWorker } from "@/services/messages/run.ts";
import { runWorkerOnce } from "@/services/messages/worker.ts";
import { browserLogin, login } from "./helpers/auth.ts";
import { testBackend } from "./helpers/db.ts";
import { makeSalon, makeService, makeStaff } from "./helpers/factories.ts";
import { scriptedProvider, workerDeps } from "./helpers/messages.ts";
import { makeOnlinePaymentApp, pendingBooking } from "./helpers/payments.ts";

const backend = testBackend();
const HOLD_MS = 10 * 60_000; // the salons' default hold

async function heldBookings(t: Awaited<ReturnType<typeof makeOnlinePaymentApp>>, n: number) {
  const first = await pendingBooking(t, { start: new Date("2026-11-25T06:00:00Z") });
  const ids = [first.booking.id];
  for (let i = 1; i < n; i++) {
    const more = await pendingBooking(t, {
      customer: first.customer,
      salon: first.salon,
      service: first.service,
      staff: first.staff,
      start: new Date(Date.parse("2026-11-25T06:00:00Z") + i * 3_600_000),
    });
    ids.push(more.booking.id);
  }
  return { ids, customerId: first.customerId };
}

Deno.test(`holds (${backend}) - ten lapsed holds expire by themselves, once, with two instances running the job`, async () => {
  const t = await makeOnlinePaymentApp();
  try {
    const { ids } = await heldBookings(t, 10);
    const [{ reminders }] = await t.db.query<{ reminders: number }>(
      "SELECT count(*)::int AS reminders FROM messages WHERE kind = 'reminder' AND status = 'queued'",
    );
    assert.ok(reminders > 0, "the holds had reminders queued");
    t.clock.advance(HOLD_MS - 1000);
    assert.equal(await expireLapsedHolds(t.db, t.clock.now()), 0, "not before the hold lapses");
    t.clock.advance(61_000);
    const other = t.testDb.openAnother();
    const counts = await Promise.all([
      expireLapsedHolds(t.db, t.clock.now()),
      expireLapsedHolds(other ?? t.db, t.clock.now()),
    ]);
    await other?.close();
    assert.equal(counts[0] + counts[1], 10, `expired once each: ${counts}`);
    const rows = await t.db.query<{ status: string; events: number; told: number; queued: number }>(
      `SELECT b.status,
         (SELECT count(*)::int FROM booking_events e
          WHERE e.booking_id = b.id AND e.to_status = 'expired') AS events,
         (SELECT count(*)::int FROM messages m WHERE m.booking_id = b.id AND m.event = 'expired'
            AND m.recipient_role = 'customer' AND m.status = 'queued') AS told,
         (SELECT count(*)::int FROM messages m WHERE m.booking_id = b.id AND m.kind = 'reminder'
            AND m.status IN ('queued', 'failed')) AS queued
       FROM bookings b WHERE b.id = ANY($1::uuid[])`,
      [ids],
    );
    assert.equal(rows.length, 10);
    for (const row of rows) {
      assert.deepEqual(row, { status: "expired", events: 1, told: 1, queued: 0 });
    }
  } finally {
    await t.close();
  }
});

Deno.test(`holds (${backend}) - the running worker expires a lapsed hold within a poll, and the message says the time was released`, async () => {
  const t = await makeOnlinePaymentApp({ WORKER_POLL_MS: "20" });
  try {
    const { ids } = await heldBookings(t, 1);
    t.clock.advance(HOLD_MS + 1000);
    const provider = scriptedProvider();
    const worker = startMessageWorker(t.db, t.config, workerDeps(provider, t.clock.now));
    try {
      const deadline = Date.now() + 10_000;
      while (Date.now() < deadline) {
        if (provider.delivered.some((m) => /released|أُتيح/.test(m.body))) break;
        await new Promise((r) => setTimeout(r, 25));
      }
    } finally {
      await worker.stop();
    }
    const [row] = await t.db.query<{ status: string }>(
      "SELECT status FROM bookings WHERE id = $1",
      [
        ids[0],
      ],
    );
    assert.equal(row.status, "expired");
    const released = provider.delivered.filter((m) => /released|أُتيح/.test(m.body));
    assert.equal(released.length, 1, "one message about the released time");
    assert.ok(!provider.delivered.some((m) => /reminder|تذكير/i.test(m.body)), "no reminder");
  } finally {
    await t.close();
  }
});

Deno.test(`holds (${backend}) - the worker never sends a reminder for a booking that is not confirmed`, async () => {
  const t = await makeOnlinePaymentApp();
  try {
    const { ids } = await heldBookings(t, 1);
    // A hold kept open (say, a long hold), still pending when its 24 h reminder falls due.
    await t.db.query("UPDATE bookings SET hold_expires_at = starts_at WHERE id = $1", [ids[0]]);
    t.clock.set("2026-11-24T06:00:30Z");
    const provider = scriptedProvider();
    await runWorkerOnce(t.db, workerDeps(provider, t.clock.now));
    const [reminder] = await t.db.query<{ status: string; last_error: string }>(
      "SELECT status, last_error FROM messages WHERE booking_id = $1 AND event = 'reminder_24h'",
      [ids[0]],
    );
    assert.equal(reminder.status, "cancelled");
    assert.match(reminder.last_error, /pending/);
  } finally {
    await t.close();
  }
});

Deno.test(`holds (${backend}) - the first message of an unpaid online booking says payment is still due`, async () => {
  const t = await makeOnlinePaymentApp();
  try {
    await heldBookings(t, 1);
    const provider = scriptedProvider();
    await runWorkerOnce(t.db, workerDeps(provider, t.clock.now));
    assert.ok(provider.delivered.length > 0, "a message went out");
    const bodies = provider.delivered.map((m) => m.body).join("\n");
    assert.ok(!/confirmed|تم تأكيد/.test(bodies), bodies);
    assert.ok(/once you pay|بانتظار الدفع/.test(bodies), bodies);
  } finally {
    await t.close();
  }
});

Deno.test(`holds (${backend}) - a free service or a deposit under SAR 1 is taken as pay-at-salon, not held, and the dashboard says why`, async () => {
  const t = await makeOnlinePaymentApp();
  try {
    const salon = await makeSalon(t.db, { payment_mode: "deposit", deposit_percent: 10 });
    const free = await makeService(t.db, salon, { price_halalas: 0 });
    const cheap = await makeService(t.db, salon, { price_halalas: 900 }); // 10 % = 90 halalas
    const fine = await makeService(t.db, salon, { price_halalas: 1000 }); // 10 % = 100 halalas
    const staff = await makeStaff(t.db, salon, { services: [free.id, cheap.id, fine.id] });
    const customer = await login(t);
    const customerId = customer.user.id as string;
    const book = async (serviceId: string, hour: number) =>
      (await createBooking(t.db, {
        customerId,
        salon: salon.slug,
        serviceId,
        staff: staff.id,
        start: new Date(`2026-11-25T${String(hour).padStart(2, "0")}:00:00Z`),
        now: t.clock.now(),
        actor: { userId: customerId, role: "customer" },
        onlinePayment: true,
      })).booking;
    for (const [service, hour] of [[free, 6], [cheap, 8]] as const) {
      const b = await book(service.id, hour);
      assert.equal(b.status, "confirmed", "no hold that cannot be paid");
      assert.equal(b.payment_mode, "at_salon");
      assert.equal(b.hold_expires_at, null);
      const [event] = await t.db.query<{ reason: string }>(
        "SELECT data->>'at_salon_reason' AS reason FROM booking_events WHERE booking_id = $1",
        [b.id],
      );
      assert.equal(event.reason, "amount_below_minimum");
    }
    const held = await book(fine.id, 10);
    assert.equal(held.status, "pending", "SAR 1.00 can be paid online: held as before");
    assert.equal(held.deposit_halalas, 100);
  } finally {
    await t.close();
  }
});

Deno.test(`holds (${backend}) - a lapsed hold reads as expired on the customer's pages even before the job has run`, async () => {
  const t = await makeOnlinePaymentApp();
  try {
    const { ids } = await heldBookings(t, 1);
    t.clock.advance(61_000); // past the code cooldown of the login that made the booking
    const jar = await browserLogin(t, "0512345678");
    const page = async () =>
      await (await t.app.request(`/bookings/${ids[0]}?lang=en`, {
        headers: { cookie: jar.header() },
      })).text();
    assert.ok((await page()).includes("We are holding this time for you until"));
    t.clock.advance(HOLD_MS + 1000);
    const html = await page();
    assert.ok(!html.includes("We are holding this time for you until"), "no stale hold notice");
    assert.ok(html.includes("Expired"));
    const list = await t.app.request("/me/bookings?lang=en", { headers: { cookie: jar.header() } });
    assert.ok((await list.text()).includes(">Cancelled or expired</h2>"));
  } finally {
    await t.close();
  }
});
