/**
 * Every GET page of the app (from routes/_routes.ts) as the visitor who can see it, on the demo
 * seed plus a few bookings in the states pages show differently. Page-wide checks (accessibility,
 * HTML validity) walk this list, so a new page is checked by all of them or fails to be mapped.
 */
import { joinWaitlist, offerFreedTimes } from "@/services/waitlist/mod.ts";
import assert from "node:assert/strict";
import { createBooking } from "@/services/bookings/mod.ts";
import { startPayment } from "@/services/payments/create.ts";
import { checkoutBooking } from "@/services/invoices/checkout.ts";
import { USER_COLUMNS, userFromRow, type UserRow } from "@/services/auth/users.ts";
import { routes } from "@/routes/_routes.ts";
import type { RouteModule } from "@/routes/_define.ts";
import { browserLogin, type CookieJar, makeUser, requestCode } from "./auth.ts";
import type { SeededApp } from "../browser/_journey.ts";

export type Who = "anonymous" | "customer" | "manager" | "admin";

export interface Visit {
  path: string;
  as: Who;
  /** Expected HTTP status (default 200). */
  status?: number;
}

interface Ids {
  service: string;
  noura: string;
  pending: string;
  upcoming: string;
  completed: string;
  payment: string;
  slot: string;
  rid: string;
  /** A two-service visit and its second service. */
  visit: string;
  visitItem: string;
  invoice: string;
  /** Hand henna at the Ward studio (offered at home), a free home time, and a home visit. */
  henna: string;
  homeSlot: string;
  homeVisit: string;
  /** The customer's client record at Lamsa. */
  client: string;
  /** A waitlist offer's link token (the customer waits for Thursday at Lamsa). */
  offerToken: string;
}

const LAMSA = "lamsa-riyadh";
const WARD = "ward-studio-riyadh";
const HOME = "where=home&district=al-malqa&address=Villa+12%2C+Street+5&notes=Gate+2";

/** GET routes that are not pages, each with the reason it is not checked. */
const NOT_PAGES: Record<string, string> = {
  "/healthz": "plain-text probe",
  "/readyz": "plain-text probe",
  "/robots.txt": "crawler rules, plain text (tests/seo_test.ts)",
  "/sitemap.xml": "sitemap, XML (tests/seo_test.ts parses it)",
  "/b/:code": "short link: redirects to the booking page",
  "/b/:code/:doc": "short link: redirects to the visit's invoice or credit note page",
  "/dev/messages": "development only (404 under test)",
  "/bookings/:id/calendar.ics": "calendar file",
  "/payments/callback": "redirect from Moyasar to the booking page",
  "/me/privacy/export": "JSON download",
  "/dashboard/:salon": "redirects to the agenda",
  "/dashboard/:salon/bookings.csv": "CSV download",
  "/dashboard/:salon/commissions.csv": "CSV download",
  "/dashboard/:salon/clients.json": "JSON for the new-booking form's phone field",
  "/photos/:id/:file": "image file (the pages showing photos load them)",
};

