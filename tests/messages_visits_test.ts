/**
 * Messages about visits: the customer's lists every service in order with its staff member and
 * times (a guest's services under their name), each staff member hears about their own services,
 * and the one going to a home visit gets the address.
 */
import assert from "node:assert/strict";
import { createBooking } from "@/services/bookings/mod.ts";
import { renderMessage } from "@/services/messages/templates.ts";
import type { MessageParams } from "@/services/messages/types.ts";
import type { TemplateKey } from "@/services/messages/templates.ts";
import { makeTestApp } from "./helpers/app.ts";
import { makeCustomers } from "./helpers/customers.ts";
import { testBackend } from "./helpers/db.ts";
import { makeSalon, makeService, makeStaff } from "./helpers/factories.ts";

const B = testBackend();
const URL_ = "https://salon.sa";

Deno.test(`messages (${B}) - a visit's message lists its services in order; each stylist hears of their own`, async () => {
  const t = await makeTestApp();
  try {
    const salon = await makeSalon(t.db, { name_en: "Lamsa", name_ar: "لمسة" });
    const cut = await makeService(t.db, salon, {
      name_en: "Haircut",
      name_ar: "قص شعر",
      duration_minutes: 45,
    });
    const dry = await makeService(t.db, salon, {
      name_en: "Blow-dry",
      name_ar: "استشوار",
      duration_minutes: 30,
    });
    const [customer, nouraUser, reemUser] = await makeCustomers(t, 3);
    await t.db.query("UPDATE users SET preferred_language = 'en' WHERE id = $1", [customer.id]);
    const noura = await makeStaff(t.db, salon, {
      services: [cut.id],
      name_en: "Noura",
      name_ar: "نورة",
      user_id: nouraUser.id,
    });
    const reem = await makeStaff(t.db, salon, {
      services: [dry.id, cut.id],
      name_en: "Reem",
      name_ar: "ريم",
      user_id: reemUser.id,
    });
    const { booking } = await createBooking(t.db, {
      customerId: customer.id,
      salon: salon.id,
      items: [
        { serviceId: cut.id, staff: noura.id, guest: 0 },
        { serviceId: dry.id, staff: reem.id, guest: 0 },
        { serviceId: cut.id, staff: reem.id, guest: 1 },
      ],
      guests: [{}, { name: "Sara" }],
      start: new Date("2026-11-22T13:00:00Z"), // 4:00 pm in Riyadh
      now: t.clock.now(),
      actor: { userId: customer.id, role: "customer" },
    });
    const rows = await t.db.query<
      {
        recipient_user_id: string;
        template: TemplateKey;
        params: MessageParams;
        locale: "ar" | "en";
      }
    >(
      `SELECT recipient_user_id, template, params, locale FROM messages
       WHERE booking_id = $1 AND kind = 'event'`,
      [booking.id],
    );
    const text = (userId: string) => {
      const m = rows.find((r) => r.recipient_user_id === userId)!;
      return renderMessage(m.template, m.params, m.locale, URL_);
    };
    assert.match(
      text(customer.id),
      /confirmed: Haircut with Noura 4:00 pm-4:45 pm, then Blow-dry with Reem 4:45 pm-5:15 pm, then Sara: Haircut with Reem 4:00 pm-4:45 pm on /,
    );
    // Noura: her haircut only; Reem (Arabic by default): her two services, from her first.
    assert.match(text(nouraUser.id), /لك: قص شعر، .*٤:٠٠ م/);
    assert.doesNotMatch(text(nouraUser.id), /استشوار/);
    const reemText = text(reemUser.id);
    assert.match(reemText, /استشوار \+ قص شعر|قص شعر \+ استشوار/);
    assert.match(reemText, /٤:٠٠ م/);
  } finally {
    await t.close();
  }
});

Deno.test(`messages (${B}) - the stylist going to a home visit gets the address; the customer's message does not repeat it`, async () => {
  const t = await makeTestApp();
  try {
    const salon = await makeSalon(t.db, { home_travel_minutes: 30 });
    await t.db.query(
      "INSERT INTO salon_home_districts (salon_id, key, name_ar, name_en) VALUES ($1, 'hittin', 'حطين', 'Hittin')",
      [salon.id],
    );
    const henna = await makeService(t.db, salon, { at_home: true, category: "henna" });
    const [customer, stylist] = await makeCustomers(t, 2);
    await t.db.query("UPDATE users SET preferred_language = 'en' WHERE id = $1", [stylist.id]);
    await makeStaff(t.db, salon, { services: [henna.id], user_id: stylist.id });
    const { booking } = await createBooking(t.db, {
      customerId: customer.id,
      salon: salon.id,
      serviceId: henna.id,
      staff: "any",
      start: new Date("2026-11-22T13:00:00Z"),
      now: t.clock.now(),
      actor: { userId: customer.id, role: "customer" },
      home: { district: "hittin", address: "Villa 7, Street 12" },
    });
    const rows = await t.db.query<
      { recipient_role: string; template: TemplateKey; params: MessageParams; locale: "ar" | "en" }
    >(
      "SELECT recipient_role, template, params, locale FROM messages WHERE booking_id = $1 AND kind = 'event'",
      [booking.id],
    );
    const staffRow = rows.find((r) => r.recipient_role === "staff")!;
    assert.match(
      renderMessage(staffRow.template, staffRow.params, staffRow.locale, URL_),
      /Home visit: Villa 7, Street 12, حطين \/ Hittin\. https/,
    );
    const customerRow = rows.find((r) => r.recipient_role === "customer")!;
    assert.doesNotMatch(
      renderMessage(customerRow.template, customerRow.params, customerRow.locale, URL_),
      /Villa 7/,
    );
  } finally {
    await t.close();
  }
});
