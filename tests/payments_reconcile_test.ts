import assert from "node:assert/strict";
import { reconcilePayments, startPaymentJobs } from "@/services/payments/mod.ts";
import {
  bookingStatus,
  ledgerSum,
  paymentOf,
  paymentsTest,
  pendingBooking,
  postPayment,
} from "./helpers/payments.ts";

Deno.test("payments reconcile - every webhook lost and the customer never came back: the periodic check confirms the booking", async () => {
  const p = await paymentsTest();
  try {
    const { t, fake, client } = p;
    const { booking, customer } = await pendingBooking(t);
    await postPayment(t, customer.access, booking.id);
    fake.dropWebhooks = true;
    await fake.payInvoice(fake.lastInvoice()!.id, "paid"); // tab closed: no return either

    // Too early: a payment just opened is left alone.
    t.clock.advance(60_000);
    const early = await reconcilePayments(t.db, client, t.clock.now());
    assert.equal(early.checked, 0);
    assert.equal(await bookingStatus(t.db, booking.id), "pending");

    t.clock.advance(3 * 60_000);
    const report = await reconcilePayments(t.db, client, t.clock.now());
    assert.equal(report.checked, 1);
    assert.equal(report.changed, 1);
    assert.equal(await bookingStatus(t.db, booking.id), "confirmed");
    const row = await paymentOf(t.db, booking.id);
    assert.equal(row.status, "paid");
    assert.equal(await ledgerSum(t.db, row.id), 3000);
    const [status] = await t.db.query<{ source: string }>(
      "SELECT source FROM payment_events WHERE payment_id = $1 AND kind = 'status'",
      [row.id],
    );
    assert.equal(status.source, "reconcile");

    // Settled payments are not asked about again.
    t.clock.advance(10 * 60_000);
    assert.equal((await reconcilePayments(t.db, client, t.clock.now())).checked, 0);
  } finally {
    await p.close();
  }
});

Deno.test("payments reconcile - an invoice nobody paid is closed once it expired; Moyasar down is retried next time", async () => {
  const p = await paymentsTest();
  try {
    const { t, fake, client } = p;
    const { booking, customer } = await pendingBooking(t);
    await postPayment(t, customer.access, booking.id);
    t.clock.advance(5 * 60_000);
    fake.faults.fetch_invoice = "timeout";
    const down = await reconcilePayments(t.db, client, t.clock.now());
    assert.equal(down.errors, 1);
    assert.equal((await paymentOf(t.db, booking.id)).status, "initiated");

    delete fake.faults.fetch_invoice;
    t.clock.advance(10 * 60_000); // past the hold: Moyasar reports the invoice expired
    await reconcilePayments(t.db, client, t.clock.now());
    const row = await paymentOf(t.db, booking.id);
    assert.equal(row.status, "failed");
    const [closed] = await t.db.query<{ reason: string }>(
      "SELECT reason FROM payment_events WHERE payment_id = $1 AND kind = 'status'",
      [row.id],
    );
    assert.equal(closed.reason, "invoice_expired");
  } finally {
    await p.close();
  }
});

Deno.test("payments reconcile - the in-process job runs passes until stopped", async () => {
  const p = await paymentsTest();
  try {
    const { t, fake, client } = p;
    const { booking, customer } = await pendingBooking(t);
    await postPayment(t, customer.access, booking.id);
    fake.dropWebhooks = true;
    await fake.payInvoice(fake.lastInvoice()!.id, "paid");
    const later = () => new Date(t.clock.now().getTime() + 5 * 60_000);
    const jobs = startPaymentJobs(
      t.db,
      client,
      { jobIntervalMs: 20, reconcileAfterMs: 180_000 },
      later,
    );
    for (let i = 0; i < 100 && await bookingStatus(t.db, booking.id) !== "confirmed"; i++) {
      await new Promise((r) => setTimeout(r, 20));
    }
    await jobs.stop();
    assert.equal(await bookingStatus(t.db, booking.id), "confirmed");
  } finally {
    await p.close();
  }
});
