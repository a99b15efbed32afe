import { z } from "zod";
import { revokeSession, sessionOfRefreshToken } from "@/services/auth/sessions.ts";
import { defineHandlers } from "../../_define.ts";
import { readJson } from "../../_http.ts";
import { clearSessionCookies } from "../../_session.ts";

/**
 * POST /api/auth/logout/ → 204: revokes the caller's session (Bearer, cookie, or a `refresh` token
 * in the body) and clears the cookies. Logging out twice is not an error.
 */
export const handler = defineHandlers({
  async POST(c) {
    const { db } = c.var.deps;
    const hasJson = /^application\/(.+\+)?json\b/i.test(c.req.header("content-type") ?? "");
    const body = hasJson
      ? await readJson(c, z.object({ refresh: z.string().max(200).optional() }))
      : {};
    const sessionId = c.var.state.user?.sessionId ??
      (body.refresh ? await sessionOfRefreshToken(db, body.refresh) : null);
    if (sessionId) await revokeSession(db, sessionId, c.var.deps.now(), "logout");
    clearSessionCookies(c);
    return c.body(null, 204);
  },
});
