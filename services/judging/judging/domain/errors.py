"""The judging service's refusals, in Indonesian and English."""

from __future__ import annotations

from shared.kernel.errors import Conflict, NotFound, Refused
from shared.kernel.principal import Forbidden


class EditionNotFound(NotFound):
    code = "edition_not_found"
    field = "edition_id"
    messages = {
        "id": "Edisi lomba {edition_id} tidak ditemukan atau belum diterbitkan.",
        "en": "Edition {edition_id} was not found or has not been published.",
    }


class EntryNotFound(NotFound):
    code = "entry_not_found"
    field = "entry_id"
    messages = {
        "id": "Karya {entry_id} tidak ditemukan di edisi ini.",
        "en": "Entry {entry_id} was not found in this edition.",
    }


class JudgeNotOnPanel(Refused):
    code = "judge_not_on_panel"
    field = "judge_id"
    messages = {
        "id": "Juri {judge_id} tidak termasuk dewan juri edisi ini.",
        "en": "Judge {judge_id} is not on this edition's panel.",
    }


class RubricWeightsInvalid(Refused):
    code = "rubric_weights_invalid"
    field = "criteria"
    messages = {
        "id": "Jumlah bobot kriteria harus 100; saat ini {total}.",
        "en": "The criteria weights must sum to 100; they sum to {total}.",
    }


class RubricCriteriaDuplicated(Refused):
    code = "rubric_criteria_duplicated"
    field = "criteria"
    messages = {
        "id": "Kode kriteria '{criterion_id}' dipakai lebih dari sekali.",
        "en": "Criterion id '{criterion_id}' is used more than once.",
    }


class RubricFixed(Conflict):
    code = "rubric_fixed"
    field = "criteria"
    messages = {
        "id": "Rubrik tidak bisa diubah lagi karena penilaian sudah dimulai.",
        "en": "The rubric can no longer change: scoring has begun.",
    }


class JudgingNotOpen(Refused):
    code = "judging_not_open"
    messages = {
        "id": "Penilaian '{title}' belum dibuka: pengumpulan karya belum ditutup.",
        "en": "Judging of '{title}' has not opened: submissions are not closed yet.",
    }


class JudgingAlreadyCompleted(Conflict):
    code = "judging_completed"
    messages = {
        "id": "Penilaian '{title}' sudah selesai; lembar nilai sudah final.",
        "en": "Judging of '{title}' is complete; score sheets are final.",
    }


class JudgingNotComplete(Conflict):
    code = "judging_not_complete"
    messages = {
        "id": "Penilaian '{title}' belum selesai: {missing} lembar nilai belum masuk.",
        "en": "Judging of '{title}' is not complete: {missing} score sheets are still missing.",
    }


class AlreadyAnnounced(Conflict):
    code = "already_announced"
    messages = {
        "id": "Versi {version} hasil '{title}' sudah diumumkan pada {announced_at}. Untuk koreksi, bekukan versi baru dengan alasannya.",
        "en": "Version {version} of the results of '{title}' was already announced at {announced_at}. To correct it, freeze a new version with a reason.",
    }


class ResultsNotAnnounced(NotFound):
    code = "results_not_announced"
    messages = {
        "id": "Hasil '{title}' belum diumumkan.",
        "en": "The results of '{title}' have not been announced yet.",
    }


class EntryNotEligible(Refused):
    code = "entry_not_eligible"
    field = "entry_id"
    messages = {
        "id": "Karya '{entry_title}' tidak dinilai karena sudah {status_id}.",
        "en": "Entry '{entry_title}' is not judged: it was {status_en}.",
    }


class JudgeConflicted(Refused):
    code = "judge_conflict_of_interest"
    field = "judge_id"
    messages = {
        "id": "{judge_name} menyatakan keterkaitan dengan {kim_name} ({kelurahan}), jadi tidak menilai karya ini.",
        "en": "{judge_name} declared an affiliation with {kim_name} ({kelurahan}), so does not score this entry.",
    }


class ScoresDoNotMatchRubric(Refused):
    code = "scores_do_not_match_rubric"
    field = "scores"
    messages = {
        "id": "Nilai harus diisi tepat untuk kriteria: {expected}. Kurang: {missing}. Tidak dikenal: {unknown}.",
        "en": "Give exactly one score per criterion: {expected}. Missing: {missing}. Unknown: {unknown}.",
    }


class ScoreOutOfRange(Refused):
    code = "score_out_of_range"
    messages = {
        "id": "Nilai untuk '{criterion_id}' harus 0 sampai 100; yang diisi {score}.",
        "en": "The score for '{criterion_id}' must be 0 to 100; got {score}.",
    }


