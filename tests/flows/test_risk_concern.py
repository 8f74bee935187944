"""Concern-level screening: every concern row of the rubric (shared/risk-rubric.md), in English
and Spanish, and the ordinary texts next to each row that must stay none.

The texts here are written for these tests, not taken from bench/risk_data/."""

from __future__ import annotations

import pytest

from flows.levels import Level
from flows.risk import CATEGORY_LEVELS, assess


def _check(text: str, category: str, language: str) -> None:
    result = assess(text, language)
    assert result.level >= Level.CONCERN, (text, result)
    assert category in result.categories, (text, result)
    for snippet in result.evidence:  # evidence stays a verbatim slice of the text
        assert snippet in text


def test_issue_examples() -> None:
    """The concern examples of issue 19's first paragraph."""
    threat = assess("he said if i tell anyone he'll hurt my little sister")
    assert threat.level >= Level.CONCERN, threat  # a threat used to keep a secret
    assert assess("honestly i cant stand myself").level is Level.CONCERN
    assert assess("everything feels pointless and empty lately").level is Level.CONCERN


def test_new_categories_are_concern() -> None:
    for category in ("bullying", "past_attempt", "asking_for_help", "not_eating_sleeping"):
        assert CATEGORY_LEVELS[category] is Level.CONCERN


@pytest.mark.parametrize(
    ("text", "category", "language"),
    [
        # feeling unsafe, followed, threatened in the past days
        ("im scared to go out to the yard", "feeling_unsafe", "en"),
        ("some dude has been following me after work all week", "feeling_unsafe", "en"),
        ("a guy on the block said im gonna get it next time he sees me", "feeling_unsafe", "en"),
        ("me da miedo salir al patio", "feeling_unsafe", "es"),
        ("un tipo me anda siguiendo desde la parada del camion", "feeling_unsafe", "es"),
        # someone else afraid of a person (a mentor writing about his mentee)
        ("my mentee seems scared of someone on the unit", "feeling_unsafe", "en"),
        ("shes afraid of him, she wont say why", "feeling_unsafe", "en"),
        ("he looks terrified of one of the officers", "feeling_unsafe", "en"),
        ("a guy on the unit scares her", "feeling_unsafe", "en"),
        ("mi mentee tiene miedo de alguien en la unidad", "feeling_unsafe", "es"),
        ("ella le tiene miedo a su padrastro, no dice por que", "feeling_unsafe", "es"),
        ("anda asustado por un tipo del modulo", "feeling_unsafe", "es"),
        ("su companero de celda la tiene asustada", "feeling_unsafe", "es"),
        # coercion: a demand, a person in power, a lever or a secret
        ("my mentor keeps asking me to lend him my bank card", "coercion_exploitation", "en"),
        ("the CO said if i dont bring him smokes hell put me in the hole",
         "coercion_exploitation", "en"),
        ("she told me not to mention our meetings to my caseworker",
         "coercion_exploitation", "en"),
        ("staff said theyll take away my home pass if i report what i saw",
         "coercion_exploitation", "en"),
        ("mi mentor me pidio que le prestara mi tarjeta del banco",
         "coercion_exploitation", "es"),
        ("la educadora me dijo que no le cuente a la psicologa lo que hablamos",
         "coercion_exploitation", "es"),
        ("mi novio me obliga a darle todo mi sueldo", "coercion_exploitation", "es"),
        # sexual boundaries
        ("the counselor keeps texting me at 1am asking if im alone", "sexual_boundary", "en"),
        ("she keeps grabbing my butt in the hallway", "sexual_boundary", "en"),
        ("el maestro me manda mensajes en la madrugada", "sexual_boundary", "es"),
        # abuse at home, past with ongoing effects
        ("my stepdad slapped me again last night", "abuse_at_home", "en"),
        ("my dad choked me last year and now hes back home", "abuse_at_home", "en"),
        ("mi padrastro me volvio a cachetear anoche", "abuse_at_home", "es"),
        ("mi tia no me da de comer cuando se enoja", "abuse_at_home", "es"),
        # bullying
        ("they always make fun of my shoes and push me into the lockers", "bullying", "en"),
        ("en la escuela me hacen burla por mi ropa y me empujan", "bullying", "es"),
        ("me robaron los tenis y todos se burlaron", "bullying", "es"),
        # substance use to cope, near-relapse
        ("i've been smoking weed every morning just to deal", "substance_relapse", "en"),
        ("i almost bought a bottle tonight after 8 months sober", "substance_relapse", "en"),
        ("fumo mota todos los dias para no pensar en nada", "substance_relapse", "es"),
        # persistent despair
        ("i feel like a total waste of space", "hopelessness", "en"),
        ("me siento una carga para mi familia", "hopelessness", "es"),
        ("no me soporto", "hopelessness", "es"),
        # not eating, not sleeping, panic attacks
        ("haven't eaten anything real in 3 days", "not_eating_sleeping", "en"),
        ("i keep having panic attacks at night", "not_eating_sleeping", "en"),
        ("llevo tres dias sin comer", "not_eating_sleeping", "es"),
        ("me dan ataques de panico cada noche", "not_eating_sleeping", "es"),
        # a past attempt
        ("i attempted when i was 13 but im ok now", "past_attempt", "en"),
        ("intente matarme cuando tenia 13 pero ya estoy bien", "past_attempt", "es"),
        # asking for help
        ("can someone from the program call me tonight", "asking_for_help", "en"),
        ("alguien del programa me puede llamar hoy?", "asking_for_help", "es"),
        ("necesito hablar con alguien sobre mi tio", "asking_for_help", "es"),
    ],
)
def test_concern_rows(text: str, category: str, language: str) -> None:
    _check(text, category, language)


