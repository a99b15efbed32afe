import { z } from "zod";
import { BookingSummary } from "@/components/BookingSummary.tsx";
import { formatSar } from "@/i18n/format.ts";
import { assertSignedIn } from "@/services/auth/authorize.ts";
import {
  type BookingDetails,
  cancelBooking,
  getBookingDetails,
  shownStatus,
} from "@/services/bookings/mod.ts";
import { ConflictError } from "@/services/errors.ts";
import { refundOnCancellation } from "@/services/payments/cancel.ts";
import { userText } from "@/services/text.ts";
import { defineHandlers, definePage, page } from "../../_define.ts";
import { readForm } from "../../_http.ts";

const CancelForm = z.object({
  reason: userText().max(500).optional(),
  // Anything but "yes" (an old form, a stray value) is not a confirmation: back to the step.
  confirm: z.string().max(10).optional(),
  csrf_token: z.string().optional(),
});

interface CancelData {
  booking: BookingDetails;
  refundHalalas: number;
  releaseHalalas: number;
}

/**
 * `/bookings/:id/cancel`: the confirmation step. GET shows what will happen (the booking, and what
 * is refunded or released by the rules cancelling applies); the form posts `confirm=yes`. A post
 * without it (an old form, a stray click) comes back here instead of cancelling.
 */
export const handler = defineHandlers({
  async GET(c) {
    const state = c.var.state;
    assertSignedIn(state);
    const db = c.var.deps.db;
    const booking = await getBookingDetails(db, c.req.param("id") ?? "", {
      customerId: state.user.id,
    });
    const status = shownStatus(booking, c.var.deps.now());
    if (status !== "pending" && status !== "confirmed") {
      return c.redirect(`/bookings/${booking.id}`, 303);
    }
    const money = await refundOnCancellation(db, booking.id);
    return page<CancelData>({ booking, ...money }, { title: state.t("bookingPage.cancelTitle") });
  },

  async POST(c) {
    const state = c.var.state;
    assertSignedIn(state);
    const id = c.req.param("id") ?? "";
    const form = await readForm(c, CancelForm);
    if (form.confirm !== "yes") return c.redirect(`/bookings/${id}/cancel`, 303);
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

export default definePage<typeof handler>(function CancelPage({ data, state }) {
  const { t, fmt } = state;
  const b = data.booking;
  const money = data.refundHalalas > 0
    ? t("bookingPage.cancelRefund", { amount: formatSar(data.refundHalalas, fmt) })
    : data.releaseHalalas > 0
    ? t("bookingPage.cancelRelease", { amount: formatSar(data.releaseHalalas, fmt) })
    : t("bookingPage.cancelNothingPaid");
  return (
    <article class="max-w-2xl mx-auto space-y-6">
      <h1 class="text-2xl font-bold">{t("bookingPage.cancelTitle")}</h1>
      <BookingSummary booking={b} state={state} />
      <p
        role="note"
        data-refund-halalas={data.refundHalalas}
        class="rounded-xl border border-amber-200 bg-amber-50 p-4 text-amber-900"
      >
        {money}
      </p>
      <form
        method="post"
        action={`/bookings/${b.id}/cancel`}
        class="space-y-3 rounded-xl border border-stone-200 bg-white p-4"
      >
        <input type="hidden" name="csrf_token" value={state.csrfToken} />
        <input type="hidden" name="confirm" value="yes" />
        <label class="block">
          <span class="block text-sm font-medium mb-1">{t("bookingPage.cancelReason")}</span>
          <input
            name="reason"
            maxLength={500}
            class="w-full rounded-lg border border-stone-300 px-3 py-2"
          />
        </label>
        <div class="flex flex-wrap items-center gap-4">
          <button
            type="submit"
            class="rounded-full bg-rose-700 px-5 py-2 font-medium text-white hover:bg-rose-800"
          >
            {t("bookingPage.cancelConfirm")}
          </button>
          <a href={`/bookings/${b.id}`} class="text-rose-700 underline underline-offset-4">
            {t("bookingPage.cancelKeep")}
          </a>
        </div>
      </form>
    </article>
  );
});
