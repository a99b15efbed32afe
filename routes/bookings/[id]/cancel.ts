import { z } from "zod";
import { assertSignedIn } from "@/services/auth/authorize.ts";
import { cancelBooking } from "@/services/bookings/mod.ts";
import { ConflictError } from "@/services/errors.ts";
import { userText } from "@/services/text.ts";
import { defineHandlers } from "../../_define.ts";
import { readForm } from "../../_http.ts";

const CancelForm = z.object({
  reason: userText().max(500).optional(),
  csrf_token: z.string().optional(),
});

/** The booking page's cancel form: 303 back to the booking with a notice, or why not. */
export const handler = defineHandlers({
  async POST(c) {
    const state = c.var.state;
    assertSignedIn(state);
    const id = c.req.param("id") ?? "";
    const form = await readForm(c, CancelForm);
    try {
      await cancelBooking(c.var.deps.db, {
        bookingId: id,
        actor: { userId: state.user.id, role: "customer" },
        now: c.var.deps.now(),
        reason: form.reason?.trim() || null,
        scope: { customerId: state.user.id },
      });
    } catch (err) {
      if (err instanceof ConflictError && err.messageKey === "booking.cancelWindowPassed") {
        return c.redirect(`/bookings/${id}?error=window`, 303);
      }
      throw err;
    }
    return c.redirect(`/bookings/${id}?notice=cancelled`, 303);
  },
});
