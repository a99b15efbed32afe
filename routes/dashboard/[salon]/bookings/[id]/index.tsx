import type { ComponentChildren } from "preact";
import { StatusBadge } from "@/components/BookingSummary.tsx";
import { durationLabel, zoneLabel } from "@/components/catalog.tsx";
import { Customer, OutcomeButtons, timeRange } from "@/components/dashboard/bookings.tsx";
import {
  Alert,
  BUTTON,
  BUTTON_SECONDARY,
  Csrf,
  DashboardLayout,
  INPUT,
  Notice,
  Section,
} from "@/components/dashboard/ui.tsx";
import { MessageStatusList } from "@/components/MessageStatusList.tsx";
import { formatDualDate, formatGregorianDate, formatSar, formatTime } from "@/i18n/format.ts";
import type { MessageKey } from "@/i18n/mod.ts";
import { defineHandlers, definePage, page } from "@/routes/_define.ts";
import { listBookingEvents, payAtSalonReason } from "@/services/bookings/queries.ts";
import { PAY_AT_SALON_BELOW_MINIMUM } from "@/services/bookings/model.ts";
import { getSalonBooking } from "@/services/dashboard/bookings.ts";
import { invoicesOfBooking } from "@/services/invoices/queries.ts";
import { listMessagesForBooking } from "@/services/messages/queries.ts";
import { dashboardContext, layoutOf, noticeOf, type RouteAccess } from "../../../_guard.ts";

export const access: RouteAccess = "staff";

/** Errors the action routes redirect back with (`?error=`). */
export const BOOKING_ERRORS = [
  "booking.notStartedYet",
  "booking.transitionNotAllowed",
  "booking.slotTaken",
  "dash.error.reasonRequired",
] as const satisfies readonly MessageKey[];

const NOTICES = [
  "confirmed",
  "completed",
  "no_show",
  "cancelled",
  "rescheduled",
  "created",
] as const;

/**
 * `/dashboard/:salon/bookings/:id`: everything about one booking (customer, service, staff, time in
 * the salon's zone, money, history, messages) and the actions the caller may take on it now.
 */
export const handler = defineHandlers({
  async GET(c) {
    const ctx = await dashboardContext(c, "staff");
    const db = c.var.deps.db;
    const { booking } = await getSalonBooking(db, ctx.actor, ctx.salon.id, c.req.param("id") ?? "");
    const error = c.req.query("error");
    return page({
      layout: await layoutOf(c, ctx, "bookings"),
      booking,
      events: await listBookingEvents(db, booking.id),
      payAtSalonReason: booking.payment_mode === "at_salon"
        ? await payAtSalonReason(db, booking.id)
        : null,
      messages: await listMessagesForBooking(db, booking.id),
      invoices: await invoicesOfBooking(db, booking.id),
      now: ctx.actor.now,
      notice: noticeOf(c, NOTICES),
      error: BOOKING_ERRORS.find((k) => k === error) ?? null,
    }, { title: c.var.state.t("dash.booking.title") });
  },
});

