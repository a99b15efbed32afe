/**
 * Booking integrity under contention: many customers racing for one time (one app instance and
 * two on one database), "anyone" spreading over exactly the free staff, the exclusion constraint
 * refusing what the code might let through, idempotent retries, and the outbox rolling back with
 * a refused booking. Runs on PGlite (one connection, so requests interleave between statements)
 * and on a Postgres server with TEST_DATABASE_URL (real parallel transactions).
 */
import assert from "node:assert/strict";
import { DbError, PG_EXCLUSION_VIOLATION, type Queryable } from "@/db/types.ts";
import { translator } from "@/i18n/mod.ts";
import { createBooking, rescheduleBooking } from "@/services/bookings/mod.ts";
import { AppError } from "@/services/errors.ts";
import { makeTestApp, type TestApp } from "./helpers/app.ts";
import { makeCustomers } from "./helpers/customers.ts";
import { postJson } from "./helpers/auth.ts";
import { testBackend } from "./helpers/db.ts";
import { makeBooking, makeSalon, makeService, makeStaff } from "./helpers/factories.ts";

type App = TestApp["app"];

// The test clock starts at 2026-11-21T09:00Z (12:00 in Riyadh); the next day is wide open.
const TOMORROW_10 = "2026-11-22T07:00:00.000Z"; // 10:00 Riyadh
const SLOT_TAKEN_EN = translator("en")("booking.slotTaken");

function book(app: App, token: string, key: string, body: Record<string, unknown>) {
  return postJson(app, "/api/bookings/", body, {
    authorization: `Bearer ${token}`,
    "idempotency-key": key,
    "accept-language": "en",
  });
}

async function count(db: Queryable, sql: string, params: unknown[] = []): Promise<number> {
  const [row] = await db.query<{ n: number }>(sql, params);
  return Number(row.n);
}

/** Status codes as a sorted tally, e.g. { 201: 1, 409: 49 }. */
function tally(statuses: number[]): Record<number, number> {
  const out: Record<number, number> = {};
  for (const s of statuses) out[s] = (out[s] ?? 0) + 1;
  return out;
}

async function oneStaffSalon(t: TestApp) {
  const salon = await makeSalon(t.db);
  const service = await makeService(t.db, salon, { price_halalas: 15000 });
  const staff = await makeStaff(t.db, salon, { services: [service.id] });
  return { salon, service, staff };
}

Deno.test("bookings - 50 parallel creates for one slot (50 customers, 50 keys, HTTP): one 201, 49 × 409", async () => {
  const t = await makeTestApp();
  try {
    const { salon, service, staff } = await oneStaffSalon(t);
    const people = await makeCustomers(t, 50);
    const body = { salon: salon.slug, service: service.id, staff: staff.id, start: TOMORROW_10 };

    const responses = await Promise.all(
      people.map((p, i) => book(t.app, p.access, `race-${i}`, body)),
    );
    const bodies = await Promise.all(responses.map((r) => r.json()));
    assert.deepEqual(tally(responses.map((r) => r.status)), { 201: 1, 409: 49 });
    for (const [i, r] of responses.entries()) {
      assert.match(r.headers.get("content-type") ?? "", /application\/json/);
      if (r.status === 409) assert.deepEqual(bodies[i], { detail: SLOT_TAKEN_EN });
    }

    const winner = bodies[responses.findIndex((r) => r.status === 201)].booking;
    assert.equal(winner.start, TOMORROW_10);
    assert.equal(winner.staff_id, staff.id);
    assert.equal(await count(t.db, "SELECT count(*) AS n FROM bookings"), 1);
    assert.equal(await count(t.db, "SELECT count(*) AS n FROM booking_events"), 1);
    assert.equal(
      await count(t.db, "SELECT count(*) AS n FROM idempotency_keys"),
      1,
      "the 49 refused requests left no idempotency key behind",
    );
  } finally {
    await t.close();
  }
});

Deno.test("bookings - 50 parallel creates for one slot split over two app instances on one database: one 201, 49 × 409", async () => {
  const t = await makeTestApp();
  try {
    const { salon, service, staff } = await oneStaffSalon(t);
    const apps = [t.app, t.secondInstance()];
    const people = await makeCustomers(t, 50);
    const body = { salon: salon.id, service: service.id, staff: staff.id, start: TOMORROW_10 };

    const responses = await Promise.all(
      people.map((p, i) => book(apps[i % 2], p.access, `two-${i}`, body)),
    );
    assert.deepEqual(tally(responses.map((r) => r.status)), { 201: 1, 409: 49 });
    const perInstance = [0, 1].map((k) =>
      responses.filter((r, i) => i % 2 === k && (r.status === 201 || r.status === 409)).length
    );
    assert.deepEqual(perInstance, [25, 25], "each instance answered its half");
    assert.equal(
      await count(
        t.db,
        "SELECT count(*) AS n FROM bookings WHERE status IN ('pending', 'confirmed')",
      ),
      1,
    );
  } finally {
    await t.close();
  }
});

