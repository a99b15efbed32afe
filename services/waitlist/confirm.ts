import type { Db, Tx } from "@/db/types.ts";
import { createBooking } from "@/services/bookings/create.ts";
import type { BookingRow } from "@/services/bookings/model.ts";
import { ConflictError, NotFoundError } from "@/services/errors.ts";
import { entryColumns, type EntryRow, freeStartsFor, type OfferRow } from "./model.ts";
import { notifyOffer } from "./notify.ts";

export interface ConfirmOfferInput {
  token: string;
  customerId: string;
  now: Date;
  /** As for createBooking: whether online payment is configured. */
  onlinePayment?: boolean;
}

type Outcome = { booking: BookingRow } | { gone: "taken" | "expired" };

/** The offer behind a link, for its own customer only (anyone else: 404). */
export async function lockOffer(tx: Tx, token: string, customerId: string): Promise<OfferRow> {
  const [offer] = await tx.query<OfferRow>(
    "SELECT * FROM waitlist_offers WHERE token = $1 AND customer_id = $2 FOR UPDATE",
    [token, customerId],
  );
  if (!offer) throw new NotFoundError();
  return offer;
}

/**
 * Books the offered time for the offer's customer, through createBooking (staff rows locked, holds
 * expired, the slot re-checked, the exclusion constraint behind it) inside one transaction with the
 * offer row locked. The first customer to confirm gets the time; the others' offers for it that can
 * no longer be booked become `gone` and they are told (message queued in the same transaction).
 * A confirm that lost (to another offer or to a booking made meanwhile) marks its own offer gone,
 * queues its "gone" message, commits that, and then throws.
 *
 * @throws NotFoundError for someone else's or an unknown link.
 * @throws ConflictError 409 `waitlist.error.gone` / `waitlist.error.expired`.
 */
export async function confirmOffer(db: Db, input: ConfirmOfferInput): Promise<BookingRow> {
  const outcome = await db.transaction(async (tx): Promise<Outcome> => {
    const offer = await lockOffer(tx, input.token, input.customerId);
    if (offer.status === "taken" && offer.booking_id) {
      const [booking] = await tx.query<BookingRow>("SELECT * FROM bookings WHERE id = $1", [
        offer.booking_id,
      ]);
      if (booking) return { booking };
    }
    if (offer.status === "gone") return { gone: "taken" };
    if (offer.status !== "open" || offer.expires_at.getTime() <= input.now.getTime()) {
      return { gone: "expired" };
    }
    const [entry] = await tx.query<EntryRow>(
      `SELECT ${entryColumns()} FROM waitlist_entries WHERE id = $1 FOR UPDATE`,
      [offer.entry_id],
    );
    if (!entry || entry.status !== "waiting") return { gone: "expired" };
    let booking: BookingRow;
    try {
      ({ booking } = await createBooking(tx, {
        customerId: input.customerId,
        salon: offer.salon_id,
        items: entry.service_ids.map((serviceId) => ({
          serviceId,
          staff: entry.staff_id ?? "any",
          guest: 0,
        })),
        start: offer.starts_at,
        now: input.now,
        actor: { userId: input.customerId, role: "customer" },
        source: "online",
        onlinePayment: input.onlinePayment,
      }));
    } catch (err) {
      if (!(err instanceof ConflictError)) throw err;
      await markGone(tx, offer, input.now);
      return { gone: "taken" };
    }
    await tx.query(
      `UPDATE waitlist_offers SET status = 'taken', booking_id = $2, updated_at = $3 WHERE id = $1`,
      [offer.id, booking.id, input.now],
    );
    await tx.query(
      `UPDATE waitlist_entries SET status = 'booked', booking_id = $2, updated_at = $3 WHERE id = $1`,
      [entry.id, booking.id, input.now],
    );
    await tellOthers(tx, offer, input.now);
    return { booking };
  });
  if ("booking" in outcome) return outcome.booking;
  throw new ConflictError(
    outcome.gone === "taken" ? "waitlist.error.gone" : "waitlist.error.expired",
  );
}

/** Marks an open offer gone and queues its "sorry, it was taken" message. */
export async function markGone(tx: Tx, offer: OfferRow, now: Date): Promise<void> {
  await tx.query(
    "UPDATE waitlist_offers SET status = 'gone', updated_at = $2 WHERE id = $1 AND status = 'open'",
    [offer.id, now],
  );
  await notifyOffer(tx, offer, "gone", now);
}

/**
 * Other open offers of the same time whose wish no longer fits there: gone, and told so. Offers
 * locked by their own confirm right now are skipped (waiting for them while holding the staff rows
 * they wait for would deadlock): that confirm finds the time taken and marks itself gone.
 */
async function tellOthers(tx: Tx, taken: OfferRow, now: Date): Promise<void> {
  const others = await tx.query<OfferRow>(
    `SELECT * FROM waitlist_offers
     WHERE salon_id = $1 AND starts_at = $2 AND status = 'open' AND id <> $3
     ORDER BY id FOR UPDATE SKIP LOCKED`,
    [taken.salon_id, taken.starts_at, taken.id],
  );
  for (const other of others) {
    const [entry] = await tx.query<EntryRow>(
      `SELECT ${entryColumns()} FROM waitlist_entries WHERE id = $1`,
      [other.entry_id],
    );
    const free = entry ? await freeStartsFor(tx, entry, now).catch(() => []) : [];
    if (!free.includes(other.starts_at.getTime())) await markGone(tx, other, now);
  }
}
