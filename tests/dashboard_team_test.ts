import assert from "node:assert/strict";
import { renderMessage } from "@/services/messages/templates.ts";
import { makeTestApp, type TestApp } from "./helpers/app.ts";
import { browserLogin } from "./helpers/auth.ts";
import { auditCount, get, makeWorld, post, type World } from "./helpers/dashboard.ts";

async function withWorld(fn: (t: TestApp, w: World, base: string) => Promise<void>) {
  const t = await makeTestApp();
  try {
    const w = await makeWorld(t);
    await fn(t, w, `/dashboard/${w.salon.slug}`);
  } finally {
    await t.close();
  }
}

Deno.test("dashboard team - invite by phone: account, membership, staff link, an SMS to log in; they see their own calendar", async () => {
  await withWorld(async (t, w, base) => {
    const res = await post(t, `${base}/team`, w.jars.manager, {
      intent: "invite",
      phone: "0557771111",
      role: "staff",
      staff_id: w.reem.id,
      first_name: "Reem",
      language: "en",
    });
    assert.equal(res.status, 303);
    assert.equal(res.headers.get("location"), `${base}/team?notice=invited`);
    const [user] = await t.db.query<{ id: string; first_name: string; is_phone_verified: boolean }>(
      "SELECT id, first_name, is_phone_verified FROM users WHERE phone_number = '+966557771111'",
    );
    assert.deepEqual([user.first_name, user.is_phone_verified], ["Reem", false]);
    const [link] = await t.db.query<{ user_id: string }>(
      "SELECT user_id FROM staff WHERE id = $1",
      [w.reem.id],
    );
    assert.equal(link.user_id, user.id);
    const [message] = await t.db.query<{
      template: string;
      channel: string;
      recipient_role: string;
      locale: string;
      params: Record<string, string>;
    }>(
      "SELECT template, channel, recipient_role, locale, params FROM messages WHERE recipient_user_id = $1",
      [user.id],
    );
    assert.deepEqual(
      [message.template, message.channel, message.recipient_role, message.locale],
      ["msg.team.invitedStaff", "sms", "staff", "en"],
    );
    assert.equal(
      renderMessage("msg.team.invitedStaff", message.params as never, "en", "https://salon.sa"),
      "Lamsa Salon: you have joined the team on Salon. Log in with this number to see your bookings: https://salon.sa/dashboard",
    );
    const [audit] = await t.db.query<{ action: string; after: Record<string, unknown> }>(
      "SELECT action, after FROM audit_log WHERE action = 'team.invite'",
    );
    assert.deepEqual(audit.after, {
      user_id: user.id,
      phone_number: "+966557771111",
      role: "staff",
      staff_id: w.reem.id,
    });

    // They log in with the normal code flow and land in the salon's dashboard.
    const jar = await browserLogin(t, "0557771111");
    const index = await get(t, "/dashboard", jar);
    assert.equal(index.status, 303);
    assert.equal(index.headers.get("location"), `${base}/agenda`);
    const calendar = await (await get(t, `${base}/calendar?lang=en`, jar)).text();
    assert.deepEqual(
      [...calendar.matchAll(/data-staff="([^"]+)"/g)].map((m) => m[1]),
      [w.reem.id],
      "only Reem's column",
    );
    assert.equal((await get(t, `${base}/settings`, jar)).status, 403);
  });
});

Deno.test("dashboard team - inviting again changes the role, the same access is a 409, a staff row can have one owner", async () => {
  await withWorld(async (t, w, base) => {
    const again = await post(t, `${base}/team?lang=en`, w.jars.manager, {
      intent: "invite",
      phone: "0551000002",
      role: "staff",
      staff_id: w.noura.id,
    });
    assert.equal(again.status, 409);
    assert.match(await again.text(), /already has exactly this access/);

    const taken = await post(t, `${base}/team?lang=en`, w.jars.manager, {
      intent: "invite",
      phone: "0557772222",
      role: "staff",
      staff_id: w.noura.id,
    });
    assert.equal(taken.status, 400);
    assert.match(await taken.text(), /That staff profile belongs to someone else/);

    const promote = await post(t, `${base}/team`, w.jars.manager, {
      intent: "invite",
      phone: "0551000002",
      role: "manager",
      staff_id: w.noura.id,
    });
    assert.equal(promote.headers.get("location"), `${base}/team?notice=updated`);
    const [m] = await t.db.query<{ role: string }>(
      "SELECT role FROM salon_memberships WHERE user_id = $1 AND salon_id = $2",
      [w.users.staff, w.salon.id],
    );
    assert.equal(m.role, "manager");
    assert.equal((await get(t, `${base}/settings`, w.jars.staff)).status, 200, "effective at once");
    assert.equal(await auditCount(t, "team.update"), 1);
    const sms = await t.db.query("SELECT 1 FROM messages WHERE recipient_user_id = $1", [
      w.users.staff,
    ]);
    assert.equal(sms.length, 0, "no invitation text for a role change");
  });
});

