import { z } from "zod";
import { RemovableRow, RowList } from "@/components/dashboard/lists.tsx";
import {
  BilingualFields,
  BUTTON,
  CheckboxField,
  DashboardLayout,
  Field,
  formFor,
  Notice,
  NumberField,
  PeriodFields,
  PostForm,
  Section,
  SelectField,
  WeekHoursFields,
} from "@/components/dashboard/ui.tsx";
import { minuteLabel, weekdayName } from "@/i18n/calendar.ts";
import { formatGregorianDate, formatTime } from "@/i18n/format.ts";
import { type AppContext, defineHandlers, definePage, page } from "@/routes/_define.ts";
import { PAYMENT_MODES } from "@/services/catalog.ts";
import { AUDIENCES } from "@/services/search/salons.ts";
import {
  addBreak,
  addClosure,
  getSalonSettings,
  removeBreak,
  removeClosure,
  setSalonHours,
  updateSalonSettings,
} from "@/services/dashboard/catalog.ts";
import {
  contactPhone,
  int,
  localDateTime,
  parseWeek,
  type Range,
  requiredText,
  text,
  time,
  zonedInstant,
} from "../_fields.ts";
import {
  type DashboardContext,
  dashboardContext,
  formPageData,
  type FormState,
  NO_FORM,
  parseForm,
  type RouteAccess,
  submitForm,
} from "../_guard.ts";

export const access: RouteAccess = "manager";

const NOTICES = [
  "saved",
  "hoursSaved",
  "closureAdded",
  "closureRemoved",
  "breakAdded",
  "breakRemoved",
] as const;

/** The bounds of the general form's numbers, for the schema and the fields alike. */
const RANGES = {
  slot_step_minutes: [5, 240],
  min_notice_minutes: [0, 20160],
  horizon_days: [1, 365],
  hold_minutes: [1, 120],
  cancellation_window_hours: [0, 720],
  deposit_percent: [0, 100],
} as const satisfies Record<string, Range>;

const GeneralForm = z.object({
  name_ar: requiredText(120),
  name_en: requiredText(120),
  description_ar: text(2000),
  description_en: text(2000),
  district_ar: text(120),
  district_en: text(120),
  address_ar: text(300),
  address_en: text(300),
  phone: contactPhone,
  whatsapp: contactPhone,
  slot_step_minutes: int(...RANGES.slot_step_minutes),
  min_notice_minutes: int(...RANGES.min_notice_minutes),
  horizon_days: int(...RANGES.horizon_days),
  hold_minutes: int(...RANGES.hold_minutes),
  cancellation_window_hours: int(...RANGES.cancellation_window_hours),
  payment_mode: z.enum(PAYMENT_MODES, { error: "validation.invalid" }),
  deposit_percent: int(...RANGES.deposit_percent),
});

const ClosureForm = z.object({
  starts_at: localDateTime,
  ends_at: localDateTime,
  reason_ar: text(200),
  reason_en: text(200),
});

const BreakForm = z.object({
  weekday: z.enum(["", "1", "2", "3", "4", "5", "6", "7"], { error: "validation.invalid" }),
  start: time,
  end: time,
  label_ar: text(80),
  label_en: text(80),
});

async function load(c: AppContext, ctx: DashboardContext, form: FormState) {
  return page({
    ...await formPageData(c, ctx, "settings", form, NOTICES),
    settings: await getSalonSettings(c.var.deps.db, ctx.actor, ctx.salon.id),
  }, { title: c.var.state.t("dash.nav.settings") });
}

/**
 * `/dashboard/:salon/settings`: names and address in both languages, contact numbers and booking
 * rules (slot step, notice, horizon, hold, cancellation window, payment mode and deposit), weekly
 * hours, closures and breaks. Forms post here by `intent`; each is one audited service call and a
 * 303, or the page again with the errors (400). Managers only.
 */
