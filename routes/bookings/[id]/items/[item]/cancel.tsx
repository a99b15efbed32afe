import { z } from "zod";
import { BookingSummary } from "@/components/BookingSummary.tsx";
import { formatSar } from "@/i18n/format.ts";
import { assertSignedIn } from "@/services/auth/authorize.ts";
import {
  type BookingDetails,
  cancelBookingItem,
  getBookingDetails,
} from "@/services/bookings/mod.ts";
import { ConflictError, NotFoundError } from "@/services/errors.ts";
import { defineHandlers, definePage, page } from "../../../../_define.ts";
import { readForm } from "../../../../_http.ts";

const CancelItemForm = z.object({
  confirm: z.string().max(10).optional(),
  csrf_token: z.string().optional(),
});

interface CancelItemData {
  booking: BookingDetails;
  item: BookingDetails["items"][number];
  refundHalalas: number;
  dueHalalas: number;
}

/**
 * `/bookings/:id/items/:item/cancel`: cancelling one service of a visit. GET shows the service and
 * what cancelling it does to the money (worked out by the same transaction, rolled back); the form
 * posts `confirm=yes`. The visit's last service is cancelled by cancelling the booking.
 */
export const handler = defineHandlers({
  async GET(c) {
    const state = c.var.state;
    assertSignedIn(state);
    const db = c.var.deps.db;
    const booking = await getBookingDetails(db, c.req.param("id") ?? "", {
      customerId: state.user.id,
    });
    const item = booking.items.find((i) => i.id === c.req.param("item"));
    if (!item) throw new NotFoundError();
    const active = booking.items.filter((i) => i.status === "active");
    if (active.length <= 1) return c.redirect(`/bookings/${booking.id}/cancel`, 303);
    try {
      const preview = await cancelBookingItem(db, {
        bookingId: booking.id,
        itemId: item.id,
        actor: { userId: state.user.id, role: "customer" },
        now: c.var.deps.now(),
        scope: { customerId: state.user.id },
        preview: true,
      });
      return page<CancelItemData>({
        booking,
        item,
        refundHalalas: preview.refund_halalas,
        dueHalalas: preview.due_halalas,
      }, { title: state.t("bookingPage.cancelItemTitle") });
    } catch (err) {
      if (err instanceof ConflictError) {
        const error = err.messageKey === "booking.cancelWindowPassed" ? "?error=window" : "";
        return c.redirect(`/bookings/${booking.id}${error}`, 303);
      }
      throw err;
    }
  },

  async POST(c) {
    const state = c.var.state;
    assertSignedIn(state);
    const id = c.req.param("id") ?? "";
    const itemId = c.req.param("item") ?? "";
    const form = await readForm(c, CancelItemForm);
    if (form.confirm !== "yes") return c.redirect(`/bookings/${id}/items/${itemId}/cancel`, 303);
    try {
      await cancelBookingItem(c.var.deps.db, {
        bookingId: id,
        itemId,
        actor: { userId: state.user.id, role: "customer" },
        now: c.var.deps.now(),
        scope: { customerId: state.user.id },
      });
    } catch (err) {
      if (err instanceof ConflictError && err.messageKey === "booking.cancelWindowPassed") {
        return c.redirect(`/bookings/${id}?error=window`, 303);
      }
      throw err;
    }
    return c.redirect(`/bookings/${id}?notice=itemCancelled`, 303);
  },
});

export default definePage<typeof handler>(function CancelItemPage({ data, state }) {
  const { t, fmt, locale } = state;
  const { booking: b, item } = data;
  const service = locale === "ar" ? item.service_name_ar : item.service_name_en;
  const money = data.refundHalalas > 0
    ? t("bookingPage.cancelRefund", { amount: formatSar(data.refundHalalas, fmt) })
    : t("bookingPage.cancelNothingPaid");
  return (
    <article class="max-w-2xl mx-auto space-y-6">
      <h1 class="text-2xl font-bold">{t("bookingPage.cancelItemTitle")}</h1>
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
        action={`/bookings/${b.id}/items/${item.id}/cancel`}
        class="flex flex-wrap items-center gap-4 rounded-xl border border-stone-200 bg-white p-4"
      >
        <input type="hidden" name="csrf_token" value={state.csrfToken} />
        <input type="hidden" name="confirm" value="yes" />
        <button
          type="submit"
          class="rounded-full bg-rose-700 px-5 py-2 font-medium text-white hover:bg-rose-800"
        >
          {t("bookingPage.cancelItemConfirm")}: {service}
        </button>
        <a href={`/bookings/${b.id}`} class="text-rose-700 underline underline-offset-4">
          {t("bookingPage.cancelKeep")}
        </a>
      </form>
    </article>
  );
});
