-- A visit's items take and free staff time, and a salon's home districts show on its pages: their
-- changes are announced like the bookings' (0009), so shared pages and slot lists end at once.
CREATE TRIGGER booking_items_public_pages AFTER INSERT OR UPDATE OR DELETE ON booking_items
  FOR EACH ROW EXECUTE FUNCTION notify_public_pages('salon_id');
CREATE TRIGGER salon_home_districts_public_pages
  AFTER INSERT OR UPDATE OR DELETE ON salon_home_districts
  FOR EACH ROW EXECUTE FUNCTION notify_public_pages('salon_id');
