-- Checkout and tax invoices: a salon's VAT registration, simplified tax invoices and credit notes
-- numbered per salon without gaps, their lines (each with its VAT rate, so a future rate change
-- never rewrites history), how each was paid, and a database that refuses to change an issued
-- document (except blanking a deleted customer's name and phone: PDPL).

ALTER TABLE salons
  ADD COLUMN vat_registered boolean NOT NULL DEFAULT false,
  -- 15 digits, first and last 3 (ZATCA's form for a VAT registration number).
  ADD COLUMN vat_number text CHECK (vat_number ~ '^3[0-9]{13}3$'),
  ADD COLUMN legal_name_ar text CHECK (length(legal_name_ar) BETWEEN 1 AND 200),
  ADD COLUMN legal_name_en text CHECK (length(legal_name_en) BETWEEN 1 AND 200),
  ADD COLUMN cr_number text CHECK (cr_number ~ '^[0-9]{10}$'),
  ADD CONSTRAINT salons_vat_registration_complete
    CHECK (NOT vat_registered OR (vat_number IS NOT NULL AND legal_name_ar IS NOT NULL));

-- The next number of each sequence: taken in the checkout's transaction, so a rolled-back
-- checkout gives its number back and two committed ones never share one.
CREATE TABLE invoice_counters (
  salon_id uuid NOT NULL REFERENCES salons ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('invoice', 'credit_note')),
  last_number integer NOT NULL CHECK (last_number >= 0),
  PRIMARY KEY (salon_id, kind)
);

CREATE TABLE invoices (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  salon_id uuid NOT NULL REFERENCES salons,
  booking_id uuid NOT NULL REFERENCES bookings,
  kind text NOT NULL CHECK (kind IN ('invoice', 'credit_note')),
  number integer NOT NULL CHECK (number > 0),
  -- A credit note's invoice.
  invoice_id uuid REFERENCES invoices,
  issued_at timestamptz NOT NULL,
  -- Whether it is a tax invoice (the salon was VAT-registered when it was issued).
  tax_invoice boolean NOT NULL,
  seller_name_ar text NOT NULL,
  seller_name_en text,
  seller_vat_number text,
  seller_cr_number text,
  seller_address_ar text NOT NULL,
  seller_address_en text NOT NULL,
  -- Blanked when the customer deletes their account; the document is kept (6 years at least).
  customer_name text,
  customer_phone text,
  customer_id uuid REFERENCES users,
  subtotal_halalas integer NOT NULL CHECK (subtotal_halalas >= 0),
  discount_halalas integer NOT NULL CHECK (discount_halalas >= 0),
  discount_reason text CHECK (length(discount_reason) <= 300),
  net_halalas integer NOT NULL CHECK (net_halalas >= 0),
  vat_halalas integer NOT NULL CHECK (vat_halalas >= 0),
  total_halalas integer NOT NULL CHECK (total_halalas >= 0),
  reason text CHECK (length(reason) <= 300),
  -- ZATCA's phase-1 QR payload (base64 TLV); NULL when not a tax invoice.
  qr text,
  issued_by uuid REFERENCES users,
  UNIQUE (salon_id, kind, number),
  CHECK ((kind = 'credit_note') = (invoice_id IS NOT NULL)),
  CHECK (net_halalas + vat_halalas = total_halalas),
  CHECK (subtotal_halalas - discount_halalas = total_halalas),
  CHECK (tax_invoice = (qr IS NOT NULL))
);
-- One invoice per visit (credit notes may be several).
CREATE UNIQUE INDEX invoices_one_per_booking ON invoices (booking_id) WHERE kind = 'invoice';
CREATE INDEX invoices_salon_issued ON invoices (salon_id, issued_at);
CREATE INDEX invoices_customer ON invoices (customer_id);
CREATE INDEX invoices_of_invoice ON invoices (invoice_id) WHERE invoice_id IS NOT NULL;

CREATE TABLE invoice_lines (
  invoice_id uuid NOT NULL REFERENCES invoices,
  salon_id uuid NOT NULL REFERENCES salons,
  position smallint NOT NULL CHECK (position >= 0),
  booking_item_id uuid REFERENCES booking_items,
  -- On a credit note: the position of the invoice's line it gives back.
  credited_position smallint,
  service_id uuid,
  staff_id uuid,
  description_ar text NOT NULL,
  description_en text NOT NULL,
  staff_name_ar text,
  staff_name_en text,
  quantity integer NOT NULL CHECK (quantity > 0),
  -- VAT-inclusive, as the catalog shows prices.
  unit_price_halalas integer NOT NULL CHECK (unit_price_halalas >= 0),
  discount_halalas integer NOT NULL CHECK (discount_halalas >= 0),
  -- Basis points: 1500 = 15 %.
  vat_rate_bp integer NOT NULL CHECK (vat_rate_bp BETWEEN 0 AND 10000),
  net_halalas integer NOT NULL CHECK (net_halalas >= 0),
  vat_halalas integer NOT NULL CHECK (vat_halalas >= 0),
  total_halalas integer NOT NULL CHECK (total_halalas >= 0),
  PRIMARY KEY (invoice_id, position),
  CHECK (unit_price_halalas * quantity - discount_halalas = total_halalas),
  CHECK (net_halalas + vat_halalas = total_halalas)
);

CREATE TABLE invoice_payments (
  invoice_id uuid NOT NULL REFERENCES invoices,
  salon_id uuid NOT NULL REFERENCES salons,
  position smallint NOT NULL CHECK (position >= 0),
  -- `online`: collected through Moyasar before checkout (the payment row); the rest at the
  -- counter. On a credit note: how the money went back.
  method text NOT NULL CHECK (method IN ('online', 'cash', 'card', 'stc_pay', 'bank_transfer')),
  amount_halalas integer NOT NULL CHECK (amount_halalas > 0),
  payment_id uuid REFERENCES payments,
  PRIMARY KEY (invoice_id, position)
);
CREATE INDEX invoice_payments_salon ON invoice_payments (salon_id, method);

-- An issued document never changes. The one exception: a deleted account's name and phone are
-- blanked on its invoices (the rest of the row must stay exactly as it was).
CREATE FUNCTION invoices_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND TG_TABLE_NAME = 'invoices' THEN
    IF to_jsonb(NEW) ->> 'customer_name' IS NULL AND to_jsonb(NEW) ->> 'customer_phone' IS NULL
       AND (to_jsonb(NEW) - 'customer_name' - 'customer_phone')
         = (to_jsonb(OLD) - 'customer_name' - 'customer_phone') THEN
      RETURN NEW;
    END IF;
  END IF;
  RAISE EXCEPTION 'issued invoices and credit notes cannot be changed (%)', TG_TABLE_NAME
    USING ERRCODE = 'restrict_violation';
END
$$;
CREATE TRIGGER invoices_immutable BEFORE UPDATE OR DELETE ON invoices
  FOR EACH ROW EXECUTE FUNCTION invoices_immutable();
CREATE TRIGGER invoice_lines_immutable BEFORE UPDATE OR DELETE ON invoice_lines
  FOR EACH ROW EXECUTE FUNCTION invoices_immutable();
CREATE TRIGGER invoice_payments_immutable BEFORE UPDATE OR DELETE ON invoice_payments
  FOR EACH ROW EXECUTE FUNCTION invoices_immutable();
