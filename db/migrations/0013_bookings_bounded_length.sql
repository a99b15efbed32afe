-- Past bookings stay in the table (most as `confirmed`), so the slot loader must not read a staff
-- member's whole history to find the few bookings near the dates it shows. It scans
-- bookings_staff_active (staff_id, starts_at) between two bounds: the window's end, and the
-- window's start minus the longest an appointment can last. This constraint makes that bound a
-- fact rather than an assumption: services last at most 720 minutes (services.duration_minutes).
ALTER TABLE bookings
  ADD CONSTRAINT bookings_appointment_at_most_12_hours
    CHECK (ends_at - starts_at <= interval '12 hours');
