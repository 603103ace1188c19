"""Who a sentence says said it, from the dependency parse.

Patterns: "X said", "said X", "X told CNN" (speaker X, via CNN), "according to X", "X reported",
"X tweeted/wrote/posted", "X claims", "CNN quoted X as saying" (speaker X, via CNN). Pronouns and
role nouns ("he", "his spokesman", "the dentist", "the group") are resolved to the nearest
fitting PERSON/ORG already named in the article, which is cheap because the whole article is one
``Doc``. Quotations are found by ``quote_spans`` (also used by the linguistics stage).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from .lexicon import (
    ANONYMOUS_SOURCES,
    GROUP_ROLES,
    PERSON_ROLES,
    PLATFORMS,
    REPORTING_VERBS,
    SPEECH_ONLY_WITH_CONTENT,
    TITLES,
)
from .quantities import TokenTable, doc_text, entity_bounds
from .records import Attribution

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

_PERSON_PRONOUNS = frozenset({"he", "she", "his", "her", "him"})
_GROUP_PRONOUNS = frozenset({"they", "their", "them", "it", "its"})
_SUBJ = ("nsubj", "nsubjpass")
# dependency labels whose subtree is not part of the speaker's name
_CLAUSES = frozenset({"relcl", "acl", "advcl", "ccomp", "parataxis"})
_NAME_DEPS = frozenset({"compound", "amod", "nmod", "nummod", "det", "quantmod", "punct"})
# how far back (in sentences) a pronoun or "the group" may look for its antecedent
MAX_RESOLVE_SENTENCES = 3


_QUOTE_RE = re.compile("[\u201c\u201d\"\u2018\u2019']")


def quote_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Character ranges of text inside quotation marks (the marks excluded).

    Curly \u201c\u2026\u201d and straight "\u2026" pairs (mixed pairs too); single \u2018\u2026\u2019 / '\u2026' pairs only
    when the opening mark starts a word and the closing one ends it, so apostrophes ("Assad\u2019s",
    "\u2018em") are not quotes. A paragraph break closes an open double quotation: news style reopens a
    quotation that runs over paragraphs with a new \u201c and no closing mark.
    """
    stop = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    open_at = -1
    kind = ""  # "d" inside a double quotation, "s" inside a single one
    for m in _QUOTE_RE.finditer(text, start, stop):
        k = m.start()
        if open_at >= 0:
            brk = text.find("\n\n", open_at, k)
            if brk != -1:
                if kind == "d":
                    spans.append((open_at, brk))
                open_at, kind = -1, ""
        ch = text[k]
        before = text[k - 1] if k > 0 else " "
        after = text[k + 1] if k + 1 < len(text) else " "
        if ch in "\u201c\u201d\"":
            if kind == "d":
                if ch == "\u201c":
                    open_at = k + 1  # reopened without a closing mark
                else:
                    spans.append((open_at, k))
                    open_at, kind = -1, ""
            elif ch != "\u201d":  # a stray closing mark opens nothing
                open_at, kind = k + 1, "d"  # (an unclosed single mark was an apostrophe)
        elif kind == "s":
            if ch in "\u2019'" and not after.isalnum() and (before.isalnum() or before in ".,!?"):
                spans.append((open_at, k))
                open_at, kind = -1, ""
        elif kind == "" and ch in "\u2018'" and not before.isalnum() and after.isalnum():
            open_at, kind = k + 1, "s"
    if open_at >= 0 and kind == "d":
        brk = text.find("\n\n", open_at, stop)
        spans.append((open_at, stop if brk == -1 else brk))
    return [(a, b) for a, b in spans if b > a]


def _clean_name(text: str) -> str:
    text = text.strip().strip(",;:").strip()
    for suffix in ("\u2019s", "'s"):
        if text.endswith(suffix):
            text = text[: -len(suffix)]
    words = text.split()
    while words and (words[0].lower().rstrip(".") in TITLES or words[0].lower() in ("the", "a", "an")):
        words.pop(0)
    return " ".join(words)


def _ent_of(tok: "Token") -> "Span | None":
    """The named entity a token belongs to, as a labelled Span."""
    if not tok.ent_type_:
        return None
    from spacy.tokens import Span

    start, end = entity_bounds(tok)
    return Span(tok.doc, start, end, label=tok.ent_type_)


