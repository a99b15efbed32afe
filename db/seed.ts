import type { Db, Tx } from "./types.ts";
import { seedInvoices } from "./seed_invoices.ts";
import { seedReviews } from "./seed_reviews.ts";
import { seedDemoPhotos } from "./seed_photos.ts";
import { databaseStorage, type PhotoStorage } from "@/services/photos/storage.ts";

/** The demo manager's phone (README: "Logging in on a development machine"). */
export const DEMO_MANAGER_PHONE = "+966500000001";

/** True when the database has no salons yet (a fresh install). */
export async function isEmpty(db: Db): Promise<boolean> {
  const [row] = await db.query<{ present: boolean }>(
    "SELECT to_regclass('public.salons') IS NOT NULL AS present",
  );
  if (!row.present) return true;
  const [count] = await db.query<{ n: number }>("SELECT count(*) AS n FROM salons");
  return count.n === 0;
}

// ---------------------------------------------------------------------------------------------
// Demo data, written compactly: hours are "sat-thu 10:00-22:00; fri 16:00-23:00" (ISO weekdays,
// ranges wrap through the week, times past midnight spill into the next day).
// ---------------------------------------------------------------------------------------------

interface SeedService {
  key: string;
  category: string;
  ar: string;
  en: string;
  minutes: number;
  sar: number;
  before?: number;
  after?: number;
}

interface SeedStaff {
  ar: string;
  en: string;
  titleAr: string;
  titleEn: string;
  /** Service keys; `key:minutes` or `key:minutes:sar` overrides duration and price. */
  services: string[];
  /** Custom weekly hours; omitted = the salon's hours. */
  hours?: string;
}

interface SeedSalon {
  slug: string;
  ar: string;
  en: string;
  descriptionAr: string;
  descriptionEn: string;
  city: [string, string, string];
  district: [string, string];
  /** Whom it serves; its staff members' stated gender follows from it. */
  audience: ("ladies" | "gents" | "children")[];
  staffGender: "female" | "male";
  address: [string, string];
  lat: number;
  lng: number;
  phone: string;
  whatsapp: string;
  paymentMode: "at_salon" | "deposit" | "full";
  depositPercent?: number;
  hours: string;
  breaks?: { weekday: number | null; from: string; to: string; ar: string; en: string }[];
  services: SeedService[];
  staff: SeedStaff[];
  /** Services offered at the customer's home, in these districts, with travel and a surcharge. */
  home?: {
    services: string[];
    travelMinutes: number;
    surchargeSar: number;
    /** [key, Arabic, English]. */
    districts: [string, string, string][];
  };
}

const RIYADH: [string, string, string] = ["riyadh", "الرياض", "Riyadh"];
const JEDDAH: [string, string, string] = ["jeddah", "جدة", "Jeddah"];
const DAMMAM: [string, string, string] = ["dammam", "الدمام", "Dammam"];

