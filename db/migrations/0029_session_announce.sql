-- Signed-in page views skip the session lookup: each app instance keeps a live session's user for
-- a few seconds (routes/_session_cache.ts). Any change that could end a session or change what the
-- header shows for it (a revoked or deleted session, a disabled or renamed user, a dashboard
-- membership added or removed) announces the user on the `sessions` channel at commit, and every
-- instance forgets that user's sessions at once. As with public pages, the triggers live in the
-- database so no code path (a service, the worker, psql) can forget to say so.

CREATE FUNCTION notify_sessions() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  changed jsonb := to_jsonb(CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END);
BEGIN
  PERFORM pg_notify('sessions', coalesce(changed ->> TG_ARGV[0], ''));
  RETURN NULL;
END
$$;

CREATE TRIGGER sessions_announce AFTER UPDATE OR DELETE ON sessions
  FOR EACH ROW EXECUTE FUNCTION notify_sessions('user_id');
CREATE TRIGGER users_sessions_announce AFTER UPDATE OR DELETE ON users
  FOR EACH ROW EXECUTE FUNCTION notify_sessions('id');
CREATE TRIGGER salon_memberships_sessions_announce AFTER INSERT OR UPDATE OR DELETE ON salon_memberships
  FOR EACH ROW EXECUTE FUNCTION notify_sessions('user_id');