@pytest.mark.parametrize(
    "text",
    [
        # money, errands, school, pets, jokes, one short night: ordinary life
        "i owe my sister $20 for pizza lol",
        "le debo 20 pesos a mi hermana",
        "the staff asked me to carry the chairs to the gym",
        "my mentor asked me to bring my report card",
        "me pidieron que lleve el pastel a la fiesta",
        "got written up for being late to class",
        "i took my meds this morning",
        "can you help me with my homework",
        "necesito ayuda con la tarea de mate",
        "who do i call about the bus schedule",
        "can u call me tmrw",
        "my dog is scared of thunder",
        # someone else afraid of a thing, not a person
        "my mentee is scared of spiders",
        "she is afraid of the dark",
        "he seems scared of the test",
        "the test scares him",
        "mi mentee le tiene miedo a las aranas",
        "tiene miedo al examen",
        "anda asustada por la entrevista",
        "le da miedo el examen",
        "everybody laughed at my joke",
        "cant sleep bc im excited for the trip tomorrow",
        "got like 4 hours of sleep last night studying",
        "my mom took my phone because of my grades",
        "ayer no dormi porque vi una serie hasta tarde",
        "diabetes stuff, my sugar was high today",
        "me molesta que mi hermano use mi ropa",
        # negated
        "nobody is asking me for money",
        "nadie me pide dinero",
        "no he tenido ataques de panico esta semana",
        "i dont hate myself anymore",
        "no one has asked me for favors",
        "no me siento sola, tengo a mis amigas",
        "shes not afraid of him anymore",
        "ya no le tiene miedo a nadie",
    ],
)
def test_ordinary_and_negated_stay_none(text: str) -> None:
    for language in ("en", "es"):
        assert assess(text, language).level is Level.NONE, (text, assess(text, language))


