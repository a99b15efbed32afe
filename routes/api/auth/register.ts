import { AppError } from "@/services/errors.ts";
import { defineHandlers } from "../../_define.ts";

/** POST /api/auth/register/ → 410: registration is a phone code now (the first login registers). */
export const handler = defineHandlers({
  POST() {
    throw new AppError(410, "auth.register.gone");
  },
});
