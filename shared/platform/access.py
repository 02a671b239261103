"""Who may call what: one table of rules for every HTTP endpoint of every service.

Each service checks the caller's role against this table before anything else
runs (`shared.platform.http.authorize`): an endpoint missing from the table is refused
to everyone, and `tests/integration/test_access_rules.py` fails on it.

- `ALLOW`: the role may call the endpoint.
- `OWN`: the role may call it for what is theirs, which the endpoint checks once
  it knows what the request is about: a KIM representative for their own KIM
  (its profile, enrolments, entries); a judge for editions whose panel they sit
  on, as themselves, and never for an entry they have a conflict with.
- `DENY`: refused, 401 for anonymous callers (log in first), 403 for the rest.

Staff may act for anyone: they key in paper score sheets or a KIM's entry when
asked; the audit trail records who did.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from shared.kernel.principal import Role


class Access(StrEnum):
    ALLOW = "allow"
    OWN = "own"
    DENY = "deny"


ALLOW, OWN, DENY = Access.ALLOW, Access.OWN, Access.DENY


@dataclass(frozen=True)
class Rule:
    anonymous: Access = DENY
    staff: Access = DENY
    judge: Access = DENY
    kim_rep: Access = DENY

    def of(self, role: Role | None) -> Access:
        return self.anonymous if role is None else getattr(self, role)


EVERYONE = Rule(anonymous=ALLOW, staff=ALLOW, judge=ALLOW, kim_rep=ALLOW)
SIGNED_IN = Rule(staff=ALLOW, judge=ALLOW, kim_rep=ALLOW)
STAFF = Rule(staff=ALLOW)
STAFF_OR_OWN_KIM = Rule(staff=ALLOW, kim_rep=OWN)
STAFF_OR_OWN_JUDGE = Rule(staff=ALLOW, judge=OWN)
JUDGE_SELF = Rule(judge=OWN)

Endpoint = tuple[str, str]  # (method, path template)

#: Every service serves these (shared/service.py, dead letters and projections
#: only where the service consumes).
OPERATIONS: dict[Endpoint, Rule] = {
    ("GET", "/health"): EVERYONE,
    ("GET", "/ready"): EVERYONE,
    # Open like /health; an operator keeps it off the public internet (README, "Watching it run").
    ("GET", "/metrics"): EVERYONE,
    ("GET", "/asyncapi.json"): EVERYONE,
    ("GET", "/asyncapi"): EVERYONE,
    ("GET", "/openapi.json"): EVERYONE,
    ("GET", "/docs"): EVERYONE,
    ("GET", "/docs/oauth2-redirect"): EVERYONE,
    ("GET", "/docs/assets/{name}"): EVERYONE,
    ("POST", "/outbox/replay"): STAFF,
    ("GET", "/dead-letters"): STAFF,
    ("GET", "/dead-letters/{dead_letter_id}"): STAFF,
    ("POST", "/dead-letters/{dead_letter_id}/requeue"): STAFF,
    ("GET", "/projections"): STAFF,
    ("POST", "/projections/reset"): STAFF,
}

RULES: dict[str, dict[Endpoint, Rule]] = {
    "registry": {
        ("POST", "/auth/login"): EVERYONE,
        # The refresh token is the credential: whoever holds it may renew or end its session.
        ("POST", "/auth/refresh"): EVERYONE,
        ("POST", "/auth/logout"): EVERYONE,
        ("POST", "/auth/password-reset"): EVERYONE,
        ("POST", "/auth/password-reset/confirmation"): EVERYONE,
        ("POST", "/accounts/me/password"): SIGNED_IN,
        ("POST", "/registrations/confirmation"): EVERYONE,
        ("GET", "/accounts/me"): SIGNED_IN,
        ("GET", "/accounts"): STAFF,
        ("POST", "/accounts"): STAFF,
        ("POST", "/accounts/{account_id}/disable"): STAFF,
        ("POST", "/accounts/{account_id}/enable"): STAFF,
        ("GET", "/regions"): EVERYONE,
        # A KIM registers itself (and its representative's account), or staff do it for them.
        ("POST", "/kims"): Rule(anonymous=ALLOW, staff=ALLOW),
        ("GET", "/kims"): STAFF,
        ("GET", "/kims/{kim_id}"): STAFF_OR_OWN_KIM,
        ("PATCH", "/kims/{kim_id}"): STAFF_OR_OWN_KIM,
        # A verified KIM's profile, without contact details (404 until verified).
        ("GET", "/kims/{kim_id}/profile"): EVERYONE,
        ("POST", "/kims/{kim_id}/verification"): STAFF,
        # Published editions are public; drafts are staff's alone.
        ("GET", "/editions"): EVERYONE,
        ("GET", "/editions/{edition_id}"): EVERYONE,
        ("POST", "/editions"): STAFF,
        ("PATCH", "/editions/{edition_id}"): STAFF,
        ("POST", "/editions/{edition_id}/publication"): STAFF,
        ("POST", "/editions/{edition_id}/submissions-closure"): STAFF,
        ("POST", "/editions/{edition_id}/enrolments"): STAFF_OR_OWN_KIM,
        ("GET", "/editions/{edition_id}/enrolments"): STAFF_OR_OWN_KIM,
        ("GET", "/enrolments/{enrolment_id}"): STAFF_OR_OWN_KIM,
        ("POST", "/enrolments/{enrolment_id}/approval"): STAFF,
        ("POST", "/enrolments/{enrolment_id}/rejection"): STAFF,
    },
    "submissions": {
        ("GET", "/editions/{edition_id}/submission-window"): EVERYONE,
        ("POST", "/editions/{edition_id}/entries"): STAFF_OR_OWN_KIM,
        ("GET", "/editions/{edition_id}/entries"): STAFF_OR_OWN_KIM,
        ("GET", "/entries/{entry_id}"): STAFF_OR_OWN_KIM,
        ("PATCH", "/entries/{entry_id}"): STAFF_OR_OWN_KIM,
        ("POST", "/entries/{entry_id}/withdrawal"): STAFF_OR_OWN_KIM,
        ("POST", "/entries/{entry_id}/disqualification"): STAFF,
    },
    "judging": {
        ("GET", "/editions/{edition_id}"): STAFF_OR_OWN_JUDGE,
        ("PUT", "/editions/{edition_id}/rubric"): STAFF,
        ("PUT", "/editions/{edition_id}/judging-options"): STAFF,
        ("POST", "/editions/{edition_id}/judges"): STAFF,
        ("GET", "/editions/{edition_id}/judges"): STAFF,
        ("DELETE", "/editions/{edition_id}/judges/{judge_id}"): STAFF,
        ("POST", "/editions/{edition_id}/assignments"): STAFF,
        ("GET", "/editions/{edition_id}/assignments"): STAFF,
        ("GET", "/editions/{edition_id}/judges/{judge_id}/assignments"): STAFF_OR_OWN_JUDGE,
        # A judge's own desk: what they sit on, found by their account's email.
        ("GET", "/me/editions"): JUDGE_SELF,
        ("GET", "/me/editions/{edition_id}/entries"): JUDGE_SELF,
        # After the announcement (404 before): a KIM's own sheets, without notes or judges.
        ("GET", "/editions/{edition_id}/kims/{kim_id}/feedback"): STAFF_OR_OWN_KIM,
        ("PUT", "/editions/{edition_id}/entries/{entry_id}/sheets/{judge_id}"): STAFF_OR_OWN_JUDGE,
        ("PUT", "/editions/{edition_id}/entries/{entry_id}/sheets/{judge_id}/correction"): STAFF,
        # Every judge's sheets and scores: staff's alone until the announcement.
        ("GET", "/editions/{edition_id}/entries"): STAFF,
        ("GET", "/editions/{edition_id}/progress"): STAFF,
        ("GET", "/editions/{edition_id}/audit"): STAFF,
        ("GET", "/editions/{edition_id}/audit.csv"): STAFF,
        ("GET", "/editions/{edition_id}/ranking"): STAFF,
        ("GET", "/editions/{edition_id}/ties"): STAFF,
        ("POST", "/editions/{edition_id}/ties/{tie_id}/resolution"): STAFF,
        ("POST", "/editions/{edition_id}/snapshots"): STAFF,
        ("GET", "/editions/{edition_id}/snapshots"): STAFF,
        ("GET", "/editions/{edition_id}/snapshots/{version}"): STAFF,
        ("POST", "/editions/{edition_id}/snapshots/{version}/verification"): STAFF,
        ("POST", "/editions/{edition_id}/announcement"): STAFF,
        # Nothing shows before the announcement (the endpoint answers 404 until then).
        ("GET", "/editions/{edition_id}/results"): EVERYONE,
        ("GET", "/editions/{edition_id}/results/versions/{version}"): EVERYONE,
    },
    "voting": {
        ("PUT", "/editions/{edition_id}/vote-window"): STAFF,
        ("POST", "/editions/{edition_id}/vote-window/closing"): STAFF,
        ("GET", "/editions/{edition_id}/vote-window"): EVERYONE,
        # The public vote: anyone, proved by a one-time code and a proof-of-work, throttled.
        ("GET", "/challenge"): EVERYONE,
        ("POST", "/editions/{edition_id}/voter-codes"): EVERYONE,
        ("POST", "/editions/{edition_id}/votes"): EVERYONE,
        ("GET", "/editions/{edition_id}/gallery"): EVERYONE,
        ("GET", "/gallery"): EVERYONE,
        ("GET", "/editions/{edition_id}/tally"): STAFF,
        # 404 tally_not_public unless the edition shows counts or the tally is frozen.
        ("GET", "/editions/{edition_id}/public-tally"): EVERYONE,
        ("POST", "/editions/{edition_id}/tally/freeze"): STAFF,
        ("GET", "/editions/{edition_id}/flags"): STAFF,
        ("POST", "/editions/{edition_id}/votes/{vote_id}/voiding"): STAFF,
        ("POST", "/editions/{edition_id}/flags/{flag_id}/dismissal"): STAFF,
    },
    "notifications": {
        ("GET", "/event-types"): STAFF,
        ("GET", "/templates"): STAFF,
        ("GET", "/recipients"): STAFF,
        ("POST", "/recipients"): STAFF,
        # Everyone signed in has their own recipient: settings and inbox.
        ("GET", "/recipients/me"): SIGNED_IN,
        ("PUT", "/recipients/me"): SIGNED_IN,
        ("PUT", "/recipients/me/preferences"): SIGNED_IN,
        ("GET", "/recipients/me/inbox"): SIGNED_IN,
        ("POST", "/recipients/me/inbox/{delivery_id}/read"): SIGNED_IN,
        ("GET", "/editions/{edition_id}/reminders"): STAFF,
        ("PUT", "/editions/{edition_id}/reminders"): STAFF,
        ("GET", "/recipients/{recipient_id}"): STAFF,
        ("PATCH", "/recipients/{recipient_id}"): STAFF,
        ("GET", "/recipients/{recipient_id}/inbox"): STAFF,
        ("POST", "/recipients/{recipient_id}/inbox/{delivery_id}/read"): STAFF,
        ("GET", "/deliveries"): STAFF,
        ("GET", "/whatsapp/templates"): STAFF,
        # Called by the WhatsApp gateway, which has no token: the handshake checks
        # the verify token, a callback its X-Hub-Signature-256 (the app secret).
        ("GET", "/whatsapp/status"): EVERYONE,
        ("POST", "/whatsapp/status"): EVERYONE,
    },
}


def rules_for(service: str) -> dict[Endpoint, Rule]:
    return {**OPERATIONS, **RULES[service]}
