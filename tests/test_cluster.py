"""Event clustering: the seeds form one event, the demo events come out whole and separate, two
earthquakes of the same kind stay apart while differently worded reports of one quake stay
together, two strikes worded alike in different towns stay apart (the entity check), the
candidate generation grows linearly, and incremental assignment is stable."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import random
from pathlib import Path

import pytest

from newsprism.cluster import (
    ClusterSettings,
    candidate_pairs,
    cluster_articles,
    cluster_features,
    linkage_value,
)
from newsprism.features import ArticleFeatures, entity_keys, extract_features, parse_date
from newsprism.ids import article_id, event_id
from newsprism.incremental import IncrementalClusterer
from newsprism.records import Article, ArticleAnalysis, Origin, SentenceInfo

# --------------------------------------------------------------------------- fictional fixtures
# Two different earthquakes of the same kind (different places, dates, figures), each told by
# three outlets in their own words, and a court verdict as an unrelated third event.

QUAKE_A = "quake-kessvale"
QUAKE_B = "quake-port-meridale"
VERDICT = "verdict-halloran"

FIXTURE = [
    (QUAKE_A, "Orrin Valley Times", "2025-03-03",
     "Magnitude 6.4 earthquake kills 27 in Kessvale",
     "A magnitude 6.4 earthquake struck the mountain town of Kessvale in Tarvania's Orrin "
     "highlands early on Monday, killing at least 27 people and injuring more than 300, the "
     "Tarvanian civil protection agency said.\n"
     "The quake hit at 4:12 a.m. at a depth of 10 km, about 8 km north of Kessvale, according "
     "to the Tarvanian Seismological Institute. Old stone houses in the town centre collapsed "
     "and the Kessvale bridge over the Orrin river was closed.\n"
     "Rescue teams from Daventhal worked through the morning to free residents trapped under "
     "rubble. Mayor Liesel Brandauer said 1,800 people had spent the night outdoors as "
     "aftershocks continued."),
    (QUAKE_A, "Tarvania Herald", "2025-03-03",
     "Kessvale counts its dead after dawn tremor flattens old town",
     "Residents of Kessvale dug through collapsed stone houses with their hands on Monday after "
     "a powerful tremor shook the Orrin highlands before dawn. Twenty-seven people are confirmed "
     "dead, civil protection officials in Tarvania said, and over 300 were hurt.\n"
     "Mayor Liesel Brandauer told the Herald that about 1,800 residents slept in the open. "
     "\"The old town is gone,\" she said. The seismological institute measured the shock at "
     "6.4, centred a few kilometres north of the town.\n"
     "Teams from Daventhal and the army were searching the rubble; the bridge on the Orrin "
     "river stayed shut."),
    (QUAKE_A, "Highland Wire", "2025-03-04",
     "Aftershocks rattle Kessvale as Tarvania mourns quake victims",
     "Strong aftershocks shook Kessvale on Tuesday, a day after the 6.4-magnitude quake that "
     "killed 27 people in the Orrin highlands of Tarvania. Brandauer, the town's mayor, asked "
     "for tents and blankets for the 1,800 people without shelter.\n"
     "Rescuers from Daventhal pulled two survivors from the ruins of the old town overnight, "
     "the civil protection agency said. Engineers were inspecting the closed Orrin bridge."),
    (QUAKE_B, "Sulvan Coast Daily", "2025-08-19",
     "Earthquake of magnitude 5.8 jolts Port Meridale, nine dead",
     "A magnitude 5.8 earthquake shook the coastal city of Port Meridale in Sulvan province on "
     "Tuesday evening, killing nine people and damaging the harbour, the Sulvan emergency "
     "office said.\n"
     "The quake's epicentre was under the sea 15 km west of Port Meridale, at a depth of 22 km, "
     "according to the Marenne Geophysical Observatory. A warehouse and two apartment blocks "
     "on Quayside Road collapsed, and the ferry to Orsk Island was suspended.\n"
     "Governor Amadou Selwyn said about 600 people had been moved to a sports hall. Rescue "
     "teams searched the rubble of the apartment blocks through the night."),
    (QUAKE_B, "Marenne Post", "2025-08-20",
     "Port Meridale clears rubble after harbour quake",
     "Crews in Port Meridale cleared debris from Quayside Road on Wednesday after Tuesday's "
     "offshore quake, which the Marenne Geophysical Observatory put at 5.8. Nine people died, "
     "most of them in two apartment blocks that fell, Sulvan officials said.\n"
     "Governor Amadou Selwyn visited the harbour, where a warehouse was destroyed, and said the "
     "ferry to Orsk Island would resume on Friday. Around 600 residents spent the night in a "
     "sports hall."),
    (QUAKE_B, "Coastal Radio News", "2025-08-19",
     "Nine killed as undersea tremor hits Sulvan port city",
     "An undersea tremor west of Port Meridale killed nine people on Tuesday, Sulvan's emergency "
     "office said. The 5.8 shock toppled two apartment blocks and a harbour warehouse on "
     "Quayside Road.\n"
     "Selwyn, the provincial governor, said 600 people were sheltering in a sports hall. Ferry "
     "crossings to Orsk Island were halted while engineers checked the quays."),
    (VERDICT, "Capital Ledger", "2025-05-14",
     "Former minister Halloran found guilty of taking bribes",
     "A court in Velden on Wednesday found former transport minister Oskar Halloran guilty of "
     "taking bribes worth 2.3 million crowns from a road-building firm, Trask Construction.\n"
     "Judge Maren Ostby said Halloran had steered three motorway contracts to the firm between "
     "2019 and 2021. He was sentenced to six years in prison and will appeal, his lawyer said."),
    (VERDICT, "Velden Evening News", "2025-05-14",
     "Halloran gets six years for motorway bribes",
     "Oskar Halloran, once Velden's transport minister, was sentenced to six years on Wednesday "
     "after Judge Maren Ostby ruled he took 2.3 million crowns from Trask Construction in "
     "exchange for motorway contracts. His lawyer said he would appeal the verdict."),
]


# Two strikes of the same kind in different towns, told partly in the same wire-template wording
# (as agencies and outlets copying them do) but with their own towns, unions, companies and
# officials; each is also told once in an outlet's own words. A reader never merges them.

STRIKE_A = "strike-harwick"
STRIKE_B = "strike-castmoor"
_STRIKE_BACKGROUND = (
    "\nThe government has been under pressure over rising living costs since the start of the "
    "year, and inflation has eroded wages in the transport sector for three years, according "
    "to independent economists. Talks between the two sides broke down last week after "
    "eleven hours."
)

_STRIKES = [
    (STRIKE_A, "Harwick Courier", "2025-10-07",
     "Rail strike halts trains across Harwick in pay dispute",
     "HARWICK - Thousands of rail workers in Harwick walked out on Tuesday in a dispute over pay, "
     "halting every train run by Northline Rail, the Federation of Rail Workers said.\n"
     "Picket lines formed around dawn outside the depots. Management's latest offer is 4 percent; "
     "the union wants 12 percent to make up for inflation.\n"
     "\"Our members do not want to be on strike, but they have been left with no choice,\" union "
     "leader Margit Olsen told reporters. Transport Minister Pavel Lindqvist said the door to talks "
     "remained open.\n"
     "Commuters were advised to work from home. Business groups said they were watching "
     "developments closely, and analysts said the coming days would be decisive."),
    (STRIKE_A, "Fjordland Radio", "2025-10-07",
     "Northline Rail stands still as Harwick workers reject 4 percent",
     "No Northline Rail trains left Harwick station on Tuesday. Staff stayed away after rejecting "
     "a 4 percent pay rise, and Margit Olsen of the Federation of Rail Workers said they would "
     "hold out for 12.\n"
     "Olsen, speaking outside the main depot, said her members had been pushed too far. Pavel "
     "Lindqvist, the transport minister, urged both sides back to the table.\n"
     "Harwick commuters queued for buses or stayed home, and several schools in the city closed "
     "early."),
    (STRIKE_B, "Castmoor Evening Post", "2025-10-09",
     "Bus strike halts services across Castmoor in pay dispute",
     "CASTMOOR - Thousands of bus drivers in Castmoor walked out on Thursday in a dispute over pay, "
     "halting every bus run by Tregarth Coaches, the Union of Transport Staff said.\n"
     "Picket lines formed around dawn outside the depots. Management's latest offer is 5 percent; "
     "the union wants 11 percent to make up for inflation.\n"
     "\"Our members do not want to be on strike, but they have been left with no choice,\" union "
     "leader Desmond Achebe told reporters. Labour Minister Ilse Varga said the door to talks "
     "remained open.\n"
     "Commuters were advised to work from home. Business groups said they were watching "
     "developments closely, and analysts said the coming days would be decisive."),
    (STRIKE_B, "Southern Mercury", "2025-10-10",
     "Castmoor drivers stay out as Tregarth Coaches talks stall",
     "Bus drivers in Castmoor were on strike for a second day on Friday, with no Tregarth Coaches "
     "service running, after Desmond Achebe of the Union of Transport Staff turned down a 5 "
     "percent offer as too little to make up for inflation.\n"
     "Achebe said picket lines outside the depots would stay until the company improved its offer. "
     "Ilse Varga, the labour minister, said she was ready to bring both sides together.\n"
     "Commuters in Castmoor walked or cycled to work, and business groups said they were watching "
     "developments closely."),
]
_STRIKES += [
    (STRIKE_A, "Meridian Wire", "2025-10-08",
     "Pay strike enters second day with no end in sight",
     "HARWICK, 8 October (Meridian Wire) - The rail strike in Harwick entered its second day on "
     "Wednesday with no talks planned, the Federation of Rail Workers said, and Northline Rail "
     "cancelled all services again.\n"
     "\"Our members do not want to be on strike, but they have been left with no choice,\" union "
     "leader Margit Olsen said. The door to talks remains open, Transport Minister Pavel "
     "Lindqvist said in a statement.\n"
     "The strike is costing the economy millions a day, the chamber of commerce said. Business "
     "groups said they were watching developments closely, and analysts said the coming days "
     "would be decisive."),
    (STRIKE_B, "Meridian Wire", "2025-10-10",
     "Pay strike enters second day with no end in sight",
     "CASTMOOR, 10 October (Meridian Wire) - The bus strike in Castmoor entered its second day on "
     "Friday with no talks planned, the Union of Transport Staff said, and Tregarth Coaches "
     "cancelled all services again.\n"
     "\"Our members do not want to be on strike, but they have been left with no choice,\" union "
     "leader Desmond Achebe said. The door to talks remains open, Labour Minister Ilse Varga "
     "said in a statement.\n"
     "The strike is costing the economy millions a day, the chamber of commerce said. Business "
     "groups said they were watching developments closely, and analysts said the coming days "
     "would be decisive."),
]
STRIKES = [(e, s, p, t, x + _STRIKE_BACKGROUND) for e, s, p, t, x in _STRIKES]


def _article(event: str, source: str, published: str | None, title: str, text: str, n: int) -> Article:
    return Article(
        id=article_id(title, text, source),
        title=title,
        text=text,
        origin=Origin("fixture.jsonl", line=n),
        source=source,
        published=published,
        event_hint=event,
    )


@pytest.fixture(scope="module")
def quake_articles() -> list[Article]:
    return [_article(*row, n) for n, row in enumerate(FIXTURE, 1)]


@pytest.fixture(scope="module")
def quake_features(quake_articles, nlp) -> list[ArticleFeatures]:
    return extract_features(quake_articles)


def _groups(events) -> set[frozenset[str]]:
    return {frozenset(e.article_ids) for e in events}


def _gold_groups(articles) -> set[frozenset[str]]:
    by: dict[str, set[str]] = {}
    for a in articles:
        by.setdefault(a.event_hint, set()).add(a.id)
    return {frozenset(v) for v in by.values()}


# --------------------------------------------------------------------------- features


def test_entity_keys_normalise_names_and_dates():
    assert entity_keys("Lindsay Lohan's", "PERSON") == ["lindsay lohan", "lohan"]
    assert entity_keys("the Orrin highlands", "LOC") == ["orrin highlands"]
    assert entity_keys("December 16, 2008", "DATE") == ["year:2008", "month:dec 2008"]
    assert entity_keys("Friday", "DATE") == []


def test_parse_date_reads_iso_and_datelines():
    assert parse_date("2025-03-03T04:12:00+01:00") == dt.date(2025, 3, 3)
    assert parse_date("Published: April 10, 2007 - 7: 07AM") == dt.date(2007, 4, 10)
    assert parse_date("Mumbai, Nov 11 -") is None
    assert parse_date(None) is None


@pytest.mark.slow
def test_features_weight_title_lead_and_entities(quake_features):
    first = quake_features[0]
    assert first.title == "Magnitude 6.4 earthquake kills 27 in Kessvale"
    assert first.date == dt.date(2025, 3, 3)
    assert first.terms["title"]["earthquake"] == 1
    assert "kessvale" in first.entities["title"]
    assert first.entities["lead"].get("tarvania", 0) >= 1 or first.entities["lead"].get("kessvale", 0) >= 1
    assert "brandauer" in first.entities["body"]  # last name of a PERSON is a key of its own
    assert "liesel" not in first.entities["body"]  # but not the first name
    # the lead holds only the beginning
    assert "daventhal" not in first.entities.get("lead", {})


def test_features_from_analysis_match_the_spacy_path(quake_articles, quake_features):
    """An article with a linguistics analysis is represented from it, without a model run."""
    article = quake_articles[6]
    text = article.text
    first_end = text.index(".") + 1
    analysis = ArticleAnalysis(
        article_id=article.id,
        title_lemmas=["minister", "halloran", "find", "guilty", "bribe"],
        sentences=[
            SentenceInfo(index=0, text=text[:first_end], start=0, end=first_end,
                         lemmas=["court", "velden", "find", "minister", "halloran", "guilty", "bribe"],
                         entities=[("Velden", "GPE"), ("Oskar Halloran", "PERSON"), ("Wednesday", "DATE")]),
            SentenceInfo(index=1, text="x", start=900, end=901, lemmas=["appeal"],
                         entities=[("Maren Ostby", "PERSON")]),
        ],
        entities=[("Halloran", "PERSON"), ("Velden", "GPE")],
    )
    (features,) = extract_features([article], {article.id: analysis}, nlp=_NoModel())
    assert features.terms["title"]["halloran"] == 1
    assert features.terms["lead"]["court"] == 1 and "appeal" not in features.terms["lead"]
    assert features.terms["body"]["appeal"] == 1
    assert features.entities["body"]["ostby"] == 1
    assert features.entities["title"]["halloran"] == 1
    assert features.date == dt.date(2025, 5, 14)


class _NoModel:
    def pipe(self, *args, **kwargs):  # pragma: no cover - failing is the point
        raise AssertionError("the spaCy model must not run for analysed articles")


# --------------------------------------------------------------------------- batch clustering


@pytest.mark.slow
def test_two_earthquakes_stay_apart_and_each_stays_whole(quake_articles, quake_features):
    events = cluster_articles(quake_articles, features=quake_features)
    assert _groups(events) == _gold_groups(quake_articles)
    by_members = {frozenset(e.article_ids): e for e in events}
    kessvale = by_members[frozenset(a.id for a in quake_articles if a.event_hint == QUAKE_A)]
    assert kessvale.id == event_id(kessvale.article_ids)
    assert kessvale.article_ids == sorted(kessvale.article_ids)
    assert "Kessvale" in kessvale.title


@pytest.mark.slow
def test_two_earthquakes_separate_without_dates_or_outlets(quake_articles):
    """Content alone tells them apart: no source, url or date to lean on."""
    blank = [dataclasses.replace(a, source=None, url=None, published=None) for a in quake_articles]
    events = cluster_articles(blank)
    assert _groups(events) == _gold_groups(blank)


@pytest.mark.slow
def test_clustering_is_deterministic_and_order_free(quake_articles, quake_features):
    forward = cluster_articles(quake_articles, features=quake_features)
    backward = cluster_articles(quake_articles[::-1], features=quake_features[::-1])
    assert [(e.id, e.article_ids, e.title) for e in forward] == [(e.id, e.article_ids, e.title) for e in backward]


@pytest.mark.slow
def test_threshold_is_a_setting_that_changes_the_result(quake_articles, quake_features):
    strict = cluster_articles(quake_articles, features=quake_features, settings=ClusterSettings(threshold=0.95))
    assert len(strict) == len(quake_articles)  # nothing is that similar: all singletons
    # (the entity check off: it keeps the quakes apart even at a threshold this low)
    loose = cluster_articles(
        quake_articles, features=quake_features,
        settings=ClusterSettings(threshold=0.01, window_days=None, entity_support=0.0),
    )
    kind = {a.id: a.event_hint for a in quake_articles}
    assert any({kind[x] for x in e.article_ids} == {QUAKE_A, QUAKE_B} for e in loose)  # the quakes run together
    checked = cluster_articles(
        quake_articles, features=quake_features, settings=ClusterSettings(threshold=0.01, window_days=None)
    )
    assert _groups(checked) == _gold_groups(quake_articles)  # no shared names, no link


@pytest.mark.slow
def test_time_window_keeps_articles_far_apart_in_time_separate(quake_articles, quake_features):
    # the same Kessvale report published again a year later is not linked to the first
    a = quake_features[0]
    late = dataclasses.replace(a, article_id="f" * 16, date=a.date + dt.timedelta(days=365))
    events = cluster_features([a, late], ClusterSettings())
    assert len(events) == 2
    events = cluster_features([a, late], ClusterSettings(window_days=None))
    assert len(events) == 1



@pytest.fixture(scope="module")
def strike_articles() -> list[Article]:
    return [_article(*row, n) for n, row in enumerate(STRIKES, 1)]


@pytest.fixture(scope="module")
def strike_features(strike_articles, nlp) -> list[ArticleFeatures]:
    return extract_features(strike_articles)


@pytest.mark.slow
def test_same_kind_events_in_different_towns_stay_apart(strike_articles, strike_features):
    """Two strikes two days apart, worded alike, with different towns and people: two events,
    each whole (its differently worded report included)."""
    events = cluster_articles(strike_articles, features=strike_features)
    assert _groups(events) == _gold_groups(strike_articles)
    titles = {e.title for e in events}
    assert any("Harwick" in t for t in titles) and any("Castmoor" in t for t in titles)
    # it is the entity check that keeps them apart: wording alone runs them together
    unchecked = cluster_articles(strike_articles, features=strike_features,
                                 settings=ClusterSettings(entity_support=0.0))
    assert len(unchecked) == 1
    # and content alone does it, without dates or outlets
    blank = [dataclasses.replace(a, source=None, url=None, published=None) for a in strike_articles]
    assert _groups(cluster_articles(blank)) == _gold_groups(strike_articles)


@pytest.mark.slow
def test_same_kind_events_stay_apart_incrementally(strike_articles, strike_features):
    clusterer = IncrementalClusterer()
    for f in strike_features:  # one article at a time, in publication order of the fixture
        clusterer.add_features([f])
    assert clusterer.merge_all() == []
    assert _groups(clusterer.events()) == _gold_groups(strike_articles)
    restored = IncrementalClusterer.from_state(json.loads(json.dumps(clusterer.state_dict())))
    assert restored.merge_candidates(events=[e.id for e in restored.events()]) == []


def test_linkage_value_caps_wording_by_shared_names():
    settings = ClusterSettings()  # entity_weight 0.5
    w = settings.entity_weight
    lemma, ent = 0.8, 0.1  # worded alike, hardly a name in common
    dot, edot = (1 - w) * lemma + w * ent, w * ent
    capped = linkage_value(settings, dot, edot, 1, 1, 1, 1)
    assert capped == pytest.approx((1 - w) * ent / settings.entity_support + w * ent)
    assert capped < settings.threshold < dot
    # no check: the plain average
    assert linkage_value(ClusterSettings(entity_support=0.0), dot, edot, 1, 1, 1, 1) == pytest.approx(dot)
    # names shared as much as the wording: no change
    dot2, edot2 = (1 - w) * 0.6 + w * 0.6, w * 0.6
    assert linkage_value(settings, dot2, edot2, 1, 1, 1, 1) == pytest.approx(dot2)
    # an article naming no entity is compared on its lemmas as before
    assert linkage_value(settings, 0.4, 0.0, 1, 1, 0, 1) == pytest.approx(0.4)
    # clusters: the cap applies in proportion to the member pairs that both name entities
    # (a cluster of the article above and one naming nothing, against a third article)
    dot3, edot3 = dot + 0.3, edot  # the second member shares only wording (0.3) with the third
    mixed = linkage_value(settings, dot3, edot3, 2, 1, 1, 1)
    assert linkage_value(settings, dot3, edot3, 2, 1, 2, 1) < mixed < dot3 / 2


def _templated(n_events: int, per_event: int = 4) -> list[ArticleFeatures]:
    """Events of one kind told in one template (thirty words, most of them in every article),
    each with its own town, official and company, all within a fortnight."""
    feats = []
    template = [f"template{i}" for i in range(30)]
    for e in range(n_events):
        for k in range(per_event):
            words = {t: 1 for i, t in enumerate(template) if (i + k) % 6}
            names = {f"town{e}": 2, f"official{e}": 1, f"company{e}": 1}
            feats.append(ArticleFeatures(
                article_id=f"{e:08x}{k:08x}",
                title=f"Strike in town {e}",
                date=dt.date(2025, 3, 1) + dt.timedelta(days=e % 14),
                terms={"body": {**words, f"town{e}": 1}},
                entities={"title": {f"town{e}": 1}, "body": names},
            ))
    return feats


def test_templated_events_of_one_kind_come_out_separate():
    feats = _templated(40)
    expected = {frozenset(f"{e:08x}{k:08x}" for k in range(4)) for e in range(40)}
    assert _groups(cluster_features(feats, ClusterSettings())) == expected
    assert len(cluster_features(feats, ClusterSettings(entity_support=0.0))) < 10  # the template merges them
    clusterer = IncrementalClusterer()
    for k in range(0, len(feats), 32):
        clusterer.add_features(feats[k : k + 32])
    clusterer.merge_all()
    assert _groups(clusterer.events()) == expected
    # a state saved before the entity check existed still loads, and keeps its events
    state = json.loads(json.dumps(clusterer.state_dict()))
    del state["settings"]["entity_support"]
    restored = IncrementalClusterer.from_state(state)
    assert restored.settings.entity_support == ClusterSettings().entity_support
    assert _groups(restored.events()) == expected
    assert restored.merge_candidates(events=[e.id for e in restored.events()]) == []


def _read_clean(paths):
    from newsprism.clean import clean_articles
    from newsprism.readers import read_inputs

    return clean_articles([a for a in read_inputs([str(p) for p in paths]) if isinstance(a, Article)])


@pytest.mark.slow
def test_seeds_form_one_event(seeds_dir):
    articles = _read_clean([seeds_dir])
    assert len(articles) == 5
    events = cluster_articles(articles)
    assert len(events) == 1
    assert sorted(events[0].article_ids) == sorted(a.id for a in articles)
    assert "Aleppo" in events[0].title


def _demo_event(article: Article) -> str:
    """Every demo article id (or file name) starts with its event's place: varrow/avelin/drennan."""
    key = article.external_id or Path(article.origin.path).stem
    return key.split("-")[0]


