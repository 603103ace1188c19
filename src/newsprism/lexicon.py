"""Word lists for the linguistics stage, written for newsprism (news-report register).

Single words are matched on the lower-cased lemma *or* surface form (a set lookup in the
per-token loop that already builds the content lemmas); multi-word expressions are compiled
into one spaCy ``PhraseMatcher`` per vocabulary (see ``build_matcher``), so a document is scanned once.

The lists aim at precision on news prose: words that a wire report uses neutrally ("killed",
"attack", "regime", "embattled") are left out, because a loaded-language score that fires on
every war report cannot tell an advocacy piece from a careful one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.matcher import PhraseMatcher
    from spacy.vocab import Vocab


def _words(block: str) -> frozenset[str]:
    return frozenset(w.strip().lower() for w in block.split() if w.strip())


# Emotive and evaluative adjectives/adverbs/nouns: they judge rather than describe.
EVALUATIVE = _words(
    """
    abhorrent abominable agonising agonizing appalling atrocious awful barbaric barbarous
    barbarity bestial bloodthirsty bloody brutal brutally brutality callous callously carnage
    catastrophic chilling cowardly cowardice cruel cruelly cruelty demonic
    depraved despicable destitute devastating devilish diabolical dire disgraceful disgusting
    dreadful evil egregious fiendish frightful ghastly gruesome grisly harrowing hateful
    heartbreaking heartless heartrending heinous hellish horrendous horrible horrific horrifying
    horrifically ignominious inhuman inhumane insane lamentable malicious mercilessly merciless
    monstrous murderous nightmarish obscene odious outrageous pitiless repugnant revolting
    ruthless ruthlessly sadistic savage savagely scandalous shameful shameless shocking sickening
    sinister spineless terrible terribly terrifying tragic tragically treacherous tyrannical
    unconscionable unforgivable unspeakable vicious viciously vile villainous wicked wretched
    admirable amazing brave bravely bravery courageous courageously dignified excellent
    extraordinary fearless gallant glorious heroic heroically heroism honest honourable
    honorable incredible inspiring magnificent marvellous marvelous noble outstanding remarkable
    selfless serene stunning superb tremendous valiant wonderful
    bloodbath bloodshed butchery butcheries slaughter hell holocaust nightmare
    thug thugs tyrant tyranny dictator despot henchman henchmen
    stricken frightened terrified emotional
    """
)

# Intensifiers and emphatic adverbs: they push the reader; a report rarely needs them.
INTENSIFIERS = _words(
    """
    absolutely completely definitively entirely extremely incredibly literally outright
    overwhelmingly really surely totally truly undeniably unquestionably utterly clearly
    desperately deeply hugely massively obviously blatantly shockingly
    """
)

# Terms that are loaded in an outlet's own voice but routine inside an attributed quote or
# after "reports of": they count as loaded only when the sentence carries no attribution.
CONTESTED = _words(
    """
    genocide massacre massacred massacres slaughtered exterminate extermination annihilate
    annihilation terrorist terrorists jihadist jihadists martyr martyrs
    martyrdom butchered crusader infidel infidels apostate
    """
)

# Single-word hedges (lemma or lower-cased surface form).
HEDGE_WORDS = _words(
    """
    reportedly allegedly alleged purportedly purported apparently supposedly unconfirmed
    unverified rumour rumor rumoured rumored possibly presumably seemingly ostensibly
    """
)

# Multi-word hedges, one pattern per line: tokens are lower-cased surface forms; "|" separates
# alternatives for one token and "?" after a token makes it optional (see ``_expand``).
HEDGE_PHRASES = """
unconfirmed report|reports
unverified report|reports|claims|footage|video|videos
could|can|ca not|n't be independently? verified|confirmed
could|can|ca not|n't independently? verify|confirm
not|unable able? to independently? verify|confirm
has|have|had not been able to independently? verify|confirm
not been independently verified|confirmed
was|were|is|are|be|been not independently verified|confirmed
appear|appears|appeared|seem|seems|seemed to
is|are|was|were|be said to
is|are|was|were|be believed|thought|understood|alleged|reported|rumoured|rumored to
claims|claimed|claim that
it is|was unclear
it is|was not clear
there are|were reports
according to unconfirmed
said to have
"""

# Speculation and prediction markers in the writer's voice.
SPECULATION_PHRASES = """
likely|unlikely to
more|less|most likely
may|might|could soon
is|are|was|were bound to
sooner or later
it is|was only a matter of time
will|would surely|certainly|inevitably|undoubtedly
is|are|was|were set to
is|are|was|were poised to
what if
"""

# Opinion markers: the writer states a view rather than a fact.
OPINION_PHRASES = """
i|we think|believe|feel
in my|our view|opinion
it is|was time
few would disagree
we may|might|could soon
let us|'s
must|should be condemned|stopped|held
shame on
"""

SPECULATION_WORDS = _words("probably perhaps presumably inevitably undoubtedly surely arguably")

# Verbs that introduce reported speech; value = Attribution.kind.
REPORTING_VERBS: dict[str, str] = {
    **dict.fromkeys(
        """say add state stress explain insist warn confirm announce declare note conclude urge
        emphasise emphasize argue admit acknowledge reveal testify indicate estimate describe
        recount recall continue plead deny repeat reiterate remark observe comment answer reply
        respond ask express tell_ caution predict assert maintain complain lament mention""".split(),
        "said",
    ),
    "tell": "told",
    "report": "reported",
    "tweet": "tweeted",
    "write": "tweeted",
    "post": "tweeted",
    "blog": "tweeted",
    "claim": "claims",
    "allege": "claims",
    "accuse": "claims",
    "suggest": "claims",
    "quote": "said",
}
REPORTING_VERBS.pop("tell_", None)

# Reporting verbs that only attribute speech when they introduce a quotation or a reported
# clause ("Ban has asked his envoy to follow up" is not a statement; "she asked: “Why?”" is).
SPEECH_ONLY_WITH_CONTENT = frozenset(
    "ask urge plead continue describe appeal express conclude write post tweet blog call warn".split()
)

# Nouns that, as the subject of a reporting verb, do not name a speaker but an anonymous report.
ANONYMOUS_SOURCES = _words("report reports rumour rumor rumours footage video videos image images picture")

# Role nouns: a definite "the spokesman" resolves to a person named earlier.
PERSON_ROLES = _words(
    """
    spokesman spokeswoman spokesperson official officer minister president secretary envoy
    adviser advisor activist dentist doctor surgeon nurse journalist reporter correspondent
    witness eyewitness resident director head chief commander general leader member source
    analyst expert representative ambassador diplomat monitor volunteer worker teacher man woman
    """
)
GROUP_ROLES = _words("group organisation organization agency ministry office monitor observatory service charity")

# Titles stripped from speaker names ("Dr David Nott" -> "David Nott").
TITLES = _words("mr mrs ms miss dr prof professor sir dame lord lady sheikh imam rev father")

# Platforms are where something was said, not who said it.
PLATFORMS = _words("twitter facebook youtube whatsapp telegram instagram skype tiktok x")

# Second-person appeals outside quotes.
SECOND_PERSON = _words("you your yours yourself yourselves y'all")

# "Who knows when ..." rhetorical questions that end with a full stop.
RHETORICAL_OPENERS = (
    "who knows",
    "who can say",
    "who can tell",
    "who is to say",
    "who could blame",
    "how long will",
    "how many more",
    "what if",
    "why would",
    "why should",
    "is it any wonder",
    "isn't it",
    "can anyone",
)

NEGATION_VERBS = _words("deny denied denies reject refute dismiss")


def _expand(line: str) -> list[list[str]]:
    """Expand one phrase line into token sequences (alternatives and optional tokens)."""
    seqs: list[list[str]] = [[]]
    for part in line.split():
        optional = part.endswith("?") and len(part) > 1
        alts = part.rstrip("?").split("|")
        new = [seq + [alt] for seq in seqs for alt in alts]
        if optional:
            new += seqs
        seqs = new
    return [s for s in seqs if s]


def phrases(block: str) -> list[list[str]]:
    out: list[list[str]] = []
    for line in block.strip().splitlines():
        if line.strip():
            out.extend(_expand(line.strip().lower()))
    return out


_MATCHERS: dict[int, "PhraseMatcher"] = {}

HEDGE, SPECULATION, OPINION = "HEDGE", "SPECULATION", "OPINION"


def build_matcher(vocab: "Vocab") -> "PhraseMatcher":
    """One PhraseMatcher per vocabulary with the multi-word hedge/speculation/opinion phrases.

    Every phrase is a plain sequence of lower-cased tokens, so a hash-based ``PhraseMatcher`` on
    ``LOWER`` does the whole document in one C-level pass (a token ``Matcher`` with the same
    few hundred expanded patterns was the slowest part of the stage).
    """
    key = id(vocab)
    matcher = _MATCHERS.get(key)
    if matcher is None:
        from spacy.matcher import PhraseMatcher
        from spacy.tokens import Doc

        matcher = PhraseMatcher(vocab, attr="LOWER")
        for label, block in ((HEDGE, HEDGE_PHRASES), (SPECULATION, SPECULATION_PHRASES), (OPINION, OPINION_PHRASES)):
            matcher.add(label, [Doc(vocab, words=seq) for seq in phrases(block)])
        _MATCHERS[key] = matcher
    return matcher