Deno.test("bookings - 'anyone' under contention: 24 parallel requests, 3 eligible staff → 3 × 201 on 3 different staff, 21 × 409", async () => {
  const t = await makeTestApp();
  try {
    const salon = await makeSalon(t.db);
    const service = await makeService(t.db, salon, {
      duration_minutes: 45,
      buffer_after_minutes: 15,
    });
    const other = await makeService(t.db, salon);
    const eligible = [];
    for (let i = 0; i < 3; i++) {
      eligible.push(
        await makeStaff(t.db, salon, { services: [service.id, other.id], sort_order: i }),
      );
    }
    // Free at that time but not a performer of the service, and an inactive performer: neither
    // may be assigned.
    await makeStaff(t.db, salon, { services: [other.id] });
    await makeStaff(t.db, salon, { services: [service.id], active: false });
    const apps = [t.app, t.secondInstance()];
    const people = await makeCustomers(t, 24);
    const body = { salon: salon.slug, service: service.id, staff: "any", start: TOMORROW_10 };

    const responses = await Promise.all(
      people.map((p, i) => book(apps[i % 2], p.access, `any-${i}`, body)),
    );
    const bodies = await Promise.all(responses.map((r) => r.json()));
    assert.deepEqual(tally(responses.map((r) => r.status)), { 201: 3, 409: 21 });
    const assigned = bodies.filter((_, i) => responses[i].status === 201).map((b) =>
      b.booking.staff_id
    );
    assert.deepEqual(
      new Set(assigned),
      new Set(eligible.map((s) => s.id)),
      "one booking per eligible staff member",
    );
    for (const b of bodies.filter((_, i) => responses[i].status === 201)) {
      assert.equal(b.booking.start, TOMORROW_10);
    }
  } finally {
    await t.close();
  }
});

Deno.test("bookings - the exclusion constraint refuses an overlapping active booking inserted by plain SQL (23P01)", async (t) => {
  const app = await makeTestApp();
  const db = app.db;
  try {
    const salon = await makeSalon(db);
    const service = await makeService(db, salon, {
      duration_minutes: 60,
      buffer_after_minutes: 15,
    });
    const staff = await makeStaff(db, salon, { services: [service.id] });
    const colleague = await makeStaff(db, salon, { services: [service.id] });
    const at = (iso: string) => new Date(`2026-11-22T${iso}:00Z`);
    // 07:00–08:00 blocks 07:00–08:15 with its after-buffer.
    const base = await makeBooking(db, {
      service,
      staff,
      starts_at: at("07:00"),
      buffer_after_minutes: 15,
    });
    const refused = (err: unknown) => {
      assert.ok(err instanceof DbError, `expected a DbError, got ${err}`);
      assert.equal(err.code, PG_EXCLUSION_VIOLATION);
      assert.equal(err.constraint, "booking_items_no_overlap");
      return true;
    };

    await t.step(
      "overlapping the appointment → refused, for confirmed and pending alike",
      async () => {
        await assert.rejects(makeBooking(db, { service, staff, starts_at: at("07:30") }), refused);
        await assert.rejects(
          makeBooking(db, { service, staff, starts_at: at("06:30"), status: "pending" }),
          refused,
        );
      },
    );

    await t.step(
      "overlapping only the buffer → refused; touching the block → accepted",
      async () => {
        await assert.rejects(makeBooking(db, { service, staff, starts_at: at("08:00") }), refused);
        await assert.rejects(
          makeBooking(db, { service, staff, starts_at: at("08:30"), buffer_before_minutes: 20 }),
          refused,
          "the new booking's own before-buffer counts too",
        );
        await makeBooking(db, { service, staff, starts_at: at("08:15") });
        await makeBooking(db, { service, staff, starts_at: at("06:00") });
      },
    );

    await t.step("another staff member at the same time → accepted", async () => {
      await makeBooking(db, { service, staff: colleague, starts_at: at("07:00") });
    });

    await t.step("over a cancelled or expired booking → accepted", async () => {
      await db.query(
        "UPDATE bookings SET status = 'cancelled', cancelled_by = 'salon' WHERE id = $1",
        [base.id],
      );
      const again = await makeBooking(db, { service, staff, starts_at: at("07:00") });
      await db.query("UPDATE bookings SET status = 'expired' WHERE id = $1", [again.id]);
      await makeBooking(db, { service, staff, starts_at: at("07:10"), status: "pending" });
    });

    await t.step("re-activating an overlapped booking by UPDATE → refused", async () => {
      await assert.rejects(
        db.query("UPDATE bookings SET status = 'confirmed', cancelled_by = NULL WHERE id = $1", [
          base.id,
        ]),
        refused,
      );
      const [row] = await db.query<{ status: string }>(
        "SELECT status FROM bookings WHERE id = $1",
        [base.id],
      );
      assert.equal(row.status, "cancelled");
    });

    const overlaps = await count(
      db,
      `SELECT count(*) AS n FROM booking_items a JOIN booking_items b
         ON a.staff_id = b.staff_id AND a.id < b.id
        AND tstzrange(a.block_start, a.block_end) && tstzrange(b.block_start, b.block_end)
       WHERE a.blocking AND b.blocking`,
    );
    assert.equal(overlaps, 0);
  } finally {
    await app.close();
  }
});

