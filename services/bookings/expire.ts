import type { Db, Tx } from "@/db/types.ts";
import { recordEvent } from "./events.ts";
import type { Actor, BookingRow } from "./model.ts";
import { notifyBookingEvent } from "./notify.ts";

const SYSTEM: Actor = { userId: null, role: "system" };

/**
 * Ends one lapsed hold inside the caller's transaction (the booking row locked or about to be
 * updated under its staff lock): `expired` with a history row, its reminders cancelled and the
 * customer told the time was released (with a link back to book again). Returns false when it was
 * no longer a lapsed hold (paid, cancelled or expired meanwhile).
 */
export async function expireHold(tx: Tx, bookingId: string, now: Date): Promise<boolean> {
  const [expired] = await tx.query<BookingRow>(
    `UPDATE bookings SET status = 'expired', updated_at = $2
     WHERE id = $1 AND status = 'pending' AND hold_expires_at <= $2
     RETURNING *`,
    [bookingId, now],
  );
  if (!expired) return false;
  await recordEvent(tx, expired.id, SYSTEM, now, {
    kind: "status",
    from: "pending",
    to: "expired",
    reason: "hold_expired",
  });
  await notifyBookingEvent(tx, expired, "expired", SYSTEM, now);
  return true;
}

/**
 * The hold-expiry job: every pending booking whose hold has lapsed becomes `expired`, in batches
 * of `limit`, each booking in its own short transaction. Rows another instance is expiring at the
 * same moment are skipped (`SKIP LOCKED`), so any number of instances can run it together and each
 * hold is expired, and its customer told, once. Returns how many it expired.
 */
export async function expireLapsedHolds(db: Db, now: Date, limit = 100): Promise<number> {
  let count = 0;
  for (;;) {
    const done = await db.transaction(async (tx) => {
      const due = await tx.query<{ id: string }>(
        `SELECT id FROM bookings WHERE status = 'pending' AND hold_expires_at <= $1
         ORDER BY hold_expires_at, id LIMIT $2 FOR UPDATE SKIP LOCKED`,
        [now, limit],
      );
      for (const { id } of due) if (await expireHold(tx, id, now)) count++;
      return due.length < limit;
    });
    if (done) return count;
  }
}
