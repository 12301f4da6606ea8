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
  ``tests/test_bench.py``), so a batch can never be refused for a clash of ids.
"""

from __future__ import annotations

import itertools
import json
import threading
from collections.abc import Callable, Iterable
from typing import Any, ClassVar

import durable_rules_engine
from durable import engine as durable_engine

from engine.errors import EngineError
from engine.evaluation.compiler import CompiledSet

Firing = tuple[str, list[int]]  # (rule name, positions in the batch of the facts it matched)

# str(0) … str(COLLISION_FREE_IDS - 1) have pairwise distinct 32-bit FNV-1a hashes (the first clash
# is str(40189) with str(797186)).
COLLISION_FREE_IDS = 797_186


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
                definition = {k: dict(v) for k, v in compiled.definition.items()}  # durable pops 'run'
                self.set_rulesets({compiled.name: definition})

    def run_batch(self, compiled: CompiledSet, facts: Iterable[dict[str, Any]]) -> list[Firing]:
        """Assert one batch of indicator facts in a fresh session; return the rules that fired.

        Each fact is identified by its position in ``facts``; the firings name those positions.
        """
        with self._lock:
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
                code, state_handle = durable_rules_engine.assert_facts(
                    rules._handle, json.dumps(batch, ensure_ascii=False)
                )
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
