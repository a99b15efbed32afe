import assert from "node:assert/strict";
import { reconcilePayments, refundPayment } from "@/services/payments/mod.ts";
import {
  bookingStatus,
  ledgerSum,
  messageEvents,
  paymentOf,
  paymentsTest,
  pendingBooking,
  postPayment,
} from "./helpers/payments.ts";

function postWebhook(origin: string, body: unknown): Promise<Response> {
  return fetch(`${origin}/api/payments/webhook/`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
}

Deno.test("payments webhook - a wrong or missing secret token → 401 and nothing changes", async () => {
  const p = await paymentsTest();
  try {
    const { t, fake } = p;
    const { booking, customer } = await pendingBooking(t);
    await postPayment(t, customer.access, booking.id);
    fake.dropWebhooks = true;
    const { payment } = await fake.payInvoice(fake.lastInvoice()!.id, "paid");
    const event = {
      id: crypto.randomUUID(),
      type: "payment_paid",
      created_at: new Date().toISOString(),
      secret_token: "guess",
      account_name: "x",
      live: false,
      data: payment,
    };
    const wrong = await postWebhook(p.origin, event);
    assert.equal(wrong.status, 401);
    assert.deepEqual(await wrong.json(), { detail: "الرمز السري للإشعار غير صحيح." });
    const missing = await postWebhook(p.origin, { ...event, secret_token: undefined });
    assert.equal(missing.status, 400, "a body without secret_token is malformed");
    await missing.body?.cancel();
    const near = await postWebhook(p.origin, { ...event, secret_token: `${fake.webhookSecret}x` });
    assert.equal(near.status, 401);
    await near.body?.cancel();
    assert.equal((await t.db.query("SELECT 1 FROM webhook_events")).length, 0);
    assert.equal((await paymentOf(t.db, booking.id)).status, "initiated");
    assert.equal(await bookingStatus(t.db, booking.id), "pending");

    // The same event with the right token is applied.
    const right = await postWebhook(p.origin, { ...event, secret_token: fake.webhookSecret });
    assert.equal(right.status, 200);
    assert.deepEqual(await right.json(), { received: true, outcome: "applied" });
    assert.equal(await bookingStatus(t.db, booking.id), "confirmed");
  } finally {
    await p.close();
  }
});

Deno.test("payments webhook - duplicates, replays and out-of-order events change nothing; the ledger stays exact", async () => {
  const p = await paymentsTest();
  try {
    const { t, fake, client } = p;
    const { booking, customer } = await pendingBooking(t);
    await postPayment(t, customer.access, booking.id);
    await fake.payInvoice(fake.lastInvoice()!.id, "paid");
    const paidEvent = fake.webhooks[0].body;
    assert.equal(fake.webhooks[0].status, 200);
    const row = await paymentOf(t.db, booking.id);
    assert.equal(row.status, "paid");
    const messagesBefore = await messageEvents(t.db, booking.id);

    // Moyasar retries the same event (same id): 200, no effect.
    const dup = await postWebhook(p.origin, paidEvent);
    assert.equal(dup.status, 200);
    assert.deepEqual(await dup.json(), { received: true, outcome: "duplicate" });
    assert.deepEqual(await messageEvents(t.db, booking.id), messagesBefore);

    // A refund by the salon, then the old "paid" event replayed under a fresh id and a stale
    // partial-refund event delivered last: the payment stays fully refunded.
    await refundPayment(t.db, client, {
      paymentId: row.id,
      amountHalalas: 1000,
      actor: { userId: null, role: "salon" },
      reason: "goodwill",
      now: t.clock.now(),
    });
    const partialEvent = fake.webhooks.at(-1)!.body;
    await refundPayment(t.db, client, {
      paymentId: row.id,
      amountHalalas: 2000,
      actor: { userId: null, role: "salon" },
      reason: "salon closed that day",
      now: t.clock.now(),
    });
    const replay = await postWebhook(p.origin, { ...paidEvent, id: crypto.randomUUID() });
    assert.equal(replay.status, 200);
    await replay.body?.cancel();
    const late = await postWebhook(p.origin, { ...partialEvent, id: crypto.randomUUID() });
    assert.equal(late.status, 200);
    await late.body?.cancel();

    const after = await paymentOf(t.db, booking.id);
    assert.equal(after.status, "refunded");
    assert.equal(after.refunded_halalas, 3000);
    assert.equal(await ledgerSum(t.db, row.id), 0);
    assert.equal(fake.payments.get(after.provider_payment_id!)!.refunded, 3000);
    const statuses = await t.db.query<{ to_status: string; amount_halalas: number }>(
      "SELECT to_status, amount_halalas FROM payment_events WHERE payment_id = $1 AND kind = 'status' ORDER BY at, id",
      [row.id],
    );
    assert.deepEqual([...statuses], [
      { to_status: "paid", amount_halalas: 3000 },
      { to_status: "partially_refunded", amount_halalas: -1000 },
      { to_status: "refunded", amount_halalas: -2000 },
    ]);
    const refundMessages = (await messageEvents(t.db, booking.id)).filter((e) =>
      e === "refund_issued"
    );
    assert.equal(refundMessages.length, 2, "one message per refund, none for replays");
  } finally {
    await p.close();
  }
});

Deno.test("payments webhook - out of order: a refund event before the paid event; the booking is not confirmed by money that went back", async () => {
  const p = await paymentsTest();
  try {
    const { t, fake } = p;
    const { booking, customer } = await pendingBooking(t);
    await postPayment(t, customer.access, booking.id);
    fake.dropWebhooks = true;
    const { payment } = await fake.payInvoice(fake.lastInvoice()!.id, "paid");
    const paidEvent = {
      id: crypto.randomUUID(),
      type: "payment_paid",
      created_at: new Date().toISOString(),
      secret_token: fake.webhookSecret,
      data: structuredClone(payment),
    };
    // Refunded at Moyasar (say, from its dashboard) before any of our webhooks arrived.
    payment.status = "refunded";
    payment.refunded = 3000;
    const refundedEvent = {
      ...paidEvent,
      id: crypto.randomUUID(),
      type: "payment_refunded",
      data: payment,
    };
    assert.equal((await postWebhook(p.origin, refundedEvent)).status, 200);
    assert.equal((await postWebhook(p.origin, paidEvent)).status, 200);
    const row = await paymentOf(t.db, booking.id);
    assert.equal(row.status, "refunded");
    assert.equal(await ledgerSum(t.db, row.id), 0);
    assert.equal(await bookingStatus(t.db, booking.id), "pending");
  } finally {
    await p.close();
  }
});

Deno.test("payments webhook - an event for a payment we do not know → 200 and a log line; other events are ignored", async () => {
  const p = await paymentsTest();
  try {
    const { t, fake } = p;
    const stranger = fake.createPayment({ amount: 5000 });
    const res = await postWebhook(p.origin, {
      id: crypto.randomUUID(),
      type: "payment_paid",
      secret_token: fake.webhookSecret,
      data: stranger,
    });
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { received: true, outcome: "unknown_payment" });
    const payout = await postWebhook(p.origin, {
      id: crypto.randomUUID(),
      type: "payout_paid",
      secret_token: fake.webhookSecret,
      data: { id: "payout_1" },
    });
    assert.deepEqual(await payout.json(), { received: true, outcome: "ignored" });
    const bad = await postWebhook(p.origin, { id: 1, type: "payment_paid" });
    assert.equal(bad.status, 400);
    await bad.body?.cancel();
    const rows = await t.db.query<{ outcome: string }>(
      "SELECT outcome FROM webhook_events ORDER BY received_at, event_id",
    );
    assert.deepEqual(rows.map((r) => r.outcome).sort(), ["rejected", "unknown_payment"]);
  } finally {
    await p.close();
  }
});

