"""Le README et benchmarks/README.md : sommaire, liens, tableaux recopiés de leurs sources."""

from __future__ import annotations

import re

import pytest
from helpers import NOTEBOOKS, ROOT, script


def test_readme_lists_every_notebook_in_order():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    positions = [readme.find(f"(notebooks/{p.name})") for p in NOTEBOOKS]
    assert -1 not in positions, "un notebook manque dans la table du README"
    assert positions == sorted(positions)


# --- Ce que voit un lecteur sur GitHub ----------------------------------------------------


def test_readme_relative_links_point_to_existing_files():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for target in re.findall(r"\]\(([^)#]+)(?:#[^)]*)?\)", readme):
        if "://" not in target:
            assert (ROOT / target).exists(), f"README : lien cassé vers {target}"


def test_readme_tables_are_generated_from_their_sources():
    """Résultats clés, durées et mémoire : les README recopient les sorties et les mesures."""
    assert script("results").update(check=True) == [], "lancez « python scripts/results.py »"


def test_the_results_check_catches_a_number_edited_by_hand(tmp_path, monkeypatch):
    module = script("results")
    for name in ("README", "BENCHMARKS_README"):
        copy = tmp_path / f"{name}.md"
        copy.write_text(getattr(module, name).read_text(encoding="utf-8"), encoding="utf-8")
        monkeypatch.setattr(module, name, copy)
    readme = tmp_path / "README.md"
    text = readme.read_text(encoding="utf-8")
    row = next(line for line in text.splitlines() if line.startswith("| 05–06 |"))
    readme.write_text(text.replace(row, row.replace("0,0076", "0,0070")), encoding="utf-8")
    assert module.update(check=True) == [str(readme)]
    module.update()  # réécrit la copie depuis la source
    assert row in readme.read_text(encoding="utf-8")
    monkeypatch.setattr(
        module, "KEY_RESULTS", [(*module.KEY_RESULTS[0][:3], ("motif absent ([\\d,]+)", ""), [])]
    )
    with pytest.raises(module.SourceError, match="introuvable dans les sorties publiées"):
        module.update(check=True)


def test_readme_stays_short_for_learners():
    """Le README s'adresse d'abord aux apprenants : l'ingénierie va dans benchmarks/README.md."""
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    assert len(lines) <= 170, f"README de {len(lines)} lignes (170 au plus)"
