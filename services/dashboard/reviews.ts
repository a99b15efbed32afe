/**
 * Reviews as the salon's managers see them: every review (hidden ones too), newest first, and the
 * salon's reply and hide/unhide. The changes go through services/reviews (which cleans the text,
 * locks the salon then the review, keeps the review's own trail and recounts the rating); here
 * they run inside one transaction that first checks the caller manages the salon
 * ({@link authorizeSalon}) and ends with the audit row, so both commit or neither does.
 */
import type { Db, Queryable, Tx } from "@/db/types.ts";
import { NotFoundError } from "@/services/errors.ts";
import {
  decodeCursor,
  encodeCursor,
  lockSalonForReviews,
  replyToReview,
  setReviewHidden,
} from "@/services/reviews/mod.ts";
import { reviewerName, type ReviewRow } from "@/services/reviews/model.ts";
import { auditRole, authorizeSalon, type DashboardActor } from "./access.ts";
import { audit } from "./audit.ts";
import { isUuid } from "@/services/ids.ts";
import { deletedSql } from "@/services/people.ts";

export type ReviewShow = "all" | "hidden" | "unanswered";
export const REVIEW_SHOWS: readonly ReviewShow[] = ["all", "unanswered", "hidden"];

export interface DashboardReview {
  id: string;
  booking_id: string;
  rating: number;
  body: string;
  /** "Sara A." (as the salon page shows it), or null without a name. */
  reviewer: string | null;
  /** The reviewer deleted their account: the dashboard says "Deleted customer". */
  reviewer_deleted: boolean;
  staff_name_ar: string;
  staff_name_en: string;
  service_name_ar: string;
  service_name_en: string;
  reply: string | null;
  replied_at: Date | null;
  hidden: boolean;
  hidden_reason: string | null;
  hidden_at: Date | null;
  created_at: Date;
  edited: boolean;
}

/**
 * A salon's reviews, newest first, `limit` (1–100) a page after the cursor `before`; `show`
 * narrows to hidden ones or ones without a reply. Also the counts of each kind. Managers only.
 * @throws ForbiddenError
 */
export async function listDashboardReviews(
  db: Queryable,
  actor: DashboardActor,
  salonId: string,
  options: { show?: ReviewShow; before?: string | null; limit?: number } = {},
): Promise<{
  reviews: DashboardReview[];
  next: string | null;
  counts: { all: number; hidden: number; unanswered: number; average: number | null };
}> {
  await authorizeSalon(db, actor.user, salonId, "manager");
  const limit = Math.min(Math.max(Math.trunc(options.limit ?? 30), 1), 100);
  const before = decodeCursor(options.before);
  const show = options.show ?? "all";
  const rows = await db.query<
    Omit<DashboardReview, "reviewer"> & { first_name: string | null; last_name: string | null }
  >(
    `SELECT r.id, r.booking_id, r.rating, r.body,
       CASE WHEN u.deleted_at IS NULL THEN u.first_name END AS first_name,
       CASE WHEN u.deleted_at IS NULL THEN u.last_name END AS last_name,
       ${deletedSql("u")} AS reviewer_deleted,
       st.name_ar AS staff_name_ar, st.name_en AS staff_name_en,
       sv.name_ar AS service_name_ar, sv.name_en AS service_name_en,
       r.reply, r.replied_at, r.hidden, r.hidden_reason, r.hidden_at, r.created_at,
       EXISTS (SELECT 1 FROM review_events e WHERE e.review_id = r.id AND e.action = 'edited')
         AS edited
     FROM reviews r
     JOIN staff st ON st.id = r.staff_id
     JOIN services sv ON sv.id = r.service_id
     LEFT JOIN users u ON u.id = r.customer_id
     WHERE r.salon_id = $1
       AND ($2 = 'all' OR ($2 = 'hidden' AND r.hidden) OR ($2 = 'unanswered' AND r.reply IS NULL))
       AND ($3::timestamptz IS NULL OR (r.created_at, r.id) < ($3::timestamptz, $4::uuid))
     ORDER BY r.created_at DESC, r.id DESC
     LIMIT $5`,
    [salonId, show, before?.at ?? null, before?.id ?? null, limit + 1],
  );
  const [counts] = await db.query<
    { all: number; hidden: number; unanswered: number; average: number | null }
  >(
    `SELECT count(*)::int AS all, count(*) FILTER (WHERE hidden)::int AS hidden,
            count(*) FILTER (WHERE reply IS NULL)::int AS unanswered,
            round(avg(rating) FILTER (WHERE NOT hidden), 2)::float8 AS average
     FROM reviews WHERE salon_id = $1`,
    [salonId],
  );
  const reviews = rows.slice(0, limit).map(({ first_name, last_name, ...r }) => ({
    ...r,
    reviewer: reviewerName(first_name, last_name),
  }));
  return {
    reviews,
    next: rows.length > limit ? encodeCursor(reviews[reviews.length - 1]) : null,
    counts,
  };
}

