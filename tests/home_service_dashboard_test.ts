/** The dashboard's home-service page: terms, districts and services at home, audited; managers only. */
import assert from "node:assert/strict";
import { makeTestApp } from "./helpers/app.ts";
import { testBackend } from "./helpers/db.ts";
import { auditCount, get, makeWorld, post } from "./helpers/dashboard.ts";

const B = testBackend();

Deno.test(`dashboard home service (${B}) - terms, districts and services at home, each audited`, async () => {
  const t = await makeTestApp();
  try {
    const w = await makeWorld(t);
    const path = `/dashboard/${w.salon.slug}/home-service`;
    const page = await get(t, `${path}?lang=en`, w.jars.manager);
    assert.equal(page.status, 200);
    const html = await page.text();
    assert.match(html, /Travel time each way/);
    assert.match(html, /<title>Home service · /, "the page's own title, not the home page's");
    assert.equal((await get(t, path, w.jars.staff)).status, 403);

    const bad = await post(t, `${path}?lang=en`, w.jars.manager, {
      intent: "terms",
      home_travel_minutes: "500",
      home_surcharge: "50",
      home_radius_km: "",
    });
    assert.equal(bad.status, 400);
    const terms = await post(t, path, w.jars.manager, {
      intent: "terms",
      home_travel_minutes: "45",
      home_surcharge: "75.50",
      home_radius_km: "12.5",
    });
    assert.equal(terms.status, 303);
    const [salon] = await t.db.query<Record<string, unknown>>(
      `SELECT home_travel_minutes, home_surcharge_halalas, home_radius_km::float8 AS r
       FROM salons WHERE id = $1`,
      [w.salon.id],
    );
    assert.deepEqual(salon, { home_travel_minutes: 45, home_surcharge_halalas: 7550, r: 12.5 });
    assert.equal(await auditCount(t, "home_service.update"), 1);

    const add = (ar: string, en: string) =>
      post(t, `${path}?lang=en`, w.jars.manager, {
        intent: "district_add",
        district_ar: ar,
        district_en: en,
      });
    assert.equal((await add("الملقا", "Al Malqa")).status, 303);
    const twice = await add("الملقا", "Al  Malqa");
    assert.equal(twice.status, 400);
    assert.match(await twice.text(), /already on the list/);
    const [district] = await t.db.query<{ key: string }>(
      "SELECT key FROM salon_home_districts WHERE salon_id = $1",
      [w.salon.id],
    );
    assert.equal(district.key, "al-malqa");
    assert.equal(await auditCount(t, "home_district.create"), 1);

    const services = await post(t, path, w.jars.manager, {
      intent: "services",
      [`at_home_${w.service.id}`]: "on",
    });
    assert.equal(services.status, 303);
    const [svc] = await t.db.query<{ at_home: boolean }>(
      "SELECT at_home FROM services WHERE id = $1",
      [w.service.id],
    );
    assert.equal(svc.at_home, true);

    assert.equal(
      (await post(t, path, w.jars.manager, { intent: "district_remove", district: "al-malqa" }))
        .status,
      303,
    );
    assert.equal(await auditCount(t, "home_district.delete"), 1);
    // Another salon's manager cannot touch it.
    const foreign = await post(t, path, w.jars.otherManager, {
      intent: "district_add",
      district_ar: "حطين",
      district_en: "Hittin",
    });
    assert.equal(foreign.status, 404);
  } finally {
    await t.close();
  }
});
