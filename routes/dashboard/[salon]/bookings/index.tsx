import { BookingLine } from "@/components/dashboard/bookings.tsx";
import { FilterBar, FilterLabel, FilterSelect } from "@/components/dashboard/lists.tsx";
import { BUTTON, DashboardLayout, INPUT, Notice } from "@/components/dashboard/ui.tsx";
import { dayMonth, weekdayShort } from "@/i18n/calendar.ts";
import { formatNumber } from "@/i18n/format.ts";
import { type AppContext, defineHandlers, definePage, page } from "@/routes/_define.ts";
import { BOOKING_STATUSES, type BookingStatus } from "@/services/bookings/model.ts";
import { type BookingFilter, listSalonBookings } from "@/services/dashboard/bookings.ts";
import type { DashboardSalon } from "@/services/dashboard/access.ts";
import { addDays, isIsoDate, localDateOf } from "@/services/slots/load.ts";
import { dashboardContext, layoutOf, noticeOf, type RouteAccess } from "../../_guard.ts";

export const access: RouteAccess = "staff";

/** Longest date range one search (or export) covers. */
export const MAX_RANGE_DAYS = 366;

/** The search form's filters from the query string; bad values fall back to defaults. */
export function filtersOf(c: AppContext, salon: DashboardSalon, now: Date): BookingFilter {
  const q = c.req.query();
  const today = localDateOf(now, salon.timezone);
  let from = q.from && isIsoDate(q.from) ? q.from : today;
  let to = q.to && isIsoDate(q.to) ? q.to : addDays(from, 6);
  if (to < from) [from, to] = [to, from];
  if (Temporal.PlainDate.from(from).until(to).days > MAX_RANGE_DAYS) {
    to = addDays(from, MAX_RANGE_DAYS);
  }
  return {
    from,
    to,
    staffId: q.staff || null,
    status: BOOKING_STATUSES.includes(q.status as BookingStatus) ? q.status as BookingStatus : null,
    phone: (q.phone ?? "").slice(0, 40) || null,
  };
}

const NOTICES = ["created"] as const;

/**
 * `/dashboard/:salon/bookings`: search by local date range, staff member, status and customer
 * phone; each booking links to its page. Managers also get the walk-in form and the CSV export of
 * the same search. Staff see their own bookings.
 */
export const handler = defineHandlers({
  async GET(c) {
    const ctx = await dashboardContext(c, "staff");
    const db = c.var.deps.db;
    const filter = filtersOf(c, ctx.salon, ctx.actor.now);
    const { rows, more } = await listSalonBookings(db, ctx.actor, ctx.salon.id, filter);
    const staff = ctx.access.role === "manager"
      ? await db.query<{ id: string; name_ar: string; name_en: string }>(
        "SELECT id, name_ar, name_en FROM staff WHERE salon_id = $1 ORDER BY active DESC, sort_order, name_en",
        [ctx.salon.id],
      )
      : [];
    return page({
      layout: await layoutOf(c, ctx, "bookings"),
      filter,
      rows,
      more,
      staff,
      now: ctx.actor.now,
      notice: noticeOf(c, NOTICES),
      query: new URL(c.req.url).search,
    }, { title: c.var.state.t("dash.nav.bookings") });
  },
});

export default definePage<typeof handler>(function BookingsPage({ data, state }) {
  const { t, fmt, locale } = state;
  const { layout, filter } = data;
  const tz = layout.salon.timezone;
  const manager = layout.role === "manager";
  const csv = `${layout.base}/bookings.csv${data.query}`;
  return (
    <DashboardLayout layout={layout} state={state} now={data.now}>
      {data.notice && <Notice>{t(`dash.notice.${data.notice}`)}</Notice>}
      <div class="flex flex-wrap items-center gap-3">
        <h2 class="me-auto text-xl font-semibold">{t("dash.nav.bookings")}</h2>
        {manager && (
          <>
            <a
              href={csv}
              class="rounded-full border border-stone-300 bg-white px-4 py-2 text-sm hover:bg-stone-100"
            >
              {t("dash.bookings.export")}
            </a>
            <a href={`${layout.base}/bookings/new`} class={`${BUTTON} text-sm`}>
              {t("dash.walkIn.title")}
            </a>
          </>
        )}
      </div>
      <FilterBar
        action={`${layout.base}/bookings`}
        state={state}
        from={filter.from}
        to={filter.to}
        columns="lg:grid-cols-5"
      >
        {manager && (
          <FilterSelect
            name="staff"
            label={t("book.staff")}
            any={t("dash.cal.allStaff")}
            options={data.staff.map((s) =>
              [s.id, locale === "ar" ? s.name_ar : s.name_en] as const
            )}
            selected={filter.staffId}
          />
        )}
        <FilterSelect
          name="status"
          label={t("dash.bookings.status")}
          any={t("dash.bookings.anyStatus")}
          options={BOOKING_STATUSES.map((s) => [s, t(`booking.status.${s}`)] as const)}
          selected={filter.status}
        />
        <FilterLabel label={t("dash.bookings.phone")}>
          <input
            type="search"
            name="phone"
            inputMode="tel"
            dir="ltr"
            value={filter.phone ?? ""}
            placeholder="05…"
            class={INPUT}
          />
        </FilterLabel>
        <div class="flex items-end sm:col-span-2 lg:col-span-5">
          <button type="submit" class={BUTTON}>{t("home.search.submit")}</button>
        </div>
      </FilterBar>
      <p class="text-sm text-stone-600" aria-live="polite">
        {t("dash.bookings.count", { n: formatNumber(data.rows.length, fmt) })}
        {data.more && ` ${t("dash.bookings.more")}`}
      </p>
      {data.rows.length > 0 && (
        <ul
          class="divide-y divide-stone-200 rounded-xl border border-stone-200 bg-white"
          aria-label={t("dash.nav.bookings")}
        >
          {data.rows.map((b) => {
            const d = localDateOf(b.starts_at, tz);
            return (
              <BookingLine
                b={b}
                state={state}
                timeZone={tz}
                base={layout.base}
                date={`${weekdayShort(d, fmt)} ${dayMonth(d, fmt)}`}
              />
            );
          })}
        </ul>
      )}
    </DashboardLayout>
  );
});
