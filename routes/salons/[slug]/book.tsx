import type { ComponentChildren } from "preact";
import { SummaryList } from "@/components/BookingSummary.tsx";
import {
  durationLabel,
  durationRange,
  InclVat,
  priceRange,
  staffName,
  zoneLabel,
} from "@/components/catalog.tsx";
import { fullDualDate } from "@/i18n/calendar.ts";
import { formatNumber, formatSar, formatTime } from "@/i18n/format.ts";
import type { MessageKey } from "@/i18n/mod.ts";
import SlotPicker, { type SlotPickerProps } from "@/islands/SlotPicker.tsx";
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
  type StaffMember,
} from "@/services/catalog.ts";
import {
  addDays,
  isIsoDate,
  listSlots,
  listVisitSlots,
  localDateOf,
  resolveSlot,
  resolveVisit,
} from "@/services/slots/load.ts";
import { z } from "zod";
import { readForm } from "@/routes/_http.ts";
import { requestHash } from "@/routes/api/bookings/_schemas.ts";
import { createBooking } from "@/services/bookings/mod.ts";
import { depositFor } from "@/services/bookings/create.ts";
import { ConflictError, ValidationError } from "@/services/errors.ts";
import { publicReads } from "@/routes/_reads.ts";
import type { Queryable } from "@/db/types.ts";
import { withTravel } from "@/services/bookings/home.ts";
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
  homeQuery,
  HomeTermsNote,
} from "@/routes/salons/_home.tsx";

const ConfirmForm = z.object({
  service: z.uuid("validation.invalid"),
  staff: z.union([z.literal("any"), z.uuid()], { error: "slots.error.staff" }),
  start: z.iso.datetime({ offset: true, error: "booking.error.start" }),
  idempotency_key: z.string().min(1).max(200),
  csrf_token: z.string().optional(),
}).passthrough();

/** A private page: it carries the customer's address. */
const PRIVATE = { "cache-control": "private, no-store" };

/** Days the date strip shows at a time (and the slots API's maximum). */
const WINDOW = 14;

interface Base {
  salon: Salon;
  catalog: SalonCatalog;
  notice?: MessageKey;
  /** The salon's home-service terms when it offers any service at home, else null. */
  offer: HomeOffer | null;
  /** At the salon or at home (with the address), as the URL carries it. */
  choice: HomeChoice;
}

type BookData =
  | Base & { step: "service" }
  | Base & { step: "where"; service: Service; errors: HomeErrors }
  | Base & { step: "staff"; service: Service }
  | Base & { step: "time"; service: Service; staff: StaffMember | "any"; picker: SlotPickerProps }
  | Base & {
    step: "confirm";
    service: Service;
    staff: StaffMember | "any";
    assigned: StaffMember;
    start: Date;
    end: Date;
    /** The service's price plus the home surcharge. */
    priceHalalas: number;
    surchargeHalalas: number;
    idempotencyKey: string;
    /**
     * The salon asks for a deposit or prepayment but online payment is unavailable: the booking
     * will be paid at the salon (as `createBooking` decides), and the customer is told so.
     */
    payAtSalonFallback: boolean;
  };

const performs = (st: StaffMember, service: Service) =>
  st.services.some((s) => s.service_id === service.id);

/** What a staff member charges for a service: their own price, or the service's. */
const priceOf = (st: StaffMember, service: Service) =>
  st.services.find((s) => s.service_id === service.id)?.price_halalas ?? service.price_halalas;

/** The price that applies to a choice: one staff member's, or the range over all who perform it. */
function choicePrice(
  catalog: SalonCatalog,
  service: Service,
  staff: StaffMember | "any",
  state: RequestState,
): string {
  if (staff !== "any") return formatSar(priceOf(staff, service), state.fmt);
  const prices = catalog.staff.filter((st) => performs(st, service)).map((st) =>
    priceOf(st, service)
  );
  return priceRange(Math.min(...prices), Math.max(...prices), state);
}

