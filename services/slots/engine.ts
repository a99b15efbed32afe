/**
 * Slot engine: a pure function (no I/O) that answers "which start times can be booked" for one
 * service, a set of candidate staff members and a range of local dates in the salon's time zone.
 *
 * The booking-creation transaction calls {@link isSlotAvailable} (which shares every step with
 * {@link findSlots}) to re-check a start time, so both must agree exactly.
 *
 * Internally everything is epoch milliseconds. Temporal is only used to turn local wall-clock
 * times into instants (a handful of calls per local date) and to list the time zone's offset
 * transitions; per-candidate work is plain arithmetic.
 */

/** Half-open instant interval [startMs, endMs) in epoch milliseconds. */
export interface InstantRange {
  startMs: number;
  endMs: number;
}

/**
 * Local wall-clock interval on an ISO weekday (1 = Monday … 7 = Sunday), minutes from local
 * midnight, 0 ≤ startMinute < endMinute ≤ 1440.
 */
export interface WeeklyInterval {
  weekday: number;
  startMinute: number;
  endMinute: number;
}

/** A salon-wide daily break (e.g. prayer time): every day, or only on `weekday` when set. */
export interface DailyBreak {
  weekday: number | null;
  startMinute: number;
  endMinute: number;
}

export interface ExistingBooking {
  startMs: number;
  endMs: number;
  bufferBeforeMinutes: number;
  bufferAfterMinutes: number;
}

export interface StaffAvailabilityInput {
  /** uuid */
  id: string;
  /** Stable order for "anyone" ties (then by id). */
  sortOrder: number;
  /** null = works the salon's business hours. */
  hours: WeeklyInterval[] | null;
  timeOff: InstantRange[];
  /** ACTIVE bookings only (the caller filters statuses). */
  bookings: ExistingBooking[];
  /** Staff-specific duration override for this service. */
  durationMinutes?: number;
}

export interface SlotQuery {
  /** IANA time zone, e.g. "Asia/Riyadh", "Europe/London". */
  timeZone: string;
  /** "YYYY-MM-DD" local date in timeZone. */
  fromDate: string;
  /** 1..62 */
  days: number;
  nowMs: number;
  /** Grid: local wall-clock times that are multiples of step from local midnight. */
  slotStepMinutes: number;
  minNoticeMinutes: number;
  /** Last bookable LOCAL date = local date of now + horizonDays. */
  horizonDays: number;
  service: { durationMinutes: number; bufferBeforeMinutes: number; bufferAfterMinutes: number };
  businessHours: WeeklyInterval[];
  breaks: DailyBreak[];
  closures: InstantRange[];
  /** One element = a specific staff member; several = "anyone". */
  staff: StaffAvailabilityInput[];
}

export interface Slot {
  startMs: number;
  endMs: number;
  staffId: string;
}

export interface SlotDay {
  date: string;
  slots: Slot[];
}

export const MAX_DAYS = 62;

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
const MINUTES_PER_DAY = 1440;

// ---------------------------------------------------------------------------------------------
// Calendar arithmetic on "epoch days" (days since 1970-01-01, proleptic Gregorian).
// ---------------------------------------------------------------------------------------------

/** Days since 1970-01-01 for a proleptic Gregorian civil date (Howard Hinnant's algorithm). */
export function epochDayFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Inverse of {@link epochDayFromCivil}. */
export function civilFromEpochDay(epochDay: number): { year: number; month: number; day: number } {
  const z = epochDay + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) -
      Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

/** "YYYY-MM-DD" for an epoch day. */
export function isoDateFromEpochDay(epochDay: number): string {
  const { year, month, day } = civilFromEpochDay(epochDay);
  const pad = (n: number, w: number) => String(n).padStart(w, "0");
  return `${year < 0 ? "-" : ""}${pad(Math.abs(year), 4)}-${pad(month, 2)}-${pad(day, 2)}`;
}

/** ISO weekday (1 = Monday … 7 = Sunday) of an epoch day (1970-01-01 was a Thursday). */
export function weekdayOfEpochDay(epochDay: number): number {
  return (((epochDay + 3) % 7) + 7) % 7 + 1;
}

// ---------------------------------------------------------------------------------------------
// Interval helpers (all half-open).
// ---------------------------------------------------------------------------------------------

export interface Span {
  start: number;
  end: number;
}

/** Sorts and merges overlapping or touching spans; drops empty ones. Mutates nothing. */
function mergeSpans(spans: Span[]): Span[] {
  const sorted = spans.filter((s) => s.start < s.end).sort((a, b) => a.start - b.start);
  const out: Span[] = [];
  for (const s of sorted) {
    const last = out[out.length - 1];
    if (last !== undefined && s.start <= last.end) {
      if (s.end > last.end) last.end = s.end;
    } else {
      out.push({ start: s.start, end: s.end });
    }
  }
  return out;
}

