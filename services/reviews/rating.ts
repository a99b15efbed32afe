import type { Tx } from "@/db/types.ts";
import { NotFoundError } from "@/services/errors.ts";

/**
 * Locks a salon row for a review change. Every change to a salon's reviews takes this lock first
 * (before any review or booking row), so they apply one at a time per salon, in one lock order,
 * and the recount that ends each of them sees every committed change before it.
 */
export async function lockSalonForReviews(tx: Tx, salonId: string): Promise<void> {
  const rows = await tx.query("SELECT id FROM salons WHERE id = $1 FOR UPDATE", [salonId]);
  if (!rows.length) throw new NotFoundError();
}

/**
 * Sets the salon's `rating_avg` (2 decimals, 0 without reviews) and `rating_count` from a full
 * count of its visible reviews, in the caller's transaction (which holds lockSalonForReviews).
 * A recount rather than an increment: always right, whatever happened before.
 */
export async function recountSalonRating(
  tx: Tx,
  salonId: string,
): Promise<{ avg: number; count: number }> {
  const [row] = await tx.query<{ rating_avg: number; rating_count: number }>(
    `UPDATE salons s SET rating_avg = r.avg, rating_count = r.n
     FROM (SELECT count(*)::int AS n, coalesce(round(avg(rating), 2), 0) AS avg
           FROM reviews WHERE salon_id = $1 AND NOT hidden) r
     WHERE s.id = $1
     RETURNING s.rating_avg, s.rating_count`,
    [salonId],
  );
  return { avg: Number(row.rating_avg), count: row.rating_count };
}
