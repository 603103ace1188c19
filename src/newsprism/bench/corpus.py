"""A template-generated news corpus of any size, for throughput benchmarks and clustering stress.

``generate_corpus(n)`` streams ``n`` JSONL-ready article dicts about fictional events. Every
event has a kind (fire, flood, earthquake, storm, rail crash, explosion, bridge collapse, strike,
protest, election, trial verdict, product recall), its own places, people, organisations, dates
and figures, and is reported by 5-40 different fictional outlets. Articles read like news:
a dateline lead, details, figures with qualifiers and attributions (outlets disagree, as real
ones do, and some use miles where others use kilometres), statements by officials repeated by
several outlets (one upstream statement), single-source witness accounts, background, and each
outlet's own boilerplate (taglines, "Published: Updated:", share and newsletter lines, photo
captions, related-story lines, comment footers).

Two kinds of article stand apart, at the rates asked for:

* syndicated near-copies: an outlet republishes the event's wire story under its own headline
  and boilerplate with one sentence changed (``copy_of`` names the original);
* manipulated rewrites (``label: "fake"``): a paraphrase of the event carrying an altered
  figure, an inserted claim nobody else reports, loaded language with a rhetorical question,
  and an invented quote put in an official's mouth.

Everything is deterministic given ``seed``; events are built one at a time and interleaved
through a small window, so memory stays flat at any size.

Every place, person, organisation and outlet is invented; URLs use ``example.com``-style hosts.
"""

from __future__ import annotations

import json
import random
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

__all__ = ["generate_corpus", "write_corpus", "EVENT_KINDS", "EVENT_WINDOW"]

MIN_WORDS = 300  # articles are padded with more background up to this length
MIN_ARTICLES_PER_EVENT = 5
MAX_ARTICLES_PER_EVENT = 40
EVENT_WINDOW = 8  # events being interleaved at any time
WIRE_NAMES = ("Meridian Wire", "Lodestar Press Agency", "Continental Newswire")

# --------------------------------------------------------------------------- names

_PLACE_HEADS = (
    "Aldr", "Brenn", "Casl", "Dorv", "Elst", "Fald", "Gorm", "Harr", "Isk", "Jorv", "Kell", "Lown",
    "Morv", "Nesb", "Orl", "Pell", "Quar", "Rask", "Sorr", "Tevr", "Ulv", "Vess", "Wyr", "Yarl",
    "Zenn", "Bral", "Corv", "Dunm", "Evr", "Fenw", "Hask", "Kirr", "Marr", "Ostr", "Tarn", "Varl",
)
_PLACE_LINKS = ("a", "e", "i", "o", "", "en", "in", "ar")
_PLACE_TAILS = (
    "mere", "wick", "holt", "stead", "ford", "haven", "by", "ton", "more", "dale", "ric", "ley",
    "garth", "ness", "wold", "combe", "bridge", "port", "field", "minster",
)
_REGION_TAILS = ("ia", "ey", "mark", "vale", "land", "mor", "ara", "enne", "ow", "land", "ick")
_RIVERS = (
    "Tessary", "Orvel", "Brannoch", "Sallowen", "Mirrett", "Kettervale", "Aldwen", "Varrow", "Heskel",
    "Lunnet", "Corrith", "Emmerly", "Dovrin", "Pellan", "Quarrow", "Ristel", "Cawder", "Wenlow",
)
_STREETS = (
    "Mill Street", "Station Road", "Harbour Lane", "Church Street", "Market Street", "Bridge Road",
    "Kiln Lane", "Orchard Road", "Tanners Row", "Canal Street", "Victoria Road", "Foundry Lane",
    "Ropewalk", "Chapel Street", "Quarry Road", "North Parade",
)
_FIRST_F = (
    "Ilse", "Dana", "Corinne", "Renata", "Paulina", "Marta", "Halima", "Noor", "Agnes", "Bettina",
    "Irena", "Carla", "Leona", "Ruth", "Ines", "Sunniva", "Anya", "Marguerite", "Amara", "Celia",
    "Efua", "Greta", "Imke", "Kalinda", "Mireille", "Odile", "Priya", "Rosalind", "Thandiwe", "Ulrike",
)
_FIRST_M = (
    "Tomas", "Marek", "Anselm", "Oren", "Gideon", "Henrik", "Jonas", "Ewan", "Pieter", "Samir",
    "Yusuf", "Tariq", "Dariusz", "Joel", "Tobias", "Gwyn", "Bastian", "Dmitri", "Farid", "Hugo",
    "Jasper", "Lorcan", "Nikolai", "Quentin", "Soren", "Viktor", "Xavier", "Zoltan", "Emeka", "Rafael",
)
_FIRST = _FIRST_F + _FIRST_M
_LAST = (
    "Marrant", "Reyvik", "Kolby", "Drey", "Valette", "Solvey", "Maddox", "Strand", "Farrow", "Salo",
    "Kellow", "Ebbe", "Brisk", "Dorsett", "Haddane", "Amsel", "Olafsen", "Tull", "Ruhl", "Kowal",
    "Rennick", "Fairbrother", "Okonedo", "Pellegrin", "Markby", "Wendt", "Osei", "Pellow", "Vantongeren",
    "Achterberg", "Bramwell", "Castellane", "Dunstable", "Eriksdottir", "Fenwright", "Galloway",
    "Holloway", "Iversen", "Jardine", "Kerrigan", "Lindqvist", "Moreau", "Nakashima", "Ostrander",
    "Penhaligon", "Quist", "Rasmussen", "Szabo", "Thorne", "Ulbricht", "Varga", "Whitlock", "Yilmaz",
    "Zeller", "Abernathy", "Bexley", "Cordell", "Delacroix", "Everard", "Fontaine",
)
_MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)
_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_SMALL = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")

# --------------------------------------------------------------------------- outlets

_PAPERS = (
    "Ledger", "Courier", "Herald", "Gazette", "Observer", "Chronicle", "Post", "Record", "Sentinel",
    "Tribune", "Dispatch", "Standard", "Mercury", "Examiner", "Journal", "Daily", "Bulletin", "Argus",
)
_OUTLET_PLACES = (
    "Northgate", "Harbour", "Eastwind", "Upland", "Coastline", "Greyhaven", "Silverbay", "Westmarch",
    "Stonereach", "Fairholm", "Larkspur", "Ironvale", "Copperfield", "Amberley", "Thornbury",
    "Kingsreach", "Saltmarsh", "Redwater", "Blackmoor", "Highcliff", "Oakhurst", "Windrush",
)
_MOTTOS = (
    "Independent since {year}", "News for the {place} and beyond", "Your region, your news",
    "Serving our readers since {year}", "Telling the stories power would rather bury",
    "Journalism you can trust", "The paper that asks the questions",
)
_SHARE = ("Share this article", "Share on Facebook | Share on X", "Share this story", "Share")
_NEWSLETTER = (
    "Sign up for our newsletter", "Sign up for our newsletter: {short} Morning Briefing, every weekday",
    "Get the {short} daily newsletter straight to your inbox", "Sign up for our newsletter and never miss a story",
)
_COMMENTS = (
    ("Comments are closed on this story.",),
    ("Join the conversation: {ncomments} comments",),
    ("Have your say: comments on this article are pre-moderated",),
    ("Join the {short} community", "Start a conversation, follow other readers and see their replies",
     "Thanks for signing up", "Reload the page or open another article to finish logging in"),
    ("Comments ({ncomments}) | Log in to comment",),
)
_RELATED_PREFIX = ("READ MORE: ", "Related: ", "MORE: ", "See also: ")
_CAPTION_FORMS = ("Photo: {caption} ({name}/{photographer})", "{caption} Photograph: {photographer}/{name}",
                  "Image: {caption} ({name})")
_PUBLISHED_FORMS = ("Published: {pub} Updated: {upd}", "Published: Updated:", "Published {pub} | Updated {upd}",
                    "Last updated {upd}", "{pub}")

@dataclass(frozen=True, slots=True)
class Outlet:
    name: str
    short: str
    host: str
    wire: bool
    units: str  # metric | imperial | both
    curly: bool  # curly quotation marks
    head: tuple[str, ...]  # boilerplate lines before the story ("{pub}"/"{upd}" filled per article)
    tail: tuple[str, ...]  # boilerplate lines after the story
    caption_form: str
    related_prefix: str
    photographer: str

    @property
    def dated_head(self) -> bool:
        return any("{" in line for line in self.head)

    @property
    def counted_tail(self) -> bool:
        return any("{ncomments}" in line for line in self.tail)


def _make_outlets(count: int) -> list[Outlet]:
    """``count`` outlets, the first one to three of them wire services. Depends only on count."""
    rng = random.Random(8675309)
    names: list[str] = []
    seen = set()
    n_wires = 1 if count < 10 else 2 if count < 60 else 3
    names.extend(WIRE_NAMES[:n_wires])
    while len(names) < count:
        style = rng.random()
        if style < 0.55:
            name = f"The {rng.choice(_OUTLET_PLACES)} {rng.choice(_PAPERS)}"
        elif style < 0.85:
            name = f"{rng.choice(_OUTLET_PLACES)} {rng.choice(_PAPERS)}"
        else:
            head = rng.choice(_PLACE_HEADS) + rng.choice(_PLACE_LINKS) + rng.choice(_PLACE_TAILS)
            name = f"The {head} {rng.choice(_PAPERS)}"
        if name not in seen:
            seen.add(name)
            names.append(name)
    outlets = []
    for i, name in enumerate(names):
        wire = i < n_wires
        short = name.removeprefix("The ").split()[0]
        host = "".join(c for c in name.lower().removeprefix("the ") if c.isalnum())
        host = f"{'www.' if rng.random() < 0.5 else ''}{host}.{rng.choice(('example.com', 'example.org', 'example.net'))}"
        motto = rng.choice(_MOTTOS).format(year=rng.randint(1840, 1990), place=rng.choice(_OUTLET_PLACES))
        head: list[str] = []
        tail: list[str] = []
        if wire:
            tail.append("© 2025 " + name + ". All rights reserved.")
        else:
            if rng.random() < 0.6:
                head.append(f"{name} {rng.choice(('—', '|'))} {motto}")
            head.append(rng.choice(_PUBLISHED_FORMS))
            if rng.random() < 0.8:
                head.append(rng.choice(_SHARE))
            tail.append(rng.choice(_NEWSLETTER).format(short=short))
            tail.extend(line.format(short=short, ncomments="{ncomments}") for line in rng.choice(_COMMENTS))
        outlets.append(Outlet(
            name=name, short=short, host=host, wire=wire,
            units=rng.choice(("metric", "metric", "imperial", "both")), curly=rng.random() < 0.4,
            head=tuple(head), tail=tuple(tail),
            caption_form=rng.choice(_CAPTION_FORMS), related_prefix=rng.choice(_RELATED_PREFIX),
            photographer=f"{rng.choice(_FIRST)} {rng.choice(_LAST)}",
        ))
    return outlets


# --------------------------------------------------------------------------- figures


@dataclass(frozen=True, slots=True)
class Figure:
    """A figure an event has. ``unit`` is a counted noun, or one of the measured units
    (km, km2, ha, kmh, m, percent, money, years, magnitude) that outlets render differently."""

    key: str
    lo: float
    hi: float
    unit: str
    round_to: float = 1
    sources: tuple[tuple[float, float, str], ...] = ((1.0, 1.0, ""),)  # (factor lo, hi, attribution)


_Q_OFFICIAL = ("at least {n}", "{n}", "{n}", "at least {n}")
_Q_ESTIMATE = ("nearly {n}", "more than {n}", "about {n}", "up to {n}", "some {n}", "around {n}")
_Q_EXACT = ("{n}",)


def _round(value: float, step: float) -> float:
    if step >= 1:
        return max(step, round(value / step) * step)
    return round(value / step) * step


