/**
 * What search engines and link previews read: the salon page's schema.org JSON-LD (checked against
 * the data), canonical and hreflang links, Open Graph and Twitter cards with the cover photo,
 * noindex on private and filtered pages, /robots.txt and /sitemap.xml (read with an XML parser
 * this project did not write, every address in it fetched).
 */
import assert from "node:assert/strict";
import { XMLParser } from "fast-xml-parser";
import { seedDemoData } from "@/db/seed.ts";
import { makeTestApp, type TestApp } from "./helpers/app.ts";
import { testBackend } from "./helpers/db.ts";
import { makeSalon, makeService, makeStaff } from "./helpers/factories.ts";

const backend = testBackend();
const ORIGIN = "https://salon.example";

async function html(t: TestApp, path: string): Promise<string> {
  const res = await t.app.request(path);
  assert.equal(res.status, 200, path);
  return await res.text();
}

function jsonLdOf(page: string): Record<string, unknown> {
  const match = /<script type="application\/ld\+json">([\s\S]*?)<\/script>/.exec(page);
  assert.ok(match, "the page has JSON-LD");
  return JSON.parse(match[1]);
}

function attr(page: string, tag: RegExp, name: string): string | undefined {
  const element = tag.exec(page)?.[0];
  return element && new RegExp(`${name}="([^"]*)"`).exec(element)?.[1]?.replaceAll("&amp;", "&");
}

const meta = (page: string, property: string) =>
  attr(page, new RegExp(`<meta (property|name)="${property}"[^>]*>`), "content");

/** A path on this app from an absolute URL of it. */
function pathOf(url: string): string {
  assert.ok(url.startsWith(`${ORIGIN}/`), `${url} is absolute on PUBLIC_URL`);
  return url.slice(ORIGIN.length);
}

