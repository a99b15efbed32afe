/**
 * A salon's client records (migration 0030): one per person and salon, unique by E.164 phone.
 * Every function checks the caller's role in the salon inside its own transaction; other salons'
 * clients are not found (404). Changes are audited in the same transaction.
 */
import type { Db, Queryable, Tx } from "@/db/types.ts";
import { auditRole, authorizeSalon, type DashboardActor } from "@/services/dashboard/access.ts";
import { audit } from "@/services/dashboard/audit.ts";
import { NotFoundError, ValidationError } from "@/services/errors.ts";
import { isUuid } from "@/services/ids.ts";

export interface ClientRow {
  id: string;
  salon_id: string;
  user_id: string;
  phone_e164: string;
  name: string;
  notes: string;
  tags: string[];
  created_at: Date;
  updated_at: Date;
}

const E164 = /^\+[1-9][0-9]{7,14}$/;

/**
 * Finds the salon's client with this phone or creates it (and the person's account, not
 * verified, when the number has none). Safe under concurrency: both inserts use ON CONFLICT, so
 * two front-desk entries of one number at the same moment end as one account and one client.
 * Runs inside the caller's transaction; returns whether the client is new.
 */
export async function ensureClient(
  tx: Tx,
  salonId: string,
  input: { phone: string; name?: string; language?: "ar" | "en"; now: Date },
): Promise<{ client: ClientRow; created: boolean; userCreated: boolean }> {
  if (!E164.test(input.phone)) throw new ValidationError({ phone: ["auth.phone.invalid"] });
  const name = (input.name ?? "").trim().slice(0, 150);
  const [inserted] = await tx.query<{ id: string }>(
    `INSERT INTO users (phone_number, first_name, preferred_language, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $4)
     ON CONFLICT (phone_number) DO NOTHING RETURNING id`,
    [input.phone, name, input.language ?? "ar", input.now],
  );
  const userId = inserted?.id ??
    (await tx.query<{ id: string }>("SELECT id FROM users WHERE phone_number = $1", [
      input.phone,
    ]))[0].id;
  const [row] = await tx.query<ClientRow & { created: boolean }>(
    `INSERT INTO salon_clients (salon_id, user_id, phone_e164, name, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $5)
     ON CONFLICT (salon_id, phone_e164) DO UPDATE
       SET name = CASE WHEN salon_clients.name = '' THEN EXCLUDED.name ELSE salon_clients.name END
     RETURNING *, (xmax = 0) AS created`,
    [salonId, userId, input.phone, name, input.now],
  );
  const { created, ...client } = row;
  return { client, created, userCreated: Boolean(inserted) };
}

/**
 * Enters a walk-in client by phone at the front desk (staff or managers): one client per number
 * however often (or concurrently) it is entered. Audited as client.create when new.
 */
export async function createClient(
  db: Db,
  actor: DashboardActor,
  salonId: string,
  input: { phone: string; name?: string; language?: "ar" | "en" },
): Promise<{ client: ClientRow; created: boolean }> {
  return await db.transaction(async (tx) => {
    const access = await authorizeSalon(tx, actor.user, salonId, "staff");
    const { client, created } = await ensureClient(tx, salonId, { ...input, now: actor.now });
    if (created) {
      await audit(tx, {
        salonId,
        actorUserId: actor.user.id,
        actorRole: auditRole(access),
        action: "client.create",
        entity: "client",
        entityId: client.id,
        before: null,
        after: { phone: client.phone_e164, name: client.name },
        at: actor.now,
        requestId: actor.requestId,
      });
    }
    return { client, created };
  });
}

/** Only the digits of what was typed (Arabic-Indic digits count). */
export function digitsOf(value: string): string {
  return value.replace(/[\u0660-\u0669\u06F0-\u06F9]/g, (d) => {
    const code = d.charCodeAt(0);
    return String(code >= 0x06f0 ? code - 0x06f0 : code - 0x0660);
  }).replace(/\D/g, "");
}

export interface ClientListRow extends ClientRow {
  visits: number;
  last_visit: Date | null;
}

/**
 * The salon's clients, by name, filtered by a search: digits search the phone (a local "05…"
 * number is matched as "+9665…", any other digits anywhere in the number), letters the name's
 * start or any word of it. Pages of `limit` after `offset`.
 */
export async function searchClients(
  db: Queryable,
  actor: DashboardActor,
  salonId: string,
  query: { q?: string; limit?: number; offset?: number },
): Promise<{ rows: ClientListRow[]; more: boolean }> {
  await authorizeSalon(db, actor.user, salonId, "staff");
  const q = (query.q ?? "").trim().slice(0, 80);
  const digits = digitsOf(q);
  const limit = Math.min(Math.max(query.limit ?? 50, 1), 200);
  const offset = Math.max(query.offset ?? 0, 0);
  const isPhone = digits.length >= 3 && digits.length >= q.replace(/[\s+()-]/g, "").length;
  const prefix = isPhone && /^0\d/.test(digits) ? `+966${digits.slice(1)}` : null;
  const rows = await db.query<ClientListRow>(
    `SELECT c.*,
       (SELECT count(*)::int FROM bookings b WHERE b.salon_id = c.salon_id
          AND b.customer_id = c.user_id AND b.status = 'completed') AS visits,
       (SELECT max(b.starts_at) FROM bookings b WHERE b.salon_id = c.salon_id
          AND b.customer_id = c.user_id AND b.status = 'completed') AS last_visit
     FROM salon_clients c
     WHERE c.salon_id = $1
       AND ($2::text = '' OR
            ($3::text IS NOT NULL AND c.phone_e164 LIKE $3 || '%') OR
            ($3::text IS NULL AND $4::boolean AND strpos(c.phone_e164, $5) > 0) OR
            (NOT $4::boolean AND (lower(c.name) LIKE lower($2) || '%'
                                  OR strpos(lower(c.name), ' ' || lower($2)) > 0)))
     ORDER BY lower(c.name), c.phone_e164
     LIMIT $6 OFFSET $7`,
    [salonId, q, prefix, isPhone, digits, limit + 1, offset],
  );
  return { rows: rows.slice(0, limit), more: rows.length > limit };
}

