import type { Db } from "@/db/types.ts";
import { markRefundDue } from "./apply.ts";
import { AUTHORIZATION_KEPT_MS, type PaymentRow } from "./model.ts";

/**
 * Card holds that would otherwise lapse at the card network: every authorized payment held for
 * {@link AUTHORIZATION_KEPT_MS} (since the ledger first recorded it authorized) is marked
 * `authorization_lapsing`, and the action runner voids it, so no hold is ever left to expire on
 * its own with the booking and the customer not knowing. Returns how many were marked.
 */
export async function releaseLapsingAuthorizations(db: Db, now: Date): Promise<number> {
  const due = await db.query<{ id: string }>(
    `SELECT p.id FROM payments p
     WHERE p.status = 'authorized' AND p.auto_refund_reason IS NULL
       AND (SELECT min(e.at) FROM payment_events e
            WHERE e.payment_id = p.id AND e.to_status = 'authorized') <= $1`,
    [new Date(now.getTime() - AUTHORIZATION_KEPT_MS)],
  );
  let marked = 0;
  for (const { id } of due) {
    await db.transaction(async (tx) => {
      const [payment] = await tx.query<PaymentRow>(
        "SELECT * FROM payments WHERE id = $1 FOR UPDATE",
        [id],
      );
      if (payment.status !== "authorized" || payment.auto_refund_reason) return;
      await markRefundDue(tx, payment, "authorization_lapsing", now, "system");
      marked++;
    });
  }
  return marked;
}

/** When the ledger first recorded this payment authorized (the hold's start), or null. */
export async function authorizedAt(db: Db, paymentId: string): Promise<Date | null> {
  const [row] = await db.query<{ at: Date | null }>(
    "SELECT min(at) AS at FROM payment_events WHERE payment_id = $1 AND to_status = 'authorized'",
    [paymentId],
  );
  return row?.at ?? null;
}
