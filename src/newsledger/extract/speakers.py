"""Speaker resolution: from a speaker mention (a name, a surname, a pronoun, "the minister") to who it is."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from newsledger.extract.lexicons import load_resource
from newsledger.model import Entity

# How far back (characters) a pronoun looks for the last speaker before settling for the last name.
_PRONOUN_WINDOW = 600
_DETERMINERS = frozenset({"the", "a", "an", "this", "that", "his", "her", "their", "its", "one", "another"})


@lru_cache(maxsize=1)
def lexicon() -> dict[str, Any]:
    """The quotes resource file (cue verbs, speaker nouns, pronouns, titles)."""
    data: dict[str, Any] = dict(load_resource("quotes.json"))
    for key, value in list(data.items()):
        if isinstance(value, list):
            data[key] = frozenset(value)
    return data


@lru_cache(maxsize=1)
def people() -> dict[str, frozenset[str]]:
    """The people resource file (gendered nouns, first names, person and organisation nouns)."""
    return {k: frozenset(v) for k, v in load_resource("people.json").items() if isinstance(v, list)}


def person_noun(lemma: str) -> bool:
    """Whether a noun names a kind of person ("dealer", "cousin", "spokesman"): such a speaker is a he or she."""
    return lemma in people()["person_nouns"] or lemma in lexicon()["person_titles"]


def speaker_lemma(tok: Any) -> str:
    """The lemma a speaker's head stands for: "one of her cousins" is a cousin."""
    if tok.lower_ == "one":
        for prep in tok.children:
            if prep.dep_ == "prep" and prep.lower_ == "of":
                for obj in prep.children:
                    if obj.dep_ == "pobj":
                        return str(obj.lemma_.lower())
    return str(tok.lemma_.lower())


_AGE_AFTER = re.compile(r",\s*(?:aged\s+)?(\d{1,3})\b")
_AGE_DESC = re.compile(r"(\d{1,3})-year-old")


