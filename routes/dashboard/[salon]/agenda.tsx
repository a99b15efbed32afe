import { durationLabel } from "@/components/catalog.tsx";
import { BookingLine, OutcomeButtons, timeRange } from "@/components/dashboard/bookings.tsx";
import { DashboardLayout, Notice, Section } from "@/components/dashboard/ui.tsx";
import { dayMonth, fullDualDate, weekdayShort } from "@/i18n/calendar.ts";
import { formatNumber, formatSar, formatTime } from "@/i18n/format.ts";
import { defineHandlers, definePage, page } from "@/routes/_define.ts";
import { loadAgenda } from "@/services/dashboard/agenda.ts";
import { localDateOf } from "@/services/slots/load.ts";
import { dashboardContext, layoutOf, noticeOf, type RouteAccess } from "../_guard.ts";

export const access: RouteAccess = "staff";

const NOTICES = ["completed", "no_show"] as const;

/**
 * `/dashboard/:salon/agenda`: today in the salon's zone. Who comes next, who is late or not yet
 * marked (with buttons to mark them), free gaps per staff member, and (managers) bookings waiting
 * for an online payment. Staff see their own.
 */
export const handler = defineHandlers({
  async GET(c) {
    const ctx = await dashboardContext(c, "staff");
    const agenda = await loadAgenda(c.var.deps.db, ctx.actor, ctx.salon);
    return page({
      layout: await layoutOf(c, ctx, "agenda"),
      agenda,
      now: ctx.actor.now,
      notice: noticeOf(c, NOTICES),
    }, { title: c.var.state.t("dash.nav.agenda") });
  },
});

export default definePage<typeof handler>(function AgendaPage({ data, state }) {
  const { t, fmt, locale } = state;
  const { agenda, layout } = data;
  const tz = layout.salon.timezone;
  const base = layout.base;
  const ar = locale === "ar";
  /** The day of a booking that is not today ("Sun 22 Nov"), else nothing. */
  const dayOf = (d: Date) => {
    const date = localDateOf(d, tz);
    return date === agenda.date ? undefined : `${weekdayShort(date, fmt)} ${dayMonth(date, fmt)}`;
  };
  const chips: [string, number][] = [
    [t("dash.agenda.total"), agenda.counts.total],
    [t("booking.status.completed"), agenda.counts.completed],
    [t("booking.status.no_show"), agenda.counts.noShow],
    [t("booking.status.cancelled"), agenda.counts.cancelled],
  ];
  return (
    <DashboardLayout layout={layout} state={state} now={data.now}>
      {data.notice && <Notice>{t(`dash.notice.${data.notice}`)}</Notice>}
      <div class="flex flex-wrap items-center gap-3">
        <h2 class="me-auto text-xl font-semibold">
          {t("dash.agenda.today")}:{" "}
          <span class="font-normal">{fullDualDate(agenda.date, fmt)}</span>
        </h2>
        <span class="text-sm text-stone-600">
          {t("dash.agenda.now", { time: formatTime(data.now, tz, fmt) })}
        </span>
        {agenda.access.role === "manager" && (
          <a
            href={`${base}/bookings/new`}
            class="rounded-full bg-rose-700 px-4 py-2 text-sm font-medium text-white hover:bg-rose-800"
          >
            {t("dash.walkIn.title")}
          </a>
        )}
      </div>
      <ul class="flex flex-wrap gap-2" aria-label={t("dash.agenda.summary")}>
        {chips.map(([label, n]) => (
          <li class="rounded-full border border-stone-200 bg-white px-3 py-1 text-sm">
            {label}: <strong>{formatNumber(n, fmt)}</strong>
          </li>
        ))}
      </ul>

      <div class="grid gap-6 md:grid-cols-2">
        <Section title={t("dash.agenda.late")} id="late">
          {agenda.late.length === 0
            ? <p class="text-stone-600">{t("dash.agenda.noneLate")}</p>
            : (
              <ul class="divide-y divide-stone-200 rounded-xl border border-amber-300 bg-amber-50">
                {agenda.late.map((b) => (
                  <BookingLine b={b} state={state} timeZone={tz} base={base}>
                    <span class="w-full text-sm text-amber-900">
                      {t("dash.agenda.lateBy", {
                        minutes: formatNumber(
                          Math.floor((data.now.getTime() - b.starts_at.getTime()) / 60_000),
                          fmt,
                        ),
                      })}
                    </span>
                    <OutcomeButtons b={b} state={state} base={base} returnTo={`${base}/agenda`} />
                  </BookingLine>
                ))}
              </ul>
            )}
        </Section>

        <Section title={t("dash.agenda.next")} id="next">
          {agenda.next.length === 0
            ? <p class="text-stone-600">{t("dash.agenda.noneNext")}</p>
            : (
              <ul class="divide-y divide-stone-200 rounded-xl border border-stone-200 bg-white">
                {agenda.next.map((b) => (
                  <BookingLine b={b} state={state} timeZone={tz} base={base} />
                ))}
              </ul>
            )}
        </Section>

        <Section title={t("dash.agenda.gaps")} id="gaps">
          {agenda.gaps.length === 0
            ? <p class="text-stone-600">{t("dash.agenda.noGaps")}</p>
            : (
              <ul class="divide-y divide-stone-200 rounded-xl border border-stone-200 bg-white">
                {agenda.gaps.map((g) => (
                  <li
                    class="flex flex-wrap items-center gap-3 px-4 py-3"
                    data-gap-staff={g.staffId}
                  >
                    <span class="w-40 shrink-0 font-medium">
                      {timeRange(new Date(g.startMs), new Date(g.endMs), tz, state)}
                    </span>
                    <span class="me-auto">{ar ? g.name_ar : g.name_en}</span>
                    <span class="text-sm text-stone-600">
                      {durationLabel(Math.round((g.endMs - g.startMs) / 60_000), state)}
                    </span>
                  </li>
                ))}
              </ul>
            )}
        </Section>

        {agenda.access.role === "manager" && (
          <Section title={t("dash.agenda.pending")} id="pending">
            {agenda.pending.length === 0
              ? <p class="text-stone-600">{t("dash.agenda.nonePending")}</p>
              : (
                <ul class="divide-y divide-stone-200 rounded-xl border border-stone-200 bg-white">
                  {agenda.pending.map((b) => (
                    <BookingLine
                      b={b}
                      state={state}
                      timeZone={tz}
                      base={base}
                      date={dayOf(b.starts_at)}
                    >
                      <span class="w-full text-sm text-stone-700">
                        {t("dash.agenda.pendingLine", {
                          amount: formatSar(b.deposit_halalas, fmt),
                          time: formatTime(b.hold_expires_at!, tz, fmt),
                        })}
                      </span>
                    </BookingLine>
                  ))}
                </ul>
              )}
          </Section>
        )}
      </div>
    </DashboardLayout>
  );
});
