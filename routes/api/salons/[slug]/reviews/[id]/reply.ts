import { defineHandlers } from "@/routes/_define.ts";
import { reply } from "../_moderation.ts";

/** `POST /api/salons/{slug}/reviews/{id}/reply/ {text}`: the salon's reply (managers only). */
export const handler = defineHandlers({ POST: reply });