class JudgingOptionsFixed(Conflict):
    code = "judging_options_fixed"
    messages = {
        "id": "Pengaturan penjurian tidak bisa diubah lagi karena penilaian sudah dimulai.",
        "en": "The judging options can no longer change: scoring has begun.",
    }


class JudgesPerEntryInvalid(Refused):
    code = "judges_per_entry_invalid"
    field = "judges_per_entry"
    messages = {
        "id": "Isi judges_per_entry hanya dan wajib untuk assignment_mode 'k_per_entry' (yang dipilih: '{mode}').",
        "en": "Give judges_per_entry with assignment_mode 'k_per_entry', and only then (chosen: '{mode}').",
    }


class TieBreakRepeated(Refused):
    code = "tie_break_repeated"
    field = "tie_break"
    messages = {
        "id": "Setiap aturan penentu nilai seri hanya boleh disebut sekali: {tie_break}.",
        "en": "Name each tie-break rule at most once: {tie_break}.",
    }


class PriorityCriterionUnknown(Refused):
    code = "priority_criterion_unknown"
    field = "priority_criterion"
    messages = {
        "id": "Kriteria prioritas '{criterion_id}' tidak ada di rubrik; pilih salah satu: {expected}.",
        "en": "Priority criterion '{criterion_id}' is not in the rubric; choose one of: {expected}.",
    }


class AssignmentNotOpen(Conflict):
    code = "assignment_not_open"
    messages = {
        "id": "Karya '{title}' belum bisa dibagikan kepada juri: pengumpulan karya belum ditutup.",
        "en": "Entries of '{title}' cannot be assigned yet: submissions are not closed.",
    }


class NothingToAssign(Refused):
    code = "nothing_to_assign"
    messages = {
        "id": "Belum ada yang bisa dibagikan: edisi ini perlu dewan juri ({judges} juri) dan karya yang dinilai ({entries} karya).",
        "en": "Nothing to assign yet: the edition needs a panel ({judges} judges) and entries in competition ({entries}).",
    }


class EntryCannotBeAssigned(Refused):
    code = "entry_cannot_be_assigned"
    field = "judges_per_entry"
    messages = {
        "id": "Karya '{entry_title}' ({kim_name}) perlu {k} juri, tetapi hanya {available} juri yang tidak punya keterkaitan dengannya. Tunjuk juri lain atau kurangi jumlah juri per karya.",
        "en": "Entry '{entry_title}' ({kim_name}) needs {k} judges, but only {available} have no declared affiliation with it. Appoint another judge or lower the judges per entry.",
    }


class EntryNotAssigned(Refused):
    code = "entry_not_assigned"
    field = "entry_id"
    messages = {
        "id": "Karya '{entry_title}' tidak ditugaskan kepada {judge_name}; lihat daftar tugas juri.",
        "en": "Entry '{entry_title}' is not assigned to {judge_name}; see the judge's assignments.",
    }


class SheetStale(Conflict):
    code = "sheet_stale"
    field = "revision"
    messages = {
        "id": "Lembar nilai untuk karya '{entry_title}' sudah diubah di tempat lain (mungkin di tab lain) "
        "sejak Anda membukanya. Muat ulang halaman, periksa nilainya, lalu simpan lagi.",
        "en": "The score sheet for entry '{entry_title}' was changed elsewhere (perhaps in another tab) "
        "since you opened it. Reload the page, check the scores, then save again.",
    }


class SheetNotFound(NotFound):
    code = "sheet_not_found"
    messages = {
        "id": "{judge_name} belum mengisi lembar nilai untuk karya '{entry_title}', jadi tidak ada yang dikoreksi.",
        "en": "{judge_name} has no score sheet for entry '{entry_title}', so there is nothing to correct.",
    }


class CorrectionBeforeCompletion(Conflict):
    code = "correction_before_completion"
    messages = {
        "id": "Penilaian '{title}' belum selesai: juri masih bisa merevisi lembar nilainya sendiri. Koreksi staf hanya setelah penilaian selesai.",
        "en": "Judging of '{title}' is not complete: judges still revise their own sheets. Staff corrections come after completion.",
    }


class TieNotFound(NotFound):
    code = "tie_not_found"
    field = "tie_id"
    messages = {
        "id": "Nilai seri {tie_id} tidak ditemukan di edisi ini.",
        "en": "Tie {tie_id} was not found in this edition.",
    }


