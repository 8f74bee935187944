"""Asking for help: someone to call, to talk to, to tell; a counsellor, detox, a way out.

The rubric makes any request for help with a risk concern.  A request for help with homework, a
form or a ride is not: the patterns ask for a person to talk to or a call, help for oneself
("i need help", "necesito ayuda"), or help with a named problem (drinking, getting out of a
placement, reporting staff, a restraining order).  "no necesito hablar con nadie" stays none
(negation).

Each pattern runs against the canonical text (flows/risk/normalise.py): lower case, no accents,
single spaces, contractions expanded ("i do not want to"), "." for punctuation.  Both languages'
groups always run (people mix languages).
"""

from __future__ import annotations

from flows.levels import Level
from flows.risk.categories import HELP
from flows.risk.lexicon import Group, rules
from flows.risk.power import POWER_ES

C = Level.CONCERN

_TROUBLE_EN = (
    r"(?:my drinking|drinking|my using|using|drugs|my addiction|staying clean|staying sober"
    r"|what is happening|what happened|my (?:mom|dad|moms|dads|foster|stepdad|boyfriend|girlfriend"
    r"|partner|husband|ex)|getting out|leaving|my placement|a placement|the house|home|at home"
    r"|this|it all|everything|my mental health|depression|anxiety|feeling like this|the way i feel"
    r"|my feelings|these thoughts|my thoughts|self harm|cutting)"
)

