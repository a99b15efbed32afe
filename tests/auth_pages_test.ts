/** /login, /me, /logout and /dev/messages as plain HTML forms (JavaScript off). */
import assert from "node:assert/strict";
import { makeTestApp, type TestApp } from "./helpers/app.ts";
import { testBackend } from "./helpers/db.ts";
import {
  ACCEPT_PRIVACY_FORM,
  ACCESS_COOKIE,
  codeFor,
  CookieJar,
  PHONE,
  wrongCode,
} from "./helpers/auth.ts";

const backend = testBackend();

function form(
  t: TestApp,
  path: string,
  fields: Record<string, string>,
  jar?: CookieJar,
  headers: Record<string, string> = {},
) {
  return t.app.request(path, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      "sec-fetch-site": "same-origin",
      ...(jar ? { cookie: jar.header() } : {}),
      ...headers,
    },
    // The phone step's privacy notice checkbox, ticked (a test that is about it says otherwise).
    body: new URLSearchParams(
      fields.action === "request" ? { ...ACCEPT_PRIVACY_FORM, ...fields } : fields,
    ).toString(),
  });
}

function get(t: TestApp, path: string, jar?: CookieJar, headers: Record<string, string> = {}) {
  return t.app.request(path, { headers: { ...(jar ? { cookie: jar.header() } : {}), ...headers } });
}

Deno.test(`login page (${backend}) - the whole login works without JavaScript: forms, 303s, back to where you were`, async (s) => {
  const t = await makeTestApp();
  try {
    const jar = new CookieJar();
    let codeUrl = "";
    await s.step("the phone step is a plain form and ships no script", async () => {
      const res = await get(t, "/login?next=/salons/lamsa");
      assert.equal(res.status, 200);
      assert.match(res.headers.get("content-type") ?? "", /text\/html/);
      const html = await res.text();
      assert.match(html, /<html lang="ar" dir="rtl">/);
      assert.match(html, /<form method="post" action="\/login"/);
      assert.match(html, /name="phone_number"[^>]*type="tel"/);
      assert.match(html, /name="channel" value="whatsapp"/);
      assert.match(html, /name="next" value="\/salons\/lamsa"/);
      assert.doesNotMatch(html, /<script/);
    });
    await s.step(
      "a bad number re-renders with 400, the seed's message and the typed value",
      async () => {
        const res = await form(t, "/login", {
          action: "request",
          phone_number: "123",
          channel: "sms",
          next: "/salons/lamsa",
        });
        assert.equal(res.status, 400);
        const html = await res.text();
        assert.match(html, /يجب أن يكون رقم الهاتف بصيغة E\.164 أو رقم جوال سعودي صالح/);
        assert.match(html, /value="123"/);
        assert.match(html, /aria-invalid="true"/);
      },
    );
    await s.step("a good number → 303 to the code step", async () => {
      const res = await form(t, "/login", {
        action: "request",
        phone_number: "٠٥١٢٣٤٥٦٧٨",
        channel: "whatsapp",
        next: "/salons/lamsa",
      });
      assert.equal(res.status, 303);
      codeUrl = res.headers.get("location")!;
      assert.match(codeUrl, /^\/login\?rid=[0-9a-f-]{36}&next=%2Fsalons%2Flamsa$/);
      assert.equal(t.otpMessages[0].channel, "whatsapp");
    });
    await s.step("the code step renders the OTP island around plain forms", async () => {
      const res = await get(t, codeUrl);
      assert.equal(res.status, 200);
      const html = await res.text();
      assert.match(html, /data-island="OtpEntry"/);
      assert.match(html, /autocomplete="one-time-code"/);
      assert.match(html, /inputmode="numeric"/);
      assert.match(html, /name="action" value="verify"/);
      assert.match(html, /name="action" value="resend"/);
      assert.match(html, /\+966 51 234 5678/);
      assert.match(html, /<script type="module"/);
    });
    const rid = new URLSearchParams(codeUrl.split("?")[1]).get("rid")!;
    await s.step("a wrong code re-renders with 400 and the message", async () => {
      const res = await form(
        t,
        "/login",
        {
          action: "verify",
          rid,
          code: wrongCode(codeFor(t, rid)),
          next: "/salons/lamsa",
        },
        undefined,
        { "accept-language": "en", cookie: "lang=en" },
      );
      assert.equal(res.status, 400);
      assert.match(await res.text(), /Invalid or expired code/);
    });
    await s.step(
      "the right code → 303 back to /salons/lamsa with the session cookies",
      async () => {
        const res = jar.take(
          await form(t, "/login", {
            action: "verify",
            rid,
            code: codeFor(t, rid),
            next: "/salons/lamsa",
          }),
        );
        assert.equal(res.status, 303);
        assert.equal(res.headers.get("location"), "/salons/lamsa");
        assert.ok(jar.get(ACCESS_COOKIE));
      },
    );
    await s.step(
      "signed in, the header shows the person (phone when there is no name)",
      async () => {
        const html = await (await get(t, "/", jar)).text();
        assert.match(html, /href="\/me"/);
        assert.match(html, /<bdi>\+966 51 234 5678<\/bdi>/);
        assert.doesNotMatch(html, />تسجيل الدخول</);
      },
    );
    await s.step("/login when signed in → 303 to /me", async () => {
      const res = await get(t, "/login", jar);
      assert.equal(res.status, 303);
      assert.equal(res.headers.get("location"), "/me");
    });
  } finally {
    await t.close();
  }
});

