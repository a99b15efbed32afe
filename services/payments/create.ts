/**
 * Starting a payment: a Moyasar invoice (hosted payment page) for a pending booking's deposit or
 * full price. Three steps, never an external call inside a transaction: (1) a short transaction
 * checks the booking and writes (or reuses) our payment row; (2) Moyasar is asked for the invoice;
 * (3) another short transaction stores its id and page. A failure at (2) leaves a row without an
 * invoice, which the next request reuses (the retry); a row with an invoice is returned as is.
 */
import type { Db, Tx } from "@/db/types.ts";
import { formatGregorianDate, formatTime } from "@/i18n/format.ts";
import { type Locale, translator } from "@/i18n/mod.ts";
import { log } from "@/log.ts";
import { lockBooking } from "@/services/bookings/lifecycle.ts";
import { getBookingDetails } from "@/services/bookings/queries.ts";
import { AppError, ConflictError } from "@/services/errors.ts";
import { applyObservation } from "./apply.ts";
import { recordPaymentEvent } from "./ledger.ts";
import { collectedHalalas, MIN_AMOUNT_HALALAS, type PaymentRow } from "./model.ts";
import { type MoyasarClient, MoyasarError } from "./moyasar.ts";

export interface StartPaymentInput {
  bookingId: string;
  /** The signed-in customer; another customer's booking is a 404. */
  customerId: string;
  /** The customer's language: the invoice description and the hosted page speak it. */
  locale: Locale;
  /** Our public origin; Moyasar sends the customer back to `<origin>/payments/callback`. */
  returnOrigin: string;
  now: Date;
  source: "api" | "page";
  /** `Idempotency-Key`: the same key for the same booking replays; for another booking → 422. */
  idempotencyKey?: string;
  /** How long one request may hold the right to open the hosted page (Moyasar's timeout + margin). */
  lockMs?: number;
}

export interface StartPaymentResult {
  payment: PaymentRow;
  /** A new hosted page was opened by this request. */
  created: boolean;
}

/**
 * Creates (or returns) the booking's payment. At most one payment is open per booking (a unique
 * partial index): a repeated request, with or without the same key, gets the same one.
 *
 * @throws AppError 503 `payments.error.unavailable` without Moyasar keys;
 *   409 when the booking is not awaiting payment, its hold has lapsed or it is already paid;
 *   409 `payments.error.inProgress` while another request is opening the page;
 *   503 `payments.error.provider` when Moyasar does not answer (retry is safe);
 *   502 `payments.error.rejected` when Moyasar refuses.
 */
export async function startPayment(
  db: Db,
  client: MoyasarClient | null,
  input: StartPaymentInput,
): Promise<StartPaymentResult> {
  if (!client) throw new AppError(503, "payments.error.unavailable");
  const lockMs = input.lockMs ?? 60_000;
  const prepared = await db.transaction((tx) => prepare(tx, input, lockMs));
  if ("done" in prepared) return { payment: prepared.done, created: false };
  const row = prepared.open;

  const returnUrl = `${input.returnOrigin}/payments/callback?payment=${row.id}`;
  let invoice;
  try {
    invoice = await client.createInvoice({
      amount: row.amount_halalas,
      currency: "SAR",
      description: row.description,
      successUrl: returnUrl,
      backUrl: returnUrl,
      expiredAt: row.expires_at,
      metadata: { booking_id: row.booking_id, payment_id: row.id },
    });
    if (invoice.amount !== row.amount_halalas || invoice.currency !== row.currency) {
      throw new MoyasarError("invalid_response", "moyasar: the invoice does not match the request");
    }
  } catch (err) {
    if (!(err instanceof MoyasarError)) throw err;
    log.warn("payments.checkout_failed", {
      payment_id: row.id,
      kind: err.kind,
      error: err.message,
    });
    await db.transaction(async (tx) => {
      await tx.query(
        "UPDATE payments SET checkout_lock_until = NULL, last_error = $2, updated_at = $3 WHERE id = $1",
        [row.id, err.message.slice(0, 1000), input.now],
      );
      await recordPaymentEvent(tx, {
        paymentId: row.id,
        bookingId: row.booking_id,
        at: input.now,
        kind: "checkout_failed",
        source: input.source,
        reason: err.message,
        data: { kind: err.kind, status: err.status ?? null },
      });
    });
    if (err.transient) throw new AppError(503, "payments.error.provider");
    // Refused for good (bad request, bad key): this row can never be paid; the next try starts anew.
    await applyObservation(db, {
      paymentId: row.id,
      observation: { kind: "invoice_closed", reason: "checkout_refused" },
      source: input.source,
      now: input.now,
    });
    throw new AppError(502, "payments.error.rejected");
  }

  const payment = await db.transaction(async (tx) => {
    const [updated] = await tx.query<PaymentRow>(
      `UPDATE payments SET provider_invoice_id = $2, checkout_url = $3, checkout_lock_until = NULL,
         last_error = NULL, updated_at = $4
       WHERE id = $1 AND provider_invoice_id IS NULL RETURNING *`,
      [row.id, invoice.id, invoice.url, input.now],
    );
    if (!updated) {
      // Opened meanwhile by a request whose lock had lapsed: keep the first page, this invoice
      // is never shown and expires with the hold.
      log.warn("payments.extra_invoice", { payment_id: row.id, invoice_id: invoice.id });
      const [current] = await tx.query<PaymentRow>("SELECT * FROM payments WHERE id = $1", [
        row.id,
      ]);
      return current;
    }
    await recordPaymentEvent(tx, {
      paymentId: row.id,
      bookingId: row.booking_id,
      at: input.now,
      kind: "checkout_opened",
      source: input.source,
      actor: { userId: input.customerId, role: "customer" },
      data: { invoice_id: invoice.id },
    });
    return updated;
  });
  return { payment, created: true };
}

