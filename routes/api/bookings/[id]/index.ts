import { assertSignedIn } from "@/services/auth/authorize.ts";
import { bookingJson, getBookingDetails } from "@/services/bookings/mod.ts";
import { defineHandlers } from "../../../_define.ts";

/** One of the signed-in customer's bookings; anyone else's is a 404. */
export const handler = defineHandlers({
  async GET(c) {
    const state = c.var.state;
    assertSignedIn(state);
    const booking = await getBookingDetails(c.var.deps.db, c.req.param("id") ?? "", {
      customerId: state.user.id,
    });
    return c.json({
      booking: {
        ...bookingJson(booking),
        salon: {
          slug: booking.salon_slug,
          name_ar: booking.salon_name_ar,
          name_en: booking.salon_name_en,
          timezone: booking.salon_timezone,
        },
        service: { name_ar: booking.service_name_ar, name_en: booking.service_name_en },
        staff: { name_ar: booking.staff_name_ar, name_en: booking.staff_name_en },
      },
    });
  },
});
