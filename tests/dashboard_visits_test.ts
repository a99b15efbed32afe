/**
 * The dashboard with visits of several services: the calendar shows each service in its staff
 * member's column marked as part of the visit, the bookings list names every service, a staff
 * filter finds a visit by any of its services, and reports count services, not bookings.
 */
import assert from "node:assert/strict";
import { createBooking } from "@/services/bookings/mod.ts";
import { makeTestApp } from "./helpers/app.ts";
import { testBackend } from "./helpers/db.ts";
import { get, makeWorld } from "./helpers/dashboard.ts";
import { makeService } from "./helpers/factories.ts";

const B = testBackend();

Deno.test(`dashboard visits (${B}) - each service in its staff member's column, the list names all, reports count services`, async () => {
  const t = await makeTestApp();
  try {
    const w = await makeWorld(t);
    const cut = await makeService(t.db, w.salon, { name_en: "Haircut", duration_minutes: 30 });
    await t.db.query(
      "INSERT INTO staff_services (staff_id, service_id, salon_id) VALUES ($1, $2, $3)",
      [w.reem.id, cut.id, w.salon.id],
    );
    const { booking, items } = await createBooking(t.db, {
      customerId: w.users.customer,
      salon: w.salon.id,
      items: [
        { serviceId: w.service.id, staff: w.noura.id, guest: 0 },
        { serviceId: cut.id, staff: w.reem.id, guest: 1 },
      ],
      guests: [{}, { name: "Huda" }],
      start: new Date("2026-11-22T07:00:00Z"),
      now: t.clock.now(),
      actor: { userId: w.users.customer, role: "customer" },
    });
    const base = `/dashboard/${w.salon.slug}`;
    const cal = await (await get(t, `${base}/calendar?date=2026-11-22&lang=en`, w.jars.manager))
      .text();
    for (const [item, staff] of [[items[0], w.noura], [items[1], w.reem]] as const) {
      const column = cal.split(`data-staff="${staff.id}"`)[1].split("data-staff=")[0];
      assert.match(column, new RegExp(`data-item-id="${item.id}"`), "in its staff column");
    }
    assert.equal((cal.match(new RegExp(`data-booking-id="${booking.id}"`, "g")) ?? []).length, 2);
    assert.match(cal, /\(1 of 2\)/);
    assert.match(cal, /Huda/);

    const list = await (await get(
      t,
      `${base}/bookings?from=2026-11-22&to=2026-11-22&staff=${w.reem.id}&lang=en`,
      w.jars.manager,
    )).text();
    assert.match(
      list,
      new RegExp(`data-booking-id="${booking.id}"`),
      "found by its second service",
    );
    assert.match(list, /Blow-dry · Noura, Huda: Haircut · Reem/);

    // Reports: one visit, two services done (each counted for its own staff member).
    await t.db.query("UPDATE bookings SET status = 'completed' WHERE id = $1", [booking.id]);
    const report = await (await get(
      t,
      `${base}/reports?from=2026-11-22&to=2026-11-22&lang=en`,
      w.jars.manager,
    )).text();
    assert.match(report, /Haircut/);
    assert.match(report, /Blow-dry/);
  } finally {
    await t.close();
  }
});
