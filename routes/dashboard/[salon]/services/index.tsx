import { durationLabel } from "@/components/catalog.tsx";
import { RowList } from "@/components/dashboard/lists.tsx";
import {
  BUTTON,
  DashboardLayout,
  formFor,
  Notice,
  PostForm,
  Section,
} from "@/components/dashboard/ui.tsx";
import { formatNumber, formatSar } from "@/i18n/format.ts";
import { type AppContext, defineHandlers, definePage, page } from "@/routes/_define.ts";
import { createService, listSalonServices } from "@/services/dashboard/catalog.ts";
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
import { ServiceFields, ServiceForm, serviceInput } from "./_form.tsx";

export const access: RouteAccess = "manager";

const NOTICES = ["created", "saved"] as const;

async function load(c: AppContext, ctx: DashboardContext, form: FormState) {
  return page({
    ...await formPageData(c, ctx, "services", form, NOTICES),
    services: await listSalonServices(c.var.deps.db, ctx.actor, ctx.salon.id),
  }, { title: c.var.state.t("dash.nav.services") });
}

/**
 * `/dashboard/:salon/services`: every service (switched off ones too) with duration, price and how
 * many staff perform it; POST adds one (audited). Managers only.
 */
export const handler = defineHandlers({
  async GET(c) {
    return await load(c, await dashboardContext(c, "manager"), NO_FORM);
  },
  async POST(c) {
    const ctx = await dashboardContext(c, "manager");
    return await submitForm(c, async (values) => {
      const input = serviceInput(parseForm(ServiceForm, values));
      await createService(c.var.deps.db, ctx.actor, ctx.salon.id, input);
      return c.redirect(`${ctx.base}/services?notice=created`, 303);
    }, (form) => load(c, ctx, { ...form, intent: "create" }));
  },
});

export default definePage<typeof handler>(function ServicesPage({ data, state }) {
  const { t, fmt, locale } = state;
  const { layout } = data;
  const form = formFor(data.form, "create");
  return (
    <DashboardLayout layout={layout} state={state} now={data.now}>
      {data.notice && <Notice>{t(`dash.notice.${data.notice}`)}</Notice>}
      <Section title={t("dash.nav.services")} id="services">
        <RowList
          items={data.services}
          empty={t("dash.service.none")}
          row={(s) => (
            <li
              class="flex flex-wrap items-center gap-x-4 gap-y-1 px-4 py-3"
              data-service-id={s.id}
            >
              <a
                href={`${layout.base}/services/${s.id}`}
                class="me-auto font-medium text-rose-700 underline underline-offset-4"
              >
                {locale === "ar" ? s.name_ar : s.name_en}
              </a>
              <span class="text-sm text-stone-600">{t(`category.${s.category}`)}</span>
              <span class="text-sm">{durationLabel(s.duration_minutes, state)}</span>
              <span class="text-sm">{formatSar(s.price_halalas, fmt)}</span>
              <span class="text-sm text-stone-600">
                {t("dash.service.staffCount", { n: formatNumber(s.staff_count, fmt) })}
              </span>
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
        open={form.intent !== "" || data.services.length === 0}
        class="rounded-xl border border-stone-200 bg-white p-4"
      >
        <summary class="cursor-pointer font-semibold">{t("dash.service.add")}</summary>
        <PostForm
          action={`${layout.base}/services`}
          intent="create"
          state={state}
          form={form}
          class="mt-4 space-y-4"
        >
          <ServiceFields state={state} form={form} />
          <button type="submit" class={BUTTON}>{t("dash.add")}</button>
        </PostForm>
      </details>
    </DashboardLayout>
  );
});
