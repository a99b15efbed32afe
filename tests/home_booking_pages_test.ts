/**
 * Booking at home from the customer pages, as plain forms (no JavaScript): the choice "at the
 * salon / at my home" for a service offered at home, the district, address, map link and notes,
 * the surcharge and travel time shown, home times listed, and the booking created as a home visit;
 * bad details are refused on the page with a 400 and nothing is booked; a service offered only at
 * the salon never offers home. The visit page (several services) does the same.
 */
import assert from "node:assert/strict";
import { makeTestApp, type TestApp } from "./helpers/app.ts";
import { browserLogin, type CookieJar, PHONE_LOCAL } from "./helpers/auth.ts";
import { seedDemoData } from "@/db/seed.ts";
import { testBackend } from "./helpers/db.ts";
import { makeBooking, makeSalon, makeService, makeStaff } from "./helpers/factories.ts";

const B = testBackend();
const DAY = "2026-11-22";
const at = (hhmm: string) => `${DAY}T${hhmm}:00.000Z`;

async function hennaSalon(t: TestApp, radiusKm: number | null = null) {
  const salon = await makeSalon(t.db, {
    slot_step_minutes: 30,
    home_travel_minutes: 30,
    home_surcharge_halalas: 5000,
    latitude: 24.7136,
    longitude: 46.6753,
    home_radius_km: radiusKm,
    payment_mode: "at_salon",
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
    name_en: "Hand henna",
    name_ar: "نقش حناء",
  });
  const cut = await makeService(t.db, salon, { price_halalas: 10000, name_en: "Haircut" });
  const noura = await makeStaff(t.db, salon, { services: [henna.id, cut.id], name_en: "Noura" });
  return { salon, henna, cut, noura };
}

const HOME = {
  where: "home",
  district: "al-malqa",
  address: "Building 12, Street 5, Al Malqa",
  map: "https://maps.google.com/?q=24.8,46.6",
  notes: "Gate 2",
};

function get(t: TestApp, path: string, jar?: CookieJar) {
  return t.app.request(path, { headers: jar ? { cookie: jar.header() } : {} });
}

function post(t: TestApp, path: string, jar: CookieJar | null, form: [string, string][]) {
  return t.app.request(path, {
    method: "POST",
    headers: {
      ...(jar ? { cookie: jar.header() } : {}),
      "content-type": "application/x-www-form-urlencoded",
      origin: "http://localhost",
      "sec-fetch-site": "same-origin",
    },
    body: new URLSearchParams(form),
  });
}

async function countBookings(t: TestApp): Promise<number> {
  const [row] = await t.db.query<{ n: number }>("SELECT count(*)::int AS n FROM bookings");
  return row.n;
}

/** The hidden fields of the page's POST form. */
function formOf(html: string): [string, string][] {
  const form = /<form method="post"[\s\S]*?<\/form>/.exec(html)?.[0] ?? "";
  return [...form.matchAll(/<input\s+type="hidden" name="([^"]+)" value="([^"]*)"/g)].map((m) => [
    m[1],
    m[2].replaceAll("&amp;", "&").replaceAll("&#39;", "'").replaceAll("&quot;", '"'),
  ]);
}

Deno.test(`home booking page (${B}) - the where step offers the salon or home, with the districts, the surcharge and the travel time, in both languages`, async () => {
  const t = await makeTestApp();
  try {
    const { salon, henna } = await hennaSalon(t);
    const list = await (await get(t, `/salons/${salon.slug}/book?lang=en`)).text();
    assert.match(list, /data-at-home/, "the service list says henna comes to homes");
    const res = await get(t, `/salons/${salon.slug}/book?service=${henna.id}&lang=en`);
    assert.equal(res.status, 200);
    const en = await res.text();
    assert.match(en, /Where would you like it\?/);
    assert.match(en, /At the salon/);
    assert.match(en, /At my home/);
    assert.match(en, /<select id="home-district" name="district"/);
    assert.match(en, /<option\s+value="al-malqa"\s*>Al Malqa<\/option>/);
    assert.match(en, /<option\s+value="hittin"\s*>Hittin<\/option>/);
    assert.doesNotMatch(en, /value="other"/, "no free text without a radius");
    assert.match(en, /<textarea id="home-address" name="address"/);
    assert.match(en, /<input id="home-map" type="url" name="map"/);
    assert.match(en, /<textarea id="home-notes" name="notes"/);
    assert.match(en, /Home visit surcharge: SAR\s50\.00/);
    assert.match(en, /needs 30 min to reach you/);
    assert.match(en, /href="\/salons\/[^"]+\/book\?service=[^"]+&amp;where=salon"/);
    const ar = await (await get(t, `/salons/${salon.slug}/book?service=${henna.id}`)).text();
    assert.match(ar, /في الصالون/);
    assert.match(ar, /في منزلي/);
    assert.match(ar, /<option\s+value="al-malqa"\s*>الملقا<\/option>/);
    assert.match(ar, /رسوم الزيارة المنزلية/);
    assert.match(ar, /٣٠ دقيقة/);
  } finally {
    await t.close();
  }
});

