import type { Db, Tx } from "@/db/types.ts";
import { DbError, PG_UNIQUE_VIOLATION } from "@/db/types.ts";
import { ConflictError, NotFoundError, ValidationError } from "@/services/errors.ts";
import {
  cleanField,
  REVIEW_TEXT_MAX,
  REVIEW_WINDOW_DAYS,
  reviewDeadline,
  type ReviewRow,
} from "./model.ts";
import { lockSalonForReviews, recountSalonRating } from "./rating.ts";
import { isUuid } from "@/services/ids.ts";

interface BookingForReview {
  id: string;
  salon_id: string;
  staff_id: string;
  service_id: string;
  customer_id: string | null;
  status: string;
  ends_at: Date;
}

/** Why a customer may not review (or edit the review of) a booking right now; null when they may. */
export type ReviewBlock = "notCompleted" | "tooLate" | "alreadyReviewed";

/** The rule, on its own: completed, within the window after the visit, not reviewed yet. */
export function reviewBlock(
  booking: { status: string; ends_at: Date },
  existing: Pick<ReviewRow, "id"> | null,
  now: Date,
): ReviewBlock | null {
  if (booking.status !== "completed") return "notCompleted";
  if (existing) return "alreadyReviewed";
  if (now.getTime() > reviewDeadline(booking.ends_at).getTime()) return "tooLate";
  return null;
}

async function customerBooking(
  tx: Tx,
  bookingId: string,
  customerId: string,
): Promise<BookingForReview> {
  if (!isUuid(bookingId)) throw new NotFoundError();
  const [booking] = await tx.query<BookingForReview>(
    `SELECT id, salon_id, staff_id, service_id, customer_id, status, ends_at
     FROM bookings WHERE id = $1 AND customer_id = $2`,
    [bookingId, customerId],
  );
  // Another customer's booking is not theirs to know about: the same 404 as a missing one.
  if (!booking) throw new NotFoundError();
  return booking;
}

function ratingOf(value: number): number {
  if (!Number.isInteger(value) || value < 1 || value > 5) {
    throw new ValidationError({ rating: ["review.rating.invalid"] });
  }
  return value;
}

const BLOCK_ERRORS = {
  notCompleted: () => new ConflictError("review.notCompleted"),
  alreadyReviewed: () => new ConflictError("review.alreadyReviewed"),
  tooLate: () => new ConflictError("review.tooLate", { days: REVIEW_WINDOW_DAYS }),
} as const;

export interface ReviewInput {
  bookingId: string;
  customerId: string;
  rating: number;
  text?: string | null;
  now: Date;
}

/**
 * The customer of a completed booking reviews it: once, within 30 days of the appointment's end,
 * 1–5 stars and optional text (cleaned, at most 1000 characters). In one transaction with the
 * salon row locked: the review, its audit row, and the salon's rating recounted. Someone else's
 * booking → 404; not completed, already reviewed, too late → 409; bad rating or text → 400.
 */
export async function createReview(db: Db | Tx, input: ReviewInput): Promise<ReviewRow> {
  const rating = ratingOf(input.rating);
  const body = cleanField(input.text, "text", REVIEW_TEXT_MAX);
  try {
    return await db.transaction(async (tx) => {
      const booking = await customerBooking(tx, input.bookingId, input.customerId);
      await lockSalonForReviews(tx, booking.salon_id);
      const [existing] = await tx.query<{ id: string }>(
        "SELECT id FROM reviews WHERE booking_id = $1",
        [booking.id],
      );
      const block = reviewBlock(booking, existing ?? null, input.now);
      if (block) throw BLOCK_ERRORS[block]();
      const [review] = await tx.query<ReviewRow>(
        `INSERT INTO reviews (booking_id, salon_id, customer_id, staff_id, service_id, rating, body,
           created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING *`,
        [
          booking.id,
          booking.salon_id,
          input.customerId,
          booking.staff_id,
          booking.service_id,
          rating,
          body,
          input.now,
        ],
      );
      await recordReviewEvent(tx, review.id, {
        at: input.now,
        actorUserId: input.customerId,
        actorRole: "customer",
        action: "created",
        data: { rating },
      });
      await recountSalonRating(tx, booking.salon_id);
      return review;
    });
  } catch (err) {
    // Two submissions racing past the check: the unique booking_id settles it.
    if (err instanceof DbError && err.code === PG_UNIQUE_VIOLATION) {
      throw new ConflictError("review.alreadyReviewed");
    }
    throw err;
  }
}

/**
 * The customer changes their review's stars and text, within the same 30 days. The salon's rating
 * is recounted in the same transaction (a hidden review stays hidden and out of it). No review
 * yet → 404.
 */
export async function editReview(db: Db | Tx, input: ReviewInput): Promise<ReviewRow> {
  const rating = ratingOf(input.rating);
  const body = cleanField(input.text, "text", REVIEW_TEXT_MAX);
  return await db.transaction(async (tx) => {
    const booking = await customerBooking(tx, input.bookingId, input.customerId);
    await lockSalonForReviews(tx, booking.salon_id);
    const [review] = await tx.query<ReviewRow>(
      "SELECT * FROM reviews WHERE booking_id = $1 AND customer_id = $2 FOR UPDATE",
      [booking.id, input.customerId],
    );
    if (!review) throw new NotFoundError();
    if (input.now.getTime() > reviewDeadline(booking.ends_at).getTime()) {
      throw BLOCK_ERRORS.tooLate();
    }
    if (review.rating === rating && review.body === body) return review;
    const [updated] = await tx.query<ReviewRow>(
      "UPDATE reviews SET rating = $2, body = $3, updated_at = $4 WHERE id = $1 RETURNING *",
      [review.id, rating, body, input.now],
    );
    await recordReviewEvent(tx, review.id, {
      at: input.now,
      actorUserId: input.customerId,
      actorRole: "customer",
      action: "edited",
      data: { rating, previous_rating: review.rating },
    });
    await recountSalonRating(tx, booking.salon_id);
    return updated;
  });
}

export type ReviewAction = "created" | "edited" | "replied" | "hidden" | "unhidden" | "anonymized";

/** One audit row for a review (kept by the retention job). */
export async function recordReviewEvent(
  tx: Tx,
  reviewId: string,
  event: {
    at: Date;
    actorUserId: string | null;
    actorRole: "customer" | "salon" | "system";
    action: ReviewAction;
    reason?: string | null;
    data?: Record<string, unknown>;
  },
): Promise<void> {
  await tx.query(
    `INSERT INTO review_events (review_id, at, actor_user_id, actor_role, action, reason, data)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [
      reviewId,
      event.at,
      event.actorUserId,
      event.actorRole,
      event.action,
      event.reason ?? null,
      event.data ?? {},
    ],
  );
}
