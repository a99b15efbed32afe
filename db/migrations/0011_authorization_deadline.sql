-- A card hold (an authorized payment) is released before it lapses at the card network: the
-- payment job marks it 'authorization_lapsing' and the action runner voids it.
ALTER TABLE payments DROP CONSTRAINT payments_auto_refund_reason_check;
ALTER TABLE payments ADD CONSTRAINT payments_auto_refund_reason_check CHECK (auto_refund_reason IN (
  'slot_taken', 'booking_cancelled', 'duplicate', 'booking_closed', 'authorization_lapsing'
));
