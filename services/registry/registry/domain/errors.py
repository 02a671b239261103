"""The registry's refusals, in Indonesian and English."""

from __future__ import annotations

from shared.kernel.errors import Conflict, NotFound, Refused, Throttled
from shared.kernel.principal import Forbidden, Unauthenticated


class UnknownKelurahan(Refused):
    code = "unknown_kelurahan"
    field = "kelurahan_code"
    messages = {
        "id": "Kelurahan '{code}' tidak ada di {city}. Pilih kode dari GET /regions.",
        "en": "There is no kelurahan '{code}' in {city}. Choose a code from GET /regions.",
    }


class InvalidWhatsApp(Refused):
    code = "invalid_whatsapp_number"
    field = "whatsapp"
    messages = {
        "id": "Nomor WhatsApp '{number}' bukan nomor seluler Indonesia. Tulis seperti 081234567890 atau +6281234567890.",
        "en": "'{number}' is not an Indonesian mobile number. Write it like 081234567890 or +6281234567890.",
    }


class KimNameTaken(Conflict):
    code = "kim_name_taken"
    field = "name"
    messages = {
        "id": "Nama KIM '{name}' sudah terdaftar. Gunakan nama lain atau perbarui KIM yang ada.",
        "en": "A KIM named '{name}' is already registered. Use another name or update the existing KIM.",
    }


class KimNotFound(NotFound):
    code = "kim_not_found"
    field = "kim_id"
    messages = {
        "id": "KIM {kim_id} tidak ditemukan.",
        "en": "KIM {kim_id} was not found.",
    }


class KimAlreadyVerified(Conflict):
    code = "kim_already_verified"
    messages = {
        "id": "KIM {name} sudah diverifikasi.",
        "en": "KIM {name} is already verified.",
    }


class EditionNotFound(NotFound):
    code = "edition_not_found"
    field = "edition_id"
    messages = {
        "id": "Edisi lomba {edition_id} tidak ditemukan.",
        "en": "Edition {edition_id} was not found.",
    }


class WindowClosesBeforeItOpens(Refused):
    code = "submission_window_invalid"
    field = "submission_closes_at"
    messages = {
        "id": "Batas akhir pengumpulan harus setelah waktu pembukaan.",
        "en": "The submission deadline must come after the window opens.",
    }


class WindowAlreadyOver(Refused):
    code = "submission_window_over"
    field = "submission_closes_at"
    messages = {
        "id": "Batas akhir pengumpulan ({closes_at}) sudah lewat. Tetapkan batas akhir yang akan datang sebelum menerbitkan.",
        "en": "The submission deadline ({closes_at}) has already passed. Set a future deadline before publishing.",
    }


class PrizeRankNotAwarded(Refused):
    code = "prize_rank_not_awarded"
    field = "prizes"
    messages = {
        "id": "Hadiah untuk peringkat {rank} tidak sesuai: edisi ini hanya memberi {awarded_ranks} peringkat.",
        "en": "A prize for rank {rank} does not fit: this edition awards only {awarded_ranks} ranks.",
    }


class CategoryPrizeRankNotAwarded(Refused):
    code = "prize_rank_not_awarded"
    field = "categories"
    messages = {
        "id": "Hadiah untuk peringkat {rank} di kategori '{title}' tidak sesuai: kategori ini hanya memberi {awarded_ranks} peringkat.",
        "en": "A prize for rank {rank} in category '{title}' does not fit: it awards only {awarded_ranks} ranks.",
    }


class PrizeRankTwice(Refused):
    code = "prize_rank_twice"
    field = "prizes"
    messages = {
        "id": "Ada dua hadiah untuk peringkat {rank}. Tulis satu hadiah per peringkat.",
        "en": "There are two prizes for rank {rank}. Give one prize per rank.",
    }


class CategoryCodeTaken(Refused):
    code = "category_code_taken"
    field = "categories"
    messages = {
        "id": "Kode kategori '{code}' dipakai dua kali. Setiap kategori memerlukan kode sendiri.",
        "en": "The category code '{code}' is used twice. Each category needs a code of its own.",
    }


