"""Captions of the coloured-shapes world in six languages, parallel to English, for the multilingual text tower.

Each template exists in every language with the same meaning (the English one is what the teacher, the bundled
tiny CLIP's text tower, embeds); colours and shapes are declined as each language requires (gender, case).
"""
import numpy as np

import shapes

LANGUAGES = ["en", "fr", "de", "es", "ru", "zh"]

# Shape nouns: (noun, gender) per language; Russian also has the genitive; Chinese has several words per shape.
NOUNS = {
    "fr": {"circle": ("cercle", "m"), "square": ("carré", "m"), "triangle": ("triangle", "m"), "star": ("étoile", "f")},
    "de": {"circle": ("Kreis", "m"), "square": ("Quadrat", "n"), "triangle": ("Dreieck", "n"), "star": ("Stern", "m")},
    "es": {"circle": ("círculo", "m"), "square": ("cuadrado", "m"), "triangle": ("triángulo", "m"), "star": ("estrella", "f")},
    "ru": {"circle": ("круг", "m", "круга"), "square": ("квадрат", "m", "квадрата"), "triangle": ("треугольник", "m", "треугольника"),
           "star": ("звезда", "f", "звезды")},
    "zh": {"circle": ["圆形", "圆圈", "圆"], "square": ["正方形", "方形", "方块"], "triangle": ["三角形"], "star": ["星星", "星形", "五角星"]},
}

# Colour adjectives. fr/es: (masculine, feminine); de: (nominative m, nominative n, dative); ru: (m, f, genitive m, genitive f)
# with the spellings without ё too; zh: several words.
COLOURS = {
    "fr": {"red": ("rouge", "rouge"), "orange": ("orange", "orange"), "yellow": ("jaune", "jaune"), "green": ("vert", "verte"),
           "cyan": ("cyan", "cyan"), "blue": ("bleu", "bleue"), "purple": ("violet", "violette"), "pink": ("rose", "rose")},
    "de": {"red": ("roter", "rotes", "roten"), "orange": ("orangefarbener", "orangefarbenes", "orangefarbenen"),
           "yellow": ("gelber", "gelbes", "gelben"), "green": ("grüner", "grünes", "grünen"),
           "cyan": ("cyanfarbener", "cyanfarbenes", "cyanfarbenen"), "blue": ("blauer", "blaues", "blauen"),
           "purple": ("violetter", "violettes", "violetten"), "pink": ("rosa", "rosa", "rosa")},
    "es": {"red": ("rojo", "roja"), "orange": ("naranja", "naranja"), "yellow": ("amarillo", "amarilla"), "green": ("verde", "verde"),
           "cyan": ("cian", "cian"), "blue": ("azul", "azul"), "purple": ("morado", "morada"), "pink": ("rosa", "rosa")},
    "ru": {"red": [("красный", "красная", "красного", "красной")], "orange": [("оранжевый", "оранжевая", "оранжевого", "оранжевой")],
           "yellow": [("жёлтый", "жёлтая", "жёлтого", "жёлтой"), ("желтый", "желтая", "желтого", "желтой")],
           "green": [("зелёный", "зелёная", "зелёного", "зелёной"), ("зеленый", "зеленая", "зеленого", "зеленой")],
           "cyan": [("голубой", "голубая", "голубого", "голубой")], "blue": [("синий", "синяя", "синего", "синей")],
           "purple": [("фиолетовый", "фиолетовая", "фиолетового", "фиолетовой")], "pink": [("розовый", "розовая", "розового", "розовой")]},
    "zh": {"red": ["红色", "红"], "orange": ["橙色", "橘色"], "yellow": ["黄色", "黄"], "green": ["绿色", "绿"], "cyan": ["青色"],
           "blue": ["蓝色", "蓝"], "purple": ["紫色", "紫"], "pink": ["粉色", "粉红色"]},
}

