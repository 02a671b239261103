"""The judging service's refusals, in Indonesian and English."""

from __future__ import annotations

from typing import ClassVar

from shared.errors import Conflict, NotFound, Refused

Messages = ClassVar[dict[str, str]]


class EditionNotFound(NotFound):
    code = "edition_not_found"
    field = "edition_id"
    messages: Messages = {
        "id": "Edisi lomba {edition_id} tidak ditemukan atau belum diterbitkan.",
        "en": "Edition {edition_id} was not found or has not been published.",
    }


class EntryNotFound(NotFound):
    code = "entry_not_found"
    field = "entry_id"
    messages: Messages = {
        "id": "Karya {entry_id} tidak ditemukan di edisi ini.",
        "en": "Entry {entry_id} was not found in this edition.",
    }


class JudgeNotOnPanel(Refused):
    code = "judge_not_on_panel"
    field = "judge_id"
    messages: Messages = {
        "id": "Juri {judge_id} tidak termasuk dewan juri edisi ini.",
        "en": "Judge {judge_id} is not on this edition's panel.",
    }


class RubricWeightsInvalid(Refused):
    code = "rubric_weights_invalid"
    field = "criteria"
    messages: Messages = {
        "id": "Jumlah bobot kriteria harus 100; saat ini {total}.",
        "en": "The criteria weights must sum to 100; they sum to {total}.",
    }


class RubricCriteriaDuplicated(Refused):
    code = "rubric_criteria_duplicated"
    field = "criteria"
    messages: Messages = {
        "id": "Kode kriteria '{criterion_id}' dipakai lebih dari sekali.",
        "en": "Criterion id '{criterion_id}' is used more than once.",
    }


class RubricFixed(Conflict):
    code = "rubric_fixed"
    field = "criteria"
    messages: Messages = {
        "id": "Rubrik tidak bisa diubah lagi karena penilaian sudah dimulai.",
        "en": "The rubric can no longer change: scoring has begun.",
    }


class JudgingNotOpen(Refused):
    code = "judging_not_open"
    messages: Messages = {
        "id": "Penilaian '{title}' belum dibuka: pengumpulan karya belum ditutup.",
        "en": "Judging of '{title}' has not opened: submissions are not closed yet.",
    }


class JudgingAlreadyCompleted(Conflict):
    code = "judging_completed"
    messages: Messages = {
        "id": "Penilaian '{title}' sudah selesai; lembar nilai sudah final.",
        "en": "Judging of '{title}' is complete; score sheets are final.",
    }


class JudgingNotComplete(Conflict):
    code = "judging_not_complete"
    messages: Messages = {
        "id": "Penilaian '{title}' belum selesai: {missing} lembar nilai belum masuk.",
        "en": "Judging of '{title}' is not complete: {missing} score sheets are still missing.",
    }


class AlreadyAnnounced(Conflict):
    code = "already_announced"
    messages: Messages = {
        "id": "Pemenang '{title}' sudah diumumkan pada {announced_at}.",
        "en": "The winners of '{title}' were already announced at {announced_at}.",
    }


class ResultsNotAnnounced(NotFound):
    code = "results_not_announced"
    messages: Messages = {
        "id": "Hasil '{title}' belum diumumkan.",
        "en": "The results of '{title}' have not been announced yet.",
    }


class EntryNotEligible(Refused):
    code = "entry_not_eligible"
    field = "entry_id"
    messages: Messages = {
        "id": "Karya '{entry_title}' tidak dinilai karena sudah {status_id}.",
        "en": "Entry '{entry_title}' is not judged: it was {status_en}.",
    }


class JudgeConflicted(Refused):
    code = "judge_conflict_of_interest"
    field = "judge_id"
    messages: Messages = {
        "id": "{judge_name} menyatakan keterkaitan dengan {kim_name} ({kelurahan}), jadi tidak menilai karya ini.",
        "en": "{judge_name} declared an affiliation with {kim_name} ({kelurahan}), so does not score this entry.",
    }


class ScoresDoNotMatchRubric(Refused):
    code = "scores_do_not_match_rubric"
    field = "scores"
    messages: Messages = {
        "id": "Nilai harus diisi tepat untuk kriteria: {expected}. Kurang: {missing}. Tidak dikenal: {unknown}.",
        "en": "Give exactly one score per criterion: {expected}. Missing: {missing}. Unknown: {unknown}.",
    }


class ScoreOutOfRange(Refused):
    code = "score_out_of_range"
    messages: Messages = {
        "id": "Nilai untuk '{criterion_id}' harus 0 sampai 100; yang diisi {score}.",
        "en": "The score for '{criterion_id}' must be 0 to 100; got {score}.",
    }
