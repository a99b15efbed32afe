/**
 * Finding a salon: who it serves (on every card and page), and the search filters of the home page
 * and `GET /api/salons/` (city, district, audience, category, price, rating, availability on a day
 * after a time, sorting), with bad filters refused (API) or left out with a message (page).
 */
import assert from "node:assert/strict";
import { seedDemoData } from "@/db/seed.ts";
import { makeTestApp, type TestApp } from "./helpers/app.ts";
import { testBackend } from "./helpers/db.ts";
import { get, makeWorld, post } from "./helpers/dashboard.ts";
import {
  everyDay,
  hm,
  makeBooking,
  makeSalon,
  makeService,
  makeStaff,
} from "./helpers/factories.ts";

const B = testBackend();

interface Result {
  slug: string;
  audience: string[];
  district: string;
  rating: number;
  price_from_halalas: number | null;
  next_available: { service_id: string; start: string } | null;
  [key: string]: unknown;
}

async function search(t: TestApp, query: string): Promise<Result[]> {
  const res = await t.app.request(`/api/salons/?${query}`);
  assert.equal(res.status, 200, `${query}: ${res.status}`);
  assert.match(res.headers.get("content-type") ?? "", /^application\/json/);
  return (await res.json()).results;
}

const slugs = (results: Result[]) => results.map((r) => r.slug).sort();

