import { z } from "zod";
import { defineHandlers } from "@/routes/_define.ts";
import { readForm } from "@/routes/_http.ts";
import { cancelSalonBooking } from "@/services/dashboard/bookings.ts";
import { ConflictError } from "@/services/errors.ts";
import { text } from "../../../_fields.ts";
import { dashboardContext, type RouteAccess } from "../../../_guard.ts";
import { BOOKING_ERRORS } from "./index.tsx";

export const access: RouteAccess = "manager";

const CancelForm = z.object({
  reason: text(500),
  csrf_token: z.string().optional(),
});

/**
 * `POST /dashboard/:salon/bookings/:id/cancel` with a reason (required: the customer is told):
 * through cancelBooking with the salon as actor, audited; managers only.
 */
export const handler = defineHandlers({
  async POST(c) {
    const ctx = await dashboardContext(c, "manager");
    const id = c.req.param("id") ?? "";
    const form = await readForm(c, CancelForm);
    if (!form.reason) {
      return c.redirect(`${ctx.base}/bookings/${id}?error=dash.error.reasonRequired`, 303);
    }
    try {
      await cancelSalonBooking(c.var.deps.db, ctx.actor, ctx.salon.id, {
        bookingId: id,
        reason: form.reason,
      });
    } catch (err) {
      const key = err instanceof ConflictError && BOOKING_ERRORS.find((k) => k === err.messageKey);
      if (key) return c.redirect(`${ctx.base}/bookings/${id}?error=${key}`, 303);
      throw err;
    }
    return c.redirect(`${ctx.base}/bookings/${id}?notice=cancelled`, 303);
  },
});
