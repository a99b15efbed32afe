import type { Db, Tx } from "@/db/types.ts";
import { auditRole, authorizeSalon, type DashboardActor } from "@/services/dashboard/access.ts";
import { audit } from "@/services/dashboard/audit.ts";
import { AppError, NotFoundError, ValidationError } from "@/services/errors.ts";
import { isUuid } from "@/services/ids.ts";
import { insertAction } from "@/services/payments/actions.ts";
import { collectedPayments } from "@/services/payments/reprice.ts";
import { type CounterMethod, insertInvoice, type InvoiceLineDraft } from "./issue.ts";
import { enqueueInvoiceMessage } from "./notify.ts";
import type { InvoiceLineRow, InvoiceRow } from "./queries.ts";
import type { PricedInvoice } from "./vat.ts";

export interface CreditNoteInput {
  salonId: string;
  invoiceId: string;
  /** Positions of the invoice's lines given back in full. */
  lines: number[];
  /** How the money goes back: online (to the card it came from) or at the counter. */
  refunds: { method: CounterMethod | "online"; amountHalalas: number }[];
  reason: string;
}

/**
 * Issues a credit note for lines of an issued invoice (a refund, or a paid service removed after
 * checkout), in one transaction: its own number in the salon's credit-note sequence, the lines
 * given back exactly as invoiced (same discount share, same VAT), its QR, and the refunds — online
 * ones queued on the visit's Moyasar payments (carried out after commit by the payment job),
 * counter ones recorded — and the customer's copy of the note queued. The invoice itself never
 * changes; a line is credited at most once.
 *
 * @throws ValidationError / AppError 422 for lines already credited or refunds that do not add up.
 */
export async function issueCreditNote(
  db: Db,
  actor: DashboardActor,
  input: CreditNoteInput,
): Promise<{ id: string; number: number; totalHalalas: number }> {
  return await db.transaction(async (tx) => {
    const access = await authorizeSalon(tx, actor.user, input.salonId, "manager");
    if (!isUuid(input.invoiceId)) throw new NotFoundError();
    // Credit notes of one invoice are issued one at a time: its row is their lock.
    const [invoice] = await tx.query<InvoiceRow>(
      "SELECT * FROM invoices WHERE id = $1 AND salon_id = $2 AND kind = 'invoice' FOR UPDATE",
      [input.invoiceId, input.salonId],
    );
    if (!invoice) throw new NotFoundError();
    if (input.reason.trim() === "") throw new ValidationError({ reason: ["credit.error.reason"] });
    const lines = await tx.query<InvoiceLineRow>(
      "SELECT * FROM invoice_lines WHERE invoice_id = $1 ORDER BY position",
      [invoice.id],
    );
    const [{ credited }] = await tx.query<{ credited: number[] }>(
      `SELECT coalesce(array_agg(l.credited_position), '{}') AS credited
       FROM invoices c JOIN invoice_lines l ON l.invoice_id = c.id
       WHERE c.invoice_id = $1`,
      [invoice.id],
    );
    const wanted = [...new Set(input.lines)];
    const chosen = wanted.map((pos) => lines.find((l) => l.position === pos));
    if (
      wanted.length === 0 || chosen.some((l) => !l) ||
      wanted.some((pos) => credited.includes(pos))
    ) {
      throw new ValidationError({ lines: ["credit.error.line"] });
    }
    const given = chosen as InvoiceLineRow[];
    const priced = creditPricing(given);
    const refunds = input.refunds.filter((r) => r.amountHalalas > 0);
    const paid = refunds.reduce((sum, r) => sum + r.amountHalalas, 0);
    if (paid !== priced.totalHalalas) {
      throw new AppError(422, "credit.error.refunds", {
        paid: (paid / 100).toFixed(2),
        total: (priced.totalHalalas / 100).toFixed(2),
      });
    }
    const paymentRows = await refundOnline(tx, invoice.booking_id, refunds, actor, input.reason);
    const drafts: InvoiceLineDraft[] = given.map((l) => ({
      bookingItemId: l.booking_item_id,
      serviceId: l.service_id,
      staffId: l.staff_id,
      descriptionAr: l.description_ar,
      descriptionEn: l.description_en,
      staffNameAr: l.staff_name_ar,
      staffNameEn: l.staff_name_en,
      unitPriceHalalas: l.unit_price_halalas,
      creditedPosition: l.position,
    }));
    const note = await insertInvoice(tx, {
      salonId: input.salonId,
      bookingId: invoice.booking_id,
      kind: "credit_note",
      invoiceId: invoice.id,
      issuedAt: actor.now,
      issuedBy: actor.user.id,
      customerId: invoice.customer_id,
      customerName: invoice.customer_name,
      customerPhone: invoice.customer_phone,
      priced,
      drafts,
      discountReason: priced.discountHalalas > 0 ? invoice.discount_reason : null,
      reason: input.reason.trim(),
      payments: paymentRows,
    });
    await audit(tx, {
      salonId: input.salonId,
      actorUserId: actor.user.id,
      actorRole: auditRole(access),
      action: "invoice.credit",
      entity: "invoice",
      entityId: note.id,
      after: { invoice_id: invoice.id, number: note.number, lines: wanted, refunds },
      at: actor.now,
      requestId: actor.requestId,
    });
    await enqueueInvoiceMessage(tx, { invoiceId: note.id, now: actor.now });
    return { ...note, totalHalalas: priced.totalHalalas };
  });
}

/** The credited lines exactly as they were invoiced: same discount share, same VAT. */
function creditPricing(lines: InvoiceLineRow[]): PricedInvoice {
  const sum = (f: (l: InvoiceLineRow) => number) => lines.reduce((a, l) => a + f(l), 0);
  return {
    lines: lines.map((l) => ({
      unitPriceHalalas: l.unit_price_halalas,
      quantity: l.quantity,
      discountHalalas: l.discount_halalas,
      totalHalalas: l.total_halalas,
      vatRateBp: l.vat_rate_bp,
      vatHalalas: l.vat_halalas,
      netHalalas: l.net_halalas,
    })),
    subtotalHalalas: sum((l) => l.unit_price_halalas * l.quantity),
    discountHalalas: sum((l) => l.discount_halalas),
    totalHalalas: sum((l) => l.total_halalas),
    vatHalalas: sum((l) => l.vat_halalas),
    netHalalas: sum((l) => l.net_halalas),
  };
}

/** Queues online refunds on the visit's payments (newest money first) and lists every refund. */
async function refundOnline(
  tx: Tx,
  bookingId: string,
  refunds: CreditNoteInput["refunds"],
  actor: DashboardActor,
  reason: string,
) {
  const rows: {
    method: CounterMethod | "online";
    amountHalalas: number;
    paymentId: string | null;
  }[] = [];
  const payments = await collectedPayments(tx, bookingId);
  for (const r of refunds) {
    if (r.method !== "online") {
      rows.push({ ...r, paymentId: null });
      continue;
    }
    let left = r.amountHalalas;
    for (const p of payments) {
      const kept = p.captured_halalas - p.refunded_halalas - p.pending_refund_halalas;
      const amount = Math.min(left, kept);
      if (amount <= 0) continue;
      await insertAction(tx, p, {
        kind: "refund",
        amount,
        actor: { userId: actor.user.id, role: "salon" },
        reason: `credit_note: ${reason}`.slice(0, 300),
        now: actor.now,
        automatic: false,
      });
      p.pending_refund_halalas += amount;
      rows.push({ method: "online", amountHalalas: amount, paymentId: p.id });
      left -= amount;
    }
    if (left > 0) throw new AppError(422, "credit.error.online");
  }
  return rows;
}
