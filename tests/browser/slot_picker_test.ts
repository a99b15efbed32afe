import assert from "node:assert/strict";
import { makeTestApp } from "../helpers/app.ts";
import {
  everyDay,
  hm,
  makeClosure,
  makeSalon,
  makeService,
  makeStaff,
} from "../helpers/factories.ts";
import { launchBrowser, screenshot, serve, watchForErrors } from "./_browser.ts";

// The test clock says 2026-11-21T09:00Z: Saturday 12:00 in Riyadh.
async function bookingApp() {
  const t = await makeTestApp();
  const salon = await makeSalon(t.db, { hours: everyDay(hm(9), hm(17)), slot_step_minutes: 60 });
  const service = await makeService(t.db, salon, { name_en: "Haircut", duration_minutes: 60 });
  await makeStaff(t.db, salon, { services: [service.id], name_en: "Noura" });
  await makeStaff(t.db, salon, { services: [service.id], name_en: "Reem" });
  // Monday 23 November is closed all day: its day in the strip is greyed out.
  await makeClosure(t.db, salon, {
    starts_at: new Date("2026-11-22T21:00:00Z"),
    ends_at: new Date("2026-11-23T21:00:00Z"),
  });
  const server = serve((req) => t.app.fetch(req));
  const url = `${server.origin}/salons/${salon.slug}/book?service=${service.id}&staff=any&lang=en`;
  return { app: t, server, url };
}

Deno.test("slot picker - another day's times load in place, in the salon's zone, on a device in New York", async (t) => {
  const { app, server, url } = await bookingApp();
  const browser = await launchBrowser();
  try {
    const context = await browser.newContext({ timezoneId: "America/New_York", locale: "en-US" });
    const page = await context.newPage();
    const problems = watchForErrors(page);
    await page.goto(url, { waitUntil: "networkidle" });
    await page.evaluate(() => Object.assign(globalThis, { __sameDocument: true }));

    const times = () => page.locator("form fieldset label").allTextContents();
    assert.deepEqual(
      await times(),
      ["12:00 pm", "1:00 pm", "2:00 pm", "3:00 pm", "4:00 pm"],
      "Riyadh wall-clock times, not the device's",
    );
    const monday = page.locator('ol a[href*="date=2026-11-23"]');
    assert.match(await monday.getAttribute("class") ?? "", /line-through/, "closed day greyed");
    assert.match(await monday.textContent() ?? "", /no free times/);

    await t.step("clicking tomorrow fetches its times without reloading", async () => {
      const requests: string[] = [];
      page.on("request", (r) => requests.push(r.url()));
      await page.locator('ol a[href*="date=2026-11-22"]').click();
      await page.locator('input[value="2026-11-22T06:00:00.000Z"]').waitFor({ state: "attached" });
      assert.equal(await page.evaluate(() => "__sameDocument" in globalThis), true, "no reload");
      assert.ok(requests.some((r) => r.includes("/slots/?") && r.includes("date=2026-11-22")));
      assert.match(page.url(), /date=2026-11-22/, "the address names the day shown");
      assert.equal(
        await page.locator('ol a[aria-current="date"]').getAttribute("href").then((h) =>
          h?.includes("date=2026-11-22")
        ),
        true,
      );
      assert.equal((await times())[0], "9:00 am");
      assert.match(await page.locator("form h3").textContent() ?? "", /Sunday, 22 November 2026/);
    });

    await t.step("the keyboard works: Enter on a day link loads it", async () => {
      await page.locator('ol a[href*="date=2026-11-24"]').focus();
      await page.keyboard.press("Enter");
      await page.waitForFunction(() => location.href.includes("date=2026-11-24"));
      await page.locator('input[value="2026-11-24T06:00:00.000Z"]').waitFor({ state: "attached" });
      assert.equal(await page.evaluate(() => "__sameDocument" in globalThis), true);
    });

    await t.step("later dates load the next two weeks in place", async () => {
      await page.getByRole("link", { name: /Later dates/ }).click();
      await page.waitForFunction(() =>
        document.querySelector('ol[aria-label="Dates"] a')?.getAttribute("href")?.includes(
          "date=2026-12-05",
        )
      );
      assert.equal(await page.evaluate(() => "__sameDocument" in globalThis), true);
      assert.ok(await page.getByRole("link", { name: /Earlier dates/ }).isVisible());
    });

    await t.step("choosing a time and continuing shows the confirmation", async () => {
      await page.locator("form fieldset label").first().click();
      await page.getByRole("button", { name: "Continue" }).click();
      await page.getByRole("heading", { name: "Your booking" }).waitFor();
      assert.match(await page.locator("dl").textContent() ?? "", /Haircut/);
      await screenshot(page, "slot-picker-confirm");
    });
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
    await server.close();
    await app.close();
  }
});

Deno.test("slot picker - without JavaScript the page works as links and radio buttons, one day at a time", async () => {
  const { app, server, url } = await bookingApp();
  const browser = await launchBrowser();
  try {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(url.replace("lang=en", "lang=ar"));
    await page.locator('ol a[href*="date=2026-11-22"]').click();
    await page.waitForURL(/date=2026-11-22/);
    await page.locator('label:has(input[value="2026-11-22T07:00:00.000Z"])').click();
    await screenshot(page, "slot-picker-nojs-ar");
    await page.getByRole("button", { name: "متابعة" }).click();
    await page.getByRole("heading", { name: "تفاصيل الحجز" }).waitFor();
    assert.match(page.url(), /start=2026-11-22T07%3A00%3A00.000Z/);
    assert.equal(await page.locator("html").getAttribute("dir"), "rtl");
  } finally {
    await browser.close();
    await server.close();
    await app.close();
  }
});

Deno.test("slot picker - the booking page ships at most 15 KB of gzipped JavaScript", async () => {
  const { app, server, url } = await bookingApp();
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage();
    const scripts: Promise<number>[] = [];
    page.on("response", (res) => {
      if (res.request().resourceType() === "script") {
        scripts.push(
          res.body().then(async (body) => {
            const gz = new Blob([body as Uint8Array<ArrayBuffer>]).stream().pipeThrough(
              new CompressionStream("gzip"),
            );
            return (await new Response(gz).arrayBuffer()).byteLength;
          }),
        );
      }
    });
    await page.goto(url, { waitUntil: "networkidle" });
    const total = (await Promise.all(scripts)).reduce((a, b) => a + b, 0);
    assert.ok(scripts.length > 0, "the slot picker is hydrated");
    assert.ok(total <= 15 * 1024, `booking page JS is ${total} bytes gzipped`);
  } finally {
    await browser.close();
    await server.close();
    await app.close();
  }
});
