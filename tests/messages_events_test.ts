import assert from "node:assert/strict";
import {
  cancelReminders,
  enqueueBookingEvent,
  scheduleReminders,
} from "@/services/messages/enqueue.ts";
import { listMessagesForBooking } from "@/services/messages/queries.ts";
import { runWorkerOnce } from "@/services/messages/worker.ts";
import { TestClock } from "./helpers/app.ts";
import { createTestDb, testBackend } from "./helpers/db.ts";
import {
  insertBooking,
  makeWorld,
  messagesOf,
  moveBooking,
  scriptedProvider,
  setBookingStatus,
  workerDeps,
} from "./helpers/messages.ts";

const backend = testBackend();
const HOUR = 3_600_000;
// The test clock starts at 2026-11-21T09:00:00Z; this booking is four days later, 16:30 Riyadh.
const START = new Date("2026-11-25T13:30:00Z");

Deno.test(`messages (${backend}) - a new booking notifies the customer, the staff member and the managers, each in their language, once`, async () => {
  const { db, close } = await createTestDb();
  try {
    const clock = new TestClock();
    const world = await makeWorld(db, { customerLanguage: "en" });
    const booking = await insertBooking(db, world, START, "pending");
    const input = {
      bookingId: booking.id,
      event: "created" as const,
      actor: { userId: world.customer.id, role: "customer" as const },
      now: clock.now(),
    };
    const result = await db.transaction((tx) => enqueueBookingEvent(tx, input));
    assert.deepEqual(result, { messages: 3, reminders: 2 });
    const events = (await messagesOf(db, booking.id)).filter((m) => m.kind === "event");
    const byRole = Object.fromEntries(events.map((m) => [m.recipient_role, m]));
    assert.deepEqual(Object.keys(byRole).sort(), ["customer", "manager", "staff"]);

    assert.equal(byRole.customer.recipient_user_id, world.customer.id);
    assert.equal(byRole.customer.recipient_phone, world.customer.phone_number);
    assert.equal(byRole.customer.channel, "whatsapp");
    assert.equal(byRole.customer.locale, "en");
    assert.equal(byRole.customer.template, "msg.customer.created");
    assert.equal(byRole.customer.params.salon, "Lamsa Salon");
    assert.equal(byRole.customer.params.service, "Haircut and blow-dry");
    assert.equal(byRole.customer.params.staff, "Noura");
    assert.match(byRole.customer.params.linkPath, /^\/b\/[0-9A-Za-z]{8}$/);
    assert.equal(
      byRole.customer.dedupe_key,
      `booking:${booking.id}:created:${world.customer.id}:whatsapp`,
    );

    assert.equal(byRole.staff.recipient_user_id, world.staffUser.id);
    assert.equal(byRole.staff.channel, "sms");
    assert.equal(byRole.staff.locale, "en");
    assert.equal(byRole.staff.template, "msg.staff.created");

    assert.equal(byRole.manager.recipient_user_id, world.manager.id);
    assert.equal(byRole.manager.locale, "ar");
    assert.equal(byRole.manager.template, "msg.manager.created");
    assert.equal(byRole.manager.params.salon, "صالون لمسة");
    assert.equal(byRole.manager.params.staff, "نورة");

    // The same event again (a retried request) queues nothing more.
    const again = await db.transaction((tx) => enqueueBookingEvent(tx, input));
    assert.deepEqual(again, { messages: 0, reminders: 0 });
    assert.equal((await messagesOf(db, booking.id)).length, 5);

    // Delivered in each recipient's language.
    const provider = scriptedProvider();
    await runWorkerOnce(db, workerDeps(provider, clock.now));
    const to = (phone: string) => provider.delivered.find((d) => d.to === phone)!;
    assert.match(
      to(world.customer.phone_number).body,
      /^Lamsa Salon: we are holding .* It is confirmed once you pay/,
    );
    assert.match(to(world.staffUser.phone_number).body, /^Lamsa Salon: new booking for you/);
    assert.match(to(world.manager.phone_number).body, /^صالون لمسة: حجز جديد:/);
  } finally {
    await close();
  }
});

