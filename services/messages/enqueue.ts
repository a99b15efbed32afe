import type { Tx } from "@/db/types.ts";
import type { Locale } from "@/i18n/mod.ts";
import type { TemplateKey } from "./templates.ts";
import type {
  BookingEventKind,
  Channel,
  EventActor,
  MessageParams,
  RecipientRole,
  ReminderKind,
} from "./types.ts";

/** Attempts before a message is dead. WhatsApp gives up sooner: its fallback is an SMS. */
export const MAX_ATTEMPTS: Readonly<Record<Channel, number>> = { sms: 8, whatsapp: 3 };

/** Customers hear from us on WhatsApp first (SMS when that fails); staff and managers by SMS. */
export const CHANNEL_FOR: Readonly<Record<RecipientRole, Channel>> = {
  customer: "whatsapp",
  staff: "sms",
  manager: "sms",
};

export const REMINDER_OFFSETS_MS: Readonly<Record<ReminderKind, number>> = {
  "24h": 24 * 3_600_000,
  "2h": 2 * 3_600_000,
};

/** How long a move's message waits for a further move (or a cancellation) that replaces it. */
export const MOVE_SETTLE_MS = 60_000;

/** Booking statuses that still expect the customer (reminders are sent only for these). */
export const REMINDABLE_STATUSES = ["pending", "confirmed"] as const;

export interface EnqueueMessageInput {
  /** Unique per message: enqueueing the same key again does nothing (unless it was cancelled). */
  dedupeKey: string;
  kind: "event" | "reminder";
  bookingId: string | null;
  event: string;
  recipient: { userId: string | null; role: RecipientRole; phone: string; locale: Locale };
  channel: Channel;
  template: TemplateKey;
  params: MessageParams;
  /** When it is due; now for events, the future for reminders. */
  runAt: Date;
  now: Date;
  maxAttempts?: number;
  /** The WhatsApp message this SMS replaces. */
  fallbackOf?: string | null;
}

/**
 * Writes one message row in the caller's transaction (a rollback leaves nothing). Idempotent by
 * `dedupeKey`: a second call returns null and changes nothing, except that a cancelled message is
 * revived (queued again for the new `runAt`), so moving a reminder away and back works.
 */
export async function enqueueMessage(
  tx: Tx,
  input: EnqueueMessageInput,
): Promise<{ id: string } | null> {
  const [row] = await tx.query<{ id: string }>(
    `INSERT INTO messages (dedupe_key, kind, booking_id, event, recipient_user_id, recipient_role,
       recipient_phone, channel, template, params, locale, max_attempts, run_at, fallback_of,
       created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15)
     ON CONFLICT (dedupe_key) DO UPDATE SET
       status = 'queued', attempts = 0, run_at = EXCLUDED.run_at, params = EXCLUDED.params,
       locale = EXCLUDED.locale, recipient_phone = EXCLUDED.recipient_phone, body = NULL,
       last_error = NULL, locked_by = NULL, locked_until = NULL, updated_at = EXCLUDED.updated_at
     WHERE messages.status = 'cancelled'
     RETURNING id`,
    [
      input.dedupeKey,
      input.kind,
      input.bookingId,
      input.event,
      input.recipient.userId,
      input.recipient.role,
      input.recipient.phone,
      input.channel,
      input.template,
      input.params,
      input.recipient.locale,
      input.maxAttempts ?? MAX_ATTEMPTS[input.channel],
      input.runAt,
      input.fallbackOf ?? null,
      input.now,
    ],
  );
  return row ?? null;
}

const LINK_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

export function randomCode(): string {
  // 248 = 4 × 62: rejecting bytes at or above it keeps every character equally likely.
  let code = "";
  while (code.length < 8) {
    for (const byte of crypto.getRandomValues(new Uint8Array(16))) {
      if (byte < 248 && code.length < 8) code += LINK_ALPHABET[byte % 62];
    }
  }
  return code;
}

/** The booking's short link code (`/b/<code>`), created on first use in the caller's transaction. */
export async function bookingLinkCode(tx: Tx, bookingId: string): Promise<string> {
  for (let i = 0; i < 5; i++) {
    const [existing] = await tx.query<{ code: string }>(
      "SELECT code FROM booking_links WHERE booking_id = $1",
      [bookingId],
    );
    if (existing) return existing.code;
    // DO NOTHING covers both a concurrent insert for this booking and a (rare) code collision.
    await tx.query(
      "INSERT INTO booking_links (code, booking_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
      [randomCode(), bookingId],
    );
  }
  throw new Error(`could not create a short link for booking ${bookingId}`);
}

