import { PhotoList, PhotoUpload } from "@/components/dashboard/photos.tsx";
import { DashboardLayout, Notice, Section } from "@/components/dashboard/ui.tsx";
import { formatNumber } from "@/i18n/format.ts";
import { type AppContext, defineHandlers, definePage, page } from "@/routes/_define.ts";
import { listPhotos, PHOTO_LIMITS } from "@/services/photos/photos.ts";
import { publicPhoto } from "@/services/photos/public.ts";
import {
  type DashboardContext,
  dashboardContext,
  formPageData,
  type FormState,
  NO_FORM,
  type RouteAccess,
} from "../_guard.ts";
import { PHOTO_NOTICES, PHOTO_UPLOAD_MAX_BYTES, submitPhotoForm } from "../_photos.ts";

export const access: RouteAccess = "manager";
export const maxBodyBytes = PHOTO_UPLOAD_MAX_BYTES;

async function load(c: AppContext, ctx: DashboardContext, form: FormState) {
  const { db, photos: storage } = c.var.deps;
  const photos = await listPhotos(db, ctx.actor, ctx.salon.id, { kind: "salon" });
  return page({
    ...await formPageData(c, ctx, "photos", form, PHOTO_NOTICES),
    photos: photos.map((p) => publicPhoto(storage, p)),
    canTakeDown: ctx.user.role === "admin",
  }, { title: c.var.state.t("dash.photos.gallery") });
}

/**
 * `/dashboard/:salon/photos`: the salon's gallery: a cover and up to 20 photos, uploaded several
 * at a time, described in Arabic and English, put in order; the first is the cover.
 */
export const handler = defineHandlers({
  async GET(c) {
    return await load(c, await dashboardContext(c, "manager"), NO_FORM);
  },
  async POST(c) {
    const ctx = await dashboardContext(c, "manager");
    return await submitPhotoForm(
      c,
      ctx,
      `${ctx.base}/photos`,
      () => ({ kind: "salon" }),
      (form) => load(c, ctx, form),
    );
  },
});

export default definePage<typeof handler>(function SalonPhotosPage({ data, state }) {
  const { t, fmt } = state;
  const { layout, photos } = data;
  const action = `${layout.base}/photos`;
  return (
    <DashboardLayout layout={layout} state={state} now={data.now}>
      {data.notice && <Notice>{t(`dash.notice.${data.notice}`)}</Notice>}
      <Section
        title={t("dash.photos.gallery")}
        id="gallery"
        actions={
          <span class="text-sm text-stone-600">
            {t("dash.photos.count", {
              n: formatNumber(photos.length, fmt),
              max: formatNumber(PHOTO_LIMITS.salon, fmt),
            })}
          </span>
        }
      >
        <p class="text-sm text-stone-600">{t("dash.photos.galleryHint")}</p>
        <PhotoUpload action={action} state={state} form={data.form} multiple />
        <PhotoList
          photos={photos}
          action={action}
          state={state}
          form={data.form}
          cover
          canTakeDown={data.canTakeDown}
        />
      </Section>
    </DashboardLayout>
  );
});
