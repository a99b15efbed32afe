import assert from "node:assert/strict";
import { dotsBesideArabicDigits } from "@/tests/helpers/digits.ts";
import { fullDualDate, fullDualDateParts, joinDualDate } from "./calendar.ts";
import {
  dualDateParts,
  formatDualDate,
  formatGregorianDate,
  formatHijriDate,
  formatSar,
  formatTime,
  toLatinDigits,
} from "./format.ts";
import { negotiateLocale, translator } from "./mod.ts";

const at = new Date("2026-11-21T13:30:00Z"); // 16:30 in Riyadh

Deno.test("format - Gregorian and Hijri (Umm al-Qura) dates side by side in both languages", () => {
  assert.equal(
    formatDualDate(at, "Asia/Riyadh", { locale: "en" }),
    "Saturday, 21 November 2026 · 11 Jumada II 1448 AH",
  );
  assert.equal(
    formatDualDate(at, "Asia/Riyadh", { locale: "ar" }),
    "السبت، ٢١ نوفمبر ٢٠٢٦ الموافق ١١ جمادى الآخرة ١٤٤٨ هـ",
  );
  assert.equal(
    formatHijriDate(at, "Asia/Riyadh", { locale: "ar", digits: "latn" }),
    "11 جمادى الآخرة 1448 هـ",
  );
  assert.deepEqual(dualDateParts(at, "Asia/Riyadh", { locale: "ar" }), {
    gregorian: "السبت، ٢١ نوفمبر ٢٠٢٦",
    hijri: "١١ جمادى الآخرة ١٤٤٨ هـ",
  });
  assert.deepEqual(fullDualDateParts("2026-11-21", { locale: "en" }), {
    gregorian: "Saturday, 21 November 2026",
    hijri: "11 Jumada II 1448 AH",
  });
});

Deno.test("format - an Arabic dual date never puts a middle dot beside Arabic-Indic digits, where it reads as the zero", () => {
  const arab = { locale: "ar" as const };
  const latn = { locale: "ar" as const, digits: "latn" as const };
  // Every day of two years, through both helpers (instants in a zone, and local dates).
  for (let day = 0; day < 2 * 366; day++) {
    const when = new Date(Date.UTC(2026, 0, 1 + day, 9));
    const date = when.toISOString().slice(0, 10);
    for (const text of [formatDualDate(when, "Asia/Riyadh", arab), fullDualDate(date, arab)]) {
      assert.deepEqual(dotsBesideArabicDigits(text), [], text);
      assert.ok(!text.includes("·"), text);
      assert.match(text, / الموافق [\u0660-\u0669]/, text);
    }
    assert.equal(
      formatDualDate(when, "Asia/Riyadh", arab),
      joinDualDate(dualDateParts(when, "Asia/Riyadh", arab), arab),
    );
    assert.ok(!formatDualDate(when, "Asia/Riyadh", latn).includes("·"));
  }
  assert.equal(
    fullDualDate("2026-11-21", arab),
    "السبت، ٢١ نوفمبر ٢٠٢٦ الموافق ١١ جمادى الآخرة ١٤٤٨ هـ",
  );
  // English keeps the middle dot between Latin digits, where it reads as a separator.
  assert.equal(
    fullDualDate("2026-11-21", { locale: "en" }),
    "Saturday, 21 November 2026 · 11 Jumada II 1448 AH",
  );
  // The check itself finds the old Arabic form.
  assert.equal(
    dotsBesideArabicDigits("السبت، ٢١ نوفمبر ٢٠٢٦ · ١١ جمادى الآخرة ١٤٤٨ هـ").length,
    1,
  );
});

Deno.test("format - dates and times are taken in the salon's zone, not the server's", () => {
  const lateEvening = new Date("2026-11-21T22:30:00Z"); // already Sunday 01:30 in Riyadh
  assert.match(
    formatGregorianDate(lateEvening, "Asia/Riyadh", { locale: "en" }),
    /^Sunday, 22 November/,
  );
  assert.match(
    formatGregorianDate(lateEvening, "America/New_York", { locale: "en" }),
    /^Saturday, 21/,
  );
  assert.equal(formatTime(at, "Asia/Riyadh", { locale: "en" }), "4:30 pm");
  assert.equal(formatTime(at, "Asia/Riyadh", { locale: "ar" }), "٤:٣٠ م");
  assert.equal(formatTime(at, "Asia/Riyadh", { locale: "ar", digits: "latn" }), "4:30 م");
});

Deno.test("format - SAR from integer halalas, exact to the halala, both digit systems", () => {
  assert.equal(formatSar(12550, { locale: "en" }), "SAR\u00a0125.50");
  assert.equal(formatSar(5, { locale: "en" }), "SAR\u00a00.05");
  assert.equal(formatSar(0, { locale: "en" }), "SAR\u00a00.00");
  assert.equal(formatSar(999_999_99, { locale: "en" }), "SAR\u00a0999,999.99");
  assert.equal(formatSar(-1050, { locale: "en" }), "-SAR\u00a010.50");
  assert.match(formatSar(12550, { locale: "ar" }), /١٢٥٫٥٠/);
  assert.match(formatSar(12550, { locale: "ar", digits: "latn" }), /125\.50/);
  assert.throws(() => formatSar(10.5, { locale: "en" }), RangeError);
});

Deno.test("format - Arabic-Indic and Persian digits become ASCII for parsing", () => {
  assert.equal(toLatinDigits("٠٥١٢٣٤٥٦٧٨"), "0512345678");
  assert.equal(toLatinDigits("۰۵۱۲"), "0512");
  assert.equal(toLatinDigits("+966 ٥٠"), "+966 50");
});

Deno.test("locale - negotiation order: query, cookie, Accept-Language by quality, Arabic", () => {
  assert.equal(negotiateLocale({}), "ar");
  assert.equal(negotiateLocale({ acceptLanguage: "en-GB,en;q=0.9" }), "en");
  assert.equal(negotiateLocale({ acceptLanguage: "ar-SA,en;q=0.5" }), "ar");
  assert.equal(negotiateLocale({ acceptLanguage: "fr, en;q=0.1" }), "en");
  assert.equal(negotiateLocale({ acceptLanguage: "en;q=0, ar;q=0.1" }), "ar");
  assert.equal(negotiateLocale({ acceptLanguage: "garbage;;q=x" }), "ar");
  assert.equal(negotiateLocale({ cookie: "en", acceptLanguage: "ar" }), "en");
  assert.equal(negotiateLocale({ query: "ar", cookie: "en", acceptLanguage: "en" }), "ar");
  assert.equal(negotiateLocale({ query: "zz", cookie: "en" }), "en");
});

Deno.test("i18n - placeholders are filled from params, in both catalogs", () => {
  assert.equal(
    translator("en")("error.rateLimited", { seconds: 42 }),
    "Too many requests. Try again in 42 seconds.",
  );
  assert.match(translator("ar")("error.rateLimited", { seconds: 42 }), /42 ثانية/);
});
