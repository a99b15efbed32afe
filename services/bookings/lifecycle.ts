import type { Db, Tx } from "@/db/types.ts";
import { DbError, PG_EXCLUSION_VIOLATION } from "@/db/types.ts";
import { ConflictError, NotFoundError } from "@/services/errors.ts";
import { refundPaymentsOfCancelledBooking } from "@/services/payments/cancel.ts";
import { recordEvent } from "./events.ts";
import { type Actor, type BookingRow, type BookingStatus, canTransition } from "./model.ts";
import { notifyBookingEvent } from "./notify.ts";
import { isUuid } from "@/services/ids.ts";

/** Locks one booking row for a change; customers only ever see their own (others → 404). */
export async function lockBooking(
  tx: Tx,
  bookingId: string,
  scope: { customerId?: string; salonId?: string },
): Promise<BookingRow> {
  return await readBooking(tx, bookingId, scope, true);
}

/**
 * Reads one booking without locking it, to learn which staff rows to lock first: a transaction
 * that takes staff rows and a booking row takes them in that order (creation locks staff, then
 * expires their lapsed holds), or two of them could wait on each other.
 */
export async function peekBooking(
  tx: Tx,
  bookingId: string,
  scope: { customerId?: string; salonId?: string },
): Promise<BookingRow> {
  return await readBooking(tx, bookingId, scope, false);
}

async function readBooking(
  tx: Tx,
  bookingId: string,
  scope: { customerId?: string; salonId?: string },
  lock: boolean,
): Promise<BookingRow> {
  if (!isUuid(bookingId)) throw new NotFoundError();
  const [booking] = await tx.query<BookingRow>(
    `SELECT * FROM bookings WHERE id = $1
       AND ($2::uuid IS NULL OR customer_id = $2) AND ($3::uuid IS NULL OR salon_id = $3)
     ${lock ? "FOR UPDATE" : ""}`,
    [bookingId, scope.customerId ?? null, scope.salonId ?? null],
  );
  if (!booking) throw new NotFoundError();
  return booking;
}

/** The latest moment a customer may still cancel or move this booking themselves. */
export function customerChangeDeadline(
  booking: Pick<BookingRow, "starts_at" | "cancellation_window_hours">,
): Date {
  return new Date(booking.starts_at.getTime() - booking.cancellation_window_hours * 3_600_000);
}

/** Refuses a customer's own change after the cancellation window opened (unpaid holds excepted). */
export function assertCustomerMayChange(booking: BookingRow, now: Date): void {
  if (booking.status === "pending") return;
  if (now.getTime() > customerChangeDeadline(booking).getTime()) {
    throw new ConflictError("booking.cancelWindowPassed", {
      hours: booking.cancellation_window_hours,
    });
  }
}

async function applyStatus(
  tx: Tx,
  booking: BookingRow,
  to: BookingStatus,
  actor: Actor,
  now: Date,
  reason: string | null,
): Promise<BookingRow> {
  if (!canTransition(booking.status, to)) {
    throw new ConflictError("booking.transitionNotAllowed", { from: booking.status, to });
  }
  if ((to === "completed" || to === "no_show") && now.getTime() < booking.starts_at.getTime()) {
    throw new ConflictError("booking.notStartedYet");
  }
  const [updated] = await tx.query<BookingRow>(
    `UPDATE bookings SET status = $2, updated_at = $3,
       hold_expires_at = CASE WHEN $2 = 'pending' THEN hold_expires_at ELSE NULL END,
       cancelled_by = CASE WHEN $2 = 'cancelled' THEN $4 ELSE cancelled_by END,
       cancel_reason = CASE WHEN $2 = 'cancelled' THEN $5 ELSE cancel_reason END
     WHERE id = $1 RETURNING *`,
    [booking.id, to, now, actor.role, reason],
  );
  await recordEvent(tx, booking.id, actor, now, {
    kind: "status",
    from: booking.status,
    to,
    reason,
  });
  if (to === "confirmed" || to === "cancelled") {
    await notifyBookingEvent(tx, updated, to, actor, now);
  }
  return updated;
}

/**
 * Moves a booking to `to` if the lifecycle allows it (others → 409), recording who and why.
 * `completed` and `no_show` only after the start. Scope limits which bookings the caller may touch.
 * Confirming locks the staff row before the booking (the order creation uses): re-securing an
 * expired booking's time queues behind a booking being made for it instead of deadlocking, and a
 * time taken meanwhile is a 409 (the exclusion constraint's verdict).
 */
export async function changeBookingStatus(
  db: Db | Tx,
  input: {
    bookingId: string;
    to: BookingStatus;
    actor: Actor;
    now: Date;
    reason?: string | null;
    scope: { customerId?: string; salonId?: string };
  },
): Promise<BookingRow> {
  try {
    return await db.transaction(async (tx) => {
      if (input.to === "confirmed") {
        // The staff row of an expired booking cannot change (only active ones move); a pending one
        // may move meanwhile, which is harmless: its time is already held.
        const { id } = await peekBooking(tx, input.bookingId, input.scope);
        await tx.query(
          `SELECT id FROM staff WHERE id IN (SELECT staff_id FROM booking_items WHERE booking_id = $1)
           ORDER BY id FOR UPDATE`,
          [id],
        );
      }
      const booking = await lockBooking(tx, input.bookingId, input.scope);
      return await applyStatus(tx, booking, input.to, input.actor, input.now, input.reason ?? null);
    });
  } catch (err) {
    if (err instanceof DbError && err.code === PG_EXCLUSION_VIOLATION) {
      throw new ConflictError("booking.slotTaken");
    }
    throw err;
  }
}

/**
 * Cancels a booking. A customer may cancel their own booking until the salon's cancellation
 * window opens (an unpaid hold at any time); after it, a 409 says why. The salon may cancel any
 * active booking, with a reason.
 */
export async function cancelBooking(
  db: Db | Tx,
  input: {
    bookingId: string;
    actor: Actor;
    now: Date;
    reason?: string | null;
    scope: { customerId?: string; salonId?: string };
  },
): Promise<BookingRow> {
  return await db.transaction(async (tx) => {
    const booking = await lockBooking(tx, input.bookingId, input.scope);
    if (booking.status === "cancelled") return booking;
    if (input.actor.role === "customer") assertCustomerMayChange(booking, input.now);
    const cancelled = await applyStatus(
      tx,
      booking,
      "cancelled",
      input.actor,
      input.now,
      input.reason ?? null,
    );
    // Money paid online goes back (refunded after commit by the payment job; never called here).
    await refundPaymentsOfCancelledBooking(tx, booking.id, input.actor, input.now);
    return cancelled;
  });
}
