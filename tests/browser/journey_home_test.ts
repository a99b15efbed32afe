import assert from "node:assert/strict";
import { launchBrowser, RESULTS_DIR } from "./_browser.ts";
import {
  DESKTOP_EN,
  loginThroughPage,
  newContext,
  overflow,
  PHONE_AR,
  recorder,
  seededApp,
} from "./_journey.ts";

// The test clock: 2026-11-21T09:00Z, Saturday 12:00 in Riyadh. The Ward studio (the seed) comes to
// homes in northern Riyadh for henna, 40 minutes each way, for SAR 100 more; its henna artist
// works Sunday to Thursday from 16:00, and customers pay at the salon (here: at home).
const MONDAY = "2026-11-23";
const ADDRESS = "فيلا ١٢، شارع الأمير سعود بن عبدالله";

Deno.test("home-visit journey in Arabic on a phone - ladies' salons coming home, henna at home, district and address, a time, log in, confirm, the address on the booking", async () => {
  const app = await seededApp();
  const browser = await launchBrowser();
  try {
    const context = await newContext(browser, app, PHONE_AR);
    const page = await context.newPage();
    const { step } = recorder(page, "journey-home");

    // The home page's filters: ladies' salons that come to my home.
    await page.goto(`${app.origin}/`);
    assert.equal(await page.getAttribute("html", "dir"), "rtl");
    await page.getByLabel("الفئة").selectOption("ladies");
    await page.getByLabel("يأتي إلى منزلي").check();
    await page.getByRole("button", { name: "بحث" }).click();
    await page.waitForURL(/audience=ladies/);
    assert.match(page.url(), /home=1/);
    const ward = page.getByRole("link", { name: "استوديو ورد للأظافر والحناء" });
    await ward.waitFor();
    assert.equal(await page.locator("[data-home-service]").count(), 1, "one salon comes home");
    assert.ok(await overflow(page) <= 1, "results fit a phone");
    await step("search-home-ladies");

    // The salon page: henna, said to come home too.
    await ward.click();
    await page.waitForURL(/\/salons\/ward-studio-riyadh$/);
    assert.match(await page.locator("main").textContent() ?? "", /متاحة في المنزل أيضًا/);
    await step("salon");
    // The services close up (the full page is long on a phone).
    await page.locator('[aria-labelledby="services"]').screenshot({
      path: new URL("journey-home-02-salon-services.png", RESULTS_DIR).pathname,
    });
    await page.getByRole("link", { name: "حجز موعد: نقش حناء لليدين" }).click();
    await page.waitForURL(/\/book\?service=/);

    // Where: at my home, with the surcharge and the travel time said first.
    await page.getByRole("heading", { name: "أين تكون الخدمة؟" }).waitFor();
    const terms = await page.locator("[data-home-terms]").textContent() ?? "";
    assert.match(terms, /رسوم الزيارة المنزلية: \u200f?١٠٠[٫.]٠٠/);
    assert.match(terms, /٤٠ دقيقة للوصول/);
    assert.ok(await overflow(page) <= 1, "the where step fits a phone");
    await step("where");
    // A missing address is refused on the page, with the district kept.
    await page.getByLabel("الحي", { exact: true }).selectOption("al-malqa");
    await page.getByRole("button", { name: "متابعة: في منزلي" }).click();
    await page.getByText("اكتب عنوان الزيارة المنزلية").waitFor();
    assert.equal(await page.getByLabel("الحي", { exact: true }).inputValue(), "al-malqa");
    await step("where-no-address", [/HTTP 400/, /status of 400/]);
    await page.getByLabel(/^العنوان/).fill(ADDRESS);
    await page.getByLabel("رابط الخريطة (اختياري)").fill(
      "https://maps.google.com/?q=24.8105,46.6102",
    );
    await page.getByLabel(/^ملاحظات لمقدّم الخدمة/).fill("البوابة الشرقية");
    await step("where-filled");
    await page.getByRole("button", { name: "متابعة: في منزلي" }).click();
    await page.waitForURL(/where=home/);
    assert.match(
      await page.locator("[data-chosen-home]").textContent() ?? "",
      /في منزلك: الملقا/,
    );
    await step("staff");
    await page.getByRole("link", { name: /بدون تفضيل/ }).click();
    await page.waitForURL(/staff=any/);
    await page.waitForLoadState("networkidle");
    await step("time");

    // The picker loads another day in place from the home times (travel included).
    const homeSlots = page.waitForResponse((r) => /\/slots\/\?.*home=1/.test(r.url()));
    await page.locator(`ol a[href*="date=${MONDAY}"]`).click();
    assert.equal((await homeSlots).status(), 200);
    await page.waitForFunction((day) => location.href.includes(`date=${day}`), MONDAY);
    assert.match(decodeURIComponent(page.url()), /address=/, "the address stays in the URL");
    const first = page.locator(`input[name=start][value^="${MONDAY}"]`).first();
    await first.waitFor({ state: "attached" });
    // The times shown are the home times (travel blocked around each), as the API lists them.
    const service = new URL(page.url()).searchParams.get("service");
    const api = await (await fetch(
      `${app.origin}/api/salons/ward-studio-riyadh/slots/?service=${service}&staff=any&home=1&date=${MONDAY}`,
    )).json();
    const shown = await page.locator(`input[name=start][value^="${MONDAY}"]`).evaluateAll((els) =>
      els.map((e) => (e as HTMLInputElement).value)
    );
    assert.deepEqual(shown, api.days[0].slots.map((s: { start: string }) => s.start));
    assert.equal(await first.getAttribute("value"), shown[0]);
    await page.locator("form fieldset label").first().click();
    await step("time-chosen");
    await page.getByRole("button", { name: "متابعة" }).click();
    await page.getByRole("heading", { name: "تفاصيل الحجز" }).waitFor();
    const summary = await page.locator("dl").textContent() ?? "";
    assert.match(summary, new RegExp(`في منزلك: ${ADDRESS}`));
    assert.match(summary, /٢٠٠[٫.]٠٠/, "SAR 100 henna and SAR 100 for coming home");
    assert.ok(await overflow(page) <= 1, "the confirm step fits a phone");
    await step("confirm-signed-out");

    // Log in with the code, back to the same confirm step with every detail.
    await page.getByRole("button", { name: "تأكيد الحجز" }).click();
    await page.waitForURL(/\/login\?next=/);
    await loginThroughPage(page, app, "٠٥٥ ٩٨٧ ٦٥٤٣", {
      phone: "رقم الجوال",
      send: "إرسال الرمز",
      code: "الرمز المكوّن من ستة أرقام",
    }, step);
    await page.waitForURL(/\/salons\/ward-studio-riyadh\/book\?.*start=/);
    await page.getByRole("heading", { name: "تفاصيل الحجز" }).waitFor();
    assert.match(await page.locator("dl").textContent() ?? "", new RegExp(ADDRESS));
    await step("confirm-signed-in");
    await page.getByRole("button", { name: "تأكيد الحجز" }).click();
    await page.waitForURL(/\/bookings\/[0-9a-f-]{36}\?notice=booked$/);

    // The booking: at home, with the address, notes, map link and the surcharge.
    const where = await page.locator("[data-home-address]").textContent() ?? "";
    assert.match(where, new RegExp(`في منزلك: ${ADDRESS}، الملقا`));
    assert.match(where, /البوابة الشرقية/);
    assert.equal(
      await page.getByRole("link", { name: "فتح الخريطة" }).getAttribute("href"),
      "https://maps.google.com/?q=24.8105,46.6102",
    );
    assert.match(await page.locator("main").textContent() ?? "", /رسوم الزيارة المنزلية/);
    assert.match(await page.locator("[data-status]").first().textContent() ?? "", /مؤكَّد/);
    assert.ok(await overflow(page) <= 1, "the booking page fits a phone");
    await step("booking");
    const [row] = await app.t.db.query<{ location: string; home_address: string }>(
      "SELECT location, home_address FROM bookings WHERE home_address IS NOT NULL",
    );
    assert.deepEqual(row, { location: "home", home_address: ADDRESS });

    // My bookings says where too.
    await page.goto(`${app.origin}/me/bookings`);
    assert.match(
      await page.locator("[data-home-address]").first().textContent() ?? "",
      new RegExp(ADDRESS),
    );
    await step("my-bookings");
    await context.close();
  } finally {
    await browser.close();
    await app.close();
  }
});

