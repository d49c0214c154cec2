"""Le même autoencodeur en PyTorch, script simple : la ligne « pytorch » de end_to_end.py.

Mêmes étapes que le tutoriel (données, modèle 784-128-64-32-64-128-784, Adam aux réglages de
Keras, MSE, 50 époques de lots de 256 images mélangés, validation sur le test à chaque époque
avec une ligne par époque, puis la figure des reconstructions). Sur CPU, tous les cœurs.
Installation : pip install -r benchmarks/requirements-torch.txt
"""

import time

import matplotlib.pyplot as plt
import numpy as np
import torch
from torch import nn

from ae_utils.data import load_mnist

(x_train, _), (x_test, _) = load_mnist()
x_train = torch.from_numpy(x_train.reshape(len(x_train), 784).astype("float32") / 255.0)
x_test = torch.from_numpy(x_test.reshape(len(x_test), 784).astype("float32") / 255.0)

sizes = [784, 128, 64, 32, 64, 128, 784]
layers = []
for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:], strict=True)):
    linear = nn.Linear(n_in, n_out)
    nn.init.xavier_uniform_(linear.weight)  # comme glorot_uniform de Keras
    nn.init.zeros_(linear.bias)
    layers += [linear, nn.Sigmoid() if i == len(sizes) - 2 else nn.ReLU()]
model = nn.Sequential(*layers)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7)  # réglages de Keras
loss_fn = nn.MSELoss()

for epoch in range(50):
    start = time.perf_counter()
    model.train()
    total = 0.0
    for idx in torch.randperm(len(x_train)).split(256):
        batch = x_train[idx]
        optimizer.zero_grad(set_to_none=True)
        loss = loss_fn(model(batch), batch)
        loss.backward()
        optimizer.step()
        total += loss.item() * len(batch)
    model.eval()
    with torch.no_grad():
        val = sum(loss_fn(model(b), b).item() * len(b) for b in x_test.split(256)) / len(x_test)
    print(
        f"Epoch {epoch + 1}/50 - loss: {total / len(x_train):.4f} - val_loss: {val:.4f}"
        f" - {time.perf_counter() - start:.1f}s",
        flush=True,
    )

with torch.no_grad():
    decoded_images = model(x_test).numpy()
n = 10
plt.figure(figsize=(20, 4))
for i in range(n):
    plt.subplot(2, n, i + 1)
    plt.imshow(x_test[i].reshape(28, 28), cmap="gray")
    plt.axis("off")
    plt.subplot(2, n, i + 1 + n)
    plt.imshow(decoded_images[i].reshape(28, 28), cmap="gray")
    plt.axis("off")
plt.show()

print("MSE de test :", float(np.mean((decoded_images - x_test.numpy()) ** 2)))
