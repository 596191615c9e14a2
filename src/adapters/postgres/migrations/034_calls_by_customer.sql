-- Erasing a customer's personal data visits their calls: found by customer, not by a scan.

CREATE INDEX bookingkit_calls_customer ON bookingkit_calls (tenant_id, customer_id)
  WHERE customer_id IS NOT NULL;
