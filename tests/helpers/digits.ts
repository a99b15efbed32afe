/**
 * The middle-dot check for Arabic pages: "·" beside an Arabic-Indic digit reads as the zero "٠"
 * ("٢٠٢٦ · ١١" looks like "٢٠٢٦٠١١"), so no Arabic text may put one there.
 */

// Spaces, no-break spaces and invisible direction marks may sit between the dot and the digit.
const GAP = "[\\s\\u00a0\\u202f\\u200e\\u200f\\u061c]*";
const DOT_BY_DIGIT = new RegExp(`[\\u0660-\\u0669]${GAP}·|·${GAP}[\\u0660-\\u0669]`, "g");

/** Every spot in `text` where a middle dot sits beside an Arabic-Indic digit, with context. */
export function dotsBesideArabicDigits(text: string): string[] {
  return [...text.matchAll(DOT_BY_DIGIT)].map((m) =>
    text.slice(Math.max(0, m.index - 30), m.index + m[0].length + 30)
  );
}

/**
 * The same check over a rendered page: its text (tags dropped, scripts and styles left out) and
 * the attributes people read (title, aria-label, alt, placeholder).
 */
export function pageDotsBesideArabicDigits(html: string): string[] {
  const text = html
    .replace(/<(script|style)\b[\s\S]*?<\/\1>/g, "")
    .replace(/<[^>]*>/g, "");
  const attributes = [...html.matchAll(/\s(?:title|aria-label|alt|placeholder)="([^"]*)"/g)]
    .map((m) => m[1]);
  return [text, ...attributes].flatMap(dotsBesideArabicDigits);
}
