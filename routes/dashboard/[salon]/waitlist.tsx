import {
  BUTTON,
  CARD,
  DashboardLayout,
  Field,
  Notice,
  PostForm,
  Section,
} from "@/components/dashboard/ui.tsx";
import { fullDualDate } from "@/i18n/calendar.ts";
import { formatTime, toLatinDigits } from "@/i18n/format.ts";
import { type AppContext, defineHandlers, definePage, page } from "@/routes/_define.ts";
import { isIsoDate, localDateOf } from "@/services/slots/load.ts";
import { clockOf, listWaitlistDay, offerTimeByHand } from "@/services/waitlist/mod.ts";
import {
  type DashboardContext,
  dashboardContext,
  formPageData,
  type FormState,
  NO_FORM,
  type RouteAccess,
  submitForm,
} from "../_guard.ts";

export const access: RouteAccess = "manager";

const NOTICES = ["offered"] as const;

function dayOf(c: AppContext, ctx: DashboardContext, posted?: string): string {
  const d = toLatinDigits(posted ?? c.req.query("date") ?? "").trim();
  return isIsoDate(d) ? d : localDateOf(ctx.actor.now, ctx.salon.timezone);
}

async function load(c: AppContext, ctx: DashboardContext, form: FormState) {
  const day = dayOf(c, ctx, form.values.date);
  return page({
    ...await formPageData(c, ctx, "waitlist", form, NOTICES),
    day,
    entries: await listWaitlistDay(c.var.deps.db, ctx.salon.id, day),
  }, { title: c.var.state.t("dash.waitlist.title") });
}

/**
 * `/dashboard/:salon/waitlist?date=`: who waits for a day (first come first served), what they
 * want, the offers made to them and how each ended; a manager can offer a waiting customer a free
 * time by hand (the customer gets the same message and link as the job's offers).
 */
export const handler = defineHandlers({
  async GET(c) {
    return await load(c, await dashboardContext(c, "manager"), NO_FORM);
  },
  async POST(c) {
    const ctx = await dashboardContext(c, "manager");
    return await submitForm(
      c,
      async (values) => {
        await offerTimeByHand(c.var.deps.db, ctx.actor, {
          salonId: ctx.salon.id,
          entryId: values.entry ?? "",
          time: toLatinDigits(values.time ?? "").trim(),
        });
        const day = dayOf(c, ctx, values.date);
        return c.redirect(`${ctx.base}/waitlist?date=${day}&notice=offered`, 303);
      },
      (form) => load(c, ctx, form),
    );
  },
});

export default definePage<typeof handler>(function WaitlistDashboardPage({ data, state }) {
  const { t, fmt } = state;
  const ar = state.locale === "ar";
  const { layout, entries, day } = data;
  const tz = layout.salon.timezone;
  const action = `${layout.base}/waitlist`;
  return (
    <DashboardLayout layout={layout} state={state} now={data.now}>
      {data.notice && <Notice>{t(`dash.notice.${data.notice}`)}</Notice>}
      <form method="get" action={action} class="flex flex-wrap items-end gap-3">
        <label class="block">
          <span class="mb-1 block text-sm font-medium">{t("dash.waitlist.day")}</span>
          <input
            type="date"
            name="date"
            value={day}
            class="h-10 rounded-lg border border-stone-300 bg-white px-3"
          />
        </label>
        <button type="submit" class={BUTTON}>{t("dash.waitlist.show")}</button>
      </form>
      <Section title={`${t("dash.waitlist.title")}: ${fullDualDate(day, fmt)}`} id="waitlist">
        {entries.length === 0 && <p class="text-stone-600">{t("dash.waitlist.empty")}</p>}
        <ol class="space-y-3">
          {entries.map((e) => {
            const staff = e.staff_id ? (ar ? e.staff_ar : e.staff_en) : t("dash.waitlist.anyone");
            const posted = data.form.values.entry === e.id ? data.form : NO_FORM;
            return (
              <li class={CARD}>
                <div class="flex flex-wrap items-baseline gap-x-4 gap-y-1">
                  <strong>{e.customer_name || e.customer_phone}</strong>
                  <span dir="ltr">{e.customer_phone}</span>
                  <span class="rounded-full bg-stone-100 px-2 text-sm">
                    {t(`dash.waitlist.entry.${e.status}`)}
                  </span>
                </div>
                <p>
                  {t("dash.waitlist.wants")}: {ar ? e.services_ar : e.services_en} · {staff} ·{" "}
                  <span dir="ltr">{clockOf(e.from_minute)}–{clockOf(e.to_minute)}</span>
                </p>
                {e.offers.length > 0 && (
                  <p class="text-sm text-stone-700">
                    {t("dash.waitlist.offers")}: {e.offers.map((o) =>
                      `${formatTime(new Date(o.starts_at), tz, fmt)} (${
                        t(`dash.waitlist.offer.${o.status}`)
                      }${o.offered_by === "salon" ? `, ${t("dash.waitlist.byHand")}` : ""})`
                    ).join(t("app.separator"))}
                  </p>
                )}
                {e.status === "waiting" && (
                  <PostForm
                    action={action}
                    intent="offer"
                    state={state}
                    form={posted}
                    class="mt-2 flex flex-wrap items-end gap-3"
                  >
                    <input type="hidden" name="entry" value={e.id} />
                    <input type="hidden" name="date" value={day} />
                    <Field
                      name="time"
                      id={`time-${e.id}`}
                      type="time"
                      required
                      label={t("dash.waitlist.offerTime")}
                      form={posted}
                      value={clockOf(e.from_minute)}
                    />
                    <button type="submit" class={BUTTON}>{t("dash.waitlist.offer")}</button>
                  </PostForm>
                )}
              </li>
            );
          })}
        </ol>
      </Section>
    </DashboardLayout>
  );
});
