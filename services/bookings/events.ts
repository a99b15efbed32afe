import type { Tx } from "@/db/types.ts";
import type { Actor, BookingStatus } from "./model.ts";

/**
 * One row of a booking's history: who, when, from, to, why. Call with the booking row locked (every
 * writer does), so histories are written one at a time. `at` is the request's `now`, but never
 * earlier than the booking's previous event (then 1 µs after it): a request that read its clock
 * first may commit second, and the history must list changes in the order they were applied.
 */
export async function recordEvent(
  tx: Tx,
  bookingId: string,
  actor: Actor,
  at: Date,
  event: {
    kind: "created" | "status" | "rescheduled" | "item_cancelled";
    from: BookingStatus | null;
    to: BookingStatus;
    reason?: string | null;
    data?: Record<string, unknown>;
  },
): Promise<void> {
  await tx.query(
    `INSERT INTO booking_events (booking_id, at, actor_user_id, actor_role, kind, from_status, to_status, reason, data)
     VALUES ($1, GREATEST($2::timestamptz, (SELECT max(at) + interval '1 microsecond'
                                            FROM booking_events WHERE booking_id = $1)),
             $3, $4, $5, $6, $7, $8, $9)`,
    [
      bookingId,
      at,
      actor.userId,
      actor.role,
      event.kind,
      event.from,
      event.to,
      event.reason ?? null,
      event.data ?? {},
    ],
  );
}
