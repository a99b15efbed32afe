import type { Queryable, Tx } from "@/db/types.ts";
import { type LedgerActor, recordPaymentEvent } from "./ledger.ts";

/**
 * Called by `cancelBooking` inside its transaction, with the booking row locked: every payment of
 * the booking that holds money, or may still receive some (an open hosted page), is marked for an
 * automatic refund (`booking_cancelled`). Nothing is called here: the action runner refunds (or
 * voids) after commit, and money that lands later on an open page is refunded when it is seen.
 *
 * The policy: customers can cancel only before the salon's cancellation window opens, so a
 * customer's own cancellation always refunds; a salon's (or the system's) cancellation refunds
 * too: the customer did nothing wrong. After the window a customer cannot cancel; a no-show keeps
 * the deposit. Returns how many payments were marked.
 */
export async function refundPaymentsOfCancelledBooking(
  tx: Tx,
  bookingId: string,
  actor: LedgerActor,
  now: Date,
): Promise<number> {
  const rows = await tx.query<{ id: string; status: string }>(
    `UPDATE payments SET auto_refund_reason = 'booking_cancelled', updated_at = $2
     WHERE booking_id = $1 AND auto_refund_reason IS NULL
       AND status IN ('initiated', 'authorized', 'paid', 'captured', 'partially_refunded')
     RETURNING id, status`,
    [bookingId, now],
  );
  for (const row of rows) {
    await recordPaymentEvent(tx, {
      paymentId: row.id,
      bookingId,
      at: now,
      kind: "refund_due",
      source: "system",
      actor,
      reason: "booking_cancelled",
    });
  }
  return rows.length;
}

/**
 * What cancelling the booking now would give back, by the rules above: every payment that holds
 * money is refunded in full (collected less already refunded), and a card hold (authorized, not
 * captured) is released. For the confirmation step before a customer cancels.
 */
export async function refundOnCancellation(
  db: Queryable,
  bookingId: string,
): Promise<{ refundHalalas: number; releaseHalalas: number }> {
  const [row] = await db.query<{ refund: number; release: number }>(
    `SELECT
       coalesce(sum(captured_halalas - refunded_halalas)
         FILTER (WHERE status IN ('paid', 'captured', 'partially_refunded')), 0)::int AS refund,
       coalesce(sum(authorized_halalas) FILTER (WHERE status = 'authorized'), 0)::int AS release
     FROM payments WHERE booking_id = $1 AND auto_refund_reason IS NULL`,
    [bookingId],
  );
  return { refundHalalas: row.refund, releaseHalalas: row.release };
}
