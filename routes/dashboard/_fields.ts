/**
 * zod fields for dashboard forms: everything arrives as text, in Latin or Arabic-Indic digits.
 * Messages are catalog keys (see routes/_http.ts validationErrorFrom).
 */
import { parsePhoneNumberFromString } from "libphonenumber-js/max";
import { z } from "zod";
import { toLatinDigits } from "@/i18n/format.ts";
import { ValidationError } from "@/services/errors.ts";
import type { WeeklyInterval } from "@/services/slots/engine.ts";
import { isIsoDate } from "@/services/slots/load.ts";
import { splitOvernight } from "@/services/slots/overnight.ts";
import { userText } from "@/services/text.ts";

const clean = (v: unknown) => (typeof v === "string" ? toLatinDigits(v).trim() : v);

/** Optional text, without bidi controls (services/text.ts), trimmed, "" when missing. */
export const text = (max: number) =>
  userText().trim().max(max, "validation.tooLong").optional().default("");

/** Required text, without bidi controls, trimmed: nothing left → "required". */
export const requiredText = (max: number) =>
  userText().trim().min(1, "validation.required").max(max, "validation.tooLong");

/** Inclusive bounds of a whole-number field: the schema checks them and the form shows them. */
export type Range = readonly [min: number, max: number];

/** The order lists are sorted by (services, staff). */
export const SORT_ORDER: Range = [0, 10000];

/** A whole number within [min, max]. */
export const int = (...[min, max]: Range) =>
  z.preprocess(
    clean,
    z.string().min(1, "validation.required").regex(/^\d+$/, "dash.error.number").transform(Number)
      .pipe(z.number().int().min(min, "dash.error.number").max(max, "dash.error.number")),
  );

/** A whole number within [min, max], or null when left empty. */
export const optionalInt = (min: number, max: number) =>
  z.preprocess(
    (v) => (clean(v) === "" || v === undefined ? null : clean(v)),
    z.string().regex(/^\d+$/, "dash.error.number").transform(Number)
      .pipe(z.number().int().min(min, "dash.error.number").max(max, "dash.error.number"))
      .nullable(),
  );

/** "125", "125.5", "125.50" or "١٢٥٫٥٠" riyals → integer halalas (no floating point). */
export function parseMoney(value: string): number | null {
  const v = toLatinDigits(value).trim().replace("٫", ".").replace(/,/g, "");
  const m = /^(\d{1,7})(?:\.(\d{1,2}))?$/.exec(v);
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? "0").padEnd(2, "0"));
}

/** Halalas as the form shows them: 12550 → "125.50". */
export function moneyInput(halalas: number | null | undefined): string {
  if (halalas === null || halalas === undefined) return "";
  return `${Math.trunc(halalas / 100)}.${String(halalas % 100).padStart(2, "0")}`;
}

export const money = z.string({ error: "validation.required" }).transform((v, ctx) => {
  const halalas = parseMoney(v);
  if (halalas === null) {
    ctx.addIssue({
      code: "custom",
      message: v.trim() ? "dash.error.money" : "validation.required",
    });
    return z.NEVER;
  }
  return halalas;
});

export const optionalMoney = z.string().optional().transform((v, ctx) => {
  if (v === undefined || v.trim() === "") return null;
  const halalas = parseMoney(v);
  if (halalas === null) {
    ctx.addIssue({ code: "custom", message: "dash.error.money" });
    return z.NEVER;
  }
  return halalas;
});

/** An HTML checkbox: present ("on") is true, absent is false. */
export const checkbox = z.preprocess((v) => v === "on" || v === "true" || v === "1", z.boolean());

/** "HH:MM" (24:00 allowed as the end of a day) → minutes since midnight. */
export function parseTime(value: string): number | null {
  const m = /^(\d{1,2}):(\d{2})$/.exec(toLatinDigits(value).trim());
  if (!m) return null;
  const minutes = Number(m[1]) * 60 + Number(m[2]);
  if (Number(m[2]) > 59 || minutes > 1440) return null;
  return minutes;
}

