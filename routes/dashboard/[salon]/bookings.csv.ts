import { customerLabel, customerPhone } from "@/components/dashboard/people.ts";
import { defineHandlers } from "@/routes/_define.ts";
import { listSalonBookings } from "@/services/dashboard/bookings.ts";
import { toCsv } from "@/services/dashboard/csv.ts";
import { moneyInput } from "../_fields.ts";
import { dashboardContext, type RouteAccess } from "../_guard.ts";
import { filtersOf } from "./bookings/index.tsx";

/** Phone numbers and money: managers only. */
export const access: RouteAccess = "manager";

/** Rows one export holds at most (a year of a busy salon). */
const MAX_ROWS = 5000;

/**
 * `/dashboard/:salon/bookings.csv?…`: the bookings search (same filters) as a CSV file in the
 * reader's language, times in the salon's zone, amounts in SAR with two decimals. Every field is
 * escaped (services/dashboard/csv.ts), including against formula injection.
 */
export const handler = defineHandlers({
  async GET(c) {
    const ctx = await dashboardContext(c, "manager");
    const { t, locale } = c.var.state;
    const ar = locale === "ar";
    const filter = { ...filtersOf(c, ctx.salon, ctx.actor.now), limit: MAX_ROWS };
    const { rows } = await listSalonBookings(c.var.deps.db, ctx.actor, ctx.salon.id, filter);
    const tz = ctx.salon.timezone;
    const local = (d: Date) =>
      Temporal.Instant.fromEpochMilliseconds(d.getTime()).toZonedDateTimeISO(tz).toPlainDateTime()
        .toString({ smallestUnit: "minute" });
    const header = [
      "dash.csv.id",
      "dash.csv.date",
      "dash.csv.start",
      "dash.csv.end",
      "dash.csv.service",
      "dash.csv.staff",
      "dash.csv.customer",
      "dash.csv.phone",
      "dash.csv.status",
      "dash.csv.price",
      "dash.csv.deposit",
      "dash.csv.payment",
      "dash.csv.source",
      "dash.csv.cancelReason",
    ] as const;
    const body = rows.map((b) => {
      const start = local(b.starts_at);
      return [
        b.id,
        start.slice(0, 10),
        start.slice(11),
        local(b.ends_at).slice(11),
        ar ? b.service_name_ar : b.service_name_en,
        ar ? b.staff_name_ar : b.staff_name_en,
        customerLabel(t, b),
        customerPhone(b),
        t(`booking.status.${b.status}`),
        moneyInput(b.price_halalas),
        moneyInput(b.deposit_halalas),
        t(`dash.payment.${b.payment_mode}`),
        t(`dash.source.${b.source}`),
        b.cancel_reason,
      ];
    });
    const name = `bookings-${ctx.salon.slug}-${filter.from}-${filter.to}.csv`;
    return c.body(toCsv(header.map((k) => t(k)), body), 200, {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${name}"`,
      "cache-control": "no-store",
    });
  },
});
