"""Tests de ae_utils.config : mode rapide, graine, dossier des artefacts."""

import subprocess
import sys

import numpy as np
import pytest

from ae_utils import config


@pytest.mark.parametrize(
    "value, expected", [(None, False), ("", False), ("0", False), (" 1 ", True), ("1", True)]
)
def test_read_fast(value, expected):
    assert config.read_fast(value) is expected


@pytest.mark.parametrize("value", ["oui", "true", "2", "-1"])
def test_read_fast_rejects_other_values_in_french(value):
    with pytest.raises(ValueError, match=r"AE_FAST doit valoir « 0 » ou « 1 ».*reçu : '"):
        config.read_fast(value)


def config_value(name: str, fast: str) -> str:
    """La valeur de ae_utils.config.<name> dans un Python neuf, avec AE_FAST=fast."""
    out = subprocess.run(
        [sys.executable, "-c", f"from ae_utils import config; print(config.{name})"],
        env={"AE_FAST": fast, "PATH": ""},
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout.strip()


@pytest.mark.parametrize("env, expected", [("1", "True"), ("0", "False")])
def test_fast_is_read_from_the_environment(env, expected):
    assert config_value("FAST", env) == expected


def test_artefacts_folder_is_ignored_by_git():
    folder = config.ARTEFACTS.parent
    gitignore = (folder.parent / ".gitignore").read_text(encoding="utf-8").split()
    assert f"{folder.name}/" in gitignore


@pytest.mark.parametrize("env, expected", [("1", "rapide"), ("0", "complet")])
def test_fast_and_full_runs_keep_their_artefacts_apart(env, expected):
    assert config_value("ARTEFACTS.name", env) == expected


def test_set_seed_makes_numpy_and_tensorflow_draws_repeat():
    import tensorflow as tf

    config.set_seed(7)
    first = np.random.rand(4), tf.random.uniform((4,)).numpy()
    config.set_seed(7)
    second = np.random.rand(4), tf.random.uniform((4,)).numpy()
    np.testing.assert_array_equal(first[0], second[0])
    np.testing.assert_array_equal(first[1], second[1])


@pytest.mark.parametrize("seed", [-1, 1.5, "42", True, None])
def test_set_seed_rejects_bad_seeds_in_french(seed):
    with pytest.raises(ValueError, match="La graine doit être un entier positif ou nul, reçu"):
        config.set_seed(seed)
