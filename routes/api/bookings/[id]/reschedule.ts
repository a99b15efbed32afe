import { assertSignedIn } from "@/services/auth/authorize.ts";
import { bookingJson, rescheduleBooking } from "@/services/bookings/mod.ts";
import { defineHandlers } from "../../../_define.ts";
import { readJson } from "../../../_http.ts";
import { RescheduleBody } from "../_schemas.ts";

/**
 * Moves the customer's booking atomically; 409 (and nothing changes) when the new time is taken.
 * With `preview: true` nothing changes either: the answer says what the move would do (the new
 * price, the deposit, what would be refunded or still due), checked exactly as the move is.
 */
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
      preview: body.preview,
    });
    return c.json({
      booking: bookingJson(booking),
      preview: body.preview ?? false,
      refund_halalas: booking.refund_halalas,
      due_halalas: booking.due_halalas,
    });
  },
});
