/**
 * The demo salons' tax identity (VAT-registered, legal names, VAT and CR numbers of the valid
 * form) and an invoice for each past completed demo visit, written through the same insert path
 * checkout uses (services/invoices/issue.ts), so a new user opens real invoices with their QR.
 */
import type { Tx } from "@/db/types.ts";
import { itemsOfBooking } from "@/services/bookings/items.ts";
import { type CounterMethod, insertInvoice } from "@/services/invoices/issue.ts";
import { priceInvoice, STANDARD_VAT_BP } from "@/services/invoices/vat.ts";
import { shownNameSql, shownPhoneSql } from "@/services/people.ts";

/** Demo numbers: 15 digits starting and ending with 3; CR numbers of 10 digits. Not real ones. */
const TAX: Record<string, { ar: string; en: string; vat: string; cr: string }> = {
  "lamsa-riyadh": {
    ar: "مؤسسة لمسة للتجميل",
    en: "Lamsa Beauty Est.",
    vat: "310122393500003",
    cr: "1010123456",
  },
};

/** A salon's identity when not listed above: derived from its slug, stable across runs. */
function taxOf(slug: string, nameAr: string, nameEn: string, n: number) {
  return TAX[slug] ?? {
    ar: `مؤسسة ${nameAr}`,
    en: `${nameEn} Est.`,
    vat: `3${String(100000000000 + n * 7919).padStart(13, "0")}3`,
    cr: `40300${String(10000 + n).padStart(5, "0")}`,
  };
}

const METHODS: CounterMethod[] = ["cash", "card", "stc_pay", "card"];

/** Registers the salon for VAT and invoices its completed visits that have no invoice yet. */
export async function seedInvoices(tx: Tx, salonId: string, n: number): Promise<number> {
  const [salon] = await tx.query<{ slug: string; name_ar: string; name_en: string }>(
    "SELECT slug, name_ar, name_en FROM salons WHERE id = $1",
    [salonId],
  );
  const tax = taxOf(salon.slug, salon.name_ar, salon.name_en, n);
  await tx.query(
    `UPDATE salons SET vat_registered = true, vat_number = $2, legal_name_ar = $3,
       legal_name_en = $4, cr_number = $5 WHERE id = $1`,
    [salonId, tax.vat, tax.ar, tax.en, tax.cr],
  );
  const visits = await tx.query<{ id: string; customer_id: string; ends_at: Date }>(
    `SELECT b.id, b.customer_id, b.ends_at FROM bookings b
     WHERE b.salon_id = $1 AND b.status = 'completed'
       AND NOT EXISTS (SELECT 1 FROM invoices i WHERE i.booking_id = b.id)
     ORDER BY b.ends_at, b.id`,
    [salonId],
  );
  for (const [i, visit] of visits.entries()) {
    const items = (await itemsOfBooking(tx, visit.id)).filter((it) => it.status === "active");
    const priced = priceInvoice(
      items.map((it) => ({ unitPriceHalalas: it.price_halalas, quantity: 1 })),
      0,
      STANDARD_VAT_BP,
    );
    const [customer] = await tx.query<{ name: string | null; phone: string | null }>(
      `SELECT nullif(${shownNameSql("u")}, '') AS name, ${shownPhoneSql("u")} AS phone
       FROM users u WHERE u.id = $1`,
      [visit.customer_id],
    );
    await insertInvoice(tx, {
      salonId,
      bookingId: visit.id,
      kind: "invoice",
      invoiceId: null,
      // Checked out a few minutes after the visit ended.
      issuedAt: new Date(visit.ends_at.getTime() + 5 * 60_000),
      issuedBy: null,
      customerId: visit.customer_id,
      customerName: customer?.name ?? null,
      customerPhone: customer?.phone ?? null,
      priced,
      drafts: items.map((it) => ({
        bookingItemId: it.id,
        serviceId: it.service_id,
        staffId: it.staff_id,
        descriptionAr: it.service_name_ar,
        descriptionEn: it.service_name_en,
        staffNameAr: it.staff_name_ar,
        staffNameEn: it.staff_name_en,
        unitPriceHalalas: it.price_halalas,
      })),
      discountReason: null,
      reason: null,
      payments: [{
        method: METHODS[i % METHODS.length],
        amountHalalas: priced.totalHalalas,
        paymentId: null,
      }],
    });
  }
  return visits.length;
}