Deno.test(`search (${B}) - filters on the demo salons: audience, city and district, category, price, rating; sorting; the card fields`, async (t) => {
  const app = await makeTestApp();
  try {
    await seedDemoData(app.db, app.clock.now());
    // Known ratings, so the rating filter and sort have something to tell apart.
    for (
      const [slug, rating] of [
        ["lamsa-riyadh", 4.8],
        ["dar-al-jamal-jeddah", 4.2],
        ["nokhba-dammam", 3.9],
        ["ward-studio-riyadh", 4.5],
      ] as const
    ) {
      await app.db.query("UPDATE salons SET rating_avg = $2, rating_count = 10 WHERE slug = $1", [
        slug,
        rating,
      ]);
    }
    const cases: [string, string, string[]][] = [
      ["ladies", "audience=ladies", ["dar-al-jamal-jeddah", "lamsa-riyadh", "ward-studio-riyadh"]],
      ["gents", "audience=gents", ["nokhba-dammam"]],
      ["children", "audience=children", ["dar-al-jamal-jeddah", "nokhba-dammam"]],
      ["a district", "city=riyadh&district=al-malqa", ["ward-studio-riyadh"]],
      ["a district of another city", "city=jeddah&district=al-malqa", []],
      ["barbering", "category=barber", ["nokhba-dammam"]],
      ["henna in Riyadh", "category=henna&city=riyadh", ["lamsa-riyadh", "ward-studio-riyadh"]],
      ["henna for gents", "category=henna&audience=gents", []],
      ["a rating of 4.5 or more", "rating=4.5", ["lamsa-riyadh", "ward-studio-riyadh"]],
      ["ladies, rated 4.3+, up to SAR 70", "audience=ladies&rating=4.3&price_max=70", [
        "ward-studio-riyadh",
      ]],
      ["empty fields mean any", "q=&city=&district=&audience=&category=&sort=", [
        "dar-al-jamal-jeddah",
        "lamsa-riyadh",
        "nokhba-dammam",
        "ward-studio-riyadh",
      ]],
    ];
    for (const [name, query, expected] of cases) {
      await t.step(name, async () => {
        assert.deepEqual(slugs(await search(app, query)), expected);
      });
    }

    await t.step("a price range keeps salons with a service priced within it", async () => {
      const results = await search(app, "price_min=250&price_max=3000");
      assert.ok(results.length > 0);
      for (const r of results) {
        assert.ok(r.price_from_halalas! >= 25000 && r.price_from_halalas! <= 300000, r.slug);
      }
      // The barber has nothing that expensive (its dearest service is SAR 200).
      assert.ok(!results.some((r) => r.slug === "nokhba-dammam"));
    });

    await t.step("sorted by price, lowest first; by rating, highest first", async () => {
      const byPrice = await search(app, "sort=price&category=nails");
      const prices = byPrice.map((r) => r.price_from_halalas!);
      assert.ok(prices.length >= 2);
      assert.deepEqual(prices, [...prices].sort((a, b) => a - b));
      const byRating = await search(app, "sort=rating");
      assert.deepEqual(byRating.map((r) => r.slug), [
        "lamsa-riyadh",
        "ward-studio-riyadh",
        "dar-al-jamal-jeddah",
        "nokhba-dammam",
      ]);
    });

    await t.step("each result carries what the cards show", async () => {
      const [nokhba] = await search(app, "audience=gents");
      assert.deepEqual(nokhba.audience, ["gents", "children"]);
      assert.equal(nokhba.district, "al-faisaliyah");
      assert.equal(nokhba.district_en, "Al Faisaliyah");
      assert.equal(nokhba.rating, 3.9);
      assert.equal(typeof nokhba.price_from_halalas, "number");
      assert.ok("cover_photo" in nokhba);
      const cover = nokhba.cover_photo as { src: string; largest: { url: string } } | null;
      if (cover) assert.match(cover.largest.url, /^\//);
      assert.ok(nokhba.next_available);
      assert.equal(nokhba.home_service, false);
    });
  } finally {
    await app.close();
  }
});

/** One salon (09:00–21:00) with one staff member and a one-hour service. */
async function salonWithOne(t: TestApp, name: string, rating: number) {
  const salon = await makeSalon(t.db, {
    name_en: name,
    rating_avg: rating,
    rating_count: 5,
    slot_step_minutes: 30,
    hours: everyDay(hm(9), hm(21)),
  });
  const service = await makeService(t.db, salon, { name_en: `${name} cut` });
  const staff = await makeStaff(t.db, salon, { services: [service.id] });
  /** Books the staff member from `from` to `to` on Sunday 22 November (Riyadh, UTC+3). */
  const book = async (from: number, to: number) => {
    // In blocks of at most six hours (a booking is bounded in length).
    for (let h = from; h < to; h += 6) {
      const end = Math.min(h + 6, to);
      await makeBooking(t.db, {
        service,
        staff,
        starts_at: new Date(Date.UTC(2026, 10, 22, h - 3)),
        ends_at: new Date(Date.UTC(2026, 10, 22, end - 3)),
      });
    }
  };
  return { salon, service, staff, book };
}

Deno.test(`search (${B}) - availability on a day uses the slot engine: a fully booked salon is left out, one with room is kept; after a time; soonest first`, async (t) => {
  const app = await makeTestApp(); // Saturday 21 November 2026, 12:00 in Riyadh.
  try {
    const full = await salonWithOne(app, "Full", 4.9);
    await full.book(9, 21);
    const room = await salonWithOne(app, "Room", 3.0);
    const evening = await salonWithOne(app, "Evening busy", 4.0);
    await evening.book(18, 21);
    const morning = await salonWithOne(app, "Morning busy", 4.5);
    await morning.book(9, 15);
    const slugOf = (x: { salon: { slug: string } }) => x.salon.slug;

    await t.step("on Sunday: every salon with room that day", async () => {
      assert.deepEqual(
        slugs(await search(app, "date=2026-11-22")),
        [room, evening, morning].map(slugOf).sort(),
      );
    });
    await t.step("on Sunday after 18:00: the evening-busy salon is out too", async () => {
      const results = await search(app, "date=2026-11-22&after=18:00");
      assert.deepEqual(slugs(results), [room, morning].map(slugOf).sort());
      for (const r of results) {
        assert.equal(r.next_available!.start, "2026-11-22T15:00:00.000Z", "18:00 in Riyadh");
      }
    });
    await t.step("on Monday every salon has room (bookings elsewhere do not count)", async () => {
      assert.equal((await search(app, "date=2026-11-23")).length, 4);
    });
    await t.step("a day in the past finds nothing", async () => {
      assert.deepEqual(await search(app, "date=2026-11-20"), []);
    });
    await t.step("soonest first on Sunday: 09:00 before 15:00, whatever the rating", async () => {
      const results = await search(app, "date=2026-11-22&sort=soonest");
      assert.equal(results.length, 3);
      assert.equal(results.at(-1)!.slug, morning.salon.slug, "free from 15:00 only");
      assert.equal(results.at(-1)!.next_available!.start, "2026-11-22T12:00:00.000Z");
      assert.equal(results[0].next_available!.start, "2026-11-22T06:00:00.000Z");
    });
    await t.step(
      "the home page shows the same choice, and the form keeps the filters",
      async () => {
        const res = await app.app.request("/?date=2026-11-22&after=18:00&lang=en");
        assert.equal(res.status, 200);
        const html = await res.text();
        assert.ok(html.includes(`/salons/${room.salon.slug}"`));
        assert.ok(html.includes(`/salons/${morning.salon.slug}"`));
        assert.ok(!html.includes(`/salons/${full.salon.slug}"`));
        assert.ok(!html.includes(`/salons/${evening.salon.slug}"`));
        assert.match(html, /name="date" value="2026-11-22"/);
        assert.match(html, /name="after" value="18:00"/);
        // Without the filter, the page (cached per URL) lists them all.
        const all = await (await app.app.request("/?lang=en")).text();
        assert.ok(all.includes(`/salons/${full.salon.slug}"`));
      },
    );
  } finally {
    await app.close();
  }
});

Deno.test(`search (${B}) - bad filters: a localized 400 from the API naming each field; the page leaves them out with a message`, async () => {
  const app = await makeTestApp();
  try {
    const only = await makeSalon(app.db, { name_en: "Only Salon" });
    const service = await makeService(app.db, only, { price_halalas: 35000 });
    await makeStaff(app.db, only, { services: [service.id] });
    const bad: [string, string, string][] = [
      ["audience=women", "audience", "Choose ladies, gents or children."],
      ["category=spa", "category", "Choose a service type from the list."],
      ["price_min=abc", "price_min", "Give a price in whole riyals (0 to 100000)."],
      ["price_max=-5", "price_max", "Give a price in whole riyals (0 to 100000)."],
      [
        "price_min=300&price_max=100",
        "price_max",
        "The lowest price must not be above the highest.",
      ],
      ["rating=6", "rating", "Give a rating from 0 to 5."],
      ["date=2026-13-01", "date", "Give a date as YYYY-MM-DD."],
      ["after=25:00", "after", "Give a time as HH:MM (24-hour)."],
      ["sort=cheap", "sort", "Sort by best match, soonest, rating or price."],
      ["district=Al%20Olaya", "district", "Choose a district from the list."],
    ];
    for (const [query, field, message] of bad) {
      const res = await app.app.request(`/api/salons/?${query}&lang=en`);
      assert.equal(res.status, 400, query);
      const body = await res.json();
      assert.equal(body.detail, "Some fields are not valid.");
      assert.deepEqual(body[field], [message], query);
    }
    const ar = await app.app.request("/api/salons/?audience=women");
    assert.equal(ar.status, 400);
    assert.deepEqual((await ar.json()).audience, ["الفئة: سيدات أو رجال أو أطفال."]);

    for (const [query, , message] of bad) {
      const res = await app.app.request(`/?${query}&lang=en`);
      assert.equal(res.status, 200, query);
      const html = await res.text();
      assert.ok(html.includes(message.replaceAll("“", "&ldquo;")), `${query} says why`);
      assert.ok(html.includes("Only Salon"), `${query}: the rest of the search still runs`);
    }
  } finally {
    await app.close();
  }
});

Deno.test(`audience (${B}) - shown in words on every card and on the salon page, staff gender beside the name`, async () => {
  const app = await makeTestApp();
  try {
    await seedDemoData(app.db, app.clock.now());
    const home = await (await app.app.request("/?lang=en")).text();
    assert.match(home, /Serves: Gents · Children/);
    assert.match(home, /Serves: Ladies · Children/);
    assert.equal(home.match(/Serves: Ladies</g)?.length, 2, "two ladies-only salons");
    const homeAr = await (await app.app.request("/?audience=gents")).text();
    assert.match(homeAr, /الفئة: رجال، أطفال/);
    assert.ok(!homeAr.includes("الفئة: سيدات"), "only the barber for gents");

    const page = await (await app.app.request("/salons/nokhba-dammam?lang=en")).text();
    assert.match(page, /Serves: Gents · Children/);
    assert.match(page, /Ahmed Al-Malki · male specialist/);
    const pageAr = await (await app.app.request("/salons/lamsa-riyadh")).text();
    assert.match(pageAr, /الفئة: سيدات/);
    assert.match(pageAr, /نورة القحطاني · أخصائية|· أخصائية/);

    const [lamsa] = await app.db.query<{ id: string }>(
      "SELECT id FROM salons WHERE slug = 'lamsa-riyadh'",
    );
    const [service] = await app.db.query<{ id: string }>(
      "SELECT id FROM services WHERE salon_id = $1 AND name_en = 'Blow-dry'",
      [lamsa.id],
    );
    const choose = await (await app.app.request(
      `/salons/lamsa-riyadh/book?service=${service.id}&lang=en`,
    )).text();
    assert.match(choose, /Noura Al-Qahtani · female specialist/);
  } finally {
    await app.close();
  }
});

Deno.test(`dashboard (${B}) - a manager sets whom the salon serves and a staff member's gender; both audited, bad values refused`, async () => {
  const t = await makeTestApp();
  try {
    const w = await makeWorld(t);
    const base = `/dashboard/${w.salon.slug}`;
    const general = {
      intent: "general",
      name_ar: w.salon.name_ar,
      name_en: w.salon.name_en,
      description_ar: "",
      description_en: "",
      district_ar: "الروضة",
      district_en: "Al Rawdah",
      address_ar: "",
      address_en: "",
      phone: "",
      whatsapp: "",
      slot_step_minutes: "30",
      min_notice_minutes: "0",
      horizon_days: "60",
      hold_minutes: "10",
      cancellation_window_hours: "24",
      payment_mode: "at_salon",
      deposit_percent: "0",
    };
    const page = await (await get(t, `${base}/settings?lang=en`, w.jars.manager)).text();
    assert.match(page, /name="audience_ladies"[^>]*checked/);

    const none = await post(t, `${base}/settings?lang=en`, w.jars.manager, general);
    assert.equal(none.status, 400);
    assert.match(await none.text(), /Choose at least one: ladies, gents or children\./);

    const ok = await post(t, `${base}/settings`, w.jars.manager, {
      ...general,
      audience_gents: "on",
      audience_children: "on",
    });
    assert.equal(ok.status, 303);
    const [salon] = await t.db.query<{ audience: string[]; district: string }>(
      "SELECT audience, district FROM salons WHERE id = $1",
      [w.salon.id],
    );
    assert.deepEqual(salon, { audience: ["gents", "children"], district: "al-rawdah" });
    const [audit] = await t.db.query<
      { before: { audience: string[] }; after: { audience: string[] } }
    >(
      "SELECT before, after FROM audit_log WHERE action = 'salon.update' AND salon_id = $1",
      [w.salon.id],
    );
    assert.deepEqual(audit.before.audience, ["ladies"]);
    assert.deepEqual(audit.after.audience, ["gents", "children"]);
    // The public search follows at once (the page cache is told of the change).
    assert.deepEqual(slugs(await search(t, "audience=gents&district=al-rawdah")), [w.salon.slug]);

    const profile = {
      intent: "profile",
      name_ar: w.reem.name_ar,
      name_en: w.reem.name_en,
      title_ar: "",
      title_en: "",
      sort_order: "0",
      active: "on",
      [`svc_${w.service.id}`]: "on",
    };
    const badGender = await post(t, `${base}/staff/${w.reem.id}?lang=en`, w.jars.manager, {
      ...profile,
      gender: "other",
    });
    assert.equal(badGender.status, 400);
    const set = await post(t, `${base}/staff/${w.reem.id}`, w.jars.manager, {
      ...profile,
      gender: "female",
    });
    assert.equal(set.status, 303);
    const [staff] = await t.db.query<{ gender: string | null }>(
      "SELECT gender FROM staff WHERE id = $1",
      [w.reem.id],
    );
    assert.equal(staff.gender, "female");
    const [staffAudit] = await t.db.query<{ before: { gender: null }; after: { gender: string } }>(
      "SELECT before, after FROM audit_log WHERE action = 'staff.update' AND entity_id = $1",
      [w.reem.id],
    );
    assert.deepEqual([staffAudit.before.gender, staffAudit.after.gender], [null, "female"]);
    const edit = await (await get(t, `${base}/staff/${w.reem.id}?lang=en`, w.jars.manager)).text();
    assert.match(
      edit,
      /<option[^>]*value="female"[^>]*selected|<option selected[^>]*value="female"/,
    );
  } finally {
    await t.close();
  }
});