const SALONS: SeedSalon[] = [
  {
    slug: "lamsa-riyadh",
    ar: "صالون لمسة",
    en: "Lamsa Salon",
    descriptionAr:
      "صالون نسائي في قلب العليا منذ ٢٠١٢: قص وصبغات عصرية، عناية بالبشرة والأظافر، وباقات متكاملة للعرائس بأيدي خبيرات سعوديات.",
    descriptionEn:
      "A ladies' salon in the heart of Al Olaya since 2012: modern cuts and colour, skin and nail care, and complete bridal packages by Saudi specialists.",
    city: RIYADH,
    district: ["العليا", "Al Olaya"],
    audience: ["ladies"],
    staffGender: "female",
    address: ["طريق العليا العام، مبنى ٤٢، الدور الأول", "Olaya Main Road, Building 42, 1st floor"],
    lat: 24.6907,
    lng: 46.6856,
    phone: "+966112345601",
    whatsapp: "+966550000101",
    paymentMode: "deposit",
    depositPercent: 20,
    hours: "sat-thu 10:00-22:00; fri 16:00-23:00",
    services: [
      {
        key: "cut",
        category: "hair",
        ar: "قص وتشذيب الشعر",
        en: "Haircut and trim",
        minutes: 45,
        sar: 120,
      },
      { key: "blow", category: "hair", ar: "استشوار", en: "Blow-dry", minutes: 45, sar: 90 },
      {
        key: "colour",
        category: "color",
        ar: "صبغة كاملة",
        en: "Full hair colour",
        minutes: 120,
        sar: 450,
        after: 15,
      },
      {
        key: "highlights",
        category: "color",
        ar: "هايلايت",
        en: "Highlights",
        minutes: 150,
        sar: 650,
        after: 15,
      },
      { key: "mani", category: "nails", ar: "مناكير", en: "Manicure", minutes: 45, sar: 80 },
      { key: "pedi", category: "nails", ar: "باديكير", en: "Pedicure", minutes: 60, sar: 110 },
      {
        key: "facial",
        category: "skin",
        ar: "تنظيف بشرة عميق",
        en: "Deep-cleansing facial",
        minutes: 60,
        sar: 250,
        after: 10,
      },
      {
        key: "makeup",
        category: "makeup",
        ar: "مكياج سهرة",
        en: "Evening makeup",
        minutes: 60,
        sar: 350,
      },
      {
        key: "henna",
        category: "henna",
        ar: "نقش حناء",
        en: "Henna design",
        minutes: 60,
        sar: 150,
      },
      {
        key: "bridal",
        category: "bridal",
        ar: "باقة العروس",
        en: "Bridal package",
        minutes: 240,
        sar: 2500,
        before: 30,
      },
    ],
    staff: [
      {
        ar: "نورة القحطاني",
        en: "Noura Al-Qahtani",
        titleAr: "خبيرة شعر أولى",
        titleEn: "Senior hair stylist",
        services: ["cut", "blow", "colour", "highlights", "bridal"],
        hours: "sat-wed 10:00-18:00",
      },
      {
        ar: "ريم العتيبي",
        en: "Reem Al-Otaibi",
        titleAr: "خبيرة مكياج",
        titleEn: "Makeup artist",
        services: ["makeup", "bridal:270:2800", "blow", "mani:40"],
        hours: "sun-thu 14:00-22:00; fri 16:00-23:00",
      },
      {
        ar: "لمى الشهري",
        en: "Lama Al-Shehri",
        titleAr: "أخصائية أظافر وحناء",
        titleEn: "Nail and henna artist",
        services: ["mani", "pedi", "henna", "facial"],
        hours: "sat-mon 10:00-22:00; wed-thu 10:00-22:00; fri 16:00-23:00",
      },
      {
        ar: "دانة الحربي",
        en: "Dana Al-Harbi",
        titleAr: "خبيرة بشرة",
        titleEn: "Skin therapist",
        services: ["facial", "pedi", "mani"],
        hours: "mon-sat 12:00-20:00",
      },
      {
        ar: "سارة الدوسري",
        en: "Sara Al-Dosari",
        titleAr: "مصففة شعر",
        titleEn: "Hair stylist",
        services: ["cut", "blow", "colour:135", "henna"],
        hours: "sat-thu 10:00-16:00",
      },
    ],
  },
  {
    slug: "dar-al-jamal-jeddah",
    ar: "دار الجمال",
    en: "Dar Al Jamal Beauty Lounge",
    descriptionAr:
      "صالة تجميل هادئة في حي الروضة: حمام مغربي، علاجات الكيراتين، رموش وأظافر جل، وتجهيز المناسبات.",
    descriptionEn:
      "A calm beauty lounge in Al Rawdah: Moroccan bath, keratin treatments, lashes and gel nails, and make-up for every occasion.",
    city: JEDDAH,
    district: ["الروضة", "Al Rawdah"],
    audience: ["ladies", "children"],
    staffGender: "female",
    address: ["شارع الأمير سلطان، مجمع الروضة بلازا", "Prince Sultan Street, Al Rawdah Plaza"],
    lat: 21.569,
    lng: 39.153,
    phone: "+966122345602",
    whatsapp: "+966550000202",
    paymentMode: "full",
    hours: "sat-thu 11:00-23:00; fri 17:00-23:30",
    breaks: [{ weekday: null, from: "18:00", to: "18:30", ar: "صلاة المغرب", en: "Maghrib prayer" }],
    services: [
      { key: "cut", category: "hair", ar: "قص الشعر", en: "Haircut", minutes: 60, sar: 150 },
      {
        key: "keratin",
        category: "hair",
        ar: "علاج الكيراتين",
        en: "Keratin treatment",
        minutes: 180,
        sar: 900,
        after: 15,
      },
      {
        key: "bath",
        category: "massage",
        ar: "حمام مغربي",
        en: "Moroccan bath",
        minutes: 90,
        sar: 300,
        after: 15,
      },
      { key: "gel", category: "nails", ar: "مناكير جل", en: "Gel manicure", minutes: 60, sar: 140 },
      {
        key: "lashes",
        category: "makeup",
        ar: "تركيب رموش",
        en: "Lash extensions",
        minutes: 45,
        sar: 120,
      },
      {
        key: "party",
        category: "makeup",
        ar: "مكياج مناسبات",
        en: "Party makeup",
        minutes: 75,
        sar: 400,
      },
      {
        key: "hydra",
        category: "skin",
        ar: "هيدرافيشل",
        en: "HydraFacial",
        minutes: 60,
        sar: 450,
        after: 10,
      },
      {
        key: "wax",
        category: "skin",
        ar: "إزالة الشعر بالشمع",
        en: "Waxing",
        minutes: 30,
        sar: 90,
      },
      {
        key: "bridehenna",
        category: "henna",
        ar: "حناء العروس",
        en: "Bridal henna",
        minutes: 120,
        sar: 600,
      },
    ],
    staff: [
      {
        ar: "هند الزهراني",
        en: "Hind Al-Zahrani",
        titleAr: "خبيرة شعر",
        titleEn: "Hair specialist",
        services: ["cut", "keratin", "bath"],
        hours: "sat-wed 11:00-19:00",
      },
      {
        ar: "جواهر الغامدي",
        en: "Jawaher Al-Ghamdi",
        titleAr: "خبيرة مكياج ورموش",
        titleEn: "Makeup and lash artist",
        services: ["lashes", "party", "bridehenna:150"],
        hours: "sun-thu 15:00-23:00; fri 17:00-23:30",
      },
      {
        ar: "مها باعشن",
        en: "Maha Baeshen",
        titleAr: "أخصائية بشرة",
        titleEn: "Skin specialist",
        services: ["hydra", "wax", "bath"],
        hours: "sat-tue 11:00-23:00; thu 11:00-23:00",
      },
      {
        ar: "أمل الحارثي",
        en: "Amal Al-Harthi",
        titleAr: "أخصائية أظافر",
        titleEn: "Nail technician",
        services: ["gel", "wax", "lashes:50"],
        hours: "mon-sat 13:00-21:00",
      },
    ],
  },
  {
    slug: "nokhba-dammam",
    ar: "نخبة للحلاقة الرجالية",
    en: "Nokhba Men's Grooming",
    descriptionAr:
      "صالون حلاقة رجالي في الفيصلية: قصات كلاسيكية وعصرية، تحديد اللحية، حلاقة بالموس والمنشفة الساخنة، وعناية بالبشرة.",
    descriptionEn:
      "A gentlemen's barber in Al Faisaliyah: classic and modern cuts, beard shaping, hot-towel shaves and skin care.",
    city: DAMMAM,
    district: ["الفيصلية", "Al Faisaliyah"],
    audience: ["gents", "children"],
    staffGender: "male",
    address: [
      "شارع الملك سعود، بجوار مسجد الفيصلية",
      "King Saud Street, next to Al Faisaliyah Mosque",
    ],
    lat: 26.4282,
    lng: 50.0889,
    phone: "+966132345603",
    whatsapp: "+966550000303",
    paymentMode: "at_salon",
    // A split shift, open past midnight on Thursday night.
    hours:
      "sat-wed 09:00-13:00; sat-wed 16:00-24:00; thu 09:00-13:00; thu 16:00-01:00; fri 16:00-24:00",
    services: [
      { key: "cut", category: "barber", ar: "قص شعر", en: "Haircut", minutes: 30, sar: 50 },
      {
        key: "beard",
        category: "barber",
        ar: "تحديد اللحية",
        en: "Beard shaping",
        minutes: 20,
        sar: 30,
      },
      {
        key: "combo",
        category: "barber",
        ar: "قص شعر مع اللحية",
        en: "Haircut and beard",
        minutes: 45,
        sar: 70,
      },
      {
        key: "kids",
        category: "barber",
        ar: "قص شعر أطفال",
        en: "Kids' haircut",
        minutes: 30,
        sar: 35,
      },
      {
        key: "shave",
        category: "barber",
        ar: "حلاقة بالموس والمنشفة الساخنة",
        en: "Hot-towel shave",
        minutes: 30,
        sar: 45,
      },
      {
        key: "dye",
        category: "color",
        ar: "صبغة شعر أو لحية",
        en: "Hair or beard colour",
        minutes: 45,
        sar: 80,
        after: 10,
      },
      {
        key: "facial",
        category: "skin",
        ar: "تنظيف بشرة للرجال",
        en: "Men's facial",
        minutes: 45,
        sar: 120,
      },
      {
        key: "massage",
        category: "massage",
        ar: "مساج الرأس والكتفين",
        en: "Head and shoulder massage",
        minutes: 30,
        sar: 90,
      },
      {
        key: "protein",
        category: "hair",
        ar: "حمام بروتين للشعر",
        en: "Protein hair treatment",
        minutes: 60,
        sar: 200,
      },
    ],
    staff: [
      {
        ar: "أحمد المالكي",
        en: "Ahmed Al-Malki",
        titleAr: "حلاق أول",
        titleEn: "Master barber",
        services: ["cut", "beard", "combo", "shave", "dye"],
        hours: "sat-wed 09:00-13:00; sat-wed 16:00-22:00",
      },
      {
        ar: "فهد السبيعي",
        en: "Fahad Al-Subaie",
        titleAr: "حلاق",
        titleEn: "Barber",
        services: ["cut", "beard", "combo", "kids"],
        hours: "sun-thu 16:00-24:00; thu 24:00-01:00; fri 16:00-24:00",
      },
      {
        ar: "خالد العنزي",
        en: "Khaled Al-Anazi",
        titleAr: "أخصائي عناية",
        titleEn: "Grooming specialist",
        services: ["facial", "massage", "protein", "shave:40"],
        hours: "sat-mon 12:00-13:00; sat-mon 16:00-23:00; wed-thu 16:00-23:00",
      },
      {
        ar: "عمر الشمري",
        en: "Omar Al-Shammari",
        titleAr: "حلاق",
        titleEn: "Barber",
        services: ["cut", "kids", "beard", "dye:50"],
        hours: "mon-fri 16:00-24:00",
      },
      {
        ar: "يوسف الخالدي",
        en: "Yousef Al-Khalidi",
        titleAr: "حلاق متدرب",
        titleEn: "Junior barber",
        services: ["cut:40:40", "kids", "beard"],
        hours: "sat-thu 09:00-13:00",
      },
    ],
  },
  {
    slug: "ward-studio-riyadh",
    ar: "استوديو ورد للأظافر والحناء",
    en: "Ward Nail and Henna Studio",
    descriptionAr:
      "استوديو صغير في الملقا متخصص في الأظافر والحناء والرموش، بمواعيد دقيقة وأدوات معقمة لكل عميلة.",
    descriptionEn:
      "A small studio in Al Malqa for nails, henna and lashes, on time and with sterilised tools for every client.",
    city: RIYADH,
    district: ["الملقا", "Al Malqa"],
    audience: ["ladies"],
    staffGender: "female",
    address: ["طريق أنس بن مالك، مركز الملقا التجاري", "Anas Ibn Malik Road, Al Malqa Centre"],
    lat: 24.81,
    lng: 46.611,
    phone: "+966112345604",
    whatsapp: "+966550000404",
    paymentMode: "at_salon",
    hours: "sat-thu 13:00-22:00",
    services: [
      { key: "gel", category: "nails", ar: "مناكير جل", en: "Gel manicure", minutes: 60, sar: 130 },
      {
        key: "acrylic",
        category: "nails",
        ar: "أظافر أكريليك",
        en: "Acrylic nails",
        minutes: 90,
        sar: 220,
      },
      {
        key: "pedi",
        category: "nails",
        ar: "باديكير سبا",
        en: "Spa pedicure",
        minutes: 60,
        sar: 120,
      },
      { key: "art", category: "nails", ar: "رسم على الأظافر", en: "Nail art", minutes: 30, sar: 60 },
      {
        key: "henna",
        category: "henna",
        ar: "نقش حناء لليدين",
        en: "Hand henna",
        minutes: 45,
        sar: 100,
      },
      {
        key: "hennafull",
        category: "henna",
        ar: "نقش حناء كامل",
        en: "Full henna (hands and feet)",
        minutes: 90,
        sar: 250,
      },
      {
        key: "lashes",
        category: "makeup",
        ar: "رفع الرموش",
        en: "Lash lift",
        minutes: 60,
        sar: 180,
      },
      {
        key: "brows",
        category: "makeup",
        ar: "تشقير الحواجب",
        en: "Brow tint",
        minutes: 20,
        sar: 50,
      },
      {
        key: "bridal",
        category: "makeup",
        ar: "مكياج عروس",
        en: "Bridal make-up",
        minutes: 120,
        sar: 900,
      },
    ],
    // Henna nights and brides are prepared at home: the studio's henna and make-up artists go
    // to the northern districts, 40 minutes each way, for SAR 100 more.
    home: {
      services: ["henna", "hennafull", "bridal"],
      travelMinutes: 40,
      surchargeSar: 100,
      districts: [
        ["al-malqa", "الملقا", "Al Malqa"],
        ["hittin", "حطين", "Hittin"],
        ["al-narjis", "النرجس", "Al Narjis"],
        ["al-yasmin", "الياسمين", "Al Yasmin"],
        ["al-sahafa", "الصحافة", "Al Sahafa"],
        ["al-aqiq", "العقيق", "Al Aqiq"],
        ["al-nakheel", "النخيل", "Al Nakheel"],
        ["al-wadi", "الوادي", "Al Wadi"],
        ["qurtubah", "قرطبة", "Qurtubah"],
      ],
    },
    staff: [
      {
        ar: "غادة الرشيد",
        en: "Ghada Al-Rasheed",
        titleAr: "أخصائية أظافر",
        titleEn: "Nail artist",
        services: ["gel", "acrylic", "art", "pedi"],
        hours: "sat-wed 13:00-22:00",
      },
      {
        ar: "منيرة السهلي",
        en: "Munira Al-Sahli",
        titleAr: "نقّاشة حناء",
        titleEn: "Henna artist",
        services: ["henna", "hennafull", "art"],
        hours: "sun-thu 16:00-22:00",
      },
      {
        ar: "بشاير القرني",
        en: "Bashayer Al-Qarni",
        titleAr: "أخصائية رموش وحواجب",
        titleEn: "Lash and brow artist",
        services: ["lashes", "brows", "gel:75", "bridal"],
        hours: "sat-mon 13:00-20:00; wed-thu 13:00-20:00",
      },
      {
        ar: "العنود التميمي",
        en: "Alanoud Al-Tamimi",
        titleAr: "أخصائية أظافر",
        titleEn: "Nail technician",
        services: ["gel", "pedi", "art", "brows"],
      },
    ],
  },
];

