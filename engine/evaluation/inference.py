"""The durable_rules runtime: the only module of the engine that imports ``durable``.

One :class:`RuleHost` per process (``RuleHost.shared()``): durable_rules hosts cannot forget a
ruleset name, so rulesets are registered once, named by the content hash of what was compiled.

Known traps of durable_rules 2.0.28 and how this module handles them:

* every ``Host`` starts two timer threads that poll rulesets forever, concurrently with the caller
  (durable_rules is not thread-safe). We use neither timers nor asynchronous actions, so
  :meth:`RuleHost._run` starts none; evaluation is synchronous and guarded by a lock;
* ``post()`` lets only one rule fire per event: facts are asserted (``assert_facts``);
* a ruleset keeps at most 1,024 live sessions: every batch runs in its own session, deleted in a
  ``finally`` block;
* an exception raised inside an action is swallowed into the session state: the state is read
  before deletion and any recorded exception becomes an :class:`~engine.errors.EngineError`;
* a fact that matches no rule makes ``Host.assert_facts`` raise ``MessageNotHandledException``
  before the other facts' actions have run, and deleting a session whose actions are pending
  corrupts memory (a crash in a later call). Batches are therefore asserted through the
  ruleset's own handle, their actions always run, and only then is the session deleted and the
  unmatched fact reported (the compiled rules partition every possible fact: an engine bug);
* a session indexes its facts by a 32-bit FNV-1a hash of their id and refuses a fact whose hash is
  already taken (``MessageObservedException``), even when the ids differ: the limit on a batch is
  a birthday paradox, not a size (ids like ``"1445:1.1"`` collide within a few thousand facts).
  Facts are therefore identified by their position in the batch, ``"0"``, ``"1"``, …: these
  decimal strings have pairwise distinct hashes below :data:`COLLISION_FREE_IDS` (checked by
  ``tests/test_bench.py``), so a batch can never be refused for a clash of ids;
* durable_rules reads JSON numbers with its own small parser: an exponent is understood only after
  a fraction (``1.0e-05``), and Python writes ``1e-05`` for 0.00001 (or ``1e+16``), which it cannot
  read: one such value made the whole batch fail, or a rule read a wrong threshold. Integers are
  read into a C ``long long``. Everything this module hands to durable_rules — the ruleset
  definitions and the facts — is therefore written by :func:`durable_json`, which writes every
  float as the shortest text that reads back to the same double, with a fraction before any
  exponent, and refuses what durable_rules cannot hold (infinities, NaN, integers beyond 64 bits)
  instead of letting it be misread. ``tests/evaluation/test_numbers.py`` checks verdicts over
  extreme floats against the pure-Python reference.
"""

from __future__ import annotations

import itertools
import json
import math
import threading
from collections.abc import Callable, Iterable
from typing import Any, ClassVar

import durable_rules_engine
from durable import engine as durable_engine

from engine.errors import EngineError
from engine.evaluation.compiler import CompiledSet
from engine.files import ctrl_c_held

Firing = tuple[str, list[int]]  # (rule name, positions in the batch of the facts it matched)

# str(0) … str(COLLISION_FREE_IDS - 1) have pairwise distinct 32-bit FNV-1a hashes (the first clash
# is str(40189) with str(797186)).
COLLISION_FREE_IDS = 797_186
LONG_LONG = 2**63 - 1

_encode_str = json.JSONEncoder(ensure_ascii=False).encode


def durable_number(value: int | float) -> str:
    """A number as durable_rules' parser reads it exactly (see the module's notes)."""
    if isinstance(value, int):
        if not -LONG_LONG <= value <= LONG_LONG:
            raise EngineError(f"the integer {value} does not fit durable_rules' 64-bit integers")
        return str(value)
    if not math.isfinite(value):
        raise EngineError(f"{value} cannot be handed to durable_rules: only finite numbers can")
    text = repr(value)
    mantissa, e, exponent = text.partition("e")
    if e and "." not in mantissa:
        return f"{mantissa}.0e{exponent}"
    return text


def _plain(value: Any) -> bool:
    """Whether ``json.dumps`` writes ``value`` as durable_rules reads it (no exponent, fits 64 bits)."""
    kind = type(value)
    if kind is float:
        return value == 0.0 or 1e-4 <= abs(value) < 1e16  # repr() uses an exponent outside this range
    if kind is int:
        return -LONG_LONG <= value <= LONG_LONG
    return kind is str or kind is bool or value is None


def facts_json(facts: list[dict[str, Any]]) -> str:
    """A batch of flat facts as JSON durable_rules reads exactly: ``json.dumps`` when that is already
    so (almost always, and four times faster), :func:`durable_json` otherwise."""
    if all(_plain(v) for f in facts for v in f.values()):
        return json.dumps(facts, ensure_ascii=False)
    return durable_json(facts)


