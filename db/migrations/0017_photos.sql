-- Photos: a salon's gallery (the first is its cover), a portrait and a portfolio per staff
-- member, a photo per service. Each uploaded image is rendered once into a few widths (WebP and
-- JPEG); `variants` lists the stored files by key, and every key holds immutable bytes (its name
-- carries its content hash). Where the bytes live is the storage back end's business: the
-- `photo_files` table below (the embedded default) or S3-compatible object storage.

CREATE TABLE photos (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  salon_id uuid NOT NULL REFERENCES salons ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('salon', 'portrait', 'portfolio', 'service')),
  staff_id uuid REFERENCES staff ON DELETE CASCADE,
  service_id uuid REFERENCES services ON DELETE CASCADE,
  -- Order within its list (salon gallery, a staff member's portfolio); 0 = first (the cover).
  position integer NOT NULL DEFAULT 0 CHECK (position >= 0),
  alt_ar text NOT NULL DEFAULT '' CHECK (length(alt_ar) <= 250),
  alt_en text NOT NULL DEFAULT '' CHECK (length(alt_en) <= 250),
  -- Of the largest rendition: every rendition has this aspect ratio.
  width integer NOT NULL CHECK (width > 0),
  height integer NOT NULL CHECK (height > 0),
  -- [{key, width, height, format: "webp" | "jpeg", bytes}], smallest first.
  variants jsonb NOT NULL,
  uploaded_by uuid REFERENCES users ON DELETE SET NULL,
  created_at timestamptz NOT NULL,
  CHECK (
    (kind = 'salon' AND staff_id IS NULL AND service_id IS NULL)
    OR (kind IN ('portrait', 'portfolio') AND staff_id IS NOT NULL AND service_id IS NULL)
    OR (kind = 'service' AND service_id IS NOT NULL AND staff_id IS NULL)
  )
);

CREATE INDEX photos_salon ON photos (salon_id, kind, position);
CREATE INDEX photos_staff ON photos (staff_id, kind, position) WHERE staff_id IS NOT NULL;
CREATE INDEX photos_service ON photos (service_id) WHERE service_id IS NOT NULL;
-- Newest uploads across the platform (/admin/photos).
CREATE INDEX photos_created ON photos (created_at DESC, id);

-- The database storage back end: one row per stored file.
CREATE TABLE photo_files (
  key text PRIMARY KEY CHECK (key ~ '^[a-z0-9/._-]{1,200}$'),
  content_type text NOT NULL,
  body bytea NOT NULL
);

-- Public pages show photos: a change announces itself like every other (0009_public_pages.sql).
CREATE TRIGGER photos_public_pages AFTER INSERT OR UPDATE OR DELETE ON photos
  FOR EACH ROW EXECUTE FUNCTION notify_public_pages('salon_id');