/**
 * `GET /salons/:slug/book`: service → staff or "anyone" → date and time → confirm, one step per
 * page from the query string (`service`, `staff`, `date`, `start`), so it works as plain links and
 * radio buttons. A missing or unknown value shows the step that chooses it. The confirm step
 * re-checks the time with the same engine booking creation uses, and posts to this URL (the
 * booking issue's POST handler).
 */
export const handler = defineHandlers<BookData>({
  async GET(c) {
    const { now } = c.var.deps;
    // What is on display may lag a second: the POST re-checks the time on the primary.
    const db = publicReads(c);
    const state = c.var.state;
    const salon = await getSalon(db, c.req.param("slug")!);
    const at = now();
    const catalog = await getSalonCatalog(db, salon.id, at);
    const q = c.req.query();
    const title = state.t("book.pageTitle", { salon: loc(salon, "name", state.locale) });
    const choice = homeChoiceOf(new URL(c.req.url).searchParams);
    const offer = catalog.services.some((s) => s.at_home) ? await homeOffer(db, salon) : null;
    const base = { salon, catalog, offer, choice };

    const service = catalog.services.find((s) => s.id === q.service && s.staff_count > 0);
    if (!service) {
      return page(
        { ...base, step: "service", notice: q.service ? "book.notBookable" : undefined },
        {
          title,
        },
      );
    }
    const atHome = await homeStep(db, salon, offer, service, choice, q.step === "where");
    if (atHome.page) {
      return page({ ...base, ...atHome.page, service }, {
        title,
        status: atHome.status,
        headers: choice.where === "home" ? PRIVATE : undefined,
      });
    }
    const home = atHome.home;
    const init = { title, headers: home ? PRIVATE : undefined };
    const staff = q.staff === "any"
      ? "any"
      : catalog.staff.find((st) => st.id === q.staff && performs(st, service));
    if (!staff) return page({ ...base, step: "staff", service }, init);
    const staffChoice = staff === "any" ? "any" : staff.id;
    // A home visit is a one-item visit whose travel widens its buffers (as createBooking books it).
    const homeItems = home &&
      withTravel(
        [{ serviceId: service.id, staff: staffChoice, guest: 0 }],
        home.terms.travelMinutes,
      );

    let notice: MessageKey | undefined;
    let date = q.date && isIsoDate(q.date) ? q.date : undefined;
    if (q.start) {
      const startMs = Date.parse(q.start);
      const slot = !Number.isFinite(startMs)
        ? null
        : homeItems
        ? oneItem(await resolveVisit(db, { salonId: salon.id, items: homeItems, startMs, now: at }))
        : await resolveSlot(db, {
          salonId: salon.id,
          serviceId: service.id,
          staff: staffChoice,
          startMs,
          now: at,
        });
      const assigned = slot && catalog.staff.find((st) => st.id === slot.staffId);
      if (slot && assigned) {
        return page({
          ...base,
          step: "confirm",
          service,
          staff,
          assigned,
          start: new Date(slot.startMs),
          end: new Date(slot.endMs),
          priceHalalas: priceOf(assigned, service) + (home?.terms.surchargeHalalas ?? 0),
          surchargeHalalas: home?.terms.surchargeHalalas ?? 0,
          idempotencyKey: crypto.randomUUID(),
          payAtSalonFallback: salon.payment_mode !== "at_salon" && !c.var.deps.payments,
        }, init);
      }
      notice = "book.taken";
      if (Number.isFinite(startMs)) date = localDateOf(startMs, salon.timezone);
    }

    const today = localDateOf(at, salon.timezone);
    const lastDate = addDays(today, salon.horizon_days);
    if (date && (date < today || date > lastDate)) date = undefined;
    const offset = date ? Temporal.PlainDate.from(today).until(date).days : 0;
    const windowStart = addDays(today, Math.floor(offset / WINDOW) * WINDOW);
    const { days } = homeItems
      ? await listVisitSlots(db, {
        salonId: salon.id,
        items: homeItems,
        fromDate: windowStart,
        days: WINDOW,
        now: at,
      })
      : await listSlots(db, {
        salonId: salon.id,
        serviceId: service.id,
        staff: staffChoice,
        fromDate: windowStart,
        days: WINDOW,
        now: at,
      });
    const selected = date ?? days.find((d) => d.slots.length > 0)?.date ?? windowStart;
    const picker: SlotPickerProps = {
      action: `/salons/${salon.slug}/book`,
      api: `/api/salons/${salon.slug}/slots/`,
      service: service.id,
      staff: staffChoice,
      timeZone: salon.timezone,
      fmt: { locale: state.locale, digits: state.digits },
      today,
      lastDate,
      days: days.map((d) => ({ date: d.date, available: d.slots.length > 0 })),
      selected,
      slots: (days.find((d) => d.date === selected)?.slots ?? []).map((s) =>
        new Date(s.startMs).toISOString()
      ),
      labels: pickerLabels(state, zoneLabel(salon, at, state)),
      home: home !== null,
      keep: [...new URLSearchParams(homeQuery(choice).slice(1))],
    };
    return page({ ...base, step: "time", service, staff, picker, notice }, init);
  },

  /**
   * The confirm form: books through the same service as `POST /api/bookings/` (its hidden
   * idempotency key makes a double click book once). Signed-out visitors log in first and come
   * back to this confirm step; a time taken meanwhile goes back to the time step with a notice.
   */
  async POST(c) {
    const state = c.var.state;
    const slug = c.req.param("slug")!;
    const form = await readForm(c, ConfirmForm);
    const posted = new URLSearchParams();
    for (const [key, value] of await c.req.formData()) {
      if (typeof value === "string") posted.append(key, value);
    }
    const choice = homeChoiceOf(posted);
    const confirmUrl = `/salons/${slug}/book?${new URLSearchParams({
      service: form.service,
      staff: form.staff,
      start: new Date(form.start).toISOString(),
    })}${homeQuery(choice)}`;
    if (!state.user) return c.redirect(`/login?next=${encodeURIComponent(confirmUrl)}`, 303);
    let home: HomeCheck | null = null;
    if (choice.where === "home") {
      // Checked as the steps before checked it: a refusal goes back to them with the reasons.
      const db = c.var.deps.db;
      const salon = await getSalon(db, slug);
      const catalog = await getSalonCatalog(db, salon.id, c.var.deps.now());
      const service = catalog.services.find((s) => s.id === form.service);
      const offer = await homeOffer(db, salon);
      const base = { salon, catalog, offer, choice };
      const title = state.t("book.pageTitle", { salon: loc(salon, "name", state.locale) });
      if (!service || !service.at_home || !offer) {
        return page({ ...base, step: "service", notice: "home.error.service" }, {
          title,
          status: 400,
          headers: PRIVATE,
        });
      }
      home = await checkHome(db, salon, offer, [service.id], choice);
      if (!home.ok) {
        return page({ ...base, step: "where", service, errors: home.errors }, {
          title,
          status: 400,
          headers: PRIVATE,
        });
      }
    }
    const location = home?.ok ? home.location : undefined;
    const body = {
      salon: slug,
      service: form.service,
      staff: form.staff,
      start: form.start,
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
    };
    try {
      const { booking } = await createBooking(c.var.deps.db, {
        customerId: state.user.id,
        salon: slug,
        serviceId: form.service,
        staff: form.staff,
        start: new Date(form.start),
        now: c.var.deps.now(),
        actor: { userId: state.user.id, role: "customer" },
        idempotency: { key: form.idempotency_key, requestHash: await requestHash(body) },
        onlinePayment: c.var.deps.payments != null,
        home: location,
      });
      return c.redirect(`/bookings/${booking.id}?notice=booked`, 303);
    } catch (err) {
      if (err instanceof ConflictError && err.messageKey === "booking.slotTaken") {
        return c.redirect(confirmUrl, 303);
      }
      if (err instanceof ValidationError && location) {
        // The salon changed its terms between the check and the booking.
        return c.redirect(`${confirmUrl.replace(/&start=[^&]*/, "")}&step=where`, 303);
      }
      throw err;
    }
  },
});

