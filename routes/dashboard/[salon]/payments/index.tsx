import { timeRange } from "@/components/dashboard/bookings.tsx";
import { Amount, PaymentStatusBadge } from "@/components/dashboard/payments.tsx";
import { customerLabel } from "@/components/dashboard/people.ts";
import { FilterBar, FilterSelect } from "@/components/dashboard/lists.tsx";
import { BUTTON, DashboardLayout } from "@/components/dashboard/ui.tsx";
import { dayMonth, weekdayShort } from "@/i18n/calendar.ts";
import { formatNumber, formatSar } from "@/i18n/format.ts";
import { defineHandlers, definePage, page } from "@/routes/_define.ts";
import { listSalonPayments } from "@/services/dashboard/payments.ts";
import { PAYMENT_STATUSES, type PaymentStatus } from "@/services/payments/model.ts";
import { localDateOf } from "@/services/slots/load.ts";
import { dashboardContext, layoutOf, type RouteAccess } from "../../_guard.ts";
import { dateRangeOf } from "../../_range.ts";

/** Money: managers only. */
export const access: RouteAccess = "manager";

/**
 * `/dashboard/:salon/payments?from=&to=&status=`: the salon's online payments created in a local
 * date range (default: the last 30 days), newest first, with what was paid, refunded and kept, and
 * the totals of the whole selection. Each payment opens its page (capture, void, refund).
 */
export const handler = defineHandlers({
  async GET(c) {
    const ctx = await dashboardContext(c, "manager");
    const q = c.req.query();
    const range = dateRangeOf(q, ctx.salon.timezone, ctx.actor.now);
    const status = PAYMENT_STATUSES.includes(q.status as PaymentStatus)
      ? q.status as PaymentStatus
      : null;
    const filter = { ...range, status };
    const list = await listSalonPayments(c.var.deps.db, ctx.actor, ctx.salon, filter);
    return page({
      layout: await layoutOf(c, ctx, "payments"),
      filter,
      ...list,
      online: c.var.deps.payments != null,
      now: ctx.actor.now,
    }, { title: c.var.state.t("dash.nav.payments") });
  },
});

export default definePage<typeof handler>(function PaymentsPage({ data, state }) {
  const { t, fmt, locale } = state;
  const { layout, filter, totals } = data;
  const ar = locale === "ar";
  const tz = layout.salon.timezone;
  return (
    <DashboardLayout layout={layout} state={state} now={data.now}>
      <h2 class="text-xl font-semibold">{t("dash.nav.payments")}</h2>
      {!data.online && (
        <p class="rounded-xl border border-amber-200 bg-amber-50 p-4 text-amber-900">
          {t("dash.payments.offline")}
        </p>
      )}
      <FilterBar
        action={`${layout.base}/payments`}
        state={state}
        from={filter.from}
        to={filter.to}
        columns="lg:grid-cols-4"
      >
        <FilterSelect
          name="status"
          label={t("dash.bookings.status")}
          any={t("dash.bookings.anyStatus")}
          options={PAYMENT_STATUSES.map((s) => [s, t(`dash.payments.status.${s}`)] as const)}
          selected={filter.status}
        />
        <div class="flex items-end">
          <button type="submit" class={BUTTON}>{t("dash.show")}</button>
        </div>
      </FilterBar>
      <section aria-labelledby="payments-totals" class="space-y-2">
        <h3 id="payments-totals" class="sr-only">{t("dash.payments.totals")}</h3>
        <dl class="grid grid-cols-2 gap-3 sm:grid-cols-4" data-totals>
          {(
            [
              ["dash.payments.paid", totals.paid, "paid"],
              ["dash.payments.refunded", totals.refunded, "refunded"],
              ["dash.payments.net", totals.net, "net"],
              ["dash.payments.held", totals.held, "held"],
            ] as const
          ).map(([label, value, name]) => (
            <Amount
              label={t(label)}
              halalas={value}
              state={state}
              strong={name === "net"}
              name={name}
              class="rounded-xl border border-stone-200 bg-white p-3"
            />
          ))}
        </dl>
        <p class="text-sm text-stone-600" aria-live="polite">
          {t("dash.payments.count", { n: formatNumber(totals.count, fmt) })}
          {data.more && ` ${t("dash.bookings.more")}`}
        </p>
      </section>
      {data.rows.length > 0 && (
        <ul
          class="divide-y divide-stone-200 rounded-xl border border-stone-200 bg-white"
          aria-label={t("dash.nav.payments")}
        >
          {data.rows.map((p) => {
            const d = localDateOf(p.starts_at, tz);
            const paid = p.captured_halalas;
            const net = p.status === "voided" ? 0 : p.captured_halalas - p.refunded_halalas;
            return (
              <li
                class="flex flex-wrap items-center gap-x-4 gap-y-2 px-4 py-3"
                data-payment-id={p.id}
              >
                <a
                  href={`${layout.base}/payments/${p.id}`}
                  class="flex min-w-0 flex-1 basis-64 flex-col"
                >
                  <bdi class="self-start font-semibold text-rose-700 underline underline-offset-4">
                    {customerLabel(t, p) || t("dash.payments.noCustomer")}
                  </bdi>
                  <span class="text-sm text-stone-600">
                    {ar ? p.service_name_ar : p.service_name_en} ·{" "}
                    {ar ? p.staff_name_ar : p.staff_name_en}
                  </span>
                  <span class="text-sm text-stone-600">
                    {weekdayShort(d, fmt)} {dayMonth(d, fmt)}{" "}
                    {timeRange(p.starts_at, p.ends_at, tz, state)}
                  </span>
                </a>
                <PaymentStatusBadge status={p.status} state={state} />
                <dl class="grid grid-cols-3 gap-3 text-sm">
                  {p.status === "authorized"
                    ? (
                      <Amount
                        label={t("dash.payments.held")}
                        halalas={p.authorized_halalas}
                        state={state}
                      />
                    )
                    : <Amount label={t("dash.payments.paid")} halalas={paid} state={state} />}
                  <Amount
                    label={t("dash.payments.refunded")}
                    halalas={paid - net}
                    state={state}
                  />
                  <Amount label={t("dash.payments.net")} halalas={net} state={state} strong />
                </dl>
                {p.pending_kind && (
                  <p class="w-full text-sm text-amber-800">
                    {t(`dash.payments.pending.${p.pending_kind}`)}{" "}
                    <bdi>{formatSar(p.pending_amount_halalas ?? 0, fmt)}</bdi>
                  </p>
                )}
              </li>
            );
          })}
        </ul>
      )}
      {data.rows.length === 0 && <p class="text-stone-600">{t("dash.payments.none")}</p>}
    </DashboardLayout>
  );
});
