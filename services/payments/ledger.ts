import type { Tx } from "@/db/types.ts";
import type { PaymentSource, PaymentStatus } from "./model.ts";

export interface LedgerActor {
  userId: string | null;
  role: "customer" | "salon" | "system";
}

export const SYSTEM: LedgerActor = { userId: null, role: "system" };

export type LedgerKind =
  | "created"
  | "checkout_opened"
  | "checkout_failed"
  | "status"
  | "attempt_failed"
  | "capture_requested"
  | "void_requested"
  | "refund_requested"
  | "action_failed"
  | "refund_due"
  | "rejected";

/**
 * One ledger row: what happened to a payment, who did it, why, and the money it moved (+ collected,
 * − given back, 0 otherwise). Call inside the transaction that makes the change (with the payment
 * row locked), so the ledger and the payment never disagree. `at` is never earlier than the
 * payment's previous row (then 1 µs after it), so the ledger lists changes in the order applied.
 */
export async function recordPaymentEvent(
  tx: Tx,
  entry: {
    paymentId: string;
    bookingId: string;
    at: Date;
    kind: LedgerKind;
    from?: PaymentStatus | null;
    to?: PaymentStatus | null;
    amountHalalas?: number;
    source: PaymentSource;
    actor?: LedgerActor;
    reason?: string | null;
    data?: Record<string, unknown>;
  },
): Promise<void> {
  const actor = entry.actor ?? SYSTEM;
  await tx.query(
    `INSERT INTO payment_events (payment_id, booking_id, at, kind, from_status, to_status,
       amount_halalas, source, actor_user_id, actor_role, reason, data)
     VALUES ($1, $2, GREATEST($3::timestamptz, (SELECT max(at) + interval '1 microsecond'
                                             FROM payment_events WHERE payment_id = $1)),
             $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
    [
      entry.paymentId,
      entry.bookingId,
      entry.at,
      entry.kind,
      entry.from ?? null,
      entry.to ?? null,
      entry.amountHalalas ?? 0,
      entry.source,
      actor.userId,
      actor.role,
      entry.reason?.slice(0, 500) ?? null,
      entry.data ?? {},
    ],
  );
}
