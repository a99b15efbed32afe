import { assertSignedIn } from "@/services/auth/authorize.ts";
import {
  bookingJson,
  getBookingDetails,
  guestsOfBooking,
  itemJson,
  itemsOfBooking,
} from "@/services/bookings/mod.ts";
import { defineHandlers } from "../../../_define.ts";

/** One of the signed-in customer's bookings; anyone else's is a 404. */
export const handler = defineHandlers({
  async GET(c) {
    const state = c.var.state;
    assertSignedIn(state);
    const booking = await getBookingDetails(c.var.deps.db, c.req.param("id") ?? "", {
      customerId: state.user.id,
    });
    const items = await itemsOfBooking(c.var.deps.db, booking.id);
    const guests = await guestsOfBooking(c.var.deps.db, booking.id);
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
        items: items.map((it) => ({
          ...itemJson(it),
          service_name: { ar: it.service_name_ar, en: it.service_name_en },
          staff_name: { ar: it.staff_name_ar, en: it.staff_name_en },
        })),
        guests: guests.map((g) => ({ guest: g.position, name: g.name })),
      },
    });
  },
});
