import type { Queryable } from "@/db/types.ts";
import { NotFoundError } from "@/services/errors.ts";
import { PRIVACY_NOTICE_VERSION } from "./notice.ts";
import { tableExists } from "./redact.ts";

/**
 * Every column that references users(id), and the section of the export that carries the rows it
 * points from. tests/privacy_export_test.ts checks this list against the database's foreign keys,
 * so a new table that references a person cannot be forgotten here (or in deleteAccount).
 */
export const EXPORT_COVERAGE: ReadonlyArray<{ table: string; column: string; section: string }> = [
  { table: "privacy_consents", column: "user_id", section: "consents" },
  { table: "bookings", column: "customer_id", section: "bookings" },
  { table: "booking_events", column: "actor_user_id", section: "booking_actions" },
  { table: "idempotency_keys", column: "user_id", section: "booking_requests" },
  { table: "reviews", column: "customer_id", section: "reviews" },
  { table: "salon_clients", column: "user_id", section: "salon_client_records" },
  { table: "reviews", column: "hidden_by", section: "review_moderation" },
  { table: "reviews", column: "replied_by", section: "review_moderation" },
  { table: "review_events", column: "actor_user_id", section: "review_moderation" },
  { table: "messages", column: "recipient_user_id", section: "messages" },
  { table: "sessions", column: "user_id", section: "sessions" },
  { table: "otp_requests", column: "user_id", section: "login_codes" },
  { table: "salon_memberships", column: "user_id", section: "salon_memberships" },
  { table: "staff", column: "user_id", section: "staff_profiles" },
  // Payments (db/migrations/0006_payments.sql), when that migration is present.
  { table: "payments", column: "customer_id", section: "payments" },
  { table: "payment_events", column: "actor_user_id", section: "payment_actions" },
  { table: "payment_actions", column: "actor_user_id", section: "payment_actions" },
  // The dashboard's audit log (db/migrations/0008_dashboard.sql), when present.
  { table: "audit_log", column: "actor_user_id", section: "salon_actions" },
  // Photos uploaded through the dashboard (db/migrations/0017_photos.sql): the salon's, not the
  // person's; the export lists which they uploaded, and deletion forgets who did.
  { table: "photos", column: "uploaded_by", section: "photo_uploads" },
  // Invoices of their visits (db/migrations/0020_invoices.sql), and those they issued as staff.
  { table: "invoices", column: "customer_id", section: "invoices" },
  { table: "invoices", column: "issued_by", section: "invoices_issued" },
  // The waitlist (db/migrations/0036_waitlist.sql): their wishes and the times offered to them.
  { table: "waitlist_entries", column: "customer_id", section: "waitlist" },
  { table: "waitlist_offers", column: "customer_id", section: "waitlist" },
];

/** Columns never exported: secrets, even hashed ones, are not the person's data. */
const SECRET_COLUMN = /(^|_)(hash|secret|token|password|code_hash)$/;

export interface PersonalDataExport {
  format: "salon.personal-data-export";
  version: 1;
  generated_at: string;
  privacy_notice_version: string;
  profile: Record<string, unknown>;
  consents: Record<string, unknown>[];
  bookings: Record<string, unknown>[];
  invoices: Record<string, unknown>[];
  invoices_issued: Record<string, unknown>[];
  payments: Record<string, unknown>[];
  payment_actions: Record<string, unknown>[];
  booking_actions: Record<string, unknown>[];
  booking_requests: Record<string, unknown>[];
  reviews: Record<string, unknown>[];
  /** What each salon's team noted about them (notes, tags), services/clients. */
  salon_client_records: Record<string, unknown>[];
  review_moderation: Record<string, unknown>[];
  messages: Record<string, unknown>[];
  sessions: Record<string, unknown>[];
  login_codes: Record<string, unknown>[];
  salon_memberships: Record<string, unknown>[];
  staff_profiles: Record<string, unknown>[];
  salon_actions: Record<string, unknown>[];
  photo_uploads: Record<string, unknown>[];
  waitlist: Record<string, unknown>[];
}

