import type { Queryable } from "@/db/types.ts";
import type { BookingDetails } from "./queries.ts";

/**
 * The booking's version for calendar apps: how many changes followed its creation (moves, status
 * changes) and when the last one was, from its history, so every instance serves the same.
 */
export async function icsVersion(
  db: Queryable,
  booking: Pick<BookingDetails, "id" | "created_at">,
): Promise<{ sequence: number; lastModified: Date }> {
  const [row] = await db.query<{ changes: number; last: Date | null }>(
    `SELECT count(*)::int - 1 AS changes, max(at) AS last FROM booking_events
     WHERE booking_id = $1`,
    [booking.id],
  );
  return { sequence: Math.max(0, row.changes), lastModified: row.last ?? booking.created_at };
}

/** A lapsed hold or a cancellation frees the time: calendars remove the event. */
const STATUS: Record<BookingDetails["status"], string> = {
  pending: "TENTATIVE",
  confirmed: "CONFIRMED",
  completed: "CONFIRMED",
  no_show: "CONFIRMED",
  cancelled: "CANCELLED",
  expired: "CANCELLED",
};

function stamp(date: Date): string {
  return date.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
}

/** RFC 5545 text escaping. */
function text(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/;/g, "\\;").replace(/,/g, "\\,").replace(
    /\r?\n/g,
    "\\n",
  );
}

/** Lines longer than 75 octets are folded (RFC 5545 §3.1). */
function fold(line: string): string {
  const bytes = new TextEncoder().encode(line);
  if (bytes.length <= 75) return line;
  const parts: string[] = [];
  let current = "";
  for (const ch of line) {
    if (new TextEncoder().encode(current + ch).length > (parts.length ? 74 : 75)) {
      parts.push(current);
      current = "";
    }
    current += ch;
  }
  parts.push(current);
  return parts.join("\r\n ");
}

/**
 * An iCalendar file for one booking. Times are UTC instants (`…Z`), which every calendar shows
 * correctly in its own zone; the salon's zone is named in the description. A reminder fires 2 h before.
 *
 * A visit of several services is one event, from its first service's start to its last one's end,
 * with every service, staff member and time (and each guest's) in the description: the customer
 * makes one trip to the salon (or opens the door once), one entry moves and cancels as one with
 * the booking's UID and SEQUENCE, and several events per guest would crowd the customer's own
 * calendar with times that are not theirs. A home visit's location is the customer's address.
 */
export function bookingIcs(
  b: BookingDetails,
  opts: {
    locale: "ar" | "en";
    url: string;
    now: Date;
    zoneLabel: string;
    /** The booking's changes since it was made (moves, status changes): calendars keep the highest. */
    sequence: number;
    lastModified: Date;
  },
): string {
  const ar = opts.locale === "ar";
  const services = [
    ...new Set(
      (b.items ?? []).filter((i) => i.status === "active").map((i) =>
        ar ? i.service_name_ar : i.service_name_en
      ),
    ),
  ];
  const summary = `${
    services.length > 1 ? services.join(" + ") : ar ? b.service_name_ar : b.service_name_en
  } · ${ar ? b.salon_name_ar : b.salon_name_en}`;
  const location = b.location === "home" && b.home_address
    ? [b.home_address, b.home_district_name].filter(Boolean).join(", ")
    : ar
    ? b.salon_address_ar
    : b.salon_address_en;
  const active = (b.items ?? []).filter((i) => i.status === "active");
  const time = (d: Date) =>
    d.toLocaleTimeString(ar ? "ar-SA-u-nu-latn" : "en-GB", {
      timeZone: b.salon_timezone,
      hour: "2-digit",
      minute: "2-digit",
    });
  const staff = active.length > 1 || active.some((i) => i.guest > 0)
    ? active.map((i) => {
      const what = `${ar ? i.service_name_ar : i.service_name_en} (${
        ar ? i.staff_name_ar : i.staff_name_en
      }) ${time(i.starts_at)}–${time(i.ends_at)}`;
      return i.guest_name ? `${i.guest_name}: ${what}` : what;
    }).join("\n")
    : ar
    ? b.staff_name_ar
    : b.staff_name_en;
  const lines = [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//Salon//Bookings//EN",
    "CALSCALE:GREGORIAN",
    "METHOD:PUBLISH",
    "BEGIN:VEVENT",
    `UID:booking-${b.id}@salon`,
    `DTSTAMP:${stamp(opts.now)}`,
    `SEQUENCE:${opts.sequence}`,
    `LAST-MODIFIED:${stamp(opts.lastModified)}`,
    `DTSTART:${stamp(b.starts_at)}`,
    `DTEND:${stamp(b.ends_at)}`,
    `SUMMARY:${text(summary)}`,
    `LOCATION:${text(location)}`,
    `DESCRIPTION:${text(`${staff}\n${opts.zoneLabel}\n${opts.url}`)}`,
    `URL:${opts.url}`,
    `STATUS:${STATUS[b.status]}`,
    ...(b.salon_latitude !== null && b.salon_longitude !== null
      ? [`GEO:${b.salon_latitude};${b.salon_longitude}`]
      : []),
    "BEGIN:VALARM",
    "ACTION:DISPLAY",
    "TRIGGER:-PT2H",
    `DESCRIPTION:${text(summary)}`,
    "END:VALARM",
    "END:VEVENT",
    "END:VCALENDAR",
  ];
  return lines.map(fold).join("\r\n") + "\r\n";
}