@pytest.mark.slow
def test_seeds_and_demo_corpus_each_event_whole_and_separate(seeds_dir, demo_corpus_dir):
    articles = _read_clean([seeds_dir, demo_corpus_dir])
    gold: dict[str, set[str]] = {}
    for a in articles:
        event = "aleppo" if str(seeds_dir) in a.origin.path else _demo_event(a)
        gold.setdefault(event, set()).add(a.id)
    assert set(gold) == {"aleppo", "varrow", "avelin", "drennan"}
    assert len(articles) == 5 + 20
    events = cluster_articles(articles)
    assert _groups(events) == {frozenset(v) for v in gold.values()}


@pytest.mark.slow
def test_seeds_and_demo_from_linguistics_analyses_batch_and_incremental(seeds_dir, demo_corpus_dir, nlp):
    """What `newsprism analyze` and `newsprism ingest` do: features from the linguistics stage."""
    from newsprism.linguistics import analyze_articles

    articles = _read_clean([seeds_dir, demo_corpus_dir])
    analyses = {a.article_id: a for a in analyze_articles(articles)}
    gold: dict[str, set[str]] = {}
    for a in articles:
        gold.setdefault("aleppo" if str(seeds_dir) in a.origin.path else _demo_event(a), set()).add(a.id)
    expected = {frozenset(v) for v in gold.values()}
    assert _groups(cluster_articles(articles, analyses)) == expected
    clusterer = IncrementalClusterer()
    for k in range(0, len(articles), 5):
        clusterer.assign_batch(articles[k : k + 5], analyses)
    clusterer.merge_all()
    assert _groups(clusterer.events()) == expected