Deno.test(`home booking page (${B}) - at home: home times (travel blocked), the surcharge in the price, and a home visit booked with the address`, async () => {
  const t = await makeTestApp();
  try {
    const { salon, henna, cut, noura } = await hennaSalon(t);
    // Noura works in the salon 10:00–11:00 Riyadh (07:00–08:00Z).
    await makeBooking(t.db, { service: cut, staff: noura, starts_at: new Date(at("07:00")) });
    const home = new URLSearchParams(HOME);
    const staffStep = await get(
      t,
      `/salons/${salon.slug}/book?service=${henna.id}&${home}&lang=en`,
    );
    assert.equal(staffStep.status, 200);
    assert.equal(staffStep.headers.get("cache-control"), "private, no-store");
    const staffHtml = await staffStep.text();
    assert.match(staffHtml, /At your home: Al Malqa/);
    assert.match(staffHtml, /staff=any/);
    assert.match(staffHtml, /where=home&amp;district=al-malqa&amp;address=Building/);

    const timeUrl = `/salons/${salon.slug}/book?service=${henna.id}&${home}&staff=any&date=${DAY}`;
    const times = await (await get(t, `${timeUrl}&lang=en`)).text();
    assert.ok(!times.includes(`value="${at("08:00")}"`), "not before she can get there");
    assert.ok(times.includes(`value="${at("08:30")}"`), "30 minutes of travel later");
    const inSalon = await (await get(
      t,
      `/salons/${salon.slug}/book?service=${henna.id}&where=salon&staff=any&date=${DAY}`,
    )).text();
    assert.ok(inSalon.includes(`value="${at("08:00")}"`), "at the salon, right after");
    // The picker's form and day links carry the address along.
    assert.match(
      times,
      /<input\s+type="hidden" name="address" value="Building 12, Street 5, Al Malqa"/,
    );

    // Signed out, confirming goes through the login page and back with every detail.
    const confirmUrl = `${timeUrl}&start=${encodeURIComponent(at("08:30"))}`;
    const anon = await (await get(t, `${confirmUrl}&lang=en`)).text();
    const out = await post(t, `/salons/${salon.slug}/book`, null, formOf(anon));
    assert.equal(out.status, 303);
    const next = decodeURIComponent(out.headers.get("location")!.replace(/^\/login\?next=/, ""));
    assert.match(next, /where=home&district=al-malqa&address=Building/);
    assert.match(next, /map=https/);

    const jar = await browserLogin(t, PHONE_LOCAL);
    const confirm = await (await get(t, `${next}&lang=en`, jar)).text();
    assert.match(confirm, /At your home: Building 12, Street 5, Al Malqa, Al Malqa/);
    assert.match(confirm, /Gate 2/);
    assert.match(confirm, /SAR\s250\.00/, "henna and the surcharge");
    assert.match(confirm, /data-surcharge="5000"/);
    const res = await post(t, `/salons/${salon.slug}/book`, jar, formOf(confirm));
    assert.equal(res.status, 303, await res.clone().text());
    const id = /\/bookings\/([0-9a-f-]{36})\?notice=booked/.exec(res.headers.get("location")!)![1];
    const [row] = await t.db.query<{
      location: string;
      home_address: string;
      home_district_key: string;
      home_map_url: string;
      home_notes: string;
      home_surcharge_halalas: number;
      price_halalas: number;
      starts_at: Date;
    }>("SELECT * FROM bookings WHERE id = $1", [id]);
    assert.equal(row.location, "home");
    assert.equal(row.home_address, "Building 12, Street 5, Al Malqa");
    assert.equal(row.home_district_key, "al-malqa");
    assert.equal(row.home_map_url, "https://maps.google.com/?q=24.8,46.6");
    assert.equal(row.home_notes, "Gate 2");
    assert.equal(row.home_surcharge_halalas, 5000);
    assert.equal(row.price_halalas, 25000);
    assert.equal(row.starts_at.toISOString(), at("08:30"));

    // The booking page and my bookings show where.
    const page = await (await get(t, `/bookings/${id}?lang=en`, jar)).text();
    assert.match(page, /At your home: Building 12, Street 5, Al Malqa/);
    assert.match(page, /Home visit surcharge: SAR\s50\.00/);
    assert.match(page, /href="https:\/\/maps\.google\.com\/\?q=24\.8,46\.6"/);
    const mine = await (await get(t, `/me/bookings?lang=en`, jar)).text();
    assert.match(mine, /At your home: Building 12, Street 5, Al Malqa/);
    const mineAr = await (await get(t, `/me/bookings`, jar)).text();
    assert.match(mineAr, /في منزلك: Building 12/);
  } finally {
    await t.close();
  }
});

