import { z } from "zod";
import { sha256Hex } from "@/services/auth/crypto.ts";
import { userText } from "@/services/text.ts";

const uuid = z.uuid("validation.invalid");

const staffChoice = z.union([z.literal("any"), uuid], { error: "slots.error.staff" });

const VisitItem = z.object({
  service: uuid,
  staff: staffChoice.default("any"),
  guest: z.number({ error: "visit.error.guest" }).int().min(0).max(9).default(0),
});

const Guest = z.object({
  name: z.string({ error: "visit.error.guestName" }).max(200).optional(),
  phone: z.string({ error: "visit.error.guestPhone" }).max(40).optional(),
});

/**
 * The body of `POST /api/bookings/` (and the booking page's confirm form): one service
 * (`service`, `staff`) or a visit (`items`, with `guests` when some items are for others; guest 0
 * is the customer).
 */
export const CreateBookingBody = z.object({
  salon: z.string().min(1).max(80),
  service: uuid.optional(),
  staff: staffChoice.optional(),
  items: z.array(VisitItem).min(1, { error: "visit.error.items" })
    .max(20, { error: "visit.error.items" }).optional(),
  guests: z.array(Guest).max(10, { error: "visit.error.guest" }).optional(),
  /** A visit at the customer's home: one of the salon's districts and the address. */
  home: z.object({
    district: z.string({ error: "home.error.area" }).max(80),
    address: z.string({ error: "home.error.address" }).max(300),
    map_url: z.string({ error: "home.error.mapUrl" }).max(500).optional(),
    notes: z.string().max(500).optional(),
  }).optional(),
  start: z.iso.datetime({ offset: true, error: "booking.error.start" }),
}).refine((b) => (b.items === undefined) !== (b.service === undefined), {
  error: "visit.error.items",
  path: ["items"],
});

/** The visit a create body asks for, as `createBooking` takes it. */
export function requestedVisit(body: z.infer<typeof CreateBookingBody>) {
  const items = body.items
    ? body.items.map((it) => ({ serviceId: it.service, staff: it.staff, guest: it.guest }))
    : [{ serviceId: body.service!, staff: body.staff ?? "any", guest: 0 }];
  const home = body.home && {
    district: body.home.district,
    address: body.home.address,
    mapUrl: body.home.map_url ?? null,
    notes: body.home.notes ?? null,
  };
  return { items, guests: body.guests, home };
}

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
  // The single-service form hashes as it always did, so keys stored before visits still match.
  const canonical = body.items
    ? JSON.stringify([
      body.salon,
      body.items,
      body.guests ?? [],
      new Date(body.start).toISOString(),
    ])
    : JSON.stringify([body.salon, body.service, body.staff, new Date(body.start).toISOString()]);
  return await sha256Hex(canonical);
}
