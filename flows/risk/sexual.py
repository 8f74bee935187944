"""Sexual boundary violations: forced or happening now (urgent), otherwise concern.

Each pattern runs against the canonical text (flows/risk/normalise.py): lower case, no accents,
single spaces, contractions expanded ("i do not want to"), "." for punctuation.  Both languages'
groups always run (people mix languages).
"""

from __future__ import annotations

from flows.levels import Level
from flows.risk.categories import SEXUAL
from flows.risk.lexicon import Group, rules

C = Level.CONCERN
U = Level.URGENT

# fmt: off
EN: list[Group] = [
    *rules(
        "en", SEXUAL, U,
        r"rap(?:e|ed|es|ing)",
        r"forc\w* (?:me )?(?:to )?(?:<w>){0,2}(?:sex|sexual|touch\w*|suck|oral|undress|naked"
        r"|kiss)",
        r"(?:made|makes|make|making) me have sex",
        r"(?:is|are|keeps) touching me",
        r"sexual(?:ly)? assault\w*",
        r"molest\w*",
    ),
    *rules(
        "en", SEXUAL, C,
        r"touch(?:ed|es|ing)? (?:me|my (?:<w>)?(?:private|privates|butt|ass|chest|breasts?"
        r"|boobs|body|thighs?|crotch|dick|penis|vagina|parts|legs?|junk))",
        r"(?:asked|asks|asking|ask|wants|wanted|begging|begged|begs|pressuring|pressured|tells"
        r"|told) (?:me )?(?:for|to send|to take|to show) (?:him |her |them )?(?:me )?"
        r"(?:some |a |more |any )?(?:nudes?|pics?|pictures?|photos?|selfies|naked|videos?|snaps)",
        r"sen[dt]s? (?:me )?(?:<w>){0,2}(?:nudes?|naked \w+|dick pics?|d pics?|porn\w*)",
        r"(?:pics?|pictures?|photos?|videos?) of (?:his|her|their) (?:privates|dick|junk|body"
        r"|penis|parts|thing|private parts)",
        r"nudes",
        r"(?:made|makes|make|making|wants|wanted|want) me (?:to )?(?:do )?(?:sexual|sex) "
        r"(?:stuff|things|acts|favors)",
        r"sexual (?:stuff|things|favors)",
        r"(?:made|makes|make) me touch (?:him|her|them|his|it)",
        r"(?:showed|shows|show) me (?:his|her) (?:privates|dick|junk|penis|private parts|body)",
        r"(?:showed|shows) me porn",
        r"(?:wants|wanted|tried|trying) to (?:have sex|hook up|sleep|kiss|make out) (?:with )?me",
    ),
]

ES: list[Group] = [
    *rules(
        "es", SEXUAL, U,
        r"me viol\w+", r"violacion",
        r"abus\w* (?:sexualmente|sexual) (?:de mi)?",
        r"me (?:obliga|obligo|obligaron|forzo|forzaron|forza|fuerza) a (?:<w>){0,2}(?:sexo"
        r"|relaciones|tocar\w*|sexual\w*|chupar\w*|desvestirme|besar\w*|mamar\w*)",
        r"(?:tocar\w*|toco|toca|bes\w*|sexo|relaciones|desvest\w*) (?:<w>){0,3}a la fuerza",
        r"me (?:esta|estan) (?:tocando|manoseando)",
    ),
    *rules(
        "es", SEXUAL, C,
        # "me tocó" is also "it was my turn": only when followed by nothing, a body part, etc.
        r"me (?:toco|toca|tocaba|tocaron|tocan|anda tocando|ha tocado)(?= \.|$| y\b| sin\b"
        r"| cuando\b| otra vez| de nuevo| donde| ahi| abajo| inapropiad| (?:mis|el|la|las|los|sus)"
        r" (?:partes|pechos|senos|nalgas|pompas|trasero|pierna|piernas|cuerpo|cola|pene|vagina"
        r"|pecho|intimidad|zonas?))",
        r"me (?:pide|pidio|pidieron|piden|pedia|ha pedido|anda pidiendo|esta pidiendo"
        r"|sigue pidiendo) (?:<w>)?(?:fotos?|videos?|nudes|packs?|el pack|fotitos)",
        r"(?:fotos?|videos?|imagenes) (?:<w>){0,2}(?:desnud\w*|sin ropa|intim\w*|porno\w*)",
        r"me (?:manda|mando|envia|envio|ensena|mostro|muestra|pasa|paso) (?:<w>){0,2}"
        r"(?:fotos?|videos?|imagenes) (?:<w>){0,2}(?:de su (?:pene|cuerpo|verga|parte\w*|cosa"
        r"|miembro))",
        r"(?:cosas|algo|actos) sexual\w*",
        r"me (?:manosea|manoseo|manoseaba|manosean)",
        r"acoso sexual",
        r"me (?:mostro|ensena|enseno) su (?:pene|verga|cosa|miembro|parte\w*)",
        r"(?:me (?:quiso|quiere|intento) besar|besarme)",
    ),
]
# fmt: on
