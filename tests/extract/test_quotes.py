"""Quotes and speakers on real sentences: direct, reported and mixed speech, resolution, unbalanced marks."""

from __future__ import annotations

import importlib.util
import json

import pytest
from extract_records import quote_with, quotes_in

from newsledger.extract.quotemarks import find_quoted
from newsledger.model import Article, parse_iso_date


def test_curly_double_quote_after_attribution_resolves_surname(pipeline):
    text = ("Orange County sheriff's spokeswoman Jane Watrel spoke to reporters on Tuesday. "
            "“No one saw them, so we're going to have to assume that people came in a car,” Watrel said.")
    q = quote_with(quotes_in(pipeline, text), "No one saw them")
    assert q.kind == "direct"
    assert q.speaker == "Jane Watrel"
    assert q.cue == "said"
    assert text[q.start:q.end] == q.content and not q.content.endswith(",")


def test_straight_quote_with_inverted_attribution(pipeline):
    text = ('"It should empower the Fed to clearly do something," said Robert MacIntosh, chief economist '
            'with Eaton Vance Management in Boston.')
    q = quote_with(quotes_in(pipeline, text), "empower the Fed")
    assert q.speaker == "Robert MacIntosh"
    assert "chief economist" in q.speaker_mention


def test_single_curly_marks_are_quotes_but_apostrophes_are_not(pipeline):
    text = ("A high-level Hamas delegation was in Cairo on Friday, two senior Hamas officials said.\n\n"
            "‘The delegation will meet with Egyptian officials on Saturday to discuss the latest developments "
            "and Hamas’s demands,’ one official said.")
    quotes = quotes_in(pipeline, text)
    q = quote_with(quotes, "The delegation will meet")
    assert q.kind == "direct"
    assert q.content.endswith("Hamas’s demands")
    assert "official" in q.speaker_mention
    reported = quote_with(quotes, "delegation was in Cairo")
    assert reported.kind == "indirect" and "Hamas officials" in reported.speaker


def test_multi_paragraph_quote_keeps_its_speaker_in_every_paragraph(pipeline):
    text = ('Mr Blair said: "The Conservative tax and spending proposals would put at risk our hard-won '
            'economic stability.\n\n"I believe that the Tory plans are a call to return to the past."\n\n'
            'The party conference ended on Sunday.')
    quotes = quotes_in(pipeline, text)
    first = quote_with(quotes, "The Conservative tax")
    second = quote_with(quotes, "I believe that the Tory plans")
    assert "\n" not in first.content
    assert first.speaker == second.speaker == "Blair"


def test_indirect_speech_with_the_speaker_after_the_clause(pipeline):
    text = ("Two other explosions in the Baghdad neighborhoods of Husseiniyah and Yarmouk killed at least four "
            "people, officials said.")
    q = quote_with(quotes_in(pipeline, text), "Two other explosions")
    assert q.kind == "indirect"
    assert q.speaker == "officials"
    assert q.content.endswith("four people")


def test_reported_speech_with_that_clause_excludes_speaker_and_cue(pipeline):
    text = ("Kathleen Utgoff, commissioner of the Bureau of Labor, said many of the new construction jobs "
            "were in Florida.")
    q = quote_with(quotes_in(pipeline, text), "construction jobs")
    assert q.kind == "indirect"
    assert q.content.startswith("many of the new construction jobs")
    assert q.speaker == "Kathleen Utgoff"


def test_reported_speech_with_a_quoted_part_is_mixed(pipeline):
    text = 'Tony Blair has launched an attack on Conservative spending plans, saying they are a "ludicrous improbability".'
    quotes = quotes_in(pipeline, text)
    assert len(quotes) == 1
    q = quotes[0]
    assert q.kind == "mixed"
    assert q.content.startswith("they are") and "ludicrous improbability" in q.content
    assert q.speaker == "Tony Blair"


def test_pronoun_and_title_resolve_to_the_named_person(pipeline):
    text = ("Senior Hamas leader Basem Naim wrote an open letter to the US president on Friday.\n\n"
            "More than 9,500 Palestinian prisoners were currently being held in Israeli prisons, he said.\n\n"
            "Gordon Brown addressed the conference. The Chancellor said the plans would see spending cuts.")
    quotes = quotes_in(pipeline, text)
    assert quote_with(quotes, "9,500 Palestinian prisoners").speaker == "Basem Naim"
    assert quote_with(quotes, "9,500 Palestinian prisoners").speaker_mention == "he"
    assert quote_with(quotes, "the plans would see").speaker == "Gordon Brown"


