"""Les exercices des deux éditions : l'édition enseignant (notebooks/) et l'édition élève
(eleves/), que nbgrader construit depuis la première (scripts/eleves.py).

L'exécution de l'édition enseignant est le travail de nbval (make test : chaque vérification
doit y dire « Juste ») ; celle de l'édition élève, de make test-eleves (chaque vérification doit
y dire « Pas encore »). Ici : la forme des exercices, ce qui survit ou non dans l'édition élève,
et les verdicts publiés.
"""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys

import pytest
from helpers import NOTEBOOKS, ROOT, load, script

STUDENTS = ROOT / "eleves"
BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
PLACEHOLDER = re.compile(r"^(\w+(?:, \w+)*) = None(?:, None)*  # \S.*$")
eleves = script("eleves")


def source(cell: dict) -> str:
    return "".join(cell["source"])


def grading(cell: dict) -> dict:
    return cell["metadata"].get("nbgrader", {})


def exercises(nb: dict) -> list[dict]:
    """Les exercices du notebook : question, cellule de réponse, vérification ou relecture."""
    cells = nb["cells"]
    start = next(i for i, c in enumerate(cells) if source(c).startswith("## Exercices"))
    found = []
    for i in range(start, len(cells)):
        match = re.match(r"### Exercice (\d+)\n", source(cells[i]))
        if cells[i]["cell_type"] == "markdown" and match:
            found.append({"number": int(match[1]), "answer": cells[i + 1], "after": cells[i + 2]})
    return found


def check_call(cell: dict) -> ast.Call:
    calls = [
        node
        for node in ast.walk(ast.parse(source(cell)))
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "check"
    ]
    assert len(calls) == 1, "une vérification appelle check une fois, et une seule"
    return calls[0]


def placeholders(cell: dict) -> list[str]:
    """Les noms qu'une cellule de réponse laisse à None avant la solution."""
    before = source(cell).split(BEGIN)[0]
    names = []
    for line in before.splitlines():
        match = PLACEHOLDER.match(line)
        if match:
            names += match[1].split(", ")
    return names


def solutions(nb: dict) -> list[tuple[str, str]]:
    """(type, texte) de chaque solution : le code entre les marqueurs, ou la réponse écrite."""
    found = []
    for exercise in exercises(nb):
        text = source(exercise["answer"])
        if exercise["answer"]["cell_type"] == "code":
            found.append(("code", text.split(BEGIN, 1)[1].split(END, 1)[0]))
        else:
            found.append(("texte", text))
    return found


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_exercises_follow_nbgrader_conventions(path):
    nb = load(path)
    assert "<details>" not in "".join(source(c) for c in nb["cells"]), "solution dans <details>"
    found = exercises(nb)
    assert [e["number"] for e in found] == list(range(1, len(found) + 1)) and len(found) >= 3
    grade_ids = [grading(c)["grade_id"] for c in nb["cells"] if grading(c)]
    assert len(grade_ids) == len(set(grade_ids)), f"{path.name} : grade_id en double"
    for e in found:
        answer, after, name = e["answer"], e["after"], f"{path.name}, exercice {e['number']}"
        assert grading(answer)["solution"] is True, name
        if answer["cell_type"] == "code":
            text = source(answer)
            assert text.count(BEGIN) == text.count(END) == 1, name
            assert text.index(BEGIN) < text.index(END), name
            assert not grading(answer)["grade"], f"{name} : la réponse en code n'est pas notée"
            meta = grading(after)
            assert meta["grade"] and meta["locked"] and not meta["solution"], name
            assert meta["points"] > 0, name
            keys = [k.value for k in check_call(after).args[0].keys]
            # Chaque réponse vérifiée est à None dans l'édition élève : « Pas encore ».
            assert sorted(keys) == sorted(placeholders(answer)), name
        else:
            assert grading(answer)["grade"] and grading(answer)["points"] > 0, name
            assert source(after).startswith("**Pour vous relire.** "), name


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_published_teacher_checks_say_right(path):
    """Les sorties publiées (exécution complète) : chaque solution obtient « Juste »."""
    for e in exercises(load(path)):
        if e["answer"]["cell_type"] == "code":
            text = "".join("".join(o.get("text", "")) for o in e["after"]["outputs"])
            assert text.startswith("Juste : "), f"{path.name}, exercice {e['number']} : {text!r}"


