"""The 2024 edition's categories in the demo: staff weigh the two ranked ones their
own way before scoring, the jury gives its special award with a written reason,
and each category is frozen, verified and announced like the main ranking."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .demo import Api

Say = Callable[[str], None]

#: A ranked category's own weights over the edition's criteria (one sheet per judge
#: and entry: a category weighs the same scores its own way).
CATEGORY_WEIGHTS: dict[str, dict[str, int]] = {
    "sinematografi": {"teknis": 70, "kreativitas": 30},
    "promosi-umkm": {"promosi_umkm": 70, "tema": 30},
}

#: The jury's special award: the category, the KIM whose film receives it, and why.
SPECIAL_AWARD = (
    "penghargaan-juri",
    "KIM Lestari Tunjungsekar",
    "Ibu-ibu Tunjungsekar mengubah limbah plastik menjadi usaha bersama; "
    "pesan lingkungannya paling kuat di antara semua karya.",
)


async def weigh_categories(judging: Api, edition_id: str) -> None:
    """Before scoring starts: the ranked categories' own rubrics."""
    for code, weights in CATEGORY_WEIGHTS.items():
        path = f"/editions/{edition_id}/categories/{code}/rubric"
        await judging.call("PUT", path, json={"weights": weights})


async def announce_categories(
    judging: Api, edition_id: str, entry_ids: Mapping[str, str], *, say: Say
) -> list[dict[str, Any]]:
    """After the main announcement: the special award, then every ranked and special
    category frozen, verified and announced; their public results, in the edition's order."""
    code, kim_name, reason = SPECIAL_AWARD
    await judging.call(
        "POST",
        f"/editions/{edition_id}/categories/{code}/award",
        json={"entry_id": entry_ids[kim_name], "reason": reason},
    )
    listed = await judging.call("GET", f"/editions/{edition_id}/categories")
    announced: list[dict[str, Any]] = []
    for category in listed:
        if category["kind"] == "favourite":
            continue  # decided by the public vote, announced when its tally is frozen
        params = {"category": category["code"]}
        frozen = await judging.call("POST", f"/editions/{edition_id}/snapshots", 201, params=params)
        await judging.call(
            "POST", f"/editions/{edition_id}/snapshots/{frozen['version']}/verification", params=params
        )
        await judging.call("POST", f"/editions/{edition_id}/announcement", params=params)
        results = await judging.call("GET", f"/editions/{edition_id}/results", params=params)
        say(f"   {category['title']}: versi {frozen['version']}, SHA-256 {frozen['content_hash']}")
        announced.append(results)
    return announced


def rupiah(amount: int | None) -> str:
    """7500000 → 'Rp7.500.000'."""
    return "" if amount is None else "Rp" + f"{amount:,}".replace(",", ".")


def prize_text(prize: Mapping[str, Any] | None) -> str:
    """'Rp7.500.000 + Trofi', the edition's wording without an amount, '' without a prize."""
    if not prize:
        return ""
    cash = rupiah(prize.get("amount"))
    if cash:
        return cash + (f" + {prize['non_cash']}" if prize.get("non_cash") else "")
    return str(prize.get("reward") or prize.get("non_cash") or prize.get("title") or "")


def category_lines(announced: list[dict[str, Any]]) -> list[str]:
    """Each announced category's winners with their prizes (a special award with its reason,
    the favourite with its votes)."""
    if not announced:
        return []
    lines = ["", "Kategori dan penghargaan:"]
    for results in announced:
        category = results.get("category") or {}
        lines.append(f"  {category.get('title', '?')} (versi {results['version']}):")
        for placing in results["winners"]:
            extra = ""
            if placing.get("votes") is not None:
                extra = f", {placing['votes']} suara"
            lines.append(
                f"    {placing['rank']}. {placing['kim_name']} — {placing['entry_title']}"
                f"{extra}; hadiah: {prize_text(placing.get('prize')) or '-'}"
            )
            if placing.get("reason"):
                lines.append(f"       alasan juri: {placing['reason']}")
    return lines