def _phrase_tokens(head: "Token") -> list["Token"]:
    """The noun phrase of ``head`` without relative/adverbial clauses and conjuncts."""
    toks: list["Token"] = []
    stack = [head]
    while stack:
        t = stack.pop()
        toks.append(t)
        stack.extend(c for c in t.children if c.dep_ not in _CLAUSES and not (t.i == head.i and c.dep_ in ("conj", "cc")))
    toks.sort(key=lambda t: t.i)
    return toks


def _left_name(head: "Token") -> list["Token"]:
    """Head noun with its left name-forming modifiers ("Syrian military source")."""
    toks = [head]
    stack = [c for c in head.lefts if c.dep_ in _NAME_DEPS]
    while stack:
        c = stack.pop()
        toks.append(c)
        stack.extend(x for x in c.lefts if x.dep_ in _NAME_DEPS)
    toks.sort(key=lambda t: t.i)
    return toks


def _text_of(toks: Sequence["Token"]) -> str:
    """Text of tokens taken contiguously from the document (keeps hyphens: "al-Selmo")."""
    if not toks:
        return ""
    return toks[0].doc[toks[0].i: toks[-1].i + 1].text


def _role_from(toks: Sequence["Token"], name_start: int, name_end: int) -> str | None:
    """The words around a name inside its noun phrase: before it ("British surgeon") or, when
    nothing precedes, the apposition after it ("director of hospitals for ...")."""
    doc = toks[0].doc
    before = [t for t in toks if t.i < name_start]
    after = [t for t in toks if t.i >= name_end]
    for part in (before, after):
        while part and (part[0].is_punct or part[0].pos_ == "DET" or part[0].lower_.rstrip(".") in TITLES):
            part.pop(0)
        while part and (part[-1].is_punct or part[-1].lower_.rstrip(".") in TITLES):
            part.pop()
    if before:
        return doc[before[0].i: before[-1].i + 1].text
    if after:
        return doc[after[0].i: after[-1].i + 1].text
    return None


def _full_name(name: str, doc, before: int) -> str:
    """A one-word name expanded to the full name used earlier ("Dujarric" -> "Stephane Dujarric")."""
    if " " in name:
        return name
    for other in reversed(doc.ents):
        if other.start >= before or other.label_ != "PERSON":
            continue
        full = _clean_name(other.text)
        if " " in full and name in full.replace("-", " ").split():
            return full
    return name


class _Speaker:
    __slots__ = ("name", "role", "anonymous", "mention", "label")

    def __init__(self, name: str, role: str | None = None, anonymous: bool = False,
                 mention: str | None = None, label: str = "") -> None:
        self.name, self.role, self.anonymous, self.mention, self.label = name, role, anonymous, mention, label