@dataclass
class Resolver:
    """Resolves mentions in one article, using its entities and the speakers already found."""

    doc: Any
    entities: list[Entity]
    # Char spans of quoted words: a person named inside a quote ("I work closely with Ken," she said) is
    # talked about, not talking, so pronouns and titles outside the quote never resolve to them.
    quoted: list[tuple[int, int]] = field(default_factory=list)
    persons: list[Entity] = field(init=False)
    person_starts: list[int] = field(init=False)
    surnames: dict[str, str] = field(init=False)
    genders: dict[str, str] = field(init=False)
    ages: dict[int, str] = field(init=False)
    person_ends: list[int] = field(init=False)
    starts: list[int] = field(init=False)
    titles: list[tuple[int, tuple[str, ...], str]] = field(init=False)
    lower_words: set[str] = field(init=False)  # words the article writes in lower case somewhere
    text: str = field(init=False)  # doc.text, read once (spaCy joins the tokens again on every access)
    # (char offset, resolved name, is a person, is plural, head lemma) of speakers resolved so far.
    history: list[tuple[int, str, bool, bool, str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.text = self.doc.text
        self.quoted = sorted(self.quoted)
        self.lower_words = {t.text for t in self.doc if t.text.islower()}
        self.persons = [e for e in self.entities if e.label == "PERSON"]
        self.persons = sorted(self.persons + self._people_named_as_orgs(), key=lambda e: e.start)
        self.surnames = {e.canonical.split()[-1]: e.canonical for e in self.persons if " " in e.canonical}
        self.person_starts = [e.start for e in self.persons]
        self.person_ends = [e.end for e in self.persons]
        self.starts = [e.start for e in self.entities]
        self.titles = self._title_map()
        self.genders = self._gender_map()
        self.ages = self._age_map()

    def _last_subject_person(self, pos: int, gender: str | None, window: int = 1500, title: str = "") -> str | None:
        """The last person before pos, within window chars, who is a clause's subject (the story follows
        them), not a name in passing or a phrase NER took for a person; with a title ("the striker"), not
        one the article gave another title ("coach John Herdman")."""
        held = self._held_titles(pos) if title else {}
        i = bisect.bisect_right(self.person_ends, pos)
        while i > 0:
            e = self.persons[i - 1]
            i -= 1
            if e.start < pos - window:
                break
            if self._in_quote(e) or gender is not None and self.genders.get(e.canonical, gender) != gender:
                continue
            if held.get(e.canonical) and title not in held[e.canonical]:
                continue
            if self._is_subject(e):
                return e.canonical
        return None

    def _full_name_before(self, surname: str, pos: int, person: bool) -> str | None:
        """The last full name before pos ending in this surname, a person's or one NER took for an
        organisation ("Italy skipper Marco Bortolami" ... "Bortolami said")."""
        if not surname[:1].isupper() or len(surname) < 2:
            return None
        org_words = people()["org_name_words"]
        i = bisect.bisect_left(self.starts, pos)
        for e in reversed(self.entities[:i]):
            words = e.text.strip().split()
            if e.label not in ("PERSON", "ORG") or not 2 <= len(words) <= 4 or words[-1] != surname:
                continue
            # A word the article also writes in lower case ("Police" after "police") is no surname.
            if e.label == "ORG" and (not person and surname.lower() in self.lower_words
                                     or any(not w[:1].isupper() or w.lower() in org_words for w in words)):
                continue
            return e.canonical if e.canonical.split()[-1] == surname else " ".join(words)
        return None

    def _is_subject(self, e: Entity) -> bool:
        """Whether a person is a clause's subject ("Mr Blair contrasted ..., which he said"), not a name
        the parser tagged as a person inside a phrase ("the gap between Labour and the Tories")."""
        span = self.doc.char_span(e.start, e.end, alignment_mode="expand")
        if span is None:
            return False
        root = span.root
        if root.dep_ == "appos":
            root = root.head
        return root.dep_ in ("nsubj", "nsubjpass")

    def _in_quote(self, e: Entity) -> bool:
        i = bisect.bisect_right(self.quoted, (e.start, 1 << 30)) - 1
        return i >= 0 and self.quoted[i][0] <= e.start < self.quoted[i][1]

    def _age_map(self) -> dict[int, str]:
        """Ages written after a name ("Yvonne Graham, 51,"), so "the 51-year-old" resolves to her."""
        text = self.text
        out: dict[int, str] = {}
        for e in self.persons:
            m = _AGE_AFTER.match(text, e.end, e.end + 12)
            if m:
                out.setdefault(int(m.group(1)), e.canonical)
        return out

    def _title_map(self) -> list[tuple[int, tuple[str, ...], str]]:
        """Titles written next to a name ("US president Donald Trump", "Kathleen Utgoff, commissioner"),
        as (offset, title words, name), so that "the US president" later resolves to that name."""
        out: list[tuple[int, tuple[str, ...], str]] = []
        doc = self.doc
        for e in sorted(self.persons + self._titled_orgs(), key=lambda e: e.start):
            span = doc.char_span(e.start, e.end, alignment_mode="expand")
            if span is None:
                continue
            root = span.root
            words: list[str] = []
            for child in root.children:
                if child.i < span.start and child.dep_ in ("compound", "amod", "nmod") and child.pos_ in ("NOUN", "ADJ", "PROPN"):
                    words.extend(t.lower_ for t in child.subtree if not t.is_punct)
            if words:
                out.append((e.start, tuple(words), e.canonical))
            for child in root.children:
                if child.dep_ == "appos" and child.pos_ == "NOUN":
                    out.append((e.start, tuple(t.lower_ for t in child.lefts if t.dep_ in ("compound", "amod"))
                                + (child.lower_,), e.canonical))
            if root.dep_ == "appos" and root.head.pos_ == "NOUN":
                out.append((e.start, (root.head.lower_,), e.canonical))
            elif span.start > 1 and doc[span.start - 1].text == "," and doc[span.start - 2].pos_ == "NOUN":
                # "His widow, Sarah Jones, 44, said" that the parser did not read as an apposition.
                noun = doc[span.start - 2]
                if person_noun(noun.lemma_.lower()) or noun.lower_ in people()["female_nouns"] | people()["male_nouns"]:
                    out.append((e.start, (noun.lower_,), e.canonical))
        return out

    def _titled_orgs(self) -> list[Entity]:
        """Names the model took for organisations right after a person's title ("Ministry spokesperson
        Alexandra Hilkene"): two or three capitalised words hanging off the title are a person's name."""
        doc = self.doc
        titles = lexicon()["person_titles"]
        out: list[Entity] = []
        for e in self.entities:
            words = e.text.split()
            if e.label != "ORG" or not 2 <= len(words) <= 3 or not all(w[:1].isupper() and w.isalpha() for w in words):
                continue
            span = doc.char_span(e.start, e.end, alignment_mode="expand")
            if span is None or span.start == 0:
                continue
            before = doc[span.start - 1]
            if before.lower_.rstrip(".") in titles and before.head.i == span.root.i and before.dep_ == "compound":
                out.append(e)
        return out

    def _titled(self, pos: int, words: tuple[str, ...]) -> str | None:
        """The person last given this title before pos; "the chancellor" is not "shadow chancellor X"."""
        modifiers = lexicon()["title_modifiers"]
        for start, title, name in reversed(self.titles):
            if start >= pos or title[-len(words):] != words:
                continue
            if any(w in modifiers for w in title[: len(title) - len(words)]):
                continue
            return name
        return None

    def entity_at(self, start: int, end: int, labels: tuple[str, ...] = ("PERSON",)) -> Entity | None:
        # Entities do not nest, so only the one starting at or before `start` can overlap it from the left.
        i = max(0, bisect.bisect_right(self.starts, start) - 1)
        for e in self.entities[i:]:
            if e.start >= end:
                break
            if e.end > start and e.label in labels:
                return e
        return None

    def _named_in(self, head: Any, full: tuple[int, int]) -> Entity | None:
        """A person named in an apposition to the subject ("the voice, purportedly that of X"), not one
        merely mentioned in it ("reporters covering Michael Jackson's trial")."""
        doc = head.doc
        first = bisect.bisect_left(self.person_starts, full[0])
        for e in self.persons[first:]:
            if e.start >= full[1]:
                break
            if e.end > full[1]:
                continue
            span = doc.char_span(e.start, e.end, alignment_mode="expand")
            if span is None:
                continue
            t = span.root
            for _ in range(4):
                if t.dep_ in ("appos", "conj") and t.head.i <= head.i + 4:
                    return e
                if t.dep_ not in ("pobj", "prep", "appos") or t.head is t:
                    break
                t = t.head
        return None

    def _closing_name(self, full: tuple[int, int]) -> Entity | None:
        """A person named last in the subject, set off by a comma: "The head of the department at the
        hospital, Maria Landaeta, said" (the parser hangs the name off the nearest noun)."""
        i = bisect.bisect_right(self.person_ends, full[1])
        if i == 0:
            return None
        e = self.persons[i - 1]
        text = self.text
        if e.start > full[0] and not text[e.end:full[1]].strip() and text[full[0]:e.start].rstrip().endswith(","):
            return e
        return None

    def last_person_before(self, pos: int, gender: str | None = None) -> str | None:
        e = self._last_person(pos, gender)
        return e.canonical if e is not None else None

    def _last_person(self, pos: int, gender: str | None = None) -> Entity | None:
        # Person entities do not overlap, so their ends are in order too.
        i = bisect.bisect_right(self.person_ends, pos)
        while i > 0:
            e = self.persons[i - 1]
            if (gender is None or self.genders.get(e.canonical, gender) == gender and not self._plural_name(e)) \
                    and not self._in_quote(e):
                return e
            i -= 1
        return None

    def _last_named_person(self, pos: int, gender: str) -> str | None:
        """The last person before pos, passing over a name that only modifies a noun ("The Lightpointe laser
        bridges work ..."): a product or firm NER took for a person."""
        while True:
            e = self._last_person(pos, gender)
            if e is None:
                return None
            span = self.doc.char_span(e.start, e.end, alignment_mode="expand")
            root = span.root if span is not None else None
            if root is None or not (root.dep_ == "compound" and root.head.pos_ == "NOUN"):
                return e.canonical
            pos = e.start

    def _plural_name(self, e: Entity) -> bool:
        """A name the model took for a person that is plural ("the Lib Dems say"): never a he or she. The tag
        alone does not tell ("Ms Sanders met"): the article's "the" before it or a plural verb does."""
        span = self.doc.char_span(e.start, e.end, alignment_mode="expand")
        if span is None or span.root.tag_ != "NNPS":
            return False
        return (span.start > 0 and self.doc[span.start - 1].lower_ == "the"
                or span.root.dep_ == "nsubj" and span.root.head.tag_ == "VBP")

    def _gender_map(self) -> dict[str, str]:
        """Genders the article states by title ("Mr Blair", "Ms Sanders"), so "she" skips Mr Blair."""
        lex = lexicon()
        out: dict[str, str] = {}
        doc = self.doc
        for e in self.persons:
            span = doc.char_span(e.start, e.end, alignment_mode="expand")
            if span is None:
                continue
            words = [span[0].lower_.rstrip(".")]
            if span.start > 0:
                words.append(doc[span.start - 1].lower_.rstrip("."))
            for w in words:
                if w in lex["male_titles"]:
                    out.setdefault(e.canonical, "m")
                elif w in lex["female_titles"]:
                    out.setdefault(e.canonical, "f")
        # Then what the article calls them ("Graham's mother, Yvonne Graham"), then a common first name.
        ppl = people()
        for _, title_words, name in self.titles:
            if title_words[-1] in ppl["male_nouns"]:
                out.setdefault(name, "m")
            elif title_words[-1] in ppl["female_nouns"]:
                out.setdefault(name, "f")
        for e in self.persons:
            first = e.canonical.split()[0].lower()
            if " " not in e.canonical:
                continue
            if first in ppl["male_names"]:
                out.setdefault(e.canonical, "m")
            elif first in ppl["female_names"]:
                out.setdefault(e.canonical, "f")
        for name, gender in self._pronoun_genders().items():
            out.setdefault(name, gender)
        return out

    def _pronoun_genders(self) -> dict[str, str]:
        """Genders the article's own pronouns give a person it names as a subject: "Suu Kyi presided over
        a summit ... She has assumed a new role" (the first he or she that is a subject after the name, in
        its sentence or the next); the majority of such pronouns decides."""
        votes: dict[str, list[int]] = {}
        for e in self.persons:
            pronoun = self._pronoun_after(e)
            if pronoun is not None:
                tally = votes.setdefault(e.canonical, [0, 0])
                tally[pronoun == "she"] += 1
        return {name: "f" if f > m else "m" for name, (m, f) in votes.items() if f != m}

    def _pronoun_after(self, e: Entity, own_clause: bool = False) -> str | None:
        """'he' or 'she' where the first subject after a name that is a clause subject, in its sentence or
        the next, is that pronoun, else None; with own_clause, only one inside the name's own clause
        ("Mason Jefferies calls himself a buddy to McKay Hutton, whom he described as ...", not "Deutsche
        Boerse is trying to buy them off, he said")."""
        doc = self.doc
        if self._in_quote(e) or not self._is_subject(e) or self._plural_name(e):
            return None
        span = doc.char_span(e.start, e.end, alignment_mode="expand")
        if span is None:
            return None
        sent = span.sent
        stop = doc[sent.end].sent.end if sent.end < len(doc) else sent.end
        for t in doc[span.end: stop]:
            if t.dep_ not in ("nsubj", "nsubjpass") or self.quoted and self._in_quote_at(t.idx):
                continue
            if own_clause and not span.root.head.is_ancestor(t):
                return None
            return t.lower_ if t.lower_ in ("he", "she") else None  # only the first subject speaks for it
        return None

    def _people_named_as_orgs(self) -> list[Entity]:
        """Names the model took for organisations that the article's own pronouns call a person: "Mason
        Jefferies calls himself a school buddy to McKay Hutton, whom he described as ...". Two or three
        capitalised words with no organisation word ("Victoria Station"), a clause subject followed by he/she."""
        org_words = people()["org_name_words"]
        out: list[Entity] = []
        for e in self.entities:
            words = e.text.split()
            if (e.label != "ORG" or not 2 <= len(words) <= 3
                    or not all(w[:1].isupper() and w.isalpha() and w.lower() not in org_words for w in words)):
                continue
            if self._pronoun_after(e, own_clause=True) is not None:
                out.append(e)
        return out

    def _in_quote_at(self, pos: int) -> bool:
        i = bisect.bisect_right(self.quoted, (pos, 1 << 30)) - 1
        return i >= 0 and self.quoted[i][0] <= pos < self.quoted[i][1]

    def remember(self, pos: int, name: str | None, person: bool, plural: bool, lemma: str = "") -> None:
        if name:
            self.history.append((pos, name, person, plural, lemma))

    def _last_speaker(self, pos: int, person: bool, plural: bool, window: int = 1 << 30,
                      gender: str | None = None) -> str | None:
        found = self._last_speaker_at(pos, person, plural, window, gender)
        return found[1] if found is not None else None

    def _last_speaker_at(self, pos: int, person: bool, plural: bool, window: int = 1 << 30,
                         gender: str | None = None) -> tuple[int, str] | None:
        ppl = people()
        for p, name, is_person, is_plural, lemma in reversed(self.history):
            if gender is not None and self.genders.get(name, gender) != gender:
                continue
            if gender == "f" and lemma in ppl["male_nouns"] or gender == "m" and lemma in ppl["female_nouns"]:
                continue  # "the brother said ... she said"
            # "one official said ... he said": a singular person-like description counts as a person.
            if pos - window <= p < pos and (is_person or (person and person_noun(lemma))) == person and is_plural == plural:
                return p, name
        return None

    def _subject_person(self, pos: int, gender: str, after: int) -> str | None:
        """The last person after `after` whose stated gender matches and who is a clause subject
        ("Kiara Head was down the street ... 'He was kind,' she said"): the story has moved on to them."""
        # Not someone named within the speaker's own sentence ("X said, recalling when McVeigh entered").
        at = self.doc.char_span(after, after + 1, alignment_mode="expand") if after >= 0 else None
        floor = at.sent.end_char if at is not None else after
        i = bisect.bisect_right(self.person_ends, pos)
        while i > 0:
            e = self.persons[i - 1]
            i -= 1
            if e.start < floor:
                break
            if self.genders.get(e.canonical) != gender or self._in_quote(e) or self._plural_name(e):
                continue
            span = self.doc.char_span(e.start, e.end, alignment_mode="expand")
            if span is None:
                continue
            root = span.root
            if root.dep_ == "appos":
                root = root.head
            # The subject of a main clause: the story now follows this person.
            if root.dep_ in ("nsubj", "nsubjpass") and root.head.dep_ in ("ROOT", "conj"):
                return e.canonical
        return None

    def _salient_org(self, pos: int, spoken: bool = False) -> str | None:
        """The organisation an article is about so far: the one named most often before pos, the later
        on ties ("Halifax said ... The bank said", even after one mention of the Bank of England); with
        spoken, among those that already spoke where any did ("Macrovision said its new RipGuard technology
        ... the company said": not the product the article names as often)."""
        counts: dict[str, tuple[int, int]] = {}
        for e in self.entities:
            if e.end > pos:
                break
            if e.label == "ORG":
                n, _ = counts.get(e.canonical, (0, 0))
                counts[e.canonical] = (n + 1, e.start)
        if spoken:
            # A one-word name that spoke but that NER did not tag counts too ("Macrovision said ..."); people
            # and places do not.
            others = {e.canonical for e in self.entities if e.label != "ORG"} | {e.canonical for e in self.persons}
            speakers = {name: p for p, name, person, plural, _ in self.history
                        if p < pos and not plural and name[:1].isupper() and name not in others
                        and (not person or " " not in name)}
            if speakers:
                counts = {k: counts.get(k, (0, p)) for k, p in speakers.items()}
        if not counts:
            return None
        return max(counts.items(), key=lambda kv: kv[1])[0]

    def _named_later(self, pos: int, words: tuple[str, ...]) -> str | None:
        """'a spokeswoman for the ministry said ... The spokeswoman, Karen Bell, added': the person the
        article gives this title a little later, where nobody had it before."""
        limit = pos + int(lexicon()["forward_name_window"])
        for start, title, name in self.titles:
            if pos < start <= limit and title[-len(words):] == words:
                return name
        return None

    def _author(self, head: Any, full: tuple[int, int]) -> str | None:
        """'The company's report said', 'a study by the OECD found', 'the white paper argues': a document
        speaks for its author: the possessor, the 'by'/'from' agent, else the organisation in focus."""
        for child in head.children:
            if child.dep_ == "poss" and child.pos_ in ("NOUN", "PROPN"):
                name, _, _ = self.resolve(child, child.text, (child.left_edge.idx, child.idx + len(child.text)))
                return name
            if child.dep_ == "prep" and child.lower_ in ("by", "from", "of"):
                pobj = next((g for g in child.children if g.dep_ == "pobj" and g.pos_ in ("NOUN", "PROPN")), None)
                if pobj is not None and pobj.lemma_.lower() not in lexicon()["document_nouns"]:
                    name, _, _ = self.resolve(pobj, pobj.text, (pobj.left_edge.idx, pobj.idx + len(pobj.text)))
                    return name
        if self.doc[head.left_edge.i].lower_ == "the" and not any(c.pos_ == "PROPN" for c in head.lefts):
            publisher = self._publisher(head)
            if publisher is not None:
                return publisher
            org = self._salient_org(head.idx)
            # Only an organisation the article is about (named twice so far), not one named in passing.
            if org is not None and sum(e.label == "ORG" and e.canonical == org and e.end <= head.idx
                                       for e in self.entities) >= 2:
                return org
        return None

    def _introduced(self, head: Any) -> str | None:
        """'A group of MPs has tried to raise the pressure ... The group says': a body the article introduced
        unnamed, as a clause subject with the same head noun, is who "the group" is (never one named there:
        "A Swiss bank, UBS, said")."""
        doc = head.doc
        lemma = head.lemma_.lower()
        for t in doc[max(0, head.i - 600): head.i]:
            if (t.lemma_.lower() != lemma or t.dep_ not in ("nsubj", "nsubjpass") or t.tag_ != "NN"
                    or doc[t.left_edge.i].lower_ not in ("a", "an") or self._in_quote_at(t.idx)):
                continue
            end = t.right_edge.i
            for u in doc[t.i + 1: end + 1]:
                if u.text == "," or u.dep_ == "relcl":
                    end = (u.left_edge.i if u.dep_ == "relcl" else u.i) - 1
                    break
            a, b = doc[t.left_edge.i].idx, doc[end].idx + len(doc[end].text)
            whole = t.right_edge.idx + len(t.right_edge.text)
            if any(e.label in ("ORG", "PERSON") and a <= e.start < whole for e in self.entities):
                return None  # "A man, John Smith, was shot": the name, found elsewhere
            return self.text[a:b]
        return None

    def _publisher(self, head: Any) -> str | None:
        """Who the article said put out this document earlier: "Acme published a white paper on Monday ...
        The white paper argues" (the subject of the verb whose object it was, or the agent of a passive)."""
        lemma = head.lemma_.lower()
        doc = head.doc
        for t in reversed(doc[max(0, head.i - 400): head.i]):
            if (t.lemma_.lower() == lemma and t.dep_ == "pobj" and t.head.lower_ == "in"
                    and t.head.head.lemma_.lower() in lexicon()["cue_verbs"]):
                t = t.head  # "the club said in its statement" ... "the statement said"
            elif t.lemma_.lower() != lemma or t.dep_ not in ("dobj", "nsubjpass") or t.head.pos_ != "VERB":
                continue
            if t.dep_ in ("dobj", "prep"):
                who = [c for c in t.head.children if c.dep_ == "nsubj"]
            else:
                who = [g for c in t.head.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
            if who and (who[0].ent_type_ in ("ORG", "PERSON", "GPE") or who[0].pos_ == "PROPN"
                        or who[0].lemma_.lower() in people()["org_nouns"]):
                w = who[0]
                phrase = self.text[w.left_edge.idx: w.idx + len(w.text)]
                name, _, _ = self.resolve(w, phrase if w.pos_ == "PROPN" else w.text, (w.left_edge.idx, w.idx + len(w.text)))
                return name
        return None

    def _fuller(self, pos: int, lemma: str, mention: str, plural: bool) -> str | None:
        """An earlier, longer description with the same head and every word of this one ("Deputies" after
        "Orange County deputies"; not "a spokesman for Mr Prescott" after "a spokesman for Unison")."""
        words = {w for w in re.findall(r"\w+", mention.lower()) if w not in _DETERMINERS}
        for p, name, is_person, is_plural, lem in reversed(self.history):
            if (p < pos and lem == lemma and not is_person and is_plural == plural and len(name) > len(mention)
                    and words <= set(re.findall(r"\w+", name.lower()))):
                return name
        return None

    def _placed_body(self, pos: int, word: str) -> str | None:
        """The last '<place> police' the article wrote before pos, place being a place NER found."""
        text = self.text
        found = None
        for e in self.entities:
            if e.end > pos:
                break
            if e.label == "GPE" and text[e.end:e.end + len(word) + 1].lower() == " " + word:
                found = text[e.start:e.end + len(word) + 1]
        return found

    def _titled_speaker(self, pos: int, title: str) -> str | None:
        """The person an earlier "the chancellor" or "the minister" was resolved to: the same title again."""
        for p, name, is_person, _, lemma in reversed(self.history):
            if p < pos and is_person and lemma == title:
                return name
        return None

    def _described_speaker(self, pos: int, lemma: str, window: int) -> str | None:
        """The speaker last described with this head noun, within window chars ("a spokesperson for the
        ministry" for a later "the spokesperson"), named or not."""
        for p, name, _, plural, lem in reversed(self.history):
            if pos - window <= p < pos and lem == lemma and not plural:
                return name
        return None

    def _described_subject_before(self, head: Any, gender: str) -> str | None:
        """'The minister later defended her numbers. "They are prudent," she said.': a pronoun right after a
        sentence in its paragraph whose subject is a definite title is that title's person."""
        doc = head.doc
        sent = head.sent
        if sent.start == 0:
            return None
        prev = doc[sent.start - 1].sent
        if "\n" in self.text[prev.end_char:head.idx]:
            return None
        subj = next((c for c in prev.root.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subj is None or subj.pos_ != "NOUN" or subj.tag_ == "NNS":
            return None
        low, ppl = subj.lower_, people()
        first = doc[subj.left_edge.i]
        if (first.lower_ in ("a", "an", "another", "one") and first.i < subj.i and not self._in_quote_at(subj.idx)
                and (person_noun(subj.lemma_.lower()) or low in ppl["male_nouns"] | ppl["female_nouns"])
                and low not in (ppl["female_nouns"] if gender == "m" else ppl["male_nouns"])):
            # "Another resident, who is a father himself, is horrified. ... 'Kids are important,' he said": a
            # person described, not named, speaks as described (never the last name in the article).
            end = subj.right_edge.i
            for t in doc[subj.i + 1: end + 1]:
                if t.text == "," or t.dep_ == "relcl" or self._in_quote_at(t.idx):
                    end = (t.left_edge.i if t.dep_ == "relcl" else t.i) - 1
                    break
            while end > subj.i and doc[end].is_punct:
                end -= 1
            return self.text[first.idx: doc[end].idx + len(doc[end].text)]
        if first.lower_ != "the":
            return None
        if low not in lexicon()["person_titles"] or low in (ppl["female_nouns"] if gender == "m" else ppl["male_nouns"]):
            return None
        right = subj.right_edge
        name, person, _ = self.resolve(subj, subj.text, (subj.left_edge.idx, right.idx + len(right.text)))
        return name if person and name != subj.text and self.genders.get(name, gender) == gender else None

    def _pronoun_subject_before(self, head: Any, gender: str, depth: int = 0) -> str | None:
        """'As Etyra gets ready to start fifth grade, she pleads for the violence to end. "Stop shooting," she
        said.': a pronoun right after a sentence in its paragraph whose main subject is the same pronoun is
        the same person, whoever spoke last; that pronoun is resolved in its own sentence first."""
        doc = head.doc
        sent = head.sent
        for _ in range(2):  # over a sentence of quoted words between them
            if sent.start == 0:
                return None
            prev = doc[sent.start - 1].sent
            if "\n" in self.text[prev.end_char:head.idx]:
                return None
            if not self._in_quote_at(prev.root.idx):
                break
            sent = prev
        else:
            return None
        subj = next((c for c in prev.root.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subj is None or subj.lower_ != head.lower_ or self._in_quote_at(subj.idx):
            return None
        near = self._last_person(subj.idx, gender)
        if near is not None and near.start >= prev.start_char and self._is_subject(near):
            return near.canonical
        described = self._described_subject_before(subj, gender)
        if described is not None:
            return described
        return self._pronoun_subject_before(subj, gender, depth + 1) if depth < 2 else None

    def _plural_subject_before(self, head: Any) -> str | None:
        """'But Lord Justice Rix and Mr Justice Forbes ruled that ... They said ...': 'they' right after a
        sentence in its paragraph whose main subject names people together is them, whoever spoke last."""
        doc = head.doc
        sent = head.sent
        if sent.start == 0:
            return None
        prev = doc[sent.start - 1].sent
        if "\n" in self.text[prev.end_char:head.idx] or self._in_quote_at(prev.root.idx):
            return None
        subj = next((c for c in prev.root.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subj is None or self._in_quote_at(subj.idx) or subj.pos_ not in ("PROPN", "NOUN"):
            return None
        conj = [c for c in subj.children if c.dep_ == "conj" and c.pos_ in ("PROPN", "NOUN")]
        if not conj:
            # "BAA are also owners of ... They have said": a singular name the article gives a plural verb is
            # an organisation (whatever label NER gave it), and "they" is it.
            org = self.entity_at(subj.idx, subj.idx + len(subj.text), ("ORG", "PERSON"))
            if subj.tag_ == "NNP" and subj.head.tag_ == "VBP":
                first = min((c.i for c in subj.lefts if c.dep_ == "compound" and c.pos_ == "PROPN"), default=subj.i)
                return org.canonical if org is not None else self.text[doc[first].idx: subj.idx + len(subj.text)]
            return None
        a, b = subj.left_edge, conj[-1]
        while a.i < b.i and (a.is_punct or a.lower_ in ("but", "and", "the")):
            a = doc[a.i + 1]
        return self.text[a.idx: b.idx + len(b.text)]

    def _held_titles(self, pos: int) -> dict[str, set[str]]:
        """The title words each person was given before pos ("" for a title with a modifier)."""
        lex = lexicon()
        modifiers = lex["title_modifiers"]
        honorifics = lex["male_titles"] | lex["female_titles"] | _DETERMINERS
        held: dict[str, set[str]] = {}
        for start, words, name in self.titles:
            if start < pos:
                # "Deputy Mayor Nicky Gavron" holds no title "mayor"; "Mr Livingstone" holds no title at all.
                cut = min((k for k, w in enumerate(words) if w in modifiers), default=len(words))
                held.setdefault(name, set()).update(w for w in words[:cut] if w not in honorifics)
                if cut < len(words):
                    held[name].add("")
        return held

    def _last_person_untitled(self, pos: int, title: str) -> str | None:
        """The last person before pos who may hold this title: "the mayor" is not the person the article
        called "Prime Minister Tony Blair" (a title that is not this one)."""
        held = self._held_titles(pos)
        i = bisect.bisect_right(self.person_ends, pos)
        while i > 0:
            e = self.persons[i - 1]
            i -= 1
            if self._in_quote(e) or self._in_a_name(e):
                continue
            titles = held.get(e.canonical)
            if not titles or title in titles:
                return e.canonical
        return None

    def _in_a_name(self, e: Entity) -> bool:
        """Whether a person's name is part of another name ("Kosair Children's Hospital", "the Martin Luther
        King Jr. Center"): nobody the article talks about, so no title refers back to them."""
        span = self.doc.char_span(e.start, e.end, alignment_mode="expand")
        if span is None:
            return False
        root = span.root
        return root.dep_ in ("poss", "compound") and root.head.pos_ == "PROPN" and root.head.ent_type_ != "PERSON"

    def resolve(self, head: Any, mention: str, full: tuple[int, int]) -> tuple[str, bool, bool]:
        """(speaker, is a person, is plural) for a subject whose head token is head, mention as written and
        full the char span of the subject with its appositions."""
        lex = lexicon()
        low = head.lower_
        plural = head.tag_ in ("NNS", "NNPS") or low in ("they", "them")
        if head.pos_ == "PRON":
            kind = lex["pronouns"].get(low)
            if kind == "person":
                gender = "f" if low in ("she", "her") else "m"
                # A person named earlier in the same sentence ("Mr Blair contrasted ..., which he said")
                # beats the last speaker; otherwise speakers chain ("..., he said").
                near = self._last_person(head.idx, gender)
                if near is not None and near.start >= head.sent.start_char and self._is_subject(near):
                    return near.canonical, True, False
                described = self._described_subject_before(head, gender)
                if described is not None:
                    return described, True, False
                chained = self._pronoun_subject_before(head, gender)
                if chained is not None:
                    return chained, True, False
                spoke = self._last_speaker_at(head.idx, True, False, window=_PRONOUN_WINDOW, gender=gender)
                # A person of the pronoun's gender who became a subject after the last speaker is who the
                # story now follows; otherwise speakers chain ("..., he said").
                after = spoke[0] if spoke is not None else head.idx - _PRONOUN_WINDOW
                name = (self._subject_person(head.sent.start_char, gender, after)
                        or (spoke[1] if spoke is not None else None) or self._last_named_person(head.idx, gender))
                return (name or mention), True, False
            if kind == "plural":
                return (self._plural_subject_before(head) or self._last_speaker(head.idx, False, True)
                        or mention), False, True
            if kind == "thing":
                # "Last month it said": the organisation that spoke last, else the one the article is about.
                return (self._last_speaker(head.idx, False, False) or self._salient_org(head.idx)
                        or mention), False, False
            return mention, False, plural
        # Not NORP: "the 21-year-old ethnic Chechen" describes a person, it does not name one.
        ent = self.entity_at(head.idx, head.idx + len(head.text), ("PERSON", "ORG", "GPE"))
        surname = head.text.strip("\"“”‘’'")
        if ent is not None and (ent.label != "PERSON" or " " in ent.text.strip()):
            return ent.canonical, ent.label == "PERSON" or ent.start in self.person_starts, self._plural_name(ent)
        full_name = (self._full_name_before(surname, head.idx, ent is not None)
                     if head.pos_ == "PROPN" or surname[:1].isupper() else None)
        if full_name is not None:
            # "Davis said" is the Kevin Davis named before, not an Amy Davis credited further down; "Mr Iwata"
            # that NER missed after "Nintendo president Satoru Iwata" that it found.
            return full_name, True, False
        if ent is not None:
            return ent.canonical, True, False
        if (head.pos_ == "PROPN" or head.pos_ == "NOUN" and surname[:1].isupper()) and surname in self.surnames:
            return self.surnames[surname], True, False
        inner = self._named_in(head, full) or self._closing_name(full)
        if inner is not None:
            return inner.canonical, True, False
        if head.pos_ == "NOUN":
            # "according to the communications regulator Ofcom": the organisation's name over its description.
            for c in head.children:
                if c.dep_ == "appos" and c.i == head.right_edge.i and c.pos_ == "PROPN" and c.i > head.i:
                    named = self.entity_at(c.idx, c.idx + len(c.text), ("ORG",))
                    if named is not None:
                        return named.canonical, False, False
        if head.pos_ == "NOUN" and not plural and head.lemma_.lower() in lex["document_nouns"]:
            author = self._author(head, full)
            if author:
                return author, False, False
        if not plural and head.pos_ in ("NOUN", "PROPN", "ADJ"):
            desc = tuple(t.lower_ for t in head.doc[head.left_edge.i: head.i + 1]
                         if t.lower_ not in _DETERMINERS and not t.is_punct)
            name = self._titled(head.idx, desc) if desc else None
            ppl = people()
            definite = head.doc[head.left_edge.i].lower_ == "the"
            if (not name and len(desc) > 1 and not set(desc) & lex["title_modifiers"]
                    and (low in ppl["male_nouns"] or low in ppl["female_nouns"] or low in ppl["person_nouns"]
                         or definite and (_AGE_DESC.search(mention) or low in lex["person_titles"]))):
                # "the grieving mother" is the mother named earlier; "the 31-year-old striker" the striker.
                name = self._titled(head.idx, (low,))
            age = _AGE_DESC.search(mention)
            if not name and age and int(age.group(1)) in self.ages:
                name = self.ages[int(age.group(1))]  # "the 51-year-old" after "Yvonne Graham, 51"
            if not name and not definite and (person_noun(head.lemma_.lower()) or low in lex["person_titles"]):
                name = self._named_later(head.idx, (low,))  # "a spokeswoman ... The spokeswoman, Karen Bell"
            if name:
                return name, True, False
            left = head.left_edge.i
            if left > 0 and head.doc[left - 1].pos_ == "DET" and head.doc[left - 1].head.i != left - 1:
                left -= 1  # "The 46-year-old added": the parser hangs the article off the verb
            first = head.doc[left].lower_ if left < head.i else ""
            # "the minister", "the 46-year-old": a definite singular title refers back to the person last named.
            if first == "the" and (low in lex["person_titles"] or low.endswith("old") or head.ent_type_ == "NORP"):
                # "A spokesperson for the ministry said ... the spokesperson said": the same speaker again,
                # named or not, before anyone else the title might fit.
                kin = "m" if low in ppl["male_nouns"] else "f" if low in ppl["female_nouns"] else None
                if kin is not None:
                    # "the father of three said": no office that others hold, so the person the story follows.
                    # "A woman who lives next door has been ... 'That is terrible,' the woman said": the one introduced.
                    name = (self._described_speaker(head.idx, low, 800) or self._introduced(head)
                            or self._last_subject_person(head.idx, kin) or self.last_person_before(head.idx, kin))
                else:
                    name = ((self._titled_speaker(head.idx, low) or self._described_speaker(head.idx, low, 800)
                             or self._last_person_untitled(head.idx, low)) if low in lex["person_titles"] else None)
                last = self._last_person(head.idx)
                name = (name or (last.canonical if last is not None and not self._in_a_name(last) else None)
                        or self._last_speaker(head.idx, True, False))
                if name:
                    return name, True, False
            elif (first == "the" and person_noun(head.lemma_.lower()) and not set(desc) & lex["title_modifiers"]
                    and not any(c.dep_ == "poss" for c in head.children)):
                # "said the double Olympic champion", "the veteran midfielder added": a person described, not
                # named, is the one the article is about: the same description resolved before, else the
                # last person named (of the description's gender).
                sex = "m" if low in ppl["male_nouns"] else "f" if low in ppl["female_nouns"] else None
                lemma = head.lemma_.lower()
                same = next((n for p, n, _, pl, lem in reversed(self.history) if p < head.idx and lem == lemma
                             and not pl), None)
                if same is not None:
                    return same, True, False
                subject = (self._introduced(head) or self._last_subject_person(head.idx, sex, title=low)
                           or self._last_subject_person(head.idx, sex))
                if subject is not None:
                    return subject, True, False
        if not plural and head.pos_ == "NOUN" and head.lemma_.lower() in people()["org_nouns"] \
                and head.doc[head.left_edge.i].lower_ == "the":
            org_name = (self._introduced(head)  # "A group of MPs has tried ... The group says"
                        or self._salient_org(head.idx, spoken=True))  # "the company", "The High Street retailer"
            if org_name:
                return org_name, False, False
        if low in lex["place_bodies"] and mention.strip().lower() == low:
            placed = self._placed_body(head.idx, low)  # "Police said" after "Fort Worth police are searching"
            if placed:
                return placed, False, plural
        if head.pos_ == "NOUN":
            fuller = self._fuller(head.idx, head.lemma_.lower(), mention, plural)
            if fuller:
                return fuller, False, plural
        org = self.entity_at(full[0], full[1], ("ORG", "GPE", "NORP"))
        return mention, head.pos_ == "PROPN" and org is None, plural
