import assert from "node:assert/strict";
import { seedDemoData } from "@/db/seed.ts";
import { makeTestApp } from "./helpers/app.ts";
import { testBackend } from "./helpers/db.ts";
import {
  everyDay,
  hm,
  makeClosure,
  makeSalon,
  makeService,
  makeStaff,
} from "./helpers/factories.ts";

const B = testBackend();

interface Result {
  slug: string;
  matched_service: { name_en: string } | null;
  [key: string]: unknown;
}

async function search(app: { request: (url: string) => Response | Promise<Response> }, query = "") {
  const res = await app.request(`/api/salons/?${query}`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get("content-type") ?? "", /^application\/json/);
  return (await res.json()).results as Result[];
}

Deno.test(`GET /api/salons/ (${B}) - finds salons by salon or service name, Arabic or English, despite typos, within a city`, async (t) => {
  const app = await makeTestApp();
  try {
    await seedDemoData(app.db, app.clock.now());
    const slugs = (results: Result[]) => results.map((r) => r.slug);
    const cases: [string, string, (found: string[], results: Result[]) => void][] = [
      ["salon name in English", "q=lamsa", (f) => assert.equal(f[0], "lamsa-riyadh")],
      [
        "salon name in Arabic",
        `q=${encodeURIComponent("لمسة")}`,
        (f) => assert.equal(f[0], "lamsa-riyadh"),
      ],
      [
        "Arabic written with ه for ة and ا for أ",
        `q=${encodeURIComponent("لمسه")}`,
        (f) => assert.equal(f[0], "lamsa-riyadh"),
      ],
      ["a typo in a salon name", "q=nokhbah", (f) => assert.equal(f[0], "nokhba-dammam")],
      [
        "a service name with a typo",
        "q=keratine",
        (f, r) => {
          assert.deepEqual(f, ["dar-al-jamal-jeddah"]);
          assert.equal(r[0].matched_service?.name_en, "Keratin treatment");
        },
      ],
      [
        "a service name in Arabic",
        `q=${encodeURIComponent("حناء")}`,
        (f) =>
          assert.deepEqual(f.sort(), ["dar-al-jamal-jeddah", "lamsa-riyadh", "ward-studio-riyadh"]),
      ],
      [
        "a service in one city",
        `q=${encodeURIComponent("حناء")}&city=riyadh`,
        (f) => assert.deepEqual(f.sort(), ["lamsa-riyadh", "ward-studio-riyadh"]),
      ],
      ["the city alone", "city=dammam", (f) => assert.deepEqual(f, ["nokhba-dammam"])],
      ["nothing like it", "q=xylophone", (f) => assert.deepEqual(f, [])],
      ["no query lists every salon", "", (f) => assert.equal(f.length, 4)],
    ];
    for (const [name, query, check] of cases) {
      await t.step(name, async () => {
        const results = await search(app.app, query);
        check(slugs(results), results);
      });
    }
  } finally {
    await app.close();
  }
});

Deno.test(`GET /api/salons/ (${B}) - results carry rating, district, price range and the next available time`, async () => {
  const app = await makeTestApp();
  try {
    // Saturday 12:00 in Riyadh; min notice 60 minutes on a 30-minute grid → 13:00 is first.
    const salon = await makeSalon(app.db, {
      name_en: "Rose Salon",
      rating_avg: 4.5,
      rating_count: 12,
      min_notice_minutes: 60,
      slot_step_minutes: 30,
      hours: everyDay(hm(9), hm(18)),
    });
    const cut = await makeService(app.db, salon, { name_en: "Cut", price_halalas: 5000 });
    const colour = await makeService(app.db, salon, {
      name_en: "Colour",
      price_halalas: 30000,
      duration_minutes: 90,
    });
    await makeStaff(app.db, salon, {
      services: [cut.id, { id: colour.id, price_halalas: 35000 }],
    });
    const [result] = await search(app.app, "q=rose");
    assert.equal(result.slug, salon.slug);
    assert.equal(result.rating_avg, 4.5);
    assert.equal(result.rating_count, 12);
    assert.equal(result.district_en, "Al Olaya");
    assert.equal(result.min_price_halalas, 5000);
    assert.equal(result.max_price_halalas, 35000);
    assert.deepEqual(result.next_available, {
      service_id: cut.id,
      start: "2026-11-21T10:00:00.000Z",
    });

    await makeClosure(app.db, salon, {
      starts_at: new Date("2026-11-20T00:00:00Z"),
      ends_at: new Date("2026-11-25T00:00:00Z"),
    });
    const [closed] = await search(app.app, "q=rose");
    assert.equal(
      (closed.next_available as { start: string }).start,
      "2026-11-25T06:00:00.000Z",
      "09:00 on the first day after the closure",
    );
  } finally {
    await app.close();
  }
});

Deno.test(`GET /api/salons/ (${B}) - an over-long query or a malformed city is a localized 400`, async () => {
  const app = await makeTestApp();
  try {
    const long = await app.app.request(`/api/salons/?q=${"a".repeat(101)}&lang=en`);
    assert.equal(long.status, 400);
    assert.deepEqual(await long.json(), {
      detail: "Some fields are not valid.",
      q: ["This value is too long."],
    });
    const city = await app.app.request("/api/salons/?city=Riyadh%3B");
    assert.equal(city.status, 400);
    assert.deepEqual((await city.json()).city, ["هذه القيمة غير صالحة."]);
  } finally {
    await app.close();
  }
});

Deno.test(`GET /api/salons/{slug}/ (${B}) - the salon with settings, services, staff, hours and upcoming closures`, async () => {
  const app = await makeTestApp();
  try {
    await seedDemoData(app.db, app.clock.now());
    const res = await app.app.request("/api/salons/lamsa-riyadh/");
    assert.equal(res.status, 200);
    const body = await res.json();
    assert.equal(body.name_ar, "صالون لمسة");
    assert.equal(body.timezone, "Asia/Riyadh");
    assert.equal(body.payment_mode, "deposit");
    assert.equal(body.deposit_percent, 20);
    assert.equal(body.slot_step_minutes, 15);
    assert.equal(body.whatsapp, "+966550000101");
    assert.ok(body.services.length >= 8);
    const bridal = body.services.find((s: { name_en: string }) => s.name_en === "Bridal package");
    assert.equal(bridal.price_halalas, 250000);
    assert.equal(bridal.max_price_halalas, 280000, "one stylist charges more");
    const reem = body.staff.find((s: { name_en: string }) => s.name_en === "Reem Al-Otaibi");
    assert.ok(reem.hours.length > 0, "custom hours");
    assert.ok(reem.services.some((s: { service_id: string }) => s.service_id === bridal.id));
    assert.ok(body.hours.some((h: { weekday: number }) => h.weekday === 5), "open on Friday");
    assert.equal(body.closures.length, 1);
    assert.match(body.closures[0].reason_en, /Eid/);
    assert.match(body.closures[0].starts_at, /Z$/);

    const missing = await app.app.request("/api/salons/nope/?lang=en");
    assert.equal(missing.status, 404);
    assert.deepEqual(await missing.json(), { detail: "Not found." });
  } finally {
    await app.close();
  }
});
