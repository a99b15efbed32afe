import assert from "node:assert/strict";
import type { Browser, BrowserContext } from "playwright-core";
import { makeTestApp } from "../helpers/app.ts";
import { ACCESS_COOKIE, type CookieJar, REFRESH_COOKIE } from "../helpers/auth.ts";
import { book, makeWorld } from "../helpers/dashboard.ts";
import { makeBooking, makeBreak, makeClosure, makeTimeOff } from "../helpers/factories.ts";
import { launchBrowser, screenshot, serve, watchForErrors } from "./_browser.ts";

// The test clock: 2026-11-21T09:00Z, Saturday 12:00 in Riyadh.
async function setup() {
  const t = await makeTestApp();
  const w = await makeWorld(t);
  const late = await book(t, w, { start: "2026-11-21T07:00:00Z" }); // 10:00, not marked
  await book(t, w, { start: "2026-11-21T10:00:00Z" }); // Noura 13:00
  await book(t, w, { start: "2026-11-21T12:30:00Z", staff: w.reem }); // Reem 15:30
  await book(t, w, { start: "2026-11-22T08:00:00Z", staff: w.reem }); // Sunday 11:00
  await makeBooking(t.db, {
    service: w.service,
    staff: w.reem,
    starts_at: new Date("2026-11-21T16:00:00Z"), // 19:00, waiting for a deposit
    status: "pending",
    hold_expires_at: new Date("2026-11-21T09:10:00Z"),
    payment_mode: "deposit",
    deposit_halalas: 3000,
    customer_id: w.users.customer,
  });
  await makeTimeOff(t.db, w.reem, {
    starts_at: new Date("2026-11-21T07:00:00Z"),
    ends_at: new Date("2026-11-21T09:00:00Z"),
    reason: "Dentist",
  });
  await makeBreak(t.db, w.salon, {
    start_minute: 14 * 60,
    end_minute: 14 * 60 + 30,
    label_ar: "استراحة",
    label_en: "Break",
  });
  await makeClosure(t.db, w.salon, {
    starts_at: new Date("2026-11-23T06:00:00Z"),
    ends_at: new Date("2026-11-23T18:00:00Z"),
  });
  const server = serve((req) => t.app.fetch(req));
  // "localhost" is a secure context for Chromium, so the __Host- Secure cookies stick over http.
  const origin = server.origin.replace("127.0.0.1", "localhost");
  return { t, w, late, server, origin };
}

async function signedIn(
  browser: Browser,
  jar: CookieJar,
  options: { locale: string; width: number; height: number },
): Promise<BrowserContext> {
  const context = await browser.newContext({
    locale: options.locale,
    viewport: { width: options.width, height: options.height },
    timezoneId: "America/New_York",
  });
  await context.addCookies([ACCESS_COOKIE, REFRESH_COOKIE].map((name) => ({
    name,
    value: jar.get(name) ?? "",
    domain: "localhost",
    path: "/",
    secure: true,
    httpOnly: true,
    sameSite: "Lax" as const,
  })));
  return context;
}

