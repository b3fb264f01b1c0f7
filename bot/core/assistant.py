"""The assistant: one user turn in, one answer out, with context kept per user.

Every surface (terminal chat, `ilm-bot ask`, Slack) calls ``Assistant.reply``;
the surfaces only translate. The brain is read once per turn, so a reload
that swaps it never affects a question already being answered.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from bot.answers.about import OTHER_LEVEL
from bot.answers.answer import Answer, Choice
from bot.answers.handlers import HANDLERS, NEEDS_QUALIFICATION, Reply, Request, capabilities
from bot.answers.safety import neutralise
from bot.core.brain import Brain
from bot.core.understanding import (
    UNIT_INTENTS,
    about_own_record,
    asks_for_several,
    asks_hours_left,
    asks_to_compare,
    choose_intent,
    is_followup,
    mentions_also,
    qualification_slots,
    refers_to_other,
    resolve_choice,
    resolve_pronoun,
    retarget,
)
from bot.knowledge.lookup import nearest_units
from bot.learners.learner import LearnerRecord
from bot.nlu.context import ContextStore, DialogueContext, MemoryContextStore, Pending
from bot.nlu.entities import Entities
from bot.nlu.matcher import Ranking
from bot.nlu.normalise import clauses, clean, expand_shorthand, strip_courtesies
from bot.rules.explain import join

FALLBACK = "fallback"
OUT_OF_SCOPE = "out_of_scope"

#: Called with (user, question, best guess) whenever the bot falls back, so admins can review.
FallbackSink = Callable[[str, str, str | None], None]
#: Reads the asking user's own stored record (None when there is none). Called only for
#: questions that need it, so surfaces without a database never open one.
RecordSource = Callable[[str], LearnerRecord | None]


class RecordsUnavailableError(Exception):
    """The stored records can't be read right now (database down): said plainly, never guessed."""


#: Intents answered once for each qualification named ("is 8577-307 mandatory for both…?").
PER_QUALIFICATION = frozenset((NEEDS_QUALIFICATION - {"personal_check"}) | {"unit_membership"})
#: Intents that may mention other levels in their own right ("is the award a level 5?", "does it lead to…").
ABOUT_LEVELS = frozenset({"level", "progression", "list_qualifications", "about_ilm", "unknown_fact", "compare"})
#: Intents answered from the stored record.
RECORD_INTENTS = frozenset({"my_progress", "my_hours"})


@dataclass(frozen=True)
class _Turn:
    """What every step of answering one message needs: who asks, what, and what came before."""

    brain: Brain
    ctx: DialogueContext
    user: str
    text: str


