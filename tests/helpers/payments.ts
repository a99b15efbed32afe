/**
 * Payments test setup: the app served on a loopback port (Moyasar's fake posts webhooks to it),
 * the Moyasar fake on its own port sharing the test clock, and a pending booking to pay for.
 */
import type { Db } from "@/db/types.ts";
import { createBooking } from "@/services/bookings/mod.ts";
import type { BookingRow } from "@/services/bookings/model.ts";
import { createMoyasarClient, type MoyasarClient } from "@/services/payments/moyasar.ts";
import type { PaymentRow } from "@/services/payments/model.ts";
import { type MoyasarFake, startMoyasarFake } from "../fakes/moyasar.ts";
import { makeTestApp, type TestApp } from "./app.ts";
import { type LoggedIn, login } from "./auth.ts";
import { makeSalon, makeService, makeStaff } from "./factories.ts";

export interface PaymentsTest {
  t: TestApp;
  fake: MoyasarFake;
  /** The app's own Moyasar client (for calling services directly). */
  client: MoyasarClient;
  /** The served app, `http://127.0.0.1:PORT`. */
  origin: string;
  close(): Promise<void>;
}

/** The test clock starts at 2026-11-21T09:00Z (12:00 in Riyadh); tomorrow is wide open. */
export const TOMORROW_10 = new Date("2026-11-22T07:00:00.000Z"); // 10:00 Riyadh

export async function paymentsTest(env: Record<string, string> = {}): Promise<PaymentsTest> {
  const fake = startMoyasarFake();
  const t = await makeTestApp({ ...fake.env(), MOYASAR_TIMEOUT_MS: "1500", ...env });
  fake.now = t.clock.now;
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    (req, info) => t.app.fetch(req, info),
  );
  const origin = `http://127.0.0.1:${server.addr.port}`;
  fake.webhookUrl = `${origin}/api/payments/webhook/`;
  return {
    t,
    fake,
    client: createMoyasarClient(t.config.payments)!,
    origin,
    async close() {
      await fake.close();
      await server.shutdown();
      await t.close();
    },
  };
}

/**
 * A test app with online payment available: the Moyasar fake on its own port (sharing the test
 * clock) and the app configured for it, for tests of bookings that wait for a payment without
 * paying (no webhooks: use `paymentsTest` to pay). `close()` stops both.
 */
export async function makeOnlinePaymentApp(
  env: Record<string, string> = {},
): Promise<TestApp & { fake: MoyasarFake }> {
  const fake = startMoyasarFake();
  const t = await makeTestApp({ ...fake.env(), MOYASAR_TIMEOUT_MS: "1500", ...env });
  fake.now = t.clock.now;
  return {
    ...t,
    fake,
    async close() {
      await fake.close();
      await t.close();
    },
  };
}

export interface PendingBooking {
  salon: { id: string; slug: string };
  service: { id: string };
  staff: { id: string };
  booking: BookingRow;
  customer: LoggedIn;
  customerId: string;
}

/**
 * A salon in `mode` (deposit 20 % of SAR 150 = SAR 30, or full), a customer and her pending booking,
 * made as when online payment is available (`onlinePayment: true`).
 */
export async function pendingBooking(
  t: TestApp,
  options: {
    mode?: "deposit" | "full";
    phone?: string;
    /** An already logged-in customer (a second login within a minute is rate limited). */
    customer?: LoggedIn;
    start?: Date;
    salon?: { id: string; slug: string };
    service?: { id: string };
    staff?: { id: string };
  } = {},
): Promise<PendingBooking> {
  const mode = options.mode ?? "deposit";
  const salon = options.salon ??
    await makeSalon(t.db, {
      payment_mode: mode,
      deposit_percent: mode === "deposit" ? 20 : 0,
      cancellation_window_hours: 12,
    });
  const service = options.service ?? await makeService(t.db, salon, { price_halalas: 15000 });
  const staff = options.staff ?? await makeStaff(t.db, salon, { services: [service.id] });
  const customer = options.customer ?? await login(t, options.phone ?? "0512345678");
  const customerId = customer.user.id as string;
  const { booking } = await createBooking(t.db, {
    customerId,
    salon: salon.slug,
    serviceId: service.id,
    staff: staff.id,
    start: options.start ?? TOMORROW_10,
    now: t.clock.now(),
    actor: { userId: customerId, role: "customer" },
    // A hold awaiting payment is only made while online payment is available.
    onlinePayment: true,
  });
  return { salon, service, staff, booking, customer, customerId };
}

/** POST /api/payments/ as the customer (Bearer), English errors. */
export function postPayment(
  t: TestApp,
  token: string,
  bookingId: string,
  key: string | null = crypto.randomUUID(),
): Promise<Response> {
  return Promise.resolve(t.app.request("/api/payments/", {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "accept-language": "en",
      authorization: `Bearer ${token}`,
      ...(key ? { "idempotency-key": key } : {}),
    },
    body: JSON.stringify({ booking_id: bookingId }),
  }));
}

/** Follows Moyasar's redirect back to us (the callback) and returns our redirect's location. */
export async function returnFromMoyasar(t: TestApp, redirect: string): Promise<string> {
  const url = new URL(redirect);
  const res = await t.app.request(`${url.pathname}${url.search}`);
  if (res.status !== 303) throw new Error(`callback: ${res.status} ${await res.text()}`);
  return res.headers.get("location")!;
}

export async function paymentOf(db: Db, bookingId: string): Promise<PaymentRow> {
  const [row] = await db.query<PaymentRow>(
    "SELECT * FROM payments WHERE booking_id = $1 ORDER BY created_at DESC LIMIT 1",
    [bookingId],
  );
  return row;
}

export async function bookingStatus(db: Db, bookingId: string): Promise<string> {
  const [row] = await db.query<{ status: string }>("SELECT status FROM bookings WHERE id = $1", [
    bookingId,
  ]);
  return row.status;
}

/** Money we hold for a payment per the ledger (must equal captured − refunded, or 0 if voided). */
export async function ledgerSum(db: Db, paymentId: string): Promise<number> {
  const [row] = await db.query<{ sum: number }>(
    "SELECT coalesce(sum(amount_halalas), 0)::int AS sum FROM payment_events WHERE payment_id = $1",
    [paymentId],
  );
  return row.sum;
}

export async function messageEvents(db: Db, bookingId: string): Promise<string[]> {
  const rows = await db.query<{ event: string; recipient_role: string }>(
    "SELECT event, recipient_role FROM messages WHERE booking_id = $1 ORDER BY created_at, event",
    [bookingId],
  );
  return rows.filter((r) => r.recipient_role === "customer").map((r) => r.event);
}