# (English template, then one per language). Placeholders: {np} the noun phrase in the case the template needs.
TEMPLATES = [
    ("a photo of a {}.", "une photo d'{a} {np}.", "ein Foto von einem {dat}.", "una foto de {a} {np}.", "фотография {gen}.", "一张{c}{s}的照片。"),
    ("a {}.", "{a} {np}.", "{ein} {nom}.", "{a} {np}.", "{nom}.", "一个{c}的{s}。"),
    ("{}", "{a} {np}", "{ein} {nom}", "{a} {np}", "{nom}", "{c}的{s}"),
    ("{}", "{np}", "{nom}", "{np}", "{nom}", "{c}{s}"),
    ("a picture of a {}.", "une image d'{a} {np}.", "ein Bild von einem {dat}.", "una imagen de {a} {np}.", "картинка: {nom}.", "一幅{c}{s}的图片。"),
    ("a drawing of a {}.", "un dessin d'{a} {np}.", "eine Zeichnung von einem {dat}.", "un dibujo de {a} {np}.", "рисунок: {nom}.", "一幅{c}{s}的画。"),
    ("there is a {} in the picture.", "il y a {a} {np} sur l'image.", "auf dem Bild ist {ein} {nom}.", "hay {a} {np} en la imagen.",
     "на картинке {nom}.", "图片里有一个{c}的{s}。"),
    ("a {} on a noisy background.", "{a} {np} sur un fond bruité.", "{ein} {nom} auf einem verrauschten Hintergrund.",
     "{a} {np} sobre un fondo con ruido.", "{nom} на шумном фоне.", "噪声背景上的{c}{s}。"),
]


def _fr(colour, shape, template):
    noun, gender = NOUNS["fr"][shape]
    adj = COLOURS["fr"][colour][0 if gender == "m" else 1]
    return template.format(a="un" if gender == "m" else "une", np=f"{noun} {adj}")


def _es(colour, shape, template):
    noun, gender = NOUNS["es"][shape]
    adj = COLOURS["es"][colour][0 if gender == "m" else 1]
    return template.format(a="un" if gender == "m" else "una", np=f"{noun} {adj}")


def _de(colour, shape, template):
    noun, gender = NOUNS["de"][shape]
    m, n, dat = COLOURS["de"][colour]
    nom = f"{m if gender == 'm' else n} {noun}"
    return template.format(ein="ein", nom=nom, dat=f"{dat} {noun}")


def _ru(rng, colour, shape, template):
    noun, gender, noun_gen = NOUNS["ru"][shape]
    forms = COLOURS["ru"][colour][rng.integers(len(COLOURS["ru"][colour]))]
    adj, adj_gen = (forms[0], forms[2]) if gender == "m" else (forms[1], forms[3])
    return template.format(nom=f"{adj} {noun}", gen=f"{adj_gen} {noun_gen}")


def _zh(rng, colour, shape, template):
    words, colours = NOUNS["zh"][shape], COLOURS["zh"][colour]
    return template.format(c=colours[rng.integers(len(colours))], s=words[rng.integers(len(words))])


def caption(rng, language, colour, shape, template_index):
    """The caption of (colour, shape) with template `template_index` in `language`."""
    row = TEMPLATES[template_index]
    if language == "en":
        return row[0].format(f"{colour} {shape}")
    template = row[LANGUAGES.index(language)]
    if language == "fr":
        return _fr(colour, shape, template)
    if language == "es":
        return _es(colour, shape, template)
    if language == "de":
        return _de(colour, shape, template)
    if language == "ru":
        return _ru(rng, colour, shape, template)
    return _zh(rng, colour, shape, template)


def label_phrase(rng, language, label):
    """A label as users type it in a language, e.g. "une étoile jaune" (template 2) for zero-shot evaluation."""
    colour, shape = label.split(" ")
    return caption(rng, language, colour, shape, 2)


def all_captions(seed=7):
    """Every (language, template, colour, shape) caption, with the English caption of the same template."""
    rng = np.random.default_rng(seed)
    rows = []
    for language in LANGUAGES:
        for t in range(len(TEMPLATES)):
            for colour in shapes.COLORS:
                for shape in shapes.SHAPES:
                    # Languages with variants (ru spellings, zh words) get several draws.
                    draws = 3 if language in ("ru", "zh") else 1
                    for _ in range(draws):
                        rows.append((language, caption(rng, language, colour, shape, t), caption(rng, "en", colour, shape, t), f"{colour} {shape}"))
    return sorted(set(rows))