def test_unattributed_follow_on_quote_takes_the_previous_speaker(pipeline):
    text = ('"It\'s senseless, man. Senseless," neighbor Charles Howard said. '
            '"It\'s sad that it\'s a 9-year-old victim involved in this."')
    quotes = quotes_in(pipeline, text)
    assert [q.content for q in quotes] == ["It's senseless, man. Senseless",
                                           "It's sad that it's a 9-year-old victim involved in this."]
    assert quotes[1].speaker == "Charles Howard" and quotes[1].cue is None


def test_scare_quotes_and_titles_are_not_quotes(pipeline):
    text = 'The film "American Skin" opened in cinemas, where critics praised its "bold" style.'
    assert quotes_in(pipeline, text) == []


def test_unbalanced_marks_end_at_the_paragraph_and_keep_the_rest(pipeline):
    text = ('"We will rebuild the bridge before winter, whatever it costs the town, the mayor told residents.\n\n'
            'Work on the bridge starts on Monday, officials said.\n\n'
            '"It is the biggest project in a decade," said council leader Anna Smith.')
    quotes = quotes_in(pipeline, text)
    first = quote_with(quotes, "We will rebuild")
    assert "\n" not in first.content
    assert quote_with(quotes, "Work on the bridge").speaker == "officials"
    assert quote_with(quotes, "biggest project").speaker == "Anna Smith"


def test_missing_opening_mark_starts_the_quote_at_the_paragraph(pipeline):
    text = 'An investigation is continuing.\n\nIt\'s not over," said Bonnie Hyberger. "These people cannot stay here."'
    quotes = quotes_in(pipeline, text)
    assert quote_with(quotes, "It's not over").speaker == "Bonnie Hyberger"
    assert quote_with(quotes, "These people cannot stay").speaker == "Bonnie Hyberger"


def test_a_stray_closing_mark_without_attribution_is_no_quote(pipeline):
    text = ('The suspect is 6\'2" tall and was wearing a red jacket when he left the store on Main Street.\n\n'
            'Police said he was armed.')
    quotes = quotes_in(pipeline, text)
    assert [q.content for q in quotes] == ["he was armed"]


def test_quote_marks_scanner_pairs_every_style():
    text = "He said “one” and 'two' and ''three'' and ‘four’ but not parents’ homes."
    contents = [text[q.start:q.end] for q in find_quoted(text)]
    assert contents == ["one", "three", "four"]


def test_straight_single_marks_pair_only_around_speech():
    text = "It's the players' union. 'We will win this,' she said of rock 'n' roll in the '90s."
    assert [text[q.start:q.end] for q in find_quoted(text)] == ["We will win this"]


def test_quotes_come_in_text_order(pipeline, gold_dir):
    for line in (gold_dir / "dev.jsonl").open(encoding="utf-8"):
        quotes = pipeline.extract(Article(text=json.loads(line)["text"])).quotes
        assert [q.start for q in quotes] == sorted(q.start for q in quotes)


