"""Le code du tutoriel source, tel quel, en script : la ligne « tutoriel » de end_to_end.py.

Les six étapes du tutoriel, dans l'ordre et sans retouche, à une ligne près : le chargement.
`tf.keras.datasets.mnist.load_data()` télécharge le fichier, ce que ces machines sans réseau ne
peuvent pas ; `load_mnist` d'ae_utils renvoie les mêmes tableaux, hors ligne (DESIGN.md). La
dernière ligne imprime la MSE de test, pour comparer les lignes à qualité égale.
"""

# ruff: noqa: I001 — les importations du tutoriel, dans son ordre
# 1. Importer les bibliothèques nécessaires
import tensorflow as tf  # noqa: F401 — importé par le tutoriel
from tensorflow.keras import layers, models
import numpy as np
import matplotlib.pyplot as plt

from ae_utils.data import load_mnist  # seule ligne ajoutée : MNIST hors ligne

# 2. Charger et préparer les données MNIST
(x_train, _), (x_test, _) = load_mnist()  # tutoriel : tf.keras.datasets.mnist.load_data()
x_train = x_train.astype("float32") / 255.0
x_test = x_test.astype("float32") / 255.0
x_train = x_train.reshape((len(x_train), np.prod(x_train.shape[1:])))
x_test = x_test.reshape((len(x_test), np.prod(x_test.shape[1:])))


# 3. Construire l'architecture du DNN AutoEncoder
def build_dnn_autoencoder():
    input_img = layers.Input(shape=(784,))
    encoded = layers.Dense(128, activation="relu")(input_img)
    encoded = layers.Dense(64, activation="relu")(encoded)
    encoded = layers.Dense(32, activation="relu")(encoded)
    decoded = layers.Dense(64, activation="relu")(encoded)
    decoded = layers.Dense(128, activation="relu")(decoded)
    decoded = layers.Dense(784, activation="sigmoid")(decoded)
    autoencoder = models.Model(input_img, decoded)
    return autoencoder


# 4. Compiler le modèle
autoencoder = build_dnn_autoencoder()
autoencoder.compile(optimizer="adam", loss="mse", metrics=["accuracy"])

# 5. Entraîner le modèle
history = autoencoder.fit(
    x_train,
    x_train,
    epochs=50,
    batch_size=256,
    shuffle=True,
    validation_data=(x_test, x_test),
)

# 6. Visualiser les résultats
decoded_images = autoencoder.predict(x_test)
n = 10
plt.figure(figsize=(20, 4))
for i in range(n):
    ax = plt.subplot(2, n, i + 1)
    plt.imshow(x_test[i].reshape(28, 28), cmap="gray")
    plt.axis("off")
    ax = plt.subplot(2, n, i + 1 + n)
    plt.imshow(decoded_images[i].reshape(28, 28), cmap="gray")
    plt.axis("off")
plt.show()

print("MSE de test :", float(np.mean((decoded_images - x_test) ** 2)))
