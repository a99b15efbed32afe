/**
 * Small date and time labels for the catalog pages and the slot picker island. Pure Intl, no
 * server-only imports, so the island bundles it. Local dates ("YYYY-MM-DD") are formatted at noon
 * UTC in UTC, which names the same calendar day in every calendar.
 */
import type { FormatOptions } from "./format.ts";

const cache = new Map<string, Intl.DateTimeFormat>();

function dtf(
  opts: FormatOptions,
  calendar: "gregory" | "islamic-umalqura",
  timeZone: string,
  options: Intl.DateTimeFormatOptions,
): Intl.DateTimeFormat {
  const digits = opts.digits ?? (opts.locale === "ar" ? "arab" : "latn");
  const tag = `${opts.locale === "ar" ? "ar-SA" : "en-GB"}-u-ca-${calendar}-nu-${digits}`;
  const key = `${tag}|${timeZone}|${JSON.stringify(options)}`;
  let f = cache.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(tag, { timeZone, ...options });
    cache.set(key, f);
  }
  return f;
}

const noonUtc = (date: string) => new Date(`${date}T12:00:00Z`);

/** Short weekday of a local date: "Sat" / "السبت". */
export function weekdayShort(date: string, opts: FormatOptions): string {
  return dtf(opts, "gregory", "UTC", { weekday: "short" }).format(noonUtc(date));
}

/** Day and short month of a local date: "21 Nov" / "٢١ نوفمبر". */
export function dayMonth(date: string, opts: FormatOptions): string {
  return dtf(opts, "gregory", "UTC", { day: "numeric", month: "short" }).format(noonUtc(date));
}

/** Hijri day and month of a local date: "10 Jum. II" / "١٠ جمادى الآخرة". */
export function hijriDayMonth(date: string, opts: FormatOptions): string {
  return dtf(opts, "islamic-umalqura", "UTC", { day: "numeric", month: "short" }).format(
    noonUtc(date),
  );
}

/** One date in both calendars, each part written out, for a page that lays them out itself. */
export interface DualDate {
  gregorian: string;
  hijri: string;
}

/**
 * What joins the two calendars on one line. Arabic writes "الموافق" ("corresponding to"): a middle
 * dot between Arabic-Indic digits ("٢٠٢٦ · ١١") reads as the zero "٠". The one place this is
 * decided; `fullDualDate` and `formatDualDate` both go through it.
 */
export function joinDualDate(date: DualDate, opts: FormatOptions): string {
  return opts.locale === "ar"
    ? `${date.gregorian} الموافق ${date.hijri}`
    : `${date.gregorian} · ${date.hijri}`;
}

/**
 * A local date in full, each calendar apart, for a page that lays them out itself:
 * `{ gregorian: "Saturday, 21 November 2026", hijri: "10 Jumada II 1448 AH" }`.
 */
export function fullDualDateParts(date: string, opts: FormatOptions): DualDate {
  return {
    gregorian: dtf(opts, "gregory", "UTC", {
      weekday: "long",
      day: "numeric",
      month: "long",
      year: "numeric",
    }).format(noonUtc(date)),
    hijri: dtf(opts, "islamic-umalqura", "UTC", {
      day: "numeric",
      month: "long",
      year: "numeric",
    }).format(noonUtc(date)),
  };
}

/**
 * A local date in full, both calendars: "Saturday, 21 November 2026 · 10 Jumada II 1448 AH" /
 * "السبت، ٢١ نوفمبر ٢٠٢٦ الموافق ١٠ جمادى الآخرة ١٤٤٨ هـ".
 */
export function fullDualDate(date: string, opts: FormatOptions): string {
  return joinDualDate(fullDualDateParts(date, opts), opts);
}

/** Full weekday name of an ISO weekday (1 = Monday … 7 = Sunday). */
export function weekdayName(weekday: number, opts: FormatOptions): string {
  // 2024-01-01 was a Monday.
  const date = `2024-01-0${weekday}`;
  return dtf(opts, "gregory", "UTC", { weekday: "long" }).format(noonUtc(date));
}

/** A wall-clock minute of the day as a time: 630 → "10:30 am" / "١٠:٣٠ ص" (1440 → "12:00 am"). */
export function minuteLabel(minute: number, opts: FormatOptions): string {
  return dtf(opts, "gregory", "UTC", { hour: "numeric", minute: "2-digit", hour12: true })
    .format(new Date(Date.UTC(2024, 0, 1, 0, minute % 1440)));
}

/** Hour (0–23) and minute of an instant on the wall clock of `timeZone`. */
export function localClock(ms: number, timeZone: string): { hour: number; minute: number } {
  const parts = dtf({ locale: "en", digits: "latn" }, "gregory", timeZone, {
    hour: "numeric",
    minute: "numeric",
    hourCycle: "h23",
  }).formatToParts(new Date(ms));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return { hour: get("hour") % 24, minute: get("minute") };
}

/** The zone's offset at an instant, as people read it: "GMT+3" / "غرينتش+٣". */
export function zoneOffset(ms: number, timeZone: string, opts: FormatOptions): string {
  const parts = dtf(opts, "gregory", timeZone, { timeZoneName: "shortOffset" }).formatToParts(
    new Date(ms),
  );
  return parts.find((p) => p.type === "timeZoneName")?.value ?? timeZone;
}

export type DayPart = "morning" | "afternoon" | "evening";

/** Morning before 12:00, afternoon until 17:00, evening after, on the salon's wall clock. */
export function dayPart(ms: number, timeZone: string): DayPart {
  const { hour } = localClock(ms, timeZone);
  return hour < 12 ? "morning" : hour < 17 ? "afternoon" : "evening";
}
