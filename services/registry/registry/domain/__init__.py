"""The registry's domain: KIMs, editions, enrolments, and the region reference data."""
