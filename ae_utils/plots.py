"""Des lignes d'images MNIST, une par tableau (présenté dans le notebook 03)."""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np

from ._options import french_options


@french_options
def image_rows(
    rows: Sequence,
    labels: Sequence[str],
    n: int = 10,
    titles: Sequence | None = None,
):
    """Une ligne de `n` images par tableau de `rows`, le nom de la ligne à gauche.

    Chaque tableau contient des images de 784 pixels (ou 28 × 28) dans [0, 1] ; `titles`, si
    donné, a une liste de `n` titres (ou None) par ligne. Renvoie la figure sans l'afficher :
    terminez la cellule par `plt.show()`.
    """
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise ValueError(f"n (images par ligne) doit être un entier ≥ 1, reçu : {n!r}.")
    if len(rows) == 0 or len(rows) != len(labels):
        raise ValueError(
            f"image_rows attend autant de noms de ligne que de lignes, et au moins "
            f"une ligne : reçu {len(rows)} lignes et {len(labels)} noms."
        )
    if titles is not None and len(titles) != len(rows):
        raise ValueError(
            f"titles doit avoir une liste de titres par ligne : reçu {len(titles)} "
            f"listes pour {len(rows)} lignes."
        )
    for r, images in enumerate(rows):
        shape = np.shape(images)
        if len(shape) not in (2, 3) or shape[1:] not in ((784,), (28, 28)) or shape[0] < n:
            raise ValueError(
                f"la ligne {r} ({labels[r]!r}) doit contenir au moins {n} images "
                f"de 784 pixels ou 28 × 28, reçu la forme {shape}."
            )
    fig, axes = plt.subplots(len(rows), n, figsize=(n * 1.2, len(rows) * 1.3), squeeze=False)
    for r, (images, label) in enumerate(zip(rows, labels, strict=True)):
        for i in range(n):
            axes[r, i].imshow(np.reshape(images[i], (28, 28)), cmap="gray", vmin=0, vmax=1)
            axes[r, i].set_xticks([])
            axes[r, i].set_yticks([])
            if titles is not None and titles[r] is not None:
                axes[r, i].set_title(titles[r][i], fontsize=8)
        axes[r, 0].set_ylabel(label, rotation=0, ha="right", va="center")
    fig.tight_layout()
    return fig


def display_with_fallback(widget, figure) -> None:
    """Affiche un widget avec une image fixe de secours, dans une seule sortie (notebook 10).

    La sortie porte la vue du widget (`application/vnd.jupyter.widget-view+json`), que
    JupyterLab, Colab et VS Code affichent en priorité, et la figure Matplotlib en PNG, que
    montrent les vues statiques (GitHub, nbviewer, les tests) faute de savoir afficher un
    widget. La figure est fermée après avoir été convertie.
    """
    import base64
    import io

    from IPython.display import display

    bundle = getattr(widget, "_repr_mimebundle_", None)
    if bundle is None:
        raise TypeError(
            "display_with_fallback attend un widget ipywidgets (avec _repr_mimebundle_), "
            f"reçu : {type(widget).__name__}."
        )
    if not isinstance(figure, plt.Figure):
        raise TypeError(
            f"display_with_fallback attend une figure Matplotlib, reçu : {type(figure).__name__}."
        )
    png = io.BytesIO()
    figure.savefig(png, format="png", bbox_inches="tight")
    plt.close(figure)
    data = dict(bundle())
    data["image/png"] = base64.b64encode(png.getvalue()).decode("ascii")
    display(data, raw=True)


def french_ticks() -> None:
    """Graduations des figures à la française, avec une virgule décimale (notebook 02).

    Matplotlib écrit les graduations de ses axes avec `matplotlib.ticker.ScalarFormatter`, qui
    met un point : 0.02, 0.5. Après cet appel, et pour toute la session, chaque graduation est
    écrite comme d'habitude, puis son point devient une virgule : 0,02, 0,5. Les axes en échelle
    logarithmique (10⁻², …) et les graduations choisies à la main ne changent pas. Un second
    appel ne fait rien.
    """
    from matplotlib import ticker

    english = ticker.ScalarFormatter.__call__
    if getattr(english, "french", False):
        return

    def french(self, x, pos=None):
        return english(self, x, pos).replace(".", ",")

    french.french = True
    ticker.ScalarFormatter.__call__ = french
