import { createReview } from "@/services/reviews/write.ts";
import type { Tx } from "./types.ts";

/** Demo customers who have visited the salons (phones in the demo range, never real people). */
const CUSTOMERS = [
  { phone: "+966500000101", first: "Reem", last: "Al-Harbi", lang: "ar" },
  { phone: "+966500000102", first: "Sara", last: "Al-Qahtani", lang: "ar" },
  { phone: "+966500000103", first: "Laila", last: "Hassan", lang: "en" },
  { phone: "+966500000104", first: "Nouf", last: "Al-Shammari", lang: "ar" },
  { phone: "+966500000105", first: "Maryam", last: "Khan", lang: "en" },
  { phone: "+966500000106", first: "Amal", last: "Al-Dosari", lang: "ar" },
] as const;

/** [stars, Arabic text, English text] for past visits. */
const REVIEWS: readonly [number, string, string][] = [
  [
    5,
    "خدمة رائعة ودقيقة في الموعد، والنتيجة أجمل مما توقعت.",
    "Lovely service, right on time, and the result was better than I hoped.",
  ],
  [
    4,
    "المكان نظيف والموظفات لطيفات، انتظرت قليلًا فقط.",
    "Clean place and friendly staff; I only waited a few minutes.",
  ],
  [
    5,
    "أفضل صالون جربته في المدينة، سأعود بالتأكيد.",
    "The best salon I have tried in town. I will be back.",
  ],
  [3, "النتيجة جيدة لكن السعر مرتفع قليلًا.", "Good result, but a little pricey."],
  [5, "احترافية عالية واهتمام بالتفاصيل.", "Very professional and attentive to detail."],
  [4, "تجربة مريحة والحجز كان سهلًا جدًا.", "A relaxing visit, and booking was very easy."],
];

const DAY = 86_400_000;

/**
 * Past completed visits with their history, and a review for each through the reviews service,
 * so a salon's rating is always the recount of real reviews (never a number typed into the seed).
 */
export async function seedReviews(tx: Tx, salonId: string, now: Date): Promise<void> {
  for (const c of CUSTOMERS) {
    await tx.query(
      `INSERT INTO users (phone_number, first_name, last_name, preferred_language, is_phone_verified)
       VALUES ($1, $2, $3, $4, true) ON CONFLICT (phone_number) DO NOTHING`,
      [c.phone, c.first, c.last, c.lang],
    );
  }
  const customers = await tx.query<{ id: string; preferred_language: string }>(
    "SELECT id, preferred_language FROM users WHERE phone_number = ANY($1::text[]) ORDER BY phone_number",
    [CUSTOMERS.map((c) => c.phone)],
  );
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
  const hour = Math.floor(now.getTime() / 3_600_000) * 3_600_000;
  for (let i = 0; i < customers.length; i++) {
    const offer = offers[(i * 3) % offers.length];
    const customer = customers[i];
    // Every visit on its own day, mid-morning UTC (early afternoon in the Gulf).
    const startsAt = new Date(Math.floor((hour - (2 + i * 3) * DAY) / DAY) * DAY + 8 * 3_600_000);
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
    const [stars, ar, en] = REVIEWS[i % REVIEWS.length];
    await createReview(tx, {
      bookingId: booking.id,
      customerId: customer.id,
      rating: stars,
      text: customer.preferred_language === "ar" ? ar : en,
      now: new Date(endsAt.getTime() + 5 * 3_600_000),
    });
  }
}
