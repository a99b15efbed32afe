/**
 * Reviews that mean something: only the customer of a completed booking, once, within 30 days;
 * the salon's rating recounted in the same transaction as every change; one salon reply; hiding
 * with a reason by the salon's managers.
 */
export * from "./model.ts";
export { createReview, editReview, recordReviewEvent, reviewBlock } from "./write.ts";
export type { ReviewAction, ReviewBlock, ReviewInput } from "./write.ts";
export { replyToReview, setReviewHidden } from "./moderate.ts";
export { lockSalonForReviews, recountSalonRating } from "./rating.ts";
export {
  decodeCursor,
  encodeCursor,
  getReviewOfBooking,
  listSalonReviews,
  publicReviewJson,
  reviewJson,
} from "./queries.ts";
export type { PublicReview } from "./queries.ts";
