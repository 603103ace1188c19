"""A dev set for `newsprism eval suspicion`: real event clusters with some articles manipulated
the way disinformation is made.

Each manipulated article replaces its original in the cluster (the original is never in the
output) and changes one or two sentences out of its whole text, like real manipulations do:

* ``figure`` — a salient figure (preferably one another report also gives) is changed;
* ``swap`` — an actor or place that other reports also name is replaced by one of the same kind
  taken from an event of ANOTHER topic (so it is a real, plausible name);
* ``insert`` — a salient sentence is replaced by a plausible but unsupported one (setting A:
  templates filled with this event's own names; setting B: a sentence of another topic's event
  with its names replaced by this event's);
* ``authority_quote`` — an invented quote is put in an official's mouth (a role plus a name from
  this event or an invented one) and inserted;
* ``negation`` — a corroborated sentence (one sharing most words with another report) is negated;
* ``loaded`` — emotive adjectives/adverbs are added and a rhetorical question is inserted.

Text is normalised first (PTB tokenisation undone for every article, real or not) and every edit
keeps the article's own conventions (its quotation marks, one sentence per line when the input
has it), so nothing but the content distinguishes a manipulated article: no duplicated
sentences, no broken tokens, no odd spacing.

Two generator settings (`SETTINGS`): tune on one, report on the other; `topic_split` holds out
half of the topics as well.

    python -m newsprism.bench.devset ../shared/data/ecbplus-dev.jsonl --setting A --out dev-A.jsonl
"""

from __future__ import annotations

import argparse
import json
import random
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..nlp import detokenize, looks_tokenized

MANIPULATIONS: tuple[str, ...] = ("figure", "swap", "insert", "authority_quote", "negation", "loaded")


@dataclass(frozen=True, slots=True)
class GeneratorSetting:
    name: str
    fake_share: float  # share of each cluster's articles that get manipulated
    figure_factors: tuple[float, ...]  # a changed figure is multiplied by one of these
    insert_from_other_event: bool  # False: templates with this event's names; True: adapted foreign sentence
    insert_templates: tuple[str, ...]
    quote_templates: tuple[str, ...]
    roles: tuple[str, ...]
    invented_names: tuple[str, ...]
    loaded_adjectives: tuple[str, ...]
    loaded_adverbs: tuple[str, ...]
    questions: tuple[str, ...]
    loaded_edits: int  # how many words of loaded language are added


SETTING_A = GeneratorSetting(
    name="A",
    fake_share=0.34,
    figure_factors=(2.0, 3.0, 0.5, 0.25, 4.0),
    insert_from_other_event=False,
    insert_templates=(
        "{person} had been warned about the danger two weeks earlier, according to documents obtained by {org}.",
        "Investigators in {place} now believe at least {n} other people were involved.",
        "The damage in {place} is now estimated at {n} million dollars, far more than first reported.",
        "{person} had quietly met officials from {org} in {place} only days before.",
        "Witnesses in {place} said as many as {n} people had gathered at the scene before it happened.",
        "{org} had received {n} complaints about the situation in {place} over the past year.",
    ),
    quote_templates=(
        "We have evidence that this was planned well in advance, and more arrests will follow",
        "There were at least {n} warnings before this happened and they were all ignored",
        "This is the most serious case we have dealt with in {n} years",
        "We are certain that {person} knew exactly what was going on",
    ),
    roles=("police spokesman", "a senior government official,", "Interior Ministry spokeswoman",
           "the regional governor,", "chief prosecutor"),
    invented_names=("Mark Delaney", "Carla Svensson", "Ahmed Farouk", "Linda Okafor", "Paul Hendricks",
                    "Maria Castellano", "James Whitford", "Nadia Petrova"),
    loaded_adjectives=("shocking", "brutal", "disgraceful", "horrific", "outrageous"),
    loaded_adverbs=("shamefully", "cynically", "brazenly"),
    questions=("How much longer will this be tolerated?", "Who will finally be held responsible?",
               "How many more times must this happen?"),
    loaded_edits=2,
)

