"""Template profiles: loading the bundled TOML files and choosing one for a document."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

from pydantic import ValidationError

from yusuan.errors import ProfileError
from yusuan.profiles.generic import GENERIC_ID, generic_base
from yusuan.profiles.schema import Profile
from yusuan.text import normalize_name

__all__ = [
    "Profile",
    "ProfileChoice",
    "choose_profile",
    "list_profiles",
    "load_profile",
    "load_profile_file",
]


def _data_dir() -> Path:
    return Path(str(resources.files("yusuan.profiles") / "data"))


def load_profile_file(path: Path) -> Profile:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ProfileError(f"模板文件 {path} 无法读取：{exc}") from exc
    try:
        return Profile.model_validate(data)
    except ValidationError as exc:
        raise ProfileError(f"模板文件 {path} 不合规：{exc}") from exc


@cache
def _bundled() -> dict[str, Profile]:
    profiles: dict[str, Profile] = {}
    for path in sorted(_data_dir().glob("*.toml")):
        profile = load_profile_file(path)
        profiles[profile.id] = profile
    return profiles


def list_profiles() -> list[Profile]:
    return list(_bundled().values())


def load_profile(name_or_path: str) -> Profile:
    """A bundled profile by id, or a profile file by path.

    `generic` is the base of the generic profile (no tables): reading a document with it
    infers the document's own tables (`yusuan.profiles.generic`).
    """
    bundled = _bundled()
    if name_or_path in bundled:
        return bundled[name_or_path]
    if name_or_path == GENERIC_ID:
        return generic_base()
    path = Path(name_or_path)
    if path.suffix == ".toml" and path.exists():
        return load_profile_file(path)
    known = "、".join([*bundled, GENERIC_ID])
    raise ProfileError(f"没有名为「{name_or_path}」的模板（可用：{known}）")


@dataclass(frozen=True, slots=True)
class ProfileChoice:
    profile: Profile
    confidence: float  # share of the profile's required table titles found
    matched_titles: int


def choose_profile(titles: list[str], text_sample: str = "") -> ProfileChoice | None:
    """Pick the profile whose table titles best match the titles found in a document.

    Returns None when no profile recognises any table: the input is then probably not a
    disclosure (or of a template no profile knows).
    """
    found = {normalize_name(t) for t in titles}
    best: ProfileChoice | None = None
    best_score: tuple[int, int, int] = (0, 0, 0)
    for profile in list_profiles():
        required = [t for t in profile.tables if t.required]
        hits = 0
        matched = 0  # characters of the names matched: the more specific title wins a tie
        for spec in required:
            names = {normalize_name(n) for n in [spec.title, *spec.aliases]}
            lengths = [len(n) for n in names if any(n in f for f in found)]
            if lengths:
                hits += 1
                matched += max(lengths)
        keyword_hits = sum(1 for w in profile.detect if w in text_sample)
        if hits == 0 and keyword_hits == 0:
            continue
        confidence = hits / len(required) if required else 0.0
        # Titles first; among templates sharing them (上海 and 中央 决算 print the same nine
        # titles but two), the longer matches, then the template's own words.
        score = (hits, matched, keyword_hits)
        if best is None or score > best_score:
            best, best_score = ProfileChoice(profile, round(confidence, 2), hits), score
    return best


def profile_fit(profile: Profile, titles: list[str]) -> float:
    """Share of the profile's required tables whose title is among `titles` (0–1): the
    confidence of a profile forced with `--profile`, measured as `choose_profile` does."""
    required = [t for t in profile.tables if t.required]
    if not required:
        return 0.0
    found = {normalize_name(t) for t in titles}
    hits = sum(
        1
        for spec in required
        if any(
            n in f for n in {normalize_name(x) for x in [spec.title, *spec.aliases]} for f in found
        )
    )
    return round(hits / len(required), 2)
