"""Quotes extractor: direct quotes by their marks, reported speech by its cue verbs, each with its speaker."""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from newsledger.extract.quotemarks import Quoted, find_quoted
from newsledger.extract.speakers import Resolver, lexicon, person_noun, speaker_lemma
from newsledger.model import Entity, Quote

REQUIRES: tuple[str, ...] = ("entities",)
ASSIGNS = "quotes"

# How far from a quote its attribution may sit, in tokens: "..., Orange County sheriff's spokeswoman Jane
# Watrel said" has 7 tokens before the cue; longer stretches are a new sentence, not an attribution.
_AFTER_WINDOW = 12
_AFTER_WINDOW_LONG = 30
_BEFORE_GAP = 8
# A speaker mention with its appositions rarely runs past this many tokens; past it the parse went astray.
_MENTION_MAX = 30
_SENT_END = frozenset({".", "!", "?"})
_MARKS = frozenset("\"“”‘’'«»„")
# Dependencies to climb from a subjectless cue ("saying", "stating") to the clause that has the speaker.
_CLIMB = frozenset({"advcl", "xcomp", "conj", "acl", "dobj", "pobj", "prep", "relcl", "pcomp", "attr"})


@dataclass
class _Cand:
    start: int
    end: int
    kind: str
    cue: Any = None  # the cue token
    subject: Any = None  # the speaker's head token
    quoted: Quoted | None = None
    inherit: bool = False  # takes the speaker of the quote before it
    cue_text: str | None = None  # when the cue is more than its token ("according to")
    mention: tuple[int, int] | None = None  # the speaker's words as written, where the parse cannot give them


# A dateline opening a paragraph ("TORONTO — ", "LOS ANGELES, Sept. 28 (UPI) — ", "WASHINGTON (AP) -- "):
# the parser often takes the place for the subject of the first sentence.
_DATELINE = re.compile(r"(?:^|\n)[ \t]*[A-Z][A-Z.'’ -]{2,}(?:,[^\n—–]{1,30}?)?(?: ?\([A-Za-z ]{2,20}\))?[ \t]*(?:—|–|--)[ \t]*")


class _Doc:
    """Char-offset helpers over one parsed article."""

    def __init__(self, doc: Any, text: str, quoted: list[Quoted]) -> None:
        self.doc = doc
        self.text = text
        self.quoted = quoted  # in text order, not overlapping
        self.opens = [q.open for q in quoted]
        self.starts = [t.idx for t in doc]
        self.datelines = [(m.start(), m.end()) for m in _DATELINE.finditer(text)]

    def past_dateline(self, subj: Any, cue: Any) -> Any:
        """The subject after a dateline the parser took for it: "VANCOUVER — Mayor Ken Sim defended" -> Sim."""
        if subj is None or not any(a <= subj.idx < b for a, b in self.datelines):
            return subj
        end = next(b for a, b in self.datelines if a <= subj.idx < b)
        i = self.first_at_or_after(end)
        if i >= cue.i:
            return subj
        t = self.doc[i]
        while t.head.i > t.i and t.head.i < cue.i and t.dep_ in ("compound", "amod", "det", "nmod", "poss", "punct"):
            t = t.head
        return t if t.pos_ in ("NOUN", "PROPN") else subj

    def overlapping(self, a: int, b: int) -> list[int]:
        """Indices of the quoted passages (marks included) that overlap chars a..b."""
        out = []
        for k in range(max(0, bisect.bisect_right(self.opens, a) - 1), len(self.quoted)):
            q = self.quoted[k]
            if q.open >= b:
                break
            if q.close > a:
                out.append(k)
        return out

    def first_at_or_after(self, pos: int) -> int:
        return bisect.bisect_left(self.starts, pos)

    def last_before(self, pos: int) -> int:
        return bisect.bisect_left(self.starts, pos) - 1

    def in_content(self, pos: int) -> bool:
        return any(self.quoted[k].start <= pos < self.quoted[k].end for k in self.overlapping(pos, pos + 1))


def _is_cue(tok: Any, lemmas: frozenset[str]) -> bool:
    return tok.tag_.startswith("VB") and tok.lemma_.lower() in lemmas


def _wordlike(tok: Any) -> bool:
    """Not a quotation mark the parser took for a noun ('...,’’ said X')."""
    return any(ch.isalnum() for ch in tok.text)


