/**
 * The visit booking page (`/salons/:slug/visit`), as plain forms: choose services for yourself and
 * a guest, see the totals, pick a time where the whole visit fits, confirm (logging in first), and
 * the booking has every service; a time taken meanwhile comes back to the times with a notice.
 */
import assert from "node:assert/strict";
import { makeTestApp, type TestApp } from "./helpers/app.ts";
import { browserLogin, PHONE_LOCAL } from "./helpers/auth.ts";
import { testBackend } from "./helpers/db.ts";
import { makeBooking, makeSalon, makeService, makeStaff } from "./helpers/factories.ts";

const B = testBackend();

async function salonWithTwo(t: TestApp) {
  const salon = await makeSalon(t.db, { slot_step_minutes: 30 });
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
  const noura = await makeStaff(t.db, salon, { services: [cut.id, dry.id], name_en: "Noura" });
  const reem = await makeStaff(t.db, salon, { services: [cut.id, dry.id], name_en: "Reem" });
  return { salon, cut, dry, noura, reem };
}

Deno.test(`visit page (${B}) - choose, pick a time, confirm: one booking with every service`, async () => {
  const t = await makeTestApp();
  try {
    const { salon, cut, dry } = await salonWithTwo(t);
    const page = await (await t.app.request(`/salons/${salon.slug}?lang=en`)).text();
    assert.match(page, new RegExp(`href="/salons/${salon.slug}/visit"`));
    const choose = await (await t.app.request(`/salons/${salon.slug}/visit?lang=en`)).text();
    assert.match(choose, /Your services, in the order you want them/);

    const basket = `s=${cut.id}&s=${dry.id}&g=Sara&gs=${cut.id}`;
    const times = await (await t.app.request(
      `/salons/${salon.slug}/visit?${basket}&date=2026-11-22&lang=en`,
    )).text();
    assert.match(times, /data-basket-total="32000"/);
    assert.match(times, /Haircut \+ Blow-dry/);
    assert.ok(times.includes('value="2026-11-22T07:00:00.000Z"'), "10:00 fits for both");

    const confirmUrl = `/salons/${salon.slug}/visit?${basket}&start=2026-11-22T07%3A00%3A00.000Z`;
    const jar = await browserLogin(t, PHONE_LOCAL);
    const confirm = await (await t.app.request(`${confirmUrl}&lang=en`, {
      headers: { cookie: jar.header() },
    })).text();
    assert.match(confirm, /data-visit-items="3"/);
    assert.match(confirm, /Sara: Haircut with (Noura|Reem)/);
    const csrf = /name="csrf_token" value="([^"]+)"/.exec(confirm)![1];
    const key = /name="idempotency_key" value="([^"]+)"/.exec(confirm)![1];
    const form = new URLSearchParams([
      ["csrf_token", csrf],
      ["idempotency_key", key],
      ["start", "2026-11-22T07:00:00.000Z"],
      ["s", cut.id],
      ["s", dry.id],
      ["g", "Sara"],
      ["gs", cut.id],
    ]);
    const post = () =>
      t.app.request(`/salons/${salon.slug}/visit`, {
        method: "POST",
        headers: {
          cookie: jar.header(),
          "content-type": "application/x-www-form-urlencoded",
          origin: "http://localhost",
          "sec-fetch-site": "same-origin",
        },
        body: form,
      });
    const res = await post();
    assert.equal(res.status, 303, await res.clone().text());
    const id = /\/bookings\/([0-9a-f-]{36})\?notice=booked/.exec(res.headers.get("location")!)![1];
    const items = await t.db.query<{ guest: number; service_id: string }>(
      "SELECT guest, service_id FROM booking_items WHERE booking_id = $1 ORDER BY position",
      [id],
    );
    assert.deepEqual(items.map((i) => [i.guest, i.service_id]), [
      [0, cut.id],
      [0, dry.id],
      [1, cut.id],
    ]);
    // A double click books once (the same idempotency key).
    assert.equal((await post()).headers.get("location"), res.headers.get("location"));
  } finally {
    await t.close();
  }
});

Deno.test(`visit page (${B}) - signed out, confirming asks to log in; a time taken meanwhile comes back with a notice`, async () => {
  const t = await makeTestApp();
  try {
    const { salon, cut, dry, noura, reem } = await salonWithTwo(t);
    const basket = `s=${cut.id}&s=${dry.id}`;
    const start = "2026-11-22T07:00:00.000Z";
    const res = await t.app.request(`/salons/${salon.slug}/visit`, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        origin: "http://localhost",
        "sec-fetch-site": "same-origin",
      },
      body: new URLSearchParams([["start", start], ["idempotency_key", "k"], ["s", cut.id], [
        "s",
        dry.id,
      ]]),
    });
    assert.equal(res.status, 303);
    assert.match(res.headers.get("location")!, /^\/login\?next=%2Fsalons%2F.*%2Fvisit%3Fs%3D/);
    // Both stylists busy at 10:00: the confirm step sends back to the times, with a notice.
    for (const st of [noura, reem]) {
      await makeBooking(t.db, { service: cut, staff: st, starts_at: new Date(start) });
    }
    const back = await (await t.app.request(
      `/salons/${salon.slug}/visit?${basket}&start=${encodeURIComponent(start)}&lang=en`,
    )).text();
    assert.match(back, /that time is no longer free/);
    assert.ok(!back.includes(`value="${start}"`));
  } finally {
    await t.close();
  }
});

