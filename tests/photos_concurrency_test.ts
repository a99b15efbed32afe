import assert from "node:assert/strict";
import { makeTestApp } from "./helpers/app.ts";
import { makeWorld } from "./helpers/dashboard.ts";
import { testBackend } from "./helpers/db.ts";
import { fixture, storedKeys, upload } from "./helpers/photos.ts";

Deno.test(`photos (${testBackend()}) - two instances uploading to one portfolio at once: the limit holds, the refused upload leaves no files behind`, async () => {
  const t = await makeTestApp();
  try {
    const w = await makeWorld(t);
    const path = `/dashboard/${w.salon.slug}/staff/${w.noura.id}/photos`;
    const seven = Array.from({ length: 7 }, (_, i) => ({
      name: `p${i}.png`,
      bytes: fixture("alpha.png"),
      type: "image/png",
    }));
    const second = { ...t, app: t.secondInstance() };
    // Both pass the early count (the portfolio is empty); the salon lock decides.
    const results = await Promise.all([
      upload(t, path, w.jars.manager, seven, { kind: "portfolio" }),
      upload(second, path, w.jars.manager, seven, { kind: "portfolio" }),
    ]);
    assert.deepEqual(results.map((r) => r.status).sort(), [303, 400]);
    await Promise.all(results.map((r) => r.body?.cancel()));
    const rows = await t.db.query<{ position: number }>(
      "SELECT position FROM photos WHERE staff_id = $1 AND kind = 'portfolio' ORDER BY position",
      [w.noura.id],
    );
    assert.deepEqual(rows.map((r) => r.position), [0, 1, 2, 3, 4, 5, 6]);
    const [{ n }] = await t.db.query<{ n: number }>("SELECT count(*)::int AS n FROM photo_files");
    assert.equal(n, (await storedKeys(t)).length, "only the listed photos' files are stored");
  } finally {
    await t.close();
  }
});
