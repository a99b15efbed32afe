import { pageUrl } from "@/components/SeoHead.tsx";
import { defineHandlers } from "./_define.ts";
import { publicReads } from "./_reads.ts";

const LANGS = ["ar", "en"] as const;

function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

/** One `<url>` per language of a page, each naming the other languages as alternates. */
function entries(origin: string, path: string, lastmod?: Date): string {
  const url = new URL(path, "http://x");
  const alternates = [
    ...LANGS.map((lang) => [lang, pageUrl(origin, url, lang)]),
    ["x-default", pageUrl(origin, url)],
  ].map(([lang, href]) =>
    `<xhtml:link rel="alternate" hreflang="${lang}" href="${escapeXml(href)}"/>`
  ).join("");
  return LANGS.map((lang) =>
    `<url><loc>${escapeXml(pageUrl(origin, url, lang))}</loc>` +
    (lastmod ? `<lastmod>${lastmod.toISOString()}</lastmod>` : "") +
    `${alternates}</url>`
  ).join("\n");
}

/** `/sitemap.xml`: the home page, every listed salon and its reviews, and the privacy notice. */
export const handler = defineHandlers({
  async GET(c) {
    const origin = c.var.deps.config.publicUrl ?? new URL(c.req.url).origin;
    const salons = await publicReads(c).query<{ slug: string; updated_at: Date }>(
      "SELECT slug, updated_at FROM salons WHERE active ORDER BY slug",
    );
    const body = [
      `<?xml version="1.0" encoding="UTF-8"?>`,
      `<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" ` +
      `xmlns:xhtml="http://www.w3.org/1999/xhtml">`,
      entries(origin, "/"),
      ...salons.flatMap((s) => [
        entries(origin, `/salons/${s.slug}`, s.updated_at),
        entries(origin, `/salons/${s.slug}/reviews`),
      ]),
      entries(origin, "/privacy"),
      `</urlset>`,
      "",
    ].join("\n");
    return c.body(body, 200, {
      "content-type": "application/xml; charset=utf-8",
      "cache-control": "public, max-age=3600",
    });
  },
});
