/** Sessions: access and refresh tokens, rotation and family revocation, cookies, CSRF, /me. */
import assert from "node:assert/strict";
import { decodeJwt, SignJWT } from "jose";
import { makeTestApp } from "./helpers/app.ts";
import { testBackend } from "./helpers/db.ts";
import {
  ACCEPT_PRIVACY,
  ACCESS_COOKIE,
  browserLogin,
  CookieJar,
  login,
  makeUser,
  PHONE,
  postJson,
  REFRESH_COOKIE,
  sendJson,
} from "./helpers/auth.ts";

const backend = testBackend();
const bearer = (access: string) => ({ authorization: `Bearer ${access}` });

async function me(app: Parameters<typeof postJson>[0], headers: Record<string, string>) {
  return await app.request("/api/auth/me/", { headers });
}

Deno.test(`sessions (${backend}) - the access token is a 15-minute HS256 JWT naming user, role and session`, async () => {
  const t = await makeTestApp();
  try {
    const { access, user } = await login(t);
    const claims = decodeJwt(access);
    assert.equal(claims.sub, user.id);
    assert.equal(claims.role, "customer");
    assert.match(String(claims.sid), /^[0-9a-f-]{36}$/);
    assert.equal(claims.exp! - claims.iat!, 15 * 60);
    assert.equal((await me(t.app, bearer(access))).status, 200);
    t.clock.advance(15 * 60_000);
    const expired = await me(t.app, bearer(access));
    assert.equal(expired.status, 401);
    assert.ok((await expired.json()).detail);
  } finally {
    await t.close();
  }
});

Deno.test(`sessions (${backend}) - an admin's token says role admin`, async () => {
  const t = await makeTestApp();
  try {
    await makeUser(t.db, { phone: PHONE, isAdmin: true });
    const { access, user } = await login(t);
    assert.equal(decodeJwt(access).role, "admin");
    assert.equal(user.role, "admin");
  } finally {
    await t.close();
  }
});

Deno.test(`sessions (${backend}) - forged, tampered and alg:none tokens are refused`, async () => {
  const t = await makeTestApp();
  try {
    const { access, user } = await login(t);
    const claims = decodeJwt(access);
    const forged = await new SignJWT({ role: "admin", sid: claims.sid })
      .setProtectedHeader({ alg: "HS256" })
      .setSubject(String(user.id))
      .setIssuer("salon")
      .setAudience("salon")
      .setIssuedAt()
      .setExpirationTime("1h")
      .sign(new TextEncoder().encode("another-secret-another-secret-another!"));
    const [h, p, s] = access.split(".");
    const tampered = `${h}.${
      btoa(JSON.stringify({ ...claims, role: "admin" })).replace(/=+$/, "")
    }.${s}`;
    const none = `${btoa(JSON.stringify({ alg: "none", typ: "JWT" })).replace(/=+$/, "")}.${p}.`;
    for (const token of [forged, tampered, none, "garbage", `${access}x`]) {
      assert.equal((await me(t.app, bearer(token))).status, 401, token.slice(0, 20));
    }
  } finally {
    await t.close();
  }
});

Deno.test(`sessions (${backend}) - refresh rotation: each refresh token works once and hands out the next`, async () => {
  const t = await makeTestApp();
  try {
    const first = await login(t);
    t.clock.advance(60_000);
    const r1 = await postJson(t.app, "/api/auth/token/refresh/", { refresh: first.refresh });
    assert.equal(r1.status, 200);
    const second = await r1.json();
    assert.ok(second.access && second.refresh);
    assert.notEqual(second.refresh, first.refresh);
    assert.equal(decodeJwt(second.access).sid, decodeJwt(first.access).sid, "same session");
    assert.equal((await me(t.app, bearer(second.access))).status, 200);
    t.clock.advance(60_000);
    const r2 = await postJson(t.app, "/api/auth/token/refresh/", { refresh: second.refresh });
    assert.equal(r2.status, 200);
    const [{ n }] = await t.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM refresh_tokens WHERE rotated_at IS NULL",
    );
    assert.equal(n, 1, "only the newest token is unrotated");
    const stored = JSON.stringify(await t.db.query("SELECT * FROM refresh_tokens"));
    assert.ok(!stored.includes(first.refresh) && !stored.includes(second.refresh), "hashed only");
  } finally {
    await t.close();
  }
});

