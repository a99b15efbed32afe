/**
 * A small salon world for dashboard tests: salon A with a manager, a staff member linked to her
 * staff row, a second staff member, a service; salon B with its own manager; a customer; a
 * platform admin. Everyone is logged in the browser way (cookie jars).
 */
import { createBooking } from "@/services/bookings/mod.ts";
import type { TestApp } from "./app.ts";
import { browserLogin, type CookieJar } from "./auth.ts";
import {
  everyDay,
  hm,
  makeSalon,
  makeService,
  makeStaff,
  type TestSalon,
  type TestService,
  type TestStaff,
} from "./factories.ts";

export const PHONES = {
  manager: "0551000001",
  staff: "0551000002",
  customer: "0551000003",
  otherManager: "0551000004",
  admin: "0551000005",
  otherStaff: "0551000006",
} as const;

export type Who = keyof typeof PHONES;

export interface World {
  salon: TestSalon;
  other: TestSalon;
  service: TestService;
  /** Linked to the `staff` login. */
  noura: TestStaff;
  reem: TestStaff;
  jars: Record<Who, CookieJar>;
  users: Record<Who, string>;
}

async function userId(t: TestApp, phone: string): Promise<string> {
  const e164 = `+966${phone.slice(1)}`;
  const [row] = await t.db.query<{ id: string }>("SELECT id FROM users WHERE phone_number = $1", [
    e164,
  ]);
  return row.id;
}

/**
 * Builds the world. The test clock stays at its default (2026-11-21T09:00Z: Saturday 12:00 in
 * Riyadh); salons open 09:00–21:00 every day.
 */
export async function makeWorld(t: TestApp): Promise<World> {
  const salon = await makeSalon(t.db, {
    name_en: "Lamsa Salon",
    name_ar: "صالون لمسة",
    hours: everyDay(hm(9), hm(21)),
    slot_step_minutes: 30,
  });
  const other = await makeSalon(t.db, { name_en: "Other Salon", name_ar: "صالون آخر" });
  const service = await makeService(t.db, salon, { name_en: "Blow-dry", name_ar: "استشوار" });
  const noura = await makeStaff(t.db, salon, {
    services: [service.id],
    name_en: "Noura",
    name_ar: "نورة",
    sort_order: 1,
  });
  const reem = await makeStaff(t.db, salon, {
    services: [service.id],
    name_en: "Reem",
    name_ar: "ريم",
    sort_order: 2,
  });
  const otherService = await makeService(t.db, other);
  await makeStaff(t.db, other, { services: [otherService.id] });

  const jars = {} as Record<Who, CookieJar>;
  const users = {} as Record<Who, string>;
  for (const who of Object.keys(PHONES) as Who[]) {
    jars[who] = await browserLogin(t, PHONES[who]);
    users[who] = await userId(t, PHONES[who]);
  }
  const member = (user: string, salonId: string, role: string) =>
    t.db.query("INSERT INTO salon_memberships (user_id, salon_id, role) VALUES ($1, $2, $3)", [
      user,
      salonId,
      role,
    ]);
  await member(users.manager, salon.id, "manager");
  await member(users.staff, salon.id, "staff");
  await member(users.otherStaff, other.id, "staff");
  await member(users.otherManager, other.id, "manager");
  await t.db.query("UPDATE staff SET user_id = $1 WHERE id = $2", [users.staff, noura.id]);
  await t.db.query("UPDATE users SET is_admin = true WHERE id = $1", [users.admin]);
  await t.db.query("UPDATE users SET first_name = 'Sara' WHERE id = $1", [users.customer]);
  return { salon, other, service, noura, reem, jars, users };
}

/**
 * A booking by the customer through createBooking (confirmed: the salon takes payment at the
 * salon). A start in the past is booked as if made the day before.
 */
export async function book(
  t: TestApp,
  w: World,
  spec: { staff?: TestStaff; start: string; customer?: string },
) {
  const start = new Date(spec.start);
  const now = t.clock.now();
  const madeAt = start.getTime() > now.getTime() ? now : new Date(start.getTime() - 86_400_000);
  const { booking } = await createBooking(t.db, {
    customerId: spec.customer ?? w.users.customer,
    salon: w.salon.id,
    serviceId: w.service.id,
    staff: (spec.staff ?? w.noura).id,
    start,
    now: madeAt,
    actor: { userId: spec.customer ?? w.users.customer, role: "customer" },
  });
  return booking;
}

export function get(t: TestApp, path: string, jar?: CookieJar): Promise<Response> {
  return Promise.resolve(
    t.app.request(path, { headers: jar ? { cookie: jar.header() } : {} }),
  );
}

/** A same-origin form post, as the dashboard's own pages send it. */
export function post(
  t: TestApp,
  path: string,
  jar: CookieJar | undefined,
  fields: Record<string, string>,
): Promise<Response> {
  return Promise.resolve(t.app.request(path, {
    method: "POST",
    headers: {
      ...(jar ? { cookie: jar.header() } : {}),
      "content-type": "application/x-www-form-urlencoded",
      origin: "http://localhost",
      "sec-fetch-site": "same-origin",
    },
    body: new URLSearchParams(fields),
  }));
}

/** The number of audit rows, optionally of one action. */
export async function auditCount(t: TestApp, action?: string): Promise<number> {
  const [row] = await t.db.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM audit_log WHERE ($1::text IS NULL OR action = $1)",
    [action ?? null],
  );
  return row.n;
}
