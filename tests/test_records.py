"""records.to_dict / from_dict: the compiled converters give exactly what dataclasses.asdict and the
table-driven from_dict they replace gave."""

from __future__ import annotations

import dataclasses
import datetime
import enum
import json
from collections import namedtuple
from dataclasses import dataclass, field
from typing import Any

import pytest

from newsprism import records
from newsprism.records import (
    Article,
    ArticleAnalysis,
    ArticleVerdict,
    Attribution,
    Brief,
    BriefSentence,
    Citation,
    Conflict,
    DedupResult,
    DuplicateLink,
    Event,
    EventVerification,
    FigureVariant,
    InputProblem,
    Origin,
    Quantity,
    Quote,
    SentenceInfo,
    SentenceRef,
    SentenceVerdict,
    SharedPassage,
    from_dict,
    to_dict,
)

ANALYSIS = ArticleAnalysis(
    article_id="a1",
    sentences=[
        SentenceInfo(
            index=0,
            text="Nearly 200 civilians were trapped, a spokesman said.",
            start=0,
            end=52,
            lemmas=["civilian", "trap", "spokesman"],
            entities=[("200", "CARDINAL")],
            quantities=[Quantity("nearly 200", 200.0, "civilian", "nearly", 180.0, 200.0, 0, 10, "count")],
            dates=["Monday"],
            attribution=Attribution("a spokesman", "said", "say", anonymous=True),
            loaded_terms=["trapped"],
            subjectivity=0.25,
        ),
        SentenceInfo(index=1, text="The road is closed.", start=53, end=72, paragraph=1),
    ],
    title_lemmas=["siege"],
    entities=[("Anna Weber", "PERSON"), ("Monday", "DATE")],
    model="en_core_web_sm@3.7.1",
)
REF = SentenceRef("a1", 0)
VERIFICATION = EventVerification(
    event_id="e1",
    articles=[
        ArticleVerdict(
            article_id="a1",
            suspicion=0.4,
            sentences=[
                SentenceVerdict(
                    0, "conflicting", 0.5, support=[REF], conflicts_with=[SentenceRef("a2", 3)],
                    reasons=["figure disputed"], components={"conflict": 0.5, "loaded": 0.0},
                )
            ],
            reasons=["disputed figure"],
            drivers=[0],
            features={"conflict_share": 0.5},
        )
    ],
    conflicts=[
        Conflict(
            "civilians trapped",
            "civilian",
            (
                FigureVariant("nearly 200", "200 civilian (~)", ("a1",), ("Outlet A",), ("a spokesman",), (REF,)),
                FigureVariant("80", "80 civilian", ("a2",), ("Outlet B",), (), (SentenceRef("a2", 3),)),
            ),
        )
    ],
)
BRIEF = Brief(
    event_id="e1",
    summary=[BriefSentence("Civilians were trapped.", [Citation("a1", "Outlet A", 0)], "2024-05-01")],
    brief=[BriefSentence("The road is closed.", attribution="police said")],
    key_facts=[{"fact": "200 trapped", "articles": ["a1"], "span": [1, 2]}],
    quotes=[Quote("Anna Weber", "surgeon", "We have 300 beds", ["Outlet A"], ["a1"], ["We have 30 beds"])],
    coverage={"outlets": 2, "by_outlet": {"Outlet A": ["a1"]}, "nothing": None},
    standing_apart=[{"article": "a2", "why": ["only report of 80"]}],
    conflicts=[{"topic": "civilians trapped", "variants": [{"value": "nearly 200"}]}],
)
ARTICLE = Article("a1", "Siege", "Nearly 200 civilians...", Origin("in.jsonl", 3), source="Outlet A", removed=["Ad"])
DEDUP = DedupResult(
    links=[DuplicateLink("a2", "a1", "near", 0.9)],
    passages=[SharedPassage("a1", "a2", "The road is closed.", 53, 72, 10, 29, 1.0)],
)
RECORDS = [
    ANALYSIS,
    VERIFICATION,
    BRIEF,
    ARTICLE,
    DEDUP,
    Event("e1", ["a1", "a2"], "Siege"),
    InputProblem("in.jsonl", "malformed", "bad JSON", line=4),
]


def _same(a: Any, b: Any) -> None:
    """Equal, with the same types all the way down (== alone takes a tuple for a list in dicts)."""
    assert type(a) is type(b), (a, b)
    if isinstance(a, dict):
        assert list(a) == list(b)
        for k in a:
            _same(a[k], b[k])
    elif isinstance(a, (list, tuple)):
        assert len(a) == len(b)
        for x, y in zip(a, b):
            _same(x, y)
    else:
        assert a == b


