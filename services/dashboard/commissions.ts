/**
 * Staff commissions (issue #22): each staff member's rate on the services they did, optionally
 * tiered by their month's sales, and the report per month from checked-out invoices: the lines
 * they did, after the discount spread over the lines, net of VAT, minus what credit notes gave
 * back in the same month.
 */
import type { Db, Queryable } from "@/db/types.ts";
import type { MessageKey } from "@/i18n/mod.ts";
import { authorizeSalon, type DashboardActor } from "@/services/dashboard/access.ts";
import { startOfLocalDay } from "@/services/dashboard/audit.ts";
import { asManager } from "@/services/dashboard/catalog.ts";
import { NotFoundError, ValidationError } from "@/services/errors.ts";
import { isUuid } from "@/services/ids.ts";

/** A rate (basis points: 3000 = 30 %) on the month's sales from `fromHalalas` up to the next tier. */
export interface CommissionTier {
  fromHalalas: number;
  rateBp: number;
}

export const MAX_TIERS = 5;

/**
 * The commission on a month's sales `base` (halalas, net of VAT): each tier's rate on the part of
 * the base inside the tier, summed exactly and rounded once, half up, to the halala. A negative
 * base (more given back than sold in the month) claws back at the first tier's rate.
 */
export function commissionOn(baseHalalas: number, tiers: readonly CommissionTier[]): number {
  if (tiers.length === 0) return 0;
  if (baseHalalas < 0) return -commissionOn(-baseHalalas, tiers.slice(0, 1));
  let scaled = 0; // halalas × basis points: exact in a double below 2^53
  tiers.forEach((tier, i) => {
    const upTo = i + 1 < tiers.length ? tiers[i + 1].fromHalalas : Infinity;
    const part = Math.min(baseHalalas, upTo) - tier.fromHalalas;
    if (part > 0) scaled += part * tier.rateBp;
  });
  return Math.floor((scaled + 5000) / 10000);
}

/**
 * Checks a rate schedule: one to five tiers, the first from 0, thresholds rising, rates between 0
 * and 100 %, whole halalas and basis points.
 * @throws ValidationError with the field keys `rate_<i>` / `from_<i>`.
 */
export function validateTiers(tiers: readonly CommissionTier[]): CommissionTier[] {
  const fields: Record<string, MessageKey[]> = {};
  if (tiers.length < 1 || tiers.length > MAX_TIERS) fields.rate_0 = ["commission.error.tiers"];
  tiers.forEach((tier, i) => {
    if (!Number.isSafeInteger(tier.rateBp) || tier.rateBp < 0 || tier.rateBp > 10000) {
      fields[`rate_${i}`] = ["commission.error.rate"];
    }
    const from = i === 0 ? 0 : tiers[i - 1].fromHalalas;
    const rising = i === 0 ? tier.fromHalalas === 0 : tier.fromHalalas > from;
    if (!Number.isSafeInteger(tier.fromHalalas) || !rising) {
      fields[`from_${i}`] = ["commission.error.threshold"];
    }
  });
  if (Object.keys(fields).length > 0) throw new ValidationError(fields);
  return tiers.map(({ fromHalalas, rateBp }) => ({ fromHalalas, rateBp }));
}

interface TierRow {
  from_halalas: number;
  rate_bp: number;
}

const toTiers = (rows: TierRow[] | null): CommissionTier[] =>
  (rows ?? []).map((r) => ({ fromHalalas: r.from_halalas, rateBp: r.rate_bp }));

/**
 * Sets (or with no tiers, removes) a staff member's commission, in one transaction, audited as
 * `staff.commission` with before and after. Managers only.
 * @throws ValidationError for a bad schedule; NotFoundError for a staff member of another salon.
 */
export function setCommission(
  db: Db,
  actor: DashboardActor,
  salonId: string,
  staffId: string,
  tiers: readonly CommissionTier[],
): Promise<CommissionTier[]> {
  const valid = tiers.length === 0 ? [] : validateTiers(tiers);
  return asManager(db, actor, salonId, async (tx) => {
    if (!isUuid(staffId)) throw new NotFoundError();
    const [staff] = await tx.query<{ tiers: TierRow[] | null }>(
      `SELECT c.tiers FROM staff s LEFT JOIN staff_commissions c ON c.staff_id = s.id
        WHERE s.id = $1 AND s.salon_id = $2 FOR UPDATE OF s`,
      [staffId, salonId],
    );
    if (!staff) throw new NotFoundError();
    const before = toTiers(staff.tiers);
    if (valid.length === 0) {
      await tx.query("DELETE FROM staff_commissions WHERE staff_id = $1", [staffId]);
    } else {
      const json = valid.map((t) => ({ from_halalas: t.fromHalalas, rate_bp: t.rateBp }));
      await tx.query(
        `INSERT INTO staff_commissions (staff_id, salon_id, tiers, updated_at)
         VALUES ($1, $2, $3::text::jsonb, $4)
         ON CONFLICT (staff_id) DO UPDATE SET tiers = EXCLUDED.tiers, updated_at = EXCLUDED.updated_at`,
        [staffId, salonId, JSON.stringify(json), actor.now],
      );
    }
    const changed = JSON.stringify(before) !== JSON.stringify(valid);
    return {
      result: valid,
      audit: changed
        ? {
          action: "staff.commission",
          entity: "staff",
          entityId: staffId,
          before: { tiers: before },
          after: { tiers: valid },
        }
        : null,
    };
  });
}

