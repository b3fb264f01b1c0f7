"""The assistant: one message in, one answer document out, with state kept per conversation.

Every surface (terminal chat, `ilm-bot ask`, Slack) calls ``Assistant.reply``;
the surfaces only render. A message is split into its questions (two in one,
or one inside a pasted email); each is understood (intent + frame), resolved
(``bot.core.resolve``), and answered by an operation over facts
(``bot.answers.compose``) or by its topic's handler. The brain is read once
per message, so a reload never affects a question already being answered.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from bot.answers.about import OTHER_LEVEL
from bot.answers.answer import Answer, Choice, lead_with
from bot.answers.breakdown import why_figure
from bot.answers.checks import each_reading, statement_lead, unit_readings
from bot.answers.compose import HOUR_ATTRIBUTES, compose, premise_note, text_verdict
from bot.answers.explain import Derived, read
from bot.answers.handlers import HANDLERS, Reply, Request, capabilities
from bot.answers.relations import relate
from bot.answers.request import Behaviour, attribute_of_topic, behaviour, topic_for
from bot.answers.safety import neutralise
from bot.answers.sets import asks_companions, asks_units_differ, asks_which_of, companions, units_differ, which_of
from bot.core.brain import Brain
from bot.core.referents import spell_out
from bot.core.resolve import Resolution, owners_of, resolve
from bot.core.understanding import (
    FIGURE_OF,
    Slots,
    about_own_record,
    asks_for_several,
    asks_hours_left,
    asks_to_compare,
    asks_why,
    checking_me,
    choose_intent,
    completes_comparison,
    groups_stated,
    holds_statement,
    hours_carried,
    is_followup,
    qualification_slots,
    resolve_choice,
    resolve_pronoun,
    retarget,
    states_units_done,
    units_asked_about,
    units_denied,
)
from bot.knowledge.lookup import glossary_terms, nearest_units
from bot.knowledge.models import Knowledge
from bot.learners.learner import LearnerRecord
from bot.nlu.context import ContextStore, DialogueContext, MemoryContextStore, Pending
from bot.nlu.entities import Entities
from bot.nlu.frame import CHECK, PROGRESSION, SUM, SUPERLATIVE, Frame, first_mention, read_frame
from bot.nlu.matcher import Ranking
from bot.nlu.normalise import clauses, clean, expand_shorthand, strip_courtesies
from bot.nlu.segment import people_parts, question_parts
from bot.rules.explain import join

FALLBACK = "fallback"
#: A reply this short may pick one of the qualifications just answered for ("the mentoring one").
MAX_CHOICE_WORDS = 4
OUT_OF_SCOPE = "out_of_scope"

#: Called with (user, question, best guess) whenever the bot falls back, so admins can review.
FallbackSink = Callable[[str, str, str | None], None]
#: Reads the asking user's own stored record (None when there is none). Called only for
#: questions that need it, so surfaces without a database never open one.
RecordSource = Callable[[str], LearnerRecord | None]


class RecordsUnavailableError(Exception):
    """The stored records can't be read right now (database down): said plainly, never guessed."""


@dataclass(frozen=True)
class _Turn:
    """What every step of answering one question needs: who asks, what, and what came before."""

    brain: Brain
    ctx: DialogueContext
    user: str
    text: str
    #: The question as the user wrote it (case kept), for the unanswered-questions log.
    said: str = ""


