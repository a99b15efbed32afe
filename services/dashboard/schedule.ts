/**
 * A salon's schedule over some local days, for the agenda and the calendar: per staff member their
 * working time (their own hours or the salon's), breaks, time off and bookings, plus the salon's
 * closures, all as instants, computed in the salon's zone with Temporal (DST-safe).
 */
import type { Queryable } from "@/db/types.ts";
import type { BookingStatus } from "@/services/bookings/model.ts";
import { addDays, MAX_APPOINTMENT_MS } from "@/services/slots/load.ts";
import { authorizeSalon, type DashboardActor, type SalonAccess } from "./access.ts";
import { isUuid } from "@/services/ids.ts";
import {
  type CustomerColumns,
  deletedSql,
  shownNameSql,
  shownPhoneSql,
} from "@/services/people.ts";

export interface Interval {
  startMs: number;
  endMs: number;
}

/** [a) minus every interval of `cut`; both sorted or not, result sorted. */
export function subtract(from: Interval[], cut: Interval[]): Interval[] {
  let pieces = [...from].sort((a, b) => a.startMs - b.startMs);
  for (const c of cut) {
    const next: Interval[] = [];
    for (const p of pieces) {
      if (c.endMs <= p.startMs || c.startMs >= p.endMs) {
        next.push(p);
        continue;
      }
      if (c.startMs > p.startMs) next.push({ startMs: p.startMs, endMs: c.startMs });
      if (c.endMs < p.endMs) next.push({ startMs: c.endMs, endMs: p.endMs });
    }
    pieces = next;
  }
  return pieces;
}

/** The instant of a wall-clock minute (0–1440) of a local date in `timeZone`. */
export function localInstant(date: string, minute: number, timeZone: string): number {
  const day = Temporal.PlainDate.from(date).add({ days: Math.floor(minute / 1440) });
  const m = ((minute % 1440) + 1440) % 1440;
  return day.toZonedDateTime({
    timeZone,
    plainTime: new Temporal.PlainTime(Math.floor(m / 60), m % 60),
  }).epochMilliseconds;
}

/** ISO weekday (1 = Monday … 7 = Sunday) of a local date. */
export function weekdayOf(date: string): number {
  return Temporal.PlainDate.from(date).dayOfWeek;
}

/**
 * Minutes since local midnight of `date` on the wall clock, clamped to the day (0–1440): where
 * the calendar draws an instant.
 */
export function wallMinute(ms: number, date: string, timeZone: string): number {
  if (ms <= localInstant(date, 0, timeZone)) return 0;
  if (ms >= localInstant(date, 1440, timeZone)) return 1440;
  const t = Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO(timeZone);
  return t.hour * 60 + t.minute;
}

/** One service of a visit on its staff member's schedule (a one-service booking is one). */
export interface ScheduleBooking extends CustomerColumns {
  /** The booking's id (the visit's). */
  id: string;
  item_id: string;
  staff_id: string;
  /** This service's place in the visit (1-based) and the visit's number of services. */
  visit_position: number;
  visit_items: number;
  /** A named guest's name, for a guest's service. */
  guest_name: string | null;
  status: BookingStatus;
  starts_at: Date;
  ends_at: Date;
  hold_expires_at: Date | null;
  /** The time it blocks: the appointment widened by the service's buffers. */
  block: Interval;
  source: "online" | "salon";
  service_name_ar: string;
  service_name_en: string;
}

export interface StaffSchedule {
  id: string;
  name_ar: string;
  name_en: string;
  /** Per local date: when they work (hours minus salon breaks). */
  working: Record<string, Interval[]>;
  timeOff: (Interval & { reason: string })[];
  bookings: ScheduleBooking[];
}

export interface Schedule {
  timeZone: string;
  dates: string[];
  staff: StaffSchedule[];
  closures: (Interval & { reason_ar: string; reason_en: string })[];
  /** Salon breaks as instants, per local date. */
  breaks: Record<string, (Interval & { label_ar: string; label_en: string })[]>;
  slotStepMinutes: number;
  access: SalonAccess;
}

interface Loaded {
  salon: { timezone: string; slot_step_minutes: number };
  hours: [number, number, number][];
  breaks: [number | null, number, number, string, string][];
  closures: [number, number, string, string][];
  staff: {
    id: string;
    name_ar: string;
    name_en: string;
    custom_hours: boolean;
    hours: [number, number, number][];
    time_off: [number, number, string][];
  }[];
  bookings: (Omit<ScheduleBooking, "starts_at" | "ends_at" | "hold_expires_at" | "block"> & {
    starts_ms: number;
    ends_ms: number;
    hold_ms: number | null;
    block_start_ms: number;
    block_end_ms: number;
  })[];
}

