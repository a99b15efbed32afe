import type { Db, Tx } from "@/db/types.ts";
import { ConflictError, NotFoundError } from "@/services/errors.ts";
import { isUuid } from "@/services/ids.ts";
import { assertNoOpenCheckout, settleRepricedBooking } from "@/services/payments/reprice.ts";
import { depositFor } from "./create.ts";
import { refreshEnvelope } from "./envelope.ts";
import { recordEvent } from "./events.ts";
import { type BookingItemRow, itemsOfBooking } from "./items.ts";
import { assertCustomerMayChange, cancelBooking, lockBooking } from "./lifecycle.ts";
import type { Actor, BookingRow } from "./model.ts";
import { notifyBookingEvent } from "./notify.ts";

export interface ItemCancelOutcome {
  booking: BookingRow;
  /** Collected online above the new amount due, queued for refund. */
  refund_halalas: number;
  /** Left to pay online or at the salon after the change. */
  due_halalas: number;
}

/**
 * Cancels one item of an active visit in one transaction: the item stops blocking its staff
 * member's time, the booking's times and price are re-derived from the items left, the deposit is
 * the salon's percent of the new price, and money collected online above it is refunded through
 * the refund path (after commit, by the payment job). Customers follow the cancellation window.
 * Cancelling the last active item cancels the booking (and refunds as a cancellation does).
 *
 * @throws NotFoundError for an item not of this booking, ConflictError for an inactive booking.
 */
export async function cancelBookingItem(
  db: Db | Tx,
  input: {
    bookingId: string;
    itemId: string;
    actor: Actor;
    now: Date;
    reason?: string | null;
    scope: { customerId?: string; salonId?: string };
    /** Run every check and compute the refund, then roll back: what cancelling would do. */
    preview?: boolean;
  },
): Promise<ItemCancelOutcome> {
  if (!isUuid(input.itemId)) throw new NotFoundError();
  try {
    return await db.transaction(async (tx) => {
      const outcome = await cancelInTx(tx, input);
      if (input.preview) throw new PreviewRollback(outcome);
      return outcome;
    });
  } catch (err) {
    if (err instanceof PreviewRollback) return err.outcome;
    throw err;
  }
}

/** Thrown inside a preview's transaction so that nothing it did is kept. */
class PreviewRollback extends Error {
  constructor(readonly outcome: ItemCancelOutcome) {
    super("preview");
  }
}

async function cancelInTx(
  tx: Tx,
  input: Parameters<typeof cancelBookingItem>[1],
): Promise<ItemCancelOutcome> {
  const booking = await lockBooking(tx, input.bookingId, input.scope);
  const items = await itemsOfBooking(tx, booking.id);
  const item = items.find((it) => it.id === input.itemId);
  if (!item) throw new NotFoundError();
  const active = items.filter((it) => it.status === "active");
  if (
    item.status !== "active" ||
    (booking.status !== "pending" && booking.status !== "confirmed")
  ) {
    throw new ConflictError("booking.transitionNotAllowed", {
      from: booking.status,
      to: "cancelled",
    });
  }
  if (input.actor.role === "customer") assertCustomerMayChange(booking, input.now);
  if (active.length === 1) {
    const cancelled = await cancelBooking(tx, input);
    return { booking: cancelled, refund_halalas: 0, due_halalas: 0 };
  }
  return await cancelOne(tx, booking, item, input);
}

async function cancelOne(
  tx: Tx,
  booking: BookingRow,
  item: BookingItemRow,
  input: { actor: Actor; now: Date; reason?: string | null },
): Promise<ItemCancelOutcome> {
  await tx.query(
    "UPDATE booking_items SET status = 'cancelled', cancelled_at = $2 WHERE id = $1",
    [item.id, input.now],
  );
  const repriced = await refreshEnvelope(tx, booking.id);
  const [salon] = await tx.query<{ deposit_percent: number }>(
    "SELECT deposit_percent FROM salons WHERE id = $1",
    [booking.salon_id],
  );
  const deposit = depositFor(repriced.price_halalas, booking.payment_mode, salon.deposit_percent);
  if (deposit !== booking.deposit_halalas) await assertNoOpenCheckout(tx, booking.id);
  const [changed] = await tx.query<BookingRow>(
    "UPDATE bookings SET deposit_halalas = $2, updated_at = $3 WHERE id = $1 RETURNING *",
    [booking.id, deposit, input.now],
  );
  const settled = await settleRepricedBooking(tx, {
    bookingId: booking.id,
    dueHalalas: deposit,
    actor: input.actor,
    now: input.now,
  });
  await recordEvent(tx, booking.id, input.actor, input.now, {
    kind: "item_cancelled",
    from: booking.status,
    to: changed.status,
    reason: input.reason ?? null,
    data: {
      item_id: item.id,
      service_id: item.service_id,
      staff_id: item.staff_id,
      price_halalas: { from: booking.price_halalas, to: changed.price_halalas },
      deposit_halalas: { from: booking.deposit_halalas, to: deposit },
      refund_halalas: settled.refundHalalas,
      due_halalas: settled.dueHalalas,
    },
  });
  await notifyBookingEvent(tx, changed, "rescheduled", input.actor, input.now);
  return {
    booking: changed,
    refund_halalas: settled.refundHalalas,
    due_halalas: settled.dueHalalas,
  };
}
