import { defineHandlers } from "@/routes/_define.ts";
import { setHidden } from "../_moderation.ts";

/** `POST /api/salons/{slug}/reviews/{id}/unhide/ {reason}`: shows a hidden review again. */
export const handler = defineHandlers({ POST: (c) => setHidden(c, false) });
