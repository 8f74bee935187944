"""Replies the runtime sends outside a flow (no open check-in, unknown sender, opt-in/out).

Flow wording lives in the flow files; these few sentences cover the moments between flows.
"""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    "no_open_checkin": {
        "en": "Thanks for your message. Program staff can see it. Reply HELP for help.",
        "es": "Gracias por tu mensaje. El personal del programa puede verlo. Responde AYUDA para ayuda.",
    },
    "help": {
        "en": "This is the {program} check-in line. Staff read your answers; your mentor does not. To reach staff, reply here. Reply STOP to stop messages.",
        "es": "Esta es la línea de chequeo de {program}. El personal lee tus respuestas; tu mentor/a no. Para hablar con el personal, responde aquí. Responde STOP para no recibir mensajes.",
    },
    "stopped": {
        "en": "You will not get any more check-in messages. Reply START to turn them back on.",
        "es": "Ya no recibirás mensajes de chequeo. Responde START para volver a recibirlos.",
    },
    "stopped_unknown": {
        "en": "You will not get any more messages from this number. Reply START to undo.",
        "es": "Ya no recibirás más mensajes de este número. Responde START para deshacerlo.",
    },
    "started": {
        "en": "You will get check-in messages again. Reply STOP at any time to stop them.",
        "es": "Volverás a recibir mensajes de chequeo. Responde STOP en cualquier momento para dejarlos.",
    },
    "crisis": {
        "en": "If you are in danger right now, call 911. You can call or text 988 any time, day or night.",
        "es": "Si estás en peligro ahora mismo, llama al 911. Puedes llamar o escribir al 988 a cualquier hora.",
    },
    "staff_told": {
        "en": "A staff member has been told and will reach out to you.",
        "es": "Ya avisamos a alguien del personal y se comunicará contigo.",
    },
    "disclosure_thanks": {
        "en": "Thank you for telling us. Staff will see this.",
        "es": "Gracias por contárnoslo. El personal lo verá.",
    },
    "consent_request": {
        "en": "Hi {name}, this is {program}. We'd like to send you short, private check-ins by text. Reply YES to agree, or STOP to opt out. Msg & data rates may apply.",
        "es": "Hola {name}, somos {program}. Queremos enviarte chequeos cortos y privados por mensaje. Responde SÍ para aceptar, o STOP para no recibirlos. Pueden aplicar tarifas.",
    },
    "staff_consent_request": {
        "en": "Hi {name}, this is Peer Check-in for {program}. You are on the staff alert list. Reply YES to get urgent alerts by text, or STOP to opt out.",
        "es": "Hola {name}, somos Peer Check-in de {program}. Estás en la lista de alertas del personal. Responde SÍ para recibir alertas urgentes por mensaje, o STOP para no recibirlas.",
    },
    "consent_thanks": {
        "en": "Thank you! You can reply STOP at any time.",
        "es": "¡Gracias! Puedes responder STOP en cualquier momento.",
    },
    "unknown_sender": {
        "en": "This number is for enrolled program members only. Please talk to your program staff.",
        "es": "Este número es solo para participantes del programa. Por favor habla con el personal.",
    },
    "staff_told_unknown": {
        "en": "Program staff have been told about this message.",
        "es": "Avisamos al personal del programa sobre este mensaje.",
    },
    "generic_help": {
        "en": "Peer Check-in sends private check-ins for mentorship programs. Ask your program staff to enroll you. Reply STOP to stop messages.",
        "es": "Peer Check-in envía chequeos privados para programas de mentoría. Pide al personal que te inscriba. Responde STOP para no recibir mensajes.",
    },
}


def text(key: str, language: str, **values: str) -> str:
    by_lang = TEXTS[key]
    template = by_lang.get(language) or by_lang.get(language.split("-")[0]) or by_lang["en"]
    for key, value in values.items():
        template = template.replace("{" + key + "}", value)
    return template
