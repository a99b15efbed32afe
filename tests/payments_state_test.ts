import assert from "node:assert/strict";
import {
  net,
  type PaymentObservation,
  type PaymentState,
  transition,
} from "@/services/payments/state.ts";
import type { MoyasarPaymentStatus } from "@/services/payments/moyasar.ts";

const initiated: PaymentState = {
  status: "initiated",
  amount: 3000,
  authorized: 0,
  captured: 0,
  refunded: 0,
  providerPaymentId: null,
};

function obs(
  status: MoyasarPaymentStatus,
  fields: Partial<PaymentObservation> = {},
): PaymentObservation {
  return {
    kind: "payment",
    providerPaymentId: "pay_1",
    status,
    amount: 3000,
    captured: 0,
    refunded: 0,
    ...fields,
  };
}

/** Applies observations one after another; returns the last state and every transition. */
function run(...observations: PaymentObservation[]) {
  let state = initiated;
  const steps = observations.map((o) => {
    const t = transition(state, o);
    state = t.next;
    return t;
  });
  return { state, steps };
}

Deno.test("payment state - paid confirms, a duplicate is a no-op, a late paid after a refund changes nothing", () => {
  const { state, steps } = run(
    obs("paid"),
    obs("paid"),
    obs("refunded", { refunded: 3000 }),
    obs("paid"),
  );
  assert.equal(steps[0].next.status, "paid");
  assert.equal(steps[0].moneyDelta, 3000);
  assert.deepEqual(steps[0].effects.map((e) => e.type), ["secure_booking", "payment_received"]);
  assert.equal(steps[1].changed, false, "duplicate");
  assert.equal(steps[2].next.status, "refunded");
  assert.equal(steps[2].moneyDelta, -3000);
  assert.deepEqual(steps[2].effects, [{ type: "money_returned", amount: 3000 }]);
  assert.equal(steps[3].changed, false);
  assert.equal(steps[3].ignored, "stale");
  assert.equal(state.status, "refunded");
  assert.equal(steps.reduce((sum, s) => sum + s.moneyDelta, 0), net(state));
});

Deno.test("payment state - partial refunds only grow, out of order included", () => {
  const { state, steps } = run(
    obs("paid"),
    obs("refunded", { refunded: 2000 }),
    obs("refunded", { refunded: 1000 }), // an older refund event, delivered late
    obs("refunded", { refunded: 3000 }),
  );
  assert.equal(steps[1].next.status, "partially_refunded");
  assert.equal(steps[1].moneyDelta, -2000);
  assert.equal(steps[2].changed, false);
  assert.equal(steps[3].next.status, "refunded");
  assert.equal(steps[3].moneyDelta, -1000);
  assert.equal(state.refunded, 3000);
});

Deno.test("payment state - authorized then captured; a void of the authorization releases the hold", () => {
  const a = run(obs("authorized"), obs("captured", { captured: 3000 }));
  assert.deepEqual(a.steps[0].effects.map((e) => e.type), ["secure_booking"]);
  assert.equal(a.steps[0].moneyDelta, 0, "a hold is not collected money");
  assert.equal(a.state.status, "captured");
  assert.deepEqual(a.steps[1].effects, [{ type: "payment_received", amount: 3000 }]);
  assert.equal(a.steps[1].moneyDelta, 3000);

  const v = run(
    obs("authorized"),
    obs("voided"),
    obs("authorized"),
    obs("captured", { captured: 3000 }),
  );
  assert.equal(v.state.status, "voided");
  assert.deepEqual(v.steps[1].effects, [{ type: "money_returned", amount: 3000 }]);
  assert.equal(v.steps[2].changed, false);
  assert.equal(v.steps[3].changed, false, "nothing is captured after a void");
});

Deno.test("payment state - a declined card keeps the invoice open; a later success on it still counts", () => {
  const { state, steps } = run(
    obs("failed", { providerPaymentId: "pay_declined", message: "DECLINED" }),
    obs("paid", { providerPaymentId: "pay_ok" }),
    obs("failed", { providerPaymentId: "pay_declined" }),
  );
  assert.equal(steps[0].changed, false);
  assert.deepEqual(steps[0].effects, [{
    type: "attempt_failed",
    providerPaymentId: "pay_declined",
    message: "DECLINED",
  }]);
  assert.equal(steps[1].next.status, "paid");
  assert.equal(steps[2].ignored, "stale");
  assert.equal(state.providerPaymentId, "pay_ok");

  const closed = transition(initiated, { kind: "invoice_closed", reason: "invoice_expired" });
  assert.equal(closed.next.status, "failed");
  const late = transition(closed.next, obs("paid"));
  assert.equal(late.next.status, "paid", "a payment that completes after expiry is recorded");
  assert.ok(late.effects.some((e) => e.type === "secure_booking"));
});

Deno.test("payment state - money from another Moyasar payment, or amounts that do not add up, are set aside", () => {
  const paid = transition(initiated, obs("paid")).next;
  assert.equal(
    transition(paid, obs("paid", { providerPaymentId: "pay_2" })).ignored,
    "other_payment",
  );
  assert.equal(transition(initiated, obs("paid", { amount: 100 })).ignored, "inconsistent");
  assert.equal(
    transition(paid, obs("refunded", { refunded: 5000 })).ignored,
    "inconsistent",
    "a refund above the amount is not believed",
  );
});

Deno.test("payment state - refunded is never reached backwards and never becomes voided", () => {
  const refunded = run(obs("paid"), obs("refunded", { refunded: 3000 })).state;
  for (const status of ["initiated", "authorized", "paid", "captured", "voided"] as const) {
    const t = transition(refunded, obs(status, { captured: status === "captured" ? 3000 : 0 }));
    assert.equal(t.changed, false, status);
  }
});
