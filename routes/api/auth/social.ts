import { AppError } from "@/services/errors.ts";
import { defineHandlers } from "../../_define.ts";

/** POST /api/auth/social/ → 501 until an OAuth provider and a linking policy exist. */
export const handler = defineHandlers({
  POST() {
    throw new AppError(501, "auth.social.notConfigured");
  },
});
