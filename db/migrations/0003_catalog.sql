-- Catalog: salons and their settings, opening hours, closures, breaks, services, staff, staff hours
-- and time off, memberships (who manages a salon), and a minimal bookings table the slot loader
-- reads (the booking issue extends it with its exclusion constraint and lifecycle columns).

-- Folds the spellings people type interchangeably, so search matches them all: Arabic alef forms
-- (أ إ آ ٱ → ا), taa marbuta (ة → ه), alef maqsura (ى → ي); drops tatweel and harakat; lower case.
CREATE FUNCTION search_normalize(value text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE RETURNS NULL ON NULL INPUT
AS $$
  SELECT lower(translate(value, 'أإآٱةىـًٌٍَُِّْ', 'ااااهي'))
$$;

CREATE TABLE salons (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  slug text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND length(slug) <= 80),
  name_ar text NOT NULL CHECK (length(name_ar) BETWEEN 1 AND 120),
  name_en text NOT NULL CHECK (length(name_en) BETWEEN 1 AND 120),
  description_ar text NOT NULL DEFAULT '' CHECK (length(description_ar) <= 2000),
  description_en text NOT NULL DEFAULT '' CHECK (length(description_en) <= 2000),
  -- `city` is a stable key for filtering ("riyadh"); the display names sit beside it.
  city text NOT NULL CHECK (city ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
  city_ar text NOT NULL CHECK (length(city_ar) BETWEEN 1 AND 80),
  city_en text NOT NULL CHECK (length(city_en) BETWEEN 1 AND 80),
  district_ar text NOT NULL DEFAULT '' CHECK (length(district_ar) <= 120),
  district_en text NOT NULL DEFAULT '' CHECK (length(district_en) <= 120),
  address_ar text NOT NULL DEFAULT '' CHECK (length(address_ar) <= 300),
  address_en text NOT NULL DEFAULT '' CHECK (length(address_en) <= 300),
  latitude double precision CHECK (latitude BETWEEN -90 AND 90),
  longitude double precision CHECK (longitude BETWEEN -180 AND 180),
  phone text CHECK (phone ~ '^\+[1-9][0-9]{6,14}$'),
  whatsapp text CHECK (whatsapp ~ '^\+[1-9][0-9]{6,14}$'),
  -- An unknown zone name makes the expression raise, so a bad value can never be stored.
  timezone text NOT NULL DEFAULT 'Asia/Riyadh'
    CHECK ((timestamptz '2000-01-01 00:00:00+00' AT TIME ZONE timezone) IS NOT NULL),
  slot_step_minutes integer NOT NULL DEFAULT 15 CHECK (slot_step_minutes BETWEEN 5 AND 240),
  min_notice_minutes integer NOT NULL DEFAULT 60 CHECK (min_notice_minutes BETWEEN 0 AND 20160),
  horizon_days integer NOT NULL DEFAULT 60 CHECK (horizon_days BETWEEN 1 AND 365),
  hold_minutes integer NOT NULL DEFAULT 10 CHECK (hold_minutes BETWEEN 1 AND 120),
  cancellation_window_hours integer NOT NULL DEFAULT 24
    CHECK (cancellation_window_hours BETWEEN 0 AND 720),
  payment_mode text NOT NULL DEFAULT 'at_salon'
    CHECK (payment_mode IN ('at_salon', 'deposit', 'full')),
  deposit_percent integer NOT NULL DEFAULT 0 CHECK (deposit_percent BETWEEN 0 AND 100),
  rating_avg numeric(3, 2) NOT NULL DEFAULT 0 CHECK (rating_avg BETWEEN 0 AND 5),
  rating_count integer NOT NULL DEFAULT 0 CHECK (rating_count >= 0),
  active boolean NOT NULL DEFAULT true,
  search_name text GENERATED ALWAYS AS (
    search_normalize(name_ar) || ' ' || search_normalize(name_en)
  ) STORED,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT salons_deposit_percent_for_deposit_mode
    CHECK (payment_mode <> 'deposit' OR deposit_percent BETWEEN 1 AND 100)
);

CREATE INDEX salons_search_name_trgm ON salons USING gin (search_name gin_trgm_ops);
CREATE INDEX salons_city ON salons (city) WHERE active;

-- Weekly opening hours: several intervals per day are allowed; a day without rows is closed.
-- Hours past midnight are written as two rows (Thu 16:00–24:00 and Fri 00:00–02:00).
CREATE TABLE salon_hours (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  salon_id uuid NOT NULL REFERENCES salons ON DELETE CASCADE,
  weekday smallint NOT NULL CHECK (weekday BETWEEN 1 AND 7), -- ISO: 1 = Monday … 7 = Sunday
  start_minute smallint NOT NULL CHECK (start_minute BETWEEN 0 AND 1439),
  end_minute smallint NOT NULL CHECK (end_minute BETWEEN 1 AND 1440),
  CHECK (start_minute < end_minute)
);
CREATE INDEX salon_hours_salon ON salon_hours (salon_id, weekday, start_minute);

-- Whole-salon closures (Eid, renovation), shown to customers with their reason.
CREATE TABLE salon_closures (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  salon_id uuid NOT NULL REFERENCES salons ON DELETE CASCADE,
  starts_at timestamptz NOT NULL,
  ends_at timestamptz NOT NULL,
  reason_ar text NOT NULL DEFAULT '' CHECK (length(reason_ar) <= 200),
  reason_en text NOT NULL DEFAULT '' CHECK (length(reason_en) <= 200),
  CHECK (starts_at < ends_at)
);
CREATE INDEX salon_closures_salon ON salon_closures (salon_id, ends_at);

-- Salon-wide breaks in local wall-clock time (e.g. prayer times). None by default.
CREATE TABLE salon_breaks (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  salon_id uuid NOT NULL REFERENCES salons ON DELETE CASCADE,
  weekday smallint CHECK (weekday BETWEEN 1 AND 7), -- NULL = every day
  start_minute smallint NOT NULL CHECK (start_minute BETWEEN 0 AND 1439),
  end_minute smallint NOT NULL CHECK (end_minute BETWEEN 1 AND 1440),
  label_ar text NOT NULL DEFAULT '' CHECK (length(label_ar) <= 80),
  label_en text NOT NULL DEFAULT '' CHECK (length(label_en) <= 80),
  CHECK (start_minute < end_minute)
);
CREATE INDEX salon_breaks_salon ON salon_breaks (salon_id);

CREATE TABLE services (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  salon_id uuid NOT NULL REFERENCES salons ON DELETE CASCADE,
  category text NOT NULL CHECK (category IN (
    'hair', 'color', 'nails', 'skin', 'makeup', 'henna', 'bridal', 'massage', 'barber', 'other'
  )),
  name_ar text NOT NULL CHECK (length(name_ar) BETWEEN 1 AND 120),
  name_en text NOT NULL CHECK (length(name_en) BETWEEN 1 AND 120),
  description_ar text NOT NULL DEFAULT '' CHECK (length(description_ar) <= 1000),
  description_en text NOT NULL DEFAULT '' CHECK (length(description_en) <= 1000),
  duration_minutes integer NOT NULL CHECK (duration_minutes BETWEEN 5 AND 720),
  price_halalas integer NOT NULL CHECK (price_halalas >= 0),
  buffer_before_minutes integer NOT NULL DEFAULT 0 CHECK (buffer_before_minutes BETWEEN 0 AND 240),
  buffer_after_minutes integer NOT NULL DEFAULT 0 CHECK (buffer_after_minutes BETWEEN 0 AND 240),
  active boolean NOT NULL DEFAULT true,
  sort_order integer NOT NULL DEFAULT 0,
  search_name text GENERATED ALWAYS AS (
    search_normalize(name_ar) || ' ' || search_normalize(name_en)
  ) STORED,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  -- Lets staff_services (and bookings) require a service of the same salon.
  UNIQUE (id, salon_id)
);
CREATE INDEX services_salon ON services (salon_id, sort_order);
CREATE INDEX services_search_name_trgm ON services USING gin (search_name gin_trgm_ops);

CREATE TABLE staff (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  salon_id uuid NOT NULL REFERENCES salons ON DELETE CASCADE,
  user_id uuid REFERENCES users ON DELETE SET NULL,
  name_ar text NOT NULL CHECK (length(name_ar) BETWEEN 1 AND 80),
  name_en text NOT NULL CHECK (length(name_en) BETWEEN 1 AND 80),
  title_ar text NOT NULL DEFAULT '' CHECK (length(title_ar) <= 80),
  title_en text NOT NULL DEFAULT '' CHECK (length(title_en) <= 80),
  active boolean NOT NULL DEFAULT true,
  sort_order integer NOT NULL DEFAULT 0,
  -- false: works the salon's hours. true: works exactly the staff_hours rows (none on a day = off).
  custom_hours boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (id, salon_id)
);
CREATE INDEX staff_salon ON staff (salon_id, sort_order);
CREATE UNIQUE INDEX staff_salon_user ON staff (salon_id, user_id) WHERE user_id IS NOT NULL;

-- Which services each staff member performs, optionally with their own duration or price.
CREATE TABLE staff_services (
  staff_id uuid NOT NULL,
  service_id uuid NOT NULL,
  salon_id uuid NOT NULL,
  duration_minutes integer CHECK (duration_minutes BETWEEN 5 AND 720),
  price_halalas integer CHECK (price_halalas >= 0),
  PRIMARY KEY (staff_id, service_id),
  FOREIGN KEY (staff_id, salon_id) REFERENCES staff (id, salon_id) ON DELETE CASCADE,
  FOREIGN KEY (service_id, salon_id) REFERENCES services (id, salon_id) ON DELETE CASCADE
);
CREATE INDEX staff_services_service ON staff_services (service_id);

CREATE TABLE staff_hours (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  staff_id uuid NOT NULL REFERENCES staff ON DELETE CASCADE,
  weekday smallint NOT NULL CHECK (weekday BETWEEN 1 AND 7),
  start_minute smallint NOT NULL CHECK (start_minute BETWEEN 0 AND 1439),
  end_minute smallint NOT NULL CHECK (end_minute BETWEEN 1 AND 1440),
  CHECK (start_minute < end_minute)
);
CREATE INDEX staff_hours_staff ON staff_hours (staff_id, weekday, start_minute);

CREATE TABLE staff_time_off (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  staff_id uuid NOT NULL REFERENCES staff ON DELETE CASCADE,
  starts_at timestamptz NOT NULL,
  ends_at timestamptz NOT NULL,
  reason text NOT NULL DEFAULT '' CHECK (length(reason) <= 200),
  CHECK (starts_at < ends_at)
);
CREATE INDEX staff_time_off_staff ON staff_time_off (staff_id, ends_at);

-- Who may manage a salon (dashboard) or work in it.
CREATE TABLE salon_memberships (
  user_id uuid NOT NULL REFERENCES users ON DELETE CASCADE,
  salon_id uuid NOT NULL REFERENCES salons ON DELETE CASCADE,
  role text NOT NULL CHECK (role IN ('manager', 'staff')),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, salon_id)
);
CREATE INDEX salon_memberships_salon ON salon_memberships (salon_id);