/** A one-item visit's slot in the one-service shape. */
function oneItem(slot: { items: { staffId: string; startMs: number; endMs: number }[] } | null) {
  const item = slot?.items[0];
  return item ? { staffId: item.staffId, startMs: item.startMs, endMs: item.endMs } : null;
}

/**
 * The where step for a service offered at home: shown until the customer chooses (or asks to
 * change), and again with the reasons (400) when a home visit's details are refused. Otherwise the
 * checked home visit (null: at the salon).
 */
async function homeStep(
  db: Queryable,
  salon: Salon,
  offer: HomeOffer | null,
  service: Service,
  choice: HomeChoice,
  change: boolean,
): Promise<
  | { page: { step: "where"; errors: HomeErrors }; status?: number; home?: undefined }
  | { page: { step: "service"; notice: MessageKey }; status: number; home?: undefined }
  | { page?: undefined; home: Extract<HomeCheck, { ok: true }> | null }
> {
  if (!service.at_home || !offer) {
    if (choice.where === "home") {
      return { page: { step: "service", notice: "home.error.service" }, status: 400 };
    }
    return { home: null };
  }
  if (choice.where === null || change) return { page: { step: "where", errors: {} } };
  if (choice.where === "salon") return { home: null };
  const check = await checkHome(db, salon, offer, [service.id], choice);
  if (!check.ok) return { page: { step: "where", errors: check.errors }, status: 400 };
  return { home: check };
}