export interface CommissionRow {
  staffId: string;
  nameAr: string;
  nameEn: string;
  active: boolean;
  tiers: CommissionTier[];
  /** Lines on the month's invoices, net of VAT, after discounts. */
  salesHalalas: number;
  /** Lines on the month's credit notes, net of VAT. */
  creditedHalalas: number;
  /** What commission is counted on: sales minus credited. */
  baseHalalas: number;
  commissionHalalas: number;
  /** Services done (invoice lines, quantities summed). */
  services: number;
}

export interface CommissionReport {
  month: string;
  from: Date;
  to: Date;
  rows: CommissionRow[];
  totals: { salesHalalas: number; creditedHalalas: number; commissionHalalas: number };
}

/** The first instant of `month` (YYYY-MM) and of the next, in the salon's zone. */
export function monthBounds(month: string, timeZone: string): { from: Date; to: Date } {
  const start = Temporal.PlainYearMonth.from(month);
  return {
    from: startOfLocalDay(start.toPlainDate({ day: 1 }).toString(), timeZone),
    to: startOfLocalDay(start.add({ months: 1 }).toPlainDate({ day: 1 }).toString(), timeZone),
  };
}

/**
 * The month's commission per staff member who has a rate or did a service in it (documents issued
 * in the month, in the salon's zone). Managers only.
 */
export async function commissionReport(
  db: Queryable,
  actor: DashboardActor,
  salon: { id: string; timezone: string },
  month: string,
): Promise<CommissionReport> {
  await authorizeSalon(db, actor.user, salon.id, "manager");
  const { from, to } = monthBounds(month, salon.timezone);
  const rows = await db.query<{
    staff_id: string;
    name_ar: string;
    name_en: string;
    active: boolean;
    tiers: TierRow[] | null;
    sales: number;
    credited: number;
    services: number;
  }>(
    `WITH done AS (
       SELECT l.staff_id,
              sum(l.net_halalas) FILTER (WHERE i.kind = 'invoice')::int AS sales,
              sum(l.net_halalas) FILTER (WHERE i.kind = 'credit_note')::int AS credited,
              sum(l.quantity) FILTER (WHERE i.kind = 'invoice')::int AS services
         FROM invoices i JOIN invoice_lines l ON l.invoice_id = i.id
        WHERE i.salon_id = $1 AND i.issued_at >= $2 AND i.issued_at < $3
          AND l.staff_id IS NOT NULL
        GROUP BY l.staff_id
     )
     SELECT s.id AS staff_id, s.name_ar, s.name_en, s.active, c.tiers,
            coalesce(d.sales, 0) AS sales, coalesce(d.credited, 0) AS credited,
            coalesce(d.services, 0) AS services
       FROM staff s
       LEFT JOIN staff_commissions c ON c.staff_id = s.id
       LEFT JOIN done d ON d.staff_id = s.id
      WHERE s.salon_id = $1 AND (s.active OR d.staff_id IS NOT NULL OR c.staff_id IS NOT NULL)
      ORDER BY s.name_en, s.id`,
    [salon.id, from, to],
  );
  const out = rows.map((r): CommissionRow => {
    const tiers = toTiers(r.tiers);
    const base = r.sales - r.credited;
    return {
      staffId: r.staff_id,
      nameAr: r.name_ar,
      nameEn: r.name_en,
      active: r.active,
      tiers,
      salesHalalas: r.sales,
      creditedHalalas: r.credited,
      baseHalalas: base,
      commissionHalalas: commissionOn(base, tiers),
      services: r.services,
    };
  });
  const sum = (f: (r: CommissionRow) => number) => out.reduce((a, r) => a + f(r), 0);
  return {
    month,
    from,
    to,
    rows: out,
    totals: {
      salesHalalas: sum((r) => r.salesHalalas),
      creditedHalalas: sum((r) => r.creditedHalalas),
      commissionHalalas: sum((r) => r.commissionHalalas),
    },
  };
}