def _render_measure(value: float, unit: str, units: str) -> str:
    if unit == "km":
        km, mi = f"{value:g} km", f"{value * 0.621371:.1f} miles".replace(".0 miles", " miles")
        return km if units == "metric" else mi if units == "imperial" else f"{value:g} kilometres ({mi})"
    if unit == "km2":
        km, mi = f"{value:g} square kilometres", f"{value * 0.386102:.1f} square miles".replace(".0 square", " square")
        return km if units == "metric" else mi if units == "imperial" else f"{km} ({mi})"
    if unit == "ha":
        ha, ac = f"{int(value):,} hectares", f"{int(value * 2.47105):,} acres"
        return ha if units == "metric" else ac if units == "imperial" else f"{ha} ({ac})"
    if unit == "kmh":
        kmh, mph = f"{int(value)} km/h", f"{int(value * 0.621371)} mph"
        return kmh if units == "metric" else mph if units == "imperial" else f"{kmh} ({mph})"
    if unit == "m":
        m, ft = f"{int(value):,} metres", f"{int(value * 3.28084):,} feet"
        return m if units == "metric" else ft if units == "imperial" else f"{m} ({ft})"
    if unit == "percent":
        return f"{value:g} percent"
    if unit == "money":
        return f"{value:g} million crowns" if value < 1000 else f"{value / 1000:g} billion crowns"
    if unit == "years":
        return f"{int(value)} years"
    if unit == "magnitude":
        return f"{value:.1f}"
    raise ValueError(unit)


# --------------------------------------------------------------------------- event kinds
#
# Every template is a str.format template over the event's slots. Kind templates may use:
# {town} {region} {river} {street} {site} {site_short} {day} {date} {time} {company} {pop}
# {prev_year} {o1} {o1_name} {o1_last} {o1_title} {o1_org} (and o2, o3), and per figure
# {f_key} (figure with its unit or noun), {F_key} (the same opening a sentence), {H_key} (opening a
# headline), {n_key} (number only) and {a_key} (who gives the figure).


@dataclass(frozen=True, slots=True)
class Kind:
    name: str
    incident: str  # "the fire"
    victims: str  # "families"
    suffer: str  # "die in their homes"
    sites: tuple[tuple[str, str], ...]  # (long form, short form)
    officials: tuple[tuple[str, str], ...]  # (title, organisation template), three of them
    company: tuple[str, ...]  # company name tails
    figures: tuple[Figure, ...]  # first one is the headline figure the fake alters
    headlines: tuple[str, ...]
    leads: tuple[str, ...]
    details: tuple[str, ...]
    figure_lines: dict[str, tuple[str, ...]]
    o1_quotes: tuple[str, ...]
    o2_quotes: tuple[str, ...]
    background: tuple[str, ...]
    captions: tuple[str, ...]
    related: tuple[str, ...]
    fake_claims: tuple[str, ...]
    fake_quotes: tuple[str, ...]
    fake_headlines: tuple[str, ...]
    alt_detail: tuple[str, ...]  # the sentence a syndicating outlet rewrites (same content)


_DISASTER_OFFICIAL_SOURCES = (
    (1.0, 1.0, "{o1_org} said"),
    (1.15, 1.5, "according to local officials"),
    (0.75, 0.95, "the coroner's office confirmed"),
)

