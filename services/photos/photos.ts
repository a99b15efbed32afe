/**
 * Photos of a salon, its staff and its services: upload, alt text, order, removal, and a platform
 * admin's takedown. Each change is one transaction with its audit row; storage calls (possibly
 * S3) happen outside it: new files are stored before the transaction that lists them (and deleted
 * again if it fails), removed files are deleted after the transaction that unlisted them.
 */
import type { Db, Queryable, Tx } from "@/db/types.ts";
import { assertAdmin } from "@/services/auth/authorize.ts";
import { auditRole, authorizeSalon, type DashboardActor } from "@/services/dashboard/access.ts";
import { audit } from "@/services/dashboard/audit.ts";
import { NotFoundError, ValidationError } from "@/services/errors.ts";
import { isUuid } from "@/services/ids.ts";
import { log } from "@/log.ts";
import { checkUpload, ImageRejected, type ImageRejection, type OutputFormat } from "./image.ts";
import { renderImage } from "./render_pool.ts";
import type { PhotoStorage } from "./storage.ts";

export type PhotoKind = "salon" | "portrait" | "portfolio" | "service";

/** Whose photos: the salon's gallery, a staff member's portrait or portfolio, a service's photo. */
export type PhotoOwner =
  | { kind: "salon" }
  | { kind: "portrait" | "portfolio"; staffId: string }
  | { kind: "service"; serviceId: string };

/** How many photos each list holds: the gallery is a cover and 20 more. */
export const PHOTO_LIMITS: Record<PhotoKind, number> = {
  salon: 21,
  portrait: 1,
  portfolio: 12,
  service: 1,
};

/** A portrait or a service photo replaces the one before it. */
const REPLACED: ReadonlySet<PhotoKind> = new Set(["portrait", "service"]);

/** Rendered widths: the gallery fills a phone's or a desktop's width; the others are small. */
const WIDTHS: Record<PhotoKind, readonly number[]> = {
  salon: [480, 960, 1600],
  portfolio: [480, 960, 1600],
  portrait: [160, 320, 640],
  service: [160, 320, 640],
};

export interface PhotoVariant {
  key: string;
  width: number;
  height: number;
  format: OutputFormat;
  bytes: number;
}

export interface Photo {
  id: string;
  salon_id: string;
  kind: PhotoKind;
  staff_id: string | null;
  service_id: string | null;
  position: number;
  alt_ar: string;
  alt_en: string;
  width: number;
  height: number;
  variants: PhotoVariant[];
  created_at: Date;
}

const COLUMNS = `id, salon_id, kind, staff_id, service_id, position, alt_ar, alt_en, width, height,
  variants, created_at`;

/** A file as posted. */
export interface UploadedFile {
  name: string;
  bytes: Uint8Array;
}

/** A refused upload: which file and why (`photos.error.<reason>`). */
export class PhotoRejectedError extends ValidationError {
  constructor(readonly fileName: string, readonly reason: ImageRejection | "tooMany" | "none") {
    super({ photos: [`dash.photos.error.${reason}`] }, `dash.photos.error.${reason}`);
  }
}

function ownerSql(owner: PhotoOwner): { where: string; params: unknown[] } {
  switch (owner.kind) {
    case "salon":
      return { where: "kind = 'salon'", params: [] };
    case "portrait":
    case "portfolio":
      return { where: "kind = $2 AND staff_id = $3", params: [owner.kind, owner.staffId] };
    case "service":
      return { where: "kind = 'service' AND service_id = $2", params: [owner.serviceId] };
  }
}

/** The owner's photos in order. */
async function ownerPhotos(db: Queryable, salonId: string, owner: PhotoOwner): Promise<Photo[]> {
  const { where, params } = ownerSql(owner);
  return await db.query<Photo>(
    `SELECT ${COLUMNS} FROM photos WHERE salon_id = $1 AND ${where}
     ORDER BY position, created_at, id`,
    [salonId, ...params],
  );
}

/** 404 unless the staff member or service belongs to the salon. */
async function checkOwner(db: Queryable, salonId: string, owner: PhotoOwner): Promise<void> {
  if (owner.kind === "salon") return;
  const [table, id] = owner.kind === "service"
    ? ["services", owner.serviceId]
    : ["staff", owner.staffId];
  if (!isUuid(id)) throw new NotFoundError();
  const [row] = await db.query(`SELECT 1 FROM ${table} WHERE id = $1 AND salon_id = $2`, [
    id,
    salonId,
  ]);
  if (!row) throw new NotFoundError();
}

