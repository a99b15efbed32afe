import { assertSignedIn } from "@/services/auth/authorize.ts";
import { bookingJson, cancelBooking } from "@/services/bookings/mod.ts";
import { defineHandlers } from "../../../_define.ts";
import { readJson } from "../../../_http.ts";
import { CancelBody } from "../_schemas.ts";

/** The customer cancels their own booking (until the salon's cancellation window opens). */
export const handler = defineHandlers({
  async POST(c) {
    const state = c.var.state;
    assertSignedIn(state);
    // The body is optional: a bare POST cancels without a reason; a JSON body is validated.
    const hasBody = /json/i.test(c.req.header("content-type") ?? "");
    const body = hasBody ? await readJson(c, CancelBody) : {};
    const booking = await cancelBooking(c.var.deps.db, {
      bookingId: c.req.param("id") ?? "",
      actor: { userId: state.user.id, role: "customer" },
      now: c.var.deps.now(),
      reason: body.reason ?? null,
      scope: { customerId: state.user.id },
    });
    return c.json({ booking: bookingJson(booking) });
  },
});
