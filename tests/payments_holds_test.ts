import assert from "node:assert/strict";
import { cancelBooking, createBooking } from "@/services/bookings/mod.ts";
import { runPaymentActions } from "@/services/payments/mod.ts";
import { login } from "./helpers/auth.ts";
import {
  bookingStatus,
  ledgerSum,
  messageEvents,
  paymentOf,
  paymentsTest,
  pendingBooking,
  postPayment,
  returnFromMoyasar,
  TOMORROW_10,
} from "./helpers/payments.ts";

const HOLD_MS = 10 * 60_000;

Deno.test("payments holds - paid after the hold lapsed, the time still free: the booking is re-secured and confirmed", async () => {
  const p = await paymentsTest();
  try {
    const { t, fake } = p;
    const alice = await pendingBooking(t);
    await postPayment(t, alice.customer.access, alice.booking.id);
    // She pays just before the hold ends; the answer reaches us after it (no webhook, a slow return).
    fake.dropWebhooks = true;
    const { redirect } = await fake.payInvoice(fake.lastInvoice()!.id, "paid");
    t.clock.advance(HOLD_MS + 60_000);
    // Meanwhile someone books another time with the same stylist: that expires Alice's hold.
    const bob = await login(t, "0512345679");
    await createBooking(t.db, {
      customerId: bob.user.id as string,
      salon: alice.salon.slug,
      serviceId: alice.service.id,
      staff: alice.staff.id,
      start: new Date(TOMORROW_10.getTime() + 3 * 3_600_000),
      now: t.clock.now(),
      actor: { userId: bob.user.id as string, role: "customer" },
      onlinePayment: true,
    });
    assert.equal(await bookingStatus(t.db, alice.booking.id), "expired");

    assert.equal(await returnFromMoyasar(t, redirect), `/bookings/${alice.booking.id}?notice=paid`);
    assert.equal(await bookingStatus(t.db, alice.booking.id), "confirmed");
    const row = await paymentOf(t.db, alice.booking.id);
    assert.equal(row.status, "paid");
    assert.equal(row.auto_refund_reason, null);
    const history = await t.db.query<{ from_status: string; to_status: string }>(
      "SELECT from_status, to_status FROM booking_events WHERE booking_id = $1 AND kind = 'status' ORDER BY at",
      [alice.booking.id],
    );
    assert.deepEqual(history.map((h) => `${h.from_status}→${h.to_status}`), [
      "pending→expired",
      "expired→confirmed",
    ]);
  } finally {
    await p.close();
  }
});

Deno.test("payments holds - paid after the hold lapsed and the time was taken: refunded automatically and the customer is told", async () => {
  const p = await paymentsTest();
  try {
    const { t, fake, client } = p;
    const alice = await pendingBooking(t);
    await postPayment(t, alice.customer.access, alice.booking.id);
    fake.dropWebhooks = true;
    const { redirect } = await fake.payInvoice(fake.lastInvoice()!.id, "paid");
    t.clock.advance(HOLD_MS + 60_000);
    const bob = await login(t, "0512345679");
    const { booking: bobs } = await createBooking(t.db, {
      customerId: bob.user.id as string,
      salon: alice.salon.slug,
      serviceId: alice.service.id,
      staff: alice.staff.id,
      start: TOMORROW_10, // Alice's time
      now: t.clock.now(),
      actor: { userId: bob.user.id as string, role: "customer" },
      onlinePayment: true,
    });
    assert.equal(await bookingStatus(t.db, alice.booking.id), "expired");

    fake.dropWebhooks = false;
    assert.equal(
      await returnFromMoyasar(t, redirect),
      `/bookings/${alice.booking.id}?notice=payment_refunding`,
    );
    assert.equal(await bookingStatus(t.db, alice.booking.id), "expired");
    assert.equal(await bookingStatus(t.db, bobs.id), "pending", "Bob keeps the time");
    let row = await paymentOf(t.db, alice.booking.id);
    assert.equal(row.status, "paid");
    assert.equal(row.auto_refund_reason, "slot_taken");

    const run = await runPaymentActions(t.db, client, t.clock.now());
    assert.deepEqual(run, { queued: 1, attempted: 1, succeeded: 1 });
    row = await paymentOf(t.db, alice.booking.id);
    assert.equal(row.status, "refunded");
    assert.equal(row.refunded_halalas, 3000);
    assert.equal(fake.payments.get(row.provider_payment_id!)!.refunded, 3000);
    assert.equal(await ledgerSum(t.db, row.id), 0, "nothing kept");
    const messages = await messageEvents(t.db, alice.booking.id);
    assert.ok(messages.includes("refund_issued"), messages.join());
    assert.ok(!messages.includes("payment_received"), "no 'payment received' for money going back");
    // Running again does nothing more.
    assert.deepEqual(await runPaymentActions(t.db, client, t.clock.now()), {
      queued: 0,
      attempted: 0,
      succeeded: 0,
    });

    const jarless = await t.app.request(`/bookings/${alice.booking.id}?lang=en`, {
      headers: { authorization: `Bearer ${alice.customer.access}` },
    });
    const html = await jarless.text();
    assert.match(html, /Refunded to your card<\/dt><dd[^>]*>SAR\s30\.00</);
  } finally {
    await p.close();
  }
});

