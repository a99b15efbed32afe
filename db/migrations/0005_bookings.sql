-- Booking integrity: lifecycle statuses, the time each booking blocks (with buffers), an exclusion
-- constraint that makes two active bookings of one staff member overlapping impossible whatever
-- the code above does, the history of every transition, and idempotency keys for creation.

ALTER TABLE bookings
  ADD COLUMN block_start timestamptz,
  ADD COLUMN block_end timestamptz,
  ADD COLUMN duration_minutes integer,
  ADD COLUMN cancellation_window_hours integer NOT NULL DEFAULT 24
    CHECK (cancellation_window_hours >= 0),
  ADD COLUMN payment_mode text NOT NULL DEFAULT 'at_salon'
    CHECK (payment_mode IN ('at_salon', 'deposit', 'full')),
  ADD COLUMN deposit_halalas integer NOT NULL DEFAULT 0 CHECK (deposit_halalas >= 0),
  ADD COLUMN source text NOT NULL DEFAULT 'online' CHECK (source IN ('online', 'salon')),
  ADD COLUMN cancelled_by text CHECK (cancelled_by IN ('customer', 'salon', 'system')),
  ADD COLUMN cancel_reason text CHECK (length(cancel_reason) <= 500),
  ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();

-- The block is the appointment widened by its buffers; the slot engine uses the same rule.
UPDATE bookings SET
  block_start = starts_at - make_interval(mins => buffer_before_minutes),
  block_end = ends_at + make_interval(mins => buffer_after_minutes),
  duration_minutes = (extract(epoch FROM ends_at - starts_at) / 60)::integer;

ALTER TABLE bookings
  ALTER COLUMN block_start SET NOT NULL,
  ALTER COLUMN block_end SET NOT NULL,
  ALTER COLUMN duration_minutes SET NOT NULL,
  ADD CONSTRAINT bookings_status_check
    CHECK (status IN ('pending', 'confirmed', 'completed', 'no_show', 'cancelled', 'expired')),
  ADD CONSTRAINT bookings_block_covers_appointment
    CHECK (block_start <= starts_at AND block_end >= ends_at),
  ADD CONSTRAINT bookings_block_is_buffered_appointment
    CHECK (block_start = starts_at - make_interval(mins => buffer_before_minutes)
       AND block_end = ends_at + make_interval(mins => buffer_after_minutes)),
  ADD CONSTRAINT bookings_pending_has_hold
    CHECK (status <> 'pending' OR hold_expires_at IS NOT NULL OR payment_mode = 'at_salon'),
  ADD CONSTRAINT bookings_cancel_has_actor
    CHECK (status <> 'cancelled' OR cancelled_by IS NOT NULL),
  -- The second guard: no two active bookings of one staff member may overlap, buffers included.
  ADD CONSTRAINT bookings_no_overlap EXCLUDE USING gist (
    staff_id WITH =,
    tstzrange(block_start, block_end, '[)') WITH &&
  ) WHERE (status IN ('pending', 'confirmed'));

CREATE INDEX bookings_customer ON bookings (customer_id, starts_at DESC);
CREATE INDEX bookings_salon_start ON bookings (salon_id, starts_at);
CREATE INDEX bookings_pending_hold ON bookings (hold_expires_at) WHERE status = 'pending';

-- Every status change (and every move), with who made it and why.
CREATE TABLE booking_events (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  booking_id uuid NOT NULL REFERENCES bookings ON DELETE CASCADE,
  at timestamptz NOT NULL,
  actor_user_id uuid REFERENCES users ON DELETE SET NULL,
  actor_role text NOT NULL CHECK (actor_role IN ('customer', 'salon', 'system')),
  kind text NOT NULL CHECK (kind IN ('created', 'status', 'rescheduled')),
  from_status text,
  to_status text NOT NULL,
  reason text CHECK (length(reason) <= 500),
  data jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX booking_events_booking ON booking_events (booking_id, at);

-- `Idempotency-Key` for booking creation: the same key and body replay the same booking; the same
-- key with another body is refused. Scoped per user so keys never collide across people.
CREATE TABLE idempotency_keys (
  user_id uuid NOT NULL REFERENCES users ON DELETE CASCADE,
  key text NOT NULL CHECK (length(key) BETWEEN 1 AND 200),
  scope text NOT NULL,
  request_hash text NOT NULL,
  booking_id uuid REFERENCES bookings ON DELETE CASCADE,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (user_id, scope, key)
);
