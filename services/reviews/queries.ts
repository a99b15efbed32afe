import type { Queryable } from "@/db/types.ts";
import { reviewerName, type ReviewRow } from "./model.ts";
import { isUuid } from "@/services/ids.ts";

/** A review as the salon page and the public API show it: no customer id, phone or full name. */
export interface PublicReview {
  id: string;
  rating: number;
  text: string;
  /** "Sara A."; null when the customer gave no name (or deleted their account). */
  reviewer: string | null;
  staff: { id: string; name_ar: string; name_en: string };
  service: { id: string; name_ar: string; name_en: string };
  reply: { text: string; at: Date } | null;
  created_at: Date;
  edited: boolean;
}

interface PublicRow {
  id: string;
  rating: number;
  body: string;
  first_name: string | null;
  last_name: string | null;
  staff_id: string;
  staff_name_ar: string;
  staff_name_en: string;
  service_id: string;
  service_name_ar: string;
  service_name_en: string;
  reply: string | null;
  replied_at: Date | null;
  created_at: Date;
  updated_at: Date;
  edited: boolean;
}

/** An opaque position in the newest-first list: the last review's time and id. */
export function encodeCursor(review: { created_at: Date; id: string }): string {
  return `${review.created_at.toISOString()}_${review.id}`;
}

/** Reads an {@link encodeCursor} value; anything else (tampered, malformed) reads as "from the start". */
export function decodeCursor(cursor: string | null | undefined): { at: Date; id: string } | null {
  const match = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)_(.{36})$/.exec(cursor ?? "");
  if (!match || !isUuid(match[2])) return null;
  const at = new Date(match[1]);
  return Number.isNaN(at.getTime()) ? null : { at, id: match[2] };
}

/**
 * A salon's visible reviews, newest first, with the staff member and service of each, and the
 * salon's reply. `limit` per page (1–50); `before` is the cursor of the last review of the previous
 * page (an unreadable cursor starts from the top). `next` is null on the last page.
 */
export async function listSalonReviews(
  db: Queryable,
  salonId: string,
  options: { limit?: number; before?: string | null } = {},
): Promise<{ reviews: PublicReview[]; next: string | null }> {
  const limit = Math.min(Math.max(Math.trunc(options.limit ?? 20), 1), 50);
  const before = decodeCursor(options.before);
  const rows = await db.query<PublicRow>(
    `SELECT r.id, r.rating, r.body, u.first_name, u.last_name,
       r.staff_id, st.name_ar AS staff_name_ar, st.name_en AS staff_name_en,
       r.service_id, sv.name_ar AS service_name_ar, sv.name_en AS service_name_en,
       r.reply, r.replied_at, r.created_at, r.updated_at,
       EXISTS (SELECT 1 FROM review_events e WHERE e.review_id = r.id AND e.action = 'edited')
         AS edited
     FROM reviews r
     JOIN staff st ON st.id = r.staff_id
     JOIN services sv ON sv.id = r.service_id
     LEFT JOIN users u ON u.id = r.customer_id AND u.deleted_at IS NULL
     WHERE r.salon_id = $1 AND NOT r.hidden
       AND ($2::timestamptz IS NULL OR (r.created_at, r.id) < ($2::timestamptz, $3::uuid))
     ORDER BY r.created_at DESC, r.id DESC
     LIMIT $4`,
    [salonId, before?.at ?? null, before?.id ?? null, limit + 1],
  );
  const page = rows.slice(0, limit).map(toPublic);
  return { reviews: page, next: rows.length > limit ? encodeCursor(page[page.length - 1]) : null };
}

function toPublic(r: PublicRow): PublicReview {
  return {
    id: r.id,
    rating: r.rating,
    text: r.body,
    reviewer: reviewerName(r.first_name, r.last_name),
    staff: { id: r.staff_id, name_ar: r.staff_name_ar, name_en: r.staff_name_en },
    service: { id: r.service_id, name_ar: r.service_name_ar, name_en: r.service_name_en },
    reply: r.reply !== null && r.replied_at ? { text: r.reply, at: r.replied_at } : null,
    created_at: r.created_at,
    edited: r.edited,
  };
}

/** The JSON shape of a public review (snake_case, ISO times). */
export function publicReviewJson(r: PublicReview) {
  return {
    id: r.id,
    rating: r.rating,
    text: r.text,
    reviewer: r.reviewer,
    staff: r.staff,
    service: r.service,
    reply: r.reply ? { text: r.reply.text, created_at: r.reply.at.toISOString() } : null,
    created_at: r.created_at.toISOString(),
    edited: r.edited,
  };
}

/** The customer's own review of a booking (hidden or not), or null. */
export async function getReviewOfBooking(
  db: Queryable,
  bookingId: string,
  customerId: string,
): Promise<ReviewRow | null> {
  if (!isUuid(bookingId)) return null;
  const [row] = await db.query<ReviewRow>(
    "SELECT * FROM reviews WHERE booking_id = $1 AND customer_id = $2",
    [bookingId, customerId],
  );
  return row ?? null;
}

/** The JSON shape of a review for its author and the salon's managers. */
export function reviewJson(r: ReviewRow) {
  return {
    id: r.id,
    booking_id: r.booking_id,
    salon_id: r.salon_id,
    staff_id: r.staff_id,
    service_id: r.service_id,
    rating: r.rating,
    text: r.body,
    hidden: r.hidden,
    hidden_reason: r.hidden_reason,
    reply: r.reply ? { text: r.reply, created_at: r.replied_at?.toISOString() ?? null } : null,
    created_at: r.created_at.toISOString(),
    updated_at: r.updated_at.toISOString(),
  };
}