KINDS: tuple[Kind, ...] = (
    Kind(
        name="fire", incident="the fire", victims="families", suffer="die in buildings they were told were safe",
        sites=(("the {sur} furniture warehouse on {street}", "furniture warehouse"),
               ("an eleven-storey apartment block on {street}", "apartment block"),
               ("the {sur} textile mill on the edge of {town}", "textile mill"),
               ("the covered market on {street}", "covered market")),
        officials=(("Chief Fire Officer", "the {region} Fire and Rescue Service"), ("Mayor", "{town} council"),
                   ("Superintendent", "{region} Police")),
        company=("Properties", "Holdings", "Estates"),
        figures=(Figure("dead", 3, 45, "people", 1, _DISASTER_OFFICIAL_SOURCES),
                 Figure("injured", 8, 150, "people", 1, ((1, 1, "hospital officials said"), (1.2, 1.6, "according to paramedics at the scene"), (0.9, 1, "the health authority said"))),
                 Figure("evacuated", 150, 4000, "residents", 50, ((1, 1, "police said"), (1.3, 1.8, "according to the council"), (1, 1, "police said"))),
                 Figure("crews", 40, 220, "firefighters", 5)),
        headlines=("{H_dead} killed as fire sweeps through {site_short} in {town}",
                   "{town} fire: {n_dead} dead after blaze at {site_short}",
                   "Deadly blaze at {town} {site_short} leaves {f_injured} injured",
                   "Firefighters battle through the night as {town} fire kills {n_dead}",
                   "What we know about the {town} {site_short} fire"),
        leads=("{F_dead} were killed and {f_injured} injured when fire swept through {site} in {town} on {day}, {a_dead}.",
               "A fire that tore through {site} in {town} on {day} killed {f_dead}, {a_dead}.",
               "Fire crews in {town} spent {day} night fighting a blaze at {site} that killed {f_dead}, {a_dead}.",
               "{F_dead} died after fire broke out at {site} in the {region} town of {town} on {day}, {a_dead}."),
        details=("The fire was reported {time}, and flames were visible from across the town within half an hour.",
                 "Emergency services were called {time}, and the first crews arrived to find the upper floors already alight.",
                 "Witnesses said smoke was pouring from the roof {time}, before the flames spread to neighbouring buildings on {street}."),
        figure_lines={
            "injured": ("{F_injured} were taken to hospital, {a_injured}, several of them with serious burns.",
                        "Hospitals in {town} and nearby towns treated {f_injured}, {a_injured}."),
            "evacuated": ("{F_evacuated} were moved out of nearby buildings as a precaution, {a_evacuated}.",
                          "Police evacuated {f_evacuated} from the surrounding streets and set up a cordon."),
            "crews": ("{F_crews} were sent to the scene at the height of the blaze.",
                      "At the height of the fire, {f_crews} from across the {region} region were at the scene."),
        },
        o1_quotes=("The fire spread faster than anything my crews have seen in years, and they did everything they could to reach the people inside.",
                   "This was an extremely dangerous fire, and our crews went back into that building again and again.",
                   "We will not know how the fire started until the investigation is complete, and I would ask people not to speculate."),
        o2_quotes=("{town} is in shock tonight, and our thoughts are with every family who has lost someone.",
                   "We will make sure that everyone who has lost their home has somewhere safe to sleep tonight.",
                   "There will be a full investigation, and the families deserve honest answers."),
        background=("The building passed a fire safety inspection in {prev_year}, according to council records.",
                    "A tenants' group said residents had complained about blocked fire exits and faulty alarms in the months before the fire.",
                    "It is the deadliest fire in the {region} region in more than a decade.",
                    "Fire investigators were expected to enter the building once it had been declared safe."),
        captions=("Firefighters at the scene on {street} on {day}.", "Smoke rises over the rooftops of {town} on {day} evening."),
        related=("{town} fire: what we know so far", "Fire safety inspections: who checks the buildings we live in?"),
        fake_claims=("{short} has learned that the building's sprinkler system had been switched off weeks before the fire to save on maintenance costs.",
                     "Sources inside the fire service told {short} that the first crews were held back for nearly an hour on orders from senior officers.",
                     "{short} understands that the owners had been warned in writing three times this year about the wiring and did nothing."),
        fake_quotes=("We knew that building was a death trap and we let people go on living there.",
                     "The inspection regime in this town is a joke, and today people paid for it with their lives."),
        fake_headlines=("{town} Inferno: What They Are Not Telling You", "Death Trap: The {town} Fire That Didn't Have to Happen"),
        alt_detail=("The alarm was raised {time}, and within half an hour the flames could be seen from across the town.",
                    "Crews were called out {time} and found the upper floors already burning when they arrived."),
    ),
    Kind(
        name="flood", incident="the flood", victims="families", suffer="drown",
        sites=(("the {river} valley", "valley"), ("the low-lying districts along the {river}", "riverside districts"),
               ("the {river} floodplain below {town}", "floodplain")),
        officials=(("Governor", "the {region} provincial government"), ("Director", "the {region} emergency service"),
                   ("spokesperson", "the {river} Water Authority")),
        company=("Water", "Hydro", "Utilities"),
        figures=(Figure("dead", 4, 70, "people", 1, ((1, 1, "the emergency service said"), (1.2, 1.5, "according to the mayor"), (0.8, 0.95, "the coroner's office said"))),
                 Figure("displaced", 2000, 30000, "people", 500, ((1, 1, "the emergency service said"), (1.25, 1.7, "according to aid agencies"), (1.05, 1.2, "the housing office said"))),
                 Figure("area", 5, 60, "km2", 1, ((1, 1, "according to satellite images"), (1.2, 1.6, "according to local officials"), (0.7, 0.9, "the mapping agency said"))),
                 Figure("rain", 120, 320, "mm of rain")),
        headlines=("Floods in {region}: {f_dead} dead as the {river} bursts its banks",
                   "{town} under water as {river} flooding kills {n_dead}",
                   "Thousands flee as floodwater swamps {town}",
                   "{river} floods: {f_displaced} forced from their homes"),
        leads=("{F_dead} were killed when the {river} burst its banks and flooded {town} on {day}, {a_dead}.",
               "Floodwater swept through {town} and the surrounding villages on {day}, killing {f_dead}, {a_dead}.",
               "The {river} broke through its flood defences above {town} on {day}, and {f_dead} are now known to have died, {a_dead}."),
        details=("The water began rising {time} after days of heavy rain, and by morning whole streets were submerged.",
                 "Residents said the river rose {time} far faster than in previous floods, trapping people in upper floors.",
                 "Rescuers in boats worked through the night after the defences failed {time}."),
        figure_lines={
            "displaced": ("{F_displaced} have been forced from their homes, {a_displaced}.",
                          "Shelters have been opened for {f_displaced} who have had to leave their homes, {a_displaced}."),
            "area": ("Floodwater covered {f_area} of {site}, {a_area}.", "By {day} afternoon {f_area} were under water, {a_area}."),
            "rain": ("The national weather service said {f_rain} had fallen in the catchment in three days.",
                     "{F_rain} fell on the hills above {town} in 72 hours, forecasters said."),
        },
        o1_quotes=("The water came faster than anyone expected, and our first duty now is to the people still waiting to be rescued.",
                   "This is the worst flooding this region has seen in living memory, and every available resource is being sent.",
                   "We will rebuild, but today our only concern is to get people to safety."),
        o2_quotes=("Our crews are reaching houses they could not reach last night, and what they find there is hard.",
                   "People should stay away from the river and follow the instructions of the rescue teams.",
                   "The water is going down slowly, and we expect the number of dead to rise as it does."),
        background=("The {river} last flooded {town} in {prev_year}, when defences were raised along the lower town.",
                    "Engineers had warned that the flood wall above {town} needed repairs, according to council minutes.",
                    "More rain is forecast for the {region} region later in the week.",
                    "{town}, a market town of {pop} people, sits where two tributaries join the {river}."),
        captions=("Rescuers in a boat on {street} in {town} on {day}.", "Flooded fields along the {river} on {day} morning."),
        related=("{river} floods: a valley that has flooded before", "How flood defences are built, and who checks them"),
        fake_claims=("{short} has learned that the water authority cancelled three scheduled inspections of the flood defences to save money.",
                     "Insiders told {short} that the sluice gates upstream were opened deliberately to protect a private estate.",
                     "{short} understands that warnings from engineers were deleted from the authority's records days before the flood."),
        fake_quotes=("We were warned the defences would fail and we chose not to act.",
                     "Frankly, we gambled that the rain would stop, and we lost."),
        fake_headlines=("{town} Flood Cover-Up: Officials Knew", "They Let {town} Drown"),
        alt_detail=("After days of heavy rain the water started to rise {time}, and whole streets were under water by the morning.",
                    "Rescuers in boats were still searching flooded streets long after the defences gave way {time}."),
    ),
    Kind(
        name="earthquake", incident="the earthquake", victims="families", suffer="be buried under buildings that should never have been built",
        sites=(("the {region} region", "region"), ("the hill towns around {town}", "hill towns"), ("the old quarter of {town}", "old town")),
        officials=(("Director", "the National Seismic Institute"), ("Interior Minister", "the government"), ("Mayor", "{town}")),
        company=("Construction", "Builders", "Developments"),
        figures=(Figure("dead", 5, 180, "people", 1, ((1, 1, "the interior ministry said"), (1.2, 1.6, "according to rescue workers"), (0.8, 0.95, "the health ministry said"))),
                 Figure("magnitude", 5.2, 7.1, "magnitude", 0.1, ((1, 1, "the seismic institute said"), (1.02, 1.05, "according to foreign monitors"), (0.97, 0.99, "the university observatory said"))),
                 Figure("injured", 30, 900, "people", 1, ((1, 1, "the health ministry said"), (1.2, 1.5, "according to hospitals"), (1, 1, "the health ministry said"))),
                 Figure("depth", 6, 40, "km", 1, ((1, 1, "the institute said"), (1.3, 1.8, "according to foreign monitors"), (1, 1, "the institute said")))),
        headlines=("Earthquake in {region} kills {f_dead}", "{town} earthquake: rescuers search rubble as toll reaches {n_dead}",
                   "Magnitude {n_magnitude} quake strikes {region}, killing {n_dead}", "Night of terror in {town} as earthquake flattens homes"),
        leads=("An earthquake of magnitude {n_magnitude} struck the {region} region on {day}, killing {f_dead}, {a_dead}.",
               "{F_dead} were killed when a strong earthquake hit {town} and the surrounding villages on {day}, {a_dead}.",
               "Rescuers in {town} dug through collapsed buildings on {day} after an earthquake killed {f_dead}, {a_dead}."),
        details=("The quake struck {time}, when most people were at home, and was felt in cities hundreds of kilometres away.",
                 "The ground shook for nearly a minute {time}, residents said, and several aftershocks followed.",
                 "Many of the victims were asleep when the earthquake hit {time}."),
        figure_lines={
            "magnitude": ("The seismic institute measured the quake at magnitude {n_magnitude}, {a_magnitude}.", "The earthquake had a magnitude of {n_magnitude}, {a_magnitude}."),
            "injured": ("{F_injured} were injured, {a_injured}.", "Hospitals treated {f_injured}, {a_injured}, and some patients were moved to tents outside."),
            "depth": ("Its epicentre was {f_depth} below the surface near {town}, {a_depth}.", "The quake was shallow, at a depth of {f_depth}, {a_depth}."),
        },
        o1_quotes=("We recorded more than forty aftershocks in the first hours, and people should not go back into damaged buildings.",
                   "This was a shallow earthquake close to towns, which is why the damage is so severe.",
                   "Stronger aftershocks remain possible over the coming days."),
        o2_quotes=("Every rescue team in the country is on its way to {town}, and we will not stop while there is hope of finding people alive.",
                   "The government will help every family rebuild, but today we are counting on our rescuers.",
                   "We have asked neighbouring countries for search and rescue teams and they have responded immediately."),
        background=("The {region} region lies on an active fault and was last hit by a damaging earthquake in {prev_year}.",
                    "Many older stone houses in the hill villages were not built to modern earthquake standards.",
                    "Building rules were tightened after the last earthquake, but critics say they were poorly enforced.",
                    "{town}, a town of {pop} people, is the largest in the area."),
        captions=("Rescuers search the rubble of a house in {town} on {day}.", "Residents sleep outside in {town} after the earthquake."),
        related=("Why the {region} region keeps shaking", "Earthquake: how to help"),
        fake_claims=("{short} has learned that the government's own engineers rated half the collapsed buildings unsafe two years ago and the report was buried.",
                     "Sources told {short} that rescue teams from abroad were turned back at the border for political reasons.",
                     "{short} understands that warning sensors near {town} had been switched off since the spring to save money."),
        fake_quotes=("We knew these buildings would fall and we let people live in them anyway.",
                     "Honestly, the building code in this country exists only on paper."),
        fake_headlines=("{town} Quake: The Buildings They Knew Would Fall", "Buried by Greed: The Truth About the {region} Earthquake"),
        alt_detail=("Most people were at home when the quake hit {time}, and it was felt in cities hundreds of kilometres away.",
                    "Residents said the shaking lasted nearly a minute {time} and was followed by several aftershocks."),
    ),
    Kind(
        name="storm", incident="the storm", victims="families", suffer="be left without power in the cold",
        sites=(("the {region} coast", "coast"), ("towns along the {river} estuary", "estuary towns"), ("the north of the {region} region", "north")),
        officials=(("Chief Forecaster", "the National Weather Service"), ("Governor", "the {region} provincial government"), ("spokesperson", "{company}")),
        company=("Power", "Energy", "Grid"),
        figures=(Figure("dead", 2, 35, "people", 1, ((1, 1, "the emergency service said"), (1.2, 1.6, "according to local officials"), (0.8, 0.95, "police said"))),
                 Figure("wind", 110, 210, "kmh", 5, ((1, 1, "the weather service said"), (1.05, 1.15, "according to a coastal station"), (0.9, 0.97, "the weather service said"))),
                 Figure("power", 20000, 400000, "homes", 1000, ((1, 1, "{company} said"), (1.2, 1.6, "according to local officials"), (0.8, 0.9, "{company} said"))),
                 Figure("evacuated", 500, 20000, "people", 100)),
        headlines=("Storm batters {region}, killing {f_dead}", "{H_power} without power as storm hits {town}",
                   "Storm leaves trail of destruction along the {region} coast", "Winds of {f_wind} lash {town} as storm kills {n_dead}"),
        leads=("A powerful storm swept across the {region} region on {day}, killing {f_dead} and leaving {f_power} without electricity, {a_dead}.",
               "{F_dead} died as a storm brought flooding and hurricane-force winds to {town} and the {region} coast on {day}, {a_dead}.",
               "The storm that struck the {region} coast on {day} has killed {f_dead}, {a_dead}."),
        details=("The worst of the wind arrived {time}, bringing down trees and power lines across the region.",
                 "The storm made landfall near {town} {time}, tearing roofs from houses and flooding coastal roads.",
                 "Gusts strengthened sharply {time}, and several roads were closed by fallen trees."),
        figure_lines={
            "wind": ("Gusts reached {f_wind}, {a_wind}.", "Wind speeds of {f_wind} were recorded on the coast, {a_wind}."),
            "power": ("{F_power} lost power, {a_power}.", "Electricity was cut to {f_power}, {a_power}, and repairs could take days."),
            "evacuated": ("{F_evacuated} were evacuated from low-lying areas before the storm arrived.", "Authorities moved {f_evacuated} from coastal villages to shelters."),
        },
        o1_quotes=("This is one of the strongest storms to hit this coast in twenty years, and the danger has not passed.",
                   "People should stay indoors until the wind drops and keep away from the sea front.",
                   "We issued our highest warning two days in advance, and I would urge everyone to take it seriously."),
        o2_quotes=("Our priority is to restore power to vulnerable people and clear the roads for emergency services.",
                   "I want to thank the crews who have been working through the night in very dangerous conditions.",
                   "Help is on its way to every community that has been cut off."),
        background=("The {region} coast was hit by a similar storm in {prev_year}, which led to new sea defences at {town}.",
                    "Forecasters said the storm would weaken as it moved inland on {day} night.",
                    "Schools across the region were closed and ferry services were suspended.",
                    "{town}, a fishing town of {pop} people, bore the brunt of the storm."),
        captions=("Waves break over the harbour wall at {town} on {day}.", "A fallen tree blocks {street} in {town}."),
        related=("Storm warnings explained: what the colours mean", "How to prepare for a power cut"),
        fake_claims=("{short} has learned that {company} ignored a request to trim trees near its power lines for two years.",
                     "Sources told {short} that the storm warning was delayed by several hours so as not to disrupt a festival weekend.",
                     "{short} understands that emergency generators at the hospital in {town} had not been tested since {prev_year}."),
        fake_quotes=("We were told to keep quiet about how bad this would be.",
                     "Let's be honest, the grid in this region was always going to fail."),
        fake_headlines=("Storm Chaos in {town}: The Warning They Sat On", "Left in the Dark: What {company} Is Hiding"),
        alt_detail=("Trees and power lines came down across the region as the strongest winds arrived {time}.",
                    "Roofs were torn from houses and coastal roads flooded when the storm came ashore near {town} {time}."),
    ),
    Kind(
        name="rail_crash", incident="the crash", victims="passengers", suffer="die on a railway they paid to travel on",
        sites=(("a level crossing near {town}", "level crossing"), ("a curve outside {town} station", "curve"), ("the {river} viaduct near {town}", "viaduct")),
        officials=(("Chief Inspector", "the Rail Accident Investigation Board"), ("Transport Minister", "the government"), ("spokesperson", "{company}")),
        company=("Rail", "Railways", "Trains"),
        figures=(Figure("dead", 3, 50, "people", 1, ((1, 1, "{company} said"), (1.2, 1.5, "according to rescue workers"), (0.8, 0.95, "police said"))),
                 Figure("injured", 20, 250, "people", 1, ((1, 1, "the health authority said"), (1.2, 1.5, "according to hospitals"), (1, 1, "the health authority said"))),
                 Figure("passengers", 150, 700, "passengers", 10, ((1, 1, "{company} said"), (1.1, 1.3, "according to police"), (0.9, 1, "{company} said"))),
                 Figure("speed", 80, 160, "kmh", 5, ((1, 1, "investigators said"), (1.1, 1.3, "according to a union official"), (0.85, 0.95, "investigators said")))),
        headlines=("Train derails near {town}, killing {f_dead}", "{town} rail crash: {n_dead} dead as carriages leave the track",
                   "Passengers describe terror as train derails near {town}", "{H_dead} killed in {region} rail disaster"),
        leads=("A passenger train derailed at {site} on {day}, killing {f_dead} and injuring {f_injured}, {a_dead}.",
               "{F_dead} were killed when an express train left the tracks near {town} on {day}, {a_dead}.",
               "Rescuers worked through the night at {site} after a train derailment on {day} that killed {f_dead}, {a_dead}."),
        details=("The train, travelling from the regional capital, derailed {time}, and several carriages overturned.",
                 "The front carriages left the rails {time}, and two of them rolled down an embankment.",
                 "Passengers said the train was going fast when it lurched violently {time}."),
        figure_lines={
            "injured": ("{F_injured} were injured, {a_injured}.", "Hospitals across the region treated {f_injured}, {a_injured}."),
            "passengers": ("The train was carrying {f_passengers}, {a_passengers}.", "{F_passengers} were on board when it derailed, {a_passengers}."),
            "speed": ("The train was travelling at {f_speed}, {a_speed}.", "Data from the train suggest it was doing {f_speed}, {a_speed}."),
        },
        o1_quotes=("Our inspectors are on site and will examine the track, the signalling and the train itself.",
                   "It is far too early to say what caused this derailment, and we will follow the evidence wherever it leads.",
                   "We have recovered the train's data recorder and it is being analysed."),
        o2_quotes=("This is a terrible day for our railway and for every family waiting for news.",
                   "I have ordered checks on every section of track of the same type across the network.",
                   "Passengers deserve to know that the railway is safe, and we will find out what went wrong."),
        background=("The line was upgraded in {prev_year} as part of a programme to speed up regional services.",
                    "Rail unions have complained about cuts to track maintenance budgets.",
                    "Services on the line were suspended and replacement buses were laid on.",
                    "It is the worst rail accident in the country for more than fifteen years."),
        captions=("Overturned carriages near {town} on {day}.", "Rescue workers at {site} on {day}."),
        related=("Rail safety: the lines that worry inspectors most", "{town} derailment: what we know"),
        fake_claims=("{short} has learned that the driver had reported a fault with the brakes twice that week and was told to keep driving.",
                     "Sources told {short} that a speed restriction on the curve had been lifted a month ago to improve timetables.",
                     "{short} understands that the track inspection for this section was signed off without anyone visiting it."),
        fake_quotes=("We knew this section of track was dangerous and we kept running trains over it.",
                     "The truth is that profits came before safety on this line."),
        fake_headlines=("{town} Train Horror: The Warning They Ignored", "Profit Before Passengers: The Real Story of the {town} Crash"),
        alt_detail=("Several carriages overturned when the train from the regional capital came off the rails {time}.",
                    "Two carriages rolled down an embankment after the front of the train derailed {time}."),
    ),
    Kind(
        name="explosion", incident="the explosion", victims="workers", suffer="die for someone else's profits",
        sites=(("a warehouse on the {sur} Quay in the port of {town}", "port warehouse"), ("the {sur} chemical plant outside {town}", "chemical plant"),
               ("a fuel depot on the edge of {town}", "fuel depot")),
        officials=(("Fire Commissioner", "the {town} fire service"), ("Mayor", "{town}"), ("director", "{company}")),
        company=("Chemicals", "Logistics", "Terminals"),
        figures=(Figure("dead", 4, 60, "people", 1, ((1, 1, "city officials said"), (1.15, 1.5, "according to emergency workers"), (0.85, 1, "the prosecutor's office said"))),
                 Figure("injured", 40, 600, "people", 1, ((1, 1, "the health ministry said"), (1.2, 1.6, "according to hospitals"), (1.05, 1.2, "the health service said"))),
                 Figure("radius", 1, 6, "km", 0.5, ((1, 1, "officials said"), (1.3, 1.8, "according to residents"), (1, 1, "officials said"))),
                 Figure("tonnes", 200, 2000, "tonnes of chemicals", 50, ((1, 1, "{company} said"), (1.2, 1.5, "according to customs records"), (1, 1, "{company} said")))),
        headlines=("Explosion at {town} {site_short} kills {f_dead}", "{town} blast: {n_dead} dead and hundreds hurt",
                   "Huge explosion rocks {town}", "{H_dead} killed as {site_short} blows up in {town}"),
        leads=("A huge explosion at {site} on {day} killed {f_dead} and injured {f_injured}, {a_dead}.",
               "{F_dead} were killed when a fire at {site} set off an explosion on {day}, {a_dead}.",
               "An explosion tore through {site} on {day}, killing {f_dead}, {a_dead}."),
        details=("A fire broke out {time}, and the explosion followed about forty minutes later.",
                 "Witnesses heard a first blast {time}, followed by a second, much larger one.",
                 "The blast {time} sent a column of orange smoke over the city and was felt many kilometres away."),
        figure_lines={
            "injured": ("{F_injured} were injured, {a_injured}.", "Hospitals treated {f_injured}, {a_injured}, many for cuts from flying glass."),
            "radius": ("Windows were shattered {n_radius} from the site, {a_radius}.", "The blast broke windows {n_radius} away, {a_radius}."),
            "tonnes": ("The site held {f_tonnes}, {a_tonnes}.", "{F_tonnes} were stored there at the time, {a_tonnes}."),
        },
        o1_quotes=("Our crews were fighting the fire when the blast came, and we have lost colleagues today.",
                   "The area around the site is still dangerous, and I ask people to stay behind the cordon.",
                   "We will not know the cause until investigators can get inside, and that will take time."),
        o2_quotes=("{town} has never known a day like this, and we will find out how it was allowed to happen.",
                   "I have declared three days of mourning for the victims.",
                   "Every family that has lost its home will be helped, whatever it takes."),
        background=("The site had passed a safety inspection in {prev_year}, according to {company}.",
                    "Residents of nearby streets had long complained about the storage of chemicals so close to housing.",
                    "Prosecutors have opened an investigation into the cause of the blast.",
                    "{town}, a port city of {pop} people, is one of the busiest in the region."),
        captions=("Smoke rises over {town} after the explosion on {day}.", "Firefighters at the ruins of the {site_short} on {day}."),
        related=("What makes industrial chemicals explode?", "{town} explosion: what we know so far"),
        fake_claims=("{short} can reveal that a foreign-flagged ship unloaded unregistered cargo at the site two nights before the blast.",
                     "Sources told {short} that the fire alarms at the site had been disconnected after repeated false alerts.",
                     "{short} has learned that {company} paid inspectors to sign off the site last year."),
        fake_quotes=("This was not an accident, and everyone who works there knows it.",
                     "We told them for years this place was a bomb, and they laughed at us."),
        fake_headlines=("{town} Blast: The Cargo Nobody Wants to Talk About", "Who Turned {town} Into a Powder Keg?"),
        alt_detail=("About forty minutes after a fire broke out {time}, the explosion followed.",
                    "A first blast was heard {time}, and then a second, far larger one, witnesses said."),
    ),
    Kind(
        name="bridge_collapse", incident="the collapse", victims="commuters", suffer="fall into a river on their way home",
        sites=(("the {sur} Bridge over the {river} in {town}", "bridge"), ("a motorway flyover outside {town}", "flyover"), ("the old road bridge across the {river} at {town}", "road bridge")),
        officials=(("Chief Engineer", "the National Roads Agency"), ("Mayor", "{town}"), ("Transport Minister", "the government")),
        company=("Engineering", "Infrastructure", "Civil"),
        figures=(Figure("dead", 2, 40, "people", 1, ((1, 1, "police said"), (1.2, 1.6, "according to rescue divers"), (0.8, 0.95, "the coroner said"))),
                 Figure("vehicles", 5, 40, "vehicles", 1, ((1, 1, "police said"), (1.2, 1.5, "according to witnesses"), (1, 1, "police said"))),
                 Figure("span", 80, 400, "m", 10, ((1, 1, "the roads agency said"), (1.1, 1.3, "according to engineers"), (1, 1, "the roads agency said"))),
                 Figure("missing", 3, 30, "people", 1)),
        headlines=("Bridge collapse in {town} kills {f_dead}", "{town} bridge falls into {river}, {n_dead} dead",
                   "Divers search the {river} after bridge collapse", "Questions grow over {town} bridge after deadly collapse"),
        leads=("Part of {site} collapsed during the evening rush hour on {day}, killing {f_dead}, {a_dead}.",
               "{F_dead} died when {site} gave way on {day}, sending cars and a bus into the water below, {a_dead}.",
               "Rescue divers searched the {river} on {day} after the collapse of {site} killed {f_dead}, {a_dead}."),
        details=("A section of the deck gave way {time}, witnesses said, with traffic on it.",
                 "Drivers heard a loud crack {time} moments before the centre of the bridge fell.",
                 "The collapse happened {time}, when the bridge was busy with traffic."),
        figure_lines={
            "vehicles": ("{F_vehicles} fell with the bridge, {a_vehicles}.", "A bus and {f_vehicles} were on the section that collapsed, {a_vehicles}."),
            "span": ("A span of {f_span} collapsed, {a_span}.", "The section that fell was {f_span} long, {a_span}."),
            "missing": ("{F_missing} are still missing.", "Police said {f_missing} were still unaccounted for on {day} night."),
        },
        o1_quotes=("We will examine every part of the structure, and every other bridge of the same design is being inspected.",
                   "It is too soon to say why the bridge failed, and we will not guess.",
                   "The bridge was inspected according to the schedule, and those records will be examined."),
        o2_quotes=("This city is grieving, and we owe the families the full truth about this bridge.",
                   "No one should have to fear crossing a bridge on their way home.",
                   "I have asked for every bridge in the city to be checked as a matter of urgency."),
        background=("The bridge was built in the 1960s and was last renovated in {prev_year}.",
                    "Engineers had raised concerns about corrosion on the bridge in a report two years ago, local media reported.",
                    "Traffic has been diverted, adding hours to journeys across the {river}.",
                    "{town}, a city of {pop} people, relies on three road bridges across the {river}."),
        captions=("The remains of the bridge over the {river} at {town} on {day}.", "Divers prepare to search the {river} on {day}."),
        related=("Ageing bridges: the structures engineers worry about", "{town} bridge collapse: what we know"),
        fake_claims=("{short} has learned that a crack in the main girder was reported last month and the repair was postponed to next year's budget.",
                     "Sources told {short} that the roads agency falsified inspection records for the bridge.",
                     "{short} understands that heavy lorries were allowed on the bridge despite a weight limit, after lobbying by {company}."),
        fake_quotes=("We knew that bridge was rotten and we kept it open because closing it was politically inconvenient.",
                     "Every engineer in the agency knew this could happen."),
        fake_headlines=("{town} Bridge: They Knew It Would Fall", "Crumbling and Covered Up: The {town} Bridge Scandal"),
        alt_detail=("With traffic on it, a section of the deck gave way {time}, witnesses said.",
                    "Moments before the centre of the bridge fell {time}, drivers heard a loud crack."),
    ),
    Kind(
        name="strike", incident="the strike", victims="workers", suffer="choose between heating and eating",
        sites=(("the {region} hospitals", "hospitals"), ("the ports of {town} and the {region} coast", "ports"), ("the national rail network", "railways"),
               ("the {company} factories in {town}", "factories")),
        officials=(("General Secretary", "the {sur} Workers' Union"), ("Labour Minister", "the government"), ("chief executive", "{company}")),
        company=("Industries", "Group", "Manufacturing"),
        figures=(Figure("workers", 3000, 90000, "workers", 500, ((1, 1, "the union said"), (0.6, 0.8, "according to management"), (0.85, 0.95, "the labour ministry said"))),
                 Figure("offer", 2, 6, "percent", 0.5, ((1, 1, "the employer said"), (0.8, 0.9, "according to the union"), (1, 1, "the employer said"))),
                 Figure("demand", 7, 15, "percent", 0.5),
                 Figure("cost", 5, 120, "money", 1, ((1, 1, "business groups estimated"), (0.5, 0.7, "according to the union"), (1.2, 1.5, "the chamber of commerce said")))),
        headlines=("{H_workers} walk out as strike hits {site_short}", "Strike shuts {site_short} in pay dispute",
                   "{town} strike: talks collapse as workers reject {n_offer} offer", "Pay strike enters second day with no end in sight"),
        leads=("{F_workers} went on strike on {day}, shutting down {site} in a dispute over pay, {a_workers}.",
               "A strike by {f_workers} brought {site} to a standstill on {day}, {a_workers}, after talks over pay broke down.",
               "Workers at {site} walked out on {day} in the biggest strike in the sector for years, involving {f_workers}, {a_workers}."),
        details=("Picket lines formed {time} outside the main sites in {town}.",
                 "The walkout began {time}, and union officials said it would last at least 48 hours.",
                 "Strikers gathered {time} at the gates in {town}, where speakers addressed a rally."),
        figure_lines={
            "offer": ("The employer has offered a pay rise of {f_offer}, {a_offer}.", "Management's latest offer is {f_offer}, {a_offer}."),
            "demand": ("The union is demanding {f_demand}, saying wages have fallen behind prices.", "Workers want a rise of {f_demand} to make up for inflation."),
            "cost": ("The strike is costing the economy {f_cost} a day, {a_cost}.", "Each day of the walkout costs {f_cost}, {a_cost}."),
        },
        o1_quotes=("Our members do not want to be on strike, but they have been left with no choice.",
                   "The offer on the table is a pay cut in real terms, and our members have rejected it.",
                   "We are ready to talk at any time, but we need a serious offer."),
        o2_quotes=("The offer we have made is fair and affordable, and I urge the union to put it to its members.",
                   "Strikes harm the people this sector is meant to serve.",
                   "The door to negotiations remains open."),
        background=("The last major strike in the sector was in {prev_year}, when a deal was reached after two weeks.",
                    "Inflation has eroded wages in the sector for three years, according to independent economists.",
                    "Talks between the two sides broke down last week after eleven hours.",
                    "Passengers and customers have been advised to check before travelling."),
        captions=("Strikers on a picket line in {town} on {day}.", "A rally outside the main gate in {town}."),
        related=("Pay disputes: who is striking and why", "Your rights during a strike"),
        fake_claims=("{short} has learned that the government secretly ordered the employer not to improve its offer.",
                     "Sources told {short} that the union leadership has been paid by a foreign government to keep the strike going.",
                     "{short} understands that managers have drawn up lists of strikers to be dismissed when the dispute ends."),
        fake_quotes=("We will starve them back to work if we have to.",
                     "These workers are greedy, and the public knows it."),
        fake_headlines=("The Strike They Want You to Hate", "Secret Orders: What Is Really Behind the {town} Strike"),
        alt_detail=("Outside the main sites in {town}, picket lines formed {time}.",
                    "Union officials said the walkout, which began {time}, would last at least 48 hours."),
    ),
    Kind(
        name="protest", incident="the protest", victims="protesters", suffer="be beaten for speaking out",
        sites=(("the centre of {town}", "city centre"), ("{sur} Square in {town}", "square"), ("the parliament district of {town}", "parliament district")),
        officials=(("police chief", "{town} Police"), ("Interior Minister", "the government"), ("organiser", "the {sur} Citizens' Movement")),
        company=("Movement", "Alliance", "Coalition"),
        figures=(Figure("crowd", 5000, 150000, "people", 1000, ((1, 1, "police said"), (2.0, 3.5, "according to organisers"), (1.3, 1.8, "according to independent observers"))),
                 Figure("arrests", 10, 300, "people", 1, ((1, 1, "police said"), (1.2, 1.6, "according to lawyers for the protesters"), (1, 1, "police said"))),
                 Figure("injured", 5, 120, "people", 1, ((1, 1, "police said"), (1.5, 2.5, "according to volunteer medics"), (1, 1, "police said"))),
                 Figure("officers", 500, 6000, "police officers", 100)),
        headlines=("Tens of thousands march in {town} against government plans", "{town} protest: {f_arrests} arrested as police clear square",
                   "Clashes in {town} as crowd of {n_crowd} marches", "Protesters fill {site_short} in {town}"),
        leads=("{F_crowd} marched through {site} on {day} to protest against government plans, {a_crowd}.",
               "A crowd of {f_crowd} gathered in {site} on {day}, {a_crowd}, in one of the largest protests the city has seen.",
               "Police arrested {f_arrests} in {town} on {day} after a protest by {f_crowd} turned violent, {a_arrests}."),
        details=("The march set off {time} and was largely peaceful until the evening.",
                 "Protesters began arriving {time}, many carrying banners and flags.",
                 "Scuffles broke out {time} when police tried to stop marchers reaching the parliament building."),
        figure_lines={
            "arrests": ("{F_arrests} were arrested, {a_arrests}.", "Police detained {f_arrests}, {a_arrests}."),
            "injured": ("{F_injured} were injured, {a_injured}.", "Medics treated {f_injured}, {a_injured}, mostly for the effects of tear gas."),
            "officers": ("{F_officers} were deployed in the city.", "The authorities deployed {f_officers} along the route."),
        },
        o1_quotes=("The great majority of people protested peacefully, and we respect their right to do so.",
                   "Officers acted to prevent a small group from breaking through the cordon.",
                   "We will review all footage of the evening and any complaints will be investigated."),
        o2_quotes=("The right to protest is protected, but violence will not be tolerated.",
                   "The government is listening, and the consultation on the plans remains open.",
                   "I want to thank the police officers who kept the city safe."),
        background=("The protests began three weeks ago after the government announced its plans.",
                    "The last protests on this scale took place in {prev_year}.",
                    "Opposition parties have called for the plans to be withdrawn.",
                    "Further marches are planned in other cities at the weekend."),
        captions=("Protesters in {site_short} in {town} on {day}.", "Police lines near the parliament building on {day} evening."),
        related=("Why are people protesting in {town}?", "Protest rights: what the police can and cannot do"),
        fake_claims=("{short} has learned that plain-clothes officers were ordered to start the clashes.",
                     "Sources told {short} that the protest was funded by a foreign billionaire.",
                     "{short} understands that hospitals were told not to record injuries from the protest."),
        fake_quotes=("Clear them out by any means necessary, and I do not want to hear about it afterwards.",
                     "These people are not citizens, they are troublemakers."),
        fake_headlines=("{town} Protest: The Orders They Tried to Hide", "Who Really Started the {town} Violence?"),
        alt_detail=("Largely peaceful until the evening, the march set off {time}.",
                    "Many carrying banners and flags, protesters began to arrive {time}."),
    ),
    Kind(
        name="election", incident="the election", victims="voters", suffer="have their votes stolen",
        sites=(("the {region} regional election", "regional election"), ("the {town} mayoral election", "mayoral election"), ("the national parliamentary election", "parliamentary election")),
        officials=(("chair", "the Central Election Commission"), ("leader", "the {sur} Party"), ("candidate", "the opposition alliance")),
        company=("Party", "Alliance", "Union"),
        figures=(Figure("share", 40, 58, "percent", 0.1, ((1, 1, "the election commission said"), (0.9, 0.96, "according to the opposition's own count"), (1.01, 1.04, "according to the ruling party"))),
                 Figure("turnout", 45, 78, "percent", 0.1, ((1, 1, "the commission said"), (0.9, 0.95, "according to independent observers"), (1, 1, "the commission said"))),
                 Figure("complaints", 50, 2000, "complaints", 10, ((1, 1, "the commission said"), (1.5, 3, "according to observers"), (1, 1, "the commission said"))),
                 Figure("votes", 5000, 300000, "votes", 100)),
        headlines=("{o2_last} claims victory in disputed {site_short}", "Opposition rejects result of {site_short}",
                   "{Site_short} result: {o2_last} wins {n_share} amid fraud claims", "Recount demanded after tight {site_short}"),
        leads=("{o2_name} was declared the winner of {site} on {day} with {f_share} of the vote, {a_share}, but the opposition refused to accept the result.",
               "The opposition rejected the result of {site} on {day} after the election commission gave {o2_name} {f_share} of the vote.",
               "Official results of {site} published on {day} gave {o2_name} {f_share}, {a_share}, a result the opposition called fraudulent."),
        details=("Counting continued through the night, and preliminary results were announced {time}.",
                 "Polling stations closed on schedule, and the first results came in {time}.",
                 "The commission published its preliminary count {time}."),
        figure_lines={
            "turnout": ("Turnout was {f_turnout}, {a_turnout}.", "Voter turnout stood at {f_turnout}, {a_turnout}."),
            "complaints": ("Observers registered {f_complaints}, {a_complaints}.", "The commission received {f_complaints}, {a_complaints}."),
            "votes": ("The margin of victory was {f_votes}.", "{o2_last} finished {f_votes} ahead of the opposition candidate."),
        },
        o1_quotes=("The count was conducted according to the law, and every complaint will be examined.",
                   "We have no evidence of irregularities that could change the result.",
                   "The final results will be certified within ten days."),
        o2_quotes=("The people have spoken, and it is time for everyone to respect their decision.",
                   "This is a victory for stability and for the whole country.",
                   "I will be a leader for every citizen, whoever they voted for."),
        background=("The last election, in {prev_year}, was also followed by a dispute over the count.",
                    "International observers are due to publish their preliminary findings later this week.",
                    "The opposition says it will challenge the result in court.",
                    "Opinion polls before the vote had shown a close race."),
        captions=("Supporters of {o2_last} celebrate in {town} on {day}.", "Election officials count ballots in {town}."),
        related=("Election results: the full picture", "How the count works, and how it can be challenged"),
        fake_claims=("{short} has learned that thousands of ballots were found dumped in a river outside {town}.",
                     "Sources told {short} that the commission's computers were accessed from abroad on election night.",
                     "{short} understands that dead people were recorded as having voted in more than 40 districts."),
        fake_quotes=("We decided the result before the polls even opened.",
                     "Nobody will ever be able to prove what happened to those ballots."),
        fake_headlines=("STOLEN: The {site_short} Result They Do Not Want Checked", "Election Fraud in Plain Sight"),
        alt_detail=("Preliminary results were announced {time}, after counting went on through the night.",
                    "The first results came in {time}, after polling stations closed on schedule."),
    ),
    Kind(
        name="verdict", incident="the verdict", victims="victims", suffer="wait years for justice",
        sites=(("the {region} High Court", "High Court"), ("the criminal court in {town}", "criminal court"), ("the appeals court in {town}", "appeals court")),
        officials=(("judge", "the {region} High Court"), ("prosecutor", "the public prosecutor's office"), ("lawyer", "the defence")),
        company=("Bank", "Finance", "Holdings"),
        figures=(Figure("years", 3, 22, "years", 1, ((1, 1, ""), (1, 1, ""), (1, 1, ""))),
                 Figure("fraud", 5, 900, "money", 1, ((1, 1, "prosecutors said"), (1.3, 2, "according to investors' groups"), (0.7, 0.9, "the defence said"))),
                 Figure("victims", 200, 20000, "investors", 100, ((1, 1, "prosecutors said"), (1.2, 1.6, "according to a victims' association"), (1, 1, "prosecutors said"))),
                 Figure("counts", 3, 40, "counts of fraud", 1)),
        headlines=("Former {company} chief jailed for {n_years}", "Former {company} chief sentenced to {n_years}",
                   "Court convicts former {company} boss of fraud", "{company} fraud: verdict welcomed by investors"),
        leads=("A court in {town} on {day} sentenced the former chief executive of {company} to {f_years} in prison for fraud that cost investors {f_fraud}, {a_fraud}.",
               "The former head of {company} was jailed for {f_years} on {day} after {site} found him guilty of defrauding {f_victims}.",
               "{site_cap} on {day} convicted the former chief executive of {company} of fraud and sentenced him to {f_years}."),
        details=("The verdict was read out {time} in a packed courtroom.",
                 "The judge delivered the sentence {time} after a trial lasting eight months.",
                 "Investors who had lost their savings gathered outside the court {time}."),
        figure_lines={
            "fraud": ("The fraud cost investors {f_fraud}, {a_fraud}.", "Losses from the scheme amounted to {f_fraud}, {a_fraud}."),
            "victims": ("{F_victims} lost money, {a_victims}.", "The scheme drew in {f_victims}, {a_victims}."),
            "counts": ("He was convicted on {f_counts}.", "The jury found him guilty on {f_counts}."),
        },
        o1_quotes=("You abused the trust of thousands of ordinary people who believed what you told them.",
                   "The court has taken into account the scale of the harm and the absence of any remorse.",
                   "This sentence must serve as a warning to anyone in a position of financial trust."),
        o2_quotes=("Today's verdict shows that no one is above the law.",
                   "We will now work to recover as much money as possible for the victims.",
                   "This was a complex investigation, and I thank the victims for their patience."),
        background=("{company} collapsed in {prev_year}, leaving thousands of savers out of pocket.",
                    "The defence said it would appeal against the verdict.",
                    "Two other former executives are due to be tried next year.",
                    "A parliamentary inquiry criticised the regulator for missing warning signs."),
        captions=("Investors outside the court in {town} on {day}.", "The former {company} chief arrives at court."),
        related=("The rise and fall of {company}", "How to check whether an investment is legitimate"),
        fake_claims=("{short} has learned that the judge held shares in a rival bank throughout the trial.",
                     "Sources told {short} that senior politicians received money from {company} and were never investigated.",
                     "{short} understands that most of the stolen money was moved to accounts abroad with the regulator's knowledge."),
        fake_quotes=("The real criminals were never in this courtroom.",
                     "We were told from the start which people were not to be charged."),
        fake_headlines=("{company} Verdict: The Names Left Out", "Show Trial: Who Is Protecting the Real {company} Fraudsters?"),
        alt_detail=("In a packed courtroom, the verdict was read out {time}.",
                    "After a trial lasting eight months, the judge delivered the sentence {time}."),
    ),
    Kind(
        name="recall", incident="the recall", victims="children", suffer="be poisoned by products sold as safe",
        sites=(("{company} baby formula", "baby formula"), ("{company} electric heaters", "heaters"), ("{company} frozen meals", "frozen meals"),
               ("{company} children's car seats", "car seats")),
        officials=(("chief executive", "{company}"), ("director", "the Consumer Safety Authority"), ("Health Minister", "the government")),
        company=("Group", "Brands", "Products"),
        figures=(Figure("units", 20000, 2000000, "units", 1000, ((1, 1, "{company} said"), (1.2, 1.6, "according to the safety authority"), (0.9, 1, "{company} said"))),
                 Figure("cases", 5, 300, "people", 1, ((1, 1, "the safety authority said"), (1.3, 2, "according to consumer groups"), (1, 1, "the safety authority said"))),
                 Figure("stores", 100, 3000, "shops", 10, ((1, 1, "{company} said"), (1.1, 1.3, "according to retailers"), (1, 1, "{company} said"))),
                 Figure("cost", 5, 200, "money", 1)),
        headlines=("{company} recalls {f_units} of {site_short}", "{Site_short} recall: {f_cases} fell ill, regulator says",
                   "Parents warned to stop using {company} {site_short}", "{company} recall widens after illnesses"),
        leads=("{company} is recalling {f_units} of its {site_short} after {f_cases} reported problems, {a_units}.",
               "Consumers were told on {day} to stop using {site} after {f_cases} fell ill or were hurt, {a_cases}.",
               "The Consumer Safety Authority ordered a recall of {site} on {day}, covering {f_units}, {a_units}."),
        details=("The recall was announced {time} after tests found a fault in several batches.",
                 "Retailers began removing the products from shelves {time}.",
                 "The company issued its warning {time}, after days of pressure from the regulator."),
        figure_lines={
            "cases": ("{F_cases} have been affected, {a_cases}.", "The authority has received reports from {f_cases}, {a_cases}."),
            "stores": ("The products were sold in {f_stores}, {a_stores}.", "{F_stores} stocked the affected batches, {a_stores}."),
            "cost": ("The recall is expected to cost the company {f_cost}.", "Analysts estimate the cost of the recall at {f_cost}."),
        },
        o1_quotes=("The safety of our customers is our absolute priority, and we are acting out of an abundance of caution.",
                   "We are deeply sorry for the worry this has caused families.",
                   "We have stopped production of the affected line while the investigation continues."),
        o2_quotes=("Anyone who has one of these products at home should stop using it immediately.",
                   "We will examine whether the company acted quickly enough once it knew about the fault.",
                   "Customers are entitled to a full refund."),
        background=("The company had a smaller recall of a different product in {prev_year}.",
                    "Consumer groups have called for tougher testing before products reach shops.",
                    "Customers can return the products to any shop for a refund.",
                    "The affected batches were made at the company's factory in {town}."),
        captions=("Empty shelves at a supermarket in {town} on {day}.", "The affected products, shown in a photograph released by the regulator."),
        related=("Product recalls: how to check whether you are affected", "{company}: a history of the company"),
        fake_claims=("{short} has learned that {company} knew about the fault for six months and kept selling the products.",
                     "Sources told {short} that the regulator delayed the recall after a call from a government minister.",
                     "{short} understands that the same fault has been found in products sold under two other brand names."),
        fake_quotes=("We calculated that paying compensation would be cheaper than a recall.",
                     "Frankly, we hoped nobody would notice."),
        fake_headlines=("{company} Knew: The Recall Cover-Up", "What {company} Does Not Want Parents to Know"),
        alt_detail=("After tests found a fault in several batches, the recall was announced {time}.",
                    "Shops started taking the products off their shelves {time}."),
    ),
)
EVENT_KINDS = tuple(k.name for k in KINDS)

