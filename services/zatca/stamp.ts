/**
 * Stamping inside the transaction that issues a document: the salon's unit row is locked
 * (FOR UPDATE, held until commit), so concurrent checkouts on any number of instances take
 * counter values one after another and each previous-invoice hash is the hash of the document
 * committed just before; a rolled-back checkout gives its counter value back with its number. The
 * report to Fatoora is queued in the same transaction (zatca_documents is the outbox row).
 */
import type { Tx } from "@/db/types.ts";
import { parseCertificate, unseal } from "./keys.ts";
import { zatcaKeyEncryptionKey } from "./settings.ts";
import { stampDocument, type UblDocument } from "./xml.ts";

/** Simplified documents are reported within 24 hours of issue. */
export const REPORTING_DEADLINE_MS = 24 * 3600_000;

interface UnitRow {
  private_key_sealed: string;
  certificate: Uint8Array;
  last_icv: number;
  last_hash: string;
  street: string;
  building_number: string;
  district: string;
  city: string;
  postal_zone: string;
}

function localParts(at: Date, zone: string) {
  const f = new Intl.DateTimeFormat("en-CA", {
    timeZone: zone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
    hourCycle: "h23",
  }).formatToParts(at);
  const p = (t: string) => f.find((x) => x.type === t)!.value;
  return {
    date: `${p("year")}-${p("month")}-${p("day")}`,
    time: `${p("hour")}:${p("minute")}:${p("second")}`,
  };
}

/**
 * Stamps an issued tax document when its salon's unit is onboarded (status active); does nothing
 * otherwise (phase 1: the document keeps its five-tag QR). Call inside the issuing transaction.
 */
export async function stampIfOnboarded(tx: Tx, invoiceId: string): Promise<boolean> {
  const [inv] = await tx.query<{
    salon_id: string;
    kind: "invoice" | "credit_note";
    number: number;
    issued_at: Date;
    tax_invoice: boolean;
    seller_name_ar: string;
    seller_vat_number: string | null;
    seller_cr_number: string | null;
    customer_name: string | null;
    net_halalas: number;
    vat_halalas: number;
    total_halalas: number;
    reason: string | null;
    invoice_number: number | null;
    timezone: string;
  }>(
    `SELECT i.salon_id, i.kind, i.number, i.issued_at, i.tax_invoice, i.seller_name_ar,
            i.seller_vat_number, i.seller_cr_number, i.customer_name, i.net_halalas,
            i.vat_halalas, i.total_halalas, i.reason, o.number AS invoice_number, s.timezone
     FROM invoices i JOIN salons s ON s.id = i.salon_id
     LEFT JOIN invoices o ON o.id = i.invoice_id
     WHERE i.id = $1`,
    [invoiceId],
  );
  if (!inv?.tax_invoice || !inv.seller_vat_number) return false;
  const [unit] = await tx.query<UnitRow>(
    `SELECT private_key_sealed, certificate, last_icv, last_hash, street, building_number,
            district, city, postal_zone
     FROM zatca_units WHERE salon_id = $1 AND status = 'active' FOR UPDATE`,
    [inv.salon_id],
  );
  if (!unit) return false;
  const lines = await tx.query<{
    description_ar: string;
    quantity: number;
    net_halalas: number;
    vat_halalas: number;
    total_halalas: number;
    vat_rate_bp: number;
  }>(
    `SELECT description_ar, quantity, net_halalas, vat_halalas, total_halalas, vat_rate_bp
     FROM invoice_lines WHERE invoice_id = $1 ORDER BY position`,
    [invoiceId],
  );
  const icv = Number(unit.last_icv) + 1;
  const local = localParts(inv.issued_at, inv.timezone);
  const prefix = inv.kind === "invoice" ? "INV" : "CN";
  const doc: UblDocument = {
    typeCode: inv.kind === "invoice" ? "388" : "381",
    id: `${prefix}-${inv.number}`,
    uuid: crypto.randomUUID(),
    issueDate: local.date,
    issueTime: local.time,
    icv,
    pih: unit.last_hash,
    billingReference: inv.invoice_number === null ? null : `INV-${inv.invoice_number}`,
    reason: inv.kind === "credit_note" ? (inv.reason ?? "Refund") : null,
    seller: {
      nameAr: inv.seller_name_ar,
      vatNumber: inv.seller_vat_number,
      crNumber: inv.seller_cr_number,
      street: unit.street,
      buildingNumber: unit.building_number,
      district: unit.district,
      city: unit.city,
      postalZone: unit.postal_zone,
    },
    buyerName: inv.customer_name,
    lines: lines.map((l) => ({
      description: l.description_ar,
      quantity: l.quantity,
      netHalalas: l.net_halalas,
      vatHalalas: l.vat_halalas,
      totalHalalas: l.total_halalas,
      vatRateBp: l.vat_rate_bp,
    })),
    netHalalas: inv.net_halalas,
    vatHalalas: inv.vat_halalas,
    totalHalalas: inv.total_halalas,
  };
  const privatePem = await unseal(zatcaKeyEncryptionKey(), inv.salon_id, unit.private_key_sealed);
  const stamp = stampDocument(doc, privatePem, parseCertificate(new Uint8Array(unit.certificate)));
  await tx.query(
    `INSERT INTO zatca_documents (invoice_id, salon_id, uuid, icv, pih, hash, xml, qr, run_at,
       deadline_at, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $9)`,
    [
      invoiceId,
      inv.salon_id,
      doc.uuid,
      icv,
      doc.pih,
      stamp.hash,
      stamp.xml,
      stamp.qr,
      inv.issued_at,
      new Date(inv.issued_at.getTime() + REPORTING_DEADLINE_MS),
    ],
  );
  await tx.query(
    "UPDATE zatca_units SET last_icv = $2, last_hash = $3, updated_at = $4 WHERE salon_id = $1",
    [inv.salon_id, icv, stamp.hash, inv.issued_at],
  );
  return true;
}

/** The phase-2 QR of a stamped document (null: not stamped, the phase-1 QR stands). */
export async function stampedQr(tx: Tx, invoiceId: string): Promise<string | null> {
  const [row] = await tx.query<{ qr: string }>(
    "SELECT qr FROM zatca_documents WHERE invoice_id = $1",
    [invoiceId],
  );
  return row?.qr ?? null;
}
