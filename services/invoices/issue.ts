import type { Tx } from "@/db/types.ts";
import { stampIfOnboarded } from "@/services/zatca/stamp.ts";
import { zatcaQrPayload } from "./qr.ts";
import type { PricedInvoice } from "./vat.ts";

export const COUNTER_METHODS = ["cash", "card", "stc_pay", "bank_transfer"] as const;
/** How money is taken at the counter (or given back on a credit note). */
export type CounterMethod = typeof COUNTER_METHODS[number];
export type PaymentMethod = CounterMethod | "online";

/** One line before pricing: what was done, by whom, at which VAT-inclusive unit price. */
export interface InvoiceLineDraft {
  bookingItemId: string | null;
  serviceId: string | null;
  staffId: string | null;
  descriptionAr: string;
  descriptionEn: string;
  staffNameAr: string | null;
  staffNameEn: string | null;
  unitPriceHalalas: number;
  /** On a credit note: the invoice line it gives back. */
  creditedPosition?: number;
}

/**
 * The salon's next number in a sequence (invoices, credit notes), taken by an upsert that holds
 * the counter row until the transaction ends: two checkouts at once on any number of instances
 * queue on it, a rolled-back one returns its number, so the numbers have neither gaps nor twins.
 */
export async function nextNumber(
  tx: Tx,
  salonId: string,
  kind: "invoice" | "credit_note",
): Promise<number> {
  const [row] = await tx.query<{ last_number: number }>(
    `INSERT INTO invoice_counters (salon_id, kind, last_number) VALUES ($1, $2, 1)
     ON CONFLICT (salon_id, kind)
       DO UPDATE SET last_number = invoice_counters.last_number + 1
     RETURNING last_number`,
    [salonId, kind],
  );
  return row.last_number;
}

export interface NewInvoice {
  salonId: string;
  bookingId: string;
  kind: "invoice" | "credit_note";
  invoiceId: string | null;
  issuedAt: Date;
  issuedBy: string | null;
  customerId: string | null;
  customerName: string | null;
  customerPhone: string | null;
  priced: PricedInvoice;
  drafts: InvoiceLineDraft[];
  discountReason: string | null;
  reason: string | null;
  payments: { method: PaymentMethod; amountHalalas: number; paymentId: string | null }[];
}

/**
 * Writes an invoice or credit note with the seller's details as they are now (a later change of
 * name or VAT number never rewrites it), its lines and payments, and — for a VAT-registered
 * seller — ZATCA's QR payload. Call inside the transaction that decided it.
 */