/** The visits for one route pattern (several for pages with steps or states). */
function visitsFor(pattern: string, ids: Ids): Visit[] | null {
  const book = `/salons/${LAMSA}/book`;
  const fixed: Record<string, Visit[]> = {
    "/": [
      { path: "/", as: "anonymous" },
      { path: "/?q=zzzz", as: "anonymous" },
      // Every filter, one of them bad (its message shows).
      {
        path: "/?city=riyadh&district=al-olaya&audience=ladies&category=hair&price_min=50" +
          "&price_max=500&rating=4&date=2026-11-22&after=25:00&sort=soonest",
        as: "anonymous",
      },
      { path: "/?audience=women&sort=price", as: "anonymous" },
    ],
    "/salons/:slug/book": [
      { path: book, as: "anonymous" },
      { path: `${book}?service=${ids.service}`, as: "anonymous" },
      { path: `${book}?service=${ids.service}&staff=any`, as: "anonymous" },
      {
        path: `${book}?service=${ids.service}&staff=any&start=${encodeURIComponent(ids.slot)}`,
        as: "customer",
      },
      // Signed out, the confirm step says confirming asks to log in.
      {
        path: `${book}?service=${ids.service}&staff=any&start=${encodeURIComponent(ids.slot)}`,
        as: "anonymous",
      },
      // A time no longer free: back to the time step with a notice.
      {
        path: `${book}?service=${ids.service}&staff=any&start=2026-11-21T00:00:00.000Z`,
        as: "anonymous",
      },
      // A service offered at home: the where step, refused details, home times, home confirm.
      { path: `/salons/${WARD}/book?service=${ids.henna}`, as: "anonymous" },
      {
        path: `/salons/${WARD}/book?service=${ids.henna}&where=home&district=diriyah&address=x`,
        as: "anonymous",
        status: 400,
      },
      { path: `/salons/${WARD}/book?service=${ids.henna}&${HOME}&staff=any`, as: "anonymous" },
      {
        path: `/salons/${WARD}/book?service=${ids.henna}&${HOME}&staff=any&start=${
          encodeURIComponent(ids.homeSlot)
        }`,
        as: "customer",
      },
    ],
    "/salons/:slug/visit": [
      { path: `/salons/${LAMSA}/visit`, as: "anonymous" },
      { path: `/salons/${LAMSA}/visit?s=${ids.service}&g=Sara&gs=${ids.service}`, as: "anonymous" },
      {
        path: `/salons/${LAMSA}/visit?s=${ids.service}&start=${encodeURIComponent(ids.slot)}`,
        as: "customer",
      },
      // At a salon coming to homes: the where choice, and a refused home visit.
      { path: `/salons/${WARD}/visit`, as: "anonymous" },
      {
        path: `/salons/${WARD}/visit?s=${ids.henna}&where=home&district=diriyah&address=x`,
        as: "anonymous",
        status: 400,
      },
    ],
    "/login": [{ path: "/login", as: "anonymous" }, {
      path: `/login?rid=${ids.rid}`,
      as: "anonymous",
    }],
    "/me/privacy/delete": [{ path: "/me/privacy/delete", as: "anonymous" }],
    "/bookings/:id": [
      { path: `/bookings/${ids.pending}`, as: "customer" }, // awaiting its deposit: the Pay form
      { path: `/bookings/${ids.upcoming}`, as: "customer" },
      { path: `/bookings/${ids.completed}`, as: "customer" },
      { path: `/bookings/${ids.visit}`, as: "customer" },
      { path: `/bookings/${ids.homeVisit}`, as: "customer" }, // at home: address and surcharge
    ],
    "/bookings/:id/reschedule": [{ path: `/bookings/${ids.upcoming}/reschedule`, as: "customer" }],
    "/bookings/:id/items/:item/cancel": [
      { path: `/bookings/${ids.visit}/items/${ids.visitItem}/cancel`, as: "customer" },
    ],
    "/invoices/:id": [
      { path: `/invoices/${ids.invoice}`, as: "customer" },
      { path: `/invoices/${ids.invoice}?layout=receipt`, as: "manager" },
    ],
    "/bookings/:id/review": [{ path: `/bookings/${ids.completed}/review`, as: "customer" }],
    "/dashboard/:salon/calendar": [
      { path: `/dashboard/${LAMSA}/calendar`, as: "manager" },
      { path: `/dashboard/${LAMSA}/calendar?view=week`, as: "manager" },
    ],
    "/dashboard/:salon/bookings/new": [
      { path: `/dashboard/${LAMSA}/bookings/new`, as: "manager" },
      { path: `/dashboard/${LAMSA}/bookings/new?service=${ids.service}`, as: "manager" },
    ],
    "/dashboard/:salon/bookings/:id/checkout": [
      { path: `/dashboard/${LAMSA}/bookings/${ids.pending}/checkout`, as: "manager" },
      // Checked out: the page says so and links the invoice.
      { path: `/dashboard/${LAMSA}/bookings/${ids.completed}/checkout`, as: "manager" },
    ],
    "/dashboard/:salon/bookings/:id/credit": [
      { path: `/dashboard/${LAMSA}/bookings/${ids.completed}/credit`, as: "manager" },
    ],
    "/dashboard/:salon/bookings/:id": [
      { path: `/dashboard/${LAMSA}/bookings/${ids.pending}`, as: "manager" },
      // Checked out: the invoice, and the credit-note link.
      { path: `/dashboard/${LAMSA}/bookings/${ids.completed}`, as: "manager" },
    ],
    "/admin": [{ path: "/admin", as: "admin" }],
    "/salons/:slug/waitlist": [
      { path: `/salons/${LAMSA}/waitlist?service=${ids.service}&date=2026-11-26`, as: "customer" },
    ],
    "/waitlist/offers/:token": [{ path: `/waitlist/offers/${ids.offerToken}`, as: "customer" }],
    "/dashboard/:salon/waitlist": [
      { path: `/dashboard/${LAMSA}/waitlist?date=2026-11-26`, as: "manager" },
    ],
    "/admin/photos": [{ path: "/admin/photos", as: "admin" }],
  };
  if (fixed[pattern]) return fixed[pattern];
  // Everything else: fill the parameters from the seed.
  const dashboard = pattern.startsWith("/dashboard");
  let path = pattern.replace(":slug", LAMSA).replace(":salon", LAMSA);
  if (path.includes(":id")) {
    const id = /\/bookings\/:id/.test(path)
      ? (dashboard ? ids.pending : ids.upcoming) // Lamsa's for its dashboard
      : /\/services\/:id/.test(path)
      ? ids.service
      : /\/staff\/:id/.test(path)
      ? ids.noura
      : /\/payments\/:id/.test(path)
      ? ids.payment
      : /\/clients\/:id/.test(path)
      ? ids.client
      : null;
    if (!id) return null;
    path = path.replace(":id", id);
  }
  if (path.includes(":")) return null;
  const signedIn = dashboard ? "manager" : /^\/(me|bookings)\b/.test(path) ? "customer" : null;
  return [{ path, as: signedIn ?? "anonymous" }];
}