-- Minimal bookings: exactly what the slot loader reads. The booking issue adds the exclusion
-- constraint, lifecycle and payment columns with ALTER TABLE.
CREATE TABLE bookings (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  salon_id uuid NOT NULL REFERENCES salons,
  service_id uuid NOT NULL,
  staff_id uuid NOT NULL,
  customer_id uuid REFERENCES users ON DELETE SET NULL,
  starts_at timestamptz NOT NULL,
  ends_at timestamptz NOT NULL,
  buffer_before_minutes integer NOT NULL DEFAULT 0 CHECK (buffer_before_minutes >= 0),
  buffer_after_minutes integer NOT NULL DEFAULT 0 CHECK (buffer_after_minutes >= 0),
  status text NOT NULL DEFAULT 'pending',
  -- A pending booking blocks its time only while its hold lasts (NULL = no expiry).
  hold_expires_at timestamptz,
  price_halalas integer NOT NULL CHECK (price_halalas >= 0),
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK (starts_at < ends_at),
  FOREIGN KEY (service_id, salon_id) REFERENCES services (id, salon_id),
  FOREIGN KEY (staff_id, salon_id) REFERENCES staff (id, salon_id)
);
-- The slot loader's lookup: a staff member's active bookings in a time window.
CREATE INDEX bookings_staff_active ON bookings (staff_id, starts_at)
  WHERE status IN ('pending', 'confirmed');
