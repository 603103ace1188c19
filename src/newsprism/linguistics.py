"""Per-article linguistics: sentences and what each one claims.

``analyze_articles`` runs the spaCy pipeline once per article (title and body in one ``Doc``,
batched through ``nlp.pipe``) and turns each parse into an ``ArticleAnalysis``: sentences with
exact character offsets into ``Article.text``, content lemmas, entities, dates, figures
(``quantities``), attribution (``attribution``), quotations, hedges, negation, rhetorical
questions and loaded language (``lexicon``).

Sentence boundaries are spaCy's, fixed up for news text: a blank line always ends a sentence
(set before parsing, which the parser respects), a line break ends one unless the line plainly
continues (hard-wrapped text), and fragments the parser splits off (a lone opening quote mark,
"he said." after a quoted question, "Net." after "AlArabiya.") are merged back.
"""

from __future__ import annotations

import bisect
import gc
import multiprocessing
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from . import lexicon
from .batching import batched
from . import nlp as nlp_module
from .attribution import find_attribution, quote_spans
from .quantities import TokenTable, doc_text, extract_quantities
from .records import Article, ArticleAnalysis, Attribution, Quantity, SentenceInfo

from spacy.attrs import IDX, IS_SPACE, LENGTH
from spacy.tokens import Span

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

_NEWLINES = re.compile(r"\n+")
_PTB_CAND = re.compile("|".join(re.escape(k) for k in sorted(nlp_module._PTB, key=len, reverse=True)) + "| ")
_TERMINAL = frozenset({".", "!", "?", ":", "\u201d", '"', "\u2019", "'", "\u2026", ")", "]", ";"})
_CLOSERS = frozenset({"\u201d", "\u2019", ")", "]", "}", ",", ";", ".", "!", "?", "\u2026", ":"})
_OPENERS = frozenset({"\u201c", "\u2018", '"', "'", "(", "[", "{", "-", "\u2014", "*"})
_CONTINUES_LINE = frozenset(
    "a an the of to in on at for with by from and or but nor as that which who whose whom than "
    "his her its their our your my this these those is are was were be been has have had will "
    "would could should can may might must not no".split()
)
_QUOTE_MARKS = "\u201c\u201d\"\u2018\u2019'"
_STRIP = " \t\r\n\u00a0\u2009\u200b\ufeff"
SUBJ_WEIGHT = 2.5  # evaluative share -> subjectivity: 40% evaluative words saturate the score
MIN_QUOTE_WORDS = 3
RESOLVE_WINDOW = 3  # sentences a "he said" may look back for the last speaker


@dataclass(slots=True)
class _Prepared:
    article: Article
    body_offset: int  # where the body starts in the parsed text (after title + blank line)
    parsed_body: str  # the body as parsed (detokenised when PTB)
    breakpoints: list[int] | None = None  # PTB: parsed-text positions where the shift changes
    shifts: list[int] | None = None  # PTB: original position = parsed + shift


def _prepare(article: Article) -> tuple[str, _Prepared]:
    text = article.text or ""
    title = (article.title or "").strip()
    breakpoints = shifts = None
    body = text
    if nlp_module.looks_tokenized(text):
        body = nlp_module.detokenize(text)
        breakpoints, shifts = _alignment(text, body)
        title = nlp_module.detokenize(title)  # same corpus, same tokenisation
    title = title.replace("\n", " ")
    prefix = f"{title}\n\n" if title else ""
    return prefix + body, _Prepared(article, len(prefix), body, breakpoints, shifts)


def _alignment(orig: str, detok: str) -> tuple[list[int], list[int]]:
    """Map detokenised positions back to the original: breakpoints where the shift grows.

    ``detokenize`` only deletes spaces and replaces PTB tokens ("-LRB-", "``") by one character,
    so a left-to-right walk over those candidates (not over every character) recovers it.
    """
    points = [0]
    shifts = [0]
    shift = 0
    ptb = nlp_module._PTB
    for m in _PTB_CAND.finditer(orig):
        p = m.start()
        q = p - shift
        tok = m.group()
        if tok == " ":
            if q < len(detok) and detok[q] == " ":
                continue
            shift += 1
            points.append(q)
            shifts.append(shift)
        else:
            rep = ptb[tok]
            if detok.startswith(rep, q) and not detok.startswith(tok, q):
                shift += len(tok) - len(rep)
                points.append(q + len(rep))
                shifts.append(shift)
    return points, shifts


