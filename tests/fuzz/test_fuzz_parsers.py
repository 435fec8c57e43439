"""Bounded fuzzing in the suite: mutated inputs to every parser are accepted or refused, never crash.

The budget is small (a few dozen cases per parser) so the suite stays fast; the full run with
10,000+ cases is ``python benchmarks/fuzz_all.py``.
"""

from __future__ import annotations

import fuzzkit
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

BUDGET = settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],  # no shrinking: a case is a seed; the failure is printed as is
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@pytest.fixture(scope="module")
def runners(tmp_path_factory: pytest.TempPathFactory) -> fuzzkit.Runners:
    return fuzzkit.Runners(tmp_path_factory.mktemp("fuzz"), deep=True)


def _check(runners: fuzzkit.Runners, kind: str, case: object) -> None:
    outcome = fuzzkit.classify(lambda: getattr(runners, kind)(case))
    assert outcome.status in ("accepted", "refused"), (kind, case, outcome)


@pytest.mark.parametrize(
    "kind",
    ["regions", "index_config", "policy", "grensform", "register_csv"],
)
@BUDGET
@given(rnd=st.randoms(use_true_random=False))
def test_text_parsers_never_crash(runners, kind, rnd):
    _check(runners, kind, fuzzkit.make_case(kind, rnd))


@settings(BUDGET, max_examples=10)
@given(rnd=st.randoms(use_true_random=False))
def test_register_workbook_never_crashes(runners, rnd):
    _check(runners, "register_xlsx", fuzzkit.make_case("register_xlsx", rnd))


@BUDGET
@given(query=st.one_of(st.sampled_from(fuzzkit.PROFILE_QUERIES), st.text(max_size=40)))
def test_profile_queries_never_crash(runners, query):
    _check(runners, "profile", query)


@BUDGET
@given(name=st.one_of(st.sampled_from(fuzzkit.OUT_NAMES), st.text(min_size=1, max_size=30)))
def test_out_values_never_crash_nor_touch_foreign_files(runners, name):
    _check(runners, "out", name)


@BUDGET
@given(url=st.one_of(st.sampled_from(fuzzkit.DB_URLS), st.text(max_size=40)))
def test_db_values_never_crash(runners, url):
    _check(runners, "db", url)


@pytest.mark.parametrize("special", fuzzkit.SPECIALS, ids=range(len(fuzzkit.SPECIALS)))
@pytest.mark.parametrize("kind", ["regions", "index_config", "policy", "grensform"])
def test_hostile_yaml_is_refused(runners, kind, special):
    outcome = fuzzkit.classify(lambda: getattr(runners, kind)(special))
    assert outcome.status == "refused", outcome


def test_seeds_are_accepted(runners):
    """The fuzz starts from valid inputs: each seed passes, so mutations probe real parsing."""
    for kind in ("regions", "index_config", "policy", "grensform"):
        for text in fuzzkit.seeds(kind):
            assert (
                fuzzkit.classify(lambda t=text, k=kind: getattr(runners, k)(t.encode())).status == "accepted"
            )
    xlsx = (fuzzkit.EXAMPLES / "register" / "voorbeeld-register.xlsx").read_bytes()
    assert fuzzkit.classify(lambda: runners.register_xlsx(xlsx)).status == "accepted"
