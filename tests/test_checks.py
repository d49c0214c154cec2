"""ae_utils.checks : les verdicts des cellules « Vérification » des exercices."""

from __future__ import annotations

import pytest

from ae_utils.checks import check


@pytest.fixture(autouse=True)
def lenient(monkeypatch):
    """Par défaut, ni nbgrader ni les tests de la série : aucun verdict ne lève."""
    monkeypatch.delenv("AE_CHECKS", raising=False)
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)


def test_a_missing_answer_is_pending_and_does_not_run_the_tests(capsys):
    ran = []
    check({"a": None, "b": 2, "c": None}, [(lambda: ran.append(1), "jamais")], "bravo", "aide")
    out = capsys.readouterr().out
    assert ran == []
    assert out.startswith("Pas encore : donnez une valeur à a et c dans la cellule de réponse")
    assert "aide" not in out  # l'élève n'a rien essayé : pas encore d'indice


def test_the_first_failing_test_gives_its_message_and_the_hint(capsys):
    check(
        {"x": 3},
        [(lambda: True, "un"), (lambda: False, "deux"), (lambda: False, "trois")],
        "bravo",
        "cherchez",
    )
    assert capsys.readouterr().out == "Pas tout à fait : deux\nIndice : cherchez\n"


def test_a_test_that_raises_is_a_wrong_answer_not_a_crash(capsys):
    check({"x": "texte"}, [(lambda: "texte" + 1, "x doit être un nombre")], "bravo")
    out = capsys.readouterr().out
    assert out.startswith("Pas tout à fait : x doit être un nombre (le test a")
    assert "TypeError" in out


def test_all_tests_passing_is_right(capsys):
    assert check({"x": 0}, [(lambda: True, "non")], "bravo", "aide") is None  # rien à afficher
    assert capsys.readouterr().out == "Juste : bravo\n"


@pytest.mark.parametrize(
    "variable, value", [("AE_CHECKS", "strict"), ("NBGRADER_EXECUTION", "autograde")]
)
def test_strict_mode_raises_a_french_error_unless_right(monkeypatch, variable, value):
    monkeypatch.setenv(variable, value)
    with pytest.raises(AssertionError, match="^Pas tout à fait : faux"):
        check({"x": 1}, [(lambda: False, "faux")], "bravo")
    with pytest.raises(AssertionError, match="^Pas encore"):
        check({"x": None}, [], "bravo")
    check({"x": 1}, [(lambda: True, "faux")], "bravo")  # juste : ne lève pas


def test_the_student_edition_mode_raises_unless_pending(monkeypatch):
    monkeypatch.setenv("AE_CHECKS", "pending")
    check({"x": None}, [], "bravo")  # « Pas encore » : ne lève pas
    with pytest.raises(AssertionError, match="on attendait « Pas encore », reçu : Juste"):
        check({"x": 1}, [(lambda: True, "faux")], "bravo")


@pytest.mark.parametrize(
    "answers, tests, message",
    [
        ({}, [], "dictionnaire non vide"),
        ([1], [], "dictionnaire non vide"),
        ({"x": 1}, [True], "le test n° 1 est : True"),
        ({"x": 1}, [(lambda: True,)], "le test n° 1"),
    ],
)
def test_bad_use_gets_a_clear_french_error(answers, tests, message):
    with pytest.raises(TypeError, match=message):
        check(answers, tests, "bravo")