export interface BookingContext {
  id: string;
  salon_id: string;
  status: string;
  starts_at: Date;
  customer_id: string | null;
  staff_user_id: string | null;
  timezone: string;
  salon_ar: string;
  salon_en: string;
  service_ar: string;
  service_en: string;
  staff_ar: string;
  staff_en: string;
  home_address: string | null;
  /** The visit's active items in order (one for a one-service booking). */
  items: {
    service_ar: string;
    service_en: string;
    staff_ar: string;
    staff_en: string;
    staff_user_id: string | null;
    guest: string | null;
    starts_at: string;
    ends_at: string;
  }[];
}

/**
 * Reads what messages say about a booking: salon, lead service and staff, customer, start, status,
 * a home visit's address, and the visit's active items in order.
 */
async function loadBooking(tx: Tx, bookingId: string): Promise<BookingContext> {
  const [booking] = await tx.query<BookingContext>(
    `SELECT b.id, b.salon_id, b.status, b.starts_at, b.customer_id, st.user_id AS staff_user_id,
       s.timezone, s.name_ar AS salon_ar, s.name_en AS salon_en,
       sv.name_ar AS service_ar, sv.name_en AS service_en,
       st.name_ar AS staff_ar, st.name_en AS staff_en,
       CASE WHEN b.location = 'home'
         THEN concat_ws(', ', b.home_address, b.home_district_name) END AS home_address,
       (SELECT coalesce(json_agg(json_build_object(
           'service_ar', iv.name_ar, 'service_en', iv.name_en,
           'staff_ar', ist.name_ar, 'staff_en', ist.name_en, 'staff_user_id', ist.user_id,
           'guest', g.name, 'starts_at', i.starts_at, 'ends_at', i.ends_at)
           ORDER BY i.position), '[]'::json)
        FROM booking_items i
        JOIN services iv ON iv.id = i.service_id
        JOIN staff ist ON ist.id = i.staff_id
        LEFT JOIN booking_guests g ON g.booking_id = i.booking_id AND g.position = i.guest
        WHERE i.booking_id = b.id AND i.status = 'active') AS items
     FROM bookings b
     JOIN salons s ON s.id = b.salon_id
     JOIN services sv ON sv.id = b.service_id
     JOIN staff st ON st.id = b.staff_id
     WHERE b.id = $1`,
    [bookingId],
  );
  if (!booking) throw new Error(`messages: booking ${bookingId} not found`);
  return booking;
}

export interface Recipient {
  userId: string;
  role: RecipientRole;
  phone: string;
  locale: Locale;
}

async function loadRecipients(
  tx: Tx,
  wanted: { userId: string; role: RecipientRole }[],
): Promise<Recipient[]> {
  if (wanted.length === 0) return [];
  const users = await tx.query<{ id: string; phone_number: string; preferred_language: Locale }>(
    `SELECT id, phone_number, preferred_language FROM users WHERE id = ANY($1::uuid[]) AND is_active`,
    [wanted.map((w) => w.userId)],
  );
  const byId = new Map(users.map((u) => [u.id, u]));
  const seen = new Set<string>();
  const out: Recipient[] = [];
  for (const w of wanted) {
    const user = byId.get(w.userId);
    // One message per person per event, in the first role listed (customer, staff, manager).
    if (!user || seen.has(w.userId)) continue;
    seen.add(w.userId);
    out.push({
      userId: w.userId,
      role: w.role,
      phone: user.phone_number,
      locale: user.preferred_language === "en" ? "en" : "ar",
    });
  }
  return out;
}

function paramsFor(
  booking: BookingContext,
  recipient: { locale: Locale; role: RecipientRole; userId: string },
  linkCode: string,
  extra: Partial<MessageParams> = {},
): MessageParams {
  const ar = recipient.locale === "ar";
  // A staff member hears about their own services of a visit, from the earliest one's time.
  const own = recipient.role === "staff"
    ? booking.items.filter((i) => i.staff_user_id === recipient.userId)
    : booking.items;
  const items = own.length ? own : booking.items;
  const first = items.reduce<(typeof items)[number] | undefined>(
    (a, i) => (!a || Date.parse(i.starts_at) < Date.parse(a.starts_at) ? i : a),
    undefined,
  );
  return {
    salon: ar ? booking.salon_ar : booking.salon_en,
    service: ar ? booking.service_ar : booking.service_en,
    staff: ar ? booking.staff_ar : booking.staff_en,
    startsAt: first && recipient.role === "staff"
      ? new Date(first.starts_at).toISOString()
      : booking.starts_at.toISOString(),
    timeZone: booking.timezone,
    linkPath: `/b/${linkCode}`,
    ...(booking.items.length > 1
      ? {
        items: items.map((i) => ({
          service: ar ? i.service_ar : i.service_en,
          staff: ar ? i.staff_ar : i.staff_en,
          ...(i.guest ? { guest: i.guest } : {}),
          startsAt: new Date(i.starts_at).toISOString(),
          endsAt: new Date(i.ends_at).toISOString(),
        })),
      }
      : {}),
    ...(booking.home_address && recipient.role !== "customer"
      ? { homeAddress: booking.home_address }
      : {}),
    ...extra,
  };
}

