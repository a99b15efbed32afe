import assert from "node:assert/strict";
import { getUser, type SessionUser } from "@/services/auth/users.ts";
import { loadSalonReport } from "@/services/dashboard/reports.ts";
import { makeTestApp, type TestApp } from "./helpers/app.ts";
import { get, makeWorld, type World } from "./helpers/dashboard.ts";
import {
  hm,
  makeBooking,
  makeBreak,
  makeClosure,
  makeService,
  makeTimeOff,
} from "./helpers/factories.ts";

/**
 * A small fixed salon, Sunday 15 – Tuesday 17 November 2026 (Riyadh, UTC+3), and what its report
 * must say, worked out by hand:
 *
 * Opening hours 09:00–21:00 every day (720 min), a break 13:00–13:30 every day, a closure on
 * Monday 16th 09:00–12:00. Noura works her own hours, 10:00–18:00 Sunday to Tuesday (480 min);
 * Reem the salon's hours and has time off on Tuesday 17th 14:00–18:00.
 *
 * Available: Noura 3 × (480 − 30 break) − 120 (closure 10:00–12:00) = 1230 min;
 *            Reem  3 × (720 − 30 break) − 180 (closure) − 240 (time off) = 1650 min.
 *
 * Bookings (Blow-dry 60 min, SAR 100; Colour 90 min, SAR 200), in the range:
 *   Noura: Sun 10:00 completed (at the salon, SAR 100); Sun 11:00 completed (SAR 150, deposit
 *          SAR 30 online); Mon 14:00 no-show; Tue 10:00 cancelled.
 *   Reem:  Sun 10:00 Colour completed (at the salon, SAR 200); Mon 16:00 confirmed (deposit SAR 50
 *          online); Tue 11:00 no-show; Tue 12:00 expired.
 * Outside it (by the salon's clock, though not by UTC's): Sat 14th 23:30 and Wed 18th 00:30,
 * both Noura's, completed.
 *
 * Booked (confirmed, completed, no-show): Noura 60 + 60 + 60 = 180 min → 180 / 1230 = 14.6 %;
 *                                          Reem 90 + 60 + 60 = 210 min → 210 / 1650 = 12.7 %.
 * By status: completed 3, no-show 2, confirmed 1, cancelled 1, expired 1, pending 0 (8 bookings).
 * No-show rate: 2 / (3 completed + 2 no-shows) = 40 %.
 * Online (payments ledger, by when money moved): + SAR 30 (Noura's deposit, Sun), + SAR 50
 *   (Reem's deposit, Sun), − SAR 20 (part of it refunded, Mon), − SAR 10 (refund on Mon of a SAR 40
 *   payment collected on the 10th, outside the range) → paid 80, refunded 30, net SAR 50.00;
 *   2 payments collected.
 * At the salon (completed): 100 + (150 − 30) + 200 = SAR 420.00 over 3 bookings.
 * Top services: Blow-dry 5 bookings (completed value 100 + 150 = SAR 250), Colour 1 (SAR 200).
 * Busiest hours (local start): 10:00 → 2, 11:00 → 2, 12 → 0, 13 → 0, 14:00 → 1, 15 → 0, 16:00 → 1.
 */
const RANGE = { from: "2026-11-15", to: "2026-11-17" };
/** A local Riyadh wall-clock time as an instant. */
const riyadh = (local: string) => new Date(`${local}:00+03:00`);

