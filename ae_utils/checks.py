"""Les cellules de vérification des exercices : un verdict en français, jamais une erreur nue.

Chaque exercice à réponse en code a une cellule de réponse (la solution y est entre les
marqueurs de nbgrader, `### BEGIN SOLUTION` et `### END SOLUTION` ; l'édition élève la
remplace par « # À vous : ») puis une cellule de vérification qui appelle `check`.

Trois verdicts, affichés en clair :

- « Pas encore » : une réponse vaut encore `None`, la valeur laissée dans l'édition élève ;
- « Pas tout à fait » : une réponse est là, mais un test échoue ; le message dit lequel, et
  l'indice aide à chercher ;
- « Juste » : tous les tests passent.

Par défaut, `check` ne lève pas d'exception : « Exécuter tout » va jusqu'au bout du notebook,
même si aucun exercice n'est fait. Quand nbgrader note ou valide un devoir
(variable d'environnement `NBGRADER_EXECUTION`), ou quand les tests de la série vérifient
l'édition enseignant (`AE_CHECKS=strict`), un verdict autre que « Juste » lève une
`AssertionError` qui porte le même message en français : nbgrader compte alors la cellule
comme ratée. Les tests de l'édition élève (`AE_CHECKS=pending`) exigent au contraire
« Pas encore » : tout autre verdict y lève une erreur.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping

PENDING = "Pas encore"
WRONG = "Pas tout à fait"
RIGHT = "Juste"


def strict() -> bool:
    """Vrai si un verdict négatif doit lever une erreur (notation nbgrader ou tests)."""
    return bool(os.environ.get("NBGRADER_EXECUTION")) or os.environ.get("AE_CHECKS") == "strict"


def expect_pending() -> bool:
    """Vrai pendant les tests de l'édition élève : tout verdict autre que « Pas encore » lève."""
    return os.environ.get("AE_CHECKS") == "pending"


def check(
    answers: Mapping[str, object],
    tests: Iterable[tuple[Callable[[], object], str]],
    success: str,
    hint: str = "",
) -> None:
    """Vérifie les réponses d'un exercice et affiche le verdict.

    Ne renvoie rien : la cellule de vérification n'affiche que le verdict (une valeur renvoyée
    s'afficherait sous la cellule, après lui).

    `answers` associe à chaque nom de réponse sa valeur (`None` : pas encore de réponse).
    `tests` est une suite de couples (fonction sans argument, message) : la fonction renvoie
    vrai si la réponse passe ce test ; le message dit, sinon, ce qui ne va pas. Les tests sont
    des fonctions pour n'être évalués que si toutes les réponses sont là, et dans l'ordre :
    le premier qui échoue donne le verdict. `success` est affiché si tout est juste, `hint`
    si une réponse n'est pas juste (pas quand elle manque : l'élève n'a encore rien essayé).
    """
    if not isinstance(answers, Mapping) or not answers:
        raise TypeError(
            "check attend un dictionnaire non vide {nom: valeur} des réponses, "
            f"reçu : {answers!r}."
        )
    missing = [name for name, value in answers.items() if value is None]
    if missing:
        return _verdict(PENDING, _pending_verdict(missing)[len(PENDING) + 3 :], "")
    for position, item in enumerate(tests, start=1):
        if not (isinstance(item, tuple) and len(item) == 2 and callable(item[0])):
            raise TypeError(
                "check attend des tests (fonction sans argument, message) ; "
                f"le test n° {position} est : {item!r}."
            )
        test, message = item
        try:
            passed = bool(test())
        except Exception as error:  # la réponse a un mauvais type, une mauvaise forme…
            passed = False
            message = f"{message} (le test a échoué avec {type(error).__name__} : {error})"
        if not passed:
            return _verdict(WRONG, message, hint)
    return _verdict(RIGHT, success, "")


def _pending_verdict(missing: list[str]) -> str:
    quoted = list(missing)
    names = quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " et " + quoted[-1]
    return (
        f"{PENDING} : donnez une valeur à {names} dans la cellule de réponse, exécutez-la, "
        "puis exécutez de nouveau cette cellule (un indice s'affichera si la réponse n'est "
        "pas juste)."
    )


def _verdict(label: str, message: str, hint: str) -> None:
    text = f"{label} : {message}"
    if hint:
        text += f"\nIndice : {hint}"
    print(text)
    if label != RIGHT and strict():
        raise AssertionError(text)
    if label != PENDING and expect_pending():
        raise AssertionError(f"Édition élève : on attendait « {PENDING} », reçu : {text}")
