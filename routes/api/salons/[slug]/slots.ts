import { defineHandlers } from "@/routes/_define.ts";
import { readQuery, SlotsQuery, VisitSlotsQuery } from "@/routes/salons/_params.ts";
import { getSalon } from "@/services/catalog.ts";
import { listSlots, listVisitSlots, localDateOf } from "@/services/slots/load.ts";
import type { AppContext } from "@/routes/_define.ts";
import { salonTravelMinutes, withTravel } from "@/services/bookings/home.ts";
import { publicReads } from "@/routes/_reads.ts";

/**
 * `GET /api/salons/{slug}/slots/?service={id}&staff={id|any}&date=YYYY-MM-DD&days=N` (N ≤ 14):
 * every bookable start, per local date in the salon's zone, as ISO-8601 instants. The same
 * loader and engine re-check a booking, so a listed time is one the server accepts.
 *
 * `?services={id},{id}&staff=any` (or `staff={id},{id}`, one per service, in order; `guests=0,0,1`
 * says whose each service is, all the customer's by default): every start at which the whole
 * visit fits, each with its items' service, staff, guest, start and end.
 */
export const handler = defineHandlers({
  async GET(c) {
    if (c.req.query("services") !== undefined || c.req.query("home") === "1") {
      return await visitSlots(c);
    }
    const { now } = c.var.deps;
    const db = publicReads(c);
    const query = readQuery(c, SlotsQuery);
    const salon = await getSalon(db, c.req.param("slug")!);
    const at = now();
    const result = await listSlots(db, {
      salonId: salon.id,
      serviceId: query.service,
      staff: query.staff,
      fromDate: query.date ?? localDateOf(at, salon.timezone),
      days: query.days,
      now: at,
    });
    c.header("cache-control", "no-store");
    return c.json({
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
});

async function visitSlots(c: AppContext) {
  const { now } = c.var.deps;
  const db = publicReads(c);
  const raw = c.req.query();
  // The one-service form (`service=`) with `home=1` is a one-item visit.
  const query = readQuery(c, VisitSlotsQuery, { ...raw, services: raw.services ?? raw.service });
  const salon = await getSalon(db, c.req.param("slug")!);
  const at = now();
  const items = query.services.map((serviceId, i) => ({
    serviceId,
    staff: query.staff.length === 1 ? query.staff[0] : query.staff[i],
    guest: query.guests?.[i] ?? 0,
  })).sort((a, b) => a.guest - b.guest);
  const result = await listVisitSlots(db, {
    salonId: salon.id,
    items: query.home ? withTravel(items, await salonTravelMinutes(db, salon.id)) : items,
    fromDate: query.date ?? localDateOf(at, salon.timezone),
    days: query.days,
    now: at,
  });
  c.header("cache-control", "no-store");
  return c.json({
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
}
