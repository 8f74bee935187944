"""Idioms and hyperbole with a trivial trigger, blanked out before any risk pattern runs
("dying laughing", "this homework is killing me", "me muero de risa")."""

from __future__ import annotations

import re

from flows.risk.lexicon import PERSON_EN, PERSON_ES, rx

# --------------------------------------------------------------------------------------------

IDIOMS: tuple[re.Pattern[str], ...] = tuple(
    rx(p)
    for p in (
        # English
        r"(?:dying|died|die|dead|dyin) (?:of |from |with )?laugh\w*",
        r"(?:dying|died) (?:at|over) (?:this|that|the|his|her|my|your|how|these|those|it)",
        r"to die for",
        r"dying to (?!die\b)\w+",
        r"kill(?:ed|ing|s)? (?:it|time)",
        r"(?:could|would|will) kill for",
        r"scared the (?:hell|shit|crap|heck|life|living daylights|bejesus|poop|piss) out of me",
        r"(?:phone|battery|charger|laptop|tablet|tv|console|controller|car|plant|plants"
        r"|flashlight|headphones|airpods|xbox|ps\d) (?:is |was |s )?(?:about to |going to )?"
        r"(?:die|died|dead|dying)",
        # "this homework is killing me", "my feet are killing me" - but not "my mentor is ..."
        rf"(?:this|that|the|my|these|those|your|his|her) (?!{PERSON_EN}\b)\w+ (?:<w>)?"
        r"(?:is|are|was|were|has been|have been|keeps|keep) (?:<w>)?(?:killing|hurting) me",
        r"(?:it|this|that|school|work|class|homework|life) (?:is|was) (?:<w>)?killing me",
        r"(?:you|your|you are) (?:<w>)?killing me",
        r"(?:bored|boring) to death",
        r"touched my heart",
        # Spanish
        r"(?:me )?(?:muero|mori|moria|morir|morirme|muriendo|morire) de (?:la )?(?:risa|hambre"
        r"|sueno|ganas|frio|calor|sed|aburrimiento|verguenza|pena|amor|nervios|envidia|cansancio"
        r"|flojera|felicidad|emocion)",
        r"muert[oa]s? de (?:la )?(?:risa|hambre|sueno|frio|calor|sed|cansancio|aburrimiento"
        r"|verguenza)",
        r"me (?:mata|matan|mataba) de (?:la )?risa",
        r"me (?:mato|mataste|mataron) (?:con )?(?:ese|esa|el|la|tu|su|este|esta|tus|sus) "
        r"(?:chiste|chistes|meme|memes|video|foto|broma|bromas|comentario)",
        rf"(?:este|esta|el|la|mi|mis|estos|estas|los|las|tu|su) (?!{PERSON_ES}\b)\w+ (?:<w>)?"
        r"me (?:mata|matan|esta matando|estan matando)",
        r"(?:esto|eso) me (?:mata|esta matando)",
        r"(?:estuvo|esta|estaba|fue|quedo|salio|es) de miedo",
    )
)
