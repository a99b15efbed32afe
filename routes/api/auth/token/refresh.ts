import { getCookie } from "hono/cookie";
import { z } from "zod";
import { rotateRefreshToken } from "@/services/auth/sessions.ts";
import { ValidationError } from "@/services/errors.ts";
import { defineHandlers } from "../../../_define.ts";
import { readJson } from "../../../_http.ts";
import { cookieNames, setSessionCookies } from "../../../_session.ts";

/**
 * POST /api/auth/token/refresh/ {refresh} → 200 {access, refresh}: rotates the refresh token.
 * Without a body token the refresh cookie is used, and the new pair goes back into cookies.
 * An unknown, expired, revoked or already-rotated token → 401 (reuse revokes the whole session).
 */
export const handler = defineHandlers({
  async POST(c) {
    const { config, db } = c.var.deps;
    const hasJson = /^application\/(.+\+)?json\b/i.test(c.req.header("content-type") ?? "");
    const body = hasJson
      ? await readJson(c, z.object({ refresh: z.string().max(200).optional() }))
      : {};
    const fromCookie = body.refresh ? undefined : getCookie(c, cookieNames(config).refresh);
    const presented = body.refresh ?? fromCookie;
    if (!presented) throw new ValidationError({ refresh: ["validation.required"] });
    const tokens = await rotateRefreshToken(db, config, c.var.deps.now(), presented);
    if (fromCookie) {
      setSessionCookies(c, tokens);
      return c.json({ access: tokens.access });
    }
    return c.json({ access: tokens.access, refresh: tokens.refresh });
  },
});