async function fixture(t: TestApp, w: World) {
  const colour = await makeService(t.db, w.salon, {
    name_en: 'Colour, "Balayage"',
    name_ar: "صبغة",
    duration_minutes: 90,
    price_halalas: 20000,
  });
  await t.db.query(
    "INSERT INTO staff_services (staff_id, service_id, salon_id) VALUES ($1, $2, $3)",
    [w.reem.id, colour.id, w.salon.id],
  );
  await t.db.query("UPDATE staff SET custom_hours = true WHERE id = $1", [w.noura.id]);
  for (const weekday of [7, 1, 2]) {
    await t.db.query(
      "INSERT INTO staff_hours (staff_id, weekday, start_minute, end_minute) VALUES ($1, $2, $3, $4)",
      [w.noura.id, weekday, hm(10), hm(18)],
    );
  }
  await makeBreak(t.db, w.salon, { start_minute: hm(13), end_minute: hm(13, 30) });
  await makeClosure(t.db, w.salon, {
    starts_at: riyadh("2026-11-16T09:00"),
    ends_at: riyadh("2026-11-16T12:00"),
  });
  await makeTimeOff(t.db, w.reem, {
    starts_at: riyadh("2026-11-17T14:00"),
    ends_at: riyadh("2026-11-17T18:00"),
  });

  const booking = (
    staff: World["noura"],
    local: string,
    status: string,
    extra: Record<string, unknown> = {},
    service: { id: string; salon_id: string; duration_minutes: number; price_halalas: number } =
      w.service,
  ) =>
    makeBooking(t.db, {
      service,
      staff,
      starts_at: riyadh(local),
      status,
      customer_id: w.users.customer,
      ...(status === "expired" ? { hold_expires_at: riyadh(local) } : {}),
      ...extra,
    });
  await booking(w.noura, "2026-11-15T10:00", "completed");
  const deposit = { payment_mode: "deposit" };
  const n2 = await booking(w.noura, "2026-11-15T11:00", "completed", {
    ...deposit,
    price_halalas: 15000,
    deposit_halalas: 3000,
  });
  await booking(w.noura, "2026-11-16T14:00", "no_show");
  await booking(w.noura, "2026-11-17T10:00", "cancelled");
  await booking(w.reem, "2026-11-15T10:00", "completed", {}, colour);
  const r2 = await booking(w.reem, "2026-11-16T16:00", "confirmed", {
    ...deposit,
    deposit_halalas: 5000,
  });
  await booking(w.reem, "2026-11-17T11:00", "no_show");
  await booking(w.reem, "2026-11-17T12:00", "expired", deposit);
  const before = await booking(w.noura, "2026-11-14T23:30", "completed", {
    ...deposit,
    deposit_halalas: 4000,
  });
  await booking(w.noura, "2026-11-18T00:30", "completed");

  const payment = async (
    bookingId: string,
    amount: number,
    refunded: number,
    moves: [string, number][],
  ) => {
    const status = refunded ? "partially_refunded" : "paid";
    const [p] = await t.db.query<{ id: string }>(
      `INSERT INTO payments (booking_id, salon_id, customer_id, purpose, status, amount_halalas,
         captured_halalas, refunded_halalas, provider_payment_id, description, locale, created_at,
         updated_at)
       VALUES ($1, $2, $3, 'deposit', $4, $5, $5, $6, $7, 'Deposit', 'ar', $8, $8) RETURNING id`,
      [
        bookingId,
        w.salon.id,
        w.users.customer,
        status,
        amount,
        refunded,
        `pay_${crypto.randomUUID()}`,
        riyadh(moves[0][0]),
      ],
    );
    for (const [local, delta] of moves) {
      await t.db.query(
        `INSERT INTO payment_events (payment_id, booking_id, at, kind, amount_halalas, source,
           actor_role) VALUES ($1, $2, $3, 'status', $4, 'webhook', 'system')`,
        [p.id, bookingId, riyadh(local), delta],
      );
    }
  };
  await payment(n2.id, 3000, 0, [["2026-11-15T08:00", 3000]]);
  await payment(r2.id, 5000, 2000, [["2026-11-15T12:00", 5000], ["2026-11-16T12:00", -2000]]);
  await payment(before.id, 4000, 1000, [["2026-11-10T12:00", 4000], ["2026-11-16T15:00", -1000]]);
  // Noura appears in CSV as a formula-looking name; Reem in Arabic.
  await t.db.query("UPDATE staff SET name_en = $2 WHERE id = $1", [w.reem.id, "=cmd|'/C calc'!A0"]);
  return { colour };
}

async function withReport(fn: (t: TestApp, w: World, base: string) => Promise<void>) {
  const t = await makeTestApp();
  try {
    const w = await makeWorld(t);
    await fixture(t, w);
    await fn(t, w, `/dashboard/${w.salon.slug}/reports`);
  } finally {
    await t.close();
  }
}

const arPercent = (rate: number) =>
  new Intl.NumberFormat("ar-SA-u-nu-arab", { style: "percent", maximumFractionDigits: 1 })
    .format(rate);

Deno.test("dashboard reports - figures on fixed data match the hand-computed ones", async () => {
  await withReport(async (t, w) => {
    const user: SessionUser = {
      ...(await getUser(t.db, w.users.manager))!,
      role: "customer",
      sessionId: "s",
      via: "cookie",
    };
    const r = await loadSalonReport(t.db, { user, now: t.clock.now() }, w.salon, RANGE);
    assert.deepEqual(r.range, { ...RANGE, days: 3 });
    assert.deepEqual(r.revenue, {
      collected: 8000,
      refunded: 3000,
      net: 5000,
      payments: 2,
      atSalon: { bookings: 3, halalas: 42000 },
    });
    assert.deepEqual(
      Object.fromEntries(r.byStatus.map((s) => [s.status, s.count])),
      { pending: 0, confirmed: 1, completed: 3, no_show: 2, cancelled: 1, expired: 1 },
    );
    assert.equal(r.bookings, 8);
    assert.deepEqual(r.noShow, { noShows: 2, completed: 3, rate: 2 / 5 });
    assert.deepEqual(
      r.utilization.map((u) => [u.staffId, u.bookedMinutes, u.availableMinutes, u.rate]),
      [
        [w.noura.id, 180, 1230, 180 / 1230],
        [w.reem.id, 210, 1650, 210 / 1650],
      ],
    );
    assert.deepEqual(
      r.topServices.map((s) => [s.name_en, s.bookings, s.completedHalalas]),
      [["Blow-dry", 5, 25000], ['Colour, "Balayage"', 1, 20000]],
    );
    assert.deepEqual(r.busiestHours, [
      { hour: 10, bookings: 2 },
      { hour: 11, bookings: 2 },
      { hour: 12, bookings: 0 },
      { hour: 13, bookings: 0 },
      { hour: 14, bookings: 1 },
      { hour: 15, bookings: 0 },
      { hour: 16, bookings: 1 },
    ]);
  });
});

