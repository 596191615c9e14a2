-- Outbox retention: purging delivered messages finds them by delivery time through this
-- partial index, without scanning the pending and dead rows.

CREATE INDEX bookingkit_outbox_delivered ON bookingkit_outbox (delivered_at) WHERE status = 'delivered';
