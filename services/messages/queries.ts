import type { Queryable } from "@/db/types.ts";
import type { MessageRow } from "./types.ts";

/** What the booking page, the dashboard and /dev/messages show of a message. */
export type MessageView = Pick<
  MessageRow,
  | "id"
  | "booking_id"
  | "event"
  | "kind"
  | "recipient_role"
  | "recipient_phone"
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
>;

const COLUMNS =
  `id, booking_id, event, kind, recipient_role, recipient_phone, channel, locale, body,
  status, attempts, max_attempts, run_at, last_error, provider, fallback_of, sent_at, created_at`;

/**
 * A booking's messages, oldest first: status (queued, sending, sent, failed, dead, cancelled),
 * attempts and last error, for the booking page and the dashboard. The caller checks that the
 * viewer may see the booking; a customer should be shown only `recipient_role = 'customer'`.
 */
export function listMessagesForBooking(db: Queryable, bookingId: string): Promise<MessageView[]> {
  return db.query<MessageView>(
    `SELECT ${COLUMNS} FROM messages WHERE booking_id = $1 ORDER BY created_at, run_at, id`,
    [bookingId],
  );
}

/** The latest messages across the site, newest first (/dev/messages in development). */
export function listRecentMessages(db: Queryable, limit = 50): Promise<MessageView[]> {
  return db.query<MessageView>(
    `SELECT ${COLUMNS} FROM messages ORDER BY created_at DESC, id DESC LIMIT $1`,
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
