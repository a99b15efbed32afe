/**
 * Fixtures for the messages tests: people, a salon with a service, a staff member with an account
 * and a manager, bookings inserted directly with SQL, and scripted providers.
 */
import type { Db, Queryable } from "@/db/types.ts";
import { enqueueMessage } from "@/services/messages/enqueue.ts";
import {
  type MessageChannelProvider,
  type OutgoingMessage,
  PermanentSendError,
  RetryableSendError,
} from "@/services/messages/providers.ts";
import type { Channel, MessageRow } from "@/services/messages/types.ts";
import type { WorkerDeps } from "@/services/messages/worker.ts";
import {
  makeSalon,
  makeService,
  makeStaff,
  type TestSalon,
  type TestService,
} from "./factories.ts";

/** A random Saudi mobile number (collisions are retried by makeUser). */
export function uniquePhone(): string {
  const digits = crypto.getRandomValues(new Uint32Array(1))[0] % 100_000_000;
  return `+9665${String(digits).padStart(8, "0")}`;
}

export async function makeUser(
  db: Queryable,
  overrides: { preferred_language?: "ar" | "en"; first_name?: string; phone_number?: string } = {},
): Promise<{ id: string; phone_number: string; preferred_language: "ar" | "en" }> {
  for (let i = 0; i < 5; i++) {
    const phone = overrides.phone_number ?? uniquePhone();
    const rows = await db.query<
      { id: string; phone_number: string; preferred_language: "ar" | "en" }
    >(
      `INSERT INTO users (phone_number, preferred_language, first_name) VALUES ($1, $2, $3)
       ON CONFLICT (phone_number) DO NOTHING RETURNING id, phone_number, preferred_language`,
      [phone, overrides.preferred_language ?? "ar", overrides.first_name ?? ""],
    );
    if (rows[0]) return rows[0];
  }
  throw new Error("could not make a user");
}

export interface BookingWorld {
  salon: TestSalon;
  service: TestService;
  staff: { id: string; user_id: string | null };
  customer: { id: string; phone_number: string };
  staffUser: { id: string; phone_number: string };
  manager: { id: string; phone_number: string };
}

/** A salon (Asia/Riyadh) with a service, a staff member with an account, and a manager. */
export async function makeWorld(
  db: Queryable,
  options: { customerLanguage?: "ar" | "en"; staffHasAccount?: boolean } = {},
): Promise<BookingWorld> {
  const salon = await makeSalon(db, {
    name_ar: "صالون لمسة",
    name_en: "Lamsa Salon",
  });
  const service = await makeService(db, salon, {
    name_ar: "قص وتصفيف الشعر",
    name_en: "Haircut and blow-dry",
  });
  const customer = await makeUser(db, { preferred_language: options.customerLanguage ?? "ar" });
  const staffUser = await makeUser(db, { preferred_language: "en" });
  const manager = await makeUser(db, { preferred_language: "ar" });
  const staff = await makeStaff(db, salon, {
    services: [service.id],
    name_ar: "نورة",
    name_en: "Noura",
    user_id: options.staffHasAccount === false ? null : staffUser.id,
  });
  await db.query(
    "INSERT INTO salon_memberships (user_id, salon_id, role) VALUES ($1, $2, 'manager')",
    [manager.id, salon.id],
  );
  return {
    salon,
    service,
    staff: { id: staff.id, user_id: (staff.user_id as string | null) ?? null },
    customer,
    staffUser,
    manager,
  };
}

let bookingColumns: Promise<Set<string>> | undefined;

/**
 * Inserts a booking row directly (the booking service's own code is not needed to test messages).
 * Fills the booking issue's extra columns when its migration is present.
 */
export async function insertBooking(
  db: Queryable,
  world: BookingWorld,
  startsAt: Date,
  status = "confirmed",
): Promise<{ id: string }> {
  bookingColumns ??= db.query<{ column_name: string }>(
    "SELECT column_name FROM information_schema.columns WHERE table_name = 'bookings'",
  ).then((rows) => new Set(rows.map((r) => r.column_name)));
  const columns = await bookingColumns;
  const endsAt = new Date(startsAt.getTime() + world.service.duration_minutes * 60_000);
  const values: Record<string, unknown> = {
    salon_id: world.salon.id,
    service_id: world.service.id,
    staff_id: world.staff.id,
    customer_id: world.customer.id,
    starts_at: startsAt,
    ends_at: endsAt,
    status,
    price_halalas: world.service.price_halalas,
  };
  if (columns.has("block_start")) {
    values.block_start = startsAt;
    values.block_end = endsAt;
  }
  if (columns.has("duration_minutes")) values.duration_minutes = world.service.duration_minutes;
  if (status === "pending" && columns.has("hold_expires_at")) {
    values.hold_expires_at = new Date(startsAt.getTime() - 3_600_000);
  }
  const keys = Object.keys(values);
  const [row] = await db.query<{ id: string }>(
    `INSERT INTO bookings (${keys.join(", ")}) VALUES (${
      keys.map((_, i) => `$${i + 1}`).join(", ")
    }) RETURNING id`,
    keys.map((k) => values[k]),
  );
  return row;
}

