-- Online payments through Moyasar (deposits and prepayment). One `payments` row is one Moyasar
-- invoice (a hosted payment page) for one booking; the customer may retry a declined card on that
-- page, and the Moyasar payment that moved money is remembered in `provider_payment_id`. Amounts
-- are integer halalas and can only be what the CHECKs allow: refunded ≤ captured ≤ amount.
-- Every change of state or money is a row of `payment_events` (the ledger: who, why, how much);
-- every capture, void and refund we ask Moyasar for is a `payment_actions` row written before the
-- call (the intent), so a crash between the call and its record is resolved by reconciliation.

CREATE TABLE payments (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  booking_id uuid NOT NULL REFERENCES bookings ON DELETE RESTRICT,
  salon_id uuid NOT NULL REFERENCES salons ON DELETE RESTRICT,
  customer_id uuid REFERENCES users ON DELETE SET NULL,
  -- What it pays for: the salon's deposit, or the whole price.
  purpose text NOT NULL CHECK (purpose IN ('deposit', 'full')),
  -- initiated: the invoice is open (a declined card may be retried on it);
  -- failed: it can no longer be paid (expired, cancelled, or Moyasar refused to create it);
  -- authorized: the card holds the amount until we capture or void it;
  -- paid / captured: the money is collected; partially_refunded / refunded: some / all returned;
  -- voided: the authorization or payment was cancelled before settlement.
  status text NOT NULL DEFAULT 'initiated' CHECK (status IN (
    'initiated', 'failed', 'authorized', 'paid', 'captured', 'partially_refunded', 'refunded',
    'voided'
  )),
  -- Moyasar's minimum charge is 1 SAR.
  amount_halalas integer NOT NULL CHECK (amount_halalas >= 100),
  currency text NOT NULL DEFAULT 'SAR' CHECK (currency = 'SAR'),
  -- Held on the card (authorized, not captured yet).
  authorized_halalas integer NOT NULL DEFAULT 0
    CHECK (authorized_halalas >= 0 AND authorized_halalas <= amount_halalas),
  -- Collected: paid, or captured from an authorization.
  captured_halalas integer NOT NULL DEFAULT 0
    CHECK (captured_halalas >= 0 AND captured_halalas <= amount_halalas),
  refunded_halalas integer NOT NULL DEFAULT 0 CHECK (refunded_halalas >= 0),
  CONSTRAINT payments_refunded_within_captured CHECK (refunded_halalas <= captured_halalas),
  CONSTRAINT payments_status_matches_amounts CHECK (CASE status
    WHEN 'initiated' THEN captured_halalas = 0 AND authorized_halalas = 0
    WHEN 'failed' THEN captured_halalas = 0 AND authorized_halalas = 0
    WHEN 'authorized' THEN authorized_halalas > 0 AND captured_halalas = 0
    WHEN 'paid' THEN captured_halalas > 0 AND refunded_halalas = 0
    WHEN 'captured' THEN captured_halalas > 0 AND refunded_halalas = 0
    WHEN 'partially_refunded' THEN refunded_halalas > 0 AND refunded_halalas < captured_halalas
    WHEN 'refunded' THEN refunded_halalas > 0 AND refunded_halalas = captured_halalas
    WHEN 'voided' THEN refunded_halalas = 0
  END),
  provider text NOT NULL DEFAULT 'moyasar' CHECK (provider = 'moyasar'),
  provider_invoice_id text UNIQUE CHECK (length(provider_invoice_id) BETWEEN 1 AND 100),
  provider_payment_id text UNIQUE CHECK (length(provider_payment_id) BETWEEN 1 AND 100),
  -- The hosted payment page, and when it stops taking payments (the end of the booking's hold).
  checkout_url text CHECK (length(checkout_url) <= 2000),
  expires_at timestamptz,
  -- Held while one request asks Moyasar for the hosted page, so two requests never open two.
  checkout_lock_until timestamptz,
  description text NOT NULL CHECK (length(description) BETWEEN 1 AND 255),
  locale text NOT NULL CHECK (locale IN ('ar', 'en')),
  -- Moyasar's message for the last declined attempt or failed call.
  last_error text CHECK (length(last_error) <= 1000),
  -- Set when the money must go back whatever happens next (the time was taken, the booking was
  -- cancelled, a second payment for one booking); the action runner refunds or voids it.
  auto_refund_reason text CHECK (auto_refund_reason IN (
    'slot_taken', 'booking_cancelled', 'duplicate', 'booking_closed'
  )),
  -- The last time reconciliation asked Moyasar about it.
  checked_at timestamptz,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);

-- At most one payment in progress per booking: a second request gets the same one.
CREATE UNIQUE INDEX payments_one_open_per_booking ON payments (booking_id)
  WHERE status IN ('initiated', 'authorized');
CREATE INDEX payments_booking ON payments (booking_id, created_at);
CREATE INDEX payments_salon ON payments (salon_id, created_at DESC);
-- Reconciliation's work list: payments whose outcome may still change by itself.
CREATE INDEX payments_unsettled ON payments (checked_at NULLS FIRST)
  WHERE status IN ('initiated', 'authorized', 'failed');
CREATE INDEX payments_refund_due ON payments (updated_at) WHERE auto_refund_reason IS NOT NULL;

-- The ledger: every change of a payment, who made it, why, and the money it moved
-- (+ collected, − given back); the sum over a payment is what we hold of the customer's money.
CREATE TABLE payment_events (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  payment_id uuid NOT NULL REFERENCES payments ON DELETE CASCADE,
  booking_id uuid NOT NULL,
  at timestamptz NOT NULL,
  kind text NOT NULL CHECK (kind IN (
    'created', 'checkout_opened', 'checkout_failed', 'status', 'attempt_failed',
    'capture_requested', 'void_requested', 'refund_requested', 'action_failed', 'refund_due',
    'rejected'
  )),
  from_status text,
  to_status text,
  amount_halalas integer NOT NULL DEFAULT 0,
  -- Where we learnt it: the customer's return, the webhook, reconciliation, our own call, …
  source text NOT NULL CHECK (source IN (
    'api', 'page', 'callback', 'webhook', 'reconcile', 'action', 'system'
  )),
  actor_user_id uuid REFERENCES users ON DELETE SET NULL,
  actor_role text NOT NULL CHECK (actor_role IN ('customer', 'salon', 'system')),
  reason text CHECK (length(reason) <= 500),
  data jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX payment_events_payment ON payment_events (payment_id, at);

-- Capture, void and refund: written (pending) before Moyasar is called, finished after. One at a
-- time per payment, so two refunds can never race past the refundable amount.
CREATE TABLE payment_actions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  payment_id uuid NOT NULL REFERENCES payments ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('capture', 'void', 'refund')),
  amount_halalas integer NOT NULL CHECK (amount_halalas > 0),
  -- Captured (capture) or refunded (refund) before this action: an attempt whose answer was lost
  -- counts as done when Moyasar shows at least base + amount.
  base_halalas integer NOT NULL DEFAULT 0 CHECK (base_halalas >= 0),
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'succeeded', 'failed')),
  -- Made by the system (auto refund) rather than asked for by a person.
  automatic boolean NOT NULL DEFAULT false,
  actor_user_id uuid REFERENCES users ON DELETE SET NULL,
  actor_role text NOT NULL CHECK (actor_role IN ('customer', 'salon', 'system')),
  reason text NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
  attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  -- A claimed attempt: nobody else calls Moyasar for this action until the lease lapses.
  locked_until timestamptz,
  last_error text CHECK (length(last_error) <= 1000),
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  completed_at timestamptz,
  CONSTRAINT payment_actions_done_has_time CHECK (status = 'pending' OR completed_at IS NOT NULL)
);
CREATE UNIQUE INDEX payment_actions_one_pending ON payment_actions (payment_id)
  WHERE status = 'pending';
CREATE INDEX payment_actions_due ON payment_actions (created_at) WHERE status = 'pending';

-- Moyasar's webhook deliveries, once each by event id (retries and replays change nothing).
CREATE TABLE webhook_events (
  provider text NOT NULL CHECK (provider = 'moyasar'),
  event_id text NOT NULL CHECK (length(event_id) BETWEEN 1 AND 100),
  type text NOT NULL CHECK (length(type) BETWEEN 1 AND 60),
  provider_payment_id text CHECK (length(provider_payment_id) <= 100),
  payment_id uuid REFERENCES payments ON DELETE SET NULL,
  received_at timestamptz NOT NULL,
  -- NULL until applied; reconciliation retries events whose processing failed.
  processed_at timestamptz,
  outcome text CHECK (outcome IN ('applied', 'unknown_payment', 'rejected', 'error')),
  attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  last_error text CHECK (length(last_error) <= 1000),
  CONSTRAINT webhook_events_event_unique UNIQUE (provider, event_id)
);
CREATE INDEX webhook_events_unprocessed ON webhook_events (received_at) WHERE processed_at IS NULL;