const WEEKDAYS: Record<string, number> = { mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6, sun: 7 };

function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(":").map(Number);
  return h * 60 + m;
}

/** "sat-thu 10:00-22:00; fri 16:00-01:00" → ISO weekday intervals (past midnight spills over). */
export function parseWeek(spec: string): { weekday: number; start: number; end: number }[] {
  const out: { weekday: number; start: number; end: number }[] = [];
  for (const part of spec.split(";").map((p) => p.trim()).filter(Boolean)) {
    const [days, times] = part.split(" ");
    const [from, to] = times.split("-").map(minutesOf);
    const [first, last = first] = days.split("-").map((d) => WEEKDAYS[d]);
    if (!first || !last) throw new Error(`bad days in ${JSON.stringify(part)}`);
    for (let d = first, n = 0; n < 7; d = d % 7 + 1, n++) {
      if (to > from) out.push({ weekday: d, start: from, end: to });
      else {
        if (from < 1440) out.push({ weekday: d, start: from, end: 1440 });
        if (to > 0) out.push({ weekday: d % 7 + 1, start: 0, end: to });
      }
      if (d === last) break;
    }
  }
  return out;
}

/** Epoch instant of a local date + minutes in a zone. */
function localInstant(date: Temporal.PlainDate, minute: number, timeZone: string): Date {
  const zdt = date.toPlainDateTime({ hour: 0 }).add({ minutes: minute }).toZonedDateTime(timeZone);
  return new Date(zdt.epochMilliseconds);
}

