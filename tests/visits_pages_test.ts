/**
 * What a customer sees of a visit of several services: the booking page lists each service with
 * its staff member, times and price (a guest's under their name), "my bookings" names them all,
 * the .ics is one event describing them (read back by ical.js), and one service can be cancelled
 * from the page with the refund shown first.
 */
import assert from "node:assert/strict";
import ICAL from "ical.js";
import { createBooking } from "@/services/bookings/mod.ts";
import { exportPersonalData } from "@/services/privacy/export.ts";
import { deleteAccount } from "@/services/privacy/delete.ts";
import { makeTestApp, type TestApp } from "./helpers/app.ts";
import { browserLogin, PHONE_LOCAL } from "./helpers/auth.ts";
import { testBackend } from "./helpers/db.ts";
import { makeSalon, makeService, makeStaff } from "./helpers/factories.ts";

const B = testBackend();

async function visit(t: TestApp) {
  const jar = await browserLogin(t, PHONE_LOCAL);
  const [user] = await t.db.query<{ id: string }>(
    "SELECT id FROM users WHERE phone_number = '+966512345678'",
  );
  await t.db.query("UPDATE users SET preferred_language = 'en' WHERE id = $1", [user.id]);
  const salon = await makeSalon(t.db, { cancellation_window_hours: 2, name_en: "Lamsa" });
  const cut = await makeService(t.db, salon, {
    name_en: "Haircut",
    duration_minutes: 45,
    price_halalas: 12000,
  });
  const dry = await makeService(t.db, salon, {
    name_en: "Blow-dry",
    duration_minutes: 30,
    price_halalas: 8000,
  });
  await makeStaff(t.db, salon, { services: [cut.id, dry.id], name_en: "Noura" });
  await makeStaff(t.db, salon, { services: [cut.id, dry.id], name_en: "Reem" });
  const { booking, items } = await createBooking(t.db, {
    customerId: user.id,
    salon: salon.id,
    items: [
      { serviceId: cut.id, staff: "any", guest: 0 },
      { serviceId: dry.id, staff: "any", guest: 0 },
      { serviceId: cut.id, staff: "any", guest: 1 },
    ],
    guests: [{}, { name: "Sara" }],
    start: new Date("2026-11-22T13:00:00Z"),
    now: t.clock.now(),
    actor: { userId: user.id, role: "customer" },
  });
  return { jar, booking, items };
}

const get = (t: TestApp, path: string, cookie: string) =>
  Promise.resolve(t.app.request(path, { headers: { cookie, "accept-language": "en" } }));

Deno.test(`visit pages (${B}) - the booking page, my bookings and the .ics show every service`, async () => {
  const t = await makeTestApp();
  try {
    const { jar, booking } = await visit(t);
    const page = await (await get(t, `/bookings/${booking.id}?lang=en`, jar.header())).text();
    assert.match(page, /data-visit-items="3"/);
    assert.match(page, /Haircut with (Noura|Reem)/);
    assert.match(page, /Sara: Haircut with (Noura|Reem)/);
    assert.match(page, /4:45\s*pm\s*–\s*5:15\s*pm/);
    assert.match(page, /SAR\s*320\.00/);
    const mine = await (await get(t, "/me/bookings?lang=en", jar.header())).text();
    assert.match(mine, /Haircut \+ Blow-dry/);

    const ics = await (await get(t, `/bookings/${booking.id}/calendar.ics?lang=en`, jar.header()))
      .text();
    const calendar = new ICAL.Component(ICAL.parse(ics));
    const events = calendar.getAllSubcomponents("vevent");
    assert.equal(events.length, 1, "one event for the visit");
    const vevent = events[0];
    assert.equal(
      (vevent.getFirstPropertyValue("dtstart") as ICAL.Time).toJSDate().toISOString(),
      "2026-11-22T13:00:00.000Z",
    );
    assert.equal(
      (vevent.getFirstPropertyValue("dtend") as ICAL.Time).toJSDate().toISOString(),
      "2026-11-22T14:15:00.000Z",
    );
    assert.equal(vevent.getFirstPropertyValue("summary"), "Haircut + Blow-dry · Lamsa");
    const description = String(vevent.getFirstPropertyValue("description"));
    assert.match(description, /Haircut \((Noura|Reem)\) 16:00–16:45\nBlow-dry/);
    assert.match(description, /Sara: Haircut/);
  } finally {
    await t.close();
  }
});

