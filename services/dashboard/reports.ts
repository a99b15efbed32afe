/**
 * A salon's numbers over a range of local dates (the salon's zone, both ends included):
 *
 * - **Revenue online**: from the payments ledger (`payment_events`), by when the money moved:
 *   collected (+) and given back (−) in the range, and their difference (paid minus refunded).
 * - **Paid at the salon**, counted apart and labelled so: completed bookings (by start) whose price
 *   was not (all) due online: their price minus the online amount due (`deposit_halalas`). The app
 *   does not see this money change hands.
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
    `SELECT count(*)::int AS bookings, coalesce(sum(balance), 0)::int AS halalas
     FROM (SELECT price_halalas - CASE WHEN payment_mode = 'at_salon' THEN 0
                                       ELSE deposit_halalas END AS balance
           FROM bookings
           WHERE salon_id = $1 AND status = 'completed' AND starts_at >= $2 AND starts_at < $3)
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
