/**
 * Walks the route table: every route under /dashboard and /admin, every method its module serves,
 * called by everyone who must be refused (anonymous, a customer, staff of the salon on a manager's
 * page or on a colleague's booking, staff and a manager of another salon, a salon manager on
 * /admin) with a valid request (so a missing guard would change something), then by those who
 * are allowed. Refused requests get 401/403/404 or a redirect to /login and change nothing in the
 * database; allowed ones get 200/303, and every allowed POST writes an audit row.
 *
 * A dashboard route added later is covered automatically: it must export `access` (RouteAccess)
 * and, for POST, have a valid body below (the test fails and says so otherwise).
 */
import assert from "node:assert/strict";
import type { Queryable } from "@/db/types.ts";
import type { RouteModule } from "@/routes/_define.ts";
import type { RouteAccess } from "@/routes/dashboard/_guard.ts";
import { routes } from "@/routes/_routes.ts";
import type { SessionUser } from "@/services/auth/users.ts";
import { checkoutBooking } from "@/services/invoices/checkout.ts";
import { type MoyasarFake, startMoyasarFake } from "./fakes/moyasar.ts";
import { makeTestApp, type TestApp } from "./helpers/app.ts";
import type { CookieJar } from "./helpers/auth.ts";
import { book, makeWorld, type World } from "./helpers/dashboard.ts";
import { makeReview, onlinePayment } from "./helpers/dashboard_fixtures.ts";
import { makeClosure, makeTimeOff } from "./helpers/factories.ts";

type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
type Fields = Record<string, string>;

/** Tables a dashboard request could change; a refused request must leave all of them as they were. */
const TABLES = [
  "salons",
  "salon_hours",
  "salon_closures",
  "salon_breaks",
  "services",
  "staff",
  "staff_services",
  "staff_hours",
  "staff_time_off",
  "salon_memberships",
  "users",
  "bookings",
  "booking_items",
  "booking_events",
  "messages",
  "audit_log",
  "payments",
  "payment_actions",
  "payment_events",
  "reviews",
  "review_events",
  "photos",
  "photo_files",
  // Checkout, credit notes: a refused close or credit must issue nothing and use up no number.
  "invoices",
  "invoice_lines",
  "invoice_payments",
  "invoice_counters",
  "salon_clients",
  "waitlist_entries",
  "waitlist_offers",
];

async function checksum(db: Queryable): Promise<string> {
  const parts: string[] = [];
  for (const table of TABLES) {
    const [row] = await db.query<{ sum: string | null; n: number }>(
      `SELECT md5(string_agg(t::text, '|' ORDER BY t::text)) AS sum, count(*)::int AS n
       FROM ${table} t`,
    );
    parts.push(`${table}:${row.n}:${row.sum}`);
  }
  return parts.join(" ");
}

let counter = 0;
/** A free future start (Tuesday 24 November onwards, 09:00–18:00 Riyadh, one per call). */
function freshStart(): string {
  const n = counter++;
  const day = 24 + Math.floor(n / 10);
  return new Date(Date.UTC(2026, 10, day, 6 + (n % 10))).toISOString();
}
/** A past start (before the test clock's now), one per call. */
function pastStart(): string {
  const n = counter++;
  const day = 20 - Math.floor(n / 10);
  return new Date(Date.UTC(2026, 10, day, 6 + (n % 10))).toISOString();
}
function freshPhone(): string {
  return `05520${String(counter++).padStart(5, "0")}`;
}

type Owner = "noura" | "reem";
interface Ctx {
  t: TestApp;
  w: World;
  /** Moyasar's fake, which the app's payment actions call. */
  fake: MoyasarFake;
}
/** Builds the path params (fresh rows where an action uses them up) for a booking of `owner`. */
type ParamBuilder = (ctx: Ctx, owner: Owner) => Promise<Fields>;
type BodyBuilder = (ctx: Ctx, params: Fields) => Promise<Fields>;