@pytest.mark.parametrize("record", RECORDS, ids=lambda r: type(r).__name__)
def test_to_dict_is_asdict(record):
    _same(to_dict(record), dataclasses.asdict(record))


@pytest.mark.parametrize("record", RECORDS, ids=lambda r: type(r).__name__)
def test_round_trips_directly_and_through_json(record):
    data = to_dict(record)
    assert from_dict(type(record), data) == record
    back = from_dict(type(record), json.loads(json.dumps(data)))
    assert back == record
    _same(to_dict(back), data)  # tuples restored where they were tuples, lists where lists


def test_to_dict_copies_containers():
    data = to_dict(ANALYSIS)
    data["sentences"][0]["lemmas"].append("x")
    data["entities"].clear()
    assert ANALYSIS.sentences[0].lemmas == ["civilian", "trap", "spokesman"] and ANALYSIS.entities
    info = to_dict(VERIFICATION)["articles"][0]["sentences"][0]
    info["components"]["conflict"] = 1.0
    assert VERIFICATION.articles[0].sentences[0].components["conflict"] == 0.5


class Colour(enum.Enum):
    RED = "red"


Pair = namedtuple("Pair", "left right")


class Tags(list):
    pass


@dataclass
class Odd:
    """Values records do not hold today, converted the way asdict converts them."""

    when: datetime.date
    colour: Colour
    pair: Pair
    tags: Tags
    nested: dict[str, Any] = field(default_factory=dict)
    items: tuple[Any, ...] = ()


def test_unusual_values_as_asdict():
    odd = Odd(
        datetime.date(2024, 5, 1),
        Colour.RED,
        Pair(REF, [1]),
        Tags(["x"]),
        {"ref": REF, "list": [REF, (1, [2])], 3: frozenset({1})},
        (REF, "a", None),
    )
    data, expected = to_dict(odd), dataclasses.asdict(odd)
    _same(data, expected)
    assert data["nested"]["list"][1][1] is not odd.nested["list"][1][1]  # deep: fresh inner list
    assert data["when"] == odd.when and data["colour"] is Colour.RED


def test_to_dict_needs_a_record_instance():
    for value in ({"a": 1}, [REF], SentenceRef):
        with pytest.raises(TypeError):
            to_dict(value)


def test_from_dict_ignores_unknown_keys_and_defaults_missing_ones():
    data = to_dict(ANALYSIS)
    data["extra"] = 1
    del data["model"]
    data["sentences"][1] = {"index": 1, "text": "The road is closed.", "start": 53, "end": 72, "paragraph": 1}
    back = from_dict(ArticleAnalysis, data)
    assert back.model == "" and back.sentences == ANALYSIS.sentences
    assert from_dict(Quantity, {"text": "5 km", "value": 5.0, "unit": "km", "spare": 0}) == Quantity("5 km", 5.0, "km")
    with pytest.raises(TypeError):
        from_dict(SentenceRef, {"article": "a1"})


def test_nested_records_come_from_the_type_hints():
    """The nested-record table from_dict used to keep by hand, now read from the hints."""
    expected = {
        ("Article", "origin"): Origin,
        ("DedupResult", "links"): DuplicateLink,
        ("DedupResult", "passages"): SharedPassage,
        ("SentenceInfo", "quantities"): Quantity,
        ("SentenceInfo", "attribution"): Attribution,
        ("ArticleAnalysis", "sentences"): SentenceInfo,
        ("FigureVariant", "sentences"): SentenceRef,
        ("Conflict", "variants"): FigureVariant,
        ("SentenceVerdict", "support"): SentenceRef,
        ("SentenceVerdict", "conflicts_with"): SentenceRef,
        ("ArticleVerdict", "sentences"): SentenceVerdict,
        ("EventVerification", "articles"): ArticleVerdict,
        ("EventVerification", "conflicts"): Conflict,
        ("BriefSentence", "citations"): Citation,
        ("Brief", "summary"): BriefSentence,
        ("Brief", "brief"): BriefSentence,
        ("Brief", "timeline"): BriefSentence,
        ("Brief", "brief_short"): BriefSentence,
        ("Brief", "quotes"): Quote,
    }
    found = {}
    for cls in vars(records).values():
        if isinstance(cls, type) and dataclasses.is_dataclass(cls) and cls.__module__ == records.__name__:
            for name, (nested, _) in records._loader(cls).fields.items():
                if nested is not None:
                    found[cls.__name__, name] = nested
    assert found == expected