Deno.test(`login page (${backend}) - resend: a new code on the chosen channel, the cooldown as a 429 page`, async () => {
  const t = await makeTestApp();
  try {
    const first = await form(t, "/login", {
      action: "request",
      phone_number: PHONE,
      channel: "sms",
    });
    const rid = new URLSearchParams(first.headers.get("location")!.split("?")[1]).get("rid")!;
    const tooSoon = await form(t, "/login", { action: "resend", rid, channel: "sms" }, undefined, {
      cookie: "lang=en",
    });
    assert.equal(tooSoon.status, 429);
    assert.match(await tooSoon.text(), /Please wait 60 seconds/);
    const other = await form(t, "/login", { action: "resend", rid, channel: "whatsapp" });
    assert.equal(other.status, 303, "the other channel has its own cooldown");
    assert.equal(t.otpMessages.at(-1)?.channel, "whatsapp");
    const old = await get(t, `/login?rid=${rid}`);
    assert.match(await old.text(), /name="phone_number"/, "the superseded code sends you back");
  } finally {
    await t.close();
  }
});

Deno.test(`login page (${backend}) - next must stay on this site`, async () => {
  const t = await makeTestApp();
  try {
    for (
      const next of ["//evil.example", "https://evil.example/", "/\\evil.example", "javascript:x"]
    ) {
      const res = await get(t, `/login?next=${encodeURIComponent(next)}`);
      const html = await res.text();
      assert.match(html, /name="next" value="\/"/, next);
    }
  } finally {
    await t.close();
  }
});

