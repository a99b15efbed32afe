import assert from "node:assert/strict";
import { getUser } from "@/services/auth/users.ts";
import type { SessionUser } from "@/services/auth/users.ts";
import type { DashboardActor } from "@/services/dashboard/access.ts";
import {
  cancelSalonBooking,
  createWalkInBooking,
  setBookingStatus,
} from "@/services/dashboard/bookings.ts";
import {
  addBreak,
  addClosure,
  addTimeOff,
  createService,
  createStaff,
  setSalonHours,
  setStaffHours,
  updateSalonSettings,
  updateService,
  updateStaff,
} from "@/services/dashboard/catalog.ts";
import { listAudit } from "@/services/dashboard/audit.ts";
import { inviteMember, removeMember } from "@/services/dashboard/team.ts";
import { ForbiddenError } from "@/services/errors.ts";
import { listSlots } from "@/services/slots/load.ts";
import { makeTestApp, type TestApp } from "./helpers/app.ts";
import { auditCount, book, get, makeWorld, post, type World } from "./helpers/dashboard.ts";

async function withWorld(fn: (t: TestApp, w: World, base: string) => Promise<void>) {
  const t = await makeTestApp();
  try {
    const w = await makeWorld(t);
    await fn(t, w, `/dashboard/${w.salon.slug}`);
  } finally {
    await t.close();
  }
}

async function audits(t: TestApp, action: string) {
  return await t.db.query<
    {
      before: Record<string, unknown> | null;
      after: Record<string, unknown> | null;
      entity_id: string;
    }
  >(
    "SELECT before, after, entity_id FROM audit_log WHERE action = $1 ORDER BY at",
    [action],
  );
}

const SERVICE = {
  category: "color",
  name_ar: "صبغة",
  name_en: "Colour",
  description_ar: "",
  description_en: "Full colour",
  duration_minutes: "٩٠",
  price: "١٢٠٫٥٠",
  buffer_before_minutes: "0",
  buffer_after_minutes: "15",
  sort_order: "2",
  active: "on",
};

Deno.test("dashboard services - add (Arabic digits and decimal comma), edit, switch off; every change audited", async () => {
  await withWorld(async (t, w, base) => {
    const res = await post(t, `${base}/services`, w.jars.manager, { intent: "create", ...SERVICE });
    assert.equal(res.status, 303);
    assert.equal(res.headers.get("location"), `${base}/services?notice=created`);
    const [svc] = await t.db.query<
      {
        id: string;
        duration_minutes: number;
        price_halalas: number;
        buffer_after_minutes: number;
        active: boolean;
      }
    >(
      "SELECT id, duration_minutes, price_halalas, buffer_after_minutes, active FROM services WHERE name_en = 'Colour'",
    );
    assert.deepEqual(
      [svc.duration_minutes, svc.price_halalas, svc.buffer_after_minutes, svc.active],
      [90, 12050, 15, true],
    );
    const list = await (await get(t, `${base}/services?lang=en`, w.jars.manager)).text();
    assert.ok(list.includes("SAR 120.50") || list.includes("SAR\u00a0120.50"));

    const edit = await post(t, `${base}/services/${svc.id}`, w.jars.manager, {
      intent: "update",
      ...SERVICE,
      price: "150",
      active: "",
    });
    assert.equal(edit.status, 303);
    const [after] = await t.db.query<{ price_halalas: number; active: boolean }>(
      "SELECT price_halalas, active FROM services WHERE id = $1",
      [svc.id],
    );
    assert.deepEqual(after, { price_halalas: 15000, active: false });
    const [created] = await audits(t, "service.create");
    assert.equal(created.before, null);
    assert.equal(created.after?.price_halalas, 12050);
    const [updated] = await audits(t, "service.update");
    assert.deepEqual([updated.before?.price_halalas, updated.after?.price_halalas], [12050, 15000]);
    assert.deepEqual([updated.before?.active, updated.after?.active], [true, false]);

    // The same values again change nothing and write nothing.
    await post(t, `${base}/services/${svc.id}`, w.jars.manager, {
      ...SERVICE,
      price: "150",
      active: "",
    });
    assert.equal((await audits(t, "service.update")).length, 1);
  });
});