# --------------------------------------------------------------------------- scale


def _synthetic(n: int, *, per_event: int = 5, dated: bool = True) -> list[ArticleFeatures]:
    """``n`` articles in events of ``per_event``: every event the same kind ("quake" words),
    told with its own place and person names, one event a day."""
    feats = []
    for k in range(n):
        e = k // per_event
        common = {"earthquake": 2, "magnitude": 1, "kill": 1, "rescue": 1, "rubble": 1, f"w{k % 7}": 1}
        names = {f"town{e}": 2, f"mayor{e}": 1, f"river{e}": 1}
        feats.append(ArticleFeatures(
            article_id=f"{k:016x}",
            title=f"Quake in town {e}",
            date=dt.date(2020, 1, 1) + dt.timedelta(days=e) if dated else None,
            terms={"title": {"earthquake": 1, f"town{e}": 1}, "body": {**common, **{f"town{e}": 2}}},
            entities={"title": {f"town{e}": 1}, "body": names},
        ))
    return feats


@pytest.mark.parametrize("dated", [True, False])
def test_candidate_pairs_grow_linearly(dated):
    from newsprism.features import DocumentFrequencies, Vectorizer
    import numpy as np

    settings = ClusterSettings()
    counts = {}
    for n in (1000, 4000):
        feats = _synthetic(n, dated=dated)
        df = DocumentFrequencies()
        df.add(feats)
        X = Vectorizer(settings.vector_weights(), df).transform(feats)
        days = np.array([f.date.toordinal() if f.date else np.nan for f in feats])
        i, j = candidate_pairs(X, days, settings)
        assert (i < j).all()
        counts[n] = len(i)
    assert counts[1000] < 1000 * 999 / 2 / 4  # far from all pairs
    assert counts[4000] / counts[1000] < 4 * 1.3  # about linear, not quadratic (16x)