/** The first day of the next Eid (al-Fitr: 1 Shawwal, al-Adha: 10 Dhu al-Hijjah) on or after `from`. */
export function nextEid(from: Temporal.PlainDate): { date: Temporal.PlainDate; fitr: boolean } {
  const hijri = new Intl.DateTimeFormat("en-u-ca-islamic-umalqura-nu-latn", {
    timeZone: "UTC",
    month: "numeric",
    day: "numeric",
  });
  for (let i = 0; i < 400; i++) {
    const date = from.add({ days: i });
    const parts = hijri.formatToParts(new Date(`${date.toString()}T12:00:00Z`));
    const month = Number(parts.find((p) => p.type === "month")?.value);
    const day = Number(parts.find((p) => p.type === "day")?.value);
    if (month === 10 && day === 1) return { date, fitr: true };
    if (month === 12 && day === 10) return { date, fitr: false };
  }
  throw new Error("no Eid within 400 days");
}

async function insertRows(tx: Tx, table: string, rows: Record<string, unknown>[]): Promise<void> {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0]);
  // One statement per table: json_populate_recordset types every column from the table itself.
  await tx.query(
    `INSERT INTO ${table} (${columns.join(", ")})
     SELECT ${columns.join(", ")} FROM json_populate_recordset(NULL::${table}, $1::json)`,
    [rows],
  );
}

