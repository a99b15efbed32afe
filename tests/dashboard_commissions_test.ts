/**
 * Staff commissions (issue #22): the tiered arithmetic, the month's report from checked-out
 * invoices (after discounts, without VAT) minus credit notes in the month they were issued, the
 * rates form (validated, audited, managers only) and the CSV.
 */
import assert from "node:assert/strict";
import { createBooking } from "@/services/bookings/mod.ts";
import { USER_COLUMNS, userFromRow, type UserRow } from "@/services/auth/users.ts";
import {
  commissionOn,
  commissionReport,
  setCommission,
  validateTiers,
} from "@/services/dashboard/commissions.ts";
import { checkoutBooking } from "@/services/invoices/checkout.ts";
import { issueCreditNote } from "@/services/invoices/credit.ts";
import { ValidationError } from "@/services/errors.ts";
import { makeTestApp, type TestApp } from "./helpers/app.ts";
import type { CookieJar } from "./helpers/auth.ts";
import { testBackend } from "./helpers/db.ts";
import { auditCount, makeWorld, type World } from "./helpers/dashboard.ts";
import { makeService } from "./helpers/factories.ts";

const B = testBackend();

Deno.test("commission - tiers apply to the part of the month's sales inside them, rounded once", () => {
  const flat = [{ fromHalalas: 0, rateBp: 3000 }];
  assert.equal(commissionOn(10_000, flat), 3_000);
  const tiered = [{ fromHalalas: 0, rateBp: 3000 }, { fromHalalas: 1_000_000, rateBp: 4000 }];
  // 30 % of the first SAR 10,000, 40 % of the next SAR 5,000.
  assert.equal(commissionOn(1_500_000, tiered), 300_000 + 200_000);
  assert.equal(commissionOn(999_999, tiered), 300_000, "299,999.7 rounds up");
  assert.equal(commissionOn(333, [{ fromHalalas: 0, rateBp: 3333 }]), 111); // 110.9889
  assert.equal(commissionOn(1, [{ fromHalalas: 0, rateBp: 5000 }]), 1, "half a halala rounds up");
  assert.equal(commissionOn(0, tiered), 0);
  assert.equal(commissionOn(-1_500_000, tiered), -450_000, "a clawback at the first rate");
  assert.equal(commissionOn(50_000, []), 0);
});

Deno.test("commission - a schedule starts at 0, rises, and rates stay within 0–100 %", () => {
  const fieldsOf = (tiers: { fromHalalas: number; rateBp: number }[]) => {
    try {
      validateTiers(tiers);
      return null;
    } catch (err) {
      assert.ok(err instanceof ValidationError);
      return Object.keys(err.fields).sort();
    }
  };
  assert.equal(fieldsOf([{ fromHalalas: 0, rateBp: 2500 }]), null);
  assert.deepEqual(fieldsOf([{ fromHalalas: 100, rateBp: 2500 }]), ["from_0"]);
  assert.deepEqual(fieldsOf([{ fromHalalas: 0, rateBp: 10001 }]), ["rate_0"]);
  assert.deepEqual(
    fieldsOf([{ fromHalalas: 0, rateBp: 2000 }, { fromHalalas: 0, rateBp: 3000 }]),
    ["from_1"],
  );
  assert.deepEqual(fieldsOf([]), ["rate_0"]);
});

async function managerActor(t: TestApp, w: World) {
  const [row] = await t.db.query<UserRow>(`SELECT ${USER_COLUMNS} FROM users WHERE id = $1`, [
    w.users.manager,
  ]);
  const user = {
    ...userFromRow(row),
    role: "customer" as const,
    sessionId: "",
    via: "cookie" as const,
  };
  return { user, now: t.clock.now() };
}

/**
 * Two visits, each a haircut by Noura (SAR 150) and a blow-dry by Reem (SAR 80), at a
 * VAT-registered salon; the first checked out with 10 % off.
 */
