/**
 * The slot engine for visits of several items (services, each for a guest, each with a staff
 * member or "anyone"). Pure, like {@link findSlots}, and built from the same pieces: the same free
 * time per staff member (hours, breaks, closures, time off, existing blocks widened by the item's
 * buffers), the same grid, notice and horizon, the same fairness.
 *
 * Every guest starts at the visit's start; one guest's items then run back to back in the order
 * given, the next item starting when the previous one's after-buffer and its own before-buffer
 * have passed (so one staff member doing two items in a row never overlaps their own blocks).
 * "Anyone" is resolved per item: the member who did the guest's previous item when they are free
 * (a guest is not passed from hand to hand without need), else the eligible member with the
 * fewest booked minutes that local day (counting what this visit already gave them), then the
 * lowest sortOrder, then the lowest id; a member is never given two items of one visit whose
 * blocks overlap. When the fair choice
 * for one item leaves a later item with nobody, the search backtracks (bounded per start).
 */
import {
  bookedMinutesByDay,
  type Context,
  enumerateStarts,
  freeSpans,
  isoDateFromEpochDay,
  prepare,
  type SlotQuery,
  type Span,
  type StaffAvailabilityInput,
} from "./engine.ts";

const MINUTE_MS = 60_000;
/** Assignment attempts per start before the start is given up on (bounds the worst case). */
const SEARCH_BUDGET = 256;

export interface VisitService {
  durationMinutes: number;
  bufferBeforeMinutes: number;
  bufferAfterMinutes: number;
}

export interface VisitStaff extends Omit<StaffAvailabilityInput, "durationMinutes"> {
  /** Minutes this member takes for each service they perform (their own, else the service's). */
  durations: Record<string, number>;
}

export interface VisitItemRequest {
  serviceId: string;
  /** 0 = the customer who books; 1.. = named guests. */
  guest: number;
  /** A staff id, or "any". */
  staff: string;
  /** Minutes blocked beyond the service's own buffers (a home visit's travel). */
  extraBeforeMinutes?: number;
  extraAfterMinutes?: number;
}

export interface VisitQuery extends Omit<SlotQuery, "service" | "staff"> {
  services: Record<string, VisitService>;
  staff: VisitStaff[];
  items: VisitItemRequest[];
}

export interface VisitItemSlot {
  serviceId: string;
  guest: number;
  staffId: string;
  startMs: number;
  endMs: number;
}

export interface VisitSlot {
  startMs: number;
  endMs: number;
  items: VisitItemSlot[];
}

export interface VisitSlotDay {
  date: string;
  slots: VisitSlot[];
}

interface Plan {
  ctx: Context;
  query: VisitQuery;
  /** Per item: indexes into query.staff, in no particular order. */
  candidates: number[][];
  /** Whether each item is the first of its guest. */
  firstOfGuest: boolean[];
  booked: Map<number, number>[];
  free: (staff: number, item: number) => Span[];
  /** Each item's buffers in ms: the service's plus any travel. */
  buffers: { before: number; after: number }[];
  /** How many guests the visit has (each needs someone of their own at the start). */
  guests: number;
}

function fail(message: string): never {
  throw new RangeError(`visit query: ${message}`);
}

