-- Home service: a salon may offer some services at the customer's home, in the districts it lists
-- or within a radius of the salon. The staff member's travel time is blocked before and after
-- the visit (it widens the items' buffers, so the exclusion constraint guards it as it guards
-- salon visits), and an optional surcharge is added to the price.

ALTER TABLE salons
  ADD COLUMN home_radius_km numeric(5, 1) CHECK (home_radius_km > 0 AND home_radius_km <= 200),
  ADD COLUMN home_travel_minutes integer NOT NULL DEFAULT 30
    CHECK (home_travel_minutes BETWEEN 0 AND 180),
  ADD COLUMN home_surcharge_halalas integer NOT NULL DEFAULT 0
    CHECK (home_surcharge_halalas BETWEEN 0 AND 10000000);

-- The districts a salon comes to (a customer picks one of them).
CREATE TABLE salon_home_districts (
  salon_id uuid NOT NULL REFERENCES salons ON DELETE CASCADE,
  key text NOT NULL CHECK (key ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND length(key) <= 80),
  name_ar text NOT NULL CHECK (length(name_ar) BETWEEN 1 AND 120),
  name_en text NOT NULL CHECK (length(name_en) BETWEEN 1 AND 120),
  PRIMARY KEY (salon_id, key)
);

ALTER TABLE services ADD COLUMN at_home boolean NOT NULL DEFAULT false;
CREATE INDEX services_at_home ON services (salon_id) WHERE at_home AND active;

ALTER TABLE bookings
  ADD COLUMN location text NOT NULL DEFAULT 'salon' CHECK (location IN ('salon', 'home')),
  ADD COLUMN home_district_key text,
  ADD COLUMN home_district_name text CHECK (length(home_district_name) <= 120),
  ADD COLUMN home_address text CHECK (length(home_address) BETWEEN 5 AND 300),
  ADD COLUMN home_map_url text CHECK (home_map_url ~ '^https://' AND length(home_map_url) <= 500),
  ADD COLUMN home_notes text CHECK (length(home_notes) <= 500),
  ADD COLUMN home_surcharge_halalas integer NOT NULL DEFAULT 0
    CHECK (home_surcharge_halalas >= 0),
  ADD CONSTRAINT bookings_home_has_address CHECK ((location = 'home') = (home_address IS NOT NULL)),
  ADD CONSTRAINT bookings_surcharge_only_at_home
    CHECK (location = 'home' OR home_surcharge_halalas = 0);
