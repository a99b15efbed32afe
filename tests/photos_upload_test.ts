import assert from "node:assert/strict";
import Vips from "wasm-vips";
import { makeTestApp, type TestApp } from "./helpers/app.ts";
import { auditCount, get, makeWorld, type World } from "./helpers/dashboard.ts";
import { fixture, jpegClaiming, storedKeys, upload } from "./helpers/photos.ts";

async function withWorld(fn: (t: TestApp, w: World, base: string) => Promise<void>) {
  const t = await makeTestApp();
  try {
    const w = await makeWorld(t);
    await fn(t, w, `/dashboard/${w.salon.slug}`);
  } finally {
    await t.close();
  }
}

const vips = await Vips({ dynamicLibraries: [] });

async function fileCount(t: TestApp): Promise<number> {
  const [row] = await t.db.query<{ n: number }>("SELECT count(*)::int AS n FROM photo_files");
  return row.n;
}

/** The `src` URLs of a page's `<img>` and `srcset` entries. */
function imageUrls(html: string): string[] {
  const urls = new Set<string>();
  for (const m of html.matchAll(/(?:src|srcset)="([^"]+)"/g)) {
    for (const part of m[1].split(",")) urls.add(part.trim().split(" ")[0]);
  }
  return [...urls].filter((u) => u.startsWith("/photos/"));
}

