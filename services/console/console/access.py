"""Who may open which of the console's pages: one declared table of its routes x roles,
the same shape as the services' (`shared.platform.access`), read the console's way:

- `ALLOW`: the page answers (after the CSRF check for a form).
- `DENY` for an anonymous visitor: sent to /masuk to sign in first.
- `DENY` for a signed-in person of another role: a 403 page.

The guards in `web.py` (`Staff`, `Judge`, `KimRep`, `CurrentVisitor`) do the work;
`tests/unit/console/test_access.py` walks every route the app has against this table,
so a page added without a row here fails it.
"""

from __future__ import annotations

from shared.platform.access import ALLOW, EVERYONE, SIGNED_IN, STAFF, Endpoint, Rule

JUDGE = Rule(judge=ALLOW)
KIM_REP = Rule(kim_rep=ALLOW)

ROUTES: dict[Endpoint, Rule] = {
    # Operations and the language switch.
    ("GET", "/health"): EVERYONE,
    ("GET", "/ready"): EVERYONE,
    # Open like /health; an operator keeps it off the public internet (README).
    ("GET", "/metrics"): EVERYONE,
    ("GET", "/bahasa/{language}"): EVERYONE,
    # Signing in and out (signing out without a session just goes home).
    ("GET", "/masuk"): EVERYONE,
    ("POST", "/masuk"): EVERYONE,
    ("POST", "/keluar"): EVERYONE,
    # Registering a KIM, resetting and changing a password (pages/signup.py).
    ("GET", "/daftar"): EVERYONE,
    ("POST", "/daftar"): EVERYONE,
    ("GET", "/daftar/terkirim"): EVERYONE,
    ("GET", "/daftar/konfirmasi"): EVERYONE,
    ("POST", "/daftar/konfirmasi"): EVERYONE,
    ("GET", "/sandi/lupa"): EVERYONE,
    ("POST", "/sandi/lupa"): EVERYONE,
    ("GET", "/sandi/lupa/terkirim"): EVERYONE,
    ("GET", "/sandi/atur-ulang"): EVERYONE,
    ("POST", "/sandi/atur-ulang"): EVERYONE,
    ("GET", "/akun/sandi"): SIGNED_IN,
    ("POST", "/akun/sandi"): SIGNED_IN,
    # Public pages: the published editions and their announced results.
    ("GET", "/"): EVERYONE,
    ("GET", "/lomba/{edition_id}"): EVERYONE,
    ("GET", "/lomba/{edition_id}/hasil"): EVERYONE,
    ("GET", "/lomba/{edition_id}/hasil/versi/{version}"): EVERYONE,
    # The gallery and the public vote (pages/voting.py).
    ("GET", "/galeri"): EVERYONE,
    ("GET", "/pilih/tantangan"): EVERYONE,
    ("GET", "/pilih/{edition_id}"): EVERYONE,
    ("POST", "/pilih/{edition_id}"): EVERYONE,
    ("GET", "/pilih/{edition_id}/suara"): EVERYONE,
    ("POST", "/pilih/{edition_id}/suara"): EVERYONE,
    ("GET", "/pilih/{edition_id}/terima-kasih"): EVERYONE,
    # Staff: the Juara Favorit (pages/staff_voting.py).
    ("GET", "/staf/lomba/{edition_id}/juara-favorit"): STAFF,
    ("POST", "/staf/lomba/{edition_id}/juara-favorit/jendela"): STAFF,
    ("POST", "/staf/lomba/{edition_id}/juara-favorit/tutup"): STAFF,
    ("POST", "/staf/lomba/{edition_id}/juara-favorit/suara/{vote_id}/batalkan"): STAFF,
    ("POST", "/staf/lomba/{edition_id}/juara-favorit/tanda/{flag_id}/abaikan"): STAFF,
    ("POST", "/staf/lomba/{edition_id}/juara-favorit/bekukan"): STAFF,
    # Everyone signed in: their notification settings.
    ("GET", "/pengaturan/pemberitahuan"): SIGNED_IN,
    ("POST", "/pengaturan/pemberitahuan"): SIGNED_IN,
    # Judges and KIM representatives: their own inbox (pages/my_inbox.py).
    ("GET", "/kotak-masuk"): Rule(judge=ALLOW, kim_rep=ALLOW),
    ("POST", "/kotak-masuk/{delivery_id}/dibaca"): Rule(judge=ALLOW, kim_rep=ALLOW),
    # Staff: the reminders to KIMs before an edition's deadline (pages/staff_reminders.py).
    ("GET", "/staf/lomba/{edition_id}/pengingat"): STAFF,
    ("POST", "/staf/lomba/{edition_id}/pengingat"): STAFF,
    # Staff: downloads as CSV and XLSX (pages/staff_exports.py).
    ("GET", "/staf/lomba/{edition_id}/ekspor"): STAFF,
    ("GET", "/staf/lomba/{edition_id}/ekspor/hasil.{file_format}"): STAFF,
    ("GET", "/staf/lomba/{edition_id}/ekspor/nilai.{file_format}"): STAFF,
    ("GET", "/staf/lomba/{edition_id}/ekspor/karya.{file_format}"): STAFF,
    ("GET", "/staf/lomba/{edition_id}/ekspor/pendaftaran.{file_format}"): STAFF,
    ("GET", "/staf/ekspor/log-pengiriman.{file_format}"): STAFF,
    # The staff workspace and the staff inbox.
    ("GET", "/staf"): STAFF,
    ("GET", "/staf/kotak-masuk"): STAFF,
    ("GET", "/staf/kotak-masuk/langsung"): STAFF,
    ("POST", "/staf/kotak-masuk/aktifkan"): STAFF,
    ("POST", "/staf/kotak-masuk/{delivery_id}/dibaca"): STAFF,
    # The staff workspace: editions, KIMs and accounts (pages/staff.py, pages/staff_people.py).
    ("GET", "/staf/akun"): STAFF,
    ("GET", "/staf/akun/baru"): STAFF,
    ("POST", "/staf/akun/baru"): STAFF,
    ("POST", "/staf/akun/{account_id}/aktifkan"): STAFF,
    ("POST", "/staf/akun/{account_id}/nonaktifkan"): STAFF,
    ("GET", "/staf/kim"): STAFF,
    ("POST", "/staf/kim/{kim_id}/verifikasi"): STAFF,
    ("GET", "/staf/lomba/baru"): STAFF,
    ("POST", "/staf/lomba/baru"): STAFF,
    ("GET", "/staf/lomba/{edition_id}"): STAFF,
    ("GET", "/staf/lomba/{edition_id}/pendaftaran"): STAFF,
    ("POST", "/staf/lomba/{edition_id}/pendaftaran/{enrolment_id}/setujui"): STAFF,
    ("POST", "/staf/lomba/{edition_id}/pendaftaran/{enrolment_id}/tolak"): STAFF,
    ("POST", "/staf/lomba/{edition_id}/terbitkan"): STAFF,
    ("POST", "/staf/lomba/{edition_id}/salin"): STAFF,
    ("GET", "/staf/lomba/{edition_id}/tutup"): STAFF,
    ("POST", "/staf/lomba/{edition_id}/tutup"): STAFF,
    ("GET", "/staf/lomba/{edition_id}/ubah"): STAFF,
    ("POST", "/staf/lomba/{edition_id}/ubah"): STAFF,
    # The staff workspace: judging, results, audit and dead letters (pages/staff_judging.py).
    ("GET", "/staf/lomba/{edition_id}/audit"): STAFF,
    ("GET", "/staf/lomba/{edition_id}/audit.csv"): STAFF,
    ("GET", "/staf/lomba/{edition_id}/hasil"): STAFF,
    # An edition's categories (pages/staff_categories.py).
    ("GET", "/staf/lomba/{edition_id}/kategori"): STAFF,
    ("POST", "/staf/lomba/{edition_id}/kategori/{code}/rubrik"): STAFF,
    ("POST", "/staf/lomba/{edition_id}/kategori/{code}/penghargaan"): STAFF,
    ("POST", "/staf/lomba/{edition_id}/kategori/{code}/seri/{tie_id}"): STAFF,
    ("POST", "/staf/lomba/{edition_id}/kategori/{code}/bekukan"): STAFF,
    ("POST", "/staf/lomba/{edition_id}/kategori/{code}/versi/{version}/verifikasi"): STAFF,
    ("POST", "/staf/lomba/{edition_id}/kategori/{code}/umumkan"): STAFF,
    ("POST", "/staf/lomba/{edition_id}/hasil/bekukan"): STAFF,
    ("POST", "/staf/lomba/{edition_id}/hasil/seri/{tie_id}"): STAFF,
    ("GET", "/staf/lomba/{edition_id}/hasil/umumkan"): STAFF,
    ("POST", "/staf/lomba/{edition_id}/hasil/umumkan"): STAFF,
    ("POST", "/staf/lomba/{edition_id}/hasil/versi/{version}/verifikasi"): STAFF,
    ("GET", "/staf/lomba/{edition_id}/juri"): STAFF,
    ("POST", "/staf/lomba/{edition_id}/juri"): STAFF,
    ("POST", "/staf/lomba/{edition_id}/juri/{judge_id}/hapus"): STAFF,
    ("GET", "/staf/lomba/{edition_id}/penilaian"): STAFF,
    ("POST", "/staf/lomba/{edition_id}/penilaian/bagikan"): STAFF,
    ("GET", "/staf/lomba/{edition_id}/penilaian/kemajuan"): STAFF,
    ("POST", "/staf/lomba/{edition_id}/penilaian/opsi"): STAFF,
    ("POST", "/staf/lomba/{edition_id}/penilaian/rubrik"): STAFF,
    # Two rounds: a shortlist round then a final round (pages/staff_rounds.py).
    ("GET", "/staf/lomba/{edition_id}/babak"): STAFF,
    ("POST", "/staf/lomba/{edition_id}/babak"): STAFF,
    ("POST", "/staf/lomba/{edition_id}/babak/hapus"): STAFF,
    ("POST", "/staf/lomba/{edition_id}/babak/tutup"): STAFF,
    ("GET", "/staf/pesan-tersisih"): STAFF,
    ("GET", "/staf/pesan-tersisih/{service}/{dead_letter_id}"): STAFF,
    ("POST", "/staf/pesan-tersisih/{service}/{dead_letter_id}/kirim-ulang"): STAFF,
    # The judge's desk and the KIM portal.
    ("GET", "/juri"): JUDGE,
    ("GET", "/juri/{edition_id}"): JUDGE,
    ("GET", "/juri/{edition_id}/karya/{entry_id}"): JUDGE,
    ("POST", "/juri/{edition_id}/karya/{entry_id}"): JUDGE,
    ("GET", "/kim"): KIM_REP,
    ("GET", "/kim/lomba/{edition_id}"): KIM_REP,
    ("POST", "/kim/lomba/{edition_id}/daftar"): KIM_REP,
    ("GET", "/kim/lomba/{edition_id}/karya"): KIM_REP,
    ("POST", "/kim/lomba/{edition_id}/karya"): KIM_REP,
    ("GET", "/kim/lomba/{edition_id}/karya/periksa-tautan"): KIM_REP,
    ("GET", "/kim/lomba/{edition_id}/karya/ubah"): KIM_REP,
    ("POST", "/kim/lomba/{edition_id}/karya/ubah"): KIM_REP,
    ("GET", "/kim/lomba/{edition_id}/karya/tarik"): KIM_REP,
    ("POST", "/kim/lomba/{edition_id}/karya/tarik"): KIM_REP,
    ("GET", "/kim/nilai"): KIM_REP,
    # The KIM's profile: its representative edits it, anyone reads it (pages/kim_profile.py).
    ("GET", "/kim/profil"): KIM_REP,
    ("POST", "/kim/profil"): KIM_REP,
    ("GET", "/profil-kim/{kim_id}"): EVERYONE,
    ("GET", "/kim/nilai/{edition_id}"): KIM_REP,
    # Certificates: anyone checks one at its short URL; staff download them (pages/certificates.py).
    ("GET", "/s/{code}"): EVERYONE,
    ("GET", "/staf/lomba/{edition_id}/sertifikat/{code}.pdf"): STAFF,
    ("GET", "/staf/lomba/{edition_id}/sertifikat.zip"): STAFF,
}