def _subject(tok: Any, quoted: Callable[[int], bool] | None = None) -> Any:
    """The speaker head for a cue verb: its subject, else the subject of the clause it hangs from; never
    a word for which quoted(char offset) holds (a subject inside the quote the parser read as the clause)."""
    head = tok.head
    if (tok.dep_ == "conj" and head.dep_ == "ccomp" and head.head is not head and tok.tag_ in ("VBD", "VBZ")
            and _is_cue(head.head, lexicon()["cue_verbs"]) and not any(c.dep_ == "nsubj" for c in tok.children)):
        # "X announced that A and stated that B": the parser hangs the second report off the first clause.
        return _subject(head.head, quoted)
    t = tok
    passive = lexicon()["passive_speaker_verbs"]
    for _ in range(4):
        # "Mr Houston was quoted in the Herald saying: ...": the passive subject of quoting is the speaker.
        subs = [c for c in t.children if (c.dep_ == "nsubj" or c.dep_ == "nsubjpass" and t is not tok
                                          and t.lemma_.lower() in passive and tok.tag_ == "VBG")
                and _wordlike(c) and not (quoted and quoted(c.idx))]
        if subs:
            s = subs[0]
            if len(subs) > 1 and s.right_edge.i + 1 == subs[1].left_edge.i and subs[1].i < t.i:
                # "Usdaw general secretary John Hannett added": one phrase the parser split into two
                # subjects; the one nearest the verb is its head.
                s = subs[1]
            if s.lower_ in ("who", "that") and t.dep_ == "relcl":
                return t.head
            return s
        if t.dep_ not in _CLIMB or t.head is t:
            break
        t = t.head
    # A subject the parser attached oddly ("The 46-year-old added", with "old" as an adjective): the
    # phrase that opens the clause and ends right before the cue.
    doc = tok.doc
    for c in tok.lefts:
        if c.right_edge.i != tok.i - 1 or c.pos_ not in ("NOUN", "PROPN", "ADJ") or c.dep_ in ("advmod", "npadvmod"):
            continue
        start = c.left_edge.i
        while start > tok.sent.start and doc[start - 1].pos_ == "DET":
            start -= 1
        if start == tok.sent.start or doc[start - 1].text in (",", ";") or doc[start - 1].is_quote:
            return c
    # Inverted order: "said economist Gary Thayer" is often parsed with the speaker as object, or not
    # attached to the cue at all; the noun phrase right after the cue is then the speaker.
    for c in tok.children:
        if (c.i > tok.i and c.dep_ in ("dobj", "attr", "npadvmod", "appos", "oprd", "nsubjpass")
                and c.pos_ in ("PROPN", "NOUN") and _wordlike(c)):
            return c
    for j in range(tok.i + 1, min(tok.i + 5, len(doc))):
        t = doc[j]
        if t.is_punct or t.pos_ in ("VERB", "AUX", "ADP", "SCONJ", "PRON"):
            break
        if t.pos_ in ("NOUN", "PROPN") and _wordlike(t):
            while t.dep_ == "compound" and t.head.i > t.i and t.head.i - t.i <= 4:
                t = t.head
            return t
    return None


def _after(d: _Doc, q: Quoted, nxt: int) -> Any:
    """A cue right after a quote's closing mark: '..." said X' or '..." X said'."""
    doc = d.doc
    lex = lexicon()
    i = d.first_at_or_after(q.close)
    for j in range(i, min(i + _AFTER_WINDOW_LONG, len(doc))):
        t = doc[j]
        if t.idx >= nxt or "\n" in t.text:
            return None
        if j > i and t.text in _SENT_END and not _abbreviation_stop(t):
            return None
        if _is_cue(t, lex["direct_cue_verbs"]):
            # '"...". Conservative spokesman Jonathan Morgan said: "..."' introduces the next quote.
            if t.i + 1 < len(doc) and doc[t.i + 1].text == ":":
                return None
            if t.lemma_.lower() in lex["loose_direct_cue_verbs"] and any(
                    c.i > t.i and c.dep_ not in ("punct", "prt", "nsubj", "nsubjpass") and not d.in_content(c.idx)
                    and not (c.dep_ in ("dobj", "attr", "npadvmod", "appos") and c.pos_ in ("PROPN", "NOUN", "PRON")
                             and c.left_edge.i == t.i + 1)
                    for c in t.children):
                continue  # "United went ahead through Smith", "by recalling nine players": not a speech verb here
            if t.tag_ == "VBG" and text_ends_sentence(d.text, q):
                return None  # '"...to win." Zambia have shown ... by recalling nine players' starts a new sentence
            subjects = [c for c in t.children if c.dep_ == "nsubj" and q.close <= c.idx < t.idx]
            if subjects and text_ends_sentence(d.text, q) and t.lemma_.lower() not in lex["listener_cue_verbs"] and any(
                    c.dep_ == "dobj" and c.i > t.i and c.pos_ in ("NOUN", "PROPN") and not d.in_content(c.idx)
                    for c in t.children):
                return None  # '"... on the field." England will announce their squad on Saturday': its own object
            # '"..." Mr Davis said Labour had ...' starts new reported speech, not this quote's attribution
            # (a complement inside the next quote, '"...," he said, "and ..."', is this quote's own; one after a
            # comma, '"...," Reginald Head said following the sentencing, in which ... cried', is a misparse).
            if j > i and any(c.dep_ == "ccomp" and c.i > t.i and not d.in_content(c.idx)
                             and not any(u.text == "," for u in doc[t.i + 1: c.left_edge.i + 1])
                             for c in t.children):
                return None
            # Past the usual window only a subject right after the quote, with its appositions, leads here.
            if j - i >= _AFTER_WINDOW and not (subjects and subjects[0].left_edge.i <= i + 1):
                return None
            return t
    return None


