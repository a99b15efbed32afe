import { z } from "zod";
import {
  BUTTON,
  BUTTON_SECONDARY,
  Csrf,
  DashboardLayout,
  Field,
  FormErrors,
  INPUT,
  SelectField,
} from "@/components/dashboard/ui.tsx";
import { durationLabel } from "@/components/catalog.tsx";
import ClientPhone from "@/islands/ClientPhone.tsx";
import { fullDualDate } from "@/i18n/calendar.ts";
import { formatSar, formatTime } from "@/i18n/format.ts";
import { type AppContext, defineHandlers, definePage, page } from "@/routes/_define.ts";
import { phoneField } from "@/routes/api/auth/_shared.ts";
import { createWalkInBooking } from "@/services/dashboard/bookings.ts";
import { ValidationError } from "@/services/errors.ts";
import { isIsoDate, listSlots, listVisitSlots, localDateOf } from "@/services/slots/load.ts";
import { isUuid } from "@/services/ids.ts";
import { text } from "../../_fields.ts";
import {
  type DashboardContext,
  dashboardContext,
  type FormState,
  layoutOf,
  NO_FORM,
  parseForm,
  type RouteAccess,
  submitForm,
} from "../../_guard.ts";

export const access: RouteAccess = "manager";

interface Choice {
  service: string;
  staff: string;
  date: string;
  /** More services for the same customer, one after the other (anyone does them). */
  more: string[];
  /** A guest with one service of their own, side by side. */
  guestName: string;
  guestService: string;
}

/** The step-one choice (services, staff or anyone, date, a guest) from the query or the form. */
function choiceOf(values: Record<string, string | undefined>, today: string): Choice {
  return {
    service: values.service ?? "",
    staff: values.staff || "any",
    date: values.date && isIsoDate(values.date) && values.date >= today ? values.date : today,
    more: [values.service2, values.service3].filter((v): v is string => isUuid(v ?? "")),
    guestName: (values.guest_name ?? "").trim().slice(0, 80),
    guestService: isUuid(values.guest_service ?? "") ? values.guest_service! : "",
  };
}

/** The visit the choice describes: the first service with the chosen staff, the rest anyone. */
function itemsOf(choice: Choice, staff: string) {
  return [
    { serviceId: choice.service, staff, guest: 0 },
    ...choice.more.map((serviceId) => ({ serviceId, staff: "any", guest: 0 })),
    ...(choice.guestService && choice.guestName
      ? [{ serviceId: choice.guestService, staff: "any", guest: 1 }]
      : []),
  ];
}

async function load(c: AppContext, ctx: DashboardContext, choice: Choice, form: FormState) {
  const db = c.var.deps.db;
  const services = await db.query<
    {
      id: string;
      name_ar: string;
      name_en: string;
      duration_minutes: number;
      price_halalas: number;
    }
  >(
    `SELECT id, name_ar, name_en, duration_minutes, price_halalas FROM services
     WHERE salon_id = $1 AND active ORDER BY sort_order, name_en`,
    [ctx.salon.id],
  );
  const service = services.find((s) => s.id === choice.service) ?? null;
  const staff = service
    ? await db.query<{ id: string; name_ar: string; name_en: string }>(
      `SELECT st.id, st.name_ar, st.name_en FROM staff st
       JOIN staff_services ss ON ss.staff_id = st.id AND ss.service_id = $2
       WHERE st.salon_id = $1 AND st.active ORDER BY st.sort_order, st.name_en`,
      [ctx.salon.id, service.id],
    )
    : [];
  const staffChoice = staff.some((s) => s.id === choice.staff) ? choice.staff : "any";
  let slots: { start: string; staffIds: string[] }[] = [];
  const items = itemsOf(choice, staffChoice);
  if (service && staff.length && items.length > 1) {
    const { days } = await listVisitSlots(db, {
      salonId: ctx.salon.id,
      items,
      fromDate: choice.date,
      days: 1,
      now: ctx.actor.now,
      ignoreNotice: true,
    });
    slots = (days[0]?.slots ?? []).map((s) => ({
      start: new Date(s.startMs).toISOString(),
      staffIds: s.items.map((i) => i.staffId),
    }));
  } else if (service && staff.length) {
    const { days } = await listSlots(db, {
      salonId: ctx.salon.id,
      serviceId: service.id,
      staff: staffChoice,
      fromDate: choice.date,
      days: 1,
      now: ctx.actor.now,
      ignoreNotice: true,
    });
    slots = (days[0]?.slots ?? []).map((s) => ({
      start: new Date(s.startMs).toISOString(),
      staffIds: [s.staffId],
    }));
  }
  const allStaff = await db.query<{ id: string; name_ar: string; name_en: string }>(
    "SELECT id, name_ar, name_en FROM staff WHERE salon_id = $1",
    [ctx.salon.id],
  );
  return page({
    layout: await layoutOf(c, ctx, "bookings"),
    services,
    service,
    staff,
    choice: { ...choice, staff: staffChoice },
    slots,
    allStaff,
    form,
    now: ctx.actor.now,
  }, { title: c.var.state.t("dash.walkIn.title") });
}

