import type { Db, Tx } from "@/db/types.ts";
import { audit } from "@/services/dashboard/audit.ts";
import { auditRole, authorizeSalon, type DashboardActor } from "@/services/dashboard/access.ts";
import { ConflictError, NotFoundError, ValidationError } from "@/services/errors.ts";
import { isUuid } from "@/services/ids.ts";
import { localDateOf } from "@/services/slots/load.ts";
import {
  entryColumns,
  type EntryRow,
  freeStartsFor,
  OFFER_FANOUT,
  OFFER_MINUTES,
  type OfferRow,
  parseClock,
  SCAN_INTERVAL_MS,
} from "./model.ts";
import { notifyOffer } from "./notify.ts";
import { markGone } from "./confirm.ts";

function offerToken(): string {
  // 96 random bits, 16 characters: short in an SMS, and the link also needs its customer signed in.
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_");
}

/**
 * Writes one offer of `startsAt` to the entry's customer and queues its message, in the caller's
 * transaction. Returns null (and writes nothing) when this customer was offered that time before at
 * this salon: nobody is offered a time twice.
 */
export async function createOffer(
  tx: Tx,
  entry: Pick<EntryRow, "id" | "salon_id" | "customer_id">,
  startsAt: Date,
  by: "system" | "salon",
  now: Date,
): Promise<OfferRow | null> {
  const [offer] = await tx.query<OfferRow>(
    `INSERT INTO waitlist_offers (salon_id, entry_id, customer_id, token, starts_at, expires_at,
       offered_by, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)
     ON CONFLICT (salon_id, customer_id, starts_at) DO NOTHING
     RETURNING *`,
    [
      entry.salon_id,
      entry.id,
      entry.customer_id,
      offerToken(),
      startsAt,
      new Date(now.getTime() + OFFER_MINUTES * 60_000),
      by,
      now,
    ],
  );
  if (!offer) return null;
  await notifyOffer(tx, offer, "offer", now);
  return offer;
}

/**
 * Ends what the clock ended: open offers past their few minutes or their start, and waiting
 * wishes whose day has passed in the salon's zone (so nobody is offered a past day).
 */
export async function lapseWaitlist(db: Db | Tx, now: Date): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query(
      `UPDATE waitlist_offers SET status = 'expired', updated_at = $1
       WHERE status = 'open' AND (expires_at <= $1 OR starts_at <= $1)`,
      [now],
    );
    await tx.query(
      `UPDATE waitlist_entries e SET status = 'expired', updated_at = $1
       FROM salons s
       WHERE s.id = e.salon_id AND e.status = 'waiting'
         AND e.day < ($1::timestamptz AT TIME ZONE s.timezone)::date`,
      [now],
    );
  });
}

/**
 * The offer job (run each outbox round, on any number of instances). Lapses old offers and past
 * days, then, one salon per short transaction (its `waitlist_scans` row locked with SKIP LOCKED,
 * each salon at most every {@link SCAN_INTERVAL_MS}), walks the waiting wishes first come first
 * served: a wish without an open offer gets the earliest free start in its range that its customer
 * was never offered and that fewer than {@link OFFER_FANOUT} customers hold open offers for. The
 * offer and its message are written in that transaction. Whatever freed the time (a cancellation,
 * a move, a lapsed hold, new hours), the slot rules see it. Returns how many offers it made.
 */
export async function offerFreedTimes(db: Db, now: Date, limit = 50): Promise<number> {
  await lapseWaitlist(db, now);
  let made = 0;
  for (let i = 0; i < limit; i++) {
    const scanned = await db.transaction(async (tx) => {
      const [scan] = await tx.query<{ salon_id: string }>(
        `SELECT salon_id FROM waitlist_scans WHERE scanned_at <= $1
         ORDER BY scanned_at, salon_id LIMIT 1 FOR UPDATE SKIP LOCKED`,
        [new Date(now.getTime() - SCAN_INTERVAL_MS)],
      );
      if (!scan) return false;
      made += await offerForSalon(tx, scan.salon_id, now);
      await tx.query("UPDATE waitlist_scans SET scanned_at = $2 WHERE salon_id = $1", [
        scan.salon_id,
        now,
      ]);
      return true;
    });
    if (!scanned) break;
  }
  return made;
}

/**
 * Open offers whose time was taken meanwhile (an ordinary booking, a manager's move) become gone
 * and their customers are told, without waiting for them to click. Offers being confirmed right
 * now are skipped (locked); their confirm settles them.
 */
async function settleTakenOffers(tx: Tx, salonId: string, now: Date): Promise<void> {
  const open = await tx.query<OfferRow>(
    `SELECT * FROM waitlist_offers WHERE salon_id = $1 AND status = 'open'
     ORDER BY id FOR UPDATE SKIP LOCKED`,
    [salonId],
  );
  for (const offer of open) {
    const [entry] = await tx.query<EntryRow>(
      `SELECT ${entryColumns()} FROM waitlist_entries WHERE id = $1`,
      [offer.entry_id],
    );
    const free = entry
      ? await freeStartsFor(tx, { ...entry, from_minute: 0, to_minute: 1440 }, now).catch(() => [])
      : [];
    if (!free.includes(offer.starts_at.getTime())) await markGone(tx, offer, now);
  }
}

