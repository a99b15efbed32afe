/**
 * The form posts the three photo pages share (salon gallery, a staff member's photos, a
 * service's photo), by `intent`: `upload` (multipart, several files), `alt`, `move`, `delete`, and
 * `takedown` (platform admins). Each is one service call; then a 303 back to the page.
 */
import { z } from "zod";
import type { AppContext, PageResult } from "@/routes/_define.ts";
import { AppError } from "@/services/errors.ts";
import {
  movePhoto,
  type PhotoOwner,
  PhotoRejectedError,
  removePhoto,
  updatePhotoAlt,
  uploadPhotos,
} from "@/services/photos/photos.ts";
import { text } from "./_fields.ts";
import { type DashboardContext, type FormState, parseForm, submitForm } from "./_guard.ts";
import type { MessageKey } from "@/i18n/mod.ts";

/** The most a photo upload request may carry (each file is limited to 15 MB on its own). */
export const PHOTO_UPLOAD_MAX_BYTES = 100 * 1024 * 1024;

export const PHOTO_NOTICES = [
  "uploaded",
  "altSaved",
  "moved",
  "photoDeleted",
  "takenDown",
] as const;

const PhotoId = z.object({ photo_id: z.string().min(1, "validation.required") });
const AltForm = PhotoId.extend({ alt_ar: text(250), alt_en: text(250) });
const MoveForm = PhotoId.extend({ move: z.enum(["first", "up", "down"]) });
const TakedownForm = PhotoId.extend({
  reason: z.string().trim().min(1, "validation.required").max(500, "validation.tooLong"),
});

async function postedFiles(c: AppContext) {
  let form: FormData;
  try {
    form = await c.req.formData();
  } catch {
    throw new AppError(415, "error.unsupportedMediaType");
  }
  const files = form.getAll("photos").filter((f): f is File => f instanceof File && f.size > 0);
  return await Promise.all(
    files.map(async (f) => ({
      name: f.name.slice(0, 120),
      bytes: new Uint8Array(await f.arrayBuffer()),
    })),
  );
}

/**
 * Handles a photo form post on the page at `here`; `ownerOf` says whose photos an upload adds to
 * (a staff page posts `kind`). Bad input re-renders the page through `rerender`, naming the file
 * that was refused and why.
 */
export async function submitPhotoForm<D>(
  c: AppContext,
  ctx: DashboardContext,
  here: string,
  ownerOf: (values: Record<string, string>) => PhotoOwner,
  rerender: (form: FormState) => Promise<PageResult<D>>,
): Promise<Response | PageResult<D>> {
  const { db, photos } = c.var.deps;
  const { t } = c.var.state;
  const salonId = ctx.salon.id;
  let rejected: PhotoRejectedError | null = null;
  return await submitForm(c, async (values) => {
    const done = (notice: typeof PHOTO_NOTICES[number]) =>
      c.redirect(`${here}?notice=${notice}`, 303);
    switch (values.intent) {
      case "upload": {
        try {
          await uploadPhotos(db, photos, ctx.actor, salonId, ownerOf(values), await postedFiles(c));
        } catch (err) {
          if (err instanceof PhotoRejectedError) rejected = err;
          throw err;
        }
        return done("uploaded");
      }
      case "alt": {
        const f = parseForm(AltForm, values);
        await updatePhotoAlt(db, ctx.actor, salonId, f.photo_id, f);
        return done("altSaved");
      }
      case "move": {
        const f = parseForm(MoveForm, values);
        await movePhoto(db, ctx.actor, salonId, f.photo_id, f.move);
        return done("moved");
      }
      case "delete": {
        const f = parseForm(PhotoId, values);
        await removePhoto(db, photos, ctx.actor, salonId, f.photo_id);
        return done("photoDeleted");
      }
      case "takedown": {
        const f = parseForm(TakedownForm, values);
        await removePhoto(db, photos, ctx.actor, salonId, f.photo_id, { reason: f.reason });
        return done("takenDown");
      }
      default:
        return c.redirect(here, 303);
    }
  }, (form) => {
    const refusal = rejected as PhotoRejectedError | null;
    if (refusal?.fileName) {
      const message = t("dash.photos.error.file", {
        file: refusal.fileName,
        reason: t(refusal.messageKey as MessageKey),
      });
      form.errors.photos = [message];
      form.errors.form = [message];
    }
    return rerender(form);
  });
}
