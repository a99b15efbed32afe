import { BookingSummary, StatusBadge } from "@/components/BookingSummary.tsx";
import { CustomerMessages } from "@/components/CustomerMessages.tsx";
import { InvoiceLinks } from "@/components/InvoiceLinks.tsx";
import { PaymentNotice, PaymentSection } from "@/components/PaymentSection.tsx";
import { formatDualDate, formatNumber, formatTime } from "@/i18n/format.ts";
import { assertSignedIn } from "@/services/auth/authorize.ts";
import {
  customerChangeDeadline,
  getBookingDetails,
  PAY_AT_SALON_BELOW_MINIMUM,
  payAtSalonReason,
  shownStatus,
} from "@/services/bookings/mod.ts";
import { listMessagesForBooking } from "@/services/messages/queries.ts";
import { BookingReviewPanel } from "@/components/reviews.tsx";
import { getReviewOfBooking } from "@/services/reviews/queries.ts";
import { getBookingPayments } from "@/services/payments/queries.ts";
import { defineHandlers, definePage, page } from "../_define.ts";

const NOTICES = ["booked", "cancelled", "rescheduled", "itemCancelled"] as const;
type Notice = typeof NOTICES[number];

export const handler = defineHandlers({
  async GET(c) {
    const state = c.var.state;
    assertSignedIn(state);
    const db = c.var.deps.db;
    const booking = await getBookingDetails(db, c.req.param("id") ?? "", {
      customerId: state.user.id,
    });
    const messages = (await listMessagesForBooking(db, booking.id)).filter((m) =>
      m.recipient_role === "customer"
    );
    const now = c.var.deps.now();
    const notice = c.req.query("notice");
    const payments = await getBookingPayments(db, booking.id);
    const review = booking.status === "completed"
      ? await getReviewOfBooking(db, booking.id, state.user.id)
      : null;
    return page({
      booking,
      messages,
      payments,
      review,
      paymentsAvailable: Boolean(c.var.deps.payments),
      payAtSalonReason: booking.payment_mode === "at_salon"
        ? await payAtSalonReason(db, booking.id)
        : null,
      now,
      notice: NOTICES.includes(notice as Notice) ? notice as Notice : null,
      error: c.req.query("error") === "window" ? "window" as const : null,
    }, { title: state.locale === "ar" ? booking.service_name_ar : booking.service_name_en });
  },
});

