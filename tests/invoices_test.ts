/**
 * Checkout and tax invoices: a two-item visit with a deposit paid online and the rest split at the
 * counter, the VAT on the invoice, one invoice per visit (a second checkout is a 409), numbers
 * without gaps under 50 concurrent checkouts on two instances, documents the database will not
 * change, credit notes, and who may see an invoice.
 */
import assert from "node:assert/strict";
import type { Queryable } from "@/db/types.ts";
import { createBooking } from "@/services/bookings/mod.ts";
import { decodeZatcaQr } from "@/services/invoices/qr.ts";
import { deleteAccount } from "@/services/privacy/delete.ts";
import { makeTestApp, type TestApp } from "./helpers/app.ts";
import { postJson } from "./helpers/auth.ts";
import { makeCustomers, tokenFor } from "./helpers/customers.ts";
import { testBackend } from "./helpers/db.ts";
import { makeSalon, makeService, makeStaff } from "./helpers/factories.ts";

const B = testBackend();
const AT_10 = "2026-11-22T07:00:00.000Z";

async function vatSalon(t: TestApp) {
  const salon = await makeSalon(t.db, {
    name_ar: "صالون لمسة",
    vat_registered: true,
    vat_number: "310122393500003",
    legal_name_ar: "مؤسسة لمسة للتجميل",
    legal_name_en: "Lamsa Beauty Est.",
    cr_number: "1010123456",
    address_ar: "طريق الأمير محمد بن عبدالعزيز",
    address_en: "Prince Mohammed bin Abdulaziz Rd",
  });
  const haircut = await makeService(t.db, salon, { price_halalas: 15000, name_ar: "قص شعر" });
  const blowDry = await makeService(t.db, salon, { price_halalas: 8000, duration_minutes: 30 });
  const noura = await makeStaff(t.db, salon, { services: [haircut.id, blowDry.id] });
  const reem = await makeStaff(t.db, salon, { services: [haircut.id, blowDry.id] });
  const [customer, manager] = await makeCustomers(t, 2);
  await t.db.query(
    "INSERT INTO salon_memberships (user_id, salon_id, role) VALUES ($1, $2, 'manager')",
    [manager.id, salon.id],
  );
  return { salon, haircut, blowDry, noura, reem, customer, manager };
}

type World = Awaited<ReturnType<typeof vatSalon>>;

async function visit(t: TestApp, w: World, start = AT_10, customerId = w.customer.id) {
  const { booking, items } = await createBooking(t.db, {
    customerId,
    salon: w.salon.id,
    items: [
      { serviceId: w.haircut.id, staff: "any", guest: 0 },
      { serviceId: w.blowDry.id, staff: "any", guest: 0 },
    ],
    start: new Date(start),
    now: t.clock.now(),
    actor: { userId: customerId, role: "customer" },
  });
  return { booking, items };
}

async function depositPaid(t: TestApp, w: World, bookingId: string, amount: number) {
  await t.db.query(
    `INSERT INTO payments (booking_id, salon_id, customer_id, purpose, status, amount_halalas,
       captured_halalas, provider_payment_id, description, locale, created_at, updated_at)
     VALUES ($1, $2, $3, 'deposit', 'paid', $4, $4, $5, 'Deposit', 'ar', $6, $6)`,
    [bookingId, w.salon.id, w.customer.id, amount, crypto.randomUUID(), t.clock.now()],
  );
}

function checkout(app: TestApp["app"], token: string, path: string, body: unknown) {
  return postJson(app, path, body, { authorization: `Bearer ${token}`, "accept-language": "en" });
}

async function rows(db: Queryable, sql: string, params: unknown[] = []) {
  return await db.query<Record<string, unknown>>(sql, params);
}

