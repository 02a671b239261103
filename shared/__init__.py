"""The project's own package, in layers; each imports only the layers below it
(checked by import-linter, see pyproject.toml):

- `shared.service`: how a service runs (one ASGI app: HTTP API, consumers, outbox relay).
- `shared.operations`: what operators use: dead letters, replay.
- `shared.platform`: the infrastructure every service uses the same way: settings,
  accounts and the table of rules, HTTP, persistence (MongoDB units of work), messaging.
- `shared.contracts`: the integration events every service publishes and consumes.
- `shared.kernel`: what a domain may use: errors people read, languages, clock,
  the aggregate base, the retry policy.
"""