Deno.test(`visit pages (${B}) - cancelling one service: the refund is shown, then the rest stays booked`, async () => {
  const t = await makeTestApp();
  try {
    const { jar, booking, items } = await visit(t);
    const path = `/bookings/${booking.id}/items/${items[1].id}/cancel`;
    const confirm = await get(t, `${path}?lang=en`, jar.header());
    assert.equal(confirm.status, 200);
    const html = await confirm.text();
    assert.match(html, /Yes, cancel this service: Blow-dry/);
    assert.match(html, /data-refund-halalas="0"/);
    const csrf = /name="csrf_token" value="([^"]+)"/.exec(html)![1];
    const post = (body: Record<string, string>) =>
      t.app.request(path, {
        method: "POST",
        headers: {
          cookie: jar.header(),
          "content-type": "application/x-www-form-urlencoded",
          origin: "http://localhost",
          "sec-fetch-site": "same-origin",
        },
        body: new URLSearchParams(body),
      });
    // Without the confirmation: back to the step, nothing cancelled.
    assert.equal((await post({ csrf_token: csrf })).headers.get("location"), path);
    const done = await post({ csrf_token: csrf, confirm: "yes" });
    assert.equal(done.status, 303);
    assert.equal(done.headers.get("location"), `/bookings/${booking.id}?notice=itemCancelled`);
    const [row] = await t.db.query<{ price_halalas: number; status: string }>(
      "SELECT price_halalas, status FROM bookings WHERE id = $1",
      [booking.id],
    );
    assert.deepEqual(row, { price_halalas: 24000, status: "confirmed" });
    const page = await (await get(t, `/bookings/${booking.id}?lang=en`, jar.header())).text();
    assert.match(page, /cancelled/);
    assert.match(page, /SAR\s*240\.00/);
  } finally {
    await t.close();
  }
});

Deno.test(`visit pages (${B}) - the export carries a visit's services and guests; deletion removes the guests' names`, async () => {
  const t = await makeTestApp();
  try {
    const { booking } = await visit(t);
    const [owner] = await t.db.query<{ customer_id: string }>(
      "SELECT customer_id FROM bookings WHERE id = $1",
      [booking.id],
    );
    const data = await exportPersonalData(t.db, owner.customer_id, t.clock.now());
    const exported = data.bookings.find((b) => b.id === booking.id)!;
    assert.equal((exported.items as unknown[]).length, 3);
    assert.deepEqual(exported.guests, [{ guest: 1, name: "Sara", phone: null }]);
    await deleteAccount(t.db, owner.customer_id, t.clock.now());
    const guests = await t.db.query<{ name: string | null }>(
      "SELECT name FROM booking_guests WHERE booking_id = $1 AND position > 0",
      [booking.id],
    );
    assert.deepEqual(guests, [{ name: "guest" }]);
  } finally {
    await t.close();
  }
});

Deno.test(`visit pages (${B}) - rescheduling a visit lists times where all of it fits and moves every service`, async () => {
  const t = await makeTestApp();
  try {
    const { jar, booking } = await visit(t);
    const path = `/bookings/${booking.id}/reschedule`;
    const html = await (await get(t, `${path}?date=2026-11-23&lang=en`, jar.header())).text();
    // 16:00 Riyadh the next day (13:00Z): the visit ends at 17:15, inside opening hours.
    assert.ok(html.includes('value="2026-11-23T13:00:00.000Z"'), "a whole-visit time is offered");
    // 20:00: a haircut alone would end by 21:00, the visit would not.
    assert.ok(!html.includes('value="2026-11-23T17:00:00.000Z"'), "not one the visit overruns");
    const csrf = /name="csrf_token" value="([^"]+)"/.exec(html)![1];
    const res = await t.app.request(path, {
      method: "POST",
      headers: {
        cookie: jar.header(),
        "content-type": "application/x-www-form-urlencoded",
        origin: "http://localhost",
        "sec-fetch-site": "same-origin",
      },
      body: new URLSearchParams({ csrf_token: csrf, start: "2026-11-23T13:00:00.000Z" }),
    });
    assert.equal(res.status, 303);
    const items = await t.db.query<{ starts_at: Date }>(
      "SELECT starts_at FROM booking_items WHERE booking_id = $1 ORDER BY position",
      [booking.id],
    );
    assert.deepEqual(items.map((i) => i.starts_at.toISOString()), [
      "2026-11-23T13:00:00.000Z",
      "2026-11-23T13:45:00.000Z",
      "2026-11-23T13:00:00.000Z",
    ]);
  } finally {
    await t.close();
  }
});
