import { formatNumber } from "@/i18n/format.ts";
import assert from "node:assert/strict";
import { seedDemoData } from "@/db/seed.ts";
import { makeTestApp, type TestApp } from "./helpers/app.ts";
import { testBackend } from "./helpers/db.ts";
import { pageDotsBesideArabicDigits } from "./helpers/digits.ts";
import { makeOnlinePaymentApp } from "./helpers/payments.ts";
import {
  everyDay,
  hm,
  makeBooking,
  makeBreak,
  makeClosure,
  makeSalon,
  makeService,
  makeStaff,
} from "./helpers/factories.ts";

const B = testBackend();

async function html(app: TestApp, url: string, status = 200): Promise<string> {
  const res = await app.app.request(url);
  assert.equal(res.status, status, url);
  assert.match(res.headers.get("content-type") ?? "", /^text\/html/);
  return await res.text();
}

/** Text content without tags and with whitespace collapsed, for readable assertions. */
function text(page: string): string {
  return page.replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/g, " ").replace(/<[^>]+>/g, " ")
    .replace(/&nbsp;/g, " ").replace(/[\u200e\u200f]/g, "").replace(/\s+/g, " ");
}

Deno.test(`home page (${B}) - search results in Arabic (rtl) and English with rating, district, price range and next time`, async (t) => {
  const app = await makeTestApp();
  try {
    await seedDemoData(app.db, app.clock.now());
    await t.step("Arabic by default: rtl, cities listed, every salon shown", async () => {
      const page = await html(app, "/");
      assert.match(page, /<html lang="ar" dir="rtl">/);
      assert.match(page, /<option value="jeddah"[^>]*>جدة<\/option>/);
      const body = text(page);
      for (const name of ["صالون لمسة", "دار الجمال", "نخبة للحلاقة الرجالية"]) {
        assert.ok(body.includes(name), name);
      }
      assert.ok(body.includes("العليا، الرياض"));
      assert.ok(body.includes("أقرب موعد: اليوم،"), "next available time, today");
      assert.ok(body.includes("ر.س."), "prices in riyals");
    });
    await t.step("English search by service with a typo, in one city", async () => {
      const page = await html(app, "/?lang=en&q=manicur&city=riyadh");
      assert.match(page, /<html lang="en" dir="ltr">/);
      assert.match(page, /<option value="riyadh" selected/);
      const body = text(page);
      assert.ok(body.includes("Results for “manicur”"));
      assert.ok(body.includes("Lamsa Salon") && body.includes("Service: Manicure"));
      assert.ok(!body.includes("Dar Al Jamal"), "Jeddah is filtered out");
      const [lamsa] = await app.db.query<{ rating_avg: number; rating_count: number }>(
        "SELECT rating_avg, rating_count FROM salons WHERE slug = 'lamsa-riyadh'",
      );
      assert.ok(lamsa.rating_count > 0);
      const shown = formatNumber(Math.round(lamsa.rating_avg * 10) / 10, { locale: "en" });
      assert.ok(body.includes(`★ ${shown} (${lamsa.rating_count})`), "rating shown, one decimal");
      assert.ok(body.includes("SAR 80.00 – SAR 2,800.00"));
      assert.match(
        page,
        /href="\/salons\/lamsa-riyadh\/book\?service=[0-9a-f-]+&amp;staff=any&amp;date=2026-11-2\d"/,
      );
    });
    await t.step("nothing found says so; an unknown city is ignored", async () => {
      assert.ok(text(await html(app, "/?lang=en&q=xylophone")).includes("No salon matches"));
      assert.ok(text(await html(app, "/?lang=en&city=atlantis")).includes("Nokhba"));
    });
  } finally {
    await app.close();
  }
});

