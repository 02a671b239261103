"""The 2024 Malang edition, "Lomba Video Pendek KIM 2024", as demo data.

What is public: 19 KIMs made short films promoting local UMKM, a jury of three
(a YouTuber community lead, a film director, a cinema owner) scored them, and
the winners were 1st KIM Pasreh Jaya (Kelurahan Bumiayu, Malangan masks made
by disabled artisans), 2nd KIM Ganjur, 3rd KIM Mojolangu. Everything else here
— the other KIMs' line-up, KIM Ganjur's kelurahan, film titles, judges' names,
contacts and every score — is illustrative, made up for the demo.
"""

from __future__ import annotations

from dataclasses import dataclass

RUBRIC = ("tema", "kreativitas", "teknis", "promosi_umkm")


@dataclass(frozen=True)
class DemoKim:
    name: str
    kelurahan_code: str
    film: str
    synopsis: str
    umkm: tuple[str, ...]
    duration_seconds: int

    @property
    def categories(self) -> tuple[str, ...]:
        """The edition's ranked categories its entry is entered for, besides the main ranking."""
        return CATEGORIES_ENTERED.get(self.name, ("sinematografi", "promosi-umkm"))


KIMS: tuple[DemoKim, ...] = (
    DemoKim(
        "KIM Pasreh Jaya",
        "bumiayu",
        "Wajah-Wajah dari Bumiayu",
        "Perajin penyandang disabilitas di Bumiayu memahat dan mewarnai topeng Malangan, "
        "menjaga tradisi sekaligus menghidupi usaha bersama.",
        ("Sanggar Topeng Pasreh Jaya",),
        285,
    ),
    DemoKim(
        "KIM Ganjur",
        "gadang",
        "Ganjur dan Dapur yang Tak Pernah Padam",
        "Tiga generasi pembuat kue tradisional bertahan di tengah pasar modern.",
        ("Kue Basah Bu Sri", "Jajanan Pasar Ganjur"),
        270,
    ),
    DemoKim(
        "KIM Mojolangu",
        "mojolangu",
        "Secangkir dari Mojolangu",
        "Kedai kopi rumahan yang menyangrai biji kopi lereng Arjuno untuk tetangga dan mahasiswa.",
        ("Kopi Sangrai Mojolangu",),
        240,
    ),
    DemoKim(
        "KIM Lestari Tunjungsekar",
        "tunjungsekar",
        "Anyaman Harapan",
        "Ibu-ibu Tunjungsekar menganyam tas dari limbah plastik.",
        ("Anyaman Lestari",),
        230,
    ),
    DemoKim(
        "KIM Samaan",
        "samaan",
        "Samaan Berbatik",
        "Batik tulis motif Malangan dari gang sempit Samaan.",
        ("Batik Samaan",),
        300,
    ),
    DemoKim(
        "KIM Gerabah Penanggungan",
        "penanggungan",
        "Tanah Liat Penanggungan",
        "Gerabah hias yang dibentuk tangan dan dibakar di tungku kampung.",
        ("Gerabah Penanggungan",),
        260,
    ),
    DemoKim(
        "KIM Kayutangan Kauman",
        "kauman",
        "Kayutangan Tempo Dulu",
        "Usaha kuliner lawas di kawasan heritage Kayutangan.",
        ("Rawon Kayutangan", "Es Tawon"),
        295,
    ),
    DemoKim(
        "KIM Polehan",
        "polehan",
        "Tempe Polehan",
        "Sentra tempe yang mengirim ke pasar-pasar Malang.",
        ("Tempe Pak Kasman",),
        210,
    ),
    DemoKim(
        "KIM Sawojajar",
        "sawojajar",
        "Kampung Kue Sawojajar",
        "Puluhan rumah memproduksi kue kering menjelang Lebaran.",
        ("Kue Kering Sawojajar",),
        250,
    ),
    DemoKim(
        "KIM Tlogomas",
        "tlogomas",
        "Tlogomas Menjahit",
        "Konveksi rumahan yang bertahan dari pesanan sekolah.",
        ("Konveksi Tlogomas",),
        225,
    ),
    DemoKim(
        "KIM Bareng",
        "bareng",
        "Kampung Topeng Bareng",
        "Suvenir topeng kecil untuk wisatawan.",
        ("Suvenir Bareng",),
        200,
    ),
    DemoKim(
        "KIM Jodipan",
        "jodipan",
        "Warna-Warni Jodipan",
        "Kampung warna-warni dan usaha kecil yang tumbuh bersama wisatawan.",
        ("Kedai Jodipan",),
        280,
    ),
    DemoKim(
        "KIM Kotalama",
        "kotalama",
        "Kerupuk Kotalama",
        "Kerupuk ikan yang dijemur di atap rumah.",
        ("Kerupuk Kotalama",),
        215,
    ),
    DemoKim(
        "KIM Arjosari",
        "arjosari",
        "Bengkel Arjosari",
        "Bengkel las yang membuat gerobak untuk PKL.",
        ("Las Arjosari",),
        235,
    ),
    DemoKim(
        "KIM Madyopuro",
        "madyopuro",
        "Madu Madyopuro",
        "Peternak lebah klanceng di pekarangan rumah.",
        ("Madu Klanceng Madyopuro",),
        245,
    ),
    DemoKim(
        "KIM Bandulan",
        "bandulan",
        "Keripik Bandulan",
        "Keripik singkong pedas yang dijual daring.",
        ("Keripik Bandulan",),
        205,
    ),
    DemoKim(
        "KIM Sumbersari",
        "sumbersari",
        "Sumbersari Printing",
        "Usaha sablon kaus milik alumni kampus.",
        ("Sablon Sumbersari",),
        255,
    ),
    DemoKim(
        "KIM Purwantoro",
        "purwantoro",
        "Sambal Purwantoro",
        "Sambal botolan resep keluarga.",
        ("Sambal Mbok Nah",),
        220,
    ),
    DemoKim(
        "KIM Tasikmadu",
        "tasikmadu",
        "Bibit Tasikmadu",
        "Pembibitan tanaman hias di pinggir kota.",
        ("Kebun Bibit Tasikmadu",),
        265,
    ),
)

