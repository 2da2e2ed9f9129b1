from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from faq.importer import DocumentError, default_documents, read_document
from faq.languages import Language
from faq.services import faq_import


class Command(BaseCommand):
    help = (
        "Import FAQ entries from Markdown documents ('## ' heading per entry). "
        "With no PATH, load the FAQ shipped with wxbind in Chinese and English. Safe to re-run."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("paths", nargs="*", metavar="PATH", help="Markdown documents to import")
        parser.add_argument(
            "--lang",
            choices=[language.value for language in Language],
            help="language of the documents (default: from a .zh.md/.en.md name, else detected)",
        )

    def handle(self, *args, paths: list[str], lang: str | None, **options) -> None:
        language = Language(lang) if lang else None
        files = [Path(p) for p in paths] or default_documents()
        try:
            documents = [read_document(path, language) for path in files]
            report = faq_import(documents=documents)
        except DocumentError as exc:
            raise CommandError(f"{exc}\nNothing was imported.") from None
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
