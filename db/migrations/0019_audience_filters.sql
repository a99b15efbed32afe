-- Who a salon serves and how customers find it. In Saudi Arabia ladies' salons and men's barbers
-- are separate businesses: a salon declares its audience (ladies, gents, children; at least one),
-- and a staff member may state their gender. Search filters by audience, city and district,
-- service category, price, rating and availability; these indexes keep those filters cheap.

ALTER TABLE salons
  ADD COLUMN audience text[] NOT NULL DEFAULT ARRAY['ladies']::text[]
    CHECK (cardinality(audience) BETWEEN 1 AND 3
           AND audience <@ ARRAY['ladies', 'gents', 'children']::text[]),
  -- A stable key for the district filter, derived from the English name ("Al Olaya" → "al-olaya").
  ADD COLUMN district text GENERATED ALWAYS AS (
    btrim(lower(regexp_replace(district_en, '[^A-Za-z0-9]+', '-', 'g')), '-')
  ) STORED;

ALTER TABLE staff
  ADD COLUMN gender text CHECK (gender IN ('female', 'male'));

CREATE INDEX salons_audience ON salons USING gin (audience) WHERE active;
CREATE INDEX salons_city_district ON salons (city, district) WHERE active;
CREATE INDEX salons_rating ON salons (rating_avg DESC, rating_count DESC) WHERE active;
-- Category and price filters look for a salon's active services of a category and their prices.
CREATE INDEX services_salon_category ON services (salon_id, category, price_halalas) WHERE active;