def _speaker(head: "Token", sent: "Span", last: Attribution | None) -> _Speaker | None:
    """The canonical speaker named by the noun phrase headed by ``head``."""
    doc = head.doc
    low = head.lower_
    if head.pos_ == "PRON":
        if low in _PERSON_PRONOUNS or low in _GROUP_PRONOUNS:
            return _resolve(head, sent, last, person=low in _PERSON_PRONOUNS, mention=head.text)
        return None  # "what", "which", "this"
    toks = _phrase_tokens(head)
    # a person named in the phrase: "spokesman Stephane Dujarric", "Lina Shamy, an activist ...",
    # "the legal adviser of the Free Syrian Army, Osama Abu Zayd"
    seen: set[int] = set()
    orgs: list["Span"] = []
    for tok in toks:
        if tok.i in seen or not tok.ent_type_:
            continue
        ent = _ent_of(tok)
        assert ent is not None
        seen.update(range(ent.start, ent.end))
        if ent.label_ == "PERSON":
            name = _clean_name(ent.text)
            if not name:
                continue
            role = _role_from(toks, ent.start, ent.end)
            return _Speaker(_full_name(name, doc, ent.start), role, label="PERSON")
        if ent.label_ in ("ORG", "FAC", "NORP", "GPE"):
            orgs.append(ent)
    if head.pos_ == "PROPN" and head.ent_type_ not in ("ORG", "GPE", "NORP", "FAC"):
        # a name the NER missed ("Jan Egeland, the UN's humanitarian adviser")
        chain = [t for t in _left_name(head) if t.pos_ == "PROPN" or t.text == "-"]
        if chain and chain[-1].i == head.i:
            while chain and chain[0].text == "-":
                chain.pop(0)
            name = _clean_name(_text_of(chain))
            if name:
                return _Speaker(_full_name(name, doc, chain[0].i), _role_from(toks, chain[0].i, head.i + 1), label="PROPN")
    poss = next((c for c in head.children if c.dep_ == "poss"), None)
    lemma = head.lemma_.lower()
    if poss is not None and poss.pos_ == "PRON" and lemma in PERSON_ROLES:
        # "his spokesman said": the office of the person just named speaks
        res = _resolve(poss, sent, last, person=poss.lower_ in _PERSON_PRONOUNS, mention=f"{poss.text} {head.text}")
        if res is not None:
            res.role = head.text
            return res
    # an organisation: prefer the entity that contains the head ("the Syrian Observatory for
    # Human Rights monitoring group"), else the first one named in the phrase
    for ent in sorted(orgs, key=lambda e: not (e.start <= head.i < e.end)):
        name = _org_name(ent)
        if name.lower() in PLATFORMS or not name:
            continue
        if ent.label_ in ("NORP", "GPE") and not (ent.start <= head.i < ent.end):
            break  # "Syrian military source": a nationality, not the speaker
        return _Speaker(name, None, label="ORG")
    det = next((c for c in head.children if c.dep_ == "det"), None)
    left = [t for t in _left_name(head) if t.pos_ != "DET" and not t.is_punct]
    if det is not None and det.lower_ == "the" and len(left) == 1:
        # "the dentist emphasised", "the group said": someone named shortly before
        if lemma in PERSON_ROLES:
            res = _resolve(head, sent, last, person=True, mention=f"the {head.text}")
            if res is not None:
                res.role = res.role or head.text
                return res
        elif lemma in GROUP_ROLES:
            res = _resolve(head, sent, last, person=False, mention=f"the {head.text}")
            if res is not None:
                return res
    if lemma in _QUANTIFIER_HEADS:
        # "one of the young men": the partitive names the group
        of = next((c for c in head.children if c.dep_ == "prep" and c.lower_ == "of"), None)
        if of is not None:
            left = [head] + list(of.subtree)
    name = _clean_name(_text_of(left))
    if not name:
        return None
    if left[0].pos_ != "PROPN" and name[:1].isupper() and left[0].i == sent.start:
        name = name[0].lower() + name[1:]  # "Sources confirmed" -> "sources"
    if head.pos_ == "PROPN":
        return _Speaker(_full_name(name, doc, head.i), None, label="PROPN")
    anonymous = lemma in ANONYMOUS_SOURCES or lemma in PERSON_ROLES or lemma in GROUP_ROLES or lemma in _ANON_HEADS
    return _Speaker(name, None, anonymous=anonymous, label="")


_QUANTIFIER_HEADS = frozenset("one two three some many several few most all none each".split())
_ANON_HEADS = frozenset("source eyewitness witness activist resident people other official".split()) | _QUANTIFIER_HEADS


def _org_name(ent: "Span") -> str:
    """An organisation's name, extended over "for/of" + proper nouns the NER cut off
    ("Syrian Observatory" + "for Human Rights")."""
    doc = ent.doc
    end = ent.end
    while end + 1 < len(doc) and doc[end].lower_ in ("for", "of") and doc[end + 1].pos_ == "PROPN":
        end += 2
        while end < len(doc) and (doc[end].pos_ == "PROPN" or doc[end].lower_ == "and" and end + 1 < len(doc)
                                  and doc[end + 1].pos_ == "PROPN"):
            end += 1
    start = ent.start
    # drop leading descriptors inside the entity: "the UK-based ..."
    while start < end - 1 and (doc[start].pos_ in ("DET", "ADJ", "VERB") or doc[start].is_punct
                               or doc[start + 1].text == "-" or doc[start].text == "-"):
        start += 1
    return _clean_name(doc[start:end].text)


