import { z } from "zod";
import { timeRange } from "@/components/dashboard/bookings.tsx";
import { customerLabel } from "@/components/dashboard/people.ts";
import { Alert, BUTTON, Csrf, DashboardLayout, INPUT } from "@/components/dashboard/ui.tsx";
import { fullDualDate } from "@/i18n/calendar.ts";
import { formatSar, formatTime } from "@/i18n/format.ts";
import { defineHandlers, definePage, page } from "@/routes/_define.ts";
import { readForm } from "@/routes/_http.ts";
import { getSalonBooking, rescheduleSalonBooking } from "@/services/dashboard/bookings.ts";
import { ConflictError, ValidationError } from "@/services/errors.ts";
import { isIsoDate, listSlots, listVisitSlots, localDateOf } from "@/services/slots/load.ts";
import { itemsOfBooking } from "@/services/bookings/items.ts";
import { dashboardContext, layoutOf, type RouteAccess } from "../../../_guard.ts";

export const access: RouteAccess = "manager";

const MoveForm = z.object({
  start: z.iso.datetime({ offset: true, error: "booking.error.start" }),
  staff: z.union([z.literal("any"), z.literal("keep"), z.uuid()], { error: "slots.error.staff" }),
  /** One service of a visit moves alone. */
  item: z.uuid().optional(),
  csrf_token: z.string().optional(),
});

/**
 * `/dashboard/:salon/bookings/:id/reschedule?date=&staff=`: the free times of a local date for
 * this booking's service (its own time not counting against it), with the same staff member,
 * another one who performs the service, or anyone. POST moves it through rescheduleBooking (locks,
 * re-check, exclusion constraint), audited; a time taken meanwhile comes back here with a notice.
 */