/** A manager's view of one owner's photos, in order. */
export async function listPhotos(
  db: Queryable,
  actor: DashboardActor,
  salonId: string,
  owner: PhotoOwner,
): Promise<Photo[]> {
  await authorizeSalon(db, actor.user, salonId, "manager");
  await checkOwner(db, salonId, owner);
  return await ownerPhotos(db, salonId, owner);
}

async function hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

const CONTENT_TYPES: Record<OutputFormat, string> = { webp: "image/webp", jpeg: "image/jpeg" };
const EXTENSIONS: Record<OutputFormat, string> = { webp: "webp", jpeg: "jpg" };

interface Prepared {
  id: string;
  width: number;
  height: number;
  variants: PhotoVariant[];
  files: { key: string; bytes: Uint8Array; contentType: string }[];
}

/** Renders one file into its variants under content-hashed keys (`<photo id>/<hash>-<w>.<ext>`). */
async function prepare(file: UploadedFile, kind: PhotoKind): Promise<Prepared> {
  const id = crypto.randomUUID();
  let image;
  try {
    image = await renderImage(file.bytes, WIDTHS[kind]);
  } catch (err) {
    if (err instanceof ImageRejected) throw new PhotoRejectedError(file.name, err.reason);
    throw err;
  }
  const files = await Promise.all(image.variants.map(async (v) => ({
    key: `${id}/${(await hex(v.bytes)).slice(0, 16)}-${v.width}.${EXTENSIONS[v.format]}`,
    bytes: v.bytes,
    contentType: CONTENT_TYPES[v.format],
    variant: v,
  })));
  return {
    id,
    width: image.width,
    height: image.height,
    variants: files.map(({ key, variant: v }) => ({
      key,
      width: v.width,
      height: v.height,
      format: v.format,
      bytes: v.bytes.length,
    })),
    files,
  };
}

/** Deletes stored files after their rows are gone; a failure leaves orphans, logged, no error. */
async function deleteFiles(storage: PhotoStorage, keys: string[]): Promise<void> {
  try {
    await storage.delete(keys);
  } catch (err) {
    log.warn("photos.delete_failed", { keys: keys.length, error: String(err) });
  }
}

const keysOf = (photos: Pick<Photo, "variants">[]) =>
  photos.flatMap((p) => p.variants.map((v) => v.key));

/** Locks the salon row: changes to one salon's photo lists take turns (limits, positions). */
async function lockSalon(tx: Tx, salonId: string): Promise<void> {
  await tx.query("SELECT 1 FROM salons WHERE id = $1 FOR UPDATE", [salonId]);
}

/**
 * Adds `files` to the owner's photos (after the existing ones; a portrait or service photo
 * replaces the previous one). Every file is checked by content and rendered before anything is
 * stored; one bad file refuses the whole upload. Audited as photo.upload, one row per photo.
 * @throws PhotoRejectedError (400) naming the file; NotFoundError for another salon's owner.
 */