Deno.test(`invoices (${B}) - a two-item visit: deposit online, a discount, the rest in cash and card, one invoice with its QR`, async () => {
  const t = await makeTestApp();
  try {
    const w = await vatSalon(t);
    const { booking, items } = await visit(t, w);
    await depositPaid(t, w, booking.id, 5000);
    const path = `/api/salons/${w.salon.slug}/bookings/${booking.id}/checkout/`;

    const short = await checkout(t.app, w.manager.access, path, {
      discount: { percent: 10, reason: "Loyal customer" },
      payments: [{ method: "cash", amount_halalas: 1000 }],
    });
    assert.equal(short.status, 422);
    assert.match((await short.json()).detail, /must add up to the balance due \(SAR 157\.00\)/);

    const res = await checkout(t.app, w.manager.access, path, {
      discount: { percent: 10, reason: "Loyal customer" },
      payments: [
        { method: "cash", amount_halalas: 7700 },
        { method: "card", amount_halalas: 8000 },
      ],
    });
    assert.equal(res.status, 201, await res.clone().text());
    const { invoice } = await res.json();
    // 150 + 80 = 230, less 10 % = 207 including VAT.
    assert.equal(invoice.number, 1);
    assert.equal(invoice.total_halalas, 20700);
    assert.equal(invoice.discount_halalas, 2300);
    assert.deepEqual(invoice.lines.map((l: { total_halalas: number }) => l.total_halalas), [
      13500,
      7200,
    ]);
    // VAT per line, half up: 13500 × 15/115 = 1760.87 → 1761; 7200 × 15/115 = 939.13 → 939.
    assert.equal(invoice.vat_halalas, 1761 + 939);
    assert.equal(invoice.net_halalas, 20700 - 2700);
    assert.deepEqual(invoice.payments, [
      { method: "online", amount_halalas: 5000 },
      { method: "cash", amount_halalas: 7700 },
      { method: "card", amount_halalas: 8000 },
    ]);
    const qr = decodeZatcaQr(invoice.qr);
    assert.deepEqual([...qr.values()], [
      "مؤسسة لمسة للتجميل",
      "310122393500003",
      "2026-11-21T09:00:00Z",
      "207.00",
      "27.00",
    ]);
    const [b] = await rows(t.db, "SELECT status FROM bookings WHERE id = $1", [booking.id]);
    assert.equal(b.status, "completed");
    assert.equal(items.length, 2);

    // A second checkout of the same visit: a clear 409, nothing more issued.
    const again = await checkout(t.app, w.manager.access, path, { payments: [] });
    assert.equal(again.status, 409);
    const [n] = await rows(t.db, "SELECT count(*)::int AS n FROM invoices");
    assert.equal(n.n, 1);

    // The HTML invoice: bilingual title, seller, VAT number, the QR as an image.
    const page = await t.app.request(`/invoices/${invoice.id}`, {
      headers: { authorization: `Bearer ${w.customer.access}` },
    });
    assert.equal(page.status, 200);
    const html = await page.text();
    for (const text of ["فاتورة ضريبية مبسطة", "Simplified Tax Invoice", "310122393500003"]) {
      assert.ok(html.includes(text), text);
    }
    assert.match(html, /<img src="data:image\/svg\+xml;base64,/);
  } finally {
    await t.close();
  }
});

Deno.test(`invoices (${B}) - 50 concurrent checkouts of different visits on two instances: numbers 1 to 50`, async () => {
  const t = await makeTestApp();
  try {
    const w = await vatSalon(t);
    const people = await makeCustomers(t, 25);
    const bookings = [];
    for (let i = 0; i < 50; i++) {
      const day = 22 + Math.floor(i / 16);
      const hour = 6 + (i % 8);
      const start = `2026-11-${day}T${String(hour).padStart(2, "0")}:00:00Z`;
      const staff = i % 16 < 8 ? w.noura : w.reem;
      const { booking } = await createBooking(t.db, {
        customerId: people[i % 25].id,
        salon: w.salon.id,
        serviceId: w.blowDry.id,
        staff: staff.id,
        start: new Date(start),
        now: t.clock.now(),
        actor: { userId: people[i % 25].id, role: "customer" },
      });
      bookings.push(booking);
    }
    const apps = [t.app, t.secondInstance()];
    const responses = await Promise.all(
      bookings.map((b, i) =>
        checkout(
          apps[i % 2],
          w.manager.access,
          `/api/salons/${w.salon.slug}/bookings/${b.id}/checkout/`,
          { payments: [{ method: i % 3 ? "cash" : "stc_pay", amount_halalas: 8000 }] },
        )
      ),
    );
    assert.deepEqual(new Set(responses.map((r) => r.status)), new Set([201]));
    const numbers = (await rows(
      t.db,
      "SELECT number FROM invoices WHERE salon_id = $1 ORDER BY number",
      [w.salon.id],
    )).map((r) => r.number);
    assert.deepEqual(numbers, Array.from({ length: 50 }, (_, i) => i + 1));
  } finally {
    await t.close();
  }
});

Deno.test(`invoices (${B}) - an issued invoice never changes; a deleted customer's name and phone are blanked`, async () => {
  const t = await makeTestApp();
  try {
    const w = await vatSalon(t);
    await t.db.query("UPDATE users SET first_name = 'Huda' WHERE id = $1", [w.customer.id]);
    const { booking } = await visit(t, w);
    const res = await checkout(
      t.app,
      w.manager.access,
      `/api/salons/${w.salon.slug}/bookings/${booking.id}/checkout/`,
      { payments: [{ method: "cash", amount_halalas: 23000 }] },
    );
    assert.equal(res.status, 201);
    const { invoice } = await res.json();
    assert.equal(invoice.customer.name, "Huda");
    for (
      const sql of [
        "UPDATE invoices SET total_halalas = 1 WHERE id = $1",
        "UPDATE invoices SET customer_name = NULL, qr = NULL, tax_invoice = false WHERE id = $1",
        "DELETE FROM invoices WHERE id = $1",
        "UPDATE invoice_lines SET unit_price_halalas = 1 WHERE invoice_id = $1",
        "DELETE FROM invoice_lines WHERE invoice_id = $1",
        "UPDATE invoice_payments SET method = 'card' WHERE invoice_id = $1",
        "DELETE FROM invoice_payments WHERE invoice_id = $1",
      ]
    ) {
      await assert.rejects(t.db.query(sql, [invoice.id]), /cannot be changed/, sql);
    }
    await t.db.query(
      "UPDATE invoices SET customer_name = NULL, customer_phone = NULL WHERE id = $1",
      [invoice.id],
    );
    const [row] = await rows(
      t.db,
      "SELECT customer_name, customer_phone, total_halalas FROM invoices WHERE id = $1",
      [invoice.id],
    );
    assert.deepEqual(row, { customer_name: null, customer_phone: null, total_halalas: 23000 });
  } finally {
    await t.close();
  }
});

Deno.test(`invoices (${B}) - a credit note gives a line back with its own number and QR, once`, async () => {
  const t = await makeTestApp();
  try {
    const w = await vatSalon(t);
    const { booking } = await visit(t, w);
    await depositPaid(t, w, booking.id, 5000);
    const res = await checkout(
      t.app,
      w.manager.access,
      `/api/salons/${w.salon.slug}/bookings/${booking.id}/checkout/`,
      { payments: [{ method: "cash", amount_halalas: 18000 }] },
    );
    const { invoice } = await res.json();
    const credit = (body: unknown) =>
      checkout(t.app, w.manager.access, `/api/invoices/${invoice.id}/credit-notes/`, body);
    const mismatch = await credit({
      lines: [1],
      refunds: [{ method: "cash", amount_halalas: 100 }],
      reason: "Blow-dry not done",
    });
    assert.equal(mismatch.status, 422);
    const made = await credit({
      lines: [1],
      refunds: [{ method: "online", amount_halalas: 5000 }, {
        method: "cash",
        amount_halalas: 3000,
      }],
      reason: "Blow-dry not done",
    });
    assert.equal(made.status, 201, await made.clone().text());
    const note = (await made.json()).credit_note;
    assert.equal(note.kind, "credit_note");
    assert.equal(note.number, 1);
    assert.equal(note.total_halalas, 8000);
    assert.equal(note.vat_halalas, 1043); // 8000 × 15/115 = 1043.48
    assert.equal(decodeZatcaQr(note.qr).get(4), "80.00");
    const [refund] = await rows(
      t.db,
      "SELECT amount_halalas, kind FROM payment_actions WHERE kind = 'refund'",
    );
    assert.deepEqual(refund, { amount_halalas: 5000, kind: "refund" });
    const twice = await credit({
      lines: [1],
      refunds: [{ method: "cash", amount_halalas: 8000 }],
      reason: "again",
    });
    assert.equal(twice.status, 400);
    // The customer is not a manager: 403.
    const byCustomer = await checkout(
      t.app,
      w.customer.access,
      `/api/invoices/${invoice.id}/credit-notes/`,
      { lines: [0], refunds: [{ method: "cash", amount_halalas: 15000 }], reason: "x" },
    );
    assert.equal(byCustomer.status, 403);
  } finally {
    await t.close();
  }
});

Deno.test(`invoices (${B}) - the visit's customer and the salon's team see an invoice; anyone else a 404`, async () => {
  const t = await makeTestApp();
  try {
    const w = await vatSalon(t);
    const { booking } = await visit(t, w);
    const res = await checkout(
      t.app,
      w.manager.access,
      `/api/salons/${w.salon.slug}/bookings/${booking.id}/checkout/`,
      { payments: [{ method: "bank_transfer", amount_halalas: 23000 }] },
    );
    const { invoice } = await res.json();
    const [stranger] = await makeCustomers(t, 1);
    const otherSalon = await makeSalon(t.db);
    const [otherManager] = await makeCustomers(t, 1);
    await t.db.query(
      "INSERT INTO salon_memberships (user_id, salon_id, role) VALUES ($1, $2, 'manager')",
      [otherManager.id, otherSalon.id],
    );
    const see = async (token: string) =>
      (await t.app.request(`/api/invoices/${invoice.id}/`, {
        headers: { authorization: `Bearer ${token}` },
      })).status;
    assert.equal(await see(w.customer.access), 200);
    assert.equal(await see(w.manager.access), 200);
    assert.equal(await see(stranger.access), 404);
    assert.equal(await see(otherManager.access), 404);
    // Checkout by someone of another salon: 404 (the salon is not theirs to name).
    const foreign = await checkout(
      t.app,
      otherManager.access,
      `/api/salons/${w.salon.slug}/bookings/${booking.id}/checkout/`,
      { payments: [] },
    );
    assert.equal(foreign.status, 404);
    // The day's visits for the team.
    const day = await t.app.request(`/api/salons/${w.salon.slug}/bookings/?date=2026-11-22`, {
      headers: { authorization: `Bearer ${await tokenFor(t, w.manager.id)}` },
    });
    assert.equal(day.status, 200);
    const { bookings } = await day.json();
    assert.equal(bookings.length, 1);
    assert.equal(bookings[0].items.length, 2);
  } finally {
    await t.close();
  }
});

Deno.test(`invoices (${B}) - deleting the customer's account keeps the invoice without their name and phone`, async () => {
  const t = await makeTestApp();
  try {
    const w = await vatSalon(t);
    await t.db.query("UPDATE users SET first_name = 'Huda' WHERE id = $1", [w.customer.id]);
    const { booking } = await visit(t, w);
    const res = await checkout(
      t.app,
      w.manager.access,
      `/api/salons/${w.salon.slug}/bookings/${booking.id}/checkout/`,
      { payments: [{ method: "cash", amount_halalas: 23000 }] },
    );
    const { invoice } = await res.json();
    await deleteAccount(t.db, w.customer.id, t.clock.now());
    const [row] = await rows(
      t.db,
      "SELECT customer_name, customer_phone, total_halalas, number FROM invoices WHERE id = $1",
      [invoice.id],
    );
    assert.deepEqual(row, {
      customer_name: null,
      customer_phone: null,
      total_halalas: 23000,
      number: 1,
    });
  } finally {
    await t.close();
  }
});
