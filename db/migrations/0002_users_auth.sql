-- People, phone one-time codes, and sessions. Phone numbers are the identity: stored E.164 only,
-- unique, checked here so no code path can store anything else. There are no passwords.

CREATE TABLE users (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  phone_number text NOT NULL,
  -- Stored lower-cased by the services; NULL when not given (several NULLs never collide).
  email text CHECK (email IS NULL OR (email = lower(email) AND length(email) BETWEEN 3 AND 254)),
  first_name text NOT NULL DEFAULT '' CHECK (length(first_name) <= 150),
  last_name text NOT NULL DEFAULT '' CHECK (length(last_name) <= 150),
  -- Also the language of the messages we send them.
  preferred_language text NOT NULL DEFAULT 'ar' CHECK (preferred_language IN ('ar', 'en')),
  is_phone_verified boolean NOT NULL DEFAULT false,
  is_admin boolean NOT NULL DEFAULT false,
  is_active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT users_phone_number_key UNIQUE (phone_number),
  CONSTRAINT users_phone_e164 CHECK (phone_number ~ '^\+[1-9][0-9]{7,14}$'),
  CONSTRAINT users_email_key UNIQUE (email)
);

-- One row per code sent (or attempted). The rows are also the rate-limit ledger: cooldowns and
-- windows are counted here, so every app instance on this database sees the same limits.
CREATE TABLE otp_requests (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  phone_number text NOT NULL CHECK (phone_number ~ '^\+[1-9][0-9]{7,14}$'),
  channel text NOT NULL CHECK (channel IN ('sms', 'whatsapp')),
  -- auth: logging in (/api/auth/phone/*); verify: a signed-in user confirming a phone (/otp/*).
  purpose text NOT NULL CHECK (purpose IN ('auth', 'verify')),
  -- For `verify`: who asked; only that user may redeem the code.
  user_id uuid REFERENCES users ON DELETE CASCADE,
  provider text NOT NULL,
  -- HMAC of the code; NULL when the provider generates and checks the code itself.
  code_hash text,
  -- pending: being sent; sent: usable; failed: the provider refused (never usable);
  -- used: redeemed; superseded: a newer code was sent to this phone for this purpose.
  status text NOT NULL DEFAULT 'pending'
    CHECK (status IN ('pending', 'sent', 'failed', 'used', 'superseded')),
  attempt_count integer NOT NULL DEFAULT 0 CHECK (attempt_count >= 0),
  max_attempts integer NOT NULL DEFAULT 5 CHECK (max_attempts > 0),
  request_ip text,
  -- "sha256:…" of the client's device_id, else of user agent + language; '' when neither.
  device_signal text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  used_at timestamptz,
  CHECK (expires_at > created_at),
  CHECK (purpose <> 'verify' OR user_id IS NOT NULL)
);
CREATE INDEX otp_requests_phone ON otp_requests (phone_number, created_at DESC);
CREATE INDEX otp_requests_ip ON otp_requests (request_ip, created_at DESC) WHERE request_ip IS NOT NULL;
CREATE INDEX otp_requests_device ON otp_requests (device_signal, created_at DESC)
  WHERE device_signal <> '';

-- A session is one login on one device: the family of refresh tokens that descend from it.
-- Access tokens carry its id; revoking it (logout, reuse of a rotated refresh token) ends them all.
CREATE TABLE sessions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL REFERENCES users ON DELETE CASCADE,
  created_at timestamptz NOT NULL,
  last_used_at timestamptz NOT NULL,
  revoked_at timestamptz,
  revoked_reason text CHECK (revoked_reason IN ('logout', 'refresh_reuse', 'admin')),
  user_agent text NOT NULL DEFAULT '' CHECK (length(user_agent) <= 300),
  ip text
);
CREATE INDEX sessions_user ON sessions (user_id) WHERE revoked_at IS NULL;

-- Opaque refresh tokens, stored as SHA-256 only. Each use rotates: the old row gets rotated_at and
-- a new row is issued in the same family (session).
CREATE TABLE refresh_tokens (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  session_id uuid NOT NULL REFERENCES sessions ON DELETE CASCADE,
  token_hash text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  rotated_at timestamptz,
  CHECK (expires_at > created_at)
);
CREATE INDEX refresh_tokens_session ON refresh_tokens (session_id);
