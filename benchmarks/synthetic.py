"""Write a synthetic knowledge directory and intents directory N times the shipped size.

Scale N keeps the shipped content (copy 0) and adds N-1 renamed copies of it:

* **qualifications** — every shipped qualification is copied with a new id, title,
  short title, aliases and qualification number. The subjects "Mentoring" and
  "Coaching" become two synthetic subjects per copy ("Strategic Negotiation",
  "Applied Mediation", ...), so no synthetic name collides with a real one or
  with another copy. Generic aliases ("Award", "the Certificate", "cert",
  "C&M", ...) are *not* copied: they would make the shipped questions ambiguous
  between hundreds of qualifications, which measures a different question.
  Groups, rules trees, programme and progression are copied with every unit
  and qualification reference remapped, so they stay valid.
* **units** — every shipped unit is copied under new schemes: scheme 8577 of
  copy k becomes ``9000+2k`` and 8578 becomes ``9001+2k``. The unit number moves
  out of the 3xx range (``304`` → ``404``, ``504`` … ``904``, cycling) so
  "unit 304" in a shipped question still means the two real units, while
  "unit 404" is ambiguous between synthetic copies, as it would be in a
  bigger catalogue. Titles get the copy's subjects; equivalences are copied.
* **intent examples** — every example gets N-1 paraphrase-ish variants of about
  the same length (a short neutral word inserted, a low-weight word dropped,
  and for ``{qualification}`` examples often a synthetic qualification's title
  written out), so each intent has N times as many examples. Length matters:
  the matcher's cost per example grows with it, so longer variants would
  inflate the growth measured. Variants never repeat an example of another
  intent (the loader rejects that).

Generation is deterministic (seeded): the same scale and seed give the same bytes.
The result passes the real loaders (``load_knowledge``, ``load_intents``,
``Brain.load``); ``python -m benchmarks.synthetic --scale 10 --out DIR`` writes
one and checks it.
"""

from __future__ import annotations

import argparse
import itertools
import random
import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[1]
KNOWLEDGE = REPO / "knowledge"
INTENTS = REPO / "intents"
RESPONSES_FILE = "responses.yaml"
DEFAULT_SEED = 20240603

_ADJECTIVES = (
    "Strategic",
    "Applied",
    "Advanced",
    "Reflective",
    "Peer",
    "Executive",
    "Clinical",
    "Digital",
    "Remote",
    "Community",
    "Operational",
    "Creative",
    "Inclusive",
    "Ethical",
    "Practical",
    "Regional",
    "Global",
    "Agile",
    "Frontline",
    "Collaborative",
)
_NOUNS = (
    "Negotiation",
    "Facilitation",
    "Supervision",
    "Counselling",
    "Appraisal",
    "Delegation",
    "Advocacy",
    "Mediation",
    "Stewardship",
    "Instruction",
    "Assessment",
    "Moderation",
    "Consultancy",
    "Presentation",
    "Governance",
    "Planning",
    "Budgeting",
    "Recruitment",
    "Onboarding",
    "Safeguarding",
)
#: Aliases that name no subject; copying them would make every copy answer to "the Award".
_GENERIC_ALIASES = frozenset(
    {"award", "the award", "ilm award", "certificate", "the certificate", "cert", "c&m", "c and m", "cm certificate"}
)
#: Example variants get one of these short words inserted: they carry no intent and are not filler words.
_INSERTS = ("ever", "still", "even", "maybe", "here", "today", "again", "quite", "truly", "now")
#: Low-weight words a variant may lose (a net length change of zero with the insert).
_DROPPABLE = frozenset({"is", "are", "do", "does", "to", "of", "for", "in", "on", "my", "me", "you", "i", "can"})
_SUBJECT_WORD = re.compile(r"\b(mentoring|coaching)\b", re.IGNORECASE)
MAX_SCALE = len(_ADJECTIVES) * len(_NOUNS) // 2 + 1


