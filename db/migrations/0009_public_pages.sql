-- Public pages (home, salon, booking, reviews) are rendered once and served to every signed-out
-- visitor until something they show changes. Every change to a row those pages read announces
-- itself on the `public_pages` channel with the salon it belongs to ('' when it could touch every
-- salon), so each app instance drops exactly the pages that changed. The triggers are here, not in
-- the services, so no code path can change a public page and forget to say so. Notifications are
-- sent at commit (never for a rolled-back change) and duplicates within one transaction collapse.

CREATE FUNCTION notify_public_pages() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  changed jsonb := to_jsonb(CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END);
  salon text;
BEGIN
  salon := CASE TG_ARGV[0]
    WHEN 'staff_id' THEN (SELECT s.salon_id::text FROM staff s
                          WHERE s.id = (changed ->> 'staff_id')::uuid)
    WHEN '' THEN ''
    ELSE changed ->> TG_ARGV[0]
  END;
  PERFORM pg_notify('public_pages', coalesce(salon, ''));
  IF TG_OP = 'UPDATE' AND TG_ARGV[0] = 'salon_id'
     AND (to_jsonb(OLD) ->> 'salon_id') IS DISTINCT FROM salon THEN
    PERFORM pg_notify('public_pages', coalesce(to_jsonb(OLD) ->> 'salon_id', ''));
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER salons_public_pages AFTER INSERT OR UPDATE OR DELETE ON salons
  FOR EACH ROW EXECUTE FUNCTION notify_public_pages('id');
CREATE TRIGGER salon_hours_public_pages AFTER INSERT OR UPDATE OR DELETE ON salon_hours
  FOR EACH ROW EXECUTE FUNCTION notify_public_pages('salon_id');
CREATE TRIGGER salon_closures_public_pages AFTER INSERT OR UPDATE OR DELETE ON salon_closures
  FOR EACH ROW EXECUTE FUNCTION notify_public_pages('salon_id');
CREATE TRIGGER salon_breaks_public_pages AFTER INSERT OR UPDATE OR DELETE ON salon_breaks
  FOR EACH ROW EXECUTE FUNCTION notify_public_pages('salon_id');
CREATE TRIGGER services_public_pages AFTER INSERT OR UPDATE OR DELETE ON services
  FOR EACH ROW EXECUTE FUNCTION notify_public_pages('salon_id');
CREATE TRIGGER staff_public_pages AFTER INSERT OR UPDATE OR DELETE ON staff
  FOR EACH ROW EXECUTE FUNCTION notify_public_pages('salon_id');
CREATE TRIGGER staff_services_public_pages AFTER INSERT OR UPDATE OR DELETE ON staff_services
  FOR EACH ROW EXECUTE FUNCTION notify_public_pages('salon_id');
CREATE TRIGGER staff_hours_public_pages AFTER INSERT OR UPDATE OR DELETE ON staff_hours
  FOR EACH ROW EXECUTE FUNCTION notify_public_pages('staff_id');
CREATE TRIGGER staff_time_off_public_pages AFTER INSERT OR UPDATE OR DELETE ON staff_time_off
  FOR EACH ROW EXECUTE FUNCTION notify_public_pages('staff_id');
-- Availability: every booking that takes, frees or moves time.
CREATE TRIGGER bookings_public_pages AFTER INSERT OR UPDATE OR DELETE ON bookings
  FOR EACH ROW EXECUTE FUNCTION notify_public_pages('salon_id');
CREATE TRIGGER reviews_public_pages AFTER INSERT OR UPDATE OR DELETE ON reviews
  FOR EACH ROW EXECUTE FUNCTION notify_public_pages('salon_id');
-- Reviews show their author's name: a renamed or deleted account changes pages of any salon.
CREATE TRIGGER users_public_pages AFTER UPDATE OF first_name, last_name OR DELETE ON users
  FOR EACH ROW EXECUTE FUNCTION notify_public_pages('');
