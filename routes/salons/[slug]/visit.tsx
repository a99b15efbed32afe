import { z } from "zod";
import type { ComponentChildren } from "preact";
import { SummaryList } from "@/components/BookingSummary.tsx";
import { durationLabel, InclVat, zoneLabel } from "@/components/catalog.tsx";
import { fullDualDate } from "@/i18n/calendar.ts";
import { formatNumber, formatSar, formatTime } from "@/i18n/format.ts";
import { defineHandlers, definePage, page, type RequestState } from "@/routes/_define.ts";
import { readForm } from "@/routes/_http.ts";
import { publicReads } from "@/routes/_reads.ts";
import { requestHash } from "@/routes/api/bookings/_schemas.ts";
import { depositFor } from "@/services/bookings/create.ts";
import { createBooking } from "@/services/bookings/mod.ts";
import {
  getSalon,
  getSalonCatalog,
  loc,
  type Salon,
  type Service,
  type StaffMember,
} from "@/services/catalog.ts";
import { ConflictError, ValidationError } from "@/services/errors.ts";
import { isUuid } from "@/services/ids.ts";
import {
  addDays,
  isIsoDate,
  listVisitSlots,
  localDateOf,
  resolveVisit,
} from "@/services/slots/load.ts";
import type { VisitSlot } from "@/services/slots/visit_engine.ts";
import BasketPicker from "@/islands/BasketPicker.tsx";
import WhereChoice from "@/islands/WhereChoice.tsx";
import { withTravel } from "@/services/bookings/home.ts";
import type { Queryable } from "@/db/types.ts";
import {
  checkHome,
  districtLabel,
  errorText,
  type HomeCheck,
  type HomeChoice,
  homeChoiceOf,
  type HomeErrors,
  HomeFields,
  HomeHidden,
  type HomeOffer,
  homeOffer,
  homeParams,
  HomeTermsNote,
} from "@/routes/salons/_home.tsx";

/** Guests a visit page can take besides the customer (a bride, her mother, bridesmaids…). */
const MAX_PARTY = 4;

/** One guest's name, services in order and who does each ("any" or a staff id). */
interface Guest {
  name: string;
  services: Service[];
  staff: string[];
}

/**
 * A visit as the URL carries it: the customer's services in order (`s`, who does each: `st`), and
 * up to four guests (the first `g`, `gs`, `gst`; then `g2`, `gs2`, `gst2`…).
 */
/** The waitlist form for the customer's own services of the basket on the day shown. */
function waitlistHref(slug: string, basket: Basket, date: string): string {
  const q = new URLSearchParams(basket.mine.map((sv) => ["service", sv.id]));
  const staff = [...new Set(basket.mineStaff)];
  q.set("staff", staff.length === 1 ? staff[0] : "any");
  q.set("date", date);
  return `/salons/${slug}/waitlist?${q}`;
}

interface Basket {
  mine: Service[];
  mineStaff: string[];
  /** Every guest slot as given (the form shows them all). */
  slots: Guest[];
  /** The guests with a name and at least one service: guest 1, 2… of the visit. */
  party: Guest[];
  /** At the salon or at the customer's home (with the address). */
  home: HomeChoice;
}

const ConfirmForm = z.object({
  start: z.iso.datetime({ offset: true, error: "booking.error.start" }),
  idempotency_key: z.string().min(1).max(200),
  csrf_token: z.string().optional(),
}).passthrough();

/** The query key of guest slot `n` (1-based): `g`, `g2`, `g3`… */
const key = (base: string, n: number) => (n === 1 ? base : `${base}${n}`);

function basketOf(
  query: URLSearchParams,
  services: Service[],
  staff: StaffMember[],
): Basket {
  const pick = (ids: string[]) =>
    ids.filter(isUuid).slice(0, 6).map((id) => services.find((s) => s.id === id)).filter((
      s,
    ): s is Service => s !== undefined && s.staff_count > 0);
  // A staff member chosen for a service they perform, else "anyone".
  const who = (list: Service[], chosen: string[]) =>
    list.map((s, i) =>
      staff.some((st) => st.id === chosen[i] && st.services.some((x) => x.service_id === s.id))
        ? chosen[i]
        : "any"
    );
  const mine = pick(query.getAll("s"));
  const slots = Array.from({ length: MAX_PARTY }, (_, i) => {
    const services = pick(query.getAll(key("gs", i + 1)));
    return {
      name: (query.get(key("g", i + 1)) ?? "").trim().slice(0, 80),
      services,
      staff: who(services, query.getAll(key("gst", i + 1))),
    };
  });
  return {
    mine,
    mineStaff: who(mine, query.getAll("st")),
    slots,
    party: slots.filter((g) => g.name !== "" && g.services.length > 0),
    home: homeChoiceOf(query),
  };
}

