import type { Queryable } from "@/db/types.ts";
import { deletedSql } from "@/services/people.ts";
import type { MessageRow } from "./types.ts";

/**
 * What the booking page, the dashboard and /dev/messages show of a message. A message to an
 * account deleted since has no `recipient_phone` (its row keeps the tombstone number, which is
 * no one's) and `recipient_deleted` set.
 */
export type MessageView =
  & Pick<
    MessageRow,
    | "id"
    | "booking_id"
    | "event"
    | "kind"
    | "recipient_role"
    | "channel"
    | "locale"
    | "body"
    | "status"
    | "attempts"
    | "max_attempts"
    | "run_at"
    | "last_error"
    | "provider"
    | "fallback_of"
    | "sent_at"
    | "created_at"
  >
  & { recipient_phone: string | null; recipient_deleted: boolean };

const COLUMNS = `m.id, m.booking_id, m.event, m.kind, m.recipient_role,
  CASE WHEN ${deletedSql("u")} THEN NULL ELSE m.recipient_phone END AS recipient_phone,
  ${deletedSql("u")} AS recipient_deleted, m.channel, m.locale, m.body, m.status, m.attempts,
  m.max_attempts, m.run_at, m.last_error, m.provider, m.fallback_of, m.sent_at, m.created_at`;

/** Messages with their recipient's account (to know whether it was deleted since). */
const FROM = "messages m LEFT JOIN users u ON u.id = m.recipient_user_id";

/**
 * A booking's messages, oldest first: status (queued, sending, sent, failed, dead, cancelled),
 * attempts and last error, for the booking page and the dashboard. The caller checks that the
 * viewer may see the booking; a customer should be shown only `recipient_role = 'customer'`.
 */
export function listMessagesForBooking(db: Queryable, bookingId: string): Promise<MessageView[]> {
  return db.query<MessageView>(
    `SELECT ${COLUMNS} FROM ${FROM} WHERE m.booking_id = $1 ORDER BY m.created_at, m.run_at, m.id`,
    [bookingId],
  );
}

/** The latest messages across the site, newest first (/dev/messages in development). */
export function listRecentMessages(db: Queryable, limit = 50): Promise<MessageView[]> {
  return db.query<MessageView>(
    `SELECT ${COLUMNS} FROM ${FROM} ORDER BY m.created_at DESC, m.id DESC LIMIT $1`,
    [Math.max(1, Math.min(500, Math.trunc(limit)))],
  );
}

/** The booking a short link (`/b/<code>`) points to, or null. */
export async function bookingIdForLink(db: Queryable, code: string): Promise<string | null> {
  if (!/^[0-9A-Za-z]{8}$/.test(code)) return null;
  const [row] = await db.query<{ booking_id: string }>(
    "SELECT booking_id FROM booking_links WHERE code = $1",
    [code],
  );
  return row?.booking_id ?? null;
}