SETTING_B = GeneratorSetting(
    name="B",
    fake_share=0.25,
    figure_factors=(1.6, 0.6, 2.5, 0.4),
    insert_from_other_event=True,
    insert_templates=(
        "Records seen by {org} show that {person} had raised concerns about {place} months ago.",
        "Around {n} residents of {place} were moved out of the area overnight, officials said.",
    ),
    quote_templates=(
        "Nobody should be in any doubt that {person} bears direct responsibility for this",
        "Our information is that {n} people were told to stay away that day",
        "I can confirm that the decision was taken at the very highest level",
        "What happened here was entirely avoidable and the public deserves answers",
    ),
    roles=("a spokesman for the ministry,", "deputy police commissioner", "a senior official,",
           "the minister", "state prosecutor"),
    invented_names=("Robert Kaine", "Sofia Lindqvist", "Hassan Demir", "Grace Mbeki", "Daniel Ortega Ruiz",
                    "Helen Marsh", "Victor Sokolov"),
    loaded_adjectives=("appalling", "reckless", "scandalous", "cruel"),
    loaded_adverbs=("callously", "blatantly"),
    questions=("Is anyone really surprised?", "Why does nobody ask the obvious question?",
               "What else are we not being told?"),
    loaded_edits=1,
)

SETTINGS: dict[str, GeneratorSetting] = {"A": SETTING_A, "B": SETTING_B}

_NUM = re.compile(r"(?<![\w.,:/-])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?![\w:/]|[.,]\d)")
_NUMBER_WORDS = {
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "hundred": 100, "dozen": 12, "dozens": 24, "hundreds": 200,
}
_WORD_OF = {2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight", 9: "nine", 10: "ten",
            12: "12", 20: "20", 30: "30", 40: "40", 50: "50", 60: "60", 100: "100", 200: "200"}
_NUMWORD = re.compile(r"\b(" + "|".join(k for k in _NUMBER_WORDS if k not in ("dozens", "hundreds")) + r")\b", re.I)
_DATEISH = re.compile(
    r"(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s*$|^\s*(jan|feb|mar|apr|may|jun|jul|aug|sep|"
    r"oct|nov|dec)[a-z]*|^\s*(a\.?m|p\.?m|gmt|bst|est|pst|st|nd|rd|th)\b|:\s*$|\$\s*$",
    re.I,
)
_STOP = frozenset("the a an of in on at to and or for with by from that this is was were are be been has have had said".split())


def normalize_text(text: str) -> str:
    """Undo PTB tokenisation (for real and manipulated articles alike)."""
    if not looks_tokenized(text):
        return text
    lines = [detokenize(line) for line in text.split("\n")]
    out = []
    for line in lines:
        line = re.sub(r"(\w) - (\w)", r"\1-\2", line)
        line = re.sub(r"(\d) : (\d)", r"\1:\2", line)
        line = re.sub(r"(\w) / (\w)", r"\1/\2", line)
        line = re.sub(r"\$ (\d)", r"$\1", line)
        line = re.sub(r"\s{2,}", " ", line).strip()
        out.append(line)
    return "\n".join(out)


def split_sentences(text: str) -> tuple[list[str], str]:
    """(sentences, separator): one per line when the text has lines, else a regex split."""
    lines = [ln for ln in text.split("\n") if ln.strip()]
    if len(lines) >= 3:
        return lines, "\n"
    parts = re.split(r"(?<=[.!?\u201d\"])\s+(?=[A-Z\u201c\"])", text.strip())
    return [p for p in parts if p.strip()], " "


def load_clusters(path: str | Path) -> dict[str, list[dict[str, Any]]]:
    clusters: dict[str, list[dict[str, Any]]] = defaultdict(list)
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                row = json.loads(line)
                if row.get("event"):
                    clusters[row["event"]].append(row)
    return dict(clusters)


def topic_of(event: str) -> str:
    return event.split("_", 1)[0]


def topic_split(event: str) -> str:
    """'tune' for odd-numbered topics, 'test' for even ones (non-numeric topics: by name length parity)."""
    topic = topic_of(event)
    number = int(topic) if topic.isdigit() else len(topic)
    return "tune" if number % 2 else "test"


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z]+", text.lower()) if w not in _STOP and len(w) > 2}


