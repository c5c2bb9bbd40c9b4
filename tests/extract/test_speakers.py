"""Speaker resolution on real sentences: pronouns by gender and recency, descriptions back to names."""

from __future__ import annotations

from extract_records import quote_with, quotes_in


def test_pronoun_binds_to_the_woman_the_story_moved_on_to(pipeline):
    text = ('"We heard four shots," said Daniel Ortiz, who lives across the road.\n\n'
            'Kathleen Moore was standing at the corner when the car drove past. '
            '"He had a heart of gold," she said.')
    q = quote_with(quotes_in(pipeline, text), "heart of gold")
    assert q.speaker == "Kathleen Moore"


def test_pronoun_skips_a_previous_speaker_of_the_other_gender(pipeline):
    text = ('"Prices will keep rising," said analyst Susan Clarke.\n\n'
            'Tom Walsh, a trader in Leeds, was less sure. "The market has turned," he said.')
    q = quote_with(quotes_in(pipeline, text), "market has turned")
    assert q.speaker == "Tom Walsh"


def test_pronoun_after_a_person_named_in_the_speakers_own_clause_stays_with_the_speaker(pipeline):
    text = ('"I saw him clearly," said Martin Hale, recalling the day when Peter Grant entered his shop. '
            '"There was no doubt at all," he said.')
    q = quote_with(quotes_in(pipeline, text), "no doubt at all")
    assert q.speaker == "Martin Hale"


def test_he_binds_to_an_unnamed_person_described_as_speaking(pipeline):
    text = ('"It has been a tough year," said analyst Bill Dorn. However, one trader in London told '
            'reporters the market was weak. "Christmas has been hard for everyone," he said.')
    q = quote_with(quotes_in(pipeline, text), "Christmas has been hard")
    assert "trader" in q.speaker


def test_she_does_not_bind_to_a_brother(pipeline):
    text = ('The brother of the victim said the family was shocked.\n\n'
            'His aunt, Rosa Delgado, was at the hospital. She said the boy had been walking home.')
    q = quote_with(quotes_in(pipeline, text), "walking home")
    assert q.speaker == "Rosa Delgado"


def test_description_with_an_adjective_resolves_to_the_person_given_that_title(pipeline):
    text = ('His widow, Sarah Jones, 44, spoke to reporters outside the court.\n\n'
            '"He was a fun-loving man," the grieving widow said. "We will miss him," his heartbroken widow said.')
    quotes = quotes_in(pipeline, text)
    assert quote_with(quotes, "fun-loving").speaker == "Sarah Jones"
    assert quote_with(quotes, "miss him").speaker == "Sarah Jones"


def test_age_description_resolves_to_the_person_of_that_age(pipeline):
    text = ('Neighbour Carl Benson, 62, and the victim\'s sister, Emma Reid, 35, spoke to reporters. '
            '"I heard the shots," said Mr Benson. "I can\'t sleep," the 35-year-old said.')
    q = quote_with(quotes_in(pipeline, text), "can't sleep")
    assert q.speaker == "Emma Reid"


def test_the_company_resolves_to_the_organisation_the_article_is_about(pipeline):
    text = ('Tesco reported weaker sales on Tuesday. Tesco said its stores had a difficult December, and '
            'analysts at Barclays said the figures were poor.\n\n'
            'The supermarket chain said it now expected profits to fall. "Trading has been difficult," '
            'the company said.')
    quotes = quotes_in(pipeline, text)
    assert quote_with(quotes, "expected profits to fall").speaker == "Tesco"
    assert quote_with(quotes, "Trading has been difficult").speaker == "Tesco"


def test_surname_tagged_as_a_noun_resolves_and_relative_clause_leaves_the_name(pipeline):
    text = ('"I come here every week," said Zeke Herrera, who lives on the block. '
            'Herrera, who said he comes to the store often, said the area was quiet.')
    quotes = quotes_in(pipeline, text)
    first = quote_with(quotes, "every week")
    assert first.speaker == "Zeke Herrera" and "who lives on the block" in first.speaker_mention
    assert quote_with(quotes, "the area was quiet").speaker == "Zeke Herrera"