Deno.test(`messages (${backend}) - who gets which event: no staff message without an account, managers only for new bookings, no copy to the person who made the change`, async (t) => {
  const { db, close } = await createTestDb();
  try {
    const clock = new TestClock();
    await t.step("staff member without an account", async () => {
      const world = await makeWorld(db, { staffHasAccount: false });
      const booking = await insertBooking(db, world, START);
      await db.transaction((tx) =>
        enqueueBookingEvent(tx, { bookingId: booking.id, event: "confirmed", now: clock.now() })
      );
      const roles = (await messagesOf(db, booking.id)).filter((m) => m.kind === "event")
        .map((m) => m.recipient_role);
      assert.deepEqual(roles, ["customer"]);
    });
    await t.step(
      "cancelled by the salon (the staff member) tells the customer who did it",
      async () => {
        const world = await makeWorld(db);
        const booking = await insertBooking(db, world, START);
        await setBookingStatus(db, booking.id, "cancelled", "salon");
        await db.transaction((tx) =>
          enqueueBookingEvent(tx, {
            bookingId: booking.id,
            event: "cancelled",
            actor: { userId: world.staffUser.id, role: "salon" },
            now: clock.now(),
          })
        );
        const events = await messagesOf(db, booking.id);
        assert.deepEqual(events.map((m) => [m.recipient_role, m.template]), [
          ["customer", "msg.customer.cancelled.salon"],
        ]);
        assert.equal(events[0].params.by, "salon");
      },
    );
    await t.step("cancelled by the customer tells the staff member", async () => {
      const world = await makeWorld(db);
      const booking = await insertBooking(db, world, START);
      await setBookingStatus(db, booking.id, "cancelled", "customer");
      await db.transaction((tx) =>
        enqueueBookingEvent(tx, {
          bookingId: booking.id,
          event: "cancelled",
          actor: { userId: world.customer.id, role: "customer" },
          now: clock.now(),
        })
      );
      const events = await messagesOf(db, booking.id);
      assert.deepEqual(events.map((m) => [m.recipient_role, m.template]).sort(), [
        ["customer", "msg.customer.cancelled.customer"],
        ["staff", "msg.staff.cancelled"],
      ]);
      const provider = scriptedProvider();
      await runWorkerOnce(db, workerDeps(provider, clock.now));
      const staffSms = provider.delivered.find((d) => d.to === world.staffUser.phone_number)!;
      assert.match(staffSms.body, /^Lamsa Salon: booking cancelled by the customer: /);
    });
    await t.step(
      "payments and refunds carry the amount; each payment is its own message",
      async () => {
        const world = await makeWorld(db, { customerLanguage: "en" });
        const booking = await insertBooking(db, world, START);
        for (const ref of ["pay_1", "pay_2", "pay_2"]) {
          await db.transaction((tx) =>
            enqueueBookingEvent(tx, {
              bookingId: booking.id,
              event: "payment_received",
              amountHalalas: 5000,
              ref,
              now: clock.now(),
            })
          );
        }
        const events = (await messagesOf(db, booking.id)).filter((m) => m.kind === "event");
        assert.equal(events.filter((m) => m.recipient_role === "customer").length, 2);
        assert.equal(events.filter((m) => m.recipient_role === "staff").length, 2);
        assert.ok(events.every((m) => m.params.amountHalalas === 5000));
        assert.ok(events.every((m) => m.event === "payment_received"));
      },
    );
  } finally {
    await close();
  }
});

