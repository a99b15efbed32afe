import type { Db, Tx } from "@/db/types.ts";
import { DbError, PG_EXCLUSION_VIOLATION } from "@/db/types.ts";
import { ConflictError, RateLimitError } from "@/services/errors.ts";
import { assertNoOpenCheckout, settleRepricedBooking } from "@/services/payments/reprice.ts";
import { resolveSlot, type StaffChoice } from "@/services/slots/load.ts";
import { catalogTerms, depositFor } from "./create.ts";
import { recordEvent } from "./events.ts";
import { assertCustomerMayChange, lockBooking, peekBooking } from "./lifecycle.ts";
import { expireStaleHolds, lockStaff } from "./locks.ts";
import type { Actor, BookingRow } from "./model.ts";
import { notifyBookingEvent } from "./notify.ts";

/** A move's result: the booking, and what it did with money already collected online. */
export type MoveOutcome = BookingRow & {
  /** Collected online above the new amount due, queued for refund. */
  refund_halalas: number;
  /** Left to pay after the move (null when the amount due online did not change). */
  due_halalas: number | null;
};

/** Thrown inside a preview's transaction so that nothing it did is kept. */
class PreviewRollback extends Error {
  constructor(readonly outcome: MoveOutcome) {
    super("preview");
  }
}

/** How often a customer may move one booking in any 24 hours (the salon is not limited). */
export const CUSTOMER_MOVES_PER_DAY = 3;
const DAY_MS = 86_400_000;

/** A customer's 4th move of a booking within 24 hours is a 429 until the oldest leaves the window. */
async function assertMoveAllowance(tx: Tx, bookingId: string, now: Date): Promise<void> {
  const moves = await tx.query<{ at: Date }>(
    `SELECT at FROM booking_events
     WHERE booking_id = $1 AND kind = 'rescheduled' AND actor_role = 'customer' AND at > $2
     ORDER BY at`,
    [bookingId, new Date(now.getTime() - DAY_MS)],
  );
  if (moves.length < CUSTOMER_MOVES_PER_DAY) return;
  const frees = moves[moves.length - CUSTOMER_MOVES_PER_DAY].at.getTime() + DAY_MS;
  throw new RateLimitError(
    Math.max(1, Math.ceil((frees - now.getTime()) / 1000)),
    "booking.moveLimit",
  );
}

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
    /** Run every check and compute the new terms, then roll back: what the move would do. */
    preview?: boolean;
  },
): Promise<MoveOutcome> {
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
      if (input.actor.role === "customer") {
        assertCustomerMayChange(booking, input.now);
        await assertMoveAllowance(tx, booking.id, input.now);
      }
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
      // What the booking copied is copied again: buffers and duration always (the schedule's
      // truth), the price when another staff member does it (their own price).
      const terms = await catalogTerms(tx, booking.service_id, slot.staffId);
      const price = slot.staffId === booking.staff_id ? booking.price_halalas : terms.price_halalas;
      const deposit = price === booking.price_halalas
        ? booking.deposit_halalas
        : depositFor(price, booking.payment_mode, await depositPercent(tx, booking.salon_id));
      if (deposit !== booking.deposit_halalas) await assertNoOpenCheckout(tx, booking.id);
      const [moved] = await tx.query<BookingRow>(
        `UPDATE bookings SET staff_id = $2, starts_at = $3, ends_at = $4,
           block_start = $3::timestamptz - make_interval(mins => $6),
           block_end = $4::timestamptz + make_interval(mins => $7),
           duration_minutes = $5, buffer_before_minutes = $6, buffer_after_minutes = $7,
           price_halalas = $8, deposit_halalas = $9, updated_at = $10
         WHERE id = $1 RETURNING *`,
        [
          booking.id,
          slot.staffId,
          new Date(slot.startMs),
          new Date(slot.endMs),
          Math.round((slot.endMs - slot.startMs) / 60_000),
          terms.buffer_before_minutes,
          terms.buffer_after_minutes,
          price,
          deposit,
          input.now,
        ],
      );
      const settled = deposit !== booking.deposit_halalas
        ? await settleRepricedBooking(tx, {
          bookingId: booking.id,
          dueHalalas: deposit,
          actor: input.actor,
          now: input.now,
        })
        : null;
      await recordEvent(tx, booking.id, input.actor, input.now, {
        kind: "rescheduled",
        from: booking.status,
        to: moved.status,
        data: {
          from: { start: booking.starts_at.toISOString(), staff_id: booking.staff_id },
          to: { start: moved.starts_at.toISOString(), staff_id: moved.staff_id },
          ...(price !== booking.price_halalas
            ? { price_halalas: { from: booking.price_halalas, to: price } }
            : {}),
          ...(settled
            ? {
              deposit_halalas: { from: booking.deposit_halalas, to: deposit },
              refund_halalas: settled.refundHalalas,
              due_halalas: settled.dueHalalas,
            }
            : {}),
        },
      });
      await notifyBookingEvent(tx, moved, "rescheduled", input.actor, input.now);
      const outcome = {
        ...moved,
        refund_halalas: settled?.refundHalalas ?? 0,
        due_halalas: settled?.dueHalalas ?? null,
      };
      if (input.preview) throw new PreviewRollback(outcome);
      return outcome;
    });
  } catch (err) {
    if (err instanceof PreviewRollback) return err.outcome;
    if (err instanceof DbError && err.code === PG_EXCLUSION_VIOLATION) {
      throw new ConflictError("booking.slotTaken");
    }
    throw err;
  }
}

async function depositPercent(tx: Tx, salonId: string): Promise<number> {
  const [salon] = await tx.query<{ deposit_percent: number }>(
    "SELECT deposit_percent FROM salons WHERE id = $1",
    [salonId],
  );
  return salon.deposit_percent;
}