def test_name_closing_a_long_subject_is_the_speaker(pipeline):
    text = ("The head of the infectious diseases department at the University Hospital, Maria Eugenia Landaeta, "
            "said the outbreak was serious. Health minister Nancy Perez said there was no epidemic. "
            "Landaeta said more tests were needed. She said: \"We are worried about the children.\"")
    quotes = quotes_in(pipeline, text)
    assert quote_with(quotes, "outbreak was serious").speaker == "Maria Eugenia Landaeta"
    assert quote_with(quotes, "worried about the children").speaker == "Maria Eugenia Landaeta"


def test_pronoun_never_binds_to_a_person_named_inside_the_quote(pipeline):
    text = ('Deputy leader Nicola Hart defended the party chairman on Sunday. '
            '"I work very closely with Peter and he has done nothing wrong," she said.')
    q = quote_with(quotes_in(pipeline, text), "work very closely")
    assert q.speaker == "Nicola Hart"


def test_pronoun_skips_a_name_in_the_same_sentence_that_is_no_subject(pipeline):
    text = ('Mr Kennedy launched his campaign on Monday. After the defection of Robert Jackson, he said, '
            'only his party offered a real choice.')
    q = quote_with(quotes_in(pipeline, text), "real choice")
    assert "Kennedy" in q.speaker


def test_surname_goes_to_the_full_name_before_it_not_a_namesake_later(pipeline):
    text = ('Police Commissioner Kevin Davis spoke at the scene.\n\n'
            'Davis said officers had gathered enough information to make an arrest.\n\n'
            'A video of the vigil was filmed by Amy Davis of the Sun.')
    q = quote_with(quotes_in(pipeline, text), "gathered enough information")
    assert q.speaker == "Kevin Davis"


def test_the_title_resolves_to_its_holder_not_the_last_person_with_another_title(pipeline):
    text = ('Mayor Ken Harper refused to apologise for his remarks. Prime Minister Tony Blair is among those '
            'who have called for an apology. The mayor said the newspaper had treated him unfairly.')
    q = quote_with(quotes_in(pipeline, text), "treated him unfairly")
    assert q.speaker == "Ken Harper"


def test_a_shorter_description_is_not_merged_into_a_different_longer_one(pipeline):
    text = ('A spokesman for Unison said the talks would go on. '
            'But a spokesman for the minister said the offer was final.')
    q = quote_with(quotes_in(pipeline, text), "offer was final")
    assert "minister" in q.speaker_mention and "Unison" not in q.speaker


def test_she_skips_a_man_whose_gender_only_the_articles_pronouns_give(pipeline):
    text = ('Nyein Chan Thu won the regional election last year. She has since taken a new role as state counsellor.\n\n'
            'Under pressure from abroad, Nyein Chan Thu set up a commission, overseen by the former envoy '
            'Tomas Okonjo, to make recommendations on the clashes. Okonjo said he would report by March.\n\n'
            '"Unity also means prosperity," she said in the capital.')
    q = quote_with(quotes_in(pipeline, text), "Unity also means")
    assert q.speaker == "Nyein Chan Thu"


def test_the_same_description_again_is_the_same_unnamed_speaker_not_the_last_person_named(pipeline):
    text = ('"They are exhausted," said Doris Grinspun, who heads the nurses\' association.\n\n'
            'A spokesperson for the ministry, however, said the plan would be rolled out in stages. '
            '"We will hire 3,000 nurses by the end of the year," the spokesperson said.')
    q = quote_with(quotes_in(pipeline, text), "3,000 nurses")
    assert q.speaker == "A spokesperson for the ministry"