Deno.test(`salon page (${B}) - services with durations and SAR prices, team, hours, breaks, closures, map and WhatsApp links, in both languages`, async (t) => {
  const app = await makeTestApp();
  try {
    const salon = await makeSalon(app.db, {
      slug: "rose-salon",
      name_ar: "صالون الورد",
      name_en: "Rose Salon",
      latitude: 24.7,
      longitude: 46.68,
      whatsapp: "+966550000999",
      phone: "+966110000999",
      rating_avg: 4.5,
      rating_count: 12,
      hours: [1, 2, 3, 4, 6, 7].map((weekday) => ({
        weekday,
        startMinute: hm(10),
        endMinute: hm(22),
      })),
    });
    const cut = await makeService(app.db, salon, {
      name_ar: "قص الشعر",
      name_en: "Haircut",
      duration_minutes: 45,
      price_halalas: 12050,
    });
    await makeService(app.db, salon, {
      category: "nails",
      name_ar: "مناكير",
      name_en: "Manicure",
      duration_minutes: 10,
    });
    await makeStaff(app.db, salon, {
      name_ar: "نورة",
      name_en: "Noura",
      title_en: "Senior stylist",
      services: [cut.id],
    });
    await makeBreak(app.db, salon, {
      start_minute: hm(12),
      end_minute: hm(12, 30),
      label_ar: "صلاة الظهر",
      label_en: "Dhuhr prayer",
    });
    await makeClosure(app.db, salon, {
      starts_at: new Date("2027-03-08T21:00:00Z"),
      ends_at: new Date("2027-03-11T21:00:00Z"),
      reason_ar: "إجازة عيد الفطر",
      reason_en: "Eid al-Fitr holiday",
    });

    await t.step("English", async () => {
      const page = await html(app, "/salons/rose-salon?lang=en");
      const body = text(page);
      assert.match(page, /<title>Rose Salon · Salon<\/title>/);
      assert.ok(body.includes("Haircut 45 min SAR 120.50"));
      assert.ok(body.includes("Manicure 10 min"));
      assert.ok(body.includes("Not bookable online right now"), "nobody performs the manicure");
      assert.match(page, new RegExp(`href="/salons/rose-salon/book\\?service=${cut.id}"`));
      assert.ok(body.includes("Noura Senior stylist"));
      assert.ok(body.includes("Friday Closed"));
      assert.ok(body.includes("Monday 10:00 am – 10:00 pm"));
      assert.ok(body.includes("Every day: 12:00 pm – 12:30 pm (Dhuhr prayer)"));
      assert.ok(body.includes("Times shown in Riyadh time (GMT+3)"));
      assert.ok(body.includes("Eid al-Fitr holiday"));
      assert.ok(body.includes("From Tuesday, 9 March 2027 · 1 Shawwal 1448 AH"));
      assert.ok(body.includes("to Thursday, 11 March 2027 · 3 Shawwal 1448 AH"));
      assert.ok(body.includes("4.5 out of 5 · 12 reviews"));
      assert.ok(
        page.includes('href="https://www.google.com/maps/search/?api=1&amp;query=24.7,46.68"'),
      );
      assert.ok(page.includes('href="https://wa.me/966550000999"'));
      assert.ok(page.includes('href="tel:+966110000999"'));
      // Its one script element is data for search engines (JSON-LD), never code.
      assert.deepEqual(
        page.match(/<script[^>]*>/g),
        ['<script type="application/ld+json">'],
        "the salon page ships no JavaScript",
      );
    });
    await t.step("Arabic", async () => {
      const page = await html(app, "/salons/rose-salon?lang=ar");
      assert.match(page, /<html lang="ar" dir="rtl">/);
      const body = text(page);
      assert.ok(body.includes("قص الشعر ٤٥ دقيقة ١٢٠٫٥٠ ر.س."));
      assert.ok(body.includes("مناكير ١٠ دقائق"), "3–10 takes the plural");
      assert.ok(body.includes("الجمعة مغلق"));
      assert.ok(body.includes("يوميًا: ١٢:٠٠ م – ١٢:٣٠ م (صلاة الظهر)"));
      assert.ok(body.includes("الأوقات بتوقيت الرياض (غرينتش+٣)"));
      assert.ok(body.includes("من الثلاثاء، ٩ مارس ٢٠٢٧ الموافق ١ شوال ١٤٤٨ هـ"));
      assert.ok(body.includes("التقييم ٤٫٥ من ٥، عدد المراجعات: ١٢"));
      assert.ok(body.includes("حجز موعد"));
      assert.deepEqual(pageDotsBesideArabicDigits(page), [], "no middle dot beside a digit");
    });
    await t.step("an unknown salon is a 404 page", async () => {
      const page = await html(app, "/salons/nope?lang=en", 404);
      assert.ok(text(page).includes("Page not found"));
    });
  } finally {
    await app.close();
  }
});