@pytest.mark.parametrize("dated", [True, False])
def test_many_events_of_one_kind_come_out_separate(dated):
    feats = _synthetic(1500, dated=dated)
    events = cluster_features(feats, ClusterSettings())
    groups = _groups(events)
    expected = {frozenset(f"{k:016x}" for k in range(e * 5, e * 5 + 5)) for e in range(300)}
    assert groups == expected


# --------------------------------------------------------------------------- incremental


@pytest.mark.slow
def test_incremental_assignment_joins_best_event_and_never_moves_articles(quake_articles, quake_features):
    feats = {f.article_id: f for f in quake_features}
    a1, a2, a3, b1, b2, b3, v1, v2 = quake_articles
    clusterer = IncrementalClusterer()
    first = clusterer.add_features([feats[a1.id], feats[b1.id]])
    assert first[a1.id] != first[b1.id]
    assert first[a1.id] == event_id([a1.id]) and first[b1.id] == event_id([b1.id])
    second = clusterer.add_features([feats[a2.id], feats[v1.id]])
    assert second[a2.id] == first[a1.id]  # joins the Kessvale event
    assert second[v1.id] not in (first[a1.id], first[b1.id])  # the verdict founds its own
    third = clusterer.add_features([feats[x.id] for x in (b2, a3, b3, v2)])
    assert third[b2.id] == third[b3.id] == first[b1.id]
    assert third[a3.id] == first[a1.id]
    assert third[v2.id] == second[v1.id]
    # nothing assigned earlier moved
    for aid, eid in {**first, **second}.items():
        assert clusterer.event_of(aid) == eid
    assert _groups(clusterer.events()) == _gold_groups(quake_articles)
    assert clusterer.merge_candidates() == []
    # an article seen again keeps its event
    assert clusterer.add_features([feats[a1.id]]) == {}
    assert clusterer.event_of(a1.id) == first[a1.id]


