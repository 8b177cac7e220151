"""The `rongrian` commands of the contract."""
from pathlib import Path

from peewee import SqliteDatabase
from playhouse.migrate import PostgresqlMigrator, SqliteMigrator, migrate

from cases.language import textcheck, texts
from cases.language.i18n import LANGUAGES
from cases.store import schema
from cases.store.models import Agency, Case, Category, District, Staff, Village, database


def test_init_db_is_idempotent(runner):
    assert runner.invoke(args=["init-db"]).exit_code == 0
    assert runner.invoke(args=["init-db"]).exit_code == 0


def test_init_db_runs_an_appended_step_that_adds_columns(app, runner, monkeypatch):
    db = database.obj
    migrator = SqliteMigrator(db) if isinstance(db, SqliteDatabase) else PostgresqlMigrator(db)
    migrate(migrator.drop_column("case", "voice_url"), migrator.drop_column("case", "description_public"))
    assert not {"voice_url", "description_public"} & {column.name for column in database.get_columns("case")}
    step = schema.Step(schema.CURRENT + 1, "case: voice notes", schema.add_columns(Case, "voice_url", "description_public"))
    released = schema.CURRENT
    monkeypatch.setattr(schema, "STEPS", [*schema.STEPS, step])
    monkeypatch.setattr(schema, "CURRENT", step.version)
    try:
        result = runner.invoke(args=["init-db"])
        assert result.exit_code == 0, result.output
        assert f"migrated to {step.version}: case: voice notes" in result.output
        assert {"voice_url", "description_public"} <= {column.name for column in database.get_columns("case")}
        assert schema.version() == step.version
    finally:  # a shared (PostgreSQL) test database stays at the released version
        schema.SchemaVersion.update(version=released).execute()


def test_demo_loads_the_lamphun_directory(runner):
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    assert District.select().count() == 8
    assert Category.select().count() == 10
    assert Staff.select().count() > 0


def test_load_directory_reports_bad_rows_and_changes_nothing(runner, tmp_path):
    (tmp_path / "districts.csv").write_text("code,name_th,name_en\n5101,เมืองลำพูน,Mueang Lamphun\n51X2,แม่ทา,Mae Tha\n")
    result = runner.invoke(args=["load-directory", str(tmp_path)])
    assert result.exit_code != 0
    assert "districts.csv:3:" in result.output
    assert District.select().count() == 0


def test_load_directory_twice_updates_in_place(runner, tmp_path):
    (tmp_path / "districts.csv").write_text("code,name_th,name_en\n5101,เมืองลำพูน,Mueang Lamphun\n")
    assert runner.invoke(args=["load-directory", str(tmp_path)]).exit_code == 0
    (tmp_path / "districts.csv").write_text("code,name_th,name_en\n5101,เมืองลำพูน,Mueang Lamphun District\n")
    assert runner.invoke(args=["load-directory", str(tmp_path)]).exit_code == 0
    assert [d.name_en for d in District.select()] == ["Mueang Lamphun District"]


EXTREME = Path(__file__).resolve().parent / "data" / "extreme_directory"


def test_load_directory_lists_the_names_it_shortens(runner):
    result = runner.invoke(args=["load-directory", str(EXTREME)])
    assert result.exit_code == 0, result.output
    first, *table = result.output.splitlines()
    assert first == "3 districts, 5 subdistricts, 5 villages, 4 categories, 4 agencies, 5 routing, 4 staff, 2 village_heads"
    agency = Agency.get_by_id("nre")
    assert f"  [th] agency {agency.name_th}" in table
    at = table.index(f"  [th] agency {agency.name_th}")
    assert table[at + 1].startswith(f"      → {agency.short_name_th}  in ") and "status_assigned" in table[at + 1]
    village = max(Village.select(), key=lambda row: len(row.name_th))
    at = table.index(f"  [th] village {village.name_th}") + 1
    keys = set()
    while at < len(table) and table[at].startswith("      → "):
        sent, listed = table[at].removeprefix("      → ").split("  in ")
        assert sent.endswith("…") and village.name_th.startswith(sent[:-1])
        keys.update(listed.split(", "))
        at += 1
    assert {"staff_new_case", "remind_accept"} <= keys


def test_demo_shortens_no_name(runner):
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[1] == "No name is shortened: every name fits every SMS whole."


def test_check_texts_of_a_folder_changes_nothing(runner):
    result = runner.invoke(args=["check-texts", str(EXTREME)])
    assert result.exit_code == 0, result.output
    every = len(textcheck.checked_templates()) * len(LANGUAGES)  # each template in each language
    assert every > 100 and f"All {every} SMS fit one segment." in result.output.splitlines()
    assert "  [en] agency Provincial Office of Natural Resources and Environment Lamphun, Thung Hua Chang Branch" in result.output
    assert "→ Lamphun PONRE  in " in result.output
    assert Agency.select().count() == 0 and Village.select().count() == 0


def test_check_texts_of_the_loaded_directory(runner):
    assert runner.invoke(args=["load-directory", str(EXTREME)]).exit_code == 0
    result = runner.invoke(args=["check-texts"])
    assert result.exit_code == 0, result.output
    assert "[th] category ไฟป่า หมอกควัน" in result.output


def test_check_texts_fails_when_a_message_cannot_fit(runner):
    long_text = texts.template("test_too_long", "Ref %(ref)s " + "x" * 160)
    try:
        result = runner.invoke(args=["check-texts", str(EXTREME)])
    finally:
        del texts.TEMPLATES[long_text]
    assert result.exit_code != 0
    assert "TOO LONG test_too_long [th]: 175 units: Ref 9999999999 xxx" in result.output
    assert "TOO LONG test_too_long [en]: 175 units" in result.output
    assert "do not fit one segment" in result.output


def test_check_texts_reports_bad_rows(runner, tmp_path):
    (tmp_path / "agencies.csv").write_text("code,name_th,name_en,short_name_th\nx y,ก,A,\n")
    result = runner.invoke(args=["check-texts", str(tmp_path)])
    assert result.exit_code != 0
    assert "agencies.csv:2:" in result.output