Deno.test("payments holds - the race the other way: a booking for the same time waits for the payment that confirms the hold", async () => {
  const p = await paymentsTest();
  try {
    const { t, fake } = p;
    const alice = await pendingBooking(t);
    await postPayment(t, alice.customer.access, alice.booking.id);
    fake.dropWebhooks = true;
    const { redirect } = await fake.payInvoice(fake.lastInvoice()!.id, "paid");
    const bob = await login(t, "0512345679");
    // One second before the hold ends: the payment's confirmation and Bob's booking race.
    t.clock.advance(HOLD_MS - 1000);
    const [callback, booking] = await Promise.allSettled([
      returnFromMoyasar(t, redirect),
      createBooking(t.db, {
        customerId: bob.user.id as string,
        salon: alice.salon.slug,
        serviceId: alice.service.id,
        staff: alice.staff.id,
        start: TOMORROW_10,
        now: t.clock.now(),
        actor: { userId: bob.user.id as string, role: "customer" },
        onlinePayment: true,
      }),
    ]);
    assert.equal(callback.status, "fulfilled");
    assert.equal(booking.status, "rejected", "the time is Alice's");
    assert.equal(await bookingStatus(t.db, alice.booking.id), "confirmed");
  } finally {
    await p.close();
  }
});

Deno.test("payments holds - cancelling inside the policy refunds the deposit; after the window the customer cannot cancel and it is kept", async () => {
  const p = await paymentsTest();
  try {
    const { t, fake, client } = p;
    const alice = await pendingBooking(t);
    await postPayment(t, alice.customer.access, alice.booking.id);
    await fake.payInvoice(fake.lastInvoice()!.id, "paid");
    assert.equal(await bookingStatus(t.db, alice.booking.id), "confirmed");

    const cancel = await t.app.request(`/api/bookings/${alice.booking.id}/cancel/`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${alice.customer.access}`,
        "content-type": "application/json",
      },
      body: JSON.stringify({ reason: "travelling" }),
    });
    assert.equal(cancel.status, 200);
    await cancel.body?.cancel();
    let row = await paymentOf(t.db, alice.booking.id);
    assert.equal(row.auto_refund_reason, "booking_cancelled");
    const [due] = await t.db.query<{ actor_role: string; actor_user_id: string }>(
      "SELECT actor_role, actor_user_id FROM payment_events WHERE payment_id = $1 AND kind = 'refund_due'",
      [row.id],
    );
    assert.deepEqual(due, { actor_role: "customer", actor_user_id: alice.customerId });
    await runPaymentActions(t.db, client, t.clock.now());
    row = await paymentOf(t.db, alice.booking.id);
    assert.equal(row.status, "refunded");
    assert.equal(fake.payments.get(row.provider_payment_id!)!.refunded, 3000);

    // Another booking, paid, then the 12-hour window opens: the customer cannot cancel; kept.
    const second = await pendingBooking(t, {
      customer: alice.customer,
      salon: alice.salon,
      service: alice.service,
      staff: alice.staff,
      start: new Date(TOMORROW_10.getTime() + 5 * 3_600_000),
    });
    await postPayment(t, alice.customer.access, second.booking.id);
    await fake.payInvoice(fake.lastInvoice()!.id, "paid");
    t.clock.set("2026-11-22T05:00:00Z");
    await assert.rejects(
      cancelBooking(t.db, {
        bookingId: second.booking.id,
        actor: { userId: alice.customerId, role: "customer" },
        now: t.clock.now(),
        scope: { customerId: alice.customerId },
      }),
      /booking.cancelWindowPassed/,
    );
    const kept = await paymentOf(t.db, second.booking.id);
    assert.equal(kept.status, "paid");
    assert.equal(kept.auto_refund_reason, null);

    // The salon cancelling is never the customer's fault: refunded.
    await cancelBooking(t.db, {
      bookingId: second.booking.id,
      actor: { userId: null, role: "salon" },
      now: t.clock.now(),
      reason: "stylist ill",
      scope: { salonId: alice.salon.id },
    });
    await runPaymentActions(t.db, client, t.clock.now());
    assert.equal((await paymentOf(t.db, second.booking.id)).status, "refunded");
  } finally {
    await p.close();
  }
});

Deno.test("payments holds - a payment that lands after the customer cancelled the unpaid hold is refunded", async () => {
  const p = await paymentsTest();
  try {
    const { t, fake, client } = p;
    const alice = await pendingBooking(t);
    await postPayment(t, alice.customer.access, alice.booking.id);
    await cancelBooking(t.db, {
      bookingId: alice.booking.id,
      actor: { userId: alice.customerId, role: "customer" },
      now: t.clock.now(),
      scope: { customerId: alice.customerId },
    });
    // The hosted page was still open in another tab.
    await fake.payInvoice(fake.lastInvoice()!.id, "paid");
    let row = await paymentOf(t.db, alice.booking.id);
    assert.equal(row.status, "paid");
    assert.equal(row.auto_refund_reason, "booking_cancelled");
    assert.equal(await bookingStatus(t.db, alice.booking.id), "cancelled");
    await runPaymentActions(t.db, client, t.clock.now());
    row = await paymentOf(t.db, alice.booking.id);
    assert.equal(row.status, "refunded");
    assert.equal(await ledgerSum(t.db, row.id), 0);
  } finally {
    await p.close();
  }
});
