/**
 * The dashboard's money pages for issue #18: tax settings (validated, audited, managers only), the
 * checkout page (recalculate, the 422 and 409 shown on the page with what was typed, closing with
 * the page's CSRF token issues the invoice), the booking page linking the invoice, and a credit
 * note issued through its page.
 */
import assert from "node:assert/strict";
import { seedDemoData } from "@/db/seed.ts";
import { createBooking } from "@/services/bookings/mod.ts";
import { decodeZatcaQr } from "@/services/invoices/qr.ts";
import { makeTestApp, type TestApp } from "./helpers/app.ts";
import type { CookieJar } from "./helpers/auth.ts";
import { createTestDb, testBackend } from "./helpers/db.ts";
import { auditCount, makeWorld, type World } from "./helpers/dashboard.ts";
import { makeService } from "./helpers/factories.ts";

const B = testBackend();

const get = (t: TestApp, path: string, jar: CookieJar) =>
  Promise.resolve(t.app.request(path, {
    headers: { cookie: jar.header(), "accept-language": "en" },
  }));

/** A form post as a browser sends it from the page: no same-origin headers, the page's token. */
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

async function vatWorld(t: TestApp) {
  const w = await makeWorld(t);
  await t.db.query(
    `UPDATE salons SET vat_registered = true, vat_number = '310122393500003',
       legal_name_ar = 'مؤسسة لمسة للتجميل', legal_name_en = 'Lamsa Beauty Est.' WHERE id = $1`,
    [w.salon.id],
  );
  await t.db.query("UPDATE services SET price_halalas = 15000 WHERE id = $1", [w.service.id]);
  const dry = await makeService(t.db, w.salon, {
    name_en: "Hair wash",
    price_halalas: 8000,
    duration_minutes: 30,
  });
  await t.db.query(
    "INSERT INTO staff_services (staff_id, service_id, salon_id) VALUES ($1, $3, $4), ($2, $3, $4)",
    [w.noura.id, w.reem.id, dry.id, w.salon.id],
  );
  const { booking, items } = await createBooking(t.db, {
    customerId: w.users.customer,
    salon: w.salon.id,
    items: [
      { serviceId: w.service.id, staff: w.noura.id, guest: 0 },
      { serviceId: dry.id, staff: w.noura.id, guest: 0 },
    ],
    start: new Date("2026-11-21T11:00:00Z"),
    now: t.clock.now(),
    actor: { userId: w.users.customer, role: "customer" },
  });
  // A deposit of SAR 50 already paid online.
  await t.db.query(
    `INSERT INTO payments (booking_id, salon_id, customer_id, purpose, status, amount_halalas,
       captured_halalas, provider_payment_id, description, locale, created_at, updated_at)
     VALUES ($1, $2, $3, 'deposit', 'paid', 5000, 5000, $4, 'Deposit', 'ar', $5, $5)`,
    [booking.id, w.salon.id, w.users.customer, crypto.randomUUID(), t.clock.now()],
  );
  return { ...w, dry, booking, items };
}

type VatWorld = Awaited<ReturnType<typeof vatWorld>>;