Deno.test("photos - a manager uploads JPEG, HEIC, PNG and WebP in one post; each is rendered at its widths as WebP and JPEG and served immutable", async () => {
  await withWorld(async (t, w, base) => {
    const res = await upload(t, `${base}/photos`, w.jars.manager, [
      { name: "IMG_0001.jpg", bytes: fixture("gps_rotated.jpg") },
      { name: "IMG_0002.HEIC", bytes: fixture("iphone.heic"), type: "image/heic" },
      { name: "logo.png", bytes: fixture("alpha.png"), type: "image/png" },
      { name: "chair.webp", bytes: fixture("photo.webp"), type: "image/webp" },
    ]);
    assert.equal(res.status, 303);
    assert.equal(res.headers.get("location"), `${base}/photos?notice=uploaded`);
    const rows = await t.db.query<
      { kind: string; position: number; width: number; height: number; variants: unknown[] }
    >("SELECT kind, position, width, height, variants FROM photos ORDER BY position");
    assert.deepEqual(rows.map((r) => [r.position, r.width, r.height]), [
      [0, 400, 600], // rotated upright
      [1, 800, 600],
      [2, 300, 200],
      [3, 300, 200],
    ]);
    assert.equal(await auditCount(t, "photo.upload"), 4);

    const page = await get(t, `${base}/photos`, w.jars.manager);
    assert.equal(page.status, 200);
    const html = await page.text();
    assert.equal((html.match(/data-photo="/g) ?? []).length, 4);
    const urls = imageUrls(html);
    // The HEIC: 480 and its own 800 wide, in both formats (plus the page's 960 fallback rule).
    assert.ok(urls.some((u) => /-480\.webp$/.test(u)));
    for (const url of urls) {
      const file = await get(t, url);
      assert.equal(file.status, 200, url);
      assert.match(file.headers.get("content-type")!, /^image\/(webp|jpeg)$/);
      assert.equal(file.headers.get("cache-control"), "public, max-age=31536000, immutable");
      const bytes = new Uint8Array(await file.arrayBuffer());
      const image = vips.Image.newFromBuffer(bytes);
      assert.equal(
        url.endsWith(".webp") ? "webpload_buffer" : "jpegload_buffer",
        image.getString("vips-loader"),
      );
      assert.ok(url.includes(`-${image.width}.`), `${url} is ${image.width} wide`);
    }
    // Each photo: every width it has as both formats; the content hash names the file.
    const keys = await storedKeys(t);
    assert.equal(await fileCount(t), keys.length);
    assert.ok(keys.every((k) => /^[0-9a-f-]{36}\/[0-9a-f]{16}-\d+\.(webp|jpg)$/.test(k)));
  });
});

Deno.test("photos - a file that lies about its type is refused by its content, in the visitor's language, and nothing is stored", async () => {
  await withWorld(async (t, w, base) => {
    const html = new TextEncoder().encode("<html><script>alert(1)</script></html>".repeat(20));
    const res = await upload(t, `${base}/photos`, w.jars.manager, [
      { name: "good.webp", bytes: fixture("photo.webp"), type: "image/webp" },
      { name: "holiday.jpg", bytes: html, type: "image/jpeg" },
    ]);
    assert.equal(res.status, 400);
    const body = await res.text();
    assert.match(body, /holiday\.jpg: هذا الملف ليس صورة بصيغة JPEG أو PNG أو WebP أو HEIC\./);
    assert.equal((await t.db.query("SELECT 1 FROM photos")).length, 0);
    assert.equal(await fileCount(t), 0);
    assert.equal(await auditCount(t, "photo.upload"), 0);

    const en = await upload(t, `${base}/photos?lang=en`, w.jars.manager, [
      {
        name: "report.png",
        bytes: new TextEncoder().encode("%PDF-1.7\n%âãÏÓ\n1 0 obj"),
        type: "image/png",
      },
    ]);
    assert.equal(en.status, 400);
    assert.match(
      await en.text(),
      /report\.png: This file is not a JPEG, PNG, WebP or HEIC photo\./,
    );

    // The other way round: a real PNG sent as "notes.txt", text/plain, is a photo.
    const png = await upload(t, `${base}/photos`, w.jars.manager, [
      { name: "notes.txt", bytes: fixture("alpha.png"), type: "text/plain" },
    ]);
    assert.equal(png.status, 303);
    assert.equal((await t.db.query("SELECT 1 FROM photos")).length, 1);
  });
});

Deno.test("photos - images over 15 MB or over 40 megapixels are refused before they are decoded", async () => {
  await withWorld(async (t, w, base) => {
    const jpeg = fixture("gps_rotated.jpg");
    const huge = new Uint8Array(15 * 1024 * 1024 + 1);
    huge.set(jpeg);
    const big = await upload(t, `${base}/photos?lang=en`, w.jars.manager, [
      { name: "big.jpg", bytes: huge },
    ]);
    assert.equal(big.status, 400);
    assert.match(await big.text(), /big\.jpg: This photo is larger than 15 MB\./);

    // 8000 × 5001 = 40,008,000 pixels claimed; 8000 × 5000 would pass the check.
    const wide = await upload(t, `${base}/photos?lang=en`, w.jars.manager, [
      { name: "panorama.jpg", bytes: jpegClaiming(jpeg, 8000, 5001) },
    ]);
    assert.equal(wide.status, 400);
    assert.match(await wide.text(), /panorama\.jpg: This photo is larger than 40 megapixels\./);

    // A file that starts like a JPEG and is not one.
    const broken = await upload(t, `${base}/photos?lang=en`, w.jars.manager, [
      { name: "broken.jpg", bytes: jpeg.slice(0, 200) },
    ]);
    assert.equal(broken.status, 400);
    assert.match(await broken.text(), /broken\.jpg: This photo could not be read/);
    assert.equal(await fileCount(t), 0);
  });
});

Deno.test("photos - GPS position and camera details are removed, and the EXIF orientation is applied", async () => {
  await withWorld(async (t, w, base) => {
    const original = vips.Image.newFromBuffer(fixture("gps_rotated.jpg"));
    assert.ok([...original.getFields()].includes("exif-ifd3-GPSLatitude"), "the fixture has GPS");
    assert.equal(original.getInt("orientation"), 6);

    const res = await upload(t, `${base}/photos`, w.jars.manager, [
      { name: "IMG_0001.jpg", bytes: fixture("gps_rotated.jpg") },
    ]);
    assert.equal(res.status, 303);
    const rows = await t.db.query<{ body: Uint8Array; key: string }>(
      "SELECT key, body FROM photo_files ORDER BY key",
    );
    assert.ok(rows.length >= 2);
    for (const row of rows) {
      const bytes = new Uint8Array(row.body);
      const image = vips.Image.newFromBuffer(bytes);
      const fields = [...image.getFields()];
      assert.ok(!fields.some((f) => f.startsWith("exif")), `${row.key} has no EXIF`);
      assert.ok(!fields.includes("xmp-data") && !fields.includes("iptc-data"), row.key);
      assert.ok(!new TextDecoder("latin1").decode(bytes).includes("iPhone"), row.key);
      // Upright: portrait, the stored top (red) now on the right, the bottom (blue) on the left.
      assert.ok(image.height > image.width, row.key);
      const [lr, , lb] = image.getpoint(2, image.height / 2);
      const [rr, , rb] = image.getpoint(image.width - 3, image.height / 2);
      assert.ok(lb > 100 && lr < 90, `${row.key}: left is blue`);
      assert.ok(rr > 150 && rb < 90, `${row.key}: right is red`);
    }
  });
});
