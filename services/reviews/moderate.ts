import type { Queryable, Tx } from "@/db/types.ts";
import { assertManagerOf } from "@/services/auth/authorize.ts";
import type { SessionUser } from "@/services/auth/users.ts";
import { NotFoundError } from "@/services/errors.ts";
import { cleanField, REASON_TEXT_MAX, REPLY_TEXT_MAX, type ReviewRow } from "./model.ts";
import { lockSalonForReviews, recountSalonRating } from "./rating.ts";
import { recordReviewEvent } from "./write.ts";
import { isUuid } from "@/services/ids.ts";

interface ModerationInput {
  salonId: string;
  reviewId: string;
  now: Date;
}

/**
 * Runs a manager's change to one of their salon's reviews: checks the user manages the salon
 * (403 otherwise), then in one transaction locks the salon row (the order every review change
 * uses) and the review, which must belong to that salon (404 otherwise).
 */
async function moderate<T>(
  db: Queryable,
  user: SessionUser,
  input: ModerationInput,
  change: (tx: Tx, review: ReviewRow) => Promise<T>,
): Promise<T> {
  await assertManagerOf(db, user, input.salonId);
  if (!isUuid(input.reviewId)) throw new NotFoundError();
  return await db.transaction(async (tx) => {
    await lockSalonForReviews(tx, input.salonId);
    const [review] = await tx.query<ReviewRow>(
      "SELECT * FROM reviews WHERE id = $1 AND salon_id = $2 FOR UPDATE",
      [input.reviewId, input.salonId],
    );
    if (!review) throw new NotFoundError();
    return await change(tx, review);
  });
}

/**
 * The salon's reply to a review: one per review; replying again replaces it. Text is cleaned and
 * at most 1000 characters (400 otherwise). Managers of the review's salon only.
 */
export async function replyToReview(
  db: Queryable,
  user: SessionUser,
  input: ModerationInput & { text: string },
): Promise<ReviewRow> {
  const text = cleanField(input.text, "text", REPLY_TEXT_MAX, { required: true });
  return await moderate(db, user, input, async (tx, review) => {
    const [updated] = await tx.query<ReviewRow>(
      `UPDATE reviews SET reply = $2, replied_by = $3, replied_at = $4, updated_at = $4
       WHERE id = $1 RETURNING *`,
      [review.id, text, user.id, input.now],
    );
    await recordReviewEvent(tx, review.id, {
      at: input.now,
      actorUserId: user.id,
      actorRole: "salon",
      action: "replied",
      data: { replaced: review.reply !== null },
    });
    return updated;
  });
}

/**
 * Hides (or shows again) a review, with a required reason kept in the review's audit trail. A
 * hidden review leaves the salon page and the salon's average; the rating is recounted in the same
 * transaction. Hiding a hidden review (or showing a visible one) changes nothing.
 */
export async function setReviewHidden(
  db: Queryable,
  user: SessionUser,
  input: ModerationInput & { hidden: boolean; reason: string },
): Promise<ReviewRow> {
  const reason = cleanField(input.reason, "reason", REASON_TEXT_MAX, { required: true });
  return await moderate(db, user, input, async (tx, review) => {
    if (review.hidden === input.hidden) return review;
    const [updated] = input.hidden
      ? await tx.query<ReviewRow>(
        `UPDATE reviews SET hidden = true, hidden_reason = $2, hidden_by = $3, hidden_at = $4,
           updated_at = $4 WHERE id = $1 RETURNING *`,
        [review.id, reason, user.id, input.now],
      )
      : await tx.query<ReviewRow>(
        `UPDATE reviews SET hidden = false, hidden_reason = NULL, hidden_by = NULL,
           hidden_at = NULL, updated_at = $2 WHERE id = $1 RETURNING *`,
        [review.id, input.now],
      );
    await recordReviewEvent(tx, review.id, {
      at: input.now,
      actorUserId: user.id,
      actorRole: "salon",
      action: input.hidden ? "hidden" : "unhidden",
      reason,
    });
    await recountSalonRating(tx, review.salon_id);
    return updated;
  });
}