def _to_orig(prep: _Prepared, pos: int) -> int:
    if prep.breakpoints is None:
        return pos
    k = bisect.bisect_right(prep.breakpoints, pos) - 1
    return pos + prep.shifts[k]  # type: ignore[index]


def _preset_breaks(doc: "Doc", body_offset: int) -> None:
    """Sentence starts the parser must respect: after a blank line, after the title, and after a
    line break unless the line plainly runs on (lower-case next line, or a dangling function word)."""
    text = doc_text(doc)
    n = len(doc)
    if not n:
        return
    # token starts, lengths and whitespace flags once, instead of a char_span and Tokens per break
    starts, lengths, spaces = doc.to_array([IDX, LENGTH, IS_SPACE]).T.tolist()
    for m in _NEWLINES.finditer(text):
        end = m.end()
        if end >= len(text):
            break
        # doc.char_span(end, end + 1, alignment_mode="expand")[0]: the token holding character
        # `end` (tokens tile the text with their trailing whitespace), or no span when `end` is
        # that token's trailing whitespace
        k = bisect.bisect_right(starts, end) - 1
        if k < 0 or end == starts[k] + lengths[k]:
            continue
        if spaces[k]:
            if k + 1 >= n:
                continue
            k += 1
        if k == 0:
            continue
        if m.end() - m.start() < 2 and end != body_offset:
            prev = doc[k - 1]
            while prev.is_space and prev.i > 0:
                prev = doc[prev.i - 1]
            first = text[starts[k]:starts[k] + 1]
            if first.islower() or (prev.lower_ in _CONTINUES_LINE or prev.text == ",") and prev.text not in _TERMINAL:
                continue
        doc[k].is_sent_start = True


def _sentence_ranges(doc: "Doc", table: TokenTable | None = None) -> list[tuple[int, int]]:
    """spaCy's sentences as token ranges, with news-text fix-ups (see module docstring)."""
    out: list[tuple[int, int]] = []
    pending = -1  # start of a fragment (lone opening quote) waiting to join the next sentence
    text = doc_text(doc)
    is_space = (table or TokenTable(doc)).is_space
    for sent in doc.sents:
        s, e = sent.start, sent.end
        while s < e and is_space[s]:
            s += 1
        while e > s and is_space[e - 1]:
            e -= 1
        if s >= e:
            continue
        if pending >= 0:
            s, pending = pending, -1
        first = doc[s]
        if all(doc[k].is_punct and doc[k].text in _OPENERS for k in range(s, e)):
            pending = s  # "“" split off on its own
            continue
        if out:
            ps, pe = out[-1]
            last = doc[pe - 1]
            gap = text[last.idx + len(last):first.idx]
            preset = "\n" in gap
            ftext = first.text
            merge = False
            if not preset:
                if ftext in _CLOSERS or ftext[:1].islower():
                    merge = True  # "” he said.", "workers and activists ..."
                elif not last.whitespace_ and last.text == "." and first.is_alpha:
                    merge = True  # "AlArabiya." + "Net."
                elif last.text not in _TERMINAL and not last.text.endswith("."):
                    merge = True  # the parser cut mid-sentence, with no punctuation or line break
                elif last.text == ":" and pe - ps <= 3:
                    merge = True  # a dateline: "Damascus: Humanitarian volunteers ..."
                elif ftext == '"' and doc[ps:pe].text.count('"') % 2 == 1:
                    merge = True  # the closing straight quote of the previous sentence
            if merge:
                out[-1] = (ps, e)
                continue
        out.append((s, e))
    if pending >= 0:
        out.append((pending, len(doc)))
    return out