/** The visit's items for the engine: the customer's first, then each guest's in turn. */
function itemsOf(b: Basket) {
  return [
    ...b.mine.map((s, i) => ({ serviceId: s.id, staff: b.mineStaff[i], guest: 0 })),
    ...b.party.flatMap((g, n) =>
      g.services.map((s, i) => ({ serviceId: s.id, staff: g.staff[i], guest: n + 1 }))
    ),
  ];
}

function basketQuery(b: Basket): URLSearchParams {
  const q = new URLSearchParams();
  b.mine.forEach((s, i) => {
    q.append("s", s.id);
    q.append("st", b.mineStaff[i]);
  });
  b.party.forEach((g, n) => {
    q.set(key("g", n + 1), g.name);
    g.services.forEach((s, i) => {
      q.append(key("gs", n + 1), s.id);
      q.append(key("gst", n + 1), g.staff[i]);
    });
  });
  for (const [name, value] of homeParams(b.home)) q.append(name, value);
  return q;
}

/** Every service of the visit (the customer's and the guests'). */
const serviceIdsOf = (b: Basket) => itemsOf(b).map((it) => it.serviceId);

/** A private page: it carries the customer's address. */
const PRIVATE = { "cache-control": "private, no-store" };

/**
 * The visit's items with the staff member's travel around them at home, or the choose step's
 * reasons (400) when the home visit's details are refused. Null: at the salon.
 */
async function homeItems(
  db: Queryable,
  salon: Salon,
  offer: HomeOffer | null,
  basket: Basket,
): Promise<
  | { items: ReturnType<typeof itemsOf>; home: Extract<HomeCheck, { ok: true }> | null }
  | { errors: HomeErrors }
> {
  const items = itemsOf(basket);
  if (basket.home.where !== "home") return { items, home: null };
  if (!offer) return { errors: { where: "home.error.service" } };
  const check = await checkHome(db, salon, offer, serviceIdsOf(basket), basket.home);
  if (!check.ok) return { errors: check.errors };
  return { items: withTravel(items, check.terms.travelMinutes), home: check };
}

type VisitData =
  | {
    step: "choose";
    salon: Salon;
    services: Service[];
    basket: Basket;
    offer: HomeOffer | null;
    errors: HomeErrors;
  }
  | {
    step: "time";
    salon: Salon;
    basket: Basket;
    offer: HomeOffer | null;
    staff: StaffMember[];
    date: string;
    today: string;
    lastDate: string;
    starts: { start: string; end: string }[];
    taken: boolean;
  }
  | {
    step: "confirm";
    salon: Salon;
    basket: Basket;
    offer: HomeOffer | null;
    slot: VisitSlot;
    staffNames: Record<string, { ar: string; en: string }>;
    /** The services' prices and the home surcharge. */
    priceHalalas: number;
    surchargeHalalas: number;
    depositHalalas: number;
    idempotencyKey: string;
  };

/**
 * `/salons/:slug/visit`: booking several services in one visit, for the customer and a guest,
 * as plain forms (the basket lives in the URL: `s` the customer's services in order, `g` and `gs`
 * a guest's name and services). Choose services → a date and a time where the whole visit fits
 * (the visit engine, "anyone" on each service) → confirm, which books through createBooking with
 * the same re-check; the booking page then takes the deposit as for one service.
 */
