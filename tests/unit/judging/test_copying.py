"""Next year's edition from last year's (edition.published with `copied_from`):
judging copies the source's rubric, judging options without the deadline, the
categories' rubrics and the panel (the same judges appointed again, so
judge.appointed invites them); once, however often the event arrives; a source
judging does not know is skipped with a log line."""

from __future__ import annotations

import logging
from datetime import timedelta
from uuid import UUID, uuid4

import pytest
from judging.domain.categories import Category
from judging.domain.edition import Affiliations
from judging.domain.options import JudgingOptions
from judging.domain.rubric import Criterion, Rubric
from judging.service_layer import projections
from judging.service_layer.commands import AppointJudge, RemoveJudge, SetJudgingOptions, SetRubric
from judging.service_layer.services import appoint_judge, remove_judge, set_options, set_rubric

from shared import contracts as c
from shared.contracts.registry import Category as CategoryDefinition

from .fakes import NOW, FakeJudging, clock, setup

RUBRIC_2024 = Rubric(
    criteria=(
        Criterion(criterion_id="cerita", name_id="Cerita", name_en="Story", weight=40),
        Criterion(criterion_id="gambar", name_id="Gambar", name_en="Image", weight=35),
        Criterion(criterion_id="umkm", name_id="Promosi UMKM", name_en="UMKM promotion", weight=25),
    )
)


def published(edition_id: UUID, copied_from: UUID | None, revision: int = 1) -> c.EditionPublished:
    details = c.EditionDetails(
        edition_id=edition_id,
        title="Lomba Video Pendek KIM 2025",
        theme="UMKM naik kelas",
        description="Film pendek tentang UMKM.",
        submission_opens_at=NOW + timedelta(days=300),
        submission_closes_at=NOW + timedelta(days=330),
        rules=c.EditionRules(max_video_seconds=300, allowed_video_hosts=["youtube.com"], entries_per_kim=1),
        awarded_ranks=3,
        prizes=[],
        status="published",
        revision=revision,
        categories=[
            CategoryDefinition(code="sinematografi", title="Sinematografi", kind="ranked", awarded_ranks=1),
            CategoryDefinition(code="dokumenter", title="Dokumenter", kind="ranked", awarded_ranks=1),
        ],
        copied_from=copied_from,
    )
    return c.EditionPublished.new(details, producer="registry", correlation_id="copy")


async def edition_2024() -> tuple[FakeJudging, UUID]:
    """Last year's: its own rubric, options with a deadline, a category rubric, three judges (one removed)."""
    uow, edition, _ = setup(closed=False)
    edition.categories = [
        Category(code="sinematografi", title="Sinematografi", kind="ranked", awarded_ranks=1)
    ]
    edition_id = edition.edition_id
    await set_rubric(uow, clock, SetRubric(edition_id=edition_id, rubric=RUBRIC_2024))
    options = JudgingOptions(
        normalise=True,
        min_sheets_per_judge=3,
        tie_break=("head_to_head", "earlier_submission"),
        judging_deadline=NOW + timedelta(days=30),
    )
    await set_options(uow, clock, SetJudgingOptions(edition_id=edition_id, options=options))
    edition.categories[0].weights = {"gambar": 100}
    for name, email in (("Rina", "rina@juri.id"), ("Dimas", "dimas@juri.id"), ("Ayu", "ayu@juri.id")):
        judge = await appoint_judge(
            uow,
            clock,
            AppointJudge(
                edition_id=edition_id,
                name=name,
                email=email,
                affiliations=Affiliations(kelurahan_codes=["bumiayu"] if name == "Dimas" else []),
            ),
        )
        if name == "Ayu":
            await remove_judge(uow, clock, RemoveJudge(edition_id=edition_id, judge_id=judge.judge_id))
    uow.published.clear()
    return uow, edition_id


async def test_an_edition_copied_from_last_year_takes_its_judging_setup_once() -> None:
    uow, source_id = await edition_2024()
    new_id = uuid4()
    event = published(new_id, copied_from=source_id)
    assert await projections.record_edition(uow, event, clock)

    copy = await uow.editions.require(new_id)
    assert copy.rubric == RUBRIC_2024
    assert copy.options == JudgingOptions(
        normalise=True, min_sheets_per_judge=3, tie_break=("head_to_head", "earlier_submission")
    )
    assert copy.options.judging_deadline is None
    weights = {category.code: category.weights for category in copy.categories}
    assert weights == {"sinematografi": {"gambar": 100}, "dokumenter": None}
    assert [(j.name, j.email, j.affiliations.kelurahan_codes) for j in copy.panel] == [
        ("Rina", "rina@juri.id", []),
        ("Dimas", "dimas@juri.id", ["bumiayu"]),
    ]
    source = await uow.editions.require(source_id)
    assert {j.judge_id for j in copy.panel}.isdisjoint({j.judge_id for j in source.judges})
    invited = uow.of_type("judge.appointed")
    assert [(e.data.edition_id, e.data.email) for e in invited] == [  # type: ignore[attr-defined]
        (new_id, "rina@juri.id"),
        (new_id, "dimas@juri.id"),
    ]
    assert copy.copied_from == source_id

    # The same event again, or a later edition.published of it, copies nothing more.
    assert not await projections.record_edition(uow, event, clock)
    assert await projections.record_edition(uow, published(new_id, copied_from=source_id, revision=2), clock)
    assert len(copy.panel) == 2
    assert len(uow.of_type("judge.appointed")) == 2


async def test_a_copy_of_an_edition_judging_does_not_know_is_kept_without_a_setup(
    caplog: pytest.LogCaptureFixture,
) -> None:
    uow = FakeJudging()
    unknown, new_id = uuid4(), uuid4()
    with caplog.at_level(logging.INFO, logger="kim.judging.projections"):
        assert await projections.record_edition(uow, published(new_id, copied_from=unknown), clock)
    edition = await uow.editions.require(new_id)
    assert edition.panel == [] and edition.copied_from is None
    assert uow.of_type("judge.appointed") == []
    assert str(unknown) in caplog.text
