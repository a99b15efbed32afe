-- Reviews of completed bookings, the privacy notice and its acceptance, account deletion, and the
-- retention job's bookkeeping. docs/privacy.md lists every column holding personal data, why and
-- for how long.

-- Account deletion keeps the row (bookings and payments the salon must keep still point at it) but
-- replaces everything that identifies the person; see services/privacy/delete.ts.
ALTER TABLE users
  ADD COLUMN deleted_at timestamptz,
  ADD CONSTRAINT users_deleted_is_inactive CHECK (deleted_at IS NULL OR NOT is_active);

-- Deleted accounts get phone numbers `+99999` followed by this sequence (10 digits): country code
-- 999 is unassigned, so no real phone can collide with one and the login code refuses them.
CREATE SEQUENCE deleted_user_phone_seq AS bigint MINVALUE 1 MAXVALUE 9999999999;

ALTER TABLE sessions DROP CONSTRAINT sessions_revoked_reason_check;
ALTER TABLE sessions ADD CONSTRAINT sessions_revoked_reason_check
  CHECK (revoked_reason IN ('logout', 'refresh_reuse', 'admin', 'account_deleted'));

-- The privacy notice version a login request accepted (NULL: none). The acceptance is turned into
-- a consent row only once the code proves the phone (or at once for a brand-new account).
ALTER TABLE otp_requests ADD COLUMN privacy_notice_version text
  CHECK (privacy_notice_version ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$');

-- Proof that a person accepted a version of the privacy notice, and when. No IP or device: the
-- version and time are what the record needs to show. Kept after account deletion (it identifies
-- no one once the account is anonymized).
CREATE TABLE privacy_consents (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL REFERENCES users ON DELETE CASCADE,
  notice_version text NOT NULL CHECK (notice_version ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'),
  accepted_at timestamptz NOT NULL,
  -- web: the /login form; api: a client of /api/auth/phone/*.
  source text NOT NULL CHECK (source IN ('web', 'api')),
  CONSTRAINT privacy_consents_once UNIQUE (user_id, notice_version)
);

-- One review per completed booking, by its customer, within 30 days of the visit. The staff member
-- and service are copied from the booking so the salon page can show them without a join.
CREATE TABLE reviews (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  booking_id uuid NOT NULL REFERENCES bookings ON DELETE CASCADE,
  salon_id uuid NOT NULL REFERENCES salons ON DELETE CASCADE,
  customer_id uuid REFERENCES users ON DELETE SET NULL,
  staff_id uuid NOT NULL,
  service_id uuid NOT NULL,
  rating smallint NOT NULL CHECK (rating BETWEEN 1 AND 5),
  body text NOT NULL DEFAULT '' CHECK (length(body) <= 1000),
  -- Hidden by the salon's managers (with a reason): off the salon page and out of the average.
  hidden boolean NOT NULL DEFAULT false,
  hidden_reason text CHECK (length(hidden_reason) BETWEEN 1 AND 500),
  hidden_by uuid REFERENCES users ON DELETE SET NULL,
  hidden_at timestamptz,
  -- The salon's one reply (editable).
  reply text CHECK (length(reply) BETWEEN 1 AND 1000),
  replied_by uuid REFERENCES users ON DELETE SET NULL,
  replied_at timestamptz,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  CONSTRAINT reviews_booking_key UNIQUE (booking_id),
  CONSTRAINT reviews_hidden_has_reason
    CHECK (NOT hidden OR (hidden_reason IS NOT NULL AND hidden_at IS NOT NULL)),
  CONSTRAINT reviews_reply_has_time CHECK ((reply IS NULL) = (replied_at IS NULL)),
  FOREIGN KEY (staff_id, salon_id) REFERENCES staff (id, salon_id),
  FOREIGN KEY (service_id, salon_id) REFERENCES services (id, salon_id)
);
-- The salon page: visible reviews, newest first; and the recount of one salon's visible ratings.
CREATE INDEX reviews_salon_visible ON reviews (salon_id, created_at DESC, id DESC) WHERE NOT hidden;
CREATE INDEX reviews_customer ON reviews (customer_id);

-- The audit trail of a review: every create, edit, reply, hide and unhide, by whom and why. Kept
-- by the retention job.
CREATE TABLE review_events (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  review_id uuid NOT NULL REFERENCES reviews ON DELETE CASCADE,
  at timestamptz NOT NULL,
  actor_user_id uuid REFERENCES users ON DELETE SET NULL,
  actor_role text NOT NULL CHECK (actor_role IN ('customer', 'salon', 'system')),
  action text NOT NULL CHECK (action IN ('created', 'edited', 'replied', 'hidden', 'unhidden',
    'anonymized')),
  reason text CHECK (length(reason) <= 500),
  -- e.g. {"rating": 4} for created/edited: the rating history, never the text.
  data jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX review_events_review ON review_events (review_id, at);
CREATE INDEX review_events_actor ON review_events (actor_user_id) WHERE actor_user_id IS NOT NULL;

-- Periodic jobs that every app instance schedules: the one that moves `last_started_at` forward
-- runs the job, so a daily job runs once a day however many instances there are.
CREATE TABLE scheduled_jobs (
  name text PRIMARY KEY CHECK (name ~ '^[a-z0-9_]{1,40}$'),
  last_started_at timestamptz,
  last_finished_at timestamptz,
  last_result jsonb NOT NULL DEFAULT '{}'
);
INSERT INTO scheduled_jobs (name) VALUES ('retention');

-- The retention job's scans.
CREATE INDEX otp_requests_created ON otp_requests (created_at);
CREATE INDEX sessions_last_used ON sessions (last_used_at) WHERE ip IS NOT NULL OR user_agent <> '';
CREATE INDEX messages_body_created ON messages (created_at) WHERE body IS NOT NULL;
