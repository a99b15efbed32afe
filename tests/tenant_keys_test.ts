/**
 * Sharding by salon (Citus, docs/scaling.md) needs every tenant table to carry the salon's id:
 * every table that reaches `salons` through foreign keys has a `salon_id` column, except the few
 * that belong to a person or a provider rather than a salon (listed with the reason). Rows written
 * without it get their parent's.
 */
import assert from "node:assert/strict";
import { createTestDb, testBackend } from "./helpers/db.ts";
import { makeBooking, makeSalon, makeService, makeStaff } from "./helpers/factories.ts";

/** Tables that point at tenant rows but are keyed by something else. */
const NOT_TENANT: Record<string, string> = {
  idempotency_keys: "a customer's retry keys, per user across salons",
  webhook_events: "Moyasar's events, stored by event id before the payment is known",
};

Deno.test(`tenant keys (${testBackend()}) - every table that reaches a salon carries salon_id`, async () => {
  const { db, close } = await createTestDb();
  try {
    const edges = await db.query<{ child: string; parent: string }>(
      `SELECT c.conrelid::regclass::text AS child, c.confrelid::regclass::text AS parent
       FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
       WHERE c.contype = 'f' AND n.nspname = 'public' AND c.conparentid = 0`,
    );
    const tenant = new Set(["salons"]);
    for (let grew = true; grew;) {
      grew = false;
      for (const { child, parent } of edges) {
        if (tenant.has(parent) && !tenant.has(child) && !(child in NOT_TENANT)) {
          tenant.add(child);
          grew = true;
        }
      }
    }
    tenant.delete("salons");
    const withSalonId = new Set(
      (await db.query<{ table_name: string }>(
        `SELECT table_name FROM information_schema.columns
         WHERE table_schema = 'public' AND column_name = 'salon_id'`,
      )).map((r) => r.table_name),
    );
    const missing = [...tenant].filter((t) => !withSalonId.has(t)).sort();
    assert.deepEqual(missing, [], `tenant tables without salon_id: ${missing.join(", ")}`);
    assert.ok(tenant.has("bookings") && tenant.has("booking_events") && tenant.has("messages"));
  } finally {
    await close();
  }
});

Deno.test(`tenant keys (${testBackend()}) - a row written without salon_id gets its parent's`, async () => {
  const { db, close } = await createTestDb();
  try {
    const salon = await makeSalon(db);
    const service = await makeService(db, salon);
    const staff = await makeStaff(db, salon, { services: [service.id] });
    const booking = await makeBooking(db, {
      service,
      staff,
      starts_at: new Date("2026-11-22T09:00:00Z"),
    });
    const [event] = await db.query<{ salon_id: string }>(
      `INSERT INTO booking_events (booking_id, at, actor_role, kind, to_status)
       VALUES ($1, now(), 'system', 'created', 'confirmed') RETURNING salon_id`,
      [booking.id],
    );
    assert.equal(event.salon_id, salon.id);
    const [timeOff] = await db.query<{ salon_id: string }>(
      `INSERT INTO staff_time_off (staff_id, starts_at, ends_at)
       VALUES ($1, '2026-11-23T06:00:00Z', '2026-11-23T18:00:00Z') RETURNING salon_id`,
      [staff.id],
    );
    assert.equal(timeOff.salon_id, salon.id);
  } finally {
    await close();
  }
});