Deno.test(`sessions (${backend}) - a rotated refresh token presented again within 10 s is a race: it gets the same successor`, async () => {
  const t = await makeTestApp();
  try {
    const { refresh } = await login(t);
    const a = await postJson(t.app, "/api/auth/token/refresh/", { refresh });
    t.clock.advance(9_000);
    const b = await postJson(t.app, "/api/auth/token/refresh/", { refresh });
    assert.equal(a.status, 200);
    assert.equal(b.status, 200);
    const [ra, rb] = [(await a.json()).refresh, (await b.json()).refresh];
    assert.equal(ra, rb, "one successor: the session does not fork");
    const res = await postJson(t.app, "/api/auth/token/refresh/", { refresh: ra });
    assert.equal(res.status, 200, "both tabs keep their session");
  } finally {
    await t.close();
  }
});

Deno.test(`sessions (${backend}) - reuse after the grace window revokes the whole family`, async () => {
  const t = await makeTestApp();
  try {
    const stolen = await login(t);
    const other = await (async () => {
      t.clock.advance(61_000);
      return await login(t, "0551234567");
    })();
    const legit = await (await postJson(t.app, "/api/auth/token/refresh/", {
      refresh: stolen.refresh,
    })).json();
    t.clock.advance(11_000);
    const replay = await postJson(t.app, "/api/auth/token/refresh/", { refresh: stolen.refresh });
    assert.equal(replay.status, 401);
    assert.ok((await replay.json()).detail);
    assert.equal(
      (await postJson(t.app, "/api/auth/token/refresh/", { refresh: legit.refresh })).status,
      401,
      "the descendant token died with the family",
    );
    assert.equal((await me(t.app, bearer(legit.access))).status, 401, "and so did its access");
    const [session] = await t.db.query<{ revoked_reason: string }>(
      "SELECT revoked_reason FROM sessions WHERE id = $1",
      [decodeJwt(stolen.access).sid],
    );
    assert.equal(session.revoked_reason, "refresh_reuse");
    assert.equal((await me(t.app, bearer(other.access))).status, 200, "other sessions live on");
  } finally {
    await t.close();
  }
});

Deno.test(`sessions (${backend}) - refresh tokens expire after 30 days; bad input is 400/401`, async () => {
  const t = await makeTestApp();
  try {
    const { refresh } = await login(t);
    t.clock.advance(30 * 86_400_000);
    assert.equal(
      (await postJson(t.app, "/api/auth/token/refresh/", { refresh })).status,
      401,
    );
    assert.equal((await postJson(t.app, "/api/auth/token/refresh/", {})).status, 400);
    assert.equal(
      (await postJson(t.app, "/api/auth/token/refresh/", { refresh: "nope" })).status,
      401,
    );
  } finally {
    await t.close();
  }
});

Deno.test(`sessions (${backend}) - logout revokes the session (by Bearer or by refresh token), twice is fine`, async (s) => {
  const t = await makeTestApp();
  try {
    await s.step("Bearer", async () => {
      const { access, refresh } = await login(t);
      const res = await postJson(t.app, "/api/auth/logout/", {}, bearer(access));
      assert.equal(res.status, 204);
      assert.equal((await me(t.app, bearer(access))).status, 401);
      assert.equal((await postJson(t.app, "/api/auth/token/refresh/", { refresh })).status, 401);
      assert.equal((await postJson(t.app, "/api/auth/logout/", {}, bearer(access))).status, 204);
    });
    await s.step("refresh token in the body", async () => {
      t.clock.advance(61_000);
      const { access, refresh } = await login(t);
      assert.equal((await postJson(t.app, "/api/auth/logout/", { refresh })).status, 204);
      assert.equal((await me(t.app, bearer(access))).status, 401);
    });
  } finally {
    await t.close();
  }
});

Deno.test(`sessions (${backend}) - a deactivated user's tokens stop working`, async () => {
  const t = await makeTestApp();
  try {
    const { access, refresh } = await login(t);
    await t.db.query("UPDATE users SET is_active = false");
    assert.equal((await me(t.app, bearer(access))).status, 401);
    assert.equal((await postJson(t.app, "/api/auth/token/refresh/", { refresh })).status, 401);
  } finally {
    await t.close();
  }
});

