import assert from "node:assert/strict";
import { DEMO_MANAGER_PHONE } from "@/db/seed.ts";
import { createBooking } from "@/services/bookings/mod.ts";
import { runPaymentActions } from "@/services/payments/actions.ts";
import { startPayment } from "@/services/payments/create.ts";
import { login } from "../helpers/auth.ts";
import { bookingStatus, ledgerSum, paymentOf } from "../helpers/payments.ts";
import { routes } from "@/routes/_routes.ts";
import { launchBrowser } from "./_browser.ts";
import {
  DESKTOP_EN,
  loginThroughPage,
  newContext,
  overflow,
  PHONE_AR,
  recorder,
  type SeededApp,
  seededApp,
} from "./_journey.ts";

// The test clock: 2026-11-21T09:00Z, Saturday 12:00 in Riyadh. The demo manager (+966500000001)
// runs Lamsa Salon (deposit 20 %).

/** The route table has this page (the dashboard's payments and reports pages came later). */
const has = (pattern: string) => routes.some(([p]) => p === pattern);

/** Lamsa's blow-dry and Noura, from the seed. */
async function lamsa(app: SeededApp) {
  const [row] = await app.t.db.query<{ salon: string; service: string; noura: string }>(
    `SELECT s.id AS salon, sv.id AS service, st.id AS noura
     FROM salons s JOIN services sv ON sv.salon_id = s.id JOIN staff st ON st.salon_id = s.id
     WHERE s.slug = 'lamsa-riyadh' AND sv.name_en = 'Blow-dry' AND st.name_en = 'Noura Al-Qahtani'`,
  );
  return row;
}

/**
 * This morning's walk-in (booked by phone yesterday for 10:00, now two hours ago and not marked),
 * and tomorrow's online booking whose deposit the customer paid through Moyasar (the fake).
 */
async function salonDay(app: SeededApp) {
  const { t, fake, client } = app;
  const ids = await lamsa(app);
  const customer = await login(t, "0559876543");
  const customerId = customer.user.id as string;
  const { booking: past } = await createBooking(t.db, {
    customerId,
    salon: "lamsa-riyadh",
    serviceId: ids.service,
    staff: ids.noura,
    start: new Date("2026-11-21T07:00:00Z"), // 10:00 Riyadh, today
    now: new Date("2026-11-20T09:00:00Z"), // booked yesterday
    actor: { userId: customerId, role: "customer" },
    source: "salon",
  });
  const { booking: paid } = await createBooking(t.db, {
    customerId,
    salon: "lamsa-riyadh",
    serviceId: ids.service,
    staff: ids.noura,
    start: new Date("2026-11-22T08:00:00Z"), // Sunday 11:00 Riyadh
    now: t.clock.now(),
    actor: { userId: customerId, role: "customer" },
    onlinePayment: true, // the app has the Moyasar fake
  });
  const { payment } = await startPayment(t.db, client, {
    bookingId: paid.id,
    customerId,
    locale: "en",
    returnOrigin: app.origin,
    now: t.clock.now(),
    source: "page",
  });
  await fake.payInvoice(payment.provider_invoice_id!, "paid"); // its webhook confirms the booking
  assert.equal(await bookingStatus(t.db, paid.id), "confirmed");
  return { past, paid, payment };
}

