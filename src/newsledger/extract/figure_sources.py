"""Who a figure comes from: the quote it sits in, 'according to X', 'X said', or a 'by X' agent."""

from __future__ import annotations

import re
from typing import Any

from spacy.tokens import Span

from newsledger.extract.lexicons import load_resource
from newsledger.extract.nlp import doc_ents

_R = load_resource("figures.json")
_SOURCE_VERBS = frozenset(_R["source_verbs"])
_SPEECH_VERBS = frozenset(_R["speech_verbs"])
_CONCESSIVE = frozenset(("although", "though", "while", "whereas", "despite"))
_DEED_OBJECT_VERBS = frozenset(_R["speech_verbs_with_deed_objects"])
_AGENT_VERBS = frozenset(_R["agent_source_verbs"])
_PRONOUNS = frozenset(_R["pronouns"])
_POSS_SOURCE_NOUNS = frozenset(_R["possessive_source_nouns"])
_ORG_NOUNS = frozenset(_R["org_description_nouns"])  # with figure_sources.json's, below
_ORG_SKIP = frozenset(_R["org_description_skip_modifiers"])
_FRAME_NOUNS = frozenset(_R["frame_nouns"])
_FRAME_PREPS = frozenset(_R["frame_preps"])
_FRAME_VERBS = frozenset(_R["frame_verbs"])
_ESTIMATE_NOUNS = frozenset(_R["estimate_nouns"])
_EXPECT_VERBS = frozenset(("expect", "anticipate"))
_S = load_resource("figure_sources.json")
_BELIEF_VERBS = frozenset(_S["belief_verbs"])
_QUANTIFIER_SUBJECTS = frozenset(_S["quantifier_subjects"])
_VOICE_NOUNS = frozenset(_S["voice_nouns"]) | frozenset(_R["org_description_nouns"])
_RESPONDENT_PARTICIPLES = frozenset(_S["respondent_participles"])
_ORG_NOUNS = _ORG_NOUNS | frozenset(_S["org_description_nouns"])
_RESULT_VERBS = frozenset(_S["result_verbs"])
# A dateline the quote finder can leave on a source ("MILWAUKEE (AP) - Police", "BRAZORIA COUNTY, Texas - "):
# capitals, an optional state and agency, then a dash.
_DATELINE = re.compile(r"^[A-Z][A-Z.'&]{2,}(?:[ -][A-Z][A-Z.'&]+)*(?:,\s*[A-Z][a-z.]+(?:\s[A-Z][a-z.]+)?)?"
                       r"\s*(?:\([A-Za-z.]+\))?\s*[-\u2014\u2013]{1,2}\s*(?=\S)")
# Prepositions that tie an amount to a verb ('raised targets from 60,000 to 80,000'), not a clause ('after ...').
_AMOUNT_PREPS = frozenset(("from", "to", "at", "of", "by", "between", "around", "above", "below", "over", "under"))
# A poll share as the subject of "said" ("14% of people aged ...", "70% said"): respondents, not a source.
_SHARE = re.compile(r"^\s*(?:[\d.,]+\b|(?:a |one )?(?:third|quarter|half|fifth)\b)|%", re.IGNORECASE)
# How many earlier sentences of the paragraph a frame ("X says ...", "In the survey, ...") reaches.
FRAME_SENTENCES = 3
# An embedded post signed "— Mark D. Levine (@MarkLevineNYC) February 2, 2015": the signer says it.
# "— City of Mukilteo (@CityofMukilteo)": short lower-case joining words may stand inside the name.
_SIGNATURE = re.compile(r"[\u2014\u2013-]\s*([A-Z][\w.'-]*(?:\s+(?:(?:of|the|for|and|de)\s+)?[A-Z][\w.'-]*){0,3})"
                        r"\s*\(@\w+\)")
# How far back (characters) an organisation named before a description of it ("the lender") may be.
ORG_WINDOW = 600
_NAME_LABELS = frozenset(("PERSON", "ORG", "GPE", "NORP", "FAC"))
_RELATIVES = frozenset(_R["relative_pronouns"])
_PERSONAL = frozenset(("he", "she", "him", "her"))
_THING_PRONOUNS = frozenset(("it", "they"))
_DETS = frozenset(("the", "a", "an", "this", "that", "these", "those"))
# A source phrase longer than this is a clause, not a name; the scorer also ignores long tails.
MAX_SOURCE_TOKENS = 14
# How far back (characters) a pronoun's subject antecedent is looked for: about three sentences.
SUBJECT_WINDOW = 400