def _subject_of(sent: "Span") -> "Token | None":
    root = sent.root
    return next((c for c in root.children if c.dep_ in _SUBJ), None)


def _resolve(tok: "Token", sent: "Span", last: Attribution | None, *, person: bool, mention: str) -> _Speaker | None:
    """The antecedent of a pronoun or definite role noun: the main subject earlier in this
    sentence, the last speaker if it fits, the subject of one of the previous sentences, else
    the nearest preceding fitting entity (all within a few sentences)."""
    doc = tok.doc
    want = ("PERSON", "PROPN") if person else ("ORG",)
    if tok.dep_ == "poss":
        # "Ban Ki-Moon is alarmed ..., his spokesman said": the person named earlier in the sentence
        for ent in reversed(sent.ents):
            if ent.end <= tok.i and ent.label_ in want and not _inside_quote(sent, ent.start_char):
                name = _clean_name(ent.text) if ent.label_ == "PERSON" else _org_name(ent)
                if name:
                    return _Speaker(name, None, mention=mention, label=ent.label_)
    subj = _subject_of(sent)
    if subj is not None and sent.start <= subj.i < tok.i and subj.pos_ != "PRON" \
            and not (tok.dep_ == "poss" and tok.head.i == subj.i):
        cand = _speaker(subj, sent, None)
        if cand is not None and _agrees(tok, subj) and (cand.label in want or not person and not cand.label):
            cand.mention = mention
            return cand
    if last is not None and last.speaker:
        label = _label_of(last, doc)
        if (label in want) or (not person and label == "" and last.anonymous):
            return _Speaker(last.speaker, last.role, last.anonymous, mention, label)
    # subjects of the previous sentences, most recent first
    prev_start = sent.start
    for _ in range(MAX_RESOLVE_SENTENCES):
        if prev_start <= 0:
            break
        prev = doc[prev_start - 1].sent
        prev_start = prev.start
        subj = _subject_of(prev)
        if subj is not None and subj.pos_ != "PRON":
            cand = _speaker(subj, prev, None)
            if cand is not None and _agrees(tok, subj) and (cand.label in want or not person and cand.label == ""):
                cand.mention = mention
                return cand
    # nearest preceding entity of the wanted kind before this sentence
    for ent in reversed(doc.ents):
        if ent.start >= sent.start or ent.label_ not in want:
            continue
        if ent.start < prev_start:
            break
        name = _clean_name(ent.text) if ent.label_ == "PERSON" else _org_name(ent)
        if not name or name.lower() in PLATFORMS:
            continue
        if ent.label_ == "PERSON":
            name = _full_name(name, doc, ent.start)
        return _Speaker(name, None, mention=mention, label=ent.label_)
    return None


def _agrees(pronoun: "Token", subj: "Token") -> bool:
    """Number agreement between "they"/"it" and a candidate antecedent's head noun."""
    low = pronoun.lower_
    plural = subj.tag_ in ("NNS", "NNPS") or any(c.dep_ == "conj" for c in subj.children)
    if low in ("they", "their", "them"):
        return plural
    if low in ("it", "its"):
        return not plural
    return True


def _inside_quote(sent: "Span", pos: int) -> bool:
    """Is ``pos`` inside a quotation opened earlier in the sentence?"""
    before = doc_text(sent.doc)[sent.start_char:pos]
    return before.count("\u201c") > before.count("\u201d") or before.count('"') % 2 == 1


def _label_of(attr: Attribution, doc) -> str:
    """PERSON/ORG for a previous speaker, from the entities of the article."""
    if attr.anonymous:
        return ""
    for ent in doc.ents:
        if ent.label_ in ("PERSON", "ORG") and attr.speaker in (ent.text, _clean_name(ent.text)):
            return ent.label_
        if ent.label_ == "PERSON" and attr.speaker.endswith(_clean_name(ent.text)):
            return "PERSON"
    return "PERSON" if attr.role else ""


def _depth(head: Sequence[int], i: int) -> int:
    """Arcs from token ``i`` up to its sentence root (``head`` = ``TokenTable.head``; a root is
    its own head). "Data suggest ..., investigators said": "said" (0) outranks "suggest" (1)."""
    d = 0
    while head[i] != i:
        i = head[i]
        d += 1
    return d