export async function insertInvoice(
  tx: Tx,
  doc: NewInvoice,
): Promise<{ id: string; number: number }> {
  const [seller] = await tx.query<{
    vat_registered: boolean;
    vat_number: string | null;
    legal_name_ar: string | null;
    legal_name_en: string | null;
    cr_number: string | null;
    name_ar: string;
    name_en: string;
    address_ar: string;
    address_en: string;
    city_ar: string;
    city_en: string;
  }>(
    `SELECT vat_registered, vat_number, legal_name_ar, legal_name_en, cr_number, name_ar, name_en,
            address_ar, address_en, city_ar, city_en
     FROM salons WHERE id = $1`,
    [doc.salonId],
  );
  const number = await nextNumber(tx, doc.salonId, doc.kind);
  const sellerName = seller.legal_name_ar ?? seller.name_ar;
  // Whole seconds: the QR's timestamp and the stored issue time are one instant.
  const issuedAt = new Date(Math.floor(doc.issuedAt.getTime() / 1000) * 1000);
  const qr = seller.vat_registered
    ? zatcaQrPayload({
      sellerName,
      vatNumber: seller.vat_number!,
      timestamp: issuedAt.toISOString().replace(".000Z", "Z"),
      totalHalalas: doc.priced.totalHalalas,
      vatHalalas: doc.priced.vatHalalas,
    })
    : null;
  const join = (a: string, b: string) => [a, b].filter((s) => s.trim() !== "").join("، ");
  const [row] = await tx.query<{ id: string }>(
    `INSERT INTO invoices (salon_id, booking_id, kind, number, invoice_id, issued_at, tax_invoice,
       seller_name_ar, seller_name_en, seller_vat_number, seller_cr_number, seller_address_ar,
       seller_address_en, customer_name, customer_phone, customer_id, subtotal_halalas,
       discount_halalas, discount_reason, net_halalas, vat_halalas, total_halalas, reason, qr,
       issued_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19,
       $20, $21, $22, $23, $24, $25)
     RETURNING id`,
    [
      doc.salonId,
      doc.bookingId,
      doc.kind,
      number,
      doc.invoiceId,
      issuedAt,
      seller.vat_registered,
      sellerName,
      seller.legal_name_en ?? seller.name_en,
      seller.vat_registered ? seller.vat_number : null,
      seller.cr_number,
      join(seller.address_ar, seller.city_ar),
      [seller.address_en, seller.city_en].filter((s) => s.trim() !== "").join(", "),
      doc.customerName,
      doc.customerPhone,
      doc.customerId,
      doc.priced.subtotalHalalas,
      doc.priced.discountHalalas,
      doc.discountReason,
      doc.priced.netHalalas,
      doc.priced.vatHalalas,
      doc.priced.totalHalalas,
      doc.reason,
      qr,
      doc.issuedBy,
    ],
  );
  const lines = doc.priced.lines.map((l, i) => ({
    position: i,
    booking_item_id: doc.drafts[i].bookingItemId,
    credited_position: doc.drafts[i].creditedPosition ?? null,
    service_id: doc.drafts[i].serviceId,
    staff_id: doc.drafts[i].staffId,
    description_ar: doc.drafts[i].descriptionAr,
    description_en: doc.drafts[i].descriptionEn,
    staff_name_ar: doc.drafts[i].staffNameAr,
    staff_name_en: doc.drafts[i].staffNameEn,
    quantity: l.quantity,
    unit_price_halalas: l.unitPriceHalalas,
    discount_halalas: l.discountHalalas,
    vat_rate_bp: l.vatRateBp,
    net_halalas: l.netHalalas,
    vat_halalas: l.vatHalalas,
    total_halalas: l.totalHalalas,
  }));
  await tx.query(
    `INSERT INTO invoice_lines (invoice_id, salon_id, position, booking_item_id, credited_position,
       service_id, staff_id, description_ar, description_en, staff_name_ar, staff_name_en,
       quantity, unit_price_halalas, discount_halalas, vat_rate_bp, net_halalas, vat_halalas,
       total_halalas)
     SELECT $1, $2, l.position, l.booking_item_id, l.credited_position, l.service_id, l.staff_id,
       l.description_ar, l.description_en, l.staff_name_ar, l.staff_name_en, l.quantity,
       l.unit_price_halalas, l.discount_halalas, l.vat_rate_bp, l.net_halalas, l.vat_halalas,
       l.total_halalas
     FROM json_populate_recordset(NULL::invoice_lines, $3::json) AS l`,
    [row.id, doc.salonId, lines],
  );
  if (doc.payments.length) {
    await tx.query(
      `INSERT INTO invoice_payments (invoice_id, salon_id, position, method, amount_halalas,
         payment_id)
       SELECT $1, $2, p.position, p.method, p.amount_halalas, p.payment_id
       FROM json_populate_recordset(NULL::invoice_payments, $3::json) AS p`,
      [
        row.id,
        doc.salonId,
        doc.payments.map((p, i) => ({
          position: i,
          method: p.method,
          amount_halalas: p.amountHalalas,
          payment_id: p.paymentId,
        })),
      ],
    );
  }
  // Phase 2: a salon onboarded with ZATCA gets the document stamped and its report queued.
  await stampIfOnboarded(tx, row.id);
  return { id: row.id, number };
}
