import assert from "node:assert/strict";
import { makeTestApp, type TestApp } from "./helpers/app.ts";
import { auditCount, get, makeWorld, post, type World } from "./helpers/dashboard.ts";
import { fixture, storedKeys, upload } from "./helpers/photos.ts";

async function withWorld(fn: (t: TestApp, w: World, base: string) => Promise<void>) {
  const t = await makeTestApp();
  try {
    const w = await makeWorld(t);
    await fn(t, w, `/dashboard/${w.salon.slug}`);
  } finally {
    await t.close();
  }
}

const small = (n: number) =>
  Array.from({ length: n }, (_, i) => ({
    name: `p${i}.png`,
    bytes: fixture("alpha.png"),
    type: "image/png",
  }));

async function gallery(t: TestApp): Promise<{ id: string; position: number; alt_en: string }[]> {
  return await t.db.query(
    "SELECT id, position, alt_en FROM photos WHERE kind = 'salon' ORDER BY position",
  );
}

Deno.test("photos - the gallery is ordered: make cover, move earlier and later, alt text in both languages, all audited", async () => {
  await withWorld(async (t, w, base) => {
    assert.equal((await upload(t, `${base}/photos`, w.jars.manager, small(3))).status, 303);
    const [a, b, c] = await gallery(t);
    const act = (fields: Record<string, string>) =>
      post(t, `${base}/photos`, w.jars.manager, fields);

    assert.equal((await act({ intent: "move", photo_id: c.id, move: "first" })).status, 303);
    assert.deepEqual((await gallery(t)).map((p) => p.id), [c.id, a.id, b.id]);
    assert.equal((await act({ intent: "move", photo_id: a.id, move: "down" })).status, 303);
    assert.deepEqual((await gallery(t)).map((p) => p.id), [c.id, b.id, a.id]);
    assert.equal((await act({ intent: "move", photo_id: b.id, move: "up" })).status, 303);
    assert.deepEqual((await gallery(t)).map((p) => [p.id, p.position]), [
      [b.id, 0],
      [c.id, 1],
      [a.id, 2],
    ]);
    assert.equal(await auditCount(t, "photo.reorder"), 3);

    const alt = await act({
      intent: "alt",
      photo_id: b.id,
      alt_ar: "واجهة الصالون",
      alt_en: "The salon's front",
    });
    assert.equal(alt.status, 303);
    const [row] = await t.db.query<{ alt_ar: string; alt_en: string }>(
      "SELECT alt_ar, alt_en FROM photos WHERE id = $1",
      [b.id],
    );
    assert.deepEqual(row, { alt_ar: "واجهة الصالون", alt_en: "The salon's front" });
    assert.equal(await auditCount(t, "photo.update"), 1);
    const tooLong = await act({
      intent: "alt",
      photo_id: b.id,
      alt_ar: "",
      alt_en: "x".repeat(251),
    });
    assert.equal(tooLong.status, 400);

    // Another salon's manager cannot touch them, not even through their own dashboard.
    const other = await post(t, `/dashboard/${w.other.slug}/photos`, w.jars.otherManager, {
      intent: "move",
      photo_id: a.id,
      move: "first",
    });
    assert.equal(other.status, 404);
    const staff = await post(t, `${base}/photos`, w.jars.staff, {
      intent: "delete",
      photo_id: a.id,
    });
    assert.equal(staff.status, 403);
    assert.equal((await gallery(t)).length, 3);
  });
});

