"""A small, honest language detector: writing system first, then stop-word profiles.

It only needs to tell English (which the analysis handles) from everything else, and to say
what the rest probably is so the run summary can report it. Non-Latin scripts decide on their
own; Latin-script text is scored by the share of its words that are frequent function words of
each profiled language. Text that is too short, or that no profile explains, is "und".
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

UNDETERMINED = "und"

# Function words that are frequent in running text and, as a set, characteristic of one language.
# Words shared with English ("a", "in", "die", "is") are left out where they would blur the ratio.
_STOPWORDS: dict[str, frozenset[str]] = {
    "en": frozenset(
        "the of and to in is was that for on with as by at from it he she they his her their "
        "said have has had been were are this which who not but will would an be its after "
        "about than or a into out up over we you our there when if can could also while".split()
    ),
    "fr": frozenset(
        "le la les des du de un une et est dans pour que qui sur par pas au aux ce cette "
        "il elle ils sont ont été avec mais plus ou leur selon lors aussi comme".split()
    ),
    "de": frozenset(
        "der die das und ist nicht mit den dem des ein eine einer sich auf für von zu im "
        "auch wurde sind hat werden nach bei aus wie oder noch sie er".split()
    ),
    "es": frozenset(
        "el la los las del de que y en un una por con para es se al lo como más pero sus "
        "fue ha han según este esta también entre sobre".split()
    ),
    "it": frozenset(
        "il lo la gli le di del della dei che e è un una per con non sono nel alla dal "
        "anche ma come più questo stato ha hanno secondo".split()
    ),
    "pt": frozenset(
        "o os a as do da dos das de que e em um uma para com não no na por mais se foi "
        "são pelo pela como mas também ao seu sua".split()
    ),
    "nl": frozenset(
        "de het een van en dat niet met voor op zijn ook aan er maar door bij naar "
        "werd wordt heeft hebben deze nog om uit als dan".split()
    ),
    "sv": frozenset(
        "och att det som en är på för med av till den har inte om ett var jag de men "
        "från också efter kan sig vid eller när".split()
    ),
    "pl": frozenset(
        "i w z na się nie do że jest to o jak po przez od za ale dla jego już są tak "
        "oraz który która było".split()
    ),
    "tr": frozenset(
        "ve bir bu da de için ile çok daha olarak ama gibi olan en sonra kadar ancak "
        "değil var ise göre her şu".split()
    ),
}

# Unicode script (first word of the character name) -> language it most likely is.
_SCRIPTS: dict[str, str] = {
    "ARABIC": "ar",
    "CYRILLIC": "ru",
    "GREEK": "el",
    "HEBREW": "he",
    "DEVANAGARI": "hi",
    "BENGALI": "bn",
    "THAI": "th",
    "HANGUL": "ko",
    "HIRAGANA": "ja",
    "KATAKANA": "ja",
    "CJK": "zh",
    "ARMENIAN": "hy",
    "GEORGIAN": "ka",
    "TAMIL": "ta",
}
_UKRAINIAN_LETTERS = set("іїєґІЇЄҐ")
_FIRST_NON_LATIN = "\u0370"  # Greek: every code point below is Latin, IPA or a diacritic
_SAMPLE_CHARS = 20_000  # the language of a long text shows in its first pages
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")


@dataclass(frozen=True, slots=True)
class LanguageSettings:
    min_words: int = 4  # fewer words than this: "und"
    min_letters: int = 20
    min_ratio: float = 0.1  # share of words that must be stop words of the winning profile
    script_share: float = 0.5  # share of letters in one non-Latin script that decides alone


def detect_language(text: str, settings: LanguageSettings = LanguageSettings()) -> str:
    """ISO 639-1 code of ``text`` ("en", "fr", "ar", ...), or "und" when it cannot tell."""
    text = text[:_SAMPLE_CHARS]
    n_letters = sum(map(str.isalpha, text))
    if n_letters < settings.min_letters:
        return UNDETERMINED
    # Latin letters, the common case, need no Unicode name look-up.
    others = [c for c in text if c >= _FIRST_NON_LATIN and c.isalpha()]
    by_script = _script_language(others, n_letters, settings.script_share) if others else None
    if by_script:
        return by_script
    words = [w.lower() for w in _WORD.findall(text)]
    if len(words) < settings.min_words:
        return UNDETERMINED
    return _profile_language(words, settings.min_ratio)


def _script_of(char: str) -> str:
    name = unicodedata.name(char, "")
    return name.split(" ", 1)[0] if name else ""


def _script_language(letters: list[str], n_letters: int, share: float) -> str | None:
    """Language of the non-Latin script that holds ``share`` of all ``n_letters`` letters."""
    counts: dict[str, int] = {}
    for char in letters:
        script = _script_of(char)
        if script in _SCRIPTS:
            counts[script] = counts.get(script, 0) + 1
    if not counts:
        return None
    # Japanese mixes kana with Han characters: any kana means Japanese rather than Chinese.
    kana = counts.get("HIRAGANA", 0) + counts.get("KATAKANA", 0)
    if kana and kana + counts.get("CJK", 0) >= share * n_letters:
        return "ja"
    script, count = max(counts.items(), key=lambda item: item[1])
    if count < share * n_letters:
        return None
    if script == "CYRILLIC" and any(c in _UKRAINIAN_LETTERS for c in letters):
        return "uk"
    return _SCRIPTS[script]


def _profile_language(words: list[str], min_ratio: float) -> str:
    counts = Counter(words)
    scores = {
        lang: sum(counts[w] for w in stopwords if w in counts) / len(words)
        for lang, stopwords in _STOPWORDS.items()
    }
    best = max(scores, key=scores.__getitem__)
    return best if scores[best] >= min_ratio else UNDETERMINED
