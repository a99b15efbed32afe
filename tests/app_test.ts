import assert from "node:assert/strict";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { makeTestApp } from "./helpers/app.ts";

Deno.test("app - health and readiness answer with small JSON bodies", async () => {
  const t = await makeTestApp();
  try {
    const health = await t.app.request("/healthz");
    assert.equal(health.status, 200);
    assert.match(health.headers.get("content-type")!, /application\/json/);
    assert.deepEqual(await health.json(), { status: "ok" });
    const ready = await t.app.request("/readyz");
    assert.equal(ready.status, 200);
    assert.deepEqual(await ready.json(), { status: "ok", database: t.db.kind });
  } finally {
    await t.close();
  }
});

Deno.test("app - readiness reports 503 when the database is gone", async () => {
  const t = await makeTestApp();
  await t.db.close(); // the database itself, not the test's handle (which may keep it for reuse)
  await t.close();
  const ready = await t.app.request("/readyz");
  assert.equal(ready.status, 503);
  assert.equal((await ready.json()).status, "unavailable");
});

Deno.test("app - locale: ?lang, then cookie, then Accept-Language, then Arabic", async (t) => {
  const app = await makeTestApp();
  try {
    const langOf = async (path: string, headers: Record<string, string> = {}) => {
      const res = await app.app.request(path, { headers });
      const html = await res.text();
      return { res, lang: /<html lang="(\w+)" dir="(\w+)"/.exec(html)?.slice(1, 3).join("/") };
    };
    await t.step("no preference → Arabic, right to left", async () => {
      assert.equal((await langOf("/")).lang, "ar/rtl");
    });
    await t.step("Accept-Language English → English, left to right", async () => {
      assert.equal((await langOf("/", { "accept-language": "en-US,en;q=0.9" })).lang, "en/ltr");
    });
    await t.step("Accept-Language quality order is respected", async () => {
      assert.equal(
        (await langOf("/", { "accept-language": "fr;q=1, ar;q=0.5, en;q=0.8" })).lang,
        "en/ltr",
      );
      assert.equal((await langOf("/", { "accept-language": "de, fr" })).lang, "ar/rtl");
    });
    await t.step("cookie beats Accept-Language", async () => {
      const r = await langOf("/", { cookie: "lang=ar", "accept-language": "en" });
      assert.equal(r.lang, "ar/rtl");
    });
    await t.step("?lang beats the cookie and is remembered in a cookie", async () => {
      const r = await langOf("/?lang=en", { cookie: "lang=ar" });
      assert.equal(r.lang, "en/ltr");
      assert.match(r.res.headers.get("set-cookie") ?? "", /^lang=en;.*Path=\//);
      assert.equal(r.res.headers.get("content-language"), "en");
    });
    await t.step("an unknown ?lang is ignored", async () => {
      const r = await langOf("/?lang=xx");
      assert.equal(r.lang, "ar/rtl");
      assert.equal(r.res.headers.get("set-cookie"), null);
    });
  } finally {
    await app.close();
  }
});

Deno.test("app - home page in both languages with header, switch link and login link", async () => {
  const t = await makeTestApp();
  try {
    const ar = await (await t.app.request("/")).text();
    assert.ok(ar.includes("صالون يناسبك ووقت يناسبك"), "Arabic heading");
    assert.ok(ar.includes('href="/?lang=en"'), "switch to English keeps the page");
    assert.ok(ar.includes('href="/login"'));
    assert.ok(!ar.includes("<script"), "home page ships no JavaScript");
    const en = await (await t.app.request("/?lang=en")).text();
    assert.ok(en.includes("Find a salon and book a time that suits you"));
    assert.ok(en.includes('href="/?lang=ar"'));
  } finally {
    await t.close();
  }
});

Deno.test("app - security headers: CSP allows the page's own inline style by hash, nothing else inline", async () => {
  const t = await makeTestApp();
  try {
    const res = await t.app.request("/");
    const csp = res.headers.get("content-security-policy") ?? "";
    const html = await res.text();
    const style = /<style>([^<]*)<\/style>/.exec(html)?.[1] ?? "";
    const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(style));
    const hash = btoa(String.fromCharCode(...new Uint8Array(digest)));
    assert.match(csp, new RegExp(`style-src 'sha256-${hash.replace(/[+/]/g, "\\$&")}'(;|$)`));
    assert.match(csp, /script-src 'self'(;|$)/, "a page without islands allows no inline script");
    assert.doesNotMatch(csp, /unsafe-inline|nonce-/);
    assert.equal(res.headers.get("x-content-type-options"), "nosniff");
    assert.match(csp, /frame-ancestors 'none'/);
    assert.ok(res.headers.get("x-request-id"));
    const api = await t.app.request("/healthz");
    assert.match(api.headers.get("content-security-policy") ?? "", /style-src 'none'/);
  } finally {
    await t.close();
  }
});

Deno.test("app - every answer carries the security headers and a request id", async () => {
  const t = await makeTestApp();
  try {
    const expected = {
      "x-content-type-options": "nosniff",
      "x-frame-options": "SAMEORIGIN",
      "referrer-policy": "no-referrer",
      "cross-origin-opener-policy": "same-origin",
      "cross-origin-resource-policy": "same-origin",
      "origin-agent-cluster": "?1",
      "x-dns-prefetch-control": "off",
      "x-permitted-cross-domain-policies": "none",
    };
    // A page rendered, the same page from the shared cache, JSON, a 404, a redirect, a refusal.
    for (
      const [path, init] of [
        ["/", {}],
        ["/", {}],
        ["/healthz", {}],
        ["/no-such-page", {}],
        ["/api/no-such-thing/", {}],
        ["/dashboard", {}],
        ["/logout", { method: "POST", headers: { "sec-fetch-site": "cross-site" } }],
      ] as const
    ) {
      const res = await t.app.request(path, init);
      await res.body?.cancel();
      for (const [name, value] of Object.entries(expected)) {
        assert.equal(res.headers.get(name), value, `${name} on ${path} (${res.status})`);
      }
      assert.ok(res.headers.get("x-request-id"), `x-request-id on ${path}`);
      assert.ok(res.headers.get("content-security-policy"), `CSP on ${path}`);
    }
  } finally {
    await t.close();
  }
});

