/**
 * Applies one observation of a payment in one transaction: the state machine's verdict, the
 * ledger row, the booking it secures (or the refund that becomes due when it cannot), the
 * customer's messages, and the action it completes. Callers fetch from Moyasar first, outside any
 * transaction; nothing here calls out.
 */
import type { Db, Tx } from "@/db/types.ts";
import { DbError } from "@/db/types.ts";
import { log } from "@/log.ts";
import { changeBookingStatus, lockBooking, peekBooking } from "@/services/bookings/lifecycle.ts";
import { expireStaleHolds } from "@/services/bookings/locks.ts";
import type { BookingRow } from "@/services/bookings/model.ts";
import { AppError, ConflictError, NotFoundError } from "@/services/errors.ts";
import { enqueueBookingEvent } from "@/services/messages/enqueue.ts";
import { resolveSlot, resolveVisit } from "@/services/slots/load.ts";
import { type BookingItemRow, itemsOfBooking } from "@/services/bookings/items.ts";
import { withTravel } from "@/services/bookings/home.ts";
import { type LedgerActor, recordPaymentEvent, SYSTEM } from "./ledger.ts";
import {
  type AutoRefundReason,
  collectedHalalas,
  type PaymentActionRow,
  type PaymentRow,
  type PaymentSource,
} from "./model.ts";
import { type Observation, type PaymentState, transition } from "./state.ts";

export interface ApplyInput {
  paymentId: string;
  observation: Observation;
  source: PaymentSource;
  now: Date;
  /** Who caused it (a manager's refund); Moyasar's own news is the system's. */
  actor?: LedgerActor;
  reason?: string | null;
  /** The capture, void or refund this observation answers: marked done when it shows. */
  actionId?: string;
}

export type BookingOutcome = "confirmed" | "refund_due" | "unchanged";

export interface ApplyResult {
  payment: PaymentRow;
  changed: boolean;
  /** What happened to the booking because of this observation. */
  booking: BookingOutcome;
  refundReason: AutoRefundReason | null;
  /** The action named in the input is finished (succeeded). */
  actionDone: boolean;
  ignored?: string;
}

class StaffMovedError extends Error {}

export function stateOf(p: PaymentRow): PaymentState {
  return {
    status: p.status,
    amount: p.amount_halalas,
    authorized: p.authorized_halalas,
    captured: p.captured_halalas,
    refunded: p.refunded_halalas,
    providerPaymentId: p.provider_payment_id,
  };
}

/**
 * Applies `observation` to the payment. Locks, in the order every booking writer uses: the
 * booking's staff row, the booking row, then the payment row (`FOR UPDATE`), so it queues behind
 * a booking being made for the same time, a cancellation or a move instead of deadlocking.
 * Idempotent: the same observation twice changes nothing the second time.
 *
 * Money that arrives for a pending booking confirms it; for an expired one it re-secures the time
 * if the slot engine still offers it (the exclusion constraint has the last word); otherwise, or
 * for a cancelled booking or a second payment, the payment is marked for an automatic refund
 * (`auto_refund_reason`), which the action runner carries out after commit.
 *
 * @throws NotFoundError for an unknown payment.
 */
export async function applyObservation(db: Db | Tx, input: ApplyInput): Promise<ApplyResult> {
  for (let attempt = 0;; attempt++) {
    try {
      return await db.transaction((tx) => applyInTx(tx, input));
    } catch (err) {
      const retry = err instanceof StaffMovedError ||
        (err instanceof DbError && (err.code === "40P01" || err.code === "40001"));
      if (retry && attempt < 3) continue;
      throw err;
    }
  }
}

