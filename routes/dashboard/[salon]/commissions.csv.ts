import { defineHandlers } from "@/routes/_define.ts";
import { commissionReport } from "@/services/dashboard/commissions.ts";
import { toCsv } from "@/services/dashboard/csv.ts";
import { moneyInput } from "../_fields.ts";
import { dashboardContext, type RouteAccess } from "../_guard.ts";
import { monthOf } from "./commissions.tsx";

export const access: RouteAccess = "manager";

/**
 * `/dashboard/:salon/commissions.csv?month=YYYY-MM`: the month's commission report as a CSV file
 * in the reader's language; amounts in SAR with two decimals, rates as `percent@from SAR` tiers.
 */
export const handler = defineHandlers({
  async GET(c) {
    const ctx = await dashboardContext(c, "manager");
    const { t, locale } = c.var.state;
    const month = monthOf(c, ctx);
    const report = await commissionReport(c.var.deps.db, ctx.actor, ctx.salon, month);
    const header = [
      "commission.month",
      "commission.staff",
      "commission.services",
      "commission.sales",
      "commission.credited",
      "commission.base",
      "commission.rate",
      "commission.amount",
    ] as const;
    const rows = report.rows.map((r) => [
      month,
      locale === "ar" ? r.nameAr : r.nameEn,
      r.services,
      moneyInput(r.salesHalalas),
      moneyInput(r.creditedHalalas),
      moneyInput(r.baseHalalas),
      // Basis points print like halalas: 3000 → "30.00" (percent).
      r.tiers.map((tier) => `${moneyInput(tier.rateBp)}@${moneyInput(tier.fromHalalas)}`).join(" "),
      moneyInput(r.commissionHalalas),
    ]);
    return c.body(toCsv(header.map((k) => t(k)), rows), 200, {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="commissions-${ctx.salon.slug}-${month}.csv"`,
      "cache-control": "no-store",
    });
  },
});