Deno.test("photos - deleting a photo deletes every stored size of it; the others stay", async () => {
  await withWorld(async (t, w, base) => {
    assert.equal((await upload(t, `${base}/photos`, w.jars.manager, small(2))).status, 303);
    const [first, second] = await gallery(t);
    const keysOf = async (id: string) =>
      (await storedKeys(t)).filter((k) => k.startsWith(`${id}/`));
    const gone = await keysOf(first.id);
    assert.ok(gone.length >= 2);
    const res = await post(t, `${base}/photos`, w.jars.manager, {
      intent: "delete",
      photo_id: first.id,
    });
    assert.equal(res.status, 303);
    assert.equal(res.headers.get("location"), `${base}/photos?notice=photoDeleted`);
    for (const key of gone) assert.equal((await get(t, `/photos/${key}`)).status, 404, key);
    const [{ n }] = await t.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM photo_files WHERE key LIKE $1",
      [`${first.id}/%`],
    );
    assert.equal(n, 0);
    const kept = await keysOf(second.id);
    for (const key of kept) assert.equal((await get(t, `/photos/${key}`)).status, 200, key);
    // The remaining photo is now the cover.
    assert.deepEqual((await gallery(t)).map((p) => [p.id, p.position]), [[second.id, 0]]);
    assert.equal(await auditCount(t, "photo.delete"), 1);
  });
});

Deno.test("photos - lists are bounded: a portfolio holds 12, a portrait is replaced (old files deleted), a service has one photo", async () => {
  await withWorld(async (t, w, base) => {
    const staffPage = `${base}/staff/${w.noura.id}/photos`;
    const portfolio = await upload(t, staffPage, w.jars.manager, small(12), { kind: "portfolio" });
    assert.equal(portfolio.status, 303);
    const more = await upload(t, `${staffPage}?lang=en`, w.jars.manager, small(1), {
      kind: "portfolio",
    });
    assert.equal(more.status, 400);
    assert.match(await more.text(), /more photos than this list holds/);

    assert.equal(
      (await upload(t, staffPage, w.jars.manager, small(1), { kind: "portrait" })).status,
      303,
    );
    const [old] = await t.db.query<{ id: string }>("SELECT id FROM photos WHERE kind = 'portrait'");
    const oldKeys = (await storedKeys(t)).filter((k) => k.startsWith(`${old.id}/`));
    const again = await upload(t, staffPage, w.jars.manager, [
      { name: "me.heic", bytes: fixture("iphone.heic"), type: "image/heic" },
    ], { kind: "portrait" });
    assert.equal(again.status, 303);
    const portraits = await t.db.query<{ id: string; width: number }>(
      "SELECT id, width FROM photos WHERE kind = 'portrait' AND staff_id = $1",
      [w.noura.id],
    );
    assert.equal(portraits.length, 1);
    assert.notEqual(portraits[0].id, old.id);
    assert.equal(portraits[0].width, 640);
    for (const key of oldKeys) assert.equal((await get(t, `/photos/${key}`)).status, 404, key);
    const two = await upload(t, staffPage, w.jars.manager, small(2), { kind: "portrait" });
    assert.equal(two.status, 400);

    const servicePage = `${base}/services/${w.service.id}/photo`;
    assert.equal((await upload(t, servicePage, w.jars.manager, small(1))).status, 303);
    assert.equal((await upload(t, servicePage, w.jars.manager, small(1))).status, 303);
    const services = await t.db.query("SELECT 1 FROM photos WHERE kind = 'service'");
    assert.equal(services.length, 1);

    // Another salon's staff member or service is not found from this salon's dashboard.
    const foreign = await upload(
      t,
      `/dashboard/${w.other.slug}/staff/${w.noura.id}/photos`,
      w.jars.otherManager,
      small(1),
      { kind: "portrait" },
    );
    assert.equal(foreign.status, 404);
  });
});

