import assert from "node:assert/strict";
import { ar } from "@/i18n/ar.ts";
import { en } from "@/i18n/en.ts";
import { deleteAccount, TOMBSTONE_PHONE } from "@/services/privacy/delete.ts";
import { startMoyasarFake } from "./fakes/moyasar.ts";
import { makeTestApp, type TestApp } from "./helpers/app.ts";
import { book, get, makeWorld, post } from "./helpers/dashboard.ts";
import { makeReview, onlinePayment } from "./helpers/dashboard_fixtures.ts";

// The test clock: 2026-11-21T09:00Z, Saturday 12:00 in Riyadh. Deleting an account cancels its
// upcoming bookings, so the ones the salon keeps showing are today's (started) and past ones.

const LABEL = { en: "Deleted customer", ar: "عميل محذوف" } as const;

async function phoneOf(t: TestApp, userId: string): Promise<string> {
  const [row] = await t.db.query<{ phone_number: string }>(
    "SELECT phone_number FROM users WHERE id = $1",
    [userId],
  );
  return row.phone_number;
}

/** `text` shows the tombstone number in no form: raw, without +, spaced or as a tel: link. */
function assertNoTombstone(text: string, tombstone: string, where: string) {
  assert.ok(!text.includes("tel:+999"), `${where}: a tel: link to the tombstone`);
  const digits = text.replace(/[\s\u00a0\u200e\u200f\u2066-\u2069()-]/g, "");
  assert.ok(!digits.includes(tombstone.slice(1)), `${where}: the tombstone number`);
  assert.ok(!digits.includes("+99999"), `${where}: a tombstone-like number`);
}