class _Analyzer:
    """Per-process state: the model, its label and the compiled matcher."""

    def __init__(self, nlp: "Language") -> None:
        self.nlp = nlp
        self.label = nlp_module.model_label(nlp)
        self.matcher = lexicon.build_matcher(nlp.vocab)
        strings = nlp.vocab.strings
        self.match_labels = {strings[name]: name for name in (lexicon.HEDGE, lexicon.SPECULATION, lexicon.OPINION)}

    def run(self, articles: Iterable[Article], batch_size: int) -> Iterator[ArticleAnalysis]:
        def docs() -> Iterator[tuple["Doc", _Prepared]]:
            for article in articles:
                text, prep = _prepare(article)
                doc = self.nlp.make_doc(text)
                doc.user_data["newsprism_text"] = text  # == doc.text (the tokenizer is non-destructive)
                _preset_breaks(doc, prep.body_offset)
                yield doc, prep

        for doc, prep in self.nlp.pipe(docs(), as_tuples=True, batch_size=batch_size):
            yield self.analyze_doc(doc, prep)

    # ------------------------------------------------------------------ one article
    def analyze_doc(self, doc: "Doc", prep: _Prepared) -> ArticleAnalysis:
        article = prep.article
        off = prep.body_offset
        table = TokenTable(doc)
        tok_idx, tok_len = table.idx, table.length
        ranges = _sentence_ranges(doc, table)
        title_lemmas: list[str] = []
        for i, pos in enumerate(tok_idx):
            if pos >= off:
                break
            if table.is_alpha[i] and not table.is_stop[i]:
                title_lemmas.append(table.lemma[i])
        body_ranges = [(s, e) for s, e in ranges if tok_idx[s] >= off]
        text = doc_text(doc)
        quotes = quote_spans(text, off)
        quote_starts = [a for a, _ in quotes]
        # multi-paragraph quotations: a quotation cut by a blank line continues in the next one
        quote_group = list(range(len(quotes)))
        for k in range(1, len(quotes)):
            a_prev, b_prev = quotes[k - 1]
            if text[b_prev:b_prev + 2] == "\n\n" and text[b_prev:quotes[k][0]].strip() in ("\u201c", '"'):
                quote_group[k] = quote_group[k - 1]
        hits: dict[int, list[tuple[str, int, int]]] = {}
        sent_starts = [s for s, _ in body_ranges]
        for match_id, ms, me in self.matcher(doc):
            k = bisect.bisect_right(sent_starts, ms) - 1
            if k >= 0 and me <= body_ranges[k][1]:
                hits.setdefault(k, []).append((self.match_labels.get(match_id, ""), ms, me))
        ents = [(e.start, e.text, e.label_) for e in doc.ents if e.start_char >= off]
        ent_starts = [e[0] for e in ents]
        sentences: list[SentenceInfo] = []
        sent_quote_groups: list[set[int]] = []
        last_attr: Attribution | None = None
        last_attr_index = -10
        known_speakers: dict[str, Attribution] = {}
        paragraph = 0
        prev_end = off
        for idx, (s, e) in enumerate(body_ranges):
            span = Span(doc, s, e)
            start_c = tok_idx[s]
            end_c = tok_idx[e - 1] + tok_len[e - 1]
            paragraph += text.count("\n\n", prev_end, start_c)
            prev_end = end_c
            # quotations overlapping the sentence
            q_lo = max(0, bisect.bisect_right(quote_starts, start_c) - 1)
            q_here: list[tuple[int, int, int]] = []
            for qi in range(q_lo, len(quotes)):
                a, b = quotes[qi]
                if a >= end_c:
                    break
                if b > start_c:
                    q_here.append((max(a, start_c), min(b, end_c), qi))
            info = self._sentence(
                idx, span, start_c, end_c, prep, q_here, hits.get(idx, ()), ents, ent_starts, quotes,
                last_attr if idx - last_attr_index <= RESOLVE_WINDOW else None, table,
            )
            info.paragraph = paragraph
            if info.attribution is not None:
                info.attribution = _expand_speaker(info.attribution, known_speakers)
                last_attr, last_attr_index = info.attribution, idx
            sentences.append(info)
            sent_quote_groups.append({quote_group[qi] for _, _, qi in q_here})
        _propagate_quote_speakers(sentences, sent_quote_groups, text, body_ranges, doc)
        return ArticleAnalysis(
            article_id=article.id,
            sentences=sentences,
            title_lemmas=title_lemmas,
            entities=[(t, label) for _, t, label in ents],
            language=article.language or "en",
            model=self.label,
        )

    def _sentence(
        self,
        idx: int,
        span,
        start_c: int,
        end_c: int,
        prep: _Prepared,
        q_here: list[tuple[int, int, int]],
        hits: Iterable[tuple[str, int, int]],
        ents: list,
        ent_starts: list[int],
        quotes: list[tuple[int, int]],
        last_attr: Attribution | None,
        table: TokenTable,
    ) -> SentenceInfo:
        doc = span.doc
        text = doc_text(doc)
        off = prep.body_offset
        o_start = _to_orig(prep, start_c - off)
        o_end = _to_orig(prep, end_c - 1 - off) + 1
        orig = prep.article.text
        if prep.breakpoints is not None:
            # a PTB token replaced by one character ends the sentence: cover the whole token
            for tok in ("-RRB-", "-RSB-", "-RCB-", "''"):
                if orig.startswith(tok, o_end - 1):
                    o_end += len(tok) - 1
                    break
        sent_text = orig[o_start:o_end]
        attribution = find_attribution(span, quotes=quotes, last=last_attr, table=table)
        # per-token pass: content lemmas, loaded words, hedges, second person
        lemmas: list[str] = []
        loaded: list[str] = []
        quoted_loaded: list[str] = []
        hedges: list[str] = []
        speculation: list[str] = []
        n_out = 0
        second_person = False
        qi = 0
        qspans = [(a, b) for a, b, _ in q_here]
        evaluative = lexicon.EVALUATIVE
        intens = lexicon.INTENSIFIERS
        contested = lexicon.CONTESTED
        hedge_words = lexicon.HEDGE_WORDS
        t_lower, t_lemma, t_idx = table.lower, table.lemma, table.idx
        t_space, t_punct, t_alpha, t_stop = table.is_space, table.is_punct, table.is_alpha, table.is_stop
        n_q = len(qspans)
        for i in range(span.start, span.end):
            if t_space[i] or t_punct[i]:
                continue
            pos = t_idx[i]
            while qi < n_q and qspans[qi][1] <= pos:
                qi += 1
            in_quote = qi < n_q and qspans[qi][0] <= pos
            low = t_lower[i]
            content = t_alpha[i] and not t_stop[i]
            lem = t_lemma[i] if content else low
            if content:
                lemmas.append(lem)
                if not in_quote:
                    n_out += 1
            if low in evaluative or lem in evaluative or low in intens:
                (quoted_loaded if in_quote else loaded).append(low)
            elif low in contested or lem in contested:
                (quoted_loaded if in_quote or attribution is not None else loaded).append(low)
            elif low in hedge_words or lem in hedge_words:
                hedges.append(low)
            elif low in lexicon.SPECULATION_WORDS and not in_quote:
                speculation.append(low)
            if not in_quote and low in lexicon.SECOND_PERSON:
                second_person = True
        opinion_hits = 0
        for label, ms, me in hits:
            if any(a <= t_idx[ms] < b for a, b in qspans) and label != lexicon.HEDGE:
                continue  # a speaker's speculation is theirs, not the outlet's
            phrase = doc[ms:me].text.lower()
            if label == lexicon.HEDGE:
                if phrase not in hedges:
                    hedges.append(phrase)
            elif label == lexicon.SPECULATION:
                speculation.append(phrase)
            else:
                opinion_hits += 1
                speculation.append(phrase)
        if len(hedges) > 1:
            # "unconfirmed" inside "unconfirmed reports" is one hedge
            hedges = [h for h in hedges if not any(h != o and h in o.split() for o in hedges)]
        quotes_text = []
        for a, b, _ in q_here:
            piece = text[a:b].strip(_STRIP + _QUOTE_MARKS + ",.;:")
            if len(piece.split()) >= MIN_QUOTE_WORDS:
                quotes_text.append(piece)
        quoted = bool(quotes_text)
        if attribution is not None and attribution.quoted != quoted:
            attribution = Attribution(**{**_attr_dict(attribution), "quoted": quoted})
        # entities and dates inside the sentence
        k = bisect.bisect_left(ent_starts, span.start)
        entities: list[tuple[str, str]] = []
        dates: list[str] = []
        s_end = span.end
        while k < len(ents) and ents[k][0] < s_end:
            _, ent_text, ent_label = ents[k]
            entities.append((ent_text, ent_label))
            if ent_label in ("DATE", "TIME"):
                dates.append(ent_text)
            k += 1
        quantities = extract_quantities(span, base=start_c, table=table)
        if prep.breakpoints is not None and quantities:
            quantities = [_remap_quantity(q, prep, start_c, o_start, orig) for q in quantities]
        own = _own_text(sent_text if prep.breakpoints is None else text[start_c:end_c], [(a - start_c, b - start_c) for a, b in qspans])
        question = _is_question(own)
        negated = _is_negated(span, table)
        subjectivity = min(1.0, SUBJ_WEIGHT * len(loaded) / max(n_out, 4))
        if attribution is None:
            subjectivity += 0.25 * len(speculation) + 0.3 * opinion_hits
            if question:
                subjectivity += 0.4
            if second_person:
                subjectivity += 0.2
        subjectivity = round(min(1.0, subjectivity), 3)
        opinion = attribution is None and not quotes_text and (
            question or opinion_hits > 0 or subjectivity >= 0.5 or bool(speculation) and (second_person or loaded)
            or bool(speculation) and _conditional(span, table)
        )
        return SentenceInfo(
            index=idx,
            text=sent_text,
            start=o_start,
            end=o_end,
            lemmas=lemmas,
            entities=entities,
            quantities=quantities,
            dates=dates,
            attribution=attribution,
            quotes=quotes_text,
            hedges=hedges,
            negated=negated,
            question=question,
            loaded_terms=loaded,
            subjectivity=subjectivity,
            quoted_loaded_terms=quoted_loaded,
            speculation=speculation,
            opinion=opinion,
        )