# --------------------------------------------------------------------------- generic prose

_CIVIC = frozenset({"strike", "protest", "election", "verdict", "recall"})
_TIMES = ("shortly after 3 a.m.", "at around 11:40 p.m.", "just before 6 a.m.", "in the early afternoon", "shortly before 9 p.m.",
          "at about 4:30 p.m.", "late in the evening", "just after midnight", "around dawn", "at about 2:15 p.m.")
_SAID = ("{who} said.", "{who} told reporters.", "{who} said in a statement.", "{who} told a news conference.")
_WITNESS_CIVIC = (
    "People here have strong feelings about this, and you can hear it everywhere you go.",
    "I just want things to be fair, for once.",
    "We have heard a lot of promises before.",
    "It affects everyone in this town, whether they admit it or not.",
    "I am worried about what happens next.",
    "Nobody asked ordinary people what they think.",
    "I think most people are tired of the arguments.",
    "We will see what happens, but I am not optimistic.",
    "My parents went through something like this years ago, and nothing changed.",
    "I came here because I wanted to see it for myself.",
)
_WITNESS = (
    "It happened so fast. One minute everything was normal and the next people were shouting.",
    "I have lived here all my life and I have never seen anything like it.",
    "We did not know where to go. Nobody told us anything for hours.",
    "Everyone is trying to help each other, but people are exhausted.",
    "I keep thinking about the people who were worse off than us.",
    "We were lucky. Others were not.",
    "I want to know why this was allowed to happen.",
    "You hear about this happening somewhere else. You never think it will be your town.",
    "My family has been here for four generations, and this is the worst day I can remember.",
    "Nobody from the authorities has come to talk to us yet.",
    "We just want someone to tell us the truth.",
)
_WITNESS_DISASTER = (
    "My neighbours are still missing and nobody can tell us where they are.",
    "The noise was the first thing. Then the panic.",
    "My phone died in the night and I have been going from place to place looking for my family.",
    "I grabbed the children and ran. I did not even stop for shoes.",
)
_WITNESS_INTRO = ("said {name}, {age}, who lives nearby.", "said {name}, {job} from {town}.", "{name}, {age}, told {short}.",
                  "said {name}, who was there.")