@dataclass(frozen=True)
class _Understood:
    intent: str
    confidence: float
    entities: Entities
    slots: Slots
    frame: Frame
    #: The message only states what the asker holds ("held") or is on ("studying"): acknowledged and kept.
    states: str | None = None
    #: A question worked out from the facts (a share, a unit found by its figures…), when it is one.
    derived: Derived | None = None


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

    def reply(self, user: str, text: str, conversation: str = "") -> Answer:
        """Answer one message in one conversation (Slack: channel and thread; terminal: "")."""
        brain = self.brain
        ctx = start = self.contexts.get(user, conversation)
        answers: list[Answer] = []
        said = text if isinstance(text, str) else ""
        people = people_parts(said, brain.extractor.extract)
        parts = people or [("", p) for p in _with_tails(question_parts(said, brain.extractor.extract))]
        for name, part in parts:
            answer, ctx = self._turn(brain, ctx if not name else start, user, part)
            answers.append(_labelled(answer, name))
        answer = _combine(answers)
        self.contexts.put(user, replace(ctx, turns=start.turns + 1), conversation)
        return _neutralised(answer)

    def choose(self, user: str, conversation: str, qualification: str, held: dict[str, Any] | None = None) -> Answer:
        """A clarification button: answer the question it was offered for, with this qualification.

        The question comes with the button (``held``), so it is answered whatever was said since;
        without it, the conversation's open question. The choice never goes through the NLU."""
        brain = self.brain
        ctx = self.contexts.get(user, conversation)
        pending = _held(held) if held else ctx.pending
        if pending is None or qualification not in brain.knowledge.qualifications:
            q = brain.knowledge.qualifications.get(qualification)
            return self.reply(user, q.title if q else qualification, conversation)
        answer, new_ctx = self._resume(_Turn(brain, ctx, user, ""), pending, qualification)
        self.contexts.put(user, replace(new_ctx, turns=ctx.turns + 1), conversation)
        return _neutralised(answer)

    # -- one question ------------------------------------------------------------

    def _turn(self, brain: Brain, ctx: DialogueContext, user: str, raw: str) -> tuple[Answer, DialogueContext]:
        cleaned = clean(raw)
        if not any(ch.isalnum() for ch in cleaned):
            text = brain.templates.render("fallback", "empty", capabilities=self._capabilities(brain))
            return Answer.document(text, understood=False), ctx
        nlu_text = strip_courtesies(expand_shorthand(cleaned))
        lowered = cleaned.lower()
        entities = hours_carried(_with_pronoun_units(brain.extractor.extract(nlu_text), ctx), ctx, lowered)
        if ctx.pending is not None and _reads_as_choice(entities, ctx.pending.soft):
            chosen = resolve_choice(lowered, entities, ctx.pending.candidates, brain.knowledge)
            if chosen is not None:
                return self._resume(_Turn(brain, ctx, user, lowered), ctx.pending, chosen)
            ctx = replace(ctx, pending=None)  # a new question while a clarification is open: answered as new
        fuller = self._completed(brain, ctx, lowered, entities) or spell_out(
            brain.knowledge, ctx, lowered, entities, brain.extractor.extract
        )
        if fuller is not None:
            nlu_text, lowered = fuller, fuller  # "how many more is the Cert?": the attribute and subject before
            entities = brain.extractor.extract(fuller)
        turn = _Turn(brain, ctx, user, lowered, cleaned)
        if asks_why(lowered, entities.on_topic) and (why := self._why(turn, entities)) is not None:
            return why
        understood = self._understand(turn, entities, nlu_text)
        if isinstance(understood, Answer):
            return understood, replace(ctx, intent=FALLBACK)
        return self._answer(turn, understood)

    @staticmethod
    def _completed(brain: Brain, ctx: DialogueContext, text: str, entities: Entities) -> str | None:
        """An elliptic comparison completed from the conversation, or None."""
        k = brain.knowledge
        if ctx.intent in ("unit_credits", "unit_glh") and ctx.units:
            subject = ctx.units[0]
        elif ctx.qualification and ctx.qualification in k.qualifications:
            subject = f"the {k.qualifications[ctx.qualification].title}"
        else:
            return None
        return completes_comparison(text, entities.template, ctx, subject)

    def _why(self, turn: _Turn, entities: Entities) -> tuple[Answer, DialogueContext] | None:
        """'Why 10?' right after a qualification's figure: the parts it is made of."""
        ctx = turn.ctx
        attribute = FIGURE_OF.get(ctx.intent or "")
        if (
            attribute is None
            or not ctx.qualification
            or ctx.intent not in ("qualification_credits", "qualification_glh")
        ):
            return None
        u = _Understood(ctx.intent, 1.0, entities, Slots((ctx.qualification,), (), ()), Frame())
        res = Resolution((ctx.qualification,), ())
        reply = why_figure(self._request(turn, u, res, None), attribute)
        if reply is None:
            return None
        return self._make(turn, u, ctx.intent, reply, quals=res.quals), ctx

    def _understand(self, turn: _Turn, entities: Entities, nlu_text: str) -> _Understood | Answer:
        """The intent (what it's about) and the frame (what to do with it), or a fallback answer."""
        brain, ctx, text = turn.brain, turn.ctx, turn.text
        ranking = self._rank(brain, ctx, entities, nlu_text)
        confidence = ranking.best.confidence if ranking.best else 0.0
        intent: str | None
        if ctx.intent and is_followup(entities.template) and ctx.intent not in (OUT_OF_SCOPE, FALLBACK):
            intent, confidence = ctx.intent, max(confidence, 0.9)
        else:
            intent = choose_intent(ranking)
        on_topic = (
            entities.on_topic or bool(ctx.qualifications or ctx.units) or bool(glossary_terms(brain.knowledge, text))
        )
        intent = self._apply_cues(brain, intent, expand_shorthand(text), on_topic)
        if intent is not None and behaviour(intent).record and not about_own_record(text):
            # A question about what a qualification requires, worded like one about the record.
            intent = next((m.intent for m in ranking.matches if not behaviour(m.intent).record), None)
        frame = read_frame(nlu_text.lower(), entities, confirm=bool(_CONFIRM.search(text)))
        if (derived := read(brain.knowledge, turn.said, text, entities, frame, says_done(text))) is not None:
            slots = qualification_slots(entities, entities.template)
            return _Understood(derived.topic, max(confidence, 0.9), entities, slots, frame, derived=derived)
        intent = _claim_in_context(intent, frame, entities, ctx)
        if intent is None or intent == OUT_OF_SCOPE:
            intent = _topic_of_operation(frame, entities, intent, text)
        in_brochures = on_topic or brain.texts.speaks_of(text)
        vague = intent in (None, OUT_OF_SCOPE) or (intent in _DESCRIBE and not entities.units)
        if vague and in_brochures and (found := brain.texts.find(text)):
            intent = _FIELD_TOPICS[found[1]]  # unsure, but its words are in one qualification's prose
        if asks_units_differ(text, entities) and max(len(entities.qualifications), len(ctx.qualifications)) > 1:
            intent = "compare"  # "which unit is different?" between two qualifications: a set difference
        if intent in (None, OUT_OF_SCOPE) and states_units_done(text) and entities.qualifications:
            intent = "personal_check"  # "sign off my award even though I only did 304": their units, checked
        if intent is None or intent == OUT_OF_SCOPE:
            return self._fallback(turn, ranking, intent)
        slots = qualification_slots(entities, entities.template)
        has_unit = bool(entities.units or entities.unknown_units or entities.ambiguous_units)
        intent = retarget(intent, has_unit, bool(slots.quals or slots.ambiguous), ctx)
        if asks_hours_left(intent, entities.hours, text):
            intent = "hours_remaining"
        intent = _reframe(intent, frame, entities, slots.source_quals, text)
        if ctx.held and not slots.source_quals and intent in _TOPS_UP_FROM and _MORE_NEEDED.search(text):
            intent = "personal_check"  # "I hold the Award" earlier, now "what extra do I need for the certificate?"
        if intent in _DESCRIBE and entities.groups and not (entities.units or entities.ambiguous_units):
            intent = "qualification_units"  # "tell me about group 1 on the C&M": that group's units
        if asks_which_of(text, entities):
            intent = "unit_membership"  # "which of 8577-304, 8577-305 and 8577-307 aren't in the cert?"
        states = holds_statement(entities.template, text)
        named = [m.ids[0] for m in entities.qualifications if not m.ambiguous]
        if states and len(entities.qualifications) == 1 and named:
            # "I've got the Award": what it leads to; "I'm on the C&M": what it needs. Kept for the turns after.
            held = states == "held"
            slots = Slots(() if held else (named[0],), (), (named[0],) if held else ())
            return _Understood("personal_check", max(confidence, 0.9), entities, slots, frame, states)
        if ctx.held and intent in _TOPS_UP and not slots.source_quals and not set(slots.quals) & set(ctx.held):
            slots = replace(slots, source_quals=ctx.held)  # "how many more hours for the certificate?" after it
        return _Understood(intent, confidence, entities, slots, frame)

    def _answer(self, turn: _Turn, u: _Understood) -> tuple[Answer, DialogueContext]:
        brain, ctx = turn.brain, turn.ctx
        k = brain.knowledge
        intent = u.intent
        if (problem := self._unit_problem(turn, u)) is not None:
            return problem, ctx
        res = resolve(
            k,
            ctx,
            intent,
            behaviour(intent),
            u.entities,
            u.slots,
            turn.text,
            bool(u.frame.claims),
            compares=u.frame.operation in ("compare", SUPERLATIVE),
        )
        if (unsettled := self._unsettled_units(turn, u, res)) is not None:
            return unsettled
        try:
            learner = self._learner(turn) if behaviour(intent).record or intent == "personal_check" else None
        except RecordsUnavailableError:
            if behaviour(intent).record:
                return self._make(turn, u, intent, Reply(brain.templates.render("my_progress", "unavailable"))), ctx
            learner = None
        if (
            intent == "personal_check"
            and not res.stated
            and not u.slots.source_quals
            and learner
            and learner.enrolments
        ):
            intent = "my_progress"  # "what have I got left?" with nothing stated: the stored record answers
        how = behaviour(intent)
        if len(res.quals) > 1 and how.needs_qualification and not how.personal and asks_to_compare(turn.text):
            intent = "compare"
        req = self._request(turn, u, res, learner)
        how = behaviour(intent)
        checks_claim = bool(u.frame.claims) and not says_done(turn.text)
        composed = which_of(req) if asks_which_of(turn.text, u.entities) else None
        if composed is None and asks_units_differ(turn.text, u.entities):
            composed = units_differ(req)
        if composed is None and asks_companions(turn.text, u.entities):
            composed = companions(req)  # "which units go alongside 8577-305?"
        composed = composed or _worked_out(intent, req, u, not how.personal or checks_claim)
        # Named by nothing but its words: the one qualification whose prose holds them, not every one.
        unplaced = composed is None and how.needs_qualification and (res.for_all or not res.quals) and not res.ambiguous
        found = brain.texts.find(turn.text) if unplaced else None  # "what's Walled Garden?": only the C&M
        asked_topic = intent in _FIELD_TOPICS.values() and intent != "qualification_overview"
        if found is not None and asked_topic and _FIELD_TOPICS[found[1]] != intent:
            found = None  # a prose topic asked for by name ("where can I move on to?") keeps its topic
        if found is not None:
            intent, qid = _FIELD_TOPICS[found[1]], found[0]
            req, how = replace(req, quals=(qid,)), behaviour(_FIELD_TOPICS[found[1]])
            res = replace(res, quals=(qid,), for_all=False)
        if composed is None and how.needs_qualification and not res.quals:
            return self._clarify(turn, u, intent, res.ambiguous or tuple(k.qualifications), res.units)
        reply = composed or self._several_facts(intent, req, u.frame) or self._by_topic(intent, req, how, res.for_all)
        reply = self._finished(turn, u, req, how, reply, topical=composed is None)
        if reply.need == "qualification":
            return self._clarify(turn, u, intent, res.ambiguous or tuple(k.qualifications), res.units)
        if reply.need == "unit":
            msg = brain.templates.render("clarify", "need_unit")
            return self._make(turn, u, intent, Reply(msg)), replace(ctx, intent=intent)
        new_ctx = DialogueContext(
            intent=intent,
            qualifications=res.quals or ctx.qualifications,
            units=res.units or ctx.units,
            stated_units=res.stated if intent == "personal_check" else ctx.stated_units,
            groups=u.entities.groups,
            kinds=u.entities.kinds or ctx.kinds,
            hours=u.entities.hours,
            turns=ctx.turns,
            held=u.slots.source_quals if u.states == "held" else ctx.held,
            listed=_listed(k, reply, res, u),
            attribute=u.frame.attribute or attribute_of_topic(intent),
            text=turn.text,
            role=u.frame.role,
        )
        if res.for_all:
            new_ctx = replace(new_ctx, pending=self._pending(turn, u, intent, res.quals, res.units, soft=True))
        return self._make(turn, u, intent, reply, quals=res.quals), new_ctx

    def _unsettled_units(self, turn: _Turn, u: _Understood, res: Resolution) -> tuple[Answer, DialogueContext] | None:
        """Units no one qualification settles: units done are checked under every reading ("did 304, 306,
        307": not a question); any other question about a number both schemes have asks which is meant."""
        readings = _readings(turn.brain.knowledge, res, turn.text) if u.intent == "personal_check" else []
        if not readings:
            if not res.open_units or res.units:
                return None
            options = res.open_units[0]
            msg = turn.brain.templates.render(
                "clarify", "ambiguous_unit", number=options[0].split("-")[1], options=join(options, "or")
            )
            return self._make(turn, u, u.intent, Reply(msg)), turn.ctx
        reply = each_reading(self._request(turn, u, res, None), readings)
        quals = tuple(q for q, _ in readings)
        ctx = replace(turn.ctx, intent=u.intent, qualifications=quals, stated_units=res.stated, pending=None)
        return self._make(turn, u, u.intent, reply, quals=quals), ctx

    @staticmethod
    def _finished(turn: _Turn, u: _Understood, req: Request, how: Behaviour, reply: Reply, topical: bool) -> Reply:
        """The topic's reply made to answer the question as asked: a statement acknowledged first, a yes/no
        about a text fact or about whether a fact exists led by its verdict, a figure taken for granted corrected."""
        if not reply.text:
            return reply
        if u.states:
            qid = (u.slots.source_quals or u.slots.quals)[0]
            reply = replace(reply, text=f"{statement_lead(req, u.states, qid)}\n{reply.text}")
        plain_yes_no = topical and u.frame.yes_no and not u.frame.claims
        if plain_yes_no and how.text_fact:
            named = frozenset(w for m in u.entities.qualifications for w in m.text.lower().split())
            titles = [t for q in turn.brain.knowledge.qualifications.values() for t in (q.title, q.short_title)]
            reply = _with_verdict(reply, turn.text, named, titles, turn.brain.texts.vocabulary)
        if plain_yes_no and u.frame.attribute in how.attributes and _EXISTS.search(turn.text):
            reply = replace(reply, text=lead_with("Yes", reply.text))
        if u.frame.premises and not reply.need:  # "since the Award is 15 credits, …": corrected, never adopted
            reply = replace(reply, text=reply.text + premise_note(req))
        return reply

    def _request(self, turn: _Turn, u: _Understood, res: Resolution, learner: LearnerRecord | None) -> Request:
        brain, ctx, e = turn.brain, turn.ctx, u.entities
        names_nothing = not (e.qualifications or e.units or e.ambiguous_units)  # "and how many GLH?" after a group
        keeps_groups = names_nothing or (
            u.intent in ("qualification_units", "qualification_credits") and not e.qualifications
        )
        return Request(
            knowledge=brain.knowledge,
            engine=brain.engine,
            t=brain.templates,
            text=turn.text,
            quals=res.quals,
            units=res.units,
            groups=(e.groups or ctx.groups) if keeps_groups else e.groups,
            hours=e.hours,
            kinds=e.kinds,
            hours_by_kind=e.hours_by_kind,
            source_quals=u.slots.source_quals,
            asked=res.asked,
            learner=learner,
            frame=u.frame,
        )

    @staticmethod
    def _by_topic(intent: str, req: Request, how: Behaviour, each: bool = False) -> Reply:
        """The topic's handler, once per qualification when several are in play (or it is asked of each)."""
        per_qualification = how.needs_qualification or how.per_qualification or each
        several = len(req.quals) > 1 and per_qualification and not how.personal
        if several and intent != "compare":
            replies = [HANDLERS[intent](replace(req, quals=(q,))) for q in req.quals]
            if any(r.need for r in replies):
                return next(r for r in replies if r.need)
            return Reply("\n".join(r.text for r in replies if r.text))
        return HANDLERS[intent](req)

    @classmethod
    def _several_facts(cls, intent: str, req: Request, frame: Frame) -> Reply | None:
        """'Induction and tutorial hours for the Certificate in Mentoring': each fact named, from its own topic."""
        addable = frame.operation == SUM and not set(frame.attributes) <= HOUR_ATTRIBUTES  # "credits + total GLH"
        asked = [
            (topic_for(a, bool(req.units)) or _LOOKS_UP.get(a), first_mention(req.text, a)) for a in frame.attributes
        ]
        asked += [(t, first_mention(req.text, t)) for t in frame.topics if not req.units]  # "who it's for, …"
        side_by_side = frame.operation == "compare" and len(frame.attributes) > 1  # "induction and tutorial, all three"
        if (frame.operation != "lookup" and not addable and not side_by_side) or len({t for t, _ in asked}) < 2:
            return None
        topics = list(dict.fromkeys(t for t, _ in sorted(asked, key=lambda x: x[1])))  # in the question's order
        if intent not in topics or None in topics:
            return None
        replies = [cls._by_topic(t, req, behaviour(t)) for t in topics if t]
        if any(r.need for r in replies):
            return None
        return Reply(" ".join(r.text for r in replies))

    def _unit_problem(self, turn: _Turn, u: _Understood) -> Answer | None:
        """Unit codes that don't exist: say so and suggest the nearest real ones, never pretend."""
        e = u.entities
        if not e.unknown_units or e.units or e.ambiguous_units:
            return None
        code = e.unknown_units[0]
        probe = code if "-" in code else f"8578-{code}"
        k = turn.brain.knowledge
        msg = turn.brain.templates.render(
            "clarify", "unknown_unit", code=code, nearest=join(nearest_units(probe, k), "or")
        )
        return self._make(turn, u, u.intent, Reply(lead_with("No", msg) if u.frame.yes_no else msg))

    def _resume(self, turn: _Turn, pending: Pending, chosen: str) -> tuple[Answer, DialogueContext]:
        """The reply to a clarification is the choice: answer the question that was held."""
        entities = Entities(units=pending.units, hours=pending.hours, kinds=pending.kinds, groups=pending.groups)
        frame = Frame(**pending.frame) if pending.frame else Frame()
        slots = Slots((chosen,), (), ())
        ctx = replace(turn.ctx, pending=None)
        turn = _Turn(turn.brain, ctx, turn.user, pending.text or turn.text)
        return self._answer(turn, _Understood(pending.intent, 1.0, entities, slots, frame))

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

    # -- helpers ---------------------------------------------------------------

    def _clarify(
        self, turn: _Turn, u: _Understood, intent: str, candidates: tuple[str, ...], units: tuple[str, ...]
    ) -> tuple[Answer, DialogueContext]:
        brain, ctx = turn.brain, turn.ctx
        quals = [brain.knowledge.qualifications[c] for c in candidates]
        options = join([f"the {q.title}" for q in quals], "or")
        kinds = {q.kind for q in quals}
        if len(kinds) == 1:
            msg = brain.templates.render("clarify", "which", kind=kinds.pop(), options=options)
        else:
            msg = brain.templates.render("clarify", "which_any", options=options)
        pending = self._pending(turn, u, intent, candidates, units)
        held = pending.to_json()
        choices = tuple(Choice(q.short_title, q.id, held) for q in quals)
        answer = replace(self._make(turn, u, intent, Reply(msg)), choices=choices)
        return answer, replace(ctx, pending=pending, intent=intent)

    @staticmethod
    def _pending(
        turn: _Turn,
        u: _Understood,
        intent: str,
        candidates: tuple[str, ...],
        units: tuple[str, ...],
        soft: bool = False,
    ) -> Pending:
        e = u.entities
        return Pending(
            intent=intent,
            candidates=candidates,
            units=units,
            hours=e.hours,
            kinds=e.kinds,
            groups=e.groups,
            text=turn.text,
            frame=_frame_json(u.frame),
            soft=soft,
        )

    def _fallback(self, turn: _Turn, ranking: Ranking, intent: str | None) -> Answer:
        brain = turn.brain
        suggestions: tuple[str, ...] = ()
        if intent is None and ranking.best is not None and ranking.best.confidence >= 0.5:
            names = [m.intent for m in ranking.matches[:3] if m.intent != OUT_OF_SCOPE][:2]
            suggestions = tuple(brain.intents.description(n) for n in names)
        text = brain.templates.render("fallback", "answer", capabilities=self._capabilities(brain))
        if self.on_fallback is not None:
            self.on_fallback(turn.user, turn.said or turn.text, ranking.best.intent if ranking.best else None)
        confidence = ranking.best.confidence if ranking.best else 0.0
        return Answer.document(text, understood=False, confidence=confidence, suggestions=suggestions)

    def _learner(self, turn: _Turn) -> LearnerRecord | None:
        return self.records(turn.user) if self.records is not None else None

    @staticmethod
    def _capabilities(brain: Brain) -> str:
        req = Request(knowledge=brain.knowledge, engine=brain.engine, t=brain.templates, text="")
        return capabilities(req)

    @staticmethod
    def _make(turn: _Turn, u: _Understood, intent: str, reply: Reply, quals: tuple[str, ...] = ()) -> Answer:
        ents = u.entities.to_json()
        if quals:
            ents["qualifications"] = list(quals)
        return Answer.document(
            reply.text[:1].upper() + reply.text[1:],
            columns=reply.columns,
            rows=reply.rows,
            structure=reply.structure,
            understood=True,
            intent=intent,
            confidence=u.confidence,
            entities=ents,
            check=reply.check,
            personal=behaviour(intent).personal,
        )


