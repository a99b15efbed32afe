/**
 * Home visits: the staff member's travel is blocked before and after (listed times, booking,
 * the database's guard), the surcharge is part of the price, only listed districts (or a pin within
 * the salon's radius) and services offered at home are accepted, and races hold as for the salon.
 */
import assert from "node:assert/strict";
import { makeTestApp, type TestApp } from "./helpers/app.ts";
import { postJson } from "./helpers/auth.ts";
import { makeCustomers } from "./helpers/customers.ts";
import { testBackend } from "./helpers/db.ts";
import { makeBooking, makeSalon, makeService, makeStaff } from "./helpers/factories.ts";

const B = testBackend();
const TOMORROW = "2026-11-22";
const at = (hhmm: string) => `${TOMORROW}T${hhmm}:00.000Z`;

async function hennaSalon(t: TestApp) {
  const salon = await makeSalon(t.db, {
    slot_step_minutes: 30,
    home_travel_minutes: 30,
    home_surcharge_halalas: 5000,
    latitude: 24.7136,
    longitude: 46.6753,
    home_radius_km: 10,
  });
  await t.db.query(
    `INSERT INTO salon_home_districts (salon_id, key, name_ar, name_en)
     VALUES ($1, 'al-malqa', 'الملقا', 'Al Malqa'), ($1, 'hittin', 'حطين', 'Hittin')`,
    [salon.id],
  );
  const henna = await makeService(t.db, salon, {
    category: "henna",
    at_home: true,
    price_halalas: 20000,
  });
  const cut = await makeService(t.db, salon, { price_halalas: 10000 });
  const noura = await makeStaff(t.db, salon, { services: [henna.id, cut.id] });
  return { salon, henna, cut, noura };
}

function book(app: TestApp["app"], token: string, key: string, body: unknown) {
  return postJson(app, "/api/bookings/", body, {
    authorization: `Bearer ${token}`,
    "idempotency-key": key,
    "accept-language": "en",
  });
}

async function starts(t: TestApp, path: string): Promise<string[]> {
  const res = await t.app.request(path);
  assert.equal(res.status, 200, await res.clone().text());
  return (await res.json()).days[0].slots.map((s: { start: string }) => s.start);
}

Deno.test(`home visits (${B}) - travel is blocked around the visit: listed, booked and guarded`, async () => {
  const t = await makeTestApp();
  try {
    const { salon, henna, cut, noura } = await hennaSalon(t);
    // Noura works in the salon 10:00–11:00 Riyadh (07:00–08:00Z).
    await makeBooking(t.db, { service: cut, staff: noura, starts_at: new Date(at("07:00")) });
    const inSalon = await starts(
      t,
      `/api/salons/${salon.slug}/slots/?service=${henna.id}&date=${TOMORROW}`,
    );
    const atHome = await starts(
      t,
      `/api/salons/${salon.slug}/slots/?service=${henna.id}&home=1&date=${TOMORROW}`,
    );
    assert.ok(inSalon.includes(at("08:00")), "in the salon, right after");
    assert.ok(!atHome.includes(at("08:00")), "at home, not before she can get there");
    assert.ok(atHome.includes(at("08:30")), "30 minutes of travel later");
    // 09:00–10:00 fits in the salon before the 10:00 client, but not with travel back.
    assert.ok(inSalon.includes(at("06:00")));
    assert.ok(!atHome.includes(at("06:00")), "nor when she cannot travel back by 10:00");

    const [huda] = await makeCustomers(t, 1);
    const res = await book(t.app, huda.access, "home-1", {
      salon: salon.slug,
      service: henna.id,
      staff: "any",
      start: at("08:30"),
      home: { district: "al-malqa", address: "Building 12, Street 5, Al Malqa", notes: "Gate 2" },
    });
    assert.equal(res.status, 201, await res.clone().text());
    const body = await res.json();
    assert.equal(body.price_halalas, 25000, "henna and the home surcharge");
    assert.equal(body.booking.location, "home");
    assert.equal(body.booking.home.address, "Building 12, Street 5, Al Malqa");
    assert.equal(body.booking.home.district, "الملقا / Al Malqa");
    const [item] = await t.db.query<{ block_start: Date; block_end: Date }>(
      "SELECT block_start, block_end FROM booking_items WHERE booking_id = $1",
      [body.booking.id],
    );
    assert.equal(item.block_start.toISOString(), at("08:00"));
    assert.equal(item.block_end.toISOString(), at("10:00"));
    // A salon appointment inside the travel back is refused, by the API and by the database.
    const [sara] = await makeCustomers(t, 1);
    const clash = await book(t.app, sara.access, "salon-1", {
      salon: salon.slug,
      service: cut.id,
      staff: noura.id,
      start: at("09:30"),
    });
    assert.equal(clash.status, 409);
    await assert.rejects(
      makeBooking(t.db, { service: cut, staff: noura, starts_at: new Date(at("09:45")) }),
    );
    const after = await book(t.app, sara.access, "salon-2", {
      salon: salon.slug,
      service: cut.id,
      staff: noura.id,
      start: at("10:00"),
    });
    assert.equal(after.status, 201);
  } finally {
    await t.close();
  }
});

