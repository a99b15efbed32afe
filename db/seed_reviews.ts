import { createReview } from "@/services/reviews/write.ts";
import type { Tx } from "./types.ts";

interface Visit {
  phone: string;
  first: string;
  last: string;
  lang: "ar" | "en";
  /** The visit: days ago, and the local hour it started. */
  daysAgo: number;
  hour: number;
  stars: number;
  ar: string;
  en: string;
}

/**
 * Each salon's own regulars (demo phones, never real people), who fit whom the salon serves: a
 * ladies' salon is reviewed by women, the gentlemen's barber by men. Nobody visits two salons, so
 * nobody is in two cities at once; ratings differ because the visits did.
 */
const CLIENTELE: Record<string, Visit[]> = {
  "lamsa-riyadh": [
    v(
      "+966500000101",
      "Reem",
      "Al-Harbi",
      "ar",
      2,
      11,
      5,
      "قصة وصبغة بالضبط كما طلبت، ونورة دقيقة جدًا في المواعيد.",
      "Cut and colour exactly as I asked, and Noura is very punctual.",
    ),
    v(
      "+966500000102",
      "Sara",
      "Al-Qahtani",
      "ar",
      5,
      16,
      5,
      "جربت باقة العروس التجريبية قبل زواج أختي، النتيجة ثابتة طوال الليل.",
      "Tried the bridal trial before my sister's wedding; it lasted all night.",
    ),
    v(
      "+966500000103",
      "Laila",
      "Hassan",
      "en",
      8,
      13,
      4,
      "",
      "Lovely blow-dry and a calm room. I waited about ten minutes past my time.",
    ),
    v(
      "+966500000104",
      "Nouf",
      "Al-Shammari",
      "ar",
      12,
      18,
      5,
      "أفضل مكان للعناية بالبشرة في العليا، والحجز من الجوال سهل.",
      "The best facial in Al Olaya, and booking from my phone was easy.",
    ),
    v(
      "+966500000105",
      "Maryam",
      "Khan",
      "en",
      17,
      12,
      4,
      "",
      "Great balayage. A little pricey, but it was worth it.",
    ),
    v(
      "+966500000106",
      "Hessa",
      "Al-Otaibi",
      "ar",
      23,
      19,
      5,
      "مناكير ومساج يدين ممتاز، والأدوات معقمة أمامي.",
      "Excellent manicure and hand massage, tools sterilised in front of me.",
    ),
  ],
  "dar-al-jamal-jeddah": [
    v(
      "+966500000201",
      "Joud",
      "Al-Zahrani",
      "ar",
      3,
      15,
      4,
      "الحمام المغربي مريح جدًا، لكن غرفة الانتظار كانت مزدحمة.",
      "The Moroccan bath is very relaxing, but the waiting room was crowded.",
    ),
    v(
      "+966500000202",
      "Lama",
      "Al-Ghamdi",
      "ar",
      6,
      12,
      5,
      "الكيراتين غيّر شعري تمامًا، وشرحوا لي العناية بعده.",
      "The keratin changed my hair completely, and they explained the aftercare.",
    ),
    v(
      "+966500000203",
      "Aisha",
      "Siddiqui",
      "en",
      9,
      17,
      3,
      "",
      "Good lashes, but my appointment started 25 minutes late.",
    ),
    v(
      "+966500000204",
      "Dana",
      "Al-Harthi",
      "ar",
      14,
      20,
      4,
      "مكياج سهرة جميل وثابت، السعر مناسب لجدة.",
      "Beautiful evening make-up that lasted; fair price for Jeddah.",
    ),
    v(
      "+966500000205",
      "Rahaf",
      "Bakr",
      "ar",
      20,
      13,
      5,
      "جل الأظافر بقي أسبوعين بدون تقشر، شكرًا لسلمى.",
      "The gel nails lasted two weeks without chipping. Thank you, Salma.",
    ),
  ],
  "nokhba-dammam": [
    v(
      "+966500000301",
      "Faisal",
      "Al-Dosari",
      "ar",
      1,
      21,
      5,
      "أدق تحديد لحية جربته في الدمام، والحلاق يسمع وش تبي.",
      "The sharpest beard line-up in Dammam, and the barber listens.",
    ),
    v(
      "+966500000302",
      "Abdullah",
      "Al-Khaldi",
      "ar",
      4,
      18,
      5,
      "حلاقة بالموس والمنشفة الحارة، تجربة راقية وسريعة.",
      "Hot-towel straight-razor shave: classy and quick.",
    ),
    v(
      "+966500000303",
      "James",
      "Carter",
      "en",
      7,
      19,
      5,
      "",
      "Best fade I've had since moving to the Eastern Province.",
    ),
    v(
      "+966500000304",
      "Omar",
      "Al-Mutlaq",
      "ar",
      11,
      22,
      4,
      "قصة ممتازة، بس المواقف قليلة وقت الذروة.",
      "Great cut, but parking is scarce at peak time.",
    ),
    v(
      "+966500000305",
      "Yousef",
      "Al-Hajri",
      "ar",
      16,
      17,
      5,
      "أخذت ولدي معي وكانوا صبورين معه جدًا.",
      "Brought my son along and they were very patient with him.",
    ),
  ],
  "ward-studio-riyadh": [
    v(
      "+966500000401",
      "Amal",
      "Al-Dosari",
      "ar",
      2,
      20,
      4,
      "نقش حناء ناعم وجميل، تأخرت الجلسة قليلًا.",
      "Fine, pretty henna; the session ran a little late.",
    ),
    v(
      "+966500000402",
      "Ghada",
      "Al-Rashid",
      "ar",
      6,
      15,
      3,
      "الأكريليك جيد، لكن الشكل لم يكن مثل الصورة تمامًا.",
      "The acrylics are fine, but not quite like the picture.",
    ),
    v(
      "+966500000403",
      "Sarah",
      "Williams",
      "en",
      10,
      18,
      5,
      "",
      "Gorgeous gel manicure, and the studio is spotless.",
    ),
    v(
      "+966500000404",
      "Norah",
      "Al-Sahli",
      "ar",
      15,
      14,
      4,
      "رموش طبيعية ومريحة، والمكان هادئ.",
      "Natural, comfortable lashes, and a quiet studio.",
    ),
  ],
};

