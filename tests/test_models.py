"""Tests de ae_utils.models : construction, compilation, entraînement, sauvegarde, remise à zéro."""

from __future__ import annotations

import re

import keras
import numpy as np
import pytest

from ae_utils.config import set_seed
from ae_utils.data import prepare
from ae_utils.models import (
    EpochReport,
    build_autoencoder,
    build_decoder,
    build_dnn_autoencoder,
    build_encoder,
    compile_autoencoder,
    load_or_train_autoencoder,
    reset,
    save_model,
    starting_state,
    steps_per_execution,
    train_autoencoder,
)

RNG = np.random.default_rng(0)


def digits(n: int = 64) -> np.ndarray:
    """Des « images » uint8 synthétiques (n, 28, 28) : des barres verticales de largeur variable."""
    images = np.zeros((n, 28, 28), dtype=np.uint8)
    for i in range(n):
        left = 4 + i % 16
        images[i, 4:24, left : left + 3 + i % 4] = 255
    return images


# --- Construction -------------------------------------------------------------------------


def test_autoencoder_has_the_tutorial_architecture():
    model = build_autoencoder()
    assert model.count_params() == 222_384
    encoder, decoder = model.get_layer("encodeur"), model.get_layer("decodeur")
    assert [layer.units for layer in encoder.layers[1:]] == [128, 64, 32]
    assert [layer.activation.__name__ for layer in encoder.layers[1:]] == ["relu"] * 3
    assert [layer.units for layer in decoder.layers[1:]] == [64, 128, 784]
    assert [layer.activation.__name__ for layer in decoder.layers[1:]] == [
        "relu",
        "relu",
        "sigmoid",
    ]
    assert model.output_shape == (None, 784) and encoder.output_shape == (None, 32)


def test_same_seed_gives_the_tutorial_initial_weights():
    """Avec la même graine, les deux sous-modèles reçoivent les poids du modèle du tutoriel."""
    set_seed(3)
    source = build_dnn_autoencoder()
    set_seed(3)
    ours = build_autoencoder()
    for a, b in zip(source.get_weights(), ours.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)
    x = RNG.random((16, 784)).astype(np.float32)  # mêmes sorties : mêmes activations aussi
    np.testing.assert_allclose(source.predict(x, verbose=0), ours.predict(x, verbose=0), rtol=1e-6)


def test_code_size_and_hidden_are_parameters():
    model = build_autoencoder(code_size=2, hidden=(256,))
    assert model.get_layer("encodeur").output_shape == (None, 2)
    assert model.count_params() == (785 * 256) + (257 * 2) + (3 * 256) + (257 * 784)


def test_linear_code_can_be_negative_relu_code_cannot():
    x = RNG.random((64, 784)).astype(np.float32)
    keras.utils.set_random_seed(0)
    linear = build_autoencoder(code_size=8, code_activation=None).get_layer("encodeur")
    relu = build_autoencoder(code_size=8).get_layer("encodeur")
    assert (linear.predict(x, verbose=0) < 0).any()
    assert (relu.predict(x, verbose=0) >= 0).all()
    assert linear.layers[-1].get_config()["activation"] == "linear"


@pytest.mark.parametrize("builder", [build_encoder, build_autoencoder])
def test_builders_reject_unknown_code_activation_in_french(builder):
    with pytest.raises(
        ValueError,
        match=r"code_activation doit être l'une des valeurs "
        r"\('relu', None\), reçu : 'tanh'",
    ):
        builder(code_activation="tanh")


@pytest.mark.parametrize("builder", [build_encoder, build_decoder, build_autoencoder])
@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"code_size": 0}, "code_size doit être un entier strictement positif, reçu : 0"),
        ({"code_size": 3.5}, "code_size doit être un entier strictement positif, reçu : 3.5"),
        ({"hidden": "128"}, "hidden doit être une suite d'entiers strictement positifs"),
        ({"hidden": (128, -1)}, r"reçu : \(128, -1\)"),
    ],
)
def test_builders_reject_bad_sizes_in_french(builder, kwargs, message):
    with pytest.raises(ValueError, match=message):
        builder(**kwargs)


def test_psnr_is_registered_for_reloading(tmp_path):
    model = compile_autoencoder(build_autoencoder(code_size=2, hidden=(8,)))
    path = save_model(model, tmp_path / "m.keras")
    reloaded = keras.models.load_model(path)
    x = RNG.random((4, 784)).astype(np.float32)
    np.testing.assert_array_equal(reloaded.predict(x, verbose=0), model.predict(x, verbose=0))
    assert "psnr" in reloaded.evaluate(x, x, verbose=0, return_dict=True)


# --- Sauvegarde atomique ------------------------------------------------------------------


