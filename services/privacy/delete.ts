import type { Db, Tx } from "@/db/types.ts";
import {
  cancelBooking,
  changeBookingStatus,
  customerChangeDeadline,
} from "@/services/bookings/lifecycle.ts";
import { NotFoundError } from "@/services/errors.ts";
import { recordReviewEvent } from "@/services/reviews/write.ts";
import { identifiersOf, redactRows, tableExists } from "./redact.ts";

/** The cancellation reason bookings get when their customer deletes the account. */
export const ACCOUNT_DELETED_REASON = "account_deleted";

/** Deleted accounts' phone numbers: unassigned country code 999, then 99 and a 10-digit serial. */
export const TOMBSTONE_PHONE = /^\+99999[0-9]{10}$/;

export function isTombstonePhone(phone: string): boolean {
  return TOMBSTONE_PHONE.test(phone);
}

export interface DeletionResult {
  /** Upcoming bookings cancelled (their salons and staff were told as usual). */
  cancelledBookings: number;
  /** Past bookings kept, without the person, for the salon's accounts. */
  keptBookings: number;
  reviewsAnonymized: number;
}

interface UserRow {
  id: string;
  phone_number: string;
  email: string | null;
  first_name: string;
  last_name: string;
}

/**
 * Deletes a person's account at once, in one transaction:
 * - the user row stays (bookings and payments the salon must keep for its accounts point at it)
 *   but loses everything that identifies the person: names blanked, email removed, the phone
 *   replaced by a tombstone number that satisfies the E.164 and UNIQUE constraints and can never
 *   log in; inactive, `deleted_at` set. The phone can sign up again as a new person at once;
 * - upcoming active bookings are cancelled through the booking lifecycle (actor customer, reason
 *   `account_deleted`): as cancelBooking does (refunding online payments) while the customer could
 *   still cancel, and inside the salon's cancellation window as a late cancellation (no automatic
 *   refund). Their salons and staff get the usual messages and the reminders stop; the person gets
 *   none, since the account is anonymized first and messages go to active people only;
 * - sessions are revoked (and their device and address dropped), refresh tokens and login codes
 *   deleted, request keys deleted, salon memberships removed, staff profiles unlinked;
 * - messages to them: unsent ones cancelled, body removed, number replaced by the tombstone;
 * - the names and phones of the guests they brought, and their home visits' addresses, are
 *   removed from their bookings;
 * - invoices and credit notes are kept (at least 6 years, as the tax rules require) but lose the
 *   customer's name and phone (the one change an issued document allows);
 * - reviews keep their stars (the salon's score stays honest) but lose their text;
 * - what they wrote elsewhere (cancellation reasons) is removed, and their phone, email and names
 *   are redacted from every text and JSON column of the rows about them (bookings, their
 *   history, reviews, review history, messages, payments).
 * Amounts and the rows that carry them are never changed. Consent rows stay as the record that
 * processing was consented to; they identify no one once the account is anonymized.
 */