export const handler = defineHandlers<VisitData>({
  async GET(c) {
    const db = publicReads(c);
    const state = c.var.state;
    const salon = await getSalon(db, c.req.param("slug")!);
    const at = c.var.deps.now();
    const catalog = await getSalonCatalog(db, salon.id, at);
    const url = new URL(c.req.url);
    const basket = basketOf(url.searchParams, catalog.services, catalog.staff);
    const title = state.t("visit.title", { salon: loc(salon, "name", state.locale) });
    c.header("cache-control", "private, no-store");
    const offer = catalog.services.some((s) => s.at_home) ? await homeOffer(db, salon) : null;
    const choose = { step: "choose" as const, salon, services: catalog.services, basket, offer };
    if (basket.mine.length === 0 || url.searchParams.get("step") === "choose") {
      return page({ ...choose, errors: {} }, { title, headers: PRIVATE });
    }
    const planned = await homeItems(db, salon, offer, basket);
    if ("errors" in planned) {
      return page({ ...choose, errors: planned.errors }, { title, status: 400, headers: PRIVATE });
    }
    const { items, home } = planned;
    const surcharge = home?.terms.surchargeHalalas ?? 0;
    const start = url.searchParams.get("start");
    if (start && Number.isFinite(Date.parse(start))) {
      const slot = await resolveVisit(db, {
        salonId: salon.id,
        items,
        startMs: Date.parse(start),
        now: at,
      });
      if (slot) {
        const staffNames = Object.fromEntries(
          catalog.staff.map((st) => [st.id, { ar: st.name_ar, en: st.name_en }]),
        );
        const price = slot.items.reduce((sum, it) => {
          const st = catalog.staff.find((s) => s.id === it.staffId);
          const own = st?.services.find((s) => s.service_id === it.serviceId)?.price_halalas;
          const service = catalog.services.find((s) => s.id === it.serviceId)!;
          return sum + (own ?? service.price_halalas);
        }, surcharge);
        return page({
          step: "confirm",
          salon,
          basket,
          offer,
          slot,
          staffNames,
          priceHalalas: price,
          surchargeHalalas: surcharge,
          depositHalalas: c.var.deps.payments
            ? depositFor(price, salon.payment_mode, salon.deposit_percent)
            : 0,
          idempotencyKey: crypto.randomUUID(),
        }, { title, headers: PRIVATE });
      }
    }
    const today = localDateOf(at, salon.timezone);
    const lastDate = addDays(today, salon.horizon_days);
    const asked = url.searchParams.get("date") ?? "";
    const date = isIsoDate(asked) && asked >= today && asked <= lastDate
      ? asked
      : start && Number.isFinite(Date.parse(start))
      ? localDateOf(Date.parse(start), salon.timezone)
      : today;
    const { days } = await listVisitSlots(db, {
      salonId: salon.id,
      items,
      fromDate: date,
      days: 1,
      now: at,
    });
    return page({
      step: "time",
      salon,
      basket,
      offer,
      staff: catalog.staff,
      date,
      today,
      lastDate,
      starts: (days[0]?.slots ?? []).map((s) => ({
        start: new Date(s.startMs).toISOString(),
        end: new Date(s.endMs).toISOString(),
      })),
      taken: Boolean(start),
    }, { title, headers: PRIVATE });
  },

  /** Books the visit (signed-out visitors log in and come back to this confirm step). */
  async POST(c) {
    const state = c.var.state;
    const slug = c.req.param("slug")!;
    const form = await readForm(c, ConfirmForm);
    // The basket's repeated fields (`s`, `gs`), from the same (cached) form.
    const raw = new URLSearchParams();
    for (const [key, value] of await c.req.formData()) {
      if (typeof value === "string") raw.append(key, value);
    }
    const db = c.var.deps.db;
    const salon = await getSalon(db, slug);
    const catalog = await getSalonCatalog(db, salon.id, c.var.deps.now());
    const basket = basketOf(raw, catalog.services, catalog.staff);
    const query = basketQuery(basket);
    query.set("start", new Date(form.start).toISOString());
    const confirmUrl = `/salons/${slug}/visit?${query}`;
    if (!state.user) return c.redirect(`/login?next=${encodeURIComponent(confirmUrl)}`, 303);
    const offer = catalog.services.some((s) => s.at_home) ? await homeOffer(db, salon) : null;
    const planned = await homeItems(db, salon, offer, basket);
    if ("errors" in planned) {
      return page({
        step: "choose",
        salon,
        services: catalog.services,
        basket,
        offer,
        errors: planned.errors,
      }, {
        title: state.t("visit.title", { salon: loc(salon, "name", state.locale) }),
        status: 400,
        headers: PRIVATE,
      });
    }
    const location = planned.home?.location;
    const items = itemsOf(basket);
    const guests = basket.party.length
      ? [{}, ...basket.party.map((g) => ({ name: g.name }))]
      : undefined;
    const body = {
      salon: slug,
      items: items.map((i) => ({ service: i.serviceId, staff: i.staff, guest: i.guest })),
      ...(guests ? { guests } : {}),
      ...(location
        ? {
          home: {
            district: location.district,
            address: location.address,
            map_url: location.mapUrl ?? undefined,
            notes: location.notes ?? undefined,
          },
        }
        : {}),
      start: form.start,
    };
    try {
      const { booking } = await createBooking(db, {
        customerId: state.user.id,
        salon: slug,
        items,
        guests,
        start: new Date(form.start),
        now: c.var.deps.now(),
        actor: { userId: state.user.id, role: "customer" },
        idempotency: { key: form.idempotency_key, requestHash: await requestHash(body) },
        onlinePayment: c.var.deps.payments != null,
        phoneCountries: c.var.deps.config.otp.allowedCountries,
        home: location,
      });
      return c.redirect(`/bookings/${booking.id}?notice=booked`, 303);
    } catch (err) {
      if (err instanceof ConflictError && err.messageKey === "booking.slotTaken") {
        return c.redirect(confirmUrl, 303);
      }
      if (err instanceof ValidationError && location) {
        // The salon changed its terms meanwhile: back to the times, which show the reasons.
        query.delete("start");
        return c.redirect(`/salons/${slug}/visit?${query}`, 303);
      }
      throw err;
    }
  },
});