/**
 * At Lamsa: this morning's completed booking, one awaiting its deposit, one whose deposit is paid;
 * at Nokhba: a pay-at-salon booking to move.
 */
async function bookings(app: SeededApp, customerId: string) {
  const { t } = app;
  const [ids] = await t.db.query<{ service: string; noura: string }>(
    `SELECT sv.id AS service, st.id AS noura
     FROM salons s JOIN services sv ON sv.salon_id = s.id JOIN staff st ON st.salon_id = s.id
     WHERE s.slug = $1 AND sv.name_en = 'Blow-dry' AND st.name_en = 'Noura Al-Qahtani'`,
    [LAMSA],
  );
  const actor = { userId: customerId, role: "customer" as const };
  const base = {
    customerId,
    salon: LAMSA,
    serviceId: ids.service,
    staff: ids.noura,
    actor,
    onlinePayment: true, // the app has the Moyasar fake
  };
  const { booking: completed } = await createBooking(t.db, {
    ...base,
    start: new Date("2026-11-21T07:00:00Z"),
    now: new Date("2026-11-20T09:00:00Z"),
    source: "salon",
  });
  await t.db.query("UPDATE bookings SET status = 'completed' WHERE id = $1", [completed.id]);
  const { booking: pending } = await createBooking(t.db, {
    ...base,
    start: new Date("2026-11-22T08:00:00Z"),
    now: t.clock.now(),
  });
  const { booking: paid } = await createBooking(t.db, {
    ...base,
    start: new Date("2026-11-23T08:00:00Z"),
    now: t.clock.now(),
  });
  const { payment } = await startPayment(t.db, app.client, {
    bookingId: paid.id,
    customerId,
    locale: "ar",
    returnOrigin: app.origin,
    now: t.clock.now(),
    source: "page",
  });
  await app.fake.payInvoice(payment.provider_invoice_id!, "paid");
  const [nokhba] = await t.db.query<{ service: string }>(
    `SELECT sv.id AS service FROM services sv JOIN salons s ON s.id = sv.salon_id
     WHERE s.slug = 'nokhba-dammam' AND sv.name_en = 'Haircut'`,
  );
  const { booking: upcoming } = await createBooking(t.db, {
    customerId,
    actor,
    salon: "nokhba-dammam",
    serviceId: nokhba.service,
    staff: "any",
    start: new Date("2026-11-24T13:00:00Z"), // Tuesday 16:00
    now: t.clock.now(),
  });
  // A visit of two services at Lamsa, cancellable one service at a time.
  const [cut] = await t.db.query<{ id: string }>(
    `SELECT sv.id FROM services sv JOIN salons s ON s.id = sv.salon_id
     WHERE s.slug = $1 AND sv.name_en = 'Haircut and trim'`,
    [LAMSA],
  );
  const { booking: visit, items } = await createBooking(t.db, {
    customerId,
    actor,
    salon: LAMSA,
    items: [
      { serviceId: cut.id, staff: "any", guest: 0 },
      { serviceId: ids.service, staff: "any", guest: 0 },
    ],
    start: new Date("2026-11-25T10:00:00Z"),
    now: t.clock.now(),
  });
  // The morning's visit checked out at the counter: its invoice.
  const [admin] = await t.db.query<UserRow>(
    `SELECT ${USER_COLUMNS} FROM users WHERE phone_number = '+966555000009'`,
  );
  const adminUser = {
    ...userFromRow(admin),
    role: "admin" as const,
    sessionId: "",
    via: "cookie" as const,
  };
  const checkout = await checkoutBooking(t.db, { user: adminUser, now: t.clock.now() }, {
    salonId: completed.salon_id,
    bookingId: completed.id,
    discount: { percent: 10, reason: "Loyal customer" },
    payments: [{ method: "cash", amountHalalas: Math.round(completed.price_halalas * 0.9) }],
  });
  const slots = await (await t.app.request(
    `/api/salons/${LAMSA}/slots/?service=${ids.service}&staff=any&date=2026-11-24&days=1`,
  )).json() as { days: { slots: { start: string }[] }[] };
  // Hand henna at home at the Ward studio, Monday evening.
  const [henna] = await t.db.query<{ id: string }>(
    `SELECT sv.id FROM services sv JOIN salons s ON s.id = sv.salon_id
     WHERE s.slug = $1 AND sv.name_en = 'Hand henna'`,
    [WARD],
  );
  const { booking: homeVisit } = await createBooking(t.db, {
    customerId,
    actor,
    salon: WARD,
    serviceId: henna.id,
    staff: "any",
    start: new Date("2026-11-23T14:00:00Z"),
    now: t.clock.now(),
    home: { district: "al-malqa", address: "Villa 12, Street 5", notes: "Gate 2" },
  });
  const homeSlots = await (await t.app.request(
    `/api/salons/${WARD}/slots/?service=${henna.id}&staff=any&home=1&date=2026-11-24&days=1`,
  )).json() as { days: { slots: { start: string }[] }[] };
  // The customer waits for Thursday at Lamsa and is offered a time (the job's first round).
  await joinWaitlist(t.db, {
    customerId,
    salon: LAMSA,
    serviceIds: [ids.service],
    staff: "any",
    day: "2026-11-26",
    fromMinute: 600,
    toMinute: 1200,
    now: t.clock.now(),
  });
  await offerFreedTimes(t.db, t.clock.now());
  const [offer] = await t.db.query<{ token: string }>(
    "SELECT token FROM waitlist_offers WHERE customer_id = $1",
    [customerId],
  );
  return {
    ...ids,
    offerToken: offer.token,
    completed: completed.id,
    pending: pending.id,
    upcoming: upcoming.id,
    payment: payment.id,
    slot: slots.days[0].slots[0].start,
    visit: visit.id,
    visitItem: items[1].id,
    invoice: checkout.invoiceId,
    henna: henna.id,
    homeSlot: homeSlots.days[0].slots[0].start,
    homeVisit: homeVisit.id,
    client: (await t.db.query<{ id: string }>(
      `SELECT c.id FROM salon_clients c JOIN salons s ON s.id = c.salon_id
       WHERE s.slug = $1 AND c.user_id = $2`,
      [LAMSA, customerId],
    ))[0].id,
  };
}

