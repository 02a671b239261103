"""The voting service's refusals, in Indonesian and English."""

from __future__ import annotations

from shared.kernel.errors import Conflict, NotFound, Refused, Throttled


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


class VoteNotFound(NotFound):
    code = "vote_not_found"
    field = "vote_id"
    messages = {
        "id": "Suara {vote_id} tidak ditemukan di edisi ini.",
        "en": "Vote {vote_id} was not found in this edition.",
    }


class FlagNotFound(NotFound):
    code = "flag_not_found"
    field = "flag_id"
    messages = {
        "id": "Tanda kecurangan {flag_id} tidak ditemukan di edisi ini.",
        "en": "Fraud flag {flag_id} was not found in this edition.",
    }


class CodeRequestNotFound(NotFound):
    code = "code_request_not_found"
    field = "request_id"
    messages = {
        "id": "Permintaan kode {request_id} tidak ditemukan di edisi ini. Minta kode baru.",
        "en": "Code request {request_id} was not found in this edition. Ask for a new code.",
    }


class VoteWindowNotSet(NotFound):
    code = "vote_window_not_set"
    messages = {
        "id": "Jadwal pemungutan suara '{title}' belum ditetapkan.",
        "en": "The vote of '{title}' has no window yet.",
    }


class NoFavouriteCategory(Conflict):
    code = "no_favourite_category"
    messages = {
        "id": "Edisi '{title}' tidak memiliki kategori Juara Favorit; tambahkan kategori berjenis "
        "favourite di registry dulu.",
        "en": "Edition '{title}' has no favourite (people's choice) category; add a category of kind "
        "favourite in the registry first.",
    }


class VoteWindowInvalid(Refused):
    code = "vote_window_invalid"
    field = "closes_at"
    messages = {
        "id": "Waktu tutup pemungutan suara harus sesudah waktu buka.",
        "en": "The vote must close after it opens.",
    }


class VoteWindowFrozen(Conflict):
    code = "vote_window_frozen"
    messages = {
        "id": "Hasil suara '{title}' sudah dibekukan; jadwalnya tidak bisa diubah lagi.",
        "en": "The tally of '{title}' is frozen; its window can no longer change.",
    }


class VoteWindowClosed(Conflict):
    code = "vote_window_closed"
    messages = {
        "id": "Pemungutan suara '{title}' tidak sedang dibuka (status: {status}).",
        "en": "The vote of '{title}' is not open (status: {status}).",
    }


class VoteWindowStillOpen(Conflict):
    code = "vote_window_open"
    messages = {
        "id": "Pemungutan suara '{title}' belum ditutup; hasil baru bisa dibekukan sesudah ditutup.",
        "en": "The vote of '{title}' has not closed; the tally can be frozen only after it closes.",
    }


class EntryNotInCompetition(Refused):
    code = "entry_not_in_competition"
    field = "entry_id"
    messages = {
        "id": "Karya {entry_id} tidak sedang dilombakan di edisi ini; pilih karya dari galeri.",
        "en": "Entry {entry_id} is not in competition in this edition; choose one from the gallery.",
    }


class EntryNotInCategory(Refused):
    code = "entry_not_in_category"
    field = "choices"
    messages = {
        "id": "Karya {entry_id} tidak ikut kategori '{title}'; pilih karya dari daftar kategori itu.",
        "en": "Entry {entry_id} is not entered for the category '{title}'; choose one of that category's films.",
    }


class FavouriteCategoryUnknown(NotFound):
    code = "favourite_category_unknown"
    field = "category"
    messages = {
        "id": "'{category}' bukan kategori Juara Favorit edisi '{title}'.",
        "en": "'{category}' is not a favourite category of '{title}'.",
    }


class CategoryChosenTwice(Refused):
    code = "category_chosen_twice"
    field = "choices"
    messages = {
        "id": "Kategori '{category}' dipilih dua kali; pilih satu karya per kategori.",
        "en": "The category '{category}' is chosen twice; choose one film per category.",
    }