export interface ClientVisit {
  id: string;
  starts_at: Date;
  status: string;
  price_halalas: number;
  items: { service_ar: string; service_en: string; staff_ar: string; staff_en: string }[];
}

export interface ClientDetails {
  client: ClientRow;
  visits: ClientVisit[];
  noShows: number;
  cancellations: number;
  completed: number;
  /** Invoices minus credit notes, VAT included (what the client paid), halalas. */
  totalSpentHalalas: number;
  lastVisit: Date | null;
}

/** One client of the salon with their visits and totals; another salon's client → 404. */
export async function getClient(
  db: Queryable,
  actor: DashboardActor,
  salonId: string,
  clientId: string,
): Promise<ClientDetails> {
  await authorizeSalon(db, actor.user, salonId, "staff");
  if (!isUuid(clientId)) throw new NotFoundError();
  const [client] = await db.query<ClientRow>(
    "SELECT * FROM salon_clients WHERE id = $1 AND salon_id = $2",
    [clientId, salonId],
  );
  if (!client) throw new NotFoundError();
  const visits = await db.query<ClientVisit>(
    `SELECT b.id, b.starts_at, b.status, b.price_halalas,
       COALESCE((SELECT jsonb_agg(jsonb_build_object(
           'service_ar', v.name_ar, 'service_en', v.name_en,
           'staff_ar', st.name_ar, 'staff_en', st.name_en) ORDER BY i.starts_at)
         FROM booking_items i JOIN services v ON v.id = i.service_id
         JOIN staff st ON st.id = i.staff_id WHERE i.booking_id = b.id), '[]'::jsonb) AS items
     FROM bookings b WHERE b.salon_id = $1 AND b.customer_id = $2
     ORDER BY b.starts_at DESC LIMIT 200`,
    [salonId, client.user_id],
  );
  const [totals] = await db.query<
    { no_shows: number; cancellations: number; completed: number; last_visit: Date | null }
  >(
    `SELECT count(*) FILTER (WHERE status = 'no_show')::int AS no_shows,
       count(*) FILTER (WHERE status = 'cancelled')::int AS cancellations,
       count(*) FILTER (WHERE status = 'completed')::int AS completed,
       max(starts_at) FILTER (WHERE status = 'completed') AS last_visit
     FROM bookings WHERE salon_id = $1 AND customer_id = $2`,
    [salonId, client.user_id],
  );
  const [spent] = await db.query<{ total: number }>(
    `SELECT COALESCE(sum(CASE WHEN kind = 'invoice' THEN total_halalas ELSE -total_halalas END),
       0)::int AS total
     FROM invoices WHERE salon_id = $1 AND customer_id = $2`,
    [salonId, client.user_id],
  );
  return {
    client,
    visits,
    noShows: totals.no_shows,
    cancellations: totals.cancellations,
    completed: totals.completed,
    totalSpentHalalas: spent.total,
    lastVisit: totals.last_visit,
  };
}

/** Tags as typed, comma separated: trimmed, without duplicates (any case), at most 20 of 40. */
export function parseTags(value: string): string[] {
  const seen = new Set<string>();
  const tags: string[] = [];
  for (const raw of value.split(/[,،\n]/)) {
    const tag = raw.trim().replace(/\s+/g, " ");
    if (!tag) continue;
    if (tag.length > 40) throw new ValidationError({ tags: ["validation.tooLong"] });
    if (seen.has(tag.toLowerCase())) continue;
    seen.add(tag.toLowerCase());
    tags.push(tag);
  }
  if (tags.length > 20) throw new ValidationError({ tags: ["validation.tooLong"] });
  return tags;
}

/**
 * Saves the team's notes, tags and the name the salon knows the client by (staff or managers),
 * audited as client.update with before and after, in one transaction (the row locked).
 */
export async function updateClient(
  db: Db,
  actor: DashboardActor,
  salonId: string,
  clientId: string,
  input: { name: string; notes: string; tags: string[] },
): Promise<ClientRow> {
  if (input.name.length > 150) throw new ValidationError({ name: ["validation.tooLong"] });
  if (input.notes.length > 4000) throw new ValidationError({ notes: ["validation.tooLong"] });
  return await db.transaction(async (tx) => {
    const access = await authorizeSalon(tx, actor.user, salonId, "staff");
    if (!isUuid(clientId)) throw new NotFoundError();
    const [before] = await tx.query<ClientRow>(
      "SELECT * FROM salon_clients WHERE id = $1 AND salon_id = $2 FOR UPDATE",
      [clientId, salonId],
    );
    if (!before) throw new NotFoundError();
    const [after] = await tx.query<ClientRow>(
      `UPDATE salon_clients SET name = $2, notes = $3, tags = $4, updated_at = $5
       WHERE id = $1 RETURNING *`,
      [clientId, input.name, input.notes, input.tags, actor.now],
    );
    // The notes' text stays out of the audit log: it goes with the account (privacy).
    const shown = (c: ClientRow) => ({ name: c.name, notes_chars: c.notes.length, tags: c.tags });
    await audit(tx, {
      salonId,
      actorUserId: actor.user.id,
      actorRole: auditRole(access),
      action: "client.update",
      entity: "client",
      entityId: clientId,
      before: shown(before),
      after: shown(after),
      at: actor.now,
      requestId: actor.requestId,
    });
    return after;
  });
}