/**
 * The zone the person's export is dated in: their last booked salon's (every salon is in Saudi
 * Arabia today), so the file name carries the date on their wall, not UTC's.
 */
export async function exportTimeZone(db: Queryable, userId: string): Promise<string> {
  const [last] = await db.query<{ timezone: string }>(
    `SELECT s.timezone FROM bookings b JOIN salons s ON s.id = b.salon_id
     WHERE b.customer_id = $1 ORDER BY b.created_at DESC LIMIT 1`,
    [userId],
  );
  return last?.timezone ?? "Asia/Riyadh";
}

/** Dates as ISO strings, recursively, so the file reads the same on every back end. */
function plain(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(plain);
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  }
  return value;
}

async function rows(db: Queryable, sql: string, params: unknown[]) {
  return (await db.query<Record<string, unknown>>(sql, params)).map((r) =>
    plain(r) as Record<string, unknown>
  );
}

/**
 * Everything we hold about one person, generated on request (never stored): profile, consents,
 * bookings with their history and payments, reviews, what they did as salon staff, the messages we
 * sent them, their sessions and login codes. Secrets (code and token hashes) are left out, and so
 * is other people's data (another customer's name on a booking they worked on, for example).
 * Works for any account that is not deleted; a deleted one → 404.
 */
export async function exportPersonalData(
  db: Queryable,
  userId: string,
  now: Date,
): Promise<PersonalDataExport> {
  const [profile] = await rows(
    db,
    `SELECT id, phone_number, email, first_name, last_name, preferred_language,
       is_phone_verified, is_admin, created_at, updated_at
     FROM users WHERE id = $1 AND deleted_at IS NULL`,
    [userId],
  );
  if (!profile) throw new NotFoundError();
  const phone = profile.phone_number as string;

  const bookings = await rows(
    db,
    `SELECT b.id, s.slug AS salon_slug, s.name_ar AS salon_name_ar, s.name_en AS salon_name_en,
       v.name_ar AS service_name_ar, v.name_en AS service_name_en,
       st.name_ar AS staff_name_ar, st.name_en AS staff_name_en,
       b.starts_at, b.ends_at, b.status, b.price_halalas, b.deposit_halalas, b.payment_mode,
       b.source, b.cancelled_by, b.cancel_reason, b.created_at, b.updated_at, b.location,
       b.home_district_name, b.home_address, b.home_map_url, b.home_notes,
       b.home_surcharge_halalas,
       coalesce((SELECT jsonb_agg(jsonb_build_object(
           'guest', i.guest, 'service_name_ar', iv.name_ar, 'service_name_en', iv.name_en,
           'staff_name_ar', ist.name_ar, 'staff_name_en', ist.name_en, 'starts_at', i.starts_at,
           'ends_at', i.ends_at, 'price_halalas', i.price_halalas, 'status', i.status)
           ORDER BY i.position)
         FROM booking_items i JOIN services iv ON iv.id = i.service_id
         JOIN staff ist ON ist.id = i.staff_id WHERE i.booking_id = b.id), '[]'::jsonb) AS items,
       coalesce((SELECT jsonb_agg(jsonb_build_object('guest', g.position, 'name', g.name,
           'phone', g.phone) ORDER BY g.position)
         FROM booking_guests g WHERE g.booking_id = b.id AND g.position > 0), '[]'::jsonb)
         AS guests,
       coalesce((SELECT jsonb_agg(jsonb_build_object(
           'at', e.at, 'by', e.actor_role, 'kind', e.kind, 'from_status', e.from_status,
           'to_status', e.to_status, 'reason', e.reason, 'data', e.data) ORDER BY e.at)
         FROM booking_events e WHERE e.booking_id = b.id), '[]'::jsonb) AS history
     FROM bookings b
     JOIN salons s ON s.id = b.salon_id
     JOIN services v ON v.id = b.service_id
     JOIN staff st ON st.id = b.staff_id
     WHERE b.customer_id = $1
     ORDER BY b.starts_at`,
    [userId],
  );

  return {
    format: "salon.personal-data-export",
    version: 1,
    generated_at: now.toISOString(),
    privacy_notice_version: PRIVACY_NOTICE_VERSION,
    profile,
    consents: await rows(
      db,
      `SELECT notice_version, accepted_at, source FROM privacy_consents
       WHERE user_id = $1 ORDER BY accepted_at`,
      [userId],
    ),
    bookings,
    invoices: await rows(
      db,
      `SELECT i.id, i.kind, i.number, s.slug AS salon_slug, i.seller_name_ar, i.seller_vat_number,
         i.issued_at, i.customer_name, i.customer_phone, i.total_halalas, i.vat_halalas,
         i.booking_id
       FROM invoices i JOIN salons s ON s.id = i.salon_id
       WHERE i.customer_id = $1 ORDER BY i.issued_at`,
      [userId],
    ),
    invoices_issued: await rows(
      db,
      `SELECT i.id, i.kind, i.number, s.slug AS salon_slug, i.issued_at
       FROM invoices i JOIN salons s ON s.id = i.salon_id
       WHERE i.issued_by = $1 AND i.customer_id IS DISTINCT FROM $1 ORDER BY i.issued_at`,
      [userId],
    ),
    payments: await paymentsOf(db, userId),
    payment_actions: await paymentActionsBy(db, userId),
    // What they did to other people's bookings (as salon staff): no customer details.
    booking_actions: await rows(
      db,
      `SELECT e.booking_id, e.at, e.actor_role, e.kind, e.from_status, e.to_status, e.reason
       FROM booking_events e JOIN bookings b ON b.id = e.booking_id
       WHERE e.actor_user_id = $1 AND b.customer_id IS DISTINCT FROM $1
       ORDER BY e.at`,
      [userId],
    ),
    booking_requests: await rows(
      db,
      `SELECT key, scope, booking_id, created_at FROM idempotency_keys
       WHERE user_id = $1 ORDER BY created_at`,
      [userId],
    ),
    salon_client_records: await rows(
      db,
      `SELECT s.slug AS salon_slug, c.name, c.phone_e164, c.notes, c.tags, c.created_at,
         c.updated_at
       FROM salon_clients c JOIN salons s ON s.id = c.salon_id
       WHERE c.user_id = $1 ORDER BY c.created_at`,
      [userId],
    ),
    reviews: await rows(
      db,
      `SELECT r.id, r.booking_id, s.slug AS salon_slug, r.rating, r.body AS text, r.hidden,
         r.hidden_reason, r.hidden_at, r.reply, r.replied_at, r.created_at, r.updated_at,
         coalesce((SELECT jsonb_agg(jsonb_build_object('at', e.at, 'by', e.actor_role,
             'action', e.action, 'reason', e.reason, 'data', e.data) ORDER BY e.at)
           FROM review_events e WHERE e.review_id = r.id), '[]'::jsonb) AS history
       FROM reviews r JOIN salons s ON s.id = r.salon_id
       WHERE r.customer_id = $1 ORDER BY r.created_at`,
      [userId],
    ),
    // What they did as a salon manager: the actions and reasons they gave, and the replies they
    // wrote; not the customers' reviews themselves.
    review_moderation: await rows(
      db,
      `SELECT e.review_id, s.slug AS salon_slug, e.at, e.action, e.reason, NULL AS reply
       FROM review_events e JOIN reviews r ON r.id = e.review_id JOIN salons s ON s.id = r.salon_id
       WHERE e.actor_user_id = $1 AND r.customer_id IS DISTINCT FROM $1
       UNION ALL
       SELECT r.id, s.slug, r.replied_at, 'reply', NULL, r.reply
       FROM reviews r JOIN salons s ON s.id = r.salon_id
       WHERE r.replied_by = $1 AND r.customer_id IS DISTINCT FROM $1
       UNION ALL
       SELECT r.id, s.slug, r.hidden_at, 'hidden_now', r.hidden_reason, NULL
       FROM reviews r JOIN salons s ON s.id = r.salon_id
       WHERE r.hidden_by = $1 AND r.customer_id IS DISTINCT FROM $1
       ORDER BY 3`,
      [userId],
    ),
    messages: await rows(
      db,
      `SELECT id, booking_id, event, recipient_role, recipient_phone, channel, template, params,
         locale, body, status, attempts, sent_at, created_at
       FROM messages WHERE recipient_user_id = $1 ORDER BY created_at`,
      [userId],
    ),
    sessions: await rows(
      db,
      `SELECT id, created_at, last_used_at, revoked_at, revoked_reason, user_agent, ip
       FROM sessions WHERE user_id = $1 ORDER BY created_at`,
      [userId],
    ),
    login_codes: await rows(
      db,
      `SELECT id, phone_number, channel, purpose, provider, status, attempt_count, request_ip,
         device_signal, privacy_notice_version, created_at, expires_at, used_at
       FROM otp_requests WHERE user_id = $1 OR phone_number = $2 ORDER BY created_at`,
      [userId, phone],
    ),
    salon_memberships: await rows(
      db,
      `SELECT s.slug AS salon_slug, s.name_ar AS salon_name_ar, s.name_en AS salon_name_en,
         m.role, m.created_at
       FROM salon_memberships m JOIN salons s ON s.id = m.salon_id
       WHERE m.user_id = $1 ORDER BY m.created_at`,
      [userId],
    ),
    staff_profiles: await rows(
      db,
      `SELECT st.id, s.slug AS salon_slug, st.name_ar, st.name_en, st.title_ar, st.title_en,
         st.active, st.created_at
       FROM staff st JOIN salons s ON s.id = st.salon_id
       WHERE st.user_id = $1 ORDER BY st.created_at`,
      [userId],
    ),
    salon_actions: await salonActionsBy(db, userId),
    photo_uploads: await photoUploadsBy(db, userId),
    waitlist: await waitlistOf(db, userId),
  };
}