const BUTTON = "rounded-full bg-rose-700 px-5 py-2 font-medium text-white hover:bg-rose-800";
const CARD = "rounded-xl border border-stone-200 bg-white p-4";

function Hidden({ basket, staff = true }: { basket: Basket; staff?: boolean }) {
  return (
    <>
      {basket.mine.map((s, i) => <input key={`s${i}`} type="hidden" name="s" value={s.id} />)}
      {staff &&
        basket.mineStaff.map((id, i) => (
          <input
            key={`st${i}`}
            type="hidden"
            name="st"
            value={id}
          />
        ))}
      {basket.party.map((g, n) => (
        <span key={`g${n}`} hidden>
          <input type="hidden" name={key("g", n + 1)} value={g.name} />
          {g.services.map((s, i) => (
            <input key={`gs${i}`} type="hidden" name={key("gs", n + 1)} value={s.id} />
          ))}
          {staff &&
            g.staff.map((id, i) => (
              <input key={`gst${i}`} type="hidden" name={key("gst", n + 1)} value={id} />
            ))}
        </span>
      ))}
      <HomeHidden choice={basket.home} />
    </>
  );
}

/** Who does each service: "anyone", or a staff member who performs it (a plain GET form). */
function StaffChoice(
  { data, state, action }: {
    data: { basket: Basket; staff: StaffMember[]; date: string };
    state: RequestState;
    action: string;
  },
) {
  const { t, locale } = state;
  const rows = [
    ...data.basket.mine.map((s, i) => ({
      s,
      name: "st",
      value: data.basket.mineStaff[i],
      who: "",
    })),
    ...data.basket.party.flatMap((g, n) =>
      g.services.map((s, i) => ({
        s,
        name: key("gst", n + 1),
        value: g.staff[i],
        who: `${g.name}: `,
      }))
    ),
  ];
  return (
    <form method="get" action={action} class={`${CARD} space-y-3`} data-staff-choice>
      <Hidden basket={data.basket} staff={false} />
      <input type="hidden" name="date" value={data.date} />
      <p class="font-semibold">{t("visit.who")}</p>
      <div class="grid gap-3 sm:grid-cols-2">
        {rows.map((r, i) => (
          <label key={i} class="block">
            <span class="mb-1 block text-sm font-medium">
              {r.who}
              {loc(r.s, "name", locale)}
            </span>
            <select
              name={r.name}
              class="w-full rounded-lg border border-stone-300 bg-white px-3 py-2"
            >
              <option value="any">{t("book.anyone")}</option>
              {data.staff.filter((st) => st.services.some((x) => x.service_id === r.s.id)).map((
                st,
              ) => (
                <option key={st.id} value={st.id} selected={st.id === r.value}>
                  {loc(st, "name", locale)}
                </option>
              ))}
            </select>
          </label>
        ))}
      </div>
      <button type="submit" class="rounded-full border border-stone-300 bg-white px-4 py-2">
        {t("visit.showTimes")}
      </button>
    </form>
  );
}

