import { AudienceBadge, place, priceRange, Rating, whenLabel } from "@/components/catalog.tsx";
import { Picture } from "@/components/photos.tsx";
import { onlyLanguage } from "@/components/SeoHead.tsx";
import type { MessageKey } from "@/i18n/mod.ts";
import { formatSar } from "@/i18n/format.ts";
import {
  type City,
  type District,
  listCities,
  listDistricts,
  loc,
  SERVICE_CATEGORIES,
} from "@/services/catalog.ts";
import { getCoverPhotos, type PublicPhoto } from "@/services/photos/public.ts";
import {
  AUDIENCES,
  type SalonSearchResult,
  SEARCH_MAX_QUERY,
  SEARCH_SORTS,
  searchSalons,
} from "@/services/search/salons.ts";
import { localDateOf } from "@/services/slots/load.ts";
import { parseSearch, type SearchField } from "./salons/_search.ts";
import { sharedValue } from "./_page_cache.ts";
import { defineHandlers, definePage, page, publicPage, type RequestState } from "./_define.ts";
import { publicReads } from "./_reads.ts";

/** The minimum-rating choices the form offers (any value 0–5 works in the URL). */
const RATING_CHOICES = ["3", "4", "4.5"] as const;

/**
 * `GET /?q=&city=&district=&audience=&home=&category=&price_min=&price_max=&rating=&date=&after=&sort=`:
 * the search form and its results (every salon when nothing is asked). The URL holds the filters,
 * so a search can be shared. The page is forgiving: a long query is cut to its first 100
 * characters, an unknown city is ignored, and any other bad filter is left out with a message.
 */
export const handler = defineHandlers({
  async GET(c) {
    const { now } = c.var.deps;
    const db = publicReads(c);
    const query = c.req.query();
    const q = (query.q ?? "").trim().slice(0, SEARCH_MAX_QUERY);
    const { filters, form, errors } = parseSearch({ ...query, q });
    const [cities, districts] = await Promise.all([listCities(db), listDistricts(db)]);
    if (filters.city && !cities.some((ct) => ct.city === filters.city)) {
      filters.city = undefined;
      form.city = undefined;
    }
    if (
      filters.district &&
      !districts.some((d) =>
        d.district === filters.district && (!filters.city || d.city === filters.city)
      )
    ) {
      errors.district = ["search.error.district"];
      filters.district = undefined;
      form.district = undefined;
    }
    const at = now();
    // The same results for everyone; only the page around them differs for signed-in visitors.
    // Every filter is part of the key, so two searches never share an answer.
    const { results, covers } = await sharedValue(
      c,
      `search ${JSON.stringify(filters)}`,
      "",
      async () => {
        const results = await searchSalons(db, { ...filters, now: at });
        const covers = await getCoverPhotos(db, c.var.deps.photos, results.map((r) => r.id));
        return { results, covers };
      },
    );
    return page({
      q,
      form,
      messages: (Object.keys(errors) as SearchField[]).flatMap((f) => errors[f] ?? []),
      cities,
      districts,
      results,
      covers,
      byAvailability: filters.date !== undefined || filters.afterMinute !== undefined,
      filtered: Object.values(form).some((v) => v),
      now: at,
    }, {
      // The plain home page is what search engines should list; a filtered search is not.
      head: { indexable: onlyLanguage(c.req.url) },
    });
  },
});

/** The same for every signed-out visitor; it shows any salon, so any salon's change ends it. */
export const cache = publicPage<typeof handler>({ tag: () => "", sameWhenSignedIn: true });

