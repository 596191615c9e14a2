-- The tenant's locale: the language its callers are spoken to in. Existing tenants speak English.

ALTER TABLE bookingkit_tenants ADD COLUMN locale text NOT NULL DEFAULT 'en';