Deno.test(`home booking page (${B}) - a district not served, a missing address or a bad map link: 400 on the page, nothing booked`, async () => {
  const t = await makeTestApp();
  try {
    const { salon, henna } = await hennaSalon(t);
    const jar = await browserLogin(t, PHONE_LOCAL);
    const cases: [string, Record<string, string>, RegExp, RegExp][] = [
      ["a district not served", { district: "diriyah" }, /does not come to that area/, /لا يصل/],
      ["no district", { district: "" }, /Choose the district/, /يلزم اختيار حي/],
      ["no address", { address: "" }, /Give the address/, /اكتب عنوان/],
      ["a short address", { address: "x" }, /Give the address/, /اكتب عنوان/],
      [
        "a map link that is no web address",
        { map: "javascript:alert(1)" },
        /starting with http/,
        /رابط الخريطة/,
      ],
    ];
    for (const [name, change, en, ar] of cases) {
      const q = new URLSearchParams({ ...HOME, ...change });
      const base = `/salons/${salon.slug}/book?service=${henna.id}&${q}&staff=any`;
      const res = await get(t, `${base}&lang=en`);
      assert.equal(res.status, 400, name);
      const html = await res.text();
      assert.match(html, en, name);
      assert.match(html, /role="alert"/, name);
      assert.ok(!html.includes('name="start"'), `${name}: no times listed`);
      assert.match(await (await get(t, base)).text(), ar, `${name} in Arabic`);
      // Posted straight to the confirm step: refused the same way.
      const posted = await post(t, `/salons/${salon.slug}/book`, jar, [
        ["service", henna.id],
        ["staff", "any"],
        ["start", at("08:30")],
        ["idempotency_key", crypto.randomUUID()],
        ...q.entries(),
      ]);
      assert.equal(posted.status, 400, `${name} (posted)`);
      assert.match(await posted.text(), /role="alert"/);
    }
    assert.equal(await countBookings(t), 0);
    // The details kept in the form to be corrected.
    const kept = await (await get(
      t,
      `/salons/${salon.slug}/book?service=${henna.id}&${new URLSearchParams({
        ...HOME,
        district: "diriyah",
      })}`,
    )).text();
    assert.match(kept, />Building 12, Street 5, Al Malqa<\/textarea>/);
  } finally {
    await t.close();
  }
});

Deno.test(`home booking page (${B}) - a service offered only at the salon never offers home, and asking for it is refused`, async () => {
  const t = await makeTestApp();
  try {
    const { salon, cut } = await hennaSalon(t);
    const staffStep = await (await get(t, `/salons/${salon.slug}/book?service=${cut.id}&lang=en`))
      .text();
    assert.doesNotMatch(staffStep, /At my home/);
    assert.doesNotMatch(staffStep, /name="address"/);
    assert.match(staffStep, /staff=any/, "straight to who does it");
    const q = new URLSearchParams(HOME);
    const res = await get(t, `/salons/${salon.slug}/book?service=${cut.id}&${q}&staff=any&lang=en`);
    assert.equal(res.status, 400);
    assert.match(await res.text(), /does not offer every chosen service at home/);
    const jar = await browserLogin(t, PHONE_LOCAL);
    const posted = await post(t, `/salons/${salon.slug}/book`, jar, [
      ["service", cut.id],
      ["staff", "any"],
      ["start", at("08:30")],
      ["idempotency_key", "cut-at-home"],
      ...q.entries(),
    ]);
    assert.equal(posted.status, 400);
    assert.equal(await countBookings(t), 0);
    // A salon offering nothing at home shows no choice at all.
    const plain = await makeSalon(t.db, { name_en: "Plain" });
    const one = await makeService(t.db, plain);
    await makeStaff(t.db, plain, { services: [one.id] });
    const other = await (await get(t, `/salons/${plain.slug}/book?service=${one.id}&lang=en`))
      .text();
    assert.doesNotMatch(other, /At my home|data-at-home/);
  } finally {
    await t.close();
  }
});