def _scorer(shared_dir):
    spec = importlib.util.spec_from_file_location("score", shared_dir / "tools" / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("name,f1_floor,speaker_floor", [("dev.jsonl", 0.95, 0.91), ("polnear-dev.jsonl", 0.79, 0.87)])
def test_quotes_score_above_floor_on_gold(pipeline, shared_dir, name, f1_floor, speaker_floor):
    score = _scorer(shared_dir)
    tp = fp = fn = ok = 0
    rows = [json.loads(line) for line in (shared_dir / "gold" / name).open(encoding="utf-8")]
    articles = [Article(text=r["text"], id=r["id"], published=parse_iso_date(r.get("published"))) for r in rows]
    for row, result in zip(rows, pipeline.extract_many(articles), strict=True):
        gold = row["quotes"]
        pred = result.to_dict()["quotes"]
        pairs = score.match_quotes(gold, pred)
        tp += sum(1 for g, _ in pairs if not gold[g].get("optional"))
        fp += len(pred) - len(pairs)
        fn += sum(1 for g, x in enumerate(gold) if not x.get("optional") and g not in {a for a, _ in pairs})
        ok += sum(1 for g, p in pairs if not gold[g].get("optional") and score.speaker_ok(gold[g]["speaker"], pred[p]))
    f1 = 2 * tp / (2 * tp + fp + fn)
    assert f1 >= f1_floor
    assert ok / tp >= speaker_floor


def test_a_title_given_earlier_resolves_to_its_holder(pipeline):
    text = ("Hamas on Friday urged US president Donald Trump to meet with Palestinian prisoners. "
            "Tory shadow chancellor Oliver Letwin was in London. "
            "The US president said on Thursday that the talks with the hostages had gone well.")
    q = quote_with(quotes_in(pipeline, text), "the talks with the hostages")
    assert q.speaker == "Donald Trump"
    assert q.speaker_mention == "The US president"


def test_attribution_after_a_long_apposition(pipeline):
    text = ("The plan is the main tool to meet the emissions target it pledged to reach at climate talks in Paris.\n\n"
            "“It’s an invasion, in our estimation, of the state regulatory domain,” Scott Pruitt, the Republican "
            "attorney general of Oklahoma, one of the states suing the EPA, said at a Washington event.")
    quotes = quotes_in(pipeline, text)
    assert len(quotes) == 1
    assert quotes[0].speaker == "Scott Pruitt"
    assert "attorney general of Oklahoma" in quotes[0].speaker_mention


def test_quote_interrupted_by_its_attribution_and_a_descriptive_subject(pipeline):
    text = ('Nintendo president Satoru Iwata spoke in Tokyo. "We are pleased with the launch," Mr Iwata said, '
            '"and we expect strong sales in Europe." The 46-year-old added that prices would not change.')
    quotes = quotes_in(pipeline, text)
    assert [q.kind for q in quotes] == ["direct", "direct", "indirect"]
    assert all(q.speaker == "Satoru Iwata" for q in quotes)
    assert quotes[1].cue == "said"
    assert quotes[2].content == "prices would not change"


def test_a_paragraph_opened_by_a_name_and_colon_is_that_person_speaking(pipeline):
    text = ("Pat Caddell: Democrat Voters Worried About Hillary Clinton’s Health Issues\n\n"
            "Subs not used: Smith, Jones.\n\n"
            "Longtime Democratic pollster Pat Caddell told a radio host on Thursday that health was at the forefront.")
    quotes = quotes_in(pipeline, text)
    first = quote_with(quotes, "Democrat Voters Worried")
    assert first.speaker == "Pat Caddell" and first.cue == ":"
    assert not any("Smith" in q.content for q in quotes)


def test_unclosed_mark_in_a_long_paragraph_stops_at_its_sentence(pipeline):
    filler = "The council met on Monday to discuss the budget for the coming year. " * 8
    text = ('The mayor spoke to residents. "We will rebuild the bridge before winter. ' + filler
            + "Police said three people were injured in the collapse.")
    quotes = quotes_in(pipeline, text)
    assert quote_with(quotes, "We will rebuild").content == "We will rebuild the bridge before winter."
    assert quote_with(quotes, "three people were injured").speaker == "Police"


def test_a_pronoun_skips_people_of_the_other_gender_by_title(pipeline):
    text = ('Ms Sanders met Mr Blair in London. Mr Jones, the host, said the talks had started late.\n\n'
            '"We agreed on most things," she said.')
    q = quote_with(quotes_in(pipeline, text), "We agreed")
    assert q.speaker == "Sanders" and q.speaker_mention == "she"


def test_multi_paragraph_quote_attributed_in_its_last_paragraph(pipeline):
    text = ('Mr Jones spoke first.\n\nMs Sanders was next. "We agreed on most things.\n\n'
            '"The rest will be settled next week," said Anna Smith, the mediator.')
    quotes = quotes_in(pipeline, text)
    assert [q.speaker for q in quotes] == ["Anna Smith", "Anna Smith"]


def test_speech_in_a_relative_clause_and_a_pronoun_bound_in_its_sentence(pipeline):
    text = ('Tory shadow home secretary David Davis said the Tories would cut taxes.\n\n'
            'In his speech, Mr Blair contrasted a reformed Labour party with a hidebound Tory party, '
            'which he said would turn the clock back with spending cuts.')
    q = quote_with(quotes_in(pipeline, text), "turn the clock back")
    assert q.content == "would turn the clock back with spending cuts"
    assert q.speaker == "Blair"


def test_short_follow_on_sentence_keeps_the_speaker(pipeline):
    text = ('"It\'s terrible," said Anna Price, who lives nearby. "It\'s daylight."\n\n'
            'The "Green Mile" bar was closed.')
    quotes = quotes_in(pipeline, text)
    q = quote_with(quotes, "It's daylight.")
    assert q.speaker == "Anna Price" and q.kind == "direct"
    assert not [x for x in quotes if x.content == "Green Mile"]


def test_abbreviated_title_before_the_name_keeps_the_attribution(pipeline):
    text = '"Nearly half of these crimes are solved," Sgt. Maria Vasquez said on Monday.'
    q = quote_with(quotes_in(pipeline, text), "Nearly half")
    assert q.speaker == "Maria Vasquez"


def test_speculated_is_a_cue(pipeline):
    q = quote_with(quotes_in(pipeline, "Doctors also speculated that the outbreak could spread to the capital."),
              "outbreak could spread")
    assert q.speaker == "Doctors" and q.cue == "speculated"


def test_one_of_a_group_is_a_speaker(pipeline):
    text = "One of his neighbours, who asked not to be named, said she heard three shots."
    q = quote_with(quotes_in(pipeline, text), "she heard three shots")
    assert q.speaker.startswith("One of his neighbours")


def test_purpose_infinitive_and_alleged_are_not_speech(pipeline):
    assert quotes_in(pipeline, "The officer gestured to a nearby wall to point out a prominent gang symbol.") == []
    assert quotes_in(pipeline, "An alleged dispute at the plant closed the site on Friday.") == []


def test_that_clause_on_an_object_belongs_to_the_object_unless_it_is_the_listener(pipeline):
    dismissed = quotes_in(pipeline, "She also dismissed the rumours that the disease might be cholera.")
    assert not [q for q in dismissed if q.content.startswith("the disease")]
    told = quote_with(quotes_in(pipeline, "The minister told a gathering that the policies would fail."), "policies")
    assert told.content == "the policies would fail"


def test_heading_glued_to_the_first_sentence_is_split_off(pipeline):
    text = ("Ongoing Dispute Leaves Two Workers InjuredAn alleged dispute at the plant left two workers injured "
            "on Friday. Officers tried to keep the area calmA police source said the gates had been locked.")
    quotes = quotes_in(pipeline, text)
    assert not [q for q in quotes if q.cue and q.cue.lower() == "alleged"]
    q = quote_with(quotes, "gates had been locked")
    assert q.speaker == "A police source"


def test_added_without_that_reports_the_clause(pipeline):
    text = ('"We are turning the corner," Ms Hutt said. She added the measures designed to help small firms '
            'through the winter.')
    q = quote_with(quotes_in(pipeline, text), "measures designed to help")
    assert q.cue == "added" and q.speaker == "Hutt"


def test_cue_with_a_colon_introduces_the_next_quote_not_the_one_before(pipeline):
    text = ('Ms Hutt said the plan had worked. "Waiting lists are shorter than they have been for years." '
            'Opposition spokesman Glyn Davies said: "It is the same target she set in 1999."')
    quotes = quotes_in(pipeline, text)
    assert quote_with(quotes, "Waiting lists are shorter").speaker == "Hutt"
    assert quote_with(quotes, "same target").speaker == "Glyn Davies"


def test_two_coordinated_reports_are_two_quotes(pipeline):
    text = "The mayor announced that the road would close and stated that a new bridge would be built."
    quotes = quotes_in(pipeline, text)
    assert quote_with(quotes, "road would close").content == "the road would close"
    second = quote_with(quotes, "new bridge")
    assert second.cue == "stated" and second.speaker == "The mayor"


def test_paragraphs_joined_into_one_line_reopen_the_quote_for_the_same_speaker(pipeline):
    # Paragraphs joined with a space: each re-opens the quote without closing the one before.
    text = ('Coach Peter Banda said: "Nothing short of victory will do." However Banda warned his side. '
            '"I do not want my team to be too sure of victory as it is going to be a difficult game. '
            '"For me the main aim of the game is to enjoy it and to win." Zambia have shown their '
            'determination by recalling nine of their foreign-based players.')
    quotes = quotes_in(pipeline, text)
    q = quote_with(quotes, "main aim of the game")
    assert q.speaker == "Peter Banda"
    assert "difficult game" in quote_with(quotes, "too sure of victory").content
    assert "main aim" not in quote_with(quotes, "too sure of victory").content


def test_an_ordinary_verb_after_a_quote_is_no_attribution(pipeline):
    text = ('But Ferguson said: "I think what makes it so bad is that both our rivals dropped points. '
            '"It was a great opportunity and we have not delivered." United went ahead through Alan Smith '
            'in the 33rd minute.')
    q = quote_with(quotes_in(pipeline, text), "great opportunity")
    assert q.speaker == "Ferguson"


def test_doubled_closing_apostrophes_close_a_curly_quote(pipeline):
    text = ('“The threat is likely to remain high in the near future,’’ according to a new strategy. '
            '“We have seen this around the world, but not here,’’ said Kevin Price, a homeland security official.')
    quotes = quotes_in(pipeline, text)
    q = quote_with(quotes, "seen this around the world")
    assert q.speaker == "Kevin Price"
    assert "threat" not in q.content


def test_a_sentence_closed_by_a_lone_mark_after_an_attributed_quote_keeps_its_speaker(pipeline):
    text = ('"These parties go out on Facebook a lot, so that is how people end up at them," Police Captain '
            'Brian Fitzgerald said. That is how we end up with a lot of conflict."\n\n'
            'Officers asked anyone with information to call them.')
    quotes = quotes_in(pipeline, text)
    assert quote_with(quotes, "Facebook").speaker == "Brian Fitzgerald"
    q = quote_with(quotes, "lot of conflict")
    assert q.speaker == "Brian Fitzgerald" and "Fitzgerald" not in q.content


def test_a_title_abbreviation_before_the_name_is_not_the_speaker(pipeline):
    text = 'Police said the gunman fled. "We are looking for a white car," said Sgt. Mike Jones.'
    q = quote_with(quotes_in(pipeline, text), "white car")
    assert q.speaker == "Mike Jones"


def test_the_name_between_a_quote_and_its_cue_is_the_speaker_where_the_parser_reads_the_quote_as_the_clause(pipeline):
    text = ('The council met on Tuesday to discuss the bridge.\n\n'
            '"We will achieve a solution in this case," Leeds council leader Mary Hollins said Monday.\n\n'
            '"It would be a great road. Not good, great. One of the best in the whole county," '
            'Rep. Arthur J. Penrose (D-Ohio) said in a phone interview.\n\n'
            '"It is absolutely right. There is a severe gap between this council and the city," '
            'Fenwick, a senior planning officer, said Thursday morning on BBC Radio Leeds\'s "Breakfast Show."')
    quotes = quotes_in(pipeline, text)
    solution = quote_with(quotes, "achieve a solution")
    assert solution.speaker == "Mary Hollins"
    assert solution.speaker_mention == "Leeds council leader Mary Hollins"
    assert "Penrose" in quote_with(quotes, "great road").speaker
    gap = quote_with(quotes, "severe gap")
    assert gap.speaker == "Fenwick" and gap.speaker_mention == "Fenwick, a senior planning officer"


def test_an_inverted_cue_after_a_quote_takes_the_name_after_it_not_a_subject_inside_the_quote(pipeline):
    text = ('Experts say the test shows the regime is determined to build more warheads.\n\n'
            '"If it does not have the capability yet, it will at some point, probably sooner rather than later," '
            'said Jane Holloway, a physicist at the Centre for Arms Control.')
    q = quote_with(quotes_in(pipeline, text), "sooner rather than later")
    assert q.speaker == "Jane Holloway"


def test_a_cue_closing_the_paragraph_before_a_quoted_paragraph_attributes_it(pipeline):
    text = ('Some readers wrote in about the debate.\n\n'
            'The Sunday Herald reports:\n\n'
            '"Just 24 percent of the contributors to the campaign so far have given $200 or less."\n\n'
            'While arguing about the candidates over dinner, a neighbour commented: '
            '"For you, the economy is the most important reason to vote at all."')
    quotes = quotes_in(pipeline, text)
    herald = quote_with(quotes, "24 percent of the contributors")
    assert herald.cue == "reports" and herald.speaker_mention == "The Sunday Herald"
    assert quote_with(quotes, "the economy is the most important").speaker_mention == "a neighbour"


def test_a_report_opening_with_a_quote_gives_the_quote_its_cue(pipeline):
    text = ('Secretary of State Jon Hastings said the ruling "will force us to put voters back on the rolls." '
            'He said that if "the final decision requires us to restore voters who have moved away, we will appeal."')
    q = quote_with(quotes_in(pipeline, text), "we will appeal")
    assert q.speaker == "Jon Hastings" and q.speaker_mention == "He" and q.cue == "said"


def test_a_participle_cue_speaks_for_the_subject_of_the_sentence_it_ends(pipeline):
    text = ('Ms. Reyes made her case on Monday. Mr. Dalton hardly clarified the matter, treating Ms. Reyes\'s '
            'remark first as a compliment -- "That makes me smart" -- and, when questioned after the debate, '
            'asserting, "Of course, I pay federal taxes."')
    q = quote_with(quotes_in(pipeline, text), "I pay federal taxes")
    assert "Dalton" in q.speaker


def test_a_cue_after_a_comma_clause_still_attributes_the_quote_before_it(pipeline):
    text = ('"I knew he would get some time but not that much time," Reginald Head said following the '
            'sentencing, in which family members cried over the loss of the child.')
    q = quote_with(quotes_in(pipeline, text), "not that much time")
    assert q.speaker == "Reginald Head" and q.cue == "said"


def test_a_new_sentence_with_its_own_object_does_not_attribute_the_quote_before_it(pipeline):
    text = ('"The obvious choice is Dawson," said Jeremy Guscott. "Unfortunately England cannot rely on leaders '
            'on the field at the moment." England will announce their squad on Saturday.')
    q = quote_with(quotes_in(pipeline, text), "cannot rely on leaders")
    assert q.speaker == "Jeremy Guscott"


def test_a_cue_with_an_object_of_its_own_does_not_report_the_clause_it_hangs_from(pipeline):
    text = ('Shares tumbled, however, as the company reported a profit margin of 45.6%, less than the 47.3% '
            'forecast by analysts.')
    assert not [q for q in quotes_in(pipeline, text) if "Shares tumbled" in q.content]


def test_a_time_clause_with_a_cue_verb_reports_nothing(pipeline):
    text = "When officers responded, they found the 20-year-old man dead in the car park."
    assert not quotes_in(pipeline, text)


def test_a_note_opening_a_paragraph_with_a_colon_is_no_speaker(pipeline):
    text = ('Clinton will be out campaigning this week, spokesman Brian Fallon said on Monday.\n\n'
            'CLARIFICATION: The first sentence has been clarified to reflect that the chairman is calling for a '
            'process to identify a successor.')
    assert not [q for q in quotes_in(pipeline, text) if q.speaker and "CLARIFICATION" in q.speaker]


def test_an_interview_line_label_is_the_speaker_of_its_quotation(pipeline):
    text = ('A woman who lives next door has been there for 60 years.\n\n“I just heard cracking,” she said.\n\n'
            'Amy Wadas: “Do you know the people next door?”\n\nCLARIFICATION: “Firecrackers” was misspelt.')
    quotes = quotes_in(pipeline, text)
    assert quote_with(quotes, "Do you know").speaker == "Amy Wadas"
    assert not [q for q in quotes if q.speaker and "CLARIFICATION" in q.speaker]


def test_a_nickname_in_marks_inside_the_attribution_is_no_quote_and_does_not_cut_it(pipeline):
    text = ('"This is a big year for our potential senator!" his niece, state Del. Marcia "Cia" Price, shouted to '
            'the crowd.')
    quotes = quotes_in(pipeline, text)
    q = quote_with(quotes, "big year")
    assert q.cue == "shouted" and "niece" in q.speaker_mention
    assert not [x for x in quotes if x.content == "Cia"]


def test_a_mention_keeps_its_closing_bracket(pipeline):
    q = quote_with(quotes_in(pipeline, '"Mitt Romney was prepared," Sen. Claire McCaskill (D-Mo.) said.'), "prepared")
    assert q.speaker_mention.endswith("(D-Mo.)")