Deno.test("home visits in English on a desktop - the where step, and the visit page's choice whose details show only for 'at my home'", async () => {
  const app = await seededApp();
  const browser = await launchBrowser();
  try {
    const context = await newContext(browser, app, DESKTOP_EN);
    const page = await context.newPage();
    const { step } = recorder(page, "home-en");

    await page.goto(`${app.origin}/salons/ward-studio-riyadh?lang=en`);
    await page.getByRole("link", { name: "Book Bridal make-up" }).click();
    await page.getByRole("heading", { name: "Where would you like it?" }).waitFor();
    assert.match(await page.locator("[data-home-terms]").textContent() ?? "", /SAR\s100\.00/);
    await step("book-where");
    // At the salon: straight on to who does it, no address asked.
    await page.getByRole("link", { name: /At the salon/ }).click();
    await page.waitForURL(/where=salon/);
    await page.getByRole("heading", { name: "Choose who you would like" }).waitFor();
    assert.equal(await page.locator("[data-chosen-home]").count(), 0);
    await step("book-staff-at-salon");

    // Several services: the details open with "At my home" (the island), and the times follow.
    await page.goto(`${app.origin}/salons/ward-studio-riyadh/visit?lang=en`);
    const details = page.locator("[data-home-details]");
    await page.waitForFunction(() =>
      (document.querySelector("[data-home-details]") as HTMLElement | null)?.hidden === true
    );
    await step("visit-choose-salon");
    await page.getByLabel("Hand henna").first().check();
    await page.getByLabel("Full henna (hands and feet)").first().check();
    await page.getByLabel("At my home").check();
    await details.waitFor({ state: "visible" });
    await page.getByLabel("District", { exact: true }).selectOption("hittin");
    await page.getByLabel(/^Address/).fill("Villa 7, Street 12, Hittin");
    await step("visit-choose-home");
    await page.getByRole("button", { name: "Find times" }).click();
    await page.waitForURL(/where=home/);
    assert.match(
      await page.locator("[data-chosen-home]").textContent() ?? "",
      /At your home: Hittin/,
    );
    await step("visit-times-home");
    await context.close();
  } finally {
    await browser.close();
    await app.close();
  }
});