export const handler = defineHandlers({
  async GET(c) {
    return await load(c, await dashboardContext(c, "manager"), NO_FORM);
  },
  async POST(c) {
    const ctx = await dashboardContext(c, "manager");
    const db = c.var.deps.db;
    const here = `${ctx.base}/settings`;
    const tz = ctx.salon.timezone;
    return await submitForm(c, async (values) => {
      switch (values.intent) {
        case "general":
          await updateSalonSettings(db, ctx.actor, ctx.salon.id, {
            ...parseForm(GeneralForm, values),
            audience: AUDIENCES.filter((a) => values[`audience_${a}`] === "on"),
          });
          return c.redirect(`${here}?notice=saved`, 303);
        case "hours":
          await setSalonHours(db, ctx.actor, ctx.salon.id, parseWeek(values));
          return c.redirect(`${here}?notice=hoursSaved#hours`, 303);
        case "closure_add": {
          const f = parseForm(ClosureForm, values);
          await addClosure(db, ctx.actor, ctx.salon.id, {
            startsAt: zonedInstant(f.starts_at, tz),
            endsAt: zonedInstant(f.ends_at, tz),
            reason_ar: f.reason_ar,
            reason_en: f.reason_en,
          });
          return c.redirect(`${here}?notice=closureAdded#closures`, 303);
        }
        case "closure_remove":
          await removeClosure(db, ctx.actor, ctx.salon.id, values.closure_id ?? "");
          return c.redirect(`${here}?notice=closureRemoved#closures`, 303);
        case "break_add": {
          const f = parseForm(BreakForm, values);
          await addBreak(db, ctx.actor, ctx.salon.id, {
            weekday: f.weekday === "" ? null : Number(f.weekday),
            start_minute: f.start,
            end_minute: f.end === 0 ? 1440 : f.end,
            label_ar: f.label_ar,
            label_en: f.label_en,
          });
          return c.redirect(`${here}?notice=breakAdded#breaks`, 303);
        }
        case "break_remove":
          await removeBreak(db, ctx.actor, ctx.salon.id, values.break_id ?? "");
          return c.redirect(`${here}?notice=breakRemoved#breaks`, 303);
        default:
          return c.redirect(here, 303);
      }
    }, (form) => load(c, ctx, form));
  },
});

