import type { Db, Queryable } from "@/db/types.ts";
import { authorizeSalon, type DashboardActor } from "@/services/dashboard/access.ts";
import { asManager } from "@/services/dashboard/catalog.ts";
import type { MessageKey } from "@/i18n/mod.ts";
import { NotFoundError, ValidationError } from "@/services/errors.ts";

/** A salon's tax identity: what its invoices print as the seller. */
export interface TaxSettings {
  vat_registered: boolean;
  vat_number: string | null;
  legal_name_ar: string | null;
  legal_name_en: string | null;
  cr_number: string | null;
  address_ar: string;
  address_en: string;
}

const COLUMNS = [
  "vat_registered",
  "vat_number",
  "legal_name_ar",
  "legal_name_en",
  "cr_number",
  "address_ar",
  "address_en",
] as const;

/** 15 digits, the first and the last a 3 (ZATCA's form of a VAT registration number). */
export const VAT_NUMBER = /^3\d{13}3$/;
/** A commercial registration number: 10 digits. */
export const CR_NUMBER = /^\d{10}$/;

async function readTax(db: Queryable, salonId: string, lock = false): Promise<TaxSettings> {
  const [row] = await db.query<TaxSettings>(
    `SELECT ${COLUMNS.join(", ")} FROM salons WHERE id = $1 ${lock ? "FOR UPDATE" : ""}`,
    [salonId],
  );
  if (!row) throw new NotFoundError();
  return row;
}

/** The tax settings page (managers). */
export async function getTaxSettings(
  db: Queryable,
  actor: DashboardActor,
  salonId: string,
): Promise<TaxSettings> {
  await authorizeSalon(db, actor.user, salonId, "manager");
  return await readTax(db, salonId);
}

/**
 * Checks the tax identity a salon gives: a VAT number of ZATCA's form (15 digits, first and last
 * 3), a 10-digit CR number, and, when VAT-registered, a VAT number and an Arabic legal name (the
 * invoice's seller). Empty optional fields are null.
 *
 * @throws ValidationError with the fields at fault.
 */
export function validateTax(input: TaxSettings): TaxSettings {
  const blank = (v: string | null) => (v === null || v.trim() === "" ? null : v.trim());
  const out: TaxSettings = {
    ...input,
    vat_number: blank(input.vat_number),
    legal_name_ar: blank(input.legal_name_ar),
    legal_name_en: blank(input.legal_name_en),
    cr_number: blank(input.cr_number),
  };
  const fields: Record<string, MessageKey[]> = {};
  if (out.vat_number !== null && !VAT_NUMBER.test(out.vat_number)) {
    fields.vat_number = ["tax.error.vatNumber"];
  }
  if (out.vat_registered && out.vat_number === null) fields.vat_number = ["tax.error.vatNumber"];
  if (out.vat_registered && out.legal_name_ar === null) {
    fields.legal_name_ar = ["tax.error.legalName"];
  }
  if (out.cr_number !== null && !CR_NUMBER.test(out.cr_number)) fields.cr_number = ["tax.error.cr"];
  if (Object.keys(fields).length) throw new ValidationError(fields);
  return out;
}

/**
 * Saves the salon's tax settings in one transaction (the salon row locked), audited as
 * `salon.tax` with before and after. Invoices already issued keep the seller they printed.
 *
 * @throws ValidationError (see validateTax); ForbiddenError for anyone but a manager.
 */
export function updateTaxSettings(
  db: Db,
  actor: DashboardActor,
  salonId: string,
  input: TaxSettings,
): Promise<TaxSettings> {
  const valid = validateTax(input);
  return asManager(db, actor, salonId, async (tx) => {
    const before = await readTax(tx, salonId, true);
    await tx.query(
      `UPDATE salons SET vat_registered = $2, vat_number = $3, legal_name_ar = $4,
         legal_name_en = $5, cr_number = $6, address_ar = $7, address_en = $8, updated_at = $9
       WHERE id = $1`,
      [
        salonId,
        valid.vat_registered,
        valid.vat_number,
        valid.legal_name_ar,
        valid.legal_name_en,
        valid.cr_number,
        valid.address_ar,
        valid.address_en,
        actor.now,
      ],
    );
    const after = await readTax(tx, salonId);
    return {
      result: after,
      audit: JSON.stringify(before) === JSON.stringify(after)
        ? null
        : { action: "salon.tax", entity: "salon", entityId: salonId, before, after },
    };
  });
}