@pytest.mark.slow
def test_incremental_assign_uses_articles_and_analyses(quake_articles):
    clusterer = IncrementalClusterer()
    eids = clusterer.assign_batch(quake_articles[:2])
    assert eids[quake_articles[0].id] == eids[quake_articles[1].id]
    assert clusterer.assign(quake_articles[2]) == eids[quake_articles[0].id]
    assert clusterer.assign(quake_articles[3]) == event_id([quake_articles[3].id])


@pytest.mark.slow
def test_incremental_state_round_trips_through_json(quake_articles, quake_features):
    feats = {f.article_id: f for f in quake_features}
    clusterer = IncrementalClusterer()
    clusterer.add_features([feats[a.id] for a in quake_articles[:4]])
    state = json.loads(json.dumps(clusterer.state_dict()))
    restored = IncrementalClusterer.from_state(state)
    assert [(e.id, e.article_ids, e.title) for e in restored.events()] == [
        (e.id, e.article_ids, e.title) for e in clusterer.events()
    ]
    rest = [feats[a.id] for a in quake_articles[4:]]
    # a clusterer rebuilt from stored events (as the store keeps them) decides the same way
    rebuilt = IncrementalClusterer.from_events(clusterer.events(), [feats[a.id] for a in quake_articles[:4]])
    expected = clusterer.add_features(rest)
    assert restored.add_features(rest) == expected
    assert rebuilt.add_features(rest) == expected
    assert expected[quake_articles[4].id] == clusterer.event_of(quake_articles[3].id)  # joins Port Meridale


