import assert from "node:assert/strict";
import { AppError } from "@/services/errors.ts";
import {
  capturePayment,
  reconcilePayments,
  refundPayment,
  voidPayment,
} from "@/services/payments/mod.ts";
import type { FakeOperation, Fault } from "./fakes/moyasar.ts";
import {
  bookingStatus,
  ledgerSum,
  paymentOf,
  paymentsTest,
  pendingBooking,
  postPayment,
} from "./helpers/payments.ts";

const SALON = { userId: null, role: "salon" as const };

async function rejectsWith(promise: Promise<unknown>, status: number, key: string) {
  await assert.rejects(promise, (err) => {
    assert.ok(err instanceof AppError, String(err));
    assert.equal(err.status, status);
    assert.equal(err.messageKey, key);
    return true;
  });
}

const calls = (fake: { requests: { method: string; path: string }[] }, suffix: string) =>
  fake.requests.filter((r) => r.method === "POST" && r.path.endsWith(suffix)).length;

for (const fault of ["error500", "timeout", "lost_response"] as Fault[]) {
  Deno.test(`payments failures - creating the page: Moyasar ${fault} → a clear 503, no orphan, the retry opens one page`, async () => {
    const p = await paymentsTest();
    try {
      const { t, fake } = p;
      const { booking, customer } = await pendingBooking(t);
      fake.faults.create_invoice = fault;
      const failed = await postPayment(t, customer.access, booking.id, "k");
      assert.equal(failed.status, 503);
      assert.deepEqual(await failed.json(), {
        detail:
          "The payment service did not answer. Nothing was lost; please try again in a moment.",
      });
      const row = await paymentOf(t.db, booking.id);
      assert.equal(row.status, "initiated");
      assert.equal(row.provider_invoice_id, null);
      assert.equal(row.checkout_lock_until, null, "the next try may go at once");
      assert.equal(await bookingStatus(t.db, booking.id), "pending");

      delete fake.faults.create_invoice;
      const retry = await postPayment(t, customer.access, booking.id, "k");
      assert.equal(retry.status, 201);
      const { payment } = await retry.json();
      assert.equal(payment.id, row.id, "the same payment row, now with its page");
      assert.equal((await t.db.query("SELECT 1 FROM payments")).length, 1);
      const after = await paymentOf(t.db, booking.id);
      assert.equal(after.provider_invoice_id, fake.lastInvoice()!.id);
      // A lost response means Moyasar made an invoice we never heard of; it is never shown and
      // expires with the hold.
      assert.equal(fake.invoices.size, fault === "lost_response" ? 2 : 1);
      const kinds = await t.db.query<{ kind: string }>(
        "SELECT kind FROM payment_events WHERE payment_id = $1 ORDER BY at",
        [row.id],
      );
      assert.deepEqual(kinds.map((k) => k.kind), ["created", "checkout_failed", "checkout_opened"]);

      await fake.payInvoice(fake.lastInvoice()!.id, "paid");
      assert.equal(await bookingStatus(t.db, booking.id), "confirmed");
    } finally {
      await p.close();
    }
  });
}

Deno.test("payments failures - Moyasar refuses to create the page (400) → 502, that row is closed, the next try starts anew", async () => {
  const p = await paymentsTest();
  try {
    const { t, fake } = p;
    const { booking, customer } = await pendingBooking(t);
    const original = fake.secretKey;
    fake.secretKey = "sk_rotated"; // our key no longer works: 401 from Moyasar
    const refused = await postPayment(t, customer.access, booking.id);
    assert.equal(refused.status, 502);
    assert.equal((await paymentOf(t.db, booking.id)).status, "failed");
    fake.secretKey = original;
    const retry = await postPayment(t, customer.access, booking.id);
    assert.equal(retry.status, 201);
    assert.equal((await t.db.query("SELECT 1 FROM payments")).length, 2);
  } finally {
    await p.close();
  }
});

async function paidBooking(p: Awaited<ReturnType<typeof paymentsTest>>, authorize = false) {
  const { t, fake } = p;
  const pending = await pendingBooking(t);
  await postPayment(t, pending.customer.access, pending.booking.id);
  await fake.payInvoice(fake.lastInvoice()!.id, authorize ? "authorized" : "paid");
  return { ...pending, payment: await paymentOf(t.db, pending.booking.id) };
}