function pickerLabels(state: RequestState, zone: string): SlotPickerProps["labels"] {
  const { t } = state;
  return {
    dates: t("book.dates"),
    earlier: t("book.earlier"),
    later: t("book.later"),
    today: t("book.today"),
    tomorrow: t("book.tomorrow"),
    dayUnavailable: t("book.dayUnavailable"),
    slotsFor: t("book.slotsFor"),
    morning: t("book.morning"),
    afternoon: t("book.afternoon"),
    evening: t("book.evening"),
    noSlots: t("book.noSlots"),
    firstFree: t("book.firstFree"),
    loading: t("book.loading"),
    loadError: t("book.loadError"),
    continue: t("book.continue"),
    zone,
  };
}

const STEPS = ["service", "where", "staff", "time", "confirm"] as const;

/**
 * Every step but the confirm one (it carries a fresh idempotency key) and those carrying a home
 * address is shared.
 */
export const cache = publicPage<typeof handler>({
  tag: (data) => data.step === "confirm" || data.choice.where === "home" ? null : data.salon.id,
  // Only the confirm step (never shared) reads who is asking.
  sameWhenSignedIn: true,
});

export default definePage<typeof handler>(function BookPage({ data, state }) {
  const { t, locale } = state;
  const { salon } = data;
  const base = `/salons/${salon.slug}/book`;
  const serviceQ = "service" in data ? `?service=${data.service.id}` : "";
  const homeQ = homeQuery(data.choice);
  const staffQ = "staff" in data && data.staff
    ? `${serviceQ}${homeQ}&staff=${data.staff === "any" ? "any" : data.staff.id}`
    : "";
  const hrefs: Record<typeof STEPS[number], string> = {
    service: base,
    where: `${base}${serviceQ}${homeQ}&step=where`,
    staff: `${base}${serviceQ}${homeQ}`,
    time: `${base}${staffQ}`,
    confirm: "",
  };
  // "Where" is a step only for a service offered at home.
  const steps = STEPS.filter((s) =>
    s !== "where" || ("service" in data && data.service.at_home && data.offer)
  );
  const current = steps.indexOf(data.step);
  return (
    <section class="space-y-6 max-w-3xl">
      <header class="space-y-2">
        <p class="text-sm">
          <a href={`/salons/${salon.slug}`} class="text-rose-700 underline underline-offset-4">
            {loc(salon, "name", locale)}
          </a>
        </p>
        <h1 class="text-2xl font-bold">
          {t("book.pageTitle", { salon: loc(salon, "name", locale) })}
        </h1>
        <nav aria-label={t("book.steps")}>
          <ol class="flex flex-wrap gap-1.5 text-xs sm:text-sm">
            {steps.map((step, i) => {
              const label = `${formatNumber(i + 1, state.fmt)}. ${
                step === "where" ? t("homeVisit.step") : t(`book.step.${step}`)
              }`;
              const cls = i === current
                ? "rounded-full bg-rose-700 text-white px-2.5 py-1 font-medium"
                : i < current
                ? "rounded-full bg-rose-50 text-rose-800 px-2.5 py-1 underline underline-offset-4"
                : "rounded-full bg-stone-100 text-stone-600 px-2.5 py-1";
              return (
                <li>
                  {i < current
                    ? <a href={hrefs[step]} class={cls}>{label}</a>
                    : (
                      <span class={cls} aria-current={i === current ? "step" : undefined}>
                        {label}
                      </span>
                    )}
                </li>
              );
            })}
          </ol>
        </nav>
      </header>

      {data.notice && (
        <p role="alert" class="rounded-xl border border-amber-300 bg-amber-50 p-4 text-amber-900">
          {t(data.notice)}
        </p>
      )}
      {data.step === "where" && Object.keys(data.errors).length > 0 && (
        <p role="alert" class="rounded-xl border border-amber-300 bg-amber-50 p-4 text-amber-900">
          {data.errors.where
            ? errorText(data.errors.where, state, data.offer!)
            : t("homeVisit.error.fix")}
        </p>
      )}

      {"service" in data && data.step !== "confirm" && (
        <Chosen state={state} change={hrefs.service}>
          <span class="font-medium">{loc(data.service, "name", locale)}</span>
          {t("app.separator")}
          {durationRange(
            data.service.min_duration_minutes,
            data.service.max_duration_minutes,
            state,
          )}
          {t("app.separator")}
          {priceRange(data.service.min_price_halalas, data.service.max_price_halalas, state)}
          <InclVat salon={data.salon} state={state} />
        </Chosen>
      )}
      {"service" in data && data.step !== "confirm" && data.step !== "where" &&
        data.choice.where === "home" && data.offer && (
        <Chosen state={state} change={hrefs.where}>
          <span class="font-medium" data-chosen-home>
            {t("homeVisit.chosenHome", {
              district: districtLabel(data.choice, data.offer, locale),
            })}
          </span>
          <HomeTermsNote offer={data.offer} state={state} inline />
        </Chosen>
      )}
      {data.step === "time" && (
        <Chosen state={state} change={hrefs.staff}>
          <span class="font-medium">
            {data.staff === "any" ? t("book.anyone") : loc(data.staff, "name", locale)}
          </span>
          {t("app.separator")}
          {choicePrice(data.catalog, data.service, data.staff, state)}
        </Chosen>
      )}

      {data.step === "service" && <ServiceStep data={data} state={state} base={base} />}
      {data.step === "where" && <WhereStep data={data} state={state} base={base} />}
      {data.step === "staff" && <StaffStep data={data} state={state} base={base} />}
      {data.step === "time" && (
        <div class="space-y-3">
          <h2 class="text-xl font-semibold">{t("book.chooseTime")}</h2>
          <SlotPicker {...data.picker} />
          <p>
            <a
              href={`/salons/${data.salon.slug}/waitlist?${new URLSearchParams({
                service: data.picker.service,
                staff: data.picker.staff,
                date: data.picker.selected,
              })}`}
              class="text-rose-700 underline underline-offset-4"
            >
              {t("waitlist.join")}
            </a>
          </p>
        </div>
      )}
      {data.step === "confirm" && <ConfirmStep data={data} state={state} base={base} />}
    </section>
  );
});