def test_a_description_resolves_to_a_name_the_model_took_for_an_organisation_after_a_title(pipeline):
    text = ('A spokesperson for the ministry said the plan would be rolled out in stages. '
            'Ministry spokesperson Alexandra Hilkene later confirmed the figure in an email.')
    q = quote_with(quotes_in(pipeline, text), "rolled out in stages")
    assert q.speaker == "Alexandra Hilkene"


def test_a_kin_description_is_the_person_the_story_follows_not_one_with_an_office(pipeline):
    text = ('Coun. Christine Boyle called the budget reckless.\n\n'
            'Local resident Mark Chen, 54, said his taxes had doubled. "I can\'t afford this," the father of three said.')
    q = quote_with(quotes_in(pipeline, text), "can't afford")
    assert q.speaker == "Mark Chen"


def test_a_councillor_is_the_person_last_named(pipeline):
    text = ('According to Boyle, the city could have frozen taxes. "There were other choices," the councillor said.')
    q = quote_with(quotes_in(pipeline, text), "other choices")
    assert q.speaker == "Boyle"


def test_a_dateline_is_never_the_speaker(pipeline):
    text = ('VANCOUVER — Mayor Ken Sim said on Monday that the budget would protect renters.\n\n'
            'WASHINGTON (AP) -- Senator Tim Kaine said on Monday that the vote would be close.')
    quotes = quotes_in(pipeline, text)
    assert quote_with(quotes, "protect renters").speaker == "Ken Sim"
    assert quote_with(quotes, "vote would be close").speaker == "Tim Kaine"


def test_a_described_player_is_not_the_coach_who_spoke_last(pipeline):
    text = ('The 31-year-old striker, who joined the club last summer, scored twice. Federico Bernardeschi was '
            'named man of the match.\n\n'
            'Earlier, Toronto FC coach John Herdman praised his side. "The lads were brilliant," Herdman said.\n\n'
            '"I just try to help the team," the striker said.')
    q = quote_with(quotes_in(pipeline, text), "help the team")
    assert q.speaker == "Federico Bernardeschi"


def test_a_pronoun_after_a_sentence_led_by_a_title_is_that_titles_person(pipeline):
    text = ('Finance Minister Chrystia Freeland tabled the budget. "It protects Canadians," Freeland said.\n\n'
            '"We forced this government to act," said Jagmeet Singh, the NDP leader.\n\n'
            'The minister later defended her numbers. "They are prudent," she said.')
    q = quote_with(quotes_in(pipeline, text), "They are prudent")
    assert q.speaker == "Chrystia Freeland"


def test_a_pronoun_after_a_sentence_led_by_the_same_pronoun_is_that_pronouns_person(pipeline):
    text = ('"Nobody will admit it is about gangs," said Alderman Rosa Delgado.\n\n'
            'As Marisol gets ready to start third grade, she asks for the shooting to stop. '
            '"I want to play outside," she said.')
    q = quote_with(quotes_in(pipeline, text), "play outside")
    assert q.speaker == "Marisol"


def test_a_name_the_model_took_for_an_organisation_is_a_person_when_the_article_says_he(pipeline):
    text = ('Police spokesman Doug Wellborn said a rifle was found in the room.\n\n'
            'Mason Jefferies calls himself a close friend to the victim, whom he described as a family man. '
            'He said the victim had raised two sons on his own.')
    q = quote_with(quotes_in(pipeline, text), "raised two sons")
    assert q.speaker == "Mason Jefferies"


def test_a_name_inside_reported_words_is_not_the_pronoun_that_reports_them(pipeline):
    text = ('"Shareholders are unhappy," Mr Faraj continued. Deutsche Boerse is "trying to buy them off in a '
            'sense", he said.')
    q = quote_with(quotes_in(pipeline, text), "buy them off")
    assert q.speaker == "Faraj"


def test_they_after_a_sentence_led_by_people_named_together_is_them(pipeline):
    text = ('Government lawyers argued the area was outside European jurisdiction. But Lord Justice Rix and '
            'Mr Justice Forbes ruled that jurisdiction could extend to a prison. They said the detainee had '
            'been in custody when he died.')
    q = quote_with(quotes_in(pipeline, text), "in custody when he died")
    assert "Rix" in q.speaker and "Forbes" in q.speaker


