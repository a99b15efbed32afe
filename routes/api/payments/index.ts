import { z } from "zod";
import { assertSignedIn } from "@/services/auth/authorize.ts";
import { AppError } from "@/services/errors.ts";
import { checkoutUrlFor, paymentJson, startPayment } from "@/services/payments/mod.ts";
import { defineHandlers } from "../../_define.ts";
import { readJson } from "../../_http.ts";

const CreatePaymentBody = z.object({ booking_id: z.uuid("validation.invalid") });

export const handler = defineHandlers({
  /**
   * Starts (or returns) the online payment of the signed-in customer's pending booking: 201 with a
   * new hosted payment page (`checkout_url`), 200 with the one already open. `Idempotency-Key`
   * makes retries safe; without Moyasar keys → 503.
   */
  async POST(c) {
    const state = c.var.state;
    assertSignedIn(state);
    const key = c.req.header("idempotency-key")?.trim();
    if (!key || key.length > 200) throw new AppError(400, "payments.error.idempotencyKey");
    const body = await readJson(c, CreatePaymentBody);
    const { deps } = c.var;
    const { payment, created } = await startPayment(deps.db, deps.payments ?? null, {
      bookingId: body.booking_id,
      customerId: state.user.id,
      locale: state.locale,
      returnOrigin: deps.config.publicUrl ?? new URL(c.req.url).origin,
      now: deps.now(),
      source: "api",
      idempotencyKey: key,
      lockMs: deps.config.payments.timeoutMs + 5_000,
    });
    const json = {
      ...paymentJson(payment),
      checkout_url: payment.checkout_url ? checkoutUrlFor(payment, state.locale) : null,
    };
    return c.json({ payment: json }, created ? 201 : 200);
  },
});