/** Moves a booking (as the booking service would, before calling enqueueBookingEvent). */
export async function moveBooking(db: Queryable, world: BookingWorld, id: string, startsAt: Date) {
  const endsAt = new Date(startsAt.getTime() + world.service.duration_minutes * 60_000);
  const sets = ["starts_at = $2", "ends_at = $3"];
  const columns = await bookingColumns!;
  if (columns.has("block_start")) sets.push("block_start = $2", "block_end = $3");
  await db.query(`UPDATE bookings SET ${sets.join(", ")} WHERE id = $1`, [id, startsAt, endsAt]);
  // The visit's lead item moves with it (where the schema has items).
  if (await hasItems(db)) {
    await db.query(
      `UPDATE booking_items SET starts_at = $2, ends_at = $3,
         block_start = $2::timestamptz - make_interval(mins => buffer_before_minutes),
         block_end = $3::timestamptz + make_interval(mins => buffer_after_minutes)
       WHERE booking_id = $1 AND position = 0`,
      [id, startsAt, endsAt],
    );
  }
}

async function hasItems(db: Queryable): Promise<boolean> {
  const [row] = await db.query<{ present: boolean }>(
    "SELECT to_regclass('booking_items') IS NOT NULL AS present",
  );
  return row.present;
}

export async function setBookingStatus(db: Queryable, id: string, status: string, by = "salon") {
  const columns = await bookingColumns!;
  const extra = columns.has("cancelled_by") && status === "cancelled" ? ", cancelled_by = $3" : "";
  await db.query(
    `UPDATE bookings SET status = $2${extra} WHERE id = $1`,
    extra ? [id, status, by] : [id, status],
  );
}

export function messagesOf(db: Queryable, bookingId?: string): Promise<MessageRow[]> {
  return bookingId
    ? db.query<MessageRow>(
      "SELECT * FROM messages WHERE booking_id = $1 ORDER BY created_at, run_at, dedupe_key",
      [bookingId],
    )
    : db.query<MessageRow>("SELECT * FROM messages ORDER BY created_at, run_at, dedupe_key");
}

export interface ScriptedProvider extends MessageChannelProvider {
  /** Every accepted delivery (after deduplication, if on), in order. */
  delivered: OutgoingMessage[];
  /** Every call, accepted or not. */
  calls: OutgoingMessage[];
  /** While true, every send throws a retryable error ("provider down"). */
  down: boolean;
  /** Channels whose sends fail permanently. */
  refuse: Set<Channel>;
  /** Called at the start of every send (e.g. to abort a worker mid-round). */
  onSend?: (message: OutgoingMessage) => void;
}

/**
 * A provider that records deliveries. With `dedupe`, a second send with an idempotency key it has
 * already accepted is acknowledged without delivering again (as a provider that deduplicates does).
 */
export function scriptedProvider(
  options: { dedupe?: boolean; channels?: Channel[]; name?: string } = {},
): ScriptedProvider {
  const seen = new Map<string, string>();
  const provider: ScriptedProvider = {
    name: options.name ?? "scripted",
    channels: options.channels ?? ["sms", "whatsapp"],
    delivered: [],
    calls: [],
    down: false,
    refuse: new Set(),
    send(message) {
      provider.calls.push(message);
      provider.onSend?.(message);
      if (provider.down) return Promise.reject(new RetryableSendError("provider: HTTP 503", 503));
      if (provider.refuse.has(message.channel)) {
        return Promise.reject(new PermanentSendError(`provider: ${message.channel} refused`, 400));
      }
      if (options.dedupe && seen.has(message.idempotencyKey)) {
        return Promise.resolve({ providerMessageId: seen.get(message.idempotencyKey)! });
      }
      const id = `p-${provider.delivered.length + 1}`;
      seen.set(message.idempotencyKey, id);
      provider.delivered.push(message);
      return Promise.resolve({ providerMessageId: id });
    },
  };
  return provider;
}

export function workerDeps(
  provider: MessageChannelProvider,
  now: () => Date,
  overrides: Partial<WorkerDeps> = {},
): WorkerDeps {
  return {
    provider,
    now,
    publicUrl: "https://salon.example",
    random: () => 0.5,
    retryBaseMs: 30_000,
    ...overrides,
  };
}

/** `count` plain SMS messages to `user`, due now, in one transaction (for worker races). */
export async function enqueuePlainMessages(
  db: Db,
  user: { id: string; phone_number: string },
  count: number,
  now: Date,
  prefix: string,
): Promise<void> {
  await db.transaction(async (tx) => {
    for (let i = 0; i < count; i++) {
      await enqueueMessage(tx, {
        dedupeKey: `${prefix}:${i}:${user.id}:sms`,
        kind: "event",
        bookingId: null,
        event: "created",
        recipient: { userId: user.id, role: "customer", phone: user.phone_number, locale: "en" },
        channel: "sms",
        template: "msg.customer.confirmed",
        params: {
          salon: "Lamsa Salon",
          service: `Service ${i}`,
          staff: "Noura",
          startsAt: "2026-11-25T13:30:00Z",
          timeZone: "Asia/Riyadh",
          linkPath: "/b/Ab3dE9xZ",
        },
        runAt: now,
        now,
      });
    }
  });
}