def test_the_company_is_the_organisation_that_spoke_not_its_product(pipeline):
    text = ('Macrovision says its new RipGuard technology will stop most copying programs. RipGuard works on '
            'nearly all players, and RipGuard adds no cost. RipGuard will be on discs from the middle of 2005, '
            'the company said.')
    q = quote_with(quotes_in(pipeline, text), "middle of 2005")
    assert q.speaker == "Macrovision"


def test_a_pronoun_after_an_unnamed_person_described_is_that_description_not_the_last_name(pipeline):
    text = ('Armando Romero lives in the complex. He said it broke his heart to see the boy there.\n\n'
            'Another resident, who is a father himself, is horrified over what happened. He asked not to be '
            'identified.\n\n"I felt hurt because he is a little kid," he said.')
    quotes = quotes_in(pipeline, text)
    assert quote_with(quotes, "I felt hurt").speaker == "Another resident"
    assert not [q for q in quotes if "identified" in q.content]


def test_the_statement_speaks_for_whoever_spoke_in_it(pipeline):
    text = ('Acme Corp rejected the offer on Monday. "Any board has a duty to consider an offer," Acme Corp said in '
            'its statement. Shares rose 3%. "The board believes the plan is aggressive," the statement said.')
    q = quote_with(quotes_in(pipeline, text), "plan is aggressive")
    assert q.speaker == "Acme Corp"


def test_a_body_introduced_unnamed_is_who_the_group_is(pipeline):
    text = ('A group of MPs has tried to raise the pressure on Tony Blair over reform to the House of Lords.\n\n'
            'MPs and peers have failed to agree on reform of the House of Lords since 1999. The group says it can '
            'win support for removing the last 92 hereditary peers.')
    q = quote_with(quotes_in(pipeline, text), "win support")
    assert q.speaker == "A group of MPs"


def test_a_passive_quoted_subject_speaks_a_participle_cue(pipeline):
    text = 'Mr Houston was quoted in the Herald newspaper saying: "I feel the party has over-reacted."'
    q = quote_with(quotes_in(pipeline, text), "over-reacted")
    assert "Houston" in q.speaker


def test_the_organisation_named_after_its_description_is_the_source(pipeline):
    text = ('The Nordic countries lead, according to a report by Jupiter Research. Jupiter Research said more '
            'would follow. About 14 million households in the UK have digital TV, according to the communications '
            'regulator Ofcom.')
    q = quote_with(quotes_in(pipeline, text), "digital TV")
    assert q.speaker == "Ofcom"


def test_the_woman_is_the_woman_introduced_not_the_spokeswoman_named_before(pipeline):
    text = ('Police spokeswoman Emily Schaffer said the scene was secured. "We are following several leads," '
            'Schaffer said.\n\nA woman who lives next door has been in the neighborhood for 60 years. She thinks '
            'the street is safe.\n\n"That is terrible. I am sorry to hear that," the woman said.')
    q = quote_with(quotes_in(pipeline, text), "That is terrible")
    assert q.speaker == "A woman"


def test_a_title_never_refers_back_to_a_name_inside_another_name(pipeline):
    text = ("The girl was taken to Kosair Children's Hospital on Friday night with a head wound.\n\n"
            "The incident is being investigated as an accidental shooting, according to the coroner.")
    q = quote_with(quotes_in(pipeline, text), "accidental shooting")
    assert "Kosair" not in (q.speaker or "") and "coroner" in q.speaker


def test_he_is_never_a_plural_name_the_model_took_for_a_person(pipeline):
    text = ("A judge should look into the affair as key questions remain unanswered, the Lib Dems say.\n\n"
            "Sir Alan Budd's inquiry linked the minister to the speeding up of a visa claim. But he could not say "
            "whether the minister had treated the nanny as a special case.")
    q = quote_with(quotes_in(pipeline, text), "special case")
    assert q.speaker == "Alan Budd"


