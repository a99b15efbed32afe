/**
 * The data-loading side of the slot engine: one SQL query turns a salon, a service, a staff choice
 * and a range of local dates into the {@link SlotQuery} that {@link findSlots} and
 * {@link isSlotAvailable} answer. The slots page, the JSON API and booking creation all go through
 * here, so the page can never offer a time the server would refuse.
 */
import type { Queryable } from "@/db/types.ts";
import { NotFoundError, ValidationError } from "@/services/errors.ts";
import {
  epochDayFromCivil,
  findSlots,
  isoDateFromEpochDay,
  isSlotAvailable,
  MAX_DAYS,
  type Slot,
  type SlotDay,
  type SlotQuery,
  type StaffAvailabilityInput,
  type WeeklyInterval,
} from "./engine.ts";
import { isUuid } from "@/services/ids.ts";
import {
  findVisitSlots,
  type VisitItemRequest,
  type VisitQuery,
  type VisitSlot,
  type VisitSlotDay,
} from "./visit_engine.ts";

const DAY_MS = 86_400_000;
/**
 * Extra days of closures, time off and bookings loaded on each side of the requested local dates:
 * local days are within ±14 h of UTC days, appointments may run past midnight (≤ 12 h) and
 * blocks are widened by buffers (≤ 4 h each side).
 */
const MARGIN_DAYS = 3;
/** The longest an appointment can last (services.duration_minutes; a CHECK on bookings). */
export const MAX_APPOINTMENT_MS = 12 * 3_600_000;

/** Statuses whose bookings block time; pending ones only while their hold lasts. */
export const ACTIVE_BOOKING_STATUSES = ["pending", "confirmed"] as const;

export type StaffChoice = string | "any";

export interface SlotRequest {
  /** The salon, by id or by slug (one of them). */
  salonId?: string;
  salonSlug?: string;
  serviceId: string;
  /** A staff id, or "any" for every active staff member who performs the service. */
  staff: StaffChoice;
  /** First local date ("YYYY-MM-DD") in the salon's zone. */
  fromDate: string;
  /** Number of local dates, 1..62. */
  days: number;
  now: Date;
  /** A booking whose own block is ignored (rescheduling it must not collide with itself). */
  excludeBookingId?: string;
  /** One service of a visit whose own block is ignored (moving that service alone). */
  excludeItemId?: string;
  /**
   * The salon itself books (walk-in, phone, a manager moving a booking): the minimum notice it
   * asks of online customers does not apply. Times already past still do.
   */
  ignoreNotice?: boolean;
  /**
   * The instant minimum notice and past times count from, when later than `now` (a list shared
   * for a minute counts from the minute's end, so it never offers a time that lapses within it).
   */
  noticeFrom?: Date;
}

interface LoadedRow {
  salon: {
    id: string;
    timezone: string;
    slot_step_minutes: number;
    min_notice_minutes: number;
    horizon_days: number;
  } | null;
  services: {
    id: string;
    duration_minutes: number;
    buffer_before_minutes: number;
    buffer_after_minutes: number;
  }[];
  hours: [number, number, number][];
  breaks: [number | null, number, number][];
  closures: [number, number][];
  staff: {
    id: string;
    sort_order: number;
    custom_hours: boolean;
    /** Per service performed: the member's own duration, or null for the service's. */
    durations: Record<string, number | null>;
    hours: [number, number, number][];
    time_off: [number, number][];
    bookings: [number, number, number, number][];
  }[];
}