def _readings(k: Knowledge, res: Resolution, text: str) -> list[tuple[str, tuple[str, ...]]]:
    """The qualifications to check units done against when nothing names one and no one holds them all."""
    if res.quals or not (res.stated or res.open_units) or res.asked:
        return []
    if not (res.open_units or not owners_of(k, res.units) or asks_for_several(text)):
        return []
    readings = unit_readings(k, res.stated, res.open_units)
    return readings if len(readings) > 1 else []


def _listed(k: Knowledge, reply: Reply, res: Resolution, u: _Understood) -> tuple[str, ...]:
    """The units an answer listed, as "those" will mean them: a unit list narrowed to the role or group
    asked about ("mandatory units for C&M?" lists the routes too, but "those" are the mandatory ones),
    or the several units the answer was about."""
    if reply.structure is None:
        return reply.ranged or (res.units if len(res.units) > 1 else ())
    refs = [item.ref for part in reply.structure.lists for item in part.units]
    groups = [g for q in res.quals for g in k.qualifications[q].groups]
    wanted = set(u.entities.groups)
    if u.frame.role == "mandatory":
        wanted.add("mandatory")
    elif u.frame.role == "optional":
        wanted |= {g.id for g in groups if g.id != "mandatory"}
    if wanted:
        narrowed = {r for g in groups if g.id in wanted for r in g.units}
        refs = [r for r in refs if r in narrowed] or refs
    return tuple(dict.fromkeys(refs))