@pytest.mark.slow
def test_events_proposed_for_merging_are_merged_and_recorded(quake_articles, quake_features):
    feats = {f.article_id: f for f in quake_features}
    a1, a2, a3 = quake_articles[:3]
    # a threshold so strict that the three Kessvale reports start as three events
    clusterer = IncrementalClusterer(ClusterSettings(threshold=0.9, merge_threshold=0.15))
    for a in (a1, a2, a3):
        clusterer.add_features([feats[a.id]])
    before = {a.id: clusterer.event_of(a.id) for a in (a1, a2, a3)}
    assert len(set(before.values())) == 3
    proposed = clusterer.merge_candidates()
    assert proposed and all(sim >= 0.15 for _, _, sim in proposed)
    assert {x for a, b, _ in proposed for x in (a, b)} <= set(before.values())
    made = clusterer.merge_all()
    assert len(made) == 2
    survivor = before[a1.id]  # the oldest event keeps its id
    assert {clusterer.event_of(a.id) for a in (a1, a2, a3)} == {survivor}
    assert [m.kept for m in clusterer.merges] == [survivor, survivor]
    assert {m.absorbed for m in clusterer.merges} == {before[a2.id], before[a3.id]}
    # the merges survive a round trip
    restored = IncrementalClusterer.from_state(json.loads(json.dumps(clusterer.state_dict())))
    assert restored.merges == clusterer.merges


