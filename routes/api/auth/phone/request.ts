import { z } from "zod";
import { requestLoginCode } from "@/services/auth/login.ts";
import { acceptedVersion } from "@/services/privacy/consent.ts";
import { defineHandlers } from "../../../_define.ts";
import { readJson } from "../../../_http.ts";
import { clientSignals, isBrowserRequest } from "../../../_session.ts";
import { authContext, channelField, emailField, nameField, phoneField } from "../_shared.ts";

/**
 * POST /api/auth/phone/request/ → 201 {request_id, expires_at, resend_after_seconds}: sends a login
 * code, creating the customer on first use. The answer is the same for known and new phones.
 * `accept_privacy_notice: true` (with `notice_version`, see GET /api/privacy/notice/) accepts the
 * privacy notice: a new account is only created with it, and a login without the current notice
 * accepted is refused at verify until it is given there or here.
 */
export const handler = defineHandlers({
  async POST(c) {
    const { config } = c.var.deps;
    const body = await readJson(
      c,
      z.object({
        phone_number: phoneField(config.otp.allowedCountries),
        channel: channelField,
        device_id: z.string().max(128).optional(),
        email: emailField,
        first_name: nameField,
        last_name: nameField,
        accept_privacy_notice: z.boolean().optional(),
        notice_version: z.string().max(20).optional(),
      }),
    );
    const issued = await requestLoginCode(authContext(c), {
      phone: body.phone_number,
      channel: body.channel,
      email: body.email,
      firstName: body.first_name,
      lastName: body.last_name,
      locale: c.var.state.locale,
      client: await clientSignals(c, body.device_id),
      privacyNoticeVersion: acceptedVersion({
        accept: body.accept_privacy_notice,
        version: body.notice_version,
      }),
      consentSource: isBrowserRequest(c) ? "web" : "api",
    });
    return c.json({
      request_id: issued.requestId,
      expires_at: issued.expiresAt.toISOString(),
      resend_after_seconds: issued.resendAfterSeconds,
    }, 201);
  },
});
