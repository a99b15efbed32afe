import { defineHandlers } from "@/routes/_define.ts";
import { readQuery, SlotsQuery } from "@/routes/salons/_params.ts";
import { getSalon } from "@/services/catalog.ts";
import { listSlots, localDateOf } from "@/services/slots/load.ts";
import { publicReads } from "@/routes/_reads.ts";

/**
 * `GET /api/salons/{slug}/slots/?service={id}&staff={id|any}&date=YYYY-MM-DD&days=N` (N ≤ 14):
 * every bookable start, per local date in the salon's zone, as ISO-8601 instants. The same
 * loader and engine re-check a booking, so a listed time is one the server accepts.
 */
export const handler = defineHandlers({
  async GET(c) {
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
