"""Deduplication: exact and near copies, shared passages, streaming index, cost."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from newsprism import dedup
from newsprism.dedup import (
    DedupSettings,
    NearDuplicateIndex,
    find_duplicates,
    order_key,
    sentence_spans,
    tokenize,
)
from newsprism.records import Article, DedupResult, Origin, SharedPassage

# --------------------------------------------------------------------------- helpers


def load_seeds(seeds_dir: Path) -> dict[str, Article]:
    """The seed articles keyed by their file prefix ("000" ... "004")."""
    paths = sorted(seeds_dir.glob("*.txt"))
    try:
        from newsprism.readers import read_inputs
    except ImportError:  # pragma: no cover - readers are another module's work
        read_inputs = None
    out: dict[str, Article] = {}
    if read_inputs is not None:
        for item in read_inputs(paths):
            if isinstance(item, Article):
                out[Path(item.origin.path).name[:3]] = item
    else:  # pragma: no cover
        for path in paths:
            lines = path.read_text(encoding="utf-8").splitlines()
            first = next(i for i, line in enumerate(lines) if line.strip())
            text = "\n".join(lines[first + 1 :]).strip()
            out[path.name[:3]] = Article(id=path.name[:3], title=lines[first].strip(), text=text, origin=Origin(str(path)))
    assert sorted(out) == ["000", "001", "002", "003", "004"]
    return out


def make(article_id: str, text: str, *, published: str | None = None, source: str | None = None) -> Article:
    return Article(id=article_id, title=f"title {article_id}", text=text, origin=Origin("test"), published=published, source=source)


def between(result: DedupResult, x: str, y: str) -> list[SharedPassage]:
    return [p for p in result.passages if {p.article_a, p.article_b} == {x, y}]


def span_texts(p: SharedPassage, articles: dict[str, Article]) -> tuple[str, str]:
    """The passage as it stands in article_a and in article_b, read back through the offsets."""
    by_id = {a.id: a for a in articles.values()}
    return by_id[p.article_a].text[p.start_a : p.end_a], by_id[p.article_b].text[p.start_b : p.end_b]


def flat(text: str) -> str:
    return " ".join(text.replace("’", "'").split())


# --------------------------------------------------------------------------- the seeds


@pytest.fixture(scope="module")
def seeds(seeds_dir: Path) -> dict[str, Article]:
    return load_seeds(seeds_dir)


@pytest.fixture(scope="module")
def seed_result(seeds: dict[str, Article]) -> DedupResult:
    return find_duplicates(seeds.values())


def test_seed_passage_offsets_point_at_the_passage(seeds, seed_result):
    assert seed_result.passages
    for p in seed_result.passages:
        in_a, in_b = span_texts(p, seeds)
        assert in_a == p.text
        assert 0 < p.similarity <= 1.0
        # both spans hold (nearly) the same words
        words_a, words_b = set(tokenize(in_a)), set(tokenize(in_b))
        assert len(words_a & words_b) >= 0.7 * min(len(words_a), len(words_b))


def test_seed_pairs_sharing_passages(seeds, seed_result):
    ids = {a.id: key for key, a in seeds.items()}
    pairs = {tuple(sorted((ids[p.article_a], ids[p.article_b]))) for p in seed_result.passages}
    # 000 re-uses all four; 001/004 share the UN statement; 003/004 the SOHR quote.
    assert pairs == {("000", "001"), ("000", "002"), ("000", "003"), ("000", "004"), ("001", "004"), ("003", "004")}


def test_000_reuses_the_white_helmets_statement_of_003(seeds, seed_result):
    found = between(seed_result, seeds["000"].id, seeds["003"].id)
    texts = [flat(" ".join(span_texts(p, seeds))) for p in found]
    assert any("If we stay" in t and "fear for our lives" in t and "detention or execution" in t for t in texts)


def test_000_reuses_004_including_the_altered_quote(seeds, seed_result):
    found = between(seed_result, seeds["000"].id, seeds["004"].id)
    in_000 = [flat(span_texts(p, seeds)[0 if p.article_a == seeds["000"].id else 1]) for p in found]
    in_004 = [flat(span_texts(p, seeds)[1 if p.article_a == seeds["000"].id else 0]) for p in found]
    # "get them this chance" (000) is matched with "give them this chance" (004), in one
    # passage with the preceding sentence
    assert any(
        "trying to kill us for five years" in t and "Please don't get them this chance" in t for t in in_000
    )
    assert any(
        "trying to kill us for five years" in t and "Please don't give them this chance" in t for t in in_004
    )
    assert any("grave concern to the relevant parties" in t for t in in_000)
    assert any("grave concern to the relevant parties" in t for t in in_004)


def test_000_reuses_lina_shamys_video_message_of_002(seeds, seed_result):
    found = between(seed_result, seeds["000"].id, seeds["002"].id)
    assert any(
        "exposed to a genocide" in t and "my last video" in t
        for p in found
        for t in span_texts(p, seeds)
    )


def test_001_and_004_share_the_un_statement(seeds, seed_result):
    found = between(seed_result, seeds["001"].id, seeds["004"].id)
    texts = [flat(t) for p in found for t in span_texts(p, seeds)]
    assert any("independently verify these reports" in t and "grave concern" in t for t in texts)
    assert any("reports of atrocities against" in t for t in texts)


def test_seeds_are_not_copies_of_each_other(seeds, seed_result):
    assert seed_result.links == []
    # not even close: a far lower threshold still links nothing
    assert find_duplicates(seeds.values(), DedupSettings(near_threshold=0.2)).links == []


# --------------------------------------------------------------------------- syndicated copies (fictional)

WIRE = """The regional water authority said on Thursday that the Karsten reservoir had fallen to its lowest level in forty years, forcing emergency restrictions across three districts of the valley.