async function checkedOutVisits(t: TestApp, w: World) {
  await t.db.query(
    `UPDATE salons SET vat_registered = true, vat_number = '310122393500003',
       legal_name_ar = 'مؤسسة لمسة', legal_name_en = 'Lamsa Est.' WHERE id = $1`,
    [w.salon.id],
  );
  const haircut = await makeService(t.db, w.salon, { name_en: "Haircut", price_halalas: 15000 });
  const blowDry = await makeService(t.db, w.salon, {
    name_en: "Silk blow-dry",
    price_halalas: 8000,
    duration_minutes: 30,
  });
  for (const staff of [w.noura, w.reem]) {
    for (const service of [haircut, blowDry]) {
      await t.db.query(
        "INSERT INTO staff_services (staff_id, service_id, salon_id) VALUES ($1, $2, $3)",
        [staff.id, service.id, w.salon.id],
      );
    }
  }
  const actor = await managerActor(t, w);
  const invoices: string[] = [];
  for (const [start, discount] of [["2026-11-22T07:00:00Z", 10], ["2026-11-23T07:00:00Z", 0]]) {
    const { booking } = await createBooking(t.db, {
      customerId: w.users.customer,
      salon: w.salon.id,
      items: [
        { serviceId: haircut.id, staff: w.noura.id, guest: 0 },
        { serviceId: blowDry.id, staff: w.reem.id, guest: 0 },
      ],
      start: new Date(start as string),
      now: t.clock.now(),
      actor: { userId: w.users.customer, role: "customer" },
    });
    const total = discount ? 20700 : 23000;
    const done = await checkoutBooking(t.db, actor, {
      salonId: w.salon.id,
      bookingId: booking.id,
      ...(discount ? { discount: { percent: discount as number, reason: "Loyal" } } : {}),
      payments: [{ method: "cash", amountHalalas: total }],
    });
    invoices.push(done.invoiceId);
  }
  return { actor, invoices };
}

Deno.test(`commission report (${B}) - per staff member from invoices after discounts and without VAT, credit notes in their own month`, async () => {
  const t = await makeTestApp();
  try {
    const w = await makeWorld(t);
    const { actor, invoices } = await checkedOutVisits(t, w);
    await setCommission(t.db, actor, w.salon.id, w.noura.id, [
      { fromHalalas: 0, rateBp: 3000 },
      { fromHalalas: 20000, rateBp: 4000 },
    ]);
    await setCommission(t.db, actor, w.salon.id, w.reem.id, [{ fromHalalas: 0, rateBp: 2500 }]);

    // Nets, VAT 15 % inside rounded half up: 135.00 → 117.39, 72.00 → 62.61, 150.00 → 130.43,
    // 80.00 → 69.57.
    const november = await commissionReport(t.db, actor, w.salon, "2026-11");
    const row = (id: string, report = november) => report.rows.find((r) => r.staffId === id)!;
    assert.equal(row(w.noura.id).salesHalalas, 11739 + 13043);
    assert.equal(row(w.noura.id).services, 2);
    // 30 % of SAR 200, 40 % of the SAR 47.82 above it: 60.00 + 19.128.
    assert.equal(row(w.noura.id).commissionHalalas, 7913);
    assert.equal(row(w.reem.id).salesHalalas, 6261 + 6957);
    assert.equal(row(w.reem.id).commissionHalalas, 3305); // 25 % of 132.18 = 33.045
    assert.equal(november.totals.commissionHalalas, 7913 + 3305);

    // Reem's second blow-dry is given back in December: it comes off December, not November.
    t.clock.set("2026-12-02T09:00:00Z");
    await issueCreditNote(t.db, { ...actor, now: t.clock.now() }, {
      salonId: w.salon.id,
      invoiceId: invoices[1],
      lines: [1],
      refunds: [{ method: "cash", amountHalalas: 8000 }],
      reason: "Blow-dry not done",
    });
    const again = await commissionReport(t.db, actor, w.salon, "2026-11");
    assert.deepEqual(again.rows, november.rows);
    const december = await commissionReport(t.db, actor, w.salon, "2026-12");
    assert.equal(row(w.reem.id, december).creditedHalalas, 6957);
    assert.equal(row(w.reem.id, december).baseHalalas, -6957);
    assert.equal(row(w.reem.id, december).commissionHalalas, -1739, "clawed back at 25 %");
    assert.equal(row(w.noura.id, december).commissionHalalas, 0);
  } finally {
    await t.close();
  }
});