Deno.test("dashboard services - bad input re-renders the form with 400 and localized messages, nothing saved", async () => {
  await withWorld(async (t, w, base) => {
    const res = await post(t, `${base}/services?lang=ar`, w.jars.manager, {
      intent: "create",
      ...SERVICE,
      name_en: "",
      price: "12.345",
      duration_minutes: "3",
    });
    assert.equal(res.status, 400);
    const html = await res.text();
    assert.ok(html.includes("هذا الحقل مطلوب."), "required, in Arabic");
    assert.ok(html.includes("أدخل المبلغ بالريال"), "money message");
    assert.ok(html.includes("أدخل عددًا صحيحًا ضمن الحدود المسموحة."), "range message");
    assert.ok(html.includes('value="12.345"'), "typed values stay");
    assert.ok(html.includes("<details open"), "the add form is open again");
    const en = await post(t, `${base}/services?lang=en`, w.jars.manager, {
      ...SERVICE,
      name_en: "",
    });
    assert.match(await en.text(), /This field is required\./);
    assert.equal(await auditCount(t), 0);
    const [{ n }] = await t.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM services WHERE salon_id = $1",
      [w.salon.id],
    );
    assert.equal(n, 1);
  });
});

Deno.test("dashboard staff - add with services and own prices, edit, own hours, time off; the slot engine follows", async () => {
  await withWorld(async (t, w, base) => {
    const res = await post(t, `${base}/staff`, w.jars.manager, {
      intent: "create",
      name_ar: "هند",
      name_en: "Hind",
      title_ar: "خبيرة صبغة",
      title_en: "Colourist",
      sort_order: "3",
      active: "on",
      [`svc_${w.service.id}`]: "on",
      [`dur_${w.service.id}`]: "45",
      [`price_${w.service.id}`]: "80",
    });
    assert.equal(res.status, 303);
    const id = /staff\/([0-9a-f-]{36})\?notice=created/.exec(res.headers.get("location") ?? "")![1];
    const [ss] = await t.db.query<{ duration_minutes: number; price_halalas: number }>(
      "SELECT duration_minutes, price_halalas FROM staff_services WHERE staff_id = $1",
      [id],
    );
    assert.deepEqual(ss, { duration_minutes: 45, price_halalas: 8000 });

    // Own hours: Sunday 10:00–13:00 and 16:00–20:00 only.
    const hours: Record<string, string> = { intent: "hours", custom_hours: "on" };
    hours.h7_0_start = "10:00";
    hours.h7_0_end = "13:00";
    hours.h7_1_start = "16:00";
    hours.h7_1_end = "20:00";
    assert.equal((await post(t, `${base}/staff/${id}`, w.jars.manager, hours)).status, 303);
    const { days } = await listSlots(t.db, {
      salonId: w.salon.id,
      serviceId: w.service.id,
      staff: id,
      fromDate: "2026-11-22",
      days: 2,
      now: t.clock.now(),
    });
    const local = (ms: number) => new Date(ms + 3 * 3_600_000).toISOString().slice(11, 16);
    assert.deepEqual(days[0].slots.map((s) => local(s.startMs)), [
      "10:00",
      "10:30",
      "11:00",
      "11:30",
      "12:00",
      "16:00",
      "16:30",
      "17:00",
      "17:30",
      "18:00",
      "18:30",
      "19:00",
    ]);
    assert.deepEqual(days[1].slots, [], "Monday: a day off");

    // Overlapping periods are refused, in the person's language.
    const bad = await post(t, `${base}/staff/${id}?lang=en`, w.jars.manager, {
      ...hours,
      h7_1_start: "12:00",
    });
    assert.equal(bad.status, 400);
    assert.match(await bad.text(), /Two periods on the same day overlap/);
    const backwards = await post(t, `${base}/staff/${id}?lang=en`, w.jars.manager, {
      ...hours,
      h7_1_start: "21:00",
    });
    assert.equal(backwards.status, 400);
    assert.match(await backwards.text(), /The closing time must be after the opening time/);

    // Time off in the salon's zone.
    const off = await post(t, `${base}/staff/${id}`, w.jars.manager, {
      intent: "time_off_add",
      starts_at: "2026-11-22T10:00",
      ends_at: "2026-11-22T12:00",
      reason: "Training",
    });
    assert.equal(off.status, 303);
    const [row] = await t.db.query<{ id: string; starts_at: Date; ends_at: Date }>(
      "SELECT id, starts_at, ends_at FROM staff_time_off WHERE staff_id = $1",
      [id],
    );
    assert.equal(row.starts_at.toISOString(), "2026-11-22T07:00:00.000Z");
    const backwardsOff = await post(t, `${base}/staff/${id}?lang=en`, w.jars.manager, {
      intent: "time_off_add",
      starts_at: "2026-11-22T12:00",
      ends_at: "2026-11-22T10:00",
    });
    assert.equal(backwardsOff.status, 400);
    assert.match(await backwardsOff.text(), /The end must be after the start/);
    assert.equal(
      (await post(t, `${base}/staff/${id}`, w.jars.manager, {
        intent: "time_off_remove",
        time_off_id: row.id,
      })).status,
      303,
    );

    // Profile edit: stops performing the service.
    const edit = await post(t, `${base}/staff/${id}`, w.jars.manager, {
      intent: "profile",
      name_ar: "هند",
      name_en: "Hind A.",
      title_ar: "",
      title_en: "",
      sort_order: "3",
      active: "on",
    });
    assert.equal(edit.status, 303);
    const left = await t.db.query("SELECT 1 FROM staff_services WHERE staff_id = $1", [id]);
    assert.equal(left.length, 0);

    const actions =
      (await t.db.query<{ action: string }>("SELECT action FROM audit_log ORDER BY at, action"))
        .map((r) => r.action);
    assert.deepEqual(actions.sort(), [
      "staff.create",
      "staff.hours",
      "staff.update",
      "time_off.create",
      "time_off.delete",
    ]);
    const [upd] = await audits(t, "staff.update");
    assert.equal((upd.before?.services as unknown[]).length, 1);
    assert.equal((upd.after?.services as unknown[]).length, 0);
  });
});

