/** The local date range (`?from=&to=`, salon's zone) of the dashboard's lists and reports. */
import { toLatinDigits } from "@/i18n/format.ts";
import { addDays, isIsoDate, localDateOf } from "@/services/slots/load.ts";

export interface DateRange {
  /** Local dates, inclusive. */
  from: string;
  to: string;
}

/**
 * `from` and `to` from the query string (Arabic-Indic digits too); missing or unreadable ones fall
 * back to the last `defaultDays` days up to today in `timeZone`. Reversed dates are swapped and a
 * range longer than `maxDays` is cut at `from + maxDays - 1`.
 */
export function dateRangeOf(
  query: Record<string, string | undefined>,
  timeZone: string,
  now: Date,
  { defaultDays = 30, maxDays = 366 }: { defaultDays?: number; maxDays?: number } = {},
): DateRange {
  const date = (v: string | undefined) => {
    const d = toLatinDigits(v ?? "").trim();
    return isIsoDate(d) ? d : null;
  };
  const today = localDateOf(now, timeZone);
  let to = date(query.to) ?? today;
  let from = date(query.from) ?? addDays(to, 1 - defaultDays);
  if (to < from) [from, to] = [to, from];
  if (Temporal.PlainDate.from(from).until(to).days >= maxDays) to = addDays(from, maxDays - 1);
  return { from, to };
}