def _between_subject(d: _Doc, close: int, cue: Any) -> Any:
    """The speaker named between a quote's closing mark and its cue ('"...," Flynn, a top Trump surrogate,
    said'; '"...," Rep. Elijah E. Cummings (D-Md.) said'): the first person named there, not a possessor
    ("Scott's niece"), else the noun that heads the stretch; None where nothing stands between them."""
    doc = d.doc
    toks = [t for t in doc[d.first_at_or_after(close): cue.i] if not d.in_content(t.idx) and not t.is_quote]
    words = [t for t in toks if _wordlike(t)]
    if not words:
        return None
    inside = {t.i for t in toks}
    for k, t in enumerate(words):
        if t.ent_type_ != "PERSON":
            continue
        last = t
        for u in words[k + 1:]:
            if u.ent_type_ != "PERSON" or u.ent_iob_ == "B" or u.i != last.i + 1:
                break
            last = u
        if last.i + 1 < len(doc) and doc[last.i + 1].lower_ in ("'s", "’s"):
            continue
        return last
    roots = [t for t in words if t.head.i not in inside and t.pos_ in ("NOUN", "PROPN", "PRON")]
    return roots[0] if roots else None


def _stretch(d: _Doc, close: int, cue: Any) -> tuple[int, int] | None:
    """Char span of the words between a closing mark and the cue, without the punctuation around them."""
    toks = [t for t in d.doc[d.first_at_or_after(close): cue.i] if _wordlike(t) and not d.in_content(t.idx)]
    if not toks:
        return None
    a, b = toks[0].idx, toks[-1].idx + len(toks[-1].text)
    if d.text[b:b + 1] == ")" and d.text.count("(", a, b) > d.text.count(")", a, b):
        b += 1  # '"...," Sen. Claire McCaskill (D-Mo.) said' keeps its closing bracket
    return a, b


def _clause_subject(d: _Doc, cue: Any) -> Any:
    """'Mr. Trump hardly clarified the matter, ..., asserting, "..."': a participle cue whose clause the
    parser lost inside the quote speaks for the subject of the sentence's main clause before it."""
    for t in cue.doc[cue.sent.start: cue.i]:
        if (t.dep_ == "nsubj" and _wordlike(t) and t.pos_ in ("PROPN", "NOUN", "PRON") and not d.in_content(t.idx)
                and t.head.dep_ in ("ROOT", "ccomp", "conj") and not d.in_content(t.head.idx)):
            return t
    return None


def text_ends_sentence(text: str, q: Quoted) -> bool:
    """Whether the quoted words end with a sentence's last mark ('"... to win."'), not a comma."""
    return text[q.start:q.end].rstrip()[-1:] in (".", "!", "?")


def _past_title(tok: Any) -> Any:
    """'said Sgt. Mike Jones': the parser ends the sentence at the title's full stop and takes the title for
    the speaker; the name after it is."""
    if tok is None or tok.lower_.rstrip(".") not in lexicon()["person_titles"]:
        return tok
    doc = tok.doc
    j = tok.i + 1
    if j < len(doc) and doc[j].text == "." and not doc[tok.i].whitespace_:
        j += 1
    k = j
    while k < len(doc) and doc[k].pos_ == "PROPN" and k - j < 4:
        k += 1
    # Only a name the parser cut off from the title ("GE's chief executive Jeff Immelt" stays whole).
    return doc[k - 1] if k > j and doc[k - 1].head.i != tok.i and tok.head.i != k - 1 and not (
        tok.left_edge.i <= k - 1 <= tok.right_edge.i) else tok