Deno.test("dashboard settings - rules, hours, closures and breaks; a deposit needs a percentage", async () => {
  await withWorld(async (t, w, base) => {
    const general = {
      intent: "general",
      name_ar: "صالون لمسة",
      name_en: "Lamsa Beauty",
      description_ar: "",
      description_en: "",
      district_ar: "العليا",
      district_en: "Al Olaya",
      address_ar: "طريق الملك فهد",
      address_en: "King Fahd Road",
      phone: "011 234 5678",
      whatsapp: "0551234567",
      slot_step_minutes: "15",
      min_notice_minutes: "30",
      horizon_days: "30",
      hold_minutes: "15",
      cancellation_window_hours: "12",
      payment_mode: "deposit",
      deposit_percent: "0",
      audience_ladies: "on",
    };
    const bad = await post(t, `${base}/settings?lang=en`, w.jars.manager, general);
    assert.equal(bad.status, 400);
    assert.match(await bad.text(), /With a deposit, the percentage must be from 1 to 100/);
    const ok = await post(t, `${base}/settings`, w.jars.manager, {
      ...general,
      deposit_percent: "25",
    });
    assert.equal(ok.status, 303);
    const [salon] = await t.db.query<Record<string, unknown>>(
      "SELECT name_en, phone, whatsapp, slot_step_minutes, payment_mode, deposit_percent FROM salons WHERE id = $1",
      [w.salon.id],
    );
    assert.deepEqual(salon, {
      name_en: "Lamsa Beauty",
      phone: "+966112345678",
      whatsapp: "+966551234567",
      slot_step_minutes: 15,
      payment_mode: "deposit",
      deposit_percent: 25,
    });
    const [audit] = await audits(t, "salon.update");
    assert.deepEqual([audit.before?.payment_mode, audit.after?.payment_mode], [
      "at_salon",
      "deposit",
    ]);

    // Split hours on Sunday only; everything else closed.
    const hours = await post(t, `${base}/settings`, w.jars.manager, {
      intent: "hours",
      h7_0_start: "10:00",
      h7_0_end: "13:00",
      h7_1_start: "16:00",
      h7_1_end: "00:00",
    });
    assert.equal(hours.status, 303);
    const rows = await t.db.query<{ weekday: number; start_minute: number; end_minute: number }>(
      "SELECT weekday, start_minute, end_minute FROM salon_hours WHERE salon_id = $1 ORDER BY start_minute",
      [w.salon.id],
    );
    assert.deepEqual([...rows], [
      { weekday: 7, start_minute: 600, end_minute: 780 },
      { weekday: 7, start_minute: 960, end_minute: 1440 },
    ]);

    const closure = await post(t, `${base}/settings`, w.jars.manager, {
      intent: "closure_add",
      starts_at: "2026-11-29T00:00",
      ends_at: "2026-11-30T00:00",
      reason_ar: "صيانة",
      reason_en: "Maintenance",
    });
    assert.equal(closure.status, 303);
    const [c] = await t.db.query<{ id: string; starts_at: Date }>(
      "SELECT id, starts_at FROM salon_closures WHERE salon_id = $1",
      [w.salon.id],
    );
    assert.equal(c.starts_at.toISOString(), "2026-11-28T21:00:00.000Z", "midnight in Riyadh");
    const page = await (await get(t, `${base}/settings?lang=en`, w.jars.manager)).text();
    assert.ok(page.includes("Maintenance"));

    const brk = await post(t, `${base}/settings`, w.jars.manager, {
      intent: "break_add",
      weekday: "",
      start: "١٢:٠٠",
      end: "12:30",
      label_ar: "صلاة الظهر",
      label_en: "Dhuhr prayer",
    });
    assert.equal(brk.status, 303);
    const [b] = await t.db.query<{ id: string; weekday: number | null; start_minute: number }>(
      "SELECT id, weekday, start_minute FROM salon_breaks WHERE salon_id = $1",
      [w.salon.id],
    );
    assert.deepEqual([b.weekday, b.start_minute], [null, 720]);
    assert.equal(
      (await post(t, `${base}/settings`, w.jars.manager, {
        intent: "break_remove",
        break_id: b.id,
      })).status,
      303,
    );
    assert.equal(
      (await post(t, `${base}/settings`, w.jars.manager, {
        intent: "closure_remove",
        closure_id: c.id,
      })).status,
      303,
    );

    // Another salon's closure id is a 404 and changes nothing.
    const [foreign] = await t.db.query<{ id: string }>(
      `INSERT INTO salon_closures (salon_id, starts_at, ends_at) VALUES ($1, now(), now() + interval '1 day')
       RETURNING id`,
      [w.other.id],
    );
    const cross = await post(t, `${base}/settings`, w.jars.manager, {
      intent: "closure_remove",
      closure_id: foreign.id,
    });
    assert.equal(cross.status, 404);
    assert.equal(
      (await t.db.query("SELECT 1 FROM salon_closures WHERE id = $1", [foreign.id])).length,
      1,
    );

    const actions =
      (await t.db.query<{ action: string }>("SELECT action FROM audit_log ORDER BY at, action"))
        .map((r) => r.action);
    assert.deepEqual(actions.sort(), [
      "break.create",
      "break.delete",
      "closure.create",
      "closure.delete",
      "salon.hours",
      "salon.update",
    ]);
  });
});

