import assert from "node:assert/strict";
import { seedDemoData } from "@/db/seed.ts";
import { createTestDb } from "./helpers/db.ts";

Deno.test("demo seed - every salon's rating is the recount of real reviews of completed visits", async () => {
  const { db, close } = await createTestDb();
  try {
    await seedDemoData(db, new Date("2026-11-21T09:00:00Z"));
    const salons = await db.query<
      { id: string; rating_avg: number; rating_count: number; avg: number; n: number }
    >(
      `SELECT s.id, s.rating_avg, s.rating_count,
              coalesce(round(avg(r.rating), 2), 0) AS avg, count(r.id)::int AS n
       FROM salons s LEFT JOIN reviews r ON r.salon_id = s.id AND NOT r.hidden
       GROUP BY s.id`,
    );
    assert.ok(salons.length >= 3);
    for (const s of salons) {
      assert.ok(s.n > 0, "each demo salon has reviews");
      assert.equal(s.rating_count, s.n);
      assert.equal(s.rating_avg, s.avg);
    }
    const orphans = await db.query(
      `SELECT r.id FROM reviews r JOIN bookings b ON b.id = r.booking_id
       WHERE b.status <> 'completed' OR b.salon_id <> r.salon_id OR b.customer_id <> r.customer_id`,
    );
    assert.deepEqual(orphans, []);
    const before = (await db.query<{ n: number }>("SELECT count(*)::int AS n FROM reviews"))[0].n;
    await seedDemoData(db, new Date("2026-11-21T09:00:00Z"));
    assert.equal(
      (await db.query<{ n: number }>("SELECT count(*)::int AS n FROM reviews"))[0].n,
      before,
    );
  } finally {
    await close();
  }
});