def _abbreviation_stop(tok: Any) -> bool:
    """The full stop of a title abbreviation ("Sgt. Cassandra Lewis said"), which the tokenizer splits off."""
    if tok.i == 0:
        return False
    prev = tok.doc[tok.i - 1]
    return not prev.whitespace_ and prev.lower_ in lexicon()["person_titles"]


def _before(d: _Doc, q: Quoted, prev_close: int) -> Any:
    """A cue just before a quote's opening mark: 'X said: "...' or 'stating, "...'."""
    if not q.opened:
        return None
    doc, text = d.doc, d.text
    lex = lexicon()
    lead = text[:q.open].rstrip()
    if not lead:
        return None
    j = d.last_before(q.open)
    if lead[-1] == ":" and "\n" in text[len(lead):q.open]:
        j = d.last_before(len(lead))  # 'He said:' closing the paragraph before a quoted paragraph
    stop = max(0, j - 30)
    gap = 0
    while j >= stop:
        t = doc[j]
        if t.idx < prev_close or "\n" in t.text or (t.text in _SENT_END and t.i != d.last_before(q.open)):
            return None
        if _is_cue(t, lex["direct_cue_verbs"]):
            if lead[-1] in ":," or t.idx + len(t.text) >= len(lead):
                return t
            return None
        if not t.is_punct:
            gap += 1
        if gap > _BEFORE_GAP:
            return None
        j -= 1
    return None


def _trim(doc: Any, a: int, b: int) -> tuple[int, int]:
    """Token range a..b (inclusive) without leading 'that'/punctuation/conjunctions and trailing punctuation."""
    while a <= b and (doc[a].dep_ in ("mark", "cc", "punct") or doc[a].is_space or doc[a].lower_ == "that"):
        a += 1
    while b >= a and (doc[b].is_punct or doc[b].is_space):
        b -= 1
    return a, b


def _complement(tok: Any) -> tuple[int, int] | None:
    """Token range of what a cue verb reports: its clausal complement, object, or the clause it interrupts."""
    lex = lexicon()
    lemma = tok.lemma_.lower()
    for c in tok.children:
        if c.dep_ == "ccomp":
            return c.left_edge.i, c.right_edge.i
    if tok.dep_ == "relcl":
        return None  # "the target it pledged to reach": the object is the noun the clause describes
    if lemma in lex["clause_only_cue_verbs"]:
        # "She added the targets intended to ...": these verbs report clauses, so an object with a verb of
        # its own is the parser's misreading of a clause without "that".
        for c in tok.children:
            if c.dep_ == "dobj" and c.i > tok.i and any(v.dep_ in ("acl", "relcl") and v.pos_ == "VERB"
                                                         and v.i == c.i + 1 for v in c.children):
                subj = _subject(tok)
                if subj is not None and (subj.lower_ in ("he", "she") or subj.ent_type_ == "PERSON"):
                    return c.left_edge.i, c.right_edge.i
    for c in tok.children:
        if c.dep_ == "xcomp" and lemma in lex["xcomp_cue_verbs"]:
            if c.lemma_.lower() in lex["anonymity_verbs"] and any(n.dep_ == "neg" for n in c.children):
                return None  # "He asked not to be identified"
            return c.left_edge.i, c.right_edge.i
    # "told a gathering that the policies would fail": the that-clause often hangs off the listener.
    for c in tok.children:
        if c.dep_ in ("dobj", "dative") and c.i > tok.i and (c.dep_ == "dative" or lemma in lex["listener_cue_verbs"]):
            for clause in c.children:
                if (clause.dep_ in ("acl", "relcl") and any(m.dep_ == "mark" for m in clause.children)
                        and any(n.dep_ == "nsubj" for n in clause.children)):
                    return clause.left_edge.i, clause.right_edge.i
    if lemma in lex["object_cue_verbs"]:
        right = [c for c in tok.children if c.i > tok.i and c.dep_ in ("dobj", "prep", "xcomp", "oprd", "dative")]
        # "gestured to a wall to point out a symbol": a gesture verb as an infinitive of purpose shows, it says
        # nothing ("met to discuss the crisis" still reports).
        if (lemma in lex["gesture_cue_verbs"] and tok.dep_ == "advcl"
                and any(c.dep_ == "aux" and c.lower_ == "to" for c in tok.children)):
            right = []
        if right:
            return right[0].left_edge.i, right[-1].right_edge.i
    # "..., officials said." / "By contrast, he said, ...": the parser hangs the cue off the reported clause.
    head = tok.head
    # A cue with an object of its own reports that object, not the clause it hangs from: "Shares tumbled, as
    # the company reported a profit margin of 45.6%".
    # Nor does a time or reason clause: "When officers responded, they found the man dead".
    own = any(c.dep_ in ("dobj", "mark") or c.tag_ == "WRB" and c.i < tok.i for c in tok.children)
    if (tok.dep_ in ("parataxis", "ccomp", "advcl") and head is not tok and head.pos_ in ("VERB", "AUX")
            and not own and not _is_cue(head, lex["cue_verbs"])):
        doc = tok.doc
        left, right = tok.left_edge.i, tok.right_edge.i
        if tok.i > head.i and left > 0 and "," in (doc[left].text, doc[left - 1].text):
            return head.left_edge.i, left - 1
        if tok.i < head.i and right + 1 < len(doc) and "," in (doc[right].text, doc[right + 1].text):
            return right + 1, head.right_edge.i
    return None


