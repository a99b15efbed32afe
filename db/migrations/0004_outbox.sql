-- The outbox: one row per message to one recipient on one channel, written in the same transaction
-- as the change that causes it (a rolled-back booking leaves no row, so sends nothing). A worker
-- claims due rows with FOR UPDATE SKIP LOCKED, calls the provider outside any transaction, then
-- marks the row. The unique dedupe key (booking, event, recipient, channel) makes enqueueing
-- idempotent; the row id is the provider's idempotency key, so a crash between sending and marking
-- is retried (at least once) and a provider that deduplicates delivers exactly once.

CREATE TABLE messages (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  -- e.g. booking:<booking id>:<event>[:<ref>]:<recipient user id>:<channel>
  --      reminder:<booking id>:24h:<starts_at epoch seconds>:<recipient user id>:<channel>
  dedupe_key text NOT NULL CHECK (length(dedupe_key) BETWEEN 1 AND 300),
  kind text NOT NULL CHECK (kind IN ('event', 'reminder')),
  -- No foreign key: messages outlive what they are about, and the bookings table is shared.
  booking_id uuid,
  -- created, confirmed, cancelled, rescheduled, payment_received, refund_issued, reminder_24h, …
  event text NOT NULL CHECK (event ~ '^[a-z0-9_]{1,40}$'),
  recipient_user_id uuid REFERENCES users ON DELETE SET NULL,
  recipient_role text NOT NULL CHECK (recipient_role IN ('customer', 'staff', 'manager')),
  recipient_phone text NOT NULL CHECK (recipient_phone ~ '^\+[1-9][0-9]{7,14}$'),
  -- The channel tried; a WhatsApp message that cannot be delivered gets an SMS row (fallback_of).
  channel text NOT NULL CHECK (channel IN ('sms', 'whatsapp')),
  -- A catalog key (i18n) and its parameters, rendered in `locale` when sent.
  template text NOT NULL CHECK (template ~ '^msg\.[a-zA-Z0-9_.]+$'),
  params jsonb NOT NULL DEFAULT '{}',
  locale text NOT NULL CHECK (locale IN ('ar', 'en')),
  -- The text as rendered for the provider (NULL until the first attempt renders it).
  body text CHECK (length(body) <= 2000),
  -- queued: waiting for run_at; sending: claimed under a lease (locked_by until locked_until);
  -- sent: the provider accepted it; failed: the last attempt failed, retried at run_at;
  -- dead: given up (permanent error or attempts exhausted); cancelled: no longer wanted.
  status text NOT NULL DEFAULT 'queued'
    CHECK (status IN ('queued', 'sending', 'sent', 'failed', 'dead', 'cancelled')),
  attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  max_attempts integer NOT NULL CHECK (max_attempts BETWEEN 1 AND 50),
  -- When the message is next due (reminders: in the future; failures: after the backoff).
  run_at timestamptz NOT NULL,
  locked_by text CHECK (length(locked_by) <= 200),
  -- The claim lease: a `sending` row whose lease has passed is claimable again (crash recovery).
  locked_until timestamptz,
  last_error text CHECK (length(last_error) <= 1000),
  provider text,
  provider_message_id text CHECK (length(provider_message_id) <= 200),
  fallback_of uuid REFERENCES messages ON DELETE SET NULL,
  sent_at timestamptz,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  CONSTRAINT messages_dedupe_key_key UNIQUE (dedupe_key),
  CONSTRAINT messages_sending_has_lease
    CHECK (status <> 'sending' OR (locked_by IS NOT NULL AND locked_until IS NOT NULL)),
  CONSTRAINT messages_sent_has_time CHECK (status <> 'sent' OR sent_at IS NOT NULL)
);

-- The worker's two ways a row becomes claimable: due, or a lapsed lease.
CREATE INDEX messages_due ON messages (run_at) WHERE status IN ('queued', 'failed');
CREATE INDEX messages_lease ON messages (locked_until) WHERE status = 'sending';
-- The booking page and the dashboard list a booking's messages; /dev/messages the latest.
CREATE INDEX messages_booking ON messages (booking_id, created_at) WHERE booking_id IS NOT NULL;
CREATE INDEX messages_created ON messages (created_at DESC);

-- Short links in messages (`/b/<code>` → `/bookings/<id>`): a UUID would cost an SMS segment.
CREATE TABLE booking_links (
  code text PRIMARY KEY CHECK (code ~ '^[0-9A-Za-z]{8}$'),
  booking_id uuid NOT NULL UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now()
);