function v(
  phone: string,
  first: string,
  last: string,
  lang: "ar" | "en",
  daysAgo: number,
  hour: number,
  stars: number,
  ar: string,
  en: string,
): Visit {
  return { phone, first, last, lang, daysAgo, hour, stars, ar, en };
}

const DAY = 86_400_000;

/**
 * Past completed visits with their history, and a review for each through the reviews service,
 * so a salon's rating is always the recount of real reviews (never a number typed into the seed).
 */
export async function seedReviews(tx: Tx, salonId: string, now: Date): Promise<void> {
  const [salon] = await tx.query<{ slug: string; timezone: string }>(
    "SELECT slug, timezone FROM salons WHERE id = $1",
    [salonId],
  );
  const visits = CLIENTELE[salon?.slug ?? ""] ?? [];
  const offers = await tx.query<{
    service_id: string;
    staff_id: string;
    duration: number;
    price: number;
    buffer_before_minutes: number;
    buffer_after_minutes: number;
  }>(
    `SELECT v.id AS service_id, ss.staff_id,
            coalesce(ss.duration_minutes, v.duration_minutes) AS duration,
            coalesce(ss.price_halalas, v.price_halalas) AS price,
            v.buffer_before_minutes, v.buffer_after_minutes
     FROM services v JOIN staff_services ss ON ss.service_id = v.id
     WHERE v.salon_id = $1 AND v.active ORDER BY v.sort_order, ss.staff_id`,
    [salonId],
  );
  if (offers.length === 0) return;
  const today = Temporal.Instant.fromEpochMilliseconds(now.getTime())
    .toZonedDateTimeISO(salon.timezone).toPlainDate();
  for (let i = 0; i < visits.length; i++) {
    const visit = visits[i];
    const [customer] = await tx.query<{ id: string }>(
      `INSERT INTO users (phone_number, first_name, last_name, preferred_language, is_phone_verified)
       VALUES ($1, $2, $3, $4, true)
       ON CONFLICT (phone_number) DO UPDATE SET phone_number = EXCLUDED.phone_number
       RETURNING id`,
      [visit.phone, visit.first, visit.last, visit.lang],
    );
    const offer = offers[(i * 3) % offers.length];
    // Each visit on its own day, at an hour the salon is open, in the salon's own zone.
    const startsAt = new Date(
      today.subtract({ days: visit.daysAgo }).toZonedDateTime({
        timeZone: salon.timezone,
        plainTime: Temporal.PlainTime.from({ hour: visit.hour }),
      }).epochMilliseconds,
    );
    const endsAt = new Date(startsAt.getTime() + offer.duration * 60_000);
    const [booking] = await tx.query<{ id: string }>(
      `INSERT INTO bookings (salon_id, service_id, staff_id, customer_id, starts_at, ends_at,
         block_start, block_end, duration_minutes, buffer_before_minutes, buffer_after_minutes,
         status, price_halalas, payment_mode, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6,
         $5::timestamptz - make_interval(mins => $8), $6::timestamptz + make_interval(mins => $9),
         $7, $8, $9, 'completed', $10, 'at_salon', $11, $6)
       RETURNING id`,
      [
        salonId,
        offer.service_id,
        offer.staff_id,
        customer.id,
        startsAt,
        endsAt,
        offer.duration,
        offer.buffer_before_minutes,
        offer.buffer_after_minutes,
        offer.price,
        new Date(startsAt.getTime() - 2 * DAY),
      ],
    );
    await tx.query(
      `INSERT INTO booking_events (booking_id, at, actor_user_id, actor_role, kind, from_status, to_status)
       VALUES ($1, $2, $3, 'customer', 'created', NULL, 'confirmed'),
              ($1, $4, NULL, 'salon', 'status', 'confirmed', 'completed')`,
      [booking.id, new Date(startsAt.getTime() - 2 * DAY), customer.id, endsAt],
    );
    await createReview(tx, {
      bookingId: booking.id,
      customerId: customer.id,
      rating: visit.stars,
      text: visit.lang === "ar" ? visit.ar : visit.en,
      now: new Date(endsAt.getTime() + 5 * 3_600_000),
    });
  }
}
