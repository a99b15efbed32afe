import { z } from "zod";
import { sha256Hex } from "@/services/auth/crypto.ts";
import { userText } from "@/services/text.ts";

const uuid = z.uuid("validation.invalid");

/** The body of `POST /api/bookings/` (and the booking page's confirm form). */
export const CreateBookingBody = z.object({
  salon: z.string().min(1).max(80),
  service: uuid,
  staff: z.union([z.literal("any"), uuid], { error: "slots.error.staff" }),
  start: z.iso.datetime({ offset: true, error: "booking.error.start" }),
});

export const RescheduleBody = z.object({
  start: z.iso.datetime({ offset: true, error: "booking.error.start" }),
  staff: z.union([z.literal("any"), uuid], { error: "slots.error.staff" }).optional(),
  preview: z.boolean({ error: "validation.invalid" }).optional(),
});

export const CancelBody = z.object({
  reason: userText().max(500).optional(),
});

/** A stable hash of what a create request asks for, to tell a replay from a different request. */
export async function requestHash(body: z.infer<typeof CreateBookingBody>): Promise<string> {
  const canonical = JSON.stringify([
    body.salon,
    body.service,
    body.staff,
    new Date(body.start).toISOString(),
  ]);
  return await sha256Hex(canonical);
}