// Instants travel as epoch milliseconds (float8) so no timestamp text format is ever parsed.
const LOAD_SQL = `
WITH salon AS (
  SELECT id, timezone, slot_step_minutes, min_notice_minutes, horizon_days
  FROM salons
  WHERE active AND (id = $1::uuid OR slug = $2::text)
  LIMIT 1
), service AS (
  SELECT v.id, v.duration_minutes, v.buffer_before_minutes, v.buffer_after_minutes
  FROM services v JOIN salon ON v.salon_id = salon.id
  WHERE v.id = ANY($3::uuid[]) AND v.active
), candidates AS (
  SELECT st.id, st.sort_order, st.custom_hours,
         json_object_agg(ss.service_id, ss.duration_minutes) AS durations
  FROM staff st
  JOIN staff_services ss ON ss.staff_id = st.id AND ss.service_id IN (SELECT id FROM service)
  WHERE st.salon_id = (SELECT id FROM salon) AND st.active
    AND ($4::uuid[] IS NULL OR st.id = ANY($4::uuid[]))
  GROUP BY st.id
)
SELECT
  (SELECT row_to_json(salon) FROM salon) AS salon,
  (SELECT coalesce(json_agg(service), '[]'::json) FROM service) AS services,
  (SELECT coalesce(json_agg(json_build_array(weekday, start_minute, end_minute)), '[]'::json)
     FROM salon_hours WHERE salon_id = (SELECT id FROM salon)) AS hours,
  (SELECT coalesce(json_agg(json_build_array(weekday, start_minute, end_minute)), '[]'::json)
     FROM salon_breaks WHERE salon_id = (SELECT id FROM salon)) AS breaks,
  (SELECT coalesce(json_agg(json_build_array(
       extract(epoch FROM starts_at)::float8 * 1000, extract(epoch FROM ends_at)::float8 * 1000
     )), '[]'::json)
     FROM salon_closures
     WHERE salon_id = (SELECT id FROM salon) AND starts_at < $6 AND ends_at > $5) AS closures,
  (SELECT coalesce(json_agg(json_build_object(
       'id', c.id,
       'sort_order', c.sort_order,
       'custom_hours', c.custom_hours,
       'durations', c.durations,
       'hours', (SELECT coalesce(json_agg(json_build_array(weekday, start_minute, end_minute)),
                                 '[]'::json)
                 FROM staff_hours WHERE staff_id = c.id),
       'time_off', (SELECT coalesce(json_agg(json_build_array(
                        extract(epoch FROM starts_at)::float8 * 1000,
                        extract(epoch FROM ends_at)::float8 * 1000)), '[]'::json)
                    FROM staff_time_off
                    WHERE staff_id = c.id AND starts_at < $6 AND ends_at > $5),
       'bookings', (SELECT coalesce(json_agg(json_build_array(
                        extract(epoch FROM i.starts_at)::float8 * 1000,
                        extract(epoch FROM i.ends_at)::float8 * 1000,
                        i.buffer_before_minutes, i.buffer_after_minutes)), '[]'::json)
                    FROM booking_items i JOIN bookings b ON b.id = i.booking_id
                    WHERE i.staff_id = c.id
                      AND i.blocking
                      AND (b.status <> 'pending' OR b.hold_expires_at IS NULL
                           OR b.hold_expires_at > $7)
                      -- Bounds on both ends for either index the planner picks, so a staff
                      -- member's history is never read: the exclusion constraint's block range
                      -- (gist) and booking_items_staff_active's start (btree; from below through
                      -- the longest an item can last, a CHECK on booking_items).
                      AND tstzrange(i.block_start, i.block_end, '[)') && tstzrange($5, $6, '[)')
                      AND i.starts_at > $9 AND i.starts_at < $6
                      AND i.booking_id IS DISTINCT FROM $8::uuid
                      AND i.id IS DISTINCT FROM $10::uuid)
     ) ORDER BY c.sort_order, c.id), '[]'::json)
   FROM candidates c) AS staff
`;

/** True for a "YYYY-MM-DD" string that names a real calendar date. */
export function isIsoDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  try {
    Temporal.PlainDate.from(value, { overflow: "reject" });
    return true;
  } catch {
    return false;
  }
}

/** The local date ("YYYY-MM-DD") of an instant in a time zone. */
export function localDateOf(when: Date | number, timeZone: string): string {
  const ms = typeof when === "number" ? when : when.getTime();
  return Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO(timeZone).toPlainDate()
    .toString();
}

