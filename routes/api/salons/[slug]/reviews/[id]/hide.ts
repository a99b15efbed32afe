import { defineHandlers } from "@/routes/_define.ts";
import { setHidden } from "../_moderation.ts";

/**
 * `POST /api/salons/{slug}/reviews/{id}/hide/ {reason}`: takes the review off the salon page and
 * out of its rating (managers only; the reason goes to the review's audit trail).
 */
export const handler = defineHandlers({ POST: (c) => setHidden(c, true) });
