"""Search quality on questions as people type them: `make eval`.

    python eval/search_eval.py [--failures] [FILE ...]

Loads the FAQ and synonym groups that ship with wxbind (exactly what
`manage.py import_faq` loads) into a fresh SQLite database, asks every
question through `faq.search.search`, and prints per file and language:
- top-1: the best answer is an acceptable entry, or, for an unrelated or
  near-domain question, there is no best answer;
- confident wrong answers: a related question answered with the wrong entry,
  and an unrelated question answered at all;
- ranked first: the right entry is the first result (confident or not).

Without FILE it runs:
- faq/content/example_questions.json, the tuning part: the example questions
  search learns from (and its settings were chosen on). Search answers a
  filed question as filed, so they are cross-validated: in five folds, each
  question is asked of an index that learned from the other four only;
- eval/search.holdout.json, never tuned or trained on;
- the shared examples in ../shared/eval/ when present.
Given FILEs, it asks each of the shipped index as is.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SHARED = Path(os.environ.get("WXBIND_SHARED_DIR", ROOT.parent / "shared"))

EXAMPLES = ROOT / "faq" / "content" / "example_questions.json"
DEFAULT_FILES = [
    EXAMPLES,
    ROOT / "eval" / "search.holdout.json",
    SHARED / "eval" / "faq_queries.dev.json",
    SHARED / "eval" / "faq_queries.sentences.dev.json",
]
LANGUAGE_ORDER = ["zh", "zh-Hant", "en", "mixed"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--failures", action="store_true", help="list every question not answered correctly")
    args = parser.parse_args()

    workdir = tempfile.mkdtemp(prefix="wxbind-eval-")
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir}/eval.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "supportbot.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from faq import evaluation
    from faq.search import index_learning_from, search

    call_command("migrate", verbosity=0)
    call_command("import_faq", verbosity=0, stdout=io.StringIO())
    if args.files:
        for path in args.files:
            _print(path, evaluation.evaluate(evaluation.load(path), search), failures=args.failures)
        return
    for path in [path for path in DEFAULT_FILES if path.exists()]:
        questions = evaluation.load(path)
        if path == EXAMPLES:
            _print(
                path,
                evaluation.cross_validate(questions, index_learning_from),
                failures=args.failures,
                note="cross-validated",
            )
        else:
            _print(path, evaluation.evaluate(questions, search), failures=args.failures)


def _print(path: Path, tallies, *, failures: bool, note: str = "") -> None:
    total = tallies["all"]
    unrelated = total.questions - total.related
    described = f"{total.questions} questions ({total.related} related, {unrelated} not{', ' + note if note else ''})"
    print(f"\n{_name(path)}: {described}")
    header = f"{'language':<9} {'questions':>9}  {'top-1':>14}  {'wrong entry':>16}  {'unrelated answered':>18}"
    print(f"  {header}  ranked first")
    languages = [lang for lang in LANGUAGE_ORDER if lang in tallies] + sorted(
        lang for lang in tallies if lang not in LANGUAGE_ORDER and lang != "all"
    )
    for language in [*languages, "all"]:
        tally = tallies[language]
        print(
            f"  {language:<9} {tally.questions:>9}  "
            f"{tally.correct:>4} ({tally.accuracy:6.1%})  "
            f"{tally.wrong_entry:>3} ({tally.wrong_entry_rate:5.1%} of related)  "
            f"{tally.unrelated_answered:>18}  "
            f"{tally.ranked_first}/{tally.related}"
        )
    if failures:
        for failure in total.failures:
            print(f"    ✗ {failure}")


def _name(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


if __name__ == "__main__":
    main()