class SpecialAwardOnePlace(Refused):
    code = "special_award_one_place"
    field = "categories"
    messages = {
        "id": "Penghargaan khusus '{title}' diberikan kepada satu karya: jumlah peringkatnya harus 1.",
        "en": "The special award '{title}' goes to one entry: its awarded ranks must be 1.",
    }


class FavouriteCategoryTwice(Refused):
    code = "favourite_category_twice"
    field = "categories"
    messages = {
        "id": "Ada beberapa kategori favorit (pilihan publik): {titles}. Jika lebih dari satu, setiap kategori favorit harus menyebut kategori berperingkat yang karyanya dipilih (favourite_of).",
        "en": "There are several favourite categories (the public's choice): {titles}. With more than one, each must name the ranked category whose entries it is for (favourite_of).",
    }


class FavouriteOfNotFavourite(Refused):
    code = "favourite_of_not_favourite"
    field = "categories"
    messages = {
        "id": "Kategori '{title}' bukan kategori favorit; hanya kategori favorit yang boleh menyebut kategori asal karyanya (favourite_of).",
        "en": "Category '{title}' is not a favourite category; only a favourite category may name the category its entries come from (favourite_of).",
    }


class FavouriteOfNotRanked(Refused):
    code = "favourite_of_not_ranked"
    field = "categories"
    messages = {
        "id": "Kategori favorit '{title}' menyebut '{code}', yang bukan kategori berperingkat di edisi ini.",
        "en": "The favourite category '{title}' names '{code}', which is not a ranked category of this edition.",
    }


class FavouriteOfTwice(Refused):
    code = "favourite_of_twice"
    field = "categories"
    messages = {
        "id": "Kategori '{code}' disebut oleh dua kategori favorit ({titles}); setiap kategori favorit untuk kategori yang berbeda.",
        "en": "Category '{code}' is named by two favourite categories ({titles}); each favourite category is for a different one.",
    }


class WindowInPast(Refused):
    code = "window_in_past"
    field = "submission_opens_at"
    messages = {
        "id": "Pembukaan pengumpulan edisi baru ({opens_at}) sudah lewat. Pilih waktu yang akan datang.",
        "en": "The new edition's submission opening ({opens_at}) is in the past. Choose a time to come.",
    }


class EditionAlreadyPublished(Conflict):
    code = "edition_already_published"
    messages = {
        "id": "Edisi '{title}' sudah diterbitkan.",
        "en": "Edition '{title}' is already published.",
    }


class EditionNotPublished(Conflict):
    code = "edition_not_published"
    messages = {
        "id": "Edisi '{title}' belum diterbitkan.",
        "en": "Edition '{title}' has not been published yet.",
    }


class SubmissionsAlreadyClosed(Conflict):
    code = "submissions_already_closed"
    messages = {
        "id": "Pengumpulan karya untuk edisi '{title}' sudah ditutup.",
        "en": "Submissions for edition '{title}' are already closed.",
    }


class RulesFixedAfterClosing(Conflict):
    code = "edition_closed_for_changes"
    messages = {
        "id": "Edisi '{title}' sudah ditutup untuk pengumpulan; jadwal dan aturannya tidak bisa diubah lagi.",
        "en": "Edition '{title}' is closed for submissions; its window and rules can no longer change.",
    }


class EditionNotOpenForEnrolment(Refused):
    code = "edition_not_open_for_enrolment"
    field = "edition_id"
    messages = {
        "id": "Edisi '{title}' tidak sedang membuka pendaftaran (status: {status}).",
        "en": "Edition '{title}' is not open for enrolment (status: {status}).",
    }


class KimNotVerified(Refused):
    code = "kim_not_verified"
    field = "kim_id"
    messages = {
        "id": "KIM {name} belum diverifikasi oleh Diskominfo. Tunggu verifikasi sebelum mendaftar lomba.",
        "en": "KIM {name} has not been verified by staff yet. Wait for verification before enrolling.",
    }


class AlreadyEnrolled(Conflict):
    code = "already_enrolled"
    field = "kim_id"
    messages = {
        "id": "KIM {name} sudah terdaftar di edisi ini (status: {status}).",
        "en": "KIM {name} is already enrolled in this edition (status: {status}).",
    }