const futureBooking: ParamBuilder = async ({ t, w }, owner) => ({
  salon: w.salon.slug,
  id: (await book(t, w, { start: freshStart(), staff: w[owner] })).id,
});
const pastBooking: ParamBuilder = async ({ t, w }, owner) => ({
  salon: w.salon.slug,
  id: (await book(t, w, { start: pastStart(), staff: w[owner] })).id,
});
/** A past visit checked out by the manager (paid in cash): its invoice can be credited. */
const checkedOut: ParamBuilder = async (ctx, owner) => {
  const p = await pastBooking(ctx, owner);
  const { t, w } = ctx;
  const [manager] = await t.db.query<SessionUser>("SELECT * FROM users WHERE id = $1", [
    w.users.manager,
  ]);
  const [b] = await t.db.query<{ price_halalas: number }>(
    "SELECT price_halalas FROM bookings WHERE id = $1",
    [p.id],
  );
  await checkoutBooking(t.db, { user: manager, now: t.clock.now(), requestId: "test" }, {
    salonId: w.salon.id,
    bookingId: p.id,
    payments: [{ method: "cash", amountHalalas: b.price_halalas }],
  });
  return p;
};
/** The balance of a visit in SAR as the checkout form takes it. */
async function priceOf(t: TestApp, bookingId: string): Promise<string> {
  const [b] = await t.db.query<{ price_halalas: number }>(
    "SELECT price_halalas FROM bookings WHERE id = $1",
    [bookingId],
  );
  return (b.price_halalas / 100).toFixed(2);
}
const salonOnly: ParamBuilder = ({ w }) => Promise.resolve({ salon: w.salon.slug });
/** A fresh collected online payment of SAR 30 (a refund uses it up). */
const paidPayment: ParamBuilder = async ({ t, w, fake }, owner) => ({
  salon: w.salon.slug,
  id: (await onlinePayment(t, fake, w, { start: new Date(freshStart()), staff: w[owner] })).id,
});
/** A fresh review (of a completed past booking), hidden or not. */
const review = async ({ t, w }: Ctx, hidden = false) =>
  (await makeReview(t, w, { start: new Date(pastStart()), hidden })).id;

const serviceBody = (name: string): Fields => ({
  category: "hair",
  name_ar: `قص ${name}`,
  name_en: `Cut ${name}`,
  description_ar: "",
  description_en: "",
  duration_minutes: "45",
  price: "120.50",
  buffer_before_minutes: "0",
  buffer_after_minutes: "5",
  sort_order: "3",
  active: "on",
});

interface Case {
  params?: ParamBuilder;
  /** Valid bodies per method (several for pages whose forms post by `intent`). */
  bodies?: Partial<Record<Method, BodyBuilder[]>>;
}

/** A photo row of `owner` (no files: the forms below only describe, move or delete it). */
async function photo(t: TestApp, w: World, owner: Fields = {}): Promise<string> {
  const [row] = await t.db.query<{ id: string }>(
    `INSERT INTO photos (salon_id, kind, staff_id, service_id, position, width, height, variants,
       created_at)
     VALUES ($1, $2, $3, $4, 100, 480, 360, $5, now()) RETURNING id`,
    [
      w.salon.id,
      owner.kind ?? "salon",
      owner.staff_id ?? null,
      owner.service_id ?? null,
      [{
        key: `${crypto.randomUUID()}/0123456789abcdef-480.jpg`,
        width: 480,
        height: 360,
        format: "jpeg",
        bytes: 1,
      }],
    ],
  );
  return row.id;
}

/** The photo forms (describe, move, delete) on a fresh photo of `owner`. */
const photoBodies = (owner: (w: World) => Fields): BodyBuilder[] => [
  async ({ t, w }) => ({
    intent: "alt",
    photo_id: await photo(t, w, owner(w)),
    alt_ar: "صورة",
    alt_en: `Photo ${counter++}`,
  }),
  async ({ t, w }) => ({
    intent: "move",
    photo_id: await photo(t, w, owner(w)),
    move: "first",
  }),
  async ({ t, w }) => ({ intent: "delete", photo_id: await photo(t, w, owner(w)) }),
];

