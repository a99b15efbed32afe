/**
 * Visits in a browser: an Arabic phone customer books a haircut and a blow-dry with "anyone" and
 * pays the deposit; an English desktop customer books for herself and a guest side by side; a
 * manager moves a two-service visit from the calendar. Screenshots in test-results/.
 */
import assert from "node:assert/strict";
import { createBooking } from "@/services/bookings/mod.ts";
import { listVisitSlots } from "@/services/slots/load.ts";
import { launchBrowser } from "./_browser.ts";
import {
  DESKTOP_EN,
  loginThroughPage,
  newContext,
  overflow,
  PHONE_AR,
  recorder,
  seededApp,
} from "./_journey.ts";

const DAY = "2026-11-24";

Deno.test("visit journey in Arabic on a phone - haircut and blow-dry with anyone, deposit paid", async () => {
  const app = await seededApp();
  const browser = await launchBrowser();
  try {
    const context = await newContext(browser, app, PHONE_AR);
    const page = await context.newPage();
    const { step } = recorder(page, "visit-ar");
    await page.goto(`${app.origin}/salons/lamsa-riyadh`);
    await page.getByRole("link", { name: "احجز عدة خدمات، أو لضيف معك" }).click();
    await page.waitForURL(/\/visit$/);
    await step("choose");
    const mine = page.getByRole("group", { name: "خدماتك بالترتيب الذي تريده" });
    // The basket island keeps the total up to date as services are ticked.
    await page.waitForLoadState("networkidle");
    await mine.getByLabel(/قص وتشذيب الشعر/).check();
    await mine.getByLabel(/^استشوار/).check();
    await page.locator("[data-basket-live]").filter({ hasText: /٢١٠[٫.]٠٠/ }).waitFor();
    assert.match(await page.locator("[data-basket-live]").textContent() ?? "", /٩٠ دقيقة/);
    await step("choose-totals");
    await page.getByRole("button", { name: "اعرض الأوقات" }).click();
    await page.waitForURL(/\/visit\?s=/);
    assert.match(
      await page.locator("[data-basket-total]").textContent() ?? "",
      /قص وتشذيب الشعر \+ استشوار/,
    );
    await page.getByLabel("التاريخ").fill(DAY);
    await page.getByRole("button", { name: "اعرض هذا اليوم" }).click();
    await page.waitForURL(new RegExp(`date=${DAY}`));
    await step("times");
    await page.locator("input[name=start]").first().check();
    await page.getByRole("button", { name: "متابعة" }).click();
    await page.waitForURL(/start=/);
    const items = page.locator("[data-visit-items]");
    assert.equal(await items.getAttribute("data-visit-items"), "2");
    assert.ok(await overflow(page) <= 1, "the confirm step fits a phone");
    await step("confirm-signed-out");
    await page.getByRole("button", { name: "تأكيد الحجز" }).click();
    await page.waitForURL(/\/login\?next=/);
    await loginThroughPage(page, app, "٠٥٥ ١٢٣ ٤٥٦٧", {
      phone: "رقم الجوال",
      send: "إرسال الرمز",
      code: "الرمز المكوّن من ستة أرقام",
    });
    await page.waitForURL(/\/visit\?.*start=/);
    await page.getByRole("button", { name: "تأكيد الحجز" }).click();
    await page.waitForURL(/\/bookings\/[0-9a-f-]{36}\?notice=booked$/);
    assert.match(await page.locator("[data-status]").first().textContent() ?? "", /بانتظار الدفع/);
    assert.equal(await page.locator("[data-visit-items]").getAttribute("data-visit-items"), "2");
    // 20 % of SAR 120 + SAR 90 = SAR 42.
    const payment = page.getByRole("region", { name: "الدفع" });
    assert.match(await payment.textContent() ?? "", /٤٢[٫.]٠٠/);
    await step("visit-pending");
    await page.getByRole("button", { name: /^الدفع الآن: / }).click();
    await page.waitForURL((url) => url.origin === app.fake.origin);
    await page.getByRole("button", { name: /^ادفع / }).click();
    await page.waitForURL(/\?notice=paid$/);
    assert.match(await page.locator("[data-status]").first().textContent() ?? "", /مؤكَّد/);
    assert.ok(await overflow(page) <= 1, "the booking page fits a phone");
    await step("visit-confirmed");
    await context.close();
  } finally {
    await browser.close();
    await app.close();
  }
});

