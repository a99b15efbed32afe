-- A visit's documents by booking: the customer's booking page and "my bookings" list each visit's
-- invoice and credit notes in the same query as the bookings, and short links in messages
-- (`/b/<code>/invoice`, `/b/<code>/credit-<n>`) find them from the booking. The unique index
-- invoices_one_per_booking covers invoices only (kind = 'invoice'), not credit notes.
CREATE INDEX invoices_booking ON invoices (booking_id, kind, number);