# Longest sentence (tokens) whose parse is searched for a figure's source.
MAX_SENTENCE_TOKENS = 250


class SourceFinder:
    """Finds the source of figures in one article; caches per-article look-ups."""

    def __init__(self, ctx: Any) -> None:
        self.doc = ctx.doc
        self.text: str = ctx.article.text  # Doc.text is rebuilt on every access; the article's is not
        result = getattr(ctx, "result", None)
        self.quotes = list(getattr(result, "quotes", None) or [])
        self.entities = list(getattr(result, "entities", None) or [])
        self._chunks: dict[str, list[tuple[int, str, set[str]]]] | None = None

    def source_for(self, start: int, end: int, span: Any) -> str | None:
        """The source of the figure at [start, end), or None when the article states it itself."""
        source = self._source_for(start, end, span)
        if source is None:
            return None
        source = _DATELINE.sub("", source)
        if source.lower() in _PRONOUNS:
            # A bare pronoun (the quote finder's speaker 'It', 'He') names nobody: who it stands for.
            if source.lower() in _PERSONAL:
                return self._last_person(start)
            return self._it_voice(span.sent, start) if source.lower() == "it" else None
        return source

    def _source_for(self, start: int, end: int, span: Any) -> str | None:
        signer = self._signer(start, end)
        if signer is not None:
            return signer
        quoted = next((q for q in self.quotes if q.start <= start and end <= q.end
                       and not _SHARE.search(str(q.speaker or q.speaker_mention or ""))), None)
        if quoted is not None and quoted.kind != "indirect" and (quoted.speaker or quoted.speaker_mention):
            return str(quoted.speaker or quoted.speaker_mention)
        if len(span.sent) > MAX_SENTENCE_TOKENS:
            # A "sentence" of hundreds of tokens is a list or a table: reading its parse for every figure in
            # it costs time quadratic in its length (12,000 numbers: minutes), and finds no speaker anyway.
            return str(quoted.speaker or quoted.speaker_mention) if quoted is not None and (
                quoted.speaker or quoted.speaker_mention) else None
        # Reported speech: the parse of this very sentence names the source as well as the quote finder
        # does, and better in long lists ("..., security officials and doctor X from Y said").
        phrase = self._attribution(span.root)
        if phrase is not None and any((t.like_num or t.text == "%") and t.dep_ != "appos" for t in (
                phrase if isinstance(phrase, Span) else _own_words(phrase))):
            # "32% said Mr Blair was ...": a poll share, not a source; an age in apposition is no share
            # ("The boy's mother, Kiana Mohansing, 20, told officials ...").
            phrase = None
        own = self._resolve(phrase) if phrase is not None else None
        # A name written in the sentence beats the quote finder's; a pronoun or title it resolved beats ours.
        named = phrase is not None and any(t.pos_ == "PROPN" and t.ent_type_ in _NAME_LABELS
                                           for t in (phrase if isinstance(phrase, Span) else phrase.subtree))
        head = phrase[0] if isinstance(phrase, Span) and len(phrase) == 1 else phrase
        if head is not None and not isinstance(head, Span) and head.lower_ in _PERSONAL:
            named = self._subject_person(head.idx) is not None
        elif own is not None and head is not None and not isinstance(head, Span) and head.pos_ == "NOUN" \
                and head.lemma_.lower() in _ORG_NOUNS and head.lower_ not in own.lower().split():
            # "the company said it was halving its dividend to 17 cents": the organisation this sentence
            # names beats a speaker the quote finder carried over from the sentences before.
            named = True
        if own is None and head is not None and not isinstance(head, Span) and head.lower_ in _THING_PRONOUNS:
            # "It said a further 2,000 were at risk", "The rate is now 4.7%, it said": the voice of the
            # sentences before (the report, the agency), not a person named nearby.
            own = self._plural_subject(span.sent) if head.lower_ == "they" else self._body_subject(span.sent, head)
            if own is None:
                own = self._pronoun_voice(span.sent)
            if own is None and head.lower_ == "it":
                own = self._org_subject(span.sent.start_char)
            named = own is not None  # the quote finder's speaker is this same pronoun
        if own is not None and (quoted is None or named):
            return own
        if quoted is not None and (quoted.speaker or quoted.speaker_mention):
            return str(quoted.speaker or quoted.speaker_mention)
        if own is None and phrase is None and quoted is None:
            frame = self._frame(span)
            if frame is None and any(t.lower_ in _RESPONDENT_PARTICIPLES and t.tag_ == "VBN" and t.dep_ == "acl"
                                     for t in span.sent):
                # "Of the companies surveyed, 30% saw orders rise" after "The CBI found ...": the survey's.
                frame = self._survey_voice(span.sent)
            return frame
        return own

    def _frame(self, span: Any) -> str | None:
        """The paragraph's frame for an unattributed figure: an opening 'In the survey ...' of its own
        sentence, else the nearest earlier sentence of the paragraph that opens one or in which a survey or
        report speaks ('The study found that ...'); a quote in between ends the frame."""
        sent = span.sent
        here = self._phrase_frame(sent, span.start)
        if here is not None:
            return here
        for verb in sent:
            if verb.lemma_.lower() in _DEED_OBJECT_VERBS and not any(c.dep_ == "ccomp" for c in verb.children):
                continue  # "Police found two bodies": a deed, not a voice of its own
            if verb.lemma_.lower() in _SOURCE_VERBS and verb.pos_ == "VERB" and not any(
                    c.dep_ == "nsubj" and _SHARE.search(self.text[c.left_edge.idx:c.right_edge.idx + 1])
                    for c in verb.children):
                return None  # "CBS 2 reports that there were two ...": a voice of its own; not "70% said"
        para_start = self.text.rfind("\n", 0, sent.start_char) + 1
        for _ in range(FRAME_SENTENCES):
            if sent.start == 0:
                break
            sent = self.doc[sent.start - 1].sent
            if sent.start_char < para_start:
                break
            frame = self._phrase_frame(sent, sent.end, carried=True) or self._say_frame(sent)
            if frame is not None:
                return frame
            if any(q.start < sent.end_char and q.end > sent.start_char for q in self.quotes):
                return None  # someone else spoke since
        return None

    def _survey_voice(self, sent: Any) -> str | None:
        """The survey that respondents ('those polled', 'the companies surveyed') answered: the nearest of
        the sentences before (up to FRAME_SENTENCES) that opens a frame, has a survey or report as a
        subject ('The ICM survey interviewed 110 pupils') or an organisation reporting ('The CBI found ...');
        never a person quoted or a share of the respondents ('Three-quarters said ...')."""
        for _ in range(FRAME_SENTENCES):
            if sent.start == 0:
                break
            sent = self.doc[sent.start - 1].sent
            frame = self._phrase_frame(sent, sent.end, carried=True) or self._say_frame(sent)
            if frame is not None:
                return frame
            for subj in (t for t in sent if t.dep_ == "nsubj"):
                if subj.pos_ == "NOUN" and subj.lemma_.lower() in _FRAME_NOUNS or subj.ent_type_ == "ORG" and (
                        subj.head.lemma_.lower() in _SOURCE_VERBS and subj.head.pos_ == "VERB"):
                    return self._resolve(subj)
        return None

    def _plural_subject(self, sent: Any) -> str | None:
        """'They' reporting a figure: the plural noun subject of the sentence before, where it has one
        ('A year ago, ministers launched their plan ... . They will say that ... 2,600 orders ...')."""
        if sent.start == 0:
            return None
        before = self.doc[sent.start - 1].sent
        subj = next((c for c in before.root.children if c.dep_ == "nsubj"), None)
        if subj is None or subj.tag_ not in ("NNS", "NNPS"):
            return None
        return self._resolve(subj)

    def _body_subject(self, sent: Any, pronoun: Any = None) -> str | None:
        """'It' reporting a figure: the body that is the subject of its own sentence before it ('The
        committee reached its conclusions after it found that ...') or of the sentence before ('... . It
        warned that it could be five years ...'), an organisation named or described, not a thing ('The
        rate is now 4.7%, it said')."""
        roots = [sent.root] if pronoun is not None else []
        if sent.start > 0:
            roots.append(self.doc[sent.start - 1].sent.root)
        for root in roots:
            subj = next((c for c in root.children if c.dep_ == "nsubj"), None)
            if subj is None or pronoun is not None and subj.i >= pronoun.i:
                continue
            if subj.tag_ in ("NN", "NNP") and (
                    subj.ent_type_ == "ORG" or subj.pos_ == "NOUN" and subj.lemma_.lower() in _VOICE_NOUNS):
                return self._resolve(subj)
        return None

    def _it_voice(self, sent: Any, before: int) -> str | None:
        """Who 'it' reporting a figure is: the voice of the sentences before, else the organisation last
        the subject of a clause before it."""
        voice = self._body_subject(sent) or self._pronoun_voice(sent)
        return voice if voice is not None else self._org_subject(before)

    def _org_subject(self, before: int) -> str | None:
        """The last organisation that is the subject of a clause within SUBJECT_WINDOW characters before
        `before` ('... when the Sentencing Guidelines Council published its proposals. It had suggested ...')."""
        for ent in reversed([e for e in doc_ents(self.doc) if e.label_ == "ORG" and e.end_char <= before]):
            if before - ent.end_char > SUBJECT_WINDOW:
                break
            root = ent.root
            while root.dep_ in ("compound", "appos") and root.head.i != root.i:
                root = root.head
            if root.dep_ == "nsubj":
                for e in self.entities:
                    if e.label != "PERSON" and e.start == ent.start_char:
                        return str(e.canonical)
                return str(ent.text[4:] if ent.text.lower().startswith("the ") else ent.text)
        return None

    def _pronoun_voice(self, sent: Any) -> str | None:
        """Who 'it' or 'they' reporting a figure is: the nearest of the sentences before (up to
        FRAME_SENTENCES, across paragraphs) that opens a frame ('According to the report, ...') or whose
        reporting verb has a subject that is no pronoun ('The study found that ...', 'Police said ...')."""
        for _ in range(FRAME_SENTENCES):
            if sent.start == 0:
                break
            sent = self.doc[sent.start - 1].sent
            frame = self._phrase_frame(sent, sent.end)
            if frame is not None:
                return frame
            for verb in sent:
                if verb.lemma_.lower() not in _SOURCE_VERBS or verb.pos_ != "VERB":
                    continue
                subj = next((c for c in verb.children if c.dep_ == "nsubj" and c.pos_ in ("NOUN", "PROPN")), None)
                if subj is not None and not _SHARE.search(self.text[subj.left_edge.idx:subj.right_edge.idx + 1]):
                    return self._resolve(subj)
        return None

    def _phrase_frame(self, sent: Any, before: int, carried: bool = False) -> str | None:
        """'In the survey carried out by ICM, ...', 'According to the report, ...' opening a sentence.
        Carried into later sentences, only a survey or report frames them: after 'According to the firm,
        a blog is created every 5.8 seconds', the next sentences are the article's own voice again."""
        for tok in sent[:3]:
            if tok.lower_ not in _FRAME_PREPS or tok.i >= before:
                continue
            prep = next((c for c in tok.children if c.lower_ == "to"), None) if tok.lower_ == "according" else tok
            if prep is None:
                continue
            pobj = next((c for c in prep.children if c.dep_ == "pobj"), None)
            if pobj is None or pobj.i >= before:
                continue
            framed = pobj.lemma_.lower() in _FRAME_NOUNS and pobj.pos_ == "NOUN"
            if tok.lower_ == "according" and not carried or framed:
                # The phrase ends at the comma: "According to the Observer, 3,000 jobs - out of ...".
                end = next((t.i for t in sent if t.i > pobj.i and t.is_punct), sent.end)
                return self._span_text(sent.doc[prep.i + 1:min(end, before)])
        return None

    def _say_frame(self, sent: Any) -> str | None:
        """'The survey shows that ...': a sentence that reports what a survey or report says."""
        root = sent.root
        if root.lemma_.lower() not in _FRAME_VERBS or root.pos_ != "VERB":
            return None
        subj = next((c for c in root.children if c.dep_ == "nsubj" and c.i < root.i), None)
        comp = next((c for c in root.children if c.dep_ == "ccomp" and c.i > root.i), None)
        # Only a survey or report frames what follows: after "X said ...", news annotators (and readers)
        # take the next unattributed sentence as the article's own voice.
        if subj is None or comp is None or subj.lemma_.lower() not in _FRAME_NOUNS or subj.pos_ != "NOUN":
            return None
        return self._resolve(subj)

    def _signer(self, start: int, end: int) -> str | None:
        """The name signing an embedded social-media post that holds [start, end), else None."""
        para_end = self.text.find("\n", end)
        para_end = len(self.text) if para_end < 0 else para_end
        m = _SIGNATURE.search(self.text, end, para_end)
        if m is None:
            return None
        name = m.group(1)
        last = name.split()[-1]
        for e in self.entities:
            if e.label == "PERSON" and e.canonical.split()[-1] == last:
                return str(e.canonical)  # "Mark D. Levine" is the article's "Mark Levine"
        return name

    def _attribution(self, tok: Any) -> Any:
        """The tokens naming the source: a trailing 'X said', the nearest reporting verb's subject,
        a 'by X' agent, else 'according to X'."""
        trailing = self._trailing_speaker(tok)
        if trailing is not None:
            return trailing
        node, came = tok, tok
        for _ in range(12):
            lemma = node.lemma_.lower()
            if lemma in _BELIEF_VERBS and node.pos_ == "VERB" and came.dep_ == "ccomp":
                # "Lay believes at least two other people were with the gunman": the believer's view.
                subj = _subject(node, tok)
                if subj is not None:
                    return subj
            if lemma in _SOURCE_VERBS and node.pos_ in ("VERB", "AUX") and node is not tok:
                # A speech verb reports a clause: "added 337,000 jobs" is no attribution.
                clausal = came.dep_ in ("ccomp", "parataxis", "xcomp", "advcl", "conj", "dep")
                if came.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in _CONCESSIVE for c in came.children):
                    break  # "Although 300 people attended, police said ...": the speech does not report it
                if lemma not in _DEED_OBJECT_VERBS or clausal:
                    subj = _subject(node, tok)
                    if subj is not None and subj.lower_ in _THING_PRONOUNS and not clausal:
                        # "Critics of the government say it has announced more than 20 initiatives": the
                        # speaker reporting the deed counts it, where one names them.
                        higher = _reporter_above(node)
                        if higher is not None:
                            return higher
                    if subj is not None:
                        return subj
                    if node.dep_ == "acl" and node.tag_ == "VBG" and node.head.pos_ in ("NOUN", "PROPN"):
                        # "with analysts saying sales of $600m were possible": the noun, not its clause.
                        return node.doc[node.head.left_edge.i:node.head.i + 1]
            if node.pos_ == "VERB" and node is not tok and (came.dep_ == "dobj" or came.dep_ == "prep" and came.lower_ in _AMOUNT_PREPS) and (
                    lemma in _EXPECT_VERBS or any(c.dep_ == "dobj" and c.lemma_.lower() in _ESTIMATE_NOUNS
                                                  and c.pos_ == "NOUN" for c in node.children)):
                # "analysts had expected 34 cents", "The company raised targets ... from 60,000 barrels a day":
                # whose expectation or target the figure is (only in the verb's object, not a clause beside it).
                subj = next((c for c in node.children if c.dep_ == "nsubj" and tok not in c.subtree), None)
                if subj is not None:
                    return subj
            if lemma in _RESULT_VERBS and node.pos_ == "VERB" and node is not tok and came.dep_ in (
                    "dobj", "prep", "npadvmod", "appos"):
                # "Marsh posted a $676m loss", "Reuters beat forecasts, posting a 52% rise in profits":
                # the organisation states its own results.
                subj = _subject(node, tok)
                if subj is None and node.dep_ in ("advcl", "xcomp", "conj"):
                    subj = _subject(node.head, tok)
                if subj is not None and (subj.ent_type_ in ("ORG", "") and subj.pos_ == "PROPN"
                                         or subj.ent_type_ == "ORG" and subj.pos_ == "NOUN"
                                         or subj.lower_ == "it"
                                         or subj.pos_ == "NOUN" and subj.lemma_.lower() in _ORG_NOUNS):
                    return subj
            if lemma in _AGENT_VERBS and came.dep_ != "conj":
                # "released by Microsoft ... and has been downloaded by six million people": the agent of
                # one verb does not report what a verb joined to it says.
                agent = next((c for c in node.children if c.dep_ == "agent"), None)
                pobj = next((g for g in agent.children if g.dep_ == "pobj"), None) if agent is not None else None
                # "recorded by the Bureau, which at 380 to 801 ...": a relative clause on the agent still
                # reports the agent's figure.
                if pobj is not None and tok != pobj and not any(
                        tok in c.subtree for c in pobj.children if c.dep_ != "relcl"):
                    return pobj
            # "the US's estimate of ... - between 64 and 116": the possessor of an estimate.
            if node.lower_ in _POSS_SOURCE_NOUNS and node.pos_ == "NOUN":
                poss = next((c for c in node.children if c.dep_ == "poss" and c.pos_ != "PRON"), None)
                if poss is not None and tok not in poss.subtree:
                    return poss
            # "the 169,000 figure that economists had forecast": a reporting clause on the figure's noun.
            for child in node.children:
                if child.dep_ == "relcl" and child.lemma_.lower() in _SOURCE_VERBS and tok not in child.subtree:
                    subj = next((c for c in child.children if c.dep_ == "nsubj"), None)
                    if subj is not None and subj.lower_ not in ("that", "which", "who"):
                        return subj
            if node.head.i == node.i:
                break
            came, node = node, node.head
        for t in tok.sent:
            if t.lower_ == "according":
                to = next((c for c in t.children if c.lower_ == "to"), None)
                pobj = next((g for g in to.children if g.dep_ == "pobj"), None) if to is not None else None
                if pobj is not None:
                    return pobj
        return None

    def _trailing_speaker(self, tok: Any) -> Any:
        """'..., security and medical officials said.': the words between the last comma and a closing
        speech verb, which the parser often attaches oddly in long sentences; '..., reported local
        officials.': the words after an inverted one."""
        sent = tok.sent
        inverted = self._inverted_speaker(tok)
        if inverted is not None:
            return inverted
        for verb in sent:
            if verb.i <= tok.i or verb.lemma_.lower() not in _SPEECH_VERBS or verb.pos_ != "VERB":
                continue
            if any(c.dep_ == "ccomp" and tok not in c.subtree for c in verb.children):
                continue  # this verb reports something else
            rest = [t for t in sent if t.i > verb.i and not t.is_punct and not t.is_space]
            if len(rest) > 3:
                continue  # not a closing attribution
            comma = next((t for t in reversed(sent[: verb.i - sent.start]) if t.text in (",", "\u2019", "'", '"')
                          or t.is_quote), None)
            if comma is None or comma.i <= tok.i or verb.i - comma.i - 1 > MAX_SOURCE_TOKENS:
                continue
            words = [t for t in sent.doc[comma.i + 1:verb.i] if not t.is_space]
            if words and any(t.pos_ in ("NOUN", "PROPN", "PRON") for t in words):
                return sent.doc[comma.i + 1:verb.i]
        return None

    def _inverted_speaker(self, tok: Any) -> Any:
        """'At least 12 people were killed, reported local officials.': a source verb right after the
        sentence's last comma, followed only by a noun phrase up to the end."""
        sent = tok.sent
        words = [t for t in sent if not t.is_space]
        while words and words[-1].is_punct:
            words.pop()
        for k in range(len(words) - 2, 0, -1):
            verb = words[k]
            if verb.i <= tok.i or words[k - 1].text != ",":
                continue
            rest = words[k + 1:]
            if verb.lemma_.lower() in _SOURCE_VERBS and verb.tag_ in ("VBD", "VBZ", "VBP") and 0 < len(rest) <= 8 \
                    and any(t.pos_ in ("NOUN", "PROPN") for t in rest) \
                    and not any(t.pos_ in ("VERB", "AUX", "PRON") or t.is_punct for t in rest):
                return sent.doc[rest[0].i:rest[-1].i + 1]
            break
        return None

    def _resolve(self, head: Any) -> str | None:
        """The source phrase as text, pronouns and bare descriptions replaced by the name they refer to."""
        if isinstance(head, Span):
            return self._span_text(head)
        if head.lower_ in _RELATIVES:
            return None  # "the woman who showed up": a relative pronoun names nobody here
        if head.lower_ in _PRONOUNS:
            if head.lower_ in _PERSONAL:
                return self._last_person(head.idx)
            return None
        toks = [t for t in _own_words(head) if not (t.i < head.i and t.lower_ in _DETS and t.dep_ == "det")]
        # "A study by Oxford University, published on Monday, ...": a participle set off by commas says
        # something about the source, it does not name it.
        aside = {t.i for c in head.children if c.dep_ == "acl" and c.i > head.i and c.left_edge.i > 0
                 and head.doc[c.left_edge.i - 1].text == "," for t in c.subtree}
        toks = [t for t in toks if t.dep_ not in ("relcl",) and not t.is_space and t.i not in aside]
        toks = _trim_tail(toks[:MAX_SOURCE_TOKENS])
        return self._name_from(toks, head) if toks else None

    def _name_from(self, toks: list[Any], root: Any) -> str:
        """The source a trimmed noun phrase names: the one person in it, else the organisation or person a
        description ("the ministry") stands for earlier in the article, else the phrase as written."""
        person = self._one_person(toks)
        if person is not None:
            return person
        if len(toks) == 1 and toks[0].pos_ == "PROPN" and not toks[0].ent_type_:
            # "Lay believes ...", a surname the parser did not label: the person named in full before.
            named = next((str(e.canonical) for e in reversed(self.entities) if e.label == "PERSON"
                          and e.end <= toks[0].idx and str(e.canonical).split()[-1] == toks[0].text), None)
            if named is not None:
                return named
        end = toks[-1].idx + len(toks[-1].text)
        org = next((e for e in self.entities if e.label != "PERSON" and e.start == toks[0].idx and e.end == end), None)
        if org is not None:
            return str(org.canonical)  # "the ONS" -> "Office for National Statistics" where the article spells it out
        if not any(t.pos_ == "PROPN" for t in toks):
            named = self._named_antecedent(root)
            if named is not None:
                return named
        org = self._described_org(root, toks)
        return org if org is not None else self.text[toks[0].idx:toks[-1].idx + len(toks[-1].text)]

    def _one_person(self, toks: list[Any]) -> str | None:
        """'Tory leader Michael Howard', 'Kathleen Utgoff, commissioner of ...': the one person named, by
        the article's canonical name for them; None when the phrase names several or none."""
        if any(t.lower_ in ("and", "&") for t in toks):
            return None
        starts = {t.idx for t in toks if t.ent_type_ == "PERSON" and t.ent_iob_ == "B"}
        if len(starts) != 1:
            return None
        start = starts.pop()
        for e in self.entities:
            if e.label == "PERSON" and e.start == start:
                return str(e.canonical)
        ent = next((e for e in doc_ents(toks[0].doc) if e.start_char == start), None)
        return str(ent.text) if ent is not None else None

    def _span_text(self, span: Any) -> str | None:
        toks = _trim_tail([t for t in span if not (t.dep_ == "det" and t.i == span.start) and not t.is_space])
        if len(toks) == 1 and toks[0].lower_ in _PRONOUNS:
            return self._last_person(toks[0].idx) if toks[0].lower_ in _PERSONAL else None
        return self._name_from(toks, span.root) if toks else None

    def _described_org(self, head: Any, toks: list[Any]) -> str | None:
        """'The UK's biggest mortgage lender' right after 'the Halifax': the organisation it describes.
        Only for descriptions (a common head noun, no organisation named in the phrase itself)."""
        if head.lower_ not in _ORG_NOUNS or head.pos_ != "NOUN" or any(t.ent_type_ == "ORG" for t in toks) \
                or any(t.lower_ in _ORG_SKIP for t in toks):
            return None
        start = toks[0].idx
        # An organisation's name the parser once labelled a person or place ("Cairn ... Cairn would") still
        # names the organisation.
        orgs = {w for e in doc_ents(self.doc) if e.label_ == "ORG"
                for w in (e.text.lower(), e[0].lower_ if len(e) > 1 and e[0].pos_ == "PROPN" else "")} - {""}
        before = [e for e in doc_ents(self.doc) if e.end_char <= start and (
            e.label_ == "ORG" or e.label_ in ("PERSON", "GPE") and e.text.lower() in orgs)]
        near = [e for e in before if start - e.end_char <= ORG_WINDOW]
        if not near:
            return None
        # The article's main actor first: a subject, named most often so far; then the latest.
        mentions: dict[str, int] = {}
        for e in before:
            mentions[e.text.lower()] = mentions.get(e.text.lower(), 0) + 1

        def subject(e: Any) -> bool:
            root = e.root
            while root.dep_ in ("compound", "appos") and root.head.i != root.i:
                root = root.head
            return root.dep_ in ("nsubj", "nsubjpass")

        def rank(e: Any) -> tuple[bool, int, int]:
            return subject(e), mentions[e.text.lower()], e.end_char

        if not any(subject(e) for e in near):
            # "... in MMC's financial history. ... the company said": a name only mentioned in passing is
            # not what the description stands for when the article's actor (a subject before) is further back.
            near += [e for e in before if e not in near and subject(e) and mentions[e.text.lower()] > 1]
        ent = max(near, key=rank)
        for e in self.entities:
            if e.label == "ORG" and e.start == ent.start_char:
                return str(e.canonical)
        return str(ent.text[4:] if ent.text.lower().startswith("the ") else ent.text)

    def _subject_person(self, before: int) -> str | None:
        """The last person who is the subject of a clause before `before`, within the last few sentences:
        'he' continues the subject ('X wrote to Trump. ..., he said' is X), not the latest name."""
        for ent in reversed([e for e in doc_ents(self.doc) if e.label_ == "PERSON" and e.end_char <= before]):
            if before - ent.end_char > SUBJECT_WINDOW:
                break
            root = ent.root
            while root.dep_ in ("compound", "appos") and root.head.i != root.i:
                root = root.head
            if root.dep_ in ("nsubj", "nsubjpass"):
                for e in self.entities:
                    if e.label == "PERSON" and e.start == ent.start_char:
                        return str(e.canonical)
                return str(ent.text)
        return None

    def _last_person(self, before: int) -> str | None:
        subject = self._subject_person(before)
        if subject is not None:
            return subject
        people = [e for e in self.entities if e.label == "PERSON" and e.end <= before]
        if people:
            return str(people[-1].canonical)
        ents = [e for e in doc_ents(self.doc) if e.label_ == "PERSON" and e.end_char <= before]
        return str(ents[-1].text) if ents else None

    def _named_antecedent(self, head: Any) -> str | None:
        """'deputies' -> an earlier 'Orange County sheriff's deputies' with the same head noun and a name."""
        if self._chunks is None:
            self._chunks = {}
            for chunk in self.doc.noun_chunks:
                if any(t.pos_ == "PROPN" for t in chunk):
                    words = {t.lower_ for t in chunk}
                    toks = [t for t in chunk if not (t.dep_ == "det")]
                    if toks:
                        text = self.text[toks[0].idx:toks[-1].idx + len(toks[-1].text)]
                        self._chunks.setdefault(chunk.root.lemma_.lower(), []).append((chunk.start_char, text, words))
        mine = {t.lower_ for t in head.subtree if not t.is_punct and t.dep_ != "det"}
        best = None
        for start, text, words in self._chunks.get(head.lemma_.lower(), []):
            if start >= head.idx:
                break
            if mine <= words:
                best = text
        return best