class TieNoLongerStands(Conflict):
    code = "tie_no_longer_stands"
    field = "tie_id"
    messages = {
        "id": "Nilai seri untuk peringkat {rank} tidak berlaku lagi karena nilai berubah; lihat GET /editions/{{id}}/ties.",
        "en": "The tie for rank {rank} no longer stands because scores changed; see GET /editions/{{id}}/ties.",
    }


class TieAlreadyResolved(Conflict):
    code = "tie_already_resolved"
    field = "tie_id"
    messages = {
        "id": "Nilai seri untuk peringkat {rank} sudah diputuskan oleh {resolved_by} pada {resolved_at}.",
        "en": "The tie for rank {rank} was already resolved by {resolved_by} at {resolved_at}.",
    }


class TieOrderInvalid(Refused):
    code = "tie_order_invalid"
    field = "order"
    messages = {
        "id": "Urutan harus memuat tepat sekali setiap karya yang seri: {expected}.",
        "en": "The order must list each tied entry exactly once: {expected}.",
    }


class TieUnresolved(Conflict):
    code = "tie_unresolved"
    messages = {
        "id": "{count} karya seri untuk peringkat {rank} dan aturan penentu tidak dapat memisahkannya. Staf perlu memutuskan urutannya (POST /editions/{{id}}/ties/{tie_id}/resolution) sebelum hasil dibekukan.",
        "en": "{count} entries tie for rank {rank} and the tie-break rules cannot separate them. Staff must decide their order (POST /editions/{{id}}/ties/{tie_id}/resolution) before the results are frozen.",
    }


class ResultsAlreadyFrozen(Conflict):
    code = "results_already_frozen"
    messages = {
        "id": "Hasil ini sudah dibekukan sebagai versi {version}; verifikasi lalu umumkan versi itu.",
        "en": "These results are already frozen as version {version}; verify and announce that version.",
    }


class CorrectionReasonRequired(Refused):
    code = "correction_reason_required"
    field = "reason"
    messages = {
        "id": "Versi {version} sudah diumumkan: sebutkan alasan koreksi.",
        "en": "Version {version} was announced: give the reason for the correction.",
    }


class NothingToCorrect(Conflict):
    code = "nothing_to_correct"
    messages = {
        "id": "Hasil saat ini sama persis dengan versi {version} yang sudah diumumkan; tidak ada yang dikoreksi.",
        "en": "The results now are exactly those of announced version {version}; there is nothing to correct.",
    }


class NothingFrozen(Conflict):
    code = "nothing_frozen"
    messages = {
        "id": "Hasil '{title}' belum dibekukan: bekukan (POST /editions/{{id}}/snapshots) dan verifikasi dulu.",
        "en": "The results of '{title}' are not frozen: freeze them (POST /editions/{{id}}/snapshots) and verify first.",
    }


class SnapshotNotFound(NotFound):
    code = "snapshot_not_found"
    field = "version"
    messages = {
        "id": "Versi hasil {version} tidak ada.",
        "en": "Results version {version} does not exist.",
    }


class SnapshotSuperseded(Conflict):
    code = "snapshot_superseded"
    field = "version"
    messages = {
        "id": "Versi {version} sudah digantikan oleh versi {latest}; gunakan versi terbaru.",
        "en": "Version {version} was superseded by version {latest}; use the latest.",
    }


class SnapshotNotVerified(Conflict):
    code = "snapshot_not_verified"
    messages = {
        "id": "Versi {version} belum diverifikasi; verifikasi dulu (POST /editions/{{id}}/snapshots/{version}/verification).",
        "en": "Version {version} has not been verified; verify it first (POST /editions/{{id}}/snapshots/{version}/verification).",
    }


class SnapshotStale(Conflict):
    code = "snapshot_stale"
    messages = {
        "id": "Versi {version} tidak lagi sesuai dengan lembar nilai (hash tersimpan {stored}, dihitung ulang {recomputed}). Bekukan hasil lagi.",
        "en": "Version {version} no longer matches the score sheets (stored hash {stored}, recomputed {recomputed}). Freeze the results again.",
    }


class SnapshotTampered(Conflict):
    code = "snapshot_tampered"
    messages = {
        "id": "Isi tersimpan versi {version} tidak cocok dengan hash-nya sendiri (tersimpan {stored}, isi {actual}): data diubah di luar aplikasi. Periksa jejak audit dan bekukan ulang.",
        "en": "The stored content of version {version} does not match its own hash (stored {stored}, content {actual}): it was changed outside the application. Check the audit trail and freeze again.",
    }