# Concept x frame wordings (issue 19): each family's CONCEPT (a substance, a body part, a person
# in power, a state of despair) in a FRAME (habit, coping, unwanted, favour, persistence), with
# texting spellings and Spanish without accents.  Written for this test, not taken from the data.
@pytest.mark.parametrize(
    ("text", "category", "language"),
    [
        # substance: habit, coping, loss of control, craving, near-relapse
        ("been sippin lean every night this week", "substance_relapse", "en"),
        ("i smoke a blunt before group so i dont lose it", "substance_relapse", "en"),
        ("got some pills off my cellie just to get thru count", "substance_relapse", "en"),
        ("the cravings are hitting hard today", "substance_relapse", "en"),
        ("90 days clean but i copped a bottle tonight", "substance_relapse", "en"),
        ("i only feel normal when im high", "substance_relapse", "en"),
        ("my drinking is getting out of hand", "substance_relapse", "en"),
        ("weed is the only way i can sleep, i cant put it down", "substance_relapse", "en"),
        ("fumo mota a escondidas todas las noches", "substance_relapse", "es"),
        ("ya no puedo dejar el alcohol", "substance_relapse", "es"),
        ("llevo tres meses limpio pero hoy compre una botella", "substance_relapse", "es"),
        ("tome demasiado anoche otra vez", "substance_relapse", "es"),
        # sexual boundaries: a touch on the body, unwanted closeness, favours, pictures, watching
        ("the night guard keeps brushing against my chest when he passes", "sexual_boundary", "en"),
        ("my coach hugs me way too long and it feels weird", "sexual_boundary", "en"),
        ("staff said i could get extra phone time if i was nice to him", "sexual_boundary", "en"),
        ("a guy offered me $50 to take pics of me in my bra", "sexual_boundary", "en"),
        ("got sent a pic i never asked for from my caseworker", "sexual_boundary", "en"),
        ("the youth pastor asks about my sex life", "sexual_boundary", "en"),
        ("my foster uncle comes in my room when im changing", "sexual_boundary", "en"),
        ("el de mantenimiento me agarra la cintura cada que paso", "sexual_boundary", "es"),
        ("el profe me pregunta si ya tuve relaciones", "sexual_boundary", "es"),
        ("el oficial se asoma cuando me bano", "sexual_boundary", "es"),
        ("me manda fotos que yo no pedi", "sexual_boundary", "es"),
        ("el guardia me dice mamacita", "sexual_boundary", "es"),
        # abuse: who x what x how; starved; a temper at home
        ("my foster mom burned me with a lighter once", "abuse_at_home", "en"),
        ("my stepdad grabbed me by the throat last month", "abuse_at_home", "en"),
        ("they padlock the fridge and i only get to eat if my chores are done", "abuse_at_home",
         "en"),
        ("when he gets drunk he takes it out on me and my brothers", "abuse_at_home", "en"),
        ("el custodio nos dio con la macana por no formarnos", "abuse_at_home", "es"),
        ("mi papa me agarro del cuello anoche", "abuse_at_home", "es"),
        ("cuando mi padrastro toma nos saca a la calle", "abuse_at_home", "es"),
        ("mi esposo me quito los papeles y no me deja salir", "abuse_at_home", "es"),
        # despair: a first-person feeling of a despairing state; hope frames whose negation counts
        ("i just feel like trash lately", "hopelessness", "en"),
        ("dont see it ever getting better for me", "hopelessness", "en"),
        ("ive stopped believing anything will change", "hopelessness", "en"),
        ("nobody visits, nobody writes", "hopelessness", "en"),
        ("sad all the time for months now", "hopelessness", "en"),
        ("me siento como basura", "hopelessness", "es"),
        ("no le encuentro sentido a nada", "hopelessness", "es"),
        ("todo me pesa y cada dia estoy peor", "hopelessness", "es"),
        ("no tengo a nadie en este pais", "hopelessness", "es"),
        # not eating or sleeping: amount x persistence
        ("nightmares every night so i stopped sleeping", "not_eating_sleeping", "en"),
        ("i been eating once a day for a week", "not_eating_sleeping", "en"),
        ("i hide my food so staff wont see i dont eat", "not_eating_sleeping", "en"),
        ("hace una semana que no pego el ojo", "not_eating_sleeping", "es"),
        ("llevo dias comiendo una vez al dia", "not_eating_sleeping", "es"),
        ("duermo muy poco desde el traslado", "not_eating_sleeping", "es"),
        # feeling unsafe, bullying, coercion, asking for help in other words
        ("getting threatening voicemails from my ex's new man", "feeling_unsafe", "en"),
        ("my ex keeps driving past my house", "feeling_unsafe", "en"),
        ("mi ex pasa por mi casa todo el tiempo", "feeling_unsafe", "es"),
        ("me estan llamando de un numero privado y nomas respiran", "feeling_unsafe", "es"),
        ("they mimic the way i talk every day", "bullying", "en"),
        ("the kids at the home take food off my tray", "bullying", "en"),
        ("se burlan de como hablo en el salon", "bullying", "es"),
        ("the house mom makes us clean her own apartment or we lose phone time",
         "coercion_exploitation", "en"),
        ("he reminds me he's the one who writes my progress report", "coercion_exploitation",
         "en"),
        ("me cobran cuota por la litera", "coercion_exploitation", "es"),
        ("i think i need to see somebody about how down i been", "asking_for_help", "en"),
        ("como puedo denunciar a un custodio", "asking_for_help", "es"),
        # second round: wider verbs and the other way round
        ("drank a whole fifth by myself last night", "substance_relapse", "en"),
        ("what gets me thru the day is a couple shots", "substance_relapse", "en"),
        ("i used yesterday, first time in 8 months", "substance_relapse", "en"),
        ("ando bien pacheco todo el dia", "substance_relapse", "es"),
        ("me estoy tomando una botella al dia", "substance_relapse", "es"),
        ("im just existing, not living", "hopelessness", "en"),
        ("i let everyone down, always do", "hopelessness", "en"),
        ("im so done. with everything", "hopelessness", "en"),
        ("todo lo hago mal, no valgo la pena", "hopelessness", "es"),
        ("ya nada me hace feliz", "hopelessness", "es"),
        ("he said i have to give him a hug if i want my pass signed", "sexual_boundary", "en"),
        ("a staff keeps asking what im wearing", "sexual_boundary", "en"),
        ("el staff me dijo que si me dejaba tocar me daba permiso", "sexual_boundary", "es"),
        ("got slapped in the face by my foster mom", "abuse_at_home", "en"),
        ("my girlfriend scratched me and broke my phone", "abuse_at_home", "en"),
        ("i need to report something that happened with my mentor", "asking_for_help", "en"),
        ("necesito reportar algo que paso con el staff", "asking_for_help", "es"),
        ("my mentor wants me to keep our snaps a secret", "coercion_exploitation", "en"),
        ("it's been 4 years since i tried", "past_attempt", "en"),
        ("i od'd on purpose back in high school", "past_attempt", "en"),
        ("ya lo intente dos veces, pero ya no pienso en eso", "past_attempt", "es"),
        ("estuve internada por intentar quitarme la vida", "past_attempt", "es"),
        ("they made a fake account pretending to be me", "bullying", "en"),
        ("nadie se quiere juntar conmigo y se burlan cuando paso", "bullying", "es"),
        ("my boyfriend takes my paychecks", "coercion_exploitation", "en"),
        ("im being pushed to join a gang", "coercion_exploitation", "en"),
        ("a gang member has been asking about me", "feeling_unsafe", "en"),
        ("sleep is trash, up till 4 every night", "not_eating_sleeping", "en"),
        ("i've lost like 15 pounds since i got here cause i dont eat", "not_eating_sleeping",
         "en"),
        ("he bajado mucho de peso porque no como", "not_eating_sleeping", "es"),
        ("my foster mom makes me kneel on rice", "abuse_at_home", "en"),
        ("my mom threw a shoe at me lol", "abuse_at_home", "en"),
        ("mi padrastro le pega a mi mama y a mi tambien", "abuse_at_home", "es"),
        ("anoche mi mama me avento el control y me abrio la ceja", "abuse_at_home", "es"),
        ("ive been taking extra of my anxiety meds to feel numb", "substance_relapse", "en"),
        ("47 days sober and i drove past my old dealers house", "substance_relapse", "en"),
        ("me tome unas pastillas de mas para no sentir nada", "substance_relapse", "es"),
        ("ive been starving myself so i can be skinny", "not_eating_sleeping", "en"),
        ("staff keeps walking in on me in the shower", "sexual_boundary", "en"),
        ("he says our relationship is special and people wouldnt understand", "sexual_boundary",
         "en"),
        ("el profe dice que soy su favorita", "sexual_boundary", "es"),
        ("my aunt pulled my hair and dragged me to my room", "abuse_at_home", "en"),
        ("ella me pega con lo que encuentra", "abuse_at_home", "es"),
        ("whats the number for the crisis line", "asking_for_help", "en"),
        ("quiero empezar terapia", "asking_for_help", "es"),
        ("the mentor kissed me on the lips when we were alone", "sexual_boundary", "en"),
        ("some dude on the bus rubbed himself against me", "sexual_boundary", "en"),
        ("he sent me something really inappropriate last night", "sexual_boundary", "en"),
        ("staff made a pass at me in the laundry room", "sexual_boundary", "en"),
        ("el de seguridad me tiro los perros", "sexual_boundary", "es"),
        ("me pidio que le mandara un video bailando en ropa interior", "sexual_boundary", "es"),
        ("mi jefe me dijo que si salia con el me daba mas horas", "sexual_boundary", "es"),
        ("toy harta d q mi papa me grite y me pegue x todo", "abuse_at_home", "es"),
        ("mi novio me aventaba contra la pared", "abuse_at_home", "es"),
        ("mi papa esta en la carcel por pegarle a mi mama y ya va a salir", "abuse_at_home", "es"),
        ("nadie me pela", "hopelessness", "es"),
        ("el oficial me dijo que si no le traigo cigarros me va a mandar al apando",
         "coercion_exploitation", "es"),
        ("me estan obligando a vender en la escuela", "coercion_exploitation", "es"),
        ("un vato me dijo que me iba a levantar", "feeling_unsafe", "es"),
        # a state word as the whole reply
        ("numb", "hopelessness", "en"),
        ("worthless.", "hopelessness", "en"),
        ("so alone lol", "hopelessness", "en"),
        ("nobody cares", "hopelessness", "en"),
        ("vacia", "hopelessness", "es"),
        ("ya no puedo", "hopelessness", "es"),
        ("no como", "not_eating_sleeping", "es"),
        ("i been geeked all week", "substance_relapse", "en"),
        ("ive been trading my commissary for pills", "substance_relapse", "en"),
        ("someone brought in strips and ive been doing them", "substance_relapse", "en"),
        ("estoy cambiando mi comida por pastillas", "substance_relapse", "es"),
        ("me echo un toque cada que me acuerdo de mi jefa", "substance_relapse", "es"),
        ("my mentee seems scared of someone on the unit", "feeling_unsafe", "en"),
    ],
)
def test_concept_frame_wordings(text: str, category: str, language: str) -> None:
    _check(text, category, language)


