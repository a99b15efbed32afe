-- ZATCA phase 2: each VAT-registered salon is one e-invoicing unit with its key pair (the private
-- key sealed with ZATCA_KEY_ENCRYPTION_KEY), its certificates, and the head of its hash chain;
-- each stamped document keeps its XML, hash, counter value and its report to Fatoora (an outbox
-- row: claimed under a lease, retried with backoff, never changed once stamped).

CREATE TABLE zatca_units (
  salon_id uuid PRIMARY KEY REFERENCES salons ON DELETE CASCADE,
  -- 1-<solution>|2-<version>|3-<unit uuid>: the unit's serial number in the certificate.
  serial_number text NOT NULL CHECK (length(serial_number) BETWEEN 5 AND 200),
  common_name text NOT NULL CHECK (length(common_name) BETWEEN 1 AND 200),
  branch text NOT NULL CHECK (length(branch) BETWEEN 1 AND 200),
  industry text NOT NULL CHECK (length(industry) BETWEEN 1 AND 100),
  -- The seller's national address as ZATCA requires it (printed on every stamped document).
  street text NOT NULL CHECK (length(street) BETWEEN 1 AND 200),
  building_number text NOT NULL CHECK (building_number ~ '^[0-9]{4}$'),
  district text NOT NULL CHECK (length(district) BETWEEN 1 AND 100),
  city text NOT NULL CHECK (length(city) BETWEEN 1 AND 100),
  postal_zone text NOT NULL CHECK (postal_zone ~ '^[0-9]{5}$'),
  -- keys: key pair and CSR made; compliance: compliance certificate obtained; active: production
  -- certificate obtained, documents are stamped; failed: the last onboarding step failed.
  status text NOT NULL CHECK (status IN ('keys', 'compliance', 'active', 'failed')),
  private_key_sealed text NOT NULL,
  public_key bytea NOT NULL,
  csr bytea NOT NULL,
  compliance_request_id text,
  compliance_token text,
  compliance_secret_sealed text,
  production_token text,
  production_secret_sealed text,
  -- The production certificate (DER): the one that signs documents.
  certificate bytea,
  last_error text CHECK (length(last_error) <= 2000),
  -- The hash chain's head: the last counter value given and the hash of that document.
  last_icv bigint NOT NULL DEFAULT 0 CHECK (last_icv >= 0),
  last_hash text NOT NULL,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  CHECK (status <> 'active' OR (certificate IS NOT NULL AND production_token IS NOT NULL
    AND production_secret_sealed IS NOT NULL))
);

CREATE TABLE zatca_documents (
  invoice_id uuid PRIMARY KEY REFERENCES invoices,
  salon_id uuid NOT NULL REFERENCES salons,
  uuid uuid NOT NULL UNIQUE,
  icv bigint NOT NULL CHECK (icv > 0),
  pih text NOT NULL,
  hash text NOT NULL,
  xml text NOT NULL,
  qr text NOT NULL,
  -- queued: waiting for run_at; sending: claimed under a lease; retrying: the last attempt failed
  -- (network, 5xx, 429), due again at run_at; reported / reported_with_warnings / rejected:
  -- ZATCA's answer, final.
  status text NOT NULL DEFAULT 'queued' CHECK (status IN
    ('queued', 'sending', 'retrying', 'reported', 'reported_with_warnings', 'rejected')),
  attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  run_at timestamptz NOT NULL,
  locked_by text,
  locked_until timestamptz,
  last_error text CHECK (length(last_error) <= 2000),
  -- ZATCA's validation results as it answered them.
  response jsonb,
  -- Simplified documents must be reported within 24 hours of issue.
  deadline_at timestamptz NOT NULL,
  reported_at timestamptz,
  created_at timestamptz NOT NULL,
  UNIQUE (salon_id, icv),
  CHECK (status <> 'sending' OR (locked_by IS NOT NULL AND locked_until IS NOT NULL))
);
CREATE INDEX zatca_documents_due ON zatca_documents (run_at) WHERE status IN ('queued', 'retrying');
CREATE INDEX zatca_documents_lease ON zatca_documents (locked_until) WHERE status = 'sending';
CREATE INDEX zatca_documents_attention ON zatca_documents (salon_id, deadline_at)
  WHERE status NOT IN ('reported');

-- What was stamped never changes: only the report's bookkeeping columns may move, and a final
-- answer is final.
CREATE FUNCTION zatca_documents_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' OR NEW.uuid <> OLD.uuid OR NEW.icv <> OLD.icv OR NEW.pih <> OLD.pih
     OR NEW.hash <> OLD.hash OR NEW.xml <> OLD.xml OR NEW.qr <> OLD.qr
     OR NEW.invoice_id <> OLD.invoice_id OR NEW.salon_id <> OLD.salon_id
     OR OLD.status IN ('reported', 'reported_with_warnings', 'rejected') THEN
    RAISE EXCEPTION 'a stamped document cannot be changed' USING ERRCODE = 'restrict_violation';
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER zatca_documents_immutable BEFORE UPDATE OR DELETE ON zatca_documents
  FOR EACH ROW EXECUTE FUNCTION zatca_documents_immutable();