Engineers from the authority told reporters that the reservoir held less than a fifth of its capacity after an unusually dry spring and a late summer heatwave.

Households in Marrow, Peltby and the eastern suburbs will be limited to two hours of mains supply each morning from Monday, the authority's director, Ilse Varga, said at a briefing.

"We are asking every family to treat each litre as if it were the last one in the tank," Varga said. "The restrictions will stay until the autumn rains have refilled the basin."

Farmers in the lower valley said the cuts would hit the orchard harvest, which depends on irrigation from the same canal network during the final weeks before picking.

The authority said tanker lorries would supply hospitals, schools and care homes, and that a hotline had been opened for residents with medical needs.

Opposition councillors accused the authority of ignoring warnings about leaking pipes, which engineers estimate lose a quarter of the water pumped from the reservoir every year."""

EDITED = WIRE.replace(
    "Farmers in the lower valley said the cuts would hit the orchard harvest, which depends on irrigation from the same canal network during the final weeks before picking.",
    "Growers near the river warned that their pear crop could be lost entirely if the pumps stop before the end of the month.",
)


def test_syndicated_near_copy_with_other_boilerplate_and_one_changed_sentence():
    assert EDITED != WIRE
    original = make("wire-a", "VALLEY POST | Local news\n\n" + WIRE + "\n\nShare this story on social media.", published="2024-07-04T09:00:00Z")
    copy = make("wire-b", "Reporting by Hanna Ole; editing by Tom Brisk\n\n" + EDITED + "\n\nSubscribe for our daily newsletter.", published="2024-07-04T11:30:00+00:00")
    other = make("other", "The city council approved a new budget for public libraries on Tuesday after a long debate about opening hours and staff pay in the northern districts.")
    result = find_duplicates([copy, other, original])
    assert len(result.links) == 1
    link = result.links[0]
    assert (link.copy, link.original, link.kind) == ("wire-b", "wire-a", "near")
    assert 0.5 <= link.similarity < 1.0
    # a near copy is linked, not also reported passage by passage
    assert between(result, "wire-a", "wire-b") == []


def test_exact_copy_under_another_outlet():
    first = make("x-first", WIRE, published="2024-07-04", source="Valley Post")
    again = make("x-again", WIRE.replace("\n\n", "\n").replace('"', "“", 1), published="2024-07-05", source="Hill Herald")
    result = find_duplicates([again, first])
    assert [(l.copy, l.original, l.kind, l.similarity) for l in result.links] == [("x-again", "x-first", "exact", 1.0)]
    assert result.copy_of() == {"x-again": "x-first"}


def test_original_is_earlier_then_longer_then_smaller_id():
    longer = WIRE + "\n\nThe authority will publish reservoir levels every day on its website."
    # dated beats undated, earlier beats later, whatever the length or id
    a = make("a", WIRE, published="2024-07-05")
    b = make("b", longer, published="2024-07-04")
    c = make("c", longer)
    assert sorted([a, b, c], key=order_key) == [b, a, c]
    # undated: the longer text is the original; same length: the smaller id
    assert find_duplicates([make("z", longer), make("y", WIRE)]).links[0].original == "z"
    assert find_duplicates([make("q2", WIRE), make("q1", WIRE)]).links[0].original == "q1"


def test_result_does_not_depend_on_input_order():
    arts = [
        make("w1", WIRE, published="2024-07-04"),
        make("w2", EDITED, published="2024-07-05"),
        make("w3", WIRE, published="2024-07-06"),
        make("q", 'Residents said "we are asking every family to treat each litre as if it were the last one in the tank" was hard to hear.'),
    ]
    first = find_duplicates(arts)
    for seed in range(3):
        shuffled = arts[:]
        random.Random(seed).shuffle(shuffled)
        assert find_duplicates(shuffled) == first


def test_short_texts_are_never_linked_as_copies():
    assert find_duplicates([make("s1", "Read more."), make("s2", "Read more.")]).links == []
    assert find_duplicates([make("e1", ""), make("e2", "")]).links == []


# --------------------------------------------------------------------------- shared passages (fictional)


def test_quote_embedded_in_different_sentences_is_a_shared_passage():
    quote = "we will not allow the old bridge to be closed again this winter"
    a = make("qa", f'The transport minister said on Monday that "{quote}" before leaving the meeting early. Traffic was heavy across the river all afternoon as the ferry service was suspended.')
    b = make("qb", f'Speaking to reporters gathered outside parliament, the minister repeated: "{quote.capitalize()}." Her deputy later declined to answer questions about the cost of repairs to the northern approach road.')
    result = find_duplicates([a, b])
    found = between(result, "qa", "qb")
    assert len(found) == 1
    in_a, in_b = span_texts(found[0], {"qa": a, "qb": b})
    assert quote in in_a.lower() and quote in in_b.lower()
    # the passage is the quote, not the different sentences around it
    assert "minister" not in in_a and "minister" not in in_b


def test_adjacent_copied_sentences_merge_into_one_passage():
    paragraph = (
        "The storm brought down power lines across the northern coast overnight. "
        "Repair crews worked through the morning to restore electricity to the hospital in Brant. "
        "Officials said ferry crossings to the islands would resume on Saturday if the wind eased."
    )
    a = make("pa", "Our correspondent reports from the harbour, where boats were tied up all day.\n\n" + paragraph + "\n\nLocal shops stayed closed.")
    b = make("pb", "In other news, the league announced its new fixtures for the coming winter season.\n\n" + paragraph.replace("the morning", "the night"))
    found = between(find_duplicates([a, b]), "pa", "pb")
    assert len(found) == 1
    in_a, in_b = span_texts(found[0], {"pa": a, "pb": b})
    assert in_a.startswith("The storm") and in_a.endswith("if the wind eased.")
    assert in_b.startswith("The storm") and in_b.endswith("if the wind eased.")
    assert 0.8 <= found[0].similarity < 1.0


def test_common_short_phrases_are_not_passages():
    a = make("c1", "Stay safe. The festival opened on Friday with a parade of decorated boats along the canal and music until late at night.")
    b = make("c2", "Stay safe. Heavy snow closed the mountain pass for the second time this week, leaving dozens of lorries stranded near the border post.")
    assert find_duplicates([a, b]) == DedupResult()


# --------------------------------------------------------------------------- text primitives


def test_tokenize_ignores_case_quote_style_and_punctuation():
    assert tokenize("Please DON’T give them—this “chance”.") == ["please", "dont", "give", "them", "this", "chance"]
    assert tokenize("Ki-Moon's ﬁrst Ａbc") == ["ki", "moons", "first", "abc"]


def test_sentence_spans():
    text = 'He met Dr. Smith in the U.S. capital. "We will stay," she said.\n\nNew paragraph here\nSecond line? Yes.\n“The Secretary-General is conveying his concern to the\nrelevant parties.”'
    sentences = [text[a:b] for a, b in sentence_spans(text)]
    assert sentences == [
        "He met Dr. Smith in the U.S. capital.",
        '"We will stay," she said.',
        "New paragraph here",
        "Second line?",
        "Yes.",
        "“The Secretary-General is conveying his concern to the\nrelevant parties.”",
    ]


# --------------------------------------------------------------------------- streaming index


def test_streaming_index_add_query_and_idempotence():
    index = NearDuplicateIndex()
    first = make("s-wire", WIRE, published="2024-07-04")
    assert index.add(first) == DedupResult()
    copy = make("s-copy", EDITED, published="2024-07-05")
    queried = index.query(copy)
    assert [(l.copy, l.original, l.kind) for l in queried.links] == [("s-copy", "s-wire", "near")]
    assert "s-copy" not in index and len(index) == 1  # query does not index
    assert index.add(copy).links == queried.links
    assert index.add(copy) == DedupResult()  # same id again: nothing new
    assert len(index) == 2


def test_streaming_index_links_an_earlier_article_arriving_later_as_the_original():
    index = NearDuplicateIndex()
    index.add(make("late", WIRE, published="2024-07-06"))
    links = index.add(make("early", WIRE, published="2024-07-01")).links
    assert [(l.copy, l.original, l.kind) for l in links] == [("late", "early", "exact")]


def test_streaming_index_loads_evicted_articles_through_the_loader(seeds):
    by_id = {a.id: a for a in seeds.values()}
    calls: list[list[str]] = []

    def loader(ids: list[str]):
        calls.append(list(ids))
        return [by_id[i] for i in ids]

    index = NearDuplicateIndex(DedupSettings(feature_cache=1), loader=loader)
    passages = []
    for article in sorted(seeds.values(), key=order_key):
        passages += index.add(article).passages
    assert calls, "with a cache of one article the loader must have been used"
    expected = find_duplicates(seeds.values()).passages
    key = lambda p: (p.article_a, p.article_b, p.start_a, p.start_b)  # noqa: E731
    assert sorted(passages, key=key) == sorted(expected, key=key)


def wire_event(n: int = 8, seed: int = 5) -> list[Article]:
    """One event's articles re-using the sentences of a wire story: subsets, reordered paragraphs,
    lightly edited sentences and quotes inside other wording, plus each outlet's own lines."""
    rng = random.Random(seed)
    words = [f"v{i}" for i in range(400)] + "the of and to a in that is for it said".split()

    def sentence() -> str:
        return " ".join(rng.choices(words, k=rng.randint(8, 20))).capitalize() + "."

    wire = [sentence() for _ in range(14)]
    articles = []
    for i in range(n):
        lines = rng.sample(wire, rng.randint(5, 12))
        if rng.random() < 0.5:
            lines[0] = lines[0].replace("v1", "edited", 1)
        quote = rng.choice(wire).rstrip(".")
        lines.insert(rng.randrange(len(lines)), f'An official {sentence().lower().rstrip(".")}: "{quote}," he added.')
        paragraphs = [" ".join(lines[k : k + 3]) for k in range(0, len(lines), 3)]
        paragraphs.insert(0, sentence())  # the outlet's own intro
        articles.append(make(f"w{i}", "\n\n".join(paragraphs), published=f"2024-05-0{1 + i % 9}T10:0{i % 10}:00Z"))
    return articles


