import type { Db, Tx } from "@/db/types.ts";
import { DbError, PG_EXCLUSION_VIOLATION } from "@/db/types.ts";
import { ConflictError } from "@/services/errors.ts";
import { resolveSlot, type StaffChoice } from "@/services/slots/load.ts";
import { recordEvent } from "./events.ts";
import { assertCustomerMayChange, lockBooking, peekBooking } from "./lifecycle.ts";
import { expireStaleHolds, lockStaff } from "./locks.ts";
import type { Actor, BookingRow } from "./model.ts";
import { notifyBookingEvent } from "./notify.ts";

/** Only an active booking moves; a pending one whose hold has lapsed is expired, not active. */
function assertMovable(booking: BookingRow, now: Date): void {
  const lapsed = booking.status === "pending" && booking.hold_expires_at !== null &&
    booking.hold_expires_at.getTime() <= now.getTime();
  if ((booking.status !== "pending" && booking.status !== "confirmed") || lapsed) {
    throw new ConflictError("booking.transitionNotAllowed", {
      from: booking.status,
      to: booking.status,
    });
  }
}

/**
 * Moves an active booking to a new start (and optionally another staff member, or "anyone") in
 * one transaction: every staff row involved is locked (in id order) and then the booking row, the
 * order creation uses, so a move and a booking made at the same moment never deadlock; the new
 * time is re-checked by the slot engine ignoring this booking's own block, and the row is updated
 * in place, so the old time frees only if the new one is taken. Customers follow the cancellation
 * window. A pending booking whose hold has lapsed cannot move (it is expired, not active).
 *
 * @throws ConflictError when the new time is not free or the booking cannot move.
 */
export async function rescheduleBooking(
  db: Db | Tx,
  input: {
    bookingId: string;
    start: Date;
    staff?: StaffChoice;
    actor: Actor;
    now: Date;
    scope: { customerId?: string; salonId?: string };
  },
): Promise<BookingRow> {
  try {
    return await db.transaction(async (tx) => {
      const seen = await peekBooking(tx, input.bookingId, input.scope);
      // Refuse early what will be refused anyway (checked again below on the locked row).
      assertMovable(seen, input.now);
      if (input.actor.role === "customer") assertCustomerMayChange(seen, input.now);
      const choice = input.staff ?? seen.staff_id;
      const involved = choice === "any" ? "any" : [...new Set([choice, seen.staff_id])].sort();
      const candidates = await lockStaff(tx, seen.salon_id, seen.service_id, involved);
      const booking = await lockBooking(tx, input.bookingId, input.scope);
      assertMovable(booking, input.now);
      // Moved by someone else between the read and the lock: "keep the staff member" is ambiguous.
      if (input.staff === undefined && booking.staff_id !== seen.staff_id) {
        throw new ConflictError("booking.transitionNotAllowed", {
          from: booking.status,
          to: booking.status,
        });
      }
      if (input.actor.role === "customer") assertCustomerMayChange(booking, input.now);
      await expireStaleHolds(tx, candidates, input.now);
      const slot = await resolveSlot(tx, {
        salonId: booking.salon_id,
        serviceId: booking.service_id,
        staff: choice,
        startMs: input.start.getTime(),
        now: input.now,
        excludeBookingId: booking.id,
        // The salon moving a booking is not held to the notice it asks of online customers.
        ignoreNotice: input.actor.role === "salon",
      });
      if (!slot) throw new ConflictError("booking.slotTaken");
      const [moved] = await tx.query<BookingRow>(
        `UPDATE bookings SET staff_id = $2, starts_at = $3, ends_at = $4,
           block_start = $3::timestamptz - make_interval(mins => buffer_before_minutes),
           block_end = $4::timestamptz + make_interval(mins => buffer_after_minutes),
           duration_minutes = $5, updated_at = $6
         WHERE id = $1 RETURNING *`,
        [
          booking.id,
          slot.staffId,
          new Date(slot.startMs),
          new Date(slot.endMs),
          Math.round((slot.endMs - slot.startMs) / 60_000),
          input.now,
        ],
      );
      await recordEvent(tx, booking.id, input.actor, input.now, {
        kind: "rescheduled",
        from: booking.status,
        to: moved.status,
        data: {
          from: { start: booking.starts_at.toISOString(), staff_id: booking.staff_id },
          to: { start: moved.starts_at.toISOString(), staff_id: moved.staff_id },
        },
      });
      await notifyBookingEvent(tx, moved, "rescheduled", input.actor, input.now);
      return moved;
    });
  } catch (err) {
    if (err instanceof DbError && err.code === PG_EXCLUSION_VIOLATION) {
      throw new ConflictError("booking.slotTaken");
    }
    throw err;
  }
}
