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

Deno.test("demo seed - looks like real salons: ratings differ, each salon's regulars are its own, nobody is in two places at once", async () => {
  const { db, close } = await createTestDb();
  try {
    await seedDemoData(db, new Date("2026-11-21T09:00:00Z"));
    const ratings = await db.query<{ slug: string; rating_avg: number }>(
      "SELECT slug, rating_avg FROM salons ORDER BY slug",
    );
    assert.equal(
      new Set(ratings.map((r) => Number(r.rating_avg))).size,
      ratings.length,
      `every salon has its own rating: ${JSON.stringify(ratings)}`,
    );
    const overlaps = await db.query(
      `SELECT a.id FROM bookings a JOIN bookings b
         ON a.customer_id = b.customer_id AND a.id < b.id
        AND tstzrange(a.starts_at, a.ends_at) && tstzrange(b.starts_at, b.ends_at)
       WHERE a.status NOT IN ('cancelled', 'expired') AND b.status NOT IN ('cancelled', 'expired')`,
    );
    assert.deepEqual(overlaps, [], "no customer has two visits at overlapping times");
    const cities = await db.query<{ customer_id: string; cities: number }>(
      `SELECT b.customer_id, count(DISTINCT s.city)::int AS cities
       FROM bookings b JOIN salons s ON s.id = b.salon_id
       GROUP BY b.customer_id HAVING count(DISTINCT s.city) > 1`,
    );
    assert.deepEqual(cities, [], "regulars live in one city");
    // The gentlemen's barber is reviewed by men, the ladies' salons by women: no first name
    // reviews both kinds of salon, and the texts are each salon's own.
    const reviewers = await db.query<{ slug: string; first_name: string; text: string }>(
      `SELECT s.slug, u.first_name, r.body AS text FROM reviews r
       JOIN salons s ON s.id = r.salon_id JOIN users u ON u.id = r.customer_id`,
    );
    const barber = new Set(
      reviewers.filter((r) => r.slug === "nokhba-dammam").map((r) => r.first_name),
    );
    const ladies = new Set(
      reviewers.filter((r) => r.slug !== "nokhba-dammam").map((r) => r.first_name),
    );
    assert.ok(barber.size > 0 && ladies.size > 0);
    assert.deepEqual([...barber].filter((n) => ladies.has(n)), []);
    const texts = reviewers.map((r) => r.text);
    assert.equal(new Set(texts).size, texts.length, "no review text is repeated");
  } finally {
    await close();
  }
});
