/**
 * Photos as public pages (and the JSON API, Open Graph tags) show them: URLs of every rendition,
 * `srcset` strings per format, and the size for `width`/`height`. Plain JSON, so page caches can
 * keep them.
 */
import type { Queryable } from "@/db/types.ts";
import type { Photo, PhotoVariant } from "./photos.ts";
import type { PhotoStorage } from "./storage.ts";

export interface PhotoSource {
  url: string;
  width: number;
  height: number;
  type: "image/webp" | "image/jpeg";
}

export interface PublicPhoto {
  id: string;
  alt_ar: string;
  alt_en: string;
  /** Of the largest rendition; every rendition has this aspect ratio. */
  width: number;
  height: number;
  /** `url 480w, url 960w, …` per format, for `<source type="image/webp">` and `<img>`. */
  webpSrcset: string;
  jpegSrcset: string;
  /** The JPEG for `<img src>` (the one nearest 960 px wide): every browser shows it. */
  src: string;
  /** The largest JPEG: for Open Graph and Twitter cards (prefix a relative URL with the origin). */
  largest: PhotoSource;
  /** Every rendition, smallest first. */
  sources: PhotoSource[];
}

/** Every photo a salon's public page shows, ready to render. */
export interface SalonPhotos {
  /** The salon's gallery in order: the first is the cover. */
  gallery: PublicPhoto[];
  staff: Record<string, { portrait: PublicPhoto | null; portfolio: PublicPhoto[] }>;
  services: Record<string, PublicPhoto>;
}

const TYPES = { webp: "image/webp", jpeg: "image/jpeg" } as const;

function srcset(storage: PhotoStorage, variants: PhotoVariant[]): string {
  return variants.map((v) => `${storage.url(v.key)} ${v.width}w`).join(", ");
}

function source(storage: PhotoStorage, v: PhotoVariant): PhotoSource {
  return { url: storage.url(v.key), width: v.width, height: v.height, type: TYPES[v.format] };
}

/** A stored photo's public form, URLs from `storage`. */
export function publicPhoto(storage: PhotoStorage, photo: Photo): PublicPhoto {
  const variants = [...photo.variants].sort((a, b) => a.width - b.width);
  const jpegs = variants.filter((v) => v.format === "jpeg");
  const fallback = jpegs.find((v) => v.width >= 960) ?? jpegs.at(-1)!;
  return {
    id: photo.id,
    alt_ar: photo.alt_ar,
    alt_en: photo.alt_en,
    width: photo.width,
    height: photo.height,
    webpSrcset: srcset(storage, variants.filter((v) => v.format === "webp")),
    jpegSrcset: srcset(storage, jpegs),
    src: storage.url(fallback.key),
    largest: source(storage, jpegs.at(-1)!),
    sources: variants.map((v) => source(storage, v)),
  };
}

const COLUMNS = `id, salon_id, kind, staff_id, service_id, position, alt_ar, alt_en, width, height,
  variants, created_at`;

/** A salon's gallery, staff portraits and portfolios, and service photos. */
export async function getSalonPhotos(
  db: Queryable,
  storage: PhotoStorage,
  salonId: string,
): Promise<SalonPhotos> {
  const rows = await db.query<Photo>(
    `SELECT ${COLUMNS} FROM photos WHERE salon_id = $1 ORDER BY kind, position, created_at, id`,
    [salonId],
  );
  const result: SalonPhotos = { gallery: [], staff: {}, services: {} };
  for (const row of rows) {
    const photo = publicPhoto(storage, row);
    if (row.kind === "salon") result.gallery.push(photo);
    else if (row.kind === "service") result.services[row.service_id!] = photo;
    else {
      const entry = result.staff[row.staff_id!] ??= { portrait: null, portfolio: [] };
      if (row.kind === "portrait") entry.portrait = photo;
      else entry.portfolio.push(photo);
    }
  }
  return result;
}

/**
 * The cover photo (first of the gallery) of each salon in `salonIds` that has one, by salon id:
 * for search results, the JSON API, and Open Graph / Twitter images (`largest`).
 */
export async function getCoverPhotos(
  db: Queryable,
  storage: PhotoStorage,
  salonIds: readonly string[],
): Promise<Record<string, PublicPhoto>> {
  if (!salonIds.length) return {};
  const rows = await db.query<Photo>(
    `SELECT DISTINCT ON (salon_id) ${COLUMNS} FROM photos
     WHERE salon_id = ANY($1::uuid[]) AND kind = 'salon'
     ORDER BY salon_id, position, created_at, id`,
    [salonIds],
  );
  return Object.fromEntries(rows.map((row) => [row.salon_id, publicPhoto(storage, row)]));
}
