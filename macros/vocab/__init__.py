"""The words a chapter uses (``model(id)``, ``hw(id)``, ``const(key)``, verbs), one module per subject.

Each subject module registers its words with :func:`~macros.vocab.base.word`; importing this
package imports them all, and :func:`bind` gives the bridge every word bound to one book.
"""

from __future__ import annotations

from . import calculators, economics, eras, figures, hardware, lifetime, models, scaling, serving
from .base import WORDS, Vocabulary, bind, word
from .hardware import HardwareView
from .models import ModelView

SUBJECTS = (models, hardware, scaling, lifetime, eras, economics, serving, figures, calculators)

__all__ = ["WORDS", "HardwareView", "ModelView", "SUBJECTS", "Vocabulary", "bind", "word"]
