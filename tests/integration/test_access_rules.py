"""Who may do what, checked against the one table of rules in `shared/platform/access.py`.

1. Every HTTP endpoint of every service × every role (and anonymous) gets the
   table's answer: a denied role is refused at the door (401 anonymous, 403
   `role_not_allowed`), an allowed one is let through; an endpoint without a
   rule, or a rule without an endpoint, fails.
2. Every `OWN` cell of the table is exercised on real data: a KIM
   representative acts only for their own KIM, a judge only as themselves on a
   panel they sit on and never on an entry they declared a conflict with.
"""

from __future__ import annotations

import re
from typing import Any
from uuid import uuid4

import httpx
import pytest
from fastapi import FastAPI
from judging.main import create_app as create_judging
from notifications.main import create_app as create_notifications
from registry.main import create_app as create_registry
from submissions.main import create_app as create_submissions
from voting.main import create_app as create_voting

from shared.kernel.principal import ROLES, Principal
from shared.platform.access import DENY, OWN, RULES, rules_for

from ..support import bearer_for, eventually, judge_bearer, serving
from .flows import edition_body, entry_body, kim_body, ok

CREATE = {
    "registry": create_registry,
    "submissions": create_submissions,
    "judging": create_judging,
    "notifications": create_notifications,
    "voting": create_voting,
}
#: Where these tests tally what they checked; printed at the end of the run.
CHECKED: dict[str, int] = {}


def endpoints(app: FastAPI) -> set[tuple[str, str]]:
    """Every (method, path) the app answers: its OpenAPI operations and the
    documentation routes outside them."""
    found = {
        (method.upper(), path) for path, operations in app.openapi()["paths"].items() for method in operations
    }
    docs = [app.openapi_url, app.docs_url, app.redoc_url, app.swagger_ui_oauth2_redirect_url]
    return found | {("GET", path) for path in docs if path}


def concrete(path: str) -> str:
    """The path with every parameter filled in: an id nobody has, version 1."""
    return re.sub(r"\{(\w+)\}", lambda m: "1" if m.group(1) == "version" else str(uuid4()), path)


def principal(role: str | None) -> Principal | None:
    if role is None:
        return None
    return Principal(
        account_id=uuid4(),
        role=role,  # type: ignore[arg-type]
        email=f"{role}@example.id",
        kim_id=uuid4() if role == "kim_rep" else None,
    )


@pytest.mark.parametrize("service", list(CREATE))
async def test_every_endpoint_answers_every_role_as_the_table_says(settings_for: Any, service: str) -> None:
    app = CREATE[service](settings_for(service))
    served = endpoints(app)
    rules = rules_for(service)
    assert served - rules.keys() == set(), "endpoints without a rule in shared/platform/access.py"
    assert RULES[service].keys() - served == set(), "rules for endpoints that do not exist"

    pairs = 0
    paths = app.openapi()["paths"]
    async with serving(app, service, caller=None) as http:
        for method, path in sorted(served):
            rule = rules[(method, path)]
            for role in (None, *ROLES):
                caller = principal(role)
                headers = bearer_for(app, caller) if caller else {}
                body = {"json": {}} if method in {"POST", "PUT", "PATCH"} else {}
                response = await http.request(method, concrete(path), headers=headers, **body)
                code = response.json().get("error", {}).get("code") if response.content[:1] == b"{" else None
                where = f"{service} {method} {path} as {role or 'anonymous'}: {response.status_code} {code}"
                if path in paths:  # the answer is one its OpenAPI operation documents
                    assert str(response.status_code) in paths[path][method.lower()]["responses"], where
                if rule.of(role) is DENY:
                    expected = (401, "unauthenticated") if role is None else (403, "role_not_allowed")
                    assert (response.status_code, code) == expected, where
                else:
                    assert response.status_code != 401 and code != "role_not_allowed", where
                    assert response.status_code < 500, where
                pairs += 1
    CHECKED[f"{service}: endpoints × roles"] = pairs