#: Title of the 2024 edition; its copy for the next year is "... 2025".
TITLE = "Lomba Video Pendek KIM 2024"

#: The main ranking, "Film Terbaik", 1st to 3rd (the amounts are illustrative).
PRIZES: tuple[dict[str, object], ...] = (
    {
        "rank": 1,
        "title": "Juara 1 Film Terbaik",
        "reward": "Rp7.500.000, trofi dan sertifikat",
        "amount": 7_500_000,
        "non_cash": "Trofi dan sertifikat",
    },
    {
        "rank": 2,
        "title": "Juara 2 Film Terbaik",
        "reward": "Rp5.000.000, trofi dan sertifikat",
        "amount": 5_000_000,
        "non_cash": "Trofi dan sertifikat",
    },
    {
        "rank": 3,
        "title": "Juara 3 Film Terbaik",
        "reward": "Rp3.000.000, trofi dan sertifikat",
        "amount": 3_000_000,
        "non_cash": "Trofi dan sertifikat",
    },
)

#: The awards beside the main ranking (plausible, illustrative like the rest).
CATEGORIES: tuple[dict[str, object], ...] = (
    {
        "code": "sinematografi",
        "title": "Sinematografi Terbaik",
        "kind": "ranked",
        "awarded_ranks": 1,
        "description": "Gambar, cahaya dan penyuntingan yang paling kuat bercerita.",
        "prizes": [
            {
                "rank": 1,
                "title": "Sinematografi Terbaik",
                "reward": "Rp2.000.000 dan piagam",
                "amount": 2_000_000,
                "non_cash": "Piagam",
            }
        ],
    },
    {
        "code": "promosi-umkm",
        "title": "Promosi UMKM Terbaik",
        "kind": "ranked",
        "awarded_ranks": 1,
        "description": "Film yang paling berhasil membuat penonton ingin membeli produk UMKM-nya.",
        "prizes": [
            {
                "rank": 1,
                "title": "Promosi UMKM Terbaik",
                "reward": "Rp2.000.000 dan piagam",
                "amount": 2_000_000,
                "non_cash": "Piagam",
            }
        ],
    },
    {
        "code": "penghargaan-juri",
        "title": "Penghargaan Khusus Juri",
        "kind": "special",
        "awarded_ranks": 1,
        "description": "Diberikan dewan juri kepada satu karya, dengan alasan tertulis.",
        "prizes": [
            {
                "rank": 1,
                "title": "Penghargaan Khusus Juri",
                "reward": "Rp1.500.000 dan piagam",
                "amount": 1_500_000,
                "non_cash": "Piagam",
            }
        ],
    },
    {
        "code": "juara-favorit",
        "title": "Juara Favorit",
        "kind": "favourite",
        "awarded_ranks": 1,
        "description": "Pilihan warga lewat pemungutan suara daring.",
        "prizes": [
            {
                "rank": 1,
                "title": "Juara Favorit",
                "reward": "Rp1.000.000 dan piagam",
                "amount": 1_000_000,
                "non_cash": "Piagam",
            }
        ],
    },
)

