import type { ComponentChildren } from "preact";
import { formatDualDate, formatSar, formatTime } from "@/i18n/format.ts";
import type { RequestState } from "@/routes/_define.ts";
import type { BookingDetails } from "@/services/bookings/queries.ts";
import { durationLabel, zoneLabel } from "./catalog.tsx";

const STATUS_BADGE: Record<BookingDetails["status"], string> = {
  pending: "bg-amber-100 text-amber-900",
  confirmed: "bg-emerald-100 text-emerald-800",
  completed: "bg-sky-100 text-sky-800",
  no_show: "bg-stone-200 text-stone-700",
  cancelled: "bg-rose-100 text-rose-800",
  expired: "bg-stone-200 text-stone-700",
};

export function StatusBadge(
  { status, state }: { status: BookingDetails["status"]; state: RequestState },
) {
  return (
    <span
      class={`rounded-full px-3 py-1 text-sm font-medium ${STATUS_BADGE[status]}`}
      data-status={status}
    >
      {state.t(`booking.status.${status}`)}
    </span>
  );
}

/** Salon, service, staff, when (Gregorian + Hijri, salon's zone, labelled), price and payment. */
export function BookingSummary(
  { booking: b, state }: { booking: BookingDetails; state: RequestState },
) {
  const { t, fmt, locale } = state;
  const ar = locale === "ar";
  const salon = { timezone: b.salon_timezone, city_ar: b.salon_city_ar, city_en: b.salon_city_en };
  const mapHref = b.salon_latitude !== null && b.salon_longitude !== null
    ? `https://www.google.com/maps/search/?api=1&query=${b.salon_latitude},${b.salon_longitude}`
    : null;
  const rows: [string, ComponentChildren][] = [
    [
      t("book.salon"),
      <span key="salon">
        <a href={`/salons/${b.salon_slug}`} class="text-rose-700 underline underline-offset-4">
          {ar ? b.salon_name_ar : b.salon_name_en}
        </a>
        <span class="block text-sm text-stone-600">
          {ar ? b.salon_address_ar : b.salon_address_en}
        </span>
        {mapHref && (
          <a
            href={mapHref}
            class="text-sm text-rose-700 underline underline-offset-4"
            rel="noopener"
          >
            {t("bookingPage.map")}
          </a>
        )}
      </span>,
    ],
    ...serviceRows(b, state),
    [t("book.date"), formatDualDate(b.starts_at, b.salon_timezone, fmt)],
    [
      t("book.time"),
      <span key="time">
        {formatTime(b.starts_at, b.salon_timezone, fmt)} –{" "}
        {formatTime(b.ends_at, b.salon_timezone, fmt)}
        <span class="block text-xs text-stone-600">{zoneLabel(salon, b.starts_at, state)}</span>
      </span>,
    ],
    [t("book.duration"), durationLabel(b.duration_minutes, state)],
    [
      t("book.price"),
      <span key="price">
        {formatSar(b.price_halalas, fmt)}
        {b.location === "home" && b.home_surcharge_halalas > 0 && (
          <span class="block text-sm font-normal text-stone-600" data-surcharge>
            {t("homeVisit.surcharge", { amount: formatSar(b.home_surcharge_halalas, fmt) })}
          </span>
        )}
      </span>,
    ],
    [
      t("book.payment"),
      b.payment_mode === "at_salon"
        ? t(b.location === "home" ? "homeVisit.payAtVisit" : "bookingPage.payAtSalon")
        : t(b.payment_mode === "deposit" ? "bookingPage.depositDue" : "bookingPage.fullDue", {
          amount: formatSar(b.deposit_halalas, fmt),
        }),
    ],
  ];
  if (b.location === "home" && b.home_address) {
    rows.splice(1, 0, [
      t("book.where"),
      <span key="where" data-home-address>
        <bdi>{t("book.atHome", { address: homeAddress(b, locale) })}</bdi>
        {b.home_notes && (
          <span class="block text-sm font-normal text-stone-600">{b.home_notes}</span>
        )}
        {b.home_map_url && (
          <a
            href={b.home_map_url}
            class="block text-sm text-rose-700 underline underline-offset-4"
            rel="noopener noreferrer nofollow"
            target="_blank"
          >
            {t("homeVisit.mapOpen")}
          </a>
        )}
      </span>,
    ]);
  }
  return <SummaryList rows={rows} />;
}

/**
 * A home visit's address and district ("Villa 3, Street 5، حطين"): a listed district is stored
 * in both languages ("حطين / Hittin"), the reader gets theirs.
 */
export function homeAddress(
  b: { home_address: string | null; home_district_name: string | null },
  locale: "ar" | "en",
): string {
  const names = (b.home_district_name ?? "").split(" / ");
  const district = names.length === 2 ? names[locale === "ar" ? 0 : 1] : b.home_district_name;
  return [b.home_address, district].filter(Boolean).join(locale === "ar" ? "، " : ", ");
}

/**
 * One service: its name and staff member. A visit of several (or with guests): each service in
 * order with its staff member, times and price, a guest's under their name, cancelled ones struck.
 */
function serviceRows(b: BookingDetails, state: RequestState): [string, ComponentChildren][] {
  const { t, fmt, locale } = state;
  const ar = locale === "ar";
  const items = b.items ?? [];
  if (items.length <= 1 && !items.some((i) => i.guest > 0)) {
    return [
      [t("book.service"), ar ? b.service_name_ar : b.service_name_en],
      [t("book.staff"), ar ? b.staff_name_ar : b.staff_name_en],
    ];
  }
  const list = (
    <ol key="items" class="space-y-2" data-visit-items={items.length}>
      {items.map((i) => {
        const what = t("book.itemWith", {
          service: ar ? i.service_name_ar : i.service_name_en,
          staff: ar ? i.staff_name_ar : i.staff_name_en,
        });
        const cancelled = i.status === "cancelled";
        return (
          <li key={i.id} data-item={i.id} class={cancelled ? "text-stone-500" : ""}>
            <span class={cancelled ? "line-through" : ""}>
              {i.guest_name ? t("book.guestItem", { name: i.guest_name, service: what }) : what}
            </span>
            <span class="block text-sm font-normal text-stone-600">
              {formatTime(i.starts_at, b.salon_timezone, fmt)} –{" "}
              {formatTime(i.ends_at, b.salon_timezone, fmt)} · {formatSar(i.price_halalas, fmt)}
              {cancelled && ` · ${t("book.itemCancelled")}`}
            </span>
          </li>
        );
      })}
    </ol>
  );
  return [[t("book.services"), list]];
}

/** A booking's facts as label and value rows (its page, and the last step before booking). */
export function SummaryList({ rows }: { rows: [string, ComponentChildren][] }) {
  return (
    <dl class="divide-y divide-stone-200 rounded-xl border border-stone-200 bg-white">
      {rows.map(([label, value]) => (
        <div class="flex flex-wrap gap-x-4 px-4 py-3">
          <dt class="w-28 shrink-0 text-stone-600">{label}</dt>
          <dd class="flex-1 font-medium">{value}</dd>
        </div>
      ))}
    </dl>
  );
}