def _in_any(i: int, spans: Sequence[tuple[int, int]]) -> bool:
    return any(a <= i < b for a, b in spans)


def find_attribution(
    sent: "Span",
    *,
    quotes: Sequence[tuple[int, int]] | None = None,
    last: Attribution | None = None,
    table: TokenTable | None = None,
) -> Attribution | None:
    """The attribution a sentence carries, or None.

    ``quotes`` are document character ranges inside quotation marks (computed from the sentence
    when not given): reporting verbs inside a quotation are the quoted speaker's words, not the
    attribution. ``last`` is the previous sentence's attribution, for "he said" resolution.
    ``table`` is the document's ``TokenTable`` when the caller has one.
    """
    doc = sent.doc
    text = doc_text(doc)
    if quotes is None:
        quotes = quote_spans(text, sent.start_char, sent.end_char)
    s0, s1 = sent.start_char, sent.end_char
    quoted = any(b > s0 and a < s1 and len(text[max(a, s0):min(b, s1)].split()) >= 3 for a, b in quotes)
    according: Attribution | None = None
    best: "Token | None" = None
    best_depth = 0
    if table is None:
        table = TokenTable(doc)
    lower, pos, dep, tag, lemmas, idx = table.lower, table.pos, table.dep, table.tag, table.lemma, table.idx
    end = sent.end
    # the token loop reads the table; a Token is made only for a reporting verb
    for i in range(sent.start, end):
        low = lower[i]
        if low == "according" and i + 1 < end and lower[i + 1] in ("to", "ot"):
            if not _in_any(idx[i], quotes):
                according = _according(doc[i], sent, last, quoted)
            continue
        if best is not None and best_depth == 0:
            continue  # the root reports: nothing ranks higher (the loop goes on for "according to")
        d = dep[i]
        if pos[i] not in ("VERB", "AUX") or d in ("amod", "compound", "relcl"):
            continue
        if d == "acl" and tag[i] != "VBG":
            continue  # "the reported attack"; but "a message saying: ..." reports speech
        lemma = lemmas[i]
        if lemma not in REPORTING_VERBS or _in_any(idx[i], quotes):
            continue
        if lemma != "quote" and any(dep[c] in ("nsubjpass", "auxpass") for c in table.children(i)):
            continue  # "they are said to be trapped": a hedge, not a speaker
        depth = _depth(table.head, i)
        if best is not None and depth >= best_depth:
            continue  # the least deep reporting verb wins, the first one among equals
        tok = doc[i]
        if lemma in SPEECH_ONLY_WITH_CONTENT and not _has_content(tok, quoted, sent):
            continue  # "Ban has asked his envoy to follow up", "activists posted goodbye messages"
        best, best_depth = tok, depth
    verb_attr = None
    if best is not None:
        verb_attr = _verb_attribution(best, sent, last, quoted, table)
    if according is not None:
        if verb_attr is not None and not verb_attr.anonymous and verb_attr.kind in ("reported", "said") \
                and best is not None and best.dep_ == "ROOT" and verb_attr.speaker != according.speaker:
            # "..., according to eyewitnesses, Al Arabiya reported": eyewitnesses, via the outlet
            return Attribution(
                speaker=according.speaker, kind="according_to", verb=according.verb, quoted=quoted,
                role=according.role, via=verb_attr.speaker, anonymous=according.anonymous,
                mention=according.mention,
            )
        return according
    return verb_attr


def _has_content(verb: "Token", quoted: bool, sent: "Span") -> bool:
    """The verb introduces something said: a clause, a colon, or a quotation in the sentence."""
    if sent[-1].text == ":" and verb.dep_ == "ROOT":
        return True  # the quotation follows in the next paragraph
    for c in verb.children:
        if c.dep_ in ("ccomp", "parataxis") or c.text == ":":
            return True
        if c.lemma_.lower() in REPORTING_VERBS and c.dep_ in ("advcl", "xcomp", "acl") and c.tag_ == "VBG":
            return True  # "posted a video message saying: ..."
    nxt = verb.doc[verb.i + 1] if verb.i + 1 < len(verb.doc) else None
    return quoted and (nxt is None or nxt.is_punct or nxt.lower_ in ("that", "in", "on"))


