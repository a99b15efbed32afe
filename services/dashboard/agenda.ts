/**
 * Today at a glance for the front desk, in the salon's zone: who comes next, who is late (or not
 * yet marked), where the gaps are, and which bookings still wait for an online payment.
 */
import type { Queryable } from "@/db/types.ts";
import { type BookingDetails, ITEMS_SQL, withItemDates } from "@/services/bookings/queries.ts";
import { customerColumnsSql } from "@/services/people.ts";
import { localDateOf } from "@/services/slots/load.ts";
import type { DashboardActor, SalonAccess } from "./access.ts";
import { listSalonBookings } from "./bookings.ts";
import { freeIntervals, type Interval, loadSchedule } from "./schedule.ts";

export interface AgendaGap extends Interval {
  staffId: string;
  name_ar: string;
  name_en: string;
}

export interface Agenda {
  date: string;
  /** Active bookings today not yet started, and the ones in progress, soonest first. */
  next: BookingDetails[];
  /** Confirmed bookings today whose start has passed and that nobody marked completed or no-show. */
  late: BookingDetails[];
  /** Free time left today per staff member (at least one slot step, and 15 minutes). */
  gaps: AgendaGap[];
  /** Managers only: bookings whose time is held for an online payment that has not come yet. */
  pending: BookingDetails[];
  counts: { total: number; completed: number; noShow: number; cancelled: number };
  access: SalonAccess;
}

/**
 * Builds the agenda for the local date of `actor.now`. Staff get their own bookings and gaps and
 * no payment list.
 * @throws ForbiddenError for someone who does not work at the salon.
 */
export async function loadAgenda(
  db: Queryable,
  actor: DashboardActor,
  salon: { id: string; timezone: string },
): Promise<Agenda> {
  const nowMs = actor.now.getTime();
  const date = localDateOf(actor.now, salon.timezone);
  const schedule = await loadSchedule(db, actor, salon.id, { fromDate: date, days: 1 });
  const { access } = schedule;
  const { rows } = await listSalonBookings(db, actor, salon.id, { from: date, to: date });
  const live = (b: BookingDetails) =>
    b.status === "confirmed" ||
    (b.status === "pending" && (!b.hold_expires_at || b.hold_expires_at.getTime() > nowMs));
  const next = rows.filter((b) =>
    live(b) && b.ends_at.getTime() > nowMs &&
    !(b.status === "confirmed" && b.starts_at.getTime() <= nowMs)
  );
  const late = rows.filter((b) => b.status === "confirmed" && b.starts_at.getTime() <= nowMs);

  const minMinutes = Math.max(15, schedule.slotStepMinutes);
  const gaps: AgendaGap[] = [];
  for (const st of schedule.staff) {
    for (const free of freeIntervals(schedule, st, date, nowMs, minMinutes)) {
      gaps.push({ ...free, staffId: st.id, name_ar: st.name_ar, name_en: st.name_en });
    }
  }
  gaps.sort((a, b) => a.startMs - b.startMs);

  const pending = access.role === "manager"
    ? await db.query<BookingDetails>(
      `SELECT b.*, v.name_ar AS service_name_ar, v.name_en AS service_name_en,
              st.name_ar AS staff_name_ar, st.name_en AS staff_name_en,
              ${customerColumnsSql("u")}, ${ITEMS_SQL}
       FROM bookings b
       JOIN services v ON v.id = b.service_id
       JOIN staff st ON st.id = b.staff_id
       LEFT JOIN users u ON u.id = b.customer_id
       WHERE b.salon_id = $1 AND b.status = 'pending' AND b.hold_expires_at > $2
       ORDER BY b.hold_expires_at, b.id LIMIT 50`,
      [salon.id, actor.now],
    ).then((rows) => rows.map(withItemDates))
    : [];

  return {
    date,
    next,
    late,
    gaps,
    pending,
    counts: {
      total: rows.filter((b) => b.status !== "expired").length,
      completed: rows.filter((b) => b.status === "completed").length,
      noShow: rows.filter((b) => b.status === "no_show").length,
      cancelled: rows.filter((b) => b.status === "cancelled").length,
    },
    access,
  };
}
