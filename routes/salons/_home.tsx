/**
 * The customer's "at the salon / at my home" choice on the booking pages, as plain form fields
 * carried from step to step in the URL (`where`, `district`, `district_other`, `address`, `map`,
 * `notes`), checked against the salon's home-service terms before any time is listed.
 */
import { durationLabel } from "@/components/catalog.tsx";
import type { Queryable } from "@/db/types.ts";
import { formatNumber, formatSar } from "@/i18n/format.ts";
import type { MessageKey } from "@/i18n/mod.ts";
import type { RequestState } from "@/routes/_define.ts";
import {
  homeDistricts,
  type HomeLocationInput,
  type HomeTerms,
  homeTerms,
} from "@/services/bookings/home.ts";
import { loc, type Salon } from "@/services/catalog.ts";
import { ValidationError } from "@/services/errors.ts";

/** The value of the district list's "another district" option (a salon serving a radius). */
export const OTHER = "other";

/** What the customer chose, as given (trimmed); `where` null: not chosen yet. */
export interface HomeChoice {
  where: "salon" | "home" | null;
  district: string;
  districtOther: string;
  address: string;
  map: string;
  notes: string;
}

export type HomeField = "where" | "district" | "address" | "map" | "notes";
export type HomeErrors = Partial<Record<HomeField, string>>;

export interface District {
  key: string;
  name_ar: string;
  name_en: string;
}

/** A salon's home-service offer as the booking pages show it. */
export interface HomeOffer {
  travelMinutes: number;
  surchargeHalalas: number;
  radiusKm: number | null;
  districts: District[];
}

/** The salon's terms, or null when it serves no district and no radius (nobody can book home). */
export async function homeOffer(db: Queryable, salon: Salon): Promise<HomeOffer | null> {
  const districts = await homeDistricts(db, salon.id);
  if (districts.length === 0 && salon.home_radius_km === null) return null;
  return {
    travelMinutes: salon.home_travel_minutes,
    surchargeHalalas: salon.home_surcharge_halalas,
    radiusKm: salon.home_radius_km,
    districts,
  };
}

const text = (v: string | null | undefined, max: number) => (v ?? "").trim().slice(0, max);

/** The choice from a query string or a posted form. */
export function homeChoiceOf(q: URLSearchParams): HomeChoice {
  const where = q.get("where");
  return {
    where: where === "home" || where === "salon" ? where : null,
    district: text(q.get("district"), 80),
    districtOther: text(q.get("district_other"), 120),
    // Longer than allowed is kept long enough to be refused, not cut to fit.
    address: text(q.get("address"), 301),
    map: text(q.get("map"), 501),
    notes: text(q.get("notes"), 501),
  };
}

/** The choice as query parameters (none before a choice; only `where` for the salon). */
export function homeParams(c: HomeChoice): [string, string][] {
  if (c.where === null) return [];
  if (c.where === "salon") return [["where", "salon"]];
  const out: [string, string][] = [["where", "home"], ["district", c.district]];
  if (c.district === OTHER) out.push(["district_other", c.districtOther]);
  out.push(["address", c.address]);
  if (c.map) out.push(["map", c.map]);
  if (c.notes) out.push(["notes", c.notes]);
  return out;
}

/** `&where=home&district=…` to append to a URL that already has a query. */
export function homeQuery(c: HomeChoice): string {
  const params = homeParams(c);
  return params.length ? `&${new URLSearchParams(params)}` : "";
}

/** A map link: an http(s) web address (stored as https, the form map services answer on). */
export function mapLink(value: string): string | null {
  if (value.length > 500 || /\s/.test(value)) return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return null;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return null;
  if (!url.hostname.includes(".")) return null;
  url.protocol = "https:";
  return url.toString();
}

export type HomeCheck =
  | { ok: true; location: HomeLocationInput; terms: HomeTerms }
  | { ok: false; errors: HomeErrors };

/**
 * Checks a home-visit choice for these services: a district the salon lists (or, at a salon
 * serving a radius, another one with a map pin inside it), an address, a map link that is a web
 * address, notes within bounds, and every service offered at home (the booking service's own
 * rule, `homeTerms`, decides the area and the services). Reads only.
 */
