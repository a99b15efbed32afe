import type { Locale } from "@/i18n/mod.ts";
import type { PageHead } from "@/routes/_define.ts";
import { loc, type Salon, type SalonCatalog } from "@/services/catalog.ts";
import type { PublicPhoto } from "@/services/photos/public.ts";

/** ISO weekday (1 = Monday … 7 = Sunday) → schema.org's day. */
const DAYS = ["", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

const sar = (halalas: number) => (halalas / 100).toFixed(2);

function clock(minute: number): string {
  const m = Math.min(minute, 24 * 60 - 1);
  return `${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`;
}

/**
 * The salon page's head: indexable, its description, the cover photo for link previews, and
 * schema.org `BeautySalon` (`HairSalon` for a gents' barber) with address, geo, opening hours,
 * rating (when reviewed), price range and the services as offers (VAT-inclusive SAR).
 */
export function salonHead(
  salon: Salon,
  catalog: SalonCatalog,
  cover: PublicPhoto | undefined,
  locale: Locale,
  publicUrl: string | undefined,
): PageHead {
  const name = loc(salon, "name", locale);
  const description = (loc(salon, "description", locale) || name).slice(0, 300);
  const image = cover && {
    url: cover.largest.url,
    width: cover.largest.width,
    height: cover.largest.height,
    alt: loc(cover, "alt", locale) || name,
  };
  const absolute = (url: string) => (url.startsWith("/") ? `${publicUrl}${url}` : url);
  const services = catalog.services.filter((s) => s.staff_count > 0);
  const prices = services.flatMap((s) => [s.min_price_halalas, s.max_price_halalas]);
  const barber = salon.audience.length > 0 && salon.audience.every((a) => a === "gents");
  const jsonLd: Record<string, unknown> = {
    "@context": "https://schema.org",
    "@type": barber ? "HairSalon" : "BeautySalon",
    name,
    description,
    ...(publicUrl && { url: `${publicUrl}/salons/${salon.slug}?lang=${locale}` }),
    ...(publicUrl && image && { image: absolute(image.url) }),
    ...(salon.phone && { telephone: salon.phone }),
    address: {
      "@type": "PostalAddress",
      streetAddress: loc(salon, "address", locale),
      addressLocality: loc(salon, "city", locale),
      ...(loc(salon, "district", locale) && { addressRegion: loc(salon, "district", locale) }),
      addressCountry: "SA",
    },
    ...(salon.latitude !== null && salon.longitude !== null && {
      geo: { "@type": "GeoCoordinates", latitude: salon.latitude, longitude: salon.longitude },
    }),
    openingHoursSpecification: catalog.hours.map((h) => ({
      "@type": "OpeningHoursSpecification",
      dayOfWeek: `https://schema.org/${DAYS[h.weekday]}`,
      opens: clock(h.startMinute),
      closes: clock(h.endMinute),
    })),
    ...(salon.rating_count > 0 && {
      aggregateRating: {
        "@type": "AggregateRating",
        ratingValue: Number(salon.rating_avg).toFixed(1),
        reviewCount: salon.rating_count,
        bestRating: 5,
        worstRating: 1,
      },
    }),
    ...(prices.length > 0 && {
      priceRange: `SAR ${sar(Math.min(...prices))}–${sar(Math.max(...prices))}`,
    }),
    currenciesAccepted: "SAR",
    hasOfferCatalog: {
      "@type": "OfferCatalog",
      name: locale === "ar" ? "الخدمات" : "Services",
      itemListElement: services.map((s) => ({
        "@type": "Offer",
        itemOffered: {
          "@type": "Service",
          name: loc(s, "name", locale),
          ...(loc(s, "description", locale) && { description: loc(s, "description", locale) }),
        },
        priceCurrency: "SAR",
        price: sar(s.min_price_halalas),
        priceSpecification: {
          "@type": "PriceSpecification",
          priceCurrency: "SAR",
          ...(s.min_price_halalas === s.max_price_halalas
            ? { price: sar(s.min_price_halalas) }
            : { minPrice: sar(s.min_price_halalas), maxPrice: sar(s.max_price_halalas) }),
          valueAddedTaxIncluded: true,
        },
      })),
    },
  };
  return { indexable: true, description, image, jsonLd };
}