function plan(q: VisitQuery): Plan {
  if (!Array.isArray(q.items) || q.items.length === 0) fail("items must be a non-empty array");
  const candidates = q.items.map((item, i) => {
    const service = q.services[item.serviceId];
    if (!service) fail(`item ${i}: unknown service ${item.serviceId}`);
    if (!Number.isInteger(item.guest) || item.guest < 0) fail(`item ${i}: bad guest`);
    const out: number[] = [];
    q.staff.forEach((st, idx) => {
      if (st.durations[item.serviceId] === undefined) return;
      if (item.staff === "any" || item.staff === st.id) out.push(idx);
    });
    return out;
  });
  const seen = new Set<number>();
  const firstOfGuest = q.items.map((item) => {
    const first = !seen.has(item.guest);
    seen.add(item.guest);
    return first;
  });
  // The engine builds open time far enough past each day for the longest sequence to fit.
  const perGuest = new Map<number, number>();
  q.items.forEach((item, i) => {
    const s = q.services[item.serviceId];
    let longest = s.durationMinutes;
    for (const idx of candidates[i]) {
      longest = Math.max(longest, q.staff[idx].durations[item.serviceId]);
    }
    const minutes = longest + s.bufferBeforeMinutes + s.bufferAfterMinutes +
      (item.extraBeforeMinutes ?? 0) + (item.extraAfterMinutes ?? 0);
    perGuest.set(item.guest, (perGuest.get(item.guest) ?? 0) + minutes);
  });
  const span = Math.max(...perGuest.values());
  const ctx = prepare({
    ...q,
    service: { durationMinutes: span, bufferBeforeMinutes: 0, bufferAfterMinutes: 0 },
    staff: q.staff,
  });
  const buffers = q.items.map((item) => {
    const s = q.services[item.serviceId];
    return {
      before: (s.bufferBeforeMinutes + (item.extraBeforeMinutes ?? 0)) * MINUTE_MS,
      after: (s.bufferAfterMinutes + (item.extraAfterMinutes ?? 0)) * MINUTE_MS,
    };
  });
  // Per staff member and buffers (items with the same buffers share them), built on first use.
  const byBuffers = new Map<string, Span[]>();
  const byItem: (Span[] | undefined)[][] = q.staff.map(() => q.items.map(() => undefined));
  const free = (staff: number, item: number): Span[] => {
    let spans = byItem[staff][item];
    if (spans === undefined) {
      const { before, after } = buffers[item];
      const key = `${staff}:${before}:${after}`;
      spans = byBuffers.get(key);
      if (spans === undefined) {
        spans = freeSpans(ctx, q.staff[staff], before, after);
        byBuffers.set(key, spans);
      }
      byItem[staff][item] = spans;
    }
    return spans;
  };
  return {
    ctx,
    query: q,
    candidates,
    firstOfGuest,
    booked: q.staff.map((st) => bookedMinutesByDay(ctx, st)),
    free,
    buffers,
    guests: new Set(q.items.map((it) => it.guest)).size,
  };
}

/** Whether [startMs, endMs) lies inside one of the sorted, merged spans. */
function fits(spans: Span[], startMs: number, endMs: number): boolean {
  let lo = 0;
  let hi = spans.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (spans[mid].start <= startMs) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found >= 0 && endMs <= spans[found].end;
}

interface Placed {
  staff: number;
  startMs: number;
  endMs: number;
  blockStart: number;
  blockEnd: number;
}

