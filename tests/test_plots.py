"""Tests de ae_utils.plots : les lignes d'images (notebook 03), le widget et son image (10)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")  # sans écran

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from ae_utils.plots import display_with_fallback, image_rows  # noqa: E402

RNG = np.random.default_rng(0)


def test_one_row_of_n_images_per_array_with_its_name():
    flat, square = RNG.random((12, 784)), RNG.random((12, 28, 28))
    fig = image_rows([flat, square], ["plates", "carrées"], n=5, titles=[None, list("abcde")])
    try:
        assert len(fig.axes) == 10
        np.testing.assert_array_equal(fig.axes[0].images[0].get_array(), flat[0].reshape(28, 28))
        np.testing.assert_array_equal(fig.axes[9].images[0].get_array(), square[4])
        assert [fig.axes[0].get_ylabel(), fig.axes[5].get_ylabel()] == ["plates", "carrées"]
        assert fig.axes[1].get_ylabel() == ""  # le nom à gauche seulement
        assert [ax.get_title() for ax in fig.axes] == [""] * 5 + list("abcde")
        assert fig.axes[0].images[0].get_clim() == (0, 1)  # même échelle de gris partout
    finally:
        plt.close(fig)


def test_a_single_row_works():
    fig = image_rows([RNG.random((3, 784))], ["seule"], n=3)
    assert len(fig.axes) == 3
    plt.close(fig)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (
            {"rows": [RNG.random((4, 784))], "labels": ["a"], "n": 10},
            r"la ligne 0 \('a'\) doit contenir au moins 10 images .* reçu la forme \(4, 784\)",
        ),
        ({"rows": [RNG.random((10, 100))], "labels": ["a"]}, r"reçu la forme \(10, 100\)"),
        ({"rows": [RNG.random((10, 784))] * 2, "labels": ["a"]}, "reçu 2 lignes et 1 noms"),
        ({"rows": [], "labels": []}, "au moins une ligne"),
        ({"rows": [RNG.random((10, 784))], "labels": ["a"], "n": 0}, "entier ≥ 1, reçu : 0"),
        (
            {"rows": [RNG.random((10, 784))], "labels": ["a"], "titles": [None, None]},
            "reçu 2 listes pour 1 lignes",
        ),
    ],
)
def test_image_rows_rejects_bad_input_in_french(kwargs, message):
    before = plt.get_fignums()
    with pytest.raises(ValueError, match=message):
        image_rows(**kwargs)
    assert plt.get_fignums() == before  # aucune figure à moitié tracée


def test_display_with_fallback_puts_the_widget_and_the_figure_in_one_output(monkeypatch):
    widgets = pytest.importorskip("ipywidgets")
    import IPython.display

    shown = []
    monkeypatch.setattr(IPython.display, "display", lambda data, raw: shown.append((data, raw)))
    slider = widgets.FloatSlider(value=0.5)
    fig, ax = plt.subplots()
    ax.plot([0, 1], [1, 0])
    display_with_fallback(slider, fig)
    [(data, raw)] = shown
    assert raw is True
    assert "application/vnd.jupyter.widget-view+json" in data
    import base64

    assert base64.b64decode(data["image/png"]).startswith(b"\x89PNG")
    assert not plt.fignum_exists(fig.number)  # la figure est fermée


@pytest.mark.parametrize(
    "widget, figure, message",
    [
        (object(), None, "attend un widget ipywidgets"),
        ("widget", None, "attend un widget ipywidgets"),
    ],
)
def test_display_with_fallback_rejects_bad_input_in_french(widget, figure, message):
    with pytest.raises(TypeError, match=message):
        display_with_fallback(widget, figure)


def test_display_with_fallback_rejects_a_non_figure_in_french():
    widgets = pytest.importorskip("ipywidgets")
    with pytest.raises(TypeError, match="attend une figure Matplotlib, reçu : str"):
        display_with_fallback(widgets.FloatSlider(), "figure")


def test_french_ticks_write_a_decimal_comma_once_and_for_all():
    from matplotlib import ticker

    from ae_utils.plots import french_ticks

    before = ticker.ScalarFormatter.__call__
    try:
        french_ticks()
        once = ticker.ScalarFormatter.__call__
        french_ticks()  # un second appel ne fait rien
        assert ticker.ScalarFormatter.__call__ is once is not before
        fig, ax = plt.subplots()
        ax.plot([0, 0.5], [0, 0.25])
        fig.canvas.draw()
        labels = [label.get_text() for label in ax.get_xticklabels()]
        assert "0,2" in labels and not any("." in label for label in labels), labels
    finally:
        plt.close("all")
        ticker.ScalarFormatter.__call__ = before