def durable_json(value: Any) -> str:
    """``value`` (dicts, lists, strings, numbers, booleans, None) as JSON durable_rules reads exactly."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, (int, float)):
        return durable_number(value)
    if isinstance(value, str):
        return _encode_str(value)
    if isinstance(value, dict):
        return "{" + ",".join(f"{_encode_str(str(k))}:{durable_json(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(durable_json(v) for v in value) + "]"
    raise EngineError(f"cannot hand {type(value).__name__} {value!r} to durable_rules")


class _Ruleset(durable_engine.Ruleset):
    """durable_rules' ruleset, its definition handed to the engine as :func:`durable_json` writes it.

    Same as ``durable.engine.Ruleset.__init__`` (durable_rules is pinned at 2.0.28), except that the
    definition is not written by ``json.dumps``.
    """

    def __init__(self, name: str, host: durable_engine.Host, definition: dict[str, Any]) -> None:
        self._actions = {}
        self._name = name
        self._host = host
        for rule_name, rule in definition.items():
            self._actions[rule_name] = durable_engine.Promise(host.get_action(rule.pop("run")))
        self._handle = durable_rules_engine.create_ruleset(name, durable_json(definition))
        self._definition = definition


class RuleHost(durable_engine.Host):
    """A durable_rules host whose actions only record which rule fired for which commune."""

    _shared: ClassVar[RuleHost | None] = None
    _shared_lock: ClassVar[threading.Lock] = threading.Lock()

    def __init__(self) -> None:
        self._sink: list[Firing] | None = None
        self._sessions = itertools.count()
        self.last_session: str | None = None  # the id of the latest batch's session (deleted when done)
        self._lock = threading.Lock()
        super().__init__()

    @classmethod
    def shared(cls) -> RuleHost:
        """The process's one host (durable_rules hosts cannot be torn down)."""
        with cls._shared_lock:
            if cls._shared is None:
                cls._shared = cls()
            return cls._shared

    def _run(self) -> None:
        """Start no background dispatch threads: all our actions run synchronously."""

    def get_action(self, action_name: str) -> Callable[[Any], None]:
        def record(c: Any) -> None:
            frames = c.m if isinstance(c.m, list) else [c.m]
            if self._sink is None:
                raise EngineError(f"rule {action_name} fired outside an evaluation")
            self._sink.append((action_name, [int(f._d["id"]) for f in frames]))

        return record

    def ensure(self, compiled: CompiledSet) -> None:
        """Register ``compiled`` unless a ruleset of the same content is already registered."""
        with self._lock:
            if compiled.name not in self._ruleset_directory:
                definition = {k: dict(v) for k, v in compiled.definition.items()}  # 'run' is popped
                ruleset = _Ruleset(compiled.name, self, definition)
                self._ruleset_directory[compiled.name] = ruleset
                self._ruleset_list.append(ruleset)

    def run_batch(self, compiled: CompiledSet, facts: Iterable[dict[str, Any]]) -> list[Firing]:
        """Assert one batch of indicator facts in a fresh session; return the rules that fired.

        Each fact is identified by its position in ``facts``; the firings name those positions.
        """
        # Ctrl-C is held back for the batch (milliseconds): interrupted between asserting the facts
        # and running their actions, durable_rules would delete a session with pending actions.
        with self._lock, ctrl_c_held():
            sid = f"s{next(self._sessions)}"
            self.last_session = sid
            batch = [{**f, "id": str(j), "sid": sid} for j, f in enumerate(facts)]
            if len(batch) > COLLISION_FREE_IDS:
                raise EngineError(f"a batch of {len(batch)} facts is larger than {COLLISION_FREE_IDS}")
            fired: list[Firing] = []
            self._sink = fired
            rules = self.get_ruleset(compiled.name)
            failed: list[BaseException] = []
            try:
                code, state_handle = durable_rules_engine.assert_facts(rules._handle, facts_json(batch))
                # Run the actions even when some fact matched no rule: deleting a session whose
                # actions are still pending corrupts durable_rules' memory (a crash, later).
                rules.do_actions(state_handle, lambda e, _: failed.extend([e] if e else []))
                if code == 1:
                    unmatched = len(batch) - sum(len(p) for _, p in fired)
                    raise EngineError(f"{unmatched} fact(s) matched no compiled rule (batch {sid})")
                if code == 2:
                    raise EngineError(f"durable_rules refused a fact as a duplicate (batch {sid})")
                if failed:
                    raise EngineError(f"durable_rules failed while running actions: {failed[0]}")
                state = self.get_state(compiled.name, sid)
                if state.get("exception"):
                    raise EngineError(f"a rule action failed inside durable_rules: {state['exception']}")
            finally:
                self._sink = None
                try:
                    self.delete_state(compiled.name, sid)
                except Exception:
                    pass
            return fired