/** Their waitlist wishes with the times offered for each (the links' secrets left out). */
async function waitlistOf(db: Queryable, userId: string) {
  if (!(await tableExists(db, "waitlist_entries"))) return [];
  return await rows(
    db,
    `SELECT e.id, s.slug AS salon_slug, e.day::text AS day, e.from_minute, e.to_minute,
       e.staff_id, e.status, e.booking_id, e.created_at,
       (SELECT jsonb_agg(jsonb_build_object('name_ar', sv.name_ar, 'name_en', sv.name_en))
        FROM services sv WHERE sv.id = ANY(e.service_ids)) AS services,
       coalesce((SELECT jsonb_agg(jsonb_build_object('starts_at', o.starts_at, 'status', o.status,
           'offered_by', o.offered_by, 'expires_at', o.expires_at, 'booking_id', o.booking_id)
           ORDER BY o.created_at)
         FROM waitlist_offers o WHERE o.entry_id = e.id), '[]'::jsonb) AS offers
     FROM waitlist_entries e JOIN salons s ON s.id = e.salon_id
     WHERE e.customer_id = $1 ORDER BY e.created_at`,
    [userId],
  );
}

/**
 * What the person did through the salon dashboard (the audit log): which change, to what, when.
 * The before/after snapshots are left out: they are the salon's records and may be about others.
 */