def test_interrupted_save_leaves_no_half_file_and_keeps_the_old_one(tmp_path, monkeypatch):
    path = tmp_path / "modele.keras"
    old = build_autoencoder(code_size=2, hidden=(8,))
    save_model(old, path)
    before = path.read_bytes()

    new = build_autoencoder(code_size=2, hidden=(8,))

    def interrupted_save(self, filepath, *args, **kwargs):
        with open(filepath, "wb") as f:
            f.write(b"PK\x03\x04 moitie d'archive")  # début d'un fichier, puis interruption
        raise KeyboardInterrupt

    monkeypatch.setattr(keras.Model, "save", interrupted_save)
    with pytest.raises(KeyboardInterrupt):
        save_model(new, path)
    assert path.read_bytes() == before, "l'ancien modèle doit rester intact"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["modele.keras"]


def test_interrupted_first_save_leaves_nothing(tmp_path, monkeypatch):
    def interrupted_save(self, filepath, *args, **kwargs):
        open(filepath, "wb").write(b"PK")
        raise KeyboardInterrupt

    monkeypatch.setattr(keras.Model, "save", interrupted_save)
    with pytest.raises(KeyboardInterrupt):
        save_model(build_autoencoder(code_size=2, hidden=(8,)), tmp_path / "m.keras")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "model, path, error, message",
    [
        ("modèle", "m.keras", TypeError, "attend un modèle Keras, reçu : str"),
        (None, "m.h5", ValueError, "extension .keras, reçu : 'm.h5'"),
    ],
)
def test_save_model_rejects_bad_input_in_french(tmp_path, model, path, error, message):
    model = build_autoencoder(code_size=2, hidden=(8,)) if model is None else model
    with pytest.raises(error, match=message):
        save_model(model, tmp_path / path)


# --- Entraînement -------------------------------------------------------------------------


def test_train_autoencoder_computes_exactly_like_fit_on_numpy_arrays():
    """Le tenseur partagé par l'entrée et la cible ne change aucun calcul : mêmes poids."""
    x = prepare(digits(96))
    set_seed(5)
    model, _ = train_autoencoder(x, x[:32], epochs=2, batch_size=16, code_size=4, hidden=(16,))
    set_seed(5)
    reference = compile_autoencoder(build_autoencoder(4, (16,)))
    reference.fit(
        x, x, epochs=2, batch_size=16, shuffle=True, validation_data=(x[:32], x[:32]), verbose=0
    )
    for a, b in zip(model.get_weights(), reference.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)


def test_a_reset_model_trains_exactly_like_a_new_one():
    """Notebook 08, protocole B (`starting_state`, `reset`) : modèle remis à zéro = modèle neuf,
    au bit près.

    Trois jeux successifs ; le second entraînement du modèle réutilisé doit repartir de zéro
    (sans les moments d'Adam ni le compteur de pas du premier), sinon les poids diffèrent.
    """
    import tensorflow as tf

    images = prepare(digits(192))
    datasets = [tf.identity(images[i * 64 : (i + 1) * 64]) for i in range(3)]

    def new_model():
        return compile_autoencoder(build_autoencoder(4, (16,)))

    set_seed(3)
    reused = new_model()
    state = starting_state(reused)
    for data in datasets:
        keras.backend.clear_session()
        set_seed(3)
        fresh = new_model()
        fresh.fit(data, data, epochs=2, batch_size=16, shuffle=True, verbose=0)
        set_seed(3)
        reset(reused, state)
        reused.fit(data, data, epochs=2, batch_size=16, shuffle=True, verbose=0)
        for a, b in zip(fresh.get_weights(), reused.get_weights(), strict=True):
            np.testing.assert_array_equal(a, b)


def test_train_autoencoder_learns_something():
    x = prepare(digits(256))
    set_seed(0)
    model, history = train_autoencoder(
        x, x[:64], epochs=8, batch_size=32, code_size=4, hidden=(32,)
    )
    assert len(history.history["loss"]) == 8
    assert history.history["loss"][-1] < history.history["loss"][0] / 2
    assert set(history.history) >= {"loss", "mae", "psnr", "val_loss", "val_psnr"}


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        ({"epochs": 0}, ValueError, "epochs doit être un entier strictement positif, reçu : 0"),
        ({"batch_size": 2.5}, ValueError, "batch_size doit être un entier strictement positif"),
        ({"x_train": np.zeros((4, 28, 28), np.float32)}, ValueError, "x_train doit être"),
        ({"x_val": np.full((4, 784), 2.0, np.float32)}, ValueError, "x_val doit être"),
    ],
)
def test_train_autoencoder_rejects_bad_input_in_french(kwargs, error, message):
    args = {"x_train": np.zeros((4, 784), np.float32), "x_val": np.zeros((4, 784), np.float32)}
    args.update(kwargs)
    with pytest.raises(error, match=message):
        train_autoencoder(**args)