Deno.test(`tax settings page (${B}) - refuses bad VAT and CR numbers with the catalog's messages, saves audited, managers only`, async () => {
  const t = await makeTestApp();
  try {
    const w: World = await makeWorld(t);
    const path = `/dashboard/${w.salon.slug}/tax`;
    assert.equal((await get(t, path, w.jars.staff)).status, 403);
    const page = await get(t, path, w.jars.manager);
    assert.equal(page.status, 200);
    const html = await page.text();
    assert.match(html, /VAT registration number/);
    const csrf = csrfOf(html);
    const form = {
      csrf_token: csrf,
      intent: "tax",
      vat_registered: "on",
      vat_number: "300000000000002",
      legal_name_ar: "",
      legal_name_en: "Lamsa Beauty Est.",
      cr_number: "12345",
      address_ar: "الرياض",
      address_en: "Riyadh",
    };
    const bad = await post(t, path, w.jars.manager, form);
    assert.equal(bad.status, 400);
    const badHtml = await bad.text();
    assert.match(badHtml, /A VAT number has 15 digits and starts and ends with 3\./);
    assert.match(badHtml, /The legal name in Arabic is required for a VAT-registered salon\./);
    assert.match(badHtml, /A commercial registration number has 10 digits\./);
    assert.match(badHtml, /value="Lamsa Beauty Est\."/, "what was typed stays");
    assert.equal(await auditCount(t, "salon.tax"), 0);

    const ok = await post(t, path, w.jars.manager, {
      ...form,
      vat_number: "٣١٠١٢٢٣٩٣٥٠٠٠٠٣",
      legal_name_ar: "مؤسسة لمسة للتجميل",
      cr_number: "1010123456",
    });
    assert.equal(ok.status, 303);
    assert.equal(ok.headers.get("location"), `${path}?notice=saved`);
    const [salon] = await t.db.query<Record<string, unknown>>(
      "SELECT vat_registered, vat_number, legal_name_ar, cr_number, address_en FROM salons WHERE id = $1",
      [w.salon.id],
    );
    assert.deepEqual(salon, {
      vat_registered: true,
      vat_number: "310122393500003",
      legal_name_ar: "مؤسسة لمسة للتجميل",
      cr_number: "1010123456",
      address_en: "Riyadh",
    });
    assert.equal(await auditCount(t, "salon.tax"), 1);
    // The same again changes nothing and writes no audit row.
    await post(t, path, w.jars.manager, { ...form, ...salon, vat_registered: "on" } as never);
    assert.equal(await auditCount(t, "salon.tax"), 1);
    // The public salon page now says prices include VAT.
    const pub = await t.app.request(`/salons/${w.salon.slug}`, {
      headers: { "accept-language": "en" },
    });
    assert.match(await pub.text(), /incl\. VAT/);
  } finally {
    await t.close();
  }
});