async function salonActionsBy(db: Queryable, userId: string) {
  if (!(await tableExists(db, "audit_log"))) return [];
  return await rows(
    db,
    `SELECT a.at, s.slug AS salon_slug, a.actor_role, a.action, a.entity, a.entity_id
     FROM audit_log a LEFT JOIN salons s ON s.id = a.salon_id
     WHERE a.actor_user_id = $1 ORDER BY a.at`,
    [userId],
  );
}

/** Which photos the person uploaded for a salon (the images themselves are the salon's). */
async function photoUploadsBy(db: Queryable, userId: string) {
  if (!(await tableExists(db, "photos"))) return [];
  return await rows(
    db,
    `SELECT p.id, s.slug AS salon_slug, p.kind, p.created_at
     FROM photos p JOIN salons s ON s.id = p.salon_id
     WHERE p.uploaded_by = $1 ORDER BY p.created_at`,
    [userId],
  );
}

/** The non-secret columns of `table`, quoted, for a select list prefixed with `alias`. */
async function columnList(db: Queryable, table: string, alias: string): Promise<string> {
  const columns = await db.query<{ column_name: string }>(
    `SELECT column_name FROM information_schema.columns
     WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position`,
    [table],
  );
  return columns.map((c) => c.column_name)
    .filter((n) => !SECRET_COLUMN.test(n) && /^[a-z_][a-z0-9_]*$/.test(n))
    .map((n) => `${alias}."${n}"`).join(", ");
}

