"""Les nombres écrits à la française (présenté dans le notebook 02)."""

from __future__ import annotations

import numbers

from ._options import french_options

THIN_NBSP = "\u202f"  # espace fine insécable : entre les milliers (« 218 192 »)
NBSP = "\u00a0"  # espace insécable : avant le signe % (« 91,6 % »)


@french_options
def fr(value, spec: str = "") -> str:
    """`format(value, spec)`, écrit à la française : virgule décimale, espace fine entre milliers.

    `spec` est la spécification de format de Python (ce qui suit « : » dans une f-chaîne) ;
    « , » y demande les séparateurs de milliers. Exemples : `fr(0.00891, ".4f")` → « 0,0089 »,
    `fr(218192, ",")` → « 218 192 », `fr(0.916, ".1%")` → « 91,6 % ».
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(
            f"fr attend un nombre (entier ou flottant), reçu : {value!r} ({type(value).__name__})."
        )
    if not isinstance(spec, str):
        raise TypeError(
            f"fr attend une spécification de format en texte, comme \".2f\", reçu : {spec!r}."
        )
    try:
        text = format(value, spec)
    except ValueError:
        raise ValueError(
            f"fr : spécification de format « {spec} » invalide pour le nombre "
            f"{value!r} (exemples valides : \".2f\", \",\", \".1%\")."
        ) from None
    text = text.replace(",", THIN_NBSP).replace(".", ",")  # milliers, puis décimales
    return text.replace("%", NBSP + "%")  # une espace insécable avant %
