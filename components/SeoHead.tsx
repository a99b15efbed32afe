import type { PageHead, RequestState } from "@/routes/_define.ts";

const OG_LOCALE = { ar: "ar_SA", en: "en_US" } as const;

/** This page's address in `lang` (or the negotiated one, for x-default), absolute. */
export function pageUrl(publicUrl: string, url: URL, lang?: "ar" | "en"): string {
  const params = new URLSearchParams(url.search);
  params.delete("lang");
  if (lang) params.set("lang", lang);
  const query = params.toString();
  return `${publicUrl}${url.pathname}${query ? `?${query}` : ""}`;
}

/** A URL with no query but the language: the page itself, not a search or a later page of it. */
export function onlyLanguage(url: string): boolean {
  return [...new URL(url).searchParams.keys()].every((key) => key === "lang");
}

function absolute(publicUrl: string, url: string): string {
  return url.startsWith("/") ? `${publicUrl}${url}` : url;
}

/** JSON for a `<script>` element: `<` escaped so no text in it can close the element. */
export function scriptSafeJsonLd(data: unknown): string {
  return JSON.stringify(data).replace(/</g, "\\u003c");
}

/**
 * What search engines and link previews read: robots (noindex unless the page is indexable), the
 * description, and for indexable pages with a public address (PUBLIC_URL) the canonical URL,
 * hreflang alternates, Open Graph and Twitter cards; the page's JSON-LD. Tags that need an
 * absolute URL are left out without PUBLIC_URL rather than guessed from the request's Host.
 */
export function SeoHead(
  { state, title, head = {}, publicUrl }: {
    state: RequestState;
    title: string;
    head?: PageHead;
    publicUrl?: string;
  },
) {
  const description = head.description ?? state.t("app.tagline");
  const linked = head.indexable && publicUrl;
  const canonical = linked ? pageUrl(publicUrl, state.url, state.locale) : undefined;
  const image = linked && head.image;
  const other = state.locale === "ar" ? "en" : "ar";
  return (
    <>
      <meta name="description" content={description} />
      {!head.indexable && <meta name="robots" content="noindex" />}
      {canonical && publicUrl && (
        <>
          <link rel="canonical" href={canonical} />
          <link rel="alternate" hreflang="ar" href={pageUrl(publicUrl, state.url, "ar")} />
          <link rel="alternate" hreflang="en" href={pageUrl(publicUrl, state.url, "en")} />
          <link rel="alternate" hreflang="x-default" href={pageUrl(publicUrl, state.url)} />
          <meta property="og:type" content="website" />
          <meta property="og:site_name" content={state.t("app.name")} />
          <meta property="og:title" content={title} />
          <meta property="og:description" content={description} />
          <meta property="og:url" content={canonical} />
          <meta property="og:locale" content={OG_LOCALE[state.locale]} />
          <meta property="og:locale:alternate" content={OG_LOCALE[other]} />
          {image && (
            <>
              <meta property="og:image" content={absolute(publicUrl, image.url)} />
              <meta property="og:image:width" content={String(image.width)} />
              <meta property="og:image:height" content={String(image.height)} />
              <meta property="og:image:alt" content={image.alt} />
            </>
          )}
          <meta name="twitter:card" content={image ? "summary_large_image" : "summary"} />
          <meta name="twitter:title" content={title} />
          <meta name="twitter:description" content={description} />
          {image && <meta name="twitter:image" content={absolute(publicUrl, image.url)} />}
        </>
      )}
      {head.jsonLd && (
        <script
          type="application/ld+json"
          dangerouslySetInnerHTML={{ __html: scriptSafeJsonLd(head.jsonLd) }}
        />
      )}
    </>
  );
}
