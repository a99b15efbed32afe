import { handlePaymentReturn } from "@/services/payments/mod.ts";
import { NotFoundError } from "@/services/errors.ts";
import { defineHandlers } from "../_define.ts";

/**
 * Where Moyasar's hosted page sends the customer back (`?payment=<ours>&id=<Moyasar's>&…`). The
 * payment is fetched from Moyasar with the secret key and checked before anything is believed;
 * then a 303 to the booking page with the outcome (`?notice=paid|payment_failed|…`).
 */
export const handler = defineHandlers({
  async GET(c) {
    const { deps } = c.var;
    const result = await handlePaymentReturn(deps.db, deps.payments ?? null, {
      paymentId: c.req.query("payment") ?? "",
      providerPaymentId: c.req.query("id") ?? null,
      now: deps.now(),
    });
    if (!result) throw new NotFoundError();
    return c.redirect(`/bookings/${result.bookingId}?notice=${result.notice}`, 303);
  },
});
