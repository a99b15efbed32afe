-- Client records: one per salon and person, keyed by the person's phone in E.164 (unique per
-- salon, so two front-desk entries of one number, even at the same moment, are one client).
-- Created for every customer who books at the salon (trigger below, and the backfill) and for
-- walk-ins the front desk enters. Notes and tags are the team's, visible only to the salon; they
-- are the customer's personal data (privacy export) and go with their account (deleteAccount).
CREATE TABLE salon_clients (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  salon_id uuid NOT NULL REFERENCES salons ON DELETE CASCADE,
  user_id uuid NOT NULL REFERENCES users ON DELETE CASCADE,
  phone_e164 text NOT NULL CHECK (phone_e164 ~ '^\+[1-9][0-9]{7,14}$'),
  name text NOT NULL DEFAULT '' CHECK (length(name) <= 150),
  notes text NOT NULL DEFAULT '' CHECK (length(notes) <= 4000),
  tags text[] NOT NULL DEFAULT '{}' CHECK (cardinality(tags) <= 20),
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  UNIQUE (salon_id, phone_e164),
  UNIQUE (salon_id, user_id)
);
-- Search by name (prefix, any case) and by the digits of the phone.
CREATE INDEX salon_clients_name ON salon_clients (salon_id, lower(name) text_pattern_ops);
CREATE INDEX salon_clients_phone ON salon_clients (salon_id, phone_e164 text_pattern_ops);
CREATE INDEX salon_clients_user ON salon_clients (user_id);

-- Every booking's customer becomes (or stays) a client of the salon.
CREATE FUNCTION salon_client_of_booking() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.customer_id IS NOT NULL THEN
    INSERT INTO salon_clients (salon_id, user_id, phone_e164, name, created_at, updated_at)
    SELECT NEW.salon_id, u.id, u.phone_number, left(trim(u.first_name || ' ' || u.last_name), 150),
           NEW.created_at, NEW.created_at
    FROM users u
    WHERE u.id = NEW.customer_id AND u.deleted_at IS NULL
      AND u.phone_number ~ '^\+[1-9][0-9]{7,14}$'
    ON CONFLICT DO NOTHING;
  END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER bookings_salon_client AFTER INSERT ON bookings
  FOR EACH ROW EXECUTE FUNCTION salon_client_of_booking();

INSERT INTO salon_clients (salon_id, user_id, phone_e164, name, created_at, updated_at)
SELECT DISTINCT ON (b.salon_id, u.id) b.salon_id, u.id, u.phone_number,
       left(trim(u.first_name || ' ' || u.last_name), 150), min(b.created_at) OVER w, now()
FROM bookings b JOIN users u ON u.id = b.customer_id
WHERE u.deleted_at IS NULL AND u.phone_number ~ '^\+[1-9][0-9]{7,14}$'
WINDOW w AS (PARTITION BY b.salon_id, u.id)
ON CONFLICT DO NOTHING;
