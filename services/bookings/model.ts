/** A booking's lifecycle: only these moves are allowed; anything else is a 409. */
export const BOOKING_STATUSES = [
  "pending",
  "confirmed",
  "completed",
  "no_show",
  "cancelled",
  "expired",
] as const;
export type BookingStatus = typeof BOOKING_STATUSES[number];

export const ACTIVE_STATUSES: readonly BookingStatus[] = ["pending", "confirmed"];

export const TRANSITIONS: Readonly<Record<BookingStatus, readonly BookingStatus[]>> = {
  pending: ["confirmed", "cancelled", "expired"],
  confirmed: ["completed", "no_show", "cancelled"],
  completed: [],
  no_show: [],
  cancelled: [],
  // A payment that lands after the hold lapsed may re-secure a still-free slot (payments issue).
  expired: ["confirmed"],
};

/**
 * The status to show: a pending booking whose hold has lapsed is expired, even in the moment
 * before the expiry job has written it (that job runs every poll interval).
 */
export function shownStatus(
  b: Pick<BookingRow, "status" | "hold_expires_at">,
  now: Date,
): BookingStatus {
  const lapsed = b.status === "pending" && b.hold_expires_at !== null &&
    b.hold_expires_at.getTime() <= now.getTime();
  return lapsed ? "expired" : b.status;
}

export function canTransition(from: BookingStatus, to: BookingStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

/**
 * Why an online booking at a salon that asks for a deposit or prepayment is paid at the salon:
 * online payment was unavailable when it was made. Its `created` event records it
 * (`data.at_salon_reason`).
 */
export const PAY_AT_SALON_FALLBACK = "online_payment_unavailable";

/**
 * Why such a booking is paid at the salon instead: what it would ask online (a free service, or a
 * small deposit) is below the smallest amount a card payment can take, so a hold could never be
 * paid and would only block the time until it lapsed.
 */
export const PAY_AT_SALON_BELOW_MINIMUM = "amount_below_minimum";

export type ActorRole = "customer" | "salon" | "system";

export interface Actor {
  userId: string | null;
  role: ActorRole;
}

export interface BookingRow {
  id: string;
  salon_id: string;
  service_id: string;
  staff_id: string;
  customer_id: string | null;
  starts_at: Date;
  ends_at: Date;
  block_start: Date;
  block_end: Date;
  duration_minutes: number;
  buffer_before_minutes: number;
  buffer_after_minutes: number;
  status: BookingStatus;
  hold_expires_at: Date | null;
  price_halalas: number;
  deposit_halalas: number;
  payment_mode: "at_salon" | "deposit" | "full";
  cancellation_window_hours: number;
  source: "online" | "salon";
  cancelled_by: ActorRole | null;
  cancel_reason: string | null;
  created_at: Date;
  updated_at: Date;
  location: "salon" | "home";
  home_district_key: string | null;
  home_district_name: string | null;
  home_address: string | null;
  home_map_url: string | null;
  home_notes: string | null;
  home_surcharge_halalas: number;
}

/** The booking as the JSON API shows it. */
export function bookingJson(b: BookingRow) {
  return {
    id: b.id,
    salon_id: b.salon_id,
    service_id: b.service_id,
    staff_id: b.staff_id,
    customer_id: b.customer_id,
    start: b.starts_at.toISOString(),
    end: b.ends_at.toISOString(),
    duration_minutes: b.duration_minutes,
    status: b.status,
    hold_expires_at: b.hold_expires_at?.toISOString() ?? null,
    price_halalas: b.price_halalas,
    deposit_halalas: b.deposit_halalas,
    payment_mode: b.payment_mode,
    cancellation_window_hours: b.cancellation_window_hours,
    cancelled_by: b.cancelled_by,
    cancel_reason: b.cancel_reason,
    created_at: b.created_at.toISOString(),
    location: b.location,
    home: b.location === "home"
      ? {
        district: b.home_district_name,
        address: b.home_address,
        map_url: b.home_map_url,
        notes: b.home_notes,
        surcharge_halalas: b.home_surcharge_halalas,
      }
      : null,
  };
}
