import { z } from "zod";
import { verifyLoginCode } from "@/services/auth/login.ts";
import { acceptedVersion } from "@/services/privacy/consent.ts";
import { publicUser } from "@/services/auth/users.ts";
import { defineHandlers } from "../../../_define.ts";
import { readJson } from "../../../_http.ts";
import { clientIp, isBrowserRequest, setSessionCookies } from "../../../_session.ts";
import { authContext, codeFields } from "../_shared.ts";

/**
 * POST /api/auth/phone/verify/ {request_id, code} → 200 {access, refresh, user}; marks the phone
 * verified. Browsers get the session as HttpOnly cookies instead, and the refresh token never
 * appears in a body a script could read. Any bad code → 400 "Invalid or expired code". A person
 * who has not accepted the current privacy notice (and did not with the request) gets 400 on
 * `accept_privacy_notice` and may send the same code again with `accept_privacy_notice: true`.
 */
export const handler = defineHandlers({
  async POST(c) {
    const body = await readJson(
      c,
      codeFields.extend({
        accept_privacy_notice: z.boolean().optional(),
        notice_version: z.string().max(20).optional(),
      }),
    );
    const { tokens, user } = await verifyLoginCode(authContext(c), {
      requestId: body.request_id,
      code: body.code,
      userAgent: c.req.header("user-agent"),
      ip: clientIp(c),
      privacyNoticeVersion: acceptedVersion({
        accept: body.accept_privacy_notice,
        version: body.notice_version,
      }),
      consentSource: isBrowserRequest(c) ? "web" : "api",
    });
    if (isBrowserRequest(c)) {
      setSessionCookies(c, tokens);
      return c.json({ access: tokens.access, user: publicUser(user) });
    }
    return c.json({ access: tokens.access, refresh: tokens.refresh, user: publicUser(user) });
  },
});
