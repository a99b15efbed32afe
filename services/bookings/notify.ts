import type { Tx } from "@/db/types.ts";
import { enqueueBookingEvent } from "@/services/messages/enqueue.ts";
import type { Actor, BookingRow } from "./model.ts";

export type BookingEvent = "created" | "confirmed" | "cancelled" | "rescheduled" | "expired";

/**
 * Queues the messages a booking change causes, in the caller's transaction: a rollback sends
 * nothing. Reminders follow the booking (scheduled when confirmed, moved or dropped on change).
 */
export async function notifyBookingEvent(
  tx: Tx,
  booking: BookingRow,
  event: BookingEvent,
  actor: Actor,
  now: Date,
): Promise<void> {
  await enqueueBookingEvent(tx, { bookingId: booking.id, event, actor, now });
}