/**
 * `/dashboard/:salon/bookings/new`: a booking for a walk-in or phone customer. Step one (GET)
 * picks service, staff (or anyone) and date and lists the free times, the salon's online notice
 * not applying; step two (POST) takes the customer's phone number (their account is found or
 * created) and books through createBooking as the salon: confirmed at once, paid at the salon.
 */
export const handler = defineHandlers({
  async GET(c) {
    const ctx = await dashboardContext(c, "manager");
    const today = localDateOf(ctx.actor.now, ctx.salon.timezone);
    return await load(c, ctx, choiceOf(c.req.query(), today), NO_FORM);
  },

  async POST(c) {
    const ctx = await dashboardContext(c, "manager");
    const today = localDateOf(ctx.actor.now, ctx.salon.timezone);
    const schema = z.object({
      phone: phoneField(c.var.deps.config.otp.allowedCountries),
      first_name: text(150),
      language: z.enum(["ar", "en"]).default("ar"),
      service: z.uuid("validation.invalid"),
      staff: z.union([z.literal("any"), z.uuid()], { error: "slots.error.staff" }),
      start: z.iso.datetime({ offset: true, error: "dash.error.pickTime" }),
    });
    return await submitForm(c, async (values) => {
      const form = parseForm(schema, values);
      const choice = choiceOf(values, today);
      const { booking } = await createWalkInBooking(c.var.deps.db, ctx.actor, ctx.salon.id, {
        phone: form.phone,
        firstName: form.first_name,
        language: form.language,
        serviceId: form.service,
        staff: form.staff,
        start: new Date(form.start),
        items: itemsOf({ ...choice, service: form.service }, form.staff),
        guests: choice.guestName && choice.guestService
          ? [{}, { name: choice.guestName }]
          : undefined,
      });
      return c.redirect(`${ctx.base}/bookings/${booking.id}?notice=created`, 303);
    }, async (form) => {
      try {
        return await load(c, ctx, choiceOf(form.values, today), { ...form, intent: "walk_in" });
      } catch (err) {
        if (err instanceof ValidationError) return await load(c, ctx, choiceOf({}, today), form);
        throw err;
      }
    });
  },
});

