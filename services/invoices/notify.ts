import type { Tx } from "@/db/types.ts";
import { bookingLinkCode, CHANNEL_FOR, enqueueMessage } from "@/services/messages/enqueue.ts";

/**
 * Queues the customer's copy of an issued invoice or credit note, in the caller's transaction (the
 * one that issued it, so a rollback leaves no message): WhatsApp first (the worker falls back to
 * SMS), in the customer's language, with the document's number, its total (incl. VAT when it is a
 * tax document) and a short link to its page. Nothing is queued for a visit without a customer account
 * or whose account is closed. Idempotent per document. Returns whether a message was queued.
 */
export async function enqueueInvoiceMessage(
  tx: Tx,
  input: { invoiceId: string; now: Date },
): Promise<boolean> {
  const [doc] = await tx.query<{
    id: string;
    kind: "invoice" | "credit_note";
    number: number;
    total_halalas: number;
    tax_invoice: boolean;
    booking_id: string;
    invoice_number: number | null;
    starts_at: Date;
    timezone: string;
    salon_ar: string;
    salon_en: string;
    service_ar: string;
    service_en: string;
    staff_ar: string;
    staff_en: string;
    user_id: string | null;
    phone: string | null;
    language: string | null;
  }>(
    `SELECT i.id, i.kind, i.number, i.total_halalas, i.tax_invoice, i.booking_id,
       o.number AS invoice_number, b.starts_at, s.timezone,
       s.name_ar AS salon_ar, s.name_en AS salon_en, v.name_ar AS service_ar,
       v.name_en AS service_en, st.name_ar AS staff_ar, st.name_en AS staff_en,
       u.id AS user_id, u.phone_number AS phone, u.preferred_language AS language
     FROM invoices i
     JOIN bookings b ON b.id = i.booking_id
     JOIN salons s ON s.id = i.salon_id
     JOIN services v ON v.id = b.service_id
     JOIN staff st ON st.id = b.staff_id
     LEFT JOIN invoices o ON o.id = i.invoice_id
     LEFT JOIN users u ON u.id = b.customer_id AND u.is_active
     WHERE i.id = $1`,
    [input.invoiceId],
  );
  if (!doc) throw new Error(`invoice ${input.invoiceId} not found`);
  if (!doc.user_id || !doc.phone) return false;
  const locale = doc.language === "en" ? "en" : "ar";
  const ar = locale === "ar";
  const channel = CHANNEL_FOR.customer;
  // A short link (`/b/<code>/invoice`, `/b/<code>/credit-<n>`) to the document's page: its UUID
  // would cost an Arabic SMS a third segment.
  const code = await bookingLinkCode(tx, doc.booking_id);
  const event = doc.kind === "invoice" ? "invoice_issued" : "credit_note_issued";
  const queued = await enqueueMessage(tx, {
    dedupeKey: ["invoice", doc.id, event, doc.user_id, channel].join(":"),
    kind: "event",
    bookingId: doc.booking_id,
    event,
    recipient: { userId: doc.user_id, role: "customer", phone: doc.phone, locale },
    channel,
    template: doc.kind === "invoice"
      ? "msg.customer.invoiceIssued"
      : "msg.customer.creditNoteIssued",
    params: {
      salon: ar ? doc.salon_ar : doc.salon_en,
      service: ar ? doc.service_ar : doc.service_en,
      staff: ar ? doc.staff_ar : doc.staff_en,
      startsAt: doc.starts_at.toISOString(),
      timeZone: doc.timezone,
      linkPath: `/b/${code}/${doc.kind === "invoice" ? "invoice" : `credit-${doc.number}`}`,
      amountHalalas: doc.total_halalas,
      documentNumber: doc.number,
      ...(doc.invoice_number !== null ? { invoiceNumber: doc.invoice_number } : {}),
      inclVat: doc.tax_invoice,
    },
    runAt: input.now,
    now: input.now,
  });
  return queued !== null;
}