Deno.test(`checkout page (${B}) - recalculate, a 422 kept on the page, close with the page's token, the 409 after, a credit note through its page`, async () => {
  const t = await makeTestApp();
  try {
    const w: VatWorld = await vatWorld(t);
    const base = `/dashboard/${w.salon.slug}/bookings/${w.booking.id}`;
    const booking = await (await get(t, base, w.jars.staff)).text();
    assert.match(booking, new RegExp(`href="${base}/checkout"`));

    const page = await get(t, `${base}/checkout`, w.jars.staff);
    assert.equal(page.status, 200);
    const html = await page.text();
    // 150 + 80 = 230 incl. VAT, 50 paid online: 180 due.
    assert.match(html, /data-amount="total">SAR\s*230\.00/);
    assert.match(html, /data-amount="online">SAR\s*50\.00/);
    assert.match(html, /data-amount="balance">SAR\s*180\.00/);
    const csrf = csrfOf(html);

    const fields = {
      csrf_token: csrf,
      discount_value: "10",
      discount_kind: "percent",
      discount_reason: "Loyal customer",
      method_0: "cash",
      amount_0: "77",
      method_1: "card",
      amount_1: "10",
    };
    const recalc = await post(t, `${base}/checkout`, w.jars.staff, {
      ...fields,
      intent: "recalculate",
    });
    assert.equal(recalc.status, 200);
    const recalcHtml = await recalc.text();
    // 230 less 10 % = 207; VAT per line half up: 1761 + 939 = SAR 27.00; 157 due.
    assert.match(recalcHtml, /data-amount="total">SAR\s*207\.00/);
    assert.match(recalcHtml, /data-amount="vat">SAR\s*27\.00/);
    assert.match(recalcHtml, /data-amount="balance">SAR\s*157\.00/);

    const short = await post(t, `${base}/checkout`, w.jars.staff, { ...fields, intent: "close" });
    assert.equal(short.status, 422);
    const shortHtml = await short.text();
    assert.match(
      shortHtml,
      /The payments \(SAR 87\.00\) must add up to the balance due \(SAR 157\.00\)/,
    );
    assert.match(shortHtml, /name="amount_0"[^>]*value="77"/);
    assert.match(shortHtml, /value="Loyal customer"/);

    const noReason = await post(t, `${base}/checkout`, w.jars.staff, {
      ...fields,
      discount_reason: "",
      amount_1: "80",
      intent: "close",
    });
    assert.equal(noReason.status, 400);
    assert.match(await noReason.text(), /Give a reason for the discount\./);

    const forged = await post(t, `${base}/checkout`, w.jars.staff, {
      ...fields,
      csrf_token: "x".repeat(43),
      amount_1: "80",
      intent: "close",
    });
    assert.equal(forged.status, 403);

    const done = await post(t, `${base}/checkout`, w.jars.staff, {
      ...fields,
      amount_1: "80",
      intent: "close",
    });
    assert.equal(done.status, 303, await done.clone().text());
    const location = done.headers.get("location")!;
    assert.match(location, /^\/invoices\/[0-9a-f-]{36}$/);
    const invoiceId = location.split("/")[2];
    const [inv] = await t.db.query<{ total_halalas: number; vat_halalas: number }>(
      "SELECT total_halalas, vat_halalas FROM invoices WHERE id = $1",
      [invoiceId],
    );
    assert.deepEqual(inv, { total_halalas: 20700, vat_halalas: 2700 });
    const payments = await t.db.query<{ method: string; amount_halalas: number }>(
      "SELECT method, amount_halalas FROM invoice_payments WHERE invoice_id = $1 ORDER BY position",
      [invoiceId],
    );
    assert.deepEqual(payments, [
      { method: "online", amount_halalas: 5000 },
      { method: "cash", amount_halalas: 7700 },
      { method: "card", amount_halalas: 8000 },
    ]);
    assert.equal(await auditCount(t, "invoice.issue"), 1);

    const again = await post(t, `${base}/checkout`, w.jars.staff, {
      ...fields,
      amount_1: "80",
      intent: "close",
    });
    assert.equal(again.status, 409);
    assert.match(await again.text(), /This visit has already been checked out/);

    const linked = await (await get(t, base, w.jars.manager)).text();
    assert.match(linked, new RegExp(`href="/invoices/${invoiceId}"[^>]*>Invoice no\\. 1`));
    assert.match(linked, new RegExp(`href="${base}/credit"`));

    // A credit note: staff may not, a manager gives the wash back in cash.
    assert.equal((await get(t, `${base}/credit`, w.jars.staff)).status, 403);
    const creditPage = await get(t, `${base}/credit`, w.jars.manager);
    assert.equal(creditPage.status, 200);
    const creditCsrf = csrfOf(await creditPage.text());
    const wrong = await post(t, `${base}/credit`, w.jars.manager, {
      csrf_token: creditCsrf,
      line_1: "on",
      refund_method_0: "cash",
      refund_amount_0: "10",
      reason: "Wash not done",
    });
    assert.equal(wrong.status, 422);
    assert.match(
      await wrong.text(),
      /The refunds \(SAR 10\.00\) must add up to the credit note \(SAR 72\.00\)/,
    );
    const noReasonCredit = await post(t, `${base}/credit`, w.jars.manager, {
      csrf_token: creditCsrf,
      line_1: "on",
      refund_method_0: "cash",
      refund_amount_0: "72",
      reason: " ",
    });
    assert.equal(noReasonCredit.status, 400);
    assert.match(await noReasonCredit.text(), /Give a reason for the credit note\./);
    const credited = await post(t, `${base}/credit`, w.jars.manager, {
      csrf_token: creditCsrf,
      line_1: "on",
      refund_method_0: "cash",
      refund_amount_0: "72",
      reason: "Wash not done",
    });
    assert.equal(credited.status, 303, await credited.clone().text());
    const noteId = credited.headers.get("location")!.split("/")[2];
    const [note] = await t.db.query<{ kind: string; total_halalas: number; invoice_id: string }>(
      "SELECT kind, total_halalas, invoice_id FROM invoices WHERE id = $1",
      [noteId],
    );
    assert.deepEqual(note, { kind: "credit_note", total_halalas: 7200, invoice_id: invoiceId });
    assert.equal(await auditCount(t, "invoice.credit"), 1);
    const after = await (await get(t, base, w.jars.manager)).text();
    assert.match(after, new RegExp(`href="/invoices/${noteId}"[^>]*>Credit note no\\. 1`));

    // The reports: invoices minus credit notes, output VAT, money by method; at the salon is what
    // the invoice recorded at the counter.
    const reports = `/dashboard/${w.salon.slug}/reports`;
    const csv = async (table: string) =>
      (await (await get(t, `${reports}?format=csv&table=${table}`, w.jars.manager)).text())
        .replace("\uFEFF", "").trim().split("\r\n");
    // The credit note gives back 72.00 of which VAT 72 × 15/115 = 9.39 (as invoiced).
    assert.deepEqual(await csv("sales"), [
      "Item,Count,Total incl. VAT (SAR),VAT (SAR),Net (SAR)",
      "Invoices,1,207.00,27.00,180.00",
      "Credit notes,1,72.00,9.39,62.61",
      "Net sales,1,135.00,17.61,117.39",
    ]);
    assert.deepEqual(await csv("methods"), [
      "Method,On invoices (SAR),On credit notes (SAR),Net (SAR)",
      "Paid online,50.00,0.00,50.00",
      "Cash,77.00,72.00,5.00",
      '"Card (mada, Visa, Mastercard)",80.00,0.00,80.00',
      "STC Pay,0.00,0.00,0.00",
      "Bank transfer,0.00,0.00,0.00",
    ]);
    const revenue = await csv("revenue");
    assert.ok(
      revenue.includes('"Paid at the salon (completed bookings, not through the app)",157.00,1'),
      revenue.join("\n"),
    );
  } finally {
    await t.close();
  }
});

