import { z } from "zod";
import { defineHandlers } from "@/routes/_define.ts";
import { htmlSafeJson } from "@/routes/_json.ts";
import { getSalon } from "@/services/catalog.ts";
import { listSalonReviews, publicReviewJson } from "@/services/reviews/mod.ts";
import { publicReads } from "@/routes/_reads.ts";

const Query = z.object({
  limit: z.coerce.number().int().min(1).max(50).catch(20),
  before: z.string().max(100).optional(),
});

/**
 * `GET /api/salons/{slug}/reviews/?limit=20&before=<cursor>`: the salon's visible reviews, newest
 * first, each with its staff member, service and the salon's reply; the salon's rating; `next` is
 * the cursor of the following page (null on the last). Text is JSON-escaped (`<` as \u003c).
 */
export const handler = defineHandlers({
  async GET(c) {
    const db = publicReads(c);
    const salon = await getSalon(db, c.req.param("slug")!);
    const query = Query.parse({ limit: c.req.query("limit"), before: c.req.query("before") });
    const { reviews, next } = await listSalonReviews(db, salon.id, query);
    return htmlSafeJson(c, {
      salon: { slug: salon.slug, rating_avg: salon.rating_avg, rating_count: salon.rating_count },
      results: reviews.map(publicReviewJson),
      next,
    });
  },
});
