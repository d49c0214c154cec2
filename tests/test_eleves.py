"""Les exercices des deux éditions : l'édition enseignant (notebooks/) et l'édition élève
(eleves/), que nbgrader construit depuis la première (scripts/eleves.py).

L'exécution de l'édition enseignant est le travail de nbval (make test : chaque vérification
doit y dire « Juste »). L'édition élève n'en diffère que par ses réponses : ici, la forme des
exercices, ce qui survit ou non dans l'édition élève, les verdicts publiés, trois notebooks
élève exécutés, et la preuve sans exécution que les autres iraient au bout en disant « Pas
encore » (make test-eleves les exécute tous, à la demande).
"""

from __future__ import annotations

import ast
import builtins
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
# l'édition l'est par make test-eleves, à la demande (douze minutes sur deux cœurs).
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


def bound_and_read(text: str) -> tuple[set[str], set[str]]:
    """Les noms qu'une cellule lie (affectation, import, def, argument, boucle…) et ceux
    qu'elle lit.

    Les lignes magiques d'IPython (« % », « ! ») comptent pour `pass`. Une surestimation des
    noms liés (la portée n'est pas suivie) ne peut que rendre le test plus indulgent, jamais
    faux positif.
    """
    lines = [
        line[: len(line) - len(line.lstrip())] + "pass"
        if line.lstrip().startswith(("%", "!"))
        else line
        for line in text.splitlines()
    ]
    tree = ast.parse("\n".join(lines))
    bound, read = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            (read if isinstance(node.ctx, ast.Load) else bound).add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef)):
            bound.add(node.name)
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
        elif isinstance(node, ast.alias):
            bound.add((node.asname or node.name).split(".")[0])
        elif isinstance(node, ast.ExceptHandler) and node.name:
            bound.add(node.name)
    return bound, read


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_student_exercises_read_only_names_defined_before_them(path):
    """Ce que make test-eleves prouve en exécutant toute l'édition élève une seconde fois.

    Hors des réponses, l'édition élève est cellule pour cellule l'édition enseignant, que nbval
    exécute (test précédent) ; ses réponses ne gardent que les lignes de l'enseignant d'avant la
    solution (vérifié ici), des lignes `nom = None` et l'invite ; check dit
    « Pas encore » sans lancer ses tests quand une réponse vaut None (tests/test_checks.py), et
    ses messages supportent None (test_check_messages_survive_missing_answers). Il reste à
    prouver qu'aucune cellule de l'édition élève ne lit un nom que seule une solution définissait :
    chaque nom lu doit être lié par une cellule précédente, par la cellule elle-même, ou être
    un nom natif de Python.
    """
    teacher, student = load(path), load(STUDENTS / path.name)
    for t, s in zip(teacher["cells"], student["cells"], strict=True):
        if grading(t).get("solution") and t["cell_type"] == "code":
            # la réponse élève : les lignes de l'enseignant avant la solution, que nbval exécute
            assert source(s) == source(t).split(BEGIN)[0] + eleves.CODE_STUB, path.name
    problems = undefined_names(student["cells"])
    assert not problems, f"{path.name} : cellules qui lisent des noms jamais définis : {problems}"


def undefined_names(cells: list[dict]) -> list[tuple[int, list[str]]]:
    """(indice, noms) des cellules de code qui lisent un nom qu'aucune cellule avant elles, ni
    elles-mêmes, ne lie ; les noms natifs de Python et d'IPython sont toujours définis."""
    defined = set(dir(builtins)) | {"get_ipython", "display"}
    problems = []
    for i, cell in enumerate(cells):
        if cell["cell_type"] != "code":
            continue
        bound, read = bound_and_read(source(cell))
        if read - defined - bound:
            problems.append((i, sorted(read - defined - bound)))
        defined |= bound
    return problems


def test_a_name_only_a_solution_defined_is_caught():
    def code(text):
        return {"cell_type": "code", "source": text}

    cells = [code("import numpy as np\nx = np.ones(3)"), code("answer = None  # réponse")]
    assert undefined_names(cells + [code("print(x, answer, [k for k in x])")]) == []
    # model n'était défini que par la solution, retirée de l'édition élève : l'erreur est vue.
    assert undefined_names(cells + [code("check({'answer': answer}, model.fit)")]) == [
        (2, ["check", "model"])
    ]