Deno.test(`messages (${backend}) - reminders 24 h and 2 h before; none for a booking made inside the window`, async (t) => {
  const { db, close } = await createTestDb();
  try {
    const clock = new TestClock();
    const world = await makeWorld(db);
    const reminders = async (bookingId: string) =>
      (await messagesOf(db, bookingId)).filter((m) => m.kind === "reminder");

    await t.step("four days ahead: both", async () => {
      const booking = await insertBooking(db, world, START);
      await db.transaction((tx) =>
        enqueueBookingEvent(tx, { bookingId: booking.id, event: "confirmed", now: clock.now() })
      );
      const rows = await reminders(booking.id);
      assert.deepEqual(rows.map((r) => [r.event, r.run_at.toISOString(), r.status]), [
        ["reminder_24h", "2026-11-24T13:30:00.000Z", "queued"],
        ["reminder_2h", "2026-11-25T11:30:00.000Z", "queued"],
      ]);
      assert.ok(rows.every((r) => r.recipient_user_id === world.customer.id));
      assert.equal(
        rows[0].dedupe_key,
        `reminder:${booking.id}:24h:${START.getTime() / 1000}:${world.customer.id}:whatsapp`,
      );
    });
    await t.step("booked 10 hours ahead: no 24 h reminder, the 2 h one only", async () => {
      const booking = await insertBooking(db, world, new Date(clock.now().getTime() + 10 * HOUR));
      await db.transaction((tx) =>
        enqueueBookingEvent(tx, { bookingId: booking.id, event: "created", now: clock.now() })
      );
      assert.deepEqual((await reminders(booking.id)).map((r) => r.event), ["reminder_2h"]);
    });
    await t.step("booked 90 minutes ahead: no reminder at all", async () => {
      const booking = await insertBooking(db, world, new Date(clock.now().getTime() + 1.5 * HOUR));
      await db.transaction((tx) =>
        enqueueBookingEvent(tx, { bookingId: booking.id, event: "created", now: clock.now() })
      );
      assert.deepEqual(await reminders(booking.id), []);
    });
    await t.step("a reminder goes out at its time, in the customer's language", async () => {
      const booking = await insertBooking(db, await makeWorld(db), START);
      await db.transaction((tx) => scheduleReminders(tx, booking.id, clock.now()));
      const provider = scriptedProvider();
      const deps = workerDeps(provider, clock.now);
      clock.set("2026-11-24T13:29:59Z");
      await runWorkerOnce(db, deps); // the earlier steps' messages that are due by now
      provider.delivered.length = 0;
      assert.equal((await runWorkerOnce(db, deps)).claimed, 0);
      clock.set("2026-11-24T13:30:00Z");
      const round = await runWorkerOnce(db, deps);
      assert.equal(round.sent, 2, "this booking's and the first step's 24 h reminders");
      assert.ok(provider.delivered.every((d) => d.body.startsWith("تذكير بموعدك في صالون لمسة")));
      clock.set("2026-11-21T09:00:00Z");
    });
  } finally {
    await close();
  }
});

Deno.test(`messages (${backend}) - rescheduling moves the reminders; moving back revives them`, async () => {
  const { db, close } = await createTestDb();
  try {
    const clock = new TestClock();
    const world = await makeWorld(db);
    const booking = await insertBooking(db, world, START);
    await db.transaction((tx) =>
      enqueueBookingEvent(tx, { bookingId: booking.id, event: "confirmed", now: clock.now() })
    );
    const later = new Date(START.getTime() + 2 * 24 * HOUR);
    await db.transaction(async (tx) => {
      await moveBooking(tx, world, booking.id, later);
      await enqueueBookingEvent(tx, {
        bookingId: booking.id,
        event: "rescheduled",
        actor: { userId: world.customer.id, role: "customer" },
        now: clock.now(),
      });
    });
    const rows = await messagesOf(db, booking.id);
    const reminders = rows.filter((m) => m.kind === "reminder");
    assert.deepEqual(
      reminders.map((r) => [r.event, r.run_at.toISOString(), r.status]).sort(),
      [
        ["reminder_24h", "2026-11-24T13:30:00.000Z", "cancelled"],
        ["reminder_24h", "2026-11-26T13:30:00.000Z", "queued"],
        ["reminder_2h", "2026-11-25T11:30:00.000Z", "cancelled"],
        ["reminder_2h", "2026-11-27T11:30:00.000Z", "queued"],
      ],
    );
    const moved = rows.filter((m) => m.event === "rescheduled");
    assert.deepEqual(moved.map((m) => m.recipient_role).sort(), ["customer", "staff"]);
    assert.ok(moved.every((m) => m.params.startsAt === later.toISOString()));

    // Moving back to the first time revives the cancelled reminders instead of losing them.
    await db.transaction(async (tx) => {
      await moveBooking(tx, world, booking.id, START);
      await enqueueBookingEvent(tx, {
        bookingId: booking.id,
        event: "rescheduled",
        now: clock.now(),
      });
    });
    const back = (await messagesOf(db, booking.id)).filter((m) => m.kind === "reminder");
    assert.deepEqual(
      back.filter((r) => r.status === "queued").map((r) => r.run_at.toISOString()).sort(),
      ["2026-11-24T13:30:00.000Z", "2026-11-25T11:30:00.000Z"],
    );
    assert.equal(back.filter((r) => r.status === "cancelled").length, 2);
  } finally {
    await close();
  }
});

