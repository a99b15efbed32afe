import { parsePhoneNumberFromString } from "libphonenumber-js/max";
import type { Queryable } from "@/db/types.ts";

/** What stands in for a removed name, number or email inside a longer text. */
export const REDACTED = "***";

/** Patterns that find one person's phone number, email and names inside free text. */
export interface Identifiers {
  patterns: RegExp[];
}

const SEPARATORS = "[\\s\\-.()\\u200e\\u200f]*";

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * A phone number however it is written: +966 51 234 5678, 00966512345678, 966…, 0512345678,
 * 512345678, with spaces, dashes, dots or brackets between the digits.
 */
function phonePattern(e164: string): RegExp | null {
  const parsed = parsePhoneNumberFromString(e164);
  const national = parsed?.nationalNumber ?? e164.replace(/^\+/, "");
  const code = parsed?.countryCallingCode;
  if (national.length < 6) return null;
  const digits = [...national].join(SEPARATORS);
  const prefix = code ? `(?:(?:\\+|00)?${[...code].join(SEPARATORS)}|0)?${SEPARATORS}` : "\\+?";
  return new RegExp(`(?<![0-9])${prefix}${digits}(?![0-9])`, "g");
}

/** A name as a whole word (any script), case-insensitive. */
function namePattern(name: string): RegExp | null {
  const clean = name.trim();
  if ([...clean].length < 2) return null;
  const words = clean.split(/\s+/).map(escapeRegExp).join("\\s+");
  return new RegExp(`(?<![\\p{L}\\p{N}\\p{M}_])${words}(?![\\p{L}\\p{N}\\p{M}_])`, "giu");
}

/** The patterns for one account's phone, email, first, last and full name. */
export function identifiersOf(user: {
  phone_number: string;
  email: string | null;
  first_name: string;
  last_name: string;
}): Identifiers {
  const names = [`${user.first_name} ${user.last_name}`, user.first_name, user.last_name];
  const patterns = [
    phonePattern(user.phone_number),
    user.email ? new RegExp(escapeRegExp(user.email), "gi") : null,
    // Longest first, so a full name goes as one piece.
    ...names.sort((a, b) => b.length - a.length).map(namePattern),
  ].filter((p): p is RegExp => p !== null);
  return { patterns };
}

/** `text` with every occurrence of the person's identifiers replaced by REDACTED. */
export function redactText(text: string, ids: Identifiers): string {
  let out = text;
  for (const pattern of ids.patterns) out = out.replace(pattern, REDACTED);
  return out;
}

/** A JSON value with every string in it (not the keys) redacted. */
export function redactJson(value: unknown, ids: Identifiers): unknown {
  if (typeof value === "string") return redactText(value, ids);
  if (Array.isArray(value)) return value.map((v) => redactJson(v, ids));
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, redactJson(v, ids)]),
    );
  }
  return value;
}

interface ColumnInfo {
  column_name: string;
  data_type: string;
}

/** The text-like columns of a table that can be written (not generated). */
export async function textColumns(db: Queryable, table: string): Promise<ColumnInfo[]> {
  return await db.query<ColumnInfo>(
    `SELECT column_name, data_type FROM information_schema.columns
     WHERE table_schema = current_schema() AND table_name = $1 AND is_generated = 'NEVER'
       AND data_type IN ('text', 'character varying', 'character', 'json', 'jsonb')
     ORDER BY ordinal_position`,
    [table],
  );
}

const IDENT = /^[a-z_][a-z0-9_]*$/;

/**
 * Redacts the person's identifiers in every text and JSON column of the rows of `table` that
 * `where` selects (a SQL condition over the table's columns, with `params`). Rows are read and
 * written one by one by `id`; only changed values are written. Returns how many rows changed.
 */
export async function redactRows(
  db: Queryable,
  table: string,
  where: string,
  params: readonly unknown[],
  ids: Identifiers,
): Promise<number> {
  if (!IDENT.test(table)) throw new Error(`redactRows: bad table name ${table}`);
  const columns = (await textColumns(db, table)).filter((c) => IDENT.test(c.column_name));
  if (columns.length === 0) return 0;
  const list = columns.map((c) => `"${c.column_name}"`).join(", ");
  const rows = await db.query<Record<string, unknown>>(
    `SELECT id, ${list} FROM "${table}" WHERE ${where}`,
    params,
  );
  let changed = 0;
  for (const row of rows) {
    const sets: string[] = [];
    const values: unknown[] = [row.id];
    for (const c of columns) {
      const before = row[c.column_name];
      if (before === null || before === undefined) continue;
      const isJson = c.data_type === "json" || c.data_type === "jsonb";
      const after = isJson ? redactJson(before, ids) : redactText(String(before), ids);
      if (JSON.stringify(after) === JSON.stringify(before)) continue;
      values.push(isJson ? JSON.stringify(after) : after);
      sets.push(`"${c.column_name}" = $${values.length}${isJson ? `::text::${c.data_type}` : ""}`);
    }
    if (sets.length === 0) continue;
    await db.query(`UPDATE "${table}" SET ${sets.join(", ")} WHERE id = $1`, values);
    changed++;
  }
  return changed;
}

/** True when the table exists in the current schema (payments arrive with their own migration). */
export async function tableExists(db: Queryable, table: string): Promise<boolean> {
  const rows = await db.query(
    `SELECT 1 FROM information_schema.tables
     WHERE table_schema = current_schema() AND table_name = $1`,
    [table],
  );
  return rows.length > 0;
}
