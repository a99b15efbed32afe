/**
 * Learning what Moyasar knows: fetch a payment (or the invoice with its attempts) with the secret
 * key, check it is really this payment of ours, and apply it. Nothing from a query string or a
 * webhook body is believed: they only say which payment to ask about.
 */
import type { Db } from "@/db/types.ts";
import { log } from "@/log.ts";
import { applyObservation, type ApplyResult } from "./apply.ts";
import { recordPaymentEvent } from "./ledger.ts";
import type { PaymentRow, PaymentSource } from "./model.ts";
import type { MoyasarClient, MoyasarInvoice, MoyasarPayment } from "./moyasar.ts";
import type { PaymentObservation } from "./state.ts";

export function observationOf(p: MoyasarPayment): PaymentObservation {
  return {
    kind: "payment",
    providerPaymentId: p.id,
    status: p.status,
    amount: p.amount,
    captured: p.captured,
    refunded: p.refunded,
    message: p.source?.message ?? null,
  };
}

const metaString = (meta: MoyasarPayment["metadata"], key: string): string | null => {
  const value = meta?.[key];
  return value === undefined || value === null ? null : String(value);
};

/**
 * Why `invoice` is not ours for `row`, or null when it is: our invoice id, amount, currency and
 * the booking id we put in its metadata.
 */
export function invoiceMismatch(row: PaymentRow, invoice: MoyasarInvoice): string | null {
  if (invoice.id !== row.provider_invoice_id) return "invoice";
  if (invoice.currency !== row.currency) return "currency";
  if (invoice.amount !== row.amount_halalas) return "amount";
  if (metaString(invoice.metadata, "booking_id") !== row.booking_id) return "booking";
  return null;
}

/**
 * Why Moyasar payment `p` is not a payment of our `row`, or null when it is. Currency and amount
 * must be ours; it must belong to our invoice; and the booking id in its metadata (or, when
 * Moyasar did not copy the invoice's metadata onto it, in the invoice's) must be our booking.
 * A paid payment made for another booking, or for another amount (e.g. created with the
 * publishable key and our ids typed into its metadata), is refused.
 */
export function paymentMismatch(
  row: PaymentRow,
  p: MoyasarPayment,
  invoice?: MoyasarInvoice | null,
): string | null {
  if (p.currency !== row.currency) return "currency";
  if (p.amount !== row.amount_halalas) return "amount";
  if (!row.provider_invoice_id || p.invoice_id !== row.provider_invoice_id) return "invoice";
  const booking = metaString(p.metadata, "booking_id") ??
    (invoice ? metaString(invoice.metadata, "booking_id") : null);
  if (booking !== row.booking_id) return "booking";
  const ours = metaString(p.metadata, "payment_id");
  if (ours !== null && ours !== row.id) return "payment";
  return null;
}

export type RefreshResult =
  | { kind: "applied"; payment: PaymentRow; results: ApplyResult[] }
  | { kind: "rejected"; payment: PaymentRow; reason: string }
  | { kind: "no_invoice"; payment: PaymentRow };

async function loadPayment(db: Db, id: string): Promise<PaymentRow | null> {
  const [row] = await db.query<PaymentRow>("SELECT * FROM payments WHERE id = $1", [id]);
  return row ?? null;
}

async function reject(
  db: Db,
  row: PaymentRow,
  source: PaymentSource,
  now: Date,
  reason: string,
  data: Record<string, unknown>,
): Promise<RefreshResult> {
  log.warn("payments.rejected_observation", { payment_id: row.id, source, reason, ...data });
  await db.transaction((tx) =>
    recordPaymentEvent(tx, {
      paymentId: row.id,
      bookingId: row.booking_id,
      at: now,
      kind: "rejected",
      source,
      reason: `mismatch:${reason}`,
      data,
    })
  );
  return { kind: "rejected", payment: row, reason };
}

/**
 * Asks Moyasar about our payment `paymentId` and applies the answer: the Moyasar payment
 * `providerPaymentId` when given (the callback's or webhook's hint), otherwise our invoice and
 * every attempt on it. Throws MoyasarError when Moyasar cannot answer (nothing changes then).
 */
export async function refreshPayment(
  db: Db,
  client: MoyasarClient,
  input: {
    paymentId: string;
    providerPaymentId?: string | null;
    source: PaymentSource;
    now: Date;
    /** Close an invoice nobody paid once this moment has passed (reconciliation's give-up). */
    closeIfUnpaidAfter?: Date;
  },
): Promise<RefreshResult> {
  const row = await loadPayment(db, input.paymentId);
  if (!row) throw new Error(`payments: ${input.paymentId} not found`);
  const results: ApplyResult[] = [];

  if (input.providerPaymentId) {
    const p = await client.fetchPayment(input.providerPaymentId);
    let invoice: MoyasarInvoice | null = null;
    if (p.metadata?.booking_id == null && row.provider_invoice_id) {
      invoice = await client.fetchInvoice(row.provider_invoice_id);
      const bad = invoiceMismatch(row, invoice);
      if (bad) {
        return await reject(db, row, input.source, input.now, bad, { invoice_id: invoice.id });
      }
    }
    const bad = paymentMismatch(row, p, invoice);
    if (bad) {
      return await reject(db, row, input.source, input.now, bad, {
        provider_payment_id: p.id,
        provider_status: p.status,
        provider_amount: p.amount,
      });
    }
    results.push(
      await applyObservation(db, {
        paymentId: row.id,
        observation: observationOf(p),
        source: input.source,
        now: input.now,
      }),
    );
    return { kind: "applied", payment: results.at(-1)!.payment, results };
  }

  if (!row.provider_invoice_id) return { kind: "no_invoice", payment: row };
  const invoice = await client.fetchInvoice(row.provider_invoice_id);
  const bad = invoiceMismatch(row, invoice);
  if (bad) return await reject(db, row, input.source, input.now, bad, { invoice_id: invoice.id });
  const attempts = invoice.payments.map((p) => ({ ...p, invoice_id: p.invoice_id ?? invoice.id }));
  // Attempts that moved money first (in Moyasar's order), then declined ones.
  const ordered = [
    ...attempts.filter((p) => !["initiated", "failed", "verified"].includes(p.status)),
    ...attempts.filter((p) => p.status === "failed"),
  ];
  for (const p of ordered) {
    const mismatch = paymentMismatch(row, p, invoice);
    if (mismatch) {
      await reject(db, row, input.source, input.now, mismatch, { provider_payment_id: p.id });
      continue;
    }
    results.push(
      await applyObservation(db, {
        paymentId: row.id,
        observation: observationOf(p),
        source: input.source,
        now: input.now,
      }),
    );
  }
  const moneyMoved = ordered.some((p) => p.status !== "failed");
  const closed = invoice.status === "expired" || invoice.status === "canceled" ||
    invoice.status === "failed";
  const abandoned = input.closeIfUnpaidAfter !== undefined && row.expires_at !== null &&
    row.expires_at.getTime() < input.closeIfUnpaidAfter.getTime();
  if (!moneyMoved && (closed || abandoned)) {
    results.push(
      await applyObservation(db, {
        paymentId: row.id,
        observation: {
          kind: "invoice_closed",
          reason: `invoice_${closed ? invoice.status : "abandoned"}`,
        },
        source: input.source,
        now: input.now,
      }),
    );
  }
  const latest = results.at(-1)?.payment ?? (await loadPayment(db, row.id))!;
  return { kind: "applied", payment: latest, results };
}