def _indirect(d: _Doc) -> list[_Cand]:
    doc = d.doc
    lex = lexicon()
    out: list[_Cand] = []
    for t in doc:
        # "the alleged attack": a participle describing a noun reports nothing.
        if not _is_cue(t, lex["cue_verbs"]) or d.in_content(t.idx) or t.dep_ == "amod":
            continue
        span = _complement(t)
        if span is None:
            continue
        subj = d.past_dateline(_subject(t), t)
        if subj is None or d.in_content(subj.idx) or (
                subj.lower_ in lex["non_speaker_subjects"] and not person_noun(speaker_lemma(subj))):
            continue
        if t.lemma_.lower() in lex["weak_cue_verbs"] and not _speaker_like(subj):
            continue
        a, b = _trim(doc, *span)
        if a <= subj.i < t.i <= b and doc[a].tag_ in ("WDT", "WP"):
            # "a party, which he said would turn the clock back": the relative pronoun's clause is reported.
            a, b = _trim(doc, t.i + 1, b)
        if b - a < 2 or (a <= subj.i <= b) or (a <= t.i <= b):
            continue
        out.append(_Cand(start=doc[a].idx, end=doc[b].idx + len(doc[b].text), kind="indirect", cue=t, subject=subj))
    return out


def _according(d: _Doc) -> list[_Cand]:
    """'..., according to the health ministry': the rest of the sentence is attributed to the phrase's object."""
    doc = d.doc
    out: list[_Cand] = []
    for t in doc:
        if t.lower_ != "according" or t.i + 1 >= len(doc) or doc[t.i + 1].lower_ != "to" or d.in_content(t.idx):
            continue
        objs = [c for c in doc[t.i + 1].children if c.dep_ == "pobj"]
        if not objs:
            continue
        sent = t.sent
        left, right = t.i, objs[0].right_edge.i
        if left - sent.start >= sent.end - 1 - right:
            a, b = _trim(doc, sent.start, left - 1)
        else:
            a, b = _trim(doc, right + 1, sent.end - 1)
        if b - a < 2:
            continue
        out.append(_Cand(start=doc[a].idx, end=doc[b].idx + len(doc[b].text), kind="indirect", cue=t,
                         subject=objs[0], cue_text=f"{t.text} {doc[t.i + 1].text}"))
    return out


# A transcript's speaker label opening a paragraph: "WALLACE: ...", "MR. SMITH: ...".
_LABEL = re.compile(r"([A-Z][A-Z'’.-]{2,}(?: [A-Z][A-Z'’.-]+){0,2}):\s+")
# A paragraph that is only a label and a quotation ('Amy Wadas: “Do you know the people next door?”').
_LEAD_LABEL = re.compile(r"[ \t]*([A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*){0,3}):[ \t]*")
_PARAGRAPH_LABEL = re.compile(r"(?:^|\n)[ \t]*([A-Z][A-Z'’.-]{2,}(?: [A-Z][A-Z'’.-]+){0,2}):[ \t]+")


