import { defineHandlers } from "@/routes/_define.ts";
import { getSalon, getSalonCatalog } from "@/services/catalog.ts";
import { publicReads } from "@/routes/_reads.ts";
import { homeDistricts } from "@/services/bookings/home.ts";

/** `GET /api/salons/{slug}/`: the salon with its settings, services, staff, hours and closures. */
export const handler = defineHandlers({
  async GET(c) {
    const { now } = c.var.deps;
    const db = publicReads(c);
    const salon = await getSalon(db, c.req.param("slug")!);
    const catalog = await getSalonCatalog(db, salon.id, now());
    const atHome = catalog.services.some((s) => s.at_home);
    return c.json({
      ...salon,
      home_service: atHome
        ? {
          travel_minutes: salon.home_travel_minutes,
          surcharge_halalas: salon.home_surcharge_halalas,
          radius_km: salon.home_radius_km,
          districts: await homeDistricts(db, salon.id),
        }
        : null,
      services: catalog.services.map(({ salon_id: _s, ...s }) => s),
      staff: catalog.staff.map(({ hours, ...st }) => ({ ...st, hours: hours && minutes(hours) })),
      hours: minutes(catalog.hours),
      breaks: catalog.breaks,
      closures: catalog.closures.map((cl) => ({
        ...cl,
        starts_at: cl.starts_at.toISOString(),
        ends_at: cl.ends_at.toISOString(),
      })),
    });
  },
});

function minutes(hours: { weekday: number; startMinute: number; endMinute: number }[]) {
  return hours.map((h) => ({
    weekday: h.weekday,
    start_minute: h.startMinute,
    end_minute: h.endMinute,
  }));
}