export default definePage<typeof handler>(function BookingPage({ data, state }) {
  const { now } = data;
  const b = { ...data.booking, status: shownStatus(data.booking, data.now) };
  const { t, fmt } = state;
  const active = b.status === "pending" || b.status === "confirmed";
  const deadline = customerChangeDeadline(b);
  const mayChange = active && (b.status === "pending" || now.getTime() <= deadline.getTime());
  const deadlineText = `${formatDualDate(deadline, b.salon_timezone, fmt)} ${
    formatTime(deadline, b.salon_timezone, fmt)
  }`;
  return (
    <article class="max-w-2xl mx-auto space-y-6">
      <PaymentNotice state={state} />
      {data.notice && (
        <p
          role="status"
          class="rounded-xl bg-emerald-50 border border-emerald-200 p-4 text-emerald-900"
        >
          {t(`bookingPage.notice.${data.notice}`)}
        </p>
      )}
      {data.error === "window" && (
        <p role="alert" class="rounded-xl bg-rose-50 border border-rose-200 p-4 text-rose-900">
          {t("booking.cancelWindowPassed", {
            hours: formatNumber(b.cancellation_window_hours, fmt),
          })}
        </p>
      )}
      <header class="flex flex-wrap items-center gap-3">
        <h1 class="text-2xl font-bold me-auto">{t("bookingPage.title")}</h1>
        <StatusBadge status={b.status} state={state} />
      </header>
      {b.status === "pending" && b.hold_expires_at && (
        <p class="rounded-xl bg-amber-50 border border-amber-200 p-4 text-amber-900">
          {t("bookingPage.holdUntil", {
            time: formatTime(b.hold_expires_at, b.salon_timezone, fmt),
          })}
        </p>
      )}
      <BookingSummary booking={b} state={state} />
      {b.invoices?.length
        ? (
          <section class="space-y-2" aria-labelledby="invoice">
            <h2 id="invoice" class="text-lg font-semibold">{t("invoice.documents")}</h2>
            <InvoiceLinks documents={b.invoices} state={state} />
          </section>
        )
        : null}
      {data.payAtSalonReason && (b.status === "confirmed" || b.status === "pending") && (
        <p
          role="note"
          data-pay-at-salon-fallback
          class="rounded-xl border border-amber-200 bg-amber-50 p-4 text-amber-900"
        >
          {t(
            data.payAtSalonReason === PAY_AT_SALON_BELOW_MINIMUM
              ? "bookingPage.payAtSalonBelowMinimum"
              : "bookingPage.payAtSalonFallback",
          )}
        </p>
      )}
      <PaymentSection
        booking={b}
        payments={data.payments}
        available={data.paymentsAvailable}
        now={now}
        state={state}
      />
      <BookingReviewPanel booking={b} review={data.review} now={now} state={state} />
      {active && (
        <section class="space-y-3" aria-labelledby="actions">
          <h2 id="actions" class="text-lg font-semibold">{t("bookingPage.actions")}</h2>
          <div class="flex flex-wrap gap-3">
            <a
              href={`/bookings/${b.id}/calendar.ics`}
              class="rounded-full border border-stone-300 bg-white px-4 py-2 hover:bg-stone-100"
            >
              {t("bookingPage.addToCalendar")}
            </a>
            {mayChange && (
              <a
                href={`/bookings/${b.id}/reschedule`}
                class="rounded-full border border-stone-300 bg-white px-4 py-2 hover:bg-stone-100"
              >
                {t("bookingPage.reschedule")}
              </a>
            )}
          </div>
          {mayChange
            ? (
              <div class="space-y-2 rounded-xl border border-stone-200 bg-white p-4">
                {b.status === "confirmed" && (
                  <p class="text-sm text-stone-600">
                    {t("bookingPage.cancelUntil", { when: deadlineText })}
                  </p>
                )}
                <a
                  href={`/bookings/${b.id}/cancel`}
                  class="inline-block rounded-full bg-rose-700 px-5 py-2 font-medium text-white hover:bg-rose-800"
                >
                  {t("bookingPage.cancel")}
                </a>
                {b.items.filter((i) => i.status === "active").length > 1 && (
                  <ul class="flex flex-wrap gap-3 pt-2">
                    {b.items.filter((i) => i.status === "active").map((i) => (
                      <li key={i.id}>
                        <a
                          href={`/bookings/${b.id}/items/${i.id}/cancel`}
                          class="text-sm text-rose-700 underline underline-offset-4"
                        >
                          {t("bookingPage.cancelItem", {
                            service: state.locale === "ar" ? i.service_name_ar : i.service_name_en,
                          })}
                        </a>
                      </li>
                    ))}
                  </ul>
                )}
              </div>
            )
            : (
              <p class="text-stone-700">
                {t("booking.cancelWindowPassed", {
                  hours: formatNumber(b.cancellation_window_hours, fmt),
                })}
              </p>
            )}
        </section>
      )}
      <section class="space-y-3" aria-labelledby="messages">
        <h2 id="messages" class="text-lg font-semibold">{t("messages.customerTitle")}</h2>
        <CustomerMessages
          messages={data.messages}
          state={state}
          timeZone={b.salon_timezone}
          active={active}
        />
      </section>
      <p>
        <a href="/me/bookings" class="text-rose-700 underline underline-offset-4">
          {t("bookingPage.allBookings")}
        </a>
      </p>
    </article>
  );
});