Deno.test("dashboard team - removing access works at once, unlinks the staff row, and never removes the last manager", async () => {
  await withWorld(async (t, w, base) => {
    const removed = await post(t, `${base}/team`, w.jars.manager, {
      intent: "remove",
      user_id: w.users.staff,
    });
    assert.equal(removed.headers.get("location"), `${base}/team?notice=removed`);
    assert.equal((await get(t, `${base}/agenda`, w.jars.staff)).status, 404, "their next request");
    const [link] = await t.db.query<{ user_id: string | null }>(
      "SELECT user_id FROM staff WHERE id = $1",
      [w.noura.id],
    );
    assert.equal(link.user_id, null);

    const last = await post(t, `${base}/team?lang=ar`, w.jars.manager, {
      intent: "remove",
      user_id: w.users.manager,
    });
    assert.equal(last.status, 409);
    assert.ok((await last.text()).includes("يحتاج الصالون إلى مدير واحد على الأقل"));
    assert.equal((await get(t, `${base}/agenda`, w.jars.manager)).status, 200);

    // With a second manager, the first may leave.
    await post(t, `${base}/team`, w.jars.manager, {
      intent: "invite",
      phone: "0557773333",
      role: "manager",
    });
    const leave = await post(t, `${base}/team`, w.jars.manager, {
      intent: "remove",
      user_id: w.users.manager,
    });
    assert.equal(leave.status, 303);
    assert.equal((await get(t, `${base}/agenda`, w.jars.manager)).status, 404);
    const actions = (await t.db.query<{ action: string }>("SELECT action FROM audit_log")).map((
      r,
    ) => r.action).sort();
    assert.deepEqual(actions, ["team.invite", "team.remove", "team.remove"]);
  });
});

Deno.test("admin - a platform admin creates a salon with its first manager, who can run it", async () => {
  await withWorld(async (t, w) => {
    const body = {
      intent: "create",
      slug: "Noor-Jeddah",
      name_ar: "صالون نور",
      name_en: "Noor Salon",
      city: "jeddah",
      city_ar: "جدة",
      city_en: "Jeddah",
      timezone: "Asia/Riyadh",
      manager_phone: "0558889999",
    };
    const res = await post(t, "/admin", w.jars.admin, body);
    assert.equal(res.status, 303);
    assert.equal(res.headers.get("location"), "/admin?created=noor-jeddah");
    const [salon] = await t.db.query<{ id: string; active: boolean }>(
      "SELECT id, active FROM salons WHERE slug = 'noor-jeddah'",
    );
    const [member] = await t.db.query<{ role: string; phone_number: string }>(
      `SELECT m.role, u.phone_number FROM salon_memberships m JOIN users u ON u.id = m.user_id
       WHERE m.salon_id = $1`,
      [salon.id],
    );
    assert.deepEqual(member, { role: "manager", phone_number: "+966558889999" });
    const actions = await t.db.query<{ action: string; actor_role: string }>(
      "SELECT action, actor_role FROM audit_log WHERE salon_id = $1 ORDER BY action",
      [salon.id],
    );
    assert.deepEqual([...actions], [
      { action: "salon.create", actor_role: "admin" },
      { action: "team.invite", actor_role: "admin" },
    ]);
    const list = await (await get(t, "/admin?created=noor-jeddah&lang=en", w.jars.admin)).text();
    assert.ok(list.includes("The salon noor-jeddah is created"));
    assert.ok(list.includes("Noor Salon"));

    const dup = await post(t, "/admin?lang=en", w.jars.admin, {
      ...body,
      manager_phone: "0558880000",
    });
    assert.equal(dup.status, 400);
    assert.match(await dup.text(), /Another salon already uses this address/);
    const zone = await post(t, "/admin?lang=en", w.jars.admin, {
      ...body,
      slug: "x",
      timezone: "Mars/Base",
    });
    assert.equal(zone.status, 400);
    assert.match(await zone.text(), /Enter a time zone such as Asia\/Riyadh/);

    const jar = await browserLogin(t, "0558889999");
    assert.equal(
      (await get(t, "/dashboard", jar)).headers.get("location"),
      "/dashboard/noor-jeddah/agenda",
    );
    assert.equal((await get(t, "/dashboard/noor-jeddah/settings", jar)).status, 200);
  });
});