Deno.test(`visit page (${B}) - unknown services and bad dates fall back to choosing, never a 500`, async () => {
  const t = await makeTestApp();
  try {
    const { salon } = await salonWithTwo(t);
    for (
      const q of [
        "s=nope",
        `s=${crypto.randomUUID()}`,
        "s=&date=2026-02-30",
        "start=yesterday",
        "g=%00",
      ]
    ) {
      const res = await t.app.request(`/salons/${salon.slug}/visit?${q}`);
      assert.ok(res.status === 200 || res.status === 400, `${q}: ${res.status}`);
    }
  } finally {
    await t.close();
  }
});

Deno.test(`visit page (${B}) - a stylist chosen per service is who does it; anyone for the rest`, async () => {
  const t = await makeTestApp();
  try {
    const { salon, cut, dry, noura } = await salonWithTwo(t);
    // Noura is busy at 10:00; Reem is free.
    await makeBooking(t.db, {
      service: cut,
      staff: noura,
      starts_at: new Date("2026-11-22T07:00:00Z"),
    });
    const basket = `s=${cut.id}&st=${noura.id}&s=${dry.id}&st=any`;
    const times = await (await t.app.request(
      `/salons/${salon.slug}/visit?${basket}&date=2026-11-22&lang=en`,
    )).text();
    assert.match(times, /Who would you like for each service\?/);
    assert.match(times, new RegExp(`<option\\s+value="${noura.id}"\\s+selected>`));
    assert.ok(!times.includes('value="2026-11-22T07:00:00.000Z"'), "not while Noura is busy");
    assert.ok(times.includes('value="2026-11-22T08:00:00.000Z"'), "once she is free");
    // Someone who does not perform the service falls back to anyone.
    const other = await makeStaff(t.db, salon, { services: [dry.id] });
    const fallback = await (await t.app.request(
      `/salons/${salon.slug}/visit?s=${cut.id}&st=${other.id}&date=2026-11-22&lang=en`,
    )).text();
    assert.ok(fallback.includes('value="2026-11-22T07:00:00.000Z"'), "Reem can do it at 10:00");
  } finally {
    await t.close();
  }
});

Deno.test(`visit page (${B}) - a party: the customer and three guests side by side, each named on the booking`, async () => {
  const t = await makeTestApp();
  try {
    const { salon, cut, dry } = await salonWithTwo(t);
    for (const name of ["Lama", "Dana"]) {
      await makeStaff(t.db, salon, { services: [cut.id, dry.id], name_en: name });
    }
    const choose = await (await t.app.request(`/salons/${salon.slug}/visit?lang=en`)).text();
    assert.match(choose, /Add guest 2/);
    const party = `s=${cut.id}&g=Bride&gs=${dry.id}&g2=Mother&gs2=${dry.id}&g3=Aunt&gs3=${cut.id}`;
    const times = await (await t.app.request(
      `/salons/${salon.slug}/visit?${party}&date=2026-11-22&lang=en`,
    )).text();
    assert.match(times, /Mother: Blow-dry/);
    assert.ok(times.includes('value="2026-11-22T07:00:00.000Z"'), "four stylists at 10:00");
    const jar = await browserLogin(t, PHONE_LOCAL);
    const confirm = await (await t.app.request(
      `/salons/${salon.slug}/visit?${party}&start=2026-11-22T07%3A00%3A00.000Z&lang=en`,
      { headers: { cookie: jar.header() } },
    )).text();
    assert.match(confirm, /data-visit-items="4"/);
    const csrf = /name="csrf_token" value="([^"]+)"/.exec(confirm)![1];
    const key = /name="idempotency_key" value="([^"]+)"/.exec(confirm)![1];
    const form = new URLSearchParams(party);
    form.set("csrf_token", csrf);
    form.set("idempotency_key", key);
    form.set("start", "2026-11-22T07:00:00.000Z");
    const res = await t.app.request(`/salons/${salon.slug}/visit`, {
      method: "POST",
      headers: {
        cookie: jar.header(),
        "content-type": "application/x-www-form-urlencoded",
        origin: "http://localhost",
        "sec-fetch-site": "same-origin",
      },
      body: form,
    });
    assert.equal(res.status, 303, await res.clone().text());
    const id = /\/bookings\/([0-9a-f-]{36})/.exec(res.headers.get("location")!)![1];
    const guests = await t.db.query<{ position: number; name: string | null }>(
      "SELECT position, name FROM booking_guests WHERE booking_id = $1 ORDER BY position",
      [id],
    );
    assert.deepEqual(guests.map((g) => g.name), [null, "Bride", "Mother", "Aunt"]);
    const [row] = await t.db.query<{ n: number }>(
      "SELECT count(DISTINCT staff_id)::int AS n FROM booking_items WHERE booking_id = $1",
      [id],
    );
    assert.equal(row.n, 4, "four people at once");
  } finally {
    await t.close();
  }
});