async def test_a_bad_token_is_refused_even_where_anyone_may_read(settings_for: Any) -> None:
    app = create_registry(settings_for("registry"))
    async with serving(app, "registry", caller=None) as http:
        assert (await http.get("/regions")).status_code == 200
        forged = bearer_for(app, principal("staff"))["Authorization"][:-4] + "AAAA"
        for headers in ({"Authorization": forged}, {"Authorization": "Basic c3RhZmY6c3RhZmY="}):
            response = await http.get("/regions", headers=headers)
            assert response.status_code == 401 and response.headers["www-authenticate"] == "Bearer"
            assert response.json()["error"]["code"] == "invalid_token"


class Own:
    """Calls by an endpoint's template, recording which (service, method, template,
    role) were checked, so the test can tell every `OWN` cell was."""

    def __init__(self) -> None:
        self.checked: set[tuple[str, str, str, str]] = set()
        #: The reasons the 403s gave, each checked against the operation's OpenAPI.
        self.reasons: set[str] = set()

    async def call(
        self,
        service: str,
        client: httpx.AsyncClient,
        method: str,
        template: str,
        headers: dict[str, str],
        role: str,
        expect: int,
        **params: Any,
    ) -> Any:
        body = params.pop("json", None)
        response = await client.request(
            method, template.format(**params), json=body, headers=headers, params=params.pop("query", None)
        )
        assert response.status_code == expect, f"{service} {method} {template} as {role}: {response.text}"
        self.checked.add((service, method, template, role))
        if expect == 403:
            await self.documented_reason(client, method, template, response)
        return response.json()

    async def documented_reason(
        self, client: httpx.AsyncClient, method: str, template: str, response: httpx.Response
    ) -> None:
        """A 403 names its rule, in Indonesian by default, and the operation documents it."""
        error = response.json()["error"]
        document = (await client.get("/openapi.json")).json()
        forbidden = document["paths"][template][method.lower()]["responses"]["403"]
        assert error["code"] in forbidden["content"]["application/json"]["examples"], (template, error)
        assert forbidden["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorBody")
        assert error["code"] != "forbidden" and "Anda" in error["message"], error
        self.reasons.add(error["code"])


async def log_in(registry: httpx.AsyncClient, email: str, password: str) -> dict[str, str]:
    session = await ok(
        await registry.post("/auth/login", json={"email": email, "password": password}, headers={})
    )
    return {"Authorization": f"Bearer {session['access_token']}"}


async def registered_with_representative(
    registry: httpx.AsyncClient, kim: dict[str, Any], password: str
) -> dict[str, Any]:
    """Staff register the KIM and open its representative's account (login: the KIM's email)."""
    created = await ok(await registry.post("/kims", json=kim), 201)
    account = {"email": kim["email"], "name": f"Wakil {kim['name']}", "role": "kim_rep", "password": password}
    await ok(await registry.post("/accounts", json={**account, "kim_id": created["kim_id"]}), 201)
    return created