# fmt: off
EN: list[Group] = [
    *rules(
        "en", HELP, C,
        r"(?:i )?(?:really |seriously |just |kinda |kind of |think i |think i really )?need"
        r" (?:some |real |serious )?help(?= \.|$|,| please| pls| with (?:my (?:drinking|using"
        r"|mental|head|feelings|addiction)|drinking|drugs|this|everything|it all|getting out"
        r"|leaving|what|staying)| i do not know| figuring| getting| now| asap| rn)",
        r"(?:need|want|have) to (?:talk|speak) to (?:someone|somebody|anyone|a counselor"
        r"|a therapist|my caseworker|my mentor|a staff|staff|a person|you)(?! about (?:my|the)"
        r" (?:schedule|homework|ride|appointment|paperwork|check ?in))",
        r"need (?:someone|somebody|a person) to (?:talk|vent) to",
        # "can u call me tmrw" is scheduling; asking for SOMEONE is asking for help
        r"(?:can|could|would|will) (?:someone|somebody|anyone|my \w+|a staff|staff|my"
        r" caseworker|my mentor) (?:<w>){0,3}(?:please )?(?:call|check on|check in on|talk to"
        r"|come see|reach out to) me",
        r"(?:please|pls|plz) (?:can )?(?:someone|somebody|anyone|you) (?:call|help|check on) me",
        r"(?:please|pls|plz) call me",
        r"can (?:i|we) (?:talk|speak) (?:to|with) (?:someone|somebody|anyone|a counselor|the psych"
        r"|a therapist|a staff) (?:<w>){0,2}(?:today|now|tonight|asap|please|things|about|\.|$)",
        r"can i (?:see|talk to|get) (?:the|a) (?:psych|psychiatrist|psychologist|counselor"
        r"|therapist|doctor about my)",
        r"(?:who|where) (?:do|can|should) i (?:tell|talk to|call|go to|report|turn to|ask) (?:<w>)?"
        r"(?:if|when|for help|about (?:what|this|it|him|her|someone|somebody|abuse|staff|a staff"
        r"|my (?:mentor|foster|mom|dad|caseworker|roommate|cellie|boyfriend|girlfriend|uncle"
        r"|stepdad|coach)))",
        r"(?:who|where) (?:do|can|should) i (?:talk to|turn to|go)(?= \.|$|\?)",
        r"who (?:else )?(?:can|could|will) help me",
        r"(?:do not|did not) know who (?:else )?to (?:ask|talk to|turn to|tell|call|go to)",
        r"how (?:do|can|would) i (?:report (?:staff|my|a staff|the|abuse|him|her)|get (?:into|a"
        r" spot in|in) (?:a )?(?:detox|rehab|treatment|program for)|get (?:a )?restraining order"
        r"|get (?:a )?protective order|get out of (?:my|this|the) (?:placement|house|home"
        r"|relationship|gang|situation)|get help|get away from|stop (?:drinking|using|cutting))",
        r"(?:is there|does the program have|do you have|are there) (?:any |a |an )?(?:kind of )?"
        r"(?:counseling|counselor|therapist|therapy|support group|someone|anyone|somebody"
        r"|psych|psychologist|help|resources) (?:<w>){0,4}(?:for|who|through|with|that|i can"
        r"|to talk)",
        r"(?:anyone|anybody|someone|somebody) (?:<w>)?(?:who|that) can help (?:me )?with"
        r" (?:that|this|it|my)",
        r"help me (?:get out|get away|leave|stop|figure out where|find a (?:place|shelter))",
        r"(?:someone|somebody) (?:please )?tell me what to do",
        r"what (?:do|should) i do(?= \.|$|\?)",
        r"(?:could|can|would) (?:someone|somebody|you) check on me",
        r"(?:want|need) to stop (?:drinking|using|smoking|cutting) (?:<w>){0,4}(?:help|can not"
        r" alone|before)",
        r"(?:help|helping) (?:<w>)?with " + _TROUBLE_EN + r"(?= \.|$|\?| please| pls)",
        r"(?:struggling|not doing (?:well|good|ok|okay)|having a (?:really )?(?:rough|hard|bad)"
        r" time)(?= \.|$| rn| right now| lately)",
        r"(?:i am|im) struggling",
    ),
    *rules(
        "en", HELP, C,
        r"(?:need|want|would like|like|have|got|think i should) to (?:see|talk to|speak to|speak"
        r" with|talk with|meet with) (?:someone|somebody|a counselor|a therapist|a psych|a"
        r" professional|a doctor about (?:my|how|this)) (?:<w>){0,3}(?:about (?:how|my|what|this"
        r"|it|something|a|the way|why)|privately|who|because|\.|$)",
        r"how (?:do|can|would|should) i (?:ask for|get) (?:<w>)?help",
        r"how (?:do|can|would|should) i (?:get|help) (?:him|her|them|my (?:friend|cellie|roommate"
        r"|sister|brother|cousin|bunkie)) (?:<w>)?(?:help|to stop|to talk)",
        r"(?:friend|cellie|roommate|bunkie|sister|brother|cousin|girl|boy|homie) (?:<w>){0,4}(?:is"
        r" |keeps )?(?:cutting|suicidal|wants to die|saying (?:he|she) wants to die|talking about"
        r" (?:dying|killing)|hurting (?:himself|herself|themself)|overdos\w*)",
        r"(?:is there|are there|know of) (?:<w>)?(?:somewhere|someplace|a place|anywhere|a shelter)"
        r" (?:safe )?(?:<w>)?(?:i can|to|for me to|where i can) (?:stay|go|sleep|crash)",
        r"(?:where|somewhere|anywhere|someplace) (?:<w>){0,3}(?:i can|can i|do i|to) (?:go|stay"
        r"|sleep|crash) (?:<w>){0,3}(?:if i can not|if i cant|tonight|safe|if (?:he|she|they))",
        r"(?:connect|refer|put|hook) me (?:up )?(?:to|with) (?:someone|somebody|a counselor|a"
        r" therapist|help|resources|a program|a shelter|a psych|treatment)",
        r"(?:who|where) (?:do|can|should) i (?:talk to|go|tell|report) (?:about|if) (?:something"
        r"|what|stuff|a staff|staff|my mentor|a mentor|an adult|a co|a guard)",
    ),
    *rules(
        "en", HELP, C,
        r"help me (?:find|get|see|talk to|reach|contact|get into) (?:a |an |some "
        r"|into )?(?:counselor"
        r"|therapist|therapy|psych\w*|shelter|program|rehab|detox|treatment|place to stay|lawyer"
        r"|advocate|doctor|new placement|safe place)",
        r"(?:need|want|have|got|would like) to (?:report|tell (?:someone|somebody|staff|you) about)"
        r" (?:something|what|my|a|the|him|her|this|staff|abuse|someone|somebody)",
        r"(?:not|never|no longer) (?:<w>)?(?:comfortable|safe) (?:with|around|near) (?:my (?:mentor"
        r"|caseworker|foster \w+|counselor|staff|coach|sponsor)|him|her|mine|them|that staff)",
        r"(?:get|change|switch|need|want) (?:a new|another|a different) (?:mentor|caseworker"
        r"|placement|counselor|roommate|cellie) (?:<w>){0,5}(?:not comfortable|uncomfortable"
        r"|scared|afraid|weird|creepy|because of what|after what)",
    ),
    *rules(
        "en", HELP, C,
        r"(?:can|could) i (?:get|be) (?:moved|transferred|switched|placed) (?:<w>){0,3}(?:different"
        r"|another|new|other) (?:unit|room|cell|placement|home|house|dorm|mentor|tier|pod)",
        r"(?:number|call|text|reach) (?:for |to )?(?:the )?(?:crisis line|crisis hotline|hotline"
        r"|helpline|988|suicide hotline|a crisis counselor)",
        r"(?:want|would like|need|think i (?:should|need to)|how (?:do|can) i|where (?:do|can) i)"
        r" (?:to )?(?:start|get|try|begin|sign up for|find) (?:<w>)?(?:therapy|counseling|a"
        r" therapist|a counselor|treatment|rehab|detox)",
    ),
]