Deno.test("visit journey in English on a desktop - two guests side by side", async () => {
  const app = await seededApp();
  const browser = await launchBrowser();
  try {
    const context = await newContext(browser, app, DESKTOP_EN, "0551234567");
    const page = await context.newPage();
    const { step } = recorder(page, "visit-en");
    await page.goto(`${app.origin}/salons/lamsa-riyadh/visit?lang=en`);
    await page.getByRole("group", { name: "Your services, in the order you want them" })
      .getByLabel(/Haircut and trim/).check();
    const guest = page.getByRole("group", { name: "A guest at the same time (optional)" });
    await guest.getByLabel("Guest's name").fill("Sara");
    await guest.getByLabel(/^Blow-dry/).check();
    await step("choose");
    await page.getByRole("button", { name: "Find times" }).click();
    await page.getByLabel("Date").fill(DAY);
    await page.getByRole("button", { name: "Show this day" }).click();
    await page.waitForURL(new RegExp(`date=${DAY}`));
    await page.locator("input[name=start]").first().check();
    await step("times");
    await page.getByRole("button", { name: "Continue" }).click();
    await page.waitForURL(/start=/);
    const confirm = await page.locator("[data-visit-items]").textContent() ?? "";
    assert.match(confirm, /Sara: Blow-dry with/);
    await step("confirm");
    await page.getByRole("button", { name: "Confirm booking" }).click();
    await page.waitForURL(/\/bookings\/[0-9a-f-]{36}\?notice=booked$/);
    const visit = await page.locator("[data-visit-items]").textContent() ?? "";
    assert.match(visit, /Haircut and trim with/);
    assert.match(visit, /Sara: Blow-dry with/);
    await step("booked");
    const id = page.url().match(/bookings\/([0-9a-f-]{36})/)![1];
    const rows = await app.t.db.query<{ starts_at: Date; staff_id: string }>(
      "SELECT starts_at, staff_id FROM booking_items WHERE booking_id = $1 ORDER BY position",
      [id],
    );
    assert.equal(rows[0].starts_at.getTime(), rows[1].starts_at.getTime(), "side by side");
    assert.notEqual(rows[0].staff_id, rows[1].staff_id);
    await context.close();
  } finally {
    await browser.close();
    await app.close();
  }
});