async function seedSalon(tx: Tx, s: SeedSalon, now: Date): Promise<string | null> {
  const [salon] = await tx.query<{ id: string; timezone: string }>(
    `INSERT INTO salons (slug, name_ar, name_en, description_ar, description_en, city, city_ar,
       city_en, district_ar, district_en, address_ar, address_en, latitude, longitude, phone,
       whatsapp, payment_mode, deposit_percent, audience)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18,
       $19::text[])
     ON CONFLICT (slug) DO NOTHING
     RETURNING id, timezone`,
    [
      s.slug,
      s.ar,
      s.en,
      s.descriptionAr,
      s.descriptionEn,
      ...s.city,
      ...s.district,
      ...s.address,
      s.lat,
      s.lng,
      s.phone,
      s.whatsapp,
      s.paymentMode,
      s.depositPercent ?? 0,
      s.audience,
    ],
  );
  if (!salon) return null;
  const salonId = salon.id;

  await insertRows(
    tx,
    "salon_hours",
    parseWeek(s.hours).map((h) => ({
      salon_id: salonId,
      weekday: h.weekday,
      start_minute: h.start,
      end_minute: h.end,
    })),
  );
  await insertRows(
    tx,
    "salon_breaks",
    (s.breaks ?? []).map((b) => ({
      salon_id: salonId,
      weekday: b.weekday,
      start_minute: minutesOf(b.from),
      end_minute: minutesOf(b.to),
      label_ar: b.ar,
      label_en: b.en,
    })),
  );

  const serviceIds = new Map<string, string>();
  for (const svc of s.services) serviceIds.set(svc.key, crypto.randomUUID());
  await insertRows(
    tx,
    "services",
    s.services.map((svc, i) => ({
      id: serviceIds.get(svc.key),
      salon_id: salonId,
      category: svc.category,
      name_ar: svc.ar,
      name_en: svc.en,
      duration_minutes: svc.minutes,
      price_halalas: svc.sar * 100,
      buffer_before_minutes: svc.before ?? 0,
      buffer_after_minutes: svc.after ?? 0,
      sort_order: (i + 1) * 10,
      at_home: s.home?.services.includes(svc.key) ?? false,
    })),
  );
  if (s.home) {
    await tx.query(
      "UPDATE salons SET home_travel_minutes = $2, home_surcharge_halalas = $3 WHERE id = $1",
      [salonId, s.home.travelMinutes, s.home.surchargeSar * 100],
    );
    await insertRows(
      tx,
      "salon_home_districts",
      s.home.districts.map(([key, ar, en]) => ({
        salon_id: salonId,
        key,
        name_ar: ar,
        name_en: en,
      })),
    );
  }

  const staffRows: Record<string, unknown>[] = [];
  const staffServices: Record<string, unknown>[] = [];
  const staffHours: Record<string, unknown>[] = [];
  s.staff.forEach((st, i) => {
    const id = crypto.randomUUID();
    staffRows.push({
      id,
      salon_id: salonId,
      name_ar: st.ar,
      name_en: st.en,
      title_ar: st.titleAr,
      title_en: st.titleEn,
      gender: s.staffGender,
      sort_order: (i + 1) * 10,
      custom_hours: st.hours !== undefined,
    });
    for (const spec of st.services) {
      const [key, minutes, sar] = spec.split(":");
      const serviceId = serviceIds.get(key);
      if (!serviceId) throw new Error(`${s.slug}: staff ${st.en} has unknown service ${key}`);
      staffServices.push({
        staff_id: id,
        service_id: serviceId,
        salon_id: salonId,
        duration_minutes: minutes ? Number(minutes) : null,
        price_halalas: sar ? Number(sar) * 100 : null,
      });
    }
    for (const h of st.hours ? parseWeek(st.hours) : []) {
      staffHours.push({
        staff_id: id,
        weekday: h.weekday,
        start_minute: h.start,
        end_minute: h.end,
      });
    }
  });
  await insertRows(tx, "staff", staffRows);
  await insertRows(tx, "staff_services", staffServices);
  await insertRows(tx, "staff_hours", staffHours);

  // Closures and time off relative to "now", so the demo always shows them.
  const tz = salon.timezone;
  const today = Temporal.Instant.fromEpochMilliseconds(now.getTime()).toZonedDateTimeISO(tz)
    .toPlainDate();
  const closures: Record<string, unknown>[] = [];
  if (s.slug === "lamsa-riyadh") {
    const eid = nextEid(today);
    closures.push({
      salon_id: salonId,
      starts_at: localInstant(eid.date, 0, tz),
      ends_at: localInstant(eid.date.add({ days: eid.fitr ? 3 : 4 }), 0, tz),
      reason_ar: eid.fitr ? "إجازة عيد الفطر المبارك" : "إجازة عيد الأضحى المبارك",
      reason_en: eid.fitr ? "Eid al-Fitr holiday" : "Eid al-Adha holiday",
    });
    await insertRows(tx, "staff_time_off", [{
      staff_id: staffRows[1].id,
      starts_at: localInstant(today.add({ days: 2 }), 14 * 60, tz),
      ends_at: localInstant(today.add({ days: 2 }), 18 * 60, tz),
      reason: "Training course",
    }]);
  }
  if (s.slug === "dar-al-jamal-jeddah") {
    closures.push({
      salon_id: salonId,
      starts_at: localInstant(today.add({ days: 5 }), 0, tz),
      ends_at: localInstant(today.add({ days: 7 }), 0, tz),
      reason_ar: "أعمال صيانة وتجديد",
      reason_en: "Maintenance and renovation",
    });
  }
  if (s.slug === "ward-studio-riyadh") {
    // Saudi National Day, 23 September.
    let day = Temporal.PlainDate.from({ year: today.year, month: 9, day: 23 });
    if (Temporal.PlainDate.compare(day, today) < 0) day = day.add({ years: 1 });
    closures.push({
      salon_id: salonId,
      starts_at: localInstant(day, 0, tz),
      ends_at: localInstant(day.add({ days: 1 }), 0, tz),
      reason_ar: "إجازة اليوم الوطني",
      reason_en: "Saudi National Day holiday",
    });
  }
  await insertRows(tx, "salon_closures", closures);
  return salonId;
}