Deno.test("dashboard reports - the page: figures, accessible SVG charts with tables, in English and Arabic", async () => {
  await withReport(async (t, w, base) => {
    const en = await get(t, `${base}?from=2026-11-15&to=2026-11-17&lang=en`, w.jars.manager);
    assert.equal(en.status, 200);
    assert.match(en.headers.get("content-type") ?? "", /text\/html/);
    const html = await en.text();
    assert.match(html, /data-figure="net"><bdi>SAR\s50\.00<\/bdi>/);
    assert.match(html, /data-figure="at-salon"><bdi>SAR\s420\.00<\/bdi>/);
    assert.match(html, /data-figure="bookings"><bdi>8<\/bdi>/);
    assert.match(html, /data-figure="no-show"><bdi>40%<\/bdi>/);
    assert.match(html, /<bdi>14\.6%<\/bdi>/);
    assert.match(html, /<bdi>12\.7%<\/bdi>/);
    assert.match(html, /<bdi>3 h 0 min<\/bdi>/);
    assert.match(html, /<bdi>20 h 30 min<\/bdi>/);
    assert.match(html, /Paid at the salon \(completed bookings, not through the app\)/);
    for (
      const [id, name] of [
        ["chart-status", "Bookings by status"],
        ["chart-utilization", "Utilization per staff member"],
        ["chart-services", "Top services"],
        ["chart-hours", "Busiest hours"],
      ]
    ) {
      assert.match(
        html,
        new RegExp(
          `<svg[^>]*role="img"[^>]*aria-labelledby="${id}-title ${id}-desc"[^>]*direction="ltr"`,
        ),
        id,
      );
      assert.ok(html.includes(`<title id="${id}-title">${name}</title>`), id);
      assert.match(html, new RegExp(`<desc id="${id}-desc">Bar chart: ${name}, `), id);
    }
    // A table with the same figures next to each chart, with a caption.
    // Sales, methods, revenue, status, utilization, services, hours.
    assert.equal([...html.matchAll(/<table/g)].length, 7);
    assert.match(html, /<caption class="sr-only">Busiest hours<\/caption>/);
    assert.match(html, /10:00–11:00/);
    // Each table has its CSV link for the same range.
    assert.ok(
      html.includes(
        `href="${base}?from=2026-11-15&amp;to=2026-11-17&amp;format=csv&amp;table=utilization"`,
      ),
    );

    const ar = await get(t, `${base}?from=2026-11-15&to=2026-11-17&lang=ar`, w.jars.manager)
      .then((r) => r.text());
    assert.match(ar, /<html lang="ar" dir="rtl"/);
    assert.match(
      ar,
      /<svg[^>]*aria-labelledby="chart-status-title chart-status-desc"[^>]*direction="rtl"/,
    );
    assert.ok(ar.includes('<title id="chart-status-title">الحجوزات حسب الحالة</title>'));
    assert.ok(ar.includes('<title id="chart-hours-title">أكثر الساعات ازدحامًا</title>'));
    assert.match(ar, /<desc id="chart-utilization-desc">رسم بياني بالأعمدة: /);
    assert.ok(ar.includes(`<bdi>${arPercent(0.4)}</bdi>`), "no-show rate in Arabic digits");
    assert.ok(ar.includes(`<bdi>${arPercent(180 / 1230)}</bdi>`));
    assert.ok(ar.includes(">٣<"), "counts in Arabic digits inside the charts");
    // In Arabic the first bar's label starts at the right edge.
    assert.ok(
      ar.includes(
        '<text x="360" y="17" font-size="13" fill="#1c1917" text-anchor="start">بانتظار الدفع</text>',
      ),
    );
  });
});