/** Intersection of two merged, sorted span lists. */
function intersectSpans(a: Span[], b: Span[]): Span[] {
  const out: Span[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const start = Math.max(a[i].start, b[j].start);
    const end = Math.min(a[i].end, b[j].end);
    if (start < end) out.push({ start, end });
    if (a[i].end < b[j].end) i++;
    else j++;
  }
  return out;
}

/** `open` minus `cut`; both merged and sorted. Result is merged and sorted. */
function subtractSpans(open: Span[], cut: Span[]): Span[] {
  const out: Span[] = [];
  let j = 0;
  for (const o of open) {
    while (j < cut.length && cut[j].end <= o.start) j++;
    let s = o.start;
    for (let k = j; k < cut.length && cut[k].start < o.end; k++) {
      if (cut[k].start > s) out.push({ start: s, end: cut[k].start });
      if (cut[k].end > s) s = cut[k].end;
      if (s >= o.end) break;
    }
    if (s < o.end) out.push({ start: s, end: o.end });
  }
  return out;
}

/** Per ISO weekday (index 1..7) merged minute spans, clamped to [0, 1440]. */
function minuteSpansByWeekday(
  items: ReadonlyArray<{ weekday: number | null; startMinute: number; endMinute: number }>,
): Span[][] {
  const byDay: Span[][] = [[], [], [], [], [], [], [], []];
  for (const it of items) {
    const start = Math.max(0, it.startMinute);
    const end = Math.min(MINUTES_PER_DAY, it.endMinute);
    if (!(start < end)) continue;
    if (it.weekday === null) {
      for (let d = 1; d <= 7; d++) byDay[d].push({ start, end });
    } else if (Number.isInteger(it.weekday) && it.weekday >= 1 && it.weekday <= 7) {
      byDay[it.weekday].push({ start, end });
    }
  }
  return byDay.map(mergeSpans);
}

// ---------------------------------------------------------------------------------------------
// Validation and prepared context.
// ---------------------------------------------------------------------------------------------

function fail(message: string): never {
  throw new RangeError(`slot query: ${message}`);
}

function isFiniteNumber(n: unknown): n is number {
  return typeof n === "number" && Number.isFinite(n);
}

/** A constant-offset stretch of the time zone: local ms = instant ms + offsetMs in [startMs, endMs). */
export interface OffsetSegment {
  startMs: number;
  endMs: number;
  offsetMs: number;
}

export interface Context {
  query: SlotQuery;
  step: number;
  fromDay: number;
  /** Last local epoch day that can hold a slot (requested range ∩ horizon). */
  lastDay: number;
  notBeforeMs: number;
  /** Local days whose open time is built (a little wider than the requested range). */
  buildFromDay: number;
  buildToDay: number;
  segments: OffsetSegment[];
  salonHours: Span[][];
  /** Breaks and closures as merged instant spans (shared by all staff). */
  salonCuts: Span[];
  serviceBeforeMs: number;
  serviceAfterMs: number;
  toInstant: (epochDay: number, minute: number) => number;
}

