import { z } from "zod";
import { defineHandlers } from "@/routes/_define.ts";
import { readForm } from "@/routes/_http.ts";
import { setBookingStatus } from "@/services/dashboard/bookings.ts";
import { ConflictError } from "@/services/errors.ts";
import { dashboardContext, type RouteAccess } from "../../../_guard.ts";
import { BOOKING_ERRORS } from "./index.tsx";

/** Staff mark their own bookings completed or no-show; confirming is checked as a manager's. */
export const access: RouteAccess = "staff";

const StatusForm = z.object({
  to: z.enum(["confirmed", "completed", "no_show"]),
  /** A dashboard page of this salon to come back to (the agenda's quick buttons). */
  return_to: z.string().max(300).optional(),
  csrf_token: z.string().optional(),
});

/**
 * `POST /dashboard/:salon/bookings/:id/status` (`to` = confirmed | completed | no_show): through
 * changeBookingStatus with the salon as actor, audited. A refused move (not started yet, already
 * final) comes back to the booking with the reason.
 */
export const handler = defineHandlers({
  async POST(c) {
    const ctx = await dashboardContext(c, "staff");
    const id = c.req.param("id") ?? "";
    const form = await readForm(c, StatusForm);
    const back = form.return_to && form.return_to.startsWith(`${ctx.base}/`) &&
        !form.return_to.includes("//")
      ? form.return_to.split("?")[0]
      : `${ctx.base}/bookings/${id}`;
    try {
      await setBookingStatus(c.var.deps.db, ctx.actor, ctx.salon.id, {
        bookingId: id,
        to: form.to,
      });
    } catch (err) {
      const key = err instanceof ConflictError && BOOKING_ERRORS.find((k) => k === err.messageKey);
      if (key) return c.redirect(`${ctx.base}/bookings/${id}?error=${key}`, 303);
      throw err;
    }
    return c.redirect(`${back}?notice=${form.to}`, 303);
  },
});
