const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * True for a canonical UUID: the shape Postgres's uuid type accepts from us. Every id from a URL,
 * form or body is checked with this before it reaches SQL, so a malformed id is a 404/400, never a
 * database error.
 */
export function isUuid(value: unknown): value is string {
  return typeof value === "string" && UUID.test(value);
}
