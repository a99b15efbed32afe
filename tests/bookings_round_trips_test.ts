/**
 * Booking creation's cost in database round trips, counted through the real route
 * (`POST /api/bookings/`, authentication included) for a one-item booking and a three-item visit.
 */
import assert from "node:assert/strict";
import { openPostgres } from "@/db/postgres.ts";
import type { Db } from "@/db/types.ts";
import { makeTestApp, type TestApp } from "./helpers/app.ts";
import { hasPgbouncer, startPgbouncer } from "./helpers/pgbouncer.ts";
import { makeCustomers } from "./helpers/customers.ts";
import { testBackend, testServerEnv } from "./helpers/db.ts";
import { makeSalon, makeService, makeStaff } from "./helpers/factories.ts";
import { countRoundTrips } from "./helpers/round_trips.ts";

const B = testBackend();
/** The budget per creation request (issue #20), authentication included. */
const MAX_TRIPS = Number(Deno.env.get("BOOKING_MAX_TRIPS") ?? 4);
const AT_10 = "2026-11-22T07:00:00.000Z";

/** Books one item and a three-item visit through `db` (counted), on `t`'s database. */
async function bookBoth(t: TestApp, db: Db, label: string) {
  const salon = await makeSalon(t.db);
  const haircut = await makeService(t.db, salon, { duration_minutes: 45, price_halalas: 12000 });
  const colour = await makeService(t.db, salon, { duration_minutes: 90, price_halalas: 30000 });
  const staff = [];
  for (let i = 0; i < 3; i++) {
    staff.push(await makeStaff(t.db, salon, { services: [haircut.id, colour.id], sort_order: i }));
  }
  const [alice, bob] = await makeCustomers(t, 2);
  const counting = countRoundTrips(db);
  const app = t.instanceOn(counting);
  const book = async (token: string, key: string, body: unknown) => {
    counting.reset();
    const res = await app.request("/api/bookings/", {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "accept-language": "en",
        authorization: `Bearer ${token}`,
        "idempotency-key": key,
      },
      body: JSON.stringify(body),
    });
    return {
      status: res.status,
      body: await res.json(),
      trips: counting.trips,
      log: [...counting.log],
    };
  };

  const one = await book(alice.access, "one", {
    salon: salon.slug,
    service: haircut.id,
    staff: staff[0].id,
    start: AT_10,
  });
  assert.equal(one.status, 201, JSON.stringify(one.body));
  const visit = await book(bob.access, "visit", {
    salon: salon.slug,
    start: AT_10,
    items: [{ service: haircut.id }, { service: colour.id, staff: "any" }, { service: haircut.id }],
  });
  assert.equal(visit.status, 201, JSON.stringify(visit.body));
  assert.equal(visit.body.items.length, 3);
  // Everything the creation writes is there: history, the link, messages and reminders.
  const [row] = await t.db.query<{ events: number; links: number; messages: number }>(
    `SELECT (SELECT count(*)::int FROM booking_events WHERE booking_id = ANY($1::uuid[])) AS events,
            (SELECT count(*)::int FROM booking_links WHERE booking_id = ANY($1::uuid[])) AS links,
            (SELECT count(*)::int FROM messages WHERE booking_id = ANY($1::uuid[])
               AND kind = 'reminder') AS messages`,
    [[one.body.booking.id, visit.body.booking.id]],
  );
  // 22 hours ahead: the 24-hour reminder has passed, the 2-hour one is queued for each.
  assert.deepEqual(row, { events: 2, links: 2, messages: 2 });
  console.log(`round trips per creation (${label}): one item ${one.trips}, visit ${visit.trips}`);
  for (const r of [one, visit]) {
    assert.ok(r.trips <= MAX_TRIPS, `${r.trips} round trips:\n${r.log.join("\n")}`);
  }
}

Deno.test(`booking round trips (${B}) - one item and a three-item visit, auth included`, async () => {
  const t = await makeTestApp();
  try {
    await bookBoth(t, t.db, B);
  } finally {
    await t.close();
  }
});

Deno.test({
  name: "booking round trips (postgres through PgBouncer) - the same, with no prepared statements",
  ignore: B !== "postgres" || !hasPgbouncer(),
  fn: async () => {
    const env = testServerEnv("postgres");
    const server = env.DATABASE_DIRECT_URL ?? env.DATABASE_URL;
    const pooler = await startPgbouncer(server);
    const t = await makeTestApp();
    const [{ name }] = await t.db.query<{ name: string }>("SELECT current_database() AS name");
    const url = new URL(pooler.url);
    url.pathname = `/${name}`;
    const db = openPostgres(url.toString(), { pooled: true });
    try {
      await bookBoth(t, db, "pgbouncer");
    } finally {
      await db.close();
      await t.close();
      await pooler.stop();
    }
  },
});