const epoch = (d: Date) => String(Math.floor(d.getTime() / 1000));

function templateFor(
  role: RecipientRole,
  event: BookingEventKind,
  booking: BookingContext,
  actor: EventActor,
): TemplateKey | null {
  if (role === "manager") return event === "created" ? "msg.manager.created" : null;
  if (role === "staff") {
    // A hold that lapsed was never the staff member's appointment: nothing to tell them.
    const staff: Partial<Record<BookingEventKind, TemplateKey>> = {
      created: "msg.staff.created",
      confirmed: "msg.staff.confirmed",
      cancelled: "msg.staff.cancelled",
      rescheduled: "msg.staff.rescheduled",
      payment_received: "msg.staff.paymentReceived",
      refund_issued: "msg.staff.refundIssued",
    };
    return staff[event] ?? null;
  }
  switch (event) {
    case "created":
      // Confirmed on creation (e.g. pay at the salon): one "confirmed" message says it all.
      return booking.status === "confirmed" ? "msg.customer.confirmed" : "msg.customer.created";
    case "confirmed":
      return "msg.customer.confirmed";
    case "cancelled":
      return `msg.customer.cancelled.${actor.role}`;
    case "rescheduled":
      return "msg.customer.rescheduled";
    case "expired":
      return "msg.customer.expired";
    case "payment_received":
      return "msg.customer.paymentReceived";
    case "refund_issued":
      return "msg.customer.refundIssued";
  }
}

export interface BookingEventInput {
  bookingId: string;
  event: BookingEventKind;
  /** Who made the change; they get no copy of it unless they are the customer (a receipt). */
  actor?: EventActor;
  now: Date;
  /** Payment and refund amounts, in halalas. */
  amountHalalas?: number;
  /** Distinguishes repeated events of one kind (a payment or refund id); rescheduling uses the
   * new start time by default. */
  ref?: string;
}

/**
 * Queues the messages a booking change causes, in the caller's transaction, after the booking row
 * has been changed: the customer and the assigned staff member (if they have an account) for every
 * event, the salon's managers for a new booking, each in their preferred language. Also keeps the
 * reminders in step: created/confirmed schedule them, rescheduled moves them, cancelled removes
 * them. Idempotent: the same event for the same booking (and ref) queues nothing more.
 */
