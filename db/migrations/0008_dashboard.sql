-- The manager dashboard: an audit log of every change made through it (and through /admin).
-- One row per mutation, written by the service that makes the change in the same transaction, so
-- a rolled-back change leaves no row and a committed one always has its row. Rows are never
-- updated or deleted by the application.
--
-- Team invitations need no table of their own: inviting a phone number creates the account if
-- there is none (not yet verified; the person logs in with the normal code flow) and its
-- salon_memberships row at once, and queues a text telling them so (messages outbox).

CREATE TABLE audit_log (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  -- The salon the change belongs to; NULL for platform-wide changes. Kept if the salon goes.
  salon_id uuid REFERENCES salons ON DELETE SET NULL,
  -- Who made it (NULL once their account is gone) and in which capacity.
  actor_user_id uuid REFERENCES users ON DELETE SET NULL,
  actor_role text NOT NULL CHECK (actor_role IN ('admin', 'manager', 'staff', 'system')),
  -- What: `<entity>.<verb>`, e.g. booking.cancel, service.update, team.invite.
  action text NOT NULL CHECK (action ~ '^[a-z_]+\.[a-z_]+$'),
  entity text NOT NULL CHECK (entity ~ '^[a-z_]+$'),
  -- The row changed (a uuid for every entity so far; text so future entities may differ).
  entity_id text CHECK (length(entity_id) <= 100),
  -- The changed row before and after (NULL before a creation / after a removal).
  before jsonb,
  after jsonb,
  at timestamptz NOT NULL,
  -- The HTTP request that made it (x-request-id), to find its log lines.
  request_id text CHECK (length(request_id) <= 64)
);

-- The audit page: a salon's newest rows, optionally of one kind, one entity or one person.
CREATE INDEX audit_log_salon_at ON audit_log (salon_id, at DESC, id);
CREATE INDEX audit_log_salon_action ON audit_log (salon_id, action, at DESC);
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id, at DESC);
CREATE INDEX audit_log_actor ON audit_log (actor_user_id, at DESC);
