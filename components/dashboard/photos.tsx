/** The dashboard's photo lists and upload form (salon gallery, staff photos, service photo). */
import { Picture } from "@/components/photos.tsx";
import { formatNumber } from "@/i18n/format.ts";
import type { RequestState } from "@/routes/_define.ts";
import { type FormState, NO_FORM } from "@/routes/dashboard/_guard.ts";
import type { PublicPhoto } from "@/services/photos/public.ts";
import { BUTTON, BUTTON_SECONDARY, CARD, Csrf, Field, FormErrors, Intent } from "./ui.tsx";

const ACCEPT = "image/jpeg,image/png,image/webp,image/heic,image/heif,.heic,.heif";

/** An upload form: multipart, one file or several, works without JavaScript. */
export function PhotoUpload(
  { action, state, form, multiple, kind }: {
    action: string;
    state: RequestState;
    form: FormState;
    multiple: boolean;
    /** Which list of the page the files go to, when it has several. */
    kind?: string;
  },
) {
  const { t } = state;
  const shown = form.intent === "upload" && (!kind || form.values.kind === kind) ? form : NO_FORM;
  const errors = shown.errors.photos;
  const id = `photos-${kind ?? "upload"}`;
  return (
    <form method="post" action={action} enctype="multipart/form-data" class={`${CARD} space-y-3`}>
      <Csrf state={state} />
      <Intent value="upload" />
      {kind && <input type="hidden" name="kind" value={kind} />}
      <FormErrors form={{ ...shown, errors: errors ? {} : shown.errors }} />
      <label class="block">
        <span class="mb-1 block text-sm font-medium">
          {multiple ? t("dash.photos.choose") : t("dash.photos.chooseOne")}
        </span>
        <input
          type="file"
          name="photos"
          id={id}
          accept={ACCEPT}
          multiple={multiple}
          required
          class="block w-full text-sm file:me-3 file:rounded-full file:border-0 file:bg-stone-200 file:px-4 file:py-2"
          aria-describedby={errors?.length ? `${id}-err` : `${id}-hint`}
          aria-invalid={errors?.length ? "true" : undefined}
        />
        <span id={`${id}-hint`} class="mt-1 block text-xs text-stone-600">
          {t("dash.photos.chooseHint")}
        </span>
        {errors?.length
          ? (
            <span id={`${id}-err`} role="alert" class="mt-1 block text-sm text-rose-700">
              {errors.join(" ")}
            </span>
          )
          : null}
      </label>
      <button type="submit" class={BUTTON}>
        {multiple ? t("dash.photos.upload") : t("dash.photos.uploadOne")}
      </button>
    </form>
  );
}

function RowButton(
  { action, state, intent, photoId, name, value, children }: {
    action: string;
    state: RequestState;
    intent: string;
    photoId: string;
    name?: string;
    value?: string;
    children: string;
  },
) {
  return (
    <form method="post" action={action}>
      <Csrf state={state} />
      <Intent value={intent} />
      <input type="hidden" name="photo_id" value={photoId} />
      {name && <input type="hidden" name={name} value={value} />}
      <button type="submit" class={`${BUTTON_SECONDARY} text-sm`}>{children}</button>
    </form>
  );
}

/**
 * A list of photos in order, each with its alt text form, order buttons and delete; a platform
 * admin also sees a takedown form. With `cover`, the first is marked as the salon's cover.
 */
export function PhotoList(
  { photos, action, state, form, cover, canTakeDown }: {
    photos: PublicPhoto[];
    action: string;
    state: RequestState;
    form: FormState;
    cover?: boolean;
    canTakeDown: boolean;
  },
) {
  const { t, locale } = state;
  if (!photos.length) return <p class="text-stone-600">{t("dash.photos.none")}</p>;
  const formOf = (intent: string, id: string) =>
    form.intent === intent && form.values.photo_id === id ? form : NO_FORM;
  return (
    <ol class="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
      {photos.map((p, i) => {
        const alt = formOf("alt", p.id);
        const takedown = formOf("takedown", p.id);
        const label = cover && i === 0
          ? t("dash.photos.cover")
          : t("dash.photos.position", { n: formatNumber(i + 1, state.fmt) });
        return (
          <li class={`${CARD} space-y-3`} data-photo={p.id}>
            <div class="relative">
              <Picture
                photo={p}
                alt={(locale === "ar" ? p.alt_ar : p.alt_en) || label}
                sizes="(min-width: 1024px) 20rem, (min-width: 640px) 45vw, 90vw"
                class="aspect-[4/3] w-full rounded-lg bg-stone-100 object-cover"
              />
              <span
                class={`absolute start-2 top-2 rounded-full px-3 py-1 text-xs font-semibold ${
                  cover && i === 0 ? "bg-rose-700 text-white" : "bg-white/90 text-stone-800"
                }`}
              >
                {label}
              </span>
            </div>
            <form method="post" action={action} class="space-y-2">
              <Csrf state={state} />
              <Intent value="alt" />
              <input type="hidden" name="photo_id" value={p.id} />
              <FormErrors form={alt} />
              <Field
                id={`alt_ar-${p.id}`}
                name="alt_ar"
                label={t("dash.photos.altAr")}
                form={alt}
                value={p.alt_ar}
                dir="rtl"
                lang="ar"
                maxLength={250}
              />
              <Field
                id={`alt_en-${p.id}`}
                name="alt_en"
                label={t("dash.photos.altEn")}
                form={alt}
                value={p.alt_en}
                dir="ltr"
                lang="en"
                maxLength={250}
              />
              <button type="submit" class={`${BUTTON_SECONDARY} text-sm`}>
                {t("dash.photos.saveAlt")}
              </button>
            </form>
            <div class="flex flex-wrap gap-2">
              {cover && i > 0 && (
                <RowButton
                  {...{ action, state }}
                  intent="move"
                  photoId={p.id}
                  name="move"
                  value="first"
                >
                  {t("dash.photos.makeCover")}
                </RowButton>
              )}
              {i > 0 && (
                <RowButton
                  {...{ action, state }}
                  intent="move"
                  photoId={p.id}
                  name="move"
                  value="up"
                >
                  {t("dash.photos.earlier")}
                </RowButton>
              )}
              {i < photos.length - 1 && (
                <RowButton
                  {...{ action, state }}
                  intent="move"
                  photoId={p.id}
                  name="move"
                  value="down"
                >
                  {t("dash.photos.later")}
                </RowButton>
              )}
              <RowButton {...{ action, state }} intent="delete" photoId={p.id}>
                {t("dash.photos.delete")}
              </RowButton>
            </div>
            {canTakeDown && (
              <form method="post" action={action} class="space-y-2 border-t border-stone-200 pt-3">
                <Csrf state={state} />
                <Intent value="takedown" />
                <input type="hidden" name="photo_id" value={p.id} />
                <Field
                  id={`reason-${p.id}`}
                  name="reason"
                  label={t("dash.photos.takedownReason")}
                  form={takedown}
                  required
                  maxLength={500}
                />
                <button type="submit" class="text-sm text-rose-700 underline">
                  {t("dash.photos.takedown")}
                </button>
              </form>
            )}
          </li>
        );
      })}
    </ol>
  );
}
