import assert from "node:assert/strict";
import { createBooking } from "@/services/bookings/mod.ts";
import { makeTestApp, type TestApp } from "./helpers/app.ts";
import { browserLogin } from "./helpers/auth.ts";
import { book, get as dashGet, makeWorld } from "./helpers/dashboard.ts";
import { testBackend } from "./helpers/db.ts";
import { makeSalon, makeService, makeStaff } from "./helpers/factories.ts";

const B = testBackend();

/** A customer's booking on Monday 23 Nov 2026 at 16:30 in Riyadh (the clock: Saturday noon). */
async function booked(t: TestApp) {
  const salon = await makeSalon(t.db);
  const service = await makeService(t.db, salon, { duration_minutes: 60 });
  const staff = await makeStaff(t.db, salon, { services: [service.id] });
  const jar = await browserLogin(t);
  const [user] = await t.db.query<{ id: string }>("SELECT id FROM users LIMIT 1");
  const { booking } = await createBooking(t.db, {
    customerId: user.id,
    salon: salon.slug,
    serviceId: service.id,
    staff: staff.id,
    start: new Date("2026-11-23T13:30:00Z"),
    now: t.clock.now(),
    actor: { userId: user.id, role: "customer" },
  });
  const get = (query: string) =>
    t.app.request(`/bookings/${booking.id}/reschedule${query}`, {
      headers: { cookie: jar.header() },
    });
  return { booking, get };
}

const radios = (html: string) =>
  [...html.matchAll(/<input[^>]*type="radio"[^>]*>/g)].map((m) => m[0]);

Deno.test(`reschedule page (${B}) - nothing is preselected; the booking's own time shows as current, not as a choice`, async () => {
  const t = await makeTestApp();
  try {
    const { get } = await booked(t);
    for (const lang of ["ar", "en"]) {
      const res = await get(`?lang=${lang}`);
      assert.equal(res.status, 200);
      const html = await res.text();
      const inputs = radios(html);
      assert.ok(inputs.length > 5, "free times on the booking's day are offered");
      assert.deepEqual(inputs.filter((i) => /\bchecked\b/.test(i)), [], "no time is preselected");
      assert.ok(
        !html.includes('value="2026-11-23T13:30:00.000Z"'),
        "the current time is no choice",
      );
      assert.ok(html.includes('value="2026-11-23T12:30:00.000Z"'), "an hour earlier is");
      const current = lang === "en"
        ? /4:30\s*pm[^<]*<span[^>]*>your current time</i
        : /موعدك الحالي/;
      assert.match(html, current);
    }
  } finally {
    await t.close();
  }
});

Deno.test(`reschedule page (${B}) - the date strip shows Hijri dates, like the booking picker`, async () => {
  const t = await makeTestApp();
  try {
    const { get } = await booked(t);
    const html = await (await get("?lang=en")).text();
    const hijri = new Intl.DateTimeFormat("en-GB-u-ca-islamic-umalqura", {
      day: "numeric",
      month: "short",
      timeZone: "UTC",
    });
    // Every day of the two-week strip, today (Saturday 21 Nov) first.
    for (let day = 21; day < 21 + 14; day++) {
      const date = new Date(Date.UTC(2026, 10, day, 12));
      const gregorian = `${date.getUTCDate()} ${
        date.toLocaleString("en", { month: "short", timeZone: "UTC" })
      }`;
      const link = new RegExp(
        `href="[^"]*\\?date=${date.toISOString().slice(0, 10)}"[^>]*>(.*?)</a>`,
      ).exec(html);
      assert.ok(link, `${date.toISOString().slice(0, 10)} is in the strip`);
      assert.ok(link[1].includes(gregorian), gregorian);
      assert.ok(link[1].includes(hijri.format(date)), `${gregorian}: ${hijri.format(date)}`);
    }
  } finally {
    await t.close();
  }
});

Deno.test(`reschedule page (${B}) - the chosen time is highlighted: its CSS rule is one browsers keep`, async () => {
  const t = await makeTestApp();
  try {
    const { get } = await booked(t);
    const html = await (await get("?lang=en")).text();
    const css = [...html.matchAll(/<style[^>]*>([^<]*)<\/style>/g)].map((m) => m[1]).join("\n");
    assert.ok(!css.includes(":has-["), "no invalid :has-[…] selector (a browser drops its rule)");
    // The chip after the checked radio turns rose: `.peer:checked ~ .peer-checked\:bg-rose-700`.
    assert.match(
      css,
      /\.peer:checked\s*~\s*\.peer-checked\\:bg-rose-700\s*\{[^}]*background-color/,
    );
    assert.match(html, /class="peer sr-only"[^>]*>\s*<span class="[^"]*peer-checked:bg-rose-700/);
  } finally {
    await t.close();
  }
});

Deno.test(`dashboard reschedule page (${B}) - nothing is preselected; the booking's own time and person show as current`, async () => {
  const t = await makeTestApp();
  try {
    const w = await makeWorld(t);
    const b = await book(t, w, { start: "2026-11-22T07:00:00Z" }); // Sunday 10:00, Noura
    const page = (query: string) =>
      dashGet(t, `/dashboard/${w.salon.slug}/bookings/${b.id}/reschedule${query}`, w.jars.manager);
    const own = await page("?lang=en");
    assert.equal(own.status, 200);
    const html = await own.text();
    const inputs = radios(html);
    assert.ok(inputs.length > 3, "other free times are offered");
    assert.deepEqual(inputs.filter((i) => /\bchecked\b/.test(i)), [], "no time is preselected");
    assert.ok(!html.includes('value="2026-11-22T07:00:00.000Z"'), "the current time is no move");
    assert.match(html, /10:00\s*am\s*<span[^>]*>· its current time/);
    // The same time with someone else is a move.
    const reem = await (await page(`?staff=${w.reem.id}&lang=en`)).text();
    assert.ok(reem.includes('value="2026-11-22T07:00:00.000Z"'));
    assert.deepEqual(radios(reem).filter((i) => /\bchecked\b/.test(i)), []);
  } finally {
    await t.close();
  }
});