def _labelled(d: _Doc, entities: list[Entity]) -> list[_Cand]:
    """'Pat Caddell: Democrat voters worried ...': a paragraph opened by a person's name and a colon
    (headlines, interview transcripts) reports what that person said."""
    text, doc = d.text, d.doc
    out: list[_Cand] = []
    spans = [(e.start, e.end) for e in entities if e.label == "PERSON"]
    for m in _PARAGRAPH_LABEL.finditer(text):
        if (m.start(1), m.end(1)) not in spans:
            spans.append((m.start(1), m.end(1)))  # "WALLACE:" that NER did not take for a person
    for e in sorted(spans):
        e_start, e_end = e
        if text[e_end:e_end + 1] != ":" or text[text.rfind("\n", 0, e_start) + 1:e_start].strip():
            continue
        if text[e_start:e_end].lower() in lexicon()["not_speaker_labels"]:
            continue  # "CLARIFICATION: The first sentence has been clarified ..."
        end = text.find("\n", e_end)
        a, b = e_end + 1, len(text) if end == -1 else end
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        i = d.first_at_or_after(e_end)
        if _content_words(text[a:b]) < 3 or i >= len(doc) or doc[i].text != ":":
            continue
        out.append(_Cand(start=a, end=b, kind="direct", cue=doc[i], subject=doc[i - 1], cue_text=":"))
    return out


def _speaker_like(tok: Any) -> bool:
    lex = lexicon()
    lemma = speaker_lemma(tok)
    # "Lord Browne pointed out that ...": a name with a title is a speaker even where NER missed it.
    return (tok.ent_type_ in ("PERSON", "ORG", "GPE", "NORP") or tok.lower_ in lex["pronouns"]
            or lemma in lex["speaker_nouns"] or tok.pos_ == "PROPN" and any(
                c.dep_ == "compound" and c.lower_.rstrip(".") in lex["person_titles"] for c in tok.children))


def _content_words(text: str) -> int:
    return sum(1 for w in text.split() if any(ch.isalnum() for ch in w))


def _mention(text: str, subj: Any, cue: Any) -> tuple[str, int, int, tuple[int, int], str]:
    """The subject as written with its appositions ("Kenneth Baer, a former official who runs X"), never
    reaching the cue or a quotation mark, the char span of its name part for resolution, and the mention
    without a relative clause on the speaker ("Zeke Herrera, who lives nearby" -> "Zeke Herrera")."""
    toks = [t for t in subj.subtree if t.i != cue.i]
    described = [subj] + [o for p in subj.children if p.dep_ == "prep" and p.lower_ == "of" for o in p.children]
    relcl = min((c.left_edge.i for t in described for c in t.children if c.dep_ == "relcl" and c.i > subj.i),
                default=len(subj.doc))
    kept: list[Any] = []
    for t in toks:
        if t.i > subj.i and (t.i >= cue.i > subj.i or t.is_quote or "\n" in t.text or len(kept) >= _MENTION_MAX):
            break
        if t.i < subj.i and (t.i <= cue.i < subj.i or "\n" in t.text):
            kept = []
            continue
        kept.append(t)
    while kept and (kept[0].is_punct or kept[0].is_space):
        kept.pop(0)
    while kept and (kept[-1].is_punct or kept[-1].is_space):
        kept.pop()
    if not kept:
        kept = [subj]
    a, b = kept[0].idx, kept[-1].idx + len(kept[-1].text)
    # Texts without spaces around marks glue them to words ('”Richard said').
    while a < b and text[a] in _MARKS:
        a += 1
    while b > a and text[b - 1] in _MARKS:
        b -= 1
    if text[b:b + 1] == ")" and text.count("(", a, b) > text.count(")", a, b):
        b += 1  # "Sen. Claire McCaskill (D-Mo.)" keeps its closing bracket
    cut = subj.doc[relcl].idx if relcl < len(subj.doc) and a < subj.doc[relcl].idx < b else b
    return text[a:b], a, b, (a, b), text[a:cut].rstrip(" ,;—–-")


