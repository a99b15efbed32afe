import assert from "node:assert/strict";
import { bookingLinkCode } from "@/services/messages/enqueue.ts";
import { makeTestApp } from "./helpers/app.ts";
import { testBackend } from "./helpers/db.ts";
import { insertBooking, makeWorld } from "./helpers/messages.ts";

Deno.test(`messages (${testBackend()}) - a short link in a message leads to its booking`, async (t) => {
  const { app, db, close } = await makeTestApp();
  try {
    const world = await makeWorld(db);
    const booking = await insertBooking(db, world, new Date("2026-11-25T13:30:00Z"));
    const code = await db.transaction((tx) => bookingLinkCode(tx, booking.id));
    assert.match(code, /^[0-9A-Za-z]{8}$/);
    assert.equal(await db.transaction((tx) => bookingLinkCode(tx, booking.id)), code, "stable");

    await t.step("GET /b/<code> → 303 to the booking page", async () => {
      const res = await app.request(`/b/${code}`);
      assert.equal(res.status, 303);
      assert.equal(res.headers.get("location"), `/bookings/${booking.id}`);
    });
    await t.step("an unknown or malformed code is a 404", async () => {
      assert.equal((await app.request("/b/zzzzzzzz")).status, 404);
      assert.equal((await app.request("/b/bad!code")).status, 404);
    });
  } finally {
    await close();
  }
});