def test_student_edition_is_up_to_date():
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "eleves.py"), "--check"],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_solution_survives_in_the_student_edition(path):
    teacher, student = load(path), load(STUDENTS / path.name)
    student_text = "\n".join(source(c) for c in student["cells"])
    solution_text = "\n".join(text for _, text in solutions(teacher))
    elsewhere = "\n".join(source(c) for c in teacher["cells"]).replace(solution_text, "")
    for kind, text in solutions(teacher):
        pieces = (
            [line.strip() for line in text.splitlines()]
            if kind == "code"
            else re.split(r"(?<=[.:;!?])\s+", text)
        )
        for piece in pieces:
            if len(piece) >= 12 and piece not in elsewhere:
                assert piece not in student_text, f"{path.name} : solution restée : {piece!r}"
    for marker in (BEGIN, END):
        assert marker not in student_text
    answers = [e["answer"] for e in exercises(student)]
    assert answers and all(
        (eleves.CODE_STUB if a["cell_type"] == "code" else eleves.TEXT_STUB) in source(a)
        for a in answers
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_student_edition_keeps_everything_else(path):
    """Même cellules, même code hors des solutions, sans sorties ; badges vers eleves/."""
    teacher, student = load(path), load(STUDENTS / path.name)
    assert len(student["cells"]) == len(teacher["cells"])
    for i, (t, s) in enumerate(zip(teacher["cells"], student["cells"], strict=True)):
        assert t["cell_type"] == s["cell_type"], (path.name, i)
        if s["cell_type"] == "code":
            assert s["outputs"] == [] and s["execution_count"] is None, (path.name, i)
        if i == 0:
            assert f"tree/eleves/{path.name}" in source(s) and eleves.EDITION_LINE in source(s)
            assert f"blob/main/eleves/{path.name}" in source(s)
        elif "colab" in s["metadata"].get("tags", []):
            assert "%cd {COPIE}/eleves" in source(s)
        elif not grading(t).get("solution"):
            assert source(s) == source(t), (path.name, i)


# Les premiers notebooks de l'édition élève, exécutés ici (quelques secondes chacun) ; toute
# l'édition l'est par make test-eleves, que la CI lance après make test (quatre minutes de plus).
QUICK = ["01_importations.ipynb", "02_donnees.ipynb", "03_architecture.ipynb"]


@pytest.mark.parametrize("name", QUICK)
def test_student_notebook_runs_to_the_end_and_every_check_says_not_yet(name, tmp_path):
    nbformat = pytest.importorskip("nbformat")
    output = tmp_path / name
    env = dict(os.environ, AE_FAST="1", AE_CHECKS="pending", AE_ARTEFACTS=str(tmp_path))
    done = subprocess.run(
        [sys.executable, "-m", "jupyter", "nbconvert", "--to", "notebook", "--execute"]
        + ["--output", str(output), str(STUDENTS / name)],
        capture_output=True,
        text=True,
        env=env,
        cwd=STUDENTS,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    nb = nbformat.read(output, as_version=4)
    checks = [c for c in nb.cells if c.cell_type == "code" and grading(c).get("grade")]
    assert checks
    for cell in checks:
        text = "".join(o.get("text", "") for o in cell.outputs)
        assert text.startswith("Pas encore : donnez une valeur à "), (name, text)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_check_messages_survive_missing_answers(path):
    """Les messages sont écrits avant l'appel de check, même si les réponses valent None :
    hors des tests (les lambda), une réponse n'y paraît que telle quelle, `{x}` ou `{x!r}` —
    `{x:.2f}`, `{len(x)}` ou `{x.attribut}` lèveraient une erreur dans l'édition élève."""
    for e in exercises(load(path)):
        if e["answer"]["cell_type"] != "code":
            continue
        call = check_call(e["after"])
        answers = {k.value for k in call.args[0].keys}
        lambdas = {id(n) for n in ast.walk(call) if isinstance(n, ast.Lambda)}
        inside = {id(m) for n in ast.walk(call) if id(n) in lambdas for m in ast.walk(n)}
        for node in ast.walk(call):
            if not isinstance(node, ast.FormattedValue) or id(node) in inside:
                continue
            names = {n.id for n in ast.walk(node.value) if isinstance(n, ast.Name)}
            if names & answers:
                bare = isinstance(node.value, ast.Name) and node.format_spec is None
                shape = (
                    isinstance(node.value, ast.Call)
                    and ast.unparse(node.value.func) == "np.shape"
                    and node.format_spec is None
                )
                guarded = isinstance(node.value, ast.IfExp)  # « x if x is not None else … »
                assert bare or shape or guarded, (
                    f"{path.name}, exercice {e['number']} : {ast.unparse(node.value)}"
                )