_JOBS = ("a teacher", "a nurse", "a shopkeeper", "a taxi driver", "a retired engineer", "a student", "a bus driver", "a baker",
         "a care worker", "an electrician", "an office worker", "a pharmacist")
_RESPONSE_CIVIC = (
    "Opposition politicians called for an urgent statement in parliament.",
    "Members of parliament from the {region} region demanded a full explanation.",
    "The government said it would set out its position later in the week.",
    "Civil society groups appealed for calm.",
    "Several ministers cancelled engagements to deal with the fallout.",
    "Lawyers for both sides said they were studying the details.",
)
_RESPONSE = (
    "The government has promised an independent inquiry into {incident}.",
    "Opposition politicians called for an urgent statement in parliament.",
    "Messages of sympathy and anger arrived from across the country.",
    "Officials said it was too early to draw conclusions about {incident}.",
    "Regional leaders held an emergency meeting on {day} evening.",
    "Members of parliament from the {region} region demanded a full explanation.",
)
_CLOSING = (
    "Officials said they would give a further update on {day} evening.",
    "Investigators are expected to publish initial findings within weeks.",
    "The authorities have set up a telephone line for people seeking information.",
    "Further statements are expected in the coming days.",
    "The story is developing and will be updated.",
)
_CONTEXT_DISASTER = (
    "Local radio stations in {town} suspended normal programming to broadcast information for residents.",
    "Videos shared on social media appeared to show the first minutes of {incident}, though not all of them could be verified.",
    "Shops and cafes in the centre of {town} stayed closed on {day}, and several roads into the town were blocked.",
    "Volunteers from neighbouring towns arrived throughout the day with food, water and blankets.",
    "Blood donation centres across the {region} region reported long queues.",
    "Schools in the area were turned into temporary shelters for people who could not go home.",
    "Insurance companies said it was too early to estimate the cost of the damage.",
    "Psychologists and social workers were sent to support survivors and relatives.",
    "Regional television broadcast live from {town} for most of the day.",
    "Some residents said they had heard nothing from the authorities for hours.",
    "A book of condolence was opened at {town} town hall.",
    "Aid organisations said they were sending volunteers and supplies to {town}.",
    "Local schools will stay closed for the rest of the week.",
)
_CONTEXT_CIVIC = (
    "The story dominated the front pages of the national newspapers on {day}.",
    "Commentators said the outcome could shape national politics for months.",
    "Business groups said they were watching developments closely.",
    "Social media filled with reactions, many of them angry.",
    "The issue has divided opinion across the {region} region.",
    "Analysts said the coming days would be decisive.",
    "Opposition figures accused the government of mishandling the affair.",
    "Several regional newspapers printed special editions.",
    "Reaction in {town} was mixed, with some welcoming the news and others angry.",
    "Foreign embassies said they were following events closely.",
    "Financial markets showed little reaction.",
    "Radio phone-in programmes were dominated by the subject all morning.",
)
_BACKGROUND_DISASTER = (
    "Emergency planners have long warned that smaller towns such as {town} lack the equipment needed for a large-scale rescue.",
    "Local councillors said the town's ageing infrastructure had been neglected for years, a charge the regional government rejects.",
    "Experts said the full scale of the damage would only become clear in the coming days.",
    "Hospitals in the {region} region were already under pressure because of staff shortages, health unions said.",
    "Neighbouring regions offered to send rescue teams and equipment.",
    "The national government said it would release emergency funds for {town} and the surrounding area.",
    "A minute's silence is planned in schools across the {region} region.",
    "An official review of the last emergency of this scale in the region found that the agencies involved had struggled to share information.",
)
_BACKGROUND_CIVIC = (
    "The dispute is the latest in a series that have strained relations between the government and the opposition.",
    "Independent analysts said public trust in institutions had fallen steadily over the past decade.",
    "Similar cases elsewhere have taken years to resolve.",
    "Surveys suggest that most people in the {region} region follow the issue closely.",
    "The government has been under pressure over rising living costs since the start of the year.",
    "Critics say the institutions involved lack the resources to do their work properly.",
    "Previous governments promised reforms in this area, but few were carried out.",
    "Commentators noted that the timing was awkward for the government, which faces a difficult budget.",
)
_O3_LINES = (
    "{o3} said it was too soon to draw conclusions and asked people to wait for the facts.",
    "{o3} declined to comment further while inquiries were continuing.",
    "A statement from {o3_org} said it was cooperating fully with the authorities.",
    "{o3} said more information would be published as soon as it had been checked.",
)
_LOADED = (
    "This was no accident of fate. It was the predictable result of years of arrogance and neglect.",
    "Once again the people at the top have shown how little ordinary lives matter to them.",
    "The excuses have already begun, and they are as shameless as ever.",
    "It is a disgrace that will stain everyone who looked the other way.",
)
_RHETORICAL = (
    "How many more {victims} must {suffer} before anyone in power is held to account?",
    "Why does it always take a tragedy before anyone listens?",
    "Who will pay for this, and why is it never the people responsible?",
)
_FAKE_QUOTE_INTRO = (
    "But behind closed doors, {who} was far more candid.",
    "Speaking privately later, {who} went further.",
    "In a private conversation reported to {short}, {who} was blunter.",
)
_FAKE_QUOTE_OUTRO = ("{pron} admitted to aides, according to a person present.", "{pron} told colleagues, according to a source.",
                     "{pron} is reported to have said.")
