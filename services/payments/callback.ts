import type { Db } from "@/db/types.ts";
import { log } from "@/log.ts";
import { MONEY_STATUSES, type PaymentRow } from "./model.ts";
import { type MoyasarClient, MoyasarError } from "./moyasar.ts";
import { refreshPayment } from "./observe.ts";
import { isUuid } from "@/services/ids.ts";

/** What the booking page tells the customer after Moyasar sends them back. */
export type ReturnNotice =
  | "paid"
  | "payment_failed"
  | "payment_refunding"
  | "payment_checking"
  | "payment_incomplete"
  | "payment_unverified";

export const RETURN_NOTICES: readonly ReturnNotice[] = [
  "paid",
  "payment_failed",
  "payment_refunding",
  "payment_checking",
  "payment_incomplete",
  "payment_unverified",
];

const PROVIDER_ID = /^[A-Za-z0-9_-]{1,100}$/;

/**
 * The customer is back from the hosted page (`/payments/callback?payment=<ours>&id=<Moyasar's>`):
 * asks Moyasar with the secret key about that payment (or, without an id, our invoice), checks
 * it is this payment's (invoice, amount, currency, booking), applies it and says what to tell
 * the customer. The query string's status and message are never read. Returns null for an unknown
 * payment of ours.
 */
export async function handlePaymentReturn(
  db: Db,
  client: MoyasarClient | null,
  input: { paymentId: string; providerPaymentId: string | null; now: Date },
): Promise<{ bookingId: string; notice: ReturnNotice } | null> {
  if (!isUuid(input.paymentId)) return null;
  const [row] = await db.query<PaymentRow>("SELECT * FROM payments WHERE id = $1", [
    input.paymentId,
  ]);
  if (!row) return null;
  const result = { bookingId: row.booking_id };
  if (!client) return { ...result, notice: "payment_checking" };
  const providerPaymentId = input.providerPaymentId && PROVIDER_ID.test(input.providerPaymentId)
    ? input.providerPaymentId
    : null;
  try {
    const refreshed = await refreshPayment(db, client, {
      paymentId: row.id,
      providerPaymentId,
      source: "callback",
      now: input.now,
    });
    if (refreshed.kind === "rejected") return { ...result, notice: "payment_unverified" };
    return { ...result, notice: noticeFor(refreshed.payment) };
  } catch (err) {
    if (!(err instanceof MoyasarError)) throw err;
    log.warn("payments.return_unverified", { payment_id: row.id, error: err.message });
    return {
      ...result,
      notice: err.kind === "not_found" ? "payment_unverified" : "payment_checking",
    };
  }
}

function noticeFor(p: PaymentRow): ReturnNotice {
  if (MONEY_STATUSES.includes(p.status)) return p.auto_refund_reason ? "payment_refunding" : "paid";
  if (p.status === "refunded" || p.status === "voided") return "payment_refunding";
  if (p.status === "failed" || p.last_error) return "payment_failed";
  return "payment_incomplete";
}