def _worked_out(intent: str, req: Request, u: _Understood, operates: bool) -> Reply | None:
    """A question worked out from the facts, else the frame's operation (when it may run), else None."""
    derived = u.derived.answer(req) if u.derived else None
    if derived is not None or not operates:
        return derived
    return relate(req) or compose(intent, req)


def _attribute_topic(attribute: str, about_unit: bool, intent: str) -> str:
    return topic_for(attribute, about_unit) or intent


def _held(data: dict[str, Any]) -> Pending | None:
    """The question a button carries; anything malformed or forged is treated as no question."""
    try:
        pending = Pending.from_json(data)
    except (TypeError, ValueError):
        return None
    ok = pending.intent in HANDLERS and all(isinstance(c, str) for c in pending.candidates)
    return pending if ok and isinstance(pending.text, str) else None


#: "…whats left and how many mentoring hrs is that": a figure of what the part before answers, not a question
#: of its own.
_ABOUT_THAT = re.compile(
    r"^(?:and\s+|so\s+)?how (?:many|much)\b[^?.!]*\b"
    r"(?:(?:is|are|would be) (?:that|those|it)|(?:is|are|would|will) (?:that|those|it)(?: be)?)\W*$",
    re.I,
)


def _with_tails(parts: list[str]) -> list[str]:
    """A part asking how many hours "that is" stays with the question before it, which says what "that" is."""
    joined: list[str] = []
    for part in parts:
        if joined and _ABOUT_THAT.search(part.strip()):
            joined[-1] = f"{joined[-1]} and {part.strip()}"
        else:
            joined.append(part)
    return joined


