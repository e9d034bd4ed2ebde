-- Why the last delivery to a subscription failed (a refused address, a timeout, a 4xx), beside its status.
ALTER TABLE webhooks ADD COLUMN last_error text;