Deno.test("photos - a platform admin takes a photo down with a reason; a manager cannot; the audit log keeps both kinds of removal", async () => {
  await withWorld(async (t, w, base) => {
    assert.equal((await upload(t, `${base}/photos`, w.jars.manager, small(2))).status, 303);
    const [first, second] = await gallery(t);
    const byManager = await post(t, `${base}/photos`, w.jars.manager, {
      intent: "takedown",
      photo_id: first.id,
      reason: "mine",
    });
    assert.equal(byManager.status, 403);
    assert.equal((await gallery(t)).length, 2);

    const adminPage = await get(t, `${base}/photos`, w.jars.admin);
    assert.match(await adminPage.text(), /name="intent" value="takedown"/);
    const noReason = await post(t, `${base}/photos`, w.jars.admin, {
      intent: "takedown",
      photo_id: first.id,
      reason: " ",
    });
    assert.equal(noReason.status, 400);
    const res = await post(t, `${base}/photos`, w.jars.admin, {
      intent: "takedown",
      photo_id: first.id,
      reason: "Shows a customer's face without consent",
    });
    assert.equal(res.status, 303);
    assert.deepEqual((await gallery(t)).map((p) => p.id), [second.id]);
    const [entry] = await t.db.query<{ actor_role: string; before: { reason: string } }>(
      "SELECT actor_role, before FROM audit_log WHERE action = 'photo.takedown'",
    );
    assert.equal(entry.actor_role, "admin");
    assert.equal(entry.before.reason, "Shows a customer's face without consent");
    const audit = await get(t, `${base}/audit?lang=en&action=photo`, w.jars.manager);
    const html = await audit.text();
    assert.match(html, /Photo taken down by the platform/);
    assert.match(html, /Photo uploaded/);
  });
});

Deno.test("photos - only the upload routes take large bodies; other posts keep the 64 KB limit", async () => {
  await withWorld(async (t, w, base) => {
    const padding = "x".repeat(200 * 1024);
    const settings = await post(t, `${base}/settings`, w.jars.manager, {
      intent: "general",
      padding,
    });
    assert.equal(settings.status, 413);
    const photos = await upload(t, `${base}/photos`, w.jars.manager, small(1), { padding });
    assert.equal(photos.status, 303);
  });
});

Deno.test("photos - /admin/photos lists the newest photos of every salon; an admin takes one down from there, nobody else can", async () => {
  await withWorld(async (t, w, base) => {
    assert.equal((await upload(t, `${base}/photos`, w.jars.manager, small(1))).status, 303);
    assert.equal(
      (await upload(t, `/dashboard/${w.other.slug}/photos`, w.jars.otherManager, small(1))).status,
      303,
    );
    const [mine] = await t.db.query<{ id: string }>("SELECT id FROM photos WHERE salon_id = $1", [
      w.salon.id,
    ]);
    const page = await get(t, "/admin/photos?lang=en", w.jars.admin);
    assert.equal(page.status, 200);
    const html = await page.text();
    assert.equal((html.match(/data-photo="/g) ?? []).length, 2);
    assert.match(html, /Lamsa Salon/);
    assert.match(html, /Other Salon/);
    for (const who of ["manager", "otherManager", "staff", "customer"] as const) {
      assert.equal((await get(t, "/admin/photos", w.jars[who])).status, 403, who);
      const res = await post(t, "/admin/photos", w.jars[who], {
        intent: "takedown",
        photo_id: mine.id,
        reason: "x",
      });
      assert.equal(res.status, 403, who);
    }
    const res = await post(t, "/admin/photos", w.jars.admin, {
      intent: "takedown",
      photo_id: mine.id,
      reason: "Copyrighted",
    });
    assert.equal(res.status, 303);
    assert.equal(res.headers.get("location"), "/admin/photos?notice=takenDown");
    assert.deepEqual((await gallery(t)).map((p) => p.id).filter((id) => id === mine.id), []);
    assert.equal((await gallery(t)).length, 1, "the other salon's photo stays");
    const [entry] = await t.db.query<{ salon_id: string; before: { reason: string } }>(
      "SELECT salon_id, before FROM audit_log WHERE action = 'photo.takedown'",
    );
    assert.equal(entry.salon_id, w.salon.id);
    assert.equal(entry.before.reason, "Copyrighted");
  });
});
