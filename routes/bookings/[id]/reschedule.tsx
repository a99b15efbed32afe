import { z } from "zod";
import { BookingSummary } from "@/components/BookingSummary.tsx";
import { BOX, BUTTON, CHIP, DAY, GRID, LEGEND, NAV, TONE } from "@/components/slot_styles.ts";
import { dayMonth, dayPart, fullDualDate, hijriDayMonth, weekdayShort } from "@/i18n/calendar.ts";
import { formatTime } from "@/i18n/format.ts";
import { assertSignedIn } from "@/services/auth/authorize.ts";
import {
  type BookingDetails,
  getBookingDetails,
  rescheduleBooking,
} from "@/services/bookings/mod.ts";
import { ConflictError } from "@/services/errors.ts";
import {
  addDays,
  isIsoDate,
  listSlots,
  listVisitSlots,
  localDateOf,
} from "@/services/slots/load.ts";
import { salonTravelMinutes, withTravel } from "@/services/bookings/home.ts";
import { type AppContext, defineHandlers, definePage, page } from "../../_define.ts";
import { readForm } from "../../_http.ts";

/** Days the date strip shows at a time, as on the booking page. */
const DAYS_SHOWN = 14;

const MoveForm = z.object({
  start: z.iso.datetime({ offset: true, error: "booking.error.start" }),
  csrf_token: z.string().optional(),
});

interface RescheduleData {
  booking: BookingDetails;
  today: string;
  date: string;
  /** The strip: consecutive local dates and whether each has a free time. */
  days: { date: string; available: boolean }[];
  /** Free start instants (epoch ms) on `date`. */
  slots: number[];
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
  // The two-week window of the strip that holds the date, counted from today.
  const offset = Temporal.PlainDate.from(today).until(date).days;
  const windowStart = addDays(today, Math.floor(offset / DAYS_SHOWN) * DAYS_SHOWN);
  // A visit of several services (or a home visit) moves whole, each service keeping its staff
  // member: the times are the visit engine's, as the move re-checks them.
  const active = booking.items.filter((i) => i.status === "active");
  const travel = booking.location === "home"
    ? await salonTravelMinutes(c.var.deps.db, booking.salon_id)
    : 0;
  const common = {
    salonId: booking.salon_id,
    fromDate: windowStart,
    days: DAYS_SHOWN,
    now,
    excludeBookingId: booking.id,
  };
  const { days } = active.length > 1 || booking.location === "home"
    ? await listVisitSlots(c.var.deps.db, {
      ...common,
      items: withTravel(
        active.map((i) => ({ serviceId: i.service_id, staff: i.staff_id, guest: i.guest })),
        travel,
      ),
    })
    : await listSlots(c.var.deps.db, {
      ...common,
      serviceId: booking.service_id,
      staff: booking.staff_id,
    });
  const slots = days.find((d) => d.date === date)?.slots.map((s) => s.startMs) ?? [];
  return page<RescheduleData>({
    booking,
    today,
    date,
    days: days.map((d) => ({ date: d.date, available: d.slots.length > 0 })),
    slots,
    error,
  }, {
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

/**
 * The new time is the customer's choice: nothing is preselected, so no single click moves the
 * booking. The booking's own time shows in its place, marked as current and not selectable.
 */
export default definePage<typeof handler>(function ReschedulePage({ data, state }) {
  const { t, fmt } = state;
  const b = data.booking;
  const tz = b.salon_timezone;
  const base = `/bookings/${b.id}/reschedule`;
  const first = data.days[0].date;
  const last = data.days[data.days.length - 1].date;
  const earlier = first > data.today ? addDays(first, -DAYS_SHOWN) : null;
  const later = addDays(last, 1);
  const currentMs = b.starts_at.getTime();
  const times = localDateOf(currentMs, tz) === data.date && !data.slots.includes(currentMs)
    ? [...data.slots, currentMs].sort((x, y) => x - y)
    : data.slots;
  const parts = (["morning", "afternoon", "evening"] as const).map((part) => ({
    part,
    times: times.filter((ms) => dayPart(ms, tz) === part),
  }));
  return (
    <div class="max-w-2xl mx-auto space-y-6">
      <h1 class="text-2xl font-bold">{t("bookingPage.reschedule")}</h1>
      {data.error && (
        <p role="alert" class="rounded-xl bg-rose-50 border border-rose-200 p-4 text-rose-900">
          {t("booking.slotTaken")}
        </p>
      )}
      <BookingSummary booking={b} state={state} />
      <div class="space-y-2">
        <ol class="flex gap-2 overflow-x-auto pb-2" aria-label={t("book.dates")}>
          {data.days.map((d) => {
            const selected = d.date === data.date;
            const tone = selected ? TONE.current : d.available ? TONE.open : TONE.full;
            return (
              <li class="shrink-0">
                <a
                  href={`${base}?date=${d.date}`}
                  aria-current={selected ? "date" : undefined}
                  class={`${DAY} ${tone}`}
                >
                  <span class="text-xs font-semibold">
                    {d.date === data.today
                      ? t("book.today")
                      : d.date === addDays(data.today, 1)
                      ? t("book.tomorrow")
                      : weekdayShort(d.date, fmt)}
                  </span>
                  <span class="text-sm">{dayMonth(d.date, fmt)}</span>
                  <span class="text-[0.7rem]">{hijriDayMonth(d.date, fmt)}</span>
                  {d.available ? null : <span class="sr-only">{t("book.dayUnavailable")}</span>}
                </a>
              </li>
            );
          })}
        </ol>
        <div class="flex items-center gap-2">
          {earlier && <a href={`${base}?date=${earlier}`} class={NAV}>{t("book.earlier")}</a>}
          <a href={`${base}?date=${later}`} class={`${NAV} ms-auto`}>{t("book.later")}</a>
        </div>
      </div>
      <form method="post" action={base} class="space-y-4">
        <input type="hidden" name="csrf_token" value={state.csrfToken} />
        <h2 class="font-semibold">
          {t("book.slotsFor", { date: fullDualDate(data.date, fmt) })}
        </h2>
        {data.slots.length === 0 && <p class={BOX}>{t("bookingPage.noSlots")}</p>}
        {parts.map(({ part, times }) =>
          times.length > 0 && (
            <fieldset>
              <legend class={LEGEND}>{t(`book.${part}`)}</legend>
              <div class={GRID}>
                {times.map((ms) =>
                  ms === currentMs
                    ? (
                      <p class="rounded-lg border border-dashed border-stone-400 bg-stone-50 px-2 py-2 text-center text-sm text-stone-700">
                        {formatTime(ms, tz, fmt)}
                        <span class="block text-xs">{t("bookingPage.currentTime")}</span>
                      </p>
                    )
                    : (
                      <label class="relative">
                        <input
                          type="radio"
                          name="start"
                          value={new Date(ms).toISOString()}
                          required
                          class="peer sr-only"
                        />
                        <span class={CHIP}>{formatTime(ms, tz, fmt)}</span>
                      </label>
                    )
                )}
              </div>
            </fieldset>
          )
        )}
        {data.slots.some((ms) => ms !== currentMs) && (
          <button type="submit" class={BUTTON}>{t("bookingPage.moveHere")}</button>
        )}
      </form>
      <a href={`/bookings/${b.id}`} class="text-rose-700 underline underline-offset-4">
        {t("bookingPage.back")}
      </a>
    </div>
  );
});
