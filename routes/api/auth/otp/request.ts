import { z } from "zod";
import { assertSignedIn } from "@/services/auth/authorize.ts";
import { requestPhoneVerification } from "@/services/auth/login.ts";
import { defineHandlers } from "../../../_define.ts";
import { readJson } from "../../../_http.ts";
import { clientSignals } from "../../../_session.ts";
import { authContext, channelField, phoneField } from "../_shared.ts";

/**
 * POST /api/auth/otp/request/ {phone_number?, channel} → 201 {request_id, expires_at}: a `verify`
 * code for the signed-in user, to confirm their phone (default) or a new number.
 */
export const handler = defineHandlers({
  async POST(c) {
    const state = c.var.state;
    assertSignedIn(state);
    const { config } = c.var.deps;
    const body = await readJson(
      c,
      z.object({
        phone_number: phoneField(config.otp.allowedCountries).optional(),
        channel: channelField,
        device_id: z.string().max(128).optional(),
      }),
    );
    const issued = await requestPhoneVerification(authContext(c), state.user, {
      phone: body.phone_number ?? state.user.phoneNumber,
      channel: body.channel,
      client: await clientSignals(c, body.device_id),
    });
    return c.json({
      request_id: issued.requestId,
      expires_at: issued.expiresAt.toISOString(),
      resend_after_seconds: issued.resendAfterSeconds,
    }, 201);
  },
});
