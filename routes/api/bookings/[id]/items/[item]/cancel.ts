import { assertSignedIn } from "@/services/auth/authorize.ts";
import { bookingJson, cancelBookingItem } from "@/services/bookings/mod.ts";
import { defineHandlers } from "../../../../../_define.ts";
import { readJson } from "../../../../../_http.ts";
import { CancelBody } from "../../../_schemas.ts";

/**
 * The customer cancels one service of their visit (until the salon's cancellation window opens):
 * the price and deposit are re-derived and any excess paid online is refunded.
 */
export const handler = defineHandlers({
  async POST(c) {
    const state = c.var.state;
    assertSignedIn(state);
    const hasBody = /json/i.test(c.req.header("content-type") ?? "");
    const body = hasBody ? await readJson(c, CancelBody) : {};
    const outcome = await cancelBookingItem(c.var.deps.db, {
      bookingId: c.req.param("id") ?? "",
      itemId: c.req.param("item") ?? "",
      actor: { userId: state.user.id, role: "customer" },
      now: c.var.deps.now(),
      reason: body.reason ?? null,
      scope: { customerId: state.user.id },
    });
    return c.json({
      booking: bookingJson(outcome.booking),
      refund_halalas: outcome.refund_halalas,
      due_halalas: outcome.due_halalas,
    });
  },
});