def _quote_marks(text: str) -> tuple[str, str]:
    if "\u201c" in text:
        return "\u201c", "\u201d"
    if '"' in text:
        return '"', '"'
    return "\u201c", "\u201d"


class _Cluster:
    """One event's articles, normalised and parsed, with sentence salience."""

    def __init__(self, event: str, rows: Sequence[dict[str, Any]], nlp) -> None:
        self.event = event
        self.rows = [dict(r, text=normalize_text(r.get("text", ""))) for r in rows]
        self.sentences: list[list[str]] = []
        self.separators: list[str] = []
        for r in self.rows:
            sents, sep = split_sentences(r["text"])
            self.sentences.append(sents)
            self.separators.append(sep)
        flat = [s for sents in self.sentences for s in sents]
        self.docs = {}
        for text, doc in zip(flat, nlp.pipe(flat, batch_size=64)):
            self.docs[text] = doc
        self.entities: dict[str, set[str]] = defaultdict(set)  # label -> names in this event
        self.entity_articles: dict[str, set[int]] = defaultdict(set)
        for i, sents in enumerate(self.sentences):
            for s in sents:
                for ent in self.docs[s].ents:
                    if ent.label_ in ("PERSON", "ORG", "GPE", "LOC", "FAC"):
                        self.entities[ent.label_].add(ent.text)
                        self.entity_articles[ent.text].add(i)

    def salience(self, i: int, j: int) -> float:
        """Best word overlap of sentence j of article i with any sentence of another article."""
        words = _words(self.sentences[i][j])
        if len(words) < 4:
            return 0.0
        best = 0.0
        for k, sents in enumerate(self.sentences):
            if k == i:
                continue
            for s in sents:
                other = _words(s)
                if other:
                    best = max(best, len(words & other) / len(words | other))
        return best

    def candidates(self, i: int) -> list[int]:
        """Editable sentences: not the first line (a headline), not repeated inside the article."""
        sents = self.sentences[i]
        counts = defaultdict(int)
        for s in sents:
            counts[s.strip()] += 1
        return [j for j, s in enumerate(sents) if j > 0 and counts[s.strip()] == 1 and len(s.split()) >= 6]


# --------------------------------------------------------------------------- manipulations


def _scale_number(token: str, factor: float) -> str:
    value = float(token.replace(",", ""))
    new = value * factor
    if "." in token.replace(",", ""):
        return f"{new:.1f}"
    new_int = max(1, int(round(new)))
    if new_int == int(value):
        new_int += 1 if factor > 1 else -1
    return f"{new_int:,}" if "," in token or new_int >= 10000 else str(new_int)


def _figure(cl: _Cluster, i: int, rng: random.Random, setting: GeneratorSetting) -> list[tuple[int, str]] | None:
    scored = []
    for j in cl.candidates(i):
        s = cl.sentences[i][j]
        spots = [m for m in _NUM.finditer(s) if not re.fullmatch(r"(1[89]|20)\d\d", m.group(1))
                 and not _DATEISH.search(s[max(0, m.start() - 10):m.start()])
                 and not _DATEISH.search(s[m.end():m.end() + 6])]
        words = [m for m in _NUMWORD.finditer(s)]
        if not spots and not words:
            continue
        shared = any(m.group(1) in cl.sentences[k][x] for m in spots for k in range(len(cl.sentences)) if k != i
                     for x in range(len(cl.sentences[k])))
        scored.append((shared, cl.salience(i, j), j, spots, words))
    if not scored:
        return None
    scored.sort(key=lambda t: (-t[0], -t[1]))
    _, _, j, spots, words = scored[0] if rng.random() < 0.8 else rng.choice(scored)
    s = cl.sentences[i][j]
    factor = rng.choice(setting.figure_factors)
    if spots:
        m = rng.choice(spots)
        new = s[: m.start(1)] + _scale_number(m.group(1), factor) + s[m.end(1):]
    else:
        m = rng.choice(words)
        value = _NUMBER_WORDS[m.group(1).lower()] * factor
        value = max(2, int(round(value)))
        if value == _NUMBER_WORDS[m.group(1).lower()]:
            value += 1
        word = _WORD_OF.get(value, str(value))
        if m.group(1)[0].isupper():
            word = word.capitalize()
        new = s[: m.start(1)] + word + s[m.end(1):]
    return [(j, new)] if new != s else None


