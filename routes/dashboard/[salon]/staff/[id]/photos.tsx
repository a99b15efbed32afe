import { PhotoList, PhotoUpload } from "@/components/dashboard/photos.tsx";
import { DashboardLayout, Notice, Section } from "@/components/dashboard/ui.tsx";
import { formatNumber } from "@/i18n/format.ts";
import { type AppContext, defineHandlers, definePage, page } from "@/routes/_define.ts";
import { getSalonStaff } from "@/services/dashboard/catalog.ts";
import { listPhotos, PHOTO_LIMITS } from "@/services/photos/photos.ts";
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
  const staffId = c.req.param("id") ?? "";
  const staff = await getSalonStaff(db, ctx.actor, ctx.salon.id, staffId);
  const list = async (kind: "portrait" | "portfolio") =>
    (await listPhotos(db, ctx.actor, ctx.salon.id, { kind, staffId })).map((p) =>
      publicPhoto(storage, p)
    );
  const name = c.var.state.locale === "ar" ? staff.name_ar : staff.name_en;
  return page({
    ...await formPageData(c, ctx, "staff", form, PHOTO_NOTICES),
    staff: { id: staff.id, name },
    portrait: await list("portrait"),
    portfolio: await list("portfolio"),
    canTakeDown: ctx.user.role === "admin",
  }, { title: c.var.state.t("dash.photos.staffTitle", { name }) });
}

/**
 * `/dashboard/:salon/staff/:id/photos`: a staff member's portrait (a new one replaces the old)
 * and portfolio (up to 12, in order). Uploads name their list in `kind`.
 */
export const handler = defineHandlers({
  async GET(c) {
    return await load(c, await dashboardContext(c, "manager"), NO_FORM);
  },
  async POST(c) {
    const ctx = await dashboardContext(c, "manager");
    const staffId = c.req.param("id") ?? "";
    return await submitPhotoForm(
      c,
      ctx,
      `${ctx.base}/staff/${staffId}/photos`,
      (values) => ({ kind: values.kind === "portfolio" ? "portfolio" : "portrait", staffId }),
      (form) => load(c, ctx, form),
    );
  },
});

export default definePage<typeof handler>(function StaffPhotosPage({ data, state }) {
  const { t } = state;
  const { layout, staff } = data;
  const action = `${layout.base}/staff/${staff.id}/photos`;
  return (
    <DashboardLayout layout={layout} state={state} now={data.now}>
      {data.notice && <Notice>{t(`dash.notice.${data.notice}`)}</Notice>}
      <p>
        <a href={`${layout.base}/staff/${staff.id}`} class="text-rose-700 underline">
          {t("dash.photos.back", { name: staff.name })}
        </a>
      </p>
      <h2 class="text-xl font-semibold">{t("dash.photos.staffTitle", { name: staff.name })}</h2>
      <Section title={t("dash.photos.portrait")} id="portrait">
        <p class="text-sm text-stone-600">{t("dash.photos.portraitHint")}</p>
        <PhotoList
          photos={data.portrait}
          action={action}
          state={state}
          form={data.form}
          canTakeDown={data.canTakeDown}
        />
        <PhotoUpload
          action={action}
          state={state}
          form={data.form}
          multiple={false}
          kind="portrait"
        />
      </Section>
      <Section
        title={t("dash.photos.portfolio")}
        id="portfolio"
        actions={
          <span class="text-sm text-stone-600">
            {t("dash.photos.count", {
              n: formatNumber(data.portfolio.length, state.fmt),
              max: formatNumber(PHOTO_LIMITS.portfolio, state.fmt),
            })}
          </span>
        }
      >
        <p class="text-sm text-stone-600">{t("dash.photos.portfolioHint")}</p>
        <PhotoUpload action={action} state={state} form={data.form} multiple kind="portfolio" />
        <PhotoList
          photos={data.portfolio}
          action={action}
          state={state}
          form={data.form}
          canTakeDown={data.canTakeDown}
        />
      </Section>
    </DashboardLayout>
  );
});