class ResultsVersionNotAnnounced(NotFound):
    code = "results_version_not_announced"
    field = "version"
    messages = {
        "id": "Versi hasil {version} dari '{title}' belum atau tidak pernah diumumkan.",
        "en": "Results version {version} of '{title}' has not been announced.",
    }


class NotOnThisPanel(Forbidden):
    """A judge asking about an edition whose panel they do not sit on."""

    code = "not_on_this_panel"
    owner = "judge"
    messages = {
        "id": "Anda tidak termasuk dewan juri edisi ini.",
        "en": "You do not sit on this edition's panel.",
    }


class NotYourSheet(Forbidden):
    """A judge reading or filling another judge's assignments or score sheets."""

    code = "not_your_sheet"
    owner = "judge"
    messages = {
        "id": "Anda hanya dapat membuka dan mengisi lembar nilai Anda sendiri, bukan milik juri lain.",
        "en": "You may open and fill only your own score sheets, not another judge's.",
    }


class CertificateNotFound(NotFound):
    code = "certificate_not_found"
    field = "code"
    messages = {
        "id": "Sertifikat dengan kode '{code}' tidak ada. Periksa kembali kodenya; sertifikat "
        "hanya diterbitkan untuk hasil yang sudah diumumkan.",
        "en": "There is no certificate with code '{code}'. Check the code; certificates are "
        "issued only for announced results.",
    }


# Two rounds (`rounds.py`).


class RoundsRuleInvalid(Refused):
    code = "shortlist_rule_invalid"
    field = "shortlist"
    messages = {
        "id": "Tentukan tepat satu aturan babak penyisihan: jumlah karya yang lolos (size) atau nilai minimum (min_score).",
        "en": "Give exactly one shortlist rule: how many entries go on (size) or the lowest score that goes on (min_score).",
    }


class RoundsFixed(Conflict):
    code = "rounds_fixed"
    messages = {
        "id": "Babak penilaian '{title}' tidak bisa diubah lagi karena penilaian sudah dimulai.",
        "en": "The rounds of '{title}' can no longer change: scoring has begun.",
    }


class RoundsNotSet(Conflict):
    code = "rounds_not_set"
    messages = {
        "id": "'{title}' dinilai dalam satu babak: tidak ada babak penyisihan untuk ditutup.",
        "en": "'{title}' is judged in one round: there is no shortlist round to close.",
    }


class RoundOneNotComplete(Conflict):
    code = "round_one_not_complete"
    messages = {
        "id": "Babak penyisihan '{title}' belum selesai: {missing} lembar nilai belum masuk.",
        "en": "The shortlist round of '{title}' is not complete: {missing} score sheets are still missing.",
    }


class ShortlistAlreadyClosed(Conflict):
    code = "shortlist_already_closed"
    messages = {
        "id": "Babak penyisihan '{title}' sudah ditutup pada {closed_at}; {count} karya lolos ke babak final.",
        "en": "The shortlist round of '{title}' was closed at {closed_at}; {count} entries went on to the final.",
    }


class ShortlistLargerThanField(Refused):
    code = "shortlist_larger_than_field"
    field = "shortlist"
    messages = {
        "id": "Babak penyisihan meloloskan {size} karya, tetapi hanya {field_size} karya yang dinilai.",
        "en": "The shortlist takes {size} entries, but only {field_size} entries were scored.",
    }


class ShortlistEmpty(Refused):
    code = "shortlist_empty"
    field = "shortlist"
    messages = {
        "id": "Tidak ada karya dengan nilai {min_score} atau lebih; nilai tertinggi babak penyisihan {best}.",
        "en": "No entry scored {min_score} or more; the best score of the shortlist round is {best}.",
    }


class NoFinalRound(NotFound):
    code = "no_final_round"
    messages = {
        "id": "'{title}' dinilai dalam satu babak: tidak ada babak final.",
        "en": "'{title}' is judged in one round: there is no final round.",
    }


class FinalRoundNotOpen(NotFound):
    code = "final_round_not_open"
    messages = {
        "id": "Babak final '{title}' belum dibuka: tutup dulu babak penyisihan.",
        "en": "The final round of '{title}' has not opened: close the shortlist round first.",
    }


class RoundOneStaysInternal(Conflict):
    code = "round_one_not_announced"
    messages = {
        "id": "'{title}' dinilai dalam dua babak: yang diumumkan adalah hasil babak final, bukan babak penyisihan.",
        "en": "'{title}' is judged in two rounds: the final round's results are announced, not the shortlist round's.",
    }