/** The basket's totals: every service's duration for each guest, and the price from (catalog). */
function Totals(
  { basket, offer, state }: { basket: Basket; offer: HomeOffer | null; state: RequestState },
) {
  const { t, locale, fmt } = state;
  const name = (s: Service) => loc(s, "name", locale);
  const minutes = (list: Service[]) => list.reduce((m, s) => m + s.min_duration_minutes, 0);
  const all = [...basket.mine, ...basket.party.flatMap((g) => g.services)];
  const price = all.reduce((p, s) => p + s.min_price_halalas, 0);
  return (
    <p class={`${CARD} text-stone-800`} data-basket-total={price}>
      <span class="font-medium">{basket.mine.map(name).join(" + ")}</span>
      {basket.party.map((g, n) => (
        <span key={n} class="block">
          {g.name}: {g.services.map(name).join(" + ")}
        </span>
      ))}
      <span class="block text-sm text-stone-600">
        {t("visit.totals", {
          duration: durationLabel(
            Math.max(minutes(basket.mine), ...basket.party.map((g) => minutes(g.services))),
            state,
          ),
          price: formatSar(price, fmt),
        })}
      </span>
      {basket.home.where === "home" && offer && (
        <span class="mt-2 block border-t border-stone-200 pt-2" data-chosen-home>
          <span class="block font-medium">
            {t("homeVisit.chosenHome", { district: districtLabel(basket.home, offer, locale) })}
          </span>
          <HomeTermsNote offer={offer} state={state} inline />
        </span>
      )}
    </p>
  );
}

/**
 * At the salon or at my home (radio buttons), the home visit's details and terms; shown when the
 * salon offers some service at home. Without JavaScript both are on show; the details count only
 * with "at my home".
 */
function WhereFieldset(
  { services, basket, offer, errors, state }: {
    services: Service[];
    basket: Basket;
    offer: HomeOffer;
    errors: HomeErrors;
    state: RequestState;
  },
) {
  const { t, locale } = state;
  const atHome = services.filter((s) => s.at_home && s.staff_count > 0);
  const home = basket.home.where === "home";
  return (
    <fieldset class={`${CARD} space-y-3`} data-where-choice>
      <legend class="px-1 font-semibold">{t("homeVisit.where")}</legend>
      {errors.where && (
        <p role="alert" class="rounded-lg border border-amber-300 bg-amber-50 p-3 text-amber-900">
          {errorText(errors.where, state, offer)}
        </p>
      )}
      {!errors.where && Object.keys(errors).length > 0 && (
        <p role="alert" class="rounded-lg border border-amber-300 bg-amber-50 p-3 text-amber-900">
          {t("homeVisit.error.fix")}
        </p>
      )}
      <p class="text-sm text-stone-700">
        {t("homeVisit.someAtHome", {
          list: atHome.map((s) => loc(s, "name", locale)).join(t("homeVisit.listSeparator")),
        })}
      </p>
      <WhereChoice
        home={home}
        salonLabel={t("homeVisit.atSalon")}
        homeLabel={t("homeVisit.atHome")}
      >
        <HomeTermsNote offer={offer} state={state} />
        <HomeFields offer={offer} choice={basket.home} errors={home ? errors : {}} state={state} />
      </WhereChoice>
    </fieldset>
  );
}