async function applyInTx(tx: Tx, input: ApplyInput): Promise<ApplyResult> {
  const [peek] = await tx.query<{ booking_id: string }>(
    "SELECT booking_id FROM payments WHERE id = $1",
    [input.paymentId],
  );
  if (!peek) throw new NotFoundError();
  const seen = await peekBooking(tx, peek.booking_id, {});
  await tx.query("SELECT id FROM staff WHERE id = $1 FOR UPDATE", [seen.staff_id]);
  const booking = await lockBooking(tx, peek.booking_id, {});
  if (booking.staff_id !== seen.staff_id) throw new StaffMovedError();
  const [payment] = await tx.query<PaymentRow>(
    "SELECT * FROM payments WHERE id = $1 FOR UPDATE",
    [input.paymentId],
  );

  const obs = input.observation;
  const t = transition(stateOf(payment), obs);
  // The capture, void or refund this news answers: the one named, or else the pending one it
  // completes (Moyasar's webhook often arrives before the answer to our own call). Its author and
  // reason are the movement's.
  const [action] = await tx.query<PaymentActionRow>(
    input.actionId
      ? "SELECT * FROM payment_actions WHERE id = $1 AND payment_id = $2 FOR UPDATE"
      : "SELECT * FROM payment_actions WHERE payment_id = $2 AND status = 'pending' AND $1::uuid IS NULL FOR UPDATE",
    [input.actionId ?? null, payment.id],
  );
  const answers = action?.status === "pending" && t.changed && actionGoalMet(action, {
    status: t.next.status,
    captured_halalas: t.next.captured,
    refunded_halalas: t.next.refunded,
  });
  const actor = input.actor ??
    (answers ? { userId: action.actor_user_id, role: action.actor_role } : SYSTEM);
  const reason = input.reason ?? (answers ? action.reason : null);
  const providerPaymentId = obs.kind === "payment" ? obs.providerPaymentId : null;
  let current = payment;
  let outcome: BookingOutcome = "unchanged";
  let refundReason: AutoRefundReason | null = null;

  if (t.ignored === "other_payment" || t.ignored === "inconsistent") {
    log.error("payments.observation_set_aside", {
      payment_id: payment.id,
      provider_payment_id: providerPaymentId,
      why: t.ignored,
    });
    await recordPaymentEvent(tx, {
      paymentId: payment.id,
      bookingId: payment.booking_id,
      at: input.now,
      kind: "rejected",
      source: input.source,
      reason: t.ignored,
      data: obs.kind === "payment" ? { ...obs } : {},
    });
  }

  for (const effect of t.effects) {
    if (effect.type !== "attempt_failed") continue;
    const [known] = await tx.query(
      `SELECT 1 FROM payment_events WHERE payment_id = $1 AND kind = 'attempt_failed'
         AND data->>'provider_payment_id' = $2`,
      [payment.id, effect.providerPaymentId],
    );
    if (known) continue;
    [current] = await tx.query<PaymentRow>(
      "UPDATE payments SET last_error = $2, updated_at = $3 WHERE id = $1 RETURNING *",
      [payment.id, effect.message?.slice(0, 1000) ?? null, input.now],
    );
    await recordPaymentEvent(tx, {
      paymentId: payment.id,
      bookingId: payment.booking_id,
      at: input.now,
      kind: "attempt_failed",
      source: input.source,
      reason: effect.message,
      data: { provider_payment_id: effect.providerPaymentId },
    });
  }

  if (t.changed) {
    const n = t.next;
    [current] = await tx.query<PaymentRow>(
      `UPDATE payments SET status = $2, authorized_halalas = $3, captured_halalas = $4,
         refunded_halalas = $5, provider_payment_id = $6, updated_at = $7
       WHERE id = $1 RETURNING *`,
      [payment.id, n.status, n.authorized, n.captured, n.refunded, n.providerPaymentId, input.now],
    );
    const received = t.effects.find((e) => e.type === "payment_received")?.amount ?? 0;
    const returned = t.effects.find((e) => e.type === "money_returned")?.amount ?? 0;
    await recordPaymentEvent(tx, {
      paymentId: payment.id,
      bookingId: payment.booking_id,
      at: input.now,
      kind: "status",
      from: payment.status,
      to: n.status,
      amountHalalas: t.moneyDelta,
      source: input.source,
      actor,
      reason: reason ?? (obs.kind === "invoice_closed" ? obs.reason : null),
      data: {
        ...(answers ? { action_id: action.id } : {}),
        ...(providerPaymentId ? { provider_payment_id: providerPaymentId } : {}),
        ...(obs.kind === "payment" ? { moyasar_status: obs.status } : {}),
        ...(received ? { received_halalas: received } : {}),
        ...(returned ? { returned_halalas: returned } : {}),
      },
    });

    for (const effect of t.effects) {
      if (effect.type === "secure_booking") {
        const secured = await secureBooking(tx, booking, current, input.now);
        if (secured === "confirmed") outcome = "confirmed";
        else {
          outcome = "refund_due";
          refundReason = secured;
          current = await markRefundDue(tx, current, secured, input.now, input.source);
        }
      }
    }
    const receivedEffect = t.effects.find((e) => e.type === "payment_received");
    if (receivedEffect && outcome !== "refund_due" && !current.auto_refund_reason) {
      await enqueueBookingEvent(tx, {
        bookingId: payment.booking_id,
        event: "payment_received",
        actor: SYSTEM,
        now: input.now,
        amountHalalas: receivedEffect.amount,
        ref: `${payment.id}:c${n.captured}`,
      });
    }
    const returnedEffect = t.effects.find((e) => e.type === "money_returned");
    if (returnedEffect) {
      await enqueueBookingEvent(tx, {
        bookingId: payment.booking_id,
        event: "refund_issued",
        actor: SYSTEM,
        now: input.now,
        amountHalalas: returnedEffect.amount,
        ref: `${payment.id}:${n.status === "voided" ? "v" : `r${n.refunded}`}`,
      });
    }
  }

  let actionDone = false;
  if (action) {
    if (action.status === "succeeded") actionDone = true;
    else if (action.status === "pending" && actionGoalMet(action, current)) {
      await tx.query(
        `UPDATE payment_actions SET status = 'succeeded', completed_at = $2, updated_at = $2,
           locked_until = NULL, last_error = NULL
         WHERE id = $1`,
        [action.id, input.now],
      );
      actionDone = true;
    }
  }

  return {
    payment: current,
    changed: t.changed,
    booking: outcome,
    refundReason,
    actionDone: actionDone && action?.id === input.actionId,
    ignored: t.ignored,
  };
}

