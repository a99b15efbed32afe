import assert from "node:assert/strict";
import { decodeJwt } from "jose";
import { signAccessToken } from "@/services/auth/sessions.ts";
import { EXPORT_COVERAGE, referencesToUsers } from "@/services/privacy/export.ts";
import { makeTestApp } from "./helpers/app.ts";
import { testBackend } from "./helpers/db.ts";
import { makePrivacyFixture, PERSON } from "./helpers/privacy_fixture.ts";

const backend = testBackend();

Deno.test(`privacy export (${backend}) - every column that references users(id) is covered by the export`, async () => {
  const t = await makeTestApp();
  try {
    const references = await referencesToUsers(t.db);
    assert.ok(references.length >= 10, "the schema has its references to people");
    const covered = new Set(EXPORT_COVERAGE.map((c) => `${c.table}.${c.column}`));
    const missing = references.map((r) => `${r.table}.${r.column}`).filter((r) => !covered.has(r));
    assert.deepEqual(
      missing,
      [],
      "add these to EXPORT_COVERAGE (services/privacy/export.ts) and to deleteAccount",
    );
  } finally {
    await t.close();
  }
});

Deno.test(`privacy export (${backend}) - /me/privacy/export: a JSON download with the fixture person's rows from every table`, async () => {
  const t = await makeTestApp();
  try {
    const f = await makePrivacyFixture(t);

    // The fixture really touches every table that references a person.
    for (const { table, column } of await referencesToUsers(t.db)) {
      const [{ n }] = await t.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM "${table}" WHERE "${column}" = $1`,
        [f.userId],
      );
      assert.ok(n > 0, `the fixture has a row in ${table}.${column}`);
    }

    const res = await t.app.request("/me/privacy/export", {
      headers: { authorization: `Bearer ${f.access}` },
    });
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type") ?? "", /^application\/json/);
    assert.match(
      res.headers.get("content-disposition") ?? "",
      /^attachment; filename="salon-my-data-2026-11-21\.json"$/,
    );
    assert.equal(res.headers.get("cache-control"), "no-store");
    // 23:30 UTC is already the next day in Riyadh: the file is named by the Saudi date.
    t.clock.set("2026-11-21T23:30:00Z");
    const { token } = await signAccessToken(t.config, t.clock.now(), {
      userId: f.userId,
      role: "customer",
      sessionId: decodeJwt(f.access).sid as string,
    });
    const late = await t.app.request("/me/privacy/export", {
      headers: { authorization: `Bearer ${token}` },
    });
    assert.match(late.headers.get("content-disposition") ?? "", /salon-my-data-2026-11-22\.json"$/);
    await late.body?.cancel();
    const data = await res.json();

    for (const { table, column, section } of EXPORT_COVERAGE) {
      const exists = (await t.db.query(
        "SELECT 1 FROM information_schema.tables WHERE table_name = $1",
        [table],
      )).length > 0;
      if (!exists) continue;
      assert.ok(Array.isArray(data[section]), `section ${section}`);
      assert.ok(data[section].length > 0, `${table}.${column} rows appear under "${section}"`);
    }

    assert.equal(data.format, "salon.personal-data-export");
    assert.equal(data.generated_at, "2026-11-21T09:00:00.000Z");
    assert.deepEqual(
      [data.profile.phone_number, data.profile.email, data.profile.first_name],
      [PERSON.phone, PERSON.email, PERSON.firstName],
    );
    assert.equal(data.consents.length, 1);
    assert.deepEqual(
      data.bookings.map((b: { id: string }) => b.id).sort(),
      [f.bookings.past, f.bookings.cancelled, f.bookings.upcoming].sort(),
      "their three bookings, not the other customer's",
    );
    const past = data.bookings.find((b: { id: string }) => b.id === f.bookings.past);
    assert.deepEqual(
      past.history.map((e: { to_status: string }) => e.to_status),
      ["confirmed", "completed"],
    );
    assert.equal(data.reviews[0].rating, 4);
    assert.match(data.reviews[0].text, /Lovely/);
    assert.match(data.reviews[0].reply, /Thank you/);
    assert.ok(
      data.review_moderation.some((m: { action: string }) => m.action === "hidden"),
      "what they did as a manager",
    );
    assert.ok(
      data.booking_actions.some((a: { reason: string }) => a.reason === "Staff unavailable"),
    );
    assert.ok(data.messages.some((m: { body: string | null }) => m.body), "rendered texts");
    assert.ok(data.sessions.length >= 1 && "user_agent" in data.sessions[0]);
    assert.ok(data.login_codes.some((c: { purpose: string }) => c.purpose === "verify"));
    assert.equal(data.salon_memberships[0].salon_slug, f.salonB.slug);
    assert.equal(data.staff_profiles[0].name_en, "Stylist Z");
    assert.equal(data.booking_requests[0].key, "key-1");

    // Secrets and other people stay out.
    const text = JSON.stringify(data);
    assert.doesNotMatch(text, /code_hash|token_hash|request_hash/);
    assert.ok(!text.includes("+966500000002"), "not the other customer's phone");
    assert.ok(!text.includes("Too slow."), "not the other customer's review text");
    for (const row of data.login_codes) assert.equal("code_hash" in row, false);

    // Generated on request: nothing was stored.
    const stored = await t.db.query(
      "SELECT 1 FROM information_schema.tables WHERE table_name ILIKE '%export%'",
    );
    assert.equal(stored.length, 0);
  } finally {
    await t.close();
  }
});

Deno.test(`privacy export (${backend}) - signed out → login; the page links the download`, async () => {
  const t = await makeTestApp();
  try {
    const anon = await t.app.request("/me/privacy/export");
    assert.equal(anon.status, 303);
    assert.match(anon.headers.get("location") ?? "", /^\/login\?next=/);
  } finally {
    await t.close();
  }
});
