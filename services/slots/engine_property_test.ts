/**
 * Property test: random hours, breaks, closures, time off, bookings and settings. Every slot
 * findSlots returns must satisfy the rules, and the result (and isSlotAvailable) must agree
 * exactly with a brute-force reference that walks every grid wall-clock minute with Temporal.
 */
import fc from "fast-check";
import { deepEqual, equal, ok } from "node:assert/strict";
import {
  type DailyBreak,
  type ExistingBooking,
  findSlots,
  type InstantRange,
  isSlotAvailable,
  type SlotQuery,
  type StaffAvailabilityInput,
  type WeeklyInterval,
} from "./engine.ts";

const MINUTE = 60_000;

/** Zones with DST at 01:00/02:00, at midnight (Santiago), half-hour DST (Lord Howe), none. */
const ZONES = [
  "Europe/London",
  "America/New_York",
  "America/Santiago",
  "Australia/Lord_Howe",
  "Asia/Riyadh",
  "Asia/Kolkata",
];

/** Local dates of the 2026 offset transitions per zone (to land on DST days often). */
const TRANSITION_DATES: Record<string, string[]> = Object.fromEntries(ZONES.map((tz) => {
  const dates: string[] = [];
  let z: Temporal.ZonedDateTime | null = Temporal.ZonedDateTime.from({
    timeZone: tz,
    year: 2026,
    month: 1,
    day: 1,
  });
  while (z !== null && z.year === 2026 && dates.length < 4) {
    z = z.getTimeZoneTransition("next");
    if (z !== null) dates.push(z.toPlainDate().toString());
  }
  return [tz, dates.length > 0 ? dates : ["2026-06-15"]];
}));

// ------------------------------------------------------------------------------------------
// Generators (times are relative; the property maps them onto the chosen dates).
// ------------------------------------------------------------------------------------------

const minuteOfDay = fc.integer({ min: 0, max: 288 }).map((n) => n * 5);

/** Minutes around the small-hours DST transitions and midnight, to hit their edge cases. */
const dstMinute = fc.constantFrom(0, 30, 60, 90, 120, 150, 180, 1410, 1440);

const weeklyInterval: fc.Arbitrary<WeeklyInterval> = fc
  .record({
    weekday: fc.integer({ min: 1, max: 7 }),
    a: fc.oneof(minuteOfDay, dstMinute),
    b: fc.oneof(minuteOfDay, dstMinute),
  })
  .filter(({ a, b }) => a !== b)
  .map(({ weekday, a, b }) => ({
    weekday,
    startMinute: Math.min(a, b),
    endMinute: Math.max(a, b),
  }));

/** Either random intervals or an overnight pattern (evening + early morning every day). */
const weeklyHours: fc.Arbitrary<WeeklyInterval[]> = fc.oneof(
  fc.array(weeklyInterval, { minLength: 0, maxLength: 12 }),
  fc.record({ eveningStart: minuteOfDay, morningEnd: minuteOfDay }).map((
    { eveningStart, morningEnd },
  ) =>
    [1, 2, 3, 4, 5, 6, 7].flatMap((weekday) => [
      { weekday, startMinute: Math.min(eveningStart, 1435), endMinute: 1440 },
      { weekday, startMinute: 0, endMinute: Math.max(morningEnd, 5) },
    ])
  ),
  fc.constant([1, 2, 3, 4, 5, 6, 7].map((weekday) => ({
    weekday,
    startMinute: 0,
    endMinute: 1440,
  }))),
);

const dailyBreak: fc.Arbitrary<DailyBreak> = fc
  .record({
    weekday: fc.option(fc.integer({ min: 1, max: 7 }), { nil: null }),
    a: minuteOfDay,
    len: fc.integer({ min: 1, max: 24 }).map((n) => n * 5),
  })
  .map(({ weekday, a, len }) => ({
    weekday,
    startMinute: Math.min(a, 1435),
    endMinute: Math.min(a + len, 1440),
  }));

