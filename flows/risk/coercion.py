"""Coercion, pressure, manipulation and exploitation, above all inside the program.

Each pattern runs against the canonical text (flows/risk/normalise.py): lower case, no accents,
single spaces, contractions expanded ("i do not want to"), "." for punctuation.  Both languages'
groups always run (people mix languages).
"""

from __future__ import annotations

from flows.levels import Level
from flows.risk.categories import COERCION
from flows.risk.lexicon import Group, rules

C = Level.CONCERN

# fmt: off
EN: list[Group] = [
    *rules(
        "en", COERCION, C,
        # money, commissary
        r"(?:asks|asked|asking|ask|begging|begs|wants|wanted|demands|demanded|takes|took|taking"
        r"|borrows|borrowed) (?:me )?(?:for |to (?:borrow|give|lend)(?: him| her)? )?"
        r"(?:some |my |his |her |more )?(?:money|cash|commissary|canteen|bucks)",
        r"(?:give|giving|gave|pay|paying|paid) (?:him|her|them|my mentor|the mentor) "
        r"(?:<w>){0,2}(?:money|cash|commissary|canteen|back)",
        r"pay (?:him|her|them) back",
        r"i owe (?:him|her|them|my mentor)",
        r"owe (?:him|her|them) (?:money|favors?|something)",
        # secrets
        r"keep (?:<w>){0,2}secrets?", r"our (?:little )?secret", r"(?:between|just between) us",
        r"(?:told|tells|telling|asked|asks|asking|wants|wanted|said|says|warned|made) (?:me )?"
        r"(?:not|never) (?:to )?tell",
        # favours, holding and carrying things
        r"favou?rs", r"(?:do|doing|did) (?:him|her|them) (?:<w>)?favou?rs?",
        r"me to (?:hold|carry|hide|stash|sneak|smuggle|hold onto)",
        r"me to (?:bring|move|pass|deliver|take) (?:<w>){0,2}(?:in|inside|for (?:him|her|them))",
        r"(?:hold|holding|carry|carrying|hide|hiding|stash|stashing|sneak|sneaking|smuggle"
        r"|smuggling) (?:<w>){0,3}for (?:him|her|them|my mentor)",
        # threats to get them in trouble
        r"(?:write|writes|writing|wrote|written) (?:me )?up",
        r"(?:send|sending|sent|get|getting) me (?:sent )?back",
        r"(?:get|getting) sent back",
        r"(?:report|snitch on|rat on|tell on) me",
        r"threaten\w* (?:me )?(?:to|with) (?:report\w*|write\w*|tell\w*|snitch\w*|send\w*)",
        r"get me (?:in trouble|violated|locked up|kicked out)",
        # pressure
        r"pressur(?:e|es|ed|ing) (?:me|into)",
        r"(?:feel|felt|feeling|am|being|was|get|got|been) (?:<w>)?pressured",
        r"(?:make|makes|made|making|force|forces|forced|forcing) me (?:to )?do (?:things|stuff"
        r"|something|it|that)",
        r"(?:forcing|forced|forces) me",
    ),
]

ES: list[Group] = [
    *rules(
        "es", COERCION, C,
        r"me (?:pide|pidio|pidieron|piden|pedia|ha pedido|anda pidiendo|esta pidiendo"
        r"|sigue pidiendo) (?:<w>)?(?:dinero|plata|lana|feria|varo|prestado|favores|un favor"
        r"|mi comisaria|mis cosas|mi comida)",
        r"le debo",
        r"(?:que )?no (?:le |les )?(?:diga|dijera|digas|dijeras|cuente|contara|cuentes"
        r"|contaras|diria)\w* (?:a nadie|nada|al staff|a los staff|a mi \w+)",
        r"(?:nuestro|es un|un) secreto",
        r"guard(?:e|ar|ara|es|aras|o) (?:<w>)?secretos?",
        r"le (?:guarde|guardara|guardo|guardes|escond\w*|llev\w*|pas\w*|meta|metiera) (?:algo"
        r"|un paquete|una bolsa|cosas|esto|su \w+|droga\w*)",
        r"me amenaz\w* con (?:reportar\w*|acusar\w*|decir\w*|contar\w*|mandar\w*|regresar\w*"
        r"|sacar\w*|correr\w*|echar\w*)",
        r"(?:me )?(?:va|van|iba|iban) a reportar|reportarme|me reporta\w*",
        r"me (?:presion\w+|esta presionando)",
        r"me (?:obliga|obligan|obligo|forza|fuerza|hace|hacen|hizo) (?:a )?hacer (?:cosas|algo"
        r"|lo que)",
        r"me pide favores",
    ),
]
# fmt: on