export default definePage<typeof handler>(function SettingsPage({ data, state }) {
  const { t, fmt, locale } = state;
  const { layout, settings: s } = data;
  const tz = layout.salon.timezone;
  const action = `${layout.base}/settings`;
  const general = formFor(data.form, "general");
  const hours = formFor(data.form, "hours");
  const closure = formFor(data.form, "closure_add");
  const brk = formFor(data.form, "break_add");
  const when = (d: Date) => `${formatGregorianDate(d, tz, fmt)} ${formatTime(d, tz, fmt)}`;
  const ar = locale === "ar";
  return (
    <DashboardLayout layout={layout} state={state} now={data.now}>
      {data.notice && <Notice>{t(`dash.notice.${data.notice}`)}</Notice>}
      <Section title={t("dash.settings.general")} id="general">
        <PostForm
          action={action}
          intent="general"
          state={state}
          form={general}
          class="space-y-4 rounded-xl border border-stone-200 bg-white p-4"
        >
          <div class="grid gap-3 sm:grid-cols-2">
            <BilingualFields
              name="name"
              label="dash.field.name"
              form={general}
              state={state}
              values={[s.name_ar, s.name_en]}
              required
              maxLength={120}
            />
            <BilingualFields
              name="description"
              label="dash.field.description"
              form={general}
              state={state}
              values={[s.description_ar, s.description_en]}
              maxLength={2000}
              multiline
            />
            <BilingualFields
              name="district"
              label="dash.settings.district"
              form={general}
              state={state}
              values={[s.district_ar, s.district_en]}
              maxLength={120}
            />
            <BilingualFields
              name="address"
              label="dash.settings.address"
              form={general}
              state={state}
              values={[s.address_ar, s.address_en]}
              maxLength={300}
            />
            <Field
              name="phone"
              label={t("dash.settings.phone")}
              form={general}
              value={s.phone}
              type="tel"
              dir="ltr"
            />
            <Field
              name="whatsapp"
              label={t("dash.settings.whatsapp")}
              form={general}
              value={s.whatsapp}
              type="tel"
              dir="ltr"
            />
          </div>
          <fieldset class="space-y-2" aria-describedby="audience-hint">
            <legend class="font-semibold">{t("dash.settings.audience")}</legend>
            <p id="audience-hint" class="text-sm text-stone-600">
              {t("dash.settings.audienceHint")}
            </p>
            <div class="flex flex-wrap gap-4">
              {AUDIENCES.map((a) => (
                <CheckboxField
                  name={`audience_${a}`}
                  label={t(`audience.${a}`)}
                  form={general}
                  checked={s.audience?.includes(a) ?? false}
                />
              ))}
            </div>
            {general.errors.audience?.length && (
              <p class="text-sm text-rose-700" role="alert">{general.errors.audience.join(" ")}</p>
            )}
          </fieldset>
          <h3 class="pt-2 font-semibold">{t("dash.settings.rules")}</h3>
          <div class="grid gap-3 sm:grid-cols-3">
            <NumberField
              name="slot_step_minutes"
              label={t("dash.settings.slotStep")}
              form={general}
              value={s.slot_step_minutes}
              range={RANGES.slot_step_minutes}
              state={state}
            />
            <NumberField
              name="min_notice_minutes"
              label={t("dash.settings.notice")}
              form={general}
              value={s.min_notice_minutes}
              range={RANGES.min_notice_minutes}
              state={state}
            />
            <NumberField
              name="horizon_days"
              label={t("dash.settings.horizon")}
              form={general}
              value={s.horizon_days}
              range={RANGES.horizon_days}
              state={state}
            />
            <NumberField
              name="hold_minutes"
              label={t("dash.settings.hold")}
              form={general}
              value={s.hold_minutes}
              range={RANGES.hold_minutes}
              state={state}
            />
            <NumberField
              name="cancellation_window_hours"
              label={t("dash.settings.cancellation")}
              form={general}
              value={s.cancellation_window_hours}
              range={RANGES.cancellation_window_hours}
              state={state}
            />
            <SelectField
              name="payment_mode"
              label={t("dash.settings.paymentMode")}
              form={general}
              value={s.payment_mode}
              options={PAYMENT_MODES.map((m) => [m, t(`dash.payment.${m}`)] as const)}
            />
            <NumberField
              name="deposit_percent"
              label={t("dash.settings.depositPercent")}
              form={general}
              value={s.deposit_percent}
              hint={t("dash.settings.depositHint")}
              range={RANGES.deposit_percent}
              state={state}
            />
          </div>
          <button type="submit" class={BUTTON}>{t("dash.save")}</button>
        </PostForm>
      </Section>

      <Section title={t("salon.hours")} id="hours">
        <PostForm
          action={action}
          intent="hours"
          state={state}
          form={hours}
          class="space-y-3"
        >
          <p class="text-sm text-stone-600">{t("dash.settings.hoursHint")}</p>
          <WeekHoursFields hours={s.hours} form={hours} state={state} />
          <button type="submit" class={BUTTON}>{t("dash.save")}</button>
        </PostForm>
      </Section>

      <Section title={t("dash.settings.closures")} id="closures">
        <RowList
          items={s.closures}
          empty={t("dash.settings.noClosures")}
          row={(cl) => (
            <RemovableRow
              action={action}
              intent="closure_remove"
              state={state}
              name="closure_id"
              value={cl.id}
            >
              {when(cl.starts_at)} – {when(cl.ends_at)}
              <span class="block text-sm text-stone-600">
                {ar ? cl.reason_ar : cl.reason_en}
              </span>
            </RemovableRow>
          )}
        />
        <PostForm
          action={action}
          intent="closure_add"
          state={state}
          form={closure}
          class="space-y-3 rounded-xl border border-stone-200 bg-white p-4"
        >
          <div class="grid gap-3 sm:grid-cols-2">
            <PeriodFields form={closure} state={state} />
            <BilingualFields
              name="reason"
              label="dash.field.reason"
              form={closure}
              state={state}
              maxLength={200}
            />
          </div>
          <p class="text-sm text-stone-600">{t("dash.field.inSalonZone")}</p>
          <button type="submit" class={BUTTON}>{t("dash.settings.addClosure")}</button>
        </PostForm>
      </Section>

      <Section title={t("salon.breaks")} id="breaks">
        <RowList
          items={s.breaks}
          empty={t("dash.settings.noBreaks")}
          row={(b) => (
            <RemovableRow
              action={action}
              intent="break_remove"
              state={state}
              name="break_id"
              value={b.id}
            >
              {b.weekday === null ? t("salon.everyDay") : weekdayName(b.weekday, fmt)}:{" "}
              {minuteLabel(b.start_minute, fmt)} – {minuteLabel(b.end_minute, fmt)}
              {(ar ? b.label_ar : b.label_en) && (
                <span class="text-sm text-stone-600">· {ar ? b.label_ar : b.label_en}</span>
              )}
            </RemovableRow>
          )}
        />
        <PostForm
          action={action}
          intent="break_add"
          state={state}
          form={brk}
          class="space-y-3 rounded-xl border border-stone-200 bg-white p-4"
        >
          <div class="grid gap-3 sm:grid-cols-3">
            <SelectField
              name="weekday"
              label={t("dash.settings.breakDay")}
              form={brk}
              value=""
              options={[
                ["", t("salon.everyDay")],
                ...[7, 1, 2, 3, 4, 5, 6].map((d) => [String(d), weekdayName(d, fmt)] as const),
              ]}
            />
            <Field
              name="start"
              label={t("dash.field.from")}
              form={brk}
              type="time"
              required
              dir="ltr"
            />
            <Field
              name="end"
              label={t("dash.field.to")}
              form={brk}
              type="time"
              required
              dir="ltr"
            />
            <BilingualFields
              name="label"
              label="dash.settings.breakLabel"
              form={brk}
              state={state}
              maxLength={80}
            />
          </div>
          <button type="submit" class={BUTTON}>{t("dash.settings.addBreak")}</button>
        </PostForm>
      </Section>
    </DashboardLayout>
  );
});
