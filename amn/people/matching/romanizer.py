"""arabic-name-romanizer (PyPI 0.2.0, UNICEF, MIT) as an optional source of Latin
candidates for Arabic names, for its evaluation against our own rules (bench/matching.py
`--latin-source romanizer`, docs/matching.md).

When enabled, the skeletons of the romanizer's top Latin spellings of an Arabic name field
join the field's own skeletons (amn.people.matching.crossscript.name_skeletons), so that
blocking and scoring see them. It is off by default: see docs/matching.md for the figures
that decided it.

The romanizer's index is built from the same attestations as the benchmark's names, so the
held-out evaluation uses a copy of its index without the held-out keys (`index_without`);
its neural model was trained on that data too and cannot be held out — the evaluation runs
with and without the model.
"""

import functools
import shutil
import sqlite3
from pathlib import Path

TOP_K = 5
_state: dict = {"transliterator": None}


def enabled() -> bool:
    """True when enable() was called (and disable() was not)."""
    return _state["transliterator"] is not None


def enable(*, index: Path | None = None, model: bool = True, country: str = "MA") -> None:
    """Use the romanizer's Latin candidates from now on in this process.

    Args:
        index: an index file (default: the package's own); model: also ask the neural
            model for units the index lacks (else the package's rules); country: the
            spelling preference (ISO 3166-1 alpha-2).
    Raises:
        ImportError: the package is not installed.
    """
    from arabic_name_romanizer import Transliterator

    _state["transliterator"] = Transliterator(index_path=index, auto_load_model=model)
    _state["country"] = country
    latin_candidates.cache_clear()
    _clear_dependent_caches()


def disable() -> None:
    """Back to our own rules only."""
    _state["transliterator"] = None
    latin_candidates.cache_clear()
    _clear_dependent_caches()


def _clear_dependent_caches() -> None:
    from amn.people.matching import keys, scoring

    keys._skeletons.cache_clear()
    keys._name_parts.cache_clear()
    keys._pair_keys.cache_clear()
    scoring.name_forms.cache_clear()
    scoring.compare_names.cache_clear()


@functools.lru_cache(maxsize=100_000)
def latin_candidates(arabic: str) -> tuple[str, ...]:
    """The romanizer's TOP_K Latin spellings of one Arabic name field ((), when disabled)."""
    transliterator = _state["transliterator"]
    if transliterator is None or not arabic.strip():
        return ()
    found = transliterator.transliterate(arabic, top_k=TOP_K, country=_state["country"])
    return tuple(candidate.text for candidate in found if candidate.text)


def _units_of(full_key: str) -> set[str]:
    words = full_key.split()
    return {" ".join(words[i:j]) for i in range(len(words)) for j in range(i + 1, len(words) + 1)}


def index_without(arabic_keys: set[str], path: Path) -> Path:
    """A copy of the package's index at `path` without the rows of `arabic_keys` (unit rows
    with that key, whole-name rows containing such a unit).

    Returns:
        path.
    """
    import arabic_name_romanizer

    source = Path(arabic_name_romanizer.__file__).parent / "resources" / "names.sqlite3"
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, path)
    with sqlite3.connect(path) as connection:
        connection.executemany(
            "DELETE FROM units WHERE arabic_key = ?", [(key,) for key in sorted(arabic_keys)]
        )
        doomed = [
            (rowid,)
            for rowid, key in connection.execute("SELECT rowid, arabic_key FROM full_names")
            if _units_of(key) & arabic_keys
        ]
        connection.executemany("DELETE FROM full_names WHERE rowid = ?", doomed)
    return path
