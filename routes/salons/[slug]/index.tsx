import {
  AudienceBadge,
  durationRange,
  InclVat,
  place,
  priceRange,
  Rating,
  staffName,
  zoneLabel,
} from "@/components/catalog.tsx";
import { fullDualDate, minuteLabel, weekdayName } from "@/i18n/calendar.ts";
import { formatNumber } from "@/i18n/format.ts";
import {
  defineHandlers,
  definePage,
  page,
  publicPage,
  type RequestState,
} from "@/routes/_define.ts";
import {
  getSalon,
  getSalonCatalog,
  loc,
  type Salon,
  type SalonCatalog,
  type Service,
} from "@/services/catalog.ts";
import { localDateOf } from "@/services/slots/load.ts";
import { ReviewList } from "@/components/reviews.tsx";
import { listSalonReviews } from "@/services/reviews/queries.ts";
import { sharedValue } from "@/routes/_page_cache.ts";
import { foldOvernight } from "@/services/slots/overnight.ts";
import { publicReads } from "@/routes/_reads.ts";
import { Picture } from "@/components/photos.tsx";
import { getSalonPhotos, type PublicPhoto, type SalonPhotos } from "@/services/photos/public.ts";
import { homeDistricts } from "@/services/bookings/home.ts";
import { formatSar } from "@/i18n/format.ts";
import { salonHead } from "../_seo.ts";

export const handler = defineHandlers({
  async GET(c) {
    const { now } = c.var.deps;
    const db = publicReads(c);
    const at = now();
    // The same for everyone; only the page around it differs for signed-in visitors.
    const { salon, catalog, reviews, photos, districts } = await sharedValue(
      c,
      `salon ${c.req.param("slug")}`,
      ({ salon }) => salon.id,
      async () => {
        const salon = await getSalon(db, c.req.param("slug")!);
        const catalog = await getSalonCatalog(db, salon.id, at);
        const reviews = await listSalonReviews(db, salon.id, { limit: 5 });
        const photos = await getSalonPhotos(db, c.var.deps.photos, salon.id);
        const districts = catalog.services.some((s) => s.at_home)
          ? await homeDistricts(db, salon.id)
          : [];
        return { salon, catalog, reviews, photos, districts };
      },
    );
    // Without online payment every booking is paid at the salon (the booking service decides so).
    const paymentMode = c.var.deps.payments ? salon.payment_mode : "at_salon";
    const { locale } = c.var.state;
    return page({ salon, catalog, now: at, reviews, paymentMode, photos, districts }, {
      title: loc(salon, "name", locale),
      head: salonHead(salon, catalog, photos.gallery[0], locale, c.var.deps.config.publicUrl),
    });
  },
});

/** Saudi weeks start on Sunday. */
const WEEK = [7, 1, 2, 3, 4, 5, 6];

export const cache = publicPage<typeof handler>({
  tag: ({ salon }) => salon.id,
  sameWhenSignedIn: true,
});

