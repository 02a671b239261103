"""The submissions service's refusals, in Indonesian and English. Each names the rule broken."""

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
        "id": "Karya {entry_id} tidak ditemukan.",
        "en": "Entry {entry_id} was not found.",
    }


class EnrolmentNotFound(NotFound):
    code = "enrolment_not_found"
    field = "enrolment_id"
    messages = {
        "id": "Pendaftaran {enrolment_id} tidak ditemukan.",
        "en": "Enrolment {enrolment_id} was not found.",
    }


class SubmissionWindowNotOpen(Refused):
    code = "submission_window_not_open"
    messages = {
        "id": "Terlalu awal: pengumpulan karya untuk '{title}' baru dibuka {opens_at}.",
        "en": "Too early: submissions for '{title}' open at {opens_at}.",
    }


class SubmissionWindowClosed(Refused):
    code = "submission_window_closed"
    messages = {
        "id": "Terlambat: pengumpulan karya untuk '{title}' sudah ditutup ({closes_at}).",
        "en": "Too late: submissions for '{title}' closed at {closes_at}.",
    }


class KimNotEnrolled(Refused):
    code = "kim_not_enrolled"
    field = "kim_id"
    messages = {
        "id": "KIM ini belum terdaftar di edisi '{title}'. Daftarkan KIM ke edisi ini terlebih dahulu.",
        "en": "This KIM is not enrolled in '{title}'. Enrol it in the edition first.",
    }


class EnrolmentNotApproved(Refused):
    code = "enrolment_not_approved"
    field = "kim_id"
    messages = {
        "id": "Pendaftaran {kim_name} di edisi '{title}' {status_id}. Karya hanya bisa dikirim setelah disetujui.",
        "en": "{kim_name}'s enrolment in '{title}' {status_en}. Entries are accepted only once it is approved.",
    }


class EntryLimitReached(Refused):
    code = "entry_limit_reached"
    field = "kim_id"
    messages = {
        "id": "{kim_name} sudah mengirim {count} karya; edisi ini membolehkan {limit} karya per KIM. Revisi karya yang ada atau tarik dulu.",
        "en": "{kim_name} already has {count} entries; this edition allows {limit} per KIM. Revise or withdraw an existing one.",
    }


class VideoLinkNotHttps(Refused):
    code = "video_link_not_https"
    field = "video_url"
    messages = {
        "id": "Tautan video harus diawali https:// (tautan yang dikirim: {url}).",
        "en": "The video link must start with https:// (got: {url}).",
    }


class VideoHostNotAllowed(Refused):
    code = "video_host_not_allowed"
    field = "video_url"
    messages = {
        "id": "Video di {host} tidak diterima. Unggah ke salah satu: {allowed}.",
        "en": "Videos on {host} are not accepted. Upload to one of: {allowed}.",
    }


class VideoTooLong(Refused):
    code = "video_too_long"
    field = "duration_seconds"
    messages = {
        "id": "Durasi video {duration} detik melebihi batas {limit} detik. Persingkat video lalu kirim lagi.",
        "en": "The video runs {duration} seconds; the limit is {limit}. Shorten it and submit again.",
    }


class EntryNotActive(Conflict):
    code = "entry_not_active"
    messages = {
        "id": "Karya ini sudah {status_id} dan tidak bisa diubah.",
        "en": "This entry is {status_en} and can no longer change.",
    }


class EntryOfAnotherKim(Forbidden):
    """A KIM representative touching an entry of another KIM."""

    code = "entry_of_another_kim"
    owner = "kim_rep"
    messages = {
        "id": "Karya ini milik KIM lain; Anda hanya dapat membuka dan mengubah karya KIM Anda sendiri.",
        "en": "This entry belongs to another KIM; you may open and change only your own KIM's entries.",
    }


class CategoryUnknown(Refused):
    code = "category_unknown"
    field = "categories"
    messages = {
        "id": "Kategori '{code}' tidak ada di edisi '{title}'. Pilih dari kategori yang diumumkan edisi ini.",
        "en": "There is no category '{code}' in edition '{title}'. Choose one of the edition's categories.",
    }


class CategoryNotEnterable(Refused):
    code = "category_not_enterable"
    field = "categories"
    messages = {
        "id": "Karya tidak didaftarkan untuk '{title}': penghargaan ini ditetapkan juri atau dipilih publik.",
        "en": "Entries are not entered for '{title}': that award is given by the jury or chosen by the public.",
    }
