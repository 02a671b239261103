"""The project's own package: event contracts, messaging, config base and the
small pieces every service uses the same way (HTTP errors, MongoDB units of work)."""