def _with_pronoun_units(entities: Entities, ctx: DialogueContext) -> Entities:
    """'Is it in the Award too?' after talking about a unit: "it" is that unit, for every step after."""
    if entities.units or entities.ambiguous_units or not ctx.units or not behaviour(ctx.intent).unit_topic:
        return entities
    if not _UNIT_PRONOUN.search(entities.template):
        return entities
    return replace(entities, units=ctx.units)


_UNIT_PRONOUN = re.compile(r"\b(it|its|it's|that one|this one|that unit|this unit)\b")


def _reads_as_choice(entities: Entities, soft: bool) -> bool:
    """'the mentoring one', 'I meant the Award please': little besides a name. A longer message
    is a new question, answered as one even while a clarification is open."""
    words = [t for t in entities.template.split() if not t.startswith("{")]
    return len(words) <= (MAX_CHOICE_WORDS if soft else MAX_CHOICE_WORDS + 2) and not entities.units


def _claim_in_context(intent: str | None, frame: Frame, entities: Entities, ctx: DialogueContext) -> str | None:
    """'My manager says it's 4 hours, is that right?' right after a fact: a claim about that fact,
    whatever its other words look like, when it names nothing new (or names a subject but no attribute:
    "and is the cert 13?") and could be about that attribute."""
    named = re.search(r"\{(qualification|unit|group)\}", entities.template)  # "it" carries the unit over
    bare = not frame.attribute and all(c.attribute is None for c in frame.claims)  # "and is the cert 13?"
    if not frame.claims or (named and not bare) or not ctx.intent or ctx.intent in (OUT_OF_SCOPE, FALLBACK):
        return intent
    attributes = behaviour(ctx.intent).attributes
    fits = all(c.attribute is None or c.attribute in attributes for c in frame.claims)
    return ctx.intent if attributes and fits else intent