function Chosen(
  { state, change, children }: { state: RequestState; change: string; children: ComponentChildren },
) {
  return (
    <p class="flex flex-wrap items-center gap-x-3 gap-y-1 rounded-xl bg-white border border-stone-200 px-4 py-3 text-stone-800">
      <span class="flex-1">{children}</span>
      <a href={change} class="text-sm text-rose-700 underline underline-offset-4">
        {state.t("book.change")}
      </a>
    </p>
  );
}

const CARD =
  "flex flex-wrap items-center gap-3 rounded-xl border border-stone-200 bg-white p-4 shadow-sm hover:border-rose-600 focus:outline-none focus-visible:ring-2 focus-visible:ring-rose-400";

function ServiceStep(
  { data, state, base }: {
    data: Extract<BookData, { step: "service" }>;
    state: RequestState;
    base: string;
  },
) {
  const { t, locale } = state;
  const bookable = data.catalog.services.filter((s) => s.staff_count > 0);
  return (
    <div class="space-y-3">
      <h2 class="text-xl font-semibold">{t("book.chooseService")}</h2>
      <ul class="space-y-2">
        {bookable.map((s) => (
          <li>
            <a href={`${base}?service=${s.id}`} class={CARD}>
              <span class="flex-1">
                <span class="block font-medium">{loc(s, "name", locale)}</span>
                <span class="block text-sm text-stone-600">
                  {t(`category.${s.category}`)}
                  {t("app.separator")}
                  {durationRange(s.min_duration_minutes, s.max_duration_minutes, state)}
                </span>
                {s.at_home && data.offer && (
                  <span
                    class="mt-1 inline-block rounded-full bg-emerald-50 px-2 py-0.5 text-xs font-medium text-emerald-800"
                    data-at-home
                  >
                    {t("homeVisit.offered")}
                  </span>
                )}
              </span>
              <span class="font-semibold">
                {priceRange(s.min_price_halalas, s.max_price_halalas, state)}
                <InclVat salon={data.salon} state={state} />
              </span>
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}

/**
 * At the salon (a link to the next step) or at my home (a form with the district, address, map
 * link and notes, and what a home visit costs and does to the times).
 */
function WhereStep(
  { data, state, base }: {
    data: Extract<BookData, { step: "where" }>;
    state: RequestState;
    base: string;
  },
) {
  const { t, locale } = state;
  const { service, salon } = data;
  const offer = data.offer!;
  const homeErrors = data.choice.where === "home" ? data.errors : {};
  return (
    <div class="space-y-3">
      <h2 class="text-xl font-semibold">{t("homeVisit.where")}</h2>
      <ul class="space-y-3">
        <li>
          <a href={`${base}?service=${service.id}&where=salon`} class={CARD} data-where="salon">
            <span class="flex-1">
              <span class="block font-medium">{t("homeVisit.atSalon")}</span>
              <span class="block text-sm text-stone-600">
                {t("homeVisit.atSalonHint", {
                  address: loc(salon, "address", locale) || loc(salon, "name", locale),
                })}
              </span>
            </span>
            <span class="text-sm font-medium text-rose-700">{t("homeVisit.continueSalon")}</span>
          </a>
        </li>
        <li>
          <form
            method="get"
            action={base}
            class="space-y-3 rounded-xl border border-stone-200 bg-white p-4 shadow-sm"
            data-where="home"
            aria-labelledby="where-home"
          >
            <input type="hidden" name="service" value={service.id} />
            <input type="hidden" name="where" value="home" />
            <p id="where-home" class="font-medium">{t("homeVisit.atHome")}</p>
            <p class="text-sm text-stone-600">{t("homeVisit.atHomeHint")}</p>
            <HomeTermsNote offer={offer} state={state} />
            <HomeFields offer={offer} choice={data.choice} errors={homeErrors} state={state} />
            <button
              type="submit"
              class="rounded-full bg-rose-700 px-6 py-2 font-medium text-white hover:bg-rose-800 focus:outline-none focus-visible:ring-2 focus-visible:ring-rose-400"
            >
              {t("homeVisit.continueHome")}
            </button>
          </form>
        </li>
      </ul>
    </div>
  );
}

function StaffStep(
  { data, state, base }: {
    data: Extract<BookData, { step: "staff" }>;
    state: RequestState;
    base: string;
  },
) {
  const { t, locale } = state;
  const { service } = data;
  const staff = data.catalog.staff.filter((st) => performs(st, service));
  const href = (id: string) => `${base}?service=${service.id}${homeQuery(data.choice)}&staff=${id}`;
  return (
    <div class="space-y-3">
      <h2 class="text-xl font-semibold">{t("book.chooseStaff")}</h2>
      <ul class="grid gap-2 sm:grid-cols-2">
        <li>
          <a href={href("any")} class={`${CARD} h-full`}>
            <span class="flex-1">
              <span class="block font-medium">{t("book.anyone")}</span>
              <span class="block text-sm text-stone-600">{t("book.anyoneHint")}</span>
            </span>
            <span class="text-sm font-medium">
              {choicePrice(data.catalog, service, "any", state)}
            </span>
          </a>
        </li>
        {staff.map((st) => {
          const own = st.services.find((s) => s.service_id === service.id);
          const extra = [
            own?.duration_minutes != null && own.duration_minutes !== service.duration_minutes
              ? durationLabel(own.duration_minutes, state)
              : null,
            choicePrice(data.catalog, service, st, state),
          ].filter(Boolean).join(t("app.separator"));
          return (
            <li>
              <a href={href(st.id)} class={`${CARD} h-full`}>
                <span class="flex-1">
                  <span class="block font-medium">{staffName(st, state)}</span>
                  <span class="block text-sm text-stone-600">{loc(st, "title", locale)}</span>
                </span>
                <span class="text-sm font-medium">{extra}</span>
              </a>
            </li>
          );
        })}
      </ul>
    </div>
  );
}

function ConfirmStep(
  { data, state, base }: {
    data: Extract<BookData, { step: "confirm" }>;
    state: RequestState;
    base: string;
  },
) {
  const { t, locale } = state;
  const { salon, service, staff, assigned, start, end } = data;
  const staffChoice = staff === "any" ? "any" : staff.id;
  const date = localDateOf(start, salon.timezone);
  const minutes = Math.round((end.getTime() - start.getTime()) / 60_000);
  const timeHref = `${base}?service=${service.id}${
    homeQuery(data.choice)
  }&staff=${staffChoice}&date=${date}`;
  const home = data.choice.where === "home" && data.offer ? data.offer : null;
  const anyonePrice = choicePrice(data.catalog, service, "any", state);
  // What createBooking will ask for online: the same mode, percent and rounding.
  const mode = data.payAtSalonFallback ? "at_salon" : salon.payment_mode;
  const due = depositFor(data.priceHalalas, mode, salon.deposit_percent);
  const dueNow = mode === "deposit"
    ? t("book.dueNow.deposit", {
      percent: formatNumber(salon.deposit_percent, state.fmt),
      amount: formatSar(due, state.fmt),
    })
    : mode === "full"
    ? t("book.dueNow.full", { amount: formatSar(due, state.fmt) })
    : t("book.dueNow.none");
  const dueLater = data.priceHalalas - due;
  const rows: [string, ComponentChildren][] = [
    [t("book.salon"), loc(salon, "name", locale)],
    ...(home
      ? [[
        t("book.where"),
        <span key="where" data-home-address>
          {t("book.atHome", {
            address: [data.choice.address, districtLabel(data.choice, home, locale)].join(
              locale === "ar" ? "، " : ", ",
            ),
          })}
          {data.choice.notes && (
            <span class="block text-sm font-normal text-stone-600">{data.choice.notes}</span>
          )}
        </span>,
      ] as [string, ComponentChildren]]
      : []),
    [t("book.service"), loc(service, "name", locale)],
    [
      t("book.staff"),
      staff === "any"
        ? t("book.assigned", { name: loc(assigned, "name", locale) })
        : loc(assigned, "name", locale),
    ],
    [t("book.date"), fullDualDate(date, state.fmt)],
    [
      t("book.time"),
      <span key="time">
        {formatTime(start, salon.timezone, state.fmt)} –{" "}
        {formatTime(end, salon.timezone, state.fmt)}
        <span class="block text-xs text-stone-600">{zoneLabel(salon, start, state)}</span>
      </span>,
    ],
    [t("book.duration"), durationLabel(minutes, state)],
    [
      t("book.price"),
      <span key="price">
        {formatSar(data.priceHalalas, state.fmt)}
        <InclVat salon={salon} state={state} />
        {data.surchargeHalalas > 0 && (
          <span class="block text-xs text-stone-600" data-surcharge={data.surchargeHalalas}>
            {t("homeVisit.surcharge", { amount: formatSar(data.surchargeHalalas, state.fmt) })}
          </span>
        )}
        {staff === "any" &&
          anyonePrice !== formatSar(data.priceHalalas - data.surchargeHalalas, state.fmt) && (
          <span class="block text-xs text-stone-600">
            {t("book.anyonePrice", { range: anyonePrice })}
          </span>
        )}
      </span>,
    ],
    [
      t("book.payment"),
      home && mode === "at_salon"
        ? t("homeVisit.payAtVisit")
        : t(`salon.payment.${mode}`, { percent: formatNumber(salon.deposit_percent, state.fmt) }),
    ],
    [
      t("book.dueNow"),
      <span key="due">
        <strong class="font-semibold">{dueNow}</strong>
        {dueLater > 0 && (
          <span class="block text-sm text-stone-600">
            {t(home ? "homeVisit.dueAtVisit" : "book.dueAtSalon", {
              amount: formatSar(dueLater, state.fmt),
            })}
          </span>
        )}
      </span>,
    ],
  ];
  return (
    <div class="space-y-4">
      <h2 class="text-xl font-semibold">{t("book.summary")}</h2>
      <SummaryList rows={rows} />
      {data.payAtSalonFallback && (
        <p
          role="note"
          data-pay-at-salon-fallback
          class="rounded-xl border border-amber-300 bg-amber-50 p-4 text-amber-900"
        >
          {t("book.payAtSalonFallback")}
        </p>
      )}
      <form method="post" action={base} class="space-y-3">
        <input type="hidden" name="service" value={service.id} />
        <input type="hidden" name="staff" value={staffChoice} />
        <input type="hidden" name="start" value={start.toISOString()} />
        <input type="hidden" name="idempotency_key" value={data.idempotencyKey} />
        <input type="hidden" name="csrf_token" value={state.csrfToken} />
        <HomeHidden choice={data.choice} />
        {!state.user && <p class="text-sm text-stone-600">{t("book.confirmNote")}</p>}
        <div class="flex flex-wrap items-center gap-4">
          <button
            type="submit"
            class="rounded-full bg-rose-700 px-6 py-2 font-medium text-white hover:bg-rose-800 focus:outline-none focus-visible:ring-2 focus-visible:ring-rose-400"
          >
            {t("book.confirm")}
          </button>
          <a href={timeHref} class="text-rose-700 underline underline-offset-4">
            {t("book.change")}
          </a>
        </div>
      </form>
      {salon.cancellation_window_hours > 0 && (
        <p class="text-sm text-stone-600">
          {t("salon.cancellation", {
            hours: formatNumber(salon.cancellation_window_hours, state.fmt),
          })}
        </p>
      )}
    </div>
  );
}
