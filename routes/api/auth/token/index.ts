import { AppError } from "@/services/errors.ts";
import { defineHandlers } from "../../../_define.ts";

/** POST /api/auth/token/ → 410: password login is gone; phone codes are the only way in. */
export const handler = defineHandlers({
  POST() {
    throw new AppError(410, "auth.password.gone");
  },
});