def test_incremental_batches_close_to_batch_on_synthetic_events():
    from newsprism.eval.metrics import bcubed, labels_from_groups

    feats = _synthetic(500)
    batch = cluster_features(feats, ClusterSettings())
    clusterer = IncrementalClusterer()
    order = list(feats)
    random.Random(7).shuffle(order)
    for k in range(0, 500, 100):
        clusterer.add_features(order[k : k + 100])
    clusterer.merge_all()
    agreement = bcubed(
        labels_from_groups(e.article_ids for e in clusterer.events()),
        labels_from_groups(e.article_ids for e in batch),
    )
    assert agreement.f1 == pytest.approx(1.0)


@pytest.mark.slow
def test_incremental_centroids_stay_consistent_with_their_members(quake_articles, quake_features):
    """Event similarities computed from the running sums equal those recomputed from scratch."""
    clusterer = IncrementalClusterer(ClusterSettings(window_days=None))
    clusterer.add_features(quake_features)  # one batch: vectors already use the final frequencies
    events = {e.id for e in clusterer.events()}
    before = clusterer.merge_candidates(threshold=0.0, events=events)
    assert before  # the two quakes are similar enough to be compared at threshold 0
    clusterer.refresh()
    after = clusterer.merge_candidates(threshold=0.0, events=events)
    assert [(a, b) for a, b, _ in before] == [(a, b) for a, b, _ in after]
    assert [v for _, _, v in before] == pytest.approx([v for _, _, v in after])
