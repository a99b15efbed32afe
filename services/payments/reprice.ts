/**
 * Money after a move changed what a booking asks online (another staff member, another price):
 * called by `rescheduleBooking` inside its transaction, with the booking row locked. Nothing is
 * called here: a refund is written as an intent the action runner carries out after commit.
 */
import type { Tx } from "@/db/types.ts";
import { ConflictError } from "@/services/errors.ts";
import { insertAction } from "./actions.ts";
import type { LedgerActor } from "./ledger.ts";
import { type PaymentRow, refundableHalalas } from "./model.ts";

export interface Settlement {
  /** Collected online and now given back (queued as a refund). */
  refundHalalas: number;
  /** Still to pay: online while the booking awaits payment, else at the salon. */
  dueHalalas: number;
}

/** Money of the booking's payments that is ours to keep or give back, less refunds on their way. */
export async function collectedPayments(tx: Tx, bookingId: string) {
  return await tx.query<PaymentRow & { pending_refund_halalas: number }>(
    `SELECT p.*, coalesce((SELECT sum(a.amount_halalas) FROM payment_actions a
                           WHERE a.payment_id = p.id AND a.kind = 'refund'
                             AND a.status = 'pending'), 0)::int AS pending_refund_halalas
     FROM payments p WHERE p.booking_id = $1 AND p.auto_refund_reason IS NULL
     ORDER BY p.created_at, p.id FOR UPDATE OF p`,
    [bookingId],
  );
}

/**
 * Refuses a move that changes the amount due online while a hosted payment page is open for the
 * old amount (the customer could pay the old price after the move).
 */
export async function assertNoOpenCheckout(tx: Tx, bookingId: string): Promise<void> {
  const [open] = await tx.query(
    "SELECT 1 FROM payments WHERE booking_id = $1 AND status = 'initiated' AND checkout_url IS NOT NULL AND auto_refund_reason IS NULL",
    [bookingId],
  );
  if (open) throw new ConflictError("booking.moveWhilePaying");
}

/**
 * Settles the difference between what was collected online and the new amount due: the excess is
 * refunded (an automatic refund intent, in the ledger as `refund_requested`), a shortfall stays
 * due (online through the booking's payment while it awaits payment, otherwise at the salon).
 */
export async function settleRepricedBooking(
  tx: Tx,
  input: { bookingId: string; dueHalalas: number; actor: LedgerActor; now: Date },
): Promise<Settlement> {
  const payments = await collectedPayments(tx, input.bookingId);
  const kept = (p: (typeof payments)[number]) => refundableHalalas(p) - p.pending_refund_halalas;
  const collected = payments.reduce((sum, p) => sum + Math.max(0, kept(p)), 0);
  let excess = collected - input.dueHalalas;
  const refundHalalas = Math.max(0, excess);
  for (const payment of payments) {
    if (excess <= 0) break;
    const amount = Math.min(excess, kept(payment));
    if (amount <= 0) continue;
    await insertAction(tx, payment, {
      kind: "refund",
      amount,
      actor: input.actor,
      reason: "auto:repriced",
      now: input.now,
      automatic: true,
    });
    excess -= amount;
  }
  return { refundHalalas, dueHalalas: Math.max(0, input.dueHalalas - collected) };
}
