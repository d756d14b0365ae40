"""The README's promises about the repository: CI runs its test command, its folder map is whole."""

from __future__ import annotations

import re

from geo.core.paths import REPO_DIR

README = (REPO_DIR / "README.md").read_text(encoding="utf-8")


def commands() -> list[str]:
    """The bash blocks of the README's "Two commands" section, in order."""
    section = README.split("## Two commands", 1)[1].split("\n## ", 1)[0]
    return [block.strip() for block in re.findall(r"```bash\n(.*?)```", section, re.DOTALL)]


def test_two_commands_each_make_and_use_a_virtual_environment() -> None:
    run, test = commands()
    for command in (run, test):
        assert "\n" not in command
        assert command.startswith("python3 -m venv .venv && .venv/bin/pip install -e ")
        assert "python3 -m pip" not in command  # Debian's python3 refuses a system-wide install
    assert run.endswith(" && .venv/bin/streamlit run app.py")
    assert test.endswith(" && .venv/bin/python -m pytest")


def test_ci_runs_the_readme_test_command_as_written() -> None:
    _, test = commands()
    ci = (REPO_DIR / ".ci" / "run").read_text(encoding="utf-8")
    assert test in ci.splitlines()


def test_folder_map_names_every_subpackage_of_geo() -> None:
    subpackages = sorted({p.parent.name for p in (REPO_DIR / "geo").glob("*/*.py")})
    assert len(subpackages) >= 6
    for name in subpackages:
        assert f"| `geo/{name}/` |" in README, name
    for layer in ("unit", "render", "apptest", "browser"):
        assert (REPO_DIR / "tests" / layer).is_dir() and f"`{layer}`" in README, layer