/** What each route needs beyond `:salon` (routes not listed use the salon alone). */
const CASES: Record<string, Case> = {
  "/dashboard/:salon/clients": {
    bodies: {
      POST: [() => Promise.resolve({ intent: "create", phone: freshPhone(), name: "Sara" })],
    },
  },
  "/dashboard/:salon/clients/:id": {
    params: async ({ t, w }) => {
      const [row] = await t.db.query<{ id: string }>(
        `INSERT INTO salon_clients (salon_id, user_id, phone_e164, name, created_at, updated_at)
         SELECT $1, id, phone_number, 'Sara', now(), now() FROM users WHERE id = $2
         ON CONFLICT (salon_id, user_id) DO UPDATE SET name = 'Sara' RETURNING id`,
        [w.salon.id, w.users.customer],
      );
      return { salon: w.salon.slug, id: row.id };
    },
    bodies: {
      POST: [
        () =>
          Promise.resolve({
            intent: "save",
            name: "Sara",
            notes: "Allergic to henna",
            tags: "VIP",
          }),
      ],
    },
  },
  "/dashboard/:salon/photos": { bodies: { POST: photoBodies(() => ({})) } },
  "/admin/photos": {
    bodies: {
      POST: [async ({ t, w }) => ({
        intent: "takedown",
        photo_id: await photo(t, w),
        reason: "Not a photo of the salon",
      })],
    },
  },
  "/dashboard/:salon/staff/:id/photos": {
    params: ({ w }) => Promise.resolve({ salon: w.salon.slug, id: w.reem.id }),
    bodies: { POST: photoBodies((w) => ({ kind: "portfolio", staff_id: w.reem.id })) },
  },
  "/dashboard/:salon/services/:id/photo": {
    params: ({ w }) => Promise.resolve({ salon: w.salon.slug, id: w.service.id }),
    bodies: { POST: photoBodies((w) => ({ kind: "service", service_id: w.service.id })) },
  },
  "/dashboard/:salon/bookings/:id": { params: futureBooking },
  "/dashboard/:salon/bookings/:id/status": {
    params: pastBooking,
    bodies: { POST: [() => Promise.resolve({ to: "completed" })] },
  },
  "/dashboard/:salon/bookings/:id/checkout": {
    params: futureBooking,
    bodies: {
      POST: [async ({ t }, p) => ({
        intent: "close",
        method_0: "cash",
        amount_0: await priceOf(t, p.id),
      })],
    },
  },
  "/dashboard/:salon/bookings/:id/credit": {
    params: checkedOut,
    bodies: {
      POST: [async ({ t }, p) => ({
        line_0: "on",
        refund_method_0: "cash",
        refund_amount_0: await priceOf(t, p.id),
        reason: "Not done after all",
      })],
    },
  },
  "/dashboard/:salon/commissions": {
    bodies: {
      POST: [({ w }) =>
        Promise.resolve({
          intent: `commission-${w.reem.id}`,
          staff_id: w.reem.id,
          rate_0: String(10 + (counter++ % 50)),
        })],
    },
  },
  "/dashboard/:salon/tax": {
    bodies: {
      POST: [() =>
        Promise.resolve({
          vat_registered: "on",
          vat_number: "310122393500003",
          legal_name_ar: "مؤسسة لمسة",
          legal_name_en: `Lamsa ${counter++}`,
          cr_number: "1010123456",
          address_ar: "",
          address_en: "",
        })],
    },
  },
  "/dashboard/:salon/bookings/:id/cancel": {
    params: futureBooking,
    bodies: { POST: [() => Promise.resolve({ reason: "The salon closes early" })] },
  },
  "/dashboard/:salon/bookings/:id/reschedule": {
    params: futureBooking,
    bodies: {
      POST: [({ w }) => Promise.resolve({ start: freshStart(), staff: w.noura.id })],
    },
  },
  "/dashboard/:salon/bookings/new": {
    bodies: {
      POST: [({ w }) =>
        Promise.resolve({
          phone: freshPhone(),
          first_name: "Walk-in",
          language: "ar",
          service: w.service.id,
          staff: w.noura.id,
          start: freshStart(),
        })],
    },
  },
  "/dashboard/:salon/services": {
    bodies: { POST: [() => Promise.resolve(serviceBody(String(counter++)))] },
  },
  "/dashboard/:salon/services/:id": {
    params: ({ w }) => Promise.resolve({ salon: w.salon.slug, id: w.service.id }),
    bodies: {
      POST: [({ w }) =>
        Promise.resolve({
          ...serviceBody(String(counter++)),
          name_en: `Blow-dry ${counter}`,
          duration_minutes: String(w.service.duration_minutes),
          price: "100",
          buffer_after_minutes: "0",
        })],
    },
  },
  "/dashboard/:salon/staff": {
    bodies: {
      POST: [({ w }) =>
        Promise.resolve({
          name_ar: "هند",
          name_en: `Hind ${counter++}`,
          title_ar: "",
          title_en: "",
          sort_order: "5",
          active: "on",
          [`svc_${w.service.id}`]: "on",
        })],
    },
  },
  "/dashboard/:salon/staff/:id": {
    params: ({ w }) => Promise.resolve({ salon: w.salon.slug, id: w.reem.id }),
    bodies: {
      POST: [
        ({ w }) =>
          Promise.resolve({
            intent: "profile",
            name_ar: "ريم",
            name_en: `Reem ${counter++}`,
            title_ar: "",
            title_en: "",
            sort_order: "2",
            active: "on",
            [`svc_${w.service.id}`]: "on",
          }),
        () => {
          const h = 9 + (counter++ % 3);
          const fields: Fields = { intent: "hours", custom_hours: "on" };
          for (let d = 1; d <= 7; d++) {
            fields[`h${d}_0_start`] = `0${h}:00`.slice(-5);
            fields[`h${d}_0_end`] = "21:00";
          }
          return Promise.resolve(fields);
        },
        () =>
          Promise.resolve({
            intent: "time_off_add",
            starts_at: "2027-03-01T10:00",
            ends_at: "2027-03-01T12:00",
            reason: `Course ${counter++}`,
          }),
        async ({ t, w }) => {
          const off = await makeTimeOff(t.db, w.reem, {
            starts_at: new Date("2027-04-01T07:00:00Z"),
            ends_at: new Date("2027-04-01T09:00:00Z"),
          });
          return { intent: "time_off_remove", time_off_id: off.id };
        },
      ],
    },
  },
  "/dashboard/:salon/home-service": {
    bodies: {
      POST: [
        () =>
          Promise.resolve({
            intent: "terms",
            home_travel_minutes: String(10 + (counter++ % 100)),
            home_surcharge: "20",
            home_radius_km: "",
          }),
      ],
    },
  },
  "/dashboard/:salon/settings": {
    bodies: {
      POST: [
        ({ w }) =>
          Promise.resolve({
            intent: "general",
            name_ar: w.salon.name_ar,
            name_en: `Lamsa ${counter++}`,
            description_ar: "",
            description_en: "",
            district_ar: "العليا",
            district_en: "Al Olaya",
            address_ar: "",
            address_en: "",
            phone: "0112345678",
            whatsapp: "",
            slot_step_minutes: "30",
            min_notice_minutes: "0",
            horizon_days: "60",
            hold_minutes: "10",
            cancellation_window_hours: "24",
            payment_mode: "at_salon",
            deposit_percent: "0",
            audience_ladies: "on",
          }),
        () => {
          const fields: Fields = { intent: "hours" };
          for (let d = 1; d <= 7; d++) {
            fields[`h${d}_0_start`] = "09:00";
            fields[`h${d}_0_end`] = counter++ % 2 ? "21:00" : "21:30";
          }
          return Promise.resolve(fields);
        },
        () =>
          Promise.resolve({
            intent: "closure_add",
            starts_at: "2027-06-16T00:00",
            ends_at: "2027-06-20T00:00",
            reason_ar: "عيد الأضحى",
            reason_en: `Eid ${counter++}`,
          }),
        async ({ t, w }) => {
          const closure = await makeClosure(t.db, w.salon, {
            starts_at: new Date("2027-09-23T00:00:00Z"),
            ends_at: new Date("2027-09-24T00:00:00Z"),
          });
          return { intent: "closure_remove", closure_id: closure.id };
        },
        () =>
          Promise.resolve({
            intent: "break_add",
            weekday: "5",
            start: "11:30",
            end: "13:00",
            label_ar: "صلاة الجمعة",
            label_en: `Friday prayer ${counter++}`,
          }),
        async ({ t, w }) => {
          const [row] = await t.db.query<{ id: string }>(
            `INSERT INTO salon_breaks (salon_id, weekday, start_minute, end_minute)
             VALUES ($1, 5, 1400, 1410) RETURNING id`,
            [w.salon.id],
          );
          return { intent: "break_remove", break_id: row.id };
        },
      ],
    },
  },
  "/dashboard/:salon/waitlist": {
    bodies: {
      // A fresh customer waiting for Wednesday 25 November, offered a free hour by hand.
      POST: [async ({ t, w }) => {
        const n = counter++;
        const [user] = await t.db.query<{ id: string }>(
          "INSERT INTO users (phone_number) VALUES ($1) RETURNING id",
          [`+9665540${String(n).padStart(5, "0")}`],
        );
        const [entry] = await t.db.query<{ id: string }>(
          `INSERT INTO waitlist_entries (salon_id, customer_id, service_ids, day, from_minute,
             to_minute, created_at, updated_at)
           VALUES ($1, $2, ARRAY[$3::uuid], '2026-11-25', 540, 1260, now(), now()) RETURNING id`,
          [w.salon.id, user.id, w.service.id],
        );
        const time = `${String(9 + (n % 11)).padStart(2, "0")}:00`;
        return { intent: "offer", entry: entry.id, time, date: "2026-11-25" };
      }],
    },
  },
  "/dashboard/:salon/team": {
    bodies: {
      POST: [
        () => Promise.resolve({ intent: "invite", phone: freshPhone(), role: "staff" }),
        async ({ t, w }) => {
          const [user] = await t.db.query<{ id: string }>(
            "INSERT INTO users (phone_number) VALUES ($1) RETURNING id",
            [`+9665530${String(counter++).padStart(5, "0")}`],
          );
          await t.db.query(
            "INSERT INTO salon_memberships (user_id, salon_id, role) VALUES ($1, $2, 'staff')",
            [user.id, w.salon.id],
          );
          return { intent: "remove", user_id: user.id };
        },
      ],
    },
  },
  "/dashboard/:salon/payments/:id": {
    params: paidPayment,
    bodies: {
      POST: [() =>
        Promise.resolve({
          intent: "refund",
          step: "confirm",
          amount: "1.50",
          reason: "Goodwill",
        })],
    },
  },
  "/dashboard/:salon/reviews": {
    bodies: {
      POST: [
        async (ctx) => ({ intent: "reply", review_id: await review(ctx), text: "Thank you!" }),
        async (ctx) => ({ intent: "hide", review_id: await review(ctx), reason: "Spam" }),
        async (ctx) => ({ intent: "unhide", review_id: await review(ctx, true), reason: "Fine" }),
      ],
    },
  },
  "/admin": {
    params: () => Promise.resolve({}),
    bodies: {
      POST: [() => {
        const n = counter++;
        return Promise.resolve({
          intent: "create",
          slug: `new-salon-${n}`,
          name_ar: "صالون جديد",
          name_en: `New Salon ${n}`,
          city: "jeddah",
          city_ar: "جدة",
          city_en: "Jeddah",
          timezone: "Asia/Riyadh",
          manager_phone: freshPhone(),
        });
      }],
    },
  },
};

