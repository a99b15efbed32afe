/**
 * The one payment state machine. Every observation (the customer's return, a webhook,
 * reconciliation, the answer to our own capture, void or refund) goes through {@link transition},
 * a pure function from the current state and what Moyasar says now to the next state and what
 * must follow. It never moves backwards and never invents money:
 *
 *   initiated ─┬─> authorized ─> captured ─┐
 *              ├─> paid ───────────────────┼─> partially_refunded ─> refunded
 *              ├─> failed (the invoice can no longer be paid; a late success still counts)
 *              └─> voided (also from authorized, paid or captured)
 *
 * Statuses are ranked (initiated 0, failed 1, authorized 2, paid/captured/partially refunded 3,
 * refunded/voided 4); an observation ranked below the current state is stale (a late `paid` after
 * a refund, a declined retry after success) and changes nothing; within a rank only amounts that
 * grow are taken (a second partial refund), so duplicates and out-of-order deliveries are no-ops.
 * A declined card leaves the invoice open (the customer may retry on it): it is recorded, the
 * status stays `initiated`.
 */
import type { MoyasarPaymentStatus } from "./moyasar.ts";
import type { PaymentStatus } from "./model.ts";

export interface PaymentState {
  status: PaymentStatus;
  amount: number;
  authorized: number;
  captured: number;
  refunded: number;
  /** The Moyasar payment that moved money on this invoice, once known. */
  providerPaymentId: string | null;
}

/** What Moyasar says about one of its payments (already checked to belong to this one of ours). */
export interface PaymentObservation {
  kind: "payment";
  providerPaymentId: string;
  status: MoyasarPaymentStatus;
  amount: number;
  captured: number;
  refunded: number;
  message?: string | null;
}

/** The invoice can no longer be paid (expired, cancelled) and no attempt on it succeeded. */
export interface InvoiceClosedObservation {
  kind: "invoice_closed";
  reason: string;
}

export type Observation = PaymentObservation | InvoiceClosedObservation;

export type Effect =
  /** Money arrived (held or collected): the booking should be secured by it. */
  | { type: "secure_booking" }
  /** Collected money grew by `amount` (paid, or captured from an authorization). */
  | { type: "payment_received"; amount: number }
  /** Money went back to the customer (a refund, a void of collected money or of a card hold). */
  | { type: "money_returned"; amount: number }
  /** A card was declined on the still-open invoice. */
  | { type: "attempt_failed"; providerPaymentId: string; message: string | null };

export interface Transition {
  next: PaymentState;
  changed: boolean;
  /** Money moved, as the ledger records it: + collected, − given back. */
  moneyDelta: number;
  effects: Effect[];
  /** Why nothing changed, when an observation was set aside. */
  ignored?: "stale" | "same" | "other_payment" | "inconsistent";
}

const RANK: Record<PaymentStatus, number> = {
  initiated: 0,
  failed: 1,
  authorized: 2,
  paid: 3,
  captured: 3,
  partially_refunded: 3,
  refunded: 4,
  voided: 4,
};

export function rankOf(status: PaymentStatus): number {
  return RANK[status];
}

/** What we hold of the customer's money in a state (0 once voided). */
export function net(s: Pick<PaymentState, "status" | "captured" | "refunded">): number {
  return s.status === "voided" ? 0 : s.captured - s.refunded;
}

function statusFromAmounts(
  collected: number,
  refunded: number,
  flavour: "paid" | "captured",
): PaymentStatus {
  if (refunded > 0 && refunded >= collected) return "refunded";
  if (refunded > 0) return "partially_refunded";
  return flavour;
}

/** The state a Moyasar payment describes on its own, or null when it carries no news for us. */
function target(current: PaymentState, obs: PaymentObservation): PaymentState | null {
  const base = { ...current, providerPaymentId: obs.providerPaymentId };
  switch (obs.status) {
    case "initiated":
    case "failed":
    case "verified":
      return null;
    case "authorized":
      return { ...base, status: "authorized", authorized: obs.amount, captured: 0, refunded: 0 };
    case "voided":
      return {
        ...base,
        status: "voided",
        authorized: Math.max(current.authorized, obs.captured > 0 ? 0 : obs.amount),
        captured: Math.max(current.captured, obs.captured),
        refunded: current.refunded,
      };
    case "paid":
    case "captured":
    case "refunded": {
      // A paid payment shows `captured: 0` on Moyasar; collected money is then the amount.
      const collected = obs.captured > 0 ? obs.captured : obs.amount;
      const flavour = obs.status === "captured" || (obs.captured > 0 && current.authorized > 0)
        ? "captured"
        : "paid";
      return {
        ...base,
        status: statusFromAmounts(collected, obs.refunded, flavour),
        authorized: current.authorized,
        captured: collected,
        refunded: obs.refunded,
      };
    }
  }
}

