import { place, priceRange, Rating, whenLabel } from "@/components/catalog.tsx";
import {
  type City,
  listCities,
  loc,
  type SalonSearchResult,
  SEARCH_MAX_QUERY,
  searchSalons,
} from "@/services/catalog.ts";
import { localDateOf } from "@/services/slots/load.ts";
import { sharedValue } from "./_page_cache.ts";
import { defineHandlers, definePage, page, publicPage, type RequestState } from "./_define.ts";
import { publicReads } from "./_reads.ts";

/**
 * `GET /?q=&city=`: the search form and its results (every salon when there is no query). The
 * query is forgiving: a long one is cut to its first 100 characters and an unknown city is
 * ignored, so any link still shows salons.
 */
export const handler = defineHandlers({
  async GET(c) {
    const { now } = c.var.deps;
    const db = publicReads(c);
    const q = (c.req.query("q") ?? "").trim().slice(0, SEARCH_MAX_QUERY);
    const cities = await listCities(db);
    const requested = c.req.query("city") ?? "";
    const city = cities.some((ct) => ct.city === requested) ? requested : "";
    const home = c.req.query("home") === "1";
    const at = now();
    // The same results for everyone; only the page around them differs for signed-in visitors.
    const results = await sharedValue(
      c,
      `search ${q}\n${city}\n${home}`,
      "",
      () => searchSalons(db, { q, city, home, now: at }),
    );
    return page({ q, city, home, cities, results, now: at });
  },
});

/** The same for every signed-out visitor; it shows any salon, so any salon's change ends it. */
export const cache = publicPage<typeof handler>({ tag: () => "" });

export default definePage<typeof handler>(function HomePage({ data, state }) {
  const { t } = state;
  const { q, city, home, cities, results, now } = data;
  return (
    <>
      <section class="py-10 text-center">
        <h1 class="text-3xl sm:text-4xl font-bold mb-4 text-stone-900">{t("home.title")}</h1>
        <p class="text-lg text-stone-700 max-w-2xl mx-auto mb-8">{t("home.lead")}</p>
        <form
          method="get"
          action="/"
          role="search"
          class="flex flex-col sm:flex-row gap-3 max-w-2xl mx-auto bg-white p-4 rounded-2xl shadow"
        >
          <label class="flex-1 text-start">
            <span class="block text-sm font-medium mb-1">{t("home.search.label")}</span>
            <input
              type="search"
              name="q"
              value={q}
              maxLength={SEARCH_MAX_QUERY}
              placeholder={t("home.search.placeholder")}
              class="w-full rounded-lg border border-stone-300 px-3 py-2"
            />
          </label>
          <label class="text-start">
            <span class="block text-sm font-medium mb-1">{t("home.search.city")}</span>
            <select
              name="city"
              class="w-full rounded-lg border border-stone-300 px-3 py-2 bg-white"
            >
              <option value="">{t("home.search.anyCity")}</option>
              {cities.map((ct: City) => (
                <option value={ct.city} selected={ct.city === city}>
                  {loc(ct, "city", state.locale)}
                </option>
              ))}
            </select>
          </label>
          <label class="flex items-center gap-2 self-end pb-2 text-sm">
            <input type="checkbox" name="home" value="1" checked={home} />
            {t("home.search.atHome")}
          </label>
          <button
            type="submit"
            class="self-end rounded-lg bg-rose-700 text-white font-medium px-6 py-2 hover:bg-rose-800"
          >
            {t("home.search.submit")}
          </button>
        </form>
      </section>

      <section class="py-4" aria-labelledby="results">
        <div class="flex flex-wrap items-baseline gap-3 mb-4">
          <h2 id="results" class="text-xl font-semibold">
            {q ? t("home.results.for", { q }) : t("home.results.all")}
          </h2>
          {(q || city || home) && (
            <a href="/" class="text-sm text-rose-700 underline underline-offset-4">
              {t("home.results.clear")}
            </a>
          )}
        </div>
        {results.length === 0
          ? (
            <p class="rounded-xl bg-white p-6 text-stone-700 shadow-sm">
              {t("home.results.empty")}
            </p>
          )
          : (
            <ul class="grid gap-4 sm:grid-cols-2">
              {results.map((r) => <SalonCard key={r.id} result={r} now={now} state={state} />)}
            </ul>
          )}
      </section>

      <section class="py-8">
        <h2 class="text-xl font-semibold mb-4">{t("home.why.title")}</h2>
        <ul class="grid sm:grid-cols-3 gap-4">
          {(["home.why.instant", "home.why.whatsapp", "home.why.pay"] as const).map((key) => (
            <li class="bg-white rounded-xl p-4 border-s-4 border-rose-600 shadow-sm">{t(key)}</li>
          ))}
        </ul>
      </section>
    </>
  );
});

function SalonCard(
  { result: r, now, state }: { result: SalonSearchResult; now: Date; state: RequestState },
) {
  const { t, locale } = state;
  const next = r.next_available;
  return (
    <li class="flex flex-col gap-2 rounded-2xl border border-stone-200 bg-white p-5 shadow-sm">
      <h3 class="text-lg font-semibold">
        <a
          href={`/salons/${r.slug}`}
          class="hover:text-rose-700 hover:underline underline-offset-4"
        >
          {loc(r, "name", locale)}
        </a>
      </h3>
      {r.home_service && (
        <p class="text-sm">
          <span class="rounded-full bg-emerald-50 px-2 py-0.5 text-emerald-800" data-home-service>
            {t("home.badge")}
          </span>
        </p>
      )}
      <p class="flex flex-wrap items-center gap-x-3 gap-y-1 text-sm text-stone-700">
        <span>{place(r, locale)}</span>
        <Rating avg={r.rating_avg} count={r.rating_count} state={state} />
      </p>
      {r.matched_service && (
        <p class="text-sm text-stone-700">
          {t("salon.matchedService", { service: loc(r.matched_service, "name", locale) })}
        </p>
      )}
      {r.min_price_halalas !== null && r.max_price_halalas !== null && (
        <p class="text-sm font-medium text-stone-900">
          {priceRange(r.min_price_halalas, r.max_price_halalas, state)}
        </p>
      )}
      <p class="mt-auto pt-2 text-sm">
        {next
          ? (
            <a
              href={`/salons/${r.slug}/book?service=${next.service_id}&staff=any&date=${
                localDateOf(next.start, r.timezone)
              }`}
              class="inline-block rounded-full bg-rose-50 px-3 py-1 font-medium text-rose-800 hover:bg-rose-100"
            >
              {t("salon.nextAvailable", { when: whenLabel(next.start, r.timezone, now, state) })}
            </a>
          )
          : <span class="text-stone-600">{t("salon.noAvailability")}</span>}
      </p>
    </li>
  );
}
