/**
 * One person who touches every table that can hold data about them, for the export and deletion
 * tests: a customer with past, cancelled and upcoming bookings, a review and the salon's reply,
 * messages (some sent), sessions, consents, login codes, a booking request key, payments; and at
 * another salon a manager and staff member who replied to and hid reviews, cancelled a booking and
 * acted on a payment. Their name, phone and email also appear inside free text they wrote and the
 * salon wrote about them, where deletion must find them.
 */
import { changeBookingStatus, createBooking } from "@/services/bookings/mod.ts";
import { updateProfile } from "@/services/auth/users.ts";
import { consoleMessageProvider, runWorkerOnce } from "@/services/messages/mod.ts";
import { tableExists } from "@/services/privacy/redact.ts";
import type { TestApp } from "./app.ts";
import { login, postJson } from "./auth.ts";
import { makeSalon, makeService, makeStaff } from "./factories.ts";

export const PERSON = {
  phone: "+966551234567",
  local: "0551234567",
  email: "zumurrud.qarawi@example.com",
  firstName: "Zumurrud",
  lastName: "Qarawi",
};
export const OTHER_PHONE = "0500000002";

export interface Fixture {
  userId: string;
  stylistAId: string;
  otherId: string;
  access: string;
  salonA: { id: string; slug: string };
  salonB: { id: string; slug: string };
  bookings: { past: string; cancelled: string; upcoming: string; otherAtB: string };
  reviewId: string;
  otherReviewIds: string[];
}

const bearer = (access: string) => ({ authorization: `Bearer ${access}` });

/** Access tokens last minutes and the fixture moves the clock by days: rotate the refresh token. */
async function fresh(t: TestApp, who: { access: string; refresh: string }) {
  const res = await postJson(t.app, "/api/auth/token/refresh/", { refresh: who.refresh });
  if (res.status !== 200) throw new Error(`refresh: ${res.status} ${await res.text()}`);
  const body = await res.json();
  who.access = body.access;
  who.refresh = body.refresh ?? who.refresh;
  return bearer(who.access);
}

