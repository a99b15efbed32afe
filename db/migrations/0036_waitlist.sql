-- The waitlist: a customer who found no time that suits asks to be told when one frees up, for a
-- service (or a visit of several), a staff member or anyone, a day and a time range in the salon's
-- zone. A job (any instance, SKIP LOCKED per salon) offers freed times; an offer is a secret link
-- that keeps the time for its few first customers for a few minutes; the first to confirm books
-- it through the ordinary booking path (staff lock, slot re-check, exclusion constraint).

CREATE TABLE waitlist_entries (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  salon_id uuid NOT NULL REFERENCES salons ON DELETE CASCADE,
  customer_id uuid NOT NULL REFERENCES users ON DELETE CASCADE,
  -- In visit order; one for a one-service wish.
  service_ids uuid[] NOT NULL CHECK (cardinality(service_ids) BETWEEN 1 AND 5),
  -- NULL: anyone.
  staff_id uuid REFERENCES staff ON DELETE CASCADE,
  day date NOT NULL,
  -- Local minutes of the day: starts wanted from `from_minute` up to (excluding) `to_minute`.
  from_minute smallint NOT NULL CHECK (from_minute BETWEEN 0 AND 1439),
  to_minute smallint NOT NULL CHECK (to_minute BETWEEN 1 AND 1440),
  -- waiting: offers may come; booked: an offer was taken; left: the customer left the list;
  -- expired: the day passed.
  status text NOT NULL DEFAULT 'waiting' CHECK (status IN ('waiting', 'booked', 'left', 'expired')),
  booking_id uuid REFERENCES bookings ON DELETE SET NULL,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  CONSTRAINT waitlist_entries_range CHECK (from_minute < to_minute)
);
-- One waiting wish per customer, salon and day (joining again updates it).
CREATE UNIQUE INDEX waitlist_entries_one_waiting
  ON waitlist_entries (salon_id, customer_id, day) WHERE status = 'waiting';
CREATE INDEX waitlist_entries_salon_day ON waitlist_entries (salon_id, day, created_at);
-- The job's sweep of waiting wishes whose day has passed.
CREATE INDEX waitlist_entries_waiting ON waitlist_entries (day) WHERE status = 'waiting';
CREATE INDEX waitlist_entries_customer ON waitlist_entries (customer_id);

CREATE TABLE waitlist_offers (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  salon_id uuid NOT NULL REFERENCES salons ON DELETE CASCADE,
  entry_id uuid NOT NULL REFERENCES waitlist_entries ON DELETE CASCADE,
  customer_id uuid NOT NULL REFERENCES users ON DELETE CASCADE,
  -- The link's secret: /waitlist/offers/<token>.
  token text NOT NULL CHECK (token ~ '^[A-Za-z0-9_-]{16,64}$'),
  starts_at timestamptz NOT NULL,
  -- open: may be confirmed until expires_at; taken: this customer booked it; gone: someone else
  -- did (or the time was taken otherwise); expired: nobody confirmed in time.
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'taken', 'gone', 'expired')),
  expires_at timestamptz NOT NULL,
  offered_by text NOT NULL CHECK (offered_by IN ('system', 'salon')),
  booking_id uuid REFERENCES bookings ON DELETE SET NULL,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  CONSTRAINT waitlist_offers_token_key UNIQUE (token),
  -- A customer is never offered the same time twice (at one salon), whatever their entries.
  CONSTRAINT waitlist_offers_once UNIQUE (salon_id, customer_id, starts_at)
);
CREATE INDEX waitlist_offers_open ON waitlist_offers (salon_id, starts_at) WHERE status = 'open';
CREATE INDEX waitlist_offers_entry ON waitlist_offers (entry_id);
CREATE INDEX waitlist_offers_customer ON waitlist_offers (customer_id);

-- Which salons have a list to look at, and when each was last scanned (the job's lock rows).
CREATE TABLE waitlist_scans (
  salon_id uuid PRIMARY KEY REFERENCES salons ON DELETE CASCADE,
  scanned_at timestamptz NOT NULL DEFAULT '-infinity'
);
