import type { ComponentChildren } from "preact";
import { customerLabel } from "@/components/dashboard/people.ts";
import { DashboardLayout } from "@/components/dashboard/ui.tsx";
import { dayMonth, fullDualDate, minuteLabel, weekdayShort } from "@/i18n/calendar.ts";
import { formatNumber, formatTime } from "@/i18n/format.ts";
import { defineHandlers, definePage, page, type RequestState } from "@/routes/_define.ts";
import type { BookingStatus } from "@/services/bookings/model.ts";
import {
  type Interval,
  loadSchedule,
  type Schedule,
  type StaffSchedule,
  wallMinute,
} from "@/services/dashboard/schedule.ts";
import { addDays, isIsoDate, localDateOf } from "@/services/slots/load.ts";
import { dashboardContext, layoutOf, type RouteAccess } from "../_guard.ts";

export const access: RouteAccess = "staff";

type View = "day" | "week";

/**
 * `/dashboard/:salon/calendar?view=day|week&date=YYYY-MM-DD&staff=<id>`: one column per staff
 * member (per day in the week view), bookings placed by their time in the salon's zone; outside
 * working hours, breaks, closures and time off shaded. A booking links to its page, where it is
 * confirmed, cancelled, moved or marked. Staff see their own column only. No JavaScript.
 */
export const handler = defineHandlers({
  async GET(c) {
    const ctx = await dashboardContext(c, "staff");
    const q = c.req.query();
    const view: View = q.view === "week" ? "week" : "day";
    const today = localDateOf(ctx.actor.now, ctx.salon.timezone);
    const date = q.date && isIsoDate(q.date) ? q.date : today;
    // The week view is the seven days from the chosen date: the front desk looks ahead.
    const from = date;
    const staffFilter = ctx.access.role === "manager" && q.staff ? q.staff : null;
    const schedule = await loadSchedule(c.var.deps.db, ctx.actor, ctx.salon.id, {
      fromDate: from,
      days: view === "week" ? 7 : 1,
      staffId: staffFilter,
    });
    const allStaff = staffFilter
      ? (await loadSchedule(c.var.deps.db, ctx.actor, ctx.salon.id, { fromDate: from, days: 1 }))
        .staff
      : schedule.staff;
    return page({
      layout: await layoutOf(c, ctx, "calendar"),
      schedule,
      staffOptions: allStaff.map((s) => ({ id: s.id, name_ar: s.name_ar, name_en: s.name_en })),
      view,
      date,
      today,
      staffFilter,
      now: ctx.actor.now,
    }, { title: c.var.state.t("dash.nav.calendar") });
  },
});

const PX_PER_MINUTE = 1;

const BOOKING_STYLE: Record<BookingStatus, string> = {
  pending: "bg-amber-100 border-amber-400 text-amber-950",
  confirmed: "bg-rose-100 border-rose-400 text-rose-950",
  completed: "bg-sky-100 border-sky-400 text-sky-950",
  no_show: "bg-stone-200 border-stone-400 text-stone-700 line-through",
  cancelled: "bg-stone-100 border-stone-300 text-stone-500",
  expired: "bg-stone-100 border-stone-300 text-stone-500",
};

/** The hours the grid shows: from the earliest work or booking to the latest, whole hours. */
function visibleRange(schedule: Schedule): { start: number; end: number } {
  let start = 1440;
  let end = 0;
  const widen = (i: Interval, date: string) => {
    start = Math.min(start, wallMinute(i.startMs, date, schedule.timeZone));
    end = Math.max(end, wallMinute(i.endMs, date, schedule.timeZone));
  };
  for (const date of schedule.dates) {
    for (const st of schedule.staff) {
      for (const w of st.working[date] ?? []) widen(w, date);
      for (const b of st.bookings) {
        if (localDateOf(b.starts_at, schedule.timeZone) === date) {
          widen({ startMs: b.starts_at.getTime(), endMs: b.ends_at.getTime() }, date);
        }
      }
    }
  }
  if (start >= end) return { start: 9 * 60, end: 21 * 60 };
  return { start: Math.floor(start / 60) * 60, end: Math.min(1440, Math.ceil(end / 60) * 60) };
}