// The test clock says 2026-11-21T09:00Z: Saturday 12:00 in Riyadh. Online payment is available
// (the Moyasar fake), so the deposit salon asks for its deposit at the confirm step.
async function bookingSetup() {
  const app = await makeOnlinePaymentApp();
  const salon = await makeSalon(app.db, {
    slug: "rose-salon",
    name_en: "Rose Salon",
    name_ar: "صالون الورد",
    payment_mode: "deposit",
    deposit_percent: 20,
    hours: everyDay(hm(9), hm(17)),
    slot_step_minutes: 60,
  });
  const cut = await makeService(app.db, salon, {
    name_en: "Haircut",
    name_ar: "قص الشعر",
    price_halalas: 10000,
  });
  const noura = await makeStaff(app.db, salon, {
    name_en: "Noura",
    name_ar: "نورة",
    services: [cut.id],
    sort_order: 1,
  });
  const reem = await makeStaff(app.db, salon, {
    name_en: "Reem",
    name_ar: "ريم",
    services: [{ id: cut.id, price_halalas: 15000, duration_minutes: 90 }],
    sort_order: 2,
  });
  return { app, salon, cut, noura, reem, base: "/salons/rose-salon/book" };
}

Deno.test(`booking page (${B}) - service, then staff or anyone, then day and time, then confirm, as links and radio buttons`, async (t) => {
  const { app, cut, noura, reem, base } = await bookingSetup();
  try {
    await t.step("step 1 lists bookable services as links", async () => {
      const page = await html(app, `${base}?lang=en`);
      assert.match(page, /<span class="[^"]*" aria-current="step">1\. Service<\/span>/);
      assert.ok(page.includes(`href="${base}?service=${cut.id}"`));
    });
    await t.step(
      "step 2 offers anyone and each staff member who performs it, with their own price",
      async () => {
        const page = await html(app, `${base}?lang=en&service=${cut.id}`);
        const body = text(page);
        assert.ok(page.includes(`href="${base}?service=${cut.id}&amp;staff=any"`));
        assert.ok(page.includes(`href="${base}?service=${cut.id}&amp;staff=${noura.id}"`));
        assert.ok(body.includes("Reem 90 min · SAR 150.00"));
      },
    );
    await t.step(
      "step 3 shows a day strip of links and today's times as radio buttons",
      async () => {
        const page = await html(app, `${base}?lang=en&service=${cut.id}&staff=any`);
        assert.match(page, /<salon-island data-island="SlotPicker"/);
        assert.ok(
          page.includes(`href="${base}?service=${cut.id}&amp;staff=any&amp;date=2026-11-22"`),
        );
        assert.match(page, /aria-current="date"[^>]*>\s*<span[^>]*>Today<\/span>/);
        const radios = [...page.matchAll(/<input type="radio" name="start" value="([^"]+)"/g)]
          .map((m) => m[1]);
        assert.deepEqual(radios, [
          "2026-11-21T09:00:00.000Z",
          "2026-11-21T10:00:00.000Z",
          "2026-11-21T11:00:00.000Z",
          "2026-11-21T12:00:00.000Z",
          "2026-11-21T13:00:00.000Z",
        ]);
        const body = text(page);
        assert.ok(body.includes("Afternoon 12:00 pm 1:00 pm"));
        assert.ok(body.includes("Times shown in Riyadh time (GMT+3)"));
        assert.match(page, /<form method="get" action="\/salons\/rose-salon\/book"/);
      },
    );
    await t.step("a chosen day shows that day's times", async () => {
      const page = await html(
        app,
        `${base}?lang=en&service=${cut.id}&staff=${reem.id}&date=2026-11-24`,
      );
      assert.ok(text(page).includes("Free times on Tuesday, 24 November 2026"));
      assert.ok(page.includes('value="2026-11-24T06:00:00.000Z"'));
      assert.ok(
        !page.includes('value="2026-11-24T13:00:00.000Z"'),
        "90 minutes from 16:00 runs past closing",
      );
    });
    await t.step(
      "step 4 confirms with the assigned staff member, price, and a form posting to booking creation",
      async () => {
        const start = "2026-11-22T07:00:00.000Z";
        const page = await html(app, `${base}?lang=en&service=${cut.id}&staff=any&start=${start}`);
        const body = text(page);
        assert.ok(body.includes("With Noura (no preference)"));
        assert.ok(body.includes("Date Sunday, 22 November 2026 · 12 Jumada II 1448 AH"));
        assert.ok(body.includes("Time 10:00 am – 11:00 am"));
        assert.ok(body.includes("Price SAR 100.00"));
        assert.ok(body.includes("20% deposit online"));
        assert.match(page, /<form method="post" action="\/salons\/rose-salon\/book"/);
        assert.ok(page.includes(`name="service" value="${cut.id}"`));
        assert.ok(page.includes('name="staff" value="any"'));
        assert.ok(page.includes(`name="start" value="${start}"`));
        assert.match(page, /name="idempotency_key" value="[0-9a-f-]{36}"/);
        assert.ok(!page.includes("<script"), "the confirm step needs no JavaScript");
      },
    );
    await t.step(
      "in Arabic every step joins facts with a comma and dates with a word, never a middle dot beside a digit",
      async () => {
        const start = "2026-11-22T07:00:00.000Z";
        const steps = {
          service: await html(app, `${base}?lang=ar`),
          staff: await html(app, `${base}?lang=ar&service=${cut.id}`),
          time: await html(app, `${base}?lang=ar&service=${cut.id}&staff=any&date=2026-11-24`),
          confirm: await html(app, `${base}?lang=ar&service=${cut.id}&staff=any&start=${start}`),
        };
        for (const [step, page] of Object.entries(steps)) {
          assert.deepEqual(pageDotsBesideArabicDigits(page), [], step);
        }
        assert.ok(text(steps.service).includes("الشعر، ٦٠–٩٠ دقيقة"));
        assert.ok(text(steps.staff).includes("قص الشعر ، ٦٠–٩٠ دقيقة، ١٠٠٫٠٠ ر.س."));
        assert.ok(text(steps.staff).includes("ريم ٩٠ دقيقة، ١٥٠٫٠٠ ر.س."));
        assert.ok(
          text(steps.time).includes("الثلاثاء، ٢٤ نوفمبر ٢٠٢٦ الموافق ١٤ جمادى الآخرة ١٤٤٨ هـ"),
        );
        assert.ok(
          text(steps.confirm).includes(
            "التاريخ الأحد، ٢٢ نوفمبر ٢٠٢٦ الموافق ١٢ جمادى الآخرة ١٤٤٨ هـ",
          ),
        );
      },
    );
    await t.step("a specific staff member's own price is confirmed", async () => {
      const page = await html(
        app,
        `${base}?lang=en&service=${cut.id}&staff=${reem.id}&start=2026-11-22T07:00:00.000Z`,
      );
      const body = text(page);
      assert.ok(body.includes("With Reem"));
      assert.ok(body.includes("Price SAR 150.00"));
      assert.ok(body.includes("Time 10:00 am – 11:30 am"));
    });
  } finally {
    await app.close();
  }
});