export default definePage<typeof handler>(function SalonPage({ data, state }) {
  const { salon, catalog, now, photos } = data;
  const { t, locale } = state;
  const bookHref = (service: Service) => `/salons/${salon.slug}/book?service=${service.id}`;
  const name = loc(salon, "name", locale);
  const [cover, ...gallery] = photos.gallery;
  return (
    <article class="space-y-10">
      {cover && (
        <Picture
          photo={cover}
          alt={altOf(cover, locale) || name}
          sizes="(min-width: 1024px) 992px, calc(100vw - 2rem)"
          priority
          class="block w-full aspect-[4/3] sm:aspect-[21/9] object-cover rounded-2xl bg-stone-200"
        />
      )}
      <header class="space-y-3">
        <p class="text-sm text-stone-600">
          <a href="/" class="underline underline-offset-4 hover:text-rose-700">{t("nav.home")}</a>
          <span aria-hidden="true" class="mx-1">/</span>
          {loc(salon, "city", locale)}
        </p>
        <h1 class="text-3xl font-bold text-stone-900">{loc(salon, "name", locale)}</h1>
        <p class="flex flex-wrap items-center gap-x-4 gap-y-1 text-stone-700">
          <span>{place(salon, locale)}</span>
          <Rating avg={salon.rating_avg} count={salon.rating_count} state={state} />
          <AudienceBadge audience={salon.audience} state={state} />
        </p>
        {loc(salon, "description", locale) && (
          <p class="max-w-3xl text-stone-700 leading-relaxed">
            {loc(salon, "description", locale)}
          </p>
        )}
        <ul class="flex flex-wrap gap-2 text-sm">
          <li class="rounded-full bg-rose-50 text-rose-800 px-3 py-1">
            {t(`salon.payment.${data.paymentMode}`, {
              percent: formatNumber(salon.deposit_percent, state.fmt),
            })}
          </li>
          {salon.cancellation_window_hours > 0 && (
            <li class="rounded-full bg-stone-100 text-stone-800 px-3 py-1">
              {t("salon.cancellation", {
                hours: formatNumber(salon.cancellation_window_hours, state.fmt),
              })}
            </li>
          )}
        </ul>
      </header>

      <Services
        services={catalog.services}
        photos={photos.services}
        bookHref={bookHref}
        visitHref={`/salons/${salon.slug}/visit`}
        state={state}
        vatRegistered={salon.vat_registered}
        home={catalog.services.some((s) => s.at_home) &&
            (data.districts.length > 0 || salon.home_radius_km !== null)
          ? {
            districts: data.districts.map((d) => loc(d, "name", locale)),
            surchargeHalalas: salon.home_surcharge_halalas,
          }
          : null}
      />

      {gallery.length > 0 && <Gallery photos={gallery} name={name} state={state} />}

      <div class="grid gap-8 md:grid-cols-2">
        <Hours salon={salon} catalog={catalog} now={now} state={state} />
        <Contact salon={salon} state={state} />
      </div>

      {catalog.staff.length > 0 && (
        <section aria-labelledby="team">
          <h2 id="team" class="text-xl font-semibold mb-4">{t("salon.staff")}</h2>
          <ul class="grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
            {catalog.staff.map((st) => (
              <StaffCard
                name={staffName(st, state)}
                title={loc(st, "title", locale)}
                photos={photos.staff[st.id]}
                state={state}
              />
            ))}
          </ul>
        </section>
      )}

      <section aria-labelledby="reviews" class="space-y-4">
        <div class="flex flex-wrap items-baseline gap-x-4 gap-y-1">
          <h2 id="reviews" class="text-xl font-semibold">{t("reviews.title")}</h2>
          <Rating avg={salon.rating_avg} count={salon.rating_count} state={state} />
        </div>
        <ReviewList
          reviews={data.reviews.reviews}
          next={data.reviews.next}
          slug={salon.slug}
          timeZone={salon.timezone}
          state={state}
        />
      </section>
    </article>
  );
});

/** A photo's alt text in the page's language, else the other one. */
function altOf(photo: PublicPhoto, locale: "ar" | "en"): string {
  return (locale === "ar" ? photo.alt_ar || photo.alt_en : photo.alt_en || photo.alt_ar);
}

/** The gallery after the cover; each photo links to its largest rendition. */
function Gallery(
  { photos, name, state }: { photos: PublicPhoto[]; name: string; state: RequestState },
) {
  const { t, locale } = state;
  return (
    <section aria-labelledby="photos">
      <h2 id="photos" class="text-xl font-semibold mb-4">{t("salon.photos")}</h2>
      <ul class="grid grid-cols-2 gap-2 sm:grid-cols-3">
        {photos.map((photo, i) => (
          <li>
            <a href={photo.largest.url} class="block">
              <Picture
                photo={photo}
                alt={altOf(photo, locale) ||
                  t("salon.photoOf", { n: formatNumber(i + 2, state.fmt), name })}
                sizes="(min-width: 1024px) 330px, (min-width: 640px) 33vw, 50vw"
                class="block w-full aspect-square object-cover rounded-xl bg-stone-200"
              />
            </a>
          </li>
        ))}
      </ul>
    </section>
  );
}

function StaffCard(
  { name, title, photos, state }: {
    name: string;
    title: string;
    photos: SalonPhotos["staff"][string] | undefined;
    state: RequestState;
  },
) {
  const portfolio = photos?.portfolio ?? [];
  return (
    <li class="bg-white rounded-xl p-4 shadow-sm border border-stone-200 space-y-3">
      <div class="flex items-center gap-3">
        {photos?.portrait && (
          <Picture
            photo={photos.portrait}
            alt={altOf(photos.portrait, state.locale) || name}
            sizes="56px"
            class="h-14 w-14 rounded-full object-cover bg-stone-200"
          />
        )}
        <div>
          <p class="font-medium">{name}</p>
          {title && <p class="text-sm text-stone-600">{title}</p>}
        </div>
      </div>
      {portfolio.length > 0 && (
        <ul class="grid grid-cols-4 gap-1">
          {portfolio.map((photo, i) => (
            <li>
              <a href={photo.largest.url} class="block">
                <Picture
                  photo={photo}
                  alt={altOf(photo, state.locale) ||
                    state.t("salon.photoOf", { n: formatNumber(i + 1, state.fmt), name })}
                  sizes="80px"
                  class="block w-full aspect-square object-cover rounded-md bg-stone-200"
                />
              </a>
            </li>
          ))}
        </ul>
      )}
    </li>
  );
}

