import { formatSar } from "@/i18n/format.ts";
import { type Locale, type MessageKey, translator } from "@/i18n/mod.ts";
import type { MessageParams } from "./types.ts";

/** Catalog keys that are message templates. */
export type TemplateKey = Extract<MessageKey, `msg.${string}`>;

const cache = new Map<string, Intl.DateTimeFormat>();
function dtf(locale: string, options: Intl.DateTimeFormatOptions & { timeZone: string }) {
  const key = `${locale}|${JSON.stringify(options)}`;
  let f = cache.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, options);
    cache.set(key, f);
  }
  return f;
}

/**
 * The appointment date for a message, Gregorian then Hijri (Umm al-Qura), in the salon's zone.
 * English: "Saturday 21 November 2026 (11 Jumada II 1448 AH)". Arabic leaves out the years
 * ("السبت ٢١ نوفمبر (١١ جمادى الآخرة)"): Arabic is sent as UCS-2, 67 characters a segment, and
 * bookings are at most months ahead, so the weekday and month are unambiguous.
 */
export function messageDate(startsAt: Date, timeZone: string, locale: Locale): string {
  if (locale === "ar") {
    const g = dtf("ar-SA-u-ca-gregory-nu-arab", {
      timeZone,
      weekday: "long",
      day: "numeric",
      month: "long",
    }).format(startsAt).replace("،", "");
    const h = dtf("ar-SA-u-ca-islamic-umalqura-nu-arab", {
      timeZone,
      day: "numeric",
      month: "long",
    })
      .format(startsAt);
    return `${g} (${h})`;
  }
  const g = dtf("en-GB-u-ca-gregory-nu-latn", {
    timeZone,
    weekday: "long",
    day: "numeric",
    month: "long",
    year: "numeric",
  }).format(startsAt).replace(",", "");
  const h = dtf("en-GB-u-ca-islamic-umalqura-nu-latn", {
    timeZone,
    day: "numeric",
    month: "long",
    year: "numeric",
  }).format(startsAt);
  return `${g} (${h})`;
}

/** Wall-clock time in the salon's zone: "4:30 pm" / "٤:٣٠ م". */
export function messageTime(startsAt: Date, timeZone: string, locale: Locale): string {
  const tag = locale === "ar" ? "ar-SA-u-ca-gregory-nu-arab" : "en-GB-u-ca-gregory-nu-latn";
  return dtf(tag, { timeZone, hour: "numeric", minute: "2-digit", hour12: true }).format(startsAt);
}

/**
 * Plain characters for SMS: narrow and no-break spaces become spaces (they would force UCS-2 on
 * an English message) and invisible direction marks are dropped (each costs a character).
 */
export function smsSafe(text: string): string {
  return text.replace(/[\u00a0\u2007\u2009\u202f]/g, " ").replace(/[\u200e\u200f\u061c]/g, "");
}

/**
 * Renders a message in its recipient's language: salon, service, staff (or a visit's services in
 * order, each with its staff and times), date (Gregorian and Hijri) and time in the salon's zone,
 * amount (with "incl. VAT" for a tax document), a home visit's address, an invoice's or credit
 * note's number, and the link (`linkPath`) under `publicUrl`.
 */
export function renderMessage(
  template: TemplateKey,
  params: MessageParams,
  locale: Locale,
  publicUrl: string,
): string {
  const t = translator(locale);
  const startsAt = new Date(params.startsAt);
  const time = (iso: string) => messageTime(new Date(iso), params.timeZone, locale);
  const values: Record<string, string> = {
    salon: params.salon,
    service: params.items?.length
      ? [...new Set(params.items.map((i) => i.service))].join(" + ")
      : params.service,
    staff: params.staff,
    what: params.items && params.items.length > 1
      ? params.items.map((i) => {
        const item = t("msgPart.item", {
          service: i.service,
          staff: i.staff,
          from: time(i.startsAt),
          to: time(i.endsAt),
        });
        return i.guest ? t("msgPart.guest", { guest: i.guest, item }) : item;
      }).join(t("msgPart.then"))
      : t("msgPart.one", { service: params.service, staff: params.staff }),
    where: params.homeAddress ? t("msgPart.home", { address: params.homeAddress }) : "",
    date: messageDate(startsAt, params.timeZone, locale),
    time: messageTime(startsAt, params.timeZone, locale),
    link: `${publicUrl.replace(/\/$/, "")}${params.linkPath}`,
    by: params.by ? t(`msg.by.${params.by}`) : "",
    amount: params.amountHalalas === undefined ? "" : formatSar(params.amountHalalas, { locale }),
    number: params.documentNumber === undefined ? "" : String(params.documentNumber),
    invoice: params.invoiceNumber === undefined ? "" : String(params.invoiceNumber),
    vat: params.inclVat ? t("msgPart.inclVat") : "",
  };
  return smsSafe(t(template, values)).replace(/ {2,}/g, " ").trim();
}

// GSM 03.38: the basic set (one septet each) and the extension set (escape + one septet).
const GSM_BASIC = new Set(
  "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà",
);
const GSM_EXTENDED = new Set("^{}\\[~]|€\f");

export interface SmsLength {
  encoding: "gsm7" | "ucs2";
  /** Septets (GSM-7) or UTF-16 code units (UCS-2). */
  units: number;
  segments: number;
}

/**
 * How many SMS segments a text costs: GSM-7 holds 160 septets alone or 153 per part, UCS-2 (any
 * character outside GSM-7, so every Arabic message) 70 alone or 67 per part.
 */
export function smsLength(text: string): SmsLength {
  let septets = 0;
  let gsm = true;
  for (const ch of text) {
    if (GSM_BASIC.has(ch)) septets += 1;
    else if (GSM_EXTENDED.has(ch)) septets += 2;
    else {
      gsm = false;
      break;
    }
  }
  if (gsm) {
    return {
      encoding: "gsm7",
      units: septets,
      segments: septets <= 160 ? 1 : Math.ceil(septets / 153),
    };
  }
  const units = text.length;
  return { encoding: "ucs2", units, segments: units <= 70 ? 1 : Math.ceil(units / 67) };
}
