-- Visits: a booking is one or more items (a service, the staff member doing it, its own times,
-- buffers and price) for one or more guests (the customer who books is guest 0; named guests
-- follow). The exclusion constraint moves from bookings to items: no staff member is ever in two
-- blocking items at once, whatever inserts them.
--
-- A bookings row keeps its lead item's service and staff (guest 0's first item) so lists that
-- show one line per booking need no join; its times are the visit's envelope (earliest item start,
-- latest item end, widest block) and its price the sum of its active items. Inserting a bookings
-- row inserts guest 0 and the lead item from the row's own columns (trigger below), so every
-- existing write path keeps working and every booking has at least one item; booking creation
-- adds the other items and then widens the row to the envelope.

CREATE TABLE booking_guests (
  booking_id uuid NOT NULL REFERENCES bookings ON DELETE CASCADE,
  salon_id uuid NOT NULL REFERENCES salons ON DELETE CASCADE,
  position smallint NOT NULL CHECK (position BETWEEN 0 AND 9),
  -- Guest 0 is the booking's customer: their name and phone are the account's.
  name text CHECK (length(name) BETWEEN 1 AND 80),
  phone text CHECK (phone ~ '^\+[1-9][0-9]{6,14}$'),
  PRIMARY KEY (booking_id, position),
  CHECK (position = 0 OR name IS NOT NULL),
  CHECK (position > 0 OR (name IS NULL AND phone IS NULL))
);

CREATE TABLE booking_items (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  booking_id uuid NOT NULL REFERENCES bookings ON DELETE CASCADE,
  salon_id uuid NOT NULL REFERENCES salons ON DELETE CASCADE,
  guest smallint NOT NULL,
  -- The order the visit was chosen in; one guest's items run back to back in this order.
  position smallint NOT NULL CHECK (position BETWEEN 0 AND 19),
  service_id uuid NOT NULL,
  staff_id uuid NOT NULL,
  starts_at timestamptz NOT NULL,
  ends_at timestamptz NOT NULL,
  block_start timestamptz NOT NULL,
  block_end timestamptz NOT NULL,
  duration_minutes integer NOT NULL CHECK (duration_minutes > 0),
  buffer_before_minutes integer NOT NULL CHECK (buffer_before_minutes >= 0),
  buffer_after_minutes integer NOT NULL CHECK (buffer_after_minutes >= 0),
  price_halalas integer NOT NULL CHECK (price_halalas >= 0),
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'cancelled')),
  cancelled_at timestamptz,
  -- Derived by a trigger (never written by code): the item is active and its booking is pending
  -- or confirmed. The exclusion constraint applies to blocking items only.
  blocking boolean NOT NULL DEFAULT true,
  UNIQUE (booking_id, position),
  FOREIGN KEY (booking_id, guest) REFERENCES booking_guests (booking_id, position)
    ON DELETE CASCADE,
  FOREIGN KEY (service_id, salon_id) REFERENCES services (id, salon_id),
  FOREIGN KEY (staff_id, salon_id) REFERENCES staff (id, salon_id),
  CHECK (starts_at < ends_at),
  CHECK (ends_at - starts_at <= interval '12 hours'),
  CHECK (block_start = starts_at - make_interval(mins => buffer_before_minutes)
     AND block_end = ends_at + make_interval(mins => buffer_after_minutes)),
  CHECK ((status = 'cancelled') = (cancelled_at IS NOT NULL)),
  -- Checked at the end of each statement (not row by row), so one UPDATE can move every item of
  -- a visit, even into each other's old places.
  CONSTRAINT booking_items_no_overlap EXCLUDE USING gist (
    staff_id WITH =,
    tstzrange(block_start, block_end, '[)') WITH &&
  ) WHERE (blocking) DEFERRABLE INITIALLY IMMEDIATE
);
CREATE INDEX booking_items_booking ON booking_items (booking_id, position);
-- The slot loader's lookup: a staff member's blocking items in a time window.
CREATE INDEX booking_items_staff_active ON booking_items (staff_id, starts_at) WHERE blocking;
CREATE INDEX booking_items_salon_start ON booking_items (salon_id, starts_at);

CREATE FUNCTION booking_item_blocking() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.blocking := NEW.status = 'active' AND EXISTS (
    SELECT 1 FROM bookings b WHERE b.id = NEW.booking_id AND b.status IN ('pending', 'confirmed'));
  RETURN NEW;
END
$$;
CREATE TRIGGER booking_items_blocking BEFORE INSERT OR UPDATE ON booking_items
  FOR EACH ROW EXECUTE FUNCTION booking_item_blocking();

-- A booking's status change re-derives its items' `blocking` (an expired booking paid late and
-- confirmed blocks again, and the constraint judges it then).
CREATE FUNCTION booking_status_to_items() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE booking_items SET status = status WHERE booking_id = NEW.id;
  RETURN NULL;
END
$$;
CREATE TRIGGER bookings_status_items AFTER UPDATE OF status ON bookings
  FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status)
  EXECUTE FUNCTION booking_status_to_items();

CREATE FUNCTION booking_lead_item() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO booking_guests (booking_id, salon_id, position) VALUES (NEW.id, NEW.salon_id, 0);
  INSERT INTO booking_items (
    booking_id, salon_id, guest, position, service_id, staff_id, starts_at, ends_at,
    block_start, block_end, duration_minutes, buffer_before_minutes, buffer_after_minutes,
    price_halalas)
  VALUES (
    NEW.id, NEW.salon_id, 0, 0, NEW.service_id, NEW.staff_id, NEW.starts_at, NEW.ends_at,
    NEW.starts_at - make_interval(mins => NEW.buffer_before_minutes),
    NEW.ends_at + make_interval(mins => NEW.buffer_after_minutes),
    NEW.duration_minutes,
    NEW.buffer_before_minutes, NEW.buffer_after_minutes, NEW.price_halalas);
  RETURN NULL;
END
$$;

-- The existing bookings become one-guest, one-item visits, losing nothing: the item carries the
-- booking's exact times, buffers, staff, service and price; a cancelled or finished booking's
-- item does not block. The old constraint held, so the new one holds for these rows.
INSERT INTO booking_guests (booking_id, salon_id, position) SELECT id, salon_id, 0 FROM bookings;
INSERT INTO booking_items (
  booking_id, salon_id, guest, position, service_id, staff_id, starts_at, ends_at, block_start,
  block_end, duration_minutes, buffer_before_minutes, buffer_after_minutes, price_halalas)
SELECT id, salon_id, 0, 0, service_id, staff_id, starts_at, ends_at, block_start, block_end,
  duration_minutes, buffer_before_minutes, buffer_after_minutes, price_halalas
FROM bookings;

CREATE TRIGGER bookings_lead_item AFTER INSERT ON bookings
  FOR EACH ROW EXECUTE FUNCTION booking_lead_item();

-- The row is the visit's envelope now; the items carry the buffered blocks and the guard.
ALTER TABLE bookings
  DROP CONSTRAINT bookings_no_overlap,
  DROP CONSTRAINT bookings_block_is_buffered_appointment;
DROP INDEX bookings_staff_active;

-- Cancelling one item of a visit is a history row of its own.
ALTER TABLE booking_events DROP CONSTRAINT booking_events_kind_check;
ALTER TABLE booking_events ADD CONSTRAINT booking_events_kind_check
  CHECK (kind IN ('created', 'status', 'rescheduled', 'item_cancelled'));