Deno.test("bookings - idempotency: same key and body → same booking (200); other body → 422; 10 parallel same-key → one booking", async (t) => {
  const app = await makeTestApp();
  try {
    const { salon, service, staff } = await oneStaffSalon(app);
    const [alice] = await makeCustomers(app, 1);
    const body = { salon: salon.slug, service: service.id, staff: staff.id, start: TOMORROW_10 };

    let firstId = "";
    await t.step("replay with the same key and body → 200 and the same booking", async () => {
      const first = await book(app.app, alice.access, "same", body);
      assert.equal(first.status, 201);
      firstId = (await first.json()).booking.id;
      const replay = await book(app.app, alice.access, "same", body);
      assert.equal(replay.status, 200);
      assert.match(replay.headers.get("content-type") ?? "", /application\/json/);
      assert.equal((await replay.json()).booking.id, firstId);
      // Equivalent spellings of the same request are the same request.
      const sameInstant = await book(app.app, alice.access, "same", {
        ...body,
        start: "2026-11-22T10:00:00+03:00",
      });
      assert.equal(sameInstant.status, 200);
      assert.equal((await sameInstant.json()).booking.id, firstId);
    });

    await t.step("the same key with a different body → 422 and nothing new", async () => {
      const other = await book(app.app, alice.access, "same", {
        ...body,
        start: "2026-11-22T09:00:00Z",
      });
      assert.equal(other.status, 422);
      assert.deepEqual(await other.json(), {
        detail: translator("en")("booking.idempotencyMismatch"),
      });
      assert.equal(await count(app.db, "SELECT count(*) AS n FROM bookings"), 1);
    });

    await t.step(
      "one key sent 10 times in parallel → exactly one booking row; one 201, nine 200",
      async () => {
        const apps = [app.app, app.secondInstance()];
        const parallel = { ...body, start: "2026-11-22T12:00:00Z" };
        const responses = await Promise.all(
          Array.from({ length: 10 }, (_, i) => book(apps[i % 2], alice.access, "burst", parallel)),
        );
        const bodies = await Promise.all(responses.map((r) => r.json()));
        assert.deepEqual(tally(responses.map((r) => r.status)), { 200: 9, 201: 1 });
        assert.equal(new Set(bodies.map((b) => b.booking.id)).size, 1);
        assert.equal(
          await count(app.db, "SELECT count(*) AS n FROM bookings WHERE starts_at = $1", [
            parallel.start,
          ]),
          1,
        );
        assert.equal(await count(app.db, "SELECT count(*) AS n FROM bookings"), 2);
        assert.notEqual(bodies[0].booking.id, firstId);
      },
    );

    await t.step(
      "keys are per customer: another customer's same key books for them (409 here, slot taken)",
      async () => {
        const [bob] = await makeCustomers(app, 1);
        const res = await book(app.app, bob.access, "same", body);
        assert.equal(res.status, 409, "not a replay of Alice's booking");
      },
    );
  } finally {
    await app.close();
  }
});

