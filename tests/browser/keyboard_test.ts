import assert from "node:assert/strict";
import type { Locator, Page } from "playwright-core";
import { launchBrowser } from "./_browser.ts";
import { newContext, PHONE_AR, recorder, seededApp } from "./_journey.ts";

/**
 * Presses Tab until `target` has the focus (at most `max` times), then checks the focus can be
 * seen: the element, or the chip a visually hidden radio button drives, has an outline or a ring.
 */
async function tabTo(page: Page, target: Locator, max = 60): Promise<void> {
  await target.first().waitFor({ state: "attached" });
  for (let i = 0; i < max; i++) {
    await page.keyboard.press("Tab");
    if (await target.evaluateAll((els) => els.some((e) => e === document.activeElement))) {
      const visible = await page.evaluate(() => {
        const el = document.activeElement as HTMLElement;
        const shown = (e: Element | null) => {
          if (!e) return false;
          const s = getComputedStyle(e);
          return (s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0) ||
            s.boxShadow !== "none";
        };
        return shown(el) || shown(el.nextElementSibling);
      });
      assert.ok(visible, `the keyboard focus is visible on ${await describe(page)}`);
      return;
    }
  }
  throw new Error(
    `${max} presses of Tab never reached ${target}; stopped on ${await describe(page)}`,
  );
}

function describe(page: Page): Promise<string> {
  return page.evaluate(() => {
    const el = document.activeElement;
    return el
      ? `<${el.tagName.toLowerCase()}> "${el.textContent?.trim().slice(0, 40)}"`
      : "nothing";
  });
}

const DAY = "2026-11-24";

Deno.test("keyboard only - an Arabic customer finds a salon, books a time, logs in and pays her deposit without touching the mouse", async () => {
  const app = await seededApp();
  const browser = await launchBrowser();
  try {
    const context = await newContext(browser, app, PHONE_AR);
    const page = await context.newPage();
    const { step } = recorder(page, "keyboard-ar");
    const key = (k: string) => page.keyboard.press(k);

    await page.goto(`${app.origin}/`);
    await tabTo(page, page.getByRole("link", { name: "صالون لمسة" }));
    await step("home-salon-focused");
    await key("Enter");
    await page.waitForURL(/\/salons\/lamsa-riyadh$/);

    await tabTo(page, page.getByRole("link", { name: "حجز موعد: استشوار" }));
    await key("Enter");
    await page.waitForURL(/\/book\?service=/);
    await tabTo(page, page.getByRole("link", { name: /بدون تفضيل/ }));
    await key("Enter");
    await page.waitForURL(/staff=any/);
    await page.waitForLoadState("networkidle"); // the slot picker is hydrated

    // A day from the strip (loaded in place), then a time with the arrow keys.
    await tabTo(page, page.locator(`ol a[href*="date=${DAY}"]`));
    await key("Enter");
    await page.waitForFunction((day) => location.href.includes(`date=${day}`), DAY);
    await page.locator(`input[name=start][value^="${DAY}"]`).first().waitFor({ state: "attached" });
    await tabTo(page, page.locator("input[name=start]"));
    await key("ArrowDown");
    await key("ArrowDown");
    await key("Space");
    const chosen = await page.locator("input[name=start]:checked").getAttribute("value");
    const all = await page.locator("input[name=start]").evaluateAll((els) =>
      els.map((e) => (e as HTMLInputElement).value)
    );
    assert.equal(chosen, all[2], "two presses of the down arrow: the third time");
    await step("time-chosen");
    await tabTo(page, page.getByRole("button", { name: "متابعة" }));
    await key("Enter");
    await page.getByRole("heading", { name: "تفاصيل الحجز" }).waitFor();

    await tabTo(page, page.getByRole("button", { name: "تأكيد الحجز" }));
    await key("Enter");
    await page.waitForURL(/\/login\?next=/);

    // The login page focuses the phone field; Tab reaches the notice's box and the button.
    await page.keyboard.type("0551239876");
    const accept = page.locator('input[name="accept_privacy_notice"]');
    if (await accept.count()) {
      await tabTo(page, accept);
      await key("Space");
      assert.ok(await accept.isChecked());
    }
    await tabTo(page, page.getByRole("button", { name: "إرسال الرمز" }));
    await step("login-phone");
    await key("Enter");
    await page.waitForURL(/\/login\?rid=/);
    await page.waitForFunction(() =>
      [...document.querySelectorAll("button")].some((b) =>
        b.disabled && /[٠-٩\d]/.test(b.textContent ?? "")
      )
    );
    // The code field has the focus: typing the six digits submits them.
    assert.equal(
      await page.evaluate(() => (document.activeElement as HTMLInputElement)?.autocomplete),
      "one-time-code",
    );
    await page.keyboard.type(app.t.otpMessages.at(-1)!.code, { delay: 30 });
    await page.waitForURL(/\/salons\/lamsa-riyadh\/book\?.*start=/);

    await tabTo(page, page.getByRole("button", { name: "تأكيد الحجز" }));
    await key("Enter");
    await page.waitForURL(/\/bookings\/[0-9a-f-]{36}\?notice=booked$/);
    await step("booking-pending");

    await tabTo(page, page.getByRole("button", { name: /^الدفع الآن: / }));
    await key("Enter");
    await page.waitForURL((url) => url.origin === app.fake.origin);
    await tabTo(page, page.getByRole("button", { name: /^ادفع / }));
    await key("Enter");
    await page.waitForURL(/\?notice=paid$/);
    assert.match(await page.locator("[data-status]").first().textContent() ?? "", /مؤكَّد/);
    await step("booking-confirmed");
    await context.close();
  } finally {
    await browser.close();
    await app.close();
  }
});
