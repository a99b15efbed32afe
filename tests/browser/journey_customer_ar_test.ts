import assert from "node:assert/strict";
import { runPaymentActions } from "@/services/payments/actions.ts";
import { dotsBesideArabicDigits } from "../helpers/digits.ts";
import { launchBrowser } from "./_browser.ts";
import {
  loginThroughPage,
  newContext,
  overflow,
  PHONE_AR,
  recorder,
  seededApp,
} from "./_journey.ts";

// The test clock: 2026-11-21T09:00Z, Saturday 12:00 in Riyadh. Lamsa Salon (the seed) takes a 20 %
// deposit online and lets customers cancel up to 24 hours before; Tuesday 24 November is well
// inside that window.
const DAY = "2026-11-24";

Deno.test("customer journey in Arabic on a phone - search, book anyone, log in, pay the deposit, cancel, see the refund", async () => {
  const app = await seededApp();
  const browser = await launchBrowser();
  try {
    const context = await newContext(browser, app, PHONE_AR);
    const page = await context.newPage();
    const { step } = recorder(page, "journey-ar");

    // Search on the home page.
    await page.goto(`${app.origin}/`);
    assert.equal(await page.getAttribute("html", "lang"), "ar");
    assert.equal(await page.getAttribute("html", "dir"), "rtl");
    await step("home");
    await page.getByLabel("الصالون أو الخدمة").fill("استشوار");
    await page.getByRole("button", { name: "بحث" }).click();
    await page.waitForURL(/\?q=/);
    const lamsa = page.getByRole("link", { name: "صالون لمسة" });
    await lamsa.waitFor();
    assert.ok(await overflow(page) <= 1, "results fit a phone");
    await step("search-results");

    // The salon page.
    await lamsa.click();
    await page.waitForURL(/\/salons\/lamsa-riyadh$/);
    assert.match(await page.locator("main").textContent() ?? "", /عربون/);
    await step("salon");

    // Service → anyone → a time in the slot picker → confirm.
    await page.getByRole("link", { name: "حجز موعد: استشوار" }).click();
    await page.waitForURL(/\/book\?service=/);
    await step("book-staff");
    await page.getByRole("link", { name: /بدون تفضيل/ }).click();
    await page.waitForURL(/staff=any/);
    // Hydrated when the picker loads other days in place (its links carry no navigation then).
    await page.waitForLoadState("networkidle");
    await step("book-time");
    await page.locator(`ol a[href*="date=${DAY}"]`).click();
    await page.waitForFunction((day) => location.href.includes(`date=${day}`), DAY);
    await page.locator(`input[name=start][value^="${DAY}"]`).first().waitFor({ state: "attached" });
    const slot = page.locator("form fieldset label").first();
    await slot.waitFor();
    await slot.click();
    await step("book-time-chosen");
    await page.getByRole("button", { name: "متابعة" }).click();
    await page.getByRole("heading", { name: "تفاصيل الحجز" }).waitFor();
    const summary = await page.locator("dl").textContent() ?? "";
    assert.match(summary, /استشوار/);
    assert.match(summary, /الثلاثاء/, "the chosen Tuesday");
    await step("book-confirm-signed-out");

    // Confirming signed out goes through the login page and comes back to the confirm step.
    await page.getByRole("button", { name: "تأكيد الحجز" }).click();
    await page.waitForURL(/\/login\?next=/);
    assert.match(decodeURIComponent(page.url()), /\/salons\/lamsa-riyadh\/book\?/);
    await step("login-phone");
    await loginThroughPage(page, app, "٠٥٥ ١٢٣ ٤٥٦٧", {
      phone: "رقم الجوال",
      send: "إرسال الرمز",
      code: "الرمز المكوّن من ستة أرقام",
    }, step);
    await page.waitForURL(/\/salons\/lamsa-riyadh\/book\?.*start=/);
    await page.getByRole("heading", { name: "تفاصيل الحجز" }).waitFor();
    await step("book-confirm-signed-in");

    // Confirm: a pending booking holding its time until the deposit is paid.
    await page.getByRole("button", { name: "تأكيد الحجز" }).click();
    await page.waitForURL(/\/bookings\/[0-9a-f-]{36}\?notice=booked$/);
    const bookingUrl = page.url().replace(/\?.*$/, "");
    assert.match(await page.locator("[data-status]").first().textContent() ?? "", /بانتظار الدفع/);
    const payment = page.getByRole("region", { name: "الدفع" });
    assert.match(await payment.textContent() ?? "", /١٨[٫.]٠٠/, "20 % of SAR 90 is due now");
    await step("booking-pending");

    // Pay on Moyasar's hosted page (the fake), in Arabic, and come back confirmed.
    await page.getByRole("button", { name: /^الدفع الآن: / }).click();
    await page.waitForURL((url) => url.origin === app.fake.origin);
    await step("moyasar-page");
    await page.getByRole("button", { name: /^ادفع / }).click();
    await page.waitForURL(/\?notice=paid$/);
    await page.getByRole("status").filter({ hasText: "وصلتنا دفعتك، وتأكّد حجزك." }).waitFor();
    assert.match(await page.locator("[data-status]").first().textContent() ?? "", /مؤكَّد/);
    assert.equal(
      await page.locator("[data-payment-status]").getAttribute("data-payment-status"),
      "paid",
    );
    // Gregorian and Hijri dates, on the salon's clock (the device is in New York).
    const details = await page.locator("main").textContent() ?? "";
    assert.match(details, /٢٤ نوفمبر ٢٠٢٦/, "Gregorian date");
    assert.match(details, /جمادى الآخرة ١٤٤٨ هـ/, "Hijri date");
    assert.match(details, /٢٠٢٦ الموافق [٠-٩]+ جمادى الآخرة/, "the calendars joined by a word");
    assert.deepEqual(dotsBesideArabicDigits(details), [], "no middle dot beside a digit");
    assert.doesNotMatch(details, /[0-9]/, "Arabic-Indic digits throughout");
    assert.ok(await overflow(page) <= 1, "the booking page fits a phone");
    await step("booking-confirmed");

    // Cancel inside the window: a confirmation step says what comes back, then the deposit is
    // marked for refund in the same transaction.
    await page.getByRole("link", { name: "إلغاء الحجز" }).click();
    await page.waitForURL(/\/cancel$/);
    assert.match(
      await page.locator("[data-refund-halalas]").textContent() ?? "",
      /سيُعاد المبلغ المدفوع/,
    );
    await step("cancel-confirm");
    await page.getByLabel("السبب (اختياري)").fill("تغيّر موعد سفري");
    await page.getByRole("button", { name: "نعم، إلغاء الحجز" }).click();
    await page.waitForURL(/\?notice=cancelled$/);
    assert.match(await page.locator("[data-status]").first().textContent() ?? "", /ملغى/);
    assert.match(await payment.textContent() ?? "", /استرداد في طريقه إلى بطاقتك/);
    await step("booking-cancelled-refunding");

    // The payment job (as the server runs it every few seconds) refunds it through Moyasar.
    const run = await runPaymentActions(app.t.db, app.client, app.t.clock.now());
    assert.equal(run.succeeded, 1);
    await page.goto(bookingUrl);
    assert.equal(
      await page.locator("[data-payment-status]").getAttribute("data-payment-status"),
      "refunded",
    );
    assert.match(await payment.textContent() ?? "", /أُعيد إلى بطاقتك/);
    assert.match(await payment.textContent() ?? "", /١٨[٫.]٠٠/);
    await step("booking-refunded");
    assert.equal([...app.fake.payments.values()][0].refunded, 1800);
    await context.close();
  } finally {
    await browser.close();
    await app.close();
  }
});