/** Moyasar shows what the action asked for (judged against the amounts before it was asked). */
export function actionGoalMet(
  action: Pick<PaymentActionRow, "kind" | "amount_halalas" | "base_halalas">,
  p: Pick<PaymentRow, "status" | "captured_halalas" | "refunded_halalas">,
): boolean {
  switch (action.kind) {
    case "capture":
      return p.status !== "authorized" && p.status !== "voided" &&
        p.captured_halalas >= action.base_halalas + action.amount_halalas;
    case "void":
      return p.status === "voided";
    case "refund":
      return p.refunded_halalas >= action.base_halalas + action.amount_halalas;
  }
}

/** Marks the payment's money for an automatic refund (or void), once; the runner acts on it. */
export async function markRefundDue(
  tx: Tx,
  payment: PaymentRow,
  reason: AutoRefundReason,
  now: Date,
  source: PaymentSource,
  actor: LedgerActor = SYSTEM,
): Promise<PaymentRow> {
  if (payment.auto_refund_reason) return payment;
  const [updated] = await tx.query<PaymentRow>(
    "UPDATE payments SET auto_refund_reason = $2, updated_at = $3 WHERE id = $1 RETURNING *",
    [payment.id, reason, now],
  );
  await recordPaymentEvent(tx, {
    paymentId: payment.id,
    bookingId: payment.booking_id,
    at: now,
    kind: "refund_due",
    source,
    actor,
    reason,
  });
  log.info("payments.refund_due", { payment_id: payment.id, reason });
  return updated;
}

const PAYMENT_ACTOR = { userId: null, role: "system" } as const;

/**
 * Makes the booking hold on to the time this money pays for. Returns "confirmed", or why the
 * money must go back. Call with the staff, booking and payment rows locked.
 */