Deno.test("manager journey - log in, agenda, mark this morning's booking completed, refund part of a deposit, reports with charts, audit", async () => {
  const app = await seededApp();
  const { past, paid, payment } = await salonDay(app);
  const browser = await launchBrowser();
  try {
    const context = await newContext(browser, app, DESKTOP_EN);
    const page = await context.newPage();
    const { step } = recorder(page, "journey-manager");

    // The dashboard asks a signed-out visitor to log in, then lands on the salon's agenda.
    await page.goto(`${app.origin}/dashboard`);
    await page.waitForURL(/\/login\?next=%2Fdashboard$/);
    await step("login-phone");
    await loginThroughPage(page, app, DEMO_MANAGER_PHONE, {
      phone: "Mobile number",
      send: "Send code",
      code: "6-digit code",
    }, step);
    await page.waitForURL(/\/dashboard\/lamsa-riyadh\/agenda$/);
    const late = page.locator("section[aria-labelledby=late] li");
    assert.equal(await late.count(), 1, "this morning's booking is waiting to be marked");
    assert.match(await late.textContent() ?? "", /10:00 am/);
    await step("agenda");

    // Mark it completed from its own page (the agenda's buttons do the same).
    await late.getByRole("link").first().click();
    await page.waitForURL(new RegExp(`/bookings/${past.id}$`));
    await step("past-booking");
    await page.getByRole("button", { name: "Completed" }).click();
    await page.waitForURL(/notice=completed/);
    await page.getByRole("status").filter({ hasText: "Marked as completed." }).waitFor();
    assert.equal(await bookingStatus(app.t.db, past.id), "completed");
    await step("past-booking-completed");

    if (has("/dashboard/:salon/payments/:id")) {
      // Payments: the paid deposit, part of it refunded through Moyasar (the fake), on the spot.
      await page.getByRole("link", { name: "Payments", exact: true }).click();
      await page.waitForURL(/\/dashboard\/lamsa-riyadh\/payments/);
      await step("payments");
      await page.locator(`a[href*="/payments/${payment.id}"]`).first().click();
      await page.waitForURL(new RegExp(`/payments/${payment.id}$`));
      await step("payment");
      const refund = page.locator("form").filter({
        has: page.locator("input[name=intent][value=refund]"),
      });
      await refund.getByLabel("Amount (SAR)").fill("10");
      await refund.getByLabel("Reason").fill("Her appointment ran short");
      await refund.getByRole("button", { name: "Review the refund" }).click();
      await page.getByRole("button", { name: /^Refund SAR\s*10\.00$/ }).waitFor();
      await step("payment-refund-review");
      await page.getByRole("button", { name: /^Refund SAR\s*10\.00$/ }).click();
      await page.getByText("Refunded: the money is on its way back to the customer's card.")
        .waitFor();
      const after = await paymentOf(app.t.db, paid.id);
      assert.equal(after.status, "partially_refunded");
      assert.equal(after.refunded_halalas, 1000);
      assert.equal(await ledgerSum(app.t.db, after.id), 800, "SAR 18 collected, SAR 10 back");
      assert.equal(app.fake.payments.get(after.provider_payment_id!)?.refunded, 1000);
      assert.equal(await bookingStatus(app.t.db, paid.id), "confirmed", "the booking stays");
      await step("payment-refunded");
    } else {
      // No payments page: a salon's cancellation refunds the deposit (docs/payments.md), sent to
      // Moyasar by the payment job.
      await page.goto(`${app.origin}/dashboard/lamsa-riyadh/bookings/${paid.id}`);
      await step("paid-booking");
      await page.getByLabel("Reason for cancelling").fill("Noura is unwell tomorrow");
      await page.getByRole("button", { name: "Cancel booking" }).click();
      await page.waitForURL(/notice=cancelled/);
      await step("paid-booking-cancelled");
      const run = await runPaymentActions(app.t.db, app.client, app.t.clock.now());
      assert.equal(run.succeeded, 1);
      assert.equal((await paymentOf(app.t.db, paid.id)).status, "refunded");
    }

    if (has("/dashboard/:salon/reports")) {
      // Reports: charts (SVG images with a name) next to tables of the same figures.
      await page.getByRole("link", { name: "Reports", exact: true }).click();
      await page.waitForURL(/\/dashboard\/lamsa-riyadh\/reports/);
      const charts = page.locator("main svg[role=img]");
      assert.ok(await charts.count() >= 2, "charts on the reports page");
      for (const chart of await charts.all()) {
        assert.ok(
          await chart.getAttribute("aria-labelledby") || await chart.locator("title").count(),
        );
      }
      assert.ok(await overflow(page) <= 1);
      await step("reports");
    }

    // The audit log shows the changes, by the manager.
    await page.getByRole("link", { name: "Audit log" }).click();
    await page.waitForURL(/\/audit/);
    const audit = await page.locator("main").textContent() ?? "";
    assert.match(audit, /completed/i);
    if (has("/dashboard/:salon/payments/:id")) assert.match(audit, /Refund requested/);
    await step("audit");

    // The same agenda on a phone in Arabic fits without sideways scrolling.
    const phone = await context.browser()!.newContext({
      locale: PHONE_AR.locale,
      viewport: { width: PHONE_AR.width, height: PHONE_AR.height },
      storageState: await context.storageState(),
    });
    const arPage = await phone.newPage();
    const ar = recorder(arPage, "journey-manager-ar");
    await arPage.goto(`${app.origin}/dashboard/lamsa-riyadh/agenda?lang=ar`);
    assert.equal(await arPage.getAttribute("html", "dir"), "rtl");
    assert.ok(await overflow(arPage) <= 1);
    await ar.step("agenda");
    if (has("/dashboard/:salon/reports")) {
      await arPage.goto(`${app.origin}/dashboard/lamsa-riyadh/reports?lang=ar`);
      assert.ok(await arPage.locator("main svg[role=img]").count() >= 2);
      assert.ok(await overflow(arPage) <= 1, "the reports fit a phone");
      await ar.step("reports");
    }
    await phone.close();
    await context.close();
  } finally {
    await browser.close();
    await app.close();
  }
});
