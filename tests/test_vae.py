"""ae_utils.vae : le VAE du notebook 11 (binarisation, KL, vraisemblance, unités actives)."""

from __future__ import annotations

import math

import numpy as np
import pytest

keras = pytest.importorskip("keras")
from keras import ops  # noqa: E402

from ae_utils import vae  # noqa: E402
from ae_utils.config import set_seed  # noqa: E402


def images(n=64, seed=0):
    return np.random.default_rng(seed).random((n, 784)).astype("float32") ** 3


def tiny(latent=3, seed=0, **kwargs):
    set_seed(seed)
    model = vae.VAE(
        vae.build_vae_encoder(latent, (16,)),
        vae.build_vae_decoder(latent, (16,)),
        seed=seed,
        **kwargs,
    )
    model(images(1))
    return model


def test_binarize_keeps_the_ink_on_average_and_is_binary():
    x = images(2000)
    b = vae.binarize(x, np.random.default_rng(1))
    assert set(np.unique(b)) <= {0.0, 1.0} and b.dtype == np.float32
    assert abs(b.mean() - x.mean()) < 0.005
    again = vae.binarize(x, np.random.default_rng(1))
    assert np.array_equal(b, again)  # une graine : une binarisation fixe


@pytest.mark.parametrize(
    "bad, message",
    [(np.ones((3, 28, 28)), "forme"), (np.full((2, 784), 1.5), "entre 0 et 1")],
)
def test_binarize_rejects_bad_images_in_french(bad, message):
    with pytest.raises(ValueError, match=message):
        vae.binarize(bad, np.random.default_rng(0))


def test_binarize_wants_a_numpy_generator():
    with pytest.raises(TypeError, match="générateur NumPy"):
        vae.binarize(images(2), 42)


def test_analytic_kl_matches_a_monte_carlo_estimate():
    model = tiny()
    x = vae.binarize(images(4), np.random.default_rng(0))
    _, kl = model.terms(x)
    mean, log_var = (ops.convert_to_numpy(t) for t in model.encoder(x))
    rng = np.random.default_rng(0)
    z = mean + np.exp(0.5 * log_var) * rng.standard_normal((200_000, *mean.shape))
    log_q = -0.5 * np.sum((z - mean) ** 2 / np.exp(log_var) + log_var + math.log(2 * math.pi), -1)
    log_p = -0.5 * np.sum(z**2 + math.log(2 * math.pi), -1)
    assert np.allclose(ops.convert_to_numpy(kl), (log_q - log_p).mean(0), atol=0.02)


def test_reconstruction_is_summed_over_pixels():
    model = tiny()
    x = vae.binarize(images(8), np.random.default_rng(0))
    reconstruction, _ = model.terms(x)
    # Un décodeur à peine entraîné donne p ≈ 0,5 partout : log 2 nats par pixel, 784 pixels.
    assert np.all(ops.convert_to_numpy(reconstruction) > 300)


def test_mean_reduction_divides_only_the_reconstruction():
    model = tiny(reduction="mean")
    rec, kl = ops.convert_to_tensor([784.0]), ops.convert_to_tensor([2.0])
    assert float(model.objective(rec, kl)) == pytest.approx(1.0 + 2.0)
    right = tiny(beta=0.5)
    assert float(right.objective(rec, kl)) == pytest.approx(784.0 + 1.0)


def test_importance_estimate_sits_under_the_elbo_and_falls_with_k():
    model = tiny()
    model.compile(optimizer="adam")
    model.fit(images(512), epochs=2, batch_size=64, verbose=0)
    x = vae.binarize(images(50, seed=3), np.random.default_rng(0))
    elbo = model.evaluate(x, batch_size=50, verbose=0, return_dict=True)["loss"]
    set_seed(0)
    one = vae.importance_nll(model.encoder, model.decoder, x, k=1).mean()
    set_seed(0)
    many = vae.importance_nll(model.encoder, model.decoder, x, k=300, batch=20, chunk=64).mean()
    assert abs(one - elbo) < 3  # k = 1 : l'ELBO, au hasard des tirages près
    assert many < one


def test_importance_nll_checks_k_and_images():
    model = tiny()
    with pytest.raises(ValueError, match="k"):
        vae.importance_nll(model.encoder, model.decoder, images(2), k=0)
    with pytest.raises(ValueError, match="entre 0 et 1"):
        vae.importance_nll(model.encoder, model.decoder, images(2) * 255, k=2)


def test_active_units_counts_units_whose_mean_varies():
    model = tiny(latent=4)
    head = model.encoder.get_layer("moyenne")
    kernel, bias = head.get_weights()
    kernel[:, 2:] = 0.0  # deux unités rendent μ = biais pour toutes les images : inactives
    head.set_weights([kernel * 50, bias])
    count, variances = vae.active_units(model.encoder, images(200))
    assert variances.shape == (4,) and np.all(variances[2:] == 0)
    assert count == int(np.sum(variances > 0.01)) and count <= 2


@pytest.mark.parametrize(
    "kwargs, message",
    [({"reduction": "moyenne"}, "reduction"), ({"beta": -1.0}, "beta"), ({"beta": True}, "beta")],
)
def test_vae_rejects_bad_settings_in_french(kwargs, message):
    with pytest.raises(ValueError, match=message):
        vae.VAE(vae.build_vae_encoder(2, (4,)), vae.build_vae_decoder(2, (4,)), **kwargs)


def test_builders_reject_bad_sizes():
    with pytest.raises(ValueError, match="latent"):
        vae.build_vae_encoder(0)
    with pytest.raises(ValueError, match="hidden"):
        vae.build_vae_decoder(2, (0,))


def test_nats_report_prints_french_lines(capsys):
    report = vae.NatsReport(every=2)
    report.set_params({"epochs": 3})
    report.on_train_begin()
    for epoch in range(3):
        report.on_epoch_end(epoch, {"loss": 100.5, "reconstruction": 80.25, "kl": 20.25})
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(" :")[0] for line in lines] == ["époque 2/3", "époque 3/3"]
    assert "−ELBO 100,50 nats (reconstruction 80,25 + KL 20,25)" in lines[0]
    with pytest.raises(ValueError, match="every"):
        vae.NatsReport(every=0)
