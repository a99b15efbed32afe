import assert from "node:assert/strict";
import { makeTestApp, type TestApp } from "./helpers/app.ts";
import { login, postJson, sendJson } from "./helpers/auth.ts";
import { auditCount, book, makeWorld, PHONES, post, type World } from "./helpers/dashboard.ts";
import { makeReview } from "./helpers/dashboard_fixtures.ts";

// Bidi embedding, override and isolate controls in what people type are stripped at input
// validation (services/text.ts), before trimming and the required/length checks.

const LRE = "\u202A", RLE = "\u202B", PDF = "\u202C", LRO = "\u202D", RLO = "\u202E";
const LRI = "\u2066", RLI = "\u2067", FSI = "\u2068", PDI = "\u2069";
/** All nine, and nothing else. */
const ONLY_CONTROLS = LRE + RLE + PDF + LRO + RLO + LRI + RLI + FSI + PDI;
const BIDI = /[\u202A-\u202E\u2066-\u2069]/;

async function withWorld(fn: (t: TestApp, w: World, base: string) => Promise<void>) {
  const t = await makeTestApp();
  try {
    const w = await makeWorld(t);
    await fn(t, w, `/dashboard/${w.salon.slug}`);
  } finally {
    await t.close();
  }
}

async function one<T>(t: TestApp, sql: string, params: unknown[]): Promise<T> {
  const [row] = await t.db.query<T>(sql, params);
  return row;
}

async function count(t: TestApp, table: string, salonId: string): Promise<number> {
  const row = await one<{ n: number }>(
    t,
    `SELECT count(*)::int AS n FROM ${table} WHERE salon_id = $1`,
    [salonId],
  );
  return row.n;
}

Deno.test("user text - profile names from /me and PATCH /api/auth/me/ are stored without bidi controls", async (tt) => {
  await withWorld(async (t, w) => {
    const name = () =>
      one<{ first_name: string; last_name: string }>(
        t,
        "SELECT first_name, last_name FROM users WHERE id = $1",
        [w.users.customer],
      );
    await tt.step("the /me form", async () => {
      const res = await post(t, "/me", w.jars.customer, {
        first_name: `${RLO}سارة${PDF}`,
        last_name: ` Al${LRI}i${PDI} `,
        email: "",
        preferred_language: "ar",
      });
      assert.equal(res.status, 303);
      assert.deepEqual(await name(), { first_name: "سارة", last_name: "Ali" });
    });
    await tt.step("a name of controls only is an empty name (optional: cleared)", async () => {
      const res = await post(t, "/me", w.jars.customer, {
        first_name: "سارة",
        last_name: ONLY_CONTROLS,
        email: "",
        preferred_language: "ar",
      });
      assert.equal(res.status, 303);
      assert.deepEqual(await name(), { first_name: "سارة", last_name: "" });
    });
    await tt.step("the JSON API", async () => {
      t.clock.advance(2 * 60_000); // past the wait between two login codes for one number
      const { access } = await login(t, PHONES.customer);
      const res = await sendJson(t.app, "PATCH", "/api/auth/me/", {
        first_name: `${FSI}Huda${PDI}`,
        last_name: `${RLE}الحربي${PDF}\u200F`,
      }, { authorization: `Bearer ${access}` });
      assert.equal(res.status, 200);
      const body = await res.json();
      assert.equal(body.first_name, "Huda");
      assert.equal(body.last_name, "الحربي\u200F", "RLM stays");
      assert.deepEqual(await name(), { first_name: "Huda", last_name: "الحربي\u200F" });
    });
  });
});

