import { assertSignedIn } from "@/services/auth/authorize.ts";
import { bookingJson, createBooking, listCustomerBookings } from "@/services/bookings/mod.ts";
import { AppError } from "@/services/errors.ts";
import { defineHandlers } from "../../_define.ts";
import { readJson } from "../../_http.ts";
import { CreateBookingBody, requestedVisit, requestHash } from "./_schemas.ts";
import { itemJson } from "@/services/bookings/items.ts";

export const handler = defineHandlers({
  /** The signed-in customer's bookings: upcoming, called off (cancelled or expired, still ahead), past. */
  async GET(c) {
    const state = c.var.state;
    assertSignedIn(state);
    const { upcoming, calledOff, past } = await listCustomerBookings(
      c.var.deps.db,
      state.user.id,
      c.var.deps.now(),
    );
    return c.json({
      upcoming: upcoming.map(bookingJson),
      called_off: calledOff.map(bookingJson),
      past: past.map(bookingJson),
    });
  },

  /**
   * Books a time for one service or a visit of several (`items`, `guests`); `Idempotency-Key`
   * makes retries safe. 201, or 409 when the time is taken.
   * `payment_notice` (`{code: "pay_at_salon", detail}`, else null) says the salon asks for payment
   * online but online payment is unavailable, so the booking is confirmed and paid at the salon.
   */
  async POST(c) {
    const state = c.var.state;
    assertSignedIn(state);
    const key = c.req.header("idempotency-key")?.trim();
    if (!key || key.length > 200) throw new AppError(400, "booking.error.idempotencyKey");
    const body = await readJson(c, CreateBookingBody);
    const { booking, items, replayed, payAtSalonFallback } = await createBooking(c.var.deps.db, {
      customerId: state.user.id,
      salon: body.salon,
      ...requestedVisit(body),
      phoneCountries: c.var.deps.config.otp.allowedCountries,
      start: new Date(body.start),
      now: c.var.deps.now(),
      actor: { userId: state.user.id, role: "customer" },
      idempotency: { key, requestHash: await requestHash(body) },
      onlinePayment: c.var.deps.payments != null,
    });
    // The salon asks for payment online but online payment is unavailable: pay at the salon.
    const paymentNotice = payAtSalonFallback
      ? { code: "pay_at_salon", detail: state.t("bookingPage.payAtSalonFallback") }
      : null;
    return c.json(
      {
        booking: bookingJson(booking),
        items: items.map(itemJson),
        start: booking.starts_at.toISOString(),
        end: booking.ends_at.toISOString(),
        price_halalas: booking.price_halalas,
        status: booking.status,
        payment_notice: paymentNotice,
      },
      replayed ? 200 : 201,
    );
  },
});