Deno.test("dashboard services layer - every mutation checks the caller's role itself, whatever the route did", async () => {
  await withWorld(async (t, w) => {
    const b = await book(t, w, { start: "2026-11-22T07:00:00Z" });
    const actorOf = async (id: string): Promise<DashboardActor> => ({
      user: {
        ...(await getUser(t.db, id))!,
        role: "customer",
        sessionId: "s",
        via: "cookie",
      } as SessionUser,
      now: t.clock.now(),
    });
    const forbidden = async (who: string, fn: () => Promise<unknown>) => {
      await assert.rejects(fn, ForbiddenError, who);
    };
    const sid = w.salon.id;
    for (const who of ["customer", "otherManager", "staff"] as const) {
      const a = await actorOf(w.users[who]);
      await forbidden(
        who,
        () => cancelSalonBooking(t.db, a, sid, { bookingId: b.id, reason: "x" }),
      );
      await forbidden(
        who,
        () => setBookingStatus(t.db, a, sid, { bookingId: b.id, to: "confirmed" }),
      );
      await forbidden(who, () =>
        createWalkInBooking(t.db, a, sid, {
          phone: "+966559990000",
          serviceId: w.service.id,
          staff: "any",
          start: new Date("2026-11-22T09:00:00Z"),
        }));
      await forbidden(who, () =>
        createService(t.db, a, sid, {
          category: "hair",
          name_ar: "س",
          name_en: "S",
          description_ar: "",
          description_en: "",
          duration_minutes: 30,
          price_halalas: 100,
          buffer_before_minutes: 0,
          buffer_after_minutes: 0,
          sort_order: 0,
          active: true,
        }));
      await forbidden(who, () =>
        updateService(t.db, a, sid, w.service.id, {
          category: "hair",
          name_ar: "س",
          name_en: "S",
          description_ar: "",
          description_en: "",
          duration_minutes: 30,
          price_halalas: 100,
          buffer_before_minutes: 0,
          buffer_after_minutes: 0,
          sort_order: 0,
          active: true,
        }));
      const staffInput = {
        name_ar: "س",
        name_en: "S",
        title_ar: "",
        title_en: "",
        sort_order: 0,
        active: true,
        services: [],
      };
      await forbidden(who, () => createStaff(t.db, a, sid, staffInput));
      await forbidden(who, () => updateStaff(t.db, a, sid, w.noura.id, staffInput));
      await forbidden(
        who,
        () => setStaffHours(t.db, a, sid, w.noura.id, { custom: true, hours: [] }),
      );
      await forbidden(
        who,
        () =>
          addTimeOff(t.db, a, sid, w.noura.id, {
            startsAt: new Date(0),
            endsAt: new Date(1),
            reason: "",
          }),
      );
      await forbidden(who, () => setSalonHours(t.db, a, sid, []));
      await forbidden(
        who,
        () =>
          addClosure(t.db, a, sid, {
            startsAt: new Date(0),
            endsAt: new Date(1),
            reason_ar: "",
            reason_en: "",
          }),
      );
      await forbidden(
        who,
        () =>
          addBreak(t.db, a, sid, {
            weekday: null,
            start_minute: 0,
            end_minute: 1,
            label_ar: "",
            label_en: "",
          }),
      );
      await forbidden(
        who,
        () => inviteMember(t.db, a, sid, { phone: "+966559990001", role: "manager" }),
      );
      await forbidden(who, () => removeMember(t.db, a, sid, w.users.manager));
      await forbidden(who, () => listAudit(t.db, a, sid));
      await forbidden(who, () =>
        updateSalonSettings(t.db, a, sid, {
          name_ar: "x",
          name_en: "x",
          description_ar: "",
          description_en: "",
          district_ar: "",
          district_en: "",
          address_ar: "",
          address_en: "",
          phone: null,
          whatsapp: null,
          slot_step_minutes: 15,
          min_notice_minutes: 0,
          horizon_days: 10,
          hold_minutes: 10,
          cancellation_window_hours: 1,
          payment_mode: "at_salon",
          deposit_percent: 0,
        }));
    }
    // Staff completing someone else's booking: not found (not even told it exists).
    const reems = await book(t, w, { start: "2026-11-21T08:00:00Z", staff: w.reem });
    const staff = await actorOf(w.users.staff);
    await assert.rejects(
      () => setBookingStatus(t.db, staff, sid, { bookingId: reems.id, to: "completed" }),
      (err: Error) => err.name === "NotFoundError",
    );
    assert.equal(await auditCount(t), 0);
  });
});
