/**
 * A salon's numbers over a range of local dates (the salon's zone, both ends included):
 *
 * - **Revenue online**: from the payments ledger (`payment_events`), by when the money moved:
 *   collected (+) and given back (−) in the range, and their difference (paid minus refunded).
 * - **Paid at the salon**, counted apart and labelled so: completed bookings (by start) with money
 *   taken at the salon. A visit checked out has an invoice: its counter payments (cash, card, STC
 *   Pay, bank transfer) as recorded on the invoice. A visit completed without checkout: its price
 *   minus the online amount due (`deposit_halalas`), an estimate (the app did not see the money).
 * - **Sales and VAT** (by when the documents were issued): invoices minus credit notes: totals
 *   including VAT, output VAT, net, and the money by payment method (online applied + counter);
 *   the method totals add up to the net sales exactly (every invoice's payments equal its total).
 * - **Bookings by status** (by start in the range, every status).
 * - **No-show rate**: no-shows over the appointments whose outcome was recorded (completed +
 *   no-show); null when there are none.
 * - **Utilization per staff member**: booked minutes over available minutes. Booked: the length of
 *   their bookings in the range that took their time (confirmed, completed, no-show). Available:
 *   their working time on each date (their own weekly hours, or the salon's) minus the salon's
 *   breaks, closures and their time off — the same schedule the calendar and the agenda's gaps use
 *   (services/dashboard/schedule.ts).
 * - **Top services** and **busiest hours** (by local start hour), over the same bookings as
 *   utilization.
 */
import type { Queryable } from "@/db/types.ts";
import { BOOKING_STATUSES, type BookingStatus } from "@/services/bookings/model.ts";
import { addDays } from "@/services/slots/load.ts";
import { authorizeSalon, type DashboardActor } from "./access.ts";
import { startOfLocalDay } from "./audit.ts";
import { type Interval, loadSchedule, subtract } from "./schedule.ts";

/** Statuses of bookings that took (or will take) a staff member's time. */
export const OCCUPYING: readonly BookingStatus[] = ["confirmed", "completed", "no_show"];

export interface ReportRange {
  /** Local dates, inclusive. */
  from: string;
  to: string;
}

export interface StaffUtilization {
  staffId: string;
  name_ar: string;
  name_en: string;
  bookedMinutes: number;
  availableMinutes: number;
  /** booked / available, or null when they had no available time. */
  rate: number | null;
}

export interface SalonReport {
  range: ReportRange & { days: number };
  timeZone: string;
  revenue: {
    /** Halalas collected online in the range (paid, captured). */
    collected: number;
    /** Halalas given back online in the range (refunds, voids of collected money). */
    refunded: number;
    /** collected − refunded. */
    net: number;
    /** Payments that collected money in the range. */
    payments: number;
    /** Completed bookings with a balance paid at the salon, and that balance (not seen by the app). */
    atSalon: { bookings: number; halalas: number };
  };
  sales: SalesReport;
  /** Every status, in lifecycle order, with its count (zeros included). */
  byStatus: { status: BookingStatus; count: number }[];
  bookings: number;
  noShow: { noShows: number; completed: number; rate: number | null };
  utilization: StaffUtilization[];
  topServices: {
    serviceId: string;
    name_ar: string;
    name_en: string;
    bookings: number;
    /** Sum of the prices of its completed bookings. */
    completedHalalas: number;
  }[];
  /** Local start hours from the first to the last with a booking (zeros between). */
  busiestHours: { hour: number; bookings: number }[];
}

/** Totals of the documents of one kind (or their difference). */
export interface DocumentTotals {
  count: number;
  total: number;
  vat: number;
  net: number;
}

/** Invoices and credit notes issued in the range, and what remains (invoices − credit notes). */
export interface SalesReport {
  invoices: DocumentTotals;
  creditNotes: DocumentTotals;
  /** invoices − credit notes (count: invoices). */
  net: DocumentTotals;
  /** Per method, money taken on invoices minus given back on credit notes (every method listed). */
  byMethod: { method: string; invoiced: number; credited: number; net: number }[];
}

export const SALES_METHODS = ["online", "cash", "card", "stc_pay", "bank_transfer"] as const;