def _subject(verb: Any, tok: Any) -> Any:
    """The verb's subject outside the figure's phrase, unless it is a bare quantifier or demonstrative
    ('..., all recorded among the 325,000 items'), which names no source."""
    subj = next((c for c in verb.children if c.dep_ == "nsubj" and tok not in c.subtree), None)
    if subj is not None and subj.lower_ in _QUANTIFIER_SUBJECTS and subj.n_lefts + subj.n_rights == 0:
        return None
    return subj


def _reporter_above(verb: Any) -> Any:
    """The named subject of a speech verb whose clause holds `verb` ('Critics say it announced ...'), else
    None."""
    node = verb
    for _ in range(6):
        if node.head.i == node.i or node.dep_ not in ("ccomp", "parataxis"):
            return None
        node = node.head
        if node.lemma_.lower() in _SPEECH_VERBS and node.pos_ == "VERB":
            subj = _subject(node, verb)
            return subj if subj is not None and subj.pos_ in ("NOUN", "PROPN") else None
    return None


def _own_words(head: Any) -> list[Any]:
    """The head's phrase without relative clauses on it ("the Bureau, which at 380 to 801 ...")."""
    skip = {t.i for c in head.children if c.dep_ == "relcl" for t in c.subtree}
    return [t for t in head.subtree if t.i not in skip]


def _trim_tail(toks: list[Any]) -> list[Any]:
    """The tokens without trailing punctuation, conjunctions and prepositions ("the ministry, and")."""
    while toks and (toks[-1].is_punct or toks[-1].dep_ in ("cc", "prep", "case")):
        toks = toks[:-1]
    return toks
