import assert from "node:assert/strict";
import { AppError, ValidationError } from "@/services/errors.ts";
import { capturePayment, refundPayment, voidPayment } from "@/services/payments/mod.ts";
import { makeSalon } from "./helpers/factories.ts";
import {
  bookingStatus,
  ledgerSum,
  messageEvents,
  paymentOf,
  paymentsTest,
  pendingBooking,
  postPayment,
} from "./helpers/payments.ts";

const MANAGER = { userId: null, role: "salon" as const };

async function paid(
  p: Awaited<ReturnType<typeof paymentsTest>>,
  authorize = false,
  phone = "0512345678",
) {
  const pending = await pendingBooking(p.t, { phone });
  await postPayment(p.t, pending.customer.access, pending.booking.id);
  await p.fake.payInvoice(p.fake.lastInvoice()!.id, authorize ? "authorized" : "paid");
  return { ...pending, payment: await paymentOf(p.t.db, pending.booking.id) };
}

function refusal(status: number, key: string, field?: string) {
  return (err: unknown) => {
    assert.ok(err instanceof AppError, String(err));
    assert.equal(err.status, status);
    if (field) {
      assert.ok(err instanceof ValidationError);
      assert.deepEqual(err.fields[field], [key]);
    } else assert.equal(err.messageKey, key);
    return true;
  };
}

Deno.test("payments actions - refund bounds: never more than paid minus refunded, in whole halalas, with a reason", async () => {
  const p = await paymentsTest();
  try {
    const { t, client, fake } = p;
    const { payment, salon } = await paid(p);
    const refund = (amountHalalas: number, reason = "goodwill") =>
      refundPayment(t.db, client, {
        paymentId: payment.id,
        amountHalalas,
        actor: MANAGER,
        reason,
        now: t.clock.now(),
        scope: { salonId: salon.id },
      });
    await assert.rejects(refund(0), refusal(400, "payments.error.amountInvalid", "amount_halalas"));
    await assert.rejects(
      refund(12.5),
      refusal(400, "payments.error.amountInvalid", "amount_halalas"),
    );
    await assert.rejects(
      refund(3001),
      refusal(400, "payments.error.refundTooLarge", "amount_halalas"),
    );
    await assert.rejects(refund(100, "  "), refusal(400, "validation.required", "reason"));

    const first = await refund(1000);
    assert.equal(first.payment.status, "partially_refunded");
    assert.equal(first.payment.refunded_halalas, 1000);
    await assert.rejects(
      refund(2001),
      refusal(400, "payments.error.refundTooLarge", "amount_halalas"),
    );
    const second = await refund(2000);
    assert.equal(second.payment.status, "refunded");
    await assert.rejects(refund(1), refusal(409, "payments.error.notRefundable"));
    assert.equal(fake.payments.get(payment.provider_payment_id!)!.refunded, 3000);
    assert.equal(await ledgerSum(t.db, payment.id), 0);

    // Who and why, for every movement.
    const ledger = await t.db.query<
      { kind: string; actor_role: string; reason: string | null; amount_halalas: number }
    >(
      `SELECT kind, actor_role, reason, amount_halalas FROM payment_events
       WHERE payment_id = $1 AND kind IN ('refund_requested', 'status') ORDER BY at`,
      [payment.id],
    );
    assert.deepEqual([...ledger].slice(1), [
      { kind: "refund_requested", actor_role: "salon", reason: "goodwill", amount_halalas: 0 },
      { kind: "status", actor_role: "salon", reason: "goodwill", amount_halalas: -1000 },
      { kind: "refund_requested", actor_role: "salon", reason: "goodwill", amount_halalas: 0 },
      { kind: "status", actor_role: "salon", reason: "goodwill", amount_halalas: -2000 },
    ]);
    // A manager of another salon does not see this payment.
    const other = await makeSalon(t.db);
    await assert.rejects(
      refundPayment(t.db, client, {
        paymentId: payment.id,
        amountHalalas: 100,
        actor: MANAGER,
        reason: "x",
        now: t.clock.now(),
        scope: { salonId: other.id },
      }),
      refusal(404, "error.notFound"),
    );
  } finally {
    await p.close();
  }
});