/**
 * The person's payments (theirs, or for their bookings) with each one's ledger and the captures,
 * voids and refunds made on it, when the payments tables exist. Every column but secrets.
 */
async function paymentsOf(db: Queryable, userId: string): Promise<Record<string, unknown>[]> {
  if (!(await tableExists(db, "payments"))) return [];
  const history = (await tableExists(db, "payment_events"))
    ? `coalesce((SELECT jsonb_agg(jsonb_build_object('at', e.at, 'kind', e.kind,
         'from_status', e.from_status, 'to_status', e.to_status, 'amount_halalas',
         e.amount_halalas, 'by', e.actor_role, 'reason', e.reason) ORDER BY e.at)
       FROM payment_events e WHERE e.payment_id = p.id), '[]'::jsonb)`
    : "'[]'::jsonb";
  const actions = (await tableExists(db, "payment_actions"))
    ? `coalesce((SELECT jsonb_agg(jsonb_build_object('kind', a.kind, 'amount_halalas',
         a.amount_halalas, 'status', a.status, 'by', a.actor_role, 'reason', a.reason,
         'created_at', a.created_at, 'completed_at', a.completed_at) ORDER BY a.created_at)
       FROM payment_actions a WHERE a.payment_id = p.id), '[]'::jsonb)`
    : "'[]'::jsonb";
  return await rows(
    db,
    `SELECT ${await columnList(db, "payments", "p")}, ${history} AS history,
       ${actions} AS refunds_and_captures
     FROM payments p
     WHERE p.customer_id = $1 OR p.booking_id IN (SELECT id FROM bookings WHERE customer_id = $1)
     ORDER BY p.created_at`,
    [userId],
  );
}

/** What the person did to other people's payments as salon staff (capture, refund, …). */
async function paymentActionsBy(
  db: Queryable,
  userId: string,
): Promise<Record<string, unknown>[]> {
  const parts: string[] = [];
  if (await tableExists(db, "payment_events")) {
    parts.push(`SELECT e.payment_id, e.booking_id, e.at, e.kind, e.amount_halalas, e.reason
      FROM payment_events e JOIN payments p ON p.id = e.payment_id
      WHERE e.actor_user_id = $1 AND p.customer_id IS DISTINCT FROM $1`);
  }
  if (await tableExists(db, "payment_actions")) {
    parts.push(`SELECT a.payment_id, p.booking_id, a.created_at, a.kind, a.amount_halalas, a.reason
      FROM payment_actions a JOIN payments p ON p.id = a.payment_id
      WHERE a.actor_user_id = $1 AND p.customer_id IS DISTINCT FROM $1`);
  }
  if (parts.length === 0) return [];
  return await rows(db, `${parts.join(" UNION ALL ")} ORDER BY 3`, [userId]);
}

/** Every (table, column) in the schema with a foreign key to users(id); partitions count as their table. */
export async function referencesToUsers(
  db: Queryable,
): Promise<{ table: string; column: string }[]> {
  return await db.query<{ table: string; column: string }>(
    `SELECT c.conrelid::regclass::text AS table, a.attname AS column
     FROM pg_constraint c
     JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey)
     WHERE c.contype = 'f' AND c.confrelid = 'users'::regclass AND c.conparentid = 0
     ORDER BY 1, 2`,
  );
}