def _topic_of_operation(frame: Frame, entities: Entities, intent: str | None, text: str) -> str | None:
    """Unsure what a question is about, but it plainly checks, compares, ranks or adds up an attribute
    of things it names ("is 8578-302 worth more than 8578-303?"): the attribute's topic."""
    if frame.progress_from:
        return "progression"  # "can you progress from the C&M to the Level 3 Diploma in Leadership?"
    if _SCHEME_QUESTION.search(text):
        return "qualification_units"  # "8578 vs 8577 codes, which is which?"
    if frame.filter is not None:
        return "qualification_units"  # "list the units that are worth 3 credits"
    if frame.kind_claim and entities.units:
        return "unit_lookup"  # "8578-302 is a mentoring unit?"
    if frame.kind_claim and entities.groups:
        return "rules_of_combination"  # "group 1 = the mentoring units?"
    if frame.role == "mandatory" and frame.operation == CHECK and not entities.units and "mandatory" in text:
        return "qualification_units"  # "do I need to do the mandatory units?"
    if not entities.on_topic or frame.operation == "lookup":
        return intent
    if frame.operation == CHECK and entities.qualifications and not frame.claims and entities.units:
        return "rules_of_combination" if len(entities.units) > 1 else "unit_membership"
    attribute = (frame.claims[0].attribute if frame.claims else None) or frame.attribute
    if attribute is None and frame.operation in (SUPERLATIVE, SUM):
        attribute = "credits" if re.search(r"\b(big|bigger|biggest|small|smaller|smallest|largest)\b", text) else None
    return topic_for(attribute) or intent


