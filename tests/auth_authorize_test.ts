/** Who may act on a salon: platform admins, and managers/staff through salon_memberships. */
import assert from "node:assert/strict";
import {
  assertManagerOf,
  assertSignedIn,
  assertStaffOf,
  salonRoleOf,
} from "@/services/auth/authorize.ts";
import { getUser, roleOf, type SessionUser } from "@/services/auth/users.ts";
import { AppError } from "@/services/errors.ts";
import { makeTestApp } from "./helpers/app.ts";
import { testBackend } from "./helpers/db.ts";
import { makeSalon } from "./helpers/factories.ts";
import { ACCEPT_PRIVACY, makeUser } from "./helpers/auth.ts";

const status = (err: unknown) => (err instanceof AppError ? err.status : err);

Deno.test(`authorize (${testBackend()}) - managers, staff, customers and admins per salon`, async (s) => {
  const t = await makeTestApp();
  try {
    const a = await makeSalon(t.db);
    const b = await makeSalon(t.db);
    const person = async (phone: string, isAdmin = false): Promise<SessionUser> => {
      const user = (await getUser(t.db, await makeUser(t.db, { phone, isAdmin })))!;
      return { ...user, role: roleOf(user), sessionId: crypto.randomUUID(), via: "bearer" };
    };
    const manager = await person("+966500000001");
    const staff = await person("+966500000002");
    const customer = await person("+966500000003");
    const admin = await person("+966500000004", true);
    await t.db.query(
      `INSERT INTO salon_memberships (user_id, salon_id, role)
       VALUES ($1, $3, 'manager'), ($2, $3, 'staff')`,
      [manager.id, staff.id, a.id],
    );
    const outcome = async (check: Promise<void>) => await check.then(() => "ok", status);

    await s.step("manager of A: manages and staffs A, nothing at B", async () => {
      assert.equal(await outcome(assertManagerOf(t.db, manager, a.id)), "ok");
      assert.equal(await outcome(assertStaffOf(t.db, manager, a.id)), "ok");
      assert.equal(await outcome(assertManagerOf(t.db, manager, b.id)), 403);
      assert.equal(await outcome(assertStaffOf(t.db, manager, b.id)), 403);
      assert.equal(await salonRoleOf(t.db, manager.id, a.id), "manager");
    });
    await s.step("staff of A: staff, not manager", async () => {
      assert.equal(await outcome(assertStaffOf(t.db, staff, a.id)), "ok");
      assert.equal(await outcome(assertManagerOf(t.db, staff, a.id)), 403);
    });
    await s.step("a customer: neither", async () => {
      assert.equal(await outcome(assertStaffOf(t.db, customer, a.id)), 403);
      assert.equal(await outcome(assertManagerOf(t.db, customer, a.id)), 403);
    });
    await s.step("a platform admin: both, anywhere", async () => {
      assert.equal(await outcome(assertManagerOf(t.db, admin, b.id)), "ok");
      assert.equal(await outcome(assertStaffOf(t.db, admin, b.id)), "ok");
    });
    await s.step("a malformed salon id is a 403, not a database error", async () => {
      assert.equal(await outcome(assertManagerOf(t.db, manager, "not-a-uuid")), 403);
    });
    await s.step("GET /api/auth/me/ lists the salons and roles", async () => {
      const staffPhone = staff.phoneNumber;
      const req = await t.app.request("/api/auth/phone/request/", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ phone_number: staffPhone, channel: "sms", ...ACCEPT_PRIVACY }),
      });
      const { request_id } = await req.json();
      const verify = await t.app.request("/api/auth/phone/verify/", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ request_id, code: t.otpMessages.at(-1)!.code }),
      });
      const { access } = await verify.json();
      const me = await t.app.request("/api/auth/me/", {
        headers: { authorization: `Bearer ${access}` },
      });
      assert.deepEqual((await me.json()).salons, [{ salon_id: a.id, role: "staff" }]);
    });
    await s.step("assertSignedIn: 401 when signed out, narrows when signed in", () => {
      const out: { user: SessionUser | null } = { user: null };
      assert.throws(() => assertSignedIn(out), (e: unknown) => status(e) === 401);
      const state: { user: SessionUser | null } = { user: customer };
      assertSignedIn(state);
      const id: string = state.user.id; // compiles only because the state was narrowed
      assert.equal(id, customer.id);
    });
  } finally {
    await t.close();
  }
});