@dataclass(frozen=True)
class Copy:
    """One synthetic copy of the shipped knowledge: its index and its two subjects."""

    index: int
    mentoring: str  # replaces "Mentoring"
    coaching: str  # replaces "Coaching"

    def rename(self, text: str) -> str:
        """Replace the subject words, keeping the case style of each occurrence."""

        def sub(m: re.Match[str]) -> str:
            word = m.group(0)
            new = self.mentoring if word.lower() == "mentoring" else self.coaching
            if word.isupper():
                return new.upper()
            if word[0].isupper():
                return new
            return new.lower()

        return _SUBJECT_WORD.sub(sub, text)

    def scheme(self, scheme: str) -> str:
        return str(9000 + 2 * self.index + (1 if scheme == "8578" else 0))

    def unit(self, ref: str) -> str:
        scheme, number = ref.split("-")
        return f"{self.scheme(scheme)}-{4 + (self.index - 1) % 6}{number[1:]}"

    def qualification_id(self, real_id: str) -> str:
        return self.rename(real_id.replace("-", " ")).lower().replace(" ", "-")


def copies(scale: int, seed: int = DEFAULT_SEED) -> list[Copy]:
    """The N-1 synthetic copies for scale N, each with two subjects no other copy uses."""
    if not 1 <= scale <= MAX_SCALE:
        raise ValueError(f"scale must be between 1 and {MAX_SCALE}")
    subjects = [f"{a} {n}" for a, n in itertools.product(_ADJECTIVES, _NOUNS)]
    random.Random(seed).shuffle(subjects)
    return [Copy(k, subjects[2 * (k - 1)], subjects[2 * (k - 1) + 1]) for k in range(1, scale)]


# -- knowledge ------------------------------------------------------------------


def _load(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _dump(data: Any, path: Path) -> None:
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=120), encoding="utf-8")


def _copy_unit(unit: dict[str, Any], c: Copy) -> dict[str, Any]:
    out = {**unit, "ref": c.unit(unit["ref"]), "title": c.rename(unit["title"])}
    if unit.get("summary"):
        out["summary"] = c.rename(unit["summary"])
    if unit.get("practice"):
        out["practice"] = {**unit["practice"], "wording": c.rename(unit["practice"]["wording"])}
    return out


def _copy_node(node: dict[str, Any], c: Copy) -> dict[str, Any]:
    out = {**node}
    if "description" in node:
        out["description"] = c.rename(node["description"])
    if "units" in node:
        out["units"] = [c.unit(r) for r in node["units"]]
    if "children" in node:
        out["children"] = [_copy_node(n, c) for n in node["children"]]
    if "options" in node:
        out["options"] = [_copy_node(n, c) for n in node["options"]]
    return out


def _copy_qualification(q: dict[str, Any], c: Copy, position: int, real_ids: set[str]) -> dict[str, Any]:
    number = f"699/{c.index:04d}/{position}" if q.get("qualification_number") else None
    aliases = []
    for alias in q.get("aliases", []):
        if alias == q.get("qualification_number"):
            aliases.append(number)
        elif alias.lower() not in _GENERIC_ALIASES and _SUBJECT_WORD.search(alias):
            aliases.append(c.rename(alias))
    out = {
        **q,
        "id": c.qualification_id(q["id"]),
        "title": c.rename(q["title"]),
        "short_title": c.rename(q["short_title"]),
        "qualification_number": number,
        "aliases": aliases,
        "audience": c.rename(q["audience"]),
        "benefits": {k: [c.rename(b) for b in v] for k, v in q.get("benefits", {}).items()},
        "groups": [{**g, "units": [c.unit(r) for r in g["units"]]} for g in q.get("groups", [])],
        "rules": _copy_node(q["rules"], c),
        "programme": [_copy_node(p, c) for p in q.get("programme", [])],
        "progression": [
            {"qualification": c.qualification_id(p["qualification"])} if p.get("qualification") in real_ids else p
            for p in q.get("progression", [])
        ],
    }
    if q.get("overview"):
        out["overview"] = c.rename(q["overview"])
    return out