/** A relative instant range: minutes (sometimes plus odd milliseconds) from the range start. */
const relRange = fc.record({
  startMin: fc.integer({ min: -24 * 60, max: 4 * 24 * 60 }),
  lenMin: fc.integer({ min: 1, max: 10 * 60 }),
  jitterMs: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 59_999 })),
});

const relBooking = fc.record({
  startMin: fc.integer({ min: -24 * 60, max: 4 * 24 * 60 }).map((n) => n - (n % 5)),
  lenMin: fc.integer({ min: 1, max: 36 }).map((n) => n * 5),
  before: fc.integer({ min: 0, max: 6 }).map((n) => n * 5),
  after: fc.integer({ min: 0, max: 6 }).map((n) => n * 5),
});

const staffGen = fc.record({
  sortOrder: fc.integer({ min: 0, max: 2 }),
  hours: fc.option(weeklyHours, { nil: null, freq: 2 }),
  timeOff: fc.array(relRange, { maxLength: 2 }),
  bookings: fc.array(relBooking, { maxLength: 10 }),
  durationMinutes: fc.option(fc.integer({ min: 1, max: 36 }).map((n) => n * 5), {
    nil: undefined,
  }),
});

const scenario = fc.record({
  zone: fc.constantFrom(...ZONES),
  onTransition: fc.integer({ min: 0, max: 3 }).map((n) => n > 0), // 75% on a DST day
  transitionIndex: fc.nat(),
  dateShift: fc.integer({ min: -2, max: 0 }),
  randomDay: fc.integer({ min: 0, max: 729 }),
  days: fc.integer({ min: 1, max: 3 }),
  step: fc.constantFrom(5, 10, 15, 20, 25, 30, 45, 50, 60, 90),
  duration: fc.integer({ min: 1, max: 36 }).map((n) => n * 5),
  bufferBefore: fc.integer({ min: 0, max: 4 }).map((n) => n * 5),
  bufferAfter: fc.integer({ min: 0, max: 4 }).map((n) => n * 5),
  nowOffsetMin: fc.integer({ min: -2 * 24 * 60, max: 2 * 24 * 60 }),
  nowJitterMs: fc.integer({ min: 0, max: 59_999 }),
  minNotice: fc.integer({ min: 0, max: 48 }).map((n) => n * 15),
  horizonDays: fc.integer({ min: -1, max: 5 }),
  businessHours: weeklyHours,
  breaks: fc.array(dailyBreak, { maxLength: 3 }),
  closures: fc.array(relRange, { maxLength: 2 }),
  staff: fc.array(staffGen, { minLength: 1, maxLength: 3 }),
});

type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

function buildQuery(s: Scenario): SlotQuery {
  const fromDate = s.onTransition
    ? Temporal.PlainDate.from(
      TRANSITION_DATES[s.zone][s.transitionIndex % TRANSITION_DATES[s.zone].length],
    ).add({ days: s.dateShift })
    : Temporal.PlainDate.from("2026-01-01").add({ days: s.randomDay });
  const base = fromDate.toZonedDateTime(s.zone).epochMilliseconds;
  const range = (r: { startMin: number; lenMin: number; jitterMs: number }): InstantRange => ({
    startMs: base + r.startMin * MINUTE + r.jitterMs,
    endMs: base + (r.startMin + r.lenMin) * MINUTE + r.jitterMs,
  });
  const ids = ["c3", "a1", "b2"];
  return {
    timeZone: s.zone,
    fromDate: fromDate.toString(),
    days: s.days,
    nowMs: base + s.nowOffsetMin * MINUTE + s.nowJitterMs,
    slotStepMinutes: s.step,
    minNoticeMinutes: s.minNotice,
    horizonDays: s.horizonDays,
    service: {
      durationMinutes: s.duration,
      bufferBeforeMinutes: s.bufferBefore,
      bufferAfterMinutes: s.bufferAfter,
    },
    businessHours: s.businessHours,
    breaks: s.breaks,
    closures: s.closures.map(range),
    staff: s.staff.map((m, i): StaffAvailabilityInput => ({
      id: ids[i],
      sortOrder: m.sortOrder,
      hours: m.hours,
      timeOff: m.timeOff.map(range),
      bookings: m.bookings.map((b): ExistingBooking => ({
        startMs: base + b.startMin * MINUTE,
        endMs: base + (b.startMin + b.lenMin) * MINUTE,
        bufferBeforeMinutes: b.before,
        bufferAfterMinutes: b.after,
      })),
      ...(m.durationMinutes === undefined ? {} : { durationMinutes: m.durationMinutes }),
    })),
  };
}

