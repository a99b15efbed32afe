-- Every tenant table carries the salon's id (docs/scaling.md: sharding by salon with Citus). The
-- tables that reached their salon only through a parent row get `salon_id`, backfilled from the
-- parent and, for rows written without it, filled by a trigger from the parent at insert, so no
-- write path has to change. A message about no booking (a team invitation) belongs to no salon.
-- Each new column is deleted with its parent's salon as the parent row is.

CREATE FUNCTION fill_salon_id() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- TG_ARGV: the parent table and this table's column that points at it.
  IF NEW.salon_id IS NULL THEN
    EXECUTE format('SELECT salon_id FROM %I WHERE id = $1', TG_ARGV[0])
      INTO NEW.salon_id USING (to_jsonb(NEW) ->> TG_ARGV[1])::uuid;
  END IF;
  RETURN NEW;
END
$$;

ALTER TABLE staff_hours ADD COLUMN salon_id uuid REFERENCES salons ON DELETE CASCADE;
UPDATE staff_hours c SET salon_id = p.salon_id FROM staff p WHERE p.id = c.staff_id;
ALTER TABLE staff_hours ALTER COLUMN salon_id SET NOT NULL;
CREATE TRIGGER staff_hours_salon BEFORE INSERT ON staff_hours
  FOR EACH ROW EXECUTE FUNCTION fill_salon_id('staff', 'staff_id');

ALTER TABLE staff_time_off ADD COLUMN salon_id uuid REFERENCES salons ON DELETE CASCADE;
UPDATE staff_time_off c SET salon_id = p.salon_id FROM staff p WHERE p.id = c.staff_id;
ALTER TABLE staff_time_off ALTER COLUMN salon_id SET NOT NULL;
CREATE TRIGGER staff_time_off_salon BEFORE INSERT ON staff_time_off
  FOR EACH ROW EXECUTE FUNCTION fill_salon_id('staff', 'staff_id');

ALTER TABLE booking_events ADD COLUMN salon_id uuid REFERENCES salons ON DELETE CASCADE;
UPDATE booking_events c SET salon_id = p.salon_id FROM bookings p WHERE p.id = c.booking_id;
ALTER TABLE booking_events ALTER COLUMN salon_id SET NOT NULL;
CREATE TRIGGER booking_events_salon BEFORE INSERT ON booking_events
  FOR EACH ROW EXECUTE FUNCTION fill_salon_id('bookings', 'booking_id');

ALTER TABLE booking_links ADD COLUMN salon_id uuid REFERENCES salons ON DELETE CASCADE;
UPDATE booking_links c SET salon_id = p.salon_id FROM bookings p WHERE p.id = c.booking_id;
ALTER TABLE booking_links ALTER COLUMN salon_id SET NOT NULL;
CREATE TRIGGER booking_links_salon BEFORE INSERT ON booking_links
  FOR EACH ROW EXECUTE FUNCTION fill_salon_id('bookings', 'booking_id');

ALTER TABLE messages ADD COLUMN salon_id uuid REFERENCES salons ON DELETE SET NULL;
UPDATE messages c SET salon_id = p.salon_id FROM bookings p WHERE p.id = c.booking_id;
CREATE TRIGGER messages_salon BEFORE INSERT ON messages
  FOR EACH ROW EXECUTE FUNCTION fill_salon_id('bookings', 'booking_id');

ALTER TABLE payment_events ADD COLUMN salon_id uuid REFERENCES salons;
UPDATE payment_events c SET salon_id = p.salon_id FROM payments p WHERE p.id = c.payment_id;
ALTER TABLE payment_events ALTER COLUMN salon_id SET NOT NULL;
CREATE TRIGGER payment_events_salon BEFORE INSERT ON payment_events
  FOR EACH ROW EXECUTE FUNCTION fill_salon_id('payments', 'payment_id');

ALTER TABLE payment_actions ADD COLUMN salon_id uuid REFERENCES salons;
UPDATE payment_actions c SET salon_id = p.salon_id FROM payments p WHERE p.id = c.payment_id;
ALTER TABLE payment_actions ALTER COLUMN salon_id SET NOT NULL;
CREATE TRIGGER payment_actions_salon BEFORE INSERT ON payment_actions
  FOR EACH ROW EXECUTE FUNCTION fill_salon_id('payments', 'payment_id');

ALTER TABLE review_events ADD COLUMN salon_id uuid REFERENCES salons ON DELETE CASCADE;
UPDATE review_events c SET salon_id = p.salon_id FROM reviews p WHERE p.id = c.review_id;
ALTER TABLE review_events ALTER COLUMN salon_id SET NOT NULL;
CREATE TRIGGER review_events_salon BEFORE INSERT ON review_events
  FOR EACH ROW EXECUTE FUNCTION fill_salon_id('reviews', 'review_id');
