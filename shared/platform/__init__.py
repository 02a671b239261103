"""The infrastructure every service uses the same way: settings, tokens and the
table of rules, HTTP, persistence (MongoDB units of work, outbox) and messaging."""