async function secureBooking(
  tx: Tx,
  booking: BookingRow,
  payment: PaymentRow,
  now: Date,
): Promise<"confirmed" | AutoRefundReason> {
  if (payment.auto_refund_reason) return payment.auto_refund_reason;
  // Money already there counts: a second payment is a duplicate unless it pays the difference
  // a move to a dearer staff member left due.
  const others = await tx.query<PaymentRow>(
    "SELECT * FROM payments WHERE booking_id = $1 AND id <> $2",
    [booking.id, payment.id],
  );
  if (collectedHalalas(others) >= booking.deposit_halalas) return "duplicate";
  switch (booking.status) {
    case "confirmed":
      return "confirmed";
    case "pending":
      // Still pending: nobody can have taken the time (the exclusion constraint covers pending
      // bookings until a booking for the same staff expires them), unless it has already begun.
      if (booking.starts_at.getTime() <= now.getTime()) return "booking_closed";
      return await confirm(tx, booking, now);
    case "expired":
      return await resecure(tx, booking, now);
    case "cancelled":
      return "booking_cancelled";
    default:
      return "booking_closed";
  }
}

async function confirm(
  tx: Tx,
  booking: BookingRow,
  now: Date,
): Promise<"confirmed" | AutoRefundReason> {
  try {
    await changeBookingStatus(tx, {
      bookingId: booking.id,
      to: "confirmed",
      actor: PAYMENT_ACTOR,
      now,
      reason: "payment_received",
      scope: {},
    });
    return "confirmed";
  } catch (err) {
    if (err instanceof ConflictError) return "slot_taken";
    throw err;
  }
}

/**
 * A payment that landed after the hold lapsed: the time is taken back if the slot engine still
 * offers it to this booking's staff member (judged by the salon's rules as they were when the
 * customer booked, so a notice period that has since run out does not count against them).
 */
async function resecure(
  tx: Tx,
  booking: BookingRow,
  now: Date,
): Promise<"confirmed" | AutoRefundReason> {
  if (booking.starts_at.getTime() <= now.getTime()) return "booking_closed";
  const items = await itemsOfBooking(tx, booking.id);
  const active = items.filter((it) => it.status === "active");
  await expireStaleHolds(tx, [...new Set(active.map((it) => it.staff_id))], now);
  let fits;
  try {
    fits = await visitStillFits(tx, booking, active);
  } catch (err) {
    // The salon, service or staff member is no longer bookable.
    if (err instanceof AppError) return "booking_closed";
    throw err;
  }
  if (!fits) return "slot_taken";
  return await confirm(tx, booking, now);
}

/**
 * Whether the slot engine still offers every item of this visit to its staff member at its time,
 * ignoring the visit's own items (as a one-item re-check for one item, the visit's search for
 * several).
 */
async function visitStillFits(
  tx: Tx,
  booking: BookingRow,
  items: BookingItemRow[],
): Promise<boolean> {
  const common = {
    salonId: booking.salon_id,
    startMs: booking.starts_at.getTime(),
    now: booking.created_at,
    excludeBookingId: booking.id,
  };
  if (items.length === 1 && booking.location === "salon") {
    const slot = await resolveSlot(tx, {
      ...common,
      serviceId: items[0].service_id,
      staff: items[0].staff_id,
      startMs: items[0].starts_at.getTime(),
    });
    return slot !== null && slot.staffId === items[0].staff_id;
  }
  const [salon] = await tx.query<{ home_travel_minutes: number }>(
    "SELECT home_travel_minutes FROM salons WHERE id = $1",
    [booking.salon_id],
  );
  const travel = booking.location === "home" ? salon.home_travel_minutes : 0;
  const slot = await resolveVisit(tx, {
    ...common,
    items: withTravel(
      items.map((it) => ({ serviceId: it.service_id, staff: it.staff_id, guest: it.guest })),
      travel,
    ),
  });
  return slot !== null &&
    slot.items.every((it, i) =>
      it.staffId === items[i].staff_id && it.startMs === items[i].starts_at.getTime()
    );
}
