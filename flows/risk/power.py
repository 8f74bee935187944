"""Building blocks for the concern patterns: people who hold power over a mentee, what they can
take away, and the future/conditional forms threats are made in.

Kept apart from lexicon.py (shared with the urgent patterns) because these pieces describe
situations (a demand, a person in power, a lever), not words of danger.
"""

from __future__ import annotations

# People with power over the speaker in the program, a placement, custody, work or a crew.
# Bare pronouns are left out on purpose: "he asked me for $5" is only coercion with a lever.
POWER_EN = (
    r"(?:mentor|mentors|sponsor|staff|staffer|co|cos|c ?o|guard|guards|officer|officers|deputy"
    r"|caseworker|case worker|case manager|counselor|counsellor|coach|boss|manager|supervisor"
    r"|teacher|tutor|pastor|driver|director|coordinator|leader|volunteer|therapist|po"
    r"|(?:foster|house|group home|host) ?(?:mom|dad|mother|father|parents?|parent)"
    r"|housemother|housefather|landlord|cellie|cellmate|bunkie|roommate|celly"
    r"|older (?:kids|boys|girls|guys|ones)|(?:the )?(?:guys|girls|dudes) (?:in|on|from) (?:my|the)"
    r" (?:pod|tier|unit|dorm|block|room|cottage|house|group|crew))"
)
POWER_ES = (
    r"(?:mentor|mentora|padrino|madrina|staff|guardia|custodio|custodia|oficial|celador|encargad[oa]"
    r"|educador|educadora|monitor|monitora|consejer[oa]|trabajadora social|trabajador social"
    r"|coordinador|coordinadora|jefe|jefa|patron|entrenador|maestr[oa]|profe|pastor"
    r"|(?:tia|tio|madre|padre|mama|papa|familia|senora|senor) de acogida|(?:el|la) mayor"
    r"|(?:los|las) (?:mayores|grandes)|companero de celda|el de la litera|la de la litera)"
)

# "he will", "hell" (he'll typed without the apostrophe), "they are going to", "she said she'd".
FUTURE_EN = (
    r"(?:(?:he|she|they|it|you|i|we) (?:will|would|is going to|are going to|am going to|gonna)"
    r"|hell|shell|theyll|itll|youll|hed|shed|theyd)"
)

# What can be taken away or done to someone who does not comply (the lever).
LEVER_EN = (
    r"(?:tell|telling|report|reporting|snitch|rat|write me up|write up|say|said|make sure"
    r"|make up|lie|get me|have me|kick me|kick|drop me|drop|stop (?:mentoring|helping|seeing"
    r"|giving|driving)|take (?:away )?my|take away|send me|cut me off|cut off|put me|call my po"
    r"|call (?:my )?(?:po|caseworker|probation|parole|the cops|immigration|ice)|tell (?:my )?po"
    r"|post|show everyone|spread|ruin|expose|lose|get (?:sent|kicked|violated|in trouble"
    r"|benched|dropped|moved|transferred)|never get|not get|no longer|make (?:my|your) life)"
)