#: Most entries are entered for both ranked categories; these KIMs chose otherwise.
CATEGORIES_ENTERED: dict[str, tuple[str, ...]] = {
    "KIM Pasreh Jaya": ("promosi-umkm",),
    "KIM Polehan": ("promosi-umkm",),
    "KIM Bareng": ("promosi-umkm",),
    "KIM Tlogomas": ("sinematografi",),
    "KIM Purwantoro": (),
}

JUDGES: tuple[tuple[str, str], ...] = (
    ("Ayu Larasati", "Ketua komunitas YouTuber Malang"),
    ("Bagus Prakoso", "Sutradara film"),
    ("Hendra Wijaya", "Pemilik bioskop"),
)

#: Score sheets of the three winners, per judge, in rubric order (tema, kreativitas, teknis, promosi_umkm).
WINNER_SHEETS: dict[str, tuple[tuple[int, int, int, int], ...]] = {
    "KIM Pasreh Jaya": ((95, 93, 88, 96), (94, 95, 90, 94), (92, 94, 86, 95)),
    "KIM Ganjur": ((90, 88, 87, 91), (89, 90, 88, 89), (91, 87, 85, 90)),
    "KIM Mojolangu": ((87, 86, 85, 88), (88, 85, 86, 87), (86, 87, 84, 86)),
}


#: Each judge's comment to the KIMs (the KIM reads it, unsigned, after the announcement).
JUDGE_COMMENTS: tuple[str, ...] = (
    "Pesan UMKM-nya sampai; ajak penonton mencari produknya di akhir film.",
    "Alur ceritanya rapi. Perhatikan suara latar di luar ruangan.",
    "Gambarnya layak layar lebar; pertahankan cara bercerita ini.",
)


def score_sheet(kim_index: int, judge_index: int) -> dict[str, int]:
    """A judge's sheet for the KIM at `kim_index` of KIMS: the winners' as given,
    the others from a plain, deterministic pattern that keeps them below the third place."""
    kim = KIMS[kim_index]
    if kim.name in WINNER_SHEETS:
        return dict(zip(RUBRIC, WINNER_SHEETS[kim.name][judge_index], strict=True))
    base = 84 - (kim_index - len(WINNER_SHEETS))
    judge_offset = (0, -2, 1)[judge_index]
    return {
        criterion: base + judge_offset + offset
        for criterion, offset in zip(RUBRIC, (0, 1, -2, 1), strict=True)
    }


EXPECTED_PODIUM = ("KIM Pasreh Jaya", "KIM Ganjur", "KIM Mojolangu")

#: The profile KIM Pasreh Jaya's representative keeps (illustrative, like the rest):
#: members with their expertise, an innovation, a sponsor. Its 1st place in the 2024
#: edition is added by the registry itself when the results are announced.
PROFILES: dict[str, dict[str, list[dict[str, object]]]] = {
    "KIM Pasreh Jaya": {
        "members": [
            {"name": "Siti Aminah", "role": "Ketua", "expertise": "Fasilitator masyarakat"},
            {"name": "Bambang Hariyadi", "role": "Sekretaris", "expertise": "Wirausaha"},
            {"name": "Wulan Sari", "role": "Anggota", "expertise": "Kader lingkungan"},
            {"name": "Rahmat Hidayat", "role": "Anggota", "expertise": "UMKM"},
            {"name": "Endang Lestari", "role": "Anggota", "expertise": "PKK"},
        ],
        "innovations": [
            {
                "title": "Sanggar Topeng Inklusif",
                "description": "Perajin penyandang disabilitas belajar memahat dan mewarnai topeng Malangan, "
                "lalu menjualnya bersama lewat media sosial KIM.",
                "since": 2019,
            },
            {
                "title": "Temu Literasi Bulanan",
                "description": "Setiap bulan warga dan tokoh masyarakat membahas kabar kelurahan "
                "dan memeriksa fakta.",
                "since": 2021,
            },
        ],
        "achievements": [
            {"title": "Juara 2 Lomba Kampung Tematik", "level": "kecamatan", "year": 2023, "reward": None},
        ],
        "sponsors": [
            {"name": "Sanggar Topeng Pasreh Jaya", "kind": "hadiah lomba"},
            {"name": "Koperasi Warga Bumiayu", "kind": "sponsor"},
        ],
    },
}
