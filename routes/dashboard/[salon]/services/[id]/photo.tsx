import { PhotoList, PhotoUpload } from "@/components/dashboard/photos.tsx";
import { DashboardLayout, Notice, Section } from "@/components/dashboard/ui.tsx";
import { type AppContext, defineHandlers, definePage, page } from "@/routes/_define.ts";
import { getSalonService } from "@/services/dashboard/catalog.ts";
import { listPhotos } from "@/services/photos/photos.ts";
import { publicPhoto } from "@/services/photos/public.ts";
import {
  type DashboardContext,
  dashboardContext,
  formPageData,
  type FormState,
  NO_FORM,
  type RouteAccess,
} from "../../../_guard.ts";
import { PHOTO_NOTICES, PHOTO_UPLOAD_MAX_BYTES, submitPhotoForm } from "../../../_photos.ts";

export const access: RouteAccess = "manager";
export const maxBodyBytes = PHOTO_UPLOAD_MAX_BYTES;

async function load(c: AppContext, ctx: DashboardContext, form: FormState) {
  const { db, photos: storage } = c.var.deps;
  const serviceId = c.req.param("id") ?? "";
  const service = await getSalonService(db, ctx.actor, ctx.salon.id, serviceId);
  const photos = await listPhotos(db, ctx.actor, ctx.salon.id, { kind: "service", serviceId });
  const name = c.var.state.locale === "ar" ? service.name_ar : service.name_en;
  return page({
    ...await formPageData(c, ctx, "services", form, PHOTO_NOTICES),
    service: { id: service.id, name },
    photos: photos.map((p) => publicPhoto(storage, p)),
    canTakeDown: ctx.user.role === "admin",
  }, { title: c.var.state.t("dash.photos.serviceTitle", { name }) });
}

/** `/dashboard/:salon/services/:id/photo`: a service's optional photo (a new one replaces it). */
export const handler = defineHandlers({
  async GET(c) {
    return await load(c, await dashboardContext(c, "manager"), NO_FORM);
  },
  async POST(c) {
    const ctx = await dashboardContext(c, "manager");
    const serviceId = c.req.param("id") ?? "";
    return await submitPhotoForm(
      c,
      ctx,
      `${ctx.base}/services/${serviceId}/photo`,
      () => ({ kind: "service", serviceId }),
      (form) => load(c, ctx, form),
    );
  },
});

export default definePage<typeof handler>(function ServicePhotoPage({ data, state }) {
  const { t } = state;
  const { layout, service } = data;
  const action = `${layout.base}/services/${service.id}/photo`;
  return (
    <DashboardLayout layout={layout} state={state} now={data.now}>
      {data.notice && <Notice>{t(`dash.notice.${data.notice}`)}</Notice>}
      <p>
        <a href={`${layout.base}/services/${service.id}`} class="text-rose-700 underline">
          {t("dash.photos.back", { name: service.name })}
        </a>
      </p>
      <Section title={t("dash.photos.serviceTitle", { name: service.name })} id="photo">
        <p class="text-sm text-stone-600">{t("dash.photos.servicePhotoHint")}</p>
        <PhotoList
          photos={data.photos}
          action={action}
          state={state}
          form={data.form}
          canTakeDown={data.canTakeDown}
        />
        <PhotoUpload action={action} state={state} form={data.form} multiple={false} />
      </Section>
    </DashboardLayout>
  );
});