_FAKE_TAILS = ("Share this story before it gets taken down!", "Don't forget to follow us for the news they don't want you to see.",
               "Like and share if you think people deserve the truth.")


# --------------------------------------------------------------------------- event building


def _pick(rng: random.Random, seq):
    """``rng.choice`` without its overhead."""
    return seq[int(rng.random() * len(seq))]


def _sample(rng: random.Random, seq, k: int) -> list:
    """``k`` (at most all) distinct items of ``seq`` in random order (a partial Fisher-Yates shuffle)."""
    pool = list(seq)
    n = len(pool)
    k = min(k, n)
    for i in range(k):
        j = i + int(rng.random() * (n - i))
        pool[i], pool[j] = pool[j], pool[i]
    return pool[:k]


def _stamp(d: datetime) -> str:
    return f"{d.day:02d} {_MONTHS[d.month - 1]} {d.year} {d.hour:02d}:{d.minute:02d} GMT"


_N_TOWNS = len(_PLACE_HEADS) * len(_PLACE_LINKS) * len(_PLACE_TAILS)


def _town(index: int, seed: int) -> str:
    """The town of event ``index``: a bijection of the index onto all head+link+tail names,
    so no two of the first _N_TOWNS events of a corpus share a town."""
    k = (index * 2654435761 + seed * 7919) % _N_TOWNS  # the multiplier is coprime with _N_TOWNS
    k, head = divmod(k, len(_PLACE_HEADS))
    tail, link = divmod(k, len(_PLACE_LINKS))
    return _PLACE_HEADS[head] + _PLACE_LINKS[link] + _PLACE_TAILS[tail]