Deno.test("bookings - messages are queued in the booking's transaction: a created booking has outbox rows, a 409 leaves none", async () => {
  const t = await makeTestApp();
  try {
    const { salon, service, staff } = await oneStaffSalon(t);
    const [alice, bob] = await makeCustomers(t, 2);
    const body = { salon: salon.slug, service: service.id, staff: staff.id, start: TOMORROW_10 };

    const created = await book(t.app, alice.access, "m1", body);
    assert.equal(created.status, 201);
    const { booking } = await created.json();
    const rows = await t.db.query<
      { recipient_role: string; recipient_user_id: string; kind: string; event: string }
    >(
      "SELECT recipient_role, recipient_user_id, kind, event FROM messages WHERE booking_id = $1",
      [booking.id],
    );
    const events = rows.filter((m) => m.kind === "event");
    assert.deepEqual(
      events.map((m) => [m.recipient_role, m.recipient_user_id, m.event]),
      [["customer", alice.id, "created"]],
    );
    assert.ok(rows.some((m) => m.kind === "reminder"), "its reminders were scheduled with it");

    const totals = async () => ({
      messages: await count(t.db, "SELECT count(*) AS n FROM messages"),
      links: await count(t.db, "SELECT count(*) AS n FROM booking_links"),
      events: await count(t.db, "SELECT count(*) AS n FROM booking_events"),
      keys: await count(t.db, "SELECT count(*) AS n FROM idempotency_keys"),
    });
    const before = await totals();
    const refused = await book(t.app, bob.access, "m2", body);
    assert.equal(refused.status, 409);
    assert.deepEqual(
      await totals(),
      before,
      "the refused attempt rolled back: nothing queued, nothing recorded",
    );
    assert.equal(
      await count(t.db, "SELECT count(*) AS n FROM messages WHERE recipient_user_id = $1", [
        bob.id,
      ]),
      0,
    );
  } finally {
    await t.close();
  }
});

Deno.test({
  name:
    "bookings - a move waits for the staff row before locking the booking: no deadlock with a booking being made (Postgres)",
  // PGlite has one connection: two transactions cannot be open at once there.
  ignore: testBackend() !== "postgres",
  async fn() {
    const t = await makeTestApp();
    try {
      const salon = await makeSalon(t.db, {
        payment_mode: "deposit",
        deposit_percent: 10,
        hold_minutes: 10,
      });
      const service = await makeService(t.db, salon);
      const staff = await makeStaff(t.db, salon, { services: [service.id] });
      const [alice] = await makeCustomers(t, 1);
      const actor = { userId: alice.id, role: "customer" as const };
      const { booking } = await createBooking(t.db, {
        customerId: alice.id,
        salon: salon.id,
        serviceId: service.id,
        staff: staff.id,
        start: new Date("2026-11-23T07:00:00Z"),
        now: t.clock.now(),
        actor,
        onlinePayment: true,
      });
      assert.equal(booking.status, "pending");
      const other = t.testDb.openAnother()!;
      let moved: Promise<unknown> = Promise.resolve();
      // Another request making a booking with this staff member, step by step as createBooking
      // does: lock the staff row, then expire the holds that lapsed by its clock (a few ms later
      // than Alice's, which still sees her hold alive).
      await other.transaction(async (tx) => {
        await tx.query("SELECT id FROM staff WHERE id = $1 FOR UPDATE", [staff.id]);
        moved = rescheduleBooking(t.db, {
          bookingId: booking.id,
          start: new Date("2026-11-23T09:00:00Z"),
          actor,
          now: new Date("2026-11-21T09:09:59.990Z"),
          scope: { customerId: alice.id },
        }).then(() => null, (err) => err);
        for (let i = 0; i < 250; i++) {
          const [waiting] = await other.query<{ n: number }>(
            `SELECT count(*) AS n FROM pg_stat_activity
             WHERE datname = current_database() AND wait_event_type = 'Lock'`,
          );
          if (Number(waiting.n) > 0) break;
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        await tx.query(
          "UPDATE bookings SET status = 'expired', updated_at = $2 WHERE id = $1 AND status = 'pending'",
          [booking.id, new Date("2026-11-21T09:10:00.010Z")],
        );
      });
      const err = await moved;
      assert.ok(err instanceof AppError, `expected a 409, got ${err}`);
      assert.equal(err.status, 409, "the move found the booking expired");
      const [row] = await t.db.query<{ status: string; starts_at: Date }>(
        "SELECT status, starts_at FROM bookings WHERE id = $1",
        [booking.id],
      );
      assert.equal(row.status, "expired");
      assert.equal(row.starts_at.toISOString(), "2026-11-23T07:00:00.000Z");
    } finally {
      await t.close();
    }
  },
});