async def test_representatives_and_judges_act_only_for_what_is_theirs(settings_for: Any) -> None:
    own = Own()
    anonymous = {"Authorization": ""}
    async with (
        serving(create_registry(settings_for("registry")), "registry") as registry,
        serving(create_submissions(settings_for("submissions")), "submissions") as submissions,
        serving(create_judging(settings_for("judging")), "judging") as judging,
    ):
        # Staff register the KIMs and open their representatives' accounts (a KIM that
        # registers itself confirms by mail: test_signup.py).
        pasreh = await registered_with_representative(
            registry, kim_body("KIM Pasreh Jaya", "bumiayu", 1), "topeng-malangan-2024"
        )
        refused = await registry.post(
            "/kims", json=kim_body("KIM Tanpa Sandi", "arjosari", 9), headers=anonymous
        )
        assert (refused.status_code, refused.json()["error"]["field"]) == (422, "password")
        ganjur = await ok(await registry.post("/kims", json=kim_body("KIM Ganjur", "gadang", 2)), 201)
        await ok(
            await registry.post(
                "/accounts",
                json={
                    "email": "ganjur@example.id",
                    "name": "Wakil KIM Ganjur",
                    "role": "kim_rep",
                    "password": "gadang-kedungkandang-24",
                    "kim_id": ganjur["kim_id"],
                },
            ),
            201,
        )
        mojolangu = await registered_with_representative(
            registry, kim_body("KIM Mojolangu", "mojolangu", 3), "lowokwaru-tunggulwulung"
        )
        rep_a = await log_in(registry, "kim1@example.id", "topeng-malangan-2024")
        rep_b = await log_in(registry, "ganjur@example.id", "gadang-kedungkandang-24")
        rep_c = await log_in(registry, "kim3@example.id", "lowokwaru-tunggulwulung")
        a, b, c = pasreh["kim_id"], ganjur["kim_id"], mojolangu["kim_id"]
        for kim in (a, b, c):
            await ok(await registry.post(f"/kims/{kim}/verification"))
        edition = await ok(await registry.post("/editions", json=edition_body()), 201)
        e = edition["edition_id"]
        assert (await registry.get(f"/editions/{e}", headers=anonymous)).status_code == 404  # a draft
        await ok(await registry.post(f"/editions/{e}/publication"))
        assert (await registry.get(f"/editions/{e}", headers=anonymous)).status_code == 200

        # Registry: a representative's own KIM and enrolments, never another's.
        R = "registry"
        await own.call(R, registry, "GET", "/kims/{kim_id}", rep_a, "kim_rep", 200, kim_id=a)
        await own.call(R, registry, "GET", "/kims/{kim_id}", rep_a, "kim_rep", 403, kim_id=b)
        patch = {"json": {"chair": "Ketua Baru"}}
        await own.call(R, registry, "PATCH", "/kims/{kim_id}", rep_a, "kim_rep", 200, kim_id=a, **patch)
        await own.call(R, registry, "PATCH", "/kims/{kim_id}", rep_a, "kim_rep", 403, kim_id=b, **patch)
        enrol = "/editions/{edition_id}/enrolments"
        await own.call(R, registry, "POST", enrol, rep_a, "kim_rep", 403, edition_id=e, json={"kim_id": b})
        mine = await own.call(
            R, registry, "POST", enrol, rep_a, "kim_rep", 201, edition_id=e, json={"kim_id": a}
        )
        theirs = await ok(
            await registry.post(f"/editions/{e}/enrolments", json={"kim_id": b}, headers=rep_b), 201
        )
        third = await ok(
            await registry.post(f"/editions/{e}/enrolments", json={"kim_id": c}, headers=rep_c), 201
        )
        listed = await own.call(R, registry, "GET", enrol, rep_a, "kim_rep", 200, edition_id=e)
        assert [x["kim_id"] for x in listed] == [a]
        assert len(await ok(await registry.get(f"/editions/{e}/enrolments"))) == 3  # staff see all
        one = "/enrolments/{enrolment_id}"
        await own.call(R, registry, "GET", one, rep_a, "kim_rep", 200, enrolment_id=mine["enrolment_id"])
        await own.call(R, registry, "GET", one, rep_a, "kim_rep", 403, enrolment_id=theirs["enrolment_id"])
        for enrolment in (mine, theirs, third):
            await ok(await registry.post(f"/enrolments/{enrolment['enrolment_id']}/approval"))

        # Submissions: entries for one's own KIM only.
        S = "submissions"
        entries = "/editions/{edition_id}/entries"

        async def submitted(headers: dict[str, str], kim: str, expect: int) -> Any:
            async def attempt() -> Any:
                response = await submissions.post(
                    f"/editions/{e}/entries", json=entry_body(kim), headers=headers
                )
                return response if response.status_code in (expect, 403) else None

            return await eventually(attempt, timeout=20)

        assert (await submitted(rep_a, b, 403)).status_code == 403
        own.checked.add((S, "POST", entries, "kim_rep"))
        entry_a = (await submitted(rep_a, a, 201)).json()
        entry_b = (await submitted(rep_b, b, 201)).json()
        entry_c = (await submitted(rep_c, c, 201)).json()
        listed = await own.call(S, submissions, "GET", entries, rep_a, "kim_rep", 200, edition_id=e)
        assert [x["entry_id"] for x in listed] == [entry_a["entry_id"]]
        also = await own.call(
            S, submissions, "GET", entries, rep_a, "kim_rep", 200, edition_id=e, query={"kim_id": b}
        )
        assert [x["entry_id"] for x in also] == [
            entry_a["entry_id"]
        ]  # asking for another KIM's shows one's own
        one = "/entries/{entry_id}"
        await own.call(S, submissions, "GET", one, rep_a, "kim_rep", 200, entry_id=entry_a["entry_id"])
        await own.call(S, submissions, "GET", one, rep_a, "kim_rep", 403, entry_id=entry_b["entry_id"])
        revise = {"json": {"title": "Judul Baru dari Wakil Lain"}}
        await own.call(
            S, submissions, "PATCH", one, rep_a, "kim_rep", 403, entry_id=entry_b["entry_id"], **revise
        )
        await own.call(
            S, submissions, "PATCH", one, rep_a, "kim_rep", 200, entry_id=entry_a["entry_id"], **revise
        )
        withdraw = "/entries/{entry_id}/withdrawal"
        await own.call(S, submissions, "POST", withdraw, rep_a, "kim_rep", 403, entry_id=entry_c["entry_id"])
        await own.call(S, submissions, "POST", withdraw, rep_c, "kim_rep", 200, entry_id=entry_c["entry_id"])

        # Judging: judges by their account's email; Juri Dua declared Ganjur's kelurahan.
        J = "judging"
        judges = {}
        await eventually(lambda: _known(judging, e), timeout=20)
        for name, email, conflicts in (
            ("Juri Satu", "satu@juri.id", []),
            ("Juri Dua", "dua@juri.id", ["gadang"]),
        ):
            body = {"name": name, "email": email, "affiliations": {"kelurahan_codes": conflicts}}
            judges[email] = (await ok(await judging.post(f"/editions/{e}/judges", json=body), 201))[
                "judge_id"
            ]
        await ok(await registry.post(f"/editions/{e}/submissions-closure"))
        await eventually(lambda: _scoring(judging, e, 2), timeout=20)

        satu, dua, outsider = (
            judge_bearer(email) for email in ("satu@juri.id", "dua@juri.id", "tiga@juri.id")
        )
        seen = await own.call(J, judging, "GET", "/editions/{edition_id}", satu, "judge", 200, edition_id=e)
        assert seen["rubric"] and seen["panel"] == []  # the panel's emails and affiliations are staff's
        await own.call(J, judging, "GET", "/editions/{edition_id}", outsider, "judge", 403, edition_id=e)
        assigned = "/editions/{edition_id}/judges/{judge_id}/assignments"
        await own.call(
            J, judging, "GET", assigned, satu, "judge", 403, edition_id=e, judge_id=judges["dua@juri.id"]
        )
        for_dua = await own.call(
            J, judging, "GET", assigned, dua, "judge", 200, edition_id=e, judge_id=judges["dua@juri.id"]
        )
        assert [x["entry"]["entry_id"] for x in for_dua] == [entry_a["entry_id"]]  # never Ganjur's
        sheet = "/editions/{edition_id}/entries/{entry_id}/sheets/{judge_id}"
        scores = {"json": {"scores": {"tema": 80, "kreativitas": 80, "teknis": 80, "promosi_umkm": 80}}}
        ids = {"edition_id": e, "entry_id": entry_a["entry_id"]}
        await own.call(
            J, judging, "PUT", sheet, satu, "judge", 403, judge_id=judges["dua@juri.id"], **ids, **scores
        )
        await own.call(
            J, judging, "PUT", sheet, outsider, "judge", 403, judge_id=judges["dua@juri.id"], **ids, **scores
        )
        await own.call(
            J, judging, "PUT", sheet, satu, "judge", 200, judge_id=judges["satu@juri.id"], **ids, **scores
        )
        conflicted = {"edition_id": e, "entry_id": entry_b["entry_id"], "judge_id": judges["dua@juri.id"]}
        refusal = await own.call(J, judging, "PUT", sheet, dua, "judge", 422, **conflicted, **scores)
        assert refusal["error"]["code"] == "judge_conflict_of_interest"
        # A judge's own desk, found by their email: never another's, never a conflicted entry.
        (seat,) = await own.call(J, judging, "GET", "/me/editions", satu, "judge", 200)
        assert (seat["judge_id"], seat["assigned"], seat["scored"]) == (judges["satu@juri.id"], 2, 1)
        assert await own.call(J, judging, "GET", "/me/editions", outsider, "judge", 200) == []
        desk = "/me/editions/{edition_id}/entries"
        on_desk = await own.call(J, judging, "GET", desk, dua, "judge", 200, edition_id=e)
        assert [x["entry"]["entry_id"] for x in on_desk["entries"]] == [entry_a["entry_id"]]
        await own.call(J, judging, "GET", desk, outsider, "judge", 403, edition_id=e)
        feedback = "/editions/{edition_id}/kims/{kim_id}/feedback"
        await own.call(J, judging, "GET", feedback, rep_a, "kim_rep", 403, edition_id=e, kim_id=b)
        early = await own.call(J, judging, "GET", feedback, rep_a, "kim_rep", 404, edition_id=e, kim_id=a)
        assert early["error"]["code"] == "results_not_announced"

        # Scores and rankings are staff's until the announcement; results show nothing before it.
        assert (await judging.get(f"/editions/{e}/ranking", headers=satu)).status_code == 403
        # The reason in the reader's language: English when asked for.
        english = await judging.put(
            sheet.format(judge_id=judges["dua@juri.id"], **ids),
            json=scores["json"],
            headers={**satu, "Accept-Language": "en"},
        )
        assert english.status_code == 403 and english.json()["error"] == {
            "code": "not_your_sheet",
            "message": "You may open and fill only your own score sheets, not another judge's.",
        }
        assert (await judging.get(f"/editions/{e}/results", headers=anonymous)).status_code == 404

    table = {
        (service, method, path, role)
        for service in RULES
        for (method, path), rule in rules_for(service).items()
        for role in ROLES
        if rule.of(role) is OWN
    }
    assert table - own.checked == set(), "OWN rules no test exercises"
    assert own.reasons == {
        "not_your_kim",
        "enrolment_of_another_kim",
        "entry_of_another_kim",
        "not_on_this_panel",
        "not_your_sheet",
    }
    CHECKED["OWN cells exercised on real data"] = len(table)