def _reframe(intent: str, frame: Frame, entities: Entities, held: tuple[str, ...], text: str) -> str:
    """The frame corrects the topic where the operation makes it plain."""
    units_done = says_done(text) and bool(entities.units or entities.ambiguous_units)  # what they give the asker
    if _SCHEME_QUESTION.search(text) and not units_done:
        return "qualification_units"  # "the 8578-xxx modules: which qualification are those part of?"
    named_quals = [m for m in entities.qualifications if not m.ambiguous]
    how = behaviour(intent)
    done = says_done(text)
    if frame.operation in ("compare", SUM, SUPERLATIVE) and how.personal and not done:
        # "Do 8577-305 and 8577-306 have the same credits?" is about the units, not the asker.
        return topic_for(frame.attribute, bool(entities.units)) or "compare"
    asks_left = bool(_LEFT.search(text)) and entities.hours is None  # hours done: the hours still to do
    # Units named, or groups stated as done ("if I do both group 1 modules, do I get the C&M?").
    some_units = bool(entities.units or entities.ambiguous_units or groups_stated(entities.template, entities.groups))
    # Units done and another asked about or still on the go ("done 304 and 307, how many hours do I need
    # for 305?", "done 304, I'm on 305 with 5 hours so far, what's left?").
    mixed = states_units_done(text) and bool(units_asked_about(text) | units_denied(text))
    if some_units and done and (how.rereadable or asks_left or mixed) and frame.operation != SUM:
        return "personal_check"  # "I did 8577-304, 8577-306 and 8577-307, did I get the cert?"
    asks_in = re.search(r"\b(whether|includes?|part of|belongs?)\b", text)
    overview = frame.operation == "lookup" and (
        intent == "qualification_overview" or (intent == "unit_membership" and not frame.yes_no and not asks_in)
    )
    # "I add up the GLH and get 27, right?": a figure checked or worked out is about the attribute named.
    operates = (frame.claims or frame.operation in (SUM, SUPERLATIVE)) and not how.personal and not _WHOLE.search(text)
    if (
        len(frame.attributes) == 1
        and (how.attributes or overview or operates)
        and frame.attribute not in how.attributes
    ):
        # The attribute named in words wins over the topic's: "the extended mentoring unit, how many GLH?"
        return _attribute_topic(frame.attribute or "", bool(entities.units or entities.ambiguous_units), intent)
    some = named_quals or not (entities.units or entities.qualifications)  # "are they all level 3?"
    if some and any(c.attribute == "level" for c in frame.claims) and not PROGRESSION.search(text):
        return "level"  # "is the mentoring award a level 5?": checked against the knowledge, not refused
    if entities.units and frame.attribute in ("credits", "glh") and _WHOLE.search(text) and not done:
        return topic_for(frame.attribute) or intent  # the whole qualification the unit belongs to
    topping_up = held and len(named_quals) >= 2 and intent in ("credit_transfer", "compare", "qualification_units")
    if topping_up and not re.search(r"\b(count|counts|transfer|carry|carries|credit)\b", text):
        return "personal_check"  # topping up from a qualification held to another: what's left
    membership = frame.operation == CHECK and entities.units and (entities.qualifications or entities.groups)
    if frame.operation == CHECK and len(entities.units) > 1 and not frame.claims and not done and not how.rereadable:
        return "rules_of_combination"  # "can I mix 8578-302 with 8578-307?": whether they count together
    one_fact = bool(how.attributes) and not frame.attributes  # "is it on the Award?" after "how many GLH is …?"
    if membership and not frame.claims and (how.rereadable or one_fact) and not done:
        return "unit_membership"  # "the award needs 8577-306, doesn't it?"
    if (
        frame.operation == "compare"
        and intent not in ("compare",)
        and len(named_quals) >= 2
        and frame.attribute is None
    ):
        return "compare"
    if OTHER_LEVEL.search(text) and (not how.other_levels or (intent == "level" and "diploma" in text)):
        return "unknown_fact"  # "units of the Level 2 Award": never answer with the Level 3 one
    return intent


