import assert from "node:assert/strict";
import { makeTestApp } from "../helpers/app.ts";
import { makeBooking, makeSalon, makeService, makeStaff } from "../helpers/factories.ts";
import { makeUser } from "../helpers/auth.ts";
import { createReview, replyToReview } from "@/services/reviews/mod.ts";
import type { SessionUser } from "@/services/auth/users.ts";
import { launchBrowser, screenshot, watchForErrors } from "./_browser.ts";

function serveApp(t: Awaited<ReturnType<typeof makeTestApp>>) {
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    (req, info) => t.app.fetch(req, info),
  );
  return { origin: `http://localhost:${server.addr.port}`, close: () => server.shutdown() };
}

Deno.test("reviews and privacy in a real browser - consent at login, review a visit, the salon page, download and delete", async () => {
  const t = await makeTestApp();
  const server = serveApp(t);
  const browser = await launchBrowser();
  try {
    const salon = await makeSalon(t.db, { name_en: "Lamsa Salon", name_ar: "صالون لمسة" });
    const service = await makeService(t.db, salon, { name_en: "Henna", name_ar: "حناء" });
    const staff = await makeStaff(t.db, salon, {
      services: [service.id],
      name_en: "Noura",
      name_ar: "نورة",
    });
    // Earlier customers' reviews, one with the salon's reply.
    const admin: SessionUser = {
      id: await makeUser(t.db, { phone: "+966500000009", isAdmin: true }),
      phoneNumber: "+966500000009",
      email: null,
      firstName: "",
      lastName: "",
      preferredLanguage: "ar",
      isPhoneVerified: true,
      isAdmin: true,
      createdAt: new Date(),
      role: "admin",
      sessionId: crypto.randomUUID(),
      via: "bearer",
    };
    const earlier = [
      { phone: "+966500000001", name: "Reem", rating: 5, text: "تجربة رائعة، الحناء جميلة جدًا" },
      {
        phone: "+966500000002",
        name: "Dana",
        rating: 3,
        text: "Good work but I waited 20 minutes.",
      },
    ];
    for (const [i, e] of earlier.entries()) {
      const id = await makeUser(t.db, { phone: e.phone, firstName: e.name });
      await t.db.query("UPDATE users SET last_name = 'Alharbi' WHERE id = $1", [id]);
      const b = await makeBooking(t.db, {
        service,
        staff,
        starts_at: new Date(Date.UTC(2026, 10, 15 + i, 10)),
        customer_id: id,
        status: "completed",
      });
      const review = await createReview(t.db, {
        bookingId: b.id,
        customerId: id,
        rating: e.rating,
        text: e.text,
        now: new Date(Date.UTC(2026, 10, 16 + i, 10)),
      });
      if (i === 1) {
        await replyToReview(t.db, admin, {
          salonId: salon.id,
          reviewId: review.id,
          text: "Sorry for the wait, Dana. We have added a second henna artist on weekends.",
          now: new Date(Date.UTC(2026, 10, 18, 9)),
        });
      }
    }

    for (const lang of ["ar", "en"]) {
      const page = await browser.newPage({
        locale: lang === "ar" ? "ar-SA" : "en-GB",
        viewport: { width: 420, height: 900 },
        deviceScaleFactor: 1,
      });
      const problems = watchForErrors(page);
      await page.goto(`${server.origin}/salons/${salon.slug}?lang=${lang}`);
      await page.locator("#reviews").scrollIntoViewIfNeeded();
      await screenshot(page, `reviews-salon-${lang}`);
      await page.goto(`${server.origin}/privacy?lang=${lang}`);
      await screenshot(page, `privacy-notice-${lang}`);
      await page.goto(`${server.origin}/login?lang=${lang}`);
      await screenshot(page, `privacy-login-${lang}`);
      assert.deepEqual(problems, []);
      await page.close();
    }

    // Log in through the form: the box must be ticked.
    const page = await browser.newPage({ locale: "ar-SA", viewport: { width: 420, height: 900 } });
    const problems = watchForErrors(page);
    await page.goto(`${server.origin}/login?next=/me/privacy`);
    await page.getByLabel("رقم الجوال").fill("0512345678");
    await page.getByRole("button", { name: "إرسال الرمز" }).click();
    assert.ok(
      await page.getByText("يُرجى قراءة إشعار الخصوصية والموافقة عليه للمتابعة.").first()
        .isVisible(),
    );
    await screenshot(page, "privacy-login-required-ar");
    await page.locator('input[name="accept_privacy_notice"]').check();
    await page.getByRole("button", { name: "إرسال الرمز" }).click();
    await page.waitForURL(/\/login\?rid=/);
    await page.getByLabel("الرمز المكوّن من ستة أرقام").fill(t.otpMessages.at(-1)!.code);
    await page.waitForURL(/\/me\/privacy$/);
    await screenshot(page, "privacy-me-ar");

    // A visit of theirs, completed: review it.
    const [{ id: me }] = await t.db.query<{ id: string }>(
      "SELECT id FROM users WHERE phone_number = '+966512345678'",
    );
    const visit = await makeBooking(t.db, {
      service,
      staff,
      starts_at: new Date(Date.UTC(2026, 10, 19, 12)),
      customer_id: me,
      status: "completed",
    });
    await page.goto(`${server.origin}/bookings/${visit.id}`);
    await page.locator("#review").scrollIntoViewIfNeeded();
    await screenshot(page, "reviews-booking-invite-ar");
    await page.getByRole("link", { name: "كتابة تقييم" }).click();
    await screenshot(page, "reviews-form-ar");
    await page.locator('input[name="rating"][value="4"]').check();
    await page.locator('textarea[name="text"]').fill("خدمة ممتازة <b>وسريعة</b>");
    await page.getByRole("button", { name: "نشر التقييم" }).click();
    await page.waitForURL(/reviewed=1/);
    await screenshot(page, "reviews-booking-done-ar");
    assert.ok(
      await page.getByText("خدمة ممتازة <b>وسريعة</b>").isVisible(),
      "markup shown as text",
    );

    // Download, then delete.
    await page.goto(`${server.origin}/me/privacy?lang=en`);
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("link", { name: "Download my data" }).click(),
    ]);
    assert.match(download.suggestedFilename(), /^salon-my-data-\d{4}-\d\d-\d\d\.json$/);
    const data = JSON.parse(await Deno.readTextFile(await download.path()));
    assert.equal(data.reviews.length, 1);
    await page.locator("#delete").scrollIntoViewIfNeeded();
    await screenshot(page, "privacy-delete-en");
    await page.getByLabel("I understand that this cannot be undone.").check();
    await page.getByRole("button", { name: "Delete my account" }).click();
    await page.waitForURL(/\/me\/privacy\/delete\?done=1/);
    await screenshot(page, "privacy-deleted-en");
    // The one 400 is the form sent without the box ticked, on purpose.
    assert.deepEqual(problems.filter((p) => !/HTTP 400|status of 400/.test(p)), []);
  } finally {
    await browser.close();
    await server.close();
    await t.close();
  }
});