type Prepared = { done: PaymentRow } | { open: PaymentRow };

async function prepare(tx: Tx, input: StartPaymentInput, lockMs: number): Promise<Prepared> {
  let replay = false;
  if (input.idempotencyKey) {
    const requestHash = `booking:${input.bookingId}`;
    const inserted = await tx.query(
      `INSERT INTO idempotency_keys (user_id, scope, key, request_hash, created_at)
       VALUES ($1, 'payment.create', $2, $3, $4) ON CONFLICT DO NOTHING RETURNING key`,
      [input.customerId, input.idempotencyKey, requestHash, input.now],
    );
    if (!inserted.length) {
      const [existing] = await tx.query<{ request_hash: string }>(
        `SELECT request_hash FROM idempotency_keys
         WHERE user_id = $1 AND scope = 'payment.create' AND key = $2`,
        [input.customerId, input.idempotencyKey],
      );
      if (existing.request_hash !== requestHash) {
        throw new AppError(422, "payments.error.idempotencyMismatch");
      }
      replay = true;
    }
  }

  const booking = await lockBooking(tx, input.bookingId, { customerId: input.customerId });
  if (input.idempotencyKey && !replay) {
    await tx.query(
      `UPDATE idempotency_keys SET booking_id = $3
       WHERE user_id = $1 AND scope = 'payment.create' AND key = $2`,
      [input.customerId, input.idempotencyKey, booking.id],
    );
  }
  const payments = await tx.query<PaymentRow>(
    "SELECT * FROM payments WHERE booking_id = $1 ORDER BY created_at DESC, id FOR UPDATE",
    [booking.id],
  );
  const latest = payments[0];
  if (replay && latest && (latest.checkout_url || latest.status !== "initiated")) {
    return { done: latest };
  }
  if (booking.payment_mode === "at_salon") throw new ConflictError("payments.error.notOnline");
  // What is still due online: all of it, or (after a move to a dearer staff member) the difference.
  const collected = collectedHalalas(payments);
  const due = booking.deposit_halalas - collected;
  if (collected > 0 && due < MIN_AMOUNT_HALALAS) {
    throw new ConflictError("payments.error.alreadyPaid");
  }
  const topUp = collected > 0;
  const holdLive = booking.status === "pending" && booking.hold_expires_at !== null &&
    booking.hold_expires_at.getTime() > input.now.getTime();
  const upcoming = booking.status === "confirmed" &&
    booking.starts_at.getTime() > input.now.getTime();
  if (topUp ? !upcoming : !holdLive) {
    throw new ConflictError(
      booking.status === "pending" || booking.status === "expired"
        ? "payments.error.holdExpired"
        : "payments.error.notDue",
    );
  }

  const open = payments.find((p) => p.status === "initiated");
  if (open) {
    if (open.checkout_url) return { done: open };
    if (open.checkout_lock_until && open.checkout_lock_until.getTime() > input.now.getTime()) {
      throw new ConflictError("payments.error.inProgress");
    }
    const [locked] = await tx.query<PaymentRow>(
      "UPDATE payments SET checkout_lock_until = $2, updated_at = $3 WHERE id = $1 RETURNING *",
      [open.id, new Date(input.now.getTime() + lockMs), input.now],
    );
    return { open: locked };
  }

  const amount = due;
  if (amount < MIN_AMOUNT_HALALAS) throw new AppError(422, "payments.error.amountTooSmall");
  // The difference after a move may be paid until the appointment (at most a day per page).
  const expiresAt = topUp
    ? new Date(Math.min(booking.starts_at.getTime(), input.now.getTime() + 86_400_000))
    : booking.hold_expires_at;
  const details = await getBookingDetails(tx, booking.id);
  const t = translator(input.locale);
  const fmt = { locale: input.locale };
  const description = t(
    booking.payment_mode === "deposit"
      ? "payments.description.deposit"
      : "payments.description.full",
    {
      service: input.locale === "ar" ? details.service_name_ar : details.service_name_en,
      salon: input.locale === "ar" ? details.salon_name_ar : details.salon_name_en,
      date: `${formatGregorianDate(booking.starts_at, details.salon_timezone, fmt)} ${
        formatTime(booking.starts_at, details.salon_timezone, fmt)
      }`,
    },
  ).slice(0, 255);
  const [created] = await tx.query<PaymentRow>(
    `INSERT INTO payments (booking_id, salon_id, customer_id, purpose, amount_halalas,
       expires_at, checkout_lock_until, description, locale, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING *`,
    [
      booking.id,
      booking.salon_id,
      input.customerId,
      booking.payment_mode,
      amount,
      expiresAt,
      new Date(input.now.getTime() + lockMs),
      description,
      input.locale,
      input.now,
    ],
  );
  await recordPaymentEvent(tx, {
    paymentId: created.id,
    bookingId: booking.id,
    at: input.now,
    kind: "created",
    to: "initiated",
    source: input.source,
    actor: { userId: input.customerId, role: "customer" },
    data: { amount_halalas: amount, purpose: booking.payment_mode, top_up: topUp },
  });
  return { open: created };
}

/** The hosted page in the customer's language (Moyasar's page reads `?lang=ar|en`). */
export function checkoutUrlFor(payment: Pick<PaymentRow, "checkout_url">, locale: Locale): string {
  if (!payment.checkout_url) throw new Error("payments: no hosted page yet");
  const url = new URL(payment.checkout_url);
  url.searchParams.set("lang", locale);
  return url.toString();
}