def _expand_speaker(attr: Attribution, known: dict[str, Attribution]) -> Attribution:
    """Later mentions by surname ("Egeland wrote") get the full name and role given earlier."""
    name = attr.speaker
    if not attr.anonymous and name[:1].isupper():
        if name in known:
            prev = known[name]
            if attr.role is None and prev.role:
                return Attribution(**{**_attr_dict(attr), "role": prev.role})
            return attr
        for full, prev in reversed(known.items()):
            if full.endswith(" " + name) and not prev.anonymous:
                return Attribution(**{**_attr_dict(attr), "speaker": full, "role": attr.role or prev.role})
        known[name] = attr
    return attr


def _attr_dict(a: Attribution) -> dict:
    return {f: getattr(a, f) for f in Attribution.__slots__}  # type: ignore[attr-defined]


def _remap_quantity(q: Quantity, prep: _Prepared, start_c: int, o_start: int, orig: str) -> Quantity:
    import dataclasses

    off = prep.body_offset
    a = _to_orig(prep, start_c + q.char_start - off)
    b = _to_orig(prep, start_c + q.char_end - 1 - off) + 1
    return dataclasses.replace(q, char_start=a - o_start, char_end=b - o_start, text=orig[a:b])


def _own_text(text: str, qspans: list[tuple[int, int]]) -> str:
    """The sentence without its quotations (the writer's own words)."""
    if not qspans:
        return text
    parts = []
    pos = 0
    for a, b in qspans:
        parts.append(text[pos:max(pos, a)])
        pos = max(pos, b)
    parts.append(text[pos:])
    return "".join(parts)