export default definePage<typeof handler>(function HomePage({ data, state }) {
  const { t, locale } = state;
  const { q, form, cities, districts, results, covers, now } = data;
  const input = "w-full rounded-lg border border-stone-300 px-3 py-2 bg-white";
  const city = form.city ?? "";
  const shownDistricts = districts.filter((d: District) => !city || d.city === city);
  const cityName = (key: string) => {
    const ct = cities.find((c: City) => c.city === key);
    return ct ? loc(ct, "city", locale) : key;
  };
  return (
    <>
      <section class="py-10 text-center">
        <h1 class="text-3xl sm:text-4xl font-bold mb-4 text-stone-900">{t("home.title")}</h1>
        <p class="text-lg text-stone-700 max-w-2xl mx-auto mb-8">{t("home.lead")}</p>
        <form
          method="get"
          action="/"
          role="search"
          class="max-w-3xl mx-auto bg-white p-4 rounded-2xl shadow space-y-4 text-start"
        >
          <div class="flex flex-col sm:flex-row gap-3">
            <label class="flex-1">
              <span class="block text-sm font-medium mb-1">{t("home.search.label")}</span>
              <input
                type="search"
                name="q"
                value={q}
                maxLength={SEARCH_MAX_QUERY}
                placeholder={t("home.search.placeholder")}
                class={input}
              />
            </label>
            <label>
              <span class="block text-sm font-medium mb-1">{t("home.search.city")}</span>
              <select name="city" class={input}>
                <option value="">{t("home.search.anyCity")}</option>
                {cities.map((ct: City) => (
                  <option value={ct.city} selected={ct.city === city}>
                    {loc(ct, "city", locale)}
                  </option>
                ))}
              </select>
            </label>
            <label>
              <span class="block text-sm font-medium mb-1">{t("search.district")}</span>
              <select name="district" class={input}>
                <option value="">{t("search.anyDistrict")}</option>
                {shownDistricts.map((d: District) => (
                  <option value={d.district} selected={d.district === form.district}>
                    {loc(d, "district", locale)}
                    {city ? "" : `${t("app.separator")}${cityName(d.city)}`}
                  </option>
                ))}
              </select>
            </label>
          </div>
          <fieldset class="grid gap-3 grid-cols-2 sm:grid-cols-4">
            <legend class="sr-only">{t("search.filters")}</legend>
            <label>
              <span class="block text-sm font-medium mb-1">{t("search.audience")}</span>
              <select name="audience" class={input}>
                <option value="">{t("search.anyAudience")}</option>
                {AUDIENCES.map((a) => (
                  <option value={a} selected={a === form.audience}>{t(`audience.${a}`)}</option>
                ))}
              </select>
            </label>
            <label>
              <span class="block text-sm font-medium mb-1">{t("search.category")}</span>
              <select name="category" class={input}>
                <option value="">{t("search.anyCategory")}</option>
                {SERVICE_CATEGORIES.map((cat) => (
                  <option value={cat} selected={cat === form.category}>
                    {t(`category.${cat}`)}
                  </option>
                ))}
              </select>
            </label>
            <label>
              <span class="block text-sm font-medium mb-1">{t("search.priceMin")}</span>
              <input
                type="number"
                name="price_min"
                min="0"
                max="100000"
                step="1"
                inputMode="numeric"
                value={form.price_min ?? ""}
                class={input}
              />
            </label>
            <label>
              <span class="block text-sm font-medium mb-1">{t("search.priceMax")}</span>
              <input
                type="number"
                name="price_max"
                min="0"
                max="100000"
                step="1"
                inputMode="numeric"
                value={form.price_max ?? ""}
                class={input}
              />
            </label>
            <label>
              <span class="block text-sm font-medium mb-1">{t("search.rating")}</span>
              <select name="rating" class={input}>
                <option value="">{t("search.anyRating")}</option>
                {RATING_CHOICES.map((r) => (
                  <option value={r} selected={r === form.rating}>
                    {t("search.ratingAtLeast", { rating: r })}
                  </option>
                ))}
              </select>
            </label>
            <label>
              <span class="block text-sm font-medium mb-1">{t("search.date")}</span>
              <input type="date" name="date" value={form.date ?? ""} class={input} dir="ltr" />
            </label>
            <label>
              <span class="block text-sm font-medium mb-1">{t("search.after")}</span>
              <input type="time" name="after" value={form.after ?? ""} class={input} dir="ltr" />
            </label>
            <label>
              <span class="block text-sm font-medium mb-1">{t("search.sort")}</span>
              <select name="sort" class={input}>
                {SEARCH_SORTS.map((sort) => (
                  <option value={sort} selected={sort === (form.sort ?? "relevance")}>
                    {t(`search.sort.${sort}`)}
                  </option>
                ))}
              </select>
            </label>
          </fieldset>
          <label class="flex items-center gap-2 text-sm">
            <input type="checkbox" name="home" value="1" checked={form.home === "1"} />
            {t("home.search.atHome")}
          </label>
          <button
            type="submit"
            class="rounded-lg bg-rose-700 text-white font-medium px-6 py-2 hover:bg-rose-800"
          >
            {t("home.search.submit")}
          </button>
        </form>
      </section>

      <section class="py-4" aria-labelledby="results">
        {data.messages.length > 0 && (
          <div role="status" class="mb-4 rounded-xl border border-amber-300 bg-amber-50 p-4">
            <p class="font-medium">
              {t("search.ignored")}
            </p>
            <ul class="list-disc ps-6 text-sm">
              {data.messages.map((m: MessageKey) => <li key={m}>{t(m)}</li>)}
            </ul>
          </div>
        )}
        <div class="flex flex-wrap items-baseline gap-3 mb-4">
          <h2 id="results" class="text-xl font-semibold">
            {q ? t("home.results.for", { q }) : t("home.results.all")}
          </h2>
          {data.filtered && (
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
              {results.map((r) => (
                <SalonCard
                  key={r.id}
                  result={r}
                  cover={covers[r.id]}
                  byAvailability={data.byAvailability}
                  now={now}
                  state={state}
                />
              ))}
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
  { result: r, cover, byAvailability, now, state }: {
    result: SalonSearchResult;
    cover: PublicPhoto | undefined;
    byAvailability: boolean;
    now: Date;
    state: RequestState;
  },
) {
  const { t, locale } = state;
  const next = r.next_available;
  const name = loc(r, "name", locale);
  const filteredPrice = r.price_from_halalas !== null &&
    r.price_from_halalas !== r.min_price_halalas;
  return (
    <li class="flex flex-col gap-2 rounded-2xl border border-stone-200 bg-white p-5 shadow-sm">
      {cover && (
        <Picture
          photo={cover}
          alt={loc(cover, "alt", locale) || name}
          sizes="(min-width: 640px) 480px, calc(100vw - 2rem)"
          class="block w-full aspect-[4/3] object-cover rounded-xl bg-stone-200"
        />
      )}
      <h3 class="text-lg font-semibold">
        <a
          href={`/salons/${r.slug}`}
          class="hover:text-rose-700 hover:underline underline-offset-4"
        >
          {name}
        </a>
      </h3>
      <p class="flex flex-wrap gap-2 text-sm">
        <AudienceBadge audience={r.audience} state={state} />
        {r.home_service && (
          <span class="rounded-full bg-emerald-50 px-2 py-0.5 text-emerald-800" data-home-service>
            {t("home.badge")}
          </span>
        )}
      </p>
      <p class="flex flex-wrap items-center gap-x-3 gap-y-1 text-sm text-stone-700">
        <span>{place(r, locale)}</span>
        <Rating avg={r.rating_avg} count={r.rating_count} state={state} />
      </p>
      {r.matched_service && (
        <p class="text-sm text-stone-700">
          {t("salon.matchedService", { service: loc(r.matched_service, "name", locale) })}
        </p>
      )}
      {filteredPrice
        ? (
          <p class="text-sm font-medium text-stone-900">
            {t("search.priceFrom", { price: formatSar(r.price_from_halalas!, state.fmt) })}
          </p>
        )
        : r.min_price_halalas !== null && r.max_price_halalas !== null && (
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
              {t(byAvailability ? "search.availableAt" : "salon.nextAvailable", {
                when: whenLabel(next.start, r.timezone, now, state),
              })}
            </a>
          )
          : <span class="text-stone-600">{t("salon.noAvailability")}</span>}
      </p>
    </li>
  );
}
