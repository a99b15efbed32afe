import type { Tx } from "@/db/types.ts";
import type { Locale } from "@/i18n/mod.ts";
import { CHANNEL_FOR, enqueueMessage } from "@/services/messages/enqueue.ts";
import type { OfferRow } from "./model.ts";

/**
 * Queues the offer's message ("a time freed up", with its link) or, when someone else took the
 * time, the "it is gone" message, in the caller's transaction, in the customer's language.
 * Idempotent per offer and kind.
 */
export async function notifyOffer(
  tx: Tx,
  offer: OfferRow,
  kind: "offer" | "gone",
  now: Date,
): Promise<void> {
  const [row] = await tx.query<{
    phone_number: string;
    preferred_language: Locale;
    timezone: string;
    salon_ar: string;
    salon_en: string;
    service_ar: string;
    service_en: string;
    staff_ar: string | null;
    staff_en: string | null;
  }>(
    `SELECT u.phone_number, u.preferred_language, s.timezone, s.name_ar AS salon_ar,
       s.name_en AS salon_en,
       (SELECT string_agg(sv.name_ar, ' + ' ORDER BY array_position(e.service_ids, sv.id))
        FROM services sv WHERE sv.id = ANY(e.service_ids)) AS service_ar,
       (SELECT string_agg(sv.name_en, ' + ' ORDER BY array_position(e.service_ids, sv.id))
        FROM services sv WHERE sv.id = ANY(e.service_ids)) AS service_en,
       st.name_ar AS staff_ar, st.name_en AS staff_en
     FROM waitlist_entries e
     JOIN users u ON u.id = e.customer_id AND u.is_active
     JOIN salons s ON s.id = e.salon_id
     LEFT JOIN staff st ON st.id = e.staff_id
     WHERE e.id = $1`,
    [offer.entry_id],
  );
  if (!row) return;
  const locale: Locale = row.preferred_language === "en" ? "en" : "ar";
  const ar = locale === "ar";
  const channel = CHANNEL_FOR.customer;
  await enqueueMessage(tx, {
    dedupeKey: `waitlist:${offer.id}:${kind}:${offer.customer_id}:${channel}`,
    kind: "event",
    bookingId: null,
    event: kind === "offer" ? "waitlist_offer" : "waitlist_gone",
    recipient: { userId: offer.customer_id, role: "customer", phone: row.phone_number, locale },
    channel,
    template: kind === "offer" ? "msg.customer.waitlistOffer" : "msg.customer.waitlistGone",
    params: {
      salon: ar ? row.salon_ar : row.salon_en,
      service: (ar ? row.service_ar : row.service_en) ?? "",
      staff: (ar ? row.staff_ar : row.staff_en) ?? "",
      startsAt: offer.starts_at.toISOString(),
      timeZone: row.timezone,
      linkPath: kind === "offer" ? `/waitlist/offers/${offer.token}` : "",
    },
    runAt: now,
    now,
  });
}
