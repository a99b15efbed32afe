/**
 * Property tests of the visit engine on random schedules: a one-service visit answers exactly as
 * findSlots does; every listed visit keeps each item inside its staff member's free time, each
 * guest's items back to back by the buffer rule, nobody in two overlapping blocks (the visit's own
 * included), the first item on the grid and after the notice; and the engine re-run on the three
 * days around a listed start (as booking creation re-checks) gives the same assignment.
 */
import fc from "fast-check";
import { deepEqual, ok } from "node:assert/strict";
import {
  findSlots,
  isoDateFromEpochDay,
  isSlotAvailable,
  type SlotQuery,
  type StaffAvailabilityInput,
} from "./engine.ts";
import { findVisitSlots, type VisitQuery, type VisitService } from "./visit_engine.ts";

const MINUTE = 60_000;
const DAY = 86_400_000;
const FROM = "2026-11-22";
const FROM_MS = Date.UTC(2026, 10, 22);

const service: fc.Arbitrary<VisitService> = fc.record({
  durationMinutes: fc.constantFrom(15, 30, 45, 60, 90),
  bufferBeforeMinutes: fc.constantFrom(0, 0, 5, 10),
  bufferAfterMinutes: fc.constantFrom(0, 0, 10, 15),
});

/** Existing bookings: random 30–120 minute appointments over the three days. */
const bookings = fc.array(
  fc.record({
    offset: fc.integer({ min: 0, max: 3 * 24 * 4 }).map((q) => q * 15 * MINUTE),
    minutes: fc.constantFrom(30, 45, 60, 120),
    before: fc.constantFrom(0, 10),
    after: fc.constantFrom(0, 15),
  }),
  { maxLength: 8 },
);

const world = fc.record({
  services: fc.array(service, { minLength: 1, maxLength: 3 }),
  staff: fc.array(
    fc.record({
      performs: fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }),
      slow: fc.boolean(),
      bookings,
      hours: fc.constantFrom<[number, number] | null>(null, [600, 1200], [540, 900]),
    }),
    { minLength: 1, maxLength: 4 },
  ),
  items: fc.array(
    fc.record({ service: fc.nat(2), guest: fc.nat(1), named: fc.nat(3) }),
    { minLength: 1, maxLength: 4 },
  ),
  anyone: fc.boolean(),
  step: fc.constantFrom(15, 30),
  notice: fc.constantFrom(0, 60, 600),
});

type World = typeof world extends fc.Arbitrary<infer W> ? W : never;

function build(w: World): VisitQuery {
  const services = Object.fromEntries(w.services.map((s, i) => [`s${i}`, s]));
  const staff = w.staff.map((st, i) => ({
    id: `st${i}`,
    sortOrder: i,
    hours: st.hours === null ? null : [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({
      weekday,
      startMinute: st.hours![0],
      endMinute: st.hours![1],
    })),
    timeOff: [],
    bookings: st.bookings.map((b) => ({
      startMs: FROM_MS + b.offset,
      endMs: FROM_MS + b.offset + b.minutes * MINUTE,
      bufferBeforeMinutes: b.before,
      bufferAfterMinutes: b.after,
    })),
    durations: Object.fromEntries(
      w.services.flatMap((s, k) =>
        st.performs[k] || i === 0 ? [[`s${k}`, s.durationMinutes + (st.slow ? 15 : 0)]] : []
      ),
    ),
  }));
  const items = w.items
    .map((it) => ({
      serviceId: `s${it.service % w.services.length}`,
      guest: it.guest,
      staff: w.anyone ? "any" : `st${it.named % w.staff.length}`,
    }))
    // Every guest starting at 0 and sorted, as normalizeVisit hands them over.
    .map((it, _, all) => ({ ...it, guest: all.some((o) => o.guest === 0) ? it.guest : 0 }))
    .sort((a, b) => a.guest - b.guest);
  return {
    timeZone: "Asia/Riyadh",
    fromDate: FROM,
    days: 2,
    nowMs: FROM_MS + 7 * 3_600_000,
    slotStepMinutes: w.step,
    minNoticeMinutes: w.notice,
    horizonDays: 30,
    businessHours: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({
      weekday,
      startMinute: 540,
      endMinute: 1320,
    })),
    breaks: [{ weekday: null, startMinute: 720, endMinute: 750 }],
    closures: [],
    services,
    staff,
    items: items.filter((it) => staff.some((st) => st.id === it.staff || it.staff === "any")),
  };
}

