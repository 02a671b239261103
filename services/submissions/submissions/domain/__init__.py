"""The submissions domain: entries, and the editions and enrolments they depend on."""
