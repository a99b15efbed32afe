import { assertSignedIn } from "@/services/auth/authorize.ts";
import { bookingIcs, getBookingDetails, icsVersion } from "@/services/bookings/mod.ts";
import { zoneLabel } from "@/components/catalog.tsx";
import { defineHandlers } from "../../_define.ts";

/** The booking as an iCalendar file, with a reminder two hours before. */
export const handler = defineHandlers({
  async GET(c) {
    const state = c.var.state;
    assertSignedIn(state);
    const b = await getBookingDetails(c.var.deps.db, c.req.param("id") ?? "", {
      customerId: state.user.id,
    });
    const origin = c.var.deps.config.publicUrl ?? state.url.origin;
    const ics = bookingIcs(b, {
      locale: state.locale,
      url: `${origin}/bookings/${b.id}`,
      now: c.var.deps.now(),
      ...await icsVersion(c.var.deps.db, b),
      zoneLabel: zoneLabel(
        { timezone: b.salon_timezone, city_ar: b.salon_city_ar, city_en: b.salon_city_en },
        b.starts_at,
        state,
      ),
    });
    return c.body(ics, 200, {
      "content-type": "text/calendar; charset=utf-8",
      "content-disposition": `attachment; filename="booking-${b.id.slice(0, 8)}.ics"`,
    });
  },
});
