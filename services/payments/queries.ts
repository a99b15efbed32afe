import type { Queryable } from "@/db/types.ts";
import { netHalalas, type PaymentActionRow, type PaymentRow } from "./model.ts";

/** What the booking page shows about a booking's payments. */
export interface BookingPayments {
  /** Newest first. */
  payments: PaymentRow[];
  /** The payment in progress (an open hosted page), if any. */
  open: PaymentRow | null;
  /** Money we hold for this booking (collected minus given back). */
  heldHalalas: number;
  /** Money given back so far. */
  refundedHalalas: number;
  /** Money on its way back (a refund asked for, or due automatically, not yet done). */
  refundingHalalas: number;
  /** The last declined card on the open page (Moyasar's words), if any. */
  lastError: string | null;
}

export async function getBookingPayments(
  db: Queryable,
  bookingId: string,
): Promise<BookingPayments> {
  const payments = await db.query<PaymentRow>(
    "SELECT * FROM payments WHERE booking_id = $1 ORDER BY created_at DESC, id",
    [bookingId],
  );
  const actions = payments.length
    ? await db.query<PaymentActionRow>(
      `SELECT * FROM payment_actions WHERE payment_id = ANY($1::uuid[]) AND status = 'pending'`,
      [payments.map((p) => p.id)],
    )
    : [];
  let refunding = 0;
  for (const p of payments) {
    const action = actions.find((a) => a.payment_id === p.id);
    if (action && (action.kind === "refund" || action.kind === "void")) {
      refunding += action.amount_halalas;
    } else if (p.auto_refund_reason) {
      refunding += p.status === "authorized" ? 0 : netHalalas(p);
    }
  }
  const open = payments.find((p) => p.status === "initiated" && !p.auto_refund_reason) ?? null;
  return {
    payments,
    open,
    heldHalalas: payments.reduce((sum, p) => sum + netHalalas(p), 0),
    refundedHalalas: payments.reduce(
      (sum, p) => sum + (p.status === "voided" ? p.captured_halalas : p.refunded_halalas),
      0,
    ),
    refundingHalalas: refunding,
    lastError: open?.last_error ?? null,
  };
}