export async function deleteAccount(db: Db, userId: string, now: Date): Promise<DeletionResult> {
  return await db.transaction(async (tx) => {
    const [user] = await tx.query<UserRow>(
      `SELECT id, phone_number, email, first_name, last_name FROM users
       WHERE id = $1 AND deleted_at IS NULL FOR UPDATE`,
      [userId],
    );
    if (!user) throw new NotFoundError();
    const ids = identifiersOf(user);

    // What the person wrote themselves, first (the cancellations below add their own reason).
    await tx.query(
      `UPDATE bookings SET cancel_reason = NULL
       WHERE customer_id = $1 AND cancelled_by = 'customer' AND cancel_reason IS NOT NULL`,
      [userId],
    );
    await tx.query(
      `UPDATE booking_events SET reason = NULL
       WHERE actor_user_id = $1 AND actor_role = 'customer' AND reason IS NOT NULL`,
      [userId],
    );

    // The salons' client records (the team's notes and tags about them) go with the account.
    await tx.query("DELETE FROM salon_clients WHERE user_id = $1", [userId]);
    // Anonymize before cancelling, so the cancellations message the salon but not the person.
    const [{ tombstone }] = await tx.query<{ tombstone: string }>(
      "SELECT '+99999' || lpad(nextval('deleted_user_phone_seq')::text, 10, '0') AS tombstone",
    );
    await tx.query(
      `UPDATE users SET phone_number = $2, email = NULL, first_name = '', last_name = '',
         is_phone_verified = false, is_admin = false, is_active = false, deleted_at = $3,
         updated_at = $3
       WHERE id = $1`,
      [userId, tombstone, now],
    );
    // So are the addresses of their home visits, and the guests they named on their bookings.
    await tx.query(
      `UPDATE bookings SET home_address = 'removed', home_map_url = NULL, home_notes = NULL
       WHERE customer_id = $1 AND location = 'home'`,
      [userId],
    );
    await tx.query(
      `UPDATE booking_guests SET name = 'guest', phone = NULL
       WHERE position > 0 AND booking_id IN (SELECT id FROM bookings WHERE customer_id = $1)`,
      [userId],
    );
    await tx.query(
      `UPDATE invoices SET customer_name = NULL, customer_phone = NULL
       WHERE customer_id = $1 AND (customer_name IS NOT NULL OR customer_phone IS NOT NULL)`,
      [userId],
    );

    const upcoming = await tx.query<
      { id: string; status: string; starts_at: Date; cancellation_window_hours: number }
    >(
      `SELECT id, status, starts_at, cancellation_window_hours FROM bookings
       WHERE customer_id = $1 AND status IN ('pending', 'confirmed') AND starts_at > $2
       ORDER BY starts_at, id`,
      [userId, now],
    );
    for (const b of upcoming) {
      const cancel = {
        bookingId: b.id,
        actor: { userId, role: "customer" as const },
        now,
        reason: ACCOUNT_DELETED_REASON,
        scope: { customerId: userId },
      };
      // Where the customer could still cancel themselves, exactly that (money paid online goes
      // back); inside the salon's cancellation window the booking is cancelled all the same, like
      // a late cancellation: what was paid follows the salon's policy and is not refunded here.
      const mayCancel = b.status === "pending" ||
        now.getTime() <= customerChangeDeadline(b).getTime();
      if (mayCancel) await cancelBooking(tx, cancel);
      else await changeBookingStatus(tx, { ...cancel, to: "cancelled" });
    }

    await tx.query(
      `UPDATE sessions SET revoked_at = coalesce(revoked_at, $2),
         revoked_reason = coalesce(revoked_reason, 'account_deleted'), user_agent = '', ip = NULL
       WHERE user_id = $1`,
      [userId, now],
    );
    await tx.query(
      "DELETE FROM refresh_tokens WHERE session_id IN (SELECT id FROM sessions WHERE user_id = $1)",
      [userId],
    );
    await tx.query("DELETE FROM otp_requests WHERE user_id = $1 OR phone_number = $2", [
      userId,
      user.phone_number,
    ]);
    await tx.query("DELETE FROM idempotency_keys WHERE user_id = $1", [userId]);
    // Their waitlist wishes and offers: nothing to keep once they are gone.
    if (await tableExists(tx, "waitlist_entries")) {
      await tx.query("DELETE FROM waitlist_entries WHERE customer_id = $1", [userId]);
    }
    await tx.query("DELETE FROM salon_memberships WHERE user_id = $1", [userId]);
    await tx.query("UPDATE staff SET user_id = NULL, updated_at = $2 WHERE user_id = $1", [
      userId,
      now,
    ]);

    await tx.query(
      `UPDATE messages SET recipient_phone = $2, body = NULL, last_error = NULL,
         status = CASE WHEN status IN ('queued', 'failed', 'sending') THEN 'cancelled' ELSE status END,
         locked_by = NULL, locked_until = NULL, updated_at = $3
       WHERE recipient_user_id = $1`,
      [userId, tombstone, now],
    );

    const reviews = await tx.query<{ id: string }>(
      `UPDATE reviews SET body = '', updated_at = $2 WHERE customer_id = $1 AND body <> ''
       RETURNING id`,
      [userId, now],
    );
    for (const r of reviews) {
      await recordReviewEvent(tx, r.id, {
        at: now,
        actorUserId: null,
        actorRole: "system",
        action: "anonymized",
        reason: ACCOUNT_DELETED_REASON,
      });
    }

    await redactLinkedRows(tx, user, ids);

    const [{ kept }] = await tx.query<{ kept: number }>(
      "SELECT count(*)::int AS kept FROM bookings WHERE customer_id = $1",
      [userId],
    );
    return {
      cancelledBookings: upcoming.length,
      keptBookings: kept,
      reviewsAnonymized: reviews.length,
    };
  });
}

/** Redacts the person's identifiers from every text column of the rows that are about them. */
async function redactLinkedRows(
  tx: Tx,
  user: UserRow,
  ids: ReturnType<typeof identifiersOf>,
): Promise<void> {
  const userId = user.id;
  const theirBookings = "SELECT id FROM bookings WHERE customer_id = $1";
  await redactRows(tx, "bookings", "customer_id = $1", [userId], ids);
  await redactRows(
    tx,
    "booking_events",
    `booking_id IN (${theirBookings}) OR actor_user_id = $1`,
    [userId],
    ids,
  );
  await redactRows(
    tx,
    "reviews",
    "customer_id = $1 OR hidden_by = $1 OR replied_by = $1",
    [userId],
    ids,
  );
  await redactRows(
    tx,
    "review_events",
    "review_id IN (SELECT id FROM reviews WHERE customer_id = $1) OR actor_user_id = $1",
    [userId],
    ids,
  );
  await redactRows(
    tx,
    "messages",
    `recipient_user_id = $1 OR booking_id IN (${theirBookings})`,
    [userId],
    ids,
  );
  if (await tableExists(tx, "payments")) {
    const theirPayments =
      `SELECT id FROM payments WHERE customer_id = $1 OR booking_id IN (${theirBookings})`;
    await redactRows(tx, "payments", `id IN (${theirPayments})`, [userId], ids);
    for (const table of ["payment_events", "payment_actions"]) {
      if (!(await tableExists(tx, table))) continue;
      await redactRows(
        tx,
        table,
        `payment_id IN (${theirPayments}) OR actor_user_id = $1`,
        [userId],
        ids,
      );
    }
  }
  // Photos stay with the salon; who uploaded them is forgotten.
  if (await tableExists(tx, "photos")) {
    await tx.query("UPDATE photos SET uploaded_by = NULL WHERE uploaded_by = $1", [userId]);
  }
  // The dashboard's audit log keeps every row (what was done, when, by which account), but not
  // the person's phone, email or names inside its snapshots: rows by them or about them or their
  // bookings and reviews, and any row whose snapshot carries their phone or email.
  if (await tableExists(tx, "audit_log")) {
    await redactRows(
      tx,
      "audit_log",
      `actor_user_id = $1 OR entity_id = $1::text
       OR entity_id IN (SELECT id::text FROM bookings WHERE customer_id = $1)
       OR entity_id IN (SELECT id::text FROM reviews WHERE customer_id = $1)
       OR strpos(coalesce(before::text, '') || coalesce(after::text, ''), $2) > 0
       OR ($3::text IS NOT NULL
           AND strpos(lower(coalesce(before::text, '') || coalesce(after::text, '')), $3) > 0)`,
      [userId, user.phone_number, user.email],
      ids,
    );
  }
}
