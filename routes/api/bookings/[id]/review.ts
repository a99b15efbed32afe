import { z } from "zod";
import { assertSignedIn } from "@/services/auth/authorize.ts";
import { NotFoundError } from "@/services/errors.ts";
import { userText } from "@/services/text.ts";
import {
  createReview,
  editReview,
  getReviewOfBooking,
  reviewJson,
} from "@/services/reviews/mod.ts";
import { defineHandlers } from "../../../_define.ts";
import { readJson } from "../../../_http.ts";
import { htmlSafeJson } from "../../../_json.ts";

const ReviewBody = z.object({
  rating: z.number("review.rating.invalid").int("review.rating.invalid")
    .min(1, "review.rating.invalid").max(5, "review.rating.invalid"),
  // Checked again after cleaning (1000 characters); this only bounds what we read.
  text: userText().max(5000).nullish(),
});

/**
 * The customer's review of their booking.
 * - `GET` → 200 {review} (404 when there is none);
 * - `POST {rating, text?}` → 201 {review}: only for a completed booking of theirs, once, within 30
 *   days of the visit (409 with the reason otherwise; someone else's booking → 404);
 * - `PATCH {rating, text?}` → 200 {review}: changes it, within the same 30 days.
 * The salon's rating is recounted in the same transaction.
 */
export const handler = defineHandlers({
  async GET(c) {
    const state = c.var.state;
    assertSignedIn(state);
    const review = await getReviewOfBooking(c.var.deps.db, c.req.param("id") ?? "", state.user.id);
    if (!review) throw new NotFoundError();
    return htmlSafeJson(c, { review: reviewJson(review) });
  },

  async POST(c) {
    const state = c.var.state;
    assertSignedIn(state);
    const body = await readJson(c, ReviewBody);
    const review = await createReview(c.var.deps.db, {
      bookingId: c.req.param("id") ?? "",
      customerId: state.user.id,
      rating: body.rating,
      text: body.text,
      now: c.var.deps.now(),
    });
    return htmlSafeJson(c, { review: reviewJson(review) }, 201);
  },

  async PATCH(c) {
    const state = c.var.state;
    assertSignedIn(state);
    const body = await readJson(c, ReviewBody);
    const review = await editReview(c.var.deps.db, {
      bookingId: c.req.param("id") ?? "",
      customerId: state.user.id,
      rating: body.rating,
      text: body.text,
      now: c.var.deps.now(),
    });
    return htmlSafeJson(c, { review: reviewJson(review) });
  },
});
