/**
 * Shared pages speak to women and men alike: the customer catalog uses verbal nouns ("إرسال
 * الرمز"), the first person plural or the passive, never a feminine-only (or masculine-only)
 * imperative or a feminine-only pronoun.
 */
import assert from "node:assert/strict";
import { ar } from "./ar.ts";
import { arDashboard } from "./ar_dashboard.ts";

/** Imperatives and pronouns that address one gender, as found in the catalog before. */
const GENDERED = [
  /(^|[\s«"(])(احجزي|اعثري|ادفعي|أدخلي|أرسلي|اطلبي|اكتبي|انشري|احفظي|اقرئي|احذفي|اختاري|افتحي|أكملي|أضيفي|انقلي|ابحثي|تواصلي)(?=[\s.،؟!»")]|$)/u,
  /(لكِ|يمكنكِ|قيّمتِ|عليكِ|أنتِ|ألغيتِ|وافقتِ|شئتِ)/u,
  // A verb in the feminine second person past (…تِ).
  /[\u0621-\u064A]تِ(?=[\s.،؟!»")]|$)/u,
];

Deno.test("Arabic customer copy addresses women and men alike", () => {
  const dashboard = new Set(Object.keys(arDashboard));
  const offending = Object.entries(ar)
    .filter(([key]) => !dashboard.has(key))
    .filter(([, value]) => GENDERED.some((re) => re.test(value)))
    .map(([key, value]) => `${key}: ${value}`);
  assert.deepEqual(offending, []);
});