export async function uploadPhotos(
  db: Db,
  storage: PhotoStorage,
  actor: DashboardActor,
  salonId: string,
  owner: PhotoOwner,
  files: UploadedFile[],
): Promise<Photo[]> {
  await authorizeSalon(db, actor.user, salonId, "manager");
  await checkOwner(db, salonId, owner);
  if (!files.length) throw new PhotoRejectedError("", "none");
  const limit = PHOTO_LIMITS[owner.kind];
  const replace = REPLACED.has(owner.kind);
  const existing = replace ? 0 : (await ownerPhotos(db, salonId, owner)).length;
  if (existing + files.length > limit) throw new PhotoRejectedError("", "tooMany");
  // Cheap checks on every file before the expensive rendering of any.
  for (const file of files) {
    try {
      checkUpload(file.bytes);
    } catch (err) {
      if (err instanceof ImageRejected) throw new PhotoRejectedError(file.name, err.reason);
      throw err;
    }
  }
  const prepared: Prepared[] = [];
  for (const file of files) prepared.push(await prepare(file, owner.kind));
  const newKeys = prepared.flatMap((p) => p.files.map((f) => f.key));
  let replaced: Photo[] = [];
  try {
    for (const p of prepared) {
      await Promise.all(p.files.map((f) => storage.put(f.key, f.bytes, f.contentType)));
    }
    const created = await db.transaction(async (tx) => {
      await lockSalon(tx, salonId);
      const access = await authorizeSalon(tx, actor.user, salonId, "manager");
      await checkOwner(tx, salonId, owner);
      const current = await ownerPhotos(tx, salonId, owner);
      if (replace) {
        replaced = current;
        await tx.query("DELETE FROM photos WHERE id = ANY($1)", [current.map((p) => p.id)]);
      } else if (current.length + files.length > limit) {
        throw new PhotoRejectedError("", "tooMany");
      }
      let position = replace ? 0 : (current.at(-1)?.position ?? -1) + 1;
      const rows: Photo[] = [];
      for (const p of prepared) {
        const [row] = await tx.query<Photo>(
          `INSERT INTO photos (id, salon_id, kind, staff_id, service_id, position, width, height,
             variants, uploaded_by, created_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING ${COLUMNS}`,
          [
            p.id,
            salonId,
            owner.kind,
            "staffId" in owner ? owner.staffId : null,
            "serviceId" in owner ? owner.serviceId : null,
            position++,
            p.width,
            p.height,
            p.variants,
            actor.user.id,
            actor.now,
          ],
        );
        rows.push(row);
        await audit(tx, {
          salonId,
          actorUserId: actor.user.id,
          actorRole: auditRole(access),
          action: "photo.upload",
          entity: "photo",
          entityId: row.id,
          before: replace && replaced[0] ? describe(replaced[0]) : null,
          after: describe(row),
          at: actor.now,
          requestId: actor.requestId,
        });
      }
      return rows;
    });
    if (replaced.length) await deleteFiles(storage, keysOf(replaced));
    return created;
  } catch (err) {
    await deleteFiles(storage, newKeys);
    throw err;
  }
}

/** What the audit log keeps of a photo (not the file list). */
function describe(photo: Photo) {
  return {
    kind: photo.kind,
    staff_id: photo.staff_id,
    service_id: photo.service_id,
    position: photo.position,
    alt_ar: photo.alt_ar,
    alt_en: photo.alt_en,
    width: photo.width,
    height: photo.height,
    files: photo.variants.length,
  };
}

async function lockedPhoto(tx: Tx, salonId: string, photoId: string): Promise<Photo> {
  if (!isUuid(photoId)) throw new NotFoundError();
  const [photo] = await tx.query<Photo>(
    `SELECT ${COLUMNS} FROM photos WHERE id = $1 AND salon_id = $2 FOR UPDATE`,
    [photoId, salonId],
  );
  if (!photo) throw new NotFoundError();
  return photo;
}

function ownerOf(photo: Photo): PhotoOwner {
  switch (photo.kind) {
    case "salon":
      return { kind: "salon" };
    case "portrait":
    case "portfolio":
      return { kind: photo.kind, staffId: photo.staff_id! };
    case "service":
      return { kind: "service", serviceId: photo.service_id! };
  }
}

/** Sets a photo's alt text (Arabic and English). Audited as photo.update. */
export async function updatePhotoAlt(
  db: Db,
  actor: DashboardActor,
  salonId: string,
  photoId: string,
  alt: { alt_ar: string; alt_en: string },
): Promise<void> {
  await db.transaction(async (tx) => {
    const access = await authorizeSalon(tx, actor.user, salonId, "manager");
    const before = await lockedPhoto(tx, salonId, photoId);
    const [after] = await tx.query<Photo>(
      `UPDATE photos SET alt_ar = $2, alt_en = $3 WHERE id = $1 RETURNING ${COLUMNS}`,
      [photoId, alt.alt_ar, alt.alt_en],
    );
    await audit(tx, {
      salonId,
      actorUserId: actor.user.id,
      actorRole: auditRole(access),
      action: "photo.update",
      entity: "photo",
      entityId: photoId,
      before: describe(before),
      after: describe(after),
      at: actor.now,
      requestId: actor.requestId,
    });
  });
}

export type PhotoMove = "first" | "up" | "down";

/**
 * Moves a photo within its list (to the front makes a gallery photo the salon's cover).
 * Audited as photo.reorder.
 */
