import assert from "node:assert/strict";
import { getCoverPhotos } from "@/services/photos/public.ts";
import { databaseStorage } from "@/services/photos/storage.ts";
import { makeTestApp } from "./helpers/app.ts";
import { get, makeWorld, post } from "./helpers/dashboard.ts";
import { fixture, upload } from "./helpers/photos.ts";

/** The attributes of each `<img>` of a page, in order. */
function images(html: string): Record<string, string>[] {
  return [...html.matchAll(/<img ([^>]+)>/g)].map((m) =>
    Object.fromEntries([...m[1].matchAll(/([a-z-]+)="([^"]*)"/g)].map((a) => [a[1], a[2]]))
  );
}

Deno.test("photos - the salon page shows the cover first (eager, high priority), the gallery, portraits and service photos lazily, each with srcset, sizes, width and height", async () => {
  const t = await makeTestApp();
  try {
    const w = await makeWorld(t);
    const base = `/dashboard/${w.salon.slug}`;
    const page = `/salons/${w.salon.slug}`;
    const before = await (await get(t, page)).text();
    assert.equal(images(before).length, 0);

    assert.equal(
      (await upload(t, `${base}/photos`, w.jars.manager, [
        { name: "front.jpg", bytes: fixture("gps_rotated.jpg") },
        { name: "inside.heic", bytes: fixture("iphone.heic"), type: "image/heic" },
      ])).status,
      303,
    );
    const [cover] = await t.db.query<{ id: string }>(
      "SELECT id FROM photos WHERE kind = 'salon' AND position = 0",
    );
    await post(t, `${base}/photos`, w.jars.manager, {
      intent: "alt",
      photo_id: cover.id,
      alt_ar: "واجهة صالون لمسة",
      alt_en: "Lamsa Salon's front",
    });
    await upload(t, `${base}/staff/${w.noura.id}/photos`, w.jars.manager, [
      { name: "noura.png", bytes: fixture("alpha.png"), type: "image/png" },
    ], { kind: "portrait" });
    await upload(t, `${base}/services/${w.service.id}/photo`, w.jars.manager, [
      { name: "blow.webp", bytes: fixture("photo.webp"), type: "image/webp" },
    ]);

    // Signed out (the shared rendering, dropped by the database's announcement of the change).
    const res = await get(t, page);
    assert.equal(res.status, 200);
    const html = await res.text();
    const imgs = images(html);
    assert.equal(imgs.length, 4);
    const [hero, ...rest] = imgs;
    assert.equal(hero.alt, "واجهة صالون لمسة");
    assert.equal(hero.fetchpriority, "high");
    assert.equal(hero.loading, "eager");
    assert.equal([hero.width, hero.height].join("x"), "400x600");
    assert.match(hero.src, /^\/photos\/[0-9a-f-]{36}\/[0-9a-f]{16}-400\.jpg$/);
    assert.match(hero.srcset, /-400\.jpg 400w/);
    assert.match(hero.sizes, /992px/);
    assert.ok(html.indexOf("<img") < html.indexOf("<h1"), "the cover comes before the title");
    assert.match(html, /<source type="image\/webp" srcset="[^"]+-400\.webp 400w" sizes="[^"]+"/);
    for (const img of rest) {
      assert.equal(img.loading, "lazy");
      assert.ok(Number(img.width) > 0 && Number(img.height) > 0);
      assert.ok(img.srcset && img.sizes);
    }
    // Without their own description: the portrait by her name, the service photo by its name.
    assert.deepEqual(
      rest.map((i) => i.alt).sort(),
      ["استشوار", "الصورة ٢ من صالون لمسة", "نورة"].sort(),
    );
    const en = await (await get(t, `${page}?lang=en`)).text();
    assert.equal(images(en)[0].alt, "Lamsa Salon's front");

    // Every URL on the page is served, immutable.
    for (const img of imgs) {
      const file = await get(t, img.src);
      assert.equal(file.status, 200);
      assert.equal(file.headers.get("cache-control"), "public, max-age=31536000, immutable");
      await file.body?.cancel();
    }
    assert.match(res.headers.get("content-security-policy")!, /img-src 'self' data:/);

    // The cover as other pages, the API and Open Graph tags use it.
    const covers = await getCoverPhotos(t.db, databaseStorage(t.db), [w.salon.id, w.other.id]);
    assert.deepEqual(Object.keys(covers), [w.salon.id]);
    assert.equal(covers[w.salon.id].id, cover.id);
    assert.equal(covers[w.salon.id].largest.type, "image/jpeg");
    assert.equal(covers[w.salon.id].largest.width, 400);
  } finally {
    await t.close();
  }
});
