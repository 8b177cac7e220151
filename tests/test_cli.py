"""The `rongrian` commands of the contract."""
from cases.models import Case, Category, District, Staff


def test_init_db_is_idempotent(runner):
    assert runner.invoke(args=["init-db"]).exit_code == 0
    assert runner.invoke(args=["init-db"]).exit_code == 0


def test_init_db_adds_columns_a_newer_version_brought(app, runner):
    from playhouse.migrate import PostgresqlMigrator, SqliteMigrator, migrate

    from cases.models import database

    db = database.obj
    migrator = SqliteMigrator(db) if db.__class__.__name__.startswith("Sqlite") else PostgresqlMigrator(db)
    migrate(migrator.drop_column("case", "voice_url"))
    assert "voice_url" not in {column.name for column in database.get_columns("case")}
    assert runner.invoke(args=["init-db"]).exit_code == 0
    assert "voice_url" in {column.name for column in database.get_columns("case")}


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