Deno.test(`home booking page (${B}) - a salon serving a radius takes another district with a map pin inside it`, async () => {
  const t = await makeTestApp();
  try {
    const { salon, henna } = await hennaSalon(t, 10);
    const where = await (await get(t, `/salons/${salon.slug}/book?service=${henna.id}&lang=en`))
      .text();
    assert.match(where, /<option\s+value="other"\s*>Another district<\/option>/);
    assert.match(where, /name="district_other"/);
    assert.match(where, /within 10 km of the salon/);
    const other = {
      ...HOME,
      district: "other",
      district_other: "Al Sahafa",
      address: "Villa 9, Al Sahafa",
    };
    const noPin = await get(
      t,
      `/salons/${salon.slug}/book?service=${henna.id}&${new URLSearchParams({
        ...other,
        map: "",
      })}&lang=en`,
    );
    assert.equal(noPin.status, 400);
    assert.match(await noPin.text(), /add a map link to your home within 10 km/);
    const far = await get(
      t,
      `/salons/${salon.slug}/book?service=${henna.id}&${new URLSearchParams({
        ...other,
        map: "https://maps.google.com/?q=24.9,46.7",
      })}&lang=en`,
    );
    assert.equal(far.status, 400, "about 21 km away");
    const near = new URLSearchParams({ ...other, map: "http://maps.google.com/?q=24.78,46.64" });
    const ok = await get(t, `/salons/${salon.slug}/book?service=${henna.id}&${near}&lang=en`);
    assert.equal(ok.status, 200);
    assert.match(await ok.text(), /At your home: Al Sahafa/);
    const jar = await browserLogin(t, PHONE_LOCAL);
    const confirm = await (await get(
      t,
      `/salons/${salon.slug}/book?service=${henna.id}&${near}&staff=any&start=${
        encodeURIComponent(at("08:30"))
      }&lang=en`,
      jar,
    )).text();
    const res = await post(t, `/salons/${salon.slug}/book`, jar, formOf(confirm));
    assert.equal(res.status, 303, await res.clone().text());
    const [row] = await t.db.query<{ home_district_name: string; home_map_url: string }>(
      "SELECT home_district_name, home_map_url FROM bookings",
    );
    assert.equal(row.home_district_name, "Al Sahafa");
    assert.equal(row.home_map_url, "https://maps.google.com/?q=24.78,46.64", "stored as https");
  } finally {
    await t.close();
  }
});

Deno.test(`home booking page (${B}) - the demo data: the Ward studio is a ladies' salon doing henna and bridal make-up at home in Riyadh districts`, async () => {
  const t = await makeTestApp();
  try {
    await seedDemoData(t.db, t.clock.now());
    const found = await (await get(t, "/api/salons/?audience=ladies&home=1")).json();
    assert.deepEqual(found.results.map((r: { slug: string }) => r.slug), ["ward-studio-riyadh"]);
    const salon = await (await get(t, "/api/salons/ward-studio-riyadh/")).json();
    assert.equal(salon.home_service.travel_minutes, 40);
    assert.equal(salon.home_service.surcharge_halalas, 10000);
    assert.ok(salon.home_service.districts.length >= 5);
    assert.ok(
      salon.home_service.districts.some((d: { key: string }) => d.key === "al-malqa"),
    );
    const atHome = salon.services.filter((s: { at_home: boolean }) => s.at_home).map((
      s: { name_en: string },
    ) => s.name_en);
    assert.deepEqual(atHome.sort(), [
      "Bridal make-up",
      "Full henna (hands and feet)",
      "Hand henna",
    ]);
  } finally {
    await t.close();
  }
});