/** `date` plus `days` calendar days ("YYYY-MM-DD"). */
export function addDays(date: string, days: number): string {
  const d = Temporal.PlainDate.from(date);
  return isoDateFromEpochDay(epochDayFromCivil(d.year, d.month, d.day) + days);
}

function weekly(rows: [number, number, number][]): WeeklyInterval[] {
  return rows.map(([weekday, startMinute, endMinute]) => ({ weekday, startMinute, endMinute }));
}

interface ScheduleRequest {
  salonId?: string;
  salonSlug?: string;
  serviceIds: string[];
  /** Only these staff members (every item names one), or null for every performer. */
  staffIds: string[] | null;
  fromDate: string;
  days: number;
  now: Date;
  excludeBookingId?: string;
  excludeItemId?: string;
  noticeFrom?: Date;
}

/** What both engines share: the salon's calendar, the services, and the candidates' schedules. */
interface Schedule {
  row: LoadedRow & { salon: NonNullable<LoadedRow["salon"]> };
  base: Omit<SlotQuery, "service" | "staff">;
  staff: (StaffAvailabilityInput & { durations: Record<string, number | null> })[];
}

function checkWindow(
  fields: ConstructorParameters<typeof ValidationError>[0],
  req: { fromDate: string; days: number },
) {
  if (!isIsoDate(req.fromDate)) fields.date = ["slots.error.date"];
  if (!Number.isInteger(req.days) || req.days < 1 || req.days > MAX_DAYS) {
    fields.days = ["slots.error.days"];
  }
}

/**
 * Loads everything the engines need, in one query: the salon's settings, hours, breaks and
 * closures; the services' durations and buffers; and for each candidate staff member (active, and
 * performing at least one of the services) their durations, hours, time off and blocking items
 * around the requested dates. Pending bookings count only while `hold_expires_at` is unset or
 * after `now`.
 *
 * Safe to call inside a transaction (booking creation re-checks with it after locking the staff
 * rows, so it sees the same rows the insert will be judged against).
 */
async function loadSchedule(
  db: Queryable,
  req: ScheduleRequest,
  ignoreNotice: boolean | undefined,
): Promise<Schedule> {
  const salonId = req.salonId !== undefined && isUuid(req.salonId) ? req.salonId : null;
  if (salonId === null && req.salonSlug === undefined) throw new NotFoundError();

  const from = Temporal.PlainDate.from(req.fromDate);
  const fromDay = epochDayFromCivil(from.year, from.month, from.day);
  const windowStart = new Date((fromDay - MARGIN_DAYS) * DAY_MS);
  const windowEnd = new Date((fromDay + req.days + MARGIN_DAYS) * DAY_MS);

  const [row] = await db.query<LoadedRow>(LOAD_SQL, [
    salonId,
    req.salonSlug ?? null,
    req.serviceIds,
    req.staffIds,
    windowStart,
    windowEnd,
    req.now,
    req.excludeBookingId ?? null,
    new Date(windowStart.getTime() - MAX_APPOINTMENT_MS),
    req.excludeItemId ?? null,
  ]);
  if (!row.salon) throw new NotFoundError();

  const staff = row.staff.map((st) => ({
    id: st.id,
    sortOrder: st.sort_order,
    hours: st.custom_hours ? weekly(st.hours) : null,
    timeOff: st.time_off.map(([startMs, endMs]) => ({ startMs, endMs })),
    bookings: st.bookings.map(([startMs, endMs, bufferBeforeMinutes, bufferAfterMinutes]) => ({
      startMs,
      endMs,
      bufferBeforeMinutes,
      bufferAfterMinutes,
    })),
    durations: st.durations,
  }));
  const base = {
    timeZone: row.salon.timezone,
    fromDate: req.fromDate,
    days: req.days,
    nowMs: Math.max(req.now.getTime(), req.noticeFrom?.getTime() ?? 0),
    slotStepMinutes: row.salon.slot_step_minutes,
    minNoticeMinutes: ignoreNotice ? 0 : row.salon.min_notice_minutes,
    horizonDays: row.salon.horizon_days,
    businessHours: weekly(row.hours),
    breaks: row.breaks.map(([weekday, startMinute, endMinute]) => ({
      weekday,
      startMinute,
      endMinute,
    })),
    closures: row.closures.map(([startMs, endMs]) => ({ startMs, endMs })),
  };
  return { row: row as Schedule["row"], base, staff };
}