function validate(q: SlotQuery): void {
  if (q === null || typeof q !== "object") fail("query must be an object");
  if (!Number.isInteger(q.days) || q.days < 1 || q.days > MAX_DAYS) {
    fail(`days must be an integer in 1..${MAX_DAYS} (got ${q.days})`);
  }
  if (typeof q.fromDate !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(q.fromDate)) {
    fail(`fromDate must be a "YYYY-MM-DD" date (got ${JSON.stringify(q.fromDate)})`);
  }
  try {
    Temporal.PlainDate.from(q.fromDate, { overflow: "reject" });
  } catch {
    fail(`fromDate is not a valid calendar date (got ${JSON.stringify(q.fromDate)})`);
  }
  if (typeof q.timeZone !== "string" || q.timeZone === "") {
    fail(`timeZone must be an IANA time zone name (got ${JSON.stringify(q.timeZone)})`);
  }
  try {
    Temporal.Instant.fromEpochMilliseconds(0).toZonedDateTimeISO(q.timeZone);
  } catch {
    fail(`unknown time zone ${JSON.stringify(q.timeZone)}`);
  }
  if (!Number.isInteger(q.slotStepMinutes) || q.slotStepMinutes <= 0) {
    fail(`slotStepMinutes must be a positive integer (got ${q.slotStepMinutes})`);
  }
  if (!isFiniteNumber(q.nowMs)) fail(`nowMs must be a finite number (got ${q.nowMs})`);
  if (!isFiniteNumber(q.minNoticeMinutes)) {
    fail(`minNoticeMinutes must be a finite number (got ${q.minNoticeMinutes})`);
  }
  if (!Number.isInteger(q.horizonDays)) {
    fail(`horizonDays must be an integer (got ${q.horizonDays})`);
  }
  const s = q.service;
  if (s === null || typeof s !== "object") fail("service is required");
  if (!isFiniteNumber(s.durationMinutes) || s.durationMinutes <= 0) {
    fail(`service.durationMinutes must be > 0 (got ${s.durationMinutes})`);
  }
  if (!isFiniteNumber(s.bufferBeforeMinutes) || s.bufferBeforeMinutes < 0) {
    fail(`service.bufferBeforeMinutes must be ≥ 0 (got ${s.bufferBeforeMinutes})`);
  }
  if (!isFiniteNumber(s.bufferAfterMinutes) || s.bufferAfterMinutes < 0) {
    fail(`service.bufferAfterMinutes must be ≥ 0 (got ${s.bufferAfterMinutes})`);
  }
  if (!Array.isArray(q.staff)) fail("staff must be an array");
  for (const st of q.staff) {
    if (
      st.durationMinutes !== undefined &&
      (!isFiniteNumber(st.durationMinutes) || st.durationMinutes <= 0)
    ) {
      fail(`staff ${st.id}: durationMinutes override must be > 0 (got ${st.durationMinutes})`);
    }
  }
}

function buildSegments(timeZone: string, startMs: number, endMs: number): OffsetSegment[] {
  const segments: OffsetSegment[] = [];
  let zdt = Temporal.Instant.fromEpochMilliseconds(startMs).toZonedDateTimeISO(timeZone);
  let cur = startMs;
  let offsetMs = zdt.offsetNanoseconds / 1e6;
  for (;;) {
    const next = zdt.getTimeZoneTransition("next");
    if (next === null || next.epochMilliseconds >= endMs) {
      segments.push({ startMs: cur, endMs, offsetMs });
      return segments;
    }
    if (next.epochMilliseconds > cur) {
      segments.push({ startMs: cur, endMs: next.epochMilliseconds, offsetMs });
    }
    cur = next.epochMilliseconds;
    offsetMs = next.offsetNanoseconds / 1e6;
    zdt = next;
  }
}

