/**
 * The salon search's query string (`/?…` and `/api/salons/?…`), one field at a time: the API
 * refuses any bad field with a localized 400, the home page leaves bad fields out and says so.
 * Empty fields (a GET form sends every field) mean "any".
 */
import { z } from "zod";
import type { MessageKey } from "@/i18n/mod.ts";
import { validationErrorFrom } from "@/routes/_http.ts";
import { SERVICE_CATEGORIES } from "@/services/catalog.ts";
import { ValidationError } from "@/services/errors.ts";
import {
  AUDIENCES,
  type SalonFilters,
  SEARCH_MAX_QUERY,
  SEARCH_SORTS,
} from "@/services/search/salons.ts";
import { isIsoDate } from "@/services/slots/load.ts";
import { userText } from "@/services/text.ts";

const MAX_PRICE_SAR = 100_000;

const price = z.string().regex(/^\d{1,6}$/, { error: "search.error.price" })
  .transform(Number).refine((n) => n <= MAX_PRICE_SAR, { error: "search.error.price" })
  .transform((sar) => sar * 100);

/** Each field's schema; its value is what {@link SalonFilters} takes. */
const FIELDS = {
  q: userText().max(SEARCH_MAX_QUERY),
  city: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, { error: "validation.invalid" })
    .max(80, { error: "validation.invalid" }),
  district: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, { error: "search.error.district" })
    .max(120, { error: "search.error.district" }),
  audience: z.enum(AUDIENCES, { error: "search.error.audience" }),
  /** `home=1`: only salons that come to customers' homes. */
  home: z.enum(["0", "1"], { error: "validation.invalid" }).transform((v) => v === "1"),
  category: z.enum(SERVICE_CATEGORIES, { error: "search.error.category" }),
  price_min: price,
  price_max: price,
  rating: z.string().regex(/^[0-5](\.\d{1,2})?$/, { error: "search.error.rating" })
    .transform(Number).refine((n) => n <= 5, { error: "search.error.rating" }),
  date: z.string().refine(isIsoDate, { error: "search.error.date" }),
  after: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: "search.error.after" })
    .transform((v) => Number(v.slice(0, 2)) * 60 + Number(v.slice(3))),
  sort: z.enum(SEARCH_SORTS, { error: "search.error.sort" }),
} as const;

export type SearchField = keyof typeof FIELDS;
export const SEARCH_FIELDS = Object.keys(FIELDS) as SearchField[];

/** What the search form shows back: each field's text as given (bad ones left out). */
export type SearchForm = Partial<Record<SearchField, string>>;

export interface ParsedSearch {
  filters: Omit<SalonFilters, "now">;
  form: SearchForm;
  errors: Partial<Record<SearchField, MessageKey[]>>;
}

/** Reads every search field of `input`; bad ones land in `errors` and out of the filters. */
export function parseSearch(input: Record<string, string | undefined>): ParsedSearch {
  const values: Partial<Record<SearchField, unknown>> = {};
  const form: SearchForm = {};
  const errors: ParsedSearch["errors"] = {};
  for (const field of SEARCH_FIELDS) {
    const raw = input[field]?.trim();
    if (!raw) continue;
    const parsed = FIELDS[field].safeParse(raw);
    if (parsed.success) {
      values[field] = parsed.data;
      form[field] = raw;
    } else {
      // The field's own message, or the general ones (too long, not valid).
      errors[field] = Object.values(validationErrorFrom(parsed.error).fields)[0];
    }
  }
  const min = values.price_min as number | undefined;
  const max = values.price_max as number | undefined;
  if (min !== undefined && max !== undefined && min > max) {
    errors.price_max = ["search.error.priceOrder"];
    delete values.price_max;
    delete form.price_max;
  }
  return {
    filters: {
      q: values.q as string | undefined,
      city: values.city as string | undefined,
      district: values.district as string | undefined,
      audience: values.audience as SalonFilters["audience"],
      home: values.home as boolean | undefined,
      category: values.category as SalonFilters["category"],
      priceMin: min,
      priceMax: values.price_max as number | undefined,
      minRating: values.rating as number | undefined,
      date: values.date as string | undefined,
      afterMinute: values.after as number | undefined,
      sort: values.sort as SalonFilters["sort"],
    },
    form,
    errors,
  };
}

/** For the API: the filters, or a localized 400 naming every bad field. */
export function requireSearch(input: Record<string, string | undefined>): ParsedSearch["filters"] {
  const { filters, errors } = parseSearch(input);
  if (Object.keys(errors).length) throw new ValidationError(errors as Record<string, MessageKey[]>);
  return filters;
}