/** Sales and output VAT from the issued documents between two instants (see the module comment). */
export async function loadSales(db: Queryable, salonId: string, from: Date, to: Date) {
  const params = [salonId, from, to];
  const kinds = await db.query<DocumentTotals & { kind: string }>(
    `SELECT kind, count(*)::int AS count, coalesce(sum(total_halalas), 0)::int AS total,
            coalesce(sum(vat_halalas), 0)::int AS vat, coalesce(sum(net_halalas), 0)::int AS net
     FROM invoices WHERE salon_id = $1 AND issued_at >= $2 AND issued_at < $3 GROUP BY kind`,
    params,
  );
  const methods = await db.query<{ kind: string; method: string; amount: number }>(
    `SELECT i.kind, p.method, coalesce(sum(p.amount_halalas), 0)::int AS amount
     FROM invoices i JOIN invoice_payments p ON p.invoice_id = i.id
     WHERE i.salon_id = $1 AND i.issued_at >= $2 AND i.issued_at < $3
     GROUP BY i.kind, p.method`,
    params,
  );
  const of = (kind: string): DocumentTotals => {
    const row = kinds.find((k) => k.kind === kind);
    return {
      count: row?.count ?? 0,
      total: row?.total ?? 0,
      vat: row?.vat ?? 0,
      net: row?.net ?? 0,
    };
  };
  const invoices = of("invoice");
  const creditNotes = of("credit_note");
  const amount = (kind: string, method: string) =>
    methods.find((m) => m.kind === kind && m.method === method)?.amount ?? 0;
  return {
    invoices,
    creditNotes,
    net: {
      count: invoices.count,
      total: invoices.total - creditNotes.total,
      vat: invoices.vat - creditNotes.vat,
      net: invoices.net - creditNotes.net,
    },
    byMethod: SALES_METHODS.map((method) => {
      const invoiced = amount("invoice", method);
      const credited = amount("credit_note", method);
      return { method, invoiced, credited, net: invoiced - credited };
    }),
  } satisfies SalesReport;
}

const minutes = (list: Interval[]) =>
  list.reduce((sum, i) => sum + Math.round((i.endMs - i.startMs) / 60_000), 0);

/**
 * The report for `range` (at most a year; the caller bounds it). Managers (and admins) only.
 * @throws ForbiddenError
 */
