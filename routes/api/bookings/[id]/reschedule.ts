import { assertSignedIn } from "@/services/auth/authorize.ts";
import { bookingJson, rescheduleBooking } from "@/services/bookings/mod.ts";
import { defineHandlers } from "../../../_define.ts";
import { readJson } from "../../../_http.ts";
import { RescheduleBody } from "../_schemas.ts";

/** Moves the customer's booking atomically; 409 (and nothing changes) when the new time is taken. */
export const handler = defineHandlers({
  async POST(c) {
    const state = c.var.state;
    assertSignedIn(state);
    const body = await readJson(c, RescheduleBody);
    const booking = await rescheduleBooking(c.var.deps.db, {
      bookingId: c.req.param("id") ?? "",
      start: new Date(body.start),
      staff: body.staff,
      actor: { userId: state.user.id, role: "customer" },
      now: c.var.deps.now(),
      scope: { customerId: state.user.id },
    });
    return c.json({ booking: bookingJson(booking) });
  },
});
