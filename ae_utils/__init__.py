"""Outils partagés par les notebooks de la série « Autoencodeurs DNN sur MNIST ».

Ce paquet ne contient que du code qu'un notebook a déjà montré et expliqué :
les notebooks suivants l'importent au lieu de le recopier.

- `ae_utils.config` : mode rapide, graine, dossier des artefacts (notebook 01) ;
- `ae_utils.data` : chargement hors ligne et vérifié de MNIST, préparation des images
  (notebooks 01 et 02) ;
- `ae_utils.models` : le modèle du tutoriel, encodeur et décodeur en sous-modèles
  (notebook 03), compilation (04), entraînement et sauvegarde (05), rechargement ou
  entraînement du modèle du 05 (06), remise à zéro d'un modèle (08) ;
- `ae_utils.text` : les nombres écrits à la française, `fr` (notebook 02) ;
- `ae_utils.plots` : des lignes d'images, `image_rows` (notebook 03) ;
- `ae_utils.metrics` : le PSNR, métrique Keras (notebook 04), sa moyenne sur des tableaux
  (07), l'erreur de Hinton et Salakhutdinov (09) ;
- `ae_utils.noise` : bruit gaussien, masquage, poivre et sel (notebook 07) ;
- `ae_utils.checks` : les verdicts des cellules « Vérification » des exercices, `check`
  (tous les notebooks ; ce n'est pas du code du cours, mais l'outil de ses exercices).
"""

__version__ = "0.1.0"