export const handler = defineHandlers({
  async GET(c) {
    const ctx = await dashboardContext(c, "manager");
    const db = c.var.deps.db;
    const { booking } = await getSalonBooking(db, ctx.actor, ctx.salon.id, c.req.param("id") ?? "");
    const q = c.req.query();
    const tz = ctx.salon.timezone;
    const today = localDateOf(ctx.actor.now, tz);
    const bookedDate = localDateOf(booking.starts_at, tz);
    const date = q.date && isIsoDate(q.date) ? q.date : bookedDate < today ? today : bookedDate;
    const items = (await itemsOfBooking(db, booking.id)).filter((i) => i.status === "active");
    const item = items.find((i) => i.id === q.item) ?? null;
    // A visit of several services moves whole (each keeping its staff member, or anyone).
    if (!item && items.length > 1) {
      const keep = q.staff !== "any";
      let visitSlots: { start: string; staffIds: string[] }[] = [];
      let cannot = false;
      try {
        const { days } = await listVisitSlots(db, {
          salonId: ctx.salon.id,
          items: items.map((i) => ({
            serviceId: i.service_id,
            staff: keep ? i.staff_id : "any",
            guest: i.guest,
          })),
          fromDate: date,
          days: 1,
          now: ctx.actor.now,
          excludeBookingId: booking.id,
          ignoreNotice: true,
        });
        visitSlots = (days[0]?.slots ?? []).map((s) => ({
          start: new Date(s.startMs).toISOString(),
          staffIds: s.items.map((i) => i.staffId),
        }));
      } catch (err) {
        if (!(err instanceof ValidationError)) throw err;
        cannot = true;
      }
      return page({
        layout: await layoutOf(c, ctx, "bookings"),
        booking,
        date,
        staff: keep ? "keep" : "any",
        performers: [],
        slots: visitSlots.map((s) => ({ start: s.start, staffId: s.staffIds.join(",") })),
        visit: items,
        item: null,
        unavailable: cannot,
        taken: q.error === "taken",
        now: ctx.actor.now,
      }, { title: c.var.state.t("dash.booking.reschedule") });
    }
    const serviceId = item?.service_id ?? booking.service_id;
    const ownStaff = item?.staff_id ?? booking.staff_id;
    const performers = await db.query<
      { id: string; name_ar: string; name_en: string; price_halalas: number }
    >(
      `SELECT st.id, st.name_ar, st.name_en,
              coalesce(ss.price_halalas, v.price_halalas) AS price_halalas
       FROM staff st
       JOIN staff_services ss ON ss.staff_id = st.id AND ss.service_id = $2
       JOIN services v ON v.id = ss.service_id
       WHERE st.salon_id = $1 AND st.active ORDER BY st.sort_order, st.name_en`,
      [ctx.salon.id, serviceId],
    );
    const staff = q.staff === "any" || performers.some((p) => p.id === q.staff)
      ? q.staff!
      : performers.some((p) => p.id === ownStaff)
      ? ownStaff
      : "any";
    let slots: { start: string; staffId: string }[] = [];
    let unavailable = false;
    try {
      const { days } = await listSlots(db, {
        salonId: ctx.salon.id,
        serviceId,
        staff,
        fromDate: date,
        days: 1,
        now: ctx.actor.now,
        ...(item ? { excludeItemId: item.id } : { excludeBookingId: booking.id }),
        ignoreNotice: true,
      });
      slots = (days[0]?.slots ?? []).map((s) => ({
        start: new Date(s.startMs).toISOString(),
        staffId: s.staffId,
      }));
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      unavailable = true;
    }
    return page({
      layout: await layoutOf(c, ctx, "bookings"),
      booking,
      date,
      staff,
      performers,
      slots,
      visit: items,
      item,
      unavailable,
      taken: q.error === "taken",
      now: ctx.actor.now,
    }, { title: c.var.state.t("dash.booking.reschedule") });
  },

  async POST(c) {
    const ctx = await dashboardContext(c, "manager");
    const id = c.req.param("id") ?? "";
    const form = await readForm(c, MoveForm);
    try {
      await rescheduleSalonBooking(c.var.deps.db, ctx.actor, ctx.salon.id, {
        bookingId: id,
        start: new Date(form.start),
        staffId: form.staff === "keep" ? undefined : form.staff,
        itemId: form.item,
      });
    } catch (err) {
      if (err instanceof ConflictError && err.messageKey === "booking.slotTaken") {
        const date = localDateOf(new Date(form.start), ctx.salon.timezone);
        return c.redirect(
          `${ctx.base}/bookings/${id}/reschedule?date=${date}&staff=${form.staff}${
            form.item ? `&item=${form.item}` : ""
          }&error=taken`,
          303,
        );
      }
      if (err instanceof ConflictError && err.messageKey === "booking.transitionNotAllowed") {
        return c.redirect(`${ctx.base}/bookings/${id}?error=${err.messageKey}`, 303);
      }
      throw err;
    }
    return c.redirect(`${ctx.base}/bookings/${id}?notice=rescheduled`, 303);
  },
});

