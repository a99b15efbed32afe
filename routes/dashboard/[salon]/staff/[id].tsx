import { z } from "zod";
import { RemovableRow, RowList } from "@/components/dashboard/lists.tsx";
import {
  BUTTON,
  BUTTON_SECONDARY,
  CheckboxField,
  DashboardLayout,
  Field,
  formFor,
  Notice,
  PeriodFields,
  PostForm,
  Section,
  WeekHoursFields,
} from "@/components/dashboard/ui.tsx";
import { formatGregorianDate, formatTime } from "@/i18n/format.ts";
import { type AppContext, defineHandlers, definePage, page } from "@/routes/_define.ts";
import { formatPhone } from "@/services/auth/phone.ts";
import {
  addTimeOff,
  getSalonStaff,
  listSalonServices,
  removeTimeOff,
  setStaffHours,
  updateStaff,
} from "@/services/dashboard/catalog.ts";
import { getSalonSettings } from "@/services/dashboard/catalog.ts";
import { checkbox, localDateTime, parseWeek, text, zonedInstant } from "../../_fields.ts";
import {
  type DashboardContext,
  dashboardContext,
  formPageData,
  type FormState,
  NO_FORM,
  parseForm,
  type RouteAccess,
  submitForm,
} from "../../_guard.ts";
import { StaffFields, staffInput } from "./_form.tsx";

export const access: RouteAccess = "manager";

const NOTICES = ["created", "saved", "hoursSaved", "timeOffAdded", "timeOffRemoved"] as const;

const TimeOffForm = z.object({
  starts_at: localDateTime,
  ends_at: localDateTime,
  reason: text(200),
});

async function load(c: AppContext, ctx: DashboardContext, form: FormState) {
  const db = c.var.deps.db;
  const staff = await getSalonStaff(db, ctx.actor, ctx.salon.id, c.req.param("id") ?? "");
  return page({
    ...await formPageData(c, ctx, "staff", form, NOTICES),
    staff,
    services: await listSalonServices(db, ctx.actor, ctx.salon.id),
    salonHours: (await getSalonSettings(db, ctx.actor, ctx.salon.id)).hours,
  }, { title: c.var.state.locale === "ar" ? staff.name_ar : staff.name_en });
}

/**
 * `/dashboard/:salon/staff/:id`: one staff member. Four forms post here by `intent`: `profile`
 * (names, titles, on/off, services with their own duration or price), `hours` (the salon's hours
 * or their own week), `time_off_add` and `time_off_remove`. Each is one audited service call.
 */
export const handler = defineHandlers({
  async GET(c) {
    return await load(c, await dashboardContext(c, "manager"), NO_FORM);
  },
  async POST(c) {
    const ctx = await dashboardContext(c, "manager");
    const db = c.var.deps.db;
    const id = c.req.param("id") ?? "";
    const here = `${ctx.base}/staff/${id}`;
    return await submitForm(c, async (values) => {
      switch (values.intent) {
        case "profile": {
          const serviceIds = (await listSalonServices(db, ctx.actor, ctx.salon.id)).map((s) =>
            s.id
          );
          await updateStaff(db, ctx.actor, ctx.salon.id, id, staffInput(values, serviceIds));
          return c.redirect(`${here}?notice=saved`, 303);
        }
        case "hours": {
          const custom = parseForm(z.object({ custom_hours: checkbox }), values).custom_hours;
          const hours = custom ? parseWeek(values) : [];
          await setStaffHours(db, ctx.actor, ctx.salon.id, id, { custom, hours });
          return c.redirect(`${here}?notice=hoursSaved`, 303);
        }
        case "time_off_add": {
          const f = parseForm(TimeOffForm, values);
          await addTimeOff(db, ctx.actor, ctx.salon.id, id, {
            startsAt: zonedInstant(f.starts_at, ctx.salon.timezone),
            endsAt: zonedInstant(f.ends_at, ctx.salon.timezone),
            reason: f.reason,
          });
          return c.redirect(`${here}?notice=timeOffAdded`, 303);
        }
        case "time_off_remove": {
          await removeTimeOff(db, ctx.actor, ctx.salon.id, id, values.time_off_id ?? "");
          return c.redirect(`${here}?notice=timeOffRemoved`, 303);
        }
        default:
          return c.redirect(here, 303);
      }
    }, (form) => load(c, ctx, form));
  },
});