Deno.test(`seo (${backend}) - a salon page's JSON-LD says what the salon's data says`, async () => {
  const t = await makeTestApp({ PUBLIC_URL: ORIGIN });
  try {
    await seedDemoData(t.db, t.clock.now());
    const [salon] = await t.db.query<
      {
        id: string;
        slug: string;
        name_en: string;
        latitude: number;
        longitude: number;
        rating_count: number;
      }
    >(
      `SELECT id, slug, name_en, latitude, longitude, rating_count FROM salons
        WHERE active AND rating_count > 0 ORDER BY slug LIMIT 1`,
    );
    const page = await html(t, `/salons/${salon.slug}?lang=en`);
    const ld = jsonLdOf(page);
    assert.equal(ld["@context"], "https://schema.org");
    assert.match(String(ld["@type"]), /^(BeautySalon|HairSalon)$/);
    assert.equal(ld.name, salon.name_en);
    assert.equal(ld.url, `${ORIGIN}/salons/${salon.slug}?lang=en`);
    const address = ld.address as Record<string, string>;
    assert.equal(address["@type"], "PostalAddress");
    assert.equal(address.addressCountry, "SA");
    const geo = ld.geo as Record<string, number>;
    assert.equal(Number(geo.latitude), Number(salon.latitude));
    assert.equal(Number(geo.longitude), Number(salon.longitude));
    const [{ hours }] = await t.db.query<{ hours: number }>(
      "SELECT count(*)::int AS hours FROM salon_hours WHERE salon_id = $1",
      [salon.id],
    );
    const opening = ld.openingHoursSpecification as Record<string, string>[];
    assert.ok(opening.length > 0 && opening.length <= hours);
    for (const spec of opening) {
      assert.match(
        spec.dayOfWeek,
        /^https:\/\/schema\.org\/(Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day$/,
      );
      assert.match(spec.opens, /^\d\d:\d\d$/);
      assert.match(spec.closes, /^\d\d:\d\d$/);
    }
    const rating = ld.aggregateRating as Record<string, unknown>;
    assert.equal(rating.reviewCount, salon.rating_count);
    const offers = (ld.hasOfferCatalog as { itemListElement: Record<string, unknown>[] })
      .itemListElement;
    const [{ bookable }] = await t.db.query<{ bookable: number }>(
      `SELECT count(*)::int AS bookable FROM services sv WHERE sv.salon_id = $1 AND sv.active
          AND EXISTS (SELECT 1 FROM staff_services ss JOIN staff st ON st.id = ss.staff_id
                       WHERE ss.service_id = sv.id AND st.active)`,
      [salon.id],
    );
    assert.equal(offers.length, bookable);
    for (const offer of offers) {
      assert.equal(offer.priceCurrency, "SAR");
      assert.match(String(offer.price), /^\d+\.\d\d$/);
    }
    // The cover photo, absolute, really there.
    const image = String(ld.image);
    assert.equal((await t.app.request(pathOf(image))).status, 200);
  } finally {
    await t.close();
  }
});

Deno.test(`seo (${backend}) - canonical, hreflang, Open Graph and Twitter cards on a salon page`, async () => {
  const t = await makeTestApp({ PUBLIC_URL: ORIGIN });
  try {
    await seedDemoData(t.db, t.clock.now());
    const [{ slug }] = await t.db.query<{ slug: string }>(
      "SELECT s.slug FROM salons s WHERE active AND EXISTS (SELECT 1 FROM photos p WHERE p.salon_id = s.id) ORDER BY slug LIMIT 1",
    );
    const page = await html(t, `/salons/${slug}?lang=ar`);
    assert.equal(
      attr(page, /<link rel="canonical"[^>]*>/, "href"),
      `${ORIGIN}/salons/${slug}?lang=ar`,
    );
    for (const [lang, query] of [["ar", "?lang=ar"], ["en", "?lang=en"], ["x-default", ""]]) {
      const href = attr(page, new RegExp(`<link rel="alternate" hreflang="${lang}"[^>]*>`), "href");
      assert.equal(href, `${ORIGIN}/salons/${slug}${query}`, lang);
    }
    assert.equal(meta(page, "og:url"), `${ORIGIN}/salons/${slug}?lang=ar`);
    assert.equal(meta(page, "og:locale"), "ar_SA");
    assert.ok(meta(page, "og:title"));
    const image = meta(page, "og:image")!;
    assert.equal((await t.app.request(pathOf(image))).status, 200, "the preview image loads");
    assert.ok(Number(meta(page, "og:image:width")) >= 960);
    assert.ok(Number(meta(page, "og:image:height")) > 0);
    assert.equal(meta(page, "twitter:card"), "summary_large_image");
    assert.equal(meta(page, "twitter:image"), image);
    assert.equal(meta(page, "robots"), undefined, "a salon page is indexable");
  } finally {
    await t.close();
  }
});

Deno.test(`seo (${backend}) - private, transactional and filtered pages say noindex; without PUBLIC_URL no absolute tags`, async () => {
  const t = await makeTestApp();
  try {
    const salon = await makeSalon(t.db, {
      name_en: "Quote </script><script>alert(1)</script> Salon",
    });
    const service = await makeService(t.db, salon, { name_en: "Cut" });
    await makeStaff(t.db, salon, { services: [service.id] });
    for (
      const path of ["/", `/salons/${salon.slug}`, `/salons/${salon.slug}/reviews`, "/privacy"]
    ) {
      assert.equal(meta(await html(t, path), "robots"), undefined, `${path} is indexable`);
    }
    for (
      const path of [
        "/login",
        "/?q=cut",
        "/?audience=ladies",
        `/salons/${salon.slug}/book?service=${service.id}`,
        `/salons/${salon.slug}/visit`,
        `/salons/${salon.slug}/reviews?before=x`,
      ]
    ) {
      const res = await t.app.request(path);
      assert.ok(res.status < 500, path);
      assert.equal(meta(await res.text(), "robots"), "noindex", `${path} is not indexed`);
    }
    const page = await html(t, `/salons/${salon.slug}?lang=en`);
    assert.equal(attr(page, /<link rel="canonical"[^>]*>/, "href"), undefined);
    assert.equal(meta(page, "og:url"), undefined);
    // The JSON-LD still describes the salon, and no name can close its script element.
    assert.doesNotMatch(page, /<\/script><script>alert/);
    const ld = jsonLdOf(page);
    assert.equal(ld.name, "Quote </script><script>alert(1)</script> Salon");
    assert.equal(ld.url, undefined);
  } finally {
    await t.close();
  }
});

Deno.test(`seo (${backend}) - robots.txt and a sitemap whose every address answers`, async () => {
  const t = await makeTestApp({ PUBLIC_URL: ORIGIN });
  try {
    await seedDemoData(t.db, t.clock.now());
    const robots = await (await t.app.request("/robots.txt")).text();
    for (
      const line of ["User-agent: *", "Disallow: /dashboard", "Disallow: /api/", "Disallow: /me"]
    ) {
      assert.ok(robots.split("\n").includes(line), line);
    }
    assert.ok(robots.includes(`Sitemap: ${ORIGIN}/sitemap.xml`));

    const res = await t.app.request("/sitemap.xml");
    assert.match(res.headers.get("content-type") ?? "", /application\/xml/);
    const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "@" }).parse(
      await res.text(),
    );
    const urls = xml.urlset.url as {
      loc: string;
      lastmod?: string;
      "xhtml:link": { "@hreflang": string; "@href": string }[];
    }[];
    const [{ salons }] = await t.db.query<{ salons: number }>(
      "SELECT count(*)::int AS salons FROM salons WHERE active",
    );
    assert.equal(urls.length, 2 * (1 + 2 * salons + 1), "two languages of every public page");
    for (const url of urls) {
      assert.deepEqual(url["xhtml:link"].map((l) => l["@hreflang"]), ["ar", "en", "x-default"]);
      if (url.lastmod) assert.ok(!Number.isNaN(Date.parse(url.lastmod)));
      const answer = await t.app.request(pathOf(url.loc));
      await answer.body?.cancel();
      assert.equal(answer.status, 200, url.loc);
    }
  } finally {
    await t.close();
  }
});