Deno.test("dashboard - a deleted customer reads 'Deleted customer' on every page and in the CSV, never the tombstone number or a tel: link", async (tt) => {
  const fake = startMoyasarFake();
  const t = await makeTestApp(fake.env());
  fake.now = t.clock.now;
  try {
    const w = await makeWorld(t);
    const base = `/dashboard/${w.salon.slug}`;
    const manager = w.jars.manager;
    // Today 10:00 Riyadh, started and not marked yet: the agenda's "late" list and the calendar.
    const today = await book(t, w, { start: "2026-11-21T07:00:00Z" });
    const payment = await onlinePayment(t, fake, w, { start: new Date("2026-11-18T07:00:00Z") });
    const review = await makeReview(t, w, { start: new Date("2026-11-15T07:00:00Z") });
    const realPhone = await phoneOf(t, w.users.customer);

    await tt.step("before: her name, and her number as a tel: link", async () => {
      const html = await (await get(t, `${base}/bookings/${today.id}?lang=en`, manager)).text();
      assert.match(html, /Sara/);
      assert.ok(html.includes(`tel:${realPhone}`));
      assert.ok(!html.includes(LABEL.en));
    });

    await deleteAccount(t.db, w.users.customer, t.clock.now());
    const tombstone = await phoneOf(t, w.users.customer);
    assert.match(tombstone, TOMBSTONE_PHONE);

    const pages: [string, string][] = [
      ["agenda", `${base}/agenda`],
      ["calendar (day)", `${base}/calendar?date=2026-11-21`],
      ["calendar (week)", `${base}/calendar?view=week&date=2026-11-21`],
      ["bookings", `${base}/bookings?from=2026-11-10&to=2026-11-25`],
      ["booking", `${base}/bookings/${today.id}`],
      ["payments", `${base}/payments?from=2026-11-01&to=2026-11-21`],
      ["payment", `${base}/payments/${payment.id}`],
      ["reviews", `${base}/reviews`],
    ];
    for (const [name, path] of pages) {
      for (const lang of ["en", "ar"] as const) {
        await tt.step(`${name} (${lang})`, async () => {
          const res = await get(t, `${path}${path.includes("?") ? "&" : "?"}lang=${lang}`, manager);
          assert.equal(res.status, 200);
          assert.match(res.headers.get("content-type") ?? "", /text\/html/);
          const html = await res.text();
          assert.ok(html.includes(LABEL[lang]), `${name}: the label`);
          assertNoTombstone(html, tombstone, name);
          assert.ok(!html.includes(realPhone), `${name}: the old number`);
        });
      }
    }

    await tt.step("the review keeps its stars under the label, not 'A customer'", async () => {
      const html = await (await get(t, `${base}/reviews?lang=en`, manager)).text();
      const item = html.slice(html.indexOf(`data-review-id="${review.id}"`));
      assert.ok(item.slice(0, 2000).includes(LABEL.en));
      assert.ok(!item.slice(0, 2000).includes("A customer"));
    });

    await tt.step("the booking page: no tel: link at all for her", async () => {
      const html = await (await get(t, `${base}/bookings/${today.id}?lang=en`, manager)).text();
      assert.ok(!/href="tel:\+999/.test(html));
      assert.match(html, /data-customer-deleted/);
    });

    await tt.step("searching by the tombstone's digits finds nothing", async () => {
      const html = await (await get(
        t,
        `${base}/bookings?from=2026-11-10&to=2026-11-25&phone=${tombstone.slice(1, 12)}&lang=en`,
        manager,
      )).text();
      assert.ok(!html.includes(`data-booking-id="${today.id}"`));
    });

    for (const lang of ["en", "ar"] as const) {
      await tt.step(
        `bookings CSV (${lang}): the label in the customer column, no number`,
        async () => {
          const res = await get(
            t,
            `${base}/bookings.csv?from=2026-11-10&to=2026-11-25&lang=${lang}`,
            manager,
          );
          assert.equal(res.status, 200);
          assert.match(res.headers.get("content-type") ?? "", /text\/csv/);
          const csv = await res.text();
          assertNoTombstone(csv, tombstone, "csv");
          const lines = csv.replace(/^\uFEFF/, "").trim().split("\r\n");
          const header = lines[0].split(",");
          const line = lines.find((l) => l.startsWith(today.id));
          assert.ok(line, "her booking is exported");
          const row = line.split(",");
          const catalog = lang === "en" ? en : ar;
          const customer = header.indexOf(catalog["dash.csv.customer"]);
          const phone = header.indexOf(catalog["dash.csv.phone"]);
          assert.ok(customer >= 0 && phone >= 0);
          assert.equal(row[customer], LABEL[lang]);
          assert.equal(row[phone], "", "no phone number");
        },
      );
    }
  } finally {
    await fake.close();
    await t.close();
  }
});

Deno.test("dashboard audit log - a team member who deleted their account is 'Deleted account', never the tombstone number", async () => {
  const t = await makeTestApp();
  try {
    const w = await makeWorld(t);
    const base = `/dashboard/${w.salon.slug}`;
    // Noura (the staff login) marks her own started booking completed: an audit row by her.
    const today = await book(t, w, { start: "2026-11-21T07:00:00Z" });
    const done = await post(t, `${base}/bookings/${today.id}/status`, w.jars.staff, {
      to: "completed",
    });
    assert.equal(done.status, 303);
    await deleteAccount(t.db, w.users.staff, t.clock.now());
    const tombstone = await phoneOf(t, w.users.staff);
    assert.match(tombstone, TOMBSTONE_PHONE);
    for (const [lang, label] of [["en", "Deleted account"], ["ar", "حساب محذوف"]] as const) {
      const res = await get(t, `${base}/audit?lang=${lang}`, w.jars.manager);
      assert.equal(res.status, 200);
      const html = await res.text();
      assert.ok(html.includes('data-audit-action="booking.complete"'), "the row is there");
      const row = html.slice(html.indexOf('data-audit-action="booking.complete"'));
      assert.ok(row.slice(0, 1500).includes(label), "who: the label");
      // The "who" filter offers her under the label too.
      const option = new RegExp(`<option[^>]*value="${w.users.staff}"[^>]*>([^<]*)</option>`);
      assert.equal(option.exec(html)?.[1], label, "filter");
      assertNoTombstone(html, tombstone, `audit (${lang})`);
    }
  } finally {
    await t.close();
  }
});