Deno.test("dashboard reports - CSV per table: BOM, CRLF, commas and quotes, Arabic, formulas neutralized", async () => {
  await withReport(async (t, w, base) => {
    const csv = async (table: string, lang = "en") => {
      const res = await get(
        t,
        `${base}?from=2026-11-15&to=2026-11-17&format=csv&table=${table}&lang=${lang}`,
        w.jars.manager,
      );
      assert.equal(res.status, 200, table);
      assert.equal(res.headers.get("content-type"), "text/csv; charset=utf-8");
      assert.equal(
        res.headers.get("content-disposition"),
        `attachment; filename="report-${table}-${w.salon.slug}-2026-11-15-2026-11-17.csv"`,
      );
      const bytes = new Uint8Array(await res.arrayBuffer());
      assert.deepEqual([...bytes.slice(0, 3)], [0xef, 0xbb, 0xbf], "UTF-8 byte order mark");
      return new TextDecoder().decode(bytes.slice(3));
    };
    assert.equal(
      await csv("services"),
      'Service,Bookings,"Completed (SAR, at their price)"\r\n' +
        "Blow-dry,5,250.00\r\n" +
        '"Colour, ""Balayage""",1,200.00\r\n',
    );
    assert.equal(
      await csv("utilization"),
      "Staff,Booked (minutes),Available (minutes),Utilization (%)\r\n" +
        "Noura,180,1230,14.6\r\n" +
        "'=cmd|'/C calc'!A0,210,1650,12.7\r\n",
    );
    assert.equal(
      await csv("revenue"),
      "Item,Amount (SAR),Count\r\n" +
        "Paid online,80.00,2\r\n" +
        "Refunded online,30.00,\r\n" +
        "Net online (paid minus refunded),50.00,\r\n" +
        '"Paid at the salon (completed bookings, not through the app)",420.00,3\r\n',
    );
    assert.equal(
      await csv("hours"),
      "Hour,Bookings\r\n10:00-11:00,2\r\n11:00-12:00,2\r\n12:00-13:00,0\r\n13:00-14:00,0\r\n" +
        "14:00-15:00,1\r\n15:00-16:00,0\r\n16:00-17:00,1\r\n",
    );
    assert.equal(
      await csv("status"),
      "Status,Bookings\r\nAwaiting payment,0\r\nConfirmed,1\r\nCompleted,3\r\nNo-show,2\r\n" +
        "Cancelled,1\r\nExpired,1\r\n",
    );
    // Arabic headers and names, Latin digits for the spreadsheet.
    assert.equal(
      await csv("services", "ar"),
      "الخدمة,الحجوزات,قيمة المكتمل (ر.س، بسعره)\r\nاستشوار,5,250.00\r\nصبغة,1,200.00\r\n",
    );
    assert.match(
      await csv("utilization", "ar"),
      /\r\nنورة,180,1230,14\.6\r\nريم,210,1650,12\.7\r\n$/,
    );
    // An unknown table: 400; staff: 403.
    const bad = await get(t, `${base}?format=csv&table=users&lang=en`, w.jars.manager);
    assert.equal(bad.status, 400);
    assert.equal(await bad.text(), "Unknown table.");
    assert.equal((await get(t, `${base}?format=csv&table=revenue`, w.jars.staff)).status, 403);
    assert.equal((await get(t, base, w.jars.staff)).status, 403);
    assert.equal((await get(t, base, w.jars.otherManager)).status, 404);
  });
});

Deno.test("dashboard reports - the default range is the last 30 days in the salon's zone", async () => {
  const t = await makeTestApp();
  try {
    const w = await makeWorld(t);
    // 22:30 UTC on the 21st is already 01:30 on Sunday the 22nd in Riyadh.
    t.clock.set("2026-11-21T22:30:00Z");
    const html = await get(t, `/dashboard/${w.salon.slug}/reports?lang=en`, w.jars.manager)
      .then((r) => r.text());
    assert.match(html, /name="from" value="2026-10-24"/);
    assert.match(html, /name="to" value="2026-11-22"/);
    assert.match(html, /Days: 30/);
    // Nothing happened yet: zeros and empty tables, no error.
    assert.match(html, /data-figure="no-show"><bdi>—<\/bdi>/);
    assert.match(html, /Nothing in this period\./);
    // Reversed, unreadable and over-long ranges are put right.
    const odd = await get(
      t,
      `/dashboard/${w.salon.slug}/reports?from=2026-11-20&to=2026-11-10&lang=en`,
      w.jars.manager,
    ).then((r) => r.text());
    assert.match(odd, /name="from" value="2026-11-10"/);
    assert.match(odd, /name="to" value="2026-11-20"/);
    const arabicDigits = await get(
      t,
      `/dashboard/${w.salon.slug}/reports?from=٢٠٢٦-١١-٠١&to=2028-01-01&lang=en`,
      w.jars.manager,
    ).then((r) => r.text());
    assert.match(arabicDigits, /name="from" value="2026-11-01"/);
    assert.match(arabicDigits, /name="to" value="2027-11-01"/, "at most a year");
  } finally {
    await t.close();
  }
});
