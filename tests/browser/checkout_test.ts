/**
 * Checkout in a browser: the demo manager closes a two-service visit whose deposit was paid online,
 * the rest split between cash and card, lands on the invoice, and a QR reader (jsQR on the
 * screenshot's pixels, not the code that drew it) reads back ZATCA's five fields. The invoice is
 * also printed to PDF (A4) and shot as an A4 page and in Arabic on a phone (test-results/).
 */
import assert from "node:assert/strict";
import jsQRModule from "jsqr";
import { PNG } from "pngjs";
import { Buffer } from "node:buffer";
import { DEMO_MANAGER_PHONE } from "@/db/seed.ts";
import { createBooking } from "@/services/bookings/mod.ts";
import { makeUser } from "../helpers/auth.ts";
import { launchBrowser, RESULTS_DIR } from "./_browser.ts";
import { DESKTOP_EN, newContext, overflow, PHONE_AR, recorder, seededApp } from "./_journey.ts";

// jsqr is a UMD bundle whose module object carries the function as `default`.
type ReadQr = (data: Uint8ClampedArray, width: number, height: number) => { data: string } | null;
const qrModule = jsQRModule as unknown as ReadQr | { default: ReadQr };
const jsQR: ReadQr = typeof qrModule === "function" ? qrModule : qrModule.default;

/** ZATCA's TLV, read byte by byte here (tag, length, UTF-8 value). */
function readTlv(base64: string): string[] {
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  const fields: string[] = [];
  for (let i = 0; i < bytes.length;) {
    const tag = bytes[i];
    const length = bytes[i + 1];
    assert.equal(tag, fields.length + 1, "tags 1..5 in order");
    fields.push(new TextDecoder().decode(bytes.slice(i + 2, i + 2 + length)));
    i += 2 + length;
  }
  return fields;
}

