"""`haven manage hsds import FILE` / `haven manage hsds export FILE`: HSDS 3.0 packages from the command line.

Import checks the whole package first and writes nothing when anything is wrong (the report is printed,
exit code 2). Export writes JSON, or a tabular CSV zip when FILE ends in .zip.
"""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from haven.directory import actions, hsds, queries


class Command(BaseCommand):
    help = "Import or export the service directory as an Open Referral HSDS 3.0 package (JSON or CSV zip)."

    def add_arguments(self, parser):
        parser.add_argument("direction", choices=["import", "export"])
        parser.add_argument("file")

    def handle(self, *args, direction, file, **options):
        path = Path(file)
        if direction == "export":
            tables = queries.directory_tables()
            if path.suffix == ".zip":
                path.write_bytes(hsds.csv_zip_from_tables(tables))
            else:
                import json

                path.write_text(json.dumps(hsds.json_from_tables(tables), indent=1, ensure_ascii=False), "utf-8")
            self.stdout.write(f"Exported {len(tables['service'])} services to {path}")
            return
        try:
            tables, report = hsds.tables_from_bytes(path.name, path.read_bytes())
            report = actions.directory_import(actor=None, tables=tables, report=report)
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}", returncode=2) from None
        except hsds.PackageError as error:
            raise CommandError(str(error), returncode=2) from None
        except ValidationError as error:
            report = error.params["report"]
            for problem in report.errors:
                self.stderr.write(f"error: {problem}")
            raise CommandError(f"Nothing imported: {len(report.errors)} problem(s).", returncode=2) from None
        for problem in report.warnings:
            self.stdout.write(f"left out: {problem}")
        counts = ", ".join(f"{table}: {count}" for table, count in report.counts.items() if count)
        self.stdout.write(f"Imported {counts}")
