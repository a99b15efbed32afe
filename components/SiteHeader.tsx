import type { RequestState } from "@/routes/_define.ts";
import { friendlyName } from "@/services/auth/users.ts";

/** The current URL with `lang` switched: the language link keeps the reader where they are. */
export function switchLanguageHref(url: URL, locale: "ar" | "en"): string {
  const next = new URL(url);
  next.searchParams.set("lang", locale === "ar" ? "en" : "ar");
  return `${next.pathname}${next.search}`;
}

/** The login link brings the reader back to this page afterwards. */
export function loginHref(url: URL): string {
  if (url.pathname === "/" || url.pathname.startsWith("/login")) return "/login";
  return `/login?next=${encodeURIComponent(url.pathname + url.search)}`;
}

export function SiteHeader({ state }: { state: RequestState }) {
  const { t } = state;
  return (
    <header class="bg-white border-b border-stone-200">
      <nav
        class="max-w-5xl mx-auto flex items-center gap-3 sm:gap-4 px-4 py-3"
        aria-label={t("nav.home")}
      >
        <a href="/" class="text-xl font-bold text-rose-700 me-auto">{t("app.name")}</a>
        <a
          href={switchLanguageHref(state.url, state.locale)}
          lang={state.locale === "ar" ? "en" : "ar"}
          hreflang={state.locale === "ar" ? "en" : "ar"}
          class="text-sm text-stone-700 underline underline-offset-4 hover:text-rose-700"
        >
          {t("nav.switchLanguage")}
        </a>
        <VisitorLinks state={state} />
      </nav>
    </header>
  );
}

/**
 * The part of the header that differs per visitor (their dashboard link and account, or the login
 * link): a signed-in visitor gets a shared page with this part swapped for their own (app.ts).
 */
export function VisitorLinks({ state }: { state: RequestState }) {
  const { t } = state;
  return (
    <>
      {state.dashboard && (
        <a
          href="/dashboard"
          class="whitespace-nowrap text-sm font-medium text-stone-700 underline underline-offset-4 hover:text-rose-700"
        >
          {t("nav.dashboard")}
        </a>
      )}
      {state.user
        ? (
          <a
            href="/me"
            class="text-sm font-medium rounded-full border border-rose-700 text-rose-700 px-4 py-2 hover:bg-rose-50"
          >
            <span class="sr-only">{t("nav.account")}:</span>
            <bdi>{friendlyName(state.user)}</bdi>
          </a>
        )
        : (
          <a
            href={loginHref(state.url)}
            class="text-sm font-medium rounded-full bg-rose-700 text-white px-4 py-2 hover:bg-rose-800"
          >
            {t("nav.login")}
          </a>
        )}
    </>
  );
}
