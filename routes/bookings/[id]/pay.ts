import { z } from "zod";
import { PAY_ERROR_CODES } from "@/components/PaymentSection.tsx";
import { assertSignedIn } from "@/services/auth/authorize.ts";
import { AppError } from "@/services/errors.ts";
import { checkoutUrlFor, startPayment } from "@/services/payments/mod.ts";
import { defineHandlers } from "../../_define.ts";
import { readForm } from "../../_http.ts";

const PayForm = z.object({ csrf_token: z.string().optional() });

/** The booking page's Pay button: opens (or reopens) the hosted payment page, 303 to it. */
export const handler = defineHandlers({
  async POST(c) {
    const state = c.var.state;
    assertSignedIn(state);
    await readForm(c, PayForm);
    const id = c.req.param("id") ?? "";
    const { deps } = c.var;
    try {
      const { payment } = await startPayment(deps.db, deps.payments ?? null, {
        bookingId: id,
        customerId: state.user.id,
        locale: state.locale,
        returnOrigin: deps.config.publicUrl ?? new URL(c.req.url).origin,
        now: deps.now(),
        source: "page",
        lockMs: deps.config.payments.timeoutMs + 5_000,
      });
      return c.redirect(checkoutUrlFor(payment, state.locale), 303);
    } catch (err) {
      const code = err instanceof AppError ? PAY_ERROR_CODES[err.messageKey] : undefined;
      if (code) return c.redirect(`/bookings/${id}?payment_error=${code}`, 303);
      throw err;
    }
  },
});
