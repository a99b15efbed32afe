/**
 * The demo salons' photos: a gallery per salon, a portrait per staff member, a portfolio for each
 * salon's first staff member. scripts/demo_photos.ts draws them (from the palettes below) and
 * renders them through the upload pipeline into db/demo_photos/; seeding stores those files and
 * lists them, as an upload would.
 */
import type { Db } from "@/db/types.ts";
import type { OutputFormat } from "@/services/photos/image.ts";
import type { PhotoVariant } from "@/services/photos/photos.ts";
import type { PhotoStorage } from "@/services/photos/storage.ts";

type Rgb = [number, number, number];

interface DemoPhotoSet {
  slug: string;
  /** Wall, wall shade, accent (mirror frames), counter. */
  palette: Rgb[];
  /** Portrait figures' colours. */
  figures: Rgb[];
  gallery: { alt_ar: string; alt_en: string }[];
  /** Staff members by English name, in the seed's order. */
  staff: string[];
}

export const DEMO_PHOTO_SETS: DemoPhotoSet[] = [
  {
    slug: "lamsa-riyadh",
    palette: [[238, 214, 203], [196, 150, 140], [176, 140, 82], [120, 84, 66]],
    figures: [[120, 70, 80], [90, 60, 70]],
    gallery: [
      { alt_ar: "مرايا التصفيف في صالون لمسة", alt_en: "Styling mirrors at Lamsa Salon" },
      { alt_ar: "ركن المكياج", alt_en: "The makeup corner" },
      { alt_ar: "منطقة الاستقبال", alt_en: "The reception" },
      { alt_ar: "ركن العناية بالأظافر", alt_en: "The nail care corner" },
    ],
    staff: ["Noura Al-Qahtani", "Reem Al-Otaibi", "Lama Al-Shehri", "Dana Al-Harbi"],
  },
  {
    slug: "dar-al-jamal-jeddah",
    palette: [[214, 230, 228], [140, 180, 178], [200, 170, 110], [92, 110, 112]],
    figures: [[60, 90, 95], [80, 70, 90]],
    gallery: [
      { alt_ar: "صالة دار الجمال", alt_en: "Inside Dar Al Jamal" },
      { alt_ar: "مرايا التصفيف", alt_en: "Styling mirrors" },
      { alt_ar: "ركن الحناء", alt_en: "The henna corner" },
      { alt_ar: "غرفة العرائس", alt_en: "The bridal room" },
    ],
    staff: [
      "Sara Al-Dosari",
      "Hind Al-Zahrani",
      "Jawaher Al-Ghamdi",
      "Maha Baeshen",
      "Amal Al-Harthi",
    ],
  },
  {
    slug: "nokhba-dammam",
    palette: [[200, 200, 196], [110, 116, 122], [60, 64, 70], [70, 52, 40]],
    figures: [[40, 48, 58], [70, 60, 50]],
    gallery: [
      { alt_ar: "كراسي الحلاقة في النخبة", alt_en: "Barber chairs at Nokhba" },
      { alt_ar: "ركن العناية باللحية", alt_en: "The beard care station" },
      { alt_ar: "منطقة الانتظار", alt_en: "The waiting area" },
      { alt_ar: "أدوات الحلاقة", alt_en: "Grooming tools" },
    ],
    staff: [
      "Ahmed Al-Malki",
      "Fahad Al-Subaie",
      "Khaled Al-Anazi",
      "Omar Al-Shammari",
      "Yousef Al-Khalidi",
    ],
  },
  {
    slug: "ward-studio-riyadh",
    palette: [[246, 226, 232], [214, 160, 180], [190, 150, 160], [150, 110, 120]],
    figures: [[150, 80, 110], [110, 70, 100]],
    gallery: [
      { alt_ar: "استوديو ورد من الداخل", alt_en: "Inside Ward Studio" },
      { alt_ar: "ركن العناية بالبشرة", alt_en: "The skin care room" },
      { alt_ar: "مرايا المكياج", alt_en: "Makeup mirrors" },
      { alt_ar: "ركن الأظافر", alt_en: "The nail bar" },
    ],
    staff: ["Ghada Al-Rasheed", "Munira Al-Sahli", "Bashayer Al-Qarni", "Alanoud Al-Tamimi"],
  },
];

export interface DemoPhoto {
  /** Its folder under db/demo_photos/. */
  dir: string;
  width: number;
  height: number;
  variants: { file: string; width: number; height: number; format: OutputFormat }[];
  alt_ar?: string;
  alt_en?: string;
}

/** db/demo_photos/manifest.json: the rendered photos by salon slug and staff name. */
export interface DemoPhotoManifest {
  salons: Record<string, DemoPhoto[]>;
  staff: Record<string, DemoPhoto>;
  portfolios: Record<string, DemoPhoto[]>;
}

const DIR = new URL("./demo_photos/", import.meta.url);
const TYPES: Record<OutputFormat, string> = { webp: "image/webp", jpeg: "image/jpeg" };

type Target = { salonId: string; kind: "salon" | "portrait" | "portfolio"; staffId: string | null };

/**
 * Stores and lists the demo photos of the salons in `salonIds` (just seeded). Outside the seed's
 * transaction: storage may be the same database or S3.
 */
export async function seedDemoPhotos(
  db: Db,
  storage: PhotoStorage,
  salonIds: ReadonlyMap<string, string>,
  now: Date,
): Promise<number> {
  if (!salonIds.size) return 0;
  const manifest: DemoPhotoManifest = JSON.parse(
    await Deno.readTextFile(new URL("manifest.json", DIR)),
  );
  const jobs: { photo: DemoPhoto; target: Target; position: number }[] = [];
  for (const [slug, salonId] of salonIds) {
    (manifest.salons[slug] ?? []).forEach((photo, position) =>
      jobs.push({ photo, target: { salonId, kind: "salon", staffId: null }, position })
    );
    const staff = await db.query<{ id: string; name_en: string }>(
      "SELECT id, name_en FROM staff WHERE salon_id = $1",
      [salonId],
    );
    for (const { id, name_en } of staff) {
      const portrait = manifest.staff[name_en];
      if (portrait) {
        jobs.push({
          photo: portrait,
          target: { salonId, kind: "portrait", staffId: id },
          position: 0,
        });
      }
      (manifest.portfolios[name_en] ?? []).forEach((photo, position) =>
        jobs.push({ photo, target: { salonId, kind: "portfolio", staffId: id }, position })
      );
    }
  }
  for (const { photo, target, position } of jobs) {
    const id = crypto.randomUUID();
    const variants: PhotoVariant[] = [];
    for (const v of photo.variants) {
      const bytes = await Deno.readFile(new URL(`${photo.dir}/${v.file}`, DIR));
      const key = `${id}/${v.file}`;
      await storage.put(key, bytes, TYPES[v.format]);
      variants.push({
        key,
        width: v.width,
        height: v.height,
        format: v.format,
        bytes: bytes.length,
      });
    }
    await db.query(
      `INSERT INTO photos (id, salon_id, kind, staff_id, position, alt_ar, alt_en, width, height,
         variants, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      [
        id,
        target.salonId,
        target.kind,
        target.staffId,
        position,
        photo.alt_ar ?? "",
        photo.alt_en ?? "",
        photo.width,
        photo.height,
        variants,
        now,
      ],
    );
  }
  return jobs.length;
}