export async function loadSalonReport(
  db: Queryable,
  actor: DashboardActor,
  salon: { id: string; timezone: string },
  range: ReportRange,
): Promise<SalonReport> {
  await authorizeSalon(db, actor.user, salon.id, "manager");
  const tz = salon.timezone;
  const days = Temporal.PlainDate.from(range.from).until(range.to).days + 1;
  const from = startOfLocalDay(range.from, tz);
  const to = startOfLocalDay(addDays(range.to, 1), tz);
  const params = [salon.id, from, to];

  const [money] = await db.query<{ collected: number; refunded: number; payments: number }>(
    `SELECT coalesce(sum(e.amount_halalas) FILTER (WHERE e.amount_halalas > 0), 0)::int
              AS collected,
            coalesce(-sum(e.amount_halalas) FILTER (WHERE e.amount_halalas < 0), 0)::int
              AS refunded,
            count(DISTINCT e.payment_id) FILTER (WHERE e.amount_halalas > 0)::int AS payments
     FROM payment_events e JOIN payments p ON p.id = e.payment_id
     WHERE p.salon_id = $1 AND e.at >= $2 AND e.at < $3`,
    params,
  );
  const [atSalon] = await db.query<{ bookings: number; halalas: number }>(
    // A visit checked out counts its invoice's counter payments; one completed without checkout
    // the estimate of price minus the deposit due online.
    `SELECT count(*)::int AS bookings, coalesce(sum(balance), 0)::int AS halalas
     FROM (SELECT CASE WHEN i.id IS NOT NULL
                    THEN (SELECT coalesce(sum(p.amount_halalas), 0) FROM invoice_payments p
                          WHERE p.invoice_id = i.id AND p.method <> 'online')
                    ELSE b.price_halalas - CASE WHEN b.payment_mode = 'at_salon' THEN 0
                                                ELSE b.deposit_halalas END
                  END AS balance
           FROM bookings b
           LEFT JOIN invoices i ON i.booking_id = b.id AND i.kind = 'invoice'
           WHERE b.salon_id = $1 AND b.status = 'completed' AND b.starts_at >= $2
             AND b.starts_at < $3)
       AS b
     WHERE balance > 0`,
    params,
  );

  const statusRows = await db.query<{ status: BookingStatus; count: number }>(
    `SELECT status, count(*)::int AS count FROM bookings
     WHERE salon_id = $1 AND starts_at >= $2 AND starts_at < $3 GROUP BY status`,
    params,
  );
  const byStatus = BOOKING_STATUSES.map((status) => ({
    status,
    count: statusRows.find((r) => r.status === status)?.count ?? 0,
  }));
  const count = (s: BookingStatus) => byStatus.find((r) => r.status === s)!.count;
  const noShows = count("no_show");
  const completed = count("completed");

  const occupying = [...OCCUPYING];
  const booked = await db.query<{ staff_id: string; minutes: number }>(
    // Per service done (a visit's items each count for their own staff member).
    `SELECT i.staff_id,
            coalesce(sum(round(extract(epoch FROM i.ends_at - i.starts_at) / 60)), 0)::int
              AS minutes
     FROM booking_items i JOIN bookings b ON b.id = i.booking_id
     WHERE i.salon_id = $1 AND i.starts_at >= $2 AND i.starts_at < $3 AND i.status = 'active'
       AND b.status = ANY($4::text[])
     GROUP BY i.staff_id`,
    [...params, occupying],
  );
  const schedule = await loadSchedule(db, actor, salon.id, { fromDate: range.from, days });
  const staffNames = await db.query<{ id: string; name_ar: string; name_en: string }>(
    "SELECT id, name_ar, name_en FROM staff WHERE salon_id = $1 ORDER BY sort_order, name_en, id",
    [salon.id],
  );
  const utilization: StaffUtilization[] = [];
  for (const st of staffNames) {
    const scheduled = schedule.staff.find((s) => s.id === st.id);
    const bookedMinutes = booked.find((b) => b.staff_id === st.id)?.minutes ?? 0;
    let availableMinutes = 0;
    if (scheduled) {
      const off = [...schedule.closures, ...scheduled.timeOff];
      for (const date of schedule.dates) {
        availableMinutes += minutes(subtract(scheduled.working[date] ?? [], off));
      }
    }
    if (!scheduled && bookedMinutes === 0) continue;
    utilization.push({
      staffId: st.id,
      name_ar: st.name_ar,
      name_en: st.name_en,
      bookedMinutes,
      availableMinutes,
      rate: availableMinutes > 0 ? bookedMinutes / availableMinutes : null,
    });
  }

  const topServices = (await db.query<
    {
      service_id: string;
      name_ar: string;
      name_en: string;
      bookings: number;
      completed_halalas: number;
    }
  >(
    // Counted per service done: a visit of three services counts once for each.
    `SELECT i.service_id, v.name_ar, v.name_en, count(*)::int AS bookings,
            coalesce(sum(i.price_halalas) FILTER (WHERE b.status = 'completed'), 0)::int
              AS completed_halalas
     FROM booking_items i JOIN bookings b ON b.id = i.booking_id
     JOIN services v ON v.id = i.service_id
     WHERE i.salon_id = $1 AND i.starts_at >= $2 AND i.starts_at < $3 AND i.status = 'active'
       AND b.status = ANY($4::text[])
     GROUP BY i.service_id, v.name_ar, v.name_en
     ORDER BY bookings DESC, completed_halalas DESC, v.name_en, i.service_id
     LIMIT 10`,
    [...params, occupying],
  )).map((r) => ({
    serviceId: r.service_id,
    name_ar: r.name_ar,
    name_en: r.name_en,
    bookings: r.bookings,
    completedHalalas: r.completed_halalas,
  }));

  // Start times grouped in SQL, local hours with Temporal (any zone, DST included).
  const starts = await db.query<{ ms: number; n: number }>(
    `SELECT extract(epoch FROM starts_at)::float8 * 1000 AS ms, count(*)::int AS n
     FROM bookings
     WHERE salon_id = $1 AND starts_at >= $2 AND starts_at < $3 AND status = ANY($4::text[])
     GROUP BY starts_at`,
    [...params, occupying],
  );
  const perHour = new Array<number>(24).fill(0);
  for (const { ms, n } of starts) {
    perHour[Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO(tz).hour] += n;
  }
  const used = perHour.flatMap((n, hour) => (n > 0 ? [hour] : []));
  const busiestHours = used.length
    ? perHour.slice(used[0], used[used.length - 1] + 1).map((bookings, i) => ({
      hour: used[0] + i,
      bookings,
    }))
    : [];

  return {
    range: { ...range, days },
    timeZone: tz,
    revenue: {
      collected: money.collected,
      refunded: money.refunded,
      net: money.collected - money.refunded,
      payments: money.payments,
      atSalon,
    },
    sales: await loadSales(db, salon.id, from, to),
    byStatus,
    bookings: byStatus.reduce((sum, r) => sum + r.count, 0),
    noShow: {
      noShows,
      completed,
      rate: noShows + completed > 0 ? noShows / (noShows + completed) : null,
    },
    utilization,
    topServices,
    busiestHours,
  };
}