const OPERATIONS: {
  op: FakeOperation & ("capture" | "void" | "refund");
  authorize: boolean;
  run: (p: Awaited<ReturnType<typeof paymentsTest>>, paymentId: string) => Promise<unknown>;
  done: string;
}[] = [
  {
    op: "capture",
    authorize: true,
    run: (p, paymentId) =>
      capturePayment(p.t.db, p.client, {
        paymentId,
        actor: SALON,
        reason: "customer arrived",
        now: p.t.clock.now(),
      }),
    done: "captured",
  },
  {
    op: "void",
    authorize: true,
    run: (p, paymentId) =>
      voidPayment(p.t.db, p.client, {
        paymentId,
        actor: SALON,
        reason: "salon closed",
        now: p.t.clock.now(),
      }),
    done: "voided",
  },
  {
    op: "refund",
    authorize: false,
    run: (p, paymentId) =>
      refundPayment(p.t.db, p.client, {
        paymentId,
        amountHalalas: 1000,
        actor: SALON,
        reason: "late start",
        now: p.t.clock.now(),
      }),
    done: "partially_refunded",
  },
];

for (const { op, authorize, run, done } of OPERATIONS) {
  for (const fault of ["error500", "timeout", "lost_response"] as Fault[]) {
    Deno.test(`payments failures - ${op}: Moyasar ${fault} → 503, the intent waits, the retry finishes it exactly once`, async () => {
      const p = await paymentsTest();
      try {
        const { t, fake } = p;
        const { payment } = await paidBooking(p, authorize);
        const before = payment.status;
        fake.faults[op] = fault;
        // Nobody tells us: no answer and no webhook (the webhook case is the test below).
        fake.dropWebhooks = true;
        await rejectsWith(run(p, payment.id), 503, "payments.error.provider");
        const stuck = await paymentOf(t.db, payment.booking_id);
        assert.equal(stuck.status, before, "nothing recorded before Moyasar confirms it");
        const [intent] = await t.db.query<
          { status: string; attempts: number; locked_until: Date | null }
        >(
          "SELECT status, attempts, locked_until FROM payment_actions",
        );
        assert.deepEqual(intent, { status: "pending", attempts: 1, locked_until: null });

        delete fake.faults[op];
        fake.dropWebhooks = false;
        const result = await run(p, payment.id) as { action: { status: string } };
        assert.equal(result.action.status, "succeeded");
        const after = await paymentOf(t.db, payment.booking_id);
        assert.equal(after.status, done);
        // Exactly once at Moyasar: a lost answer is found by asking, not by doing it again.
        assert.equal(calls(fake, `/${op}`), fault === "lost_response" ? 1 : 2);
        const provider = fake.payments.get(after.provider_payment_id!)!;
        if (op === "refund") assert.equal(provider.refunded, 1000);
        assert.equal(
          await ledgerSum(t.db, payment.id),
          after.status === "voided" ? 0 : after.captured_halalas - after.refunded_halalas,
        );
        const actions = await t.db.query("SELECT 1 FROM payment_actions");
        assert.equal(actions.length, 1, "the retry finished the same intent");
      } finally {
        await p.close();
      }
    });
  }
}

Deno.test("payments failures - an unanswered refund is finished by reconciliation when nobody retries", async () => {
  const p = await paymentsTest();
  try {
    const { t, fake, client } = p;
    const { payment } = await paidBooking(p);
    fake.faults.refund = "lost_response";
    fake.dropWebhooks = true;
    await rejectsWith(
      refundPayment(t.db, client, {
        paymentId: payment.id,
        amountHalalas: 3000,
        actor: SALON,
        reason: "refund all",
        now: t.clock.now(),
      }),
      503,
      "payments.error.provider",
    );
    delete fake.faults.refund;
    const report = await reconcilePayments(t.db, client, t.clock.now());
    assert.equal(report.actions.succeeded, 1);
    const after = await paymentOf(t.db, payment.booking_id);
    assert.equal(after.status, "refunded");
    assert.equal(calls(fake, "/refund"), 1);
    assert.equal(fake.payments.get(after.provider_payment_id!)!.refunded, 3000);
  } finally {
    await p.close();
  }
});

Deno.test("payments failures - a refund whose answer is lost but whose webhook arrives: done, recorded once, with who and why", async () => {
  const p = await paymentsTest();
  try {
    const { t, fake, client } = p;
    const { payment } = await paidBooking(p);
    fake.faults.refund = "lost_response";
    const refund = () =>
      refundPayment(t.db, client, {
        paymentId: payment.id,
        amountHalalas: 1200,
        actor: SALON,
        reason: "late start",
        now: t.clock.now(),
      });
    const result = await refund();
    assert.equal(result.action.status, "succeeded", "the webhook told us while we waited");
    assert.equal(result.payment.status, "partially_refunded");
    assert.equal(result.payment.refunded_halalas, 1200);
    assert.equal(calls(fake, "/refund"), 1);
    const [movement] = await t.db.query<{ actor_role: string; reason: string; source: string }>(
      `SELECT actor_role, reason, source FROM payment_events
       WHERE payment_id = $1 AND kind = 'status' AND amount_halalas < 0`,
      [payment.id],
    );
    assert.deepEqual(movement, { actor_role: "salon", reason: "late start", source: "webhook" });
    assert.equal(await ledgerSum(t.db, payment.id), 1800);
  } finally {
    await p.close();
  }
});