class Assistant:
    def __init__(
        self,
        brain: Brain | Callable[[], Brain],
        contexts: ContextStore | None = None,
        on_fallback: FallbackSink | None = None,
        records: RecordSource | None = None,
    ) -> None:
        self._brain = brain if callable(brain) else (lambda b=brain: b)
        self.contexts = contexts or MemoryContextStore()
        self.on_fallback = on_fallback
        self.records = records

    @property
    def brain(self) -> Brain:
        return self._brain()

    def reply(self, user: str, text: str) -> Answer:
        brain = self.brain
        ctx = self.contexts.get(user)
        answer, new_ctx = self._turn(brain, ctx, user, text if isinstance(text, str) else "")
        self.contexts.put(user, replace(new_ctx, turns=ctx.turns + 1))
        return replace(answer, text=neutralise(answer.text))

    # -- the turn --------------------------------------------------------------

    def _turn(self, brain: Brain, ctx: DialogueContext, user: str, raw: str) -> tuple[Answer, DialogueContext]:
        cleaned = clean(raw)
        if not any(ch.isalnum() for ch in cleaned):
            text = brain.templates.render("fallback", "empty", capabilities=self._capabilities(brain))
            return Answer(text=text, understood=False), ctx
        nlu_text = strip_courtesies(expand_shorthand(cleaned))
        entities = brain.extractor.extract(nlu_text)
        lowered = cleaned.lower()

        if ctx.pending is not None:
            chosen = resolve_choice(lowered, entities, ctx.pending.candidates, brain.knowledge)
            if chosen is not None:
                p = ctx.pending
                req_entities = Entities(units=p.units, hours=p.hours, kinds=p.kinds, groups=p.groups)
                turn = _Turn(brain, replace(ctx, pending=None), user, lowered)
                return self._answer(turn, p.intent, 1.0, req_entities, (chosen,), ())
            ctx = replace(ctx, pending=None)

        ranking = self._rank(brain, ctx, entities, nlu_text)
        confidence = ranking.best.confidence if ranking.best else 0.0
        intent: str | None
        if ctx.intent and is_followup(entities.template) and ctx.intent not in (OUT_OF_SCOPE, FALLBACK):
            intent, confidence = ctx.intent, max(confidence, 0.9)
        else:
            intent = choose_intent(ranking)
        intent = self._apply_cues(brain, intent, lowered, entities.on_topic or bool(ctx.qualifications or ctx.units))
        if intent in RECORD_INTENTS and not about_own_record(lowered):
            # A question about what a qualification requires, worded like one about the record.
            intent = next((m.intent for m in ranking.matches if m.intent not in RECORD_INTENTS), None)
        if intent is None or intent == OUT_OF_SCOPE:
            return self._fallback(brain, ctx, user, cleaned, ranking, intent), replace(ctx, intent=FALLBACK)

        slots = qualification_slots(entities, entities.template)
        has_unit = bool(entities.units or entities.unknown_units or entities.ambiguous_units)
        intent = retarget(intent, has_unit, bool(slots.quals or slots.ambiguous), ctx)
        if asks_hours_left(intent, entities.hours, lowered):
            intent = "hours_remaining"
        other = OTHER_LEVEL.search(lowered)
        if other and (intent not in ABOUT_LEVELS or (intent == "level" and "diploma" in lowered)):
            intent = "unknown_fact"  # "units of the Level 2 Award": never answer with the Level 3 one
        turn = _Turn(brain, ctx, user, lowered)
        return self._answer(turn, intent, confidence, entities, slots.quals, slots.source_quals, slots.ambiguous)

    @staticmethod
    def _rank(brain: Brain, ctx: DialogueContext, entities: Entities, text: str) -> Ranking:
        """Rank the whole message; when that is unsure, the clause that reads most like a question wins."""
        ranking = brain.matcher.rank(resolve_pronoun(entities.template, ctx))
        if ranking.certain:
            return ranking
        for clause in clauses(text):
            candidate = brain.matcher.rank(resolve_pronoun(brain.extractor.extract(clause).template, ctx))
            if candidate.best and (ranking.best is None or candidate.best.confidence > ranking.best.confidence):
                ranking = candidate
        return ranking

    @staticmethod
    def _apply_cues(brain: Brain, intent: str | None, text: str, on_topic: bool) -> str | None:
        """Cue phrases decide on-topic questions ("is the award free?"); off-topic ones
        never reach an intent that only makes sense on topic ("price of bitcoin")."""
        if on_topic and (cued := brain.intents.cued(text)) is not None:
            return cued.name
        spec = brain.intents.spec(intent) if intent else None
        if spec is not None and spec.anchored and not on_topic:
            return OUT_OF_SCOPE
        return intent

    def _answer(
        self,
        turn: _Turn,
        intent: str,
        confidence: float,
        entities: Entities,
        quals: tuple[str, ...],
        source_quals: tuple[str, ...],
        ambiguous: tuple[str, ...] = (),
    ) -> tuple[Answer, DialogueContext]:
        brain, ctx, text = turn.brain, turn.ctx, turn.text
        k = brain.knowledge
        t = brain.templates
        units = list(entities.units)

        # Unit codes that don't exist: say so and suggest real ones, never pretend.
        if entities.unknown_units and not units:
            code = entities.unknown_units[0]
            probe = code if "-" in code else f"8578-{code}"
            msg = t.render("clarify", "unknown_unit", code=code, nearest=join(nearest_units(probe, k), "or"))
            return self._make(brain, intent, confidence, entities, msg, understood=True), ctx

        # "unit 304" is 8577-304 or 8578-304: use the qualification in play, else ask.
        scope = quals or (ctx.qualifications if not entities.qualifications else ())
        for options in entities.ambiguous_units:
            in_scope = [r for r in options if any(r in g.units for qid in scope for g in k.qualifications[qid].groups)]
            if len(in_scope) == 1:
                units.append(in_scope[0])
            elif not units:
                msg = t.render(
                    "clarify", "ambiguous_unit", number=options[0].split("-")[1], options=join(options, "or")
                )
                return self._make(brain, intent, confidence, entities, msg, understood=True), ctx

        # A group names its qualification when only one has it ("what's in group 1?").
        if not quals and entities.groups:
            owners = tuple(q.id for q in k.qualifications.values() if any(g.id in entities.groups for g in q.groups))
            if len(owners) == 1:
                quals = owners
        # So do units only one qualification has ("do I have to do both 8578-302 and 8578-303?").
        if not quals and not ambiguous and units and intent in NEEDS_QUALIFICATION and intent != "personal_check":
            owners = tuple(q.id for q in k.qualifications_with(units[0]) if set(units) <= k.units_of_ids(q.id))
            if len(owners) == 1:
                quals = owners
        # "the Certificate" after talking about one of the certificates means that one.
        if not quals and ambiguous:
            known = [qid for qid in ctx.qualifications if qid in ambiguous]
            if refers_to_other(text):  # "and the other certificate?"
                known = [qid for qid in ambiguous if qid not in ctx.qualifications]
            if len(known) == 1:
                quals, ambiguous = (known[0],), ()
        # Fill missing slots from the conversation so far.
        if not quals and not ambiguous and not entities.qualifications:
            quals = ctx.qualifications[:1] if intent != "compare" else ctx.qualifications
        reuse_units = intent in UNIT_INTENTS and intent != "personal_check"
        if intent == "hours_remaining" and ctx.intent not in ("practice_hours", "hours_remaining"):
            reuse_units = False
        if not units and reuse_units and (not quals or intent == ctx.intent):
            units = list(ctx.units)
        if intent == "compare" and len(quals) == 1 and ctx.qualification and ctx.qualification != quals[0]:
            quals = (quals[0], ctx.qualification)
        stated = tuple(units)
        if intent == "personal_check":
            if mentions_also(text) or not units:
                stated = tuple(dict.fromkeys([*ctx.stated_units, *units]))
            units = list(stated)

        try:
            learner = self._learner(turn) if intent in (*RECORD_INTENTS, "personal_check") else None
        except RecordsUnavailableError:
            if intent in RECORD_INTENTS:
                msg = t.render("my_progress", "unavailable")
                return self._make(brain, intent, confidence, entities, msg, understood=True), ctx
            learner = None
        if intent == "personal_check" and not stated and not source_quals and learner and learner.enrolments:
            intent = "my_progress"  # "what have I got left?" with nothing stated: the stored record answers
        per_qualification = intent in PER_QUALIFICATION
        if per_qualification and len(quals) > 1 and asks_to_compare(text):
            intent, per_qualification = "compare", False
        several = asks_for_several(text) and (bool(ambiguous) or not units)  # "both" units is not both qualifications
        if per_qualification and not quals and several:
            quals = ambiguous or tuple(k.qualifications)  # "the certificates", "all the qualifications"
        if intent in NEEDS_QUALIFICATION and not quals:
            candidates = ambiguous or tuple(k.qualifications)
            return self._clarify(turn, intent, confidence, entities, candidates, tuple(units))

        req = Request(
            knowledge=k,
            engine=brain.engine,
            t=t,
            text=text,
            quals=quals,
            units=tuple(units),
            groups=entities.groups or ctx.groups
            if intent in ("qualification_units", "qualification_credits") and not entities.qualifications
            else entities.groups,
            hours=entities.hours,
            kinds=entities.kinds,
            hours_by_kind=entities.hours_by_kind,
            source_quals=source_quals,
            learner=learner,
        )
        if per_qualification and len(quals) > 1:
            replies = [HANDLERS[intent](replace(req, quals=(qid,))) for qid in quals]
            reply = Reply("\n".join(r.text for r in replies if r.text))
        else:
            reply = HANDLERS[intent](req)
        if reply.need == "qualification":
            candidates = ambiguous or tuple(k.qualifications)
            return self._clarify(turn, intent, confidence, entities, candidates, tuple(units))
        if reply.need == "unit":
            msg = t.render("clarify", "need_unit")
            return self._make(brain, intent, confidence, entities, msg, understood=True), replace(ctx, intent=intent)

        new_ctx = DialogueContext(
            intent=intent,
            qualifications=quals or ctx.qualifications,
            units=tuple(units) or ctx.units,
            stated_units=stated if intent == "personal_check" else ctx.stated_units,
            groups=entities.groups,
            kinds=entities.kinds or ctx.kinds,
            hours=entities.hours,
            turns=ctx.turns,
        )
        answer = self._make(
            brain, intent, confidence, entities, reply.text, understood=True, check=reply.check, quals=quals
        )
        return answer, new_ctx

    # -- helpers ---------------------------------------------------------------

    def _clarify(
        self,
        turn: _Turn,
        intent: str,
        confidence: float,
        entities: Entities,
        candidates: tuple[str, ...],
        units: tuple[str, ...],
    ) -> tuple[Answer, DialogueContext]:
        brain, ctx = turn.brain, turn.ctx
        k = brain.knowledge
        quals = [k.qualifications[c] for c in candidates]
        options = join([f"the {q.title}" for q in quals], "or")
        kinds = {q.kind for q in quals}
        if len(kinds) == 1:
            msg = brain.templates.render("clarify", "which", kind=kinds.pop(), options=options)
        else:
            msg = brain.templates.render("clarify", "which_any", options=options)
        choices = tuple(Choice(q.short_title, q.id) for q in quals)
        pending = Pending(
            intent=intent,
            candidates=candidates,
            units=units,
            hours=entities.hours,
            kinds=entities.kinds,
            groups=entities.groups,
        )
        answer = self._make(brain, intent, confidence, entities, msg, understood=True, choices=choices)
        return answer, replace(ctx, pending=pending, intent=intent)

    def _fallback(
        self, brain: Brain, ctx: DialogueContext, user: str, cleaned: str, ranking, intent: str | None
    ) -> Answer:
        suggestions: tuple[str, ...] = ()
        caps = self._capabilities(brain)
        if intent is None and ranking.best is not None and ranking.best.confidence >= 0.5:
            names = [m.intent for m in ranking.matches[:3] if m.intent != OUT_OF_SCOPE][:2]
            suggestions = tuple(brain.intents.description(n) for n in names)
        text = brain.templates.render("fallback", "answer", capabilities=caps)
        if self.on_fallback is not None:
            self.on_fallback(user, cleaned, ranking.best.intent if ranking.best else None)
        confidence = ranking.best.confidence if ranking.best else 0.0
        return Answer(text=text, understood=False, intent=None, confidence=confidence, suggestions=suggestions)

    def _learner(self, turn: _Turn) -> LearnerRecord | None:
        return self.records(turn.user) if self.records is not None else None

    def _capabilities(self, brain: Brain) -> str:
        req = Request(knowledge=brain.knowledge, engine=brain.engine, t=brain.templates, text="")
        return capabilities(req)

    def _make(
        self,
        brain: Brain,
        intent: str,
        confidence: float,
        entities: Entities,
        text: str,
        understood: bool,
        check: dict | None = None,
        choices: tuple[Choice, ...] = (),
        quals: tuple[str, ...] = (),
    ) -> Answer:
        ents = entities.to_json()
        if quals:
            ents["qualifications"] = list(quals)
        return Answer(
            text=text,
            understood=understood,
            intent=intent,
            confidence=confidence,
            entities=ents,
            check=check,
            choices=choices,
        )