/** An absolutely placed block from `startMin` to `endMin` (wall minutes) within the range. */
function place(startMin: number, endMin: number, range: { start: number; end: number }) {
  const s = Math.max(startMin, range.start);
  const e = Math.min(endMin, range.end);
  if (e <= s) return null;
  return `top-[${Math.round((s - range.start) * PX_PER_MINUTE)}px] h-[${
    Math.max(Math.round((e - s) * PX_PER_MINUTE), 2)
  }px]`;
}

function Column(
  { schedule, staff, date, range, base, state, now, compact }: {
    schedule: Schedule;
    staff: StaffSchedule;
    date: string;
    range: { start: number; end: number };
    base: string;
    state: RequestState;
    now: Date;
    compact: boolean;
  },
) {
  const { t, locale, fmt } = state;
  const tz = schedule.timeZone;
  const m = (ms: number) => wallMinute(ms, date, tz);
  const height = (range.end - range.start) * PX_PER_MINUTE;
  const blocks: ComponentChildren[] = [];
  const shade = (i: Interval, cls: string, label: string, kind: string) => {
    const pos = place(m(i.startMs), m(i.endMs), range);
    if (!pos) return;
    blocks.push(
      <div
        class={`absolute inset-x-0 ${pos} ${cls} overflow-hidden px-1 text-[11px]`}
        data-kind={kind}
        title={label}
      >
        {!compact && label}
      </div>,
    );
  };
  for (const w of staff.working[date] ?? []) shade(w, "bg-white", "", "working");
  for (const b of schedule.breaks[date] ?? []) {
    shade(b, "bg-stone-200/80 text-stone-600", locale === "ar" ? b.label_ar : b.label_en, "break");
  }
  for (const off of staff.timeOff) {
    shade(
      off,
      "bg-amber-50 text-amber-900 border-y border-amber-200",
      t("dash.cal.timeOff"),
      "time-off",
    );
  }
  for (const cl of schedule.closures) {
    shade(
      cl,
      "bg-stone-300/90 text-stone-800",
      `${t("dash.cal.closed")}${
        (locale === "ar" ? cl.reason_ar : cl.reason_en)
          ? ` · ${locale === "ar" ? cl.reason_ar : cl.reason_en}`
          : ""
      }`,
      "closure",
    );
  }
  for (let h = Math.ceil(range.start / 60); h * 60 < range.end; h++) {
    if (h * 60 === range.start) continue;
    blocks.push(
      <div
        class={`pointer-events-none absolute inset-x-0 top-[${
          (h * 60 - range.start) * PX_PER_MINUTE
        }px] border-t border-stone-200`}
        aria-hidden="true"
      />,
    );
  }
  for (const b of staff.bookings) {
    const pos = place(m(b.starts_at.getTime()), m(b.ends_at.getTime()), range);
    if (!pos || localDateOf(b.ends_at.getTime() - 1, tz) < date) continue;
    const service = locale === "ar" ? b.service_name_ar : b.service_name_en;
    const time = `${formatTime(b.starts_at, tz, fmt)} – ${formatTime(b.ends_at, tz, fmt)}`;
    // A visit's services share its customer; a guest's shows the guest's name.
    const customer = b.guest_name ?? customerLabel(t, b);
    const part = b.visit_items > 1
      ? t("dash.calendar.visitPart", {
        n: formatNumber(b.visit_position, fmt),
        of: formatNumber(b.visit_items, fmt),
      })
      : "";
    blocks.push(
      <a
        href={`${base}/bookings/${b.id}`}
        class={`absolute inset-x-0.5 ${pos} z-10 overflow-hidden rounded-md border-s-4 border ${
          BOOKING_STYLE[b.status]
        } px-1 py-0.5 text-xs leading-tight shadow-sm hover:z-20 hover:shadow-md`}
        key={b.item_id}
        data-booking-id={b.id}
        data-item-id={b.item_id}
        data-status={b.status}
        title={`${time} · ${customer} · ${service}${part && ` · ${part}`} · ${
          t(`booking.status.${b.status}`)
        }`}
      >
        <span class="block font-semibold">
          {formatTime(b.starts_at, tz, fmt)}
          {part && <span class="ms-1 font-normal" data-visit-part>{part}</span>}
        </span>
        {!compact && (
          <>
            <bdi class="block truncate">{customer}</bdi>
            <span class="block truncate">{service}</span>
          </>
        )}
        <span class="sr-only">{t(`booking.status.${b.status}`)}</span>
      </a>,
    );
  }
  const nowMs = now.getTime();
  if (localDateOf(now, tz) === date) {
    const pos = place(m(nowMs), m(nowMs) + 1, range);
    if (pos) {
      blocks.push(
        <div
          class={`pointer-events-none absolute inset-x-0 ${pos} z-30 border-t-2 border-rose-600`}
          data-kind="now"
          aria-hidden="true"
        />,
      );
    }
  }
  return (
    <div
      class={`relative h-[${height}px] bg-stone-100 border-s border-stone-200`}
      data-staff={staff.id}
      data-date={date}
    >
      {blocks}
    </div>
  );
}

