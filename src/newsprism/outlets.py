"""Inferring the outlet (publisher) of a report when its input does not say.

Evidence, strongest first:

1. the URL host, looked up in a table of well-known news hosts, else its registered domain;
2. the outlet's own words about itself: a tagline ("Creating new perspectives since 2009"),
   a pointer to its site ("also available in Arabic at AlArabiya.Net"), the outlet speaking of
   itself in the third person ("The Independent has not been able to ..."), its readers
   ("other Independent readers"), a copyright or signature line, a "Headline | Outlet" title.

Mentions that name a *source* rather than the publisher ("told CNN", "CNN quoted",
"sources confirmed to X", "X reported") are deliberately not evidence: any outlet may quote
another, so they would misattribute wire copy. When nothing reveals the publisher the answer is
``None``, never a guess.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from urllib.parse import urlsplit

# Outlet name -> other ways its own text spells it (the name itself is always included).
KNOWN_OUTLETS: dict[str, tuple[str, ...]] = {
    "Al Arabiya": ("Al Arabiya", "AlArabiya", "Al Arabiya English", "AlArabiya.Net", "Al Arabiya News"),
    "Al Jazeera": ("Al Jazeera", "Al Jazeera English", "Aljazeera.com"),
    "Middle East Monitor": ("Middle East Monitor", "MEMO"),
    "The Independent": ("The Independent", "Independent"),
    "Gulf News": ("Gulf News", "GulfNews"),
    "Khaleej Times": ("Khaleej Times",),
    "The National": ("The National",),
    "CNN": ("CNN",),
    "BBC News": ("BBC News", "BBC"),
    "Reuters": ("Reuters",),
    "Associated Press": ("Associated Press", "AP"),
    "Agence France-Presse": ("Agence France-Presse", "AFP"),
    "The Guardian": ("The Guardian", "Guardian"),
    "The Telegraph": ("The Telegraph", "Telegraph"),
    "Daily Mail": ("Daily Mail", "MailOnline"),
    "The New York Times": ("The New York Times", "New York Times"),
    "The Washington Post": ("The Washington Post", "Washington Post"),
    "Fox News": ("Fox News",),
    "NBC News": ("NBC News",),
    "CBS News": ("CBS News",),
    "ABC News": ("ABC News",),
    "NPR": ("NPR",),
    "Los Angeles Times": ("Los Angeles Times", "LA Times"),
    "USA Today": ("USA Today", "USA TODAY"),
    "The Wall Street Journal": ("The Wall Street Journal", "Wall Street Journal"),
    "Bloomberg": ("Bloomberg",),
    "Financial Times": ("Financial Times", "FT"),
    "Sky News": ("Sky News",),
    "France 24": ("France 24", "FRANCE 24"),
    "Deutsche Welle": ("Deutsche Welle", "DW"),
    "Euronews": ("Euronews",),
    "RT": ("RT",),
    "SANA": ("SANA",),
    "Anadolu Agency": ("Anadolu Agency",),
    "TRT World": ("TRT World",),
    "The Times of Israel": ("The Times of Israel", "Times of Israel"),
    "Haaretz": ("Haaretz",),
    "The Jerusalem Post": ("The Jerusalem Post", "Jerusalem Post"),
    "HuffPost": ("HuffPost", "Huffington Post", "The Huffington Post"),
    "New York Daily News": ("New York Daily News",),
}

# Registered domain (or a more specific host) -> outlet.
KNOWN_HOSTS: dict[str, str] = {
    "alarabiya.net": "Al Arabiya",
    "aljazeera.com": "Al Jazeera",
    "aljazeera.net": "Al Jazeera",
    "middleeastmonitor.com": "Middle East Monitor",
    "independent.co.uk": "The Independent",
    "gulfnews.com": "Gulf News",
    "khaleejtimes.com": "Khaleej Times",
    "thenationalnews.com": "The National",
    "thenational.ae": "The National",
    "cnn.com": "CNN",
    "bbc.co.uk": "BBC News",
    "bbc.com": "BBC News",
    "reuters.com": "Reuters",
    "apnews.com": "Associated Press",
    "afp.com": "Agence France-Presse",
    "theguardian.com": "The Guardian",
    "guardian.co.uk": "The Guardian",
    "telegraph.co.uk": "The Telegraph",
    "dailymail.co.uk": "Daily Mail",
    "nytimes.com": "The New York Times",
    "washingtonpost.com": "The Washington Post",
    "foxnews.com": "Fox News",
    "nbcnews.com": "NBC News",
    "cbsnews.com": "CBS News",
    "abcnews.go.com": "ABC News",
    "npr.org": "NPR",
    "latimes.com": "Los Angeles Times",
    "usatoday.com": "USA Today",
    "wsj.com": "The Wall Street Journal",
    "bloomberg.com": "Bloomberg",
    "ft.com": "Financial Times",
    "news.sky.com": "Sky News",
    "france24.com": "France 24",
    "dw.com": "Deutsche Welle",
    "euronews.com": "Euronews",
    "rt.com": "RT",
    "sana.sy": "SANA",
    "aa.com.tr": "Anadolu Agency",
    "trtworld.com": "TRT World",
    "timesofisrael.com": "The Times of Israel",
    "haaretz.com": "Haaretz",
    "jpost.com": "The Jerusalem Post",
    "huffpost.com": "HuffPost",
    "huffingtonpost.com": "HuffPost",
    "nydailynews.com": "New York Daily News",
}

# Slogans sites print in their page header; a tagline in the text names its publisher.
KNOWN_TAGLINES: dict[str, str] = {
    "creating new perspectives since 2009": "Middle East Monitor",
    "all the news that's fit to print": "The New York Times",
    "democracy dies in darkness": "The Washington Post",
    "go there. find that.": "CNN",
    "fair & balanced": "Fox News",
    "question more": "RT",
}

# Self-reference patterns; {o} is an alternation of one outlet's spellings.
_SELF_REFERENCES: tuple[str, ...] = (
    # The outlet speaking of its own reporting in the third person.
    r"\b{o} (?:has|have|had|was|were|is) (?:not been able|been unable|unable|not able) to\b",
    r"\b{o} (?:could not|cannot|can not|was unable to|is unable to) (?:independently )?"
    r"(?:verify|confirm|reach|contact)\b",
    r"\b{o} (?:has contacted|has approached|has reached out|has asked|understands)\b",
    # Its audience and its site furniture.
    r"\b(?:other |fellow )?{o} readers\b",
    r"\b(?:sign up|subscribe) (?:to|for) (?:the |our )?{o}\b",
    r"\bfollow {o} on (?:twitter|facebook|instagram)\b",
    r"(?:©|\(c\)|copyright)\s*(?:\d{{4}}\s*)?{o}\b",
    # A signature line: "Gulf News Report", "By Jane Doe, Gulf News Correspondent". A bare
    # "Reuters" credit line is not one: it names where the copy came from, not who printed it.
    r"^(?:by [^\n,]+,\s*{o}(?: staff)?(?: reporter| correspondent)?"
    r"|{o} (?:staff )?(?:report|reporter|correspondent))\s*$",
    r"^special to {o}\s*$",
)
_SITE_POINTER = re.compile(
    r"\b(?:also )?available in [A-Z][a-z]+ (?:at|on) ((?:www\.)?[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)",
    re.IGNORECASE,
)
_TITLE_SUFFIX = re.compile(r"\s[|\u2013\u2014-]\s([^|\u2013\u2014]+?)\s*$")


@dataclass(frozen=True, slots=True)
class OutletEvidence:
    outlet: str
    how: str  # "url", "tagline", "site", "self-reference", "title"


def infer_outlet(title: str | None, text: str | None, url: str | None) -> str | None:
    """The publisher of a report from its URL or its own text, or ``None`` if nothing says."""
    evidence = outlet_evidence(title, text, url)
    return evidence.outlet if evidence else None


def outlet_evidence(title: str | None, text: str | None, url: str | None) -> OutletEvidence | None:
    """The best evidence for the publisher, with how it was found."""
    if url and (name := outlet_from_url(url)):
        return OutletEvidence(name, "url")
    text = text or ""
    if name := _from_tagline(text):
        return OutletEvidence(name, "tagline")
    if name := _from_site_pointer(text):
        return OutletEvidence(name, "site")
    if name := _from_self_reference(text):
        return OutletEvidence(name, "self-reference")
    if title and (name := _from_title_suffix(title)):
        return OutletEvidence(name, "title")
    return None


def outlet_from_url(url: str) -> str | None:
    """Outlet for a URL or bare host: the known-host table, else the registered domain."""
    host = _host(url)
    if not host:
        return None
    parts = host.split(".")
    for i in range(len(parts) - 1):  # most specific suffix first: news.sky.com before sky.com
        if (known := KNOWN_HOSTS.get(".".join(parts[i:]))) is not None:
            return known
    return registered_domain(host)


def registered_domain(host: str) -> str | None:
    """"www.example-news.co.uk" -> "example-news.co.uk" (public-suffix aware, via ``tld``)."""
    from tld import get_fld

    try:
        return get_fld(host, fix_protocol=True, fail_silently=True) or None
    except Exception:  # tld raises on hosts it cannot parse (IP addresses, bad labels)
        return None


def _host(url: str) -> str | None:
    candidate = url.strip()
    if "://" not in candidate:
        candidate = "http://" + candidate
    try:
        host = urlsplit(candidate).hostname
    except ValueError:
        return None
    return host.lower().rstrip(".") if host else None


def tagline_outlet(line: str) -> str | None:
    """Outlet whose tagline ``line`` is (used by ``clean`` to drop page-header slogans)."""
    return KNOWN_TAGLINES.get(_normalize_line(line))


def _normalize_line(line: str) -> str:
    return " ".join(line.replace("\u2019", "'").lower().split()).strip(" *")


def _from_tagline(text: str) -> str | None:
    for line in text.splitlines():
        if name := tagline_outlet(line):
            return name
    return None


def _from_site_pointer(text: str) -> str | None:
    match = _SITE_POINTER.search(text)
    return outlet_from_url(match.group(1).rstrip(".")) if match else None


def _spelling_table() -> dict[str, str]:
    return {spelling: outlet for outlet, names in KNOWN_OUTLETS.items() for spelling in (outlet, *names)}


_SPELLINGS = _spelling_table()


def _compile_self_references() -> list[re.Pattern[str]]:
    # One regex per pattern over every outlet's spellings, longest first ("The Independent"
    # before "Independent"). Names match case-sensitively ("Independent", not "an independent
    # source"); the words around them do not.
    names = "|".join(re.escape(s) for s in sorted(_SPELLINGS, key=len, reverse=True))
    alternation = f"(?-i:({names}))"  # the only capturing group in a template
    return [
        re.compile(template.format(o=alternation), re.IGNORECASE | re.MULTILINE)
        for template in _SELF_REFERENCES
    ]


_PATTERNS = _compile_self_references()


def _from_self_reference(text: str) -> str | None:
    hits: Counter[str] = Counter(
        _SPELLINGS[next(name for name in match.groups() if name)]
        for pattern in _PATTERNS
        for match in pattern.finditer(text)
    )
    ranked = hits.most_common(2)
    if not ranked:
        return None
    if len(ranked) == 2 and ranked[0][1] == ranked[1][1]:
        return None  # two outlets claim the text equally: do not guess
    return ranked[0][0]


def _from_title_suffix(title: str) -> str | None:
    match = _TITLE_SUFFIX.search(title)
    if not match:
        return None
    return _SPELLINGS.get(match.group(1).strip())