const MS = (col: string) => `extract(epoch FROM ${col})::float8 * 1000`;

/**
 * Loads the schedule for `days` local dates from `fromDate`. Staff see only their own column;
 * `staffId` narrows a manager's view to one person. Bookings shown are the ones that still mean
 * something on a calendar: active (pending only while its hold lasts), completed and no-shows.
 * @throws ForbiddenError for someone who does not work at the salon.
 */
export async function loadSchedule(
  db: Queryable,
  actor: DashboardActor,
  salonId: string,
  opts: { fromDate: string; days: number; staffId?: string | null },
): Promise<Schedule> {
  const access = await authorizeSalon(db, actor.user, salonId, "staff");
  const dates = Array.from({ length: opts.days }, (_, i) => addDays(opts.fromDate, i));
  const only = access.role === "staff"
    ? access.staffId ?? "00000000-0000-0000-0000-000000000000"
    : opts.staffId && isUuid(opts.staffId)
    ? opts.staffId
    : null;
  const [tzRow] = await db.query<{ timezone: string }>(
    "SELECT timezone FROM salons WHERE id = $1",
    [salonId],
  );
  const timeZone = tzRow.timezone;
  const windowStart = new Date(localInstant(dates[0], 0, timeZone));
  const windowEnd = new Date(localInstant(dates[dates.length - 1], 1440, timeZone));
  const [row] = await db.query<Loaded>(
    `SELECT
      (SELECT json_build_object('timezone', timezone, 'slot_step_minutes', slot_step_minutes)
         FROM salons WHERE id = $1) AS salon,
      (SELECT coalesce(json_agg(json_build_array(weekday, start_minute, end_minute)), '[]'::json)
         FROM salon_hours WHERE salon_id = $1) AS hours,
      (SELECT coalesce(json_agg(json_build_array(weekday, start_minute, end_minute, label_ar,
                 label_en)), '[]'::json)
         FROM salon_breaks WHERE salon_id = $1) AS breaks,
      (SELECT coalesce(json_agg(json_build_array(${MS("starts_at")}, ${MS("ends_at")}, reason_ar,
                 reason_en) ORDER BY starts_at), '[]'::json)
         FROM salon_closures WHERE salon_id = $1 AND starts_at < $3 AND ends_at > $2) AS closures,
      (SELECT coalesce(json_agg(json_build_object(
          'id', st.id, 'name_ar', st.name_ar, 'name_en', st.name_en,
          'custom_hours', st.custom_hours,
          'hours', (SELECT coalesce(json_agg(json_build_array(weekday, start_minute, end_minute)),
                      '[]'::json) FROM staff_hours WHERE staff_id = st.id),
          'time_off', (SELECT coalesce(json_agg(json_build_array(${MS("starts_at")},
                         ${MS("ends_at")}, reason) ORDER BY starts_at), '[]'::json)
                       FROM staff_time_off
                       WHERE staff_id = st.id AND starts_at < $3 AND ends_at > $2))
          ORDER BY st.sort_order, st.name_en, st.id), '[]'::json)
       FROM staff st
       WHERE st.salon_id = $1 AND ($4::uuid IS NULL OR st.id = $4)
         -- Scoped to the salon: unscoped, the planner prices this as a scan of every salon's
         -- bookings, and a cost that high makes Postgres JIT-compile the query on every run.
         AND (st.active OR EXISTS (SELECT 1 FROM booking_items i WHERE i.staff_id = st.id
               AND i.salon_id = $1 AND i.starts_at > $6 AND i.starts_at < $3
               AND i.ends_at > $2))) AS staff,
      (SELECT coalesce(json_agg(json_build_object(
          'id', b.id, 'item_id', i.id, 'staff_id', i.staff_id, 'status', b.status,
          'starts_ms', ${MS("i.starts_at")}, 'ends_ms', ${MS("i.ends_at")},
          'hold_ms', ${MS("b.hold_expires_at")}, 'source', b.source,
          'block_start_ms', ${MS("i.block_start")}, 'block_end_ms', ${MS("i.block_end")},
          'service_name_ar', v.name_ar, 'service_name_en', v.name_en,
          'visit_position', (SELECT count(*) FROM booking_items x
                             WHERE x.booking_id = b.id AND x.status = 'active'
                               AND x.position <= i.position),
          'visit_items', (SELECT count(*) FROM booking_items x
                          WHERE x.booking_id = b.id AND x.status = 'active'),
          'guest_name', g.name,
          'customer_name', ${shownNameSql("u")}, 'customer_phone', ${shownPhoneSql("u")},
          'customer_deleted', ${deletedSql("u")}) ORDER BY i.starts_at, i.id), '[]'::json)
       FROM booking_items i
       JOIN bookings b ON b.id = i.booking_id
       JOIN services v ON v.id = i.service_id
       LEFT JOIN booking_guests g ON g.booking_id = i.booking_id AND g.position = i.guest
       LEFT JOIN users u ON u.id = b.customer_id
       -- Bounded from below through the longest a service can last (a CHECK on booking_items),
       -- so the salon's history is never read.
       WHERE i.salon_id = $1 AND i.starts_at > $6 AND i.starts_at < $3 AND i.ends_at > $2
         AND ($4::uuid IS NULL OR i.staff_id = $4) AND i.status = 'active'
         AND b.status IN ('pending', 'confirmed', 'completed', 'no_show')
         AND (b.status <> 'pending' OR b.hold_expires_at IS NULL OR b.hold_expires_at > $5))
         AS bookings`,
    [
      salonId,
      windowStart,
      windowEnd,
      only,
      actor.now,
      new Date(windowStart.getTime() - MAX_APPOINTMENT_MS),
    ],
  );

  const weekly = (rows: [number, number, number][], date: string): Interval[] =>
    rows.filter(([weekday]) => weekday === weekdayOf(date)).map(([, start, end]) => ({
      startMs: localInstant(date, start, timeZone),
      endMs: localInstant(date, end, timeZone),
    }));

  const breaks: Schedule["breaks"] = {};
  for (const date of dates) {
    breaks[date] = row.breaks
      .filter(([weekday]) => weekday === null || weekday === weekdayOf(date))
      .map(([, start, end, label_ar, label_en]) => ({
        startMs: localInstant(date, start, timeZone),
        endMs: localInstant(date, end, timeZone),
        label_ar,
        label_en,
      }));
  }

  const bookings = row.bookings.map((
    { starts_ms, ends_ms, hold_ms, block_start_ms, block_end_ms, ...b },
  ) => ({
    ...b,
    starts_at: new Date(starts_ms),
    ends_at: new Date(ends_ms),
    hold_expires_at: hold_ms === null ? null : new Date(hold_ms),
    block: { startMs: block_start_ms, endMs: block_end_ms },
  }));

  const staff: StaffSchedule[] = row.staff.map((st) => {
    const working: Record<string, Interval[]> = {};
    for (const date of dates) {
      const hours = weekly(st.custom_hours ? st.hours : row.hours, date);
      working[date] = subtract(hours, breaks[date]);
    }
    return {
      id: st.id,
      name_ar: st.name_ar,
      name_en: st.name_en,
      working,
      timeOff: st.time_off.map(([startMs, endMs, reason]) => ({ startMs, endMs, reason })),
      bookings: bookings.filter((b) => b.staff_id === st.id),
    };
  });

  return {
    timeZone,
    dates,
    staff,
    closures: row.closures.map(([startMs, endMs, reason_ar, reason_en]) => ({
      startMs,
      endMs,
      reason_ar,
      reason_en,
    })),
    breaks,
    slotStepMinutes: row.salon.slot_step_minutes,
    access,
  };
}

/**
 * A staff member's free time on a date from `notBeforeMs` on: working time minus closures, time
 * off and active bookings (with their buffers), in pieces of at least `minMinutes`.
 */
export function freeIntervals(
  schedule: Schedule,
  staff: StaffSchedule,
  date: string,
  notBeforeMs: number,
  minMinutes: number,
): Interval[] {
  const busy: Interval[] = [
    ...schedule.closures,
    ...staff.timeOff,
    ...staff.bookings
      .filter((b) => b.status === "pending" || b.status === "confirmed")
      .map((b) => b.block),
    { startMs: -Infinity, endMs: notBeforeMs },
  ];
  return subtract(staff.working[date] ?? [], busy).filter((i) =>
    i.endMs - i.startMs >= minMinutes * 60_000
  );
}
