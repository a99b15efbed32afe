import { z } from "zod";
import { DbError } from "@/db/types.ts";
import { type MessageKey, type Translator } from "@/i18n/mod.ts";
import { en } from "@/i18n/en.ts";
import { AppError, ValidationError } from "@/services/errors.ts";
import type { AppContext } from "./_define.ts";

function isMessageKey(value: string): value is MessageKey {
  return Object.hasOwn(en, value);
}

/** Maps zod issues to catalog keys per field: a schema's own message is used when it is a key. */
export function validationErrorFrom(error: z.ZodError): ValidationError {
  const fields: Record<string, MessageKey[]> = {};
  for (const issue of error.issues) {
    const field = issue.path.length ? issue.path.join(".") : "non_field_errors";
    let key: MessageKey;
    if (isMessageKey(issue.message)) key = issue.message;
    else if (issue.code === "invalid_type" && issue.input === undefined) {
      key = "validation.required";
    } else if (issue.code === "too_big") key = "validation.tooLong";
    else if (issue.code === "too_small" && issue.origin === "string") key = "validation.required";
    else key = "validation.invalid";
    (fields[field] ??= []).push(key);
  }
  return new ValidationError(fields);
}

/**
 * The top-level field holding a string with U+0000 anywhere inside ("" for the body itself), else
 * null. Postgres text cannot store or compare it (the query fails), so such input is refused here.
 */
function nulField(value: unknown): string | null {
  // Iterative: a body may nest thousands of levels deep within the size limit.
  const stack: [unknown, string][] = [[value, ""]];
  while (stack.length) {
    const [item, path] = stack.pop()!;
    if (typeof item === "string") {
      if (item.includes("\u0000")) return path;
    } else if (typeof item === "object" && item !== null) {
      for (const [key, child] of Object.entries(item)) {
        const at = path || key;
        if (key.includes("\u0000")) return at;
        stack.push([child, at]);
      }
    }
  }
  return null;
}

function rejectNul(value: unknown): void {
  const field = nulField(value);
  if (field !== null) {
    throw new ValidationError({ [field || "non_field_errors"]: ["validation.invalid"] });
  }
}

/** SQLSTATEs a query fails with when a value cannot be text (U+0000 from a path or query). */
const PG_BAD_TEXT = new Set(["22021", "22P05"]);

/**
 * The client's mistake behind an error a handler let through, as a 400: a zod schema's `parse`
 * on request input, or a value Postgres cannot hold as text. Null for anything else (a bug: 500).
 */
export function inputErrorOf(err: unknown): AppError | null {
  if (err instanceof z.ZodError) return validationErrorFrom(err);
  if (err instanceof DbError && err.code && PG_BAD_TEXT.has(err.code)) {
    return new AppError(400, "error.validation");
  }
  return null;
}

/** Parses a JSON request body with `schema`; wrong content type → 415, bad JSON → 400. */
export async function readJson<S extends z.ZodType>(c: AppContext, schema: S): Promise<z.infer<S>> {
  const type = c.req.header("content-type") ?? "";
  if (!/^application\/(.+\+)?json\b/i.test(type)) {
    throw new AppError(415, "error.unsupportedMediaType");
  }
  let body: unknown;
  try {
    body = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(await c.req.arrayBuffer()));
  } catch {
    throw new AppError(400, "error.badJson");
  }
  rejectNul(body);
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw validationErrorFrom(parsed.error);
  return parsed.data;
}

/** Parses an urlencoded or multipart form with `schema` (fields arrive as strings). */
export async function readForm<S extends z.ZodType>(c: AppContext, schema: S): Promise<z.infer<S>> {
  let form: FormData;
  try {
    form = await c.req.formData();
  } catch {
    throw new AppError(415, "error.unsupportedMediaType");
  }
  const values: Record<string, string> = {};
  for (const [key, value] of form) if (typeof value === "string") values[key] = value;
  rejectNul(values);
  const parsed = schema.safeParse(values);
  if (!parsed.success) throw validationErrorFrom(parsed.error);
  return parsed.data;
}

/** `{detail, field: [messages]}`: the JSON shape of every error under /api. */
export function errorBody(err: AppError, t: Translator): Record<string, unknown> {
  const body: Record<string, unknown> = { detail: t(err.messageKey, err.params) };
  if (err instanceof ValidationError) {
    for (const [field, keys] of Object.entries(err.fields)) body[field] = keys.map((k) => t(k));
  }
  if ("retryAfterSeconds" in err) body.retry_after_seconds = err.retryAfterSeconds;
  return body;
}

/** A posted form's text fields as given, for re-rendering it (a body that is not a form → 415). */
export async function formValues(c: AppContext): Promise<Record<string, string>> {
  let form: FormData;
  try {
    form = await c.req.formData();
  } catch {
    throw new AppError(415, "error.unsupportedMediaType");
  }
  const values: Record<string, string> = {};
  for (const [key, value] of form) if (typeof value === "string") values[key] = value;
  rejectNul(values);
  return values;
}