def _is_question(own: str) -> bool:
    stripped = own.strip(_STRIP + _QUOTE_MARKS)
    if not stripped:
        return False
    if stripped.endswith("?"):
        return True
    low = stripped[:24].lower()
    return low.startswith(lexicon.RHETORICAL_OPENERS)


def _is_negated(span, table: TokenTable | None = None) -> bool:
    """The main verb is negated ("not", "never", "no longer", "denied"); for a report ("X said
    that ..."), the reported clause's verb."""
    if table is None:
        table = TokenTable(span.doc)
    lemma, dep, lower, children = table.lemma, table.dep, table.lower, table.children
    root = span.root.i
    target = root
    if lemma[root] in lexicon.REPORTING_VERBS and lemma[root] not in lexicon.NEGATION_VERBS:
        comp = next((c for c in children(root) if dep[c] in ("ccomp", "parataxis")), None)
        if comp is not None:
            target = comp
            if any(dep[c] == "neg" for c in children(root)):
                return True
    if lemma[target] in lexicon.NEGATION_VERBS:
        return True
    for c in children(target):
        if dep[c] == "neg":
            return True
        if lower[c] == "longer" and any(lower[g] == "no" for g in children(c)):
            return True
        if dep[c] in ("aux", "auxpass") and any(dep[g] == "neg" for g in children(c)):
            return True
    return False


def _conditional(span, table: TokenTable | None = None) -> bool:
    if table is None:
        table = TokenTable(span.doc)
    lower, dep = table.lower, table.dep
    return any(lower[i] in ("if", "unless") and dep[i] == "mark" for i in range(span.start, span.end))