export default definePage<typeof handler>(function VisitPage({ data, state }) {
  const { t, locale, fmt } = state;
  const { salon } = data;
  const base = `/salons/${salon.slug}/visit`;
  const tz = salon.timezone;
  return (
    <section class="max-w-3xl space-y-6">
      <header class="space-y-2">
        <p class="text-sm">
          <a href={`/salons/${salon.slug}`} class="text-rose-700 underline underline-offset-4">
            {loc(salon, "name", locale)}
          </a>
        </p>
        <h1 class="text-2xl font-bold">
          {t("visit.title", { salon: loc(salon, "name", locale) })}
        </h1>
      </header>
      {data.step === "choose" && (
        <form method="get" action={base} class="space-y-4">
          <BasketPicker
            name="s"
            legend={t("visit.yourServices")}
            services={data.services.filter((s) => s.staff_count > 0).map((s) => ({
              id: s.id,
              label: [
                loc(s, "name", locale),
                durationLabel(s.min_duration_minutes, state),
                salon.vat_registered
                  ? `${formatSar(s.min_price_halalas, fmt)} ${t("invoice.inclVat")}`
                  : formatSar(s.min_price_halalas, fmt),
              ].join(t("app.separator")),
              minutes: s.min_duration_minutes,
              priceHalalas: s.min_price_halalas,
            }))}
            selected={data.basket.mine.map((s) => s.id)}
            totals={t("visit.totals", { duration: "{duration}", price: "{price}" })}
            minutes={t("duration.minutes", { n: "{n}" })}
            numberLocale={`${locale === "ar" ? "ar-SA" : "en-SA"}-u-nu-${
              fmt.digits ?? (locale === "ar" ? "arab" : "latn")
            }`}
          />
          {data.basket.slots.map((g, i) => {
            const n = i + 1;
            const fields = (
              <fieldset key={n} class={`${CARD} space-y-3`}>
                <legend class="px-1 font-semibold">
                  {t(n === 1 ? "visit.guest" : "visit.anotherGuest")}
                </legend>
                <label class="block">
                  <span class="mb-1 block text-sm font-medium">{t("visit.guestName")}</span>
                  <input
                    name={key("g", n)}
                    value={g.name}
                    maxLength={80}
                    class="w-full rounded-lg border border-stone-300 px-3 py-2"
                  />
                </label>
                <ul class="grid gap-2 sm:grid-cols-2">
                  {data.services.filter((s) => s.staff_count > 0).map((s) => (
                    <li key={s.id}>
                      <label class="flex items-center gap-2">
                        <input
                          type="checkbox"
                          name={key("gs", n)}
                          value={s.id}
                          checked={g.services.some((m) => m.id === s.id)}
                        />
                        {loc(s, "name", locale)}
                      </label>
                    </li>
                  ))}
                </ul>
              </fieldset>
            );
            // The first guest is on show; more (a bridal party) open on demand.
            return n === 1
              ? fields
              : (
                <details key={n} open={g.name !== "" || g.services.length > 0}>
                  <summary class="cursor-pointer text-rose-700 underline underline-offset-4">
                    {t("visit.addGuest", { n: formatNumber(n, fmt) })}
                  </summary>
                  <div class="mt-2">{fields}</div>
                </details>
              );
          })}
          {data.offer && (
            <WhereFieldset
              services={data.services}
              basket={data.basket}
              offer={data.offer}
              errors={data.errors}
              state={state}
            />
          )}
          <button type="submit" class={BUTTON}>{t("visit.findTimes")}</button>
        </form>
      )}
      {data.step === "time" && (
        <>
          <Totals basket={data.basket} offer={data.offer} state={state} />
          <p>
            <a
              href={`${base}?${basketQuery(data.basket)}&step=choose`}
              class="text-rose-700 underline underline-offset-4"
            >
              {t("visit.change")}
            </a>
          </p>
          <StaffChoice data={data} state={state} action={base} />
          {data.taken && (
            <p role="alert" class="rounded-xl border border-amber-300 bg-amber-50 p-4">
              {t("book.taken")}
            </p>
          )}
          <form method="get" action={base} class="flex flex-wrap items-end gap-3">
            <Hidden basket={data.basket} />
            <label class="block">
              <span class="mb-1 block text-sm font-medium">{t("book.date")}</span>
              <input
                type="date"
                name="date"
                value={data.date}
                min={data.today}
                max={data.lastDate}
                class="rounded-lg border border-stone-300 px-3 py-2"
              />
            </label>
            <button type="submit" class="rounded-full border border-stone-300 bg-white px-4 py-2">
              {t("visit.showDay")}
            </button>
          </form>
          <h2 class="font-semibold">{fullDualDate(data.date, fmt)}</h2>
          <p class="text-sm text-stone-600">{zoneLabel(salon, new Date(), state)}</p>
          {data.basket.party.length === 0 && data.basket.home.where !== "home" && (
            <p>
              <a
                href={waitlistHref(salon.slug, data.basket, data.date)}
                class="text-rose-700 underline underline-offset-4"
              >
                {t("waitlist.join")}
              </a>
            </p>
          )}
          {data.starts.length === 0
            ? <p>{t("book.noSlots")}</p>
            : (
              <form method="get" action={base} class="space-y-4">
                <Hidden basket={data.basket} />
                <fieldset>
                  <legend class="mb-2 text-sm font-medium">
                    {t("book.slotsFor", { date: fullDualDate(data.date, fmt) })}
                  </legend>
                  <div class="flex flex-wrap gap-2">
                    {data.starts.map((s, i) => (
                      <label
                        key={s.start}
                        class="cursor-pointer rounded-full border border-stone-300 bg-white px-3 py-1.5"
                      >
                        <input
                          type="radio"
                          name="start"
                          value={s.start}
                          required
                          checked={i === 0}
                          class="me-1"
                        />
                        {formatTime(new Date(s.start), tz, fmt)}–{formatTime(
                          new Date(s.end),
                          tz,
                          fmt,
                        )}
                      </label>
                    ))}
                  </div>
                </fieldset>
                <button type="submit" class={BUTTON}>{t("book.continue")}</button>
              </form>
            )}
        </>
      )}
      {data.step === "confirm" && (
        <form method="post" action={base} class="space-y-4">
          <input type="hidden" name="csrf_token" value={state.csrfToken} />
          <input type="hidden" name="idempotency_key" value={data.idempotencyKey} />
          <input type="hidden" name="start" value={new Date(data.slot.startMs).toISOString()} />
          <Hidden basket={data.basket} />
          <SummaryList
            rows={[
              [t("book.salon"), loc(salon, "name", locale)],
              ...(data.basket.home.where === "home" && data.offer
                ? [[
                  t("book.where"),
                  <span key="where" data-home-address>
                    {t("book.atHome", {
                      address: [
                        data.basket.home.address,
                        districtLabel(data.basket.home, data.offer, locale),
                      ].join(locale === "ar" ? "، " : ", "),
                    })}
                    {data.basket.home.notes && (
                      <span class="block text-sm font-normal text-stone-600">
                        {data.basket.home.notes}
                      </span>
                    )}
                  </span>,
                ] as [string, ComponentChildren]]
                : []),
              [t("book.date"), fullDualDate(localDateOf(data.slot.startMs, tz), fmt)],
              [
                t("book.services"),
                <ol key="items" class="space-y-1" data-visit-items={data.slot.items.length}>
                  {data.slot.items.map((it, i) => {
                    const all = [
                      ...data.basket.mine,
                      ...data.basket.party.flatMap((g) => g.services),
                    ];
                    const service = all.find((s) => s.id === it.serviceId)!;
                    const staff = data.staffNames[it.staffId];
                    const what = t("book.itemWith", {
                      service: loc(service, "name", locale),
                      staff: locale === "ar" ? staff.ar : staff.en,
                    });
                    return (
                      <li key={i}>
                        {it.guest > 0 ? `${data.basket.party[it.guest - 1].name}: ${what}` : what}
                        <span class="block text-sm font-normal text-stone-600">
                          {formatTime(new Date(it.startMs), tz, fmt)}–
                          {formatTime(new Date(it.endMs), tz, fmt)}
                        </span>
                      </li>
                    );
                  })}
                </ol>,
              ],
              [
                t("book.price"),
                <span key="price">
                  {formatSar(data.priceHalalas, fmt)}
                  <InclVat salon={data.salon} state={state} />
                  {data.surchargeHalalas > 0 && (
                    <span
                      class="block text-xs text-stone-600"
                      data-surcharge={data.surchargeHalalas}
                    >
                      {t("homeVisit.surcharge", { amount: formatSar(data.surchargeHalalas, fmt) })}
                    </span>
                  )}
                </span>,
              ],
              [
                t("book.dueNow"),
                data.depositHalalas > 0
                  ? formatSar(data.depositHalalas, fmt)
                  : t("book.dueNow.none"),
              ],
            ]}
          />
          {!state.user && <p class="text-sm text-stone-600">{t("book.confirmNote")}</p>}
          <button type="submit" class={BUTTON}>{t("book.confirm")}</button>
        </form>
      )}
    </section>
  );
});
