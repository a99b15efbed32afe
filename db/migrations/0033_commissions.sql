-- Commission per staff member (issue #22): a share of the services they did, in basis points,
-- optionally tiered by their sales in the calendar month. Each tier's rate applies to the part of
-- the month's sales from its threshold up to the next one (like tax brackets), so crossing a
-- threshold never lowers what was already earned. The first tier starts at 0.
CREATE TABLE staff_commissions (
  staff_id uuid PRIMARY KEY REFERENCES staff ON DELETE CASCADE,
  salon_id uuid NOT NULL REFERENCES salons ON DELETE CASCADE,
  -- [{"from_halalas": 0, "rate_bp": 3000}, {"from_halalas": 1000000, "rate_bp": 4000}]
  tiers jsonb NOT NULL CHECK (jsonb_typeof(tiers) = 'array' AND jsonb_array_length(tiers) BETWEEN 1 AND 5),
  updated_at timestamptz NOT NULL
);
CREATE INDEX staff_commissions_salon ON staff_commissions (salon_id);

-- The commission report sums a salon's invoice lines per staff member over a month.
CREATE INDEX invoice_lines_salon_staff ON invoice_lines (salon_id, staff_id);
