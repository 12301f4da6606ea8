"""Lint rules: every semantic check of a criteria set, a plan file or a cost file, as a coded rule.

A rule is one small unit (:class:`~engine.inputs.lint.rule.Rule`): a ``code`` (``CS…`` criteria
sets, ``PL…`` plan files, ``CO…`` cost files), a kebab-case ``name``, a one-line ``summary``, a
``why`` and a ``fix`` (ruff-style docs), and a check that yields
:class:`~engine.inputs.lint.rule.Finding`\\ s located by a path into the YAML document. The loaders
(:mod:`engine.inputs.loader`, :mod:`~engine.inputs.plans`, :mod:`~engine.inputs.costs`) run every
rule and report every finding of a file at once, as ``file:line:col: where: what [CODE]`` + ``hint:``.
``commune-health criteria lint FILE --ignore CODE`` skips rules, ``--list`` lists them, and
``docs/lint-rules.md`` is generated from them (``criteria lint --docs``).

Model validation (unknown keys, wrong types) is not a rule: those problems carry the fixed codes
``CS000``, ``PL000`` and ``CO000`` (``schema``) and cannot be ignored, since nothing else can be
checked in a file that does not parse into the model.

Modules: ``rule.py`` (the unit and shared helpers), ``rules_scoring.py``, ``rules_thresholds.py``,
``rules_numbers.py``, ``rules_actions.py``, ``rules_meta.py``, ``rules_language.py`` (criteria sets;
``walk.py`` walks their comparisons, actions and threshold tables), ``rules_plans.py``,
``rules_plan_targets.py`` (plan files), ``rules_costs.py`` (cost files), ``registry.py`` (the
explicit lists and the entry points), ``files.py`` (lint any of the three kinds of file).

How to add a rule
-----------------

1. Write the check in the module of its topic (or a new ``rules_<topic>.py``)::

       @rule(
           "CS140",
           "example-rule",
           summary="What the rule checks, in one line.",
           why="Why a set breaking it gives wrong results.",
           fix="What to write instead.",
       )
       def example_rule(cs: CriteriaSet) -> Iterator[Finding]:
           for loc, _, ind in indicators(cs):
               if ...:
                   yield Finding((*loc, "threshold"), "region(s) … are missing", "add …")

   The location is the path of keys and list indices in the YAML document (as pydantic names
   it); the loader turns it into file:line:col and a breadcrumb. The hint defaults to ``fix``.
   A check must not raise on any set the models accept (other rules may have found problems in
   it: skip what they report, e.g. an unknown fact).
2. Add it to the list in ``registry.py`` (codes are never reused: take the next free number).
3. Add ``tests/inputs/lint_cases/CS130.yml`` with at least one ``pass`` and one ``fail`` case.
4. Regenerate the reference: ``commune-health criteria lint --docs --out docs/lint-rules.md``.
"""
