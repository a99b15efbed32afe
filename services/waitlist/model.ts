import type { Queryable } from "@/db/types.ts";
import { listSlots, listVisitSlots } from "@/services/slots/load.ts";

/** How long an offer keeps its time for the customers it went to. */
export const OFFER_MINUTES = 10;
/** How many customers (first on the list) one freed time is offered to at once. */
export const OFFER_FANOUT = 3;
/** The scan job looks at one salon at most this often. */
export const SCAN_INTERVAL_MS = 20_000;
/** Most services one waitlist wish may name (a visit). */
export const MAX_WISH_SERVICES = 5;

export type EntryStatus = "waiting" | "booked" | "left" | "expired";
export type OfferStatus = "open" | "taken" | "gone" | "expired";

export interface EntryRow {
  id: string;
  salon_id: string;
  customer_id: string;
  service_ids: string[];
  staff_id: string | null;
  day: string;
  from_minute: number;
  to_minute: number;
  status: EntryStatus;
  booking_id: string | null;
  created_at: Date;
  updated_at: Date;
}

export interface OfferRow {
  id: string;
  salon_id: string;
  entry_id: string;
  customer_id: string;
  token: string;
  starts_at: Date;
  status: OfferStatus;
  expires_at: Date;
  offered_by: "system" | "salon";
  booking_id: string | null;
  created_at: Date;
  updated_at: Date;
}

/** Entry columns (of table alias `a`) with `day` as text (YYYY-MM-DD) on both drivers. */
export function entryColumns(a = "waitlist_entries"): string {
  return `${a}.id, ${a}.salon_id, ${a}.customer_id, ${a}.service_ids, ${a}.staff_id,
    ${a}.day::text AS day, ${a}.from_minute, ${a}.to_minute, ${a}.status, ${a}.booking_id,
    ${a}.created_at, ${a}.updated_at`;
}

/** Minutes since local midnight of an instant in `timeZone`. */
export function localMinute(ms: number, timeZone: string): number {
  const z = Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO(timeZone);
  return z.hour * 60 + z.minute;
}

/** "HH:MM" → minutes since midnight ("24:00" allowed as an end), or null. */
export function parseClock(value: string): number | null {
  const m = /^([01]\d|2[0-4]):([0-5]\d)$/.exec(value);
  if (!m) return null;
  const minutes = Number(m[1]) * 60 + Number(m[2]);
  return minutes <= 1440 ? minutes : null;
}

/** Minutes since midnight → "HH:MM". */
export function clockOf(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${
    String(minutes % 60).padStart(2, "0")
  }`;
}

/**
 * The start times the wish could be booked at right now, in order, by the same slot rules booking
 * uses (hours, breaks, time off, bookings and live holds, notice): the day's starts inside the
 * wanted range.
 */
export async function freeStartsFor(
  db: Queryable,
  entry: Pick<
    EntryRow,
    "salon_id" | "service_ids" | "staff_id" | "day" | "from_minute" | "to_minute"
  >,
  now: Date,
): Promise<number[]> {
  const staff = entry.staff_id ?? "any";
  const common = { salonId: entry.salon_id, fromDate: entry.day, days: 1, now };
  let timeZone: string;
  let starts: number[];
  if (entry.service_ids.length === 1) {
    const r = await listSlots(db, { ...common, serviceId: entry.service_ids[0], staff });
    timeZone = r.timeZone;
    starts = r.days.flatMap((d) => d.date === entry.day ? d.slots.map((s) => s.startMs) : []);
  } else {
    const r = await listVisitSlots(db, {
      ...common,
      items: entry.service_ids.map((serviceId) => ({ serviceId, staff, guest: 0 })),
    });
    timeZone = r.timeZone;
    starts = r.days.flatMap((d) => d.date === entry.day ? d.slots.map((s) => s.startMs) : []);
  }
  return starts.filter((ms) => {
    const minute = localMinute(ms, timeZone);
    return minute >= entry.from_minute && minute < entry.to_minute;
  });
}
