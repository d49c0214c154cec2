"""Messages en français pour les noms d'options inconnus ou les arguments manquants.

Python répond en anglais (« got an unexpected keyword argument ») ; ce décorateur vérifie
l'appel avant d'exécuter la fonction et lève une TypeError en français qui liste les options
possibles et propose la plus proche.
"""

from __future__ import annotations

import difflib
import functools
import inspect


def french_options(function):
    """Décore une fonction publique : un mauvais nom d'option donne une erreur en français."""
    signature = inspect.signature(function)
    names = list(signature.parameters)

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        unknown = [name for name in kwargs if name not in signature.parameters]
        if unknown:
            hints = []
            for name in unknown:
                close = difflib.get_close_matches(name, names, n=1)
                hints.append(
                    f"« {name} »" + (f" (vouliez-vous dire « {close[0]} » ?)" if close else "")
                )
            raise TypeError(
                f"{function.__name__} : option inconnue {', '.join(hints)}. "
                f"Options possibles : {', '.join(names)}."
            )
        try:
            signature.bind(*args, **kwargs)
        except TypeError:
            required = [
                n for n, p in signature.parameters.items() if p.default is inspect.Parameter.empty
            ]
            raise TypeError(
                f"{function.__name__} attend {len(required)} argument(s) obligatoire(s) "
                f"({', '.join(required) or 'aucun'}) et au plus {len(names)} au total "
                f"({', '.join(names)}), reçu {len(args)} argument(s) positionnel(s) "
                f"et les options {sorted(kwargs) or 'aucune'}."
            ) from None
        return function(*args, **kwargs)

    return wrapper