export default definePage<typeof handler>(function CalendarPage({ data, state }) {
  const { t, fmt, locale } = state;
  const { schedule, layout, view, date } = data;
  const ar = locale === "ar";
  const range = visibleRange(schedule);
  const height = (range.end - range.start) * PX_PER_MINUTE;
  const base = layout.base;
  const step = view === "week" ? 7 : 1;
  const link = (params: Record<string, string | null>) => {
    const p = new URLSearchParams();
    const merged: Record<string, string | null> = {
      view,
      date,
      staff: data.staffFilter,
      ...params,
    };
    for (const [k, v] of Object.entries(merged)) if (v) p.set(k, v);
    return `${base}/calendar?${p}`;
  };
  const compact = view === "week" && schedule.staff.length > 1;
  const colMin = view === "week" ? (compact ? "min-w-[3.5rem]" : "min-w-[6rem]") : "min-w-[9rem]";
  const hours: number[] = [];
  for (let h = range.start / 60; h * 60 < range.end; h++) hours.push(h);
  const heading = view === "week"
    ? t("dash.cal.weekOf", { date: fullDualDate(schedule.dates[0], fmt) })
    : fullDualDate(date, fmt);

  return (
    <DashboardLayout layout={layout} state={state} now={data.now}>
      <div class="flex flex-wrap items-center gap-2">
        <h2 class="me-auto text-xl font-semibold">{heading}</h2>
        <a
          href={link({ date: addDays(date, -step) })}
          class="rounded-full border border-stone-300 bg-white px-3 py-1 text-sm hover:bg-stone-100"
          rel="prev"
        >
          {view === "week" ? t("dash.cal.prevWeek") : t("dash.cal.prevDay")}
        </a>
        <a
          href={link({ date: data.today })}
          class="rounded-full border border-stone-300 bg-white px-3 py-1 text-sm hover:bg-stone-100"
        >
          {t("book.today")}
        </a>
        <a
          href={link({ date: addDays(date, step) })}
          class="rounded-full border border-stone-300 bg-white px-3 py-1 text-sm hover:bg-stone-100"
          rel="next"
        >
          {view === "week" ? t("dash.cal.nextWeek") : t("dash.cal.nextDay")}
        </a>
        <span
          class="inline-flex overflow-hidden rounded-full border border-stone-300 bg-white text-sm"
          role="group"
          aria-label={t("dash.cal.view")}
        >
          {(["day", "week"] as const).map((v) => (
            <a
              href={link({ view: v })}
              aria-current={v === view ? "page" : undefined}
              class={`px-3 py-1 ${v === view ? "bg-rose-700 text-white" : "hover:bg-stone-100"}`}
            >
              {t(`dash.cal.${v}`)}
            </a>
          ))}
        </span>
      </div>
      <form method="get" action={`${base}/calendar`} class="flex flex-wrap items-end gap-3">
        <input type="hidden" name="view" value={view} />
        <label class="block">
          <span class="mb-1 block text-sm font-medium">{t("book.date")}</span>
          <input
            type="date"
            name="date"
            value={date}
            class="h-10 rounded-lg border border-stone-300 bg-white px-3"
          />
        </label>
        {layout.role === "manager" && data.staffOptions.length > 1 && (
          <label class="block">
            <span class="mb-1 block text-sm font-medium">{t("book.staff")}</span>
            <select name="staff" class="h-10 rounded-lg border border-stone-300 bg-white px-3">
              <option value="">{t("dash.cal.allStaff")}</option>
              {data.staffOptions.map((s) => (
                <option value={s.id} selected={s.id === data.staffFilter}>
                  {ar ? s.name_ar : s.name_en}
                </option>
              ))}
            </select>
          </label>
        )}
        <button
          type="submit"
          class="h-10 rounded-full border border-stone-300 bg-white px-4 hover:bg-stone-100"
        >
          {t("dash.show")}
        </button>
      </form>

      {schedule.staff.length === 0 ? <p class="text-stone-600">{t("dash.cal.noStaff")}</p> : (
        <div
          class="overflow-x-auto rounded-xl border border-stone-200 bg-white"
          data-calendar={view}
        >
          <div class="flex min-w-max">
            <div class="sticky start-0 z-40 w-16 shrink-0 bg-white">
              <div class={view === "week" ? "h-16" : "h-10"} />
              <div class={`relative h-[${height}px]`} aria-hidden="true">
                {hours.map((h) => (
                  <span
                    class={`absolute start-1 top-[${(h * 60 - range.start) * PX_PER_MINUTE}px] ${
                      h * 60 === range.start ? "" : "-translate-y-1/2"
                    } bg-white text-[11px] text-stone-600`}
                  >
                    {minuteLabel(h * 60, fmt)}
                  </span>
                ))}
              </div>
            </div>
            {schedule.dates.map((d) => (
              <div class="flex-1 border-s border-stone-300">
                {view === "week" && (
                  <a
                    href={link({ view: "day", date: d })}
                    class={`block h-6 truncate px-1 text-center text-xs font-semibold ${
                      d === data.today ? "bg-rose-700 text-white" : "bg-stone-50 hover:bg-stone-100"
                    }`}
                  >
                    {weekdayShort(d, fmt)} {dayMonth(d, fmt)}
                  </a>
                )}
                <div class="flex">
                  {schedule.staff.map((st) => (
                    <div class={`flex-1 ${colMin}`}>
                      <div
                        class={`${"h-10"} truncate border-s border-b border-stone-200 px-1 py-2 text-center text-xs font-medium`}
                        title={ar ? st.name_ar : st.name_en}
                      >
                        {ar ? st.name_ar : st.name_en}
                      </div>
                      <Column
                        schedule={schedule}
                        staff={st}
                        date={d}
                        range={range}
                        base={base}
                        state={state}
                        now={data.now}
                        compact={compact}
                      />
                    </div>
                  ))}
                </div>
              </div>
            ))}
          </div>
        </div>
      )}
      <ul class="flex flex-wrap gap-3 text-xs text-stone-700" aria-label={t("dash.cal.legend")}>
        <li class="flex items-center gap-1">
          <span class="h-3 w-3 rounded-sm border border-rose-400 bg-rose-100" />
          {t("booking.status.confirmed")}
        </li>
        <li class="flex items-center gap-1">
          <span class="h-3 w-3 rounded-sm border border-amber-400 bg-amber-100" />
          {t("booking.status.pending")}
        </li>
        <li class="flex items-center gap-1">
          <span class="h-3 w-3 rounded-sm border border-sky-400 bg-sky-100" />
          {t("booking.status.completed")}
        </li>
        <li class="flex items-center gap-1">
          <span class="h-3 w-3 rounded-sm border border-stone-400 bg-stone-200" />
          {t("booking.status.no_show")}
        </li>
        <li class="flex items-center gap-1">
          <span class="h-3 w-3 rounded-sm border border-amber-200 bg-amber-50" />
          {t("dash.cal.timeOff")}
        </li>
        <li class="flex items-center gap-1">
          <span class="h-3 w-3 rounded-sm bg-stone-300" />
          {t("dash.cal.closed")}
        </li>
        <li class="flex items-center gap-1">
          <span class="h-3 w-3 rounded-sm border border-stone-300 bg-stone-100" />
          {t("dash.cal.offHours")}
        </li>
      </ul>
    </DashboardLayout>
  );
});