export async function enqueueBookingEvent(
  tx: Tx,
  input: BookingEventInput,
): Promise<{ messages: number; reminders: number }> {
  const actor: EventActor = input.actor ?? { userId: null, role: "system" };
  const booking = await loadBooking(tx, input.bookingId);
  const wanted: { userId: string; role: RecipientRole }[] = [];
  if (booking.customer_id) wanted.push({ userId: booking.customer_id, role: "customer" });
  // Everyone doing a service of the visit (the lead item's staff member first).
  const staffUsers = [booking.staff_user_id, ...booking.items.map((i) => i.staff_user_id)];
  for (const userId of new Set(staffUsers)) {
    if (userId) wanted.push({ userId, role: "staff" });
  }
  if (input.event === "created") {
    const managers = await tx.query<{ user_id: string }>(
      `SELECT user_id FROM salon_memberships WHERE salon_id = $1 AND role = 'manager'
       ORDER BY created_at, user_id`,
      [booking.salon_id],
    );
    for (const m of managers) wanted.push({ userId: m.user_id, role: "manager" });
  }
  const recipients = (await loadRecipients(tx, wanted)).filter((r) =>
    r.role === "customer" || r.userId !== actor.userId
  );
  const code = await bookingLinkCode(tx, booking.id);
  const ref = input.ref ?? (input.event === "rescheduled" ? epoch(booking.starts_at) : undefined);
  // Moves in a row make one message about where the booking ended up: a move waits a moment
  // before it is sent, and a later move or a cancellation replaces what is still waiting.
  if (input.event === "rescheduled" || input.event === "cancelled" || input.event === "expired") {
    await tx.query(
      `UPDATE messages SET status = 'cancelled', last_error = 'superseded', updated_at = $2
       WHERE booking_id = $1 AND kind = 'event' AND event = 'rescheduled'
         AND status IN ('queued', 'failed')`,
      [booking.id, input.now],
    );
  }
  const runAt = input.event === "rescheduled"
    ? new Date(input.now.getTime() + MOVE_SETTLE_MS)
    : input.now;
  let messages = 0;
  for (const r of recipients) {
    const template = templateFor(r.role, input.event, booking, actor);
    if (!template) continue;
    const channel = CHANNEL_FOR[r.role];
    const queued = await enqueueMessage(tx, {
      dedupeKey: ["booking", booking.id, input.event, ref, r.userId, channel]
        .filter((p) => p !== undefined).join(":"),
      kind: "event",
      bookingId: booking.id,
      event: input.event,
      recipient: r,
      channel,
      template,
      params: paramsFor(booking, r, code, {
        ...(input.event === "cancelled" ? { by: actor.role } : {}),
        ...(input.amountHalalas !== undefined ? { amountHalalas: input.amountHalalas } : {}),
      }),
      runAt,
      now: input.now,
    });
    if (queued) messages++;
  }
  let reminders = 0;
  if (input.event === "cancelled" || input.event === "expired") {
    await cancelReminders(tx, booking.id, input.now);
  } else if (input.event === "rescheduled") {
    await cancelReminders(tx, booking.id, input.now);
    reminders = await scheduleReminders(tx, booking.id, input.now);
  } else if (input.event === "created" || input.event === "confirmed") {
    reminders = await scheduleReminders(tx, booking.id, input.now);
  }
  return { messages, reminders };
}

/**
 * Queues the customer's reminders 24 h and 2 h before the booking's current start, in the caller's
 * transaction; a reminder whose time has already passed (a booking made inside that window) is
 * not queued. Keys carry the start time, so after a move the new reminders are new rows. Returns
 * how many were queued (0 when they already were).
 */
export async function scheduleReminders(tx: Tx, bookingId: string, now: Date): Promise<number> {
  const booking = await loadBooking(tx, bookingId);
  if (!(REMINDABLE_STATUSES as readonly string[]).includes(booking.status)) return 0;
  if (!booking.customer_id) return 0;
  const [customer] = await loadRecipients(tx, [{ userId: booking.customer_id, role: "customer" }]);
  if (!customer) return 0;
  const code = await bookingLinkCode(tx, booking.id);
  const channel = CHANNEL_FOR.customer;
  let queued = 0;
  for (const kind of ["24h", "2h"] as const) {
    const runAt = new Date(booking.starts_at.getTime() - REMINDER_OFFSETS_MS[kind]);
    if (runAt.getTime() <= now.getTime()) continue;
    const row = await enqueueMessage(tx, {
      dedupeKey: ["reminder", booking.id, kind, epoch(booking.starts_at), customer.userId, channel]
        .join(":"),
      kind: "reminder",
      bookingId: booking.id,
      event: `reminder_${kind}`,
      recipient: customer,
      channel,
      template: kind === "24h" ? "msg.customer.reminder24h" : "msg.customer.reminder2h",
      params: paramsFor(booking, customer, code),
      runAt,
      now,
    });
    if (row) queued++;
  }
  return queued;
}

/**
 * Cancels the booking's reminders that have not gone out yet, in the caller's transaction. One
 * being sent at this moment is not stopped; the worker re-checks the booking before sending a
 * reminder, so one for a cancelled, expired or moved booking is dropped there too.
 */
export async function cancelReminders(tx: Tx, bookingId: string, now?: Date): Promise<number> {
  const rows = await tx.query<{ id: string }>(
    `UPDATE messages SET status = 'cancelled', updated_at = COALESCE($2, now()),
       locked_by = NULL, locked_until = NULL
     WHERE booking_id = $1 AND kind = 'reminder' AND status IN ('queued', 'failed')
     RETURNING id`,
    [bookingId, now ?? null],
  );
  return rows.length;
}

/**
 * Every message a new booking queues, from what the caller already read (no query): the same
 * recipients, templates, parameters and keys as `enqueueBookingEvent(…, "created")` followed by
 * `scheduleReminders`. `recipients` are the active users among the customer, the visit's staff and
 * the salon's managers, in that order of precedence; booking creation writes them with
 * {@link enqueueMessages} in the statement batch that inserts the booking.
 */
