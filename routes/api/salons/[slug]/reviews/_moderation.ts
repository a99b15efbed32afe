import { z } from "zod";
import type { AppContext } from "@/routes/_define.ts";
import { readJson } from "@/routes/_http.ts";
import { htmlSafeJson } from "@/routes/_json.ts";
import { assertSignedIn } from "@/services/auth/authorize.ts";
import { getSalon } from "@/services/catalog.ts";
import { replyToReview, reviewJson, setReviewHidden } from "@/services/reviews/mod.ts";
import { userText } from "@/services/text.ts";

const TextBody = z.object({ text: userText().max(5000) });
const ReasonBody = z.object({ reason: userText().max(2000) });

/** The salon and review a manager's request names; the services check the manager's rights. */
async function target(c: AppContext) {
  const state = c.var.state;
  assertSignedIn(state);
  const salon = await getSalon(c.var.deps.db, c.req.param("slug")!);
  return { user: state.user, salonId: salon.id, reviewId: c.req.param("id") ?? "" };
}

/** `POST …/reply/ {text}` → 200 {review}: sets or replaces the salon's one reply. */
export async function reply(c: AppContext): Promise<Response> {
  const { user, salonId, reviewId } = await target(c);
  const body = await readJson(c, TextBody);
  const review = await replyToReview(c.var.deps.db, user, {
    salonId,
    reviewId,
    text: body.text,
    now: c.var.deps.now(),
  });
  return htmlSafeJson(c, { review: reviewJson(review) });
}

/** `POST …/hide/ {reason}` and `…/unhide/ {reason}` → 200 {review}. */
export async function setHidden(c: AppContext, hidden: boolean): Promise<Response> {
  const { user, salonId, reviewId } = await target(c);
  const body = await readJson(c, ReasonBody);
  const review = await setReviewHidden(c.var.deps.db, user, {
    salonId,
    reviewId,
    hidden,
    reason: body.reason,
    now: c.var.deps.now(),
  });
  return htmlSafeJson(c, { review: reviewJson(review) });
}