export async function makePrivacyFixture(t: TestApp): Promise<Fixture> {
  const db = t.db;
  t.clock.set("2026-11-10T06:00:00Z");

  // Salon A: where the person is a customer. Its manager is someone else.
  const salonA = await makeSalon(db);
  const serviceA = await makeService(db, salonA, { name_en: "Blow-dry", name_ar: "استشوار" });
  const stylistA = await login(t, "0500000004");
  const staffA = await makeStaff(db, salonA, {
    services: [serviceA.id],
    user_id: stylistA.user.id,
  });
  const managerA = await login(t, "0500000003");
  await db.query(
    "INSERT INTO salon_memberships (user_id, salon_id, role) VALUES ($1, $2, 'manager')",
    [managerA.user.id, salonA.id],
  );

  // The person: logs in (consent, login codes, a session), names and email, a verify code.
  const me = await login(t, PERSON.local);
  const userId = me.user.id as string;
  await updateProfile(db, userId, {
    firstName: PERSON.firstName,
    lastName: PERSON.lastName,
    email: PERSON.email,
  }, t.clock.now());
  const verify = await postJson(t.app, "/api/auth/otp/request/", { channel: "whatsapp" }, {
    ...bearer(me.access),
  });
  if (verify.status !== 201) {
    throw new Error(`otp request: ${verify.status} ${await verify.text()}`);
  }

  // Salon B: the person manages it and works there (a staff profile the salon named).
  const salonB = await makeSalon(db);
  const serviceB = await makeService(db, salonB);
  const staffB = await makeStaff(db, salonB, {
    services: [serviceB.id],
    user_id: userId,
    name_en: "Stylist Z",
    name_ar: "المصففة ز",
  });
  await db.query(
    "INSERT INTO salon_memberships (user_id, salon_id, role) VALUES ($1, $2, 'manager')",
    [userId, salonB.id],
  );
  const other = await login(t, OTHER_PHONE);
  const otherId = other.user.id as string;

  const book = async (
    customerId: string,
    salon: typeof salonA,
    service: typeof serviceA,
    staff: {
      id: string;
    },
    start: string,
    key?: string,
  ) =>
    (await createBooking(db, {
      customerId,
      salon: salon.slug,
      serviceId: service.id,
      staff: staff.id,
      start: new Date(start),
      now: t.clock.now(),
      actor: { userId: customerId, role: "customer" },
      ...(key ? { idempotency: { key, requestHash: `hash-${key}` } } : {}),
    })).booking;

  const past = await book(userId, salonA, serviceA, staffA, "2026-11-11T10:00:00Z", "key-1");
  const cancelled = await book(userId, salonA, serviceA, staffA, "2026-11-12T10:00:00Z");
  await changeBookingStatus(db, {
    bookingId: cancelled.id,
    to: "cancelled",
    actor: { userId, role: "customer" },
    now: t.clock.now(),
    reason: `${PERSON.firstName} is travelling, call ${PERSON.local}`,
    scope: { customerId: userId },
  });
  const otherAtB = await book(otherId, salonB, serviceB, staffB, "2026-11-11T12:00:00Z");
  const otherAtB2 = await book(otherId, salonB, serviceB, staffB, "2026-11-13T12:00:00Z");
  // As salon B's staff the person cancels one of the other customer's bookings.
  await changeBookingStatus(db, {
    bookingId: otherAtB2.id,
    to: "cancelled",
    actor: { userId, role: "salon" },
    now: t.clock.now(),
    reason: "Staff unavailable",
    scope: { salonId: salonB.id },
  });

  // The visits happen; the salons mark them completed.
  t.clock.set("2026-11-12T06:00:00Z");
  for (const b of [past, otherAtB]) {
    await changeBookingStatus(db, {
      bookingId: b.id,
      to: "completed",
      actor: { userId: null, role: "salon" },
      now: t.clock.now(),
      scope: {},
    });
  }

  // Both visits are checked out at the counter: the person's invoice at salon A, and the one the
  // person issues as salon B's manager for the other customer.
  for (const [b, salon, by] of [[past, salonA, managerA], [otherAtB, salonB, me]] as const) {
    const res = await postJson(
      t.app,
      `/api/salons/${salon.slug}/bookings/${b.id}/checkout/`,
      { payments: [{ method: "cash", amount_halalas: b.price_halalas }] },
      await fresh(t, by),
    );
    if (res.status !== 201) throw new Error(`checkout: ${res.status} ${await res.text()}`);
  }

  // Reviews: the person's, with the salon's reply naming them; the other customer's at salon B,
  // replied to and hidden by the person as its manager.
  const review = await postJson(t.app, `/api/bookings/${past.id}/review/`, {
    rating: 4,
    text: `Lovely. ${PERSON.firstName} ${PERSON.lastName} (${PERSON.email}) will be back.`,
  }, await fresh(t, me));
  if (review.status !== 201) throw new Error(`review: ${review.status} ${await review.text()}`);
  const reviewId = (await review.json()).review.id as string;
  const reply = await postJson(t.app, `/api/salons/${salonA.slug}/reviews/${reviewId}/reply/`, {
    text: `Thank you ${PERSON.firstName}!`,
  }, await fresh(t, managerA));
  if (reply.status !== 200) throw new Error(`reply: ${reply.status} ${await reply.text()}`);
  const otherReview = await postJson(t.app, `/api/bookings/${otherAtB.id}/review/`, {
    rating: 2,
    text: "Too slow.",
  }, await fresh(t, other));
  const otherReviewId = (await otherReview.json()).review.id as string;
  for (
    const [path, body] of [
      ["reply", { text: "Sorry, we will do better. — the manager" }],
      ["hide", { reason: "Posted twice" }],
    ] as const
  ) {
    const res = await postJson(
      t.app,
      `/api/salons/${salonB.slug}/reviews/${otherReviewId}/${path}/`,
      body,
      await fresh(t, me),
    );
    if (res.status !== 200) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  }

  // An upcoming booking (deletion cancels it).
  t.clock.set("2026-11-21T09:00:00Z");
  const upcoming = await book(userId, salonA, serviceA, staffA, "2026-11-25T10:00:00Z");

  // Deliver the queued messages (so some rows carry rendered text), then give one a body that
  // names the person, as a provider error might.
  await runWorkerOnce(db, {
    provider: consoleMessageProvider(() => {}),
    now: t.clock.now,
    publicUrl: "https://salon.test",
    batchSize: 100,
  });
  await db.query(
    `UPDATE messages SET last_error = $2
     WHERE id = (SELECT id FROM messages WHERE recipient_user_id = $1 ORDER BY created_at LIMIT 1)`,
    [userId, `provider said: ${PERSON.phone} unreachable`],
  );

  if (await tableExists(db, "payments")) {
    const [pay] = await db.query<{ id: string }>(
      `INSERT INTO payments (booking_id, salon_id, customer_id, purpose, status, amount_halalas,
         captured_halalas, description, locale, created_at, updated_at)
       VALUES ($1, $2, $3, 'full', 'paid', 10000, 10000, $4, 'en', $5, $5) RETURNING id`,
      [
        past.id,
        salonA.id,
        userId,
        `Visit of ${PERSON.firstName} ${PERSON.lastName}`,
        t.clock.now(),
      ],
    );
    await db.query(
      `INSERT INTO payment_events (payment_id, booking_id, at, kind, to_status, amount_halalas,
         source, actor_user_id, actor_role, reason)
       VALUES ($1, $2, $3, 'status', 'paid', 10000, 'callback', $4, 'customer', $5)`,
      [pay.id, past.id, t.clock.now(), userId, `paid by ${PERSON.phone}`],
    );
    const [otherPay] = await db.query<{ id: string }>(
      `INSERT INTO payments (booking_id, salon_id, customer_id, purpose, status, amount_halalas,
         captured_halalas, refunded_halalas, description, locale, created_at, updated_at)
       VALUES ($1, $2, $3, 'full', 'partially_refunded', 10000, 10000, 500, 'Visit', 'ar', $4, $4)
       RETURNING id`,
      [otherAtB.id, salonB.id, otherId, t.clock.now()],
    );
    await db.query(
      `INSERT INTO payment_events (payment_id, booking_id, at, kind, amount_halalas, source,
         actor_user_id, actor_role, reason)
       VALUES ($1, $2, $3, 'refund_requested', -500, 'page', $4, 'salon', 'Goodwill')`,
      [otherPay.id, otherAtB.id, t.clock.now(), userId],
    );
    await db.query(
      `INSERT INTO payment_actions (payment_id, kind, amount_halalas, status, actor_user_id,
         actor_role, reason, created_at, updated_at, completed_at)
       VALUES ($1, 'refund', 500, 'succeeded', $2, 'salon', 'Goodwill', $3, $3, $3)`,
      [otherPay.id, userId, t.clock.now()],
    );
  }

  if (await tableExists(db, "audit_log")) {
    // As salon B's manager the person changed a service; salon A's manager invited them earlier.
    await db.query(
      `INSERT INTO audit_log (salon_id, actor_user_id, actor_role, action, entity, entity_id,
         before, after, at)
       VALUES ($1, $2, 'manager', 'service.update', 'service', $3, $4, $5, $6),
              ($7, $8, 'manager', 'team.invite', 'user', $2, NULL, $9, $6)`,
      [
        salonB.id,
        userId,
        serviceB.id,
        { name_en: "Cut" },
        { name_en: "Haircut" },
        t.clock.now(),
        salonA.id,
        managerA.user.id,
        { phone_number: PERSON.phone, first_name: PERSON.firstName, role: "staff" },
      ],
    );
  }

  if (await tableExists(db, "waitlist_entries")) {
    // The person waits for a time at salon A and was offered one.
    const [entry] = await db.query<{ id: string }>(
      `INSERT INTO waitlist_entries (salon_id, customer_id, service_ids, day, from_minute,
         to_minute, created_at, updated_at)
       VALUES ($1, $2, ARRAY[$3::uuid], '2026-11-25', 540, 720, $4, $4) RETURNING id`,
      [salonA.id, userId, serviceA.id, t.clock.now()],
    );
    await db.query(
      `INSERT INTO waitlist_offers (salon_id, entry_id, customer_id, token, starts_at, expires_at,
         offered_by, created_at, updated_at)
       VALUES ($1, $2, $3, 'fixtureOfferToken123', '2026-11-25T07:00:00Z', $4, 'system', $4, $4)`,
      [salonA.id, entry.id, userId, t.clock.now()],
    );
  }

  if (await tableExists(db, "photos")) {
    // As salon B's manager the person uploaded a gallery photo.
    await db.query(
      `INSERT INTO photos (salon_id, kind, width, height, variants, uploaded_by, created_at)
       VALUES ($1, 'salon', 1200, 800, '[]', $2, $3)`,
      [salonB.id, userId, t.clock.now()],
    );
  }

  return {
    userId,
    stylistAId: stylistA.user.id as string,
    otherId,
    access: (await fresh(t, me), me.access),
    salonA: { id: salonA.id, slug: salonA.slug },
    salonB: { id: salonB.id, slug: salonB.slug },
    bookings: {
      past: past.id,
      cancelled: cancelled.id,
      upcoming: upcoming.id,
      otherAtB: otherAtB.id,
    },
    reviewId,
    otherReviewIds: [otherReviewId],
  };
}