def test_sentence_alignment_memo_does_not_change_results(monkeypatch, seeds):
    """Sentence pairs are aligned once per index and reused across article pairs; a memo
    emptied at every insertion (limit 1) must give exactly the same links and passages."""
    event = wire_event()
    expected = find_duplicates(event)
    expected_seeds = find_duplicates(seeds.values())
    assert len(expected.passages) > 20  # the event really shares many sentences
    monkeypatch.setattr(dedup, "_ALIGN_CACHE", 1)
    assert find_duplicates(event) == expected
    assert find_duplicates(seeds.values()) == expected_seeds


# --------------------------------------------------------------------------- cost


def synthetic_corpus(n: int, seed: int = 3) -> tuple[list[Article], list[tuple[str, str]], list[tuple[str, str]]]:
    """Zipfian text (real function words, synthetic content words) with planted near copies
    and planted quotes."""
    rng = random.Random(seed)
    vocab = "the of and to a in that is for it as was with on he said by at from his".split()
    vocab += [f"w{i}" for i in range(20000)]
    cum, total = [], 0.0
    for rank in range(len(vocab)):
        total += 1.0 / (rank + 1)
        cum.append(total)

    def sentence() -> str:
        return " ".join(rng.choices(vocab, cum_weights=cum, k=rng.randint(8, 24))).capitalize() + "."

    articles: list[Article] = []
    near: list[tuple[str, str]] = []
    quoted: list[tuple[str, str]] = []
    for i in range(n):
        aid = f"g{i:05d}"
        if articles and i % 20 == 0:
            source = articles[rng.randrange(len(articles))]
            paragraphs = source.text.split("\n\n")
            paragraphs[rng.randrange(len(paragraphs))] = sentence()
            text = "Header " + sentence() + "\n\n" + "\n\n".join(paragraphs)
            near.append((aid, source.id))
        else:
            paragraphs = [" ".join(sentence() for _ in range(rng.randint(1, 3))) for _ in range(rng.randint(6, 12))]
            if articles and i % 20 == 10:
                source = articles[rng.randrange(len(articles))]
                line = max(source.text.split("\n\n"), key=len).split(". ")[0].rstrip(".")
                paragraphs.insert(3, f'Officials said: "{line}."')
                quoted.append((aid, source.id))
            text = "\n\n".join(paragraphs)
        articles.append(make(aid, text))
    return articles, near, quoted


