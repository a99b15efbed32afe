/**
 * CSV for spreadsheets (RFC 4180): fields with a comma, quote, CR or LF are quoted and their
 * quotes doubled; lines end with CRLF. A field that a spreadsheet would run as a formula (it
 * starts with =, +, -, @, tab or CR: OWASP's "CSV injection") gets a leading apostrophe, so a
 * customer named "=HYPERLINK(…)" stays text. Phone numbers therefore read '+9665…, which every
 * spreadsheet shows as text, keeping the plus.
 */

const FORMULA_START = /^[=+\-@\t\r]/;

/** One field, escaped. */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return "";
  let text = value instanceof Date ? value.toISOString() : String(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * A whole document: a header row and the rows, CRLF line ends, with a UTF-8 byte order mark so
 * Excel opens Arabic text correctly.
 */
export function toCsv(header: readonly string[], rows: readonly (readonly unknown[])[]): string {
  const lines = [header, ...rows].map((row) => row.map(csvField).join(","));
  return `\uFEFF${lines.join("\r\n")}\r\n`;
}
