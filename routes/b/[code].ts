import { bookingIdForLink } from "@/services/messages/queries.ts";
import { NotFoundError } from "@/services/errors.ts";
import { defineHandlers } from "../_define.ts";

/** Short links in SMS and WhatsApp messages: `/b/<code>` → the booking's page. */
export const handler = defineHandlers({
  GET: async (c) => {
    const bookingId = await bookingIdForLink(c.var.deps.db, c.req.param("code") ?? "");
    if (!bookingId) throw new NotFoundError();
    return c.redirect(`/bookings/${bookingId}`, 303);
  },
});