ES: list[Group] = [
    *rules(
        "es", HELP, C,
        r"(?:necesito|ocupo|quiero|me urge|urge|pido|quisiera|quiero pedir|te queria pedir|vengo a"
        r" pedir) (?:<w>)?(?:ayuda|que me ayuden|que alguien me (?:ayude|escuche|llame|hable))"
        r"(?! (?:con|en|para|pa) (?:la|el|mi|los|las|una|un|mis) (?:tarea|proyecto|examen"
        r"|ensayo|mudanza|curriculum|cv|papeles|solicitud|formulario|ingles|mate\w*|clase"
        r"|computadora|compu|celular|cel))",
        r"(?:alguien|algun\w*|alguna persona|ustedes|usted|tu|mi mentor\w*) (?:<w>){0,3}(?:me )?"
        r"(?:puede|pueden|podria|podrian|puedes) (?:llamar|marcar|hablar|llamarme|marcarme"
        r"|hablarme)",
        r"(?:necesito|ocupo|quiero|me urge|urge|quisiera) (?:<w>)?(?:hablar|platicar) (?:con"
        r" (?:alguien|mi mentor\w*|la psicologa|el psicologo|un psicologo|una psicologa|alguien del"
        r" programa|usted|ustedes|la trabajadora|el trabajador)|(?:\.|$|,)|urgente)",
        r"(?:necesito|ocupo) (?:<w>)?(?:hablar|platicar)(?= \.|$|,| por favor| porfa| urgente| ya"
        r"| hoy)",
        r"(?:llamame|marcame|hablame|llamenme|marquenme|escribeme) (?:<w>)?(?:porfa|por favor"
        r"|urgente|ya|ahorita|lo antes posible|cuanto antes)",
        r"(?:porfa|por favor|plis|please) (?:<w>)?(?:llamame|marcame|hablame|llamenme|ayudame"
        r"|ayudenme)",
        r"(?:ayudame|ayudenme|me ayudas|me ayudan|me puedes ayudar|me pueden ayudar|me puede"
        r" ayudar|me puedes orientar|me pueden orientar|me orientas)(?! (?:con|a) (?:la tarea|mi"
        r" tarea|el proyecto|la mudanza|los papeles))",
        r"^(?:ayuda|auxilio)\b",
        r"(?:hay|habra|tienen) (?:<w>)?(?:alguien|algun numero|algun lugar|alguna persona|un"
        r" psicologo|una psicologa) (?:<w>){0,3}(?:con quien|al que|a quien|donde|que me)",
        r"(?:alguien|alguna persona) con quien (?:pueda )?hablar",
        r"(?:alguien|alguna persona) (?:que|q) me (?:escuche|ayude|oriente)",
        r"(?:una )?cita con (?:un|una|el|la) (?:psicolog[oa]|psiquiatra|terapeuta|consejer[oa])",
        r"(?:pueden|puede|puedes) hablar con (?:la escuela|el centro|la directora|el director"
        r"|mi mama|mi papa|el staff)",
        r"no (?:se|puedo) (?:<w>)?(?:que hacer|como salir|salir de esto|solo|sola)(?= \.|$|,| con"
        r"| me| ya)",
        r"(?:quiero|necesito) (?:dejar|salir) (?:<w>){0,4}(?:pero no puedo|me ayudan|sol[oa]"
        r"|ayuda)",
        r"(?:no me siento bien|estoy mal|toy mal|ando mal|no estoy bien) (?:<w>){0,3}(?:necesito"
        r"|llamame|ayuda|hablar)",
        r"(?:necesito|ocupo|me urge) (?:<w>){0,3}(?:\.|,)? (?:<w>)?(?:estoy|toy|ando) (?:<w>)?mal",
    ),
    *rules(
        "es", HELP, C,
        # first person: "hablamos de como pedir ayuda" (a group topic) is not asking
        r"(?:como|donde|a quien|con quien|ante quien) (?:<w>)?(?:puedo|podria|le hago para|hago"
        r" para|tengo que|debo|se puede) (?:<w>)?(?:denunciar|reportar|acusar|quejarme|poner una"
        r" queja|pedir ayuda|conseguir (?:terapia|ayuda|un psicologo|una psicologa|un lugar)"
        r"|hablar de (?:algo|lo que))",
        r"(?:como|donde|a quien|ante quien) (?:<w>)?(?:denuncio|reporto|acuso|me quejo)",
        r"con quien (?:puedo|podria|pudiera) hablar",
        r"(?:como|donde) (?:le hago|hago|puedo) (?:para )?(?:denunciar|reportar|salir de (?:ahi"
        r"|esa casa|esto)|pedir ayuda|conseguir terapia|irme de)",
        r"(?:hay|conocen|sabes de) (?:<w>)?(?:algun|un) (?:lugar|albergue|refugio) (?:<w>){0,3}"
        r"(?:segur[oa]|donde (?:pueda|me pueda) quedar|para quedarme)",
    ),
    *rules(
        "es", HELP, C,
        r"(?:necesito|quiero|tengo que|ocupo|quisiera) (?:reportar|denunciar|contar|acusar)"
        r" (?:algo|lo que|a mi|al|a la|a un|a una|que)",
        r"(?:me )?(?:puedes|pueden|podrian|podrias|puede) ayudar a (?:encontrar|conseguir|buscar)"
        r" (?:un|una) (?:psicolog[oa]|terapeuta|consejer[oa]|albergue|refugio|lugar|abogad[oa]"
        r"|centro|programa)",
        r"no me siento (?:<w>)?(?:comod[oa]|segur[oa]) con (?:mi|el|ella|la|ese|esa)",
        r"(?:cambiar|cambio|cambie|cambien) (?:de|a mi|mi) (?:mentor|mentora|trabajador|trabajadora"
        r"|companero de celda|cuarto) (?:<w>){0,5}(?:no me siento|me da miedo|incomod|raro|por lo"
        r" que)",
    ),
    *rules(
        "es", HELP, C,
        # "no me siento comodo" about a mentor or staff: asking to be moved
        r"no me siento (?:<w>)?(?:comod[oa]|a gusto|agusto)",
        needs=POWER_ES,
    ),
    *rules(
        "es", HELP, C,
        r"(?:quiero|quisiera|me gustaria|necesito|ocupo) (?:empezar |ir a |ir al |ir con |tener )?"
        r"(?:terapia|psicolog[oa]|un psicolog[oa]|una psicolog[oa]|el psicologo|la psicologa"
        r"|consejeria|tratamiento|rehabilitacion)",
        r"(?:me pueden|pueden|puedo) (?:cambiar|mover) (?:<w>){0,2}(?:de|a otro|a otra) (?:cuarto"
        r"|celda|modulo|casa|mentor|mentora|dormitorio|hogar)",
    ),
]
# fmt: on