Deno.test(`home visit page (${B}) - several services at home: the choice on the visit form, home times, a home visit booked; a salon-only service or an unserved district refused`, async () => {
  const t = await makeTestApp();
  try {
    const { salon, henna, cut, noura } = await hennaSalon(t);
    const full = await makeService(t.db, salon, {
      category: "henna",
      at_home: true,
      price_halalas: 30000,
      duration_minutes: 30,
      name_en: "Feet henna",
    });
    await t.db.query(
      "INSERT INTO staff_services (staff_id, service_id, salon_id) VALUES ($1, $2, $3)",
      [
        noura.id,
        full.id,
        salon.id,
      ],
    );
    const choose = await (await get(t, `/salons/${salon.slug}/visit?lang=en`)).text();
    assert.match(choose, /data-where-choice/);
    assert.match(choose, /name="where" value="salon" checked/);
    const offered = /Offered at your home: ([^<]*)</.exec(choose)?.[1] ?? "";
    assert.deepEqual(offered.split(", ").sort(), ["Feet henna", "Hand henna"]);
    assert.match(choose, /<select id="home-district" name="district"/);
    assert.match(choose, /Home visit surcharge: SAR\s50\.00/);

    await makeBooking(t.db, { service: cut, staff: noura, starts_at: new Date(at("07:00")) });
    const basket = `s=${henna.id}&s=${full.id}&${new URLSearchParams(HOME)}`;
    const times = await get(t, `/salons/${salon.slug}/visit?${basket}&date=${DAY}&lang=en`);
    assert.equal(times.status, 200);
    const timesHtml = await times.text();
    assert.match(timesHtml, /At your home: Al Malqa/);
    assert.ok(!timesHtml.includes(`value="${at("08:00")}"`), "not before she can get there");
    assert.ok(timesHtml.includes(`value="${at("08:30")}"`), "after 30 minutes of travel");

    const jar = await browserLogin(t, PHONE_LOCAL);
    const confirm = await (await get(
      t,
      `/salons/${salon.slug}/visit?${basket}&start=${encodeURIComponent(at("08:30"))}&lang=en`,
      jar,
    )).text();
    assert.match(confirm, /At your home: Building 12, Street 5, Al Malqa, Al Malqa/);
    assert.match(confirm, /SAR\s550\.00/, "both services and the surcharge");
    const res = await post(t, `/salons/${salon.slug}/visit`, jar, formOf(confirm));
    assert.equal(res.status, 303, await res.clone().text());
    const [row] = await t.db.query<
      { location: string; home_address: string; home_surcharge_halalas: number; n: number }
    >(
      `SELECT location, home_address, home_surcharge_halalas,
         (SELECT count(*)::int FROM booking_items i WHERE i.booking_id = b.id) AS n
       FROM bookings b WHERE b.id = $1`,
      [/\/bookings\/([0-9a-f-]{36})/.exec(res.headers.get("location")!)![1]],
    );
    assert.deepEqual(row, {
      location: "home",
      home_address: "Building 12, Street 5, Al Malqa",
      home_surcharge_halalas: 5000,
      n: 2,
    });

    // A service offered only at the salon, or a district not served: 400, nothing booked.
    for (
      const [name, query, message] of [
        [
          "a salon-only service",
          `s=${henna.id}&s=${cut.id}&${new URLSearchParams(HOME)}`,
          /does not offer every chosen service at home/,
        ],
        [
          "an unserved district",
          `s=${henna.id}&${new URLSearchParams({ ...HOME, district: "diriyah" })}`,
          /does not come to that area/,
        ],
      ] as const
    ) {
      const refused = await get(t, `/salons/${salon.slug}/visit?${query}&date=${DAY}&lang=en`);
      assert.equal(refused.status, 400, name);
      const html = await refused.text();
      assert.match(html, message, name);
      assert.match(html, /name="where" value="home" checked/, `${name}: the choice kept`);
      const posted = await post(t, `/salons/${salon.slug}/visit`, jar, [
        ["start", at("12:00")],
        ["idempotency_key", crypto.randomUUID()],
        ...new URLSearchParams(query).entries(),
      ]);
      assert.equal(posted.status, 400, `${name} (posted)`);
    }
    assert.equal(await countBookings(t), 2, "the salon booking and the one home visit");
  } finally {
    await t.close();
  }
});

Deno.test(`home booking page (${B}) - services marked for home at a salon serving no district and no radius: no home choice anywhere`, async () => {
  const t = await makeTestApp();
  try {
    const salon = await makeSalon(t.db, { home_travel_minutes: 30 });
    const henna = await makeService(t.db, salon, { at_home: true, name_en: "Hand henna" });
    await makeStaff(t.db, salon, { services: [henna.id] });
    for (
      const path of [
        `/salons/${salon.slug}?lang=en`,
        `/salons/${salon.slug}/book?lang=en`,
        `/salons/${salon.slug}/book?service=${henna.id}&lang=en`,
        `/salons/${salon.slug}/visit?lang=en`,
      ]
    ) {
      const html = await (await get(t, path)).text();
      assert.doesNotMatch(html, /At my home|data-at-home|Also at your home/, path);
    }
    const asked = await get(
      t,
      `/salons/${salon.slug}/book?service=${henna.id}&${new URLSearchParams(HOME)}&lang=en`,
    );
    assert.equal(asked.status, 400);
  } finally {
    await t.close();
  }
});