export async function movePhoto(
  db: Db,
  actor: DashboardActor,
  salonId: string,
  photoId: string,
  move: PhotoMove,
): Promise<void> {
  await db.transaction(async (tx) => {
    await lockSalon(tx, salonId);
    const access = await authorizeSalon(tx, actor.user, salonId, "manager");
    const photo = await lockedPhoto(tx, salonId, photoId);
    const list = await ownerPhotos(tx, salonId, ownerOf(photo));
    const from = list.findIndex((p) => p.id === photoId);
    const to = move === "first" ? 0 : move === "up" ? Math.max(0, from - 1) : Math.min(
      list.length - 1,
      from + 1,
    );
    if (from === to) return;
    const [moved] = list.splice(from, 1);
    list.splice(to, 0, moved);
    await renumber(tx, list);
    await audit(tx, {
      salonId,
      actorUserId: actor.user.id,
      actorRole: auditRole(access),
      action: "photo.reorder",
      entity: "photo",
      entityId: photoId,
      before: { position: from },
      after: { position: to },
      at: actor.now,
      requestId: actor.requestId,
    });
  });
}

async function renumber(tx: Tx, list: Pick<Photo, "id">[]): Promise<void> {
  if (!list.length) return;
  await tx.query(
    `UPDATE photos p SET position = o.position - 1
     FROM unnest($1::uuid[]) WITH ORDINALITY AS o(id, position) WHERE p.id = o.id`,
    [list.map((p) => p.id)],
  );
}

/**
 * Removes a photo and, once that is committed, every stored size of it. A manager removes their
 * salon's photos (photo.delete); a platform admin takes one down with a reason (photo.takedown).
 */
export async function removePhoto(
  db: Db,
  storage: PhotoStorage,
  actor: DashboardActor,
  salonId: string,
  photoId: string,
  takedown?: { reason: string },
): Promise<void> {
  if (takedown) assertAdmin(actor.user);
  const removed = await db.transaction(async (tx) => {
    await lockSalon(tx, salonId);
    const access = await authorizeSalon(tx, actor.user, salonId, "manager");
    const photo = await lockedPhoto(tx, salonId, photoId);
    await tx.query("DELETE FROM photos WHERE id = $1", [photoId]);
    await renumber(tx, await ownerPhotos(tx, salonId, ownerOf(photo)));
    await audit(tx, {
      salonId,
      actorUserId: actor.user.id,
      actorRole: takedown ? "admin" : auditRole(access),
      action: takedown ? "photo.takedown" : "photo.delete",
      entity: "photo",
      entityId: photoId,
      before: { ...describe(photo), ...(takedown ? { reason: takedown.reason } : {}) },
      after: null,
      at: actor.now,
      requestId: actor.requestId,
    });
    return photo;
  });
  await deleteFiles(storage, keysOf([removed]));
}

export interface RecentPhoto extends Photo {
  salon_slug: string;
  salon_name_ar: string;
  salon_name_en: string;
  salon_timezone: string;
}

/** The newest photos of every salon, for platform admins to review. */
export async function listRecentPhotos(
  db: Queryable,
  actor: DashboardActor,
  limit = 60,
): Promise<RecentPhoto[]> {
  assertAdmin(actor.user);
  return await db.query<RecentPhoto>(
    `SELECT p.id, p.salon_id, p.kind, p.staff_id, p.service_id, p.position, p.alt_ar, p.alt_en,
            p.width, p.height, p.variants, p.created_at, s.slug AS salon_slug,
            s.name_ar AS salon_name_ar, s.name_en AS salon_name_en, s.timezone AS salon_timezone
     FROM photos p JOIN salons s ON s.id = p.salon_id
     ORDER BY p.created_at DESC, p.id LIMIT $1`,
    [limit],
  );
}

/** A platform admin takes down any salon's photo (see removePhoto). */
export async function takeDownPhoto(
  db: Db,
  storage: PhotoStorage,
  actor: DashboardActor,
  photoId: string,
  reason: string,
): Promise<void> {
  assertAdmin(actor.user);
  if (!isUuid(photoId)) throw new NotFoundError();
  const [row] = await db.query<{ salon_id: string }>(
    "SELECT salon_id FROM photos WHERE id = $1",
    [photoId],
  );
  if (!row) throw new NotFoundError();
  await removePhoto(db, storage, actor, row.salon_id, photoId, { reason });
}
