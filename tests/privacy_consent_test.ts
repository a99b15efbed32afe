import assert from "node:assert/strict";
import { PRIVACY_NOTICE_VERSION } from "@/services/privacy/notice.ts";
import { makeTestApp, type TestApp } from "./helpers/app.ts";
import {
  ACCEPT_PRIVACY,
  codeFor,
  CookieJar,
  makeUser,
  PHONE,
  PHONE_LOCAL,
  postJson,
} from "./helpers/auth.ts";
import { testBackend } from "./helpers/db.ts";

const backend = testBackend();
const EN = { "accept-language": "en" };

async function request(t: TestApp, body: Record<string, unknown> = {}) {
  return await postJson(t.app, "/api/auth/phone/request/", {
    phone_number: PHONE_LOCAL,
    channel: "sms",
    ...body,
  }, EN);
}

async function consents(t: TestApp) {
  return [
    ...await t.db.query<{ notice_version: string; accepted_at: Date; source: string }>(
      `SELECT c.notice_version, c.accepted_at, c.source FROM privacy_consents c
     JOIN users u ON u.id = c.user_id WHERE u.phone_number = $1 ORDER BY c.accepted_at`,
      [PHONE],
    ),
  ];
}

Deno.test(`privacy consent (${backend}) - a new account needs the notice accepted; without it the code checks out but login waits`, async (s) => {
  const t = await makeTestApp();
  try {
    let requestId = "";
    await s.step("request without acceptance: the same 201 as always, no account yet", async () => {
      const res = await request(t);
      assert.equal(res.status, 201);
      requestId = (await res.json()).request_id;
      const users = await t.db.query("SELECT 1 FROM users");
      assert.equal(users.length, 0, "no account is created before the notice is accepted");
    });
    await s.step(
      "verify without acceptance → 400 on accept_privacy_notice; the code stays usable",
      async () => {
        const res = await postJson(t.app, "/api/auth/phone/verify/", {
          request_id: requestId,
          code: codeFor(t, requestId),
        }, EN);
        assert.equal(res.status, 400);
        const body = await res.json();
        assert.equal(body.detail, "Please read and accept the privacy notice to continue.");
        assert.deepEqual(body.accept_privacy_notice, [
          "Please read and accept the privacy notice to continue.",
        ]);
        const [row] = await t.db.query<{ status: string; attempt_count: number }>(
          "SELECT status, attempt_count FROM otp_requests WHERE id = $1",
          [requestId],
        );
        assert.deepEqual(row, { status: "sent", attempt_count: 0 });
        assert.equal((await t.db.query("SELECT 1 FROM users")).length, 0);
      },
    );
    await s.step("the same code with acceptance → 200 and a consent row", async () => {
      t.clock.advance(30_000);
      const res = await postJson(t.app, "/api/auth/phone/verify/", {
        request_id: requestId,
        code: codeFor(t, requestId),
        ...ACCEPT_PRIVACY,
      });
      assert.equal(res.status, 200);
      assert.deepEqual(await consents(t), [{
        notice_version: PRIVACY_NOTICE_VERSION,
        accepted_at: t.clock.now(),
        source: "api",
      }]);
    });
  } finally {
    await t.close();
  }
});

Deno.test(`privacy consent (${backend}) - accepted with the request: account and consent are created together; a re-sent code carries it`, async () => {
  const t = await makeTestApp({ OTP_RESEND_COOLDOWN_SECONDS: "0" });
  try {
    const first = await request(t, { ...ACCEPT_PRIVACY, first_name: "Sara" });
    assert.equal(first.status, 201);
    const requestTime = t.clock.now();
    const [user] = await t.db.query<{ first_name: string }>(
      "SELECT first_name FROM users WHERE phone_number = $1",
      [PHONE],
    );
    assert.equal(user.first_name, "Sara");
    assert.deepEqual(await consents(t), [{
      notice_version: PRIVACY_NOTICE_VERSION,
      accepted_at: requestTime,
      source: "api",
    }]);
    // A new code (the island's "send again") does not repeat the acceptance; login still works.
    t.clock.advance(120_000);
    const again = await request(t, { channel: "whatsapp" });
    const { request_id } = await again.json();
    const res = await postJson(t.app, "/api/auth/phone/verify/", {
      request_id,
      code: codeFor(t, request_id),
    });
    assert.equal(res.status, 200);
    assert.equal((await consents(t)).length, 1, "one row per version");
  } finally {
    await t.close();
  }
});

