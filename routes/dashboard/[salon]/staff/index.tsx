import { RowList } from "@/components/dashboard/lists.tsx";
import {
  BUTTON,
  DashboardLayout,
  formFor,
  Notice,
  PostForm,
  Section,
} from "@/components/dashboard/ui.tsx";
import { formatNumber } from "@/i18n/format.ts";
import { type AppContext, defineHandlers, definePage, page } from "@/routes/_define.ts";
import { formatPhone } from "@/services/auth/phone.ts";
import { createStaff, listSalonServices, listSalonStaff } from "@/services/dashboard/catalog.ts";
import {
  type DashboardContext,
  dashboardContext,
  formPageData,
  type FormState,
  NO_FORM,
  type RouteAccess,
  submitForm,
} from "../../_guard.ts";
import { StaffFields, staffInput } from "./_form.tsx";

export const access: RouteAccess = "manager";

const NOTICES = ["created"] as const;

async function load(c: AppContext, ctx: DashboardContext, form: FormState) {
  const db = c.var.deps.db;
  return page({
    ...await formPageData(c, ctx, "staff", form, NOTICES),
    staff: await listSalonStaff(db, ctx.actor, ctx.salon.id),
    services: await listSalonServices(db, ctx.actor, ctx.salon.id),
  }, { title: c.var.state.t("dash.nav.staff") });
}

/**
 * `/dashboard/:salon/staff`: the salon's staff (switched off ones too), what they do, whose account
 * they are; POST adds someone with the services they perform (audited). Hours and time off are on
 * each person's page. Managers only.
 */
export const handler = defineHandlers({
  async GET(c) {
    return await load(c, await dashboardContext(c, "manager"), NO_FORM);
  },
  async POST(c) {
    const ctx = await dashboardContext(c, "manager");
    const db = c.var.deps.db;
    return await submitForm(c, async (values) => {
      const serviceIds = (await listSalonServices(db, ctx.actor, ctx.salon.id)).map((s) => s.id);
      const created = await createStaff(
        db,
        ctx.actor,
        ctx.salon.id,
        staffInput(values, serviceIds),
      );
      return c.redirect(`${ctx.base}/staff/${created.id}?notice=created`, 303);
    }, (form) => load(c, ctx, { ...form, intent: "create" }));
  },
});

export default definePage<typeof handler>(function StaffPage({ data, state }) {
  const { t, fmt, locale } = state;
  const { layout } = data;
  const form = formFor(data.form, "create");
  const ar = locale === "ar";
  return (
    <DashboardLayout layout={layout} state={state} now={data.now}>
      {data.notice && <Notice>{t(`dash.notice.${data.notice}`)}</Notice>}
      <Section title={t("dash.nav.staff")} id="staff">
        <RowList
          items={data.staff}
          empty={t("dash.staff.none")}
          row={(s) => (
            <li
              class="flex flex-wrap items-center gap-x-4 gap-y-1 px-4 py-3"
              data-staff-id={s.id}
            >
              <span class="me-auto">
                <a
                  href={`${layout.base}/staff/${s.id}`}
                  class="font-medium text-rose-700 underline underline-offset-4"
                >
                  {ar ? s.name_ar : s.name_en}
                </a>
                {(ar ? s.title_ar : s.title_en) && (
                  <span class="block text-sm text-stone-600">
                    {ar ? s.title_ar : s.title_en}
                  </span>
                )}
              </span>
              <span class="text-sm">
                {t("dash.staff.serviceCount", { n: formatNumber(s.services.length, fmt) })}
              </span>
              <span class="text-sm text-stone-600">
                {s.custom_hours ? t("dash.staff.ownHours") : t("dash.staff.salonHours")}
              </span>
              {s.user_phone && (
                <span class="text-sm text-stone-600" dir="ltr">
                  {formatPhone(s.user_phone)}
                </span>
              )}
              {!s.active && (
                <span class="rounded-full bg-stone-200 px-2 py-0.5 text-xs">
                  {t("dash.off")}
                </span>
              )}
            </li>
          )}
        />
      </Section>
      <details
        open={form.intent !== "" || data.staff.length === 0}
        class="rounded-xl border border-stone-200 bg-white p-4"
      >
        <summary class="cursor-pointer font-semibold">{t("dash.staff.add")}</summary>
        <PostForm
          action={`${layout.base}/staff`}
          intent="create"
          state={state}
          form={form}
          class="mt-4 space-y-4"
        >
          <StaffFields state={state} form={form} services={data.services} />
          <button type="submit" class={BUTTON}>{t("dash.add")}</button>
        </PostForm>
      </details>
    </DashboardLayout>
  );
});