export default definePage<typeof handler>(function WalkInPage({ data, state }) {
  const { t, fmt, locale } = state;
  const { layout, choice, service } = data;
  const ar = locale === "ar";
  const tz = layout.salon.timezone;
  const form = data.form;
  const action = `${layout.base}/bookings/new`;
  const staffName = (id: string) => {
    const s = data.allStaff.find((x) => x.id === id);
    return s ? (ar ? s.name_ar : s.name_en) : "";
  };
  return (
    <DashboardLayout layout={layout} state={state} now={data.now}>
      <h2 class="text-xl font-semibold">{t("dash.walkIn.title")}</h2>
      <p class="text-stone-700">{t("dash.walkIn.lead")}</p>
      <FormErrors form={form} />
      <form
        method="get"
        action={action}
        class="grid gap-3 rounded-xl border border-stone-200 bg-white p-4 sm:grid-cols-4"
      >
        <label class="block sm:col-span-2">
          <span class="mb-1 block text-sm font-medium">{t("book.service")}</span>
          <select name="service" class={INPUT} required>
            <option value="">{t("book.chooseService")}</option>
            {data.services.map((s) => (
              <option value={s.id} selected={s.id === choice.service}>
                {[
                  ar ? s.name_ar : s.name_en,
                  durationLabel(s.duration_minutes, state),
                  formatSar(s.price_halalas, fmt),
                ].join(t("app.separator"))}
              </option>
            ))}
          </select>
        </label>
        <label class="block">
          <span class="mb-1 block text-sm font-medium">{t("book.staff")}</span>
          <select name="staff" class={INPUT}>
            <option value="any">{t("book.anyone")}</option>
            {data.staff.map((s) => (
              <option value={s.id} selected={s.id === choice.staff}>
                {ar ? s.name_ar : s.name_en}
              </option>
            ))}
          </select>
        </label>
        <label class="block">
          <span class="mb-1 block text-sm font-medium">{t("book.date")}</span>
          <input type="date" name="date" value={choice.date} class={INPUT} />
        </label>
        {[["service2", choice.more[0]], ["service3", choice.more[1]]].map(([name, value]) => (
          <label class="block sm:col-span-2" key={name}>
            <span class="mb-1 block text-sm font-medium">{t("dash.walkIn.then")}</span>
            <select name={name} class={INPUT}>
              <option value="">{t("dash.walkIn.nothingMore")}</option>
              {data.services.map((s) => (
                <option value={s.id} selected={s.id === value}>
                  {ar ? s.name_ar : s.name_en}
                </option>
              ))}
            </select>
          </label>
        ))}
        <label class="block sm:col-span-2">
          <span class="mb-1 block text-sm font-medium">{t("dash.walkIn.guestName")}</span>
          <input name="guest_name" value={choice.guestName} maxLength={80} class={INPUT} />
        </label>
        <label class="block sm:col-span-2">
          <span class="mb-1 block text-sm font-medium">{t("dash.walkIn.guestService")}</span>
          <select name="guest_service" class={INPUT}>
            <option value="">{t("dash.walkIn.nothingMore")}</option>
            {data.services.map((s) => (
              <option value={s.id} selected={s.id === choice.guestService}>
                {ar ? s.name_ar : s.name_en}
              </option>
            ))}
          </select>
        </label>
        <div class="sm:col-span-4">
          <button type="submit" class={BUTTON_SECONDARY}>{t("dash.walkIn.showTimes")}</button>
        </div>
      </form>

      {service && (
        <form
          method="post"
          action={action}
          class="space-y-4 rounded-xl border border-stone-200 bg-white p-4"
        >
          <Csrf state={state} />
          <input type="hidden" name="service" value={service.id} />
          <input type="hidden" name="staff" value={choice.staff} />
          <input type="hidden" name="date" value={choice.date} />
          {choice.more.map((id, i) => (
            <input type="hidden" name={`service${i + 2}`} value={id} key={id + i} />
          ))}
          {choice.guestName && choice.guestService && (
            <>
              <input type="hidden" name="guest_name" value={choice.guestName} />
              <input type="hidden" name="guest_service" value={choice.guestService} />
            </>
          )}
          <h3 class="font-semibold">
            {ar ? service.name_ar : service.name_en} · {fullDualDate(choice.date, fmt)}
          </h3>
          {data.slots.length === 0 ? <p class="text-stone-700">{t("book.noSlots")}</p> : (
            <fieldset>
              <legend class="mb-2 text-sm font-medium">{t("book.time")}</legend>
              <div class="flex flex-wrap gap-2">
                {data.slots.map((s, i) => (
                  <label class="cursor-pointer rounded-full border border-stone-300 bg-white px-3 py-1.5">
                    <input
                      type="radio"
                      name="start"
                      value={s.start}
                      required
                      checked={form.values.start ? form.values.start === s.start : i === 0}
                      class="me-1"
                    />
                    {formatTime(new Date(s.start), tz, fmt)}
                    {(choice.staff === "any" || s.staffIds.length > 1) && (
                      <span class="text-xs text-stone-600">
                        · {s.staffIds.map(staffName).join(ar ? "، " : ", ")}
                      </span>
                    )}
                  </label>
                ))}
              </div>
              {form.errors.start && (
                <p class="mt-1 text-sm text-rose-700">{form.errors.start.join(" ")}</p>
              )}
            </fieldset>
          )}
          <div class="grid gap-3 sm:grid-cols-3">
            <ClientPhone
              endpoint={`${layout.base}/clients.json`}
              name="phone"
              id="f-phone"
              label={t("dash.walkIn.phone")}
              hint={t("login.phone.hint")}
              value={form.values.phone ?? ""}
              error={form.errors.phone?.join(" ")}
            />
            <Field
              name="first_name"
              label={t("dash.walkIn.name")}
              form={form}
              hint={t("dash.walkIn.nameHint")}
            />
            <SelectField
              name="language"
              label={t("me.language")}
              form={form}
              value="ar"
              options={[["ar", "العربية"], ["en", "English"]]}
            />
          </div>
          <button type="submit" class={BUTTON} disabled={data.slots.length === 0}>
            {t("dash.walkIn.book")}
          </button>
        </form>
      )}
    </DashboardLayout>
  );
});
