import { assertSignedIn } from "@/services/auth/authorize.ts";
import { confirmPhoneVerification } from "@/services/auth/login.ts";
import { publicUser } from "@/services/auth/users.ts";
import { defineHandlers } from "../../../_define.ts";
import { readJson } from "../../../_http.ts";
import { authContext, codeFields } from "../_shared.ts";

/**
 * POST /api/auth/otp/verify/ {request_id, code} → 200 {user}: accepts only `verify` codes that the
 * signed-in user asked for; login codes are refused here (and these are refused at login).
 */
export const handler = defineHandlers({
  async POST(c) {
    const state = c.var.state;
    assertSignedIn(state);
    const body = await readJson(c, codeFields);
    const user = await confirmPhoneVerification(authContext(c), state.user, {
      requestId: body.request_id,
      code: body.code,
    });
    return c.json({ user: publicUser(user) });
  },
});
