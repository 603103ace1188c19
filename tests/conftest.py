"""Shared fixtures. Tests may read ../shared (CI has it beside the checkout)."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
DEMO_CORPUS = ROOT / "src" / "newsprism" / "demo_corpus"


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    if not SEEDS.is_dir():
        pytest.fail(f"{SEEDS} is missing: the seeds must sit beside the checkout in ../shared")
    return SEEDS


@pytest.fixture(scope="session")
def fixtures_dir() -> Path:
    return FIXTURES


@pytest.fixture(scope="session")
def demo_corpus_dir() -> Path:
    return DEMO_CORPUS


@pytest.fixture(scope="session")
def nlp():
    from newsprism import nlp as nlp_module

    return nlp_module.load()