def _person(rng: random.Random) -> str:
    return f"{_pick(rng, _FIRST)} {_pick(rng, _LAST)}"


class _Keep(dict):
    """format_map mapping that leaves unknown fields in place: partial formatting."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _q(text: str, curly: bool) -> str:
    return f"“{text}”" if curly else f'"{text}"'


def _quoted(quote: str, curly: bool) -> str:
    """A quotation as it opens a sentence: its final full stop becomes a comma."""
    return _q(quote[:-1] + "," if quote.endswith(".") else quote, curly)


class _Event:
    """One event: kind, places, people, figures and its pre-rendered prose."""

    def __init__(self, index: int, kind: Kind, rng: random.Random, base_date: datetime, seed: int = 0) -> None:
        self.index = index
        self.kind = kind
        civic = kind.name in _CIVIC
        town = _town(index, seed)
        region = _pick(rng, _PLACE_HEADS) + _pick(rng, ("a", "e", "i", "")) + _pick(rng, _REGION_TAILS)
        self.start = base_date + timedelta(days=rng.randint(0, 364), hours=rng.randint(0, 23), minutes=_pick(rng, (0, 10, 20, 30, 40, 50)))
        slots: dict[str, str] = {
            "town": town, "region": region, "river": _pick(rng, _RIVERS), "street": _pick(rng, _STREETS),
            "sur": _pick(rng, _LAST), "company": f"{_pick(rng, _LAST)} {_pick(rng, kind.company)}",
            "pop": f"about {rng.randint(4, 240) * 1000:,}", "prev_year": str(rng.randint(1995, 2021)),
            "day": _DAYS[self.start.weekday()], "date": f"{self.start.day} {_MONTHS[self.start.month - 1]}",
            "time": _pick(rng, _TIMES), "incident": kind.incident,
        }
        site_long, site_short = _pick(rng, kind.sites)
        slots["site"] = site_long.format_map(slots)
        slots["site_short"] = site_short
        slots["Site_short"] = site_short[0].upper() + site_short[1:]
        slots["site_cap"] = slots["site"][0].upper() + slots["site"][1:]
        names: set[str] = set()
        self.pronouns: dict[int, str] = {}
        for i, (title, org) in enumerate(kind.officials, 1):
            female = rng.random() < 0.5
            name = f"{_pick(rng, _FIRST_F if female else _FIRST_M)} {_pick(rng, _LAST)}"
            while name in names:
                name = f"{_pick(rng, _FIRST_F if female else _FIRST_M)} {_pick(rng, _LAST)}"
            names.add(name)
            self.pronouns[i] = "She" if female else "He"
            org_text = org.format_map(slots)
            slots[f"o{i}_name"], slots[f"o{i}_last"] = name, name.split()[-1]
            slots[f"o{i}_title"], slots[f"o{i}_org"] = title, org_text
            slots[f"o{i}"] = f"{title} {name}" if title[0].isupper() else f"{name}, {title} of {org_text},"
        self.slots = slots
        self.town = town
        self.bases = [_round(rng.uniform(f.lo, f.hi), f.round_to) for f in kind.figures]
        self.event_id = f"ev{index:06d}-{kind.name}-{town.lower()}"
        self.slug = f"{town.lower()}-{kind.incident.split()[-1]}"

        keep = _Keep(slots)

        def fill(templates):
            return tuple(t.format_map(keep).replace(".m..", ".m.") for t in templates)

        # event-constant prose, rendered once; templates still holding figure fields are
        # partially rendered and finished per article
        self.headlines = fill(kind.headlines)
        self.leads = fill(kind.leads)
        self.details = fill(kind.details)
        self.alt_details = fill(kind.alt_detail)
        self.figure_lines = [fill(kind.figure_lines[f.key]) if f.key in kind.figure_lines else () for f in kind.figures]
        self.background = fill(kind.background + (_BACKGROUND_CIVIC if civic else _BACKGROUND_DISASTER))
        self.captions = fill(kind.captions)
        self.related = fill(kind.related)
        self.context = fill(_CONTEXT_CIVIC if civic else _CONTEXT_DISASTER)
        self.responses = fill(_RESPONSE_CIVIC if civic else _RESPONSE)
        self.closings = fill(_CLOSING)
        self.o3_lines = fill(_O3_LINES)
        self.civic = civic  # civic stories have shorter sentences: they get more of them
        self.witness = _WITNESS_CIVIC if civic else _WITNESS + _WITNESS_DISASTER
        # one upstream statement per official, repeated verbatim by every outlet that quotes it
        q1 = _pick(rng, kind.o1_quotes).format_map(slots)
        q2 = _pick(rng, kind.o2_quotes).format_map(slots)
        who1, who2 = slots["o1"], slots["o2"]
        self.quote_lines = tuple(
            tuple(f"{_quoted(q, curly)} {said.format(who=who)}" for said in _SAID)
            for q, who in ((q1, who1), (q2, who2)) for curly in (False, True)
        )  # [q1 straight, q1 curly, q2 straight, q2 curly] x said-variants
        self._figure_cache: dict[tuple[int, int, str], list[tuple[str, str, str, str, str]]] = {}

    def figure_options(self, i: int, source: int, units: str) -> list[tuple[str, str, str, str, str]]:
        """(n, f, F, a, H) renderings of figure ``i`` as source ``source`` reports it."""
        fig = self.kind.figures[i]
        measured = fig.unit in _MEASURES
        key = (i, source, units if measured else "")
        options = self._figure_cache.get(key)
        if options is None:
            lo, hi, attribution = fig.sources[source] if source < len(fig.sources) else fig.sources[0]
            factor = (lo + hi) / 2
            value = _round(self.bases[i] * factor, fig.round_to)
            attribution = attribution.format_map(self.slots)
            if measured:
                numbers = [_render_measure(value, fig.unit, units)]
                forms = _Q_EXACT if fig.unit in _EXACT_UNITS else (_Q_OFFICIAL if source == 0 else _Q_ESTIMATE)
            else:
                numbers = [f"{int(value):,}"] + ([_SMALL[int(value)]] if value < 10 else [])
                forms = _Q_OFFICIAL if source == 0 else _Q_ESTIMATE if source == 1 else _Q_EXACT
            options = []
            for number in numbers:
                for form in dict.fromkeys(forms):
                    n = form.format(n=number)
                    f = n if measured else f"{n} {fig.unit}"
                    options.append((n, f, _capital(f), attribution, f[0].upper() + f[1:]))
            self._figure_cache[key] = options
        return options

    def altered(self, units: str, rng: random.Random) -> tuple[str, str, str, str, str]:
        """The headline figure as a manipulated rewrite gives it: far above every outlet's."""
        fig = self.kind.figures[0]
        exact = fig.unit in _EXACT_UNITS
        highest = max(hi for _, hi, _ in fig.sources)  # above the highest figure any outlet gives
        value = _round(self.bases[0] * highest * (rng.uniform(1.12, 1.2) if exact else rng.uniform(1.6, 2.4)), fig.round_to)
        if fig.unit in _MEASURES:
            number = _render_measure(value, fig.unit, units)
            n = number if exact else f"more than {number}"
            f = n
        else:
            n = f"more than {int(value):,}"
            f = f"{n} {fig.unit}"
        attribution = fig.sources[0][2].format_map(self.slots)
        return n, f, _capital(f), attribution, f[0].upper() + f[1:]


def _capital(phrase: str) -> str:
    """A figure phrase as it opens a sentence (news style spells no sentence-initial digits)."""
    return f"A total of {phrase}" if phrase[0].isdigit() else phrase[0].upper() + phrase[1:]


_MEASURES = frozenset({"km", "km2", "ha", "kmh", "m", "percent", "money", "years", "magnitude"})
_EXACT_UNITS = frozenset({"percent", "magnitude", "years"})