Deno.test(`account page (${backend}) - signed out → 303 to /login?next=/me; signed in → edit, language, logout`, async (s) => {
  const t = await makeTestApp();
  try {
    await s.step("signed out", async () => {
      const res = await get(t, "/me");
      assert.equal(res.status, 303);
      assert.equal(res.headers.get("location"), "/login?next=%2Fme");
    });
    const jar = new CookieJar();
    const start = await form(t, "/login", { action: "request", phone_number: PHONE });
    const rid = new URLSearchParams(start.headers.get("location")!.split("?")[1]).get("rid")!;
    jar.take(await form(t, "/login", { action: "verify", rid, code: codeFor(t, rid) }));
    const page = await (await get(t, "/me", jar)).text();
    const csrf = /name="csrf_token" value="([^"]+)"/.exec(page)![1];
    await s.step("the page shows the phone, verified", () => {
      assert.match(page, /\+966 51 234 5678/);
      assert.match(page, /موثّق/);
    });
    await s.step("a clashing email re-renders with 400 and keeps what was typed", async () => {
      await t.db.query(
        "INSERT INTO users (phone_number, email) VALUES ('+966500000001', 'taken@example.com')",
      );
      const res = await form(t, "/me", {
        csrf_token: csrf,
        first_name: "سارة",
        last_name: "",
        email: "taken@example.com",
        preferred_language: "ar",
      }, jar);
      assert.equal(res.status, 400);
      const html = await res.text();
      assert.match(html, /هذا البريد الإلكتروني مستخدم في حساب آخر/);
      assert.match(html, /value="سارة"/);
    });
    await s.step("saving English switches the site to English", async () => {
      const res = jar.take(
        await form(t, "/me", {
          csrf_token: csrf,
          first_name: "Sara",
          last_name: "Ali",
          email: "",
          preferred_language: "en",
        }, jar),
      );
      assert.equal(res.status, 303);
      assert.equal(res.headers.get("location"), "/me?saved=1");
      assert.equal(jar.get("lang"), "en");
      const html = await (await get(t, "/me?saved=1", jar)).text();
      assert.match(html, /<html lang="en" dir="ltr">/);
      assert.match(html, /Your details were saved\./);
      assert.match(html, /<bdi>Sara Ali<\/bdi>/);
    });
    await s.step("logout → 303 home, cookies cleared, session revoked", async () => {
      const cookieBefore = jar.header();
      const res = jar.take(await form(t, "/logout", { csrf_token: csrf }, jar));
      assert.equal(res.status, 303);
      assert.equal(res.headers.get("location"), "/");
      assert.equal(jar.get(ACCESS_COOKIE), undefined);
      const replay = await get(t, "/api/auth/me/", undefined, { cookie: cookieBefore });
      assert.equal(replay.status, 401, "the old cookies are dead too");
    });
  } finally {
    await t.close();
  }
});

Deno.test(`dev messages (${backend}) - listed in development with the console provider, 404 otherwise`, async () => {
  const t = await makeTestApp();
  try {
    assert.equal((await get(t, "/dev/messages")).status, 404);
  } finally {
    await t.close();
  }
  const dir = await Deno.makeTempDir();
  const dev = await makeTestApp({ APP_ENV: "development", DATA_DIR: dir });
  try {
    const res = await form(dev, "/login", { action: "request", phone_number: PHONE });
    const rid = new URLSearchParams(res.headers.get("location")!.split("?")[1]).get("rid")!;
    const codePage = await (await get(dev, `/login?rid=${rid}`)).text();
    assert.match(codePage, /href="\/dev\/messages"/, "the code step points newcomers there");
    const list = await get(dev, "/dev/messages");
    assert.equal(list.status, 200);
    assert.equal(list.headers.get("cache-control"), "no-store");
    assert.match(await list.text(), new RegExp(codeFor(dev, rid)));
  } finally {
    await dev.close();
    await Deno.remove(dir, { recursive: true });
  }
});

async function gzipSize(bytes: Uint8Array<ArrayBuffer>): Promise<number> {
  const stream = new Blob([bytes]).stream().pipeThrough(new CompressionStream("gzip"));
  return (await new Response(stream).arrayBuffer()).byteLength;
}

Deno.test(`login page (${backend}) - the code step loads under 15 KB of gzipped JavaScript, Preact included`, async () => {
  const t = await makeTestApp();
  try {
    const res = await form(t, "/login", { action: "request", phone_number: PHONE });
    const html = await (await get(t, res.headers.get("location")!)).text();
    const urls = new Set(
      [...html.matchAll(/(?:href|from)="(\/assets\/[^"]+\.js)"/g)].map((m) => m[1]),
    );
    assert.ok(urls.size >= 2, "boot and the island at least");
    let total = 0;
    for (const url of urls) {
      const asset = await t.app.request(url);
      assert.equal(asset.status, 200, url);
      total += await gzipSize(new Uint8Array(await asset.arrayBuffer()));
    }
    assert.ok(total < 15 * 1024, `${total} bytes gzipped`);
  } finally {
    await t.close();
  }
});