def test_training_twice_with_the_seed_gives_identical_weights():
    x = prepare(digits(128))
    weights = []
    for _ in range(2):
        set_seed(42)
        model, _ = train_autoencoder(x, x[:32], epochs=2, batch_size=32, code_size=4, hidden=(32,))
        weights.append(model.get_weights())
    for a, b in zip(*weights, strict=True):
        np.testing.assert_array_equal(a, b)


# --- Noms d'options inconnus, arguments manquants, tailles incompatibles --------------------


@pytest.mark.parametrize(
    "call, message",
    [
        (
            lambda: train_autoencoder(
                np.zeros((4, 784), np.float32), np.zeros((4, 784), np.float32), epoch=3
            ),
            "train_autoencoder : option inconnue « epoch » \\(vouliez-vous dire « epochs » \\?\\)",
        ),
        (lambda: build_autoencoder(code=8), "build_autoencoder : option inconnue « code »"),
        (lambda: prepare(digits(2), normalize=True), "prepare : option inconnue « normalize »"),
        (
            lambda: save_model(build_autoencoder(2, (8,)), path="m.keras", overwrite=True),
            "save_model : option inconnue « overwrite »",
        ),
        (
            lambda: set_seed(seeds=1),
            "set_seed : option inconnue « seeds » \\(vouliez-vous dire « seed »",
        ),
        (
            lambda: train_autoencoder(np.zeros((4, 784), np.float32)),
            r"train_autoencoder attend 2 argument\(s\) obligatoire\(s\) \(x_train, x_val\)",
        ),
        (lambda: compile_autoencoder(), r"compile_autoencoder attend 1 argument"),
    ],
)
def test_unknown_options_and_missing_arguments_get_a_french_error(call, message):
    with pytest.raises(TypeError, match=message):
        call()


def test_compile_autoencoder_rejects_a_non_model_in_french():
    with pytest.raises(TypeError, match="compile_autoencoder attend un modèle Keras, reçu : dict"):
        compile_autoencoder({"couches": 3})


def test_load_or_train_trains_and_saves_once_then_loads(tmp_path, capsys):
    x = prepare(digits(64))
    path = tmp_path / "modele" / "autoencodeur.keras"
    set_seed(0)
    trained = load_or_train_autoencoder(path, x, x[:16], epochs=1)
    assert "entraînement ici" in capsys.readouterr().out and path.exists()
    loaded = load_or_train_autoencoder(path, x, x[:16], epochs=1)
    assert "Modèle chargé" in capsys.readouterr().out
    for a, b in zip(trained.get_weights(), loaded.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)


def test_load_or_train_rejects_bad_input_in_french(tmp_path):
    with pytest.raises(ValueError, match="x_train doit être"):
        load_or_train_autoencoder(
            tmp_path / "a.keras", np.zeros((4, 28, 28), np.float32), np.zeros((4, 784), np.float32)
        )
    assert not (tmp_path / "a.keras").exists()


# --- EpochReport : quelques lignes françaises au lieu du journal de Keras ----------------------


def test_epoch_report_prints_every_n_epochs_and_the_last_in_french(capsys):
    x = prepare(digits(64))
    set_seed(0)
    model = compile_autoencoder(build_autoencoder(code_size=4, hidden=(16,)), 1)
    model.fit(
        x,
        x,
        epochs=5,
        batch_size=32,
        validation_data=(x[:16], x[:16]),
        verbose=0,
        callbacks=[EpochReport(every=2)],
    )
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(" :")[0] for line in lines] == ["époque 2/5", "époque 4/5", "époque 5/5"]
    assert all(
        re.fullmatch(r"époque \d/5 : perte \d,\d{4}, validation \d,\d{4} \(\d+ s\)", line)
        for line in lines
    ), lines


def test_epoch_report_without_validation_prints_the_loss_only(capsys):
    x = prepare(digits(32))
    model = compile_autoencoder(build_autoencoder(code_size=4, hidden=(16,)), 1)
    model.fit(x, x, epochs=1, batch_size=32, verbose=0, callbacks=[EpochReport()])
    out = capsys.readouterr().out
    assert out.startswith("époque 1/1 : perte ") and "validation" not in out


@pytest.mark.parametrize("every", [0, -3, 2.5, True, "10"])
def test_epoch_report_rejects_a_bad_period_in_french(every):
    with pytest.raises(ValueError, match="every .* doit être un entier strictement positif"):
        EpochReport(every=every)


# --- La barre de progression compte juste (verbose=1, comme dans JupyterLab) -------------------

COUNTER = re.compile(r"(\d+)/(\d+)")


def counters(text: str) -> list[tuple[int, int]]:
    """Les compteurs « pas/total » qu'ont affichés les barres de progression de Keras."""
    return [(int(done), int(total)) for done, total in COUNTER.findall(text)]