async function offerForSalon(tx: Tx, salonId: string, now: Date): Promise<number> {
  await settleTakenOffers(tx, salonId, now);
  const entries = await tx.query<EntryRow>(
    `SELECT ${entryColumns("e")} FROM waitlist_entries e
     WHERE salon_id = $1 AND status = 'waiting'
       AND NOT EXISTS (SELECT 1 FROM waitlist_offers o WHERE o.entry_id = e.id AND o.status = 'open')
     ORDER BY created_at, id FOR UPDATE SKIP LOCKED`,
    [salonId],
  );
  if (!entries.length) return 0;
  const open = new Map<number, number>();
  for (
    const r of await tx.query<{ starts_at: Date; n: number }>(
      `SELECT starts_at, count(*)::int AS n FROM waitlist_offers
       WHERE salon_id = $1 AND status = 'open' GROUP BY starts_at`,
      [salonId],
    )
  ) open.set(r.starts_at.getTime(), r.n);
  let made = 0;
  for (const entry of entries) {
    let starts: number[];
    try {
      starts = await freeStartsFor(tx, entry, now);
    } catch (err) {
      // A service or staff member no longer bookable: nothing to offer for this wish.
      if (err instanceof ValidationError || err instanceof NotFoundError) continue;
      throw err;
    }
    if (!starts.length) continue;
    const offered = new Set(
      (await tx.query<{ starts_at: Date }>(
        `SELECT starts_at FROM waitlist_offers
         WHERE salon_id = $1 AND customer_id = $2
           AND starts_at = ANY($3::timestamptz[])`,
        [salonId, entry.customer_id, starts.map((ms) => new Date(ms).toISOString())],
      )).map((r) => r.starts_at.getTime()),
    );
    const start = starts.find((ms) => !offered.has(ms) && (open.get(ms) ?? 0) < OFFER_FANOUT);
    if (start === undefined) continue;
    if (await createOffer(tx, entry, new Date(start), "system", now)) {
      open.set(start, (open.get(start) ?? 0) + 1);
      made++;
    }
  }
  return made;
}

/**
 * A manager offers a waiting customer a time by hand ("HH:MM" on the wish's day, in the salon's
 * zone), inside or outside the range they asked for, if the wish can be booked then. Checks that
 * the actor manages the salon, and writes an audit row with the offer.
 *
 * @throws NotFoundError for another salon's or a finished wish; ValidationError for a bad time;
 *   ConflictError when the time is not free or was offered to this customer before.
 */
export async function offerTimeByHand(
  db: Db,
  actor: DashboardActor,
  input: { salonId: string; entryId: string; time: string },
): Promise<OfferRow> {
  const now = actor.now;
  if (!isUuid(input.entryId)) throw new NotFoundError();
  const minute = parseClock(input.time);
  if (minute === null || minute >= 1440) {
    throw new ValidationError({ time: ["waitlist.error.time"] });
  }
  return await db.transaction(async (tx) => {
    const access = await authorizeSalon(tx, actor.user, input.salonId, "manager");
    const [entry] = await tx.query<EntryRow & { timezone: string }>(
      `SELECT ${entryColumns("e")}, s.timezone
       FROM waitlist_entries e JOIN salons s ON s.id = e.salon_id
       WHERE e.id = $1 AND e.salon_id = $2 FOR UPDATE OF e`,
      [input.entryId, input.salonId],
    );
    if (!entry || entry.status !== "waiting") throw new NotFoundError();
    if (entry.day < localDateOf(now, entry.timezone)) throw new NotFoundError();
    const startsAt = Temporal.PlainDate.from(entry.day)
      .toZonedDateTime({ timeZone: entry.timezone, plainTime: Temporal.PlainTime.from(input.time) })
      .epochMilliseconds;
    const free = await freeStartsFor(tx, { ...entry, from_minute: 0, to_minute: 1440 }, now);
    if (!free.includes(startsAt)) throw new ConflictError("waitlist.error.notFree");
    const offer = await createOffer(tx, entry, new Date(startsAt), "salon", now);
    if (!offer) throw new ConflictError("waitlist.error.offeredBefore");
    await audit(tx, {
      salonId: input.salonId,
      actorUserId: actor.user.id,
      actorRole: auditRole(access),
      action: "waitlist.offer",
      entity: "waitlist_entry",
      entityId: entry.id,
      after: { offer_id: offer.id, starts_at: offer.starts_at, customer_id: entry.customer_id },
      at: now,
      requestId: actor.requestId,
    });
    return offer;
  });
}
