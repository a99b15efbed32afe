import { ar } from "./ar.ts";
import { en, type MessageKey, type Messages } from "./en.ts";

export type { MessageKey, Messages };
export type Locale = "ar" | "en";
export const LOCALES: readonly Locale[] = ["ar", "en"];
export const DEFAULT_LOCALE: Locale = "ar";
export type Digits = "arab" | "latn";

const CATALOGS: Record<Locale, Messages> = { ar, en };

export type MessageParams = Record<string, string | number>;
export type Translator = (key: MessageKey, params?: MessageParams) => string;

/** Returns `t(key, params)` for a locale; `{name}` placeholders are filled from params. */
export function translator(locale: Locale): Translator {
  const catalog = CATALOGS[locale];
  return (key, params) => {
    const text = catalog[key];
    if (!params) return text;
    return text.replace(/\{(\w+)\}/g, (m, name) => (name in params ? String(params[name]) : m));
  };
}

export function isLocale(value: unknown): value is Locale {
  return value === "ar" || value === "en";
}

export function dirOf(locale: Locale): "rtl" | "ltr" {
  return locale === "ar" ? "rtl" : "ltr";
}

/**
 * Picks the locale: an explicit `?lang=`, then the remembered cookie, then Accept-Language
 * (by quality), then Arabic.
 */
export function negotiateLocale(input: {
  query?: string | null;
  cookie?: string | null;
  acceptLanguage?: string | null;
}): Locale {
  if (isLocale(input.query)) return input.query;
  if (isLocale(input.cookie)) return input.cookie;
  if (input.acceptLanguage) {
    const ranked = input.acceptLanguage
      .split(",")
      .map((part, index) => {
        const [tag, ...params] = part.trim().split(";");
        const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
        const quality = q ? Number(q.slice(2)) : 1;
        return { lang: tag.trim().toLowerCase().split("-")[0], quality, index };
      })
      .filter((r) => Number.isFinite(r.quality) && r.quality > 0)
      .sort((a, b) => b.quality - a.quality || a.index - b.index);
    for (const { lang } of ranked) if (isLocale(lang)) return lang;
  }
  return DEFAULT_LOCALE;
}
