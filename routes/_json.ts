import type { AppContext } from "./_define.ts";

/**
 * A JSON response whose text never contains `<`, `>` or `&` (they are written as \u003c, \u003e,
 * \u0026, which every JSON parser reads back as the same characters). User-written text (reviews,
 * replies) then stays inert even if the body is ever sniffed as HTML or inlined into a page.
 */
export function htmlSafeJson(c: AppContext, body: unknown, status = 200): Response {
  const text = JSON.stringify(body)
    .replace(/</g, "\\u003c")
    .replace(/>/g, "\\u003e")
    .replace(/&/g, "\\u0026");
  return c.body(text, status as 200, {
    "content-type": "application/json; charset=UTF-8",
  });
}