Deno.test(`privacy consent (${backend}) - a newer notice asks again; the current one does not; an outdated acceptance is refused`, async (s) => {
  const t = await makeTestApp({ OTP_RESEND_COOLDOWN_SECONDS: "0" });
  try {
    const userId = await makeUser(t.db, { phone: PHONE });
    await t.db.query(
      `INSERT INTO privacy_consents (user_id, notice_version, accepted_at, source)
       VALUES ($1, '2025-01-01', '2025-01-05T10:00:00Z', 'web')`,
      [userId],
    );
    await s.step("known phone, old version: request is the usual 201 (nothing told)", async () => {
      const res = await request(t);
      assert.equal(res.status, 201);
      const { request_id } = await res.json();
      const verify = await postJson(t.app, "/api/auth/phone/verify/", {
        request_id,
        code: codeFor(t, request_id),
      }, EN);
      assert.equal(verify.status, 400);
      assert.ok((await verify.json()).accept_privacy_notice);
    });
    await s.step("an acceptance of another version → 400 on notice_version", async () => {
      const res = await request(t, { accept_privacy_notice: true, notice_version: "2025-01-01" });
      assert.equal(res.status, 400);
      assert.deepEqual((await res.json()).notice_version, [
        "The privacy notice has been updated. Please read it and accept it again.",
      ]);
    });
    await s.step(
      "accepting the current version logs in and adds a row; the old stays",
      async () => {
        const res = await request(t, ACCEPT_PRIVACY);
        const { request_id } = await res.json();
        assert.equal((await consents(t)).length, 1, "not recorded before the phone is proven");
        const verify = await postJson(t.app, "/api/auth/phone/verify/", {
          request_id,
          code: codeFor(t, request_id),
        });
        assert.equal(verify.status, 200);
        assert.deepEqual((await consents(t)).map((c) => c.notice_version), [
          "2025-01-01",
          PRIVACY_NOTICE_VERSION,
        ]);
      },
    );
    await s.step("with the current version accepted, the next login asks nothing", async () => {
      t.clock.advance(2 * 3_600_000);
      const res = await request(t);
      const { request_id } = await res.json();
      const verify = await postJson(t.app, "/api/auth/phone/verify/", {
        request_id,
        code: codeFor(t, request_id),
      });
      assert.equal(verify.status, 200);
    });
  } finally {
    await t.close();
  }
});

function form(t: TestApp, fields: Record<string, string>, lang = "en") {
  return t.app.request(`/login?lang=${lang}`, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      "sec-fetch-site": "same-origin",
    },
    body: new URLSearchParams(fields),
  });
}

Deno.test(`privacy consent (${backend}) - the login page shows the notice and requires the checkbox; /privacy in both languages`, async (s) => {
  const t = await makeTestApp();
  try {
    await s.step("the phone step: summary, link, checkbox, version", async () => {
      for (const [lang, link] of [["en", "privacy notice"], ["ar", "إشعار الخصوصية"]]) {
        const html = await (await t.app.request(`/login?lang=${lang}`)).text();
        assert.match(html, /<input type="checkbox" name="accept_privacy_notice" value="yes"/);
        assert.match(html, new RegExp(`name="notice_version" value="${PRIVACY_NOTICE_VERSION}"`));
        assert.ok(html.includes(`href="/privacy"`) && html.includes(link), lang);
      }
    });
    await s.step("without the checkbox → 400, the message, no code sent", async () => {
      const res = await form(t, {
        action: "request",
        phone_number: PHONE_LOCAL,
        channel: "sms",
        notice_version: PRIVACY_NOTICE_VERSION,
      });
      assert.equal(res.status, 400);
      const html = await res.text();
      assert.ok(html.includes("Please read and accept the privacy notice to continue."));
      assert.ok(html.includes(`value="${PHONE_LOCAL}"`), "the number stays typed");
      assert.equal(t.otpMessages.length, 0);
    });
    await s.step("a page from before a notice update → 400 asking to read it again", async () => {
      const res = await form(t, {
        action: "request",
        phone_number: PHONE_LOCAL,
        channel: "sms",
        accept_privacy_notice: "yes",
        notice_version: "2020-01-01",
      });
      assert.equal(res.status, 400);
      assert.ok((await res.text()).includes("The privacy notice has been updated"));
    });
    await s.step("ticked → code step → logged in, consent recorded from the web", async () => {
      const jar = new CookieJar();
      const res = await form(t, {
        action: "request",
        phone_number: PHONE_LOCAL,
        channel: "sms",
        accept_privacy_notice: "yes",
        notice_version: PRIVACY_NOTICE_VERSION,
      });
      assert.equal(res.status, 303);
      const rid = new URL(res.headers.get("location")!, "http://x").searchParams.get("rid")!;
      const verify = jar.take(
        await form(t, { action: "verify", rid, code: codeFor(t, rid), next: "/" }),
      );
      assert.equal(verify.status, 303);
      assert.ok(jar.get("__Host-salon_access"));
      assert.deepEqual((await consents(t)).map((c) => [c.notice_version, c.source]), [
        [PRIVACY_NOTICE_VERSION, "web"],
      ]);
    });
    await s.step(
      "/privacy: the notice in Arabic (default) and English, with its version",
      async () => {
        const ar = await t.app.request("/privacy");
        assert.equal(ar.status, 200);
        const arHtml = await ar.text();
        assert.match(arHtml, /<html lang="ar" dir="rtl">/);
        assert.ok(arHtml.includes("إشعار الخصوصية") && arHtml.includes("مدة الاحتفاظ"));
        const en = await (await t.app.request("/privacy?lang=en")).text();
        assert.ok(en.includes("How long we keep it") && en.includes(PRIVACY_NOTICE_VERSION));
        assert.ok(en.includes('href="/privacy"'), "the footer links it on every page");
        const api = await (await t.app.request("/api/privacy/notice/?lang=en")).json();
        assert.deepEqual([api.version, api.url], [PRIVACY_NOTICE_VERSION, "/privacy"]);
      },
    );
  } finally {
    await t.close();
  }
});
