import { z } from "zod";
import { Picture } from "@/components/photos.tsx";
import {
  BUTTON_SECONDARY,
  CARD,
  Field,
  formFor,
  Notice,
  PostForm,
  Section,
} from "@/components/dashboard/ui.tsx";
import { formatGregorianDate, formatTime } from "@/i18n/format.ts";
import {
  type AppContext,
  defineHandlers,
  definePage,
  page,
  type RequestState,
} from "@/routes/_define.ts";
import type { DashboardActor } from "@/services/dashboard/access.ts";
import { listRecentPhotos, takeDownPhoto } from "@/services/photos/photos.ts";
import { publicPhoto } from "@/services/photos/public.ts";
import {
  adminContext,
  type FormState,
  NO_FORM,
  parseForm,
  type RouteAccess,
  submitForm,
} from "../dashboard/_guard.ts";

export const access: RouteAccess = "admin";

export const title = (state: RequestState) => state.t("admin.photos");

const TakedownForm = z.object({
  photo_id: z.string().min(1, "validation.required"),
  reason: z.string().trim().min(1, "validation.required").max(500, "validation.tooLong"),
});

async function load(c: AppContext, actor: DashboardActor, form: FormState) {
  const { db, photos: storage } = c.var.deps;
  const photos = await listRecentPhotos(db, actor);
  return page({
    photos: photos.map((p) => ({
      ...publicPhoto(storage, p),
      kind: p.kind,
      created_at: p.created_at,
      salon: {
        slug: p.salon_slug,
        name_ar: p.salon_name_ar,
        name_en: p.salon_name_en,
        timezone: p.salon_timezone,
      },
    })),
    form,
    takenDown: !form.intent && c.req.query("notice") === "takenDown",
  }, { title: c.var.state.t("admin.photos") });
}

/**
 * `/admin/photos`: the newest photos of every salon, each with a takedown form (a reason is
 * required and kept in the salon's audit log). Platform admins only.
 */
export const handler = defineHandlers({
  async GET(c) {
    const { actor } = adminContext(c);
    return await load(c, actor, NO_FORM);
  },
  async POST(c) {
    const { actor } = adminContext(c);
    const { db, photos } = c.var.deps;
    return await submitForm(c, async (values) => {
      const f = parseForm(TakedownForm, values);
      await takeDownPhoto(db, photos, actor, f.photo_id, f.reason);
      return c.redirect("/admin/photos?notice=takenDown", 303);
    }, (form) => load(c, actor, { ...form, intent: "takedown" }));
  },
});

export default definePage<typeof handler>(function AdminPhotosPage({ data, state }) {
  const { t, fmt, locale } = state;
  const ar = locale === "ar";
  return (
    <div class="space-y-6">
      <p>
        <a href="/admin" class="text-rose-700 underline">{t("admin.title")}</a>
      </p>
      <h1 class="text-2xl font-bold">{t("admin.photos")}</h1>
      {data.takenDown && <Notice>{t("dash.notice.takenDown")}</Notice>}
      <Section title={t("admin.photos")} id="photos">
        <p class="text-sm text-stone-600">{t("admin.photosHint")}</p>
        {data.photos.length === 0 && <p class="text-stone-600">{t("admin.noPhotos")}</p>}
        <ul class="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
          {data.photos.map((p) => {
            const form = data.form.values.photo_id === p.id
              ? formFor(data.form, "takedown")
              : NO_FORM;
            const salonName = ar ? p.salon.name_ar : p.salon.name_en;
            return (
              <li class={`${CARD} space-y-3`} data-photo={p.id}>
                <Picture
                  photo={p}
                  alt={(ar ? p.alt_ar : p.alt_en) || salonName}
                  sizes="(min-width: 1024px) 20rem, (min-width: 640px) 45vw, 90vw"
                  class="aspect-[4/3] w-full rounded-lg bg-stone-100 object-cover"
                />
                <p class="text-sm">
                  <a
                    href={`/dashboard/${p.salon.slug}/photos`}
                    class="font-medium text-rose-700 underline"
                  >
                    {salonName}
                  </a>
                  <span class="block text-stone-600">
                    {t(`admin.photoKind.${p.kind}`)} ·{" "}
                    {formatGregorianDate(p.created_at, p.salon.timezone, fmt)}{" "}
                    {formatTime(p.created_at, p.salon.timezone, fmt)}
                  </span>
                </p>
                <PostForm
                  action="/admin/photos"
                  intent="takedown"
                  state={state}
                  form={form}
                  class="space-y-2"
                >
                  <input type="hidden" name="photo_id" value={p.id} />
                  <Field
                    id={`reason-${p.id}`}
                    name="reason"
                    label={t("dash.photos.takedownReason")}
                    form={form}
                    required
                    maxLength={500}
                  />
                  <button type="submit" class={`${BUTTON_SECONDARY} text-sm`}>
                    {t("dash.photos.takedown")}
                  </button>
                </PostForm>
              </li>
            );
          })}
        </ul>
      </Section>
    </div>
  );
});
