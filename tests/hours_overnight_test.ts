import assert from "node:assert/strict";
import { makeTestApp, type TestApp } from "./helpers/app.ts";
import { get, makeWorld, post } from "./helpers/dashboard.ts";
import { testBackend } from "./helpers/db.ts";
import { hm, makeSalon, makeService, makeStaff } from "./helpers/factories.ts";

const B = testBackend();

// ISO weekdays: 4 Thursday, 5 Friday, 7 Sunday, 1 Monday.
const LATE_THURSDAY = [
  { weekday: 4, startMinute: hm(16), endMinute: 1440 },
  { weekday: 5, startMinute: 0, endMinute: hm(1) },
  { weekday: 5, startMinute: hm(16), endMinute: hm(23) },
];

/** The text of each weekday row of the salon page's hours table. */
async function hoursTable(t: TestApp, slug: string, lang: string): Promise<Map<string, string>> {
  const res = await t.app.request(`/salons/${slug}?lang=${lang}`);
  assert.equal(res.status, 200);
  const html = await res.text();
  const table = /aria-labelledby="hours"[\s\S]*?<\/table>/.exec(html)![0];
  const rows = new Map<string, string>();
  for (const [, day, hours] of table.matchAll(/<th[^>]*>([^<]*)<\/th>\s*<td[^>]*>([^<]*)<\/td>/g)) {
    rows.set(day.trim(), hours.trim());
  }
  return rows;
}

Deno.test(`salon page (${B}) - hours past midnight read as one range on the day they start`, async () => {
  const t = await makeTestApp();
  try {
    const salon = await makeSalon(t.db, { hours: LATE_THURSDAY });
    const service = await makeService(t.db, salon);
    await makeStaff(t.db, salon, { services: [service.id] });
    const en = await hoursTable(t, salon.slug, "en");
    assert.equal(en.get("Thursday"), "4:00 pm – 1:00 am");
    assert.equal(en.get("Friday"), "4:00 pm – 11:00 pm", "not split over two days");
    const ar = await hoursTable(t, salon.slug, "ar");
    assert.equal(ar.get("الخميس"), "٤:٠٠ م – ١:٠٠ ص");
    assert.equal(ar.get("الجمعة"), "٤:٠٠ م – ١١:٠٠ م");
  } finally {
    await t.close();
  }
});

Deno.test(`dashboard hours (${B}) - a manager reads and writes a range past midnight as one`, async () => {
  const t = await makeTestApp();
  try {
    const w = await makeWorld(t);
    const base = `/dashboard/${w.salon.slug}`;
    const saved = await post(t, `${base}/settings`, w.jars.manager, {
      intent: "hours",
      h4_0_start: "16:00",
      h4_0_end: "01:00",
      h5_0_start: "16:00",
      h5_0_end: "23:00",
      h7_0_start: "20:00",
      h7_0_end: "02:30",
    });
    assert.equal(saved.status, 303);
    const rows = await t.db.query<{ weekday: number; start_minute: number; end_minute: number }>(
      `SELECT weekday, start_minute, end_minute FROM salon_hours WHERE salon_id = $1
       ORDER BY weekday, start_minute`,
      [w.salon.id],
    );
    assert.deepEqual([...rows], [
      { weekday: 1, start_minute: 0, end_minute: 150 }, // Sunday's night, into Monday
      { weekday: 4, start_minute: 960, end_minute: 1440 },
      { weekday: 5, start_minute: 0, end_minute: 60 },
      { weekday: 5, start_minute: 960, end_minute: 1380 },
      { weekday: 7, start_minute: 1200, end_minute: 1440 },
    ]);

    const page = await (await get(t, `${base}/settings?lang=en`, w.jars.manager)).text();
    const value = (name: string) =>
      new RegExp(`name="${name}"[^>]*value="([^"]*)"`).exec(page)?.[1] ?? "";
    assert.deepEqual(
      ["h4_0_start", "h4_0_end", "h5_0_start", "h5_0_end", "h5_1_start", "h7_0_end", "h1_0_start"]
        .map(value),
      ["16:00", "01:00", "16:00", "23:00", "", "02:30", ""],
    );
  } finally {
    await t.close();
  }
});