def extract(ctx: Any) -> list[Quote]:
    doc = ctx.doc
    text = ctx.article.text
    lex = lexicon()
    quoted = find_quoted(text)
    d = _Doc(doc, text, quoted)
    direct: list[_Cand] = []
    for k, q in enumerate(quoted):
        if k and _nickname(text, q):
            direct.append(_Cand(start=q.start, end=q.end, kind="direct", quoted=q))  # no cue: dropped below
            continue
        # A nickname in marks inside the attribution ('Del. Marcia "Cia" Price shouted') starts no new quote.
        after = k + 1
        while after < len(quoted) and _nickname(text, quoted[after]):
            after += 1
        nxt = quoted[after].open if after < len(quoted) else len(text)
        prev_close = quoted[k - 1].close if k else 0
        # 'X said: "...' / 'X said, "...' binds tighter than a cue after the quote, which may open the next
        # sentence ('"...," Mr Iwata said, "and ..." The 46-year-old added ...').
        cue = _before(d, q, prev_close)
        if cue is None and q.closed:
            cue = _after(d, q, nxt)
        c = _Cand(start=q.start, end=q.end, kind="direct", quoted=q, cue=cue)
        label = _LABEL.match(text, q.start)
        colon = d.first_at_or_after(label.end(1)) if label is not None else len(doc)
        if (label is not None and colon < len(doc) and doc[colon].text == ":" and label.end() < q.end
                and label.group(1).lower() not in lex["not_speaker_labels"]):
            # '"WALLACE: But, Governor, ...': a transcript line quoted whole; its label is the speaker.
            c.start, c.cue, c.subject, c.cue_text = label.end(), doc[colon], doc[colon - 1], ":"
            direct.append(c)
            continue
        lead = _LEAD_LABEL.fullmatch(text, text.rfind("\n", 0, q.open) + 1, q.open) if q.opened else None
        if cue is None and lead is not None and lead.group(1).lower() not in lex["not_speaker_labels"]:
            # 'Amy Wadas: “Do you know the people next door?”': an interview line's label is its speaker.
            colon = d.last_before(lead.end(1) + 1)
            if 0 < colon < len(doc) and doc[colon].text == ":":
                c.cue, c.subject, c.cue_text = doc[colon], doc[colon - 1], ":"
                direct.append(c)
                continue
        if cue is not None:
            subj = d.past_dateline(_past_title(_subject(cue, d.in_content)), cue)
            if cue.idx >= q.close:
                # '"...," Tulsa police Chief Chuck Jordan said Monday': the parser often reads the quote as the
                # clause and hangs the name off it; the words between the mark and the cue name the speaker.
                between = _between_subject(d, q.close, cue)
                if between is not None and (subj is None or not q.close <= subj.idx < cue.idx):
                    subj = between
                    c.mention = _stretch(d, q.close, cue)
            if (subj is None or d.in_content(subj.idx)) and cue.tag_ == "VBG":
                subj = _clause_subject(d, cue)
            # A "subject" inside quoted words is the parser reading the quote as the clause: not a speaker.
            c.subject = None if subj is None or d.in_content(subj.idx) else subj
        direct.append(c)

    # A quote running over paragraphs is often attributed only in a later one: the attribution holds back.
    for k in range(len(direct) - 2, -1, -1):
        c, nxt_c = direct[k], direct[k + 1]
        if c.cue is None and nxt_c.quoted is not None and nxt_c.quoted.continues and nxt_c.subject is not None:
            c.cue, c.subject = nxt_c.cue, nxt_c.subject

    # Reported speech; a quote inside its complement makes it mixed, one at its start is the quote's own cue.
    absorbed: set[int] = set()
    cands: list[_Cand] = []
    reported = _indirect(d)
    # "According to X, he said: ..." attributes the speech, not a claim of its own: keep the speech only.
    cue_offsets = sorted(o.cue.idx for o in reported)
    according = [c for c in _according(d)
                 if bisect.bisect_left(cue_offsets, c.start) == bisect.bisect_left(cue_offsets, c.end)
                 and not d.overlapping(c.start, c.end)]
    for c in reported + according + _labelled(d, ctx.result.entities):
        own = False
        for k in d.overlapping(c.start, c.end):
            q = quoted[k]
            if (q.open - c.start <= 1 or (q.start <= c.start and c.end <= q.close)
                    or (direct[k].cue is not None and direct[k].cue.i == c.cue.i)):
                own = True
                if direct[k].cue is None and c.cue_text is None and q.open >= c.cue.idx and c.subject.head.i == c.cue.i:
                    # 'He said that if "...": the report opens with the quote, so its cue is the quote's own.
                    direct[k].cue, direct[k].subject = c.cue, c.subject
                break
            c.kind = "mixed"
            c.end = max(c.end, q.end)
            absorbed.add(k)
        if not own:
            cands.append(c)
    cands = _drop_nested(cands, text)

    for k, c in enumerate(direct):
        if k in absorbed:
            continue
        if c.cue is None and c.quoted is not None and not c.quoted.opened and not _follow_on(direct, k, text):
            # A stray closing mark (an inch sign, a typo) with no attribution is no quote; but one ending a
            # sentence after an attributed quote in its paragraph closes that speaker's next sentence.
            continue
        if c.cue is None:
            # Scare quotes and titles: a few words in marks that nobody is said to have said; but a short
            # sentence right after an attributed quote in its paragraph is that speaker going on ("She was gone.").
            if _content_words(text[c.start:c.end]) <= lex["scare_quote_max_words"] and not _follow_on(direct, k, text):
                continue
            c.inherit = True
        cands.append(c)
    cands.sort(key=lambda c: (c.start, c.end))
    return _resolve(doc, text, ctx.result.entities, cands, [(q.start, q.end) for q in quoted])