function fill(path: string, params: Fields): string {
  return path.replace(/:(\w+)/g, (_, name) => {
    if (!(name in params)) throw new Error(`${path}: no value for :${name}; add it to CASES`);
    return params[name];
  });
}

function methodsOf(module: RouteModule): Method[] {
  const methods = Object.keys(module.handler ?? {}) as Method[];
  if (module.default && !methods.includes("GET")) methods.push("GET");
  return methods;
}

async function call(
  t: TestApp,
  method: Method,
  url: string,
  jar: CookieJar | null,
  body: Fields | null,
): Promise<Response> {
  const headers: Record<string, string> = jar ? { cookie: jar.header() } : {};
  if (method === "GET") return await t.app.request(url, { headers });
  return await t.app.request(url, {
    method,
    headers: {
      ...headers,
      "content-type": "application/x-www-form-urlencoded",
      "sec-fetch-site": "same-origin",
      origin: "http://localhost",
    },
    body: new URLSearchParams(body ?? {}),
  });
}

const DASHBOARD_ROUTES = routes.filter(([path]) =>
  path === "/dashboard" || path.startsWith("/dashboard/") || path === "/admin" ||
  path.startsWith("/admin/")
);

Deno.test("dashboard authz - every dashboard and admin route declares its access", () => {
  assert.ok(DASHBOARD_ROUTES.length >= 18, "the dashboard routes are in the table");
  for (const [path, module] of DASHBOARD_ROUTES) {
    const access = (module as { access?: RouteAccess }).access;
    assert.ok(
      access === "staff" || access === "manager" || access === "admin" || access === "signedIn",
      `${path} must export access: RouteAccess`,
    );
    if (path.startsWith("/admin")) assert.equal(access, "admin", path);
  }
});