/** Index of the segment containing `ms`, or -1 outside the covered range. */
export function segmentIndex(segments: OffsetSegment[], ms: number): number {
  if (segments.length === 0 || ms < segments[0].startMs) return -1;
  if (ms >= segments[segments.length - 1].endMs) return -1;
  let lo = 0;
  let hi = segments.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (segments[mid].startMs <= ms) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

function durationMsFor(q: SlotQuery, staff: StaffAvailabilityInput): number {
  return (staff.durationMinutes ?? q.service.durationMinutes) * MINUTE_MS;
}

export function prepare(q: SlotQuery): Context {
  validate(q);
  const tz = q.timeZone;
  const from = Temporal.PlainDate.from(q.fromDate);
  const fromDay = epochDayFromCivil(from.year, from.month, from.day);
  const now = Temporal.Instant.fromEpochMilliseconds(Math.floor(q.nowMs)).toZonedDateTimeISO(tz);
  const nowDay = epochDayFromCivil(now.year, now.month, now.day);
  const lastDay = Math.min(fromDay + q.days - 1, nowDay + q.horizonDays);

  let maxDurationMinutes = q.service.durationMinutes;
  for (const st of q.staff) {
    if (st.durationMinutes !== undefined && st.durationMinutes > maxDurationMinutes) {
      maxDurationMinutes = st.durationMinutes;
    }
  }
  // An appointment starting on the last day may run into the following day(s).
  const extraDays = Math.ceil(maxDurationMinutes / MINUTES_PER_DAY) + 1;
  const buildFromDay = fromDay - 1;
  const buildToDay = Math.max(lastDay, fromDay) + extraDays;
  // Local days are within ±1 day of UTC days; a 3-day margin covers every instant we touch.
  const segments = buildSegments(tz, (buildFromDay - 3) * DAY_MS, (buildToDay + 4) * DAY_MS);

  const cache = new Map<string, number>();
  const toInstant = (epochDay: number, minute: number): number => {
    const key = `${epochDay}:${minute}`;
    let ms = cache.get(key);
    if (ms === undefined) {
      const { year, month, day } = civilFromEpochDay(epochDay);
      ms = new Temporal.PlainDateTime(year, month, day)
        .add({ milliseconds: Math.round(minute * MINUTE_MS) })
        .toZonedDateTime(tz, { disambiguation: "compatible" }).epochMilliseconds;
      cache.set(key, ms);
    }
    return ms;
  };

  const salonHours = minuteSpansByWeekday(q.businessHours);
  const breaksByWeekday = minuteSpansByWeekday(q.breaks);
  const cuts: Span[] = [];
  for (let d = buildFromDay; d <= buildToDay; d++) {
    for (const b of breaksByWeekday[weekdayOfEpochDay(d)]) {
      cuts.push({ start: toInstant(d, b.start), end: toInstant(d, b.end) });
    }
  }
  for (const c of q.closures) cuts.push({ start: c.startMs, end: c.endMs });

  return {
    query: q,
    step: q.slotStepMinutes,
    fromDay,
    lastDay,
    notBeforeMs: q.nowMs + q.minNoticeMinutes * MINUTE_MS,
    buildFromDay,
    buildToDay,
    segments,
    salonHours,
    salonCuts: mergeSpans(cuts),
    serviceBeforeMs: q.service.bufferBeforeMinutes * MINUTE_MS,
    serviceAfterMs: q.service.bufferAfterMinutes * MINUTE_MS,
    toInstant,
  };
}

/**
 * Instant spans in which an appointment of this staff member may lie: open time (salon ∩ staff
 * hours, merged across midnight) minus breaks, closures, time off and — expanded by the buffers
 * — existing bookings.
 *
 * Conflict rule: candidate block [s − SB, s + d + SA) overlaps booking block [bs − bb, be + ba)
 * ⇔ s − SB < be + ba ∧ s + d + SA > bs − bb ⇔ [s, s + d) overlaps [bs − bb − SA, be + ba + SB).
 * With SB, SA ≥ 0 and a non-empty booking block that expanded span is non-empty, so subtracting
 * it from the free time is exact. Empty booking blocks overlap nothing (like an empty tstzrange).
 */
export function freeSpans(
  ctx: Context,
  staff: StaffAvailabilityInput,
  serviceBeforeMs = ctx.serviceBeforeMs,
  serviceAfterMs = ctx.serviceAfterMs,
): Span[] {
  const staffHours = staff.hours === null ? null : minuteSpansByWeekday(staff.hours);
  const open: Span[] = [];
  for (let d = ctx.buildFromDay; d <= ctx.buildToDay; d++) {
    const wd = weekdayOfEpochDay(d);
    const minutes = staffHours === null
      ? ctx.salonHours[wd]
      : intersectSpans(ctx.salonHours[wd], staffHours[wd]);
    for (const m of minutes) {
      open.push({ start: ctx.toInstant(d, m.start), end: ctx.toInstant(d, m.end) });
    }
  }
  const cuts: Span[] = ctx.salonCuts.slice();
  for (const t of staff.timeOff) cuts.push({ start: t.startMs, end: t.endMs });
  for (const b of staff.bookings) {
    const blockStart = b.startMs - b.bufferBeforeMinutes * MINUTE_MS;
    const blockEnd = b.endMs + b.bufferAfterMinutes * MINUTE_MS;
    if (!(blockStart < blockEnd)) continue;
    cuts.push({ start: blockStart - serviceAfterMs, end: blockEnd + serviceBeforeMs });
  }
  return subtractSpans(mergeSpans(open), mergeSpans(cuts));
}

/** Calls `emit` for every bookable start (ascending) of one staff member. */
export function enumerateStarts(
  ctx: Context,
  free: Span[],
  durationMs: number,
  emit: (startMs: number, epochDay: number) => void,
): void {
  const { segments, step, fromDay, lastDay } = ctx;
  for (const f of free) {
    const lo = Math.max(f.start, ctx.notBeforeMs);
    const hi = f.end - durationMs; // inclusive: start + duration ≤ end
    if (lo > hi) continue;
    let i = segmentIndex(segments, lo);
    if (i < 0) continue;
    for (; i < segments.length && segments[i].startMs <= hi; i++) {
      const seg = segments[i];
      const a = Math.max(lo, seg.startMs);
      const b = Math.min(hi, seg.endMs - 1);
      if (a > b) continue;
      const off = seg.offsetMs;
      const minLocalMinute = Math.ceil((a + off) / MINUTE_MS);
      const maxLocalMinute = Math.floor((b + off) / MINUTE_MS);
      let day = Math.floor(minLocalMinute / MINUTES_PER_DAY);
      let k = Math.ceil((minLocalMinute - day * MINUTES_PER_DAY) / step) * step;
      if (k >= MINUTES_PER_DAY) {
        day++;
        k = 0;
      }
      for (;;) {
        const localMinute = day * MINUTES_PER_DAY + k;
        if (localMinute > maxLocalMinute || day > lastDay) break;
        if (day >= fromDay) emit(localMinute * MINUTE_MS - off, day);
        k += step;
        if (k >= MINUTES_PER_DAY) {
          day++;
          k = 0;
        }
      }
    }
  }
}

/** Booked minutes per local epoch day (by booking start) within the requested days. */
export function bookedMinutesByDay(
  ctx: Context,
  staff: StaffAvailabilityInput,
): Map<number, number> {
  const out = new Map<number, number>();
  for (const b of staff.bookings) {
    const i = segmentIndex(ctx.segments, b.startMs);
    if (i < 0) continue;
    const day = Math.floor((b.startMs + ctx.segments[i].offsetMs) / DAY_MS);
    if (day < ctx.fromDay || day > ctx.lastDay) continue;
    out.set(day, (out.get(day) ?? 0) + Math.max(0, b.endMs - b.startMs) / MINUTE_MS);
  }
  return out;
}

/**
 * Bookable start times for the requested local dates. One SlotDay per requested date, in order;
 * slots sorted by startMs, each start time at most once. With several staff ("anyone") a start
 * time goes to the eligible member with the fewest booked minutes that local date, then the
 * lowest sortOrder, then the lowest id.
 *
 * @throws RangeError on an invalid query (days, fromDate, timeZone, slotStepMinutes, …).
 */
export function findSlots(query: SlotQuery): SlotDay[] {
  const ctx = prepare(query);
  const days: SlotDay[] = [];
  for (let i = 0; i < query.days; i++) {
    days.push({ date: isoDateFromEpochDay(ctx.fromDay + i), slots: [] });
  }
  if (ctx.lastDay < ctx.fromDay || query.staff.length === 0) return days;

  interface Best {
    staff: number;
    day: number;
  }
  const staffList = query.staff;
  const many = staffList.length > 1;
  const booked = many ? staffList.map((st) => bookedMinutesByDay(ctx, st)) : [];
  const better = (a: number, b: number, day: number): boolean => {
    const ma = booked[a].get(day) ?? 0;
    const mb = booked[b].get(day) ?? 0;
    if (ma !== mb) return ma < mb;
    const sa = staffList[a].sortOrder;
    const sb = staffList[b].sortOrder;
    if (sa !== sb) return sa < sb;
    return staffList[a].id < staffList[b].id;
  };

  const best = new Map<number, Best>();
  staffList.forEach((st, idx) => {
    enumerateStarts(ctx, freeSpans(ctx, st), durationMsFor(query, st), (startMs, day) => {
      const cur = best.get(startMs);
      if (cur === undefined) best.set(startMs, { staff: idx, day });
      else if (many && better(idx, cur.staff, day)) cur.staff = idx;
    });
  });

  const starts = [...best.keys()].sort((a, b) => a - b);
  for (const startMs of starts) {
    const { staff, day } = best.get(startMs)!;
    const st = staffList[staff];
    days[day - ctx.fromDay].slots.push({
      startMs,
      endMs: startMs + durationMsFor(query, st),
      staffId: st.id,
    });
  }
  return days;
}

/**
 * Is this exact start bookable for this staff member under `query` (same rules as
 * {@link findSlots}, ignoring the "anyone" assignment)? Returns false for an unknown staff id.
 *
 * @throws RangeError on an invalid query.
 */
export function isSlotAvailable(query: SlotQuery, staffId: string, startMs: number): boolean {
  const staff = Array.isArray(query?.staff) ? query.staff.find((s) => s.id === staffId) : undefined;
  const ctx = prepare(staff === undefined ? query : { ...query, staff: [staff] });
  if (staff === undefined || !Number.isFinite(startMs)) return false;
  if (startMs < ctx.notBeforeMs) return false;
  const i = segmentIndex(ctx.segments, startMs);
  if (i < 0) return false;
  const local = startMs + ctx.segments[i].offsetMs;
  if (local % MINUTE_MS !== 0) return false;
  const localMinute = local / MINUTE_MS;
  const day = Math.floor(localMinute / MINUTES_PER_DAY);
  if ((localMinute - day * MINUTES_PER_DAY) % ctx.step !== 0) return false;
  if (day < ctx.fromDay || day > ctx.lastDay) return false;
  const free = freeSpans(ctx, staff);
  // Last free span starting at or before startMs.
  let lo = 0;
  let hi = free.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (free[mid].start <= startMs) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found >= 0 && startMs + durationMsFor(query, staff) <= free[found].end;
}