export function createdBookingMessages(
  booking: BookingContext,
  users: ReadonlyMap<string, { phone: string; locale: Locale }>,
  managers: readonly string[],
  code: string,
  actor: EventActor,
  now: Date,
): EnqueueMessageInput[] {
  const wanted: { userId: string; role: RecipientRole }[] = [];
  if (booking.customer_id) wanted.push({ userId: booking.customer_id, role: "customer" });
  const staffUsers = [booking.staff_user_id, ...booking.items.map((i) => i.staff_user_id)];
  for (const userId of new Set(staffUsers)) if (userId) wanted.push({ userId, role: "staff" });
  for (const userId of managers) wanted.push({ userId, role: "manager" });
  const seen = new Set<string>();
  const recipients: Recipient[] = [];
  for (const w of wanted) {
    const user = users.get(w.userId);
    if (!user || seen.has(w.userId)) continue;
    seen.add(w.userId);
    recipients.push({ ...w, phone: user.phone, locale: user.locale });
  }
  const out: EnqueueMessageInput[] = [];
  for (const r of recipients) {
    if (r.role !== "customer" && r.userId === actor.userId) continue;
    const template = templateFor(r.role, "created", booking, actor);
    if (!template) continue;
    const channel = CHANNEL_FOR[r.role];
    out.push({
      dedupeKey: ["booking", booking.id, "created", r.userId, channel].join(":"),
      kind: "event",
      bookingId: booking.id,
      event: "created",
      recipient: r,
      channel,
      template,
      params: paramsFor(booking, r, code),
      runAt: now,
      now,
    });
  }
  const customer = recipients.find((r) => r.role === "customer");
  if (customer && (REMINDABLE_STATUSES as readonly string[]).includes(booking.status)) {
    for (const kind of ["24h", "2h"] as const) {
      const runAt = new Date(booking.starts_at.getTime() - REMINDER_OFFSETS_MS[kind]);
      if (runAt.getTime() <= now.getTime()) continue;
      const channel = CHANNEL_FOR.customer;
      out.push({
        dedupeKey: [
          "reminder",
          booking.id,
          kind,
          epoch(booking.starts_at),
          customer.userId,
          channel,
        ]
          .join(":"),
        kind: "reminder",
        bookingId: booking.id,
        event: `reminder_${kind}`,
        recipient: customer,
        channel,
        template: kind === "24h" ? "msg.customer.reminder24h" : "msg.customer.reminder2h",
        params: paramsFor(booking, customer, code),
        runAt,
        now,
      });
    }
  }
  return out;
}

/** Writes several message rows in one statement, with {@link enqueueMessage}'s rules. */
export async function enqueueMessages(
  tx: Tx,
  inputs: readonly EnqueueMessageInput[],
): Promise<number> {
  if (inputs.length === 0) return 0;
  const rows = await tx.query(
    `INSERT INTO messages (dedupe_key, kind, booking_id, event, recipient_user_id, recipient_role,
       recipient_phone, channel, template, params, locale, max_attempts, run_at, fallback_of,
       created_at, updated_at)
     SELECT m.dedupe_key, m.kind, m.booking_id, m.event, m.user_id, m.role, m.phone, m.channel,
       m.template, m.params, m.locale, m.max_attempts, m.run_at, m.fallback_of, m.now, m.now
     FROM json_to_recordset($1::json) AS m(dedupe_key text, kind text, booking_id uuid,
       event text, user_id uuid, role text, phone text, channel text, template text, params jsonb,
       locale text, max_attempts integer, run_at timestamptz, fallback_of uuid, now timestamptz)
     ON CONFLICT (dedupe_key) DO UPDATE SET
       status = 'queued', attempts = 0, run_at = EXCLUDED.run_at, params = EXCLUDED.params,
       locale = EXCLUDED.locale, recipient_phone = EXCLUDED.recipient_phone, body = NULL,
       last_error = NULL, locked_by = NULL, locked_until = NULL, updated_at = EXCLUDED.updated_at
     WHERE messages.status = 'cancelled'
     RETURNING id`,
    [inputs.map((m) => ({
      dedupe_key: m.dedupeKey,
      kind: m.kind,
      booking_id: m.bookingId,
      event: m.event,
      user_id: m.recipient.userId,
      role: m.recipient.role,
      phone: m.recipient.phone,
      channel: m.channel,
      template: m.template,
      params: m.params,
      locale: m.recipient.locale,
      max_attempts: m.maxAttempts ?? MAX_ATTEMPTS[m.channel],
      run_at: m.runAt.toISOString(),
      fallback_of: m.fallbackOf ?? null,
      now: m.now.toISOString(),
    }))],
  );
  return rows.length;
}