Deno.test(`home visits (${B}) - only listed districts (or a pin in the radius) and services offered at home`, async () => {
  const t = await makeTestApp();
  try {
    const { salon, henna, cut } = await hennaSalon(t);
    const [huda] = await makeCustomers(t, 1);
    const attempt = (key: string, service: string, home: Record<string, string>) =>
      book(t.app, huda.access, key, {
        salon: salon.slug,
        service,
        staff: "any",
        start: at("12:00"),
        home,
      });
    const far = await attempt("far", henna.id, { district: "diriyah", address: "Somewhere far" });
    assert.equal(far.status, 400);
    assert.match(JSON.stringify(await far.json()), /does not come to that area/);
    const notAtHome = await attempt("cut", cut.id, { district: "hittin", address: "Villa 3" });
    assert.equal(notAtHome.status, 400);
    assert.match(JSON.stringify(await notAtHome.json()), /at home/);
    const noAddress = await attempt("addr", henna.id, { district: "hittin", address: "x" });
    assert.equal(noAddress.status, 400);
    const pinFar = await attempt("pin-far", henna.id, {
      district: "other",
      address: "Villa 9, Al Narjis",
      map_url: "https://maps.google.com/?q=24.9,46.7",
    });
    assert.equal(pinFar.status, 400, "about 21 km away, beyond the 10 km radius");
    const pinNear = await attempt("pin-near", henna.id, {
      district: "Al Sahafa",
      address: "Villa 9, Al Sahafa",
      map_url: "https://maps.google.com/?q=24.78,46.64",
    });
    assert.equal(pinNear.status, 201, await pinNear.clone().text());
    const [row] = await t.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM bookings WHERE location = 'home'",
    );
    assert.equal(row.n, 1);
  } finally {
    await t.close();
  }
});

Deno.test(`home visits (${B}) - 20 simultaneous requests on two instances: one home visit per free stretch, never an overlap`, async () => {
  const t = await makeTestApp();
  try {
    const { salon, henna } = await hennaSalon(t);
    const people = await makeCustomers(t, 20);
    const apps = [t.app, t.secondInstance()];
    // Alternating 12:00 and 12:30: with 30 minutes of travel either way, only one fits.
    const responses = await Promise.all(
      people.map((p, i) =>
        book(apps[i % 2], p.access, `race-${i}`, {
          salon: salon.slug,
          service: henna.id,
          staff: "any",
          start: at(i % 2 ? "09:30" : "09:00"),
          home: { district: "hittin", address: `Villa ${i}, Hittin` },
        })
      ),
    );
    const statuses = responses.map((r) => r.status);
    assert.ok(statuses.every((s) => s === 201 || s === 409), JSON.stringify(statuses));
    assert.equal(statuses.filter((s) => s === 201).length, 1);
    const [row] = await t.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM booking_items a JOIN booking_items b
         ON a.staff_id = b.staff_id AND a.id < b.id
        AND tstzrange(a.block_start, a.block_end) && tstzrange(b.block_start, b.block_end)
       WHERE a.blocking AND b.blocking`,
    );
    assert.equal(row.n, 0);
  } finally {
    await t.close();
  }
});

Deno.test(`home visits (${B}) - the salon API says which services go to homes and where`, async () => {
  const t = await makeTestApp();
  try {
    const { salon, henna } = await hennaSalon(t);
    const res = await t.app.request(`/api/salons/${salon.slug}/`);
    assert.equal(res.status, 200);
    const body = await res.json();
    assert.deepEqual(body.home_service, {
      travel_minutes: 30,
      surcharge_halalas: 5000,
      radius_km: 10,
      districts: [
        { key: "al-malqa", name_ar: "الملقا", name_en: "Al Malqa" },
        { key: "hittin", name_ar: "حطين", name_en: "Hittin" },
      ],
    });
    assert.deepEqual(
      body.services.filter((s: { at_home: boolean }) => s.at_home).map((s: { id: string }) => s.id),
      [henna.id],
    );
  } finally {
    await t.close();
  }
});

Deno.test(`home visits (${B}) - search: home=1 keeps the salons that come to homes, and cards say so`, async () => {
  const t = await makeTestApp();
  try {
    const { salon } = await hennaSalon(t);
    const other = await makeSalon(t.db, { name_en: "Only In Salon" });
    const cut = await makeService(t.db, other);
    await makeStaff(t.db, other, { services: [cut.id] });
    const all = await (await t.app.request("/api/salons/")).json();
    assert.equal(all.results.length, 2);
    const home = await (await t.app.request("/api/salons/?home=1")).json();
    assert.deepEqual(
      home.results.map((r: { slug: string; home_service: boolean }) => [r.slug, r.home_service]),
      [[salon.slug, true]],
    );
    assert.equal((await t.app.request("/api/salons/?home=yes")).status, 400);
    const page = await (await t.app.request("/?home=1&lang=en")).text();
    assert.match(page, /data-home-service/);
    assert.doesNotMatch(page, /Only In Salon/);
    assert.match(page, /name="home" value="1" checked/);
  } finally {
    await t.close();
  }
});