export default definePage<typeof handler>(function DashboardBookingPage({ data, state }) {
  const { t, fmt, locale } = state;
  const { booking: b, layout, now } = data;
  const ar = locale === "ar";
  const tz = layout.salon.timezone;
  const base = layout.base;
  const manager = layout.role === "manager";
  const started = now.getTime() >= b.starts_at.getTime();
  const active = b.status === "pending" || b.status === "confirmed";
  const invoice = data.invoices.find((d) => d.kind === "invoice");
  const rows: [string, ComponentChildren][] = [
    [
      t("dash.booking.customer"),
      <Customer key="customer" customer={b} state={state} />,
    ],
    ...(b.items.length > 1 || b.items.some((i) => i.guest > 0)
      ? [[
        t("book.services"),
        <ol key="items" class="space-y-2" data-visit-items={b.items.length}>
          {b.items.map((i) => (
            <li
              key={i.id}
              data-item={i.id}
              class={i.status === "cancelled" ? "text-stone-500" : ""}
            >
              <span class={i.status === "cancelled" ? "line-through" : ""}>
                {i.guest_name ? `${i.guest_name}: ` : ""}
                {t("book.itemWith", {
                  service: ar ? i.service_name_ar : i.service_name_en,
                  staff: ar ? i.staff_name_ar : i.staff_name_en,
                })}
              </span>
              <span class="block text-sm font-normal text-stone-600">
                {timeRange(i.starts_at, i.ends_at, tz, state)}
                {i.status === "cancelled" && ` · ${t("book.itemCancelled")}`}
              </span>
              {manager && active && i.status === "active" && (
                <a
                  href={`${base}/bookings/${b.id}/reschedule?item=${i.id}`}
                  class="text-sm text-rose-700 underline underline-offset-4"
                >
                  {t("dash.booking.moveItem")}
                </a>
              )}
            </li>
          ))}
        </ol>,
      ] as [string, ComponentChildren]]
      : [
        [t("book.service"), ar ? b.service_name_ar : b.service_name_en] as [
          string,
          ComponentChildren,
        ],
        [t("book.staff"), ar ? b.staff_name_ar : b.staff_name_en] as [string, ComponentChildren],
      ]),
    ...(b.location === "home" && b.home_address
      ? [[
        t("book.where"),
        [b.home_address, b.home_district_name, b.home_notes].filter(Boolean).join(" · "),
      ] as [string, ComponentChildren]]
      : []),
    [t("book.date"), formatDualDate(b.starts_at, tz, fmt)],
    [
      t("book.time"),
      <span key="time">
        {timeRange(b.starts_at, b.ends_at, tz, state)}
        <span class="block text-xs text-stone-600">
          {zoneLabel(layout.salon, b.starts_at, state)}
        </span>
      </span>,
    ],
    [t("book.duration"), durationLabel(b.duration_minutes, state)],
    [t("dash.booking.source"), t(`dash.source.${b.source}`)],
  ];
  if (manager) {
    rows.push([t("book.price"), formatSar(b.price_halalas, fmt)]);
    rows.push([
      t("book.payment"),
      b.payment_mode === "at_salon"
        ? t(
          data.payAtSalonReason === PAY_AT_SALON_BELOW_MINIMUM
            ? "dash.booking.payAtSalonBelowMinimum"
            : data.payAtSalonReason
            ? "dash.booking.payAtSalonFallback"
            : "bookingPage.payAtSalon",
        )
        : `${t(`dash.payment.${b.payment_mode}`)}: ${formatSar(b.deposit_halalas, fmt)}`,
    ]);
  }
  if (b.status === "pending" && b.hold_expires_at) {
    rows.push([t("dash.booking.holdUntil"), formatTime(b.hold_expires_at, tz, fmt)]);
  }
  if (b.cancel_reason) rows.push([t("dash.booking.cancelReason"), b.cancel_reason]);

  return (
    <DashboardLayout layout={layout} state={state} now={now}>
      {data.notice && <Notice>{t(`dash.notice.${data.notice}`)}</Notice>}
      {data.error && <Alert>{t(data.error)}</Alert>}
      <div class="flex flex-wrap items-center gap-3">
        <h2 class="me-auto text-xl font-semibold">{t("dash.booking.title")}</h2>
        <StatusBadge status={b.status} state={state} />
      </div>
      <dl class="divide-y divide-stone-200 rounded-xl border border-stone-200 bg-white">
        {rows.map(([label, value]) => (
          <div class="flex flex-wrap gap-x-4 px-4 py-3">
            <dt class="w-32 shrink-0 text-stone-600">{label}</dt>
            <dd class="flex-1 font-medium">{value}</dd>
          </div>
        ))}
      </dl>

      <Section title={t("checkout.invoices")} id="invoice">
        {invoice
          ? (
            <ul class="space-y-1" data-invoices>
              {data.invoices.map((d) => (
                <li>
                  <a href={`/invoices/${d.id}`} class="text-rose-700 underline underline-offset-4">
                    {t(d.kind === "invoice" ? "checkout.invoiceLink" : "checkout.creditLink", {
                      number: d.number,
                    })}
                  </a>{" "}
                  <span class="text-stone-600">
                    {d.kind === "credit_note" ? "− " : ""}
                    {formatSar(d.total_halalas, fmt)}
                  </span>
                </li>
              ))}
            </ul>
          )
          : ["pending", "confirmed", "completed"].includes(b.status) && (
            <a href={`${base}/bookings/${b.id}/checkout`} class={BUTTON}>
              {t("checkout.open")}
            </a>
          )}
        {invoice && manager && (
          <a href={`${base}/bookings/${b.id}/credit`} class={BUTTON_SECONDARY}>
            {t("credit.title")}
          </a>
        )}
      </Section>

      <Section title={t("dash.booking.actions")} id="actions">
        <div class="flex flex-wrap items-center gap-3">
          {manager && (b.status === "pending" || b.status === "expired") && (
            <form method="post" action={`${base}/bookings/${b.id}/status`}>
              <Csrf state={state} />
              <input type="hidden" name="to" value="confirmed" />
              <button type="submit" class={BUTTON}>{t("dash.booking.confirm")}</button>
            </form>
          )}
          {b.status === "confirmed" && started && (
            <OutcomeButtons
              b={b}
              state={state}
              base={base}
              returnTo={`${base}/bookings/${b.id}`}
            />
          )}
          {b.status === "confirmed" && !started && (
            <p class="text-sm text-stone-600">{t("dash.booking.outcomeLater")}</p>
          )}
          {manager && active && (
            <a href={`${base}/bookings/${b.id}/reschedule`} class={BUTTON_SECONDARY}>
              {t("dash.booking.reschedule")}
            </a>
          )}
          {!active && b.status !== "expired" && (
            <p class="text-sm text-stone-600">{t("dash.booking.final")}</p>
          )}
        </div>
        {manager && active && (
          <form
            method="post"
            action={`${base}/bookings/${b.id}/cancel`}
            class="space-y-2 rounded-xl border border-stone-200 bg-white p-4"
          >
            <Csrf state={state} />
            <label class="block">
              <span class="mb-1 block text-sm font-medium">
                {t("dash.booking.cancelReasonLabel")}
              </span>
              <input name="reason" required maxLength={500} class={INPUT} />
              <span class="mt-1 block text-xs text-stone-600">{t("dash.booking.cancelHint")}</span>
            </label>
            <button
              type="submit"
              class="rounded-full bg-rose-700 px-5 py-2 font-medium text-white hover:bg-rose-800"
            >
              {t("dash.booking.cancel")}
            </button>
          </form>
        )}
      </Section>

      <Section title={t("dash.booking.history")} id="history">
        <ol class="divide-y divide-stone-200 rounded-xl border border-stone-200 bg-white text-sm">
          {data.events.map((e) => (
            <li class="flex flex-wrap gap-x-3 px-4 py-2">
              <span class="w-44 shrink-0 text-stone-600">
                {formatGregorianDate(e.at, tz, fmt)} {formatTime(e.at, tz, fmt)}
              </span>
              <span class="font-medium">
                {e.kind === "rescheduled"
                  ? t("dash.event.rescheduled")
                  : e.from_status
                  ? `${t(`booking.status.${e.from_status as "pending"}`)} → ${
                    t(`booking.status.${e.to_status as "pending"}`)
                  }`
                  : t("dash.event.created")}
              </span>
              <span class="text-stone-600">{t(`dash.actor.${e.actor_role as "salon"}`)}</span>
              {e.reason && (
                <bdi class="text-stone-700">
                  {e.reason === "hold_expired" ? t("dash.event.holdExpired") : e.reason}
                </bdi>
              )}
            </li>
          ))}
        </ol>
      </Section>

      <Section title={t("messages.title")} id="messages">
        <MessageStatusList
          messages={data.messages}
          state={state}
          timeZone={tz}
          showPhone={manager}
        />
      </Section>
      <p>
        <a href={`${base}/bookings`} class="text-rose-700 underline underline-offset-4">
          {t("dash.booking.back")}
        </a>
      </p>
    </DashboardLayout>
  );
});
