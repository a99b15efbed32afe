import assert from "node:assert/strict";
import { makeTestApp, type TestApp } from "./helpers/app.ts";
import { browserLogin, type CookieJar } from "./helpers/auth.ts";
import { testBackend } from "./helpers/db.ts";
import { makeSalon, makeService, makeStaff } from "./helpers/factories.ts";
import { startMoyasarFake } from "./fakes/moyasar.ts";

const B = testBackend();
// Monday 23 Nov 2026, 10:00 in Riyadh: both stylists are free (the clock: Saturday noon).
const START = "2026-11-23T07:00:00.000Z";

/** Visible text of a page, tags dropped and spaces collapsed. */
const text = (html: string) =>
  html.replace(/<style[\s\S]*?<\/style>|<script[\s\S]*?<\/script>/g, "").replace(/<[^>]+>/g, " ")
    .replace(/\s+/g, " ");

/**
 * A salon (online payment on) whose service costs SAR 120, SAR 150 with Noura (her own price);
 * Reem charges the service's price and comes first when anyone may take the booking.
 */
async function salonWith(t: TestApp, payment: Record<string, unknown>) {
  const salon = await makeSalon(t.db, payment);
  const service = await makeService(t.db, salon, { price_halalas: 12000, duration_minutes: 60 });
  const reem = await makeStaff(t.db, salon, {
    services: [service.id],
    name_en: "Reem",
    sort_order: 1,
  });
  const noura = await makeStaff(t.db, salon, {
    services: [{ id: service.id, price_halalas: 15000 }],
    name_en: "Noura",
    sort_order: 2,
  });
  const book = `/salons/${salon.slug}/book`;
  const confirm = (staff: string) =>
    `${book}?service=${service.id}&staff=${staff}&start=${encodeURIComponent(START)}&lang=en`;
  const get = async (path: string, jar?: CookieJar) => {
    const res = await t.app.request(path, { headers: jar ? { cookie: jar.header() } : {} });
    assert.equal(res.status, 200, path);
    return text(await res.text());
  };
  return { salon, service, reem, noura, book, confirm, get };
}

async function withPayments(fn: (t: TestApp) => Promise<void>) {
  const fake = startMoyasarFake();
  const t = await makeTestApp(fake.env());
  fake.now = t.clock.now;
  try {
    await fn(t);
  } finally {
    await fake.close();
    await t.close();
  }
}

Deno.test(`book (${B}) - each stylist shows the price that applies, "no preference" the range`, async () => {
  await withPayments(async (t) => {
    const { service, reem, noura, book, get } = await salonWith(t, { payment_mode: "at_salon" });
    const staffStep = await get(`${book}?service=${service.id}&lang=en`);
    assert.match(staffStep, /No preference .*SAR 120\.00 – SAR 150\.00/);
    assert.match(staffStep, new RegExp(`${reem.name_en} .*?SAR 120\\.00`));
    assert.match(staffStep, new RegExp(`${noura.name_en} .*?SAR 150\\.00`));
    const timeStep = await get(`${book}?service=${service.id}&staff=any&lang=en`);
    assert.match(timeStep, /No preference · SAR 120\.00 – SAR 150\.00/);
    const nouraTime = await get(`${book}?service=${service.id}&staff=${noura.id}&lang=en`);
    assert.match(nouraTime, /Noura · SAR 150\.00/);
  });
});

Deno.test(`book (${B}) - the confirm step shows the amount due now, and the booking asks exactly that`, async (ctx) => {
  await withPayments(async (t) => {
    const jar = await browserLogin(t);
    await ctx.step("a 20 % deposit of Noura's price", async () => {
      const { confirm, get, noura } = await salonWith(t, {
        payment_mode: "deposit",
        deposit_percent: 20,
      });
      const page = await get(confirm(noura.id), jar);
      assert.match(page, /Price SAR 150\.00 /);
      assert.match(page, /Due now Deposit 20%: SAR 30\.00 At the salon: SAR 120\.00 /);
      assert.doesNotMatch(page, /depends on who is free/, "a chosen stylist has one price");
    });
    await ctx.step("no preference: the assigned stylist's price, the range beside it", async () => {
      const { confirm, get, salon } = await salonWith(t, {
        payment_mode: "deposit",
        deposit_percent: 15,
      });
      const page = await get(confirm("any"), jar);
      assert.match(page, /with Reem/i);
      assert.match(
        page,
        /Price SAR 120\.00 With no preference the price depends on who is free: SAR 120\.00 – SAR 150\.00/,
      );
      assert.match(page, /Due now Deposit 15%: SAR 18\.00 At the salon: SAR 102\.00 /);
      // The booking asks for what the page said.
      const csrf = /name="csrf_token" value="([^"]+)"/.exec(
        await (await t.app.request(confirm("any"), { headers: { cookie: jar.header() } })).text(),
      )![1];
      const [service] = await t.db.query<{ id: string }>(
        "SELECT id FROM services WHERE salon_id = $1",
        [salon.id],
      );
      const res = await t.app.request(`/salons/${salon.slug}/book`, {
        method: "POST",
        headers: {
          cookie: jar.header(),
          "content-type": "application/x-www-form-urlencoded",
          "sec-fetch-site": "same-origin",
        },
        body: new URLSearchParams({
          service: service.id,
          staff: "any",
          start: START,
          idempotency_key: crypto.randomUUID(),
          csrf_token: csrf,
        }),
      });
      assert.equal(res.status, 303);
      const [booking] = await t.db.query<{ deposit_halalas: number; price_halalas: number }>(
        "SELECT deposit_halalas, price_halalas FROM bookings WHERE salon_id = $1",
        [salon.id],
      );
      assert.deepEqual(booking, { deposit_halalas: 1800, price_halalas: 12000 });
    });
    await ctx.step("full prepayment", async () => {
      const { confirm, get, reem } = await salonWith(t, { payment_mode: "full" });
      assert.match(
        await get(confirm(reem.id), jar),
        /Due now The full price: SAR 120\.00 (?!At the salon)/,
      );
    });
    await ctx.step("pay at the salon", async () => {
      const { confirm, get, reem } = await salonWith(t, { payment_mode: "at_salon" });
      assert.match(
        await get(confirm(reem.id), jar),
        /Due now Nothing online At the salon: SAR 120\.00 /,
      );
    });
  });
});

Deno.test(`book (${B}) - the confirm step says confirming asks to log in only to visitors who are not logged in`, async () => {
  await withPayments(async (t) => {
    const { confirm, get, reem } = await salonWith(t, { payment_mode: "at_salon" });
    const note = /Confirming asks you to log in/;
    assert.match(await get(confirm(reem.id)), note);
    const jar = await browserLogin(t);
    const signedIn = await get(confirm(reem.id), jar);
    assert.match(signedIn, /Confirm/);
    assert.doesNotMatch(signedIn, note);
  });
});
