"""After the announcement a KIM reads its own sheets: scores per criterion,
totals and the judges' comments, never the private notes or who wrote them."""

from __future__ import annotations

import pytest
from judging.domain.errors import ResultsNotAnnounced
from judging.entrypoints.schemas_desk import KimFeedbackPublic
from judging.service_layer import feedback, results, services
from judging.service_layer.commands import AnnounceResults, FreezeResults, RecordScoreSheet, VerifyResults

from .fakes import FLAT, appoint, clock, setup


async def test_a_kim_reads_its_sheets_and_comments_after_the_announcement_only() -> None:
    uow, edition, entries = setup(kims=[("KIM Pasreh Jaya", "bumiayu"), ("KIM Ganjur", "gadang")])
    rina = await appoint(uow, edition, "Rina Juri")
    budi = await appoint(uow, edition, "Budi Juri")
    for judge, base in ((rina, 90), (budi, 70)):
        for entry in entries:
            await services.record_score(
                uow,
                clock,
                RecordScoreSheet(
                    edition_id=edition.edition_id,
                    entry_id=entry.entry_id,
                    judge_id=judge,
                    scores={**FLAT, "tema": base},
                    comment=f"Komentar untuk {entry.kim_name}",
                    note="Catatan rahasia dewan juri",
                ),
            )
    pasreh = entries[0]
    with pytest.raises(ResultsNotAnnounced):
        await feedback.feedback_for(uow, edition.edition_id, pasreh.kim_id)

    await results.freeze(uow, clock, FreezeResults(edition_id=edition.edition_id))
    await results.verify(uow, clock, VerifyResults(edition_id=edition.edition_id, version=1))
    await results.announce(uow, clock, AnnounceResults(edition_id=edition.edition_id))

    found = await feedback.feedback_for(uow, edition.edition_id, pasreh.kim_id)
    (mine,) = found.entries
    assert mine.entry.entry_id == pasreh.entry_id
    assert sorted(s.scores["tema"] for s in mine.sheets) == [70, 90]
    assert sorted(s.total for s in mine.sheets) == [77.0, 83.0]
    assert {s.comment for s in mine.sheets} == {"Komentar untuk KIM Pasreh Jaya"}
    shown = KimFeedbackPublic.of(found).model_dump_json()  # what the KIM is sent
    assert "rahasia" not in shown and "Rina" not in shown and "Budi" not in shown
    assert str(rina) not in shown and str(budi) not in shown