// ------------------------------------------------------------------------------------------
// Brute-force reference, written straight from the rules with Temporal.
// ------------------------------------------------------------------------------------------

interface Iv {
  s: number;
  e: number;
}

function localInstant(date: Temporal.PlainDate, minute: number, tz: string): number {
  return date.toPlainDateTime().add({ minutes: minute }).toZonedDateTime(tz, {
    disambiguation: "compatible",
  }).epochMilliseconds;
}

function localDate(ms: number, tz: string): Temporal.PlainDate {
  return Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO(tz).toPlainDate();
}

function durationOf(q: SlotQuery, m: StaffAvailabilityInput): number {
  return (m.durationMinutes ?? q.service.durationMinutes) * MINUTE;
}

/** Minute intervals of a weekly list on one weekday (unmerged; overlaps are harmless). */
function onWeekday(list: WeeklyInterval[], weekday: number): Iv[] {
  return list.filter((w) => w.weekday === weekday).map((w) => ({
    s: w.startMinute,
    e: w.endMinute,
  }));
}

class Reference {
  readonly from: Temporal.PlainDate;
  readonly lastDate: Temporal.PlainDate;
  readonly opens = new Map<string, Iv[]>();
  readonly cuts = new Map<string, Iv[]>();
  readonly breakIvs: Iv[] = [];

  constructor(readonly q: SlotQuery) {
    this.from = Temporal.PlainDate.from(q.fromDate);
    this.lastDate = localDate(q.nowMs, q.timeZone).add({ days: q.horizonDays });
    const first = this.from.subtract({ days: 1 });
    const maxDur = Math.max(
      q.service.durationMinutes,
      ...q.staff.map((m) => m.durationMinutes ?? 0),
    );
    const count = q.days + 2 + Math.ceil(maxDur / 1440);
    for (let i = 0; i < count; i++) {
      const d = first.add({ days: i });
      for (const b of q.breaks) {
        if (b.weekday === null || b.weekday === d.dayOfWeek) {
          this.breakIvs.push({
            s: localInstant(d, b.startMinute, q.timeZone),
            e: localInstant(d, b.endMinute, q.timeZone),
          });
        }
      }
    }
    for (const m of q.staff) {
      const opens: Iv[] = [];
      for (let i = 0; i < count; i++) {
        const d = first.add({ days: i });
        const salon = onWeekday(q.businessHours, d.dayOfWeek);
        const own = m.hours === null ? [{ s: 0, e: 1440 }] : onWeekday(m.hours, d.dayOfWeek);
        for (const a of salon) {
          for (const b of own) {
            const s = Math.max(a.s, b.s);
            const e = Math.min(a.e, b.e);
            if (s < e) {
              opens.push({ s: localInstant(d, s, q.timeZone), e: localInstant(d, e, q.timeZone) });
            }
          }
        }
      }
      this.opens.set(m.id, opens);
      this.cuts.set(m.id, [
        ...this.breakIvs,
        ...q.closures.map((c) => ({ s: c.startMs, e: c.endMs })),
        ...m.timeOff.map((t) => ({ s: t.startMs, e: t.endMs })),
      ]);
    }
  }

