import { z } from "zod";
import { BookingSummary } from "@/components/BookingSummary.tsx";
import { fullDualDate } from "@/i18n/calendar.ts";
import { formatTime } from "@/i18n/format.ts";
import { dayMonth, weekdayShort } from "@/i18n/calendar.ts";
import { assertSignedIn } from "@/services/auth/authorize.ts";
import {
  type BookingDetails,
  getBookingDetails,
  rescheduleBooking,
} from "@/services/bookings/mod.ts";
import { ConflictError } from "@/services/errors.ts";
import type { Slot } from "@/services/slots/engine.ts";
import { addDays, isIsoDate, listSlots, localDateOf } from "@/services/slots/load.ts";
import { type AppContext, defineHandlers, definePage, page } from "../../_define.ts";
import { readForm } from "../../_http.ts";

const DAYS_SHOWN = 14;

const MoveForm = z.object({
  start: z.iso.datetime({ offset: true, error: "booking.error.start" }),
  csrf_token: z.string().optional(),
});

interface RescheduleData {
  booking: BookingDetails;
  date: string;
  days: string[];
  slots: Slot[];
  error: "taken" | null;
}

async function load(
  c: AppContext,
  booking: BookingDetails,
  requested: string | undefined,
  error: RescheduleData["error"],
) {
  const now = c.var.deps.now();
  const today = localDateOf(now, booking.salon_timezone);
  const current = localDateOf(booking.starts_at, booking.salon_timezone);
  const fallback = current >= today ? current : today;
  const date = requested && isIsoDate(requested) && requested >= today ? requested : fallback;
  const { days } = await listSlots(c.var.deps.db, {
    salonId: booking.salon_id,
    serviceId: booking.service_id,
    staff: booking.staff_id,
    fromDate: date,
    days: 1,
    now,
    excludeBookingId: booking.id,
  });
  const strip = Array.from({ length: DAYS_SHOWN }, (_, i) => addDays(today, i));
  return page<RescheduleData>({ booking, date, days: strip, slots: days[0]?.slots ?? [], error }, {
    title: c.var.state.t("bookingPage.reschedule"),
    status: error ? 409 : 200,
  });
}

export const handler = defineHandlers<RescheduleData>({
  async GET(c) {
    const state = c.var.state;
    assertSignedIn(state);
    const booking = await getBookingDetails(c.var.deps.db, c.req.param("id") ?? "", {
      customerId: state.user.id,
    });
    return await load(c, booking, c.req.query("date"), null);
  },
  async POST(c) {
    const state = c.var.state;
    assertSignedIn(state);
    const id = c.req.param("id") ?? "";
    const form = await readForm(c, MoveForm);
    try {
      await rescheduleBooking(c.var.deps.db, {
        bookingId: id,
        start: new Date(form.start),
        actor: { userId: state.user.id, role: "customer" },
        now: c.var.deps.now(),
        scope: { customerId: state.user.id },
      });
    } catch (err) {
      if (err instanceof ConflictError && err.messageKey === "booking.slotTaken") {
        const booking = await getBookingDetails(c.var.deps.db, id, { customerId: state.user.id });
        return await load(
          c,
          booking,
          localDateOf(new Date(form.start), booking.salon_timezone),
          "taken",
        );
      }
      if (err instanceof ConflictError && err.messageKey === "booking.cancelWindowPassed") {
        return c.redirect(`/bookings/${id}?error=window`, 303);
      }
      throw err;
    }
    return c.redirect(`/bookings/${id}?notice=rescheduled`, 303);
  },
});

export default definePage<typeof handler>(function ReschedulePage({ data, state }) {
  const { t, fmt } = state;
  const b = data.booking;
  const base = `/bookings/${b.id}/reschedule`;
  return (
    <div class="max-w-2xl mx-auto space-y-6">
      <h1 class="text-2xl font-bold">{t("bookingPage.reschedule")}</h1>
      {data.error && (
        <p role="alert" class="rounded-xl bg-rose-50 border border-rose-200 p-4 text-rose-900">
          {t("booking.slotTaken")}
        </p>
      )}
      <BookingSummary booking={b} state={state} />
      <nav aria-label={t("book.date")} class="flex gap-2 overflow-x-auto pb-2">
        {data.days.map((day) => (
          <a
            href={`${base}?date=${day}`}
            aria-current={day === data.date ? "date" : undefined}
            class={`shrink-0 rounded-xl border px-3 py-2 text-center text-sm ${
              day === data.date
                ? "border-rose-700 bg-rose-700 text-white"
                : "border-stone-300 bg-white"
            }`}
          >
            <span class="block font-medium">{weekdayShort(day, fmt)}</span>
            <span class="block">{dayMonth(day, fmt)}</span>
          </a>
        ))}
      </nav>
      <form method="post" action={base} class="space-y-4">
        <input type="hidden" name="csrf_token" value={state.csrfToken} />
        <fieldset>
          <legend class="mb-2 font-semibold">{fullDualDate(data.date, fmt)}</legend>
          {data.slots.length
            ? (
              <div class="grid grid-cols-3 sm:grid-cols-5 gap-2">
                {data.slots.map((slot, i) => (
                  <label class="flex items-center justify-center gap-1 rounded-lg border border-stone-300 bg-white px-2 py-2 has-[:checked]:border-rose-700">
                    <input
                      type="radio"
                      name="start"
                      value={new Date(slot.startMs).toISOString()}
                      required
                      checked={i === 0}
                    />
                    <span>{formatTime(slot.startMs, b.salon_timezone, fmt)}</span>
                  </label>
                ))}
              </div>
            )
            : <p class="text-stone-600">{t("bookingPage.noSlots")}</p>}
        </fieldset>
        {data.slots.length > 0 && (
          <button
            type="submit"
            class="rounded-full bg-rose-700 px-6 py-2 font-medium text-white hover:bg-rose-800"
          >
            {t("bookingPage.moveHere")}
          </button>
        )}
      </form>
      <a href={`/bookings/${b.id}`} class="text-rose-700 underline underline-offset-4">
        {t("bookingPage.back")}
      </a>
    </div>
  );
});