def _foreign_entities(all_clusters: Mapping[str, _Cluster], event: str, label: str) -> list[str]:
    topic = topic_of(event)
    names = sorted({n for ev, cl in all_clusters.items() if topic_of(ev) != topic for n in cl.entities.get(label, ())})
    return [n for n in names if 3 <= len(n) <= 40 and n[0].isupper()]


def _swap(cl: _Cluster, i: int, rng: random.Random, setting: GeneratorSetting, others) -> list[tuple[int, str]] | None:
    options = []
    for j in cl.candidates(i):
        s = cl.sentences[i][j]
        for ent in cl.docs[s].ents:
            if ent.label_ not in ("PERSON", "GPE", "LOC", "ORG", "FAC"):
                continue
            shared = len(cl.entity_articles[ent.text] - {i})
            options.append((shared > 0, cl.salience(i, j), j, ent.text, ent.label_))
    if not options:
        return None
    options.sort(key=lambda t: (-t[0], -t[1]))
    _, _, j, name, label = options[0] if rng.random() < 0.7 else rng.choice(options[: max(3, len(options) // 3)])
    pool = [n for n in _foreign_entities(others, cl.event, label) if n.lower() != name.lower()]
    if not pool:
        return None
    new_name = rng.choice(pool)
    s = cl.sentences[i][j]
    return [(j, s.replace(name, new_name))]


def _event_names(cl: _Cluster, rng: random.Random) -> dict[str, str]:
    def pick(label: str, fallback: str) -> str:
        names = sorted(n for n in cl.entities.get(label, ()) if n[:1].isupper() and len(n) > 2)
        return rng.choice(names) if names else fallback

    return {
        "person": pick("PERSON", "the suspect"),
        "org": pick("ORG", "local media"),
        "place": pick("GPE", pick("LOC", "the city")),
    }


def _fill(template: str, names: Mapping[str, str], rng: random.Random) -> str:
    text = template.format(n=rng.choice((3, 4, 6, 12, 15, 40, 120, 300)), **names)
    return text[0].upper() + text[1:]


def _adapted_foreign_sentence(cl: _Cluster, rng: random.Random, others: Mapping[str, _Cluster]) -> str | None:
    """A sentence of another topic's event, its names replaced by this event's names of the same kind."""
    topic = topic_of(cl.event)
    pool = [(ev, s) for ev, other in sorted(others.items()) if topic_of(ev) != topic
            for sents in other.sentences for s in sents[1:]
            if 10 <= len(s.split()) <= 30 and other.docs[s].ents and '"' not in s and "\u201c" not in s]
    own: dict[str, list[str]] = {k: sorted(v) for k, v in cl.entities.items()}
    for _ in range(30):
        ev, s = rng.choice(pool)
        doc = others[ev].docs[s]
        out, ok = s, True
        for ent in doc.ents:
            if ent.label_ in ("PERSON", "ORG", "GPE", "LOC", "FAC"):
                choices = own.get(ent.label_) or own.get("GPE" if ent.label_ == "LOC" else "LOC")
                if not choices:
                    ok = False
                    break
                out = out.replace(ent.text, rng.choice(choices))
        if ok and any(e.label_ in ("PERSON", "ORG", "GPE", "LOC", "FAC") for e in doc.ents):
            return out
    return None


def _insert(cl: _Cluster, i: int, rng: random.Random, setting: GeneratorSetting, others) -> list[tuple[int, str]] | None:
    cands = cl.candidates(i)
    if not cands:
        return None
    cands.sort(key=lambda j: -cl.salience(i, j))
    j = cands[0] if rng.random() < 0.6 else rng.choice(cands[: max(2, len(cands) // 3)])
    new = None
    if setting.insert_from_other_event:
        new = _adapted_foreign_sentence(cl, rng, others)
    if new is None:
        new = _fill(rng.choice(setting.insert_templates), _event_names(cl, rng), rng)
    return [(j, new)]


def _authority_quote(cl: _Cluster, i: int, rng: random.Random, setting: GeneratorSetting, others) -> list[tuple[int, str | None]] | None:
    sents = cl.sentences[i]
    if len(sents) < 3:
        return None
    names = _event_names(cl, rng)
    quote = _fill(rng.choice(setting.quote_templates), names, rng)
    speaker = rng.choice(setting.invented_names)
    role = rng.choice(setting.roles)
    open_q, close_q = _quote_marks(cl.rows[i]["text"])
    appositive = role.endswith(",")
    who = f"{role} {speaker}," if appositive else f"{role} {speaker}"
    if rng.random() < 0.5:
        text = f"{open_q}{quote},{close_q} {who} said." if not appositive else f"{open_q}{quote},{close_q} said {role[:-1]} {speaker}."
    else:
        text = f"{who[0].upper() + who[1:]} said: {open_q}{quote}.{close_q}"
    position = rng.randint(1, len(sents) - 1)
    return [(-position, text)]  # negative index: insert before sentence `position`


def _negate_doc(doc) -> str | None:
    root = next((t for t in doc if t.dep_ == "ROOT"), None)
    if root is None:
        return None
    verb = root
    if root.lemma_ in ("say", "tell", "report", "add", "announce", "state"):
        verb = next((c for c in root.children if c.dep_ == "ccomp" and c.pos_ in ("VERB", "AUX")), root)
    if any(c.dep_ == "neg" for c in verb.children):
        return None
    aux = [c for c in verb.children if c.dep_ in ("aux", "auxpass") and c.i < verb.i]
    text = doc.text
    if aux:
        a = aux[0]
        return text[: a.idx + len(a.text)] + " not" + text[a.idx + len(a.text):]
    if verb.lemma_ == "be" or verb.pos_ == "AUX":
        return text[: verb.idx + len(verb.text)] + " not" + text[verb.idx + len(verb.text):]
    if verb.tag_ in ("VBD", "VBZ", "VBP"):
        helper = {"VBD": "did", "VBZ": "does", "VBP": "do"}[verb.tag_]
        return text[: verb.idx] + f"{helper} not {verb.lemma_}" + text[verb.idx + len(verb.text):]
    return None


def _negation(cl: _Cluster, i: int, rng: random.Random, setting: GeneratorSetting, others) -> list[tuple[int, str]] | None:
    cands = sorted(cl.candidates(i), key=lambda j: -cl.salience(i, j))
    for j in cands[:6]:
        new = _negate_doc(cl.docs[cl.sentences[i][j]])
        if new and new != cl.sentences[i][j]:
            return [(j, new)]
    return None


def _loaded(cl: _Cluster, i: int, rng: random.Random, setting: GeneratorSetting, others) -> list[tuple[int, str | None]] | None:
    cands = cl.candidates(i)
    edits: list[tuple[int, str | None]] = []
    rng.shuffle(cands)
    added = 0
    for j in cands:
        if added >= setting.loaded_edits:
            break
        doc = cl.docs[cl.sentences[i][j]]
        nouns = [t for t in doc if t.pos_ == "NOUN" and t.tag_ == "NN" and not any(c.dep_ == "amod" for c in t.children)
                 and t.i > 0 and doc[t.i - 1].lower_ in ("the", "a", "an", "this", "that")]
        verbs = [t for t in doc if t.pos_ == "VERB" and t.tag_ == "VBD" and t.dep_ == "ROOT"]
        text = doc.text
        if nouns and (not verbs or rng.random() < 0.6):
            t = rng.choice(nouns)
            word = rng.choice(setting.loaded_adjectives)
            det = doc[t.i - 1]
            if det.lower_ in ("a", "an"):
                article = "an" if word[0] in "aeiou" else "a"
                article = article.capitalize() if det.text[0].isupper() else article
                text = text[: det.idx] + article + " " + word + " " + text[t.idx:]
            else:
                text = text[: t.idx] + word + " " + text[t.idx:]
        elif verbs:
            t = verbs[0]
            text = text[: t.idx] + rng.choice(setting.loaded_adverbs) + " " + text[t.idx:]
        else:
            continue
        edits.append((j, text))
        added += 1
    position = rng.randint(2, max(2, len(cl.sentences[i]) - 1)) if len(cl.sentences[i]) > 2 else len(cl.sentences[i])
    edits.append((-position, rng.choice(setting.questions)))
    return edits


_DISPATCH = {
    "figure": lambda cl, i, rng, st, others: _figure(cl, i, rng, st),
    "swap": _swap,
    "insert": _insert,
    "authority_quote": _authority_quote,
    "negation": _negation,
    "loaded": _loaded,
}


def _apply(sentences: list[str], edits: Sequence[tuple[int, str]]) -> tuple[list[str], list[str]]:
    out = list(sentences)
    changed: list[str] = []
    inserts = sorted(((-j, t) for j, t in edits if j < 0), reverse=True)
    for j, t in edits:
        if j >= 0:
            out[j] = t
            changed.append(t)
    for position, t in inserts:
        out.insert(position, t)
        changed.append(t)
    return out, changed


def make_devset(
    clusters: Mapping[str, Sequence[dict[str, Any]]],
    *,
    seed: int = 0,
    manipulations: Sequence[str] = MANIPULATIONS,
    setting: str | GeneratorSetting = "A",
    nlp=None,
    min_cluster: int = 3,
) -> list[dict[str, Any]]:
    """Rows (JSONL-ready) of every cluster with some articles manipulated; label real/fake.

    Manipulated articles replace their originals. Rows carry `event`, `label`, `manipulation`
    (None for real ones), `setting`, `split` (topic hold-out) and `edited` (the new sentences, to
    check that the most suspicious sentence is the edited one).
    """
    from .. import nlp as nlp_module

    st = SETTINGS[setting] if isinstance(setting, str) else setting
    nlp = nlp or nlp_module.load()
    rng = random.Random(f"{seed}:{st.name}")
    parsed = {ev: _Cluster(ev, rows, nlp) for ev, rows in sorted(clusters.items()) if len(rows) >= 1}
    out: list[dict[str, Any]] = []
    turn = 0
    for ev in sorted(parsed):
        cl = parsed[ev]
        n = len(cl.rows)
        chosen: set[int] = set()
        if n >= min_cluster:
            k = max(1, round(st.fake_share * n))
            chosen = set(rng.sample(range(n), k))
        for i, row in enumerate(cl.rows):
            base = {
                "id": row.get("id"),
                "title": row.get("title", ""),
                "source": row.get("source", ""),
                "url": row.get("url", ""),
                "published": row.get("published", ""),
                "event": ev,
                "setting": st.name,
                "split": topic_split(ev),
            }
            result = None
            kind = None
            if i in chosen:
                order = list(manipulations[turn % len(manipulations):]) + list(manipulations[: turn % len(manipulations)])
                for kind in order:
                    edits = _DISPATCH[kind](cl, i, rng, st, parsed)
                    if edits:
                        result = edits
                        break
                turn += 1
            if result is None:
                out.append({**base, "text": row["text"], "label": "real", "manipulation": None, "edited": []})
                continue
            sentences, changed = _apply(cl.sentences[i], result)
            out.append({
                **base,
                "id": f"{row.get('id')}~{kind}",
                "text": cl.separators[i].join(sentences),
                "label": "fake",
                "manipulation": kind,
                "edited": changed,
            })
    return out


def write_jsonl(rows: Iterable[dict[str, Any]], path: str | Path) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m newsprism.bench.devset", description=__doc__.split("\n\n")[0])
    p.add_argument("data", help="JSONL with `event` (e.g. ../shared/data/ecbplus-dev.jsonl)")
    p.add_argument("--out", required=True)
    p.add_argument("--setting", choices=sorted(SETTINGS), default="A")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--manipulations", default=",".join(MANIPULATIONS))
    args = p.parse_args(argv)
    rows = make_devset(load_clusters(args.data), seed=args.seed, setting=args.setting,
                       manipulations=tuple(m for m in args.manipulations.split(",") if m))
    write_jsonl(rows, args.out)
    fakes = [r for r in rows if r["label"] == "fake"]
    print(f"{len(rows)} articles, {len(fakes)} manipulated "
          + str({m: sum(r['manipulation'] == m for r in fakes) for m in MANIPULATIONS}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