export async function checkHome(
  db: Queryable,
  salon: Salon,
  offer: HomeOffer,
  serviceIds: string[],
  c: HomeChoice,
): Promise<HomeCheck> {
  const errors: HomeErrors = {};
  const other = c.district === OTHER && offer.radiusKm !== null;
  if (!other && !offer.districts.some((d) => d.key === c.district)) {
    errors.district = c.district && c.district !== OTHER
      ? "home.error.area"
      : "homeVisit.error.district";
  }
  if (other && !c.districtOther) errors.district = "homeVisit.error.district";
  if (c.address.length < 5 || c.address.length > 300) errors.address = "home.error.address";
  const map = c.map ? mapLink(c.map) : null;
  if (c.map && !map) errors.map = "homeVisit.error.map";
  if (c.notes.length > 500) errors.notes = "homeVisit.error.notes";
  if (other && !c.map && !errors.district) errors.map = "homeVisit.error.pin";
  const location: HomeLocationInput = {
    district: other ? c.districtOther : c.district,
    address: c.address,
    mapUrl: map,
    notes: c.notes || null,
  };
  try {
    const terms = await homeTerms(db, salon.id, serviceIds, location);
    if (Object.keys(errors).length) return { ok: false, errors };
    return { ok: true, location, terms };
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    if (err.fields.service) errors.where = "home.error.service";
    // The address and link were judged above; the area is what only the salon's terms decide.
    else if (err.fields.location?.includes("home.error.area")) {
      if (other) errors.map ??= "homeVisit.error.pin";
      else errors.district ??= "home.error.area";
    }
    if (!Object.keys(errors).length) errors.where = "error.validation";
    return { ok: false, errors };
  }
}

/** A home-visit error's text (the radius filled in where the message names it). */
export function errorText(key: string, state: RequestState, offer: HomeOffer): string {
  return state.t(key as MessageKey, { km: formatNumber(offer.radiusKm ?? 0, state.fmt) });
}

/** Surcharge and what travel does to the times, in one or two sentences. */
export function HomeTermsNote(
  { offer, state, inline = false }: {
    offer: HomeOffer;
    state: RequestState;
    /** Inside a line of text (phrasing content): a span, not a paragraph. */
    inline?: boolean;
  },
) {
  const { t, fmt } = state;
  const Tag = inline ? "span" : "p";
  return (
    <Tag class="block text-sm font-normal text-stone-700" data-home-terms>
      <span class="block font-medium" data-home-surcharge={offer.surchargeHalalas}>
        {offer.surchargeHalalas > 0
          ? t("homeVisit.surcharge", { amount: formatSar(offer.surchargeHalalas, fmt) })
          : t("homeVisit.noSurcharge")}
      </span>
      {offer.travelMinutes > 0 && (
        <span class="block" data-home-travel={offer.travelMinutes}>
          {t("homeVisit.travel", { minutes: durationLabel(offer.travelMinutes, state) })}
        </span>
      )}
    </Tag>
  );
}

/** The district name a customer sees for the choice. */
export function districtLabel(c: HomeChoice, offer: HomeOffer, locale: "ar" | "en"): string {
  if (c.district === OTHER) return c.districtOther;
  const d = offer.districts.find((x) => x.key === c.district);
  return d ? loc(d, "name", locale) : c.district;
}

const INPUT = "w-full rounded-lg border border-stone-300 bg-white px-3 py-2";
const ERROR = "mt-1 block text-sm text-rose-800";

function FieldError(
  { id, error, state, offer }: {
    id: string;
    error?: string;
    state: RequestState;
    offer: HomeOffer;
  },
) {
  if (!error) return null;
  return (
    <span id={id} class={ERROR} data-error-for={id.replace(/^home-|-error$/g, "")}>
      {errorText(error, state, offer)}
    </span>
  );
}

/**
 * District, address, map link and notes (the names of `homeChoiceOf`), with their errors under
 * each field (one set per page: the ids are fixed).
 */
