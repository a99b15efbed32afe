import { parsePhoneNumberFromString } from "libphonenumber-js/max";

/** Arabic-Indic (٠–٩) and Extended Arabic-Indic / Persian (۰–۹) digits → ASCII. */
export function toAsciiDigits(value: string): string {
  return value.replace(/[\u0660-\u0669\u06F0-\u06F9]/g, (d) => {
    const code = d.charCodeAt(0);
    return String(code >= 0x06f0 ? code - 0x06f0 : code - 0x0660);
  });
}

export type PhoneResult =
  | { ok: true; e164: string; country: string }
  | { ok: false; reason: "invalid" | "country" };

/**
 * Reads what people type for a phone number: `05XXXXXXXX`, `5XXXXXXXX`, `9665…`, `009665…`,
 * `+9665…`, with spaces, dashes, dots or brackets, in Latin or Arabic-Indic digits. The default
 * region is SA. Only mobile numbers (SMS and WhatsApp need one) of `allowedCountries` pass.
 */
export function parsePhone(input: string, allowedCountries: readonly string[]): PhoneResult {
  let text = toAsciiDigits(input.normalize("NFKC")).replace(/[\s\u200e\u200f\-–.()]/g, "");
  if (!/^\+?[0-9]{4,20}$/.test(text)) return { ok: false, reason: "invalid" };
  if (text.startsWith("00")) text = `+${text.slice(2)}`;
  let parsed = parsePhoneNumberFromString(text, "SA");
  // "9665…" without a plus: an international number written without its prefix.
  if (!text.startsWith("+") && !parsed?.isValid()) {
    parsed = parsePhoneNumberFromString(`+${text}`);
  }
  if (!parsed?.isValid()) return { ok: false, reason: "invalid" };
  const type = parsed.getType();
  if (type !== undefined && type !== "MOBILE" && type !== "FIXED_LINE_OR_MOBILE") {
    return { ok: false, reason: "invalid" };
  }
  const country = parsed.country ?? "";
  if (!allowedCountries.includes(country)) return { ok: false, reason: "country" };
  return { ok: true, e164: parsed.number, country };
}

/** "+966 51 234 5678": the international format, for showing a number back to its owner. */
export function formatPhone(e164: string): string {
  return parsePhoneNumberFromString(e164)?.formatInternational() ?? e164;
}
