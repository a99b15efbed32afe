/** Payment rows, statuses and their JSON shape. */

export const PAYMENT_STATUSES = [
  "initiated",
  "failed",
  "authorized",
  "paid",
  "captured",
  "partially_refunded",
  "refunded",
  "voided",
] as const;
export type PaymentStatus = typeof PAYMENT_STATUSES[number];

/** Moyasar's smallest charge: 1 SAR. */
export const MIN_AMOUNT_HALALAS = 100;

/** A payment in progress: the booking's one "open" payment (a unique partial index). */
export const OPEN_STATUSES: readonly PaymentStatus[] = ["initiated", "authorized"];

/** Statuses in which we hold (or have a hold on) the customer's money. */
export const MONEY_STATUSES: readonly PaymentStatus[] = [
  "authorized",
  "paid",
  "captured",
  "partially_refunded",
];

export type AutoRefundReason =
  | "slot_taken"
  | "booking_cancelled"
  | "duplicate"
  | "booking_closed"
  | "authorization_lapsing";

/**
 * How long we keep a card hold before releasing it ourselves: Moyasar holds an authorization for
 * up to 7 days (mada must be captured within 14), so it is voided a day before the shorter limit.
 */
export const AUTHORIZATION_KEPT_MS = 6 * 86_400_000;

/** When a held payment is released unless captured first (from when it was authorized). */
export function authorizationDeadline(authorizedAt: Date): Date {
  return new Date(authorizedAt.getTime() + AUTHORIZATION_KEPT_MS);
}

export interface PaymentRow {
  id: string;
  booking_id: string;
  salon_id: string;
  customer_id: string | null;
  purpose: "deposit" | "full";
  status: PaymentStatus;
  amount_halalas: number;
  currency: "SAR";
  authorized_halalas: number;
  captured_halalas: number;
  refunded_halalas: number;
  provider: "moyasar";
  provider_invoice_id: string | null;
  provider_payment_id: string | null;
  checkout_url: string | null;
  checkout_lock_until: Date | null;
  expires_at: Date | null;
  description: string;
  locale: "ar" | "en";
  last_error: string | null;
  auto_refund_reason: AutoRefundReason | null;
  checked_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

export type PaymentActionKind = "capture" | "void" | "refund";

export interface PaymentActionRow {
  id: string;
  payment_id: string;
  kind: PaymentActionKind;
  amount_halalas: number;
  base_halalas: number;
  status: "pending" | "succeeded" | "failed";
  automatic: boolean;
  actor_user_id: string | null;
  actor_role: "customer" | "salon" | "system";
  reason: string;
  attempts: number;
  locked_until: Date | null;
  last_error: string | null;
  created_at: Date;
  updated_at: Date;
  completed_at: Date | null;
}

/** Where we learnt something about a payment (the ledger's `source`). */
export type PaymentSource =
  | "api"
  | "page"
  | "callback"
  | "webhook"
  | "reconcile"
  | "action"
  | "system";

/** What is still ours of the customer's money on this payment (0 once voided). */
export function netHalalas(
  p: Pick<PaymentRow, "status" | "captured_halalas" | "refunded_halalas">,
) {
  return p.status === "voided" ? 0 : p.captured_halalas - p.refunded_halalas;
}

/**
 * What the booking's payments hold of the customer's money towards it (a card hold counts): money
 * marked to go back does not count.
 */
export function collectedHalalas(
  payments: Pick<
    PaymentRow,
    "status" | "authorized_halalas" | "captured_halalas" | "refunded_halalas" | "auto_refund_reason"
  >[],
): number {
  return payments
    .filter((p) => MONEY_STATUSES.includes(p.status) && !p.auto_refund_reason)
    .reduce(
      (sum, p) => sum + (p.status === "authorized" ? p.authorized_halalas : netHalalas(p)),
      0,
    );
}

/** What may still be refunded. */
export function refundableHalalas(
  p: Pick<PaymentRow, "status" | "captured_halalas" | "refunded_halalas">,
): number {
  return p.status === "paid" || p.status === "captured" || p.status === "partially_refunded"
    ? p.captured_halalas - p.refunded_halalas
    : 0;
}

/** The payment as the JSON API shows it (never the provider's secrets; the hosted page URL only). */
export function paymentJson(p: PaymentRow) {
  return {
    id: p.id,
    booking_id: p.booking_id,
    purpose: p.purpose,
    status: p.status,
    amount_halalas: p.amount_halalas,
    currency: p.currency,
    captured_halalas: p.captured_halalas,
    refunded_halalas: p.refunded_halalas,
    checkout_url: p.checkout_url,
    expires_at: p.expires_at?.toISOString() ?? null,
    created_at: p.created_at.toISOString(),
  };
}
