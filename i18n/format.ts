import { type DualDate, joinDualDate } from "./calendar.ts";
import type { Digits, Locale } from "./mod.ts";

export type { DualDate };

/** How dates, times and amounts are written for one reader. */
export interface FormatOptions {
  locale: Locale;
  /** Arabic-Indic (٠١٢) or Latin (012) digits; Arabic defaults to Arabic-Indic. */
  digits?: Digits;
}

function tag(opts: FormatOptions, calendar: "gregory" | "islamic-umalqura"): string {
  const digits = opts.digits ?? (opts.locale === "ar" ? "arab" : "latn");
  const base = opts.locale === "ar" ? "ar-SA" : "en-GB";
  return `${base}-u-ca-${calendar}-nu-${digits}`;
}

const cache = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat>();
function memo<T extends Intl.DateTimeFormat | Intl.NumberFormat>(key: string, make: () => T): T {
  let f = cache.get(key) as T | undefined;
  if (!f) {
    f = make();
    cache.set(key, f);
  }
  return f;
}

type When = Date | number | Temporal.Instant;
const toDate = (when: When): Date =>
  when instanceof Date
    ? when
    : typeof when === "number"
    ? new Date(when)
    : new Date(when.epochMilliseconds);

/** Gregorian date in the given zone, e.g. "Saturday, 21 November 2026" / "السبت، ٢١ نوفمبر ٢٠٢٦". */
export function formatGregorianDate(when: When, timeZone: string, opts: FormatOptions): string {
  const key = `g|${tag(opts, "gregory")}|${timeZone}`;
  return memo(key, () =>
    new Intl.DateTimeFormat(tag(opts, "gregory"), {
      timeZone,
      weekday: "long",
      day: "numeric",
      month: "long",
      year: "numeric",
    })).format(toDate(when));
}

/** Hijri (Umm al-Qura) date in the given zone, e.g. "11 Jumada II 1448 AH" / "١١ جمادى الآخرة ١٤٤٨ هـ". */
export function formatHijriDate(when: When, timeZone: string, opts: FormatOptions): string {
  const key = `h|${tag(opts, "islamic-umalqura")}|${timeZone}`;
  return memo(key, () =>
    new Intl.DateTimeFormat(tag(opts, "islamic-umalqura"), {
      timeZone,
      day: "numeric",
      month: "long",
      year: "numeric",
    })).format(toDate(when));
}

/** Both calendars in the given zone, each part apart, for a page that lays them out itself. */
export function dualDateParts(when: When, timeZone: string, opts: FormatOptions): DualDate {
  return {
    gregorian: formatGregorianDate(when, timeZone, opts),
    hijri: formatHijriDate(when, timeZone, opts),
  };
}

/**
 * Both calendars on one line: "Saturday, 21 November 2026 · 11 Jumada II 1448 AH" /
 * "السبت، ٢١ نوفمبر ٢٠٢٦ الموافق ١١ جمادى الآخرة ١٤٤٨ هـ" (never a middle dot between Arabic-Indic
 * digits, where it reads as the zero "٠"; see `joinDualDate`).
 */
export function formatDualDate(when: When, timeZone: string, opts: FormatOptions): string {
  return joinDualDate(dualDateParts(when, timeZone, opts), opts);
}

/** Wall-clock time in the given zone, e.g. "4:30 pm" / "٤:٣٠ م". */
export function formatTime(when: When, timeZone: string, opts: FormatOptions): string {
  const key = `t|${tag(opts, "gregory")}|${timeZone}`;
  return memo(key, () =>
    new Intl.DateTimeFormat(tag(opts, "gregory"), {
      timeZone,
      hour: "numeric",
      minute: "2-digit",
      hour12: true,
    })).format(toDate(when));
}

/** An amount in integer halalas as Saudi riyals, e.g. 12550 → "SAR 125.50" / "١٢٥٫٥٠ ر.س.‏". */
export function formatSar(halalas: number, opts: FormatOptions): string {
  if (!Number.isInteger(halalas)) throw new RangeError(`halalas must be an integer: ${halalas}`);
  const digits = opts.digits ?? (opts.locale === "ar" ? "arab" : "latn");
  const locale = `${opts.locale === "ar" ? "ar-SA" : "en-SA"}-u-nu-${digits}`;
  const fmt = memo(`sar|${locale}`, () =>
    new Intl.NumberFormat(locale, {
      style: "currency",
      currency: "SAR",
      minimumFractionDigits: 2,
      maximumFractionDigits: 2,
    }));
  // Split into riyals and halalas so no floating-point rounding ever touches the amount.
  const sign = halalas < 0 ? -1 : 1;
  const abs = Math.abs(halalas);
  return fmt.format(sign * (Math.trunc(abs / 100) + (abs % 100) / 100));
}

/** Plain number with the reader's digits. */
export function formatNumber(value: number, opts: FormatOptions): string {
  const digits = opts.digits ?? (opts.locale === "ar" ? "arab" : "latn");
  const locale = `${opts.locale === "ar" ? "ar-SA" : "en-GB"}-u-nu-${digits}`;
  return memo(`n|${locale}`, () => new Intl.NumberFormat(locale)).format(value);
}

/** Converts Arabic-Indic and Eastern Arabic-Indic digits to ASCII (form input). */
export function toLatinDigits(input: string): string {
  return input.replace(/[\u0660-\u0669\u06F0-\u06F9]/g, (d) => {
    const code = d.charCodeAt(0);
    return String(code >= 0x06f0 ? code - 0x06f0 : code - 0x0660);
  });
}