async def _known(judging: httpx.AsyncClient, edition_id: str) -> bool:
    return (await judging.get(f"/editions/{edition_id}")).status_code == 200


async def _scoring(judging: httpx.AsyncClient, edition_id: str, entries: int) -> bool:
    found = (await judging.get(f"/editions/{edition_id}")).json()
    return found.get("status") == "scoring" and found["progress"]["required"] == entries * 2 - 1


async def test_failed_logins_are_throttled(settings_for: Any) -> None:
    settings = settings_for("registry", login_failures_allowed=3, login_pause_seconds=30)
    async with serving(create_registry(settings), "registry") as registry:
        await ok(
            await registry.post(
                "/accounts",
                json={
                    "email": "juri@juri.id",
                    "name": "Juri",
                    "role": "judge",
                    "password": "benar-sekali-2024",
                },
            ),
            201,
        )
        wrong = {"email": "juri@juri.id", "password": "salah-sekali"}
        answers = [(await registry.post("/auth/login", json=wrong)).status_code for _ in range(4)]
        assert answers == [401, 401, 401, 429]
        paused = await registry.post("/auth/login", json={**wrong, "password": "benar-sekali-2024"})
        assert paused.status_code == 429 and 1 <= int(paused.headers["retry-after"]) <= 30
        assert paused.json()["error"]["code"] == "too_many_logins"
        # An unknown email fails the same way as a wrong password; the pause is this
        # client's for this account only, not the client's for every account.
        unknown = await registry.post("/auth/login", json={"email": "siapa@juri.id", "password": "x"})
        assert unknown.status_code == 401