Deno.test("user text - dashboard names and descriptions: controls stripped, newlines, emoji and RLM kept; a name of controls only is the localized 400 of an empty name, nothing saved", async (tt) => {
  await withWorld(async (t, w, base) => {
    const service = {
      intent: "create",
      category: "color",
      name_ar: `${RLI}صبغة${PDI}`,
      name_en: `Col${RLO}our${PDF}`,
      description_ar: "",
      description_en: `Line one\n${LRO}line two 💇‍♀️\u200F${PDF}\nline three`,
      duration_minutes: "90",
      price: "120",
      buffer_before_minutes: "0",
      buffer_after_minutes: "0",
      sort_order: "1",
      active: "on",
    };
    await tt.step("a service: stored clean", async () => {
      const res = await post(t, `${base}/services`, w.jars.manager, service);
      assert.equal(res.status, 303);
      const row = await one<{ name_ar: string; name_en: string; description_en: string }>(
        t,
        "SELECT name_ar, name_en, description_en FROM services WHERE salon_id = $1 AND name_en = $2",
        [w.salon.id, "Colour"],
      );
      assert.ok(row, "found by its clean name");
      assert.equal(row.name_ar, "صبغة");
      assert.equal(row.description_en, "Line one\nline two 💇‍♀️\u200F\nline three");
    });

    for (const lang of ["en", "ar"] as const) {
      await tt.step(
        `a service named only controls (${lang}): 400, required, nothing saved`,
        async () => {
          const services = await count(t, "services", w.salon.id);
          const audits = await auditCount(t);
          const res = await post(t, `${base}/services?lang=${lang}`, w.jars.manager, {
            ...service,
            name_en: ` ${ONLY_CONTROLS} `,
          });
          assert.equal(res.status, 400);
          assert.match(res.headers.get("content-type") ?? "", /text\/html/);
          const html = await res.text();
          assert.ok(
            html.includes(lang === "en" ? "This field is required." : "هذا الحقل مطلوب."),
            "the same message an empty name gets",
          );
          assert.equal(await count(t, "services", w.salon.id), services);
          assert.equal(await auditCount(t), audits);
        },
      );
    }

    const staff = {
      intent: "create",
      name_ar: `${RLO}هند${PDF}`,
      name_en: `${LRI}Hind${PDI}`,
      title_ar: "",
      title_en: `Colour${RLE}ist`,
      sort_order: "3",
      active: "on",
    };
    await tt.step("a staff member: stored clean", async () => {
      const res = await post(t, `${base}/staff`, w.jars.manager, staff);
      assert.equal(res.status, 303);
      const row = await one<{ name_ar: string; name_en: string; title_en: string }>(
        t,
        "SELECT name_ar, name_en, title_en FROM staff WHERE salon_id = $1 AND name_en = 'Hind'",
        [w.salon.id],
      );
      assert.deepEqual(row, { name_ar: "هند", name_en: "Hind", title_en: "Colourist" });
    });
    await tt.step("a staff member named only controls: 400 in Arabic, nothing saved", async () => {
      const before = await count(t, "staff", w.salon.id);
      const audits = await auditCount(t);
      const res = await post(t, `${base}/staff?lang=ar`, w.jars.manager, {
        ...staff,
        name_ar: ONLY_CONTROLS,
      });
      assert.equal(res.status, 400);
      assert.ok((await res.text()).includes("هذا الحقل مطلوب."));
      assert.equal(await count(t, "staff", w.salon.id), before);
      assert.equal(await auditCount(t), audits);
    });
    await tt.step("a team invitation's first name", async () => {
      const res = await post(t, `${base}/team`, w.jars.manager, {
        intent: "invite",
        phone: "0557771111",
        role: "staff",
        staff_id: "",
        first_name: `${RLO}Reem${PDF}`,
        language: "en",
      });
      assert.equal(res.status, 303);
      const row = await one<{ first_name: string }>(
        t,
        "SELECT first_name FROM users WHERE phone_number = '+966557771111'",
        [],
      );
      assert.equal(row.first_name, "Reem");
    });
    await tt.step("nothing stored in the salon's catalog has a bidi control", async () => {
      const rows = await t.db.query<{ text: string }>(
        `SELECT name_ar || name_en || description_ar || description_en AS text FROM services
         UNION ALL SELECT name_ar || name_en || title_ar || title_en FROM staff
         UNION ALL SELECT first_name || last_name FROM users`,
      );
      assert.ok(rows.every((r) => !BIDI.test(r.text)));
    });
  });
});

Deno.test("user text - cancellation reasons (booking page, JSON API, dashboard) and review replies are stored without bidi controls", async (tt) => {
  await withWorld(async (t, w, base) => {
    const reasonOf = async (id: string) =>
      await one<{ status: string; cancel_reason: string | null }>(
        t,
        "SELECT status, cancel_reason FROM bookings WHERE id = $1",
        [id],
      );
    await tt.step("the customer's cancel form", async () => {
      const b = await book(t, w, { start: "2026-11-24T07:00:00Z" });
      const res = await post(t, `/bookings/${b.id}/cancel`, w.jars.customer, {
        reason: `${RLO}Can't make it${PDF}`,
        confirm: "yes",
      });
      assert.equal(res.status, 303);
      assert.deepEqual(await reasonOf(b.id), {
        status: "cancelled",
        cancel_reason: "Can't make it",
      });
    });
    await tt.step("the JSON API", async () => {
      const b = await book(t, w, { start: "2026-11-24T08:00:00Z" });
      t.clock.advance(2 * 60_000); // past the wait between two login codes for one number
      const { access } = await login(t, PHONES.customer);
      const res = await postJson(t.app, `/api/bookings/${b.id}/cancel/`, {
        reason: `تغيرت ${RLI}خططي${PDI}`,
      }, { authorization: `Bearer ${access}` });
      assert.equal(res.status, 200);
      assert.deepEqual(await reasonOf(b.id), { status: "cancelled", cancel_reason: "تغيرت خططي" });
    });
    await tt.step(
      "the dashboard: a reason of controls only is no reason, nothing changes",
      async () => {
        const b = await book(t, w, { start: "2026-11-24T09:00:00Z" });
        const audits = await auditCount(t);
        const empty = await post(t, `${base}/bookings/${b.id}/cancel`, w.jars.manager, {
          reason: ONLY_CONTROLS,
        });
        assert.equal(empty.status, 303);
        assert.match(empty.headers.get("location") ?? "", /error=dash\.error\.reasonRequired/);
        assert.deepEqual(await reasonOf(b.id), { status: "confirmed", cancel_reason: null });
        assert.equal(await auditCount(t), audits);
        const res = await post(t, `${base}/bookings/${b.id}/cancel`, w.jars.manager, {
          reason: `Staff ill ${LRO}12${PDF}`,
        });
        assert.equal(res.status, 303);
        assert.deepEqual(await reasonOf(b.id), {
          status: "cancelled",
          cancel_reason: "Staff ill 12",
        });
      },
    );
    await tt.step("a review reply keeps its lines", async () => {
      const review = await makeReview(t, w, { start: new Date("2026-11-15T07:00:00Z") });
      const res = await post(t, `${base}/reviews`, w.jars.manager, {
        intent: "reply",
        review_id: review.id,
        text: `Thank you ${RLO}Sara${PDF}!\nSee you soon 🌸`,
      });
      assert.equal(res.status, 303);
      const row = await one<{ reply: string }>(t, "SELECT reply FROM reviews WHERE id = $1", [
        review.id,
      ]);
      assert.equal(row.reply, "Thank you Sara!\nSee you soon 🌸");
    });
  });
});