def test_cost_is_linear_not_quadratic_and_planted_copies_are_found():
    articles, near, quoted = synthetic_corpus(800)
    index = NearDuplicateIndex()
    result = DedupResult()
    for article in articles:
        found = index.add(article)
        result.links += found.links
        result.passages += found.passages
    linked = {frozenset((l.copy, l.original)) for l in result.links if l.kind == "near"}
    assert sum(frozenset(pair) in linked for pair in near) >= 0.9 * len(near)
    shared = {frozenset((p.article_a, p.article_b)) for p in result.passages}
    assert sum(frozenset(pair) in shared for pair in quoted) >= 0.9 * len(quoted)
    # candidates come from LSH / the fingerprint index: a few per article, not n^2 / 2 = 320,000
    assert index.stats["pairs_aligned"] < 5 * len(articles)
    assert index.stats["near_candidates"] < 2 * len(articles)


def test_incremental_dedup_over_the_store_matches_the_batch_result(seeds, tmp_path):
    from newsprism.store import Store

    with Store(tmp_path / "dedup.sqlite") as store:
        store.add_articles(seeds.values())
        index = NearDuplicateIndex(DedupSettings(feature_cache=2), loader=lambda ids: store.iter_articles(ids))
        for article in store.iter_articles():  # ingest order, not publication order
            with store.transaction():
                store.save_dedup(index.add(article))
        assert store.dedup_result() == find_duplicates(seeds.values())