Deno.test("manager journey - moves a two-service visit from the calendar", async () => {
  const app = await seededApp();
  const browser = await launchBrowser();
  try {
    const { t } = app;
    const [lamsa] = await t.db.query<{ cut: string; dry: string; customer: string }>(
      `SELECT (SELECT v.id FROM services v JOIN salons s ON s.id = v.salon_id
               WHERE s.slug = 'lamsa-riyadh' AND v.name_en = 'Haircut and trim') AS cut,
              (SELECT v.id FROM services v JOIN salons s ON s.id = v.salon_id
               WHERE s.slug = 'lamsa-riyadh' AND v.name_en = 'Blow-dry') AS dry,
              (SELECT id FROM users ORDER BY created_at DESC LIMIT 1) AS customer`,
    );
    const { booking } = await createBooking(t.db, {
      customerId: lamsa.customer,
      salon: "lamsa-riyadh",
      items: [
        { serviceId: lamsa.cut, staff: "any", guest: 0 },
        { serviceId: lamsa.dry, staff: "any", guest: 0 },
      ],
      start: new Date(`${DAY}T07:00:00Z`),
      now: t.clock.now(),
      actor: { userId: lamsa.customer, role: "customer" },
    });
    const context = await newContext(browser, app, DESKTOP_EN, "+966500000001");
    const page = await context.newPage();
    const { step } = recorder(page, "visit-manager");
    await page.goto(`${app.origin}/dashboard/lamsa-riyadh/calendar?date=${DAY}&lang=en`);
    const blocks = page.locator(`[data-booking-id="${booking.id}"]`);
    assert.equal(await blocks.count(), 2, "both services on the calendar");
    await step("calendar");
    await blocks.first().click();
    await page.waitForURL(new RegExp(`/bookings/${booking.id}`));
    await page.getByRole("link", { name: "Move to another time" }).first().click();
    await page.waitForURL(/\/reschedule/);
    await step("move");
    await page.locator('input[name="start"][value$="T10:00:00.000Z"]').check();
    await page.getByRole("button", { name: "Move the booking to this time" }).click();
    await page.waitForURL(/notice=rescheduled/);
    await step("moved");
    const items = await t.db.query<{ starts_at: Date }>(
      "SELECT starts_at FROM booking_items WHERE booking_id = $1 ORDER BY position",
      [booking.id],
    );
    assert.equal(items[0].starts_at.toISOString(), `${DAY}T10:00:00.000Z`);
    assert.ok(items[1].starts_at.getTime() > items[0].starts_at.getTime(), "the blow-dry follows");
    await context.close();
  } finally {
    await browser.close();
    await app.close();
  }
});

Deno.test("manager journey - today's agenda shows a visit with a guest as one line naming every service", async () => {
  const app = await seededApp();
  const browser = await launchBrowser();
  try {
    const { t } = app;
    const [lamsa] = await t.db.query<{ cut: string; dry: string; customer: string }>(
      `SELECT (SELECT v.id FROM services v JOIN salons s ON s.id = v.salon_id
               WHERE s.slug = 'lamsa-riyadh' AND v.name_en = 'Haircut and trim') AS cut,
              (SELECT v.id FROM services v JOIN salons s ON s.id = v.salon_id
               WHERE s.slug = 'lamsa-riyadh' AND v.name_en = 'Blow-dry') AS dry,
              (SELECT id FROM users ORDER BY created_at DESC LIMIT 1) AS customer`,
    );
    // Today (the clock is 12:00 in Riyadh), the first time the demo bookings leave free: haircut
    // then blow-dry, and Huda's blow-dry beside them.
    const visit = [
      { serviceId: lamsa.cut, staff: "any" as const, guest: 0 },
      { serviceId: lamsa.dry, staff: "any" as const, guest: 0 },
      { serviceId: lamsa.dry, staff: "any" as const, guest: 1 },
    ];
    const { days } = await listVisitSlots(t.db, {
      salonSlug: "lamsa-riyadh",
      items: visit,
      fromDate: "2026-11-21",
      days: 1,
      now: t.clock.now(),
    });
    const slot = days[0]?.slots[0];
    assert.ok(slot, "a time today for the visit");
    const { booking, items } = await createBooking(t.db, {
      customerId: lamsa.customer,
      salon: "lamsa-riyadh",
      items: visit,
      guests: [{}, { name: "Huda" }],
      start: new Date(slot.startMs),
      now: t.clock.now(),
      actor: { userId: lamsa.customer, role: "customer" },
    });
    assert.equal(items.length, 3);
    const context = await newContext(browser, app, DESKTOP_EN, "+966500000001");
    const page = await context.newPage();
    const { step } = recorder(page, "visit-agenda");
    await page.goto(`${app.origin}/dashboard/lamsa-riyadh/agenda?lang=en`);
    const line = page.locator(`[data-booking-id="${booking.id}"]`);
    assert.equal(await line.count(), 1, "one line for the visit");
    const text = await line.innerText();
    assert.match(text, /Haircut and trim · .+, Blow-dry · .+, Huda: Blow-dry · /);
    await step("agenda");
    await context.close();
  } finally {
    await browser.close();
    await app.close();
  }
});
