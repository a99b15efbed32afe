/**
 * Rows the payments, reviews and reports pages work on, inserted directly (no customer flow): an
 * online payment known to the Moyasar fake, and a review of a completed booking.
 */
import type { PaymentRow } from "@/services/payments/model.ts";
import type { MoyasarFake } from "../fakes/moyasar.ts";
import type { TestApp } from "./app.ts";
import type { World } from "./dashboard.ts";
import { makeBooking, type TestStaff } from "./factories.ts";

/**
 * A confirmed deposit booking of the world's customer at `start` and its online payment of
 * `amount` halalas, collected ("paid") or held on the card ("authorized"), as the fake knows it.
 */
export async function onlinePayment(
  t: TestApp,
  fake: MoyasarFake,
  w: World,
  spec: {
    start: Date;
    staff?: TestStaff;
    amount?: number;
    status?: "paid" | "authorized";
    createdAt?: Date;
  },
): Promise<PaymentRow> {
  const amount = spec.amount ?? 3000;
  const status = spec.status ?? "paid";
  const booking = await makeBooking(t.db, {
    service: w.service,
    staff: spec.staff ?? w.noura,
    starts_at: spec.start,
    status: "confirmed",
    payment_mode: "deposit",
    deposit_halalas: amount,
    customer_id: w.users.customer,
  });
  const remote = fake.createPayment({ amount, metadata: { booking_id: booking.id } });
  if (status === "authorized") remote.status = "authorized";
  const at = spec.createdAt ?? t.clock.now();
  const [payment] = await t.db.query<PaymentRow>(
    `INSERT INTO payments (booking_id, salon_id, customer_id, purpose, status, amount_halalas,
       authorized_halalas, captured_halalas, provider_payment_id, description, locale, created_at,
       updated_at)
     VALUES ($1, $2, $3, 'deposit', $4, $5, $6, $7, $8, 'Deposit', 'ar', $9, $9) RETURNING *`,
    [
      booking.id,
      w.salon.id,
      w.users.customer,
      status,
      amount,
      status === "authorized" ? amount : 0,
      status === "paid" ? amount : 0,
      remote.id,
      at,
    ],
  );
  await t.db.query(
    `INSERT INTO payment_events (payment_id, booking_id, at, kind, from_status, to_status,
       amount_halalas, source, actor_role)
     VALUES ($1, $2, $3, 'status', 'initiated', $4, $5, 'webhook', 'system')`,
    [payment.id, booking.id, at, status, status === "paid" ? amount : 0],
  );
  return payment;
}

/** A completed booking at `start` (in the past) and the customer's review of it. */
export async function makeReview(
  t: TestApp,
  w: World,
  spec: {
    start: Date;
    staff?: TestStaff;
    rating?: number;
    body?: string;
    hidden?: boolean;
    createdAt?: Date;
  },
): Promise<{ id: string; booking_id: string }> {
  const staff = spec.staff ?? w.noura;
  const booking = await makeBooking(t.db, {
    service: w.service,
    staff,
    starts_at: spec.start,
    status: "completed",
    customer_id: w.users.customer,
  });
  const at = spec.createdAt ?? t.clock.now();
  const hidden = spec.hidden ?? false;
  const [review] = await t.db.query<{ id: string; booking_id: string }>(
    `INSERT INTO reviews (booking_id, salon_id, customer_id, staff_id, service_id, rating, body,
       hidden, hidden_reason, hidden_at, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) RETURNING id, booking_id`,
    [
      booking.id,
      w.salon.id,
      w.users.customer,
      staff.id,
      w.service.id,
      spec.rating ?? 4,
      spec.body ?? "Lovely blow-dry",
      hidden,
      hidden ? "Spam" : null,
      hidden ? at : null,
      at,
    ],
  );
  return review;
}