function Services(
  { services, photos, bookHref, visitHref, state, vatRegistered, home }: {
    services: Service[];
    /** The salon comes to homes: where, and for how much more. */
    home: { districts: string[]; surchargeHalalas: number } | null;
    /** Prices then say "incl. VAT". */
    vatRegistered: boolean;
    photos: SalonPhotos["services"];
    bookHref: (s: Service) => string;
    /** Several services in one visit (or with a guest). */
    visitHref: string;
    state: RequestState;
  },
) {
  const { t, locale } = state;
  const categories = [...new Set(services.map((s) => s.category))];
  return (
    <section aria-labelledby="services">
      <h2 id="services" class="text-xl font-semibold mb-4">{t("salon.services")}</h2>
      {services.some((s) => s.staff_count > 0) && (
        <p class="mb-4">
          <a
            href={visitHref}
            class="text-rose-700 underline underline-offset-4"
            data-visit-link
          >
            {t("visit.bookSeveral")}
          </a>
        </p>
      )}
      {home && (
        <p class="mb-4 rounded-xl border border-emerald-200 bg-emerald-50 p-4 text-sm text-emerald-900">
          <span class="block font-medium">
            {t("homeVisit.someAtHome", {
              list: services.filter((s) => s.at_home).map((s) => loc(s, "name", locale)).join(
                t("homeVisit.listSeparator"),
              ),
            })}
          </span>
          {home.districts.length > 0 && (
            <span class="block">
              {t("homeVisit.districtsServed", {
                list: home.districts.join(t("homeVisit.listSeparator")),
              })}
            </span>
          )}
          <span class="block">
            {home.surchargeHalalas > 0
              ? t("homeVisit.surcharge", { amount: formatSar(home.surchargeHalalas, state.fmt) })
              : t("homeVisit.noSurcharge")}
          </span>
        </p>
      )}
      <div class="space-y-6">
        {categories.map((category) => (
          <div>
            <h3 class="text-sm font-semibold uppercase tracking-wide text-rose-800 mb-2">
              {t(`category.${category}`)}
            </h3>
            <ul class="divide-y divide-stone-200 bg-white rounded-xl shadow-sm border border-stone-200">
              {services.filter((s) => s.category === category).map((s) => (
                <li class="flex flex-wrap items-center gap-3 p-4">
                  {photos[s.id] && (
                    <Picture
                      photo={photos[s.id]}
                      alt={altOf(photos[s.id], locale) || loc(s, "name", locale)}
                      sizes="64px"
                      class="h-16 w-16 rounded-lg object-cover bg-stone-200"
                    />
                  )}
                  <div class="flex-1 min-w-[12rem]">
                    <p class="font-medium">{loc(s, "name", locale)}</p>
                    <p class="text-sm text-stone-600">
                      {durationRange(s.min_duration_minutes, s.max_duration_minutes, state)}
                    </p>
                    {s.at_home && home && (
                      <p
                        class="mt-1 inline-block rounded-full bg-emerald-50 px-2 py-0.5 text-xs font-medium text-emerald-800"
                        data-at-home
                      >
                        {t("homeVisit.offered")}
                      </p>
                    )}
                  </div>
                  <p class="font-semibold text-stone-900" dir="auto">
                    {priceRange(s.min_price_halalas, s.max_price_halalas, state)}
                    <InclVat salon={{ vat_registered: vatRegistered }} state={state} />
                  </p>
                  {s.staff_count > 0
                    ? (
                      <a
                        href={bookHref(s)}
                        aria-label={t("salon.bookService", { service: loc(s, "name", locale) })}
                        class="rounded-full bg-rose-700 text-white text-sm font-medium px-4 py-2 hover:bg-rose-800 focus:outline-none focus-visible:ring-2 focus-visible:ring-rose-400"
                      >
                        {t("salon.book")}
                      </a>
                    )
                    : <span class="text-sm text-stone-500">{t("salon.unavailableService")}</span>}
                </li>
              ))}
            </ul>
          </div>
        ))}
      </div>
    </section>
  );
}

function intervals(list: { startMinute: number; endMinute: number }[], state: RequestState) {
  return list.map((h) =>
    `${minuteLabel(h.startMinute, state.fmt)} – ${minuteLabel(h.endMinute, state.fmt)}`
  ).join(state.locale === "ar" ? "، " : ", ");
}