Deno.test("checkout in a browser - a two-service visit with a deposit paid online, the rest in cash and card; the invoice's QR reads back", async () => {
  const app = await seededApp();
  const browser = await launchBrowser();
  try {
    const { t } = app;
    const customerId = await makeUser(t.db, { phone: "+966555000321" });
    const [ids] = await t.db.query<{ salon: string; cut: string; dry: string }>(
      `SELECT s.id AS salon,
              (SELECT id FROM services WHERE salon_id = s.id AND name_en = 'Haircut and trim') AS cut,
              (SELECT id FROM services WHERE salon_id = s.id AND name_en = 'Blow-dry') AS dry
       FROM salons s WHERE s.slug = 'lamsa-riyadh'`,
    );
    const { booking } = await createBooking(t.db, {
      customerId: customerId,
      salon: ids.salon,
      items: [
        { serviceId: ids.cut, staff: "any", guest: 0 },
        { serviceId: ids.dry, staff: "any", guest: 0 },
      ],
      start: new Date("2026-11-21T12:00:00Z"),
      now: t.clock.now(),
      actor: { userId: customerId, role: "customer" },
    });
    // The deposit, SAR 50, paid online before the visit.
    await t.db.query(
      `INSERT INTO payments (booking_id, salon_id, customer_id, purpose, status, amount_halalas,
         captured_halalas, provider_payment_id, description, locale, created_at, updated_at)
       VALUES ($1, $2, $3, 'deposit', 'paid', 5000, 5000, $4, 'Deposit', 'en', $5, $5)`,
      [booking.id, ids.salon, customerId, crypto.randomUUID(), t.clock.now()],
    );
    const [{ price }] = await t.db.query<{ price: number }>(
      "SELECT price_halalas AS price FROM bookings WHERE id = $1",
      [booking.id],
    );
    const balance = price - 5000;
    const card = 5000;
    const cash = balance - card;
    const sar = (h: number) => (h / 100).toFixed(2);

    const context = await newContext(browser, app, DESKTOP_EN, DEMO_MANAGER_PHONE);
    const page = await context.newPage();
    const { step } = recorder(page, "checkout-en");
    await page.goto(`${app.origin}/dashboard/lamsa-riyadh/bookings/${booking.id}?lang=en`);
    await page.getByRole("link", { name: "Check out and issue the invoice" }).click();
    await page.waitForURL(/\/checkout$/);
    assert.match(await page.locator('[data-amount="online"]').textContent() ?? "", /^SAR\s50\.00$/);
    assert.match(
      await page.locator('[data-amount="balance"]').textContent() ?? "",
      new RegExp(`^SAR\\s${sar(balance).replace(".", "\\.")}$`),
    );
    await step("sheet");
    await page.locator('select[name="method_0"]').selectOption("cash");
    await page.locator('input[name="amount_0"]').fill(sar(cash));
    await page.locator('select[name="method_1"]').selectOption("card");
    await page.locator('input[name="amount_1"]').fill(sar(card));
    await page.getByRole("button", { name: "Recalculate" }).click();
    await page.waitForLoadState("load");
    assert.equal(await page.locator('input[name="amount_1"]').inputValue(), sar(card));
    await step("recalculated");
    await page.getByRole("button", { name: "Close and issue the invoice" }).click();
    await page.waitForURL(/\/invoices\/[0-9a-f-]{36}$/);
    await step("invoice");
    const invoiceId = new URL(page.url()).pathname.split("/")[2];
    const [doc] = await t.db.query<
      { issued_at: Date; total_halalas: number; vat_halalas: number; number: number }
    >(
      "SELECT issued_at, total_halalas, vat_halalas, number FROM invoices WHERE id = $1",
      [invoiceId],
    );
    assert.equal(doc.total_halalas, price);
    const methods = await t.db.query<{ method: string; amount_halalas: number }>(
      "SELECT method, amount_halalas FROM invoice_payments WHERE invoice_id = $1 ORDER BY position",
      [invoiceId],
    );
    assert.deepEqual(methods, [
      { method: "online", amount_halalas: 5000 },
      { method: "cash", amount_halalas: cash },
      { method: "card", amount_halalas: card },
    ]);

    // The QR as a phone's camera would see it: pixels of the page, read by jsQR.
    const png = PNG.sync.read(Buffer.from(await page.screenshot({ fullPage: true })));
    const code = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
    assert.ok(code, "a QR code is readable on the invoice");
    const fields = readTlv(code.data);
    assert.deepEqual(fields, [
      "مؤسسة لمسة للتجميل",
      "310122393500003",
      doc.issued_at.toISOString().replace(".000Z", "Z"),
      sar(doc.total_halalas),
      sar(doc.vat_halalas),
    ]);

    // Printed: Chromium's PDF (A4, print CSS) and an A4-sized screenshot of the print layout.
    await page.emulateMedia({ media: "print" });
    const pdf = await page.pdf({ format: "A4", printBackground: true });
    assert.equal(new TextDecoder().decode(pdf.slice(0, 5)), "%PDF-");
    await Deno.mkdir(RESULTS_DIR, { recursive: true });
    await Deno.writeFile(new URL("checkout-invoice-a4.pdf", RESULTS_DIR), pdf);
    await page.setViewportSize({ width: 794, height: 1123 });
    await page.screenshot({ path: new URL("checkout-invoice-a4.png", RESULTS_DIR).pathname });
    await context.close();

    // In Arabic on a phone, as the customer sees it.
    const phone = await newContext(browser, app, PHONE_AR, "0555000321");
    const mobile = await phone.newPage();
    const rec = recorder(mobile, "checkout-ar-phone");
    await mobile.goto(`${app.origin}/invoices/${invoiceId}?lang=ar`);
    await rec.step("invoice");
    assert.equal(await overflow(mobile), 0, "no sideways scrolling on a phone");
    assert.match(await mobile.locator("h1").first().textContent() ?? "", /فاتورة ضريبية مبسطة/);
    await phone.close();
  } finally {
    await browser.close();
    await app.close();
  }
});