Deno.test("dashboard authz - the route walk: refused callers change nothing, the salon's own people get 200/303 and an audit row per change", async (tt) => {
  const fake = startMoyasarFake();
  const t = await makeTestApp(fake.env());
  fake.now = t.clock.now;
  try {
    const w = await makeWorld(t);
    const ctx = { t, w, fake };
    for (const [path, module] of DASHBOARD_ROUTES) {
      const access = (module as { access?: RouteAccess }).access!;
      const spec = CASES[path] ?? {};
      const params = spec.params ?? salonOnly;
      // GET first: a successful POST may consume the fixture.
      const methods = methodsOf(module).sort((a, b) => (a === "GET" ? -1 : b === "GET" ? 1 : 0));
      for (const method of methods) {
        const bodies: (BodyBuilder | null)[] = method === "GET"
          ? [null]
          : spec.bodies?.[method] ?? [];
        if (method !== "GET" && bodies.length === 0) {
          throw new Error(`${method} ${path}: add a valid body to CASES in this test`);
        }
        for (const [i, makeBody] of bodies.entries()) {
          await tt.step(`${method} ${path}${bodies.length > 1 ? ` #${i + 1}` : ""}`, async () => {
            const attempt = async (
              who: string,
              jar: CookieJar | null,
              owner: Owner,
            ) => {
              const p = await params(ctx, owner);
              const body = makeBody ? await makeBody(ctx, p) : null;
              const before = await checksum(t.db);
              const res = await call(t, method, fill(path, p), jar, body);
              await res.body?.cancel();
              return { res, before, who };
            };
            const refused = async (
              who: string,
              jar: CookieJar | null,
              expected: number[],
              owner: Owner = "noura",
            ) => {
              const { res, before } = await attempt(who, jar, owner);
              assert.ok(
                expected.includes(res.status),
                `${who}: ${method} ${path} → ${res.status}, expected ${expected.join("/")}`,
              );
              if (res.status === 303) {
                assert.match(res.headers.get("location") ?? "", /^\/login\?next=/, who);
              }
              assert.equal(await checksum(t.db), before, `${who}: ${method} ${path} changed data`);
            };
            const allowed = async (who: string, jar: CookieJar, owner: Owner = "noura") => {
              const audits = await countAudit(t.db);
              const { res, before } = await attempt(who, jar, owner);
              const text = res.status >= 400 ? ` ${await res.clone().text()}` : "";
              assert.ok(
                res.status === 200 || res.status === 303,
                `${who}: ${method} ${path} → ${res.status}${text.slice(0, 300)}`,
              );
              if (method === "GET") {
                assert.equal(await checksum(t.db), before, `${who}: GET ${path} changed data`);
              } else {
                assert.equal(res.status, 303, `${who}: ${method} ${path} redirects after success`);
                assert.ok(
                  await countAudit(t.db) > audits,
                  `${who}: ${method} ${path} wrote no audit row`,
                );
              }
            };

            const salonScoped = access === "staff" || access === "manager";
            // Anonymous: a page asks them to log in; a write is a 401.
            await refused("anonymous", null, method === "GET" ? [303] : [401]);
            if (salonScoped) {
              for (const who of ["customer", "otherManager", "otherStaff"] as const) {
                await refused(who, w.jars[who], [404]);
              }
              if (access === "manager") await refused("staff", w.jars.staff, [403]);
              if (access === "staff" && path.includes("/bookings/:id")) {
                await refused("staff on a colleague's booking", w.jars.staff, [404], "reem");
              }
              await allowed("manager", w.jars.manager);
              if (access === "staff") await allowed("staff", w.jars.staff);
              await allowed("platform admin", w.jars.admin);
            } else if (access === "admin") {
              for (const who of ["customer", "manager", "staff", "otherManager"] as const) {
                await refused(who, w.jars[who], [403]);
              }
              await allowed("platform admin", w.jars.admin);
            } else {
              // /dashboard lists the caller's own salons: a customer sees none of salon A's.
              const res = await call(t, "GET", path, w.jars.customer, null);
              assert.equal(res.status, 200);
              assert.ok(!(await res.text()).includes(w.salon.name_en));
              await allowed("manager", w.jars.manager);
            }
          });
        }
      }
    }
  } finally {
    await t.close();
    await fake.close();
  }
});

async function countAudit(db: Queryable): Promise<number> {
  const [row] = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM audit_log");
  return row.n;
}