const get = (t: TestApp, path: string, jar: CookieJar) =>
  Promise.resolve(t.app.request(path, {
    headers: { cookie: jar.header(), "accept-language": "en" },
  }));

const post = (t: TestApp, path: string, jar: CookieJar, fields: Record<string, string>) =>
  Promise.resolve(t.app.request(path, {
    method: "POST",
    headers: {
      cookie: jar.header(),
      "accept-language": "en",
      "content-type": "application/x-www-form-urlencoded",
    },
    body: new URLSearchParams(fields),
  }));

const csrfOf = (html: string) => /name="csrf_token" value="([^"]+)"/.exec(html)![1];

Deno.test(`commissions page (${B}) - rates set by form (validated, audited), the month's table and CSV; managers of this salon only`, async () => {
  const t = await makeTestApp();
  try {
    const w = await makeWorld(t);
    await checkedOutVisits(t, w);
    const path = `/dashboard/${w.salon.slug}/commissions`;
    assert.equal((await get(t, path, w.jars.staff)).status, 403);
    assert.equal(
      (await get(t, `/dashboard/${w.other.slug}/commissions`, w.jars.manager)).status,
      404,
    );
    assert.equal((await get(t, `${path}?month=2026-13`, w.jars.manager)).status, 400);
    const page = await get(t, `${path}?month=2026-11`, w.jars.manager);
    assert.equal(page.status, 200);
    const html = await page.text();
    assert.match(html, /Noura/);
    const form = {
      csrf_token: csrfOf(html),
      intent: `commission-${w.noura.id}`,
      staff_id: w.noura.id,
      rate_0: "30",
      from_1: "100",
      rate_1: "abc",
    };
    const bad = await post(t, `${path}?month=2026-11`, w.jars.manager, form);
    assert.equal(bad.status, 400);
    assert.match(await bad.text(), /A rate is a percent from 0 to 100/);
    assert.equal(await auditCount(t, "staff.commission"), 0);

    // Arabic digits, a threshold and a second rate.
    const ok = await post(t, `${path}?month=2026-11`, w.jars.manager, {
      ...form,
      rate_0: "٣٠",
      from_1: "200",
      rate_1: "40",
    });
    assert.equal(ok.status, 303);
    assert.equal(ok.headers.get("location"), `${path}?month=2026-11&notice=saved`);
    assert.equal(await auditCount(t, "staff.commission"), 1);
    // Another salon's staff member cannot be given a rate here.
    const foreign = await post(t, `${path}?month=2026-11`, w.jars.manager, {
      ...form,
      rate_1: "40",
      staff_id: (await t.db.query<{ id: string }>(
        "SELECT id FROM staff WHERE salon_id = $1",
        [w.other.id],
      ))[0].id,
    });
    assert.equal(foreign.status, 404);

    const table = await (await get(t, `${path}?month=2026-11`, w.jars.manager)).text();
    assert.match(table, /30 % from SAR 0/);
    assert.match(table, /40 % from SAR 200/);
    const csv = await get(t, `${path}.csv?month=2026-11`, w.jars.manager);
    assert.match(csv.headers.get("content-type") ?? "", /text\/csv/);
    const lines = (await csv.text()).trim().split(/\r?\n/);
    const noura = lines.find((l) => l.includes("Noura"))!;
    assert.ok(noura.includes("247.82"), noura); // sales
    assert.ok(noura.endsWith("79.13"), noura); // commission
    assert.equal((await get(t, `${path}.csv?month=2026-11`, w.jars.staff)).status, 403);
  } finally {
    await t.close();
  }
});