class EnrolmentNotFound(NotFound):
    code = "enrolment_not_found"
    field = "enrolment_id"
    messages = {
        "id": "Pendaftaran {enrolment_id} tidak ditemukan.",
        "en": "Enrolment {enrolment_id} was not found.",
    }


class EnrolmentAlreadyDecided(Conflict):
    code = "enrolment_already_decided"
    messages = {
        "id": "Pendaftaran ini sudah berstatus {status}.",
        "en": "This enrolment is already {status}.",
    }


class EnrolmentDecisionTooLate(Conflict):
    code = "enrolment_decision_too_late"
    messages = {
        "id": "Pengumpulan karya edisi '{title}' sudah ditutup; keputusan pendaftaran tidak bisa diubah lagi.",
        "en": "Submissions for edition '{title}' are closed; enrolment decisions can no longer change.",
    }


class KimRequiredForRepresentative(Refused):
    code = "kim_required"
    field = "kim_id"
    messages = {
        "id": "Akun perwakilan KIM harus menyebut KIM yang diwakilinya (kim_id).",
        "en": "A KIM representative's account must name the KIM it acts for (kim_id).",
    }


class NoKimForRole(Refused):
    code = "kim_not_for_role"
    field = "kim_id"
    messages = {
        "id": "Hanya akun perwakilan KIM yang terkait dengan KIM; peran '{role}' tidak.",
        "en": "Only a KIM representative's account belongs to a KIM; the role '{role}' does not.",
    }


class AccountEmailTaken(Conflict):
    code = "account_email_taken"
    field = "email"
    messages = {
        "id": "Sudah ada akun dengan email {email}. Masuk dengan akun itu, atau gunakan email lain.",
        "en": "An account with the email {email} already exists. Log in with it, or use another email.",
    }


class LoginFailed(Unauthenticated):
    code = "login_failed"
    messages = {
        "id": "Email atau kata sandi salah.",
        "en": "Wrong email or password.",
    }


class TooManyLogins(Throttled):
    code = "too_many_logins"
    messages = {
        "id": "Terlalu banyak percobaan masuk yang gagal. Coba lagi dalam {seconds} detik.",
        "en": "Too many failed logins. Try again in {seconds} seconds.",
    }


class PasswordRequired(Refused):
    code = "password_required"
    field = "password"
    messages = {
        "id": "Tentukan kata sandi untuk akun perwakilan KIM (minimal 10 karakter); dengan email KIM dan kata sandi itu Anda masuk.",
        "en": "Choose a password for the KIM representative's account (at least 10 characters); you log in with the KIM's email and that password.",
    }


class AccountNotFound(NotFound):
    code = "account_not_found"
    messages = {
        "id": "Akun {account_id} tidak ditemukan.",
        "en": "Account {account_id} was not found.",
    }


class SessionEnded(Unauthenticated):
    code = "session_ended"
    messages = {
        "id": "Sesi Anda sudah berakhir (keluar, kedaluwarsa, dicabut, atau akun dinonaktifkan). Silakan masuk lagi.",
        "en": "Your session has ended (signed out, expired, revoked, or the account was disabled). Please sign in again.",
    }


class AccountDisabled(LoginFailed):
    code = "account_disabled"
    messages = {
        "id": "Akun ini dinonaktifkan. Hubungi staf Diskominfo.",
        "en": "This account is disabled. Contact the Diskominfo staff.",
    }


class SessionNotFound(NotFound):
    """For `sessions.require`; people never ask for a session by id (an unknown
    refresh token is `SessionEnded`)."""

    code = "session_not_found"
    messages = {
        "id": "Sesi masuk {session_id} tidak ditemukan.",
        "en": "Sign-in session {session_id} was not found.",
    }


class EnrolmentOfAnotherKim(Forbidden):
    """A KIM representative asking for another KIM's enrolment."""

    code = "enrolment_of_another_kim"
    owner = "kim_rep"
    messages = {
        "id": "Pendaftaran ini milik KIM lain; Anda hanya dapat melihat pendaftaran KIM Anda sendiri.",
        "en": "This enrolment belongs to another KIM; you may see only your own KIM's enrolments.",
    }


