import type { Db, Tx } from "@/db/types.ts";
import { DbError, PG_EXCLUSION_VIOLATION } from "@/db/types.ts";
import {
  ConflictError,
  NotFoundError,
  RateLimitError,
  ValidationError,
} from "@/services/errors.ts";
import { assertNoOpenCheckout, settleRepricedBooking } from "@/services/payments/reprice.ts";
import { resolveSlot, resolveVisit, type StaffChoice } from "@/services/slots/load.ts";
import type { VisitItemRequest, VisitSlot } from "@/services/slots/visit_engine.ts";
import { withTravel } from "./home.ts";
import { depositFor } from "./create.ts";
import { refreshEnvelope } from "./envelope.ts";
import { catalogTermsFor, itemsOfBooking, lockVisitStaff } from "./items.ts";
import { recordEvent } from "./events.ts";
import { assertCustomerMayChange, lockBooking, peekBooking } from "./lifecycle.ts";
import { expireStaleHolds } from "./locks.ts";
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
 * Moves an active visit to a new start in one transaction: every item moves (each keeping its
 * staff member, or all to "anyone", or, for a one-item visit, to another named member), or with
 * `itemId` only that item moves (to a start where it still fits beside the visit's other items).
 * Every staff row involved is locked (in id order) and then the booking row, the order creation
 * uses, so a move and a booking made at the same moment never deadlock; the new times are
 * re-checked by the slot engine ignoring what moves, and the items are updated in place in one
 * statement, so the old times free only if the new ones are taken. Customers follow the
 * cancellation window. A pending booking whose hold has lapsed cannot move (it is expired).
 *
 * @throws ConflictError when the new time is not free or the booking cannot move.
 */
export async function rescheduleBooking(
  db: Db | Tx,
  input: {
    bookingId: string;
    start: Date;
    staff?: StaffChoice;
    /** Move only this item of the visit. */
    itemId?: string;
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
      const seenItems = (await itemsOfBooking(tx, seen.id)).filter((it) => it.status === "active");
      const moving = input.itemId === undefined
        ? seenItems
        : seenItems.filter((it) => it.id === input.itemId);
      if (moving.length === 0) throw new NotFoundError();
      if (input.staff !== undefined && input.staff !== "any" && moving.length > 1) {
        throw new ValidationError({ staff: ["visit.error.staffPerItem"] });
      }
      const travel = seen.location === "home" ? await travelMinutes(tx, seen.salon_id) : 0;
      const choices = withTravel(
        moving.map((it) => ({
          serviceId: it.service_id,
          guest: it.guest,
          staff: input.staff ?? it.staff_id,
        })),
        travel,
      );
      const held = moving.map((it) => ({ serviceId: it.service_id, staff: it.staff_id }));
      const candidates = await lockVisitStaff(tx, seen.salon_id, [...choices, ...held]);
      const booking = await lockBooking(tx, input.bookingId, input.scope);
      assertMovable(booking, input.now);
      const items = (await itemsOfBooking(tx, booking.id)).filter((it) => it.status === "active");
      // Moved by someone else between the read and the lock: "keep the staff member" is ambiguous.
      const changed = items.length !== seenItems.length ||
        items.some((it, i) =>
          it.id !== seenItems[i].id || it.staff_id !== seenItems[i].staff_id ||
          it.starts_at.getTime() !== seenItems[i].starts_at.getTime()
        );
      if (input.staff === undefined && changed) {
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
      const slot = await resolveMove(tx, booking, choices, input, moving);
      if (!slot) throw new ConflictError("booking.slotTaken");
      // What the items copied is copied again: buffers and duration always (the schedule's
      // truth), the price when another staff member does it (their own price).
      const terms = (await catalogTermsFor(
        tx,
        slot.items.map((it) => ({ serviceId: it.serviceId, staffId: it.staffId })),
      )).map((t, i) => ({
        ...t,
        buffer_before_minutes: t.buffer_before_minutes + (choices[i].extraBeforeMinutes ?? 0),
        buffer_after_minutes: t.buffer_after_minutes + (choices[i].extraAfterMinutes ?? 0),
      }));
      const moves = moving.map((it, i) => ({
        id: it.id,
        staff_id: slot.items[i].staffId,
        starts_at: new Date(slot.items[i].startMs).toISOString(),
        ends_at: new Date(slot.items[i].endMs).toISOString(),
        minutes: Math.round((slot.items[i].endMs - slot.items[i].startMs) / 60_000),
        before: terms[i].buffer_before_minutes,
        after: terms[i].buffer_after_minutes,
        price: slot.items[i].staffId === it.staff_id ? it.price_halalas : terms[i].price_halalas,
      }));
      await tx.query(
        `UPDATE booking_items i SET staff_id = m.staff_id, starts_at = m.starts_at,
           ends_at = m.ends_at, block_start = m.starts_at - make_interval(mins => m.before),
           block_end = m.ends_at + make_interval(mins => m.after), duration_minutes = m.minutes,
           buffer_before_minutes = m.before, buffer_after_minutes = m.after,
           price_halalas = m.price
         FROM json_to_recordset($2::json) AS m(
           id uuid, staff_id uuid, starts_at timestamptz, ends_at timestamptz, minutes integer,
           before integer, after integer, price integer)
         WHERE i.id = m.id AND i.booking_id = $1`,
        [booking.id, moves],
      );
      await refreshEnvelope(tx, booking.id);
      const price = items.reduce((sum, it) => {
        const moved = moves.find((m) => m.id === it.id);
        return sum + (moved ? moved.price : it.price_halalas);
      }, booking.home_surcharge_halalas);
      const deposit = price === booking.price_halalas
        ? booking.deposit_halalas
        : depositFor(price, booking.payment_mode, await depositPercent(tx, booking.salon_id));
      if (deposit !== booking.deposit_halalas) await assertNoOpenCheckout(tx, booking.id);
      const [moved] = await tx.query<BookingRow>(
        "UPDATE bookings SET deposit_halalas = $2, updated_at = $3 WHERE id = $1 RETURNING *",
        [booking.id, deposit, input.now],
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
          ...(items.length > 1
            ? {
              items: moving.map((it, i) => ({
                id: it.id,
                from: { start: it.starts_at.toISOString(), staff_id: it.staff_id },
                to: { start: moves[i].starts_at, staff_id: moves[i].staff_id },
              })),
            }
            : {}),
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

/** Where the moving items go: the one-item rule for one item, the visit's search for several. */
async function resolveMove(
  tx: Tx,
  booking: BookingRow,
  choices: VisitItemRequest[],
  input: { start: Date; now: Date; itemId?: string; actor: Actor },
  moving: { id: string }[],
): Promise<VisitSlot | null> {
  const common = {
    salonId: booking.salon_id,
    startMs: input.start.getTime(),
    now: input.now,
    // Moving one item leaves the visit's other items where they are, blocking as they do.
    ...(input.itemId === undefined
      ? { excludeBookingId: booking.id }
      : { excludeItemId: moving[0].id }),
    // The salon moving a booking is not held to the notice it asks of online customers.
    ignoreNotice: input.actor.role === "salon",
  };
  // A home visit's travel widens buffers the one-service rule does not know: the visit rule it is.
  if (choices.length > 1 || booking.location === "home") {
    return await resolveVisit(tx, { ...common, items: choices });
  }
  const only = choices[0];
  const slot = await resolveSlot(tx, { ...common, serviceId: only.serviceId, staff: only.staff });
  return slot && {
    startMs: slot.startMs,
    endMs: slot.endMs,
    items: [{ ...slot, serviceId: only.serviceId, guest: only.guest }],
  };
}

async function travelMinutes(tx: Tx, salonId: string): Promise<number> {
  const [salon] = await tx.query<{ home_travel_minutes: number }>(
    "SELECT home_travel_minutes FROM salons WHERE id = $1",
    [salonId],
  );
  return salon.home_travel_minutes;
}

async function depositPercent(tx: Tx, salonId: string): Promise<number> {
  const [salon] = await tx.query<{ deposit_percent: number }>(
    "SELECT deposit_percent FROM salons WHERE id = $1",
    [salonId],
  );
  return salon.deposit_percent;
}
