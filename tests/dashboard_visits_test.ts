/**
 * The dashboard with visits of several services: the calendar shows each service in its staff
 * member's column marked as part of the visit, the bookings list names every service, a staff
 * filter finds a visit by any of its services, and reports count services, not bookings.
 */
import assert from "node:assert/strict";
import { createBooking } from "@/services/bookings/mod.ts";
import { makeTestApp } from "./helpers/app.ts";
import { testBackend } from "./helpers/db.ts";
import { get, makeWorld, post } from "./helpers/dashboard.ts";
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

Deno.test(`dashboard visits (${B}) - a walk-in of two services and a guest, booked at the desk`, async () => {
  const t = await makeTestApp();
  try {
    const w = await makeWorld(t);
    const cut = await makeService(t.db, w.salon, { name_en: "Haircut", duration_minutes: 30 });
    for (const st of [w.noura, w.reem]) {
      await t.db.query(
        "INSERT INTO staff_services (staff_id, service_id, salon_id) VALUES ($1, $2, $3)",
        [st.id, cut.id, w.salon.id],
      );
    }
    const base = `/dashboard/${w.salon.slug}`;
    const choice = `service=${cut.id}&staff=${w.noura.id}&service2=${w.service.id}` +
      `&guest_name=Huda&guest_service=${cut.id}&date=2026-11-22`;
    const form = await (await get(t, `${base}/bookings/new?${choice}&lang=en`, w.jars.manager))
      .text();
    // 10:00 Riyadh: Noura's haircut then a blow-dry, Huda's haircut with Reem beside it.
    assert.ok(form.includes('value="2026-11-22T07:00:00.000Z"'), "10:00 offered");
    const res = await post(t, `${base}/bookings/new?lang=en`, w.jars.manager, {
      phone: "0559998877",
      first_name: "Maha",
      language: "en",
      service: cut.id,
      staff: w.noura.id,
      service2: w.service.id,
      guest_name: "Huda",
      guest_service: cut.id,
      date: "2026-11-22",
      start: "2026-11-22T07:00:00.000Z",
    });
    assert.equal(res.status, 303, await res.clone().text());
    const id = /bookings\/([0-9a-f-]{36})\?notice=created/.exec(res.headers.get("location") ?? "")
      ?.[1];
    assert.ok(id);
    const items = await t.db.query<{ guest: number; service_id: string; staff_id: string }>(
      "SELECT guest, service_id, staff_id FROM booking_items WHERE booking_id = $1 ORDER BY position",
      [id],
    );
    assert.equal(items.length, 3);
    assert.deepEqual(items.map((i) => [i.guest, i.service_id]), [
      [0, cut.id],
      [0, w.service.id],
      [1, cut.id],
    ]);
    assert.equal(items[0].staff_id, w.noura.id);
    assert.notEqual(items[2].staff_id, w.noura.id, "the guest's haircut runs beside Noura's");
    const [guest] = await t.db.query<{ name: string }>(
      "SELECT name FROM booking_guests WHERE booking_id = $1 AND position = 1",
      [id],
    );
    assert.equal(guest.name, "Huda");
  } finally {
    await t.close();
  }
});