/**
 * Runs `change` in one transaction after checking the caller manages the salon, holding the locks
 * every review change takes (the salon row, then the review, which must be this salon's: 404
 * otherwise), and writes the audit row `review.<verb>` when it changed anything.
 */
async function moderateWithAudit(
  db: Db,
  actor: DashboardActor,
  salonId: string,
  reviewId: string,
  verb: "reply" | "hide" | "unhide",
  change: (tx: Tx) => Promise<ReviewRow>,
  pick: (r: ReviewRow) => Record<string, unknown>,
  /** Kept with the row after the change (the reason given). */
  note: Record<string, unknown> = {},
): Promise<ReviewRow> {
  if (!isUuid(reviewId)) throw new NotFoundError();
  return await db.transaction(async (tx) => {
    const access = await authorizeSalon(tx, actor.user, salonId, "manager");
    await lockSalonForReviews(tx, salonId);
    const [before] = await tx.query<ReviewRow>(
      "SELECT * FROM reviews WHERE id = $1 AND salon_id = $2 FOR UPDATE",
      [reviewId, salonId],
    );
    if (!before) throw new NotFoundError();
    // The review services open their own transaction inside this one (a savepoint).
    const after = await change(tx);
    if (JSON.stringify(pick(before)) !== JSON.stringify(pick(after))) {
      await audit(tx, {
        salonId,
        actorUserId: actor.user.id,
        actorRole: auditRole(access),
        action: `review.${verb}`,
        entity: "review",
        entityId: reviewId,
        before: pick(before),
        after: { ...pick(after), ...note },
        at: actor.now,
        requestId: actor.requestId,
      });
    }
    return after;
  });
}

/**
 * The salon's reply to a review (one per review; replying again replaces it). Text is cleaned,
 * 1–1000 characters (400 otherwise). Managers only; audited as `review.reply`.
 * @throws ForbiddenError, NotFoundError, ValidationError
 */
export function replyToSalonReview(
  db: Db,
  actor: DashboardActor,
  salonId: string,
  reviewId: string,
  text: string,
): Promise<ReviewRow> {
  return moderateWithAudit(
    db,
    actor,
    salonId,
    reviewId,
    "reply",
    (inner) => replyToReview(inner, actor.user, { salonId, reviewId, text, now: actor.now }),
    (r) => ({ rating: r.rating, reply: r.reply }),
  );
}

/**
 * Hides a review (off the salon page and out of its rating) or shows it again, with a required
 * reason (1–500 characters) kept in the review's trail and the audit log (`review.hide`,
 * `review.unhide`). Hiding a hidden review changes nothing and writes no audit row.
 * @throws ForbiddenError, NotFoundError, ValidationError
 */
export function setSalonReviewHidden(
  db: Db,
  actor: DashboardActor,
  salonId: string,
  reviewId: string,
  hidden: boolean,
  reason: string,
): Promise<ReviewRow> {
  return moderateWithAudit(
    db,
    actor,
    salonId,
    reviewId,
    hidden ? "hide" : "unhide",
    (inner) =>
      setReviewHidden(inner, actor.user, { salonId, reviewId, hidden, reason, now: actor.now }),
    (r) => ({ rating: r.rating, hidden: r.hidden, hidden_reason: r.hidden_reason }),
    { reason },
  );
}
