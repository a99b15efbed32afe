import type { Queryable } from "@/db/types.ts";
import { salonRoleOf } from "@/services/auth/authorize.ts";
import type { SessionUser } from "@/services/auth/users.ts";
import { NotFoundError } from "@/services/errors.ts";
import { isUuid } from "@/services/ids.ts";
import type { PaymentMethod } from "./issue.ts";

export interface InvoiceRow {
  id: string;
  salon_id: string;
  booking_id: string;
  kind: "invoice" | "credit_note";
  number: number;
  invoice_id: string | null;
  issued_at: Date;
  tax_invoice: boolean;
  seller_name_ar: string;
  seller_name_en: string | null;
  seller_vat_number: string | null;
  seller_cr_number: string | null;
  seller_address_ar: string;
  seller_address_en: string;
  customer_name: string | null;
  customer_phone: string | null;
  customer_id: string | null;
  subtotal_halalas: number;
  discount_halalas: number;
  discount_reason: string | null;
  net_halalas: number;
  vat_halalas: number;
  total_halalas: number;
  reason: string | null;
  qr: string | null;
  issued_by: string | null;
}

export interface InvoiceLineRow {
  invoice_id: string;
  position: number;
  booking_item_id: string | null;
  credited_position: number | null;
  service_id: string | null;
  staff_id: string | null;
  description_ar: string;
  description_en: string;
  staff_name_ar: string | null;
  staff_name_en: string | null;
  quantity: number;
  unit_price_halalas: number;
  discount_halalas: number;
  vat_rate_bp: number;
  net_halalas: number;
  vat_halalas: number;
  total_halalas: number;
}

export interface InvoicePaymentRow {
  position: number;
  method: PaymentMethod;
  amount_halalas: number;
  payment_id: string | null;
}

export interface InvoiceDocument extends InvoiceRow {
  salon_slug: string;
  salon_timezone: string;
  /** For a credit note: its invoice's number. */
  invoice_number: number | null;
  lines: InvoiceLineRow[];
  payments: InvoicePaymentRow[];
  /** For an invoice: its credit notes (id, number). */
  credit_notes: { id: string; number: number; total_halalas: number }[];
}

/**
 * An invoice or credit note as the person asking may see it: the visit's customer, anyone who
 * works at the salon, or a platform admin. Anyone else (and an unknown id) gets a 404.
 */
export async function getInvoiceFor(
  db: Queryable,
  user: SessionUser,
  invoiceId: string,
): Promise<InvoiceDocument> {
  if (!isUuid(invoiceId)) throw new NotFoundError();
  const [doc] = await db.query<
    Omit<InvoiceDocument, "lines" | "payments" | "credit_notes"> & { zatca_qr: string | null }
  >(
    `SELECT i.*, s.slug AS salon_slug, s.timezone AS salon_timezone, o.number AS invoice_number,
            z.qr AS zatca_qr
     FROM invoices i JOIN salons s ON s.id = i.salon_id
     LEFT JOIN invoices o ON o.id = i.invoice_id
     LEFT JOIN zatca_documents z ON z.invoice_id = i.id
     WHERE i.id = $1`,
    [invoiceId],
  );
  if (!doc) throw new NotFoundError();
  // Phase 2: a stamped document's QR (tags 1-9) is the one printed.
  if (doc.zatca_qr) doc.qr = doc.zatca_qr;
  delete (doc as { zatca_qr?: string | null }).zatca_qr;
  const allowed = user.role === "admin" || doc.customer_id === user.id ||
    (await salonRoleOf(db, user.id, doc.salon_id)) !== null;
  if (!allowed) throw new NotFoundError();
  const lines = await db.query<InvoiceLineRow>(
    "SELECT * FROM invoice_lines WHERE invoice_id = $1 ORDER BY position",
    [doc.id],
  );
  const payments = await db.query<InvoicePaymentRow>(
    `SELECT position, method, amount_halalas, payment_id FROM invoice_payments
     WHERE invoice_id = $1 ORDER BY position`,
    [doc.id],
  );
  const creditNotes = doc.kind === "invoice"
    ? await db.query<{ id: string; number: number; total_halalas: number }>(
      "SELECT id, number, total_halalas FROM invoices WHERE invoice_id = $1 ORDER BY number",
      [doc.id],
    )
    : [];
  return { ...doc, lines, payments, credit_notes: creditNotes };
}

/** The invoice of a visit and its credit notes, newest last (for booking pages). */
export async function invoicesOfBooking(
  db: Queryable,
  bookingId: string,
): Promise<
  { id: string; kind: "invoice" | "credit_note"; number: number; total_halalas: number }[]
> {
  return await db.query(
    `SELECT id, kind, number, total_halalas FROM invoices WHERE booking_id = $1
     ORDER BY kind DESC, number`,
    [bookingId],
  );
}

/**
 * The invoice (`creditNumber` null) or credit note number `creditNumber` of the visit behind a
 * short link code (`/b/<code>/…` in messages), or null.
 */
export async function invoiceIdForLink(
  db: Queryable,
  code: string,
  creditNumber: number | null,
): Promise<string | null> {
  if (!/^[0-9A-Za-z]{8}$/.test(code)) return null;
  const [row] = await db.query<{ id: string }>(
    `SELECT i.id FROM booking_links l JOIN invoices i ON i.booking_id = l.booking_id
     WHERE l.code = $1 AND i.kind = $2 AND ($3::int IS NULL OR i.number = $3)`,
    [code, creditNumber === null ? "invoice" : "credit_note", creditNumber],
  );
  return row?.id ?? null;
}

/** The document as the JSON API shows it. */
export function invoiceJson(doc: InvoiceDocument) {
  return {
    id: doc.id,
    kind: doc.kind,
    number: doc.number,
    invoice_id: doc.invoice_id,
    issued_at: doc.issued_at.toISOString(),
    tax_invoice: doc.tax_invoice,
    seller: {
      name_ar: doc.seller_name_ar,
      name_en: doc.seller_name_en,
      vat_number: doc.seller_vat_number,
      cr_number: doc.seller_cr_number,
      address_ar: doc.seller_address_ar,
      address_en: doc.seller_address_en,
    },
    customer: { name: doc.customer_name, phone: doc.customer_phone },
    lines: doc.lines.map((l) => ({
      description_ar: l.description_ar,
      description_en: l.description_en,
      staff_ar: l.staff_name_ar,
      staff_en: l.staff_name_en,
      quantity: l.quantity,
      unit_price_halalas: l.unit_price_halalas,
      discount_halalas: l.discount_halalas,
      vat_rate: l.vat_rate_bp / 100,
      net_halalas: l.net_halalas,
      vat_halalas: l.vat_halalas,
      total_halalas: l.total_halalas,
    })),
    subtotal_halalas: doc.subtotal_halalas,
    discount_halalas: doc.discount_halalas,
    net_halalas: doc.net_halalas,
    vat_halalas: doc.vat_halalas,
    total_halalas: doc.total_halalas,
    payments: doc.payments.map((p) => ({ method: p.method, amount_halalas: p.amount_halalas })),
    qr: doc.qr,
    url: `/invoices/${doc.id}`,
  };
}