/**
 * The {@link SlotQuery} for one service.
 *
 * @throws NotFoundError when the salon does not exist or is inactive.
 * @throws ValidationError (`service` / `staff` / `date` / `days`) for a service the salon does
 *   not offer, a staff member who does not perform it, a bad date or an out-of-range day count.
 */
export async function loadSlotQuery(db: Queryable, req: SlotRequest): Promise<SlotQuery> {
  const fields: ConstructorParameters<typeof ValidationError>[0] = {};
  if (!isUuid(req.serviceId)) fields.service = ["slots.error.service"];
  if (req.staff !== "any" && !isUuid(req.staff)) fields.staff = ["slots.error.staff"];
  checkWindow(fields, req);
  if (Object.keys(fields).length) throw new ValidationError(fields);

  const { row, base, staff } = await loadSchedule(db, {
    ...req,
    serviceIds: [req.serviceId],
    staffIds: req.staff === "any" ? null : [req.staff],
  }, req.ignoreNotice);
  const service = row.services[0];
  if (!service) throw new ValidationError({ service: ["slots.error.service"] });
  if (req.staff !== "any" && staff.length === 0) {
    throw new ValidationError({ staff: ["slots.error.staff"] });
  }
  return {
    ...base,
    service: {
      durationMinutes: service.duration_minutes,
      bufferBeforeMinutes: service.buffer_before_minutes,
      bufferAfterMinutes: service.buffer_after_minutes,
    },
    staff: staff.map(({ durations, ...st }) => {
      const own = durations[service.id];
      return own === null || own === undefined ? st : { ...st, durationMinutes: own };
    }),
  };
}

/** Every bookable start for the request, per local date, with the staff member who gets it. */
export async function listSlots(
  db: Queryable,
  req: SlotRequest,
): Promise<{ timeZone: string; days: SlotDay[] }> {
  const query = await loadSlotQuery(db, req);
  return { timeZone: query.timeZone, days: findSlots(query) };
}

/**
 * Re-checks one start time with the same rules that listed it. For a specific staff member the
 * slot is theirs if {@link isSlotAvailable}; for "anyone" it goes to whoever {@link findSlots}
 * assigns on that local date. Returns null when the time is not (or no longer) bookable.
 *
 * Booking creation calls this inside its transaction after locking the staff row(s).
 */
export async function resolveSlot(
  db: Queryable,
  req: Omit<SlotRequest, "fromDate" | "days"> & { startMs: number },
): Promise<Slot | null> {
  if (!Number.isFinite(req.startMs)) return null;
  const query = await loadSlotQuery(db, { ...req, ...datesAround(req.startMs) });
  if (req.staff !== "any") {
    const member = query.staff[0];
    if (!member || !isSlotAvailable(query, member.id, req.startMs)) return null;
    const durationMs = (member.durationMinutes ?? query.service.durationMinutes) * 60_000;
    return { startMs: req.startMs, endMs: req.startMs + durationMs, staffId: member.id };
  }
  for (const day of findSlots(query)) {
    const slot = day.slots.find((s) => s.startMs === req.startMs);
    if (slot) return slot;
  }
  return null;
}

/**
 * The instant's local date is within a day of its UTC date in every zone; rules and the
 * "anyone" assignment are per local date, so three dates around it decide exactly as one would.
 */
function datesAround(startMs: number): { fromDate: string; days: number } {
  return { fromDate: isoDateFromEpochDay(Math.floor(startMs / DAY_MS) - 1), days: 3 };
}