class TooManyItems(Refused):
    """A list of the KIM's profile is longer than it may be; `field` names the list."""

    code = "too_many_items"
    messages = {
        "id": "Terlalu banyak isian: paling banyak {most}, Anda mengirim {count}.",
        "en": "Too many rows: at most {most}, you sent {count}.",
    }


class TitleRequired(Refused):
    """A row of the KIM's profile without its name or title; `field` names it."""

    code = "title_required"
    messages = {
        "id": "Isian ini wajib diisi.",
        "en": "This is required.",
    }


class DuplicateMember(Refused):
    code = "duplicate_member"
    field = "members"
    messages = {
        "id": "Anggota bernama '{name}' sudah ada di daftar. Tulis setiap anggota sekali saja.",
        "en": "A member named '{name}' is already on the list. List each member once.",
    }


class YearOutOfRange(Refused):
    code = "year_out_of_range"
    messages = {
        "id": "Tahun {year} tidak mungkin: tulis tahun antara {earliest} dan {latest}.",
        "en": "The year {year} is not possible: write a year between {earliest} and {latest}.",
    }


class CompetitionAchievementFixed(Refused):
    code = "competition_achievement_fixed"
    field = "achievements"
    messages = {
        "id": "Prestasi dari lomba sistem ini dicatat otomatis dari hasil yang diumumkan dan tidak bisa diubah atau dihapus.",
        "en": "Achievements from this system's competitions are recorded from the announced results and cannot be edited or deleted.",
    }


class LinkNotFound(NotFound):
    """A confirmation or reset token that names nothing (mistyped, or never sent)."""

    code = "link_not_valid"
    field = "token"
    messages = {
        "id": "Tautan ini tidak berlaku. Buka tautan persis seperti di email, atau minta yang baru.",
        "en": "This link is not valid. Open the link exactly as it is in the mail, or ask for a new one.",
    }


class LinkUsed(Conflict):
    code = "link_already_used"
    field = "token"
    messages = {
        "id": "Tautan ini sudah dipakai dan hanya berlaku sekali. Silakan masuk, atau minta tautan baru.",
        "en": "This link has been used already and works only once. Sign in, or ask for a new link.",
    }


class LinkExpired(Refused):
    code = "link_expired"
    field = "token"
    messages = {
        "id": "Tautan ini sudah kedaluwarsa. Minta tautan baru.",
        "en": "This link has expired. Ask for a new one.",
    }


class RegistrationEmailTaken(Conflict):
    """Confirming a registration whose email got an account meanwhile. Only the
    holder of the link sent to that email sees it, so it reveals nothing."""

    code = "registration_email_taken"
    field = "email"
    messages = {
        "id": "Sementara itu sudah ada akun dengan email ini, jadi pendaftaran ini tidak dapat dikonfirmasi. "
        "Masuk dengan akun itu, atau atur ulang kata sandinya.",
        "en": "An account with this email was opened meanwhile, so this registration cannot be confirmed. "
        "Sign in with that account, or reset its password.",
    }


class KimEmailTaken(Conflict):
    """A KIM's new contact email is another account's login (the representative's
    login follows the KIM's email)."""

    code = "kim_email_taken"
    field = "email"
    messages = {
        "id": "Email {email} sudah dipakai akun lain, sehingga tidak dapat menjadi email KIM ini "
        "(email masuk perwakilan mengikuti email KIM). Gunakan email lain.",
        "en": "The email {email} belongs to another account, so it cannot be this KIM's email "
        "(the representative's login follows the KIM's email). Use another email.",
    }


class TooManyRequests(Throttled):
    code = "too_many_requests"
    messages = {
        "id": "Terlalu banyak permintaan dari alamat ini. Coba lagi dalam {seconds} detik.",
        "en": "Too many requests from this address. Try again in {seconds} seconds.",
    }


class CurrentPasswordWrong(Refused):
    code = "current_password_wrong"
    field = "current_password"
    messages = {
        "id": "Kata sandi saat ini salah.",
        "en": "The current password is wrong.",
    }
