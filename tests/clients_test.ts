import assert from "node:assert/strict";
import type { SessionUser } from "@/services/auth/users.ts";
import { createClient } from "@/services/clients/mod.ts";
import type { DashboardActor } from "@/services/dashboard/access.ts";
import { deleteAccount, exportPersonalData } from "@/services/privacy/mod.ts";
import { makeTestApp, type TestApp } from "./helpers/app.ts";
import { auditCount, book, get, makeWorld, post, type World } from "./helpers/dashboard.ts";

async function withWorld(fn: (t: TestApp, w: World, base: string) => Promise<void>) {
  const t = await makeTestApp();
  try {
    const w = await makeWorld(t);
    await fn(t, w, `/dashboard/${w.salon.slug}`);
  } finally {
    await t.close();
  }
}

async function actorOf(t: TestApp, userId: string): Promise<DashboardActor> {
  const [user] = await t.db.query<SessionUser>("SELECT * FROM users WHERE id = $1", [userId]);
  return { user, now: t.clock.now() };
}

const clientsOf = (t: TestApp, salonId: string, phone: string) =>
  t.db.query<{ id: string; name: string }>(
    "SELECT id, name FROM salon_clients WHERE salon_id = $1 AND phone_e164 = $2",
    [salonId, phone],
  );

Deno.test("clients - a walk-in entered twice (two spellings of one number) is one client", async () => {
  await withWorld(async (t, w, base) => {
    const first = await post(t, `${base}/clients`, w.jars.manager, {
      intent: "create",
      phone: "0559998877",
      name: "Sara",
    });
    assert.equal(first.status, 303);
    const second = await post(t, `${base}/clients`, w.jars.staff, {
      intent: "create",
      phone: "+966 55 999 8877",
      name: "Sarah A.",
    });
    assert.equal(second.status, 303);
    assert.equal(second.headers.get("location"), first.headers.get("location"));
    const rows = await clientsOf(t, w.salon.id, "+966559998877");
    assert.deepEqual(rows.map((r) => r.name), ["Sara"]);
    assert.equal(await auditCount(t, "client.create"), 1);
    const list = await get(t, `${base}/clients?q=0559998`, w.jars.staff);
    assert.equal(list.status, 200);
    assert.match(await list.text(), /\+966559998877/);
    const byName = await get(t, `${base}/clients?q=sar`, w.jars.manager);
    assert.match(await byName.text(), /Sara/);
    // The new-booking form's phone field asks as the front desk types.
    const json = await get(
      t,
      `${base}/clients.json?q=${encodeURIComponent("٠٥٥٩٩٩")}`,
      w.jars.manager,
    );
    assert.equal(json.status, 200);
    assert.match(json.headers.get("content-type") ?? "", /application\/json/);
    const body = await json.json() as { clients: { phone: string; name: string }[] };
    assert.deepEqual(body.clients.map((c) => [c.phone, c.name]), [["+966559998877", "Sara"]]);
    assert.equal((await get(t, `${base}/clients.json?q=0559`, w.jars.otherManager)).status, 404);
    const form = await get(t, `${base}/bookings/new?service=${w.service.id}`, w.jars.manager);
    assert.equal(form.status, 200);
    assert.match(await form.text(), /list="f-phone-clients"/);
  });
});

Deno.test("clients - two concurrent walk-in creations with one phone: one account, one client", async () => {
  await withWorld(async (t, w) => {
    const actor = await actorOf(t, w.users.manager);
    const results = await Promise.all(
      [0, 1, 2, 3].map((i) =>
        createClient(t.db, actor, w.salon.id, { phone: "+966551112233", name: `Walk-in ${i}` })
      ),
    );
    assert.equal(new Set(results.map((r) => r.client.id)).size, 1);
    assert.equal(results.filter((r) => r.created).length, 1);
    assert.equal((await clientsOf(t, w.salon.id, "+966551112233")).length, 1);
    const [{ n }] = await t.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM users WHERE phone_number = '+966551112233'",
    );
    assert.equal(n, 1);
    // The database itself refuses a second row for the number.
    await assert.rejects(() =>
      t.db.query(
        `INSERT INTO salon_clients (salon_id, user_id, phone_e164, created_at, updated_at)
         SELECT $1, id, '+966551112233', now(), now() FROM users WHERE id = $2`,
        [w.salon.id, w.users.customer],
      )
    );
  });
});

Deno.test("clients - a booking makes its customer a client; notes and tags are saved (audited), other salons get 404", async () => {
  await withWorld(async (t, w, base) => {
    await book(t, w, { start: "2026-11-24T07:00:00.000Z", staff: w.noura });
    const [client] = await t.db.query<{ id: string }>(
      "SELECT id FROM salon_clients WHERE salon_id = $1 AND user_id = $2",
      [w.salon.id, w.users.customer],
    );
    assert.ok(client, "the customer who booked is a client");
    const url = `${base}/clients/${client.id}`;
    const saved = await post(t, url, w.jars.staff, {
      intent: "save",
      name: "Huda",
      notes: "Allergic to PPD hair dye; prefers Noura",
      tags: "VIP, sensitive skin, vip",
    });
    assert.equal(saved.status, 303);
    const [row] = await t.db.query<{ notes: string; tags: string[] }>(
      "SELECT notes, tags FROM salon_clients WHERE id = $1",
      [client.id],
    );
    assert.deepEqual(row.tags, ["VIP", "sensitive skin"]);
    assert.match(row.notes, /PPD/);
    assert.equal(await auditCount(t, "client.update"), 1);
    const page = await get(t, url, w.jars.manager);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /Allergic to PPD/);

    for (const who of ["otherManager", "otherStaff"] as const) {
      assert.equal((await get(t, url, w.jars[who])).status, 404, who);
      const res = await post(t, url, w.jars[who], {
        intent: "save",
        name: "x",
        notes: "",
        tags: "",
      });
      assert.equal(res.status, 404, who);
    }
    assert.equal((await get(t, url, w.jars.customer)).status, 404);
    const [after] = await t.db.query<{ name: string }>(
      "SELECT name FROM salon_clients WHERE id = $1",
      [client.id],
    );
    assert.equal(after.name, "Huda");
  });
});

Deno.test("clients - notes are in the customer's privacy export and deleted with their account", async () => {
  await withWorld(async (t, w, base) => {
    await book(t, w, { start: "2026-11-24T07:00:00.000Z", staff: w.noura });
    const [client] = await t.db.query<{ id: string }>(
      "SELECT id FROM salon_clients WHERE salon_id = $1 AND user_id = $2",
      [w.salon.id, w.users.customer],
    );
    await post(t, `${base}/clients/${client.id}`, w.jars.manager, {
      intent: "save",
      name: "Huda",
      notes: "Formula 6.1 + 20 vol",
      tags: "VIP",
    });
    const data = await exportPersonalData(t.db, w.users.customer, t.clock.now());
    assert.equal(data.salon_client_records.length, 1);
    assert.equal(data.salon_client_records[0].notes, "Formula 6.1 + 20 vol");
    assert.deepEqual(data.salon_client_records[0].tags, ["VIP"]);
    await deleteAccount(t.db, w.users.customer, t.clock.now());
    const left = await t.db.query("SELECT 1 FROM salon_clients WHERE user_id = $1", [
      w.users.customer,
    ]);
    assert.equal(left.length, 0);
    const audit = await t.db.query<{ after: string }>(
      "SELECT after::text FROM audit_log WHERE action = 'client.update'",
    );
    assert.ok(audit.every((a) => !a.after.includes("Formula")), "no note text in the audit log");
  });
});
