/** Server-side pieces shared by the home, salon and booking pages. */
import { formatNumber, formatSar, formatTime } from "@/i18n/format.ts";
import { dayMonth, weekdayShort, zoneOffset } from "@/i18n/calendar.ts";
import type { RequestState } from "@/routes/_define.ts";
import { addDays, localDateOf } from "@/services/slots/load.ts";
import { type Audience, AUDIENCES } from "@/services/search/salons.ts";

/** "Al Olaya, Riyadh" / "العليا، الرياض". */
export function place(
  row: { district_ar: string; district_en: string; city_ar: string; city_en: string },
  locale: "ar" | "en",
): string {
  const district = locale === "ar" ? row.district_ar : row.district_en;
  const city = locale === "ar" ? row.city_ar : row.city_en;
  return district ? `${district}${locale === "ar" ? "، " : ", "}${city}` : city;
}

/** "45 min" / "٤٥ دقيقة" (Arabic counts 3–10 take the plural "دقائق"). */
export function durationLabel(minutes: number, state: RequestState): string {
  const n = formatNumber(minutes, state.fmt);
  return state.t(minutes >= 3 && minutes <= 10 ? "duration.minutesFew" : "duration.minutes", { n });
}

/** A duration or a range of them ("45–60 min"). */
export function durationRange(min: number, max: number, state: RequestState): string {
  if (min === max) return durationLabel(min, state);
  return durationLabel(max, state).replace(
    formatNumber(max, state.fmt),
    `${formatNumber(min, state.fmt)}–${formatNumber(max, state.fmt)}`,
  );
}

/** A price or a price range in SAR. */
export function priceRange(min: number, max: number, state: RequestState): string {
  if (min === max) return formatSar(min, state.fmt);
  return state.t("salon.priceRange", {
    min: formatSar(min, state.fmt),
    max: formatSar(max, state.fmt),
  });
}

/** "incl. VAT" after a price, at a VAT-registered salon (catalog prices include VAT). */
export function InclVat(
  { salon, state }: { salon: { vat_registered: boolean }; state: RequestState },
) {
  if (!salon.vat_registered) return null;
  return (
    <span class="ms-1 text-xs font-normal text-stone-600" data-incl-vat>
      {state.t("invoice.inclVat")}
    </span>
  );
}

/** "Times shown in Riyadh time (GMT+3)" for a salon's zone and city. */
export function zoneLabel(
  salon: { timezone: string; city_ar: string; city_en: string },
  at: Date,
  state: RequestState,
): string {
  const zone = state.t("time.zoneCity", {
    city: state.locale === "ar" ? salon.city_ar : salon.city_en,
    offset: zoneOffset(at.getTime(), salon.timezone, state.fmt),
  });
  return state.t("time.zoneLabel", { zone });
}

/** "Today, 4:30 pm", "Tomorrow, 10:00 am" or "Mon 23 Nov, 10:00 am", in the salon's zone. */
export function whenLabel(start: Date, timeZone: string, now: Date, state: RequestState): string {
  const time = formatTime(start, timeZone, state.fmt);
  const day = localDateOf(start, timeZone);
  const today = localDateOf(now, timeZone);
  if (day === today) return state.t("when.today", { time });
  if (day === addDays(today, 1)) return state.t("when.tomorrow", { time });
  const date = `${weekdayShort(day, state.fmt)} ${dayMonth(day, state.fmt)}`;
  return state.t("when.onDate", { date, time });
}

/** Stars and counts, or "No reviews yet". */
export function Rating(
  { avg, count, state }: { avg: number; count: number; state: RequestState },
) {
  if (count === 0) return <span class="text-sm text-stone-600">{state.t("salon.noReviews")}</span>;
  // One decimal, as rating stars are read everywhere ("4.7").
  const rating = formatNumber(Math.round(avg * 10) / 10, state.fmt);
  const full = state.t("salon.rating", { rating, count: formatNumber(count, state.fmt) });
  return (
    <span class="text-sm text-stone-700" title={full}>
      <span aria-hidden="true" class="text-amber-700">
        {state.t("salon.ratingShort", { rating, count: formatNumber(count, state.fmt) })}
      </span>
      <span class="sr-only">{full}</span>
    </span>
  );
}

/** Whom a salon serves, in words (never colour alone): "Serves: Ladies · Children". */
export function AudienceBadge(
  { audience, state }: { audience: readonly Audience[]; state: RequestState },
) {
  const ordered = AUDIENCES.filter((a) => audience.includes(a));
  const list = ordered.map((a) => state.t(`audience.${a}`)).join(state.t("app.separator"));
  return (
    <span
      class="inline-block rounded-full border border-stone-300 bg-stone-50 px-3 py-0.5 text-sm font-medium text-stone-800"
      data-audience={ordered.join(" ")}
    >
      {state.t("audience.badge", { list })}
    </span>
  );
}

/** A staff member's name with their stated gender ("Noura · female specialist"), or the name. */
export function staffName(
  st: { name_ar: string; name_en: string; gender: "female" | "male" | null },
  state: RequestState,
): string {
  const name = state.locale === "ar" ? st.name_ar : st.name_en;
  return st.gender
    ? state.t("gender.staffLine", { name, gender: state.t(`gender.${st.gender}`) })
    : name;
}