/** The visit at this start, or null when it does not fit. */
function assign(p: Plan, startMs: number, day: number): VisitSlot | null {
  const { query: q, candidates } = p;
  const placed: Placed[] = [];
  const nextStart = new Map<number, number>();
  const lastStaff = new Map<number, number>();
  const given = new Map<number, number>();
  const dead = q.items.map(() => new Set<number>());
  let budget = SEARCH_BUDGET;

  // Minutes each member has that day, and what this visit gave them (fairness for "anyone").
  const load = q.staff.map((_, idx) => p.booked[idx].get(day) ?? 0);
  const order = (i: number): number[] => {
    const previous = lastStaff.get(q.items[i].guest);
    const out = candidates[i].slice();
    // Insertion sort: a handful of candidates, compared without allocating.
    for (let a = 1; a < out.length; a++) {
      const x = out[a];
      let b = a - 1;
      while (b >= 0 && before(x, out[b], previous)) {
        out[b + 1] = out[b];
        b--;
      }
      out[b + 1] = x;
    }
    return out;
  };
  /** Whether candidate `a` goes before `b`: the guest's previous stylist, then the fairest. */
  const before = (a: number, b: number, previous: number | undefined): boolean => {
    if (a === previous || b === previous) return a === previous;
    const la = load[a] + (given.get(a) ?? 0);
    const lb = load[b] + (given.get(b) ?? 0);
    if (la !== lb) return la < lb;
    const sa = q.staff[a].sortOrder;
    const sb = q.staff[b].sortOrder;
    if (sa !== sb) return sa < sb;
    return q.staff[a].id < q.staff[b].id;
  };

  const place = (i: number): boolean => {
    if (i === q.items.length) return true;
    const item = q.items[i];
    const { before, after } = p.buffers[i];
    const itemStart = p.firstOfGuest[i] ? startMs : nextStart.get(item.guest)! + before;
    // Nobody is free for this item at this time, whoever did the earlier ones: skip re-trying.
    if (dead[i].has(itemStart)) return false;
    let anyFree = false;
    for (const idx of order(i)) {
      if (--budget < 0) return false;
      const endMs = itemStart + q.staff[idx].durations[item.serviceId] * MINUTE_MS;
      const blockStart = itemStart - before;
      const blockEnd = endMs + after;
      if (!fits(p.free(idx, i), itemStart, endMs)) continue;
      anyFree = true;
      const clash = placed.some((o) =>
        o.staff === idx && o.blockStart < blockEnd && blockStart < o.blockEnd
      );
      if (clash) continue;
      const previousStart = nextStart.get(item.guest);
      const previousStaff = lastStaff.get(item.guest);
      placed.push({ staff: idx, startMs: itemStart, endMs, blockStart, blockEnd });
      nextStart.set(item.guest, blockEnd);
      lastStaff.set(item.guest, idx);
      given.set(idx, (given.get(idx) ?? 0) + (endMs - itemStart) / MINUTE_MS);
      if (place(i + 1)) return true;
      placed.pop();
      if (previousStart === undefined) nextStart.delete(item.guest);
      else nextStart.set(item.guest, previousStart);
      if (previousStaff === undefined) lastStaff.delete(item.guest);
      else lastStaff.set(item.guest, previousStaff);
      given.set(idx, given.get(idx)! - (endMs - itemStart) / MINUTE_MS);
    }
    if (!anyFree) dead[i].add(itemStart);
    return false;
  };

  // Every guest starts at the visit's start: when someone's first item fits nobody then, or the
  // guests outnumber the people free then, no search can succeed.
  const freeAtStart = new Set<number>();
  for (let i = 0; i < q.items.length; i++) {
    if (!p.firstOfGuest[i]) continue;
    let any = false;
    for (const idx of candidates[i]) {
      const endMs = startMs + q.staff[idx].durations[q.items[i].serviceId] * MINUTE_MS;
      if (fits(p.free(idx, i), startMs, endMs)) {
        any = true;
        freeAtStart.add(idx);
      }
    }
    if (!any) return null;
  }
  if (freeAtStart.size < p.guests) return null;
  if (!place(0)) return null;
  const items = placed.map((pl, i) => ({
    serviceId: q.items[i].serviceId,
    guest: q.items[i].guest,
    staffId: q.staff[pl.staff].id,
    startMs: pl.startMs,
    endMs: pl.endMs,
  }));
  return { startMs, endMs: Math.max(...items.map((it) => it.endMs)), items };
}

/**
 * Every start at which the whole visit fits, per requested local date (one VisitSlotDay per date,
 * in order), each with the items' staff, start and end.
 *
 * @throws RangeError on an invalid query.
 */
export function findVisitSlots(query: VisitQuery): VisitSlotDay[] {
  const p = plan(query);
  const { ctx } = p;
  const days: VisitSlotDay[] = [];
  for (let i = 0; i < query.days; i++) {
    days.push({ date: isoDateFromEpochDay(ctx.fromDay + i), slots: [] });
  }
  if (ctx.lastDay < ctx.fromDay) return days;
  // A visit starts when its first item can: where any of that item's candidates could take it.
  const first = query.items[0];
  const starts = new Map<number, number>();
  for (const idx of p.candidates[0]) {
    const durationMs = query.staff[idx].durations[first.serviceId] * MINUTE_MS;
    enumerateStarts(ctx, p.free(idx, 0), durationMs, (startMs, day) => {
      starts.set(startMs, day);
    });
  }
  for (const startMs of [...starts.keys()].sort((a, b) => a - b)) {
    const day = starts.get(startMs)!;
    const slot = assign(p, startMs, day);
    if (slot) days[day - ctx.fromDay].slots.push(slot);
  }
  return days;
}