async def test_a_wrong_password_storm_from_one_client_does_not_lock_the_owner_out(
    settings_for: Any,
) -> None:
    """The pause belongs to the (account, client) pair, and every replica sees it."""
    settings = settings_for("registry", login_failures_allowed=3, login_pause_seconds=300)
    judge = {"email": "juri@juri.id", "password": "benar-sekali-2024"}

    def client_at(app: Any, address: str) -> httpx.AsyncClient:
        transport = httpx.ASGITransport(app=app, client=(address, 40000))
        return httpx.AsyncClient(transport=transport, base_url="http://registry")

    first, second = create_registry(settings), create_registry(settings)  # two replicas, one database
    async with (
        serving(first, "registry") as registry,
        serving(second, "registry"),
    ):
        await ok(await registry.post("/accounts", json={**judge, "name": "Juri", "role": "judge"}), 201)
        wrong = {**judge, "password": "salah-sekali"}
        async with client_at(first, "203.0.113.7") as attacker:
            answers = [(await attacker.post("/auth/login", json=wrong)).status_code for _ in range(12)]
        assert answers == [401] * 3 + [429] * 9
        async with client_at(second, "203.0.113.7") as attacker_elsewhere:
            paused = await attacker_elsewhere.post("/auth/login", json=judge)
        assert paused.status_code == 429 and paused.json()["error"]["code"] == "too_many_logins"
        for app in (first, second):
            async with client_at(app, "198.51.100.20") as owner:
                await ok(await owner.post("/auth/login", json=judge))


