"""Tests de ae_utils.text : les nombres écrits à la française (notebook 02)."""

from __future__ import annotations

import numpy as np
import pytest

from ae_utils.text import fr


@pytest.mark.parametrize(
    "value, spec, expected",
    [
        (33.3183, ".2f", "33,32"),
        (218192, ",", "218\u202f192"),
        (1234567.891, ",.2f", "1\u202f234\u202f567,89"),
        (0.8094, ".1%", "80,9\u00a0%"),
        (0.05, ".0%", "5\u00a0%"),
        (-1234.5, ",.1f", "-1\u202f234,5"),
        (24.5, "", "24,5"),
        (42, "", "42"),
        (np.float32(0.0089), ".4f", "0,0089"),
        (np.int64(60000), ",", "60\u202f000"),
        (784 / 3, "g", "261,333"),
    ],
)
def test_fr_writes_numbers_the_french_way(value, spec, expected):
    assert fr(value, spec) == expected


def test_fr_keeps_the_width_asked_in_an_f_string():
    assert f"{fr(0.5, '.2f'):>8}" == "    0,50"


@pytest.mark.parametrize(
    "value, error, message",
    [
        ("0.5", TypeError, "fr attend un nombre .* reçu : '0.5' \\(str\\)"),
        (True, TypeError, "fr attend un nombre .* reçu : True \\(bool\\)"),
        (None, TypeError, "reçu : None"),
    ],
)
def test_fr_rejects_what_is_not_a_number_in_french(value, error, message):
    with pytest.raises(error, match=message):
        fr(value, ".2f")


def test_fr_rejects_a_bad_format_spec_in_french():
    with pytest.raises(ValueError, match="spécification de format « .2z » invalide"):
        fr(0.5, ".2z")
    with pytest.raises(TypeError, match="spécification de format en texte"):
        fr(0.5, 2)
