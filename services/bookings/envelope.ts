import type { Tx } from "@/db/types.ts";
import type { BookingRow } from "./model.ts";

/**
 * Re-derives a booking row from its active items (all of them when none is active, so a cancelled
 * visit keeps its times): the envelope (earliest start, latest end, widest block), the lead item's
 * service, staff and buffers (the first by position), and the price as the sum of the items plus
 * the home-visit surcharge, if any.
 * Amounts due online (the deposit) are the caller's to re-derive.
 */
export async function refreshEnvelope(tx: Tx, bookingId: string): Promise<BookingRow> {
  const [row] = await tx.query<BookingRow>(
    `WITH counted AS (
       SELECT * FROM booking_items
       WHERE booking_id = $1
         AND (status = 'active' OR NOT EXISTS (
           SELECT 1 FROM booking_items WHERE booking_id = $1 AND status = 'active'))
     ), lead AS (
       SELECT service_id, staff_id, buffer_before_minutes, buffer_after_minutes
       FROM counted ORDER BY position LIMIT 1
     ), span AS (
       SELECT min(starts_at) AS s, max(ends_at) AS e, min(block_start) AS bs,
              max(block_end) AS be, sum(price_halalas) AS price
       FROM counted
     )
     UPDATE bookings b SET
       starts_at = span.s, ends_at = span.e, block_start = span.bs, block_end = span.be,
       duration_minutes = (extract(epoch FROM span.e - span.s) / 60)::integer,
       price_halalas = span.price + b.home_surcharge_halalas,
       service_id = lead.service_id, staff_id = lead.staff_id,
       buffer_before_minutes = lead.buffer_before_minutes,
       buffer_after_minutes = lead.buffer_after_minutes
     FROM span, lead
     WHERE b.id = $1
     RETURNING b.*`,
    [bookingId],
  );
  return row;
}