Deno.test(`booking page (${B}) - a time that is gone or off the grid goes back to that day with a notice`, async () => {
  const { app, cut, noura, base } = await bookingSetup();
  try {
    const start = "2026-11-22T07:00:00.000Z";
    await makeBooking(app.db, { service: cut, staff: noura, starts_at: new Date(start) });
    const page = await html(
      app,
      `${base}?lang=ar&service=${cut.id}&staff=${noura.id}&start=${start}`,
    );
    assert.match(page, /<p role="alert"[^>]*>عذرًا، هذا الوقت لم يعد متاحًا/);
    assert.ok(text(page).includes("الأوقات المتاحة يوم الأحد، ٢٢ نوفمبر ٢٠٢٦"));
    assert.ok(!page.includes(`value="${start}"`), "the booked time is not offered");

    const offGrid = await html(
      app,
      `${base}?lang=en&service=${cut.id}&staff=any&start=2026-11-22T07:10:00.000Z`,
    );
    assert.ok(text(offGrid).includes("Sorry, that time is no longer free."));
    const junk = await html(app, `${base}?lang=en&service=${cut.id}&staff=any&start=yesterday`);
    assert.ok(text(junk).includes("Sorry, that time is no longer free."));
  } finally {
    await app.close();
  }
});

Deno.test(`booking page (${B}) - unknown or unbookable choices fall back to the step that chooses them`, async () => {
  const { app, cut, salon, base } = await bookingSetup();
  try {
    const lonely = await makeService(app.db, salon, { name_en: "Nobody does this" });
    const bad = text(await html(app, `${base}?lang=en&service=${lonely.id}`));
    assert.ok(bad.includes("This service cannot be booked online right now."));
    assert.ok(bad.includes("Choose a service"));
    assert.ok(
      text(await html(app, `${base}?lang=en&service=${cut.id}&staff=nobody`))
        .includes("Choose who you would like"),
    );
    const farAway = await html(app, `${base}?lang=en&service=${cut.id}&staff=any&date=2030-01-01`);
    assert.match(farAway, /aria-current="date"[^>]*>\s*<span[^>]*>Today<\/span>/);
    await html(app, "/salons/nope/book", 404);
  } finally {
    await app.close();
  }
});