/**
 * The next state after `obs`. Pure: the caller persists `next`, records `moneyDelta` in the
 * ledger and carries out `effects`.
 */
export function transition(current: PaymentState, obs: Observation): Transition {
  const none = (ignored: Transition["ignored"], effects: Effect[] = []): Transition => ({
    next: current,
    changed: false,
    moneyDelta: 0,
    effects,
    ignored,
  });

  if (obs.kind === "invoice_closed") {
    if (current.status !== "initiated") return none("stale");
    const next = { ...current, status: "failed" as const };
    return { next, changed: true, moneyDelta: 0, effects: [] };
  }

  if (obs.amount !== current.amount || obs.refunded > Math.max(obs.captured, obs.amount)) {
    return none("inconsistent");
  }
  // Money on this invoice came through one Moyasar payment; news of another one is not ours to
  // merge (an invoice takes one successful payment): the caller records it for a person to see.
  const moneyStatus = obs.status !== "initiated" && obs.status !== "failed" &&
    obs.status !== "verified";
  if (
    moneyStatus && current.providerPaymentId !== null &&
    current.providerPaymentId !== obs.providerPaymentId
  ) {
    return none("other_payment");
  }

  if (obs.status === "failed") {
    // A declined card: the invoice stays open for another try unless money already came.
    return rankOf(current.status) <= rankOf("failed")
      ? none("same", [{
        type: "attempt_failed",
        providerPaymentId: obs.providerPaymentId,
        message: obs.message ?? null,
      }])
      : none("stale");
  }

  const wanted = target(current, obs);
  if (!wanted) return none("same");
  const from = rankOf(current.status);
  const to = rankOf(wanted.status);
  if (to < from) return none("stale");

  let next: PaymentState;
  if (to === from) {
    if (from === 4 && wanted.status !== current.status) return none("stale"); // refunded vs voided
    const captured = Math.max(current.captured, wanted.captured);
    const refunded = Math.max(current.refunded, wanted.refunded);
    const status = from === 3
      ? statusFromAmounts(
        captured,
        refunded,
        current.status === "captured" || wanted.status === "captured" ? "captured" : "paid",
      )
      : current.status;
    next = { ...current, status, captured, refunded, providerPaymentId: wanted.providerPaymentId };
  } else {
    next = {
      ...wanted,
      captured: Math.max(current.captured, wanted.captured),
      refunded: Math.max(current.refunded, wanted.refunded),
    };
    if (next.status === "refunded" || next.status === "partially_refunded") {
      next.status = statusFromAmounts(next.captured, next.refunded, "paid");
    }
  }
  if (next.refunded > next.captured || next.captured > next.amount) return none("inconsistent");

  const changed = next.status !== current.status || next.captured !== current.captured ||
    next.refunded !== current.refunded || next.authorized !== current.authorized ||
    next.providerPaymentId !== current.providerPaymentId;
  if (!changed) return none("same");

  const effects: Effect[] = [];
  const holdsMoney = next.status === "authorized" || next.status === "paid" ||
    next.status === "captured" || next.status === "partially_refunded";
  if (from < rankOf("authorized") && holdsMoney) effects.push({ type: "secure_booking" });
  if (next.captured > current.captured) {
    effects.push({ type: "payment_received", amount: next.captured - current.captured });
  }
  const moneyDelta = net(next) - net(current);
  const returned = (next.captured - current.captured) - moneyDelta;
  if (returned > 0) effects.push({ type: "money_returned", amount: returned });
  else if (next.status === "voided" && current.status === "authorized") {
    // Nothing was collected; the hold on the card is released.
    effects.push({ type: "money_returned", amount: current.authorized });
  }
  return { next, changed: true, moneyDelta, effects };
}