Deno.test("dashboard in the browser - agenda and calendar in English (1280 px) and Arabic (390 px), in the salon's zone", async (t) => {
  const { t: app, w, late, server, origin } = await setup();
  const browser = await launchBrowser();
  const base = `${origin}/dashboard/${w.salon.slug}`;
  try {
    await t.step(
      "English, desktop: the agenda lists late, next, gaps and pending payments",
      async () => {
        const context = await signedIn(browser, w.jars.manager, {
          locale: "en-GB",
          width: 1280,
          height: 900,
        });
        const page = await context.newPage();
        const problems = watchForErrors(page);
        await page.goto(`${base}/agenda?lang=en`, { waitUntil: "networkidle" });
        assert.match(
          await page.locator("[data-zone]").textContent() ?? "",
          /Riyadh time \(GMT\+3\)/,
        );
        const lateList = page.locator("section[aria-labelledby=late] li");
        assert.equal(await lateList.count(), 1);
        assert.match(await lateList.first().textContent() ?? "", /10:00 am – 11:00 am/);
        assert.match(
          await page.locator("#next + *, section[aria-labelledby=next]").first().textContent() ??
            "",
          /1:00 pm/,
        );
        assert.match(
          await page.locator("section[aria-labelledby=pending]").textContent() ?? "",
          /SAR\s*30\.00 due, held until 12:10 pm/,
        );
        await screenshot(page, "dashboard-agenda-en");

        await page.getByRole("button", { name: "Completed" }).click();
        await page.waitForURL(/notice=completed/);
        assert.match(
          await page.locator("[role=status]").textContent() ?? "",
          /Marked as completed/,
        );
        const [row] = await app.db.query<{ status: string }>(
          "SELECT status FROM bookings WHERE id = $1",
          [late.id],
        );
        assert.equal(row.status, "completed");
        assert.deepEqual(problems, []);
        await context.close();
      },
    );

    await t.step(
      "English, desktop: day and week calendars place bookings by Riyadh time",
      async () => {
        const context = await signedIn(browser, w.jars.manager, {
          locale: "en-GB",
          width: 1280,
          height: 900,
        });
        const page = await context.newPage();
        const problems = watchForErrors(page);
        await page.goto(`${base}/calendar?lang=en`, { waitUntil: "networkidle" });
        const columns = page.locator("[data-calendar=day] [data-staff]");
        assert.equal(await columns.count(), 2, "one column per staff member");
        const noura = page.locator(`[data-staff="${w.noura.id}"]`);
        const first = noura.locator("[data-booking-id]").first();
        assert.match(await first.textContent() ?? "", /10:00 am/);
        // 09:00 is the top of the grid: the 13:00 booking sits four hours (240 px) below the 09:00 one.
        const boxes = await noura.locator("[data-booking-id]").evaluateAll((els) =>
          els.map((e) => (e as HTMLElement).offsetTop)
        );
        assert.deepEqual(boxes, [60, 240]);
        assert.equal(
          await page.locator(`[data-staff="${w.reem.id}"] [data-kind=time-off]`).count(),
          1,
        );
        assert.ok(await page.locator("[data-kind=now]").count() >= 1, "a line marks now");
        await screenshot(page, "dashboard-calendar-day-en");

        await page.getByRole("link", { name: "Week" }).click();
        await page.waitForURL(/view=week/);
        assert.equal(await page.locator("[data-calendar=week] [data-staff]").count(), 14);
        assert.ok(
          await page.locator('[data-date="2026-11-23"] [data-kind=closure]').count() >= 1,
          "Monday's closure is shaded",
        );
        await screenshot(page, "dashboard-calendar-week-en");

        await page.locator(`[data-date="2026-11-22"] [data-booking-id]`).first().click();
        await page.waitForURL(/\/bookings\/[0-9a-f-]{36}/);
        assert.match(await page.locator("main").textContent() ?? "", /Sunday, 22 November 2026/);
        assert.ok(await page.getByRole("link", { name: "Move to another time" }).isVisible());
        assert.deepEqual(problems, []);
        await context.close();
      },
    );

    await t.step(
      "Arabic, phone: agenda and calendar read right to left with Arabic digits",
      async () => {
        const context = await signedIn(browser, w.jars.manager, {
          locale: "ar-SA",
          width: 390,
          height: 844,
        });
        const page = await context.newPage();
        const problems = watchForErrors(page);
        await page.goto(`${base}/agenda?lang=ar`, { waitUntil: "networkidle" });
        assert.equal(await page.locator("html").getAttribute("dir"), "rtl");
        assert.match(await page.locator("[data-zone]").textContent() ?? "", /الرياض/);
        assert.match(
          await page.locator("section[aria-labelledby=next]").textContent() ?? "",
          /١:٠٠ م/,
        );
        const overflow = await page.evaluate(() =>
          document.documentElement.scrollWidth - document.documentElement.clientWidth
        );
        assert.ok(overflow <= 1, `the agenda fits a phone (overflow ${overflow}px)`);
        await screenshot(page, "dashboard-agenda-ar");

        await page.goto(`${base}/calendar?lang=ar`, { waitUntil: "networkidle" });
        const pageOverflow = await page.evaluate(() =>
          document.documentElement.scrollWidth - document.documentElement.clientWidth
        );
        assert.ok(pageOverflow <= 1, "the calendar scrolls inside its own box, not the page");
        // Right to left: the time axis is on the right, Noura's column (first) next to it.
        const axis = await page.locator("[data-calendar] .sticky").boundingBox();
        const col = await page.locator(`[data-staff="${w.noura.id}"]`).boundingBox();
        assert.ok(axis && col && axis.x > col.x, "time axis on the right in Arabic");
        await screenshot(page, "dashboard-calendar-day-ar");
        await page.goto(`${base}/calendar?view=week&lang=ar`, { waitUntil: "networkidle" });
        await screenshot(page, "dashboard-calendar-week-ar");
        assert.deepEqual(problems, []);
        await context.close();
      },
    );

    await t.step(
      "every other dashboard page: no errors, no sideways scrolling on a phone",
      async () => {
        const [booking] = await app.db.query<{ id: string }>(
          "SELECT id FROM bookings WHERE status = 'confirmed' ORDER BY starts_at DESC LIMIT 1",
        );
        const pages: [string, string][] = [
          ["bookings", "bookings"],
          ["booking", `bookings/${booking.id}`],
          ["reschedule", `bookings/${booking.id}/reschedule`],
          ["walk-in", `bookings/new?service=${w.service.id}`],
          ["services", "services"],
          ["staff", "staff"],
          ["staff-member", `staff/${w.noura.id}`],
          ["settings", "settings"],
          ["team", "team"],
          ["audit", "audit"],
          ["payments", "payments"],
          ["reviews", "reviews"],
          ["reports", "reports"],
        ];
        for (const [locale, width, height] of [["ar", 390, 844], ["en", 1280, 900]] as const) {
          const context = await signedIn(browser, w.jars.manager, {
            locale: locale === "ar" ? "ar-SA" : "en-GB",
            width,
            height,
          });
          const page = await context.newPage();
          const problems = watchForErrors(page);
          for (const [name, path] of pages) {
            await page.goto(`${base}/${path}${path.includes("?") ? "&" : "?"}lang=${locale}`, {
              waitUntil: "networkidle",
            });
            const overflow = await page.evaluate(() =>
              document.documentElement.scrollWidth - document.documentElement.clientWidth
            );
            assert.ok(overflow <= 1, `${name} (${locale}) scrolls sideways by ${overflow}px`);
            if (name === "reports") {
              // The charts read in the page's direction: labels start at the right in Arabic.
              const chart = (await page.locator("[data-chart=chart-status]").boundingBox())!;
              const label = (await page.locator("[data-chart=chart-status] text").first()
                .boundingBox())!;
              const gap = locale === "ar"
                ? chart.x + chart.width - (label.x + label.width)
                : label.x - chart.x;
              assert.ok(gap >= 0 && gap < 3, `${locale}: the first label is at the start edge`);
            }
            await screenshot(page, `dashboard-${name}-${locale}`);
          }
          assert.deepEqual(problems, []);
          await context.close();
        }
      },
    );

    await t.step("staff see only their own column and no payments", async () => {
      const context = await signedIn(browser, w.jars.staff, {
        locale: "en-GB",
        width: 1280,
        height: 900,
      });
      const page = await context.newPage();
      await page.goto(`${base}/calendar?lang=en`, { waitUntil: "networkidle" });
      assert.equal(await page.locator("[data-calendar=day] [data-staff]").count(), 1);
      await page.goto(`${base}/agenda?lang=en`, { waitUntil: "networkidle" });
      assert.equal(await page.locator("section[aria-labelledby=pending]").count(), 0);
      assert.equal(await page.getByRole("link", { name: "Settings" }).count(), 0);
      await context.close();
    });
  } finally {
    await browser.close();
    await server.close();
    await app.close();
  }
});