Deno.test(`dashboard visits (${B}) - the manager moves a whole visit, then one of its services alone`, async () => {
  const t = await makeTestApp();
  try {
    const w = await makeWorld(t);
    const cut = await makeService(t.db, w.salon, { name_en: "Haircut", duration_minutes: 30 });
    for (const st of [w.noura, w.reem]) {
      await t.db.query(
        "INSERT INTO staff_services (staff_id, service_id, salon_id) VALUES ($1, $2, $3)",
        [st.id, cut.id, w.salon.id],
      );
    }
    const { booking, items } = await createBooking(t.db, {
      customerId: w.users.customer,
      salon: w.salon.id,
      items: [
        { serviceId: cut.id, staff: w.noura.id, guest: 0 },
        { serviceId: w.service.id, staff: w.noura.id, guest: 0 },
      ],
      start: new Date("2026-11-22T07:00:00Z"),
      now: t.clock.now(),
      actor: { userId: w.users.customer, role: "customer" },
    });
    const base = `/dashboard/${w.salon.slug}/bookings/${booking.id}`;
    const page = await (await get(t, `${base}?lang=en`, w.jars.manager)).text();
    assert.match(page, /data-visit-items="2"/);
    assert.match(page, new RegExp(`reschedule\\?item=${items[1].id}`));
    const form = await (await get(t, `${base}/reschedule?date=2026-11-22&lang=en`, w.jars.manager))
      .text();
    assert.ok(form.includes('value="2026-11-22T10:00:00.000Z"'), "13:00 offered for the visit");
    const moved = await post(t, `${base}/reschedule`, w.jars.manager, {
      start: "2026-11-22T10:00:00.000Z",
      staff: "keep",
    });
    assert.equal(moved.headers.get("location"), `${base}?notice=rescheduled`);
    const after = await t.db.query<{ starts_at: Date; staff_id: string }>(
      "SELECT starts_at, staff_id FROM booking_items WHERE booking_id = $1 ORDER BY position",
      [booking.id],
    );
    assert.deepEqual(after.map((i) => [i.starts_at.toISOString(), i.staff_id]), [
      ["2026-11-22T10:00:00.000Z", w.noura.id],
      ["2026-11-22T10:30:00.000Z", w.noura.id],
    ]);
    // The blow-dry alone to Reem at 14:30 (11:30Z).
    const one = await post(t, `${base}/reschedule`, w.jars.manager, {
      start: "2026-11-22T11:30:00.000Z",
      staff: w.reem.id,
      item: items[1].id,
    });
    assert.equal(one.headers.get("location"), `${base}?notice=rescheduled`);
    const [blowDry] = await t.db.query<{ starts_at: Date; staff_id: string }>(
      "SELECT starts_at, staff_id FROM booking_items WHERE id = $1",
      [items[1].id],
    );
    assert.deepEqual([blowDry.starts_at.toISOString(), blowDry.staff_id], [
      "2026-11-22T11:30:00.000Z",
      w.reem.id,
    ]);
    // Reem, as staff, now sees the visit (her service is in it).
    await t.db.query("UPDATE staff SET user_id = NULL WHERE id = $1", [w.noura.id]);
    await t.db.query("UPDATE staff SET user_id = $1 WHERE id = $2", [w.users.staff, w.reem.id]);
    assert.equal((await get(t, base, w.jars.staff)).status, 200);
  } finally {
    await t.close();
  }
});

