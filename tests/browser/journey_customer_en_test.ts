import assert from "node:assert/strict";
import { launchBrowser } from "./_browser.ts";
import {
  DESKTOP_EN,
  loginThroughPage,
  newContext,
  overflow,
  recorder,
  seededApp,
} from "./_journey.ts";

// The test clock: 2026-11-21T09:00Z, Saturday 12:00 in Riyadh. Nokhba Men's Grooming (the seed,
// Dammam) is paid at the salon; Ahmed works Saturday to Wednesday, so Tuesday 24 November is open
// and well inside the 24-hour cancellation window.
const DAY = "2026-11-24";

Deno.test("customer journey in English on a desktop - search by city, book a named barber, log in, pay at the salon, cancel", async () => {
  const app = await seededApp();
  const browser = await launchBrowser();
  try {
    const context = await newContext(browser, app, DESKTOP_EN);
    const page = await context.newPage();
    const { step } = recorder(page, "journey-en");

    // An English browser (Accept-Language) gets English pages.
    await page.goto(`${app.origin}/`);
    assert.equal(await page.getAttribute("html", "lang"), "en");
    assert.equal(await page.getAttribute("html", "dir"), "ltr");
    await step("home");

    await page.getByLabel("Salon or service").fill("haircut");
    await page.getByLabel("City").selectOption({ label: "Dammam" });
    await page.getByRole("button", { name: "Search" }).click();
    await page.waitForURL(/\?q=haircut&city=dammam/);
    const results = page.locator("section[aria-labelledby=results] li");
    assert.equal(await results.count(), 1, "only Dammam's salons");
    await step("search-results");
    await page.getByRole("link", { name: "Nokhba Men's Grooming" }).click();
    await page.waitForURL(/\/salons\/nokhba-dammam$/);
    assert.match(await page.locator("main").textContent() ?? "", /Pay at the salon/i);
    await step("salon");

    // Service → a named barber → a time → confirm.
    await page.getByRole("link", { name: "Book Haircut", exact: true }).click();
    await page.waitForURL(/\/book\?service=/);
    await step("book-staff");
    await page.getByRole("link", { name: /Ahmed Al-Malki/ }).click();
    await page.waitForURL(/staff=[0-9a-f-]{36}/);
    await page.waitForLoadState("networkidle");
    await step("book-time");
    await page.locator(`ol a[href*="date=${DAY}"]`).click();
    await page.waitForFunction((day) => location.href.includes(`date=${day}`), DAY);
    await page.locator(`input[name=start][value^="${DAY}"]`).first().waitFor({ state: "attached" });
    const fourPm = page.locator("form fieldset label").filter({ hasText: /^4:00 pm$/ });
    await fourPm.click();
    await step("book-time-chosen");
    await page.getByRole("button", { name: "Continue" }).click();
    await page.getByRole("heading", { name: "Your booking" }).waitFor();
    const summary = await page.locator("dl").textContent() ?? "";
    assert.match(summary, /Ahmed Al-Malki/);
    assert.match(summary, /Tuesday, 24 November 2026/);
    assert.match(summary, /4:00 pm – 4:30 pm/);
    await step("book-confirm-signed-out");

    await page.getByRole("button", { name: "Confirm booking" }).click();
    await page.waitForURL(/\/login\?next=/);
    await step("login-phone");
    await loginThroughPage(page, app, "+966 55 765 4321", {
      phone: "Mobile number",
      send: "Send code",
      code: "6-digit code",
    }, step);
    await page.waitForURL(/\/salons\/nokhba-dammam\/book\?.*start=/);
    await page.getByRole("heading", { name: "Your booking" }).waitFor();
    await step("book-confirm-signed-in");

    // Paid at the salon: confirmed at once, nothing to pay online.
    await page.getByRole("button", { name: "Confirm booking" }).click();
    await page.waitForURL(/\/bookings\/[0-9a-f-]{36}\?notice=booked$/);
    assert.match(await page.locator("[data-status]").first().textContent() ?? "", /Confirmed/);
    assert.equal(await page.getByRole("region", { name: "Payment" }).count(), 0);
    assert.equal(await page.getByRole("button", { name: /^Pay / }).count(), 0);
    const details = await page.locator("main").textContent() ?? "";
    assert.match(details, /Pay at the salon/);
    assert.match(details, /Tuesday, 24 November 2026/, "Gregorian date");
    assert.match(details, /Jumada II 1448 AH/, "Hijri date");
    assert.match(details, /4:00 pm – 4:30 pm/, "the salon's clock, not New York's");
    assert.ok(await overflow(page) <= 1);
    await step("booking-confirmed");

    // Her bookings list has it; then she cancels inside the window.
    await page.getByRole("link", { name: "All my bookings" }).click();
    await page.waitForURL(/\/me\/bookings$/);
    assert.match(await page.locator("main").textContent() ?? "", /Haircut/);
    await step("my-bookings");
    await page.goBack();
    await page.getByRole("link", { name: "Cancel the booking" }).click();
    await page.waitForURL(/\/cancel$/);
    assert.match(
      await page.locator("[data-refund-halalas]").textContent() ?? "",
      /Nothing was paid online/,
    );
    await page.getByLabel("Reason (optional)").fill("Travelling that week");
    await page.getByRole("button", { name: "Yes, cancel the booking" }).click();
    await page.waitForURL(/\?notice=cancelled$/);
    await page.getByRole("status").filter({ hasText: "Your booking is cancelled." }).waitFor();
    assert.match(await page.locator("[data-status]").first().textContent() ?? "", /Cancelled/);
    assert.equal(await page.getByRole("link", { name: "Cancel the booking" }).count(), 0);
    await step("booking-cancelled");

    const id = new URL(page.url()).pathname.split("/").at(-1);
    const [row] = await app.t.db.query<{ status: string; cancel_reason: string | null }>(
      "SELECT status, cancel_reason FROM bookings WHERE id = $1",
      [id],
    );
    assert.equal(row.status, "cancelled");
    assert.equal(row.cancel_reason, "Travelling that week");
    await context.close();
  } finally {
    await browser.close();
    await app.close();
  }
});
