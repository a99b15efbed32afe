import type { ComponentChildren } from "preact";
import { SeoHead } from "@/components/SeoHead.tsx";
import { SiteHeader } from "@/components/SiteHeader.tsx";
import type { PageHead, RequestState } from "./_define.ts";

/** The HTML shell around every page: lang/dir from the negotiated locale, header, footer. */
export function AppShell(
  { state, title, head, publicUrl, children }: {
    state: RequestState;
    title?: string;
    head?: PageHead;
    publicUrl?: string;
    children: ComponentChildren;
  },
) {
  const { t } = state;
  const fullTitle = title
    ? `${title} · ${t("app.name")}`
    : `${t("app.name")} · ${t("app.tagline")}`;
  return (
    <html lang={state.locale} dir={state.dir}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{fullTitle}</title>
        <SeoHead state={state} title={title ?? t("app.name")} head={head} publicUrl={publicUrl} />
        <link rel="icon" href="/static/favicon.svg" type="image/svg+xml" />
      </head>
      <body class="min-h-screen flex flex-col bg-stone-50 text-stone-900 font-sans antialiased">
        <a
          href="#main"
          class="sr-only focus:not-sr-only focus:absolute focus:top-2 focus:start-2 bg-white p-2 rounded"
        >
          {t("nav.skipToContent")}
        </a>
        <SiteHeader state={state} />
        <main id="main" class="flex-1 w-full max-w-5xl mx-auto px-4 py-8">{children}</main>
        <footer class="border-t border-stone-200 py-6 text-center text-sm text-stone-600">
          © {new Date().getFullYear()} {t("footer.rights")}
          <span aria-hidden="true" class="mx-2">·</span>
          <a href="/privacy" class="underline underline-offset-4 hover:text-rose-700">
            {t("footer.privacy")}
          </a>
        </footer>
      </body>
    </html>
  );
}