def test_accounts_never_show_a_password_hash() -> None:
    from registry.entrypoints.schemas import AccountPublic, SessionPublic

    assert not {"password", "password_hash"} & set(AccountPublic.model_fields)
    assert not {"password", "password_hash"} & set(SessionPublic.model_fields)


async def test_the_first_staff_account_comes_from_the_environment_or_the_command_line(
    settings_for: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from registry.accounts import create_admin

    settings = settings_for(
        "registry", first_admin_email="admin@malangkota.go.id", first_admin_password="admin-pertama-2024"
    )
    for _ in range(2):  # a restart does not open it twice
        async with serving(create_registry(settings), "registry", caller=None) as registry:
            staff = await log_in(registry, "admin@malangkota.go.id", "admin-pertama-2024")
            accounts = await ok(await registry.get("/accounts", headers=staff))
            assert [(a["email"], a["role"]) for a in accounts] == [("admin@malangkota.go.id", "staff")]

    monkeypatch.setenv("REGISTRY_AMQP_URL", settings.amqp_url.get_secret_value())
    monkeypatch.setenv("REGISTRY_MONGODB_URL", settings.mongodb_url.get_secret_value())
    monkeypatch.setenv("REGISTRY_MONGODB_DATABASE", settings.mongodb_database)
    assert await create_admin("sari@malangkota.go.id", "Bu Sari", "operator-kedua-2024") == 0
    assert await create_admin("sari@malangkota.go.id", "Bu Sari", "operator-kedua-2024") == 1  # taken
    async with serving(create_registry(settings), "registry", caller=None) as registry:
        staff = await log_in(registry, "sari@malangkota.go.id", "operator-kedua-2024")
        me = await ok(await registry.get("/accounts/me", headers=staff))
        assert (me["email"], me["role"], me["name"]) == ("sari@malangkota.go.id", "staff", "Bu Sari")


async def test_forwarded_for_is_believed_only_from_a_configured_proxy(settings_for: Any) -> None:
    """X-Forwarded-For from a peer that is not in REGISTRY_TRUSTED_PROXIES is ignored by the
    throttle (an attacker cannot dodge it by inventing addresses); from the console's address
    it is believed (visitors behind the console are told apart)."""
    settings = settings_for(
        "registry", login_failures_allowed=2, login_pause_seconds=300, trusted_proxies="10.9.0.5, 10.8.0.0/16"
    )
    judge = {"email": "juri@juri.id", "password": "benar-sekali-2024"}
    wrong = {**judge, "password": "salah-sekali"}
    app = create_registry(settings)

    def peer(address: str) -> httpx.AsyncClient:
        transport = httpx.ASGITransport(app=app, client=(address, 40000))
        return httpx.AsyncClient(transport=transport, base_url="http://registry")

    async with serving(app, "registry") as registry:
        await ok(await registry.post("/accounts", json={**judge, "name": "Juri", "role": "judge"}), 201)
        async with peer("203.0.113.7") as attacker:
            answers = [
                (
                    await attacker.post(
                        "/auth/login", json=wrong, headers={"X-Forwarded-For": f"198.51.100.{n}"}
                    )
                ).status_code
                for n in range(4)
            ]
        assert answers == [401, 401, 429, 429]  # the invented addresses changed nothing
        for console in ("10.9.0.5", "10.8.3.4"):
            async with peer(console) as through_console:
                storm = [
                    (
                        await through_console.post(
                            "/auth/login", json=wrong, headers={"X-Forwarded-For": "192.0.2.66"}
                        )
                    ).status_code
                    for _ in range(3)
                ]
                owner = await through_console.post(
                    "/auth/login", json=judge, headers={"X-Forwarded-For": "192.0.2.10"}
                )
            assert storm[-1] == 429 and owner.status_code == 200, (console, storm, owner.text)