Deno.test("payments webhook - Moyasar down while a webhook arrives: 200, the event waits, reconciliation applies it", async () => {
  const p = await paymentsTest();
  try {
    const { t, fake, client } = p;
    const { booking, customer } = await pendingBooking(t);
    await postPayment(t, customer.access, booking.id);
    fake.faults.fetch_payment = "error500";
    fake.faults.fetch_invoice = "error500";
    await fake.payInvoice(fake.lastInvoice()!.id, "paid");
    assert.equal(fake.webhooks[0].status, 200, "answered 2xx although Moyasar could not be asked");
    assert.equal(await bookingStatus(t.db, booking.id), "pending");
    const [waiting] = await t.db.query<{ processed_at: Date | null; outcome: string }>(
      "SELECT processed_at, outcome FROM webhook_events",
    );
    assert.equal(waiting.processed_at, null);
    assert.equal(waiting.outcome, "error");

    delete fake.faults.fetch_payment;
    delete fake.faults.fetch_invoice;
    t.clock.advance(60_000);
    const report = await reconcilePayments(t.db, client, t.clock.now());
    assert.equal(report.events, 1);
    assert.equal(await bookingStatus(t.db, booking.id), "confirmed");
    const [done] = await t.db.query<{ processed_at: Date | null; outcome: string }>(
      "SELECT processed_at, outcome FROM webhook_events",
    );
    assert.ok(done.processed_at);
    assert.equal(done.outcome, "applied");
  } finally {
    await p.close();
  }
});
