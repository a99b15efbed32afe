import type { MessageKey } from "@/i18n/mod.ts";
import { ValidationError } from "@/services/errors.ts";
import { isBidiControl } from "@/services/text.ts";

/** A customer may review a completed booking until this many days after the appointment ended. */
export const REVIEW_WINDOW_DAYS = 30;
/** Characters (code points) of review text, of a salon reply and of a moderation reason. */
export const REVIEW_TEXT_MAX = 1000;
export const REPLY_TEXT_MAX = 1000;
export const REASON_TEXT_MAX = 500;

export interface ReviewRow {
  id: string;
  booking_id: string;
  salon_id: string;
  customer_id: string | null;
  staff_id: string;
  service_id: string;
  rating: number;
  body: string;
  hidden: boolean;
  hidden_reason: string | null;
  hidden_by: string | null;
  hidden_at: Date | null;
  reply: string | null;
  replied_by: string | null;
  replied_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

/** The last moment a booking that ended at `endsAt` may be reviewed or its review edited. */
export function reviewDeadline(endsAt: Date): Date {
  return new Date(endsAt.getTime() + REVIEW_WINDOW_DAYS * 86_400_000);
}

/**
 * Free text as we store it: Unicode NFC, line breaks as `\n`, no control or bidi-override
 * characters (they could make a review display as something else), at most two blank lines in a
 * row, trimmed. HTML is not touched: it is text, and every page and JSON body escapes it.
 */
export function cleanText(input: string): string {
  const kept = [...input.normalize("NFC").replace(/\r\n?/g, "\n").replace(/\t/g, " ")]
    .filter((ch) => !isHiddenControl(ch.codePointAt(0)!))
    .join("");
  return kept
    .replace(/[ \u00a0]+\n/g, "\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

/** C0/C1 controls other than the line feed, and the bidi embedding/override/isolate controls. */
function isHiddenControl(cp: number): boolean {
  if (cp === 0x0a) return false;
  return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || isBidiControl(cp);
}

/** Length in characters as Postgres counts them (code points, not UTF-16 units). */
export function textLength(text: string): number {
  return [...text].length;
}

/** Cleans `input` and checks its length: too long → ValidationError on `field`. */
export function cleanField(
  input: string | null | undefined,
  field: string,
  max: number,
  { required = false }: { required?: boolean } = {},
): string {
  const text = cleanText(input ?? "");
  const problems: MessageKey[] = [];
  if (required && text === "") problems.push("validation.required");
  if (textLength(text) > max) problems.push("validation.tooLong");
  if (problems.length) throw new ValidationError({ [field]: problems });
  return text;
}

/** The name a review is shown under: first name and last initial ("Sara A."), never the phone. */
export function reviewerName(firstName: string | null, lastName: string | null): string | null {
  const first = (firstName ?? "").trim();
  const last = [...(lastName ?? "").trim()][0];
  if (!first) return null;
  return last ? `${first} ${last}.` : first;
}