export default definePage<typeof handler>(function StaffMemberPage({ data, state }) {
  const { t, fmt, locale } = state;
  const { layout, staff } = data;
  const tz = layout.salon.timezone;
  const action = `${layout.base}/staff/${staff.id}`;
  const profile = formFor(data.form, "profile");
  const hours = formFor(data.form, "hours");
  const timeOff = formFor(data.form, "time_off_add");
  const when = (d: Date) => `${formatGregorianDate(d, tz, fmt)} ${formatTime(d, tz, fmt)}`;
  return (
    <DashboardLayout layout={layout} state={state} now={data.now}>
      {data.notice && <Notice>{t(`dash.notice.${data.notice}`)}</Notice>}
      <div class="flex flex-wrap items-center gap-3">
        <h2 class="me-auto text-xl font-semibold">
          {locale === "ar" ? staff.name_ar : staff.name_en}
        </h2>
        <a href={`${layout.base}/calendar?view=week&staff=${staff.id}`} class={BUTTON_SECONDARY}>
          {t("dash.staff.seeCalendar")}
        </a>
        <a href={`${layout.base}/staff/${staff.id}/photos`} class={BUTTON_SECONDARY}>
          {t("dash.photos.manage")}
        </a>
      </div>
      <p class="text-sm text-stone-600">
        {staff.user_phone
          ? t("dash.staff.linked", { phone: `\u2066${formatPhone(staff.user_phone)}\u2069` })
          : t("dash.staff.notLinked")}
      </p>

      <Section title={t("dash.staff.profile")} id="profile">
        <PostForm
          action={action}
          intent="profile"
          state={state}
          form={profile}
          class="space-y-4 rounded-xl border border-stone-200 bg-white p-4"
        >
          <StaffFields state={state} form={profile} staff={staff} services={data.services} />
          <button type="submit" class={BUTTON}>{t("dash.save")}</button>
        </PostForm>
      </Section>

      <Section title={t("dash.staff.hours")} id="hours">
        <PostForm
          action={action}
          intent="hours"
          state={state}
          form={hours}
          class="space-y-4"
        >
          <CheckboxField
            name="custom_hours"
            label={t("dash.staff.customHours")}
            form={hours}
            checked={staff.custom_hours}
          />
          <p class="text-sm text-stone-600">{t("dash.staff.customHoursHint")}</p>
          <WeekHoursFields
            hours={staff.custom_hours ? staff.hours : data.salonHours}
            form={hours}
            state={state}
          />
          <button type="submit" class={BUTTON}>{t("dash.save")}</button>
        </PostForm>
      </Section>

      <Section title={t("dash.staff.timeOff")} id="time-off">
        <RowList
          items={staff.timeOff}
          empty={t("dash.staff.noTimeOff")}
          row={(o) => (
            <RemovableRow
              action={action}
              intent="time_off_remove"
              state={state}
              name="time_off_id"
              value={o.id}
            >
              {when(o.starts_at)} – {when(o.ends_at)}
              {o.reason && <bdi class="block text-sm text-stone-600">{o.reason}</bdi>}
            </RemovableRow>
          )}
        />
        <PostForm
          action={action}
          intent="time_off_add"
          state={state}
          form={timeOff}
          class="space-y-3 rounded-xl border border-stone-200 bg-white p-4"
        >
          <div class="grid gap-3 sm:grid-cols-3">
            <PeriodFields form={timeOff} state={state} />
            <Field name="reason" label={t("dash.field.reason")} form={timeOff} maxLength={200} />
          </div>
          <p class="text-sm text-stone-600">{t("dash.field.inSalonZone")}</p>
          <button type="submit" class={BUTTON}>{t("dash.staff.addTimeOff")}</button>
        </PostForm>
      </Section>
    </DashboardLayout>
  );
});
