/**
 * What the salon search costs with 200 salons (three staff members and four services each, a day
 * half booked): the plain list, the filters SQL answers alone, and the availability filter and
 * "soonest" sort that ask the slot engine about at most AVAILABILITY_CANDIDATES salons. Median and
 * worst of several runs per search, printed as a table.
 *
 * Back end: a Postgres server when BENCH_DATABASE_URL (or TEST_DATABASE_URL) is set; otherwise
 * embedded PGlite. The measurement runs once when `deno bench` loads this file.
 */
import { setLogLevel } from "@/log.ts";
import { type SalonFilters, searchSalons } from "@/services/search/salons.ts";
import { makeBooking, makeSalon, makeService, makeStaff } from "../tests/helpers/factories.ts";

setLogLevel("error");
const benchUrl = Deno.env.get("BENCH_DATABASE_URL");
if (benchUrl) Deno.env.set("TEST_DATABASE_URL", benchUrl);
const { createTestDb, testBackend } = await import("../tests/helpers/db.ts");

const SALONS = 200;
const RUNS = 7;
const NOW = new Date("2026-11-21T09:00:00Z"); // Saturday 12:00 in Riyadh.
const AUDIENCE = [["ladies"], ["gents"], ["ladies", "children"], ["gents", "children"]];
const CATEGORIES = ["hair", "nails", "henna", "barber"];

const test = await createTestDb();
const db = test.db;
try {
  for (let i = 0; i < SALONS; i++) {
    const salon = await makeSalon(db, {
      city: i % 2 ? "riyadh" : "jeddah",
      district_en: ["Al Olaya", "Al Malqa", "Al Rawdah", "Al Hamra"][i % 4],
      audience: AUDIENCE[i % 4],
      rating_avg: (i % 50) / 10,
      rating_count: i,
      slot_step_minutes: 15,
    });
    const services = [];
    for (let k = 0; k < 4; k++) {
      services.push(
        await makeService(db, salon, {
          category: CATEGORIES[k],
          price_halalas: 5000 + ((i * 7 + k * 1300) % 30000),
        }),
      );
    }
    for (let s = 0; s < 3; s++) {
      const staff = await makeStaff(db, salon, { services: services.map((v) => v.id) });
      // Sunday 09:00–15:00 taken for every staff member of every other salon.
      if (i % 2) {
        await makeBooking(db, {
          service: services[0],
          staff,
          starts_at: new Date("2026-11-22T06:00:00Z"),
          ends_at: new Date("2026-11-22T12:00:00Z"),
        });
      }
    }
  }

  const cases: [string, Omit<SalonFilters, "now">][] = [
    ["every salon (next available for 20)", {}],
    ["city + district + audience + category + price + rating", {
      city: "riyadh",
      district: "al-malqa",
      audience: "gents",
      category: "barber",
      priceMin: 5000,
      priceMax: 30000,
      minRating: 2,
    }],
    ["sort by price", { sort: "price", category: "nails" }],
    ["available Sunday", { date: "2026-11-22" }],
    ["available Sunday after 18:00, soonest first", {
      date: "2026-11-22",
      afterMinute: 18 * 60,
      sort: "soonest",
    }],
    ["soonest first (14 days)", { sort: "soonest" }],
  ];
  const rows = [];
  for (const [name, filters] of cases) {
    const times: number[] = [];
    let found = 0;
    for (let r = 0; r < RUNS; r++) {
      const t0 = performance.now();
      found = (await searchSalons(db, { ...filters, now: NOW })).length;
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    rows.push({
      search: name,
      results: found,
      "median ms": times[RUNS >> 1].toFixed(1),
      "worst ms": times.at(-1)!.toFixed(1),
    });
  }
  console.log(`salon search, ${SALONS} salons, ${testBackend()}`);
  console.table(rows);
} finally {
  await test.close();
}