def write_knowledge(out: Path, scale: int, seed: int = DEFAULT_SEED, source: Path = KNOWLEDGE) -> list[str]:
    """Write ``out`` (knowledge layout) at ``scale``; return the synthetic qualification titles."""
    out.mkdir(parents=True, exist_ok=True)
    qdir = out / "qualifications"
    qdir.mkdir(exist_ok=True)
    shutil.copyfile(source / "organisation.yaml", out / "organisation.yaml")
    units = _load(source / "units.yaml")
    real_quals = [_load(p) for p in sorted((source / "qualifications").glob("*.yaml"))]
    real_ids = {q["id"] for q in real_quals}
    all_units = list(units["units"])
    equivalences = list(units.get("equivalences", []))
    titles: list[str] = []
    for q in real_quals:
        _dump(q, qdir / f"{q['id']}.yaml")
    for c in copies(scale, seed):
        all_units.extend(_copy_unit(u, c) for u in units["units"])
        equivalences.extend([c.unit(r) for r in klass] for klass in units.get("equivalences", []))
        for position, q in enumerate(real_quals):
            synthetic = _copy_qualification(q, c, position, real_ids)
            titles.append(synthetic["title"])
            _dump(synthetic, qdir / f"{synthetic['id']}.yaml")
    _dump({"units": all_units, "equivalences": equivalences}, out / "units.yaml")
    return titles


# -- intents ------------------------------------------------------------------------


def _key(example: str) -> str:
    return " ".join(example.lower().split())


def variant(example: str, rng: random.Random, titles: list[str]) -> str:
    """A paraphrase-ish variant about as long as ``example``.

    One short neutral word is inserted at a word boundary and, where there is one, one
    low-weight word ("is", "do", "for"...) is dropped, so the length stays about the same;
    in half the ``{qualification}`` examples the placeholder is written out as a synthetic
    qualification's title (the matcher turns it back into ``{qualification}``).
    """
    words = example.split()
    droppable = [i for i, w in enumerate(words) if w.lower() in _DROPPABLE]
    if droppable:
        del words[rng.choice(droppable)]
    last = len(words) if words[-1][-1].isalnum() else len(words) - 1  # not after a final "?"
    words.insert(rng.randrange(last + 1), rng.choice(_INSERTS))
    text = " ".join(words)
    if titles and "{qualification}" in text and rng.random() < 0.5:
        text = text.replace("{qualification}", f"the {rng.choice(titles)}", 1)
    return text


def write_intents(out: Path, scale: int, titles: list[str], seed: int = DEFAULT_SEED, source: Path = INTENTS) -> int:
    """Write ``out`` (intents layout) with ``scale`` times the examples; return the example count."""
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    specs = {p.stem: _load(p) for p in sorted(source.glob("*.yaml")) if p.name != RESPONSES_FILE}
    shutil.copyfile(source / RESPONSES_FILE, out / RESPONSES_FILE)
    owner = {_key(e): name for name, spec in specs.items() for e in spec["examples"]}
    total = 0
    for name, spec in specs.items():
        examples: list[str] = list(spec["examples"])
        for example in spec["examples"]:
            made = attempts = 0
            while made < scale - 1 and attempts < 50 * scale:
                attempts += 1
                text = variant(example, rng, titles)
                if owner.setdefault(_key(text), name) != name:
                    continue  # would repeat another intent's example
                examples.append(text)
                made += 1
        total += len(examples)
        _dump(
            {"name": spec["name"], "description": spec.get("description", ""), "examples": examples},
            out / f"{name}.yaml",
        )
    return total


def write(
    out: Path, scale: int, seed: int = DEFAULT_SEED, knowledge: Path = KNOWLEDGE, intents: Path = INTENTS
) -> tuple[Path, Path]:
    """Write ``out/knowledge`` and ``out/intents`` at ``scale`` from the given sources; return both directories."""
    if out.exists():
        shutil.rmtree(out)
    kdir, idir = out / "knowledge", out / "intents"
    titles = write_knowledge(kdir, scale, seed, knowledge)
    write_intents(idir, scale, titles, seed, intents)
    return kdir, idir


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scale", type=int, required=True, help="size factor N (1 = the shipped knowledge)")
    ap.add_argument("--out", type=Path, required=True, help="directory to write knowledge/ and intents/ into")
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    ap.add_argument("--no-check", action="store_true", help="skip loading the result with the real loaders")
    args = ap.parse_args(argv)
    kdir, idir = write(args.out, args.scale, args.seed)
    if not args.no_check:
        sys.path.insert(0, str(REPO))
        from bot.core.brain import Brain  # noqa: PLC0415 (only needed for the check)

        brain = Brain.load(kdir, idir)
        examples = sum(len(i.examples) for i in brain.intents.intents)
        print(
            f"scale {args.scale}: {len(brain.knowledge.qualifications)} qualifications, "
            f"{len(brain.knowledge.units)} units, {examples} intent examples -> {args.out}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