/** Minutes since midnight as an `<input type="time">` value (1440 → "24:00"). */
export function timeInput(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${
    String(minutes % 60).padStart(2, "0")
  }`;
}

export const time = z.string({ error: "validation.required" }).transform((v, ctx) => {
  const minutes = parseTime(v);
  if (minutes === null) {
    ctx.addIssue({ code: "custom", message: "dash.error.time" });
    return z.NEVER;
  }
  return minutes;
});

/** "YYYY-MM-DD". */
export const localDate = z.preprocess(
  clean,
  z.string({ error: "validation.required" }).refine(isIsoDate, "slots.error.date"),
);

/** "YYYY-MM-DDTHH:MM" as `<input type="datetime-local">` sends it (in the salon's zone). */
export const localDateTime = z.preprocess(
  clean,
  z.string({ error: "validation.required" }).refine(
    (v) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(v) && isIsoDate(v.slice(0, 10)),
    "dash.error.dateTime",
  ),
);

/** A wall-clock date-time in `timeZone` → the instant (a time skipped by DST moves forward). */
export function zonedInstant(localDateTime: string, timeZone: string): Date {
  const zdt = Temporal.PlainDateTime.from(localDateTime).toZonedDateTime(timeZone, {
    disambiguation: "compatible",
  });
  return new Date(zdt.epochMilliseconds);
}

/** An instant as `<input type="datetime-local">` shows it in `timeZone`. */
export function dateTimeInput(when: Date, timeZone: string): string {
  return Temporal.Instant.fromEpochMilliseconds(when.getTime()).toZonedDateTimeISO(timeZone)
    .toPlainDateTime().toString({ smallestUnit: "minute" });
}

/** Hours that run past midnight end by noon the next day. */
const LATEST_OVERNIGHT_END = 12 * 60;

/** How many intervals a day the weekly hours form offers (split shifts: 10–13 and 16–22). */
export const WEEK_SLOTS = 2;

/** The field names of one interval of the weekly form: `h6_0_start`, `h6_0_end`. */
export const weekField = (weekday: number, n: number, end: "start" | "end") =>
  `h${weekday}_${n}_${end}`;

/**
 * Reads a weekly hours form (`h<weekday>_<n>_start` / `_end`, "HH:MM"): an empty pair is no
 * interval; half a pair or a bad time is an error on that row. An end before the start, in the
 * morning, runs past midnight and is stored as two days' intervals.
 */
export function parseWeek(values: Record<string, string>): WeeklyInterval[] {
  const hours: WeeklyInterval[] = [];
  const fields: Record<string, ["dash.error.time"] | ["dash.error.hoursOrder"]> = {};
  for (let weekday = 1; weekday <= 7; weekday++) {
    for (let n = 0; n < WEEK_SLOTS; n++) {
      const start = (values[weekField(weekday, n, "start")] ?? "").trim();
      const end = (values[weekField(weekday, n, "end")] ?? "").trim();
      if (!start && !end) continue;
      const s = parseTime(start);
      // An end of 00:00 means midnight at the end of the day.
      const e0 = parseTime(end);
      const e = e0 === 0 ? 1440 : e0;
      const key = `h${weekday}_${n}`;
      if (s === null || e === null || s >= 1440) fields[key] = ["dash.error.time"];
      else if (s < e) hours.push({ weekday, startMinute: s, endMinute: e });
      // A morning end before the start runs past midnight ("16:00 – 01:00"); any other end
      // before the start is a slip ("21:00 – 20:00"), not a 23-hour day.
      else if (e < LATEST_OVERNIGHT_END) {
        hours.push({ weekday, startMinute: s, endMinute: 1440 + e });
      } else fields[key] = ["dash.error.hoursOrder"];
    }
  }
  if (Object.keys(fields).length) throw new ValidationError(fields);
  return splitOvernight(hours);
}

/**
 * An optional contact number (landlines too, unlike login numbers): blank → null, otherwise any
 * valid number as people type it (Saudi by default) → E.164.
 */
export const contactPhone = z.string().optional().transform((v, ctx) => {
  const value = toLatinDigits(v ?? "").trim();
  if (!value) return null;
  const parsed = parsePhoneNumberFromString(value.replace(/^00/, "+"), "SA");
  if (!parsed?.isValid()) {
    ctx.addIssue({ code: "custom", message: "dash.error.phone" });
    return z.NEVER;
  }
  return parsed.number as string;
});