Deno.test(`messages (${backend}) - cancellation removes the reminders; the worker drops any for a booking that changed`, async (t) => {
  const { db, close } = await createTestDb();
  try {
    const clock = new TestClock();
    const world = await makeWorld(db);
    await t.step("cancelled: reminders cancelled in the same transaction", async () => {
      const booking = await insertBooking(db, world, START);
      await db.transaction((tx) =>
        enqueueBookingEvent(tx, { bookingId: booking.id, event: "confirmed", now: clock.now() })
      );
      await db.transaction(async (tx) => {
        await setBookingStatus(tx, booking.id, "cancelled", "customer");
        await enqueueBookingEvent(tx, {
          bookingId: booking.id,
          event: "cancelled",
          actor: { userId: world.customer.id, role: "customer" },
          now: clock.now(),
        });
      });
      const reminders = (await messagesOf(db, booking.id)).filter((m) => m.kind === "reminder");
      assert.equal(reminders.length, 2);
      assert.ok(reminders.every((r) => r.status === "cancelled"));
      assert.equal(await db.transaction((tx) => cancelReminders(tx, booking.id)), 0);
    });
    await t.step(
      "expired without an event: the worker cancels the reminder instead of sending it",
      async () => {
        const booking = await insertBooking(db, await makeWorld(db), START, "pending");
        await db.transaction((tx) => scheduleReminders(tx, booking.id, clock.now()));
        await setBookingStatus(db, booking.id, "expired");
        const provider = scriptedProvider();
        await runWorkerOnce(db, workerDeps(provider, clock.now)); // the first step's event messages
        provider.delivered.length = 0;
        clock.set("2026-11-25T11:30:00Z");
        const round = await runWorkerOnce(db, workerDeps(provider, clock.now));
        assert.equal(round.cancelled, 2);
        const rows = (await messagesOf(db, booking.id)).filter((m) => m.kind === "reminder");
        assert.ok(rows.every((r) => r.status === "cancelled"));
        assert.equal(rows[0].last_error, "not sent: booking is expired");
        assert.equal(provider.delivered.length, 0);
      },
    );
  } finally {
    await close();
  }
});

Deno.test(`messages (${backend}) - listMessagesForBooking shows status, attempts and last error`, async () => {
  const { db, close } = await createTestDb();
  try {
    const clock = new TestClock();
    const world = await makeWorld(db, { staffHasAccount: false });
    const booking = await insertBooking(db, world, START);
    await db.transaction((tx) =>
      enqueueBookingEvent(tx, { bookingId: booking.id, event: "confirmed", now: clock.now() })
    );
    const provider = scriptedProvider();
    provider.down = true;
    await runWorkerOnce(db, workerDeps(provider, clock.now));
    const list = await listMessagesForBooking(db, booking.id);
    assert.deepEqual(
      list.map((m) => [m.event, m.status, m.attempts, m.max_attempts]),
      [["confirmed", "failed", 1, 3], ["reminder_24h", "queued", 0, 3], [
        "reminder_2h",
        "queued",
        0,
        3,
      ]],
    );
    assert.equal(list[0].last_error, "RetryableSendError: provider: HTTP 503");
  } finally {
    await close();
  }
});