/** Most items one visit may have (guests × services). */
export const MAX_VISIT_ITEMS = 20;
/** Most guests one visit may have, the customer included. */
export const MAX_VISIT_GUESTS = 10;

export interface VisitRequest {
  salonId?: string;
  salonSlug?: string;
  items: VisitItemRequest[];
  fromDate: string;
  days: number;
  now: Date;
  /** A booking whose own items are ignored (moving the whole visit). */
  excludeBookingId?: string;
  /** One item that is ignored (moving that item alone). */
  excludeItemId?: string;
  ignoreNotice?: boolean;
  noticeFrom?: Date;
}

/**
 * The {@link VisitQuery} for a visit's items.
 *
 * @throws ValidationError (`items` / `service` / `staff` / `date` / `days`).
 */
export async function loadVisitQuery(db: Queryable, req: VisitRequest): Promise<VisitQuery> {
  const fields: ConstructorParameters<typeof ValidationError>[0] = {};
  const items = Array.isArray(req.items) ? req.items : [];
  if (items.length < 1 || items.length > MAX_VISIT_ITEMS) fields.items = ["visit.error.items"];
  if (items.some((it) => !isUuid(it.serviceId))) fields.service = ["slots.error.service"];
  if (items.some((it) => it.staff !== "any" && !isUuid(it.staff))) {
    fields.staff = ["slots.error.staff"];
  }
  if (
    items.some((it) => !Number.isInteger(it.guest) || it.guest < 0 || it.guest >= MAX_VISIT_GUESTS)
  ) fields.items = ["visit.error.guest"];
  checkWindow(fields, req);
  if (Object.keys(fields).length) throw new ValidationError(fields);

  const anyone = items.some((it) => it.staff === "any");
  const { row, base, staff } = await loadSchedule(db, {
    ...req,
    serviceIds: [...new Set(items.map((it) => it.serviceId))],
    staffIds: anyone ? null : [...new Set(items.map((it) => it.staff))],
  }, req.ignoreNotice);
  const services = Object.fromEntries(row.services.map((v) => [v.id, {
    durationMinutes: v.duration_minutes,
    bufferBeforeMinutes: v.buffer_before_minutes,
    bufferAfterMinutes: v.buffer_after_minutes,
  }]));
  for (const it of items) {
    const service = services[it.serviceId];
    if (!service) throw new ValidationError({ service: ["slots.error.service"] });
    const performers = staff.filter((st) =>
      st.durations[it.serviceId] !== undefined && (it.staff === "any" || st.id === it.staff)
    );
    if (performers.length === 0) throw new ValidationError({ staff: ["slots.error.staff"] });
  }
  return {
    ...base,
    services,
    items,
    staff: staff.map(({ durations, ...st }) => ({
      ...st,
      durations: Object.fromEntries(
        Object.entries(durations).map(([id, own]) => [id, own ?? services[id].durationMinutes]),
      ),
    })),
  };
}

/** Every start at which the whole visit fits, per local date, with each item's staff and times. */
export async function listVisitSlots(
  db: Queryable,
  req: VisitRequest,
): Promise<{ timeZone: string; days: VisitSlotDay[] }> {
  const query = await loadVisitQuery(db, req);
  return { timeZone: query.timeZone, days: findVisitSlots(query) };
}

/**
 * Re-checks a visit at one start with the same rules that listed it (the same search over the
 * local dates around it). Returns null when the visit no longer fits there.
 */
export async function resolveVisit(
  db: Queryable,
  req: Omit<VisitRequest, "fromDate" | "days"> & { startMs: number },
): Promise<VisitSlot | null> {
  if (!Number.isFinite(req.startMs)) return null;
  const query = await loadVisitQuery(db, { ...req, ...datesAround(req.startMs) });
  for (const day of findVisitSlots(query)) {
    const slot = day.slots.find((s) => s.startMs === req.startMs);
    if (slot) return slot;
  }
  return null;
}