@pytest.mark.parametrize(
    "text",
    [
        # the same concepts outside the frame: everyday life, games, illness, family, recovery
        "my brother keeps taking my charger",
        "had a beer at the bbq with my uncle",
        "can't sleep before my court date",
        "no puedo dormir por los nervios del examen",
        "i didnt eat breakfast today, wasnt hungry",
        "no he comido porque estoy en ayuno",
        "my dad beat me at chess again",
        "my sister locks me out of the bathroom every morning lol",
        "i feel like garbage, caught a cold",
        "im so over this class, its pointless",
        "ya no aguanto el calor",
        "my dog keeps rubbing against my legs",
        "my mom asked about my boyfriend lol",
        "mi mama me dice mi amor",
        "90 days clean today and my sponsor is proud of me",
        "fallecio mi padrino y me dio mucha tristeza",
        "i have zero interest in using again",
        "me quitaron el cel en la escuela, manana va mi tutora por el",
        "mis hijos se rien de mi porque me dormi en el sillon",
        "en el grupo hablamos de como pedir ayuda",
        "no me pasa nada malo, solo estoy leyendo",
        # negated
        "no one touched me, everything is fine",
        "no me siento vacio, al contrario",
        "dont worry im not in a bad place at all",
        "nobody is pressuring me",
        # second round
        "i bought a coke and chips at the store",
        "my doctor put me on xanax and i take it as prescribed",
        "the nurse gives me my suboxone every morning and im doing good",
        "my uncle is a recovering addict, he has 10 years sober",
        "watched a documentary about meth addiction",
        "there's a hole in my heart since grandma passed",
        "siento un vacio desde que murio mi abuela",
        "camine 10 km, ya me canse",
        "soy un fracaso en la cocina jaja",
        "i'm done with people at work today lol",
        "my dog died last month and the house feels empty",
        "i stayed up all night gaming with my boys",
        "this heat is unbearable, can't sleep with no AC",
        "i'm starving, haven't eaten since breakfast",
        "mis amigos se burlan de mi equipo porque perdio jaja",
        "mi mama me dice mi amor",
        "the last time i tried sushi i hated it",
        "ya lo intente dos veces y no me sale el pastel",
        "my little brother wont leave me alone when i play games",
        "there is no way out of this traffic",
        "my mom takes my paycheck to pay rent and gives me spending money",
        "i lost 10 pounds since i started going to the gym",
        "my brother threw the ball at me and it hit my head lol",
        "mi hermano me avento la pelota jugando",
        "se me quito el hambre con las papitas",
        "i skipped lunch again today, too busy at work",
        "my coach grabbed me by the arm so i would not fall",
        "my friends roast me all the time but its all love",
        "i feel empty after finals week lol, brain is fried",
        "my baby kept me up all night teething",
        "my grandma keeps asking me if i have a girlfriend lol",
        "the nurse touched my chest with the stethoscope, said my lungs sound fine",
        "no im not starving myself, i just ate a huge plate",
        "i was so tired i cant remember how i got home from the game lol",
        "my little brother walked in on me while i was in the bathroom lol",
        "i tested positive for covid, staying home",
        "its hard to say no to my little sister",
        "my grandma takes extra care of me",
        "my grandpa kissed me goodnight",
        "my boyfriend kissed me at the movies",
        "the officer hit on the brakes hard",
        "mi mama me dijo que me veo bien con el pelo corto",
        "el profe dijo que si no entrego me va a bajar puntos",
        "so tired",
        "empty stomach lol",
        "the fridge is empty",
        "nobody cares about the game",
        "im not worthless",
        "no como carne",
        "the party was lit all night",
        "im craving pizza so bad",
        "i got these pills from my doctor",
    ],
)
def test_concept_neighbours_stay_none(text: str) -> None:
    for language in ("en", "es"):
        assert assess(text, language).level is Level.NONE, (text, assess(text, language))