def test_a_subject_phrase_the_parser_split_in_two_gives_the_name_nearest_the_verb():
    # The parse spaCy gave one article's "Usdaw general secretary John Hannett added:", with the union read
    # as a second subject: the speaker is the name right before the verb, not the union.
    from spacy.tokens import Doc
    from spacy.vocab import Vocab

    from newsledger.extract.quotes import _subject

    words = ["Bectu", "general", "secretary", "Gerry", "Morrissey", "added", ":"]
    doc = Doc(Vocab(), words=words, heads=[5, 2, 4, 4, 5, 5, 5],
              deps=["nsubj", "amod", "compound", "compound", "nsubj", "ROOT", "punct"],
              pos=["ADJ", "ADJ", "NOUN", "PROPN", "PROPN", "VERB", "PUNCT"],
              tags=["JJ", "JJ", "NN", "NNP", "NNP", "VBD", ":"], lemmas=[w.lower() for w in words])
    assert _subject(doc[5]).text == "Morrissey"


def test_it_with_no_organisation_speaking_before_is_the_one_the_article_is_about(pipeline):
    text = ('Shares in Vodafone fell sharply on Monday after weak sales in Germany. '
            'Investors had hoped Vodafone would recover quickly. Last week it said it would cut 500 jobs.')
    q = quote_with(quotes_in(pipeline, text), "cut 500 jobs")
    assert q.speaker == "Vodafone"


def test_the_seller_is_the_company_the_article_is_about(pipeline):
    text = ('Reuters beat profit forecasts for the year. Reuters also cut its debt. '
            'The news and financial data seller said the new year had begun well.')
    q = quote_with(quotes_in(pipeline, text), "begun well")
    assert q.speaker == "Reuters"


def test_she_after_an_organisations_spokeswoman_is_that_spokeswoman(pipeline):
    text = ('The government closed the online university in 2004. A Department for Education and Skills '
            'spokeswoman said the venture had been "ambitious". She added: "Other bodies lost out on '
            'private investment too."')
    q = quote_with(quotes_in(pipeline, text), "lost out on")
    assert q.speaker != "She" and "Department for Education" in (q.speaker or "")


def test_they_after_a_name_with_a_plural_verb_is_that_organisation(pipeline):
    text = ('Campaigners say the new terminal at Luton cannot be paid for without other airports. '
            'Ryanair are also owners of the airports at Bristol and Exeter. They have said they cannot raise '
            'the money from landing charges.')
    q = quote_with(quotes_in(pipeline, text), "raise the money")
    assert q.speaker == "Ryanair"


def test_bare_police_is_the_police_of_the_place_the_article_named(pipeline):
    text = ('Fort Worth police are looking for the driver who hit a cyclist on Friday night.\n\n'
            'It happened in the 2100 block of Main Street.\n\n'
            'Police said the cyclist was taken to hospital with serious injuries.')
    q = quote_with(quotes_in(pipeline, text), "serious injuries")
    assert q.speaker == "Fort Worth police"


def test_he_never_binds_to_a_name_that_only_modifies_a_noun(pipeline):
    text = ('"Digging up the roads takes months here," said Mr Anil Kapoor, head of networks at Tata.\n\n'
            'Kapoor chose wireless links instead of new cables for the city. Getting permission to dig up a road '
            'in a large Indian city can take many months, and the work itself often disrupts traffic for weeks. '
            'Cables laid under the ground are also easily cut by other builders, which leaves offices without a '
            'connection until the damage is found and fixed. Wireless links avoid both problems, since the '
            'hardware sits on the roofs of office buildings and needs only the consent of the owners. '
            'The Lightpointe laser bridges work over distances of up to 4km and are being used to route both '
            'voice and data. "It is particularly suitable as the rain rate is low," he said.')
    q = quote_with(quotes_in(pipeline, text), "rain rate is low")
    assert "Kapoor" in q.speaker, q.speaker