Deno.test(`sessions (${backend}) - browsers get __Host- HttpOnly SameSite=Lax Secure cookies and no refresh token in the body`, async () => {
  const t = await makeTestApp();
  try {
    const jar = new CookieJar();
    const { request_id } = await (await postJson(t.app, "/api/auth/phone/request/", {
      phone_number: PHONE,
      channel: "sms",
      ...ACCEPT_PRIVACY,
    })).json();
    const res = jar.take(
      await postJson(t.app, "/api/auth/phone/verify/", {
        request_id,
        code: t.otpMessages[0].code,
      }, { "sec-fetch-site": "same-origin" }),
    );
    assert.equal(res.status, 200);
    const body = await res.json();
    assert.equal(body.refresh, undefined);
    assert.equal(body.user.phone_number, PHONE);
    const cookies = res.headers.getSetCookie();
    assert.equal(cookies.length, 2);
    for (const cookie of cookies) {
      assert.match(cookie, /^__Host-salon_(access|refresh)=/);
      assert.match(cookie, /; HttpOnly/);
      assert.match(cookie, /; Secure/);
      assert.match(cookie, /; SameSite=Lax/);
      assert.match(cookie, /; Path=\//);
      assert.doesNotMatch(cookie, /Domain=/);
    }
    const page = await t.app.request("/api/auth/me/", { headers: { cookie: jar.header() } });
    assert.equal(page.status, 200);
    assert.equal((await page.json()).phone_number, PHONE);
  } finally {
    await t.close();
  }
});

Deno.test(`sessions (${backend}) - in development the cookies are plain-named and not Secure (http://localhost)`, async () => {
  const dir = await Deno.makeTempDir();
  const t = await makeTestApp({ APP_ENV: "development", DATA_DIR: dir });
  try {
    const res = await postJson(t.app, "/api/auth/phone/request/", {
      phone_number: PHONE,
      channel: "sms",
      ...ACCEPT_PRIVACY,
    });
    const { request_id } = await res.json();
    const verify = await postJson(t.app, "/api/auth/phone/verify/", {
      request_id,
      code: t.otpMessages[0].code,
    }, { origin: "http://localhost" });
    const cookies = verify.headers.getSetCookie();
    assert.ok(cookies.some((c) => c.startsWith("salon_access=")));
    assert.ok(cookies.every((c) => !/; Secure/.test(c) && /; HttpOnly/.test(c)));
  } finally {
    await t.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test(`sessions (${backend}) - pages refresh an expired access cookie transparently`, async () => {
  const t = await makeTestApp();
  try {
    const jar = await browserLogin(t);
    const oldRefresh = jar.get(REFRESH_COOKIE);
    t.clock.advance(16 * 60_000);
    const res = jar.take(await t.app.request("/me", { headers: { cookie: jar.header() } }));
    assert.equal(res.status, 200);
    assert.match(await res.text(), /\+966 51 234 5678/);
    assert.notEqual(jar.get(REFRESH_COOKIE), oldRefresh, "the refresh cookie rotated");
    assert.ok(jar.get(ACCESS_COOKIE));
    const again = await t.app.request("/api/auth/me/", { headers: { cookie: jar.header() } });
    assert.equal(again.status, 200);
  } finally {
    await t.close();
  }
});

Deno.test(`sessions (${backend}) - the refresh endpoint also works from the cookie alone`, async () => {
  const t = await makeTestApp();
  try {
    const jar = await browserLogin(t);
    jar.delete(ACCESS_COOKIE);
    const before = jar.get(REFRESH_COOKIE);
    const res = jar.take(
      await t.app.request("/api/auth/token/refresh/", {
        method: "POST",
        headers: { cookie: `${REFRESH_COOKIE}=${before}`, "sec-fetch-site": "same-origin" },
      }),
    );
    assert.equal(res.status, 200);
    const body = await res.json();
    assert.ok(body.access);
    assert.equal(body.refresh, undefined);
    assert.notEqual(jar.get(REFRESH_COOKIE), before);
  } finally {
    await t.close();
  }
});

Deno.test(`sessions (${backend}) - a signed-out browser with dead cookies has them cleared`, async () => {
  const t = await makeTestApp();
  try {
    const res = await t.app.request("/", {
      headers: { cookie: `${ACCESS_COOKIE}=junk; ${REFRESH_COOKIE}=junk` },
    });
    assert.equal(res.status, 200);
    const cleared = res.headers.getSetCookie();
    assert.ok(cleared.some((c) => c.startsWith(`${ACCESS_COOKIE}=;`) && /Max-Age=0/.test(c)));
    assert.ok(cleared.some((c) => c.startsWith(`${REFRESH_COOKIE}=;`)));
  } finally {
    await t.close();
  }
});

Deno.test(`csrf (${backend}) - cookie-authenticated writes need a same-origin signal or the CSRF token`, async (s) => {
  const t = await makeTestApp();
  try {
    const jar = await browserLogin(t);
    const cookie = jar.header();
    const page = await t.app.request("/me", { headers: { cookie } });
    const token = /name="csrf_token" value="([^"]+)"/.exec(await page.text())?.[1];
    assert.ok(token, "the account page carries the token");
    const patch = (headers: Record<string, string>) =>
      sendJson(t.app, "PATCH", "/api/auth/me/", { first_name: "Sara" }, { cookie, ...headers });

    await s.step("no Sec-Fetch-Site, no Origin, no token → 403", async () => {
      const res = await patch({ "accept-language": "en" });
      assert.equal(res.status, 403);
      assert.deepEqual(await res.json(), {
        detail: "This request came from another site and was blocked.",
      });
    });
    await s.step("Sec-Fetch-Site: cross-site or same-site → 403", async () => {
      assert.equal((await patch({ "sec-fetch-site": "cross-site" })).status, 403);
      assert.equal((await patch({ "sec-fetch-site": "same-site" })).status, 403);
    });
    await s.step("a foreign Origin → 403", async () => {
      assert.equal((await patch({ origin: "https://evil.example" })).status, 403);
    });
    await s.step("a wrong token → 403", async () => {
      assert.equal((await patch({ "x-csrf-token": "x".repeat(43) })).status, 403);
    });
    await s.step("Sec-Fetch-Site: same-origin → 200", async () => {
      assert.equal((await patch({ "sec-fetch-site": "same-origin" })).status, 200);
    });
    await s.step("matching Origin → 200", async () => {
      assert.equal((await patch({ origin: "http://localhost" })).status, 200);
    });
    await s.step("the X-CSRF-Token header → 200", async () => {
      assert.equal((await patch({ "x-csrf-token": token })).status, 200);
    });
    await s.step("a plain form with csrf_token → 303; without → 403", async () => {
      const post = (body: string) =>
        t.app.request("/me", {
          method: "POST",
          headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
          body,
        });
      const fields = "first_name=Sara&last_name=&email=&preferred_language=ar";
      assert.equal((await post(`${fields}&csrf_token=${token}`)).status, 303);
      assert.equal((await post(fields)).status, 403);
      assert.equal((await post(`${fields}&csrf_token=wrong`)).status, 403);
    });
    await s.step("logout by cookie is protected too", async () => {
      const res = await t.app.request("/api/auth/logout/", { method: "POST", headers: { cookie } });
      assert.equal(res.status, 403);
      assert.equal((await me(t.app, { cookie })).status, 200, "still signed in");
    });
    await s.step("Bearer requests need none of this", async () => {
      const { access } = await login(t, "0551234567");
      const res = await sendJson(
        t.app,
        "PATCH",
        "/api/auth/me/",
        { first_name: "Noor" },
        bearer(
          access,
        ),
      );
      assert.equal(res.status, 200);
    });
  } finally {
    await t.close();
  }
});

Deno.test(`me (${backend}) - GET and PATCH the profile; email clashes and bad values are 400; signed out is 401`, async (s) => {
  const t = await makeTestApp();
  try {
    await makeUser(t.db, { phone: "+966500000001", email: "taken@example.com" });
    const { access } = await login(t);
    const h = { ...bearer(access), "accept-language": "en" };
    await s.step("PATCH names, email, language", async () => {
      const res = await sendJson(t.app, "PATCH", "/api/auth/me/", {
        first_name: " Sara ",
        last_name: "Ali",
        email: "Sara@Example.com",
        preferred_language: "en",
      }, h);
      assert.equal(res.status, 200);
      const body = await res.json();
      assert.equal(body.first_name, "Sara");
      assert.equal(body.display_name, "Sara Ali");
      assert.equal(body.email, "sara@example.com");
      assert.equal(body.preferred_language, "en");
      const got = await (await me(t.app, h)).json();
      assert.equal(got.display_name, "Sara Ali");
    });
    await s.step("an email of another account → 400 on email", async () => {
      const res = await sendJson(t.app, "PATCH", "/api/auth/me/", {
        email: "TAKEN@example.com",
      }, h);
      assert.equal(res.status, 400);
      assert.deepEqual((await res.json()).email, [
        "This email is already used by another account.",
      ]);
    });
    await s.step("bad email or language → 400", async () => {
      for (const body of [{ email: "not-an-email" }, { preferred_language: "fr" }]) {
        const res = await sendJson(t.app, "PATCH", "/api/auth/me/", body, h);
        assert.equal(res.status, 400, JSON.stringify(body));
      }
    });
    await s.step("a blank email clears it; phone and admin flag cannot be set here", async () => {
      const res = await sendJson(t.app, "PATCH", "/api/auth/me/", {
        email: "",
        phone_number: "+966599999999",
        is_admin: true,
        role: "admin",
      }, h);
      assert.equal(res.status, 200);
      const body = await res.json();
      assert.equal(body.email, null);
      assert.equal(body.phone_number, PHONE);
      assert.equal(body.role, "customer");
    });
    await s.step("signed out → 401 JSON", async () => {
      const res = await t.app.request("/api/auth/me/");
      assert.equal(res.status, 401);
      assert.ok((await res.json()).detail);
    });
  } finally {
    await t.close();
  }
});