Deno.test(`dashboard visits (${B}) - the agenda shows a pending visit's every service and each staff member's gap around their own`, async () => {
  const t = await makeTestApp();
  try {
    const w = await makeWorld(t);
    const cut = await makeService(t.db, w.salon, { name_en: "Haircut", duration_minutes: 30 });
    await t.db.query(
      "INSERT INTO staff_services (staff_id, service_id, salon_id) VALUES ($1, $2, $3)",
      [w.reem.id, cut.id, w.salon.id],
    );
    // Today (the clock is 12:00 in Riyadh) at 14:00: Noura's blow-dry, Huda's haircut with Reem.
    const { booking } = await createBooking(t.db, {
      customerId: w.users.customer,
      salon: w.salon.id,
      items: [
        { serviceId: w.service.id, staff: w.noura.id, guest: 0 },
        { serviceId: cut.id, staff: w.reem.id, guest: 1 },
      ],
      guests: [{}, { name: "Huda" }],
      start: new Date("2026-11-21T11:00:00Z"),
      now: t.clock.now(),
      actor: { userId: w.users.customer, role: "customer" },
    });
    const base = `/dashboard/${w.salon.slug}`;
    const html = await (await get(t, `${base}/agenda?lang=en`, w.jars.manager)).text();
    const next = html.split('id="next"')[1].split('id="gaps"')[0];
    assert.equal((next.match(new RegExp(`data-booking-id="${booking.id}"`, "g")) ?? []).length, 1);
    assert.match(next, /Blow-dry · Noura, Huda: Haircut · Reem/);
    const gapsOf = (staffId: string) =>
      html.split(`data-gap-staff="${staffId}"`).slice(1).map((s) => s.split("</li>")[0]);
    // Reem is busy only for her own half hour (14:00–14:30), Noura for her hour (14:00–15:00).
    assert.ok(gapsOf(w.reem.id).some((g) => /2:30/.test(g)), "Reem free again at 2:30");
    assert.ok(gapsOf(w.noura.id).some((g) => /3:00/.test(g)), "Noura free again at 3:00");
    assert.ok(!gapsOf(w.reem.id).some((g) => /3:00\s*(PM|pm)\s*–/.test(g)), "not Noura's hour");

    // Held for an online deposit, the visit is listed as pending with both services.
    await t.db.query(
      "UPDATE bookings SET status = 'pending', hold_expires_at = $2, deposit_halalas = 5000 WHERE id = $1",
      [booking.id, new Date("2026-11-21T09:10:00Z")],
    );
    const held = await (await get(t, `${base}/agenda?lang=en`, w.jars.manager)).text();
    const pending = held.split('id="pending"')[1];
    assert.match(pending, new RegExp(`data-booking-id="${booking.id}"`));
    assert.match(pending, /Blow-dry · Noura, Huda: Haircut · Reem/);
  } finally {
    await t.close();
  }
});

Deno.test(`dashboard visits (${B}) - a move that does not fit is refused with the reason, nothing moves`, async () => {
  const t = await makeTestApp();
  try {
    const w = await makeWorld(t);
    const cut = await makeService(t.db, w.salon, { name_en: "Haircut", duration_minutes: 30 });
    await t.db.query(
      "INSERT INTO staff_services (staff_id, service_id, salon_id) VALUES ($1, $2, $3)",
      [w.noura.id, cut.id, w.salon.id],
    );
    const { booking } = await createBooking(t.db, {
      customerId: w.users.customer,
      salon: w.salon.id,
      items: [
        { serviceId: cut.id, staff: w.noura.id, guest: 0 },
        { serviceId: w.service.id, staff: w.noura.id, guest: 0 },
      ],
      start: new Date("2026-11-22T07:00:00Z"),
      now: t.clock.now(),
      actor: { userId: w.users.customer, role: "customer" },
    });
    // Another customer holds Noura at 13:30–14:30 (10:30Z): a visit moved to 13:00 would overlap.
    await createBooking(t.db, {
      customerId: w.users.otherStaff,
      salon: w.salon.id,
      serviceId: w.service.id,
      staff: w.noura.id,
      start: new Date("2026-11-22T10:30:00Z"),
      now: t.clock.now(),
      actor: { userId: w.users.otherStaff, role: "customer" },
    });
    const before = await t.db.query<{ starts_at: Date }>(
      "SELECT starts_at FROM booking_items WHERE booking_id = $1 ORDER BY position",
      [booking.id],
    );
    const base = `/dashboard/${w.salon.slug}/bookings/${booking.id}`;
    const refused = await post(t, `${base}/reschedule?lang=en`, w.jars.manager, {
      start: "2026-11-22T10:00:00.000Z",
      staff: "keep",
    });
    assert.equal(refused.status, 303);
    const back = refused.headers.get("location") ?? "";
    assert.match(back, /error=taken/);
    const page = await (await get(t, `${back}&lang=en`, w.jars.manager)).text();
    assert.match(page, /this time was just taken/);
    const after = await t.db.query<{ starts_at: Date }>(
      "SELECT starts_at FROM booking_items WHERE booking_id = $1 ORDER BY position",
      [booking.id],
    );
    assert.deepEqual(after, before, "the visit stayed where it was");
  } finally {
    await t.close();
  }
});