export function HomeFields(
  { offer, choice, errors = {}, state }: {
    offer: HomeOffer;
    choice: HomeChoice;
    errors?: HomeErrors;
    state: RequestState;
  },
) {
  const { t, locale, fmt } = state;
  const described = (field: HomeField, hint?: string) =>
    [errors[field] ? `home-${field}-error` : "", hint ?? ""].filter(Boolean).join(" ") ||
    undefined;
  const radius = offer.radiusKm;
  return (
    <div class="space-y-3">
      {offer.districts.length > 0 || radius === null
        ? (
          <div>
            <label for="home-district" class="mb-1 block text-sm font-medium">
              {t("homeVisit.district")}
            </label>
            <select
              id="home-district"
              name="district"
              class={INPUT}
              aria-invalid={errors.district ? "true" : undefined}
              aria-describedby={described("district")}
            >
              <option value="">{t("homeVisit.chooseDistrict")}</option>
              {[...offer.districts].sort((a, b) =>
                loc(a, "name", locale).localeCompare(loc(b, "name", locale), locale)
              ).map((d) => (
                <option key={d.key} value={d.key} selected={d.key === choice.district}>
                  {loc(d, "name", locale)}
                </option>
              ))}
              {radius !== null && (
                <option value={OTHER} selected={choice.district === OTHER}>
                  {t("homeVisit.otherDistrict")}
                </option>
              )}
            </select>
            <FieldError id="home-district-error" error={errors.district} {...{ state, offer }} />
          </div>
        )
        : <input type="hidden" name="district" value={OTHER} />}
      {radius !== null && (
        <div>
          <label for="home-district-other" class="mb-1 block text-sm font-medium">
            {offer.districts.length ? t("homeVisit.otherDistrict") : t("homeVisit.district")}
          </label>
          <input
            id="home-district-other"
            name="district_other"
            value={choice.districtOther}
            maxLength={120}
            class={INPUT}
            aria-describedby="home-other-hint"
          />
          <span id="home-other-hint" class="mt-1 block text-xs text-stone-600">
            {t("homeVisit.otherDistrictHint", { km: formatNumber(radius, fmt) })}
          </span>
          {!offer.districts.length && (
            <FieldError id="home-district-error" error={errors.district} {...{ state, offer }} />
          )}
        </div>
      )}
      <div>
        <label for="home-address" class="mb-1 block text-sm font-medium">
          {t("homeVisit.address")}
        </label>
        <textarea
          id="home-address"
          name="address"
          rows={2}
          maxLength={300}
          class={INPUT}
          dir="auto"
          aria-invalid={errors.address ? "true" : undefined}
          aria-describedby={described("address")}
        >
          {choice.address}
        </textarea>
        <FieldError id="home-address-error" error={errors.address} {...{ state, offer }} />
      </div>
      <div>
        <label for="home-map" class="mb-1 block text-sm font-medium">{t("homeVisit.map")}</label>
        <input
          id="home-map"
          type="url"
          name="map"
          value={choice.map}
          maxLength={500}
          dir="ltr"
          inputMode="url"
          placeholder="https://maps.app.goo.gl/…"
          class={INPUT}
          aria-invalid={errors.map ? "true" : undefined}
          aria-describedby={described("map", "home-map-hint")}
        />
        <span id="home-map-hint" class="mt-1 block text-xs text-stone-600">
          {t("homeVisit.mapHint")}
        </span>
        <FieldError id="home-map-error" error={errors.map} {...{ state, offer }} />
      </div>
      <div>
        <label for="home-notes" class="mb-1 block text-sm font-medium">
          {t("homeVisit.notes")}
        </label>
        <textarea
          id="home-notes"
          name="notes"
          rows={2}
          maxLength={500}
          class={INPUT}
          dir="auto"
          aria-describedby={described("notes", "home-notes-hint")}
        >
          {choice.notes}
        </textarea>
        <span id="home-notes-hint" class="mt-1 block text-xs text-stone-600">
          {t("homeVisit.notesHint")}
        </span>
        <FieldError id="home-notes-error" error={errors.notes} {...{ state, offer }} />
      </div>
    </div>
  );
}

/** The choice as hidden fields (a form carrying it to the next step). */
export function HomeHidden({ choice }: { choice: HomeChoice }) {
  return (
    <>
      {homeParams(choice).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
    </>
  );
}