def assert_counts_right(text: str, steps: int) -> None:
    seen = counters(text)
    assert seen, f"aucune barre de progression affichée : {text[-300:]!r}"
    assert all(total == steps for _, total in seen), seen
    assert max(done for done, _ in seen) == steps, f"le compteur dépasse {steps} : {seen}"


@pytest.mark.parametrize(
    ("n_images", "batch_size", "expected"),
    [
        (60_000, 256, 47),  # notebooks 05, 06, 07, 10 : 235 pas = 5 × 47
        (54_000, 256, 211),  # notebook 08 (validation de 6 000 images) : 211 pas, un nombre premier
        (10_000, 256, 40),
        (10_000, 32, 313),  # predict par défaut : 313 pas, premier
        (5_923, 128, 47),  # un chiffre du notebook 08 : 47 pas
        (100, 256, 1),
    ],
)
def test_steps_per_execution_divides_the_steps_of_an_epoch(n_images, batch_size, expected):
    chosen = steps_per_execution(n_images, batch_size)
    steps = -(-n_images // batch_size)
    assert chosen == expected and steps % chosen == 0
    assert chosen <= 50 or chosen == steps


@pytest.mark.parametrize("bad", [0, -3, 2.5, True, "256"])
def test_steps_per_execution_rejects_bad_sizes_in_french(bad):
    with pytest.raises(ValueError, match="batch_size doit être un entier strictement positif"):
        steps_per_execution(1000, bad)


@pytest.mark.parametrize("n_images", [60_000, 54_000])
def test_fit_progress_bar_never_passes_the_number_of_steps(n_images, capsys):
    """Les tailles des notebooks (60 000 images, 54 000 au notebook 08), lots de 256."""
    x = RNG.random((n_images, 784), dtype=np.float32)
    set_seed(0)
    train_autoencoder(x, x[:512], epochs=1, verbose=1)
    assert_counts_right(capsys.readouterr().out, -(-n_images // 256))


def test_the_notebooks_compilation_counts_right_on_the_training_set(capsys):
    """Notebook 05 : compile_autoencoder (47 lots par appel) puis fit sur les 60 000 images."""
    x = RNG.random((60_000, 784), dtype=np.float32)
    model = compile_autoencoder(build_autoencoder())
    model.fit(x, x, epochs=1, batch_size=256, verbose=1)
    assert_counts_right(capsys.readouterr().out, 235)


def test_a_reloaded_model_predicts_with_a_right_counter(tmp_path, capsys):
    """Notebook 06 : `predict(x_test)` du tutoriel, lots de 32 par défaut, sur 10 000 images."""
    x = prepare(digits(64))
    model = load_or_train_autoencoder(tmp_path / "a.keras", x, x[:16], epochs=1)
    capsys.readouterr()
    model.predict(RNG.random((10_000, 784), dtype=np.float32), verbose=1)
    assert_counts_right(capsys.readouterr().out, 313)


def test_starting_state_needs_a_compiled_model():
    with pytest.raises(ValueError, match="starting_state attend un modèle compilé"):
        starting_state(build_autoencoder(4, (16,)))


# --- Flux tf.data des notebooks 09 et 12 ----------------------------------------------------


def test_shuffling_indices_gives_the_same_batches_as_shuffling_the_images():
    """09 et 12 mélangent les numéros des images et lisent chaque lot par tf.gather, au lieu de
    mélanger les images (dont le tampon de shuffle garderait une copie) : mêmes lots, mêmes
    décalages aléatoires, époque après époque."""
    import tensorflow as tf

    images = RNG.random((600, 784), dtype=np.float32)
    tensor = tf.identity(images)

    def shifted(seed):
        shift = keras.layers.RandomTranslation(
            1 / 28, 1 / 28, fill_mode="constant", interpolation="nearest", seed=seed
        )
        return lambda batch: tf.reshape(shift(tf.reshape(batch, (-1, 28, 28, 1))), (-1, 784))

    shift_a, shift_b = shifted(7), shifted(7)
    by_images = (
        tf.data.Dataset.from_tensor_slices(images).shuffle(600, seed=3).batch(64).map(shift_a)
    )
    by_indices = (
        tf.data.Dataset.range(600)
        .shuffle(600, seed=3)
        .batch(64)
        .map(lambda index: shift_b(tf.gather(tensor, index)))
    )
    first_epoch = None
    for _ in range(2):  # deux époques : un nouvel ordre, les mêmes des deux côtés
        batches_a = [batch.numpy() for batch in by_images]
        batches_b = [batch.numpy() for batch in by_indices]
        assert len(batches_a) == len(batches_b) == 10
        for a, b in zip(batches_a, batches_b, strict=True):
            np.testing.assert_array_equal(a, b)
        if first_epoch is not None:
            assert not np.array_equal(first_epoch, batches_a[0])  # l'ordre change bien
        first_epoch = batches_a[0]