Deno.test(`demo data (${B}) - the demo salons are VAT-registered and every past completed visit has its invoice, QR included`, async () => {
  const { db, close } = await createTestDb();
  try {
    await seedDemoData(db, new Date("2026-11-21T09:00:00Z"));
    const salons = await db.query<
      { vat_registered: boolean; vat_number: string; legal_name_ar: string; cr_number: string }
    >("SELECT vat_registered, vat_number, legal_name_ar, cr_number FROM salons");
    assert.ok(salons.length >= 3);
    for (const s of salons) {
      assert.equal(s.vat_registered, true);
      assert.match(s.vat_number, /^3\d{13}3$/);
      assert.match(s.cr_number, /^\d{10}$/);
      assert.ok(s.legal_name_ar.length > 0);
    }
    const [counts] = await db.query<{ completed: number; invoiced: number }>(
      `SELECT count(*)::int AS completed,
              count(*) FILTER (WHERE EXISTS (SELECT 1 FROM invoices i WHERE i.booking_id = b.id
                                             AND i.kind = 'invoice'))::int AS invoiced
       FROM bookings b WHERE b.status = 'completed'`,
    );
    assert.ok(counts.completed > 0);
    assert.equal(counts.invoiced, counts.completed);
    const docs = await db.query<
      {
        qr: string;
        seller_name_ar: string;
        seller_vat_number: string;
        total_halalas: number;
        vat_halalas: number;
        paid: number;
      }
    >(
      `SELECT i.qr, i.seller_name_ar, i.seller_vat_number, i.total_halalas, i.vat_halalas,
              (SELECT sum(amount_halalas) FROM invoice_payments p WHERE p.invoice_id = i.id)::int
                AS paid
       FROM invoices i`,
    );
    for (const d of docs) {
      const fields = [...decodeZatcaQr(d.qr).values()];
      assert.equal(fields[0], d.seller_name_ar);
      assert.equal(fields[1], d.seller_vat_number);
      assert.equal(fields[3], (d.total_halalas / 100).toFixed(2));
      assert.equal(fields[4], (d.vat_halalas / 100).toFixed(2));
      assert.equal(d.paid, d.total_halalas);
    }
    // Numbers per salon run 1..n without gaps.
    const gaps = await db.query(
      `SELECT salon_id FROM invoices WHERE kind = 'invoice' GROUP BY salon_id
       HAVING max(number) <> count(*) OR min(number) <> 1`,
    );
    assert.deepEqual(gaps, []);
  } finally {
    await close();
  }
});