Deno.test("payments actions - two refunds at once can never pass the refundable amount", async () => {
  const p = await paymentsTest({ MOYASAR_TIMEOUT_MS: "2000" });
  try {
    const { t, client, fake } = p;
    const { payment } = await paid(p);
    fake.faults.refund = "slow";
    fake.slowMs = 300;
    const results = await Promise.allSettled(
      [2000, 2000].map((amountHalalas) =>
        refundPayment(t.db, client, {
          paymentId: payment.id,
          amountHalalas,
          actor: MANAGER,
          reason: "double click",
          now: t.clock.now(),
        })
      ),
    );
    const refunded = fake.payments.get(payment.provider_payment_id!)!.refunded;
    assert.equal(refunded, 2000, "one refund reached Moyasar");
    assert.ok(results.some((r) => r.status === "fulfilled"));
    const after = await paymentOf(t.db, payment.booking_id);
    assert.equal(after.refunded_halalas, 2000);
    assert.equal(await ledgerSum(t.db, payment.id), 1000);
  } finally {
    await p.close();
  }
});

Deno.test("payments actions - an authorized deposit holds the booking; the manager captures it (or voids it)", async () => {
  const p = await paymentsTest();
  try {
    const { t, client, fake } = p;
    const { payment, booking } = await paid(p, true);
    assert.equal(payment.status, "authorized");
    assert.equal(payment.authorized_halalas, 3000);
    assert.equal(
      await bookingStatus(t.db, booking.id),
      "confirmed",
      "the hold on the card secures it",
    );
    assert.equal(await ledgerSum(t.db, payment.id), 0, "nothing collected yet");
    await assert.rejects(
      refundPayment(t.db, client, {
        paymentId: payment.id,
        amountHalalas: 100,
        actor: MANAGER,
        reason: "x",
        now: t.clock.now(),
      }),
      refusal(409, "payments.error.notRefundable"),
    );
    await assert.rejects(
      capturePayment(t.db, client, {
        paymentId: payment.id,
        amountHalalas: 3001,
        actor: MANAGER,
        reason: "x",
        now: t.clock.now(),
      }),
      refusal(400, "payments.error.captureTooLarge", "amount_halalas"),
    );
    const captured = await capturePayment(t.db, client, {
      paymentId: payment.id,
      actor: MANAGER,
      reason: "customer arrived",
      now: t.clock.now(),
    });
    assert.equal(captured.payment.status, "captured");
    assert.equal(captured.payment.captured_halalas, 3000);
    assert.equal(await ledgerSum(t.db, payment.id), 3000);
    assert.ok((await messageEvents(t.db, booking.id)).includes("payment_received"));
    await assert.rejects(
      capturePayment(t.db, client, {
        paymentId: payment.id,
        actor: MANAGER,
        reason: "again",
        now: t.clock.now(),
      }),
      refusal(409, "payments.error.notCapturable"),
    );

    const second = await paid(p, true, "0512345679");
    const voided = await voidPayment(t.db, client, {
      paymentId: second.payment.id,
      actor: MANAGER,
      reason: "salon closed",
      now: t.clock.now(),
    });
    assert.equal(voided.payment.status, "voided");
    assert.equal(fake.payments.get(second.payment.provider_payment_id!)!.status, "voided");
    assert.ok((await messageEvents(t.db, second.booking.id)).includes("refund_issued"));
    await assert.rejects(
      voidPayment(t.db, client, {
        paymentId: second.payment.id,
        actor: MANAGER,
        reason: "again",
        now: t.clock.now(),
      }),
      refusal(409, "payments.error.notVoidable"),
    );
  } finally {
    await p.close();
  }
});

Deno.test("payments actions - Moyasar refusing an operation: 409, the intent is closed as failed, nothing changes", async () => {
  const p = await paymentsTest();
  try {
    const { t, client, fake } = p;
    const { payment } = await paid(p);
    // Refunded from Moyasar's dashboard behind our back: our refund is refused by Moyasar.
    const provider = fake.payments.get(payment.provider_payment_id!)!;
    provider.status = "refunded";
    provider.refunded = 3000;
    await assert.rejects(
      refundPayment(t.db, client, {
        paymentId: payment.id,
        amountHalalas: 3000,
        actor: MANAGER,
        reason: "x",
        now: t.clock.now(),
      }),
      refusal(409, "payments.error.actionRejected"),
    );
    const [action] = await t.db.query<{ status: string; last_error: string }>(
      "SELECT status, last_error FROM payment_actions",
    );
    assert.equal(action.status, "failed");
    assert.match(action.last_error, /refundable amount/);
    const failed = await t.db.query(
      "SELECT 1 FROM payment_events WHERE payment_id = $1 AND kind = 'action_failed'",
      [payment.id],
    );
    assert.equal(failed.length, 1);
  } finally {
    await p.close();
  }
});
