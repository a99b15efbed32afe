import type { Locale } from "@/i18n/mod.ts";

export type Channel = "sms" | "whatsapp";
export const CHANNELS: readonly Channel[] = ["sms", "whatsapp"];

export type MessageStatus = "queued" | "sending" | "sent" | "failed" | "dead" | "cancelled";
export const MESSAGE_STATUSES: readonly MessageStatus[] = [
  "queued",
  "sending",
  "sent",
  "failed",
  "dead",
  "cancelled",
];

export type RecipientRole = "customer" | "staff" | "manager";

/** What happened to a booking; each causes messages to its customer, staff member and managers. */
export type BookingEventKind =
  | "created"
  | "confirmed"
  | "cancelled"
  | "rescheduled"
  | "expired"
  | "payment_received"
  | "refund_issued";

/** Events about a visit's documents (services/invoices/notify.ts), for the customer only. */
export type InvoiceEventKind = "invoice_issued" | "credit_note_issued";

export type ReminderKind = "24h" | "2h";

/** Who made the change (the booking service's Actor). */
export interface EventActor {
  userId: string | null;
  role: "customer" | "salon" | "system";
}

/**
 * Everything a template needs, snapshotted in the recipient's language when the message is
 * enqueued, so a message says what was true when it was caused.
 */
export interface MessageParams {
  salon: string;
  service: string;
  staff: string;
  /** The appointment start (ISO 8601 UTC) and the salon's IANA zone to show it in. */
  startsAt: string;
  timeZone: string;
  /** `/b/<code>`: joined to the public URL when rendered. */
  linkPath: string;
  /** Who cancelled (staff messages). */
  by?: EventActor["role"];
  /** Payment or refund amount in halalas. */
  amountHalalas?: number;
  /**
   * A visit of several services: each in order (for a staff member, only theirs), in the
   * recipient's language. Absent for one service.
   */
  items?: MessageItem[];
  /** A home visit's address, for the staff member going there. */
  homeAddress?: string;
  /** An invoice's or credit note's number (its page is `linkPath`). */
  documentNumber?: number;
  /** A credit note's invoice number. */
  invoiceNumber?: number;
  /** The amount includes VAT (a tax invoice or credit note of a VAT-registered salon). */
  inclVat?: boolean;
}

/** One service of a visit as a message lists it. */
export interface MessageItem {
  service: string;
  staff: string;
  /** A named guest's name; absent for the customer's own services. */
  guest?: string;
  startsAt: string;
  endsAt: string;
}

/** A row of the `messages` table. */
export interface MessageRow {
  id: string;
  dedupe_key: string;
  kind: "event" | "reminder";
  booking_id: string | null;
  event: string;
  recipient_user_id: string | null;
  recipient_role: RecipientRole;
  recipient_phone: string;
  channel: Channel;
  template: string;
  params: MessageParams;
  locale: Locale;
  body: string | null;
  status: MessageStatus;
  attempts: number;
  max_attempts: number;
  run_at: Date;
  locked_by: string | null;
  locked_until: Date | null;
  last_error: string | null;
  provider: string | null;
  provider_message_id: string | null;
  fallback_of: string | null;
  sent_at: Date | null;
  created_at: Date;
  updated_at: Date;
}