function Hours(
  { salon, catalog, now, state }: {
    salon: Salon;
    catalog: SalonCatalog;
    now: Date;
    state: RequestState;
  },
) {
  const { t, locale } = state;
  const todayWeekday = Temporal.PlainDate.from(localDateOf(now, salon.timezone)).dayOfWeek;
  // Hours past midnight read as one range on the day they start: "Thursday 4:00 pm – 1:00 am".
  const week = foldOvernight(catalog.hours);
  return (
    <section aria-labelledby="hours" class="space-y-4">
      <h2 id="hours" class="text-xl font-semibold">{t("salon.hours")}</h2>
      <table class="w-full bg-white rounded-xl shadow-sm border border-stone-200 text-sm">
        <tbody>
          {WEEK.map((weekday) => {
            const today = weekday === todayWeekday;
            const list = week.filter((h) => h.weekday === weekday);
            return (
              <tr
                class={`border-b border-stone-100 ${today ? "bg-rose-50 font-semibold" : ""}`}
                aria-current={today ? "date" : undefined}
              >
                <th scope="row" class="text-start font-medium px-4 py-2">
                  {weekdayName(weekday, state.fmt)}
                </th>
                <td class="px-4 py-2 text-stone-700">
                  {list.length ? intervals(list, state) : t("salon.closed")}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <p class="text-xs text-stone-600">{zoneLabel(salon, now, state)}</p>
      {catalog.breaks.length > 0 && (
        <div>
          <h3 class="font-semibold mb-1">{t("salon.breaks")}</h3>
          <ul class="text-sm text-stone-700 space-y-1">
            {catalog.breaks.map((b) => (
              <li>
                {b.weekday === null ? t("salon.everyDay") : weekdayName(b.weekday, state.fmt)}
                {": "}
                {intervals([{ startMinute: b.start_minute, endMinute: b.end_minute }], state)}
                {loc(b, "label", locale) && ` (${loc(b, "label", locale)})`}
              </li>
            ))}
          </ul>
        </div>
      )}
      {catalog.closures.length > 0 && (
        <div>
          <h3 class="font-semibold mb-1">{t("salon.closures")}</h3>
          <ul class="text-sm space-y-2">
            {catalog.closures.map((cl) => {
              const first = localDateOf(cl.starts_at, salon.timezone);
              const last = localDateOf(new Date(cl.ends_at.getTime() - 1), salon.timezone);
              return (
                <li class="rounded-lg bg-amber-50 border border-amber-200 p-3">
                  <p class="font-medium text-amber-900">{loc(cl, "reason", locale)}</p>
                  <p class="text-stone-700">
                    {last === first ? fullDualDate(first, state.fmt) : (
                      <>
                        {t("salon.closureFrom", { date: fullDualDate(first, state.fmt) })}
                        <br />
                        {t("salon.closureTo", { date: fullDualDate(last, state.fmt) })}
                      </>
                    )}
                  </p>
                </li>
              );
            })}
          </ul>
        </div>
      )}
    </section>
  );
}

function Contact({ salon, state }: { salon: Salon; state: RequestState }) {
  const { t, locale } = state;
  const link =
    "inline-flex items-center gap-2 rounded-full border border-stone-300 bg-white px-4 py-2 text-sm font-medium hover:border-rose-600 hover:text-rose-800";
  return (
    <section aria-labelledby="contact" class="space-y-4">
      <h2 id="contact" class="text-xl font-semibold">{t("salon.contact")}</h2>
      {loc(salon, "address", locale) && (
        <address class="not-italic text-stone-700">
          {loc(salon, "address", locale)}
          <br />
          {place(salon, locale)}
        </address>
      )}
      <p class="flex flex-wrap gap-2">
        {salon.latitude !== null && salon.longitude !== null && (
          <a
            class={link}
            href={`https://www.google.com/maps/search/?api=1&query=${salon.latitude},${salon.longitude}`}
            rel="noopener noreferrer"
            target="_blank"
          >
            {t("salon.map")}
          </a>
        )}
        {salon.whatsapp && (
          <a
            class={link}
            href={`https://wa.me/${salon.whatsapp.slice(1)}`}
            rel="noopener noreferrer"
            target="_blank"
          >
            {t("salon.whatsapp")}
          </a>
        )}
        {salon.phone && (
          <a class={link} href={`tel:${salon.phone}`}>
            {t("salon.call")} <span dir="ltr">{salon.phone}</span>
          </a>
        )}
      </p>
    </section>
  );
}