Deno.test("app - unknown pages get a localized 404 page, unknown API paths localized JSON", async () => {
  const t = await makeTestApp();
  try {
    const page = await t.app.request("/no/such/page?lang=en");
    assert.equal(page.status, 404);
    assert.match(page.headers.get("content-type")!, /text\/html/);
    assert.ok((await page.text()).includes("Page not found"));
    const pageAr = await t.app.request("/no/such/page");
    assert.ok((await pageAr.text()).includes("الصفحة غير موجودة"));
    const api = await t.app.request("/api/nothing/", { headers: { "accept-language": "en" } });
    assert.equal(api.status, 404);
    assert.deepEqual(await api.json(), { detail: "Not found." });
  } finally {
    await t.close();
  }
});

Deno.test("app - CSRF: cross-site unsafe requests are refused, same-origin ones pass", async (t) => {
  const app = await makeTestApp();
  try {
    await t.step("Sec-Fetch-Site: cross-site → 403 localized", async () => {
      const res = await app.app.request("/api/anything/", {
        method: "POST",
        headers: { "sec-fetch-site": "cross-site", "accept-language": "en" },
      });
      assert.equal(res.status, 403);
      assert.deepEqual(await res.json(), {
        detail: "This request came from another site and was blocked.",
      });
    });
    await t.step("foreign Origin → 403", async () => {
      const res = await app.app.request("http://localhost/api/anything/", {
        method: "POST",
        headers: { origin: "https://evil.example" },
      });
      assert.equal(res.status, 403);
    });
    await t.step("same-origin request passes the guard (then 404s: no such route)", async () => {
      const res = await app.app.request("http://localhost/api/anything/", {
        method: "POST",
        headers: { origin: "http://localhost", "sec-fetch-site": "same-origin" },
      });
      assert.equal(res.status, 404);
    });
  } finally {
    await app.close();
  }
});

Deno.test("app - oversized bodies get a localized 413", async () => {
  const t = await makeTestApp();
  try {
    const res = await t.app.request("/api/anything/", {
      method: "POST",
      headers: { "content-type": "application/json", "accept-language": "en" },
      body: JSON.stringify({ big: "x".repeat(200_000) }),
    });
    assert.equal(res.status, 413);
    assert.deepEqual(await res.json(), { detail: "The request body is too large." });
  } finally {
    await t.close();
  }
});

Deno.test("app - built assets are immutable under the build id; static files get ETag + no-cache", async () => {
  const t = await makeTestApp();
  try {
    const manifest = (await import("@/runtime/assets.ts")).readManifest;
    const built = (await manifest())!;
    const asset = await t.app.request(`/assets/${built.buildId}/${built.boot}`);
    assert.equal(asset.status, 200);
    assert.equal(asset.headers.get("cache-control"), "public, max-age=31536000, immutable");
    assert.match(asset.headers.get("content-type")!, /javascript/);
    const source = new Uint8Array(await asset.arrayBuffer());
    const br = await t.app.request(`/assets/${built.buildId}/${built.boot}`, {
      headers: { "accept-encoding": "gzip, deflate, br" },
    });
    assert.equal(br.headers.get("content-encoding"), "br");
    assert.match(br.headers.get("vary") ?? "", /Accept-Encoding/);
    assert.deepEqual(
      new Uint8Array(brotliDecompressSync(new Uint8Array(await br.arrayBuffer()))),
      source,
    );
    const wrongBuild = await t.app.request(`/assets/oldbuild/${built.boot}`);
    assert.equal(wrongBuild.status, 404);
    await wrongBuild.body?.cancel();

    const icon = await t.app.request("/static/favicon.svg");
    assert.equal(icon.status, 200);
    assert.equal(icon.headers.get("cache-control"), "no-cache");
    const etag = icon.headers.get("etag");
    assert.ok(etag);
    await icon.body?.cancel();
    const again = await t.app.request("/static/favicon.svg", {
      headers: { "if-none-match": etag },
    });
    assert.equal(again.status, 304);
    const traversal = await t.app.request("/static/..%2Fconfig.ts");
    assert.equal(traversal.status, 404);
    await traversal.body?.cancel();
  } finally {
    await t.close();
  }
});

Deno.test("app - pages rendered per request go out gzip-compressed when the client takes it", async () => {
  const t = await makeTestApp();
  try {
    const gzip = await t.app.request("/login", { headers: { "accept-encoding": "gzip, br" } });
    assert.equal(gzip.status, 200);
    assert.equal(gzip.headers.get("content-encoding"), "gzip");
    assert.match(gzip.headers.get("vary") ?? "", /Accept-Encoding/i);
    const body = new Uint8Array(await gzip.arrayBuffer());
    const html = new TextDecoder().decode(gunzipSync(body));
    assert.match(html, /^<!DOCTYPE html><html lang="ar"/);
    assert.ok(body.length < html.length / 2, "and it is smaller");
    const plain = await t.app.request("/login");
    assert.equal(plain.headers.get("content-encoding"), null);
    assert.match(await plain.text(), /^<!DOCTYPE html><html lang="ar"/);
  } finally {
    await t.close();
  }
});
