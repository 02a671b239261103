"""Refusals about an edition's categories and special awards, in Indonesian and English."""

from __future__ import annotations

from shared.kernel.errors import Conflict, NotFound, Refused


class CategoryNotFound(NotFound):
    code = "category_not_found"
    field = "category"
    messages = {
        "id": "Kategori '{code}' tidak ada di edisi '{title}'.",
        "en": "Category '{code}' does not exist in edition '{title}'.",
    }


class CategoryCriterionUnknown(Refused):
    code = "category_criterion_unknown"
    field = "weights"
    messages = {
        "id": "Kriteria '{criterion_id}' untuk kategori '{category}' tidak "
        "ada di rubrik edisi; pilih dari: {expected}.",
        "en": "Criterion '{criterion_id}' for category '{category}' is not in "
        "the edition's rubric; choose from: {expected}.",
    }


class CategoryWeightOutOfRange(Refused):
    code = "category_weight_out_of_range"
    field = "weights"
    messages = {
        "id": "Bobot '{criterion_id}' untuk kategori '{category}' harus 0 sampai 100; yang diisi {weight}.",
        "en": "The weight of '{criterion_id}' for category '{category}' must be 0 to 100; got {weight}.",
    }


class CategoryNotRanked(Refused):
    code = "category_not_ranked"
    field = "category"
    messages = {
        "id": "Kategori '{category}' bukan kategori peringkat, jadi tidak punya rubrik sendiri.",
        "en": "Category '{category}' is not a ranked category, so it has no rubric of its own.",
    }


class CategoryNotSpecial(Refused):
    code = "category_not_special"
    field = "category"
    messages = {
        "id": "Kategori '{category}' bukan penghargaan khusus: pemenangnya ditentukan oleh {decided_id}.",
        "en": "Category '{category}' is not a special award: its winners are decided by {decided_en}.",
    }


class AwardReasonRequired(Refused):
    code = "award_reason_required"
    field = "reason"
    messages = {
        "id": "Tuliskan alasan juri untuk penghargaan '{category}'.",
        "en": "Write the jury's reason for the award '{category}'.",
    }


class SpecialAwardMissing(Conflict):
    code = "special_award_missing"
    field = "category"
    messages = {
        "id": "Penghargaan '{category}' belum diberikan kepada karya yang "
        "masih berlomba; berikan dulu dengan alasannya.",
        "en": "The award '{category}' has not been given to an entry still "
        "in competition; give it first, with a reason.",
    }


class CategoryRanksExceedEntries(Conflict):
    code = "category_ranks_exceed_entries"
    field = "category"
    messages = {
        "id": "Kategori '{category}' memberi {awarded_ranks} peringkat, tetapi "
        "hanya {entries} karya yang berlomba di dalamnya.",
        "en": "Category '{category}' awards {awarded_ranks} ranks, but only {entries} entries compete in it.",
    }


class CategoryDecidedByVote(Conflict):
    code = "category_decided_by_vote"
    field = "category"
    messages = {
        "id": "Kategori '{category}' ditentukan oleh suara publik: "
        "hasilnya datang dari rekap suara yang dibekukan.",
        "en": "Category '{category}' is decided by the public vote: its results come from the frozen tally.",
    }
