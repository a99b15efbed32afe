import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { makeTestApp } from "../helpers/app.ts";
import { launchBrowser, screenshot, watchForErrors } from "./_browser.ts";

const toArabicDigits = (s: string) =>
  s.replace(/[0-9]/g, (d) => String.fromCharCode(0x0660 + Number(d)));

/** The app on a free loopback port, served the way main.ts serves it (with the client address). */
function serveApp(t: Awaited<ReturnType<typeof makeTestApp>>) {
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    (req, info) => t.app.fetch(req, info),
  );
  return {
    // "localhost" is a secure context for Chromium, so the __Host- Secure cookies stick over http.
    origin: `http://localhost:${server.addr.port}`,
    close: () => server.shutdown(),
  };
}

async function waitForHydration(page: Page) {
  // Hydrated: the resend button counts down (the server renders it enabled, for no-JS users).
  await page.waitForFunction(() => {
    const buttons = [...document.querySelectorAll("button")];
    return buttons.some((b) => b.disabled && /\d|[٠-٩]/.test(b.textContent ?? ""));
  });
}

Deno.test("login in a real browser - Arabic, Arabic-Indic digits typed into the OTP island, back to the page you came from", async () => {
  const t = await makeTestApp();
  const server = serveApp(t);
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage({
      locale: "ar-SA",
      viewport: { width: 420, height: 900 },
      deviceScaleFactor: 2,
    });
    const problems = watchForErrors(page);

    // A signed-out visit to /me lands on the login page, remembering /me.
    await page.goto(`${server.origin}/me`);
    assert.match(page.url(), /\/login\?next=%2Fme$/);
    assert.equal(await page.getAttribute("html", "dir"), "rtl");
    await screenshot(page, "login-ar-phone");

    await page.getByLabel("رقم الجوال").fill("٠٥١٢ ٣٤٥ ٦٧٨");
    await page.locator('input[name="accept_privacy_notice"]').check();
    await page.getByRole("button", { name: "إرسال الرمز" }).click();
    await page.waitForURL(/\/login\?rid=/);
    await waitForHydration(page);
    const countdown = await page.locator("button[disabled]").last().textContent();
    assert.match(countdown ?? "", /رمز جديد بعد [٠-٩]+ ث/, "the countdown speaks Arabic digits");
    await screenshot(page, "login-ar-code");

    // The code, as the console provider printed it.
    assert.equal(t.otpMessages.length, 1);
    const { code, phone } = t.otpMessages[0];
    assert.equal(phone, "+966512345678");

    // A wrong code is announced, and the field is cleared for another try.
    const field = page.getByLabel("الرمز المكوّن من ستة أرقام");
    assert.equal(await field.getAttribute("autocomplete"), "one-time-code");
    assert.equal(await field.getAttribute("inputmode"), "numeric");
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, "0");
    await field.pressSequentially(toArabicDigits(wrong));
    await page.getByRole("alert").filter({ hasText: "الرمز غير صحيح أو منتهي الصلاحية" }).waitFor();
    assert.equal(await field.inputValue(), "");
    assert.equal(await field.getAttribute("aria-invalid"), "true");
    await screenshot(page, "login-ar-code-error");

    // Typed digit by digit in Arabic-Indic digits: the sixth one submits by itself.
    await field.pressSequentially(toArabicDigits(code), { delay: 20 });
    await page.waitForURL(/\/me$/);
    const body = await page.locator("main").textContent();
    assert.match(body ?? "", /\+966 51 234 5678/);
    assert.match(body ?? "", /موثّق/);
    await screenshot(page, "login-ar-account");

    // The wrong code's 400 (a network entry and Chromium's console line for it) is expected.
    const unexpected = problems.filter((p) =>
      !p.includes("/api/auth/phone/verify/") && !p.includes("status of 400")
    );
    assert.deepEqual(unexpected, []);
  } finally {
    await browser.close();
    await server.close();
    await t.close();
  }
});

Deno.test("login in a real browser - English, a pasted code, WhatsApp resend with a live countdown", async () => {
  const t = await makeTestApp({ OTP_RESEND_COOLDOWN_SECONDS: "3" });
  const server = serveApp(t);
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage({ locale: "en-GB", viewport: { width: 1000, height: 800 } });
    const problems = watchForErrors(page);
    await page.goto(`${server.origin}/login?lang=en`);
    assert.equal(await page.getAttribute("html", "dir"), "ltr");
    await screenshot(page, "login-en-phone");
    await page.getByLabel("Mobile number").fill("+966 51 234 5678");
    await page.locator('input[name="accept_privacy_notice"]').check();
    await page.getByRole("button", { name: "Send code" }).click();
    await page.waitForURL(/\/login\?rid=/);
    await waitForHydration(page);
    await screenshot(page, "login-en-code");

    // Switch to WhatsApp: that channel has its own cooldown, so it may send at once.
    await page.getByLabel("WhatsApp").check();
    const resend = page.getByRole("button", { name: "Send a new code" });
    await resend.click();
    await page.getByRole("status").filter({ hasText: "A new code is on its way." }).waitFor();
    assert.equal(t.otpMessages.length, 2);
    assert.equal(t.otpMessages[1].channel, "whatsapp");
    assert.match(
      await page.locator("button[disabled]").last().textContent() ?? "",
      /New code in \d s/,
    );
    // The live countdown reaches zero and the button comes back.
    await resend.waitFor({ state: "visible", timeout: 6000 });
    await page.waitForFunction(
      () =>
        [...document.querySelectorAll("button")].some((b) =>
          !b.disabled && b.textContent === "Send a new code"
        ),
      undefined,
      { timeout: 6000 },
    );

    // Pasting the whole code (fill = one input event with all six digits) submits it.
    const latest = t.otpMessages[1];
    await page.getByLabel("6-digit code").fill(
      ` ${latest.code.slice(0, 3)} ${latest.code.slice(3)} `,
    );
    await page.waitForURL(/\/$/);
    assert.match(await page.locator("header").textContent() ?? "", /\+966 51 234 5678/);
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
    await server.close();
    await t.close();
  }
});

Deno.test("login in a real browser - JavaScript off: the same login with plain forms", async () => {
  const t = await makeTestApp();
  const server = serveApp(t);
  const browser = await launchBrowser();
  try {
    const context = await browser.newContext({ javaScriptEnabled: false, locale: "ar-SA" });
    const page = await context.newPage();
    await page.goto(`${server.origin}/login?next=/me`);
    await page.getByLabel("رقم الجوال").fill("0512345678");
    await page.locator('input[name="accept_privacy_notice"]').check();
    await page.getByRole("button", { name: "إرسال الرمز" }).click();
    await page.waitForURL(/\/login\?rid=/);
    await page.getByLabel("الرمز المكوّن من ستة أرقام").fill(t.otpMessages[0].code);
    await page.getByRole("button", { name: "دخول" }).click();
    await page.waitForURL(/\/me$/);
    assert.match(await page.locator("main").textContent() ?? "", /\+966 51 234 5678/);
    await context.close();
  } finally {
    await browser.close();
    await server.close();
    await t.close();
  }
});