/** Whether the named staff member of each item performs its service (else the loader refuses). */
function answerable(q: VisitQuery): boolean {
  return q.items.length > 0 &&
    q.items.every((it) =>
      it.staff === "any"
        ? q.staff.some((st) => st.durations[it.serviceId] !== undefined)
        : q.staff.find((st) => st.id === it.staff)?.durations[it.serviceId] !== undefined
    );
}

Deno.test("visit engine - a one-service visit answers exactly as findSlots", () => {
  fc.assert(
    fc.property(world, (w) => {
      const q = build({ ...w, items: [w.items[0]] });
      if (!answerable(q)) return;
      const item = q.items[0];
      const s = q.services[item.serviceId];
      const staff: StaffAvailabilityInput[] = q.staff
        .filter((st) => st.durations[item.serviceId] !== undefined)
        .filter((st) => item.staff === "any" || st.id === item.staff)
        .map(({ durations, ...st }) => ({ ...st, durationMinutes: durations[item.serviceId] }));
      const single: SlotQuery = { ...q, service: s, staff };
      const expected = findSlots(single).map((d) => ({
        date: d.date,
        slots: d.slots.map((x) => [x.startMs, x.endMs, x.staffId]),
      }));
      const actual = findVisitSlots(q).map((d) => ({
        date: d.date,
        slots: d.slots.map((x) => [x.startMs, x.endMs, x.items[0].staffId]),
      }));
      deepEqual(actual, expected);
    }),
    { numRuns: 150 },
  );
});

Deno.test("visit engine - every listed visit keeps the rules, and a re-check agrees", () => {
  fc.assert(
    fc.property(world, (w) => {
      const q = build(w);
      if (!answerable(q)) return;
      for (const day of findVisitSlots(q)) {
        for (const slot of day.slots) {
          ok(slot.startMs >= q.nowMs + q.minNoticeMinutes * MINUTE, "after the notice");
          const blocks: { staff: string; start: number; end: number }[] = [];
          const lastEnd = new Map<number, number>();
          slot.items.forEach((it, i) => {
            const req = q.items[i];
            const s = q.services[req.serviceId];
            const st = q.staff.find((x) => x.id === it.staffId)!;
            ok(req.staff === "any" || req.staff === it.staffId, "the named staff member");
            ok(st.durations[req.serviceId] !== undefined, "performs the service");
            const before = lastEnd.get(it.guest);
            const expectedStart = before === undefined
              ? slot.startMs
              : before + s.bufferBeforeMinutes * MINUTE;
            ok(it.startMs === expectedStart, "back to back by the buffer rule");
            lastEnd.set(it.guest, it.endMs + s.bufferAfterMinutes * MINUTE);
            // The item alone would be bookable for this staff member at this time.
            const alone: SlotQuery = {
              ...q,
              service: s,
              minNoticeMinutes: 0,
              slotStepMinutes: 5,
              staff: [{ ...st, durationMinutes: st.durations[req.serviceId] }],
            };
            if ((it.startMs - FROM_MS) % (5 * MINUTE) === 0) {
              ok(isSlotAvailable(alone, st.id, it.startMs), "inside the staff member's free time");
            }
            blocks.push({
              staff: it.staffId,
              start: it.startMs - s.bufferBeforeMinutes * MINUTE,
              end: it.endMs + s.bufferAfterMinutes * MINUTE,
            });
          });
          for (const a of blocks) {
            for (const b of blocks) {
              if (a !== b && a.staff === b.staff) {
                ok(a.end <= b.start || b.end <= a.start, "nobody in two items at once");
              }
            }
          }
          // The re-check booking creation runs: the three local days around the start.
          const utcDay = Math.floor(slot.startMs / DAY);
          const again = findVisitSlots({ ...q, fromDate: isoDateFromEpochDay(utcDay - 1), days: 3 })
            .flatMap((d) => d.slots).find((x) => x.startMs === slot.startMs);
          deepEqual(again, slot);
        }
      }
    }),
    { numRuns: 150 },
  );
});
