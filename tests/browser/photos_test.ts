import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import type { Page } from "playwright-core";
import { DEMO_MANAGER_PHONE } from "@/db/seed.ts";
import { launchBrowser } from "./_browser.ts";
import { DESKTOP_EN, newContext, overflow, PHONE_AR, recorder, seededApp } from "./_journey.ts";

const FIXTURES = new URL("../fixtures/photos/", import.meta.url).pathname;
const LOCAL_PHONE = `0${DEMO_MANAGER_PHONE.slice(4)}`;

/** Scrolls down a screen at a time (lazy images load as they come near) until all have loaded. */
async function scrollThrough(page: Page) {
  await page.evaluate(async () => {
    for (let y = 0; y < document.body.scrollHeight; y += innerHeight / 2) {
      scrollTo(0, y);
      await new Promise((r) => setTimeout(r, 100));
    }
  });
  await page.waitForFunction(() =>
    [...document.querySelectorAll("img")].every((img) => img.complete && img.naturalWidth > 0)
  );
  await page.evaluate(() => scrollTo(0, 0));
}

/** Every `<img>` in view has loaded (decoded, non-zero size), with the rendition it chose. */
async function loadedImages(page: Page) {
  return await page.evaluate(() =>
    [...document.querySelectorAll("img")].map((img) => ({
      alt: img.alt,
      complete: img.complete,
      natural: img.naturalWidth,
      shown: Math.round(img.getBoundingClientRect().width),
      src: img.currentSrc,
      loading: img.loading,
    }))
  );
}

Deno.test("photos (browser) - a manager uploads a gallery without JavaScript tricks, describes a photo and makes it the cover; the salon page shows it", async () => {
  const app = await seededApp();
  const browser = await launchBrowser();
  try {
    const context = await newContext(browser, app, DESKTOP_EN, LOCAL_PHONE);
    const page = await context.newPage();
    const rec = recorder(page, "photos-manager-en");
    await page.goto(`${app.origin}/dashboard/lamsa-riyadh/photos?lang=en`);
    await page.getByRole("heading", { name: "Salon photos" }).waitFor();
    assert.equal(await page.locator("[data-photo]").count(), 4, "the demo gallery");
    await rec.step("gallery");

    await page.getByLabel("Choose photos").setInputFiles([
      `${FIXTURES}iphone.heic`,
      `${FIXTURES}gps_rotated.jpg`,
    ]);
    await page.getByRole("button", { name: "Upload photos" }).click();
    await page.waitForURL(/notice=uploaded/);
    await page.getByRole("status").filter({ hasText: "Photos uploaded." }).waitFor();
    const cards = page.locator("[data-photo]");
    assert.equal(await cards.count(), 6);
    await rec.step("uploaded");

    // The HEIC (fifth) gets a description and becomes the cover.
    const heic = cards.nth(4);
    const id = await heic.getAttribute("data-photo");
    await heic.getByLabel(/Description in English/).fill("Our new colour bar");
    await heic.getByLabel(/Description in Arabic/).fill("ركن الصبغات الجديد");
    await heic.getByRole("button", { name: "Save description" }).click();
    await page.waitForURL(/notice=altSaved/);
    await page.locator(`[data-photo="${id}"]`).getByRole("button", { name: "Make it the cover" })
      .click();
    await page.waitForURL(/notice=moved/);
    assert.equal(await cards.first().getAttribute("data-photo"), id);
    await rec.step("new-cover");

    // A file that is not a photo is refused with a message naming it; nothing is added.
    await page.getByLabel("Choose photos").setInputFiles({
      name: "menu.jpg",
      mimeType: "image/jpeg",
      buffer: Buffer.from("<html>not a photo</html>".repeat(10)),
    });
    await page.getByRole("button", { name: "Upload photos" }).click();
    await page.getByText("menu.jpg: This file is not a JPEG, PNG, WebP or HEIC photo.").first()
      .waitFor();
    assert.equal(await cards.count(), 6);
    await rec.step("refused", [/HTTP 400: .*\/photos$/, /status of 400/]);

    const salon = await context.newPage();
    const salonRec = recorder(salon, "photos-salon-en-desktop");
    await salon.goto(`${app.origin}/salons/lamsa-riyadh?lang=en`);
    const hero = salon.locator("img").first();
    assert.equal(await hero.getAttribute("alt"), "Our new colour bar");
    assert.equal(await hero.getAttribute("fetchpriority"), "high");
    await scrollThrough(salon);
    const images = await loadedImages(salon);
    assert.ok(images.length >= 10, `${images.length} images`);
    for (const img of images) {
      assert.ok(img.natural > 0, `${img.alt} loaded`);
      assert.match(img.src, /\.webp$/, `${img.alt}: Chromium takes the WebP rendition`);
      // The rendition fits its box: never a 1600 px file for a 56 px portrait.
      assert.ok(
        img.natural <= Math.max(img.shown * 2, 480),
        `${img.alt}: ${img.natural} for ${img.shown}`,
      );
    }
    assert.equal(await overflow(salon), 0);
    await salonRec.step("salon");
    await context.close();
  } finally {
    await browser.close();
    await app.close();
  }
});

Deno.test("photos (browser) - the salon page with photos in Arabic on a phone: cover first, no sideways scrolling, lazy below the fold", async () => {
  const app = await seededApp();
  const browser = await launchBrowser();
  try {
    const context = await newContext(browser, app, PHONE_AR);
    const page = await context.newPage();
    const rec = recorder(page, "photos-salon-ar-phone");
    await page.goto(`${app.origin}/salons/lamsa-riyadh`);
    const hero = page.locator("img").first();
    await hero.waitFor();
    assert.equal(await hero.getAttribute("alt"), "مرايا التصفيف في صالون لمسة");
    const box = await hero.boundingBox();
    assert.ok(
      box && box.y < 200 && box.width >= 350,
      `the cover leads the page: ${JSON.stringify(box)}`,
    );
    assert.equal(await overflow(page), 0);
    const before = await loadedImages(page);
    assert.equal(before[0].loading, "eager");
    assert.ok(before.slice(1).every((i) => i.loading === "lazy"));
    assert.ok(
      before[0].natural > 0 && before[0].natural <= 960,
      `${before[0].natural}px cover on a phone`,
    );
    await rec.step("top");
    await scrollThrough(page);
    await rec.step("all");
    await context.close();
  } finally {
    await browser.close();
    await app.close();
  }
});
