import { BUTTON, BUTTON_SECONDARY, DashboardLayout, PostForm } from "@/components/dashboard/ui.tsx";
import { type AppContext, defineHandlers, definePage, page } from "@/routes/_define.ts";
import { getSalonService, updateService } from "@/services/dashboard/catalog.ts";
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
import { ServiceFields, ServiceForm, serviceInput } from "./_form.tsx";

export const access: RouteAccess = "manager";

async function load(c: AppContext, ctx: DashboardContext, form: FormState) {
  const service = await getSalonService(
    c.var.deps.db,
    ctx.actor,
    ctx.salon.id,
    c.req.param("id") ?? "",
  );
  return page({
    layout: await layoutOf(c, ctx, "services"),
    service,
    form,
    now: ctx.actor.now,
  }, { title: c.var.state.locale === "ar" ? service.name_ar : service.name_en });
}

/**
 * `/dashboard/:salon/services/:id`: edit a service (names, category, duration, price, buffers,
 * order, on/off). Existing bookings keep the price and duration they were made with. Audited.
 */
export const handler = defineHandlers({
  async GET(c) {
    return await load(c, await dashboardContext(c, "manager"), NO_FORM);
  },
  async POST(c) {
    const ctx = await dashboardContext(c, "manager");
    return await submitForm(c, async (values) => {
      const input = serviceInput(parseForm(ServiceForm, values));
      await updateService(c.var.deps.db, ctx.actor, ctx.salon.id, c.req.param("id") ?? "", input);
      return c.redirect(`${ctx.base}/services?notice=saved`, 303);
    }, (form) => load(c, ctx, { ...form, intent: "update" }));
  },
});

export default definePage<typeof handler>(function ServicePage({ data, state }) {
  const { t, locale } = state;
  const { layout, service, form } = data;
  return (
    <DashboardLayout layout={layout} state={state} now={data.now}>
      <div class="flex flex-wrap items-center gap-3">
        <h2 class="me-auto text-xl font-semibold">
          {locale === "ar" ? service.name_ar : service.name_en}
        </h2>
        <a href={`${layout.base}/services/${service.id}/photo`} class={BUTTON_SECONDARY}>
          {t("dash.photos.servicePhoto")}
        </a>
      </div>
      <PostForm
        action={`${layout.base}/services/${service.id}`}
        intent="update"
        state={state}
        form={form}
        class="space-y-4 rounded-xl border border-stone-200 bg-white p-4"
      >
        <ServiceFields state={state} form={form} service={service} />
        <p class="text-sm text-stone-600">{t("dash.service.keepsBookings")}</p>
        <button type="submit" class={BUTTON}>{t("dash.save")}</button>
      </PostForm>
      <p>
        <a href={`${layout.base}/services`} class="text-rose-700 underline underline-offset-4">
          {t("dash.service.back")}
        </a>
      </p>
    </DashboardLayout>
  );
});