def _nickname(text: str, q: Quoted) -> bool:
    """A name's nickname in marks between capitalised words ('Marcia "Cia" Price', 'Joaquin "El Chapo" Guzman')."""
    words = text[q.start:q.end].split()
    before, after = text[:q.open].rstrip().split()[-1:], text[q.close:].lstrip()[:1]
    return (0 < len(words) <= 2 and all(w[:1].isupper() and w.replace("-", "").isalpha() for w in words)
            and bool(before) and before[0][:1].isupper() and before[0].isalpha() and after.isupper())


def _follow_on(direct: list[_Cand], k: int, text: str) -> bool:
    """Whether quote k is a whole sentence that follows an attributed quote in the same paragraph."""
    q = direct[k].quoted
    prev = direct[k - 1].quoted if k else None
    if k == 0 or q is None or direct[k - 1].cue is None or prev is None:
        return False
    content = text[q.start:q.end]
    gap = text[prev.close:q.open]
    return ("\n" not in gap and content[:1].isupper() and content[-1:] in ".!?"
            and (not gap.strip() or gap.rstrip()[-1] in ".!?"))


def _drop_nested(cands: list[_Cand], text: str) -> list[_Cand]:
    """Reported speech inside reported speech is kept once: the inner one goes, unless its cue is a
    participle hanging from the outer clause ("asked ..., saying ..."), which cuts the outer short."""
    # Nesting happens within a sentence, so compare candidates sentence by sentence (keeps this linear).
    by_sent: dict[int, list[_Cand]] = {}
    for c in cands:
        by_sent.setdefault(c.cue.sent.start, []).append(c)
    keep: list[_Cand] = []
    for group in by_sent.values():
        kept: list[_Cand] = []
        for c in sorted(group, key=lambda c: c.start - c.end):
            outer = [o for o in kept if o.start <= c.cue.idx < o.end and o.cue.i != c.cue.i]
            if outer and c.subject.idx >= outer[0].start:
                continue
            kept.append(c)
        for o in kept:
            for c in kept:
                if c is not o and o.start < c.cue.idx < o.end and c.subject.idx < o.start:
                    o.end = min(o.end, c.cue.left_edge.idx)
        keep.extend(kept)
    keep.sort(key=lambda c: c.start)
    for o in keep:
        while o.end > o.start and (o.end > len(text) or text[o.end - 1] in " ,;:—–-"):
            o.end -= 1
        for conj in (" and", " but", " or"):
            if text[o.start:o.end].endswith(conj):  # cut before a second report: "A and | stated that B"
                o.end -= len(conj)
    return [o for o in keep if o.end > o.start]


def _resolve(doc: Any, text: str, entities: list, cands: list[_Cand],
             quoted_spans: list[tuple[int, int]]) -> list[Quote]:
    resolver = Resolver(doc, entities, quoted_spans)
    out: list[Quote] = []
    prev: Quote | None = None
    for c in cands:
        if c.subject is None and c.cue is not None and c.kind == "direct":
            c.inherit = True
        if c.inherit or c.subject is None:
            if prev is not None:
                speaker, mention, s0, s1 = prev.speaker, prev.speaker_mention, prev.speaker_start, prev.speaker_end
            else:
                speaker = resolver.last_person_before(c.start)
                mention, s0, s1 = speaker, None, None
        else:
            mention, s0, s1, full, name = _mention(text, c.subject, c.cue)
            if c.mention is not None and c.mention[0] <= c.subject.idx < c.mention[1]:
                s0, s1 = c.mention
                mention = text[s0:s1]
            speaker, person, plural = resolver.resolve(c.subject, name or mention, full)
            lemma = speaker_lemma(c.subject)
            last = mention.split()[-1].lower() if mention else ""
            if not person_noun(lemma) and person_noun(last):
                lemma = last  # "A Department for Education spokeswoman said ... She added": a person spoke
            resolver.remember(c.subject.idx, speaker, person, plural, lemma)
        cue = c.cue_text or (c.cue.text if c.cue is not None else None)
        quote = Quote(start=c.start, end=c.end, content=text[c.start:c.end], kind=c.kind,  # type: ignore[arg-type]
                      speaker=speaker, speaker_mention=mention, cue=cue, speaker_start=s0, speaker_end=s1)
        out.append(quote)
        prev = quote
    return out