  /** Every grid instant of the requested local dates: wall-clock walk, both instants if repeated. */
  gridInstants(): { ms: number; date: string }[] {
    const out: { ms: number; date: string }[] = [];
    for (let i = 0; i < this.q.days; i++) {
      const d = this.from.add({ days: i });
      for (let minute = 0; minute < 1440; minute += this.q.slotStepMinutes) {
        const wall = d.toPlainDateTime().add({ minutes: minute });
        const found = new Set<number>();
        for (const disambiguation of ["earlier", "later"] as const) {
          const z = wall.toZonedDateTime(this.q.timeZone, { disambiguation });
          // In a spring-forward gap neither candidate shows the requested wall-clock time.
          if (Temporal.PlainDateTime.compare(z.toPlainDateTime(), wall) === 0) {
            found.add(z.epochMilliseconds);
          }
        }
        for (const ms of found) out.push({ ms, date: d.toString() });
      }
    }
    return out.sort((a, b) => a.ms - b.ms);
  }

  /** [s, e) lies inside the union of `opens` and touches no `cuts` (exact, boundary-wise). */
  static covered(s: number, e: number, opens: Iv[], cuts: Iv[]): boolean {
    const points = [s];
    for (const iv of [...opens, ...cuts]) {
      if (iv.s > s && iv.s < e) points.push(iv.s);
      if (iv.e > s && iv.e < e) points.push(iv.e);
    }
    return points.every((p) =>
      opens.some((o) => o.s <= p && p < o.e) && !cuts.some((c) => c.s <= p && p < c.e)
    );
  }

  bookable(m: StaffAvailabilityInput, ms: number): boolean {
    const q = this.q;
    if (ms < q.nowMs + q.minNoticeMinutes * MINUTE) return false;
    if (Temporal.PlainDate.compare(localDate(ms, q.timeZone), this.lastDate) > 0) return false;
    const end = ms + durationOf(q, m);
    if (!Reference.covered(ms, end, this.opens.get(m.id)!, this.cuts.get(m.id)!)) return false;
    const cs = ms - q.service.bufferBeforeMinutes * MINUTE;
    const ce = end + q.service.bufferAfterMinutes * MINUTE;
    return !m.bookings.some((b) => {
      const bs = b.startMs - b.bufferBeforeMinutes * MINUTE;
      const be = b.endMs + b.bufferAfterMinutes * MINUTE;
      return bs < be && cs < be && bs < ce;
    });
  }

  bookedMinutes(m: StaffAvailabilityInput, date: string): number {
    return m.bookings
      .filter((b) => localDate(b.startMs, this.q.timeZone).toString() === date)
      .reduce((sum, b) => sum + (b.endMs - b.startMs) / MINUTE, 0);
  }
}

function overlaps(a: Iv, b: Iv): boolean {
  return a.s < a.e && b.s < b.e && a.s < b.e && b.s < a.e;
}

/** Deterministic sample of at most n items. */
function sample<T>(items: T[], n: number): T[] {
  if (items.length <= n) return items;
  const stride = items.length / n;
  return Array.from({ length: n }, (_, i) => items[Math.floor(i * stride)]);
}

