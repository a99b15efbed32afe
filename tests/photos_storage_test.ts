import assert from "node:assert/strict";
import { loadConfig } from "@/config.ts";
import {
  createPhotoStorage,
  databaseStorage,
  type PhotoStorage,
  s3Storage,
} from "@/services/photos/storage.ts";
import { makeTestApp } from "./helpers/app.ts";
import { createTestDb } from "./helpers/db.ts";
import { get, makeWorld, post } from "./helpers/dashboard.ts";
import { fixture, storedKeys, upload } from "./helpers/photos.ts";
import { startLocalS3 } from "./helpers/s3.ts";

async function roundTrip(storage: PhotoStorage) {
  const id = crypto.randomUUID();
  const a = `${id}/0123456789abcdef-480.webp`;
  const b = `${id}/fedcba9876543210-480.jpg`;
  const body = crypto.getRandomValues(new Uint8Array(4096));
  await storage.put(a, body, "image/webp");
  await storage.put(b, body.slice(0, 10), "image/jpeg");
  const got = await storage.get(a);
  assert.ok(got);
  assert.equal(got.contentType, "image/webp");
  assert.deepEqual(got.body, body);
  assert.equal((await storage.get(b))?.contentType, "image/jpeg");
  assert.equal(await storage.get(`${id}/0000000000000000-1.jpg`), null);
  await storage.delete([a, b, `${id}/missing-1.jpg`]);
  assert.equal(await storage.get(a), null);
  assert.equal(await storage.get(b), null);
}

Deno.test("photo storage - the database back end keeps, returns and deletes files", async () => {
  const testDb = await createTestDb();
  try {
    await roundTrip(databaseStorage(testDb.db));
  } finally {
    await testDb.close();
  }
});

Deno.test("photo storage - an S3-compatible server (s3rver) keeps, returns and deletes files through the S3 API", async () => {
  const s3 = await startLocalS3();
  try {
    const config = loadConfig({ APP_ENV: "test", ...s3.env }).photos;
    assert.equal(config.kind, "s3");
    const storage = s3Storage(config as Extract<typeof config, { kind: "s3" }>);
    await roundTrip(storage);
    // Objects are written with the immutable caching a CDN in front will pass on.
    await storage.put("x/0123456789abcdef-1.jpg", new Uint8Array([1]), "image/jpeg");
    const res = await s3.client.fetch(`${s3.endpoint}/${s3.bucket}/x/0123456789abcdef-1.jpg`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("cache-control"), "public, max-age=31536000, immutable");
    await res.body?.cancel();
  } finally {
    await s3.close();
  }
});

Deno.test("photo storage - S3 settings are all-or-nothing and refused with the missing one named", () => {
  assert.equal(loadConfig({ APP_ENV: "test" }).photos.kind, "database");
  assert.throws(
    () => loadConfig({ APP_ENV: "test", S3_BUCKET: "b", S3_ENDPOINT: "http://127.0.0.1:9" }),
    /S3_ACCESS_KEY_ID is required when S3_BUCKET is set/,
  );
});

Deno.test("photos - with S3 configured, an upload stores every size in the bucket (none in the database), the site serves them, and deleting removes them all", async () => {
  const s3 = await startLocalS3();
  const t = await makeTestApp(s3.env);
  try {
    const w = await makeWorld(t);
    const base = `/dashboard/${w.salon.slug}`;
    const res = await upload(t, `${base}/photos`, w.jars.manager, [
      { name: "front.jpg", bytes: fixture("gps_rotated.jpg") },
      { name: "chair.heic", bytes: fixture("iphone.heic"), type: "image/heic" },
    ]);
    assert.equal(res.status, 303);
    const keys = await storedKeys(t);
    assert.ok(keys.length >= 4);
    const [{ n }] = await t.db.query<{ n: number }>("SELECT count(*)::int AS n FROM photo_files");
    assert.equal(n, 0);
    for (const key of keys) {
      const object = await s3.object(key);
      assert.equal(object.status, 200, key);
      assert.equal(object.type, key.endsWith(".webp") ? "image/webp" : "image/jpeg");
      const served = await get(t, `/photos/${key}`);
      assert.equal(served.status, 200);
      assert.deepEqual(new Uint8Array(await served.arrayBuffer()), object.bytes);
    }
    const [first] = await t.db.query<{ id: string }>(
      "SELECT id FROM photos ORDER BY position LIMIT 1",
    );
    const removed = await post(t, `${base}/photos`, w.jars.manager, {
      intent: "delete",
      photo_id: first.id,
    });
    assert.equal(removed.status, 303);
    for (const key of keys) {
      const expected = key.startsWith(`${first.id}/`) ? 404 : 200;
      assert.equal((await s3.object(key)).status, expected, key);
    }
  } finally {
    await t.close();
    await s3.close();
  }
});

Deno.test("photos - with a public bucket URL, pages load photos from it and the CSP allows its origin", async () => {
  const testDb = await createTestDb();
  try {
    const config = loadConfig({
      APP_ENV: "test",
      S3_BUCKET: "b",
      S3_ENDPOINT: "http://127.0.0.1:9",
      S3_ACCESS_KEY_ID: "k",
      S3_SECRET_ACCESS_KEY: "s",
      PHOTOS_PUBLIC_URL: "https://cdn.example.com/photos/",
    });
    const storage = createPhotoStorage(config.photos, testDb.db);
    assert.equal(storage.url("a/b-1.jpg"), "https://cdn.example.com/photos/a/b-1.jpg");
    assert.equal(storage.origin, "https://cdn.example.com");
    const t = await makeTestApp({}, { photos: storage });
    try {
      const res = await get(t, "/healthz");
      assert.match(
        res.headers.get("content-security-policy")!,
        /img-src 'self' data: https:\/\/cdn\.example\.com;/,
      );
      await res.body?.cancel();
    } finally {
      await t.close();
    }
  } finally {
    await testDb.close();
  }
});
