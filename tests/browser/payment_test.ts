import assert from "node:assert/strict";
import { ACCESS_COOKIE, browserLogin, REFRESH_COOKIE } from "../helpers/auth.ts";
import {
  bookingStatus,
  paymentOf,
  paymentsTest,
  pendingBooking,
  TOMORROW_10,
} from "../helpers/payments.ts";
import { launchBrowser, screenshot, watchForErrors } from "./_browser.ts";

Deno.test("payment in a real browser - in Arabic, a customer pays her deposit on Moyasar's page (the fake) and sees her booking confirmed", async () => {
  const p = await paymentsTest();
  const browser = await launchBrowser();
  try {
    const { t, fake } = p;
    // "localhost" is a secure context for Chromium, so the __Host- Secure cookies stick over http.
    const origin = p.origin.replace("127.0.0.1", "localhost");
    const jar = await browserLogin(t);
    const [user] = await t.db.query<{ id: string }>("SELECT id FROM users LIMIT 1");
    const { booking } = await pendingBooking(t, {
      customer: { access: jar.get(ACCESS_COOKIE)!, refresh: "", user: { id: user.id } },
      start: TOMORROW_10,
    });

    const context = await browser.newContext({
      locale: "ar-SA",
      viewport: { width: 420, height: 900 },
      deviceScaleFactor: 2,
    });
    await context.addCookies([ACCESS_COOKIE, REFRESH_COOKIE].map((name) => ({
      name,
      value: jar.get(name)!,
      domain: "localhost",
      path: "/",
      secure: true,
      httpOnly: true,
      sameSite: "Lax" as const,
    })));
    const page = await context.newPage();
    const problems = watchForErrors(page);

    await page.goto(`${origin}/bookings/${booking.id}`);
    assert.equal(await page.getAttribute("html", "dir"), "rtl");
    const section = page.getByRole("region", { name: "الدفع" });
    await section.waitFor();
    assert.match(await section.textContent() ?? "", /العربون، يُدفع إلكترونيًا الآن/);
    assert.match(await section.textContent() ?? "", /نعيد إليك العربون كاملًا/, "the policy first");
    await screenshot(page, "payment-ar-booking-pending");

    await page.getByRole("button", { name: /^الدفع الآن: / }).click();
    await page.waitForURL((url) => url.origin === fake.origin);
    assert.equal(new URL(page.url()).searchParams.get("lang"), "ar");
    assert.equal(await page.getAttribute("html", "dir"), "rtl");
    await screenshot(page, "payment-ar-moyasar-page");

    await page.getByRole("button", { name: /^ادفع / }).click();
    await page.waitForURL(new RegExp(`/bookings/${booking.id}\\?notice=paid$`));
    const notice = page.getByRole("status").filter({ hasText: "وصلتنا دفعتك، وتأكّد حجزك." });
    await notice.waitFor();
    assert.match(await page.locator("[data-status]").first().textContent() ?? "", /مؤكَّد/);
    assert.match(await section.textContent() ?? "", /دُفع إلكترونيًا/);
    assert.equal(
      await page.getByRole("button", { name: /^الدفع الآن/ }).count(),
      0,
      "nothing left to pay",
    );
    await screenshot(page, "payment-ar-booking-confirmed");

    assert.equal(await bookingStatus(t.db, booking.id), "confirmed");
    assert.equal((await paymentOf(t.db, booking.id)).status, "paid");
    assert.equal(fake.webhooks.length, 1);
    assert.equal(fake.webhooks[0].status, 200);
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
    await p.close();
  }
});