Deno.test("property: every slot obeys the rules and matches a brute-force reference", () => {
  let totalSlots = 0;
  let nonEmptyRuns = 0;
  fc.assert(
    fc.property(scenario, (s) => {
      const q = buildQuery(s);
      const tz = q.timeZone;
      const ref = new Reference(q);
      const result = findSlots(q);

      equal(result.length, q.days);
      const byId = new Map(q.staff.map((m) => [m.id, m]));
      const returned = new Map<number, string>();
      for (const [i, day] of result.entries()) {
        equal(day.date, ref.from.add({ days: i }).toString());
        for (const [j, slot] of day.slots.entries()) {
          if (j > 0) ok(day.slots[j - 1].startMs < slot.startMs, "sorted, unique");
          ok(!returned.has(slot.startMs), "start time once");
          returned.set(slot.startMs, slot.staffId);
          const m = byId.get(slot.staffId)!;
          ok(m !== undefined);
          equal(slot.endMs - slot.startMs, durationOf(q, m));
          const appt = { s: slot.startMs, e: slot.endMs };
          const z = Temporal.Instant.fromEpochMilliseconds(slot.startMs).toZonedDateTimeISO(tz);
          // (a) local grid and local date
          equal(z.toPlainDate().toString(), day.date);
          equal(z.second + z.millisecond + z.microsecond + z.nanosecond, 0);
          equal((z.hour * 60 + z.minute) % q.slotStepMinutes, 0);
          // (b) inside open hours
          ok(Reference.covered(appt.s, appt.e, ref.opens.get(m.id)!, []), "inside open time");
          // (c) no break, closure or time off
          for (const c of ref.cuts.get(m.id)!) ok(!overlaps(appt, c), "hits a cut");
          // (d) buffered blocks do not overlap
          const block = {
            s: slot.startMs - q.service.bufferBeforeMinutes * MINUTE,
            e: slot.endMs + q.service.bufferAfterMinutes * MINUTE,
          };
          for (const b of m.bookings) {
            const bb = {
              s: b.startMs - b.bufferBeforeMinutes * MINUTE,
              e: b.endMs + b.bufferAfterMinutes * MINUTE,
            };
            ok(!overlaps(block, bb), "buffered blocks overlap");
          }
          // (e) notice and horizon
          ok(slot.startMs >= q.nowMs + q.minNoticeMinutes * MINUTE);
          ok(Temporal.PlainDate.compare(z.toPlainDate(), ref.lastDate) <= 0);
        }
      }

      // (f) exact agreement with the reference, and isSlotAvailable agreeing with both.
      const grid = ref.gridInstants();
      const expected = new Map<number, StaffAvailabilityInput[]>();
      for (const g of grid) {
        const eligible = q.staff.filter((m) => ref.bookable(m, g.ms));
        if (eligible.length > 0) expected.set(g.ms, eligible);
      }
      deepEqual([...returned.keys()], [...expected.keys()], "same start times as the reference");
      for (const day of result) {
        for (const slot of day.slots) {
          const eligible = expected.get(slot.startMs)!;
          ok(eligible.some((m) => m.id === slot.staffId), "assigned member is eligible");
          if (eligible.length > 1) {
            const key = (m: StaffAvailabilityInput) =>
              [ref.bookedMinutes(m, day.date), m.sortOrder, m.id] as const;
            const best = eligible.reduce((a, b) => {
              const [ka, kb] = [key(a), key(b)];
              if (ka[0] !== kb[0]) return ka[0] < kb[0] ? a : b;
              if (ka[1] !== kb[1]) return ka[1] < kb[1] ? a : b;
              return ka[2] < kb[2] ? a : b;
            });
            equal(slot.staffId, best.id, "anyone fairness");
          }
        }
      }
      for (const day of result) {
        for (const slot of sample(day.slots, 15)) {
          ok(isSlotAvailable(q, slot.staffId, slot.startMs), "returned slot is available");
        }
      }
      const notReturned = grid.filter((g) => !returned.has(g.ms));
      for (const g of sample(notReturned, 25)) {
        for (const m of q.staff) {
          equal(isSlotAvailable(q, m.id, g.ms), false, `grid ${new Date(g.ms).toISOString()}`);
        }
      }
      // Eligible-but-not-assigned members are available too (anyone mode).
      for (const [ms, eligible] of sample([...expected.entries()], 10)) {
        for (const m of q.staff) {
          equal(isSlotAvailable(q, m.id, ms), eligible.includes(m));
        }
      }
      // Off-grid instants are never available.
      for (const g of sample(grid, 5)) {
        ok(!isSlotAvailable(q, q.staff[0].id, g.ms + MINUTE * (q.slotStepMinutes === 5 ? 1 : 3)));
      }

      totalSlots += returned.size;
      if (returned.size > 0) nonEmptyRuns++;
    }),
    { numRuns: 200, seed: 0x5a10_2026 },
  );
  // Guard against a generator that only ever produces empty results.
  ok(nonEmptyRuns >= 40, `only ${nonEmptyRuns} runs produced slots`);
  ok(totalSlots > 1000, `only ${totalSlots} slots in total`);
});
