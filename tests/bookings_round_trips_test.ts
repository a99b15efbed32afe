/**
 * Booking creation's cost in database round trips, counted through the real route
 * (`POST /api/bookings/`, authentication included) for a one-item booking and a three-item visit.
 */
import assert from "node:assert/strict";
import { makeTestApp } from "./helpers/app.ts";
import { makeCustomers } from "./helpers/customers.ts";
import { testBackend } from "./helpers/db.ts";
import { makeSalon, makeService, makeStaff } from "./helpers/factories.ts";
import { countRoundTrips } from "./helpers/round_trips.ts";

const B = testBackend();
/** The budget per creation request (issue #20), authentication included. */
const MAX_TRIPS = Number(Deno.env.get("BOOKING_MAX_TRIPS") ?? 4);
const AT_10 = "2026-11-22T07:00:00.000Z";

Deno.test(`booking round trips (${B}) - one item and a three-item visit, auth included`, async () => {
  const t = await makeTestApp();
  try {
    const salon = await makeSalon(t.db);
    const haircut = await makeService(t.db, salon, { duration_minutes: 45, price_halalas: 12000 });
    const colour = await makeService(t.db, salon, { duration_minutes: 90, price_halalas: 30000 });
    const staff = [];
    for (let i = 0; i < 3; i++) {
      staff.push(
        await makeStaff(t.db, salon, { services: [haircut.id, colour.id], sort_order: i }),
      );
    }
    const [alice, bob] = await makeCustomers(t, 2);
    const counting = countRoundTrips(t.db);
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
      return { status: res.status, trips: counting.trips, log: [...counting.log] };
    };

    const one = await book(alice.access, "one", {
      salon: salon.slug,
      service: haircut.id,
      staff: staff[0].id,
      start: AT_10,
    });
    assert.equal(one.status, 201);
    const visit = await book(bob.access, "visit", {
      salon: salon.slug,
      start: AT_10,
      items: [{ service: haircut.id }, { service: colour.id, staff: "any" }, {
        service: haircut.id,
      }],
    });
    assert.equal(visit.status, 201);
    console.log(`round trips per creation (${B}): one item ${one.trips}, visit ${visit.trips}`);
    for (const r of [one, visit]) {
      assert.ok(r.trips <= MAX_TRIPS, `${r.trips} round trips:\n${r.log.join("\n")}`);
    }
  } finally {
    await t.close();
  }
});