export default definePage<typeof handler>(function ReschedulePage({ data, state }) {
  const { t, fmt, locale } = state;
  const { booking: b, layout } = data;
  const ar = locale === "ar";
  const tz = layout.salon.timezone;
  const base = `${layout.base}/bookings/${b.id}`;
  const nameOf = (ids: string) =>
    ids.split(",").map((id) => {
      const p = data.performers.find((s) => s.id === id);
      if (p) return ar ? p.name_ar : p.name_en;
      const i = data.visit.find((v) => v.staff_id === id);
      return i ? (ar ? i.staff_name_ar : i.staff_name_en) : "";
    }).join(ar ? "، " : ", ");
  const movingVisit = data.visit.length > 1 && !data.item;
  return (
    <DashboardLayout layout={layout} state={state} now={data.now}>
      <h2 class="text-xl font-semibold">{t("dash.booking.reschedule")}</h2>
      <p class="text-stone-700">
        <bdi>{customerLabel(t, b)}</bdi> · {data.item
          ? (ar ? data.item.service_name_ar : data.item.service_name_en)
          : data.visit.map((i) => ar ? i.service_name_ar : i.service_name_en).join(" + ")} ·{" "}
        {t("dash.booking.now", {
          when: `${fullDualDate(localDateOf(b.starts_at, tz), fmt)} ${
            timeRange(b.starts_at, b.ends_at, tz, state)
          }`,
        })}
      </p>
      <p class="text-sm text-stone-700">{t("dash.booking.movePrice")}</p>
      {data.taken && <Alert>{t("booking.slotTaken")}</Alert>}
      <form method="get" action={`${base}/reschedule`} class="flex flex-wrap items-end gap-3">
        <label class="block">
          <span class="mb-1 block text-sm font-medium">{t("book.date")}</span>
          <input type="date" name="date" value={data.date} class={INPUT} />
        </label>
        <label class="block">
          <span class="mb-1 block text-sm font-medium">{t("book.staff")}</span>
          {data.item && <input type="hidden" name="item" value={data.item.id} />}
          <select name="staff" class={INPUT}>
            {movingVisit && (
              <option value="keep" selected={data.staff === "keep"}>
                {t("dash.booking.keepStaff")}
              </option>
            )}
            <option value="any" selected={data.staff === "any"}>{t("book.anyone")}</option>
            {data.performers.map((p) => (
              <option value={p.id} selected={p.id === data.staff}>
                {ar ? p.name_ar : p.name_en}
                {t("app.separator")}
                {formatSar(p.id === b.staff_id ? b.price_halalas : p.price_halalas, fmt)}
              </option>
            ))}
          </select>
        </label>
        <button
          type="submit"
          class="rounded-full border border-stone-300 bg-white px-4 py-2 hover:bg-stone-100"
        >
          {t("dash.show")}
        </button>
      </form>
      <h3 class="font-semibold">{fullDualDate(data.date, fmt)}</h3>
      {data.unavailable
        ? <p class="text-stone-700">{t("dash.booking.cannotMove")}</p>
        : data.slots.length === 0
        ? <p class="text-stone-700">{t("book.noSlots")}</p>
        : (
          <form method="post" action={`${base}/reschedule`} class="space-y-4">
            <Csrf state={state} />
            <input type="hidden" name="staff" value={data.staff} />
            {data.item && <input type="hidden" name="item" value={data.item.id} />}
            <fieldset>
              <legend class="sr-only">{t("book.slotsFor", { date: data.date })}</legend>
              <div class="flex flex-wrap gap-2">
                {data.slots.map((s) =>
                  // Nothing is preselected; the booking's own time and person are no move.
                  !movingVisit && s.start === (data.item?.starts_at ?? b.starts_at).toISOString() &&
                    s.staffId === (data.item?.staff_id ?? b.staff_id)
                    ? (
                      <span class="rounded-full border border-dashed border-stone-400 bg-stone-50 px-3 py-1.5 text-stone-700">
                        {formatTime(new Date(s.start), tz, fmt)}{" "}
                        <span class="text-xs">· {t("dash.booking.currentTime")}</span>
                      </span>
                    )
                    : (
                      <label class="cursor-pointer rounded-full border border-stone-300 bg-white px-3 py-1.5">
                        <input type="radio" name="start" value={s.start} required class="me-1" />
                        {formatTime(new Date(s.start), tz, fmt)}
                        {(data.staff === "any" || movingVisit) && (
                          <span class="text-xs text-stone-600">· {nameOf(s.staffId)}</span>
                        )}
                      </label>
                    )
                )}
              </div>
            </fieldset>
            <button type="submit" class={BUTTON}>{t("dash.booking.moveHere")}</button>
          </form>
        )}
      <p>
        <a href={base} class="text-rose-700 underline underline-offset-4">
          {t("bookingPage.back")}
        </a>
      </p>
    </DashboardLayout>
  );
});
