import { type AppContext, defineHandlers } from "@/routes/_define.ts";
import { sharedValue } from "@/routes/_page_cache.ts";
import { publicReads } from "@/routes/_reads.ts";
import { readQuery, SlotsQuery, VisitSlotsQuery } from "@/routes/salons/_params.ts";
import { salonTravelMinutes, withTravel } from "@/services/bookings/home.ts";
import { getSalon } from "@/services/catalog.ts";
import type { SlotDay } from "@/services/slots/engine.ts";
import { listSlots, listVisitSlots, localDateOf } from "@/services/slots/load.ts";

const MINUTE_MS = 60_000;

/**
 * `GET /api/salons/{slug}/slots/?service={id}&staff={id|any}&date=YYYY-MM-DD&days=N` (N ≤ 14):
 * every bookable start, per local date in the salon's zone, as ISO-8601 instants. The same
 * loader and engine re-check a booking, so a listed time is one the server accepts.
 *
 * `?services={id},{id}&staff=any` (or `staff={id},{id}`, one per service, in order; `guests=0,0,1`
 * says whose each service is, all the customer's by default): every start at which the whole
 * visit fits, each with its items' service, staff, guest, start and end. `home=1`: at the
 * customer's home (the staff member's travel blocked around it).
 *
 * `format=compact` (one service): the staff ids once, then per day `[start, staff]` pairs, the
 * start in minutes since the epoch and the staff member by index; each member's duration once.
 *
 * Every visitor asking the same question in the same minute shares one answer, until the salon's
 * schedule changes (the database announces it, as for public pages). The minute's answer counts
 * notice from the minute's end and holds as of its start, so it never lists a time the server
 * would refuse for a reason that changes within the minute.
 */
export const handler = defineHandlers({
  async GET(c) {
    if (c.req.query("services") !== undefined || c.req.query("home") === "1") {
      return await visitSlots(c);
    }
    const db = publicReads(c);
    const query = readQuery(c, SlotsQuery);
    const compact = c.req.query("format") === "compact";
    const salon = await sharedSalon(c);
    const { at, minute, noticeFrom } = clock(c);
    // The answer is shared as its JSON text: serialized once, not per visitor.
    const json = await sharedValue(
      c,
      `slots:${salon.id}:${query.service}:${query.staff}:${query.date}:${query.days}:${minute}:` +
        (compact ? "compact" : "full"),
      salon.id,
      async () => {
        const result = await listSlots(db, {
          salonId: salon.id,
          serviceId: query.service,
          staff: query.staff,
          fromDate: query.date ?? localDateOf(at, salon.timezone),
          days: query.days,
          now: new Date((minute - 1) * MINUTE_MS),
          noticeFrom,
        });
        if (compact) {
          return JSON.stringify({ timezone: result.timeZone, ...compactDays(result.days) });
        }
        return JSON.stringify({
          timezone: result.timeZone,
          days: result.days.map((day) => ({
            date: day.date,
            slots: day.slots.map((s) => ({
              start: new Date(s.startMs).toISOString(),
              end: new Date(s.endMs).toISOString(),
              staff_id: s.staffId,
            })),
          })),
        });
      },
    );
    return jsonText(c, json);
  },
});

/** The salon by its slug, shared like the answers (a rename or a closure drops it). */
function sharedSalon(c: AppContext) {
  const slug = c.req.param("slug")!;
  return sharedValue(c, `salon:${slug}`, (salon) => salon.id, () => getSalon(publicReads(c), slug));
}

function jsonText(c: AppContext, json: string): Response {
  return c.body(json, 200, {
    "content-type": "application/json",
    "cache-control": "no-store",
  });
}

/**
 * The request's minute (the one ending at or after it), the instant notice counts from for an
 * answer shared in it (the minute's end), and `minute` − 1 as the instant holds are judged at (its
 * start: a hold lapsing within the minute still counts).
 */
function clock(c: AppContext) {
  const at = c.var.deps.now();
  const minute = Math.ceil(at.getTime() / MINUTE_MS);
  return { at, minute, noticeFrom: new Date(minute * MINUTE_MS) };
}

/** Staff ids and durations once; each slot as [start in epoch minutes, staff index]. */
function compactDays(days: SlotDay[]) {
  const staff: string[] = [];
  const durations: number[] = [];
  const index = (id: string, minutes: number) => {
    let i = staff.indexOf(id);
    if (i < 0) {
      i = staff.push(id) - 1;
      durations.push(minutes);
    }
    return i;
  };
  const out = days.map((day) => ({
    date: day.date,
    slots: day.slots.map((s) => [
      s.startMs / MINUTE_MS,
      index(s.staffId, (s.endMs - s.startMs) / MINUTE_MS),
    ]),
  }));
  return { staff, duration_minutes: durations, days: out };
}

async function visitSlots(c: AppContext) {
  const db = publicReads(c);
  const raw = c.req.query();
  // The one-service form (`service=`) with `home=1` is a one-item visit.
  const query = readQuery(c, VisitSlotsQuery, { ...raw, services: raw.services ?? raw.service });
  const salon = await sharedSalon(c);
  const { at, minute, noticeFrom } = clock(c);
  const items = query.services.map((serviceId, i) => ({
    serviceId,
    staff: query.staff.length === 1 ? query.staff[0] : query.staff[i],
    guest: query.guests?.[i] ?? 0,
  })).sort((a, b) => a.guest - b.guest);
  const key = `visit:${salon.id}:${JSON.stringify(items)}:${query.home}:${query.date}:` +
    `${query.days}:${minute}`;
  const json = await sharedValue(c, key, salon.id, async () => {
    const result = await listVisitSlots(db, {
      salonId: salon.id,
      items: query.home ? withTravel(items, await salonTravelMinutes(db, salon.id)) : items,
      fromDate: query.date ?? localDateOf(at, salon.timezone),
      days: query.days,
      now: new Date((minute - 1) * MINUTE_MS),
      noticeFrom,
    });
    return JSON.stringify({
      timezone: result.timeZone,
      days: result.days.map((day) => ({
        date: day.date,
        slots: day.slots.map((s) => ({
          start: new Date(s.startMs).toISOString(),
          end: new Date(s.endMs).toISOString(),
          items: s.items.map((it) => ({
            service: it.serviceId,
            staff: it.staffId,
            guest: it.guest,
            start: new Date(it.startMs).toISOString(),
            end: new Date(it.endMs).toISOString(),
          })),
        })),
      })),
    });
  });
  return jsonText(c, json);
}
