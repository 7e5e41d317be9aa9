"""nhs spark-answers starts its Spark session with the settings of profiles.yml's spark target,
the ones the Spark build's session gets from dbt-spark (one definition, rendered by dbt)."""

from __future__ import annotations

from pathlib import Path

import pytest

from scripts.build.spark_warehouse import LOG_CONFIG, session_settings


def test_session_settings_are_the_spark_profiles_rendered_for_the_warehouse(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Set first so that monkeypatch restores them: session_settings points them at tmp_path.
    monkeypatch.setenv("NHS_SPARK_WAREHOUSE_DIR", "unset")
    monkeypatch.setenv("NHS_SPARK_LOG_CONFIG", "unset")
    settings = session_settings(tmp_path)
    assert settings["spark.sql.warehouse.dir"] == str(tmp_path)
    assert settings["spark.sql.catalogImplementation"] == "in-memory"
    assert settings["spark.sql.session.timeZone"] == "UTC"
    assert settings["spark.driver.extraJavaOptions"] == (f"-Dlog4j2.configurationFile={LOG_CONFIG}")
    assert not any("{{" in str(value) for value in settings.values())