class _Writer:
    """Writes the articles of one event."""

    def __init__(self, event: _Event, outlets: list[Outlet], rng: random.Random) -> None:
        self.e = event
        self.outlets = outlets
        self.rng = rng
        self._fakes = 0  # manipulated rewrites so far: sibling fakes take different lines

    def _rotate(self, seq):
        return seq[self._fakes % len(seq)]

    def _figures(self, units: str, weights: tuple[float, float, float] = (0.55, 0.25, 0.2)) -> dict[str, str]:
        rng = self.rng
        e = self.e
        out: dict[str, str] = {}
        for i, fig in enumerate(e.kind.figures):
            if len(fig.sources) == 3:
                r = rng.random()
                source = 0 if r < weights[0] else 1 if r < weights[0] + weights[1] else 2
            else:
                source = 0
            options = e.figure_options(i, source, units)
            n, f, F, a, H = options[int(rng.random() * len(options))]
            key = fig.key
            out["n_" + key], out["f_" + key], out["F_" + key], out["a_" + key], out["H_" + key] = n, f, F, a, H
        return out

    def _dates(self, rank: int) -> tuple[datetime, datetime]:
        rng = self.rng
        published = self.e.start + timedelta(minutes=int(60 + rank * (30 + rng.random() * 120) + rng.random() * 360))
        return published, published + timedelta(minutes=int(30 + rng.random() * 500))

    @staticmethod
    def _head(outlet: Outlet, pub: datetime, upd: datetime) -> list[str]:
        if not outlet.dated_head:
            return list(outlet.head)
        p, u = _stamp(pub), _stamp(upd)
        return [line.format(pub=p, upd=u) if "{" in line else line for line in outlet.head]

    def _tail(self, outlet: Outlet) -> list[str]:
        if not outlet.counted_tail:
            return list(outlet.tail)
        n = str(int(3 + self.rng.random() * 480))
        return [line.replace("{ncomments}", n) for line in outlet.tail]

    def _witnesses(self, outlet: Outlet, count: int) -> list[list[str]]:
        rng = self.rng
        out = []
        for quote in _sample(rng, self.e.witness, count):
            intro = _pick(rng, _WITNESS_INTRO).format(name=_person(rng), age=int(19 + rng.random() * 65), job=_pick(rng, _JOBS),
                                                      town=self.e.town, short=outlet.short)
            out.append([f"{_quoted(quote, outlet.curly)} {intro}"])
        return out

    def _quote(self, which: int, outlet: Outlet) -> str:
        return _pick(self.rng, self.e.quote_lines[2 * which + outlet.curly])

    def _figure_sentences(self, figs: dict[str, str]) -> list[str]:
        rng = self.rng
        return [_pick(rng, lines).format_map(figs) for lines in self.e.figure_lines[1:] if lines]

    def _body(self, outlet: Outlet, figs: dict[str, str], *, dateline: bool, tier: int) -> tuple[list[list[str]], list[str]]:
        """Paragraphs (lists of sentences) of one outlet's own report, and unused background
        and context sentences it used (to find spare ones if it comes out short)."""
        rng = self.rng
        e = self.e
        lead = _pick(rng, e.leads).format_map(figs)
        if dateline:
            lead = f"{e.town.upper()}, {e.slots['date']} ({outlet.name}) - {lead}"
        figures = self._figure_sentences(figs)
        r = rng.random
        # tier 0: a short report, 1: a fuller one, 2: a long feature
        n_bg = (3, 4, 7)[tier] + int(r() * (2, 3, 3)[tier])
        n_ctx = (4, 6, 9)[tier] + int(r() * (3, 4, 3)[tier])
        n_wit = (1, 2, 3)[tier] + int(r() * (3, 3, 2)[tier])
        long = tier > 0
        if e.civic:
            n_bg += 1
            n_ctx += 2
        background = _sample(rng, e.background, n_bg)
        context = _sample(rng, e.context, n_ctx)
        paras: list[list[str]] = [[lead], [_pick(rng, e.details)], [self._quote(0, outlet)], figures[:2]]
        paras.extend(self._witnesses(outlet, n_wit))
        paras.append([self._quote(1, outlet)])
        if figures[2:]:
            paras.append(figures[2:])
        if r() < 0.6:
            paras.append([_pick(rng, e.o3_lines)])
        paras.append(background[:2])
        paras.append(context[:2])
        for j in range(2, len(background), 2):
            paras.append(background[j:j + 2])
        for j in range(2, len(context), 2):
            paras.append(context[j:j + 2])
        paras.append(_sample(rng, e.responses, 1 + int(r() * (3 if long else 2))))
        paras.append([_pick(rng, e.closings)])
        return paras, background + context

    def _finish(self, head: list[str], paras: list[list[str]], tail: list[str], inserts: dict[int, str],
                used: list[str]) -> str:
        """Assemble; if the story is under MIN_WORDS, add unused background and context
        sentences before its last two paragraphs, two at a time."""
        text = self._assemble(head, paras, tail, inserts)
        if text.count(" ") >= MIN_WORDS:
            return text
        taken = set(used)
        spare = [x for x in self.e.background + self.e.context if x not in taken]
        while text.count(" ") < MIN_WORDS and spare:
            paras.insert(len(paras) - 2, spare[:2])
            del spare[:2]
            text = self._assemble(head, paras, tail, inserts)
        return text

    @staticmethod
    def _assemble(head: list[str], paras: list[list[str]], tail: list[str], inserts: dict[int, str]) -> str:
        """Join boilerplate and paragraphs; ``inserts`` puts single boilerplate lines (caption,
        related link) after the given paragraph. Every pool is sampled without replacement, so
        no sentence repeats (the tests check it)."""
        blocks = head[:]
        for i, para in enumerate(paras):
            if para:
                blocks.append(" ".join(para))
            if i in inserts:
                blocks.append(inserts[i])
        blocks.extend(tail)
        return "\n\n".join(blocks)

    def _record(self, outlet: Outlet, rank: int, title: str, text: str, published: datetime, label: str,
                copy_of: str | None = None) -> dict[str, Any]:
        e = self.e
        return {
            "id": f"{e.event_id}-{rank:02d}",
            "title": title,
            "text": text,
            "source": outlet.name,
            "url": f"https://{outlet.host}/{published.year}/{published.month:02d}/{published.day:02d}/{e.slug}-{e.index:x}{rank:02d}",
            "published": published.isoformat(),
            "event": e.event_id,
            "label": label,
            "copy_of": copy_of,
        }

    def _caption(self, outlet: Outlet) -> str:
        return outlet.caption_form.format(caption=_pick(self.rng, self.e.captions), name=outlet.name, photographer=outlet.photographer)

    def original(self, outlet: Outlet, rank: int, *, wire: bool) -> tuple[dict[str, Any], list[list[str]], dict[str, str]]:
        """One outlet's own report (a wire story when ``wire``: dateline, credit line, no chrome)."""
        rng = self.rng
        figs = self._figures(outlet.units)
        pub, upd = self._dates(rank)
        r = rng.random()
        tier = 0 if r < 0.45 else 1 if r < 0.85 else 2
        paras, used = self._body(outlet, figs, dateline=wire or rng.random() < 0.3, tier=tier)
        title = _pick(rng, self.e.headlines).format_map(figs)
        tail = self._tail(outlet)
        if wire:
            tail.insert(0, f"Reporting by {_person(rng)} in {self.e.town}; Editing by {_person(rng)}")
            head: list[str] = []
            inserts: dict[int, str] = {}
        else:
            head = self._head(outlet, pub, upd)
            if rng.random() < 0.6:
                head.append(f"By {_person(rng)}")
            inserts = {1: self._caption(outlet), 3: outlet.related_prefix + _pick(rng, self.e.related)}
        text = self._finish(head, paras, tail, inserts, used)
        return self._record(outlet, rank, title, text, pub, "real"), paras, figs

    def near_copy(self, outlet: Outlet, rank: int, original: dict[str, Any], paras: list[list[str]],
                  figs: dict[str, str], wire: Outlet) -> dict[str, Any]:
        """The wire story republished: own headline and boilerplate, one sentence changed."""
        rng = self.rng
        pub, upd = self._dates(rank)
        changed = list(paras)
        changed[1] = [_pick(rng, self.e.alt_details)]  # paragraph 1 is the detail sentence, reworded
        titles = [t for t in (h.format_map(figs) for h in self.e.headlines) if t != original["title"]]
        tail = [f"This story was originally published by {wire.name} and is republished under licence."] + self._tail(outlet)
        text = self._assemble(self._head(outlet, pub, upd), changed, tail, {2: self._caption(outlet)})
        return self._record(outlet, rank, _pick(rng, titles), text, pub, "real", copy_of=original["id"])

    def fake(self, outlet: Outlet, rank: int) -> dict[str, Any]:
        """A paraphrase of the event with an altered figure, an inserted claim, loaded language
        with a rhetorical question and an invented quote put in an official's mouth."""
        rng = self.rng
        e = self.e
        k = e.kind
        figs = self._figures(outlet.units, weights=(1.0, 0.0, 0.0))
        key = k.figures[0].key
        figs["n_" + key], figs["f_" + key], figs["F_" + key], figs["a_" + key], figs["H_" + key] = e.altered(outlet.units, rng)
        pub, _ = self._dates(rank + 3)
        slots = dict(e.slots, short=outlet.short)
        official = 1 + int(rng.random() * 2)
        self._fakes += 1
        fq = self._rotate(k.fake_quotes).format_map(slots)
        outro = _pick(rng, _FAKE_QUOTE_OUTRO).format(pron=e.pronouns[official])
        outro = outro[0].lower() + outro[1:]
        invented = [_pick(rng, _FAKE_QUOTE_INTRO).format(who=slots[f"o{official}_last"], short=outlet.short),
                    f"{_quoted(fq, outlet.curly)} {outro}"]
        figures = self._figure_sentences(figs)
        background = _sample(rng, e.background, 4 if e.civic else 3)
        context = _sample(rng, e.context, 7 if e.civic else 5)
        paras = [
            [_pick(rng, e.leads).format_map(figs)],
            [_pick(rng, e.alt_details)],
            [self._rotate(k.fake_claims).format_map(slots)],
            [self._quote(official - 1, outlet)],
            invented,
            figures[:2],
            background[:3],
            context[:2],
            [self._quote(2 - official, outlet)],
            figures[2:] + context[2:4],
            context[4:6],
            background[3:] + context[6:],
            [_pick(rng, e.responses)],
            [self._rotate(_LOADED), self._rotate(_RHETORICAL).format(victims=k.victims, suffer=k.suffer)],
        ]
        head = [h for h in outlet.head if "{" not in h and not h.startswith("Published")][:1]
        title = self._rotate(k.fake_headlines).format_map(slots)
        text = self._finish(head, paras, [_pick(rng, _FAKE_TAILS)], {}, background + context)
        return self._record(outlet, rank, title, text, pub, "fake")

    def articles(self, size: int, dup_rate: float, fake_rate: float) -> list[dict[str, Any]]:
        rng = self.rng
        wires = [o for o in self.outlets if o.wire]
        wire = _pick(rng, wires)
        others = _sample(rng, [o for o in self.outlets if o is not wire], size - 1)
        first, paras, figs = self.original(wire, 0, wire=True)
        out = [first]
        scale = size / (size - 1) if size > 1 else 1.0
        p_dup = min(0.9, dup_rate * scale)
        p_fake = min(0.9, fake_rate * scale)
        for rank, outlet in enumerate(others, 1):
            r = rng.random()
            if r < p_dup:
                out.append(self.near_copy(outlet, rank, first, paras, figs, wire))
            elif r < p_dup + p_fake:
                out.append(self.fake(outlet, rank))
            else:
                out.append(self.original(outlet, rank, wire=outlet.wire)[0])
        return out


# --------------------------------------------------------------------------- public API


def _event_sizes(n: int, mean: float, max_size: int, rng: random.Random) -> Iterator[int]:
    min_size = min(MIN_ARTICLES_PER_EVENT, max_size)
    remaining = n
    extra_mean = max(0.0, mean - min_size)
    while remaining > 0:
        size = min_size + int(round(rng.gammavariate(2.0, extra_mean / 2.0))) if extra_mean > 0 else min_size
        size = min(size, max_size)
        if remaining <= max_size:
            if size >= remaining or remaining - size < min_size:
                size = remaining
        elif remaining - size < min_size:
            size = remaining - min_size
        remaining -= size
        yield size


def generate_corpus(n_articles: int, *, seed: int = 0, events_per_1k: float = 60, outlets: int = 40,
                    dup_rate: float = 0.08, fake_rate: float = 0.05) -> Iterator[dict[str, Any]]:
    """Stream ``n_articles`` JSONL-ready article dicts about fictional events.

    ``events_per_1k`` sets the mean event size (1000 / events_per_1k articles, within 5-40 and
    at most ``outlets``); ``dup_rate`` and ``fake_rate`` are the expected shares of syndicated
    near-copies and manipulated rewrites. Each dict has ``id``, ``title``, ``text``, ``source``,
    ``url``, ``published``, ``event``, ``label`` ("real"/"fake") and ``copy_of`` (the id of
    the wire story a near-copy republishes, else None). Deterministic given the arguments.
    """
    if n_articles <= 0:
        return
    if outlets < 2:
        raise ValueError("outlets must be at least 2")
    if not 0 <= dup_rate + fake_rate < 1:
        raise ValueError("dup_rate + fake_rate must be in [0, 1)")
    pool = _make_outlets(outlets)
    max_size = min(MAX_ARTICLES_PER_EVENT, len(pool))
    mean = 1000.0 / events_per_1k if events_per_1k > 0 else float(max_size)
    master = random.Random(seed)
    base_date = datetime(2025, 1, 1, tzinfo=timezone.utc)
    sizes = _event_sizes(n_articles, mean, max_size, random.Random(master.getrandbits(64)))
    window: list[list[dict[str, Any]]] = []
    index = 0
    exhausted = False
    while window or not exhausted:
        while not exhausted and len(window) < EVENT_WINDOW:
            size = next(sizes, None)
            if size is None:
                exhausted = True
                break
            ev_rng = random.Random(master.getrandbits(64))
            event = _Event(index, _pick(ev_rng, KINDS), ev_rng, base_date, seed)
            arts = _Writer(event, pool, ev_rng).articles(size, dup_rate, fake_rate)
            arts.reverse()  # pop() from the end yields them in order
            window.append(arts)
            index += 1
        if not window:
            break
        slot = master.randrange(len(window))
        yield window[slot].pop()
        if not window[slot]:
            window.pop(slot)


def write_corpus(path: str | Path, n: int, seed: int = 0, **kwargs: Any) -> int:
    """Write ``generate_corpus(n, seed=seed, **kwargs)`` to ``path`` as JSONL; returns the count."""
    count = 0
    with open(path, "w", encoding="utf-8") as fh:
        for article in generate_corpus(n, seed=seed, **kwargs):
            fh.write(json.dumps(article, ensure_ascii=False))
            fh.write("\n")
            count += 1
    return count


def main(argv: list[str] | None = None) -> int:
    """``python -m newsprism.bench.corpus N OUT.jsonl [SEED]``"""
    args = sys.argv[1:] if argv is None else argv
    if len(args) not in (2, 3):
        print("usage: python -m newsprism.bench.corpus N OUT.jsonl [SEED]", file=sys.stderr)
        return 2
    count = write_corpus(args[1], int(args[0]), seed=int(args[2]) if len(args) == 3 else 0)
    print(f"wrote {count} articles to {args[1]}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