def _propagate_quote_speakers(
    sentences: list[SentenceInfo],
    groups: list[set[int]],
    text: str,
    ranges: list[tuple[int, int]],
    doc: "Doc",
) -> None:
    """Give quotation-only sentences the speaker of their quotation.

    A quotation that runs over several sentences ("“A. B,” he said.") or paragraphs takes the
    attribution found anywhere in it; a quotation right after an attributed sentence in the same
    paragraph ("“…,” he tweeted. “Save Aleppo.”") or after a sentence ending with a colon
    ("... posted a video saying:" + quotation paragraph) takes that sentence's speaker.
    """
    by_group: dict[int, Attribution] = {}
    for info, g in zip(sentences, groups):
        if info.attribution is not None and info.quotes:
            for k in g:
                by_group.setdefault(k, info.attribution)
    for i, (info, g) in enumerate(zip(sentences, groups)):
        if info.attribution is not None or not g:
            continue
        source = next((by_group[k] for k in sorted(g) if k in by_group), None)
        if source is None and i > 0:
            prev = sentences[i - 1]
            s = doc[ranges[i][0]]
            starts_quote = s.text in ("\u201c", '"', "\u2018")
            same_par = prev.paragraph == info.paragraph
            prev_colon = prev.text.rstrip(_STRIP).endswith(":")
            if prev.attribution is not None and starts_quote and (
                same_par and prev.attribution.quoted or prev_colon and prev.paragraph + 1 == info.paragraph
                or prev_colon and same_par
            ):
                source = prev.attribution
        if source is not None:
            info.attribution = Attribution(**{**_attr_dict(source), "kind": "quote", "quoted": True})
            for k in g:
                by_group.setdefault(k, source)
            info.opinion = False


# ---------------------------------------------------------------------- entry point

_WORKER: _Analyzer | None = None
_WORKER_BATCH = 32


def _worker_init(nlp: "Language | str | None", batch_size: int) -> None:
    global _WORKER, _WORKER_BATCH
    model = nlp if not isinstance(nlp, str) and nlp is not None else nlp_module.load(nlp)
    _WORKER = _Analyzer(model)
    _WORKER_BATCH = batch_size
    # The model and whatever else the worker inherited live as long as it does: out of the
    # collector's sight, full collections do not walk them again and again (about 1 ms of CPU
    # per article otherwise), nor write to, and so copy, the pages shared with the parent.
    gc.freeze()


def _worker_run(chunk: list[Article]) -> list[ArticleAnalysis]:
    assert _WORKER is not None
    return list(_WORKER.run(chunk, _WORKER_BATCH))


MIN_TAIL_CHUNK = 4


def _chunk_sizes(n: int, size: int, workers: int) -> Iterator[int]:
    """Chunk sizes for ``n`` articles: ``size`` while plenty remain, then shrinking with what is
    left (guided self-scheduling), so the workers run out of work together instead of one idling
    while another parses a last full chunk (up to ``size`` articles: seconds)."""
    left = n
    while left > 0:
        k = min(size, left, max(MIN_TAIL_CHUNK, -(-left // (2 * workers))))
        yield k
        left -= k


def _guided_chunks(articles: Sequence[Article], size: int, workers: int) -> Iterator[list[Article]]:
    pos = 0
    for k in _chunk_sizes(len(articles), size, workers):
        yield list(articles[pos:pos + k])
        pos += k


def analyze_articles(
    articles: Iterable[Article],
    *,
    nlp: "Language | None" = None,
    batch_size: int = 32,
    n_process: int = 1,
) -> Iterator[ArticleAnalysis]:
    """Analyse articles in order, one ``ArticleAnalysis`` each (lazily).

    ``nlp`` defaults to ``newsprism.nlp.load()``. With ``n_process > 1`` the articles go to a pool
    of worker processes in chunks; each worker holds one model for its lifetime (inherited on
    fork, unpickled once on spawn) and returns finished analyses, so the Python post-processing
    runs in parallel too, not only the parse.
    """
    if n_process <= 1:
        yield from _Analyzer(nlp if nlp is not None else nlp_module.load()).run(articles, batch_size)
        return
    methods = multiprocessing.get_all_start_methods()
    ctx = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    model: "Language | str | None" = nlp
    if model is None:
        model = nlp_module.model_setting() if ctx.get_start_method() != "fork" else nlp_module.load()
    size = max(1, batch_size)
    if isinstance(articles, Sequence):
        chunks = _guided_chunks(articles, size, n_process)
    else:
        chunks = batched(articles, size)
    with ctx.Pool(n_process, initializer=_worker_init, initargs=(model, batch_size)) as pool:
        # one chunk per task: an idle worker takes the next chunk, results come back in order
        for result in pool.imap(_worker_run, chunks, chunksize=1):
            yield from result
