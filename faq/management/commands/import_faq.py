from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, no_translations

from faq.importer import (
    DEFAULT_EXAMPLES,
    DEFAULT_SYNONYMS,
    DocumentError,
    default_documents,
    read_document,
    read_example_questions,
    read_synonym_groups,
)
from faq.languages import Language
from faq.models import ExampleQuestion, SynonymGroup
from faq.services import example_questions_import, faq_import, synonyms_import


class Command(BaseCommand):
    help = (
        "Import FAQ entries from Markdown documents ('## ' heading per entry). "
        "With no PATH, load the FAQ shipped with wxbind in Chinese and English, and its synonym groups "
        "and example questions if admin has none yet. Safe to re-run."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("paths", nargs="*", metavar="PATH", help="Markdown documents to import")
        parser.add_argument(
            "--lang",
            choices=[language.value for language in Language],
            help="language of the documents (default: from a .zh.md/.en.md name, else detected)",
        )
        parser.add_argument(
            "--synonyms",
            metavar="FILE",
            type=Path,
            help="also add the synonym groups in FILE (one group per line, members separated by commas)",
        )
        parser.add_argument(
            "--examples",
            metavar="FILE",
            type=Path,
            help='also file the example questions in FILE (a JSON list of {"q": question, "ok": [slug or null]})',
        )

    # The command speaks English: the entries' own validation messages too, not the admin's default language.
    @no_translations
    def handle(
        self, *args, paths: list[str], lang: str | None, synonyms: Path | None, examples: Path | None, **options
    ) -> None:
        language = Language(lang) if lang else None
        files = [Path(p) for p in paths] or default_documents()
        if synonyms is None and not paths and not SynonymGroup.objects.exists():
            synonyms = DEFAULT_SYNONYMS
        if examples is None and not paths and not ExampleQuestion.objects.exists():
            examples = DEFAULT_EXAMPLES
        try:
            documents = [read_document(path, language) for path in files]
            groups = read_synonym_groups(synonyms) if synonyms else []
            questions = read_example_questions(examples) if examples else []
            report = faq_import(documents=documents)
            if groups:
                self._report_synonyms(synonyms_import(groups=groups), synonyms)
        except DocumentError as exc:
            raise CommandError(f"{exc}\nNothing was imported.") from None
        except ValidationError as exc:
            raise CommandError(f"{synonyms}: {' '.join(exc.messages)}\nNo synonym group was imported.") from None
        try:
            if questions:
                self._report_examples(example_questions_import(examples=questions), examples)
        except ValidationError as exc:
            raise CommandError(f"{examples}: {' '.join(exc.messages)}\nNo example question was imported.") from None
        for warning in report.warnings:
            self.stderr.write(self.style.WARNING(f"warning: {warning}"))
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {len(files)} document(s): {len(report.created)} created, "
                f"{len(report.updated)} updated, {len(report.unchanged)} unchanged."
            )
        )
        for label, slugs in (("created", report.created), ("updated", report.updated)):
            if slugs:
                self.stdout.write(f"  {label}: {', '.join(slugs)}")

    def _report_synonyms(self, report, path: Path) -> None:
        for skipped in report.skipped:
            self.stderr.write(self.style.WARNING(f"warning: {path.name}: skipped {skipped}"))
        self.stdout.write(
            self.style.SUCCESS(
                f"Synonym groups from {path.name}: {report.created} added, {report.unchanged} unchanged."
            )
        )

    def _report_examples(self, report, path: Path) -> None:
        for skipped in report.skipped[:10]:
            self.stderr.write(self.style.WARNING(f"warning: {path.name}: skipped {skipped}"))
        if len(report.skipped) > 10:
            self.stderr.write(self.style.WARNING(f"warning: {path.name}: and {len(report.skipped) - 10} more skipped"))
        self.stdout.write(
            self.style.SUCCESS(
                f"Example questions from {path.name}: {report.created} added, {report.unchanged} unchanged."
            )
        )