def _according(tok: "Token", sent: "Span", last: Attribution | None, quoted: bool) -> Attribution | None:
    doc = tok.doc
    prep = doc[tok.i + 1]
    obj = next((c for c in prep.children if c.dep_ == "pobj"), None)
    if obj is None:  # "according ot the ...": the typo breaks the parse; take the next noun phrase
        obj = next((t for t in doc[prep.i + 1: sent.end] if t.pos_ in ("NOUN", "PROPN")), None)
        while obj is not None and obj.dep_ in ("compound", "amod", "nmod") and obj.head.i > obj.i:
            obj = obj.head
    if obj is None:
        return None
    sp = _speaker(obj, sent, last)
    if sp is None:
        return None
    return Attribution(
        speaker=sp.name, kind="according_to", verb="according to", quoted=quoted,
        role=sp.role, anonymous=sp.anonymous, mention=sp.mention,
    )


def _verb_attribution(
    verb: "Token", sent: "Span", last: Attribution | None, quoted: bool, table: TokenTable | None = None
) -> Attribution | None:
    doc = verb.doc
    if table is None:
        table = TokenTable(doc)
    dep, children = table.dep, table.children
    vi = verb.i
    lemma = table.lemma[vi]
    kind = REPORTING_VERBS[lemma]
    kids = children(vi)
    subjects = [c for c in kids if dep[c] in _SUBJ]
    # two subjects happen in broken parses ("Echoing Abu Al-Nasr, Lina explained"): the nearer wins
    subj = doc[min(subjects, key=lambda c: abs(vi - c))] if subjects else None
    via_tok = None
    if lemma == "quote":
        # "CNN quoted activist X as saying": X speaks, CNN relays; in "X was quoted as saying" X is
        # both the passive subject and the object found here, and nobody relays
        k = next((c for c in kids if dep[c] in ("dobj", "nsubjpass")), None)
        if k is not None:
            via_tok = subj if subj is not None and subj.i != k else None
            subj = doc[k]
    elif lemma == "tell":
        k = next((c for c in kids if dep[c] in ("dative", "dobj", "iobj")), None)
        via_tok = doc[k] if k is not None else None
    else:
        k = next((c for c in kids if dep[c] in ("prep", "dative") and table.lower[c] == "to"), None)
        if k is not None:
            k = next((c for c in children(k) if dep[c] == "pobj"), None)
            via_tok = doc[k] if k is not None else None
    if subj is not None and subj.lower_ in PLATFORMS:
        subj = None  # "posted a video on Twitter saying:" misparsed with Twitter as the subject
    hops = 0
    head = verb
    if head.dep_ in ("advcl", "xcomp", "conj", "pcomp", "prep", "acl"):
        while subj is None and hops < 4 and head.head.i != head.i:
            # "..., saying:" / "and said": the subject of the governing verb
            head = head.head
            hops += 1
            if head.pos_ in ("VERB", "AUX"):
                subj = next((c for c in head.children if c.dep_ in _SUBJ and c.lower_ not in PLATFORMS), None)
                if subj is None and head.dep_ not in ("advcl", "xcomp", "conj", "pcomp", "prep", "acl"):
                    break
    if subj is None:
        return None
    sp = _speaker(subj, sent, last)
    if sp is None:
        return None
    via = None
    if via_tok is not None and via_tok.ent_type_ in ("ORG", "PERSON", "GPE", "NORP", "WORK_OF_ART", "PRODUCT"):
        ent = _ent_of(via_tok)
        via = _org_name(ent) if ent is not None and ent.label_ == "ORG" else _clean_name(ent.text if ent else via_tok.text)
        if via.lower() in PLATFORMS:
            via = None
    elif via_tok is not None and via_tok.pos_ == "PROPN":
        via = _clean_name(via_tok.text)
    verb_text = verb.text.lower()
    if lemma == "quote":
        verb_text = "quoted as saying"
    return Attribution(
        speaker=sp.name, kind=kind, verb=verb_text, quoted=quoted, role=sp.role, via=via,
        anonymous=sp.anonymous, mention=sp.mention,
    )