class CategoryRequired(Refused):
    code = "category_required"
    field = "choices"
    messages = {
        "id": "Edisi '{title}' punya beberapa kategori Juara Favorit; sebutkan kategori setiap pilihan.",
        "en": "'{title}' has several favourite categories; name the category of each choice.",
    }


class AlreadyVoted(Conflict):
    code = "already_voted"
    messages = {
        "id": "Nomor atau alamat ini sudah memberikan suara di edisi ini (di kategori ini). Satu orang satu suara.",
        "en": "This number or address has already voted in this edition (in this category): one person, one vote.",
    }


class CodeWrong(Refused):
    code = "code_wrong"
    field = "code"
    messages = {
        "id": "Kode salah. Sisa percobaan: {remaining}.",
        "en": "The code is wrong. Tries left: {remaining}.",
    }


class CodeExpired(Refused):
    code = "code_expired"
    field = "code"
    messages = {
        "id": "Kode sudah kedaluwarsa. Minta kode baru.",
        "en": "The code has expired. Ask for a new one.",
    }


class CodeVoid(Refused):
    code = "code_void"
    field = "code"
    messages = {
        "id": "Kode ini dibatalkan karena terlalu sering salah. Minta kode baru.",
        "en": "This code was voided after too many wrong tries. Ask for a new one.",
    }


class CodeUsed(Conflict):
    code = "code_used"
    field = "code"
    messages = {
        "id": "Kode ini sudah dipakai untuk memberikan suara.",
        "en": "This code has already been used to vote.",
    }


class ChallengeInvalid(Refused):
    code = "challenge_invalid"
    field = "altcha"
    messages = {
        "id": "Verifikasi anti-robot tidak ada, tidak sah, sudah dipakai atau kedaluwarsa. Muat ulang "
        "halaman dan coba lagi.",
        "en": "The anti-robot check is missing, forged, already used or expired. Reload the page and "
        "try again.",
    }


class AddressInvalid(Refused):
    code = "voter_address_invalid"
    field = "address"
    messages = {
        "id": "Tulis nomor WhatsApp (mis. 081234567890 atau +6281234567890) atau alamat email yang sah.",
        "en": "Give a valid WhatsApp number (e.g. 081234567890 or +6281234567890) or email address.",
    }


class ChannelNotAvailable(Refused):
    code = "channel_not_available"
    field = "address"
    messages = {
        "id": "Kode belum bisa dikirim lewat WhatsApp di sini. Tulis alamat email Anda; kodenya dikirim lewat email.",
        "en": "Codes cannot be sent by WhatsApp here yet. Give your email address; the code is sent by email.",
    }


class ChannelAddressMismatch(Refused):
    code = "channel_address_mismatch"
    field = "channel"
    messages = {
        "id": "Kode lewat {channel} memerlukan {needed}; yang Anda tulis adalah {given}.",
        "en": "A code by {channel} needs {needed_en}; you gave {given_en}.",
    }


class TooManyCodeRequests(Throttled):
    code = "too_many_code_requests"
    messages = {
        "id": "Terlalu banyak permintaan kode dari {scope_id} ini. Coba lagi dalam {seconds} detik.",
        "en": "Too many code requests from this {scope_en}. Try again in {seconds} seconds.",
    }


class TallyNotPublic(NotFound):
    code = "tally_not_public"
    messages = {
        "id": "Perolehan suara '{title}' belum diumumkan.",
        "en": "The vote count of '{title}' is not public yet.",
    }


class VoteAlreadyVoided(Conflict):
    code = "vote_already_voided"
    messages = {
        "id": "Suara {vote_id} sudah dibatalkan.",
        "en": "Vote {vote_id} is already void.",
    }


class FlagAlreadyDecided(Conflict):
    code = "flag_already_decided"
    messages = {
        "id": "Tanda kecurangan {flag_id} sudah diputuskan ({status}).",
        "en": "Fraud flag {flag_id} is already decided ({status}).",
    }