#: Questions that top up from a qualification the asker said they hold, in an earlier turn.
_TOPS_UP = frozenset({"personal_check", "hours_remaining"})
#: "What is …?" topics: a term the brochures use in one field only ("Walled Garden") is answered from it.
_DESCRIBE = frozenset({"unit_lookup", "qualification_overview"})
_SCHEME_QUESTION = re.compile(
    r"\b857[78](?:-?x+)?\b(?![-/]?\d).*\bwhich (qualification|qual|course|cert|certificate|is which)|"
    r"\b857[78]\b(?![-/]?\d).*\b857[78]\b(?![-/]?\d)"
)
#: Facts with no figure that a list of several facts may ask for ("credits, GLH and which group").
_LOOKS_UP = {"part_of": "unit_membership"}
#: "Can you confirm the number is …": a claim to check (the courtesy stripper takes the words out).
_CONFIRM = re.compile(r"\b(can|could|would) (you|u) (please |pls )?(confirm|verify|double[- ]check)\b")
_TOPS_UP_FROM = frozenset(("compare", "qualification_units", "credit_transfer", "rules_of_combination"))
_MORE_NEEDED = re.compile(r"\b(extra|else|left|more|top(ping)? up|still need|on top)\b")
#: "Is there an induction?", "do you get tutorial support?": a fact the knowledge has exists.
_EXISTS = re.compile(
    r"^(is there|are there|do (i|you|we|learners) get|does (it|the \w+|this) (come with|include|have|offer|give)|"
    r"do (they|you) (offer|provide|give))\b"
)
#: The topic that answers from each prose field of a qualification.
_FIELD_TOPICS = {
    "audience": "audience",
    "overview": "qualification_overview",
    "benefits_individuals": "benefits_individuals",
    "benefits_employers": "benefits_employers",
    "progression": "progression",
    "learning_resources": "learning_resources",
}
#: "How many credits does my qualification need?" with a unit named: the qualification the unit belongs to.
_WHOLE = re.compile(
    r"\b(my|the|its|this|that) (qualification|qual|course|certificate|cert)\b|\bbelongs? to\b|\bin total\b"
)
#: What is still to do: with units the asker has done, a personal check whatever the topic's words.
_LEFT = re.compile(r"\b(left|remaining|still need|to go|outstanding|how many more|what else)\b")
#: The asker speaks of what they have done: a personal check, not a question about the rules.
_STATES_DONE = re.compile(
    r"\b(have i|i've|i have(?! to)|i did|i'd|did i|i got|i'm done|i passed|i completed|i finished|done|passed|"
    r"completed|finished|achieved|logged|so far|if i (?:also )?(?:do|did|complete|finish|pass|add|get)|will i|"
    r"would i|will that|would that|get me|can i get|had|completes|finishes|passes|(?:would|will) (?:they|he|she))\b"
)


def says_done(text: str) -> bool:
    """The asker speaks of what they have done, with "I" or without ("did 304 305 307, got the award?")."""
    text = checking_me(text)  # "have I got that right?" checks a claim
    return bool(_STATES_DONE.search(text)) or states_units_done(text)


def _frame_json(frame: Frame) -> dict:
    return {"operation": frame.operation, "attribute": frame.attribute, "yes_no": frame.yes_no, "role": frame.role}


def _with_verdict(
    reply: Reply, question: str, names: frozenset[str], titles: list[str], known: frozenset[str] = frozenset()
) -> Reply:
    """A yes/no about a text fact leads with Yes or No, then the fact itself.

    Qualification titles in the answer are not evidence ("is 8578-300 about mentoring?" must not
    be answered Yes because the unit belongs to the Certificate in Coaching and Mentoring)."""
    facts = reply.text
    for title in sorted(titles, key=len, reverse=True):
        facts = facts.replace(title, " ")
    verdict = text_verdict(question, facts, names, known)
    if verdict is None:
        return reply
    return replace(reply, text=lead_with(verdict, reply.text))


def _labelled(answer: Answer, name: str) -> Answer:
    """One person's answer among several ("Priya: Yes: …"); the name is plain text, as they wrote it."""
    if not name:
        return answer
    return replace(answer, text=f"{name}: {answer.text}", lead=f"{name}: {answer.lead}" if answer.lead else "")


def _combine(answers: list[Answer]) -> Answer:
    """Several questions in one message: every part answered, in order, the first leading."""
    if len(answers) == 1:
        return answers[0]
    useful = [a for a in answers if a.understood] or answers[:1]
    first = useful[0]
    if len(useful) == 1:
        return first
    # Two parts the same question answers ("how many credits have I got and what's left?") are said once.
    details = tuple(t for t in dict.fromkeys(a.text for a in useful[1:]) if t != first.text)
    return Answer.document(
        first.text,
        details=details,
        understood=first.understood,
        intent=first.intent,
        confidence=first.confidence,
        entities=first.entities,
        check=next((a.check for a in useful if a.check), None),
        choices=next((a.choices for a in useful if a.choices), ()),
        suggestions=first.suggestions,
        personal=any(a.personal for a in useful),
    )


def _neutralised(answer: Answer) -> Answer:
    return replace(
        answer,
        text=neutralise(answer.text),
        lead=neutralise(answer.lead),
        details=tuple(neutralise(d) for d in answer.details),
    )