/**
 * Fills the database with the demo salons (Riyadh, Jeddah, Dammam), their services, staff, hours,
 * breaks and closures, and the demo manager (+966500000001, manager of Lamsa Salon in Riyadh).
 * One transaction; salons whose slug already exists are left alone, so running it twice is safe.
 * Then the new salons' demo photos are stored and listed.
 */
export async function seedDemoData(
  db: Db,
  now: Date = new Date(),
  /** Where the demo photos go (db/seed_photos.ts); default: the database. */
  photos: PhotoStorage = databaseStorage(db),
): Promise<{ salons: number; photos: number }> {
  const seeded = await db.transaction(async (tx) => {
    let created = 0;
    const ids = new Map<string, string>();
    for (const salon of SALONS) {
      const id = await seedSalon(tx, salon, now);
      if (id) {
        created++;
        ids.set(salon.slug, id);
      }
    }
    await tx.query(
      `INSERT INTO users (phone_number, first_name, last_name, preferred_language,
         is_phone_verified)
       VALUES ($1, 'Huda', 'Al-Mutairi', 'ar', true)
       ON CONFLICT (phone_number) DO NOTHING`,
      [DEMO_MANAGER_PHONE],
    );
    await tx.query(
      `INSERT INTO salon_memberships (user_id, salon_id, role)
       SELECT u.id, s.id, 'manager' FROM users u, salons s
       WHERE u.phone_number = $1 AND s.slug = 'lamsa-riyadh'
       ON CONFLICT (user_id, salon_id) DO NOTHING`,
      [DEMO_MANAGER_PHONE],
    );
    // Ratings come only from reviews of completed visits (recounted by the reviews service).
    for (const id of ids.values()) await seedReviews(tx, id, now);
    // VAT-registered, with an invoice for each past completed visit (db/seed_invoices.ts).
    for (const [n, id] of [...ids.values()].entries()) await seedInvoices(tx, id, n);
    return { created, ids };
  });
  // After the commit: the photo storage may be this database or S3.
  const count = await seedDemoPhotos(db, photos, seeded.ids, now);
  return { salons: seeded.created, photos: count };
}