/**
 * The visits for every page (plus a 404), and the signed-in cookie jars of the visitors they need:
 * a customer with bookings, the demo manager, a platform admin.
 */
export async function everyPage(
  app: SeededApp,
): Promise<{ visits: Visit[]; jars: Record<Who, CookieJar | undefined> }> {
  const { t } = app;
  await makeUser(t.db, { phone: "+966555000009", isAdmin: true });
  const jars: Record<Who, CookieJar | undefined> = {
    anonymous: undefined,
    customer: await browserLogin(t, "0551112222"),
    manager: await browserLogin(t, "+966500000001"),
    admin: await browserLogin(t, "+966555000009"),
  };
  const [customer] = await t.db.query<{ id: string }>(
    "SELECT id FROM users WHERE phone_number = '+966551112222'",
  );
  const ids: Ids = {
    ...await bookings(app, customer.id),
    rid: (await requestCode(t, "0553334444")).request_id,
  };
  const visits: Visit[] = [];
  const unmapped: string[] = [];
  for (const [pattern, mod] of routes as ReadonlyArray<readonly [string, RouteModule, string]>) {
    // A page answers GET: its handler's GET, or a bare page module with no handler at all.
    const answersGet = mod.handler ? Boolean(mod.handler.GET) : Boolean(mod.default);
    if (!answersGet || pattern.startsWith("/api/") || pattern in NOT_PAGES) continue;
    const list = visitsFor(pattern, ids);
    if (list) visits.push(...list);
    else unmapped.push(pattern);
  }
  assert.deepEqual(unmapped, [], "pages this list cannot fill in: add them to visitsFor()");
  visits.push({ path: "/no-such-page", as: "anonymous", status: 404 });
  return { visits, jars };
}
