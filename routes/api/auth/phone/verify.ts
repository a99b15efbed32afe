import { verifyLoginCode } from "@/services/auth/login.ts";
import { publicUser } from "@/services/auth/users.ts";
import { defineHandlers } from "../../../_define.ts";
import { readJson } from "../../../_http.ts";
import { clientIp, isBrowserRequest, setSessionCookies } from "../../../_session.ts";
import { authContext, codeFields } from "../_shared.ts";

/**
 * POST /api/auth/phone/verify/ {request_id, code} → 200 {access, refresh, user}; marks the phone
 * verified. Browsers get the session as HttpOnly cookies instead, and the refresh token never
 * appears in a body a script could read. Any bad code → 400 "Invalid or expired code".
 */
export const handler = defineHandlers({
  async POST(c) {
    const body = await readJson(c, codeFields);
    const { tokens, user } = await verifyLoginCode(authContext(c), {
      requestId: body.request_id,
      code: body.code,
      userAgent: c.req.header("user-agent"),
      ip: clientIp(c),
    });
    if (isBrowserRequest(c)) {
      setSessionCookies(c, tokens);
      return c.json({ access: tokens.access, user: publicUser(user) });
    }
    return c.json({ access: tokens.access, refresh: tokens.refresh, user: publicUser(user) });
  },
});
