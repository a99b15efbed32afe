import assert from "node:assert/strict";
import { seedDemoData } from "@/db/seed.ts";
import { makeTestApp } from "./helpers/app.ts";
import { get } from "./helpers/dashboard.ts";

Deno.test("demo data - every salon has a cover and a gallery, every staff member a portrait, and every file is served", async () => {
  const t = await makeTestApp();
  try {
    const seeded = await seedDemoData(t.db, t.clock.now());
    assert.ok(seeded.photos > 0);
    const missing = await t.db.query<{ what: string }>(
      `SELECT 'salon ' || s.slug AS what FROM salons s
       WHERE (SELECT count(*) FROM photos p WHERE p.salon_id = s.id AND p.kind = 'salon') < 4
       UNION ALL
       SELECT 'staff ' || st.name_en FROM staff st
       WHERE NOT EXISTS (SELECT 1 FROM photos p WHERE p.staff_id = st.id AND p.kind = 'portrait')`,
    );
    assert.deepEqual(missing, []);
    const [{ n }] = await t.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM photos, jsonb_array_elements(variants) v
       WHERE NOT EXISTS (SELECT 1 FROM photo_files f WHERE f.key = v ->> 'key')`,
    );
    assert.equal(n, 0, "every listed file is stored");

    const page = await (await get(t, "/salons/lamsa-riyadh")).text();
    const cover = /<img [^>]*fetchpriority="high"[^>]*>/.exec(page)?.[0] ?? "";
    assert.match(cover, /alt="مرايا التصفيف في صالون لمسة"/);
    const src = /src="([^"]+)"/.exec(cover)![1];
    const res = await get(t, src);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("content-type"), "image/jpeg");
    await res.body?.cancel();

    // Seeding again adds nothing (the salons exist).
    assert.deepEqual(await seedDemoData(t.db, t.clock.now()), { salons: 0, photos: 0 });
  } finally {
    await t.close();
  }
});
