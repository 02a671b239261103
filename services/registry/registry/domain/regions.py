"""Region reference data: a city's kecamatan and their kelurahan.

Kota Malang (5 kecamatan, 57 kelurahan) ships with the service; another city
replaces the file (REGISTRY_REGIONS_FILE).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from .errors import UnknownKelurahan


@dataclass(frozen=True)
class Region:
    code: str
    name: str


@dataclass(frozen=True)
class Kelurahan:
    code: str
    name: str
    kecamatan: Region


class RegionCatalog:
    def __init__(self, city: str, province: str, kelurahan: list[Kelurahan]) -> None:
        self.city = city
        self.province = province
        self._kelurahan = {k.code: k for k in kelurahan}

    @classmethod
    def load(cls, path: Path | None = None) -> RegionCatalog:
        text = (
            path.read_text(encoding="utf-8")
            if path
            else resources.files("registry").joinpath("reference/kota_malang.json").read_text("utf-8")
        )
        raw = json.loads(text)
        kelurahan = [
            Kelurahan(k["code"], k["name"], Region(kec["code"], kec["name"]))
            for kec in raw["kecamatan"]
            for k in kec["kelurahan"]
        ]
        return cls(raw["city"], raw["province"], kelurahan)

    def kelurahan(self, code: str) -> Kelurahan:
        try:
            return self._kelurahan[code]
        except KeyError:
            raise UnknownKelurahan(code=code, city=self.city) from None

    def all_kelurahan(self) -> list[Kelurahan]:
        return list(self._kelurahan.values())

    def kecamatan(self) -> list[Region]:
        return list(dict.fromkeys(k.kecamatan for k in self._kelurahan.values()))
